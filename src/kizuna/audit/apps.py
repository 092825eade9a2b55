from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "kizuna.audit"
    label = "audit"

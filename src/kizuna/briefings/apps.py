from django.apps import AppConfig


class BriefingsConfig(AppConfig):
    name = "kizuna.briefings"
    label = "briefings"

from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "kizuna.documents"
    label = "documents"

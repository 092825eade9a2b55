from django.apps import AppConfig


class DatasetConfig(AppConfig):
    name = "kizuna.dataset"
    label = "dataset"

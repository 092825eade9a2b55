from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "kizuna.registry"
    label = "registry"

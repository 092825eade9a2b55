from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "kizuna.search"
    label = "search"

from django.apps import AppConfig


class AnalysisConfig(AppConfig):
    name = "kizuna.analysis"
    label = "analysis"

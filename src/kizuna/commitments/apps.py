from django.apps import AppConfig


class CommitmentsConfig(AppConfig):
    name = "kizuna.commitments"
    label = "commitments"

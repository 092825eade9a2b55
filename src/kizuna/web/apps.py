from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "kizuna.web"
    label = "web"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from kizuna.web.header import remember_agency

        user_logged_in.connect(remember_agency, dispatch_uid="kizuna-header-agency")

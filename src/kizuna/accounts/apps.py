from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "kizuna.accounts"
    label = "accounts"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from kizuna.accounts.middleware import on_sign_in

        # Signing in saves the session with a fresh expiry: it counts as a refresh.
        user_logged_in.connect(on_sign_in, dispatch_uid="kizuna-session-refreshed-at-sign-in")

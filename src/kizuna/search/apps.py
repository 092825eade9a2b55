from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "kizuna.search"
    label = "search"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from kizuna.search.normalisation import add_to_sqlite

        # The index's SQLite triggers call a Python function: every connection needs it.
        connection_created.connect(add_to_sqlite, dispatch_uid="kizuna-search-normalise")

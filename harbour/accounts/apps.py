from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "harbour.accounts"
    label = "accounts"

    def ready(self) -> None:
        from harbour.accounts import signals  # noqa: F401

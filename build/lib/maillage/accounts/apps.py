from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "maillage.accounts"
    label = "accounts"
    verbose_name = "Comptes"

    def ready(self):
        from maillage.accounts import lockout  # noqa: F401  (connects the failure counter)

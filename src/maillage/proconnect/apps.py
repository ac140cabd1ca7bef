from django.apps import AppConfig


class ProConnectConfig(AppConfig):
    name = "maillage.proconnect"
    label = "proconnect"
    verbose_name = "ProConnect"

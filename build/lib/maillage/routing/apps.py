from django.apps import AppConfig


class RoutingConfig(AppConfig):
    name = "maillage.routing"
    label = "routing"
    verbose_name = "Aiguillage"

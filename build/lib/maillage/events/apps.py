from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "maillage.events"
    label = "events"
    verbose_name = "Évènements"

from django.apps import AppConfig


class HomeConfig(AppConfig):
    """The public home page: above the areas it shows (core ← … ← partners ← home)."""

    name = "maillage.home"
    label = "home"
    verbose_name = "Accueil"

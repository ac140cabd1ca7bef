from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "maillage.core"
    label = "core"
    verbose_name = "Socle"

    def ready(self):
        from django.core.signals import request_started
        from django.db.models.signals import post_delete, post_save

        from maillage.core.french import operator_names_forget

        # Operators' names shown for slugs: read once per request, forgotten on any change.
        request_started.connect(operator_names_forget, dispatch_uid="french-names-request")
        for signal in (post_save, post_delete):
            signal.connect(
                operator_names_forget,
                sender="partners.Organisation",
                dispatch_uid=f"french-names-{signal}",
            )

from django.urls import path

from maillage.events.views import manage, public

app_name = "events"
urlpatterns = [
    path("evenements/", public.event_list, name="list"),
    path("evenements/calendrier.ics", public.calendar_feed, name="feed"),
    path("evenements/<int:pk>/", public.event_detail, name="detail"),
    path("evenements/<int:pk>/inscription", public.event_register, name="register"),
    path("evenements/<int:pk>/evenement.ics", public.event_ics, name="ics"),
    path("evenements/inscription/<str:token>/", public.registration_manage, name="manage"),
    path(
        "evenements/inscription/<str:token>/<str:action>",
        public.registration_action,
        name="manage_action",
    ),
    path("evenements/<int:pk>/inscription-membre", manage.register_myself, name="register_myself"),
    path("espace/evenements/", manage.manage_list, name="manage_list"),
    path("espace/evenements/nouveau/", manage.manage_create, name="manage_create"),
    path("espace/evenements/<int:pk>/", manage.manage_detail, name="manage_detail"),
    path("espace/evenements/<int:pk>/modifier/", manage.manage_edit, name="manage_edit"),
    path("espace/evenements/<int:pk>/etat", manage.manage_transition, name="manage_transition"),
    path(
        "espace/evenements/<int:pk>/contribution",
        manage.manage_contribution,
        name="manage_contribution",
    ),
    path("espace/evenements/<int:pk>/places", manage.manage_quota, name="manage_quota"),
    path("espace/evenements/<int:pk>/presences/", manage.manage_checkin, name="checkin"),
    path(
        "espace/evenements/<int:pk>/presences/<int:registration_pk>",
        manage.manage_checkin_mark,
        name="checkin_mark",
    ),
    path(
        "espace/evenements/<int:pk>/inscriptions/<int:registration_pk>/annuler",
        manage.manage_registration_cancel,
        name="registration_cancel",
    ),
    path("espace/evenements/<int:pk>/inscriptions/export", manage.manage_export, name="export"),
    path(
        "espace/evenements/<int:pk>/inscrire/",
        manage.register_on_behalf,
        name="register_on_behalf",
    ),
]

from django.urls import path

from maillage.training.views import certificates, library, matrix, offers, sessions

app_name = "training"
urlpatterns = [
    path("bibliotheque/", library.catalogue, name="library"),
    path("bibliotheque/<int:pk>/", library.resource_detail, name="resource_detail"),
    path("bibliotheque/<int:pk>/telecharger/", library.resource_download, name="resource_download"),
    path(
        "bibliotheque/<int:pk>/versions/<int:number>/telecharger/",
        library.resource_download,
        name="version_download",
    ),
    path("espace/bibliotheque/", library.manage, name="library_manage"),
    path("espace/bibliotheque/nouvelle/", library.resource_create, name="resource_create"),
    path("espace/bibliotheque/<int:pk>/modifier/", library.resource_edit, name="resource_edit"),
    path("espace/bibliotheque/<int:pk>/version/", library.version_add, name="version_add"),
    path(
        "espace/bibliotheque/<int:pk>/etat/",
        library.resource_transition,
        name="resource_transition",
    ),
    path("qui-propose-quoi/", offers.grid, name="offers"),
    path("espace/offres/", offers.manage, name="offers_manage"),
    path("espace/offres/nouvelle/", offers.edit, name="offer_create"),
    path("espace/offres/<int:pk>/", offers.edit, name="offer_edit"),
    path("espace/offres/<int:pk>/activation/", offers.toggle, name="offer_toggle"),
    path("espace/formations/", sessions.session_list, name="sessions"),
    path("espace/formations/nouvelle/", sessions.session_create, name="session_create"),
    path("espace/formations/matrice/", matrix.matrix, name="matrix"),
    path("espace/formations/historique/", matrix.history, name="history"),
    path("espace/formations/<int:pk>/", sessions.session_detail, name="session_detail"),
    path("espace/formations/<int:pk>/modifier/", sessions.session_edit, name="session_edit"),
    path("espace/formations/<int:pk>/inscription/", sessions.enrol, name="session_enrol"),
    path(
        "espace/formations/<int:pk>/inscriptions/<int:registration_id>/annulation/",
        sessions.cancel,
        name="session_cancel",
    ),
    path("espace/formations/<int:pk>/pointage/", sessions.checkin, name="session_checkin"),
    path("espace/formations/<int:pk>/attestation/", sessions.certificate, name="certificate"),
    path("attestations/<str:token>/", certificates.certificate_verify, name="certificate_verify"),
    path("espace/formations/<int:pk>/avis/", sessions.rate, name="session_rate"),
    path(
        "espace/formations/<int:pk>/annulation/", sessions.session_cancel, name="session_cancel_all"
    ),
]

from django.urls import path

from maillage.proconnect import views

app_name = "proconnect"
urlpatterns = [
    path("proconnect/connexion/", views.start, name="start"),
    path("proconnect/retour/", views.callback, name="callback"),
    path("proconnect/deconnecte/", views.signed_out, name="signed_out"),
    path("proconnect/en-attente/", views.pending, name="pending"),
    path("espace/membres/demandes/", views.requests_list, name="requests"),
    path("espace/membres/demandes/<int:request_id>/", views.request_decide, name="request_decide"),
]

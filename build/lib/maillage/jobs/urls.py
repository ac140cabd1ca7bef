from django.urls import path

from maillage.jobs import views

app_name = "jobs"
urlpatterns = [
    path("taches-en-echec/", views.failed_list, name="failed_list"),
    path("taches-en-echec/<uuid:pk>/relancer/", views.failed_retry, name="failed_retry"),
    path("readyz", views.readyz, name="readyz"),
]

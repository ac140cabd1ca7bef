from django.urls import path

from maillage.partners import views

app_name = "partners"
urlpatterns = [
    path("annuaire/", views.directory, name="directory"),
    path("annuaire/<slug:slug>/", views.organisation_detail, name="organisation_detail"),
    path("espace/organisations/", views.manage_list, name="manage_list"),
    path("espace/organisations/nouvelle/", views.manage_edit, name="manage_create"),
    path("espace/organisations/<slug:slug>/", views.manage_edit, name="manage_edit"),
]

from django.urls import path

from maillage.partners import views

app_name = "partners"
urlpatterns = [
    path("annuaire/", views.directory, name="directory"),
    path("annuaire/donnees/", views.directory_data, name="directory_data"),
    path("annuaire/donnees/<str:name>", views.directory_file, name="directory_file"),
    path("annuaire/<slug:slug>/", views.organisation_detail, name="organisation_detail"),
    path("espace/mon-organisation/", views.my_organisation, name="my_organisation"),
    path("espace/mon-organisation/sites/nouveau/", views.site_edit, name="site_create"),
    path("espace/mon-organisation/sites/<int:site_id>/", views.site_edit, name="site_edit"),
    path(
        "espace/mon-organisation/sites/<int:site_id>/supprimer/",
        views.site_delete,
        name="site_delete",
    ),
    path(
        "espace/mon-organisation/offres/<uuid:public_id>/diffusion/",
        views.offer_distribution,
        name="offer_distribution",
    ),
    path("espace/organisations/import/", views.directory_import_page, name="directory_import"),
    path("espace/organisations/", views.manage_list, name="manage_list"),
    path("espace/organisations/nouvelle/", views.manage_edit, name="manage_create"),
    path("espace/organisations/<slug:slug>/", views.manage_edit, name="manage_edit"),
]

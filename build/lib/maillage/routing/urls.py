from django.urls import path

from maillage.routing.views import coordination, public

app_name = "routing"
urlpatterns = [
    path("trouver-mon-conseiller/", public.finder, name="finder"),
    path("trouver-mon-conseiller/resultat/", public.finder_result, name="result"),
    path("espace/aiguillage/", public.counsellor_finder, name="counsellor"),
    path("espace/aiguillage/qui-fait-quoi/", coordination.mandates, name="mandates"),
    path("espace/aiguillage/regles/", coordination.rules, name="rules"),
    path("espace/aiguillage/regles/nouvelle/", coordination.rule_edit, name="rule_create"),
    path("espace/aiguillage/regles/<str:rule_id>/", coordination.rule_edit, name="rule_edit"),
    path("espace/aiguillage/listes/<slug:key>/", coordination.list_edit, name="list_edit"),
    path("espace/aiguillage/historique/", coordination.history, name="history"),
    path(
        "espace/aiguillage/historique/<int:pk>/",
        coordination.revision_detail,
        name="revision_detail",
    ),
]

from django.urls import path

from maillage.indicators import views

app_name = "indicators"
urlpatterns = [
    path("indicateurs/", views.dashboard, name="dashboard"),
    path("indicateurs/activite/", views.activity_page, name="activity"),
    path("indicateurs/rapport/", views.report, name="report"),
    path("indicateurs/export/<slug:slug>.<str:fmt>", views.export, name="export"),
]

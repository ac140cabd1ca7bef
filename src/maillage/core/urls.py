from django.conf import settings
from django.urls import path

from maillage.core import views

app_name = "core"
urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
]
if settings.MAILLAGE_BENCH_VIEWS:
    urlpatterns.append(path("bench/bare", views.bench_bare, name="bench_bare"))

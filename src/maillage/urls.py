"""Root URL configuration: one include per area, the API and the admin."""

from django.contrib import admin
from django.urls import include, path

from maillage.api.main import api

# The API and the admin first: their prefixes fail fast for a page, while an API call would
# otherwise be tried against every area's patterns before its own (a third of its time).
urlpatterns = [
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("", include("maillage.core.urls")),
    path("", include("maillage.home.urls")),
    path("", include("maillage.jobs.urls")),
    path("", include("maillage.accounts.urls")),
    path("", include("maillage.proconnect.urls")),
    path("", include("maillage.partners.urls")),
    path("", include("maillage.routing.urls")),
    path("", include("maillage.referrals.urls")),
    path("", include("maillage.events.urls")),
    path("", include("maillage.training.urls")),
    path("", include("maillage.governance.urls")),
    path("", include("maillage.indicators.urls")),
]

# French error pages in the site's layout (JSON under /api/): core/error_views.py.
handler400 = "maillage.core.error_views.bad_request"
handler403 = "maillage.core.error_views.permission_denied"
handler404 = "maillage.core.error_views.page_not_found"
handler500 = "maillage.core.error_views.server_error"

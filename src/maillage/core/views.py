"""The health check (the home page lives in `maillage.home`, above the areas it shows)."""

from django.db import connection
from django.http import HttpResponse, JsonResponse


def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means "not healthy", whatever the driver raised
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def bench_bare(request):
    """The framework's ceiling for bench/pages.py: the whole middleware stack, no work
    (routed only when MAILLAGE_BENCH_VIEWS=1)."""
    return HttpResponse("ok", content_type="text/plain")

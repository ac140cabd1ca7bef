"""Public pages of the partnership and the health check."""

from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render

from maillage.partners.selectors import convention_featured


def home(request):
    convention = convention_featured()
    return render(request, "core/home.html", {"convention": convention})


def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means "not healthy", whatever the driver raised
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})

"""Refuse a NUL character anywhere in a page's query string or form (a French 400).

No text of this domain contains NUL; PostgreSQL refuses it in text columns (a DataError, so a
500, wherever a view passes a raw value on), and Django's form fields already reject it. One
check before any view covers the values that views read directly (messages, reasons…).
The API answers its own JSON errors and is left to its handlers.
"""

from django.core.exceptions import BadRequest

MESSAGE = "Le formulaire contient un caractère non autorisé (NUL) : retirez-le et réessayez."


def _has_nul(querydict):
    return any(
        "\x00" in key or any("\x00" in v for v in values) for key, values in querydict.lists()
    )


class NulCharacterGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/api/"):
            return self.get_response(request)
        if _has_nul(request.GET) or (request.method == "POST" and _has_nul(request.POST)):
            raise BadRequest(MESSAGE)
        return self.get_response(request)

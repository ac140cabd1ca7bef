"""View decorators: who may open a signed-in page, by role in the current organisation."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied


def membership_required(*roles):
    """Signed-in user with a current membership; with `roles`, one of them."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            membership = request.membership
            if membership is None:
                raise PermissionDenied("Vous n'êtes membre d'aucune organisation active.")
            if roles and membership.role not in roles:
                raise PermissionDenied("Votre rôle ne permet pas d'ouvrir cette page.")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator

"""What every governance view needs: the viewer, its access to a committee, error display."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied

from maillage.governance.selectors import committee_access


def access_for(request, committee):
    return committee_access(request.user, request.membership, committee)


def require_edit(request, committee):
    access = access_for(request, committee)
    if not access.can_edit:
        raise PermissionDenied("Seuls la présidence, le secrétariat et la coordination le peuvent.")
    return access


def show_error(request, form, error):
    """A domain error on the field it names, else as a flash message."""
    if form is not None and error.field and error.field in form.fields:
        form.add_error(error.field, error.message)
    else:
        messages.error(request, error.message)

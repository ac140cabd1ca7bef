"""What every governance view needs: the viewer, its access to a committee, error display."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied

from maillage.governance.selectors import committee_access
from maillage.training.enums import ResourceStatus
from maillage.training.selectors import library as library_selectors


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


def library_documents(request):
    """What an agenda item may point to: the published library resources this person reads."""
    return (
        library_selectors.resources_visible_to(request.membership)
        .filter(status=ResourceStatus.PUBLISHED)
        .order_by("title")
    )

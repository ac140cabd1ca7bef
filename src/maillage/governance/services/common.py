"""Helpers shared by the governance services: who may edit, and who gets the emails."""

from django.conf import settings

from maillage.core.errors import Forbidden
from maillage.governance.selectors import committee_access, members_of


def require_editor(actor, membership, committee):
    """Chair, secretary or coordinator; anyone else is refused with a readable message."""
    access = committee_access(actor, membership, committee)
    if not access.can_edit:
        raise Forbidden(
            "Seuls la présidence, le secrétariat du comité et la coordination peuvent faire cela.",
            code="not_editor",
        )
    return access


def absolute(url):
    return f"{settings.SITE_URL}{url}"


def member_emails(committee, day=None):
    return sorted({m.user.email for m in members_of(committee, day) if m.user.is_active})

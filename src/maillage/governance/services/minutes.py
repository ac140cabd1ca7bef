"""Minutes: item by item along the agenda, revisions under an optimistic lock, approval at a
later meeting that freezes them."""

from django.db import transaction
from django.utils import timezone

from maillage.core.audit import audit_log
from maillage.core.errors import Conflict, DomainError
from maillage.governance.enums import MeetingStatus, MinutesStatus
from maillage.governance.models import Meeting, Minutes, MinutesItem, MinutesRevision
from maillage.governance.selectors import minutes_snapshot
from maillage.governance.services.common import require_editor

MAX_LENGTH = 200_000


class MinutesConflict(Conflict):
    """Someone saved the minutes since this editor opened them: both texts are kept to merge."""

    def __init__(self, *, current, submitted, submitted_items=None):
        author = current.updated_by or "une autre personne"
        when = timezone.localtime(current.updated_at).strftime("%d/%m/%Y à %H:%M")
        super().__init__(
            f"Attention : {author} a enregistré le compte rendu le {when} pendant que vous le "
            "modifiiez. Votre texte n'a pas été enregistré ; comparez les deux versions, "
            "reportez vos ajouts puis enregistrez à nouveau.",
            code="stale_revision",
            field="text",
        )
        self.current = current
        self.submitted = submitted
        self.submitted_items = submitted_items or {}


def _minutes_locked(meeting):
    minutes, _ = Minutes.objects.get_or_create(meeting=meeting)
    # of=("self",): PostgreSQL refuses FOR UPDATE on the nullable side of the author's join.
    locked = Minutes.objects.select_for_update(of=("self",)).select_related("updated_by")
    return locked.get(pk=minutes.pk)


def _clean(text):
    text = (text or "").replace("\r\n", "\n")
    if len(text) > MAX_LENGTH:
        raise DomainError(
            "Le compte rendu est trop long (200 000 caractères au plus).", field="text"
        )
    return text


@transaction.atomic
def minutes_save(*, actor, membership, meeting, text, base_revision, items=None):
    """Save a new revision, or refuse with `MinutesConflict` if `base_revision` is stale.

    `text` holds the general notes; `items` maps an agenda item's id to what the minutes say
    about it (None leaves the items as they are). Each save that changes something is a new
    revision, with who and when, and the snapshot of every item the diff compares.
    """
    require_editor(actor, membership, meeting.committee)
    if meeting.status == MeetingStatus.CANCELLED:
        raise DomainError("Une réunion annulée n'a pas de compte rendu.")
    text = _clean(text)
    items = {int(pk): _clean(value) for pk, value in (items or {}).items()} if items else None
    if items:
        known = set(meeting.agenda_items.values_list("pk", flat=True))
        if set(items) - known:
            raise DomainError("Ce point n'est pas à l'ordre du jour de la réunion.", field="items")
    minutes = _minutes_locked(meeting)
    if minutes.is_frozen:
        raise DomainError(
            "Ce compte rendu a été approuvé : il est figé et ne peut plus être modifié.",
            code="frozen",
        )
    if base_revision != minutes.revision:
        raise MinutesConflict(current=minutes, submitted=text, submitted_items=items)
    current = {row.agenda_item_id: row for row in minutes.items.all()}
    changed_items = {
        pk: value
        for pk, value in (items or {}).items()
        if value.strip() != (current[pk].text if pk in current else "").strip()
    }
    if text == minutes.text and not changed_items:
        return minutes, False
    for pk, value in changed_items.items():
        if value.strip():
            MinutesItem.objects.update_or_create(
                minutes=minutes, agenda_item_id=pk, defaults={"text": value}
            )
        elif pk in current:
            current[pk].delete()
    minutes.revision += 1
    minutes.text = text
    minutes.updated_by = actor
    minutes.updated_at = timezone.now()
    minutes.save()
    MinutesRevision.objects.create(
        minutes=minutes,
        number=minutes.revision,
        text=text,
        items=minutes_snapshot(meeting),
        author=actor,
    )
    audit_log(
        actor=actor,
        action="governance.minutes.saved",
        obj=meeting,
        data={
            "revision": minutes.revision,
            "length": len(text),
            "items": sorted(changed_items),
        },
    )
    return minutes, True


@transaction.atomic
def minutes_approve(*, actor, membership, minutes, at_meeting):
    """Approve the minutes during a later meeting of the same committee; they freeze."""
    locked = Minutes.objects.select_for_update(of=("self",)).select_related("meeting")
    minutes = locked.get(pk=minutes.pk)
    at_meeting = Meeting.objects.get(pk=at_meeting.pk)
    require_editor(actor, membership, at_meeting.committee)
    meeting = minutes.meeting
    if minutes.is_frozen:
        raise DomainError("Ce compte rendu est déjà approuvé.", code="frozen")
    if at_meeting.committee_id != meeting.committee_id or at_meeting.starts_at <= meeting.starts_at:
        raise DomainError(
            "Un compte rendu s'approuve lors d'une réunion suivante du même comité.",
            code="wrong_meeting",
        )
    if at_meeting.status == MeetingStatus.CANCELLED:
        raise DomainError("Une réunion annulée ne peut pas approuver de compte rendu.")
    if not minutes.text.strip() and not minutes.items.exclude(text="").exists():
        raise DomainError("Le compte rendu est vide : rédigez-le avant de l'approuver.")
    minutes.status = MinutesStatus.APPROVED
    minutes.approved_at = timezone.now()
    minutes.approved_by = actor
    minutes.approved_in = at_meeting
    minutes.save()
    audit_log(
        actor=actor,
        action="governance.minutes.approved",
        obj=meeting,
        data={"revision": minutes.revision, "approved_in": at_meeting.pk},
    )
    return minutes

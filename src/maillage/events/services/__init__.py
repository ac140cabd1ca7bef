"""The registration engine of events — reusable by other areas (training sessions).

Writes go through these services (keyword-only, one transaction each, audit entry, emails
queued on commit). Import them from `maillage.events.services`.

Events (`maillage.events.services.events`)
-----------------------------------------
- `event_create(*, actor, organisation, title, kind, starts_at, ends_at, department=None,
   capacity=None, audience=Audience.PUBLIC, venue="", address="", online_url="", summary="",
   description="", registration_opens_at=None, registration_closes_at=None, questions=(),
   offer_hours=48, reminder_days=2, co_organisers=(), publish=False) -> Event`
   `organisation` is the lead operator; `co_organisers` is a list of Organisation.
   `actor` must be a manager of `organisation` or a coordinator (else Forbidden).
- `event_update(*, actor, event, **fields) -> Event` (raising capacity offers freed seats).
- `event_lead(*, membership, co_organisers=()) -> Organisation`: who leads a new event (the
   creator's operator; for a coordinator, the first operator named), for the page and the API.
- `event_transition(*, actor, event, to_status, message="") -> Event`
   draft → published → registration_closed → held, or cancelled (registrants are told).
- `organiser_set(*, actor, event, organisation, counsellors=0, hours=0, room="", stand=False,
   material="", note="") -> EventOrganiser` ; `organiser_remove(*, actor, event, organisation)`
- `quota_set(*, actor, event, organisation, seats) -> SeatQuota | None` (seats=0 removes it):
   seats reserved for the people `organisation` sends; they are taken before general seats.

Registrations (`maillage.events.services.registrations`)
--------------------------------------------------------
- `registration_create(*, event, first_name, last_name, email, phone="", answers=None,
   user=None, sent_by_organisation=None, sent_by=None, actor=None) -> (Registration, created)`
   Takes the seat under a lock on the event row (the address is looked up before it; the
   same address sent twice at once is caught by the unique constraint and answered as already
   registered). Status `confirmed` or `waitlisted`. The same
   email (or the same member `user`) again returns the existing registration, created=False,
   and e-mails its link again (once an hour at most). Public pages and the API answer both
   cases with `REGISTRATION_ANSWER`: they never tell who is registered. Raises Conflict (409)
   when registration is not open, DomainError (422, with `field`) when the input is invalid.
   Members-only events (audience=members) require `user`.
- `registration_cancel(*, registration, actor=None, reason=CancelReason.SELF) -> Registration`
   idempotent; frees the seat and offers it to the first person waiting.
- `registration_cancel_by_organiser(*, actor, registration, message="")`: an organiser cancels
   one person (emailed with the message); the seat goes to the waiting list.
- `offer_confirm(*, registration, actor=None) -> Registration`   offered → confirmed.
- `offer_decline(*, registration, actor=None) -> Registration`   offered → cancelled, next offered.
- `offer_expire(*, registration_id) -> bool`  idempotent: an overdue offer is cancelled and passed
   on to the next person waiting. `offers_expire_due()` does it for every overdue offer.
- `checkin_mark(*, actor, registration, present: bool) -> Registration` → attended / no_show,
   only within `checkin_window(event)` (the event's day, or MAILLAGE_CHECKIN_OPENS_HOURS_BEFORE
   hours before it starts); `checkin_refusal(event)` says why not, in French.
- `survey_answer(*, registration, rating, comment="") -> Registration`
- `waitlist_position(registration) -> int | None`; `seats_left(event) -> int | None`.
   Seats are read through one model, `maillage.events.seats.seats_for(event)` (public seats,
   reserved per operator, waiting list, the public sentence) — the service decides with it.
   State moves: `maillage.events.workflow` (EVENT_WF, REGISTRATION_WF on core.workflow).

Worker jobs (`maillage.events.tasks`, queued by `maillage tick`): `offers_expire_task`,
`reminders_send_task`, `surveys_send_task`, `personal_data_purge_task` — all idempotent (state
checks under the event lock, or a conditional "sent_at IS NULL" update before each email).
Registrants' emails are queued on commit as `maillage.events.notifications.registration_email_task`
(ids only) and rendered by the worker, outside the seat lock.

Calendar files: `maillage.events.ics` (`feed_bytes`, `registrant_calendar`), on `core.ical`.
Signed links: `maillage.events.links.manage_url(registration)` / `registration_from_token(token)`.
"""

from maillage.events.services.events import (  # noqa: F401
    EDITABLE_FIELDS,
    event_create,
    event_lead,
    event_transition,
    event_update,
    organiser_remove,
    organiser_set,
    quota_set,
)
from maillage.events.services.registrations import (  # noqa: F401
    REGISTRATION_ANSWER,
    checkin_mark,
    checkin_refusal,
    checkin_window,
    offer_confirm,
    offer_decline,
    offer_expire,
    offers_expire_due,
    registration_cancel,
    registration_cancel_by_organiser,
    registration_create,
    seats_left,
    survey_answer,
    waitlist_position,
)

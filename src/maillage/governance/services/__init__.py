"""Writes of the governance area (one service per operation, see STYLE.md)."""

from maillage.governance.services.agenda import (
    agenda_item_add,
    agenda_item_delete,
    agenda_item_edit,
    agenda_item_move,
    agenda_prefill,
)
from maillage.governance.services.attendance import attendance_record
from maillage.governance.services.conventions import (
    amendment_add,
    convention_effective_end,
    party_join,
    party_leave,
)
from maillage.governance.services.decisions import (
    action_create,
    action_update,
    can_update_action,
    decision_create,
    decision_set_status,
)
from maillage.governance.services.meetings import (
    meeting_cancel,
    meeting_mark_held,
    meeting_schedule,
    meeting_update,
)
from maillage.governance.services.minutes import MinutesConflict, minutes_approve, minutes_save
from maillage.governance.services.seats import seat_add, seat_change, seat_end

__all__ = [
    "MinutesConflict",
    "action_create",
    "action_update",
    "agenda_item_add",
    "agenda_item_delete",
    "agenda_item_edit",
    "agenda_item_move",
    "agenda_prefill",
    "amendment_add",
    "attendance_record",
    "can_update_action",
    "convention_effective_end",
    "decision_create",
    "decision_set_status",
    "meeting_cancel",
    "meeting_mark_held",
    "meeting_schedule",
    "meeting_update",
    "minutes_approve",
    "minutes_save",
    "party_join",
    "party_leave",
    "seat_add",
    "seat_change",
    "seat_end",
]

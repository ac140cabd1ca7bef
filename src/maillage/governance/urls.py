from django.urls import path

from maillage.governance.views import (
    agenda,
    attendance,
    committees,
    conventions,
    meetings,
    minutes,
    outcomes,
    seats,
)

app_name = "governance"
urlpatterns = [
    path("partenariat/chronologie/", conventions.timeline, name="timeline"),
    path(
        "gouvernance/conventions/<slug:slug>/",
        conventions.convention_manage,
        name="convention_manage",
    ),
    path("gouvernance/", committees.committee_list, name="committee_list"),
    path("gouvernance/actions/", committees.actions_overview, name="actions"),
    path("gouvernance/actions/<int:pk>/", committees.action_detail, name="action_detail"),
    path("gouvernance/decisions/<int:pk>/", committees.decision_detail, name="decision_detail"),
    path("gouvernance/comites/<slug:slug>/", committees.committee_detail, name="committee_detail"),
    path("gouvernance/comites/<slug:slug>/sieges/", seats.seats, name="seats"),
    path("gouvernance/sieges/<int:pk>/", seats.seat_edit, name="seat_edit"),
    path("gouvernance/sieges/<int:pk>/fin/", seats.seat_end, name="seat_end"),
    path(
        "gouvernance/comites/<slug:slug>/decisions/",
        committees.decision_register,
        name="decision_register",
    ),
    path(
        "gouvernance/comites/<slug:slug>/actions/",
        committees.actions_overview,
        name="committee_actions",
    ),
    path(
        "gouvernance/comites/<slug:slug>/reunions/nouvelle/",
        meetings.meeting_create,
        name="meeting_create",
    ),
    path("gouvernance/reunions/<int:pk>/", meetings.meeting_detail, name="meeting_detail"),
    path("gouvernance/reunions/<int:pk>/modifier/", meetings.meeting_edit, name="meeting_edit"),
    path("gouvernance/reunions/<int:pk>/annuler/", meetings.meeting_cancel, name="meeting_cancel"),
    path("gouvernance/reunions/<int:pk>/tenue/", meetings.meeting_held, name="meeting_held"),
    path("gouvernance/reunions/<int:pk>/invitation.ics", meetings.meeting_ics, name="meeting_ics"),
    path(
        "gouvernance/reunions/<int:pk>/ordre-du-jour/",
        agenda.agenda_item_add,
        name="agenda_item_add",
    ),
    path("gouvernance/reunions/<int:pk>/presences/", attendance.attendance, name="attendance"),
    path("gouvernance/reunions/<int:pk>/decisions/", outcomes.decision_add, name="decision_add"),
    path("gouvernance/reunions/<int:pk>/actions/", outcomes.action_add, name="action_add"),
    path("gouvernance/reunions/<int:pk>/compte-rendu/", minutes.minutes_edit, name="minutes_edit"),
    path(
        "gouvernance/reunions/<int:pk>/compte-rendu/historique/",
        minutes.minutes_history,
        name="minutes_history",
    ),
    path(
        "gouvernance/reunions/<int:pk>/compte-rendu/comparer/",
        minutes.minutes_diff,
        name="minutes_diff",
    ),
    path(
        "gouvernance/reunions/<int:pk>/compte-rendu/export/",
        minutes.minutes_export,
        name="minutes_export",
    ),
    path(
        "gouvernance/reunions/<int:pk>/approuver-compte-rendu/",
        minutes.minutes_approve,
        name="minutes_approve",
    ),
    path("gouvernance/points/<int:pk>/", agenda.agenda_item_edit, name="agenda_item_edit"),
    path("gouvernance/points/<int:pk>/deplacer/", agenda.agenda_item_move, name="agenda_item_move"),
    path(
        "gouvernance/points/<int:pk>/supprimer/",
        agenda.agenda_item_delete,
        name="agenda_item_delete",
    ),
]

"""The events' two tables, pinned line by line: a wrong entry in either table fails here."""

from maillage.events.workflow import EVENT_WF, REGISTRATION_WF


def test_the_event_table_is_exactly_this():
    assert EVENT_WF.table() == [
        "draft -cancel-> cancelled [manager]",
        "draft -publish-> published [manager]",
        "published -cancel-> cancelled [manager]",
        "published -close_registration-> registration_closed [manager]",
        "published -hold-> held [manager]",
        "registration_closed -cancel-> cancelled [manager]",
        "registration_closed -hold-> held [manager]",
        "registration_closed -publish-> published [manager]",
    ]


def test_the_registration_table_is_exactly_this():
    assert REGISTRATION_WF.table() == [
        "attended -confirm-> confirmed [organiser,person]",
        "attended -no_show-> no_show [organiser]",
        "cancelled -confirm-> confirmed [organiser,person]",
        "cancelled -waitlist-> waitlisted [person]",
        "confirmed -attend-> attended [organiser]",
        "confirmed -cancel-> cancelled [organiser,person,system]",
        "confirmed -no_show-> no_show [organiser]",
        "new -start-> confirmed",
        "new -start-> waitlisted",
        "no_show -attend-> attended [organiser]",
        "no_show -confirm-> confirmed [organiser,person]",
        "offered -cancel-> cancelled [organiser,person,system]",
        "offered -confirm-> confirmed [organiser,person]",
        "waitlisted -cancel-> cancelled [organiser,person,system]",
        "waitlisted -confirm-> confirmed [organiser,person]",
        "waitlisted -offer-> offered [system]",
    ]


def test_held_and_cancelled_events_are_final():
    assert EVENT_WF.available("held", "manager") == []
    assert EVENT_WF.available("cancelled", "manager") == []


def test_a_person_cannot_check_themself_in():
    assert not REGISTRATION_WF.can("confirmed", "attend", "person")
    assert REGISTRATION_WF.can("confirmed", "attend", "organiser")

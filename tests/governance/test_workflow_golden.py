"""The governance state machines, pinned line by line: a wrong entry in a table breaks them."""

from maillage.governance.workflow import ACTION_WORKFLOW, DECISION_WORKFLOW, MEETING_WORKFLOW


def test_the_meeting_table():
    assert MEETING_WORKFLOW.table() == [
        "scheduled -cancel-> cancelled [editor]",
        "scheduled -held-> held [editor]",
    ]


def test_the_decision_table():
    assert DECISION_WORKFLOW.table() == [
        "deferred -adopted-> adopted [editor]",
        "deferred -proposed-> proposed [editor]",
        "deferred -rejected-> rejected [editor]",
        "proposed -adopted-> adopted [editor]",
        "proposed -deferred-> deferred [editor]",
        "proposed -rejected-> rejected [editor]",
    ]


def test_the_action_table():
    assert ACTION_WORKFLOW.table() == [
        "done -in_progress-> in_progress [updater]",
        "dropped -open-> open [updater]",
        "in_progress -done-> done [updater]",
        "in_progress -dropped-> dropped [updater]",
        "in_progress -open-> open [updater]",
        "open -done-> done [updater]",
        "open -dropped-> dropped [updater]",
        "open -in_progress-> in_progress [updater]",
    ]


def test_final_states_offer_nothing():
    assert MEETING_WORKFLOW.available("held", "editor") == []
    assert MEETING_WORKFLOW.available("cancelled", "editor") == []
    assert DECISION_WORKFLOW.available("adopted", "editor") == []
    assert DECISION_WORKFLOW.available("rejected", "editor") == []


def test_the_buttons_come_from_the_table_in_its_order():
    assert DECISION_WORKFLOW.available("proposed", "editor") == ["adopted", "rejected", "deferred"]
    assert ACTION_WORKFLOW.available("done", "updater") == ["in_progress"]
    # Someone who is not an editor of the committee is offered nothing.
    assert MEETING_WORKFLOW.available("scheduled", "member") == []

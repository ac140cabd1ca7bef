"""The library's state machine, pinned line by line: a wrong entry in the table breaks it."""

from maillage.training.workflow import RESOURCE_WORKFLOW, action_to


def test_the_resource_table():
    assert RESOURCE_WORKFLOW.table() == [
        "archived -restore-> draft [coordinator,owner]",
        "draft -archive-> archived [coordinator,owner]",
        "draft -submit-> submitted [coordinator,owner]",
        "published -archive-> archived [coordinator,owner]",
        "published -revalidate-> submitted [system]",
        "submitted -publish-> published [coordinator]",
        "submitted -return_to_draft-> draft [coordinator,owner]",
    ]


def test_only_the_coordination_publishes():
    assert RESOURCE_WORKFLOW.available("submitted", {"owner"}) == ["return_to_draft"]
    assert RESOURCE_WORKFLOW.available("submitted", {"coordinator"}) == [
        "return_to_draft",
        "publish",
    ]


def test_a_posted_target_names_the_move_from_the_current_state():
    assert action_to("submitted", "draft") == "return_to_draft"
    assert action_to("archived", "draft") == "restore"
    # The application's own move is never what a person's form posts.
    assert action_to("published", "submitted") == "submit"
    assert action_to("draft", "nowhere") is None

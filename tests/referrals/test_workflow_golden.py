"""The referral workflow table, written out literally: a wrong entry in the table breaks this."""

from maillage.referrals.workflow import USER_ACTIONS, WORKFLOW


def test_the_referral_table_is_exactly_this():
    assert WORKFLOW.table() == [
        "accepted -close-> closed [receiver]",
        "accepted -start-> in_progress [receiver]",
        "accepted -withdraw-> cancelled [person]",
        "in_progress -close-> closed [receiver]",
        "in_progress -withdraw-> cancelled [person]",
        "received -accept-> accepted [receiver]",
        "received -cancel-> cancelled [sender]",
        "received -expire-> expired [system]",
        "received -redirect-> redirected [receiver]",
        "received -refuse-> refused [receiver]",
        "received -withdraw-> cancelled [person]",
        "sent -accept-> accepted [receiver]",
        "sent -cancel-> cancelled [sender]",
        "sent -expire-> expired [system]",
        "sent -receive-> received [receiver]",
        "sent -redirect-> redirected [receiver]",
        "sent -refuse-> refused [receiver]",
        "sent -withdraw-> cancelled [person]",
    ]


def test_the_stamps_are_exactly_these():
    assert {action: move.stamp for action, move in WORKFLOW.moves.items()} == {
        "receive": "received_at",
        "accept": "accepted_at",
        "start": "",
        "close": "ended_at",
        "refuse": "ended_at",
        "redirect": "ended_at",
        "cancel": "ended_at",
        "expire": "ended_at",
        "withdraw": "ended_at",
    }


def test_signed_in_people_take_every_move_but_expiry_and_withdrawal():
    assert USER_ACTIONS == [
        "receive",
        "accept",
        "start",
        "close",
        "refuse",
        "redirect",
        "cancel",
    ]

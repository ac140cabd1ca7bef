"""The engine itself, on a toy table: the areas' golden tables pin their own data."""

import pytest
from django.db import models

from maillage.core.errors import Conflict, DomainError, Forbidden
from maillage.core.workflow import Move, Workflow


class Light(models.TextChoices):
    OFF = "off", "Éteinte"
    ON = "on", "Allumée"
    BROKEN = "broken", "Cassée"


LIGHT = Workflow(
    name="tests.light",
    states=Light,
    moves={
        "switch_on": Move((Light.OFF,), Light.ON, {"owner"}, label="allumer"),
        "switch_off": Move((Light.ON,), Light.OFF, {"owner", "system"}, label="éteindre"),
        "break": Move((Light.OFF, Light.ON), Light.BROKEN, {"system"}, label="casser"),
    },
    explanations={Light.BROKEN: "elle est cassée"},
    who_words={"owner": "le propriétaire", "system": "Maillage"},
    noun="cette lampe",
)


def test_can_follows_both_the_state_and_the_capacity():
    assert LIGHT.can("off", "switch_on", "owner")
    assert not LIGHT.can("on", "switch_on", "owner")
    assert not LIGHT.can("off", "switch_on", "system")
    assert LIGHT.can("on", "switch_off", {"visitor", "system"})
    assert not LIGHT.can("off", "unknown", "owner")


def test_available_lists_the_moves_in_table_order():
    assert LIGHT.available("on", {"owner", "system"}) == ["switch_off", "break"]
    assert LIGHT.available("broken", {"owner", "system"}) == []


def test_refusals_say_why_in_french():
    with pytest.raises(Forbidden, match="Seul Maillage peut « casser » cette lampe"):
        LIGHT.check("on", "break", "owner")
    with pytest.raises(Conflict, match="Impossible de « allumer » cette lampe : elle est cassée"):
        LIGHT.check("broken", "switch_on", "owner")
    with pytest.raises(DomainError, match="n'existe pas"):
        LIGHT.check("on", "fly", "owner")


def test_table_is_one_line_per_source():
    assert LIGHT.table() == [
        "off -break-> broken [system]",
        "off -switch_on-> on [owner]",
        "on -break-> broken [system]",
        "on -switch_off-> off [owner,system]",
    ]

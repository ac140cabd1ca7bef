"""Reference lists have their own dates: out of them, a list is empty for the rules naming it."""

from datetime import date
from html import unescape

import pytest

from maillage.routing import engine, ruleset, services
from maillage.routing.engine import decide
from maillage.routing.models import RuleList, RuleSetRevision
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db
UNIFAF = {"department": "75", "status": "employed_private", "idcc": "29"}


def _publish_with_list_dates(key, **dates):
    snapshot = services.snapshot_from_tables()
    item = next(i for i in snapshot["lists"] if i["key"] == key)
    item.update(dates)
    return services.ruleset_publish(actor=None, snapshot=snapshot, source="editor")


def test_a_list_out_of_its_dates_matches_nobody(rules):
    on = date(2019, 6, 1)
    assert decide(UNIFAF, on).primary == "unifaf-idf"
    _publish_with_list_dates("idcc-unifaf", valid_until="2019-03-31")
    assert decide(UNIFAF, date(2019, 3, 31)).primary == "unifaf-idf"
    # From 1 April the list is empty: R6e no longer applies, R6z (not in the lists) does.
    assert decide(UNIFAF, on).primary == "fongecif-idf"


def test_a_list_starting_later_applies_from_its_first_day(rules):
    _publish_with_list_dates("idcc-unifaf", valid_from="2019-07-01")
    assert decide(UNIFAF, date(2019, 6, 30)).primary == "fongecif-idf"
    assert decide(UNIFAF, date(2019, 7, 1)).primary == "unifaf-idf"


def test_list_dates_are_stored_validated_and_described(rules):
    _publish_with_list_dates("idcc-unifaf", valid_from="2019-01-01", valid_until="2019-06-30")
    row = RuleList.objects.get(key="idcc-unifaf")
    assert (row.valid_from, row.valid_until) == (date(2019, 1, 1), date(2019, 6, 30))
    snapshot = engine.current().snapshot
    rule = next(r for r in snapshot["rules"] if r["id"] == "R6e")
    assert "(du 1er janvier 2019 au 30 juin 2019)" in ruleset.describe_rule(rule, snapshot)
    bad = services.snapshot_from_tables()
    next(i for i in bad["lists"] if i["key"] == "idcc-unifaf")["valid_until"] = "2018-01-01"
    with pytest.raises(ruleset.RuleSetInvalid, match="la date de fin précède"):
        ruleset.validate(ruleset.normalise(bad))


def test_undated_lists_keep_the_snapshot_shape_of_older_revisions(rules):
    snapshot = services.snapshot_from_tables()
    assert all("valid_from" not in i and "valid_until" not in i for i in snapshot["lists"])


def test_the_coordinator_dates_a_list_from_its_page(client, rules):
    client.force_login(MembershipFactory(coordinator=True).user)
    item = next(i for i in engine.current().snapshot["lists"] if i["key"] == "idcc-unifaf")
    data = {
        "label": item["label"],
        "items": "\n".join(f"{i['value']} ; {i['label']}" for i in item["items"]),
        "valid_from": "",
        "valid_until": "2019-03-31",
        "comment": "Fin du mandat d'Unifaf avancée",
        "preview_date": "2019-06-01",
        "base_revision": str(RuleSetRevision.objects.order_by("-id").first().pk),
    }
    preview = unescape(
        client.post(
            "/espace/aiguillage/listes/idcc-unifaf/", {**data, "preview": "1"}
        ).content.decode()
    )
    assert "Unifaf Île-de-France</td><td>Fongecif Île-de-France" in preview
    client.post("/espace/aiguillage/listes/idcc-unifaf/", {**data, "publish": "1"})
    assert decide(UNIFAF, date(2019, 6, 1)).primary == "fongecif-idf"
    listing = unescape(client.get("/espace/aiguillage/regles/?date=2019-06-01").content.decode())
    assert "En vigueur jusqu'au 31 mars 2019" in listing
    assert "hors vigueur le 1er juin 2019" in listing

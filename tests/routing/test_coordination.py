"""Coordinators: who does what, rule and list editing with validation, preview and history."""

from datetime import date
from html import unescape

import pytest

from maillage.core.models import AuditEntry
from maillage.routing import engine
from maillage.routing.engine import decide
from maillage.routing.models import Rule, RuleSetRevision
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(client, rules):
    membership = MembershipFactory(coordinator=True)
    client.force_login(membership.user)
    return membership


def rule_post(**changes):
    data = {
        "id": "R3",
        "order": "30",
        "kind": "primary",
        "target": "arml-idf",
        "valid_from": "",
        "valid_until": "",
        "age_min": "16",
        "age_max": "29",
        "status_op": "in",
        "status_values": ["job_seeker", "other"],
        "explanation": "Vous avez entre 16 et 29 ans : les Missions locales vous accompagnent.",
        "comment": "Extension aux moins de 30 ans",
        "preview_date": "2020-06-01",
        "base_revision": str(RuleSetRevision.objects.order_by("-id").first().pk),
    }
    data.update(changes)
    return data


def test_who_does_what_shows_each_operator_and_its_dates(client, coordinator):
    html = unescape(
        client.get("/espace/aiguillage/qui-fait-quoi/?date=2019-06-01").content.decode()
    )
    assert (
        "Fongecif Île-de-France" in html
        and "Règle R6z : depuis toujours au 31 décembre 2019" in html
    )
    assert "Règle R7 : du 1er janvier 2020, sans fin" in html
    # On 1 June 2019 the sector operators are in force, the regional operator is not.
    table = html.split("<caption>Règles en vigueur le")[1]
    assert "R6a" in table and "R7</th>" not in table


def test_the_preview_counts_moves_without_publishing(client, coordinator):
    response = client.post("/espace/aiguillage/regles/R3/", rule_post(preview="1"))
    html = unescape(response.content.decode())
    assert response.status_code == 200
    # Operators by name, never by slug.
    assert "Pôle emploi</td><td>ARML Île-de-France (Missions locales)" in html
    assert "Rien n'est publié" in html
    assert Rule.objects.get(rule_id="R3").conditions[0]["value"] == [16, 25]


def test_publishing_changes_decisions_and_keeps_history_with_before_and_after(client, coordinator):
    profile = {"department": "75", "status": "job_seeker", "age": 28}
    assert decide(profile, date(2020, 6, 1)).primary == "pole-emploi"
    response = client.post("/espace/aiguillage/regles/R3/", rule_post(publish="1"))
    assert response.status_code == 302 and response["Location"] == "/espace/aiguillage/historique/"
    assert decide(profile, date(2020, 6, 1)).primary == "arml-idf"
    revision = RuleSetRevision.objects.order_by("-id").first()
    assert (
        revision.author == coordinator.user and revision.comment == "Extension aux moins de 30 ans"
    )
    (change,) = revision.changes
    assert change["id"] == "R3"
    assert change["before"]["when"][0]["value"] == [16, 25]
    assert change["after"]["when"][0]["value"] == [16, 29]
    assert AuditEntry.objects.filter(
        action="routing.ruleset.published", actor=coordinator.user
    ).exists()
    detail = unescape(client.get(f"/espace/aiguillage/historique/{revision.pk}/").content.decode())
    assert "value:\n  - 16\n  - 25" in detail and "value:\n  - 16\n  - 29" in detail
    listing = client.get("/espace/aiguillage/historique/").content.decode()
    assert "Extension aux moins de 30 ans" in listing


def test_invalid_rules_are_refused_in_french(client, coordinator):
    html = unescape(
        client.post(
            "/espace/aiguillage/regles/R3/?format=yaml",
            rule_post(
                publish="1",
                when="- {field: age, op: in, value: [16]}\n",
                valid_from="2020-01-01",
                valid_until="2019-01-01",
            ),
        ).content.decode()
    )
    assert "opérateur « in » impossible sur age" in html
    assert "la date de fin précède la date de début" in html
    assert RuleSetRevision.objects.count() == 1


def test_a_stale_form_cannot_overwrite_someone_elses_publication(client, coordinator):
    stale = rule_post(publish="1")
    client.post(
        "/espace/aiguillage/regles/R3/", rule_post(publish="1", explanation="Première version.")
    )
    html = unescape(client.post("/espace/aiguillage/regles/R3/", stale).content.decode())
    assert "publiées par quelqu'un d'autre" in html
    assert Rule.objects.get(rule_id="R3").explanation == "Première version."


def test_editing_a_list_changes_the_decisions(client, coordinator):
    data = {
        "label": "Conventions collectives de l'Afdas",
        "items": (
            "1285 ; Entreprises artistiques et culturelles\n"
            "2642 ; Production audiovisuelle\n1486 ; Syntec (essai)"
        ),
        "comment": "Essai",
        "preview_date": "2019-06-01",
        "base_revision": str(RuleSetRevision.objects.order_by("-id").first().pk),
    }
    preview = unescape(
        client.post(
            "/espace/aiguillage/listes/idcc-afdas/", {**data, "preview": "1"}
        ).content.decode()
    )
    assert "Fongecif Île-de-France</td><td>Afdas" in preview
    client.post("/espace/aiguillage/listes/idcc-afdas/", {**data, "publish": "1"})
    on = date(2019, 6, 1)
    assert (
        decide({"department": "75", "status": "employed_private", "idcc": "1486"}, on).primary
        == "afdas"
    )


def test_counsellors_read_the_rules_but_cannot_edit(client, rules):
    client.force_login(MembershipFactory().user)
    html = client.get("/espace/aiguillage/regles/").content.decode()
    assert "R6z" in html and "/espace/aiguillage/regles/R3/" not in html
    assert client.get("/espace/aiguillage/regles/R3/").status_code == 403
    assert client.post("/espace/aiguillage/regles/R3/", {"publish": "1"}).status_code == 403
    assert client.get("/espace/aiguillage/historique/").status_code == 403


def test_an_unknown_rule_or_list_is_404(client, coordinator):
    assert client.get("/espace/aiguillage/regles/R99/").status_code == 404
    assert client.get("/espace/aiguillage/listes/nope/").status_code == 404
    assert client.get("/espace/aiguillage/historique/999999/").status_code == 404


def test_a_publication_reaches_another_process_within_the_check_interval(rules, monkeypatch):
    from maillage.routing import services

    profile = {"department": "75", "status": "job_seeker", "age": 28}
    on = date(2020, 6, 1)
    assert decide(profile, on).primary == "pole-emploi"
    clock = [1000.0]
    monkeypatch.setattr(engine.time, "monotonic", lambda: clock[0])
    engine.invalidate()
    engine.current()
    snapshot = services.snapshot_from_tables()
    next(r for r in snapshot["rules"] if r["id"] == "R3")["when"][0]["value"] = [16, 29]
    # Another process publishes: simulate it by writing the rows without touching our engine.
    monkeypatch.setattr(services, "_refresh_engines", lambda: None)
    services.ruleset_publish(actor=None, snapshot=snapshot, source="editor")
    assert decide(profile, on).primary == "pole-emploi"  # still the compiled copy
    clock[0] += engine.CHECK_SECONDS + 0.1
    assert decide(profile, on).primary == "arml-idf"


def test_decisions_make_no_database_query(rules, django_assert_num_queries):
    decide({"department": "75", "status": "other"}, date(2020, 1, 1))
    with django_assert_num_queries(0):
        for age in range(0, 121):
            decide({"department": "93", "status": "job_seeker", "age": age}, date(2020, 1, 1))


def test_loading_the_reference_twice_publishes_one_revision(rules):
    from maillage.core.reference import reference_load_all

    reference_load_all()
    assert RuleSetRevision.objects.count() == 1


def test_the_preview_warns_when_a_change_would_shadow_a_rule(client, coordinator):
    data = rule_post(
        preview="1",
        id="R5",
        order="1",
        target="pole-emploi",
        age_min="",
        age_max="",
        explanation="Demandeur d'emploi : Pôle emploi.",
    )
    html = unescape(client.post("/espace/aiguillage/regles/R5/", data).content.decode())
    assert "des règles sont à revoir" in html
    assert "R3 ne décide jamais (masquée par R0, R5)" in html


def test_rule_pages_use_a_bounded_number_of_queries(
    client, coordinator, django_assert_max_num_queries
):
    client.get("/espace/aiguillage/regles/")
    with django_assert_max_num_queries(12):
        assert client.get("/espace/aiguillage/regles/").status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get("/espace/aiguillage/qui-fait-quoi/").status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get("/espace/aiguillage/historique/").status_code == 200


def test_an_old_revision_can_be_published_again(client, coordinator):
    first = RuleSetRevision.objects.order_by("-id").first()
    client.post("/espace/aiguillage/regles/R3/", rule_post(publish="1"))
    profile = {"department": "75", "status": "job_seeker", "age": 28}
    assert decide(profile, date(2020, 6, 1)).primary == "arml-idf"
    latest = RuleSetRevision.objects.order_by("-id").first()
    response = client.post(
        f"/espace/aiguillage/historique/{first.pk}/", {"base_revision": str(latest.pk)}
    )
    assert response.status_code == 302
    assert decide(profile, date(2020, 6, 1)).primary == "pole-emploi"
    newest = RuleSetRevision.objects.order_by("-id").first()
    assert newest.comment == f"Retour à la révision n° {first.pk}"
    assert RuleSetRevision.objects.count() == 3


def test_going_back_to_a_version_is_a_new_audited_revision(client, coordinator):
    first = RuleSetRevision.objects.order_by("-id").first()
    client.post("/espace/aiguillage/regles/R3/", rule_post(publish="1"))
    changed = RuleSetRevision.objects.order_by("-id").first()
    history = unescape(client.get("/espace/aiguillage/historique/").content.decode())
    # Every revision but the one in force offers the way back.
    assert history.count("Revenir à cette version") == 1
    assert f'action="/espace/aiguillage/historique/{first.pk}/"' in history
    response = client.post(
        f"/espace/aiguillage/historique/{first.pk}/", {"base_revision": str(changed.pk)}
    )
    assert response.status_code == 302
    newest = RuleSetRevision.objects.order_by("-id").first()
    assert newest.pk not in (first.pk, changed.pk)
    assert newest.snapshot == first.snapshot and newest.author == coordinator.user
    # History is never rewritten: the changed revision is still there, as published.
    changed.refresh_from_db()
    assert changed.snapshot["rules"] != first.snapshot["rules"]
    entry = AuditEntry.objects.get(action="routing.ruleset.reverted")
    assert entry.actor == coordinator.user and entry.object_id == str(newest.pk)
    assert entry.data == {"to_revision": first.pk, "new_revision": newest.pk}
    assert Rule.objects.get(rule_id="R3").conditions[0]["value"] == [16, 25]


def test_going_back_to_the_version_in_force_changes_nothing(client, coordinator):
    latest = RuleSetRevision.objects.order_by("-id").first()
    client.post(f"/espace/aiguillage/historique/{latest.pk}/", {"base_revision": str(latest.pk)})
    assert RuleSetRevision.objects.count() == 1
    assert not AuditEntry.objects.filter(action="routing.ruleset.reverted").exists()

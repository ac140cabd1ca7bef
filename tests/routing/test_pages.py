"""Public "trouver mon conseiller" pages and the counsellor's version."""

import re
from html import unescape

import pytest
from django.urls import reverse

from maillage.partners.models import Department, Organisation, Site
from maillage.routing.models import DecisionCount, DecisionLog
from maillage.routing.services import decision_counts_fold
from tests.factories import MembershipFactory
from tests.routing.decisions import page_decision

pytestmark = pytest.mark.django_db
RESULT = "/trouver-mon-conseiller/resultat/"


def decision_of(html):
    return page_decision(html)


def test_the_form_offers_employer_groups_and_idcc_suggestions(client, rules):
    html = client.get("/trouver-mon-conseiller/").content.decode()
    assert '<option value="sncf">SNCF</option>' in html
    assert 'list="idcc-suggestions"' in html
    assert '<option value="2642">' in html
    assert "Seine-Saint-Denis (93)" in html
    assert "le choix final vous appartient" in html.lower()


def test_the_result_shows_operator_why_sites_in_the_department_and_alternatives(client, rules):
    arml = Organisation.objects.get(slug="arml-idf")
    Site.objects.create(
        organisation=arml,
        name="Mission locale de Bobigny",
        postcode="93000",
        city="Bobigny",
        department=Department.objects.get(code="93"),
        phone="01 23 45 67 89",
    )
    Site.objects.create(
        organisation=arml,
        name="Mission locale de Melun",
        postcode="77000",
        city="Melun",
        department=Department.objects.get(code="77"),
    )
    response = client.get(RESULT, {"department": "93", "status": "job_seeker", "age": "19"})
    html = unescape(response.content.decode())
    assert response.status_code == 200
    assert decision_of(html) == ("arml-idf", "R3", ["pole-emploi"])
    assert "Mission locale de Bobigny" in html and "01 23 45 67 89" in html
    assert "Mission locale de Melun" not in html
    assert "les Missions locales (ARML Île-de-France) accompagnent les jeunes" in html
    assert "France Travail" in html  # the alternative, by its name of today
    assert "Le choix vous appartient" in html


def test_the_shareable_link_carries_the_answers_and_gives_the_same_result(client, rules):
    html = unescape(
        client.get(
            RESULT, {"department": "75", "status": "employed_private", "idcc": "2941"}
        ).content.decode()
    )
    link = re.search(r'id="lien-partage"[^>]*value="([^"]+)"', html).group(1)
    assert "idcc=2941" in link and "department=75" in link
    again = unescape(client.get(link.split("testserver")[1]).content.decode())
    assert decision_of(again) == decision_of(html)


def test_an_idcc_is_shown_as_a_hint_not_a_certainty(client, rules):
    html = unescape(
        client.get(
            RESULT, {"department": "75", "status": "employed_private", "idcc": "1486"}
        ).content.decode()
    )
    assert "n'est pas dans nos listes" in html and "indice" in html


def test_bad_answers_come_back_in_french_without_a_500(client, rules):
    response = client.get(RESULT, {"department": "75", "status": "astronaute", "age": "abc"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Certaines réponses sont à corriger" in html
    assert DecisionCount.objects.count() == 0 and DecisionLog.objects.count() == 0


def test_nothing_personal_is_kept_only_an_anonymous_count(client, rules):
    client.get(
        RESULT, {"department": "75", "status": "job_seeker", "age": "30", "disability": "oui"}
    )
    client.get(RESULT, {"department": "94", "status": "job_seeker", "disability": "oui"})
    assert {f.name for f in DecisionLog._meta.fields} == {"id", "day", "primary", "rule", "channel"}
    decision_counts_fold()
    rows = list(DecisionCount.objects.values("primary", "rule", "channel", "count"))
    assert rows == [{"primary": "cheops-idf", "rule": "R2", "channel": "public", "count": 2}]
    assert set(f.name for f in DecisionCount._meta.fields) == {
        "id",
        "day",
        "primary",
        "rule",
        "channel",
        "count",
    }


def test_the_form_works_with_checkbox_values_and_unchecked_boxes(client, rules):
    html = client.get(
        RESULT, {"department": "75", "status": "employed_private", "cadre": "oui"}
    ).content.decode()
    assert decision_of(html)[0] == "apec"
    html = client.get(RESULT, {"department": "75", "status": "employed_private"}).content.decode()
    assert decision_of(html)[0] == "operateur-regional-idf"


def test_changing_answers_prefills_the_form(client, rules):
    html = client.get(
        "/trouver-mon-conseiller/",
        {"department": "92", "status": "other", "age": "40", "cadre": "oui"},
    ).content.decode()
    assert '<option value="92" selected>' in html
    assert 'value="other"' in html and re.search(r'value="other"[^>]*checked', html)
    assert re.search(r'name="cadre"[^>]*checked', html)


def test_the_counsellor_sees_the_rule_and_can_choose_the_date(client, rules):
    membership = MembershipFactory()
    client.force_login(membership.user)
    html = unescape(
        client.get(
            "/espace/aiguillage/",
            {
                "department": "75",
                "status": "employed_private",
                "employer_group": "sncf",
                "date": "2019-03-01",
            },
        ).content.decode()
    )
    assert decision_of(html)[:2] == ("unagecif", "R6b")
    assert "Règle R6b" in html and "Décision au 1er mars 2019" in html
    decision_counts_fold()
    assert DecisionCount.objects.get(channel="counsellor").count == 1


def test_the_counsellor_page_needs_a_sign_in(client, rules):
    response = client.get("/espace/aiguillage/")
    assert response.status_code == 302
    assert "next=/espace/aiguillage/" in response["Location"]


def test_the_referral_button_carries_the_profile_and_the_operator(client, rules):
    client.force_login(MembershipFactory().user)
    html = unescape(
        client.get(
            "/espace/aiguillage/", {"department": "75", "status": "job_seeker", "age": "20"}
        ).content.decode()
    )
    form = reverse("referrals:create")
    assert "Orienter vers ARML Île-de-France (Missions locales)" in html
    assert f"{form}?department=75&status=job_seeker&age=20&to=arml-idf" in html
    assert "&to=pole-emploi" in html


def test_the_public_page_never_shows_a_referral_button(client, rules):
    html = client.get(RESULT, {"department": "75", "status": "job_seeker"}).content.decode()
    assert "Orienter vers" not in html and reverse("referrals:create") not in html


def test_the_public_page_decides_for_today(client, rules):
    html = client.get(RESULT, {"department": "75", "status": "self_employed"}).content.decode()
    # Today is after 1 January 2020: the regional operator (R7), not the sector operators.
    assert decision_of(html)[:2] == ("operateur-regional-idf", "R7")
    assert "Décision au" not in html  # the public page takes no date and shows none


def test_the_counsellor_page_decides_for_the_date_given(client, rules):
    """Same answers, two dates around 1 January 2020: the date changes the decision."""
    client.force_login(MembershipFactory().user)
    answers = {"department": "75", "status": "self_employed"}
    before = client.get("/espace/aiguillage/", {**answers, "date": "2019-12-31"}).content
    after = client.get("/espace/aiguillage/", {**answers, "date": "2020-01-01"}).content
    assert decision_of(before.decode())[1] == "R8"
    assert decision_of(after.decode())[:2] == ("operateur-regional-idf", "R7")

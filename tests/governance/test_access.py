"""Committee content is visible to its members and to coordinators only: 404 for anyone else."""

import io
from datetime import date, timedelta

import pytest
from django.core.management import call_command

from maillage.governance import services
from tests.factories import MembershipFactory
from tests.governance.factories import CommitteeFactory, SeatFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def content(gov):
    """One of everything under the committee: meeting, agenda item, decision, action."""
    meeting = gov.schedule()
    item = services.agenda_item_add(**gov.as_secretary(), meeting=meeting, title="Budget")
    decision = services.decision_create(
        **gov.as_secretary(), committee=gov.committee, title="Voter le budget", meeting=meeting
    )
    action = services.action_create(
        **gov.as_secretary(),
        committee=gov.committee,
        title="Préparer le budget",
        owner_organisation=gov.member.organisation,
        due_on=date.today() + timedelta(days=5),
    )
    return {"meeting": meeting, "item": item, "decision": decision, "action": action}


def _pages(gov, content):
    m, slug = content["meeting"].pk, gov.committee.slug
    return [
        f"/gouvernance/comites/{slug}/",
        f"/gouvernance/comites/{slug}/decisions/",
        f"/gouvernance/comites/{slug}/actions/",
        f"/gouvernance/comites/{slug}/reunions/nouvelle/",
        f"/gouvernance/reunions/{m}/",
        f"/gouvernance/reunions/{m}/modifier/",
        f"/gouvernance/reunions/{m}/annuler/",
        f"/gouvernance/reunions/{m}/invitation.ics",
        f"/gouvernance/reunions/{m}/presences/",
        f"/gouvernance/reunions/{m}/actions/",
        f"/gouvernance/reunions/{m}/compte-rendu/",
        f"/gouvernance/reunions/{m}/compte-rendu/historique/",
        f"/gouvernance/reunions/{m}/compte-rendu/export/",
        f"/gouvernance/points/{content['item'].pk}/",
        f"/gouvernance/decisions/{content['decision'].pk}/",
        f"/gouvernance/actions/{content['action'].pk}/",
    ]


def _posts(gov, content):
    m, item = content["meeting"].pk, content["item"].pk
    return [
        (f"/gouvernance/reunions/{m}/ordre-du-jour/", {"item-title": "Intrus"}),
        (f"/gouvernance/reunions/{m}/tenue/", {}),
        (
            f"/gouvernance/reunions/{m}/decisions/",
            {"decision-title": "Intrus", "decision-status": "proposed"},
        ),
        (f"/gouvernance/reunions/{m}/approuver-compte-rendu/", {"minutes_meeting": m}),
        (f"/gouvernance/reunions/{m}/annuler/", {"reason": "intrus"}),
        (f"/gouvernance/reunions/{m}/compte-rendu/", {"text": "Intrus", "base_revision": 0}),
        (f"/gouvernance/points/{item}/deplacer/", {"direction": "up"}),
        (f"/gouvernance/points/{item}/supprimer/", {}),
        (f"/gouvernance/actions/{content['action'].pk}/", {"status": "done", "progress": 100}),
    ]


def _api_routes(gov, content):
    m = content["meeting"].pk
    return [
        f"/api/v1/committees/{gov.committee.slug}/meetings",
        f"/api/v1/meetings/{m}",
        f"/api/v1/meetings/{m}/invitation.ics",
        f"/api/v1/actions?committee={gov.committee.slug}",
    ]


def _token(user, organisation):
    out = io.StringIO()
    call_command(
        "token", "create", "--user", user.email, "--organisation", organisation.slug, stdout=out
    )
    return out.getvalue().strip()


@pytest.fixture(params=["operator_manager", "other_committee_member", "former_member"])
def outsider(request, gov):
    """People who must not see the committee: not seated, seated elsewhere, seat ended."""
    if request.param == "operator_manager":
        return MembershipFactory(manager=True)
    if request.param == "other_committee_member":
        other = CommitteeFactory(slug="autre-comite", code="CTR")
        seat = SeatFactory(committee=other)
        return seat.user.memberships.get()
    seat = SeatFactory(
        committee=gov.committee,
        started_on=date(2019, 2, 28),
        ended_on=date.today() - timedelta(days=1),
    )
    return seat.user.memberships.get()


def test_every_committee_page_is_404_to_a_non_member(client, gov, content, outsider):
    client.force_login(outsider.user)
    for url in _pages(gov, content):
        assert client.get(url).status_code == 404, url
    for url, data in _posts(gov, content):
        assert client.post(url, data).status_code == 404, url
    content["action"].refresh_from_db()
    assert content["action"].status == "open"
    assert content["meeting"].agenda_items.filter(title="Intrus").count() == 0


def test_the_committee_list_of_a_non_member_is_empty(client, gov, content, outsider):
    client.force_login(outsider.user)
    html = client.get("/gouvernance/").content.decode()
    assert f"/gouvernance/comites/{gov.committee.slug}/" not in html


def test_every_api_route_is_404_to_a_non_member(client, gov, content, outsider):
    headers = {"Authorization": f"Bearer {_token(outsider.user, outsider.organisation)}"}
    for url in _api_routes(gov, content):
        response = client.get(url, headers=headers)
        assert response.status_code == 404, url
        assert response.json() == {"detail": "Introuvable.", "code": "not_found", "errors": []}
    slugs = [c["slug"] for c in client.get("/api/v1/committees", headers=headers).json()["results"]]
    assert gov.committee.slug not in slugs
    actions = client.get("/api/v1/actions?status=all", headers=headers).json()["results"]
    assert content["action"].pk not in [a["id"] for a in actions]


def test_members_and_coordinators_see_every_page(client, gov, content):
    coordinator = MembershipFactory(coordinator=True)
    for user in (gov.member.user, gov.guest.user, coordinator.user):
        client.force_login(user)
        for url in _pages(gov, content):
            if any(
                part in url
                for part in (
                    "nouvelle",
                    "modifier",
                    "annuler",
                    "presences",
                    "compte-rendu/",
                    "/actions/",
                    "/points/",
                )
            ):
                continue  # editing pages: covered below
            assert client.get(url).status_code == 200, (user, url)


def test_a_plain_member_reads_but_cannot_edit(client, gov, content):
    client.force_login(gov.member.user)
    m = content["meeting"].pk
    assert client.get(f"/gouvernance/reunions/{m}/compte-rendu/").status_code == 403
    assert (
        client.post(f"/gouvernance/reunions/{m}/ordre-du-jour/", {"item-title": "X"}).status_code
        == 403
    )
    assert client.get(f"/gouvernance/reunions/{m}/compte-rendu/historique/").status_code == 200


def test_a_coordinator_edits_any_committee(client, gov, content):
    coordinator = MembershipFactory(coordinator=True)
    client.force_login(coordinator.user)
    m = content["meeting"].pk
    response = client.post(f"/gouvernance/reunions/{m}/ordre-du-jour/", {"item-title": "Point CR"})
    assert response.status_code == 302
    assert content["meeting"].agenda_items.filter(title="Point CR").exists()


def test_the_api_answers_members(client, gov, content):
    headers = {"Authorization": f"Bearer {_token(gov.member.user, gov.member.organisation)}"}
    for url in _api_routes(gov, content):
        assert client.get(url, headers=headers).status_code == 200, url
    committees = client.get("/api/v1/committees", headers=headers).json()["results"]
    assert [c["slug"] for c in committees] == [gov.committee.slug]
    assert committees[0]["your_role"] == "member"


def test_the_api_needs_a_token(client, gov, content):
    assert client.get("/api/v1/committees").status_code == 401
    assert client.get(f"/api/v1/meetings/{content['meeting'].pk}").status_code == 401


def test_anonymous_visitors_are_sent_to_sign_in(client, gov, content):
    response = client.get(f"/gouvernance/reunions/{content['meeting'].pk}/")
    assert response.status_code == 302 and "/connexion/" in response["Location"]


def test_list_pages_keep_a_constant_number_of_queries(client, gov):
    """Twice the meetings, items and actions: the same number of queries on each page."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def add_rows(start):
        for index in range(start, start + 3):
            meeting = gov.schedule(days=10 + index)
            for title in ("A", "B", "C"):
                services.agenda_item_add(**gov.as_secretary(), meeting=meeting, title=title)
            services.action_create(
                **gov.as_secretary(),
                committee=gov.committee,
                title=f"Action {index}",
                owner_organisation=gov.member.organisation,
                due_on=date.today() - timedelta(days=index + 1),
            )

    def counts(meeting):
        result = []
        for url in (
            f"/gouvernance/reunions/{meeting.pk}/",
            "/gouvernance/actions/?status=all",
            f"/gouvernance/comites/{gov.committee.slug}/",
            f"/gouvernance/comites/{gov.committee.slug}/decisions/",
        ):
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            result.append(len(ctx.captured_queries))
        return result

    client.force_login(gov.secretary.user)
    add_rows(0)
    small = counts(gov.schedule(days=40))  # pre-filled with 3 open actions as sub-items
    add_rows(3)
    large = counts(gov.schedule(days=50))  # pre-filled with 6
    assert large == small

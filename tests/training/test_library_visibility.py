"""Each audience level holds on pages, downloads and the API: those who may not see get a 404."""

import io

import pytest
from django.core.management import call_command

from maillage.training.enums import Audience, ResourceStatus
from tests.factories import MembershipFactory
from tests.training.factories import make_resource

pytestmark = pytest.mark.django_db


def _token(membership):
    out = io.StringIO()
    call_command(
        "token",
        "create",
        "--user",
        membership.user.email,
        "--organisation",
        membership.organisation.slug,
        stdout=out,
    )
    return {"Authorization": f"Bearer {out.getvalue().strip()}"}


@pytest.fixture
def resources():
    return {
        "public": make_resource(title="Fiche ouverte", audience=Audience.PUBLIC),
        "partners": make_resource(title="Fiche partenaires", audience=Audience.PARTNERS),
        "committee": make_resource(title="Note au comité", audience=Audience.COMMITTEE),
        "draft": make_resource(
            title="Brouillon interne", audience=Audience.PUBLIC, status=ResourceStatus.DRAFT
        ),
    }


def _urls(resource):
    return [
        f"/bibliotheque/{resource.pk}/",
        f"/bibliotheque/{resource.pk}/telecharger/",
        f"/bibliotheque/{resource.pk}/versions/1/telecharger/",
    ]


def _sees(client, resource, headers=None):
    codes = [client.get(url).status_code for url in _urls(resource)]
    api = client.get(f"/api/v1/library/{resource.pk}/download", headers=headers or {})
    codes.append(api.status_code)
    # Pages, downloads (a link version redirects: 302) and the API agree: all 404 or none.
    hidden = {code == 404 for code in codes}
    assert len(hidden) == 1, codes
    return not hidden.pop()


def _api_titles(client, headers=None):
    body = client.get("/api/v1/library", headers=headers or {}).json()
    return {item["title"] for item in body["results"]}


def test_an_anonymous_visitor_sees_public_resources_only(client, resources):
    assert _sees(client, resources["public"])
    for name in ("partners", "committee", "draft"):
        assert not _sees(client, resources[name]), name
    assert _api_titles(client) == {"Fiche ouverte"}
    catalogue = client.get("/bibliotheque/").content.decode()
    assert "Fiche ouverte" in catalogue and "Fiche partenaires" not in catalogue


def test_a_counsellor_sees_partners_resources_but_not_committee_ones(client, resources):
    counsellor = MembershipFactory()
    client.force_login(counsellor.user)
    headers = _token(counsellor)
    assert _sees(client, resources["public"], headers)
    assert _sees(client, resources["partners"], headers)
    assert not _sees(client, resources["committee"], headers)
    assert not _sees(client, resources["draft"], headers)
    assert _api_titles(client, headers) == {"Fiche ouverte", "Fiche partenaires"}


def test_a_committee_member_sees_committee_resources(client, resources):
    member = MembershipFactory(committee_member=True)
    client.force_login(member.user)
    headers = _token(member)
    assert _sees(client, resources["committee"], headers)
    assert not _sees(client, resources["draft"], headers)
    assert _api_titles(client, headers) == {"Fiche ouverte", "Fiche partenaires", "Note au comité"}


def test_the_owner_operator_sees_its_own_draft(client, resources):
    owner = MembershipFactory(organisation=resources["draft"].owner)
    client.force_login(owner.user)
    assert _sees(client, resources["draft"], _token(owner))
    # Still not in the published catalogue.
    assert "Brouillon interne" not in _api_titles(client, _token(owner))


def test_the_api_ignores_a_browser_session_and_refuses_a_bad_token(client, resources):
    client.force_login(MembershipFactory().user)
    assert _api_titles(client) == {"Fiche ouverte"}
    bad = client.get("/api/v1/library", headers={"Authorization": "Bearer mlg_faux"})
    assert bad.status_code == 401


def test_the_api_filters_by_theme_and_owner(client):
    first = make_resource(title="Marché de l'emploi 93", themes=["marche_emploi"])
    make_resource(title="Stratégie Afdas", themes=["strategie"])
    body = client.get("/api/v1/library?theme=marche_emploi").json()
    assert [r["title"] for r in body["results"]] == ["Marché de l'emploi 93"]
    body = client.get(f"/api/v1/library?owner={first.owner.slug}").json()
    assert body["count"] == 1 and body["results"][0]["owner"] == first.owner.slug

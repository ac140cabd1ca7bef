"""Managers manage their own organisation's members; another organisation's answer 404."""

import re
from html import unescape

import pytest

from maillage.accounts.enums import Role
from maillage.accounts.models import Invitation, Membership, User
from maillage.core.models import AuditEntry
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(client):
    membership = MembershipFactory(manager=True)
    client.force_login(membership.user)
    return membership


def test_a_manager_lists_their_members_only(client, manager):
    colleague = MembershipFactory(organisation=manager.organisation)
    stranger = MembershipFactory()
    html = client.get("/espace/membres/").content.decode()
    assert colleague.user.email in html
    assert stranger.user.email not in html


def test_another_organisations_member_is_404_to_read_and_to_change(client, manager):
    stranger = MembershipFactory()
    url = f"/espace/membres/{stranger.pk}/"
    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "deactivate"}).status_code == 404
    assert client.post(url, {"action": "role", "role": Role.MANAGER}).status_code == 404
    stranger.refresh_from_db()
    assert stranger.is_active and stranger.role == Role.COUNSELLOR


def test_a_counsellor_cannot_manage_members(client):
    membership = MembershipFactory()
    client.force_login(membership.user)
    assert client.get("/espace/membres/").status_code == 403


def test_a_manager_changes_a_role_and_it_is_audited(client, manager):
    colleague = MembershipFactory(organisation=manager.organisation)
    response = client.post(
        f"/espace/membres/{colleague.pk}/", {"action": "role", "role": Role.MANAGER}
    )
    assert response.status_code == 302
    colleague.refresh_from_db()
    assert colleague.role == Role.MANAGER
    entry = AuditEntry.objects.get(action="accounts.membership.role_changed")
    assert entry.actor == manager.user and entry.data == {"from": "counsellor", "to": "manager"}


def test_a_manager_cannot_grant_the_coordinator_role_in_an_operator(client, manager):
    colleague = MembershipFactory(organisation=manager.organisation)
    client.post(f"/espace/membres/{colleague.pk}/", {"action": "role", "role": Role.COORDINATOR})
    colleague.refresh_from_db()
    assert colleague.role == Role.COUNSELLOR


def test_a_manager_deactivates_a_member(client, manager):
    colleague = MembershipFactory(organisation=manager.organisation)
    client.post(f"/espace/membres/{colleague.pk}/", {"action": "deactivate"})
    colleague.refresh_from_db()
    assert not colleague.is_active and colleague.ended_on is not None


def test_the_last_manager_cannot_leave(client, manager):
    response = client.post(f"/espace/membres/{manager.pk}/", {"action": "deactivate"}, follow=True)
    assert "dernier responsable actif" in response.content.decode()
    manager.refresh_from_db()
    assert manager.is_active


def test_an_invitation_is_emailed_and_creates_the_account(
    client, manager, mailoutbox, django_capture_on_commit_callbacks, run_worker
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/espace/membres/inviter/",
            {
                "email": "Nouvelle@Exemple.fr",
                "first_name": "Nora",
                "last_name": "Ali",
                "role": Role.COUNSELLOR,
            },
        )
    assert response.status_code == 302
    assert mailoutbox == []  # nothing leaves before the worker runs
    run_worker()
    assert len(mailoutbox) == 1
    link = re.search(r"http://\S+/invitation/\S+/", mailoutbox[0].body).group(0)
    path = link.split("8000", 1)[1] if "8000" in link else link
    client.logout()
    page = client.get(path)
    assert page.status_code == 200 and manager.organisation.name in page.content.decode()
    response = client.post(
        path,
        {
            "first_name": "Nora",
            "last_name": "Ali",
            "password1": "UnMotDePasse-2019",
            "password2": "UnMotDePasse-2019",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="nouvelle@exemple.fr")
    assert Membership.objects.get(user=user).organisation == manager.organisation
    assert Invitation.objects.get().accepted_at is not None
    # The link works once.
    assert client.get(path).status_code == 400


def test_a_tampered_invitation_link_is_refused(client, manager):
    response = client.get("/invitation/abc.def/")
    assert response.status_code == 400
    assert "n'est pas valide" in unescape(response.content.decode())


def test_an_invitation_with_a_bad_email_gets_a_french_message(client, manager):
    response = client.post(
        "/espace/membres/inviter/", {"email": "pas-un-email", "role": "counsellor"}
    )
    assert response.status_code == 200
    assert "Saisissez une adresse de courriel valide" in unescape(response.content.decode())
    assert not Invitation.objects.exists()


def test_an_invitation_uses_the_sign_in_spelling_of_the_address(client, manager):
    existing = MembershipFactory(organisation=manager.organisation, user__email="deja@exemple.fr")
    response = client.post(
        "/espace/membres/inviter/",
        {"email": " DEJA@Exemple.fr ", "first_name": "", "last_name": "", "role": Role.COUNSELLOR},
    )
    assert "déjà membre" in unescape(response.content.decode())
    client.post(
        "/espace/membres/inviter/",
        {"email": "Nouvelle@Exemple.FR", "first_name": "", "last_name": "", "role": Role.MANAGER},
    )
    assert Invitation.objects.get().email == "nouvelle@exemple.fr"
    assert existing.user.email == "deja@exemple.fr"


def test_the_membership_requests_link_is_shown_only_to_who_may_open_it(client):
    manager = MembershipFactory(manager=True)
    coordinator = MembershipFactory(coordinator=True)
    for membership, shown in ((manager, True), (coordinator, False)):
        client.force_login(membership.user)
        page = client.get("/espace/membres/").content.decode()
        assert ('href="/espace/membres/demandes/"' in page) is shown
        expected = 200 if shown else 403
        assert client.get("/espace/membres/demandes/").status_code == expected

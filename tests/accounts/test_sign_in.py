"""Signing in with an email, the lockout after five failures, switching organisation."""

import pytest
from axes.models import AccessAttempt

from tests.factories import PASSWORD, MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def test_a_counsellor_signs_in_and_sees_their_organisation(client):
    membership = MembershipFactory(organisation__name="Afdas test")
    response = client.post(
        "/connexion/", {"username": membership.user.email, "password": PASSWORD}, follow=True
    )
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == "/espace/"
    assert "Afdas test" in html
    assert "Conseiller ou conseillère" in html


def test_a_wrong_password_gets_a_french_message(client):
    membership = MembershipFactory()
    response = client.post("/connexion/", {"username": membership.user.email, "password": "non"})
    assert response.status_code == 200
    assert "Adresse e-mail ou mot de passe incorrect" in response.content.decode()


def test_five_wrong_passwords_lock_the_account(client):
    membership = MembershipFactory()
    email = membership.user.email
    for _ in range(5):
        client.post("/connexion/", {"username": email, "password": "mauvais"})
    response = client.post("/connexion/", {"username": email, "password": PASSWORD})
    assert response.status_code == 429
    assert "temporairement bloqué" in response.content.decode()
    assert AccessAttempt.objects.filter(username=email).exists()
    # Even the right password stays refused until the cool-off ends.
    assert "_auth_user_id" not in client.session


def test_four_wrong_passwords_do_not_lock(client):
    membership = MembershipFactory()
    for _ in range(4):
        client.post("/connexion/", {"username": membership.user.email, "password": "mauvais"})
    response = client.post("/connexion/", {"username": membership.user.email, "password": PASSWORD})
    assert response.status_code == 302


def test_switching_to_another_of_ones_organisations(client):
    first = MembershipFactory(organisation__name="Alpha opérateur")
    second = MembershipFactory(user=first.user, organisation__name="Beta opérateur")
    client.force_login(first.user)
    response = client.post("/espace/organisation/", {"membership": second.pk}, follow=True)
    assert "Vous agissez maintenant pour Beta opérateur" in response.content.decode()
    assert client.get("/espace/").context["current_membership"] == second


def test_switching_to_someone_elses_membership_is_404(client):
    mine = MembershipFactory()
    other = MembershipFactory()
    client.force_login(mine.user)
    assert client.post("/espace/organisation/", {"membership": other.pk}).status_code == 404


def test_a_user_whose_only_membership_is_inactive_cannot_open_the_space(client):
    membership = MembershipFactory(is_active=False)
    client.force_login(membership.user)
    assert client.get("/espace/").status_code == 403


def test_the_space_requires_sign_in(client):
    response = client.get("/espace/")
    assert response.status_code == 302 and response["Location"].startswith("/connexion/")


def test_password_reset_sends_a_french_email(
    client, mailoutbox, run_worker, django_capture_on_commit_callbacks
):
    membership = MembershipFactory(organisation=OrganisationFactory())
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/mot-de-passe/oubli/", {"email": membership.user.email})
    run_worker()
    assert len(mailoutbox) == 1
    assert "changer votre mot de passe" in mailoutbox[0].body

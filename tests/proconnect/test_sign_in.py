"""ProConnect sign-in against a real OpenID provider process (oidc-provider, like ProConnect)."""

import pytest

from maillage.accounts.models import Membership, User
from maillage.core.models import AuditEntry, OutgoingEmail
from maillage.proconnect import client as oidc
from maillage.proconnect.models import MembershipRequest, ProConnectIdentity
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.oidc_provider.harness import OTHER_CLIENT_ID
from tests.proconnect.conftest import _configure

pytestmark = pytest.mark.django_db


def messages_of(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


def test_the_sign_in_page_offers_proconnect_only_when_configured(client, settings, proconnect):
    assert "S'identifier avec ProConnect" in client.get("/connexion/").content.decode()
    settings.PROCONNECT_ISSUER = ""
    page = client.get("/connexion/").content.decode()
    assert "S'identifier avec ProConnect" not in page
    assert 'name="password"' in page
    assert client.get("/proconnect/connexion/").status_code == 404


def test_the_redirect_carries_pkce_state_nonce_scopes_and_acr(client, proconnect):
    response = client.get("/proconnect/connexion/")
    location = response["Location"]
    assert location.startswith(f"{proconnect.issuer}/auth?")
    for part in (
        "code_challenge_method=S256",
        "code_challenge=",
        "state=",
        "nonce=",
        "acr_values=eidas1",
        "scope=openid+email+given_name+usual_name+siret",
    ):
        assert part in location


def test_a_known_professional_lands_in_their_space_first_and_second_time(browser, proconnect):
    member = MembershipFactory(user__email="marie@afdas.test")
    proconnect.add_account(
        "sub-marie", email="marie@afdas.test", given_name="Marie", usual_name="Curie", siret=""
    )
    response = browser.sign_in("marie@afdas.test")
    assert response.status_code == 302 and response["Location"] == "/espace/"
    assert browser.saw_login_form
    home = browser.client.get("/espace/")
    assert home.status_code == 200
    assert member.organisation.name in home.content.decode()
    user = User.objects.get(email="marie@afdas.test")
    assert (user.first_name, user.last_name) == ("Marie", "Curie")
    assert ProConnectIdentity.objects.get(user=user).sub == "sub-marie"
    # Second time: the Maillage session is gone, ProConnect's is still open (no form again).
    browser.client.logout()
    response = browser.sign_in("marie@afdas.test")
    assert response["Location"] == "/espace/"
    assert not browser.saw_login_form
    assert ProConnectIdentity.objects.filter(user=user).count() == 1
    assert AuditEntry.objects.filter(action="accounts.user.signed_in_proconnect").count() == 2


def test_a_new_professional_of_an_operator_becomes_a_pending_member(browser, proconnect):
    operator = OrganisationFactory(name="Afdas test", website="https://www.afdas.test/")
    manager = MembershipFactory(organisation=operator, manager=True, user__email="chef@afdas.test")
    proconnect.add_account(
        "sub-new", email="nouveau@afdas.test", given_name="Léa", usual_name="Nouvelle"
    )
    response = browser.sign_in("nouveau@afdas.test")
    assert response["Location"] == "/proconnect/en-attente/"
    page = browser.client.get("/proconnect/en-attente/").content.decode()
    assert "attend l'accord d'un responsable" in page and "Afdas test" in page
    user = User.objects.get(email="nouveau@afdas.test")
    assert not user.has_usable_password()
    assert not Membership.objects.filter(user=user).exists()
    request = MembershipRequest.objects.get(user=user)
    assert (request.organisation, request.matched_by) == (operator, "email_domain")
    assert browser.client.get("/orientations/").status_code in (302, 403)
    assert OutgoingEmail.objects.filter(to=[manager.user.email]).exists()

    # The manager approves; the next sign-in lands in the space.
    browser.client.logout()
    browser.client.force_login(manager.user)
    page = browser.client.get("/espace/membres/demandes/").content.decode()
    assert "nouveau@afdas.test" in page
    browser.client.post(
        f"/espace/membres/demandes/{request.pk}/", {"decision": "approve", "role": "counsellor"}
    )
    assert Membership.objects.get(user=user, organisation=operator).is_active
    browser.client.logout()
    assert browser.sign_in("nouveau@afdas.test")["Location"] == "/espace/"


@pytest.mark.skipif(
    not any(f.name == "siret" for f in OrganisationFactory._meta.model._meta.get_fields()),
    reason="Organisation.siret arrive avec les SIRET des opérateurs (issue 14)",
)
def test_the_siret_attaches_a_new_professional_to_its_operator(browser, proconnect):
    operator = OrganisationFactory(name="Opérateur SIRET", siret="13002526500013")
    proconnect.add_account("sub-siret", email="x@ailleurs.test", siret="13002526500013")
    browser.sign_in("x@ailleurs.test")
    request = MembershipRequest.objects.get(user__email="x@ailleurs.test")
    assert (request.organisation, request.matched_by) == (operator, "siret")


def test_a_valid_invitation_lets_a_new_professional_in_at_once(browser, proconnect):
    from maillage.accounts.services import invitation_create

    manager = MembershipFactory(manager=True)
    invitation_create(
        actor=manager.user,
        organisation=manager.organisation,
        email="invite@x.test",
        role="counsellor",
    )
    proconnect.add_account("sub-invite", email="invite@x.test", given_name="Inès")
    response = browser.sign_in("invite@x.test")
    assert response["Location"] == "/espace/"
    assert Membership.objects.get(user__email="invite@x.test").organisation == manager.organisation
    assert not MembershipRequest.objects.exists()


def test_a_tampered_state_is_refused_with_a_french_message(browser, proconnect):
    proconnect.add_account("sub-t", email="t@x.test")
    UserFactory(email="t@x.test")
    start = browser.client.get("/proconnect/connexion/")["Location"]
    tampered = start.replace("state=", "state=x")
    response = browser.follow_provider(tampered, email="t@x.test")
    assert response["Location"] == "/connexion/"
    page = browser.client.get("/connexion/")
    assert any("« state » invalide" in m for m in messages_of(page))
    assert "_auth_user_id" not in browser.client.session


def test_an_expired_id_token_is_refused(browser, settings, expiring_provider):
    _configure(settings, expiring_provider.issuer)
    expiring_provider.add_account("sub-e", email="e@x.test")
    UserFactory(email="e@x.test")
    response = browser.sign_in("e@x.test")
    assert response["Location"] == "/connexion/"
    assert any("a expiré" in m for m in messages_of(browser.client.get("/connexion/")))
    assert "_auth_user_id" not in browser.client.session
    oidc._client.cache_clear()


def test_an_id_token_for_another_service_is_refused(browser, settings, proconnect):
    """A genuine token the provider signed for another client must not open Maillage.

    The provider itself refuses to exchange another client's code, so the token is obtained by
    a real sign-in as the other client, then replayed to Maillage's checks as configured.
    """
    import base64
    import json

    from joserfc.errors import ClaimError

    proconnect.add_account("sub-a", email="a@x.test")
    MembershipFactory(user__email="a@x.test")
    _configure(settings, proconnect.issuer, client_id=OTHER_CLIENT_ID)
    assert browser.sign_in("a@x.test")["Location"] == "/espace/"
    id_token = browser.client.session["proconnect_id_token"]
    payload = json.loads(base64.urlsafe_b64decode(id_token.split(".")[1] + "=="))
    assert payload["aud"] == OTHER_CLIENT_ID
    _configure(settings, proconnect.issuer)
    with pytest.raises(ClaimError) as refused:
        oidc.client().parse_id_token({"id_token": id_token}, nonce=payload["nonce"])
    assert refused.value.claim in ("aud", "azp")


def test_sign_out_ends_both_sessions(browser, proconnect):
    MembershipFactory(user__email="s@x.test")
    proconnect.add_account("sub-s", email="s@x.test")
    browser.sign_in("s@x.test")
    start = browser.client.post("/deconnexion/")
    assert start["Location"].startswith(f"{proconnect.issuer}/session/end")
    assert "id_token_hint=" in start["Location"]
    response = browser.follow_provider(start["Location"])
    assert response["Location"] == "/"
    messages = messages_of(browser.client.get("/"))
    assert "Vous êtes déconnecté de Maillage et de ProConnect." in messages
    assert browser.client.get("/espace/").status_code == 302
    # ProConnect asks again who you are: its session ended too.
    browser.sign_in("s@x.test")
    assert browser.saw_login_form


def test_password_sign_out_stays_local(client, proconnect):
    member = MembershipFactory()
    client.force_login(member.user)
    response = client.post("/deconnexion/")
    assert response["Location"] == "/"


def test_only_the_operators_managers_decide_its_requests(client, db):
    operator = OrganisationFactory(name="Op A", website="https://op-a.test")
    user = UserFactory(email="n@op-a.test")
    request = MembershipRequest.objects.create(user=user, organisation=operator, matched_by="x")
    other_manager = MembershipFactory(manager=True)
    client.force_login(other_manager.user)
    assert "n@op-a.test" not in client.get("/espace/membres/demandes/").content.decode()
    client.post(f"/espace/membres/demandes/{request.pk}/", {"decision": "approve"})
    assert not Membership.objects.filter(user=user).exists()
    counsellor = MembershipFactory(organisation=operator)
    client.force_login(counsellor.user)
    assert client.get("/espace/membres/demandes/").status_code == 403
    assert (
        client.post(f"/espace/membres/demandes/{request.pk}/", {"decision": "approve"}).status_code
        == 403
    )
    request.refresh_from_db()
    assert request.status == "pending"


def test_a_refused_request_leaves_the_person_outside(client, db):
    operator = OrganisationFactory(name="Op B")
    manager = MembershipFactory(organisation=operator, manager=True)
    request = MembershipRequest.objects.create(
        user=UserFactory(email="r@op-b.test"), organisation=operator, matched_by="email_domain"
    )
    client.force_login(manager.user)
    client.post(f"/espace/membres/demandes/{request.pk}/", {"decision": "refuse"})
    request.refresh_from_db()
    assert request.status == "refused"
    assert not Membership.objects.filter(user=request.user).exists()
    assert AuditEntry.objects.filter(action="accounts.membership_request.refused").exists()

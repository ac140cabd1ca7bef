"""Daily work on referrals: "Orienter ailleurs" after a refusal or an expiry, an offer of the
receiving operator, the search by number, and the department and employer as choices."""

import pytest
from django.urls import reverse

from maillage.core.errors import DomainError
from maillage.partners.models import ServiceOffer
from maillage.referrals.enums import Status
from maillage.referrals.models import Referral
from tests.factories import MembershipFactory, OrganisationFactory
from tests.referrals import factories
from tests.referrals.test_pages import CREATE_FORM

pytestmark = pytest.mark.django_db


@pytest.fixture
def third():
    return OrganisationFactory(name="Troisième test", slug="troisieme-test")


@pytest.fixture
def refused(sender, receiver):
    referral = factories.send(sender, receiver, first_name="Inès", last_name="Benali")
    return factories.walk(referral, sender, receiver, Status.REFUSED)


def _offer(organisation, title="Bilan de compétences"):
    return ServiceOffer.objects.create(organisation=organisation, title=title)


def test_the_sender_of_a_refused_referral_gets_orienter_ailleurs(client, refused, sender, third):
    client.force_login(sender.user)
    html = client.get(refused.get_absolute_url()).content.decode()
    assert "Orienter ailleurs" in html
    assert f'value="{third.slug}"' in html
    # Not the receiver that refused it, not the sender itself.
    assert 'id="refocus-to"' in html
    options = html.split('id="refocus-to"')[1].split("</select>")[0]
    assert "cap-test" not in options and "pole-test" not in options


def test_the_receiver_and_an_open_referral_get_no_orienter_ailleurs(
    client, refused, referral, sender, receiver
):
    client.force_login(receiver.user)
    assert "refocus-to" not in client.get(refused.get_absolute_url()).content.decode()
    client.force_login(sender.user)
    assert "refocus-to" not in client.get(referral.get_absolute_url()).content.decode()
    url = reverse("referrals:create") + f"?depuis={referral.pk}"
    assert client.get(url).status_code == 403


def test_the_form_is_prefilled_and_asks_the_consent_again_for_the_new_operator(
    client, refused, sender, third
):
    client.force_login(sender.user)
    url = reverse("referrals:create") + f"?depuis={refused.pk}&to={third.slug}"
    html = client.get(url).content.decode()
    assert 'value="Inès"' in html and 'value="Benali"' in html
    assert "Faire le point sur son projet." in html
    assert '<option value="93" selected>' in html
    assert "La personne accepte d&#x27;être orientée vers Troisième test" in html
    consent = html.split('name="consent_given"')[0].rsplit("<input", 1)[1]
    assert "checked" not in consent
    assert f'name="depuis" value="{refused.pk}"' in html


def test_sending_it_links_both_referrals_and_both_pages_show_it(
    client, refused, sender, receiver, third
):
    client.force_login(sender.user)
    form = {**CREATE_FORM, "to": third.slug, "depuis": refused.pk, "first_name": "Inès"}
    form["last_name"] = "Benali"
    response = client.post(reverse("referrals:create"), form)
    assert response.status_code == 302
    new = Referral.objects.get(receiver_organisation=third)
    assert new.previous == refused
    assert new.consent_operators == [third.slug]
    html = client.get(new.get_absolute_url()).content.decode()
    assert f"orientation n° {refused.pk}</a>" in html
    html = client.get(refused.get_absolute_url()).content.decode()
    assert f"orientation n° {new.pk}</a>" in html and "Troisième test" in html
    # The operator that refused is not told where the person went next: the new referral is
    # none of its business (scoping keeps it out of its reads).
    client.force_login(receiver.user)
    html = client.get(refused.get_absolute_url()).content.decode()
    assert f"orientation n° {new.pk}</a>" not in html and "Troisième test" not in html


def test_the_new_consent_is_required(client, refused, sender, third):
    client.force_login(sender.user)
    form = {**CREATE_FORM, "to": third.slug, "depuis": refused.pk, "consent_given": ""}
    response = client.post(reverse("referrals:create"), form)
    assert response.status_code == 400
    assert not Referral.objects.filter(previous=refused).exists()


def test_an_expired_referral_may_be_redirected_too(sender, receiver, third):
    expired = factories.walk(factories.send(sender, receiver), sender, receiver, Status.EXPIRED)
    new = factories.send(sender, MembershipFactory(organisation=third), previous=expired)
    assert new.previous == expired


def test_an_open_referral_or_the_same_operator_is_refused(sender, receiver, refused, referral):
    with pytest.raises(DomainError, match="refusée ou expirée"):
        factories.send(sender, receiver, previous=referral)
    with pytest.raises(DomainError, match="a déjà eu cette orientation"):
        factories.send(sender, receiver, previous=refused)


def test_another_operators_referral_cannot_be_the_previous_one(refused, stranger, third):
    with pytest.raises(DomainError, match="que vous avez envoyée"):
        factories.send(stranger, MembershipFactory(organisation=third), previous=refused)


def test_an_offer_of_the_receiver_is_kept_and_shown_to_both_sides(client, sender, receiver):
    offer = _offer(receiver.organisation)
    referral = factories.send(sender, receiver, offer=offer.pk)
    assert referral.offer == offer
    for membership in (sender, receiver):
        client.force_login(membership.user)
        html = client.get(referral.get_absolute_url()).content.decode()
        assert "Offre demandée : <strong>Bilan de compétences</strong>" in html


def test_an_offer_of_another_operator_is_refused(sender, receiver, third):
    with pytest.raises(DomainError, match="n'est pas une offre de Cap test") as exc:
        factories.send(sender, receiver, offer=_offer(third).pk)
    assert exc.value.field == "offer"
    inactive = _offer(receiver.organisation, "Ancienne offre")
    inactive.is_active = False
    inactive.save()
    with pytest.raises(DomainError, match="n'est pas une offre"):
        factories.send(sender, receiver, offer=inactive.pk)


def test_the_api_sends_to_an_offer_and_shows_it(api, sender, receiver, third):
    offer = _offer(receiver.organisation)
    body = {
        "to": "cap-test",
        "person": {"first_name": "Léa", "last_name": "Martin", "email": "lea@exemple.fr"},
        "profile": {"department": "93", "status": "job_seeker"},
        "need": "Un bilan.",
        "consent": {"given": True, "method": "phone"},
        "offer": offer.pk,
    }
    created = api(sender).post("/referrals", body)
    assert created.status_code == 201
    detail = api(receiver).get(f"/referrals/{created.json()['id']}").json()
    assert detail["offer"] == {"id": offer.pk, "title": "Bilan de compétences"}
    wrong = api(sender).post("/referrals", {**body, "offer": _offer(third).pk})
    assert wrong.status_code == 422 or wrong.status_code == 400
    assert "n'est pas une offre" in wrong.content.decode()


@pytest.mark.parametrize("term", ["{n}", "n° {n}", "N°{n}", "#{n}", "  {n} "])
def test_the_inbox_finds_a_referral_by_its_number(client, sender, receiver, term):
    wanted = factories.send(sender, receiver, last_name="Cherchée")
    factories.send(sender, receiver, last_name="Autre")
    client.force_login(receiver.user)
    html = client.post(
        reverse("referrals:inbox"), {"q": term.format(n=wanted.pk)}, follow=True
    ).content.decode()
    assert "Cherchée" in html and "Autre" not in html


def test_the_search_by_number_stays_in_the_organisation(client, sender, receiver, stranger):
    elsewhere = factories.send(stranger, receiver, last_name="Ailleurs")
    client.force_login(sender.user)
    html = client.post(
        reverse("referrals:inbox"), {"q": f"n° {elsewhere.pk}", "box": "sent"}, follow=True
    ).content.decode()
    assert "Ailleurs" not in html


def test_the_form_offers_departments_and_employers_as_choices(client, sender, receiver):
    client.force_login(sender.user)
    html = client.get(reverse("referrals:create")).content.decode()
    assert '<select name="department"' in html and '<select name="employer_group"' in html
    response = client.post(reverse("referrals:create"), {**CREATE_FORM, "department": "999"})
    assert response.status_code == 400
    assert not Referral.objects.exists()

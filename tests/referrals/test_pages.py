"""The referral pages: inboxes, one referral, sending; another organisation gets 404 everywhere."""

import pytest
from django.urls import reverse

from maillage.core.models import AuditEntry
from maillage.referrals.enums import Status
from maillage.referrals.models import Referral
from tests.factories import MembershipFactory
from tests.referrals import factories

pytestmark = pytest.mark.django_db

CREATE_FORM = {
    "to": "cap-test",
    "department": "93",
    "status": "job_seeker",
    "first_name": "Inès",
    "last_name": "Benali",
    "email": "ines@exemple.fr",
    "need": "Trouver une formation.",
    "consent_given": "on",
    "consent_method": "in_person",
}


def _login(client, membership):
    client.force_login(membership.user)
    return client


def test_the_create_page_is_prefilled_from_the_routing_link(client, sender, receiver):
    _login(client, sender)
    url = (
        reverse("referrals:create") + "?department=93&status=job_seeker&disability=oui&to=cap-test"
    )
    html = client.get(url).content.decode()
    assert 'value="93"' in html
    assert '<option value="cap-test" selected>' in html
    assert "Opérateur compétent" in html and "(règle R2)" in html


def test_sending_from_the_page_records_consent_and_goes_to_the_referral(client, sender, receiver):
    _login(client, sender)
    response = client.post(reverse("referrals:create"), CREATE_FORM)
    referral = Referral.objects.get()
    assert response.status_code == 302 and response["Location"] == referral.get_absolute_url()
    assert referral.consent_method == "in_person" and referral.consent_operators == ["cap-test"]


def test_no_consent_no_referral_on_the_page(client, sender, receiver):
    _login(client, sender)
    form = {**CREATE_FORM, "consent_given": ""}
    response = client.post(reverse("referrals:create"), form)
    assert response.status_code == 400
    assert "Sans le consentement de la personne" in response.content.decode()
    assert not Referral.objects.exists()


def test_duplicate_warning_says_only_operator_and_date_then_lets_go_on(client, sender, receiver):
    factories.send(sender, receiver, first_name="Inès", last_name="Benali", email="ines@exemple.fr")
    other_sender = MembershipFactory(organisation=factories._third_operator())
    _login(client, other_sender)
    form = {**CREATE_FORM, "email": "INES@exemple.fr ", "first_name": "Ines"}
    response = client.post(reverse("referrals:create"), form)
    html = response.content.decode()
    assert response.status_code == 409
    assert "une orientation vers Cap test est ouverte depuis le" in html
    assert "Pôle test" not in html.split("Attention")[1].split("</p>")[0]
    response = client.post(reverse("referrals:create"), {**form, "duplicate_reason": "Urgent"})
    assert response.status_code == 302
    assert Referral.objects.count() == 2


def test_the_receiver_opens_accepts_and_the_sender_sees_it(client, referral, sender, receiver):
    _login(client, receiver)
    page = client.get(referral.get_absolute_url())
    assert page.status_code == 200
    referral.refresh_from_db()
    assert referral.status == Status.RECEIVED
    client.post(reverse("referrals:transition", args=[referral.pk]), {"action": "accept"})
    _login(client, sender)
    html = client.get(referral.get_absolute_url()).content.decode()
    assert "Acceptée" in html and "Reçue" in html


def test_a_wrong_side_action_on_the_page_is_403_and_a_wrong_state_409(
    client, referral, sender, receiver
):
    _login(client, sender)
    url = reverse("referrals:transition", args=[referral.pk])
    response = client.post(url, {"action": "accept"})
    assert response.status_code == 403
    assert "Seul l&#x27;opérateur qui reçoit" in response.content.decode()
    factories.walk(referral, sender, receiver, Status.ACCEPTED)
    response = client.post(url, {"action": "cancel"})
    assert response.status_code == 409
    assert "déjà été acceptée" in response.content.decode()


def test_every_referral_page_is_404_for_another_organisation(client, referral, stranger):
    stranger_manager = MembershipFactory(organisation=stranger.organisation, manager=True)
    _login(client, stranger_manager)
    pk = referral.pk
    assert client.get(reverse("referrals:detail", args=[pk])).status_code == 404
    assert client.get(reverse("referrals:access_request", args=[pk])).status_code == 404
    for name, data in [
        ("referrals:transition", {"action": "accept"}),
        ("referrals:assign", {"assignee": stranger_manager.user_id}),
        ("referrals:message", {"body": "Bonjour"}),
    ]:
        assert client.post(reverse(name, args=[pk]), data).status_code == 404
    referral.refresh_from_db()
    assert referral.status == Status.SENT and not referral.messages.exists()
    assert not AuditEntry.objects.filter(action="referrals.referral.read").exists()


def test_inbox_lists_received_and_sent_boxes(client, sender, receiver, stranger):
    mine = factories.send(sender, receiver, first_name="Alice", last_name="Martin")
    factories.send(stranger, receiver, first_name="Bruno", last_name="Noir")
    _login(client, sender)
    sent = client.get(reverse("referrals:inbox") + "?box=sent").content.decode()
    assert "Alice Martin" in sent and "Bruno Noir" not in sent
    _login(client, receiver)
    received = client.get(reverse("referrals:inbox")).content.decode()
    assert "Alice Martin" in received and "Bruno Noir" in received
    assert mine.get_absolute_url() in received


def test_inbox_filters_search_and_sort(client, sender, receiver, stranger):
    factories.send(sender, receiver, first_name="Élodie", last_name="Fabre")
    factories.send(stranger, receiver, first_name="Bruno", last_name="Noir")
    refused = factories.send(sender, receiver, first_name="Chloé", last_name="Zidane")
    factories.walk(refused, sender, receiver, Status.REFUSED)
    _login(client, receiver)
    url = reverse("referrals:inbox")
    # The name is POSTed (never in a URL); the redirect shows the results.
    html = client.post(url, {"q": "elodie fab"}, follow=True).content.decode()
    assert "Élodie Fabre" in html and "Bruno Noir" not in html
    html = client.get(url, {"status": "refused"}).content.decode()
    assert "Chloé Zidane" in html and "Élodie Fabre" not in html
    html = client.get(url, {"operator": "autre-test"}).content.decode()
    assert "Bruno Noir" in html and "Élodie Fabre" not in html
    html = client.get(url, {"sort": "name"}).content.decode()
    assert html.index("Élodie Fabre") < html.index("Bruno Noir") < html.index("Chloé Zidane")


def test_all_box_is_for_managers_only(client, sender, receiver, receiver_manager):
    _login(client, receiver)
    assert client.get(reverse("referrals:inbox"), {"box": "all"}).status_code == 403
    _login(client, receiver_manager)
    assert client.get(reverse("referrals:inbox"), {"box": "all"}).status_code == 200


@pytest.mark.parametrize("count", [3, 40])
def test_inbox_queries_are_bounded_whatever_the_page_size(
    client, sender, receiver, django_assert_max_num_queries, count
):
    from tests.factories import UserFactory

    for _ in range(count):
        factories.send(sender, receiver)
    Referral.objects.update(assigned_to=UserFactory())
    _login(client, receiver)
    searched = client.post(reverse("referrals:inbox"), {"per_page": 100, "q": "mar"})
    with django_assert_max_num_queries(10):
        response = client.get(searched["Location"])
    assert response.status_code == 200
    assert response.content.decode().count("/orientations/") >= count


def test_pagination_splits_pages(client, sender, receiver):
    for _ in range(12):
        factories.send(sender, receiver)
    _login(client, receiver)
    page2 = client.get(reverse("referrals:inbox"), {"per_page": 10, "page": 2}).content.decode()
    assert "Page 2 sur 2" in page2
    assert page2.count('<td><a href="/orientations/') == 2


def test_the_count_stops_at_the_cap_and_says_so(client, sender, receiver, monkeypatch):
    from maillage.referrals.views import inbox as inbox_view

    monkeypatch.setattr(inbox_view, "COUNT_CAP", 3)
    for _ in range(5):
        factories.send(sender, receiver)
    _login(client, receiver)
    html = client.get(reverse("referrals:inbox"), {"per_page": 10}).content.decode()
    assert "Plus de 3 orientations" in html
    assert html.count('<td><a href="/orientations/') == 4  # one page of the capped count


def test_assign_and_messages_from_the_page(client, referral, receiver, sender):
    colleague = MembershipFactory(organisation=receiver.organisation, user__email="x@cap-test.fr")
    _login(client, receiver)
    client.post(reverse("referrals:assign", args=[referral.pk]), {"assignee": colleague.user_id})
    client.post(
        reverse("referrals:message", args=[referral.pk]), {"body": "Secret maison", "internal": "1"}
    )
    client.post(reverse("referrals:message", args=[referral.pk]), {"body": "Bonjour !"})
    referral.refresh_from_db()
    assert referral.assigned_to == colleague.user
    bad = client.post(reverse("referrals:assign", args=[referral.pk]), {"assignee": "abc"})
    assert bad.status_code == 400
    _login(client, sender)
    html = client.get(referral.get_absolute_url()).content.decode()
    assert "Bonjour !" in html and "Secret maison" not in html

"""The receiver's email link: one referral, without an account, for a limited time."""

import re
from datetime import date, timedelta
from html import unescape
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from maillage.core.models import AuditEntry
from maillage.referrals.enums import Status
from maillage.referrals.models import AccessLink, LinkKind
from tests.factories import OrganisationFactory
from tests.referrals import factories

pytestmark = pytest.mark.django_db


def _links_in(mailoutbox, subject_part):
    found = []
    for message in mailoutbox:
        if subject_part in message.subject:
            found += re.findall(r"https?://\S+/orientations/\d+/lien/\S+/", message.body)
    return [urlsplit(url).path for url in found]


@pytest.fixture
def emailed_link(sender, receiver, run_worker, mailoutbox):
    referral = factories.send(sender, receiver)
    run_worker()
    paths = _links_in(mailoutbox, "Nouvelle orientation reçue")
    assert len(paths) == 1
    return referral, paths[0]


def test_the_new_referral_email_carries_a_link_valid_eight_days(emailed_link, mailoutbox):
    referral, path = emailed_link
    message = next(m for m in mailoutbox if "Nouvelle orientation reçue" in m.subject)
    assert "valable 8 jours" in message.body
    link = AccessLink.objects.get(referral=referral, kind=LinkKind.RECEIVER)
    assert link.expires_at - link.created_at == timedelta(days=8)
    assert path.startswith(f"/orientations/{referral.pk}/lien/")


def test_an_operator_without_members_gets_the_link_at_its_sites(sender, run_worker, mailoutbox):
    from maillage.partners.models import Department, Site

    lonely = OrganisationFactory(name="Sans compte", slug="sans-compte")
    department = Department.objects.create(
        code="93", name="Seine-Saint-Denis", region_code="11", region_name="IDF"
    )
    Site.objects.create(
        organisation=lonely, name="Accueil", department=department, email="accueil@sans.test"
    )
    factories.send(sender, type("M", (), {"organisation": lonely})())
    run_worker()
    message = next(m for m in mailoutbox if "Nouvelle orientation reçue" in m.subject)
    assert message.to == ["accueil@sans.test"]


def test_a_receiver_without_account_accepts_and_closes_from_the_link(client, emailed_link, sender):
    referral, path = emailed_link
    page = client.get(path)
    assert page.status_code == 200
    text = page.content.decode()
    assert referral.first_name in text and "Accepter l'orientation" in text
    assert "Gagnez du temps la prochaine fois" in text  # invited after the first use
    referral.refresh_from_db()
    assert referral.status == Status.RECEIVED
    assert client.post(path, {"action": "accept"}).status_code == 302
    client.post(path, {"action": "start", "first_appointment_on": date.today().isoformat()})
    client.post(path, {"action": "close", "outcome": "project_defined", "message": "Bien."})
    referral.refresh_from_db()
    assert referral.status == Status.CLOSED
    assert referral.outcome == "project_defined"
    vias = list(referral.transitions.exclude(action="send").values_list("via", flat=True))
    assert vias == ["email_link"] * 4  # receive, accept, start, close
    uses = AuditEntry.objects.filter(action="referrals.link.used", object_id=str(referral.pk))
    assert [u.data["what"] for u in uses.order_by("id")] == ["read", "accept", "start", "close"]
    # The sender's page shows where the answers came from.
    client.force_login(sender.user)
    assert "« par lien e-mail »" in client.get(f"/orientations/{referral.pk}/").content.decode()


def test_a_refusal_from_the_link_needs_a_reason(client, emailed_link):
    referral, path = emailed_link
    response = client.post(path, {"action": "refuse", "reason": ""})
    assert response.status_code == 400
    assert "Choisissez un motif de refus." in unescape(response.content.decode())
    client.post(path, {"action": "refuse", "reason": "outside_public"})
    referral.refresh_from_db()
    assert (referral.status, referral.refusal_reason) == (Status.REFUSED, "outside_public")


def test_the_link_does_not_redirect_or_cancel(client, emailed_link):
    referral, path = emailed_link
    for action in ("redirect", "cancel", "expire"):
        response = client.post(path, {"action": action, "to": "x"})
        assert response.status_code == 403
    referral.refresh_from_db()
    assert referral.status == Status.SENT


def test_the_link_fails_after_its_expiry(client, emailed_link):
    referral, path = emailed_link
    AccessLink.objects.filter(referral=referral).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    response = client.get(path)
    assert response.status_code == 410
    assert "Ce lien a expiré." in unescape(response.content.decode())


def test_the_link_fails_after_the_signature_age(client, emailed_link, settings):
    _referral, path = emailed_link
    settings.MAILLAGE_REFERRAL_LINK_DAYS = 0
    assert "Ce lien a expiré." in unescape(client.get(path).content.decode())


def test_a_manager_of_the_receiver_revokes_the_link(client, emailed_link, receiver_manager):
    referral, path = emailed_link
    link = AccessLink.objects.get(referral=referral, kind=LinkKind.RECEIVER)
    client.force_login(receiver_manager.user)
    page = client.get(f"/orientations/{referral.pk}/").content.decode()
    assert "Désactiver ce lien" in page
    client.post(f"/orientations/{referral.pk}/liens/{link.pk}/desactiver/")
    client.logout()
    response = client.get(path)
    assert response.status_code == 410
    assert "désactivé par l'opérateur" in unescape(response.content.decode())
    assert client.post(path, {"action": "accept"}).status_code == 410
    referral.refresh_from_db()
    assert referral.status != Status.ACCEPTED
    assert AuditEntry.objects.filter(action="referrals.link.revoked").exists()


def test_a_counsellor_or_another_operator_cannot_revoke(client, emailed_link, receiver, sender):
    referral, _path = emailed_link
    link = AccessLink.objects.get(referral=referral, kind=LinkKind.RECEIVER)
    client.force_login(receiver.user)  # a counsellor, not a manager
    assert (
        client.post(f"/orientations/{referral.pk}/liens/{link.pk}/desactiver/").status_code == 403
    )
    from tests.factories import MembershipFactory

    client.force_login(MembershipFactory(organisation=sender.organisation, manager=True).user)
    client.post(f"/orientations/{referral.pk}/liens/{link.pk}/desactiver/")
    link.refresh_from_db()
    assert link.revoked_at is None


def test_the_link_opens_no_other_referral(client, emailed_link, sender, receiver):
    referral, path = emailed_link
    other = factories.send(sender, receiver)
    token = path.rstrip("/").rsplit("/", 1)[1]
    for url in (
        f"/orientations/{other.pk}/lien/{token}/",
        f"/orientations/{referral.pk + 1000}/lien/{token}/",
        f"/orientations/{referral.pk}/lien/{token[:-3]}abc/",
        f"/orientations/{referral.pk}/lien/n-importe-quoi/",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Ce lien n'est pas valide" in unescape(response.content.decode())
        assert other.first_name not in unescape(response.content.decode())


def test_a_person_link_does_not_open_the_receiver_page(
    client, sender, receiver, run_worker, mailoutbox
):
    referral = factories.send(sender, receiver)
    run_worker()
    person_path = next(
        urlsplit(u).path
        for m in mailoutbox
        for u in re.findall(r"https?://\S+/mon-orientation/\S+/", m.body)
    )
    token = person_path.rstrip("/").rsplit("/", 1)[1]
    assert client.get(f"/orientations/{referral.pk}/lien/{token}/").status_code == 404

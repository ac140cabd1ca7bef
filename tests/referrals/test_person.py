"""The person's own link: told on send, status in plain French, their rights, nothing else."""

import json
import re
from datetime import date, timedelta
from html import unescape
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from maillage.core import sms
from maillage.core.models import AuditEntry
from maillage.core.signing import make_token
from maillage.referrals import services
from maillage.referrals.enums import Status
from maillage.referrals.links import PERSON_PURPOSE, RECEIVER_PURPOSE
from maillage.referrals.models import AccessLink, LinkKind, PersonNotice, Referral
from tests.factories import OrganisationFactory
from tests.referrals import factories

pytestmark = pytest.mark.django_db


def _text(response):
    return unescape(response.content.decode())


def _person_path(mailoutbox, email):
    for message in mailoutbox:
        if message.to == [email]:
            urls = re.findall(r"https?://\S+/mon-orientation/\S+/", message.body)
            if urls:
                return urlsplit(urls[0]).path
    raise AssertionError(f"aucun lien envoyé à {email}")


@pytest.fixture
def person(sender, receiver, run_worker, mailoutbox):
    referral = factories.send(sender, receiver, email="lea@exemple.fr", first_name="Léa")
    run_worker()
    return referral, _person_path(mailoutbox, "lea@exemple.fr")


def _act(referral, membership, action, **kwargs):
    services.referral_transition(
        actor=membership.user,
        organisation=membership.organisation,
        referral_id=referral.pk,
        action=action,
        **kwargs,
    )


def test_the_person_is_emailed_who_will_contact_them_and_their_link(person, mailoutbox, receiver):
    referral, path = person
    message = next(m for m in mailoutbox if m.to == ["lea@exemple.fr"])
    assert f"{receiver.organisation.name} va vous contacter" in message.body
    assert path.startswith("/mon-orientation/")
    notice = PersonNotice.objects.get(referral=referral)
    assert notice.channel == "email"


def test_the_referral_page_records_the_message_to_the_person(client, person, sender):
    referral, _path = person
    client.force_login(sender.user)
    page = _text(client.get(f"/orientations/{referral.pk}/"))
    assert "Messages à la personne" in page and "va vous contacter" in page


def test_a_person_with_only_a_phone_gets_a_text_through_the_worker(sender, receiver, run_worker):
    sms.SENT.clear()
    only_phone = services.referral_send(
        actor=sender.user,
        organisation=sender.organisation,
        to=receiver.organisation.slug,
        person={"first_name": "Sam", "last_name": "Tel", "phone": "0612345678"},
        profile=factories.PROFILE,
        need="Reconversion.",
        consent={"given": True, "method": "phone"},
    )
    assert sms.SENT == []  # nothing leaves before the worker runs
    run_worker()
    assert len(sms.SENT) == 1
    to, body = sms.SENT[0]
    assert to == "0612345678" and "/mon-orientation/" in body
    notice = PersonNotice.objects.get(referral=only_phone)
    assert notice.channel == "sms" and notice.sent_at and notice.body == ""


def test_not_contacting_the_person_needs_a_recorded_reason(
    client, sender, receiver, mailoutbox, run_worker
):
    from maillage.core.errors import DomainError

    with pytest.raises(DomainError) as refused:
        factories.send(sender, receiver, contact_person=False)
    assert refused.value.field == "no_contact_reason"
    referral = factories.send(
        sender,
        receiver,
        email="discret@exemple.fr",
        contact_person=False,
        no_contact_reason="Violences conjugales : ne rien envoyer au domicile.",
    )
    run_worker()
    assert not [m for m in mailoutbox if m.to == ["discret@exemple.fr"]]
    assert not AccessLink.objects.filter(referral=referral, kind=LinkKind.PERSON).exists()
    client.force_login(sender.user)
    assert "Violences conjugales" in _text(client.get(f"/orientations/{referral.pk}/"))
    entry = AuditEntry.objects.get(action="referrals.referral.sent", object_id=str(referral.pk))
    assert entry.data["no_contact_reason"].startswith("Violences")


def test_the_form_says_what_the_person_will_receive(client, sender):
    client.force_login(sender.user)
    page = _text(client.get("/orientations/nouvelle/"))
    assert "Ce que la personne recevra" in page
    assert "Ne pas contacter la personne" in page


def test_the_status_follows_each_transition(client, person, receiver):
    referral, path = person
    assert "Envoyée à" in _text(client.get(path))
    _act(referral, receiver, "accept")
    page = _text(client.get(path))
    assert "Acceptée par" in page and "État : <strong>Acceptée</strong>" in page
    _act(referral, receiver, "start", first_appointment_on=date.today())
    assert f"Premier rendez-vous le {date.today():%d/%m/%Y}" in _text(client.get(path))
    _act(referral, receiver, "close", outcome="advice_given")
    page = _text(client.get(path))
    assert "Clôturée" in page and "Retirer mon consentement" not in page


def test_the_page_shows_who_holds_the_data_and_nothing_internal(client, person, sender, receiver):
    referral, path = person
    services.referral_message_post(
        actor=receiver.user,
        organisation=receiver.organisation,
        referral_id=referral.pk,
        body="NOTE-INTERNE-SECRETE",
        internal=True,
    )
    services.referral_message_post(
        actor=sender.user,
        organisation=sender.organisation,
        referral_id=referral.pk,
        body="MESSAGE-ENTRE-OPERATEURS",
    )
    page = _text(client.get(path))
    assert sender.organisation.name in page and receiver.organisation.name in page
    assert "NOTE-INTERNE-SECRETE" not in page
    assert "MESSAGE-ENTRE-OPERATEURS" not in page
    assert referral.need not in page
    assert sender.user.email not in page and receiver.user.email not in page


def test_withdrawing_consent_cancels_and_both_operators_see_why(
    client, person, sender, receiver, run_worker, mailoutbox
):
    referral, path = person
    _act(referral, receiver, "accept")
    mailoutbox.clear()
    response = client.post(path, {"what": "withdraw"})
    assert "Cochez la case" in _text(response)
    client.post(path, {"what": "withdraw", "confirm": "1"})
    referral.refresh_from_db()
    assert referral.status == Status.CANCELLED and referral.ended_at
    last = referral.transitions.last()
    assert (last.side, last.reason, last.via) == ("person", "consent_withdrawn", "person_link")
    run_worker()
    told = {
        address for m in mailoutbox if "retrait du consentement" in m.subject for address in m.to
    }
    assert {sender.user.email, receiver.user.email} <= told
    for member in (sender, receiver):
        client.force_login(member.user)
        assert "retrait du consentement" in _text(client.get(f"/orientations/{referral.pk}/"))
    client.logout()
    assert "vous avez retiré votre consentement" in _text(client.get(path))
    assert AuditEntry.objects.filter(action="referrals.person.consent_withdrawn").exists()
    # Twice: a clear answer, nothing changes.
    assert "déjà terminée" in _text(client.post(path, {"what": "withdraw", "confirm": "1"}))


def test_the_data_request_emails_the_export_to_the_person_only(
    client, person, run_worker, mailoutbox
):
    referral, path = person
    mailoutbox.clear()
    response = client.post(path, {"what": "data"}, follow=True)
    page = _text(response)
    assert "vos données vous sont envoyées par e-mail" in page
    assert referral.need not in page
    run_worker()
    (message,) = [m for m in mailoutbox if m.subject == "Vos données dans Maillage"]
    assert message.to == ["lea@exemple.fr"]
    (_name, content, mimetype) = message.attachments[0]
    export = json.loads(content)
    assert mimetype == "application/json"
    assert {o["organisation"] for o in export["operators"]} == {
        referral.sender_organisation.name,
        referral.receiver_organisation.name,
    }
    assert export["operators"][0]["referrals"][0]["need"] == referral.need
    assert AuditEntry.objects.filter(action="referrals.person.data_requested").exists()


def test_without_an_email_the_data_is_asked_from_the_operators(
    client, sender, receiver, run_worker
):
    from maillage.referrals.links import person_link_create

    referral = services.referral_send(
        actor=sender.user,
        organisation=sender.organisation,
        to=receiver.organisation.slug,
        person={"first_name": "Sam", "last_name": "Tel", "phone": "0612345678"},
        profile=factories.PROFILE,
        need="Reconversion.",
        consent={"given": True, "method": "phone"},
    )
    _link, url = person_link_create(referral=referral)
    response = client.post(urlsplit(url).path, {"what": "data"})
    assert response.status_code == 400
    assert "Aucune adresse e-mail n'est connue" in _text(response)


def test_the_person_asks_for_another_operator_among_the_alternatives(
    client, person, sender, run_worker, mailoutbox
):
    referral, path = person
    other = OrganisationFactory(name="Autre choix", slug="autre-choix")
    Referral.objects.filter(pk=referral.pk).update(
        decision={"primary": referral.receiver_organisation.slug, "alternatives": ["autre-choix"]}
    )
    page = _text(client.get(path))
    assert "Autre choix" in page
    bad = client.post(path, {"what": "operator", "operator": "inconnu"})
    assert "Choisissez un des opérateurs proposés." in _text(bad)
    mailoutbox.clear()
    client.post(path, {"what": "operator", "operator": other.slug})
    run_worker()
    asked = [m for m in mailoutbox if "demande un autre opérateur" in m.subject]
    assert asked and asked[0].to == [sender.user.email]
    assert "Autre choix" in asked[0].body


def test_forged_and_swapped_tokens_open_nothing(
    client, person, sender, receiver, run_worker, mailoutbox
):
    referral, path = person
    other = factories.send(sender, receiver, email="autre@exemple.fr", first_name="Zoé")
    run_worker()
    other_path = _person_path(mailoutbox, "autre@exemple.fr")
    token = path.rstrip("/").rsplit("/", 1)[1]
    other_token = other_path.rstrip("/").rsplit("/", 1)[1]
    my_link = AccessLink.objects.get(referral=referral, kind=LinkKind.PERSON)
    other_link = AccessLink.objects.get(referral=other, kind=LinkKind.PERSON)
    receiver_link = AccessLink.objects.get(referral=referral, kind=LinkKind.RECEIVER)
    forged = [
        token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB"),  # bad signature
        token.split(":")[0] + ":" + other_token.split(":", 1)[1],  # payload of one, seal of other
        "eyJsIjoxLCJyIjoxfQ:abc:def",  # hand-made
        make_token({"l": my_link.pk, "r": other.pk}, purpose=PERSON_PURPOSE),  # ids swapped
        make_token({"l": other_link.pk, "r": referral.pk}, purpose=PERSON_PURPOSE),
        make_token({"l": receiver_link.pk, "r": referral.pk}, purpose=PERSON_PURPOSE),
        make_token({"l": my_link.pk, "r": referral.pk, "o": 1}, purpose=RECEIVER_PURPOSE),
        make_token(referral.pk, purpose=PERSON_PURPOSE),
    ]
    for bad in forged:
        response = client.get(f"/mon-orientation/{bad}/")
        assert response.status_code == 404, bad
        assert "Zoé" not in _text(response) and "Léa" not in _text(response)
        assert (
            client.post(
                f"/mon-orientation/{bad}/", {"what": "withdraw", "confirm": "1"}
            ).status_code
            == 404
        )
    referral.refresh_from_db()
    assert referral.status == Status.SENT
    # Each genuine link shows its own referral only.
    assert "Zoé" not in _text(client.get(path))


def test_a_revoked_or_outlived_link_fails(client, person, settings):
    referral, path = person
    AccessLink.objects.filter(referral=referral, kind=LinkKind.PERSON).update(
        revoked_at=timezone.now()
    )
    assert client.get(path).status_code == 410
    AccessLink.objects.filter(referral=referral).update(revoked_at=None)
    Referral.objects.filter(pk=referral.pk).update(
        status=Status.CLOSED,
        outcome="advice_given",
        accepted_at=timezone.now(),
        ended_at=timezone.now()
        - timedelta(days=30 * settings.MAILLAGE_REFERRAL_RETENTION_MONTHS + 1),
    )
    response = client.get(path)
    assert response.status_code == 410 and "Ce lien a expiré." in _text(response)


def test_the_link_stays_open_during_the_retention_period(client, person):
    referral, path = person
    Referral.objects.filter(pk=referral.pk).update(
        status=Status.CLOSED,
        outcome="advice_given",
        accepted_at=timezone.now(),
        ended_at=timezone.now() - timedelta(days=200),
    )
    assert client.get(path).status_code == 200


def test_the_person_page_is_rate_limited(client, person, settings):
    _referral, path = person
    settings.MAILLAGE_RATELIMITS = {**settings.MAILLAGE_RATELIMITS, "person_link": "3/m"}
    codes = [client.get(path).status_code for _ in range(3)]
    assert codes == [200, 200, 200]
    response = client.get(path)
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert "Trop de demandes" in _text(response)
    # Guessing tokens counts too.
    assert client.get("/mon-orientation/devine/").status_code == 429

"""Referral emails: plain French text, one email per fact, the receiver's words reach the sender."""

from datetime import date

import pytest

from maillage.referrals import services
from maillage.referrals.enums import Action
from tests.referrals import factories

pytestmark = pytest.mark.django_db


def _mails(mailoutbox, to, word):
    return [m for m in mailoutbox if m.to == [to] and word in m.subject]


def test_the_received_email_goes_once_however_often_the_receiver_opens_it(
    client, sender, receiver, run_worker, mailoutbox
):
    referral = factories.send(sender, receiver, first_name="Zoé", last_name="L'Hermite")
    client.force_login(receiver.user)
    for _ in range(3):
        assert client.get(referral.get_absolute_url()).status_code == 200
    run_worker()
    received = _mails(mailoutbox, sender.user.email, "reçue")
    assert len(received) == 1, [m.subject for m in mailoutbox]
    # A second reading through the service (an API read, a race) does not report it again.
    referral.refresh_from_db()
    services.referral_read(
        actor=receiver.user, organisation=receiver.organisation, referral=referral
    )
    run_worker()
    assert len(_mails(mailoutbox, sender.user.email, "reçue")) == 1


def test_the_closing_email_carries_the_receivers_message_in_plain_text(
    sender, receiver, run_worker, mailoutbox, settings
):
    referral = factories.walk(factories.send(sender, receiver), sender, receiver, "in_progress")
    services.referral_transition(
        actor=receiver.user,
        organisation=receiver.organisation,
        referral_id=referral.pk,
        action=Action.CLOSE,
        outcome="advice_given",
        message="L'accompagnement s'est bien passé : projet d'orientation validé.",
    )
    run_worker()
    (closing,) = [m for m in _mails(mailoutbox, sender.user.email, "") if "clôtur" in m.body]
    assert "L'accompagnement s'est bien passé : projet d'orientation validé." in closing.body
    assert "&#x27;" not in closing.body and "&amp;" not in closing.body
    assert f"{settings.SITE_URL}{referral.get_absolute_url()}" in closing.body


def test_the_first_appointment_email_says_the_date_in_french(
    sender, receiver, run_worker, mailoutbox
):
    referral = factories.walk(factories.send(sender, receiver), sender, receiver, "accepted")
    services.referral_transition(
        actor=receiver.user,
        organisation=receiver.organisation,
        referral_id=referral.pk,
        action=Action.START,
        first_appointment_on=date(date.today().year + 1, 6, 1),
    )
    run_worker()
    year = date.today().year + 1
    assert any(f"1er juin {year}" in m.body for m in mailoutbox if m.to == [sender.user.email])

"""Password reset: any spelling of the address finds the account, and the email goes through
the worker, so that an SMTP outage neither breaks the page nor loses the email."""

import socket

import pytest

from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

EMAIL = "conseiller@unagecif.demo"


@pytest.fixture
def post(client, django_capture_on_commit_callbacks):
    """POST as a request does: what it queues on commit is queued when it answers."""

    def do(path, data, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(path, data, **extra)

    return do


def _closed_port():
    """A local port with nothing listening (bound then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_the_reset_request_with_smtp_unreachable_answers_and_the_email_waits_for_the_worker(
    post, settings, mailoutbox, run_worker
):
    MembershipFactory(user__email=EMAIL)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = (
        "127.0.0.1",
        _closed_port(),
        2,
    )
    response = post("/mot-de-passe/oubli/", {"email": EMAIL}, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == "/mot-de-passe/oubli/envoye/"
    # SMTP comes back: the worker delivers the email that was queued during the outage.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    run_worker()
    assert [m.to for m in mailoutbox] == [[EMAIL]]
    assert "/mot-de-passe/nouveau/" in mailoutbox[0].body


@pytest.mark.parametrize("typed", ["CONSEILLER@UNAGECIF.DEMO", " Conseiller@unagecif.demo ", EMAIL])
def test_any_spelling_of_the_address_gets_the_reset_email(post, mailoutbox, run_worker, typed):
    MembershipFactory(user__email=EMAIL)
    post("/mot-de-passe/oubli/", {"email": typed})
    run_worker()
    assert [m.to for m in mailoutbox] == [[EMAIL]]


def test_an_unknown_address_gets_the_same_page_and_no_email(post, mailoutbox, run_worker):
    MembershipFactory(user__email=EMAIL)
    known = post("/mot-de-passe/oubli/", {"email": EMAIL}, follow=True)
    unknown = post("/mot-de-passe/oubli/", {"email": "personne@exemple.fr"}, follow=True)
    assert known.redirect_chain == unknown.redirect_chain
    assert known.content == unknown.content
    run_worker()
    assert len(mailoutbox) == 1

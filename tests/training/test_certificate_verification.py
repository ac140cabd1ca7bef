"""A certificate carries a link to a public page that confirms it, and says nothing more."""

from html import unescape

import pytest

from maillage.core.models import AuditEntry
from maillage.training import certificates
from maillage.training.models import Certificate
from maillage.training.services import sessions as services
from maillage.training.services.certificates import certificate_issue
from tests.factories import MembershipFactory
from tests.pdfcheck import assert_real_tagged_pdf
from tests.training.factories import make_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def attended():
    host = MembershipFactory(manager=True)
    session = make_session(publisher=host, title="Les métiers du numérique")
    member = MembershipFactory(user__first_name="Camille", user__last_name="Dupont-Martin")
    registration = services.enrolment_create(actor=member.user, membership=member, session=session)
    services.attendance_mark(
        actor=host.user, membership=host, session=session, registration=registration, present=True
    )
    registration.refresh_from_db()
    return session, member, registration


def _download(client, session, member):
    client.force_login(member.user)
    response = client.get(f"/espace/formations/{session.pk}/attestation/")
    assert response.status_code == 200
    return response


def test_the_download_issues_one_certificate_with_an_unguessable_token(client, attended):
    session, member, registration = attended
    _download(client, session, member)
    _download(client, session, member)
    certificate = Certificate.objects.get()
    assert certificate.registration == registration
    assert len(certificate.token) >= 40 and str(certificate.pk) != certificate.token
    assert AuditEntry.objects.filter(action="training.certificate.issued").count() == 1


def test_the_pdf_carries_the_verification_address(client, attended, settings):
    session, member, _registration = attended
    response = _download(client, session, member)
    token = Certificate.objects.get().token
    text = assert_real_tagged_pdf(response.content, "Attestation de présence")
    flat = "".join(text.split())
    assert f"{settings.SITE_URL}/attestations/{token}/" in flat


def test_the_public_page_confirms_initials_session_date_and_hours_only(client, attended):
    session, member, registration = attended
    certificate = certificate_issue(actor=member.user, session=session, registration=registration)
    client.logout()
    response = client.get(f"/attestations/{certificate.token}/")
    assert response.status_code == 200
    html = unescape(response.content.decode())
    assert "Attestation de présence vérifiée" in html
    assert "C. D.-M." in html
    assert "Les métiers du numérique" in html
    assert "3 heure(s)" in html
    assert certificates.when_fr(session.event) in html
    # Nothing else about the person: no full name, no address, no organisation.
    for private in ("Camille", "Dupont-Martin", member.user.email, member.organisation.name):
        assert private not in html
    assert response["X-Robots-Tag"] == "noindex"


def test_an_unknown_token_is_a_french_404(client, attended):
    session, member, registration = attended
    certificate_issue(actor=member.user, session=session, registration=registration)
    for token in ("inconnu", "1", "x" * 300):
        response = client.get(f"/attestations/{token}/")
        assert response.status_code == 404
        assert "Cette attestation est introuvable" in unescape(response.content.decode())


def test_the_public_page_is_rate_limited(client, attended, settings):
    session, member, registration = attended
    certificate = certificate_issue(actor=member.user, session=session, registration=registration)
    settings.MAILLAGE_RATELIMITS = {**settings.MAILLAGE_RATELIMITS, "certificate_verify": "3/m"}
    url = f"/attestations/{certificate.token}/"
    assert [client.get(url).status_code for _ in range(3)] == [200, 200, 200]
    response = client.get(url)
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    # Guessing tokens counts in the same budget.
    assert client.get("/attestations/devine/").status_code == 429


def test_initials_keep_compound_names_and_nothing_else():
    assert certificates.initials("Camille", "Dupont-Martin") == "C. D.-M."
    assert certificates.initials("jean-pierre", "de la Fontaine") == "J.-P. D. L. F."
    assert certificates.initials("", "") == "—"

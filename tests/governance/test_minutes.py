"""Minutes: revisions, a warning instead of lost text on concurrent edits, approval freezes."""

from html import unescape

import pytest

from maillage.core.errors import DomainError
from maillage.core.french import date_fr
from maillage.core.models import AuditEntry
from maillage.governance import services
from maillage.governance.enums import MinutesStatus
from tests.governance.factories import SeatFactory
from tests.pdfcheck import assert_real_tagged_pdf

pytestmark = pytest.mark.django_db


def _url(meeting):
    return f"/gouvernance/reunions/{meeting.pk}/compte-rendu/"


def test_each_save_is_a_revision_with_its_author(gov):
    meeting = gov.schedule()
    services.minutes_save(**gov.as_secretary(), meeting=meeting, text="Ouverture.", base_revision=0)
    minutes, _ = services.minutes_save(
        **gov.as_secretary(), meeting=meeting, text="Ouverture.\nBudget voté.", base_revision=1
    )
    assert minutes.revision == 2
    assert [(r.number, r.text) for r in minutes.revisions.all()] == [
        (2, "Ouverture.\nBudget voté."),
        (1, "Ouverture."),
    ]
    assert minutes.revisions.first().author == gov.secretary.user
    assert AuditEntry.objects.filter(action="governance.minutes.saved").count() == 2


def test_a_stale_save_is_refused_and_keeps_both_texts(gov):
    meeting = gov.schedule()
    chair = SeatFactory(committee=gov.committee, chair=True)
    chair_membership = chair.user.memberships.get()
    # Both open the minutes at revision 0; the chair saves first.
    services.minutes_save(
        actor=chair.user,
        membership=chair_membership,
        meeting=meeting,
        text="Texte de la présidence.",
        base_revision=0,
    )
    with pytest.raises(services.MinutesConflict) as caught:
        services.minutes_save(
            **gov.as_secretary(), meeting=meeting, text="Texte du secrétariat.", base_revision=0
        )
    assert caught.value.current.text == "Texte de la présidence."
    assert caught.value.submitted == "Texte du secrétariat."
    assert caught.value.status_code == 409
    meeting.minutes.refresh_from_db()
    assert meeting.minutes.text == "Texte de la présidence." and meeting.minutes.revision == 1


def test_concurrent_edits_on_the_page_warn_and_show_both_texts(client, gov):
    meeting = gov.schedule()
    chair = SeatFactory(committee=gov.committee, chair=True)
    # The secretary opens the form (revision 0)…
    client.force_login(gov.secretary.user)
    form_page = client.get(_url(meeting)).content.decode()
    assert 'name="base_revision" value="0"' in form_page
    # …meanwhile the chair saves from another browser.
    other = client.__class__()
    other.force_login(chair.user)
    assert (
        other.post(
            _url(meeting), {"text": "Version de la présidence", "base_revision": 0}
        ).status_code
        == 302
    )
    # The secretary's save, based on revision 0, is refused with a warning and both texts.
    response = client.post(_url(meeting), {"text": "Version du secrétariat", "base_revision": 0})
    html = unescape(response.content.decode())
    assert response.status_code == 409
    assert "pendant que vous le modifiiez" in html
    assert "Version de la présidence" in html and "Version du secrétariat" in html
    # Her text stays in the textarea and the form now carries the saved revision.
    assert 'name="base_revision" value="1"' in html
    meeting.minutes.refresh_from_db()
    assert meeting.minutes.text == "Version de la présidence"
    # After merging she saves deliberately, and nothing is lost.
    merged = "Version de la présidence\nVersion du secrétariat"
    assert client.post(_url(meeting), {"text": merged, "base_revision": 1}).status_code == 302
    meeting.minutes.refresh_from_db()
    assert meeting.minutes.text == merged and meeting.minutes.revision == 2


def test_approval_happens_at_a_later_meeting_and_freezes_the_minutes(gov):
    first = gov.schedule(days=5)
    services.minutes_save(**gov.as_secretary(), meeting=first, text="Relevé.", base_revision=0)
    with pytest.raises(DomainError, match="réunion suivante"):
        services.minutes_approve(**gov.as_secretary(), minutes=first.minutes, at_meeting=first)
    second = gov.schedule(days=40)
    minutes = services.minutes_approve(
        **gov.as_secretary(), minutes=first.minutes, at_meeting=second
    )
    assert minutes.status == MinutesStatus.APPROVED and minutes.approved_in == second
    with pytest.raises(DomainError, match="figé"):
        services.minutes_save(**gov.as_secretary(), meeting=first, text="Ajout", base_revision=1)


def test_the_next_meetings_agenda_approves_the_previous_minutes(client, gov):
    first = gov.schedule(days=5)
    services.minutes_save(**gov.as_secretary(), meeting=first, text="Relevé.", base_revision=0)
    second = gov.schedule(days=40)
    client.force_login(gov.secretary.user)
    page = unescape(client.get(f"/gouvernance/reunions/{second.pk}/").content.decode())
    assert "Approuver le compte rendu du" in page
    response = client.post(
        f"/gouvernance/reunions/{second.pk}/approuver-compte-rendu/",
        {"minutes_meeting": first.pk},
    )
    assert response.status_code == 302
    first.minutes.refresh_from_db()
    assert first.minutes.is_frozen
    page = unescape(client.get(_url(first)).content.decode())
    assert "il est figé" in page and "<textarea" not in page


def test_empty_minutes_cannot_be_approved(gov):
    first = gov.schedule(days=5)
    second = gov.schedule(days=40)
    with pytest.raises(DomainError, match="vide"):
        services.minutes_approve(**gov.as_secretary(), minutes=first.minutes, at_meeting=second)


def test_the_export_is_a_real_tagged_pdf_holding_the_minutes(client, gov):
    meeting = gov.schedule()
    services.minutes_save(
        **gov.as_secretary(), meeting=meeting, text="Le budget est voté.", base_revision=0
    )
    client.force_login(gov.member.user)
    response = client.get(f"{_url(meeting)}export/")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="compte-rendu-COPIL-')
    text = assert_real_tagged_pdf(
        response.content, "compte rendu", "Le budget est voté.", date_fr(meeting.starts_at)
    )
    assert "n'est pas disponible" not in text


def test_the_print_page_stays_available_as_html(client, gov):
    meeting = gov.schedule()
    services.minutes_save(**gov.as_secretary(), meeting=meeting, text="Relevé.", base_revision=0)
    client.force_login(gov.member.user)
    download = client.get(f"{_url(meeting)}export/?format=html&download=1")
    assert download["Content-Type"].startswith("text/html")
    assert download["Content-Disposition"].endswith('.html"')
    assert "Relevé." in download.content.decode()


def test_the_history_lists_every_revision(client, gov):
    meeting = gov.schedule()
    services.minutes_save(**gov.as_secretary(), meeting=meeting, text="Un.", base_revision=0)
    services.minutes_save(**gov.as_secretary(), meeting=meeting, text="Un. Deux.", base_revision=1)
    client.force_login(gov.member.user)
    html = client.get(f"{_url(meeting)}historique/").content.decode()
    assert "Version 2" in html and "Version 1" in html


def test_a_malformed_approval_request_is_a_404_not_an_error(client, gov):
    meeting = gov.schedule()
    client.force_login(gov.secretary.user)
    url = f"/gouvernance/reunions/{meeting.pk}/approuver-compte-rendu/"
    assert client.post(url, {"minutes_meeting": "abc"}).status_code == 404
    assert client.post(url, {}).status_code == 404

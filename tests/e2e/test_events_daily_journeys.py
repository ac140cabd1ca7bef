"""Events, the organisers' daily work in a browser: check-in on a phone, a cancellation, and
the public seat sentence with seats reserved for an operator."""

from datetime import timedelta

from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from maillage.events import services
from maillage.events.enums import EventKind, EventStatus, RegistrationStatus
from maillage.events.models import Event, EventOrganiser, Registration, SeatQuota
from maillage.partners.models import Organisation

PAGE_WIDTH = "() => document.documentElement.scrollWidth"


def _event(*, starts_in, capacity):
    lead = Organisation.objects.get(slug="faf-tt")
    start = timezone.now() + starts_in
    event = Event.objects.create(
        title="Forum des métiers de la logistique",
        kind=EventKind.FORUM,
        status=EventStatus.PUBLISHED,
        summary="Rencontrer des employeurs et des conseillers.",
        starts_at=start,
        ends_at=start + timedelta(hours=3),
        department_id="93",
        venue="Bourse du travail",
        capacity=capacity,
        lead_organisation=lead,
        published_at=timezone.now(),
    )
    EventOrganiser.objects.create(event=event, organisation=lead, is_lead=True)
    return event


def _register(event, first, last, **extra):
    registration, _ = services.registration_create(
        event=event,
        first_name=first,
        last_name=last,
        email=f"{first.lower()}.{last.lower()}@exemple.fr",
        **extra,
    )
    return registration


def test_check_in_by_name_on_a_phone(demo_site, browser, assert_accessible, sign_in):
    base = demo_site.url
    event = _event(starts_in=timedelta(hours=2), capacity=40)
    for first, last in [
        ("Anna", "Martin"),
        ("Bilal", "Nguyen"),
        ("Chen", "Wang"),
        ("Dora", "Leroy"),
    ]:
        _register(event, first, last)
    # The day has come: the event has just begun, check-in is open.
    start = timezone.now() - timedelta(minutes=5)
    Event.objects.filter(pk=event.pk).update(starts_at=start, ends_at=start + timedelta(hours=3))
    context = browser.new_context(
        locale="fr-FR", viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True
    )
    phone = context.new_page()
    sign_in(phone, base, "responsable@faf-tt.demo")
    phone.goto(f"{base}/espace/evenements/{event.pk}/presences/")
    assert phone.evaluate(PAGE_WIDTH) <= 360
    phone.get_by_label("Nom ou prénom").fill("nguy")
    phone.get_by_role("button", name="Chercher").click()
    expect(phone.get_by_text("1 personne pour « nguy ».")).to_be_visible()
    button = phone.get_by_role("button", name="Présent : Bilal Nguyen")
    expect(button).to_be_visible()
    box = button.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360, box
    assert phone.evaluate(PAGE_WIDTH) <= 360
    assert_accessible(phone)
    button.tap()
    expect(phone.get_by_text("Bilal Nguyen : présent.")).to_be_visible()
    expect(phone.locator("#total-presents")).to_have_text("1")
    assert phone.evaluate(PAGE_WIDTH) <= 360
    assert Registration.objects.get(event=event, last_name="Nguyen").status == (
        RegistrationStatus.ATTENDED
    )
    context.close()


def test_an_organiser_cancels_a_registration_and_the_person_is_told(
    demo_site, page, assert_accessible, sign_in, settings
):
    settings.SITE_URL = demo_site.url
    base = demo_site.url
    event = _event(starts_in=timedelta(days=5), capacity=1)
    _register(event, "Anna", "Martin")
    waiting = _register(event, "Bilal", "Nguyen")
    sign_in(page, base, "responsable@faf-tt.demo")
    page.goto(f"{base}/espace/evenements/{event.pk}/")
    page.get_by_role("link", name="Annuler l'inscription de Anna Martin").click()
    assert_accessible(page)
    page.get_by_label("Message à la personne (facultatif)").fill(
        "Le forum est complet pour votre branche."
    )
    page.get_by_role("button", name="Annuler l'inscription").click()
    expect(page.get_by_text("L'inscription de Anna Martin est annulée")).to_be_visible()
    call_command("worker", "--batch", verbosity=0)
    told = [m for m in mail.outbox if m.subject.startswith("Inscription annulée par")]
    assert [m.to for m in told] == [["anna.martin@exemple.fr"]]
    assert "Le forum est complet pour votre branche." in told[0].body
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.OFFERED


def test_the_public_page_says_which_seats_are_reserved(demo_site, page, assert_accessible):
    base = demo_site.url
    event = _event(starts_in=timedelta(days=5), capacity=3)
    uniformation = Organisation.objects.get(slug="uniformation-idf")
    SeatQuota.objects.create(event=event, organisation=uniformation, seats=1)
    page.goto(f"{base}/evenements/{event.pk}/")
    expect(page.locator("#places")).to_have_text(
        f"2 places ouvertes au public, 1 réservée aux personnes orientées par {uniformation.name}."
    )
    assert_accessible(page)
    _register(event, "Anna", "Martin")
    _register(event, "Bilal", "Nguyen")
    page.reload()
    expect(page.locator("#places")).to_have_text(
        f"Complet pour le public, 1 place réservée aux personnes orientées par {uniformation.name}."
    )
    expect(page.get_by_role("button", name="Rejoindre la liste d'attente")).to_be_visible()
    page.goto(f"{base}/evenements/?department=93")
    card = page.locator("li", has=page.get_by_role("link", name=event.title))
    expect(card.get_by_text("Complet — liste d'attente")).to_be_visible()

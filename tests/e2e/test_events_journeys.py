"""Events journeys: register, cancel by link, the waiting list's offer, check-in."""

import re
from datetime import timedelta

from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from maillage.events.enums import EventKind, EventStatus
from maillage.events.models import Event, EventOrganiser
from maillage.partners.models import Organisation


def _run_worker():
    call_command("worker", "--batch", verbosity=0)


def _link(to, subject_start):
    messages = [m for m in mail.outbox if m.to == [to] and m.subject.startswith(subject_start)]
    assert len(messages) == 1, [(m.to, m.subject) for m in mail.outbox]
    return re.search(r"https?://\S+/evenements/inscription/\S+/", messages[0].body).group(0)


def _event():
    lead = Organisation.objects.get(slug="faf-tt")
    start = (timezone.now() + timedelta(days=12)).replace(minute=0, second=0, microsecond=0)
    event = Event.objects.create(
        title="Atelier : préparer un entretien d'embauche",
        kind=EventKind.WORKSHOP,
        status=EventStatus.PUBLISHED,
        summary="Deux heures pour s'entraîner avec des conseillers.",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        department_id="93",
        venue="Salle de démonstration",
        capacity=1,
        lead_organisation=lead,
        published_at=timezone.now(),
    )
    EventOrganiser.objects.create(event=event, organisation=lead, is_lead=True)
    EventOrganiser.objects.create(
        event=event, organisation=Organisation.objects.get(slug="cheops-idf")
    )
    return event


def _register(page, base, event, first, last, email):
    page.goto(f"{base}/evenements/?department=93")
    page.get_by_role("link", name=event.title).click()
    page.get_by_label("Prénom").fill(first)
    page.locator("#id_last_name").fill(last)
    page.get_by_label("Adresse e-mail").fill(email)


def test_register_cancel_offer_confirm_and_check_in(
    demo_site, page, assert_accessible, sign_in, settings
):
    settings.SITE_URL = demo_site.url
    base = demo_site.url
    event = _event()

    page.goto(f"{base}/evenements/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Évènements pour les actifs")
    assert_accessible(page)
    page.goto(f"{base}/evenements/?vue=calendrier")
    expect(page.locator("table.month-calendar")).to_be_visible()
    assert_accessible(page)

    _register(page, base, event, "Anna", "Martin", "anna@exemple.fr")
    expect(page.locator("#places")).to_have_text("1 place ouverte au public.")
    assert_accessible(page)
    page.get_by_role("button", name="Je m'inscris").click()
    # The page never tells whether the address was already registered: the email does.
    expect(page.get_by_text("Si cette adresse n'était pas encore inscrite")).to_be_visible()
    assert_accessible(page)

    _register(page, base, event, "Bilal", "Nguyen", "bilal@exemple.fr")
    page.get_by_role("button", name="Rejoindre la liste d'attente").click()
    expect(page.get_by_text("Si cette adresse n'était pas encore inscrite")).to_be_visible()

    _run_worker()
    page.goto(_link("bilal@exemple.fr", "Liste d'attente"))
    expect(page.locator("#statut")).to_have_text("En liste d'attente")
    expect(page.locator("#position")).to_have_text("1")
    page.goto(_link("anna@exemple.fr", "Inscription confirmée"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon inscription")
    expect(page.locator("#statut")).to_have_text("Confirmée")
    assert_accessible(page)
    page.get_by_role("button", name="Annuler mon inscription").click()
    expect(page.get_by_text("Votre inscription est annulée.").first).to_be_visible()

    _run_worker()
    page.goto(_link("bilal@exemple.fr", "Une place s'est libérée"))
    assert_accessible(page)
    page.get_by_role("button", name="Je confirme ma place").click()
    expect(page.get_by_text("Votre place est confirmée. À bientôt !")).to_be_visible()
    expect(page.locator("#statut")).to_have_text("Confirmée")

    # Check-in opens on the day of the event: the day has come.
    start = timezone.now() - timedelta(minutes=5)
    Event.objects.filter(pk=event.pk).update(starts_at=start, ends_at=start + timedelta(hours=2))
    organiser = page.context.browser.new_context(locale="fr-FR").new_page()
    sign_in(organiser, base, "conseiller@cheops-idf.demo")
    organiser.goto(f"{base}/espace/evenements/{event.pk}/presences/")
    expect(organiser.locator("#total-presents")).to_have_text("0")
    organiser.get_by_role("button", name="Présent : Bilal Nguyen").click()
    expect(organiser.locator("#total-presents")).to_have_text("1")
    expect(organiser.get_by_text("Bilal Nguyen : présent.")).to_be_visible()
    assert_accessible(organiser)
    organiser.context.close()

"""Convention lifecycle: amendments, renewals, parties joining and leaving, end alerts, timeline."""

from datetime import date, timedelta
from html import unescape

import pytest

from maillage.core.errors import DomainError, Forbidden
from maillage.governance import services
from maillage.governance.models import ConventionEndAlert
from maillage.governance.reminders import convention_end_alerts_send
from maillage.governance.tasks import governance_daily
from maillage.partners.models import Convention, Organisation
from tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

CONVENTION = "convention-cep-idf-2019"


@pytest.fixture
def coordinator(reference):
    return MembershipFactory(
        coordinator=True, organisation=Organisation.objects.get(slug="region-idf")
    )


@pytest.fixture
def convention(reference):
    return Convention.objects.get(slug=CONVENTION)


def _as(membership):
    return {"actor": membership.user, "membership": membership}


def test_the_timeline_shows_the_2019_convention_its_end_and_the_regional_operator(
    client, reference
):
    html = unescape(client.get("/partenariat/chronologie/").content.decode())
    signed = html.index("28 février 2019")
    ended = html.index("31 décembre 2019")
    regional = html.index("1er janvier 2020")
    assert signed < ended < regional
    assert "Signature de la « Convention régionale de partenariat" in html
    assert "Fin de la « Convention régionale de partenariat" in html
    assert "Début d'activité : Opérateur régional CEP des actifs occupés" in html
    assert "Fin d'activité : Fongecif Île-de-France" in html
    assert "8 signataires" in html


def test_a_renewal_moves_the_end_date_and_appears_on_the_timeline(client, coordinator, convention):
    with pytest.raises(DomainError, match="prolonger"):
        services.amendment_add(
            **_as(coordinator),
            convention=convention,
            kind="renewal",
            title="Trop court",
            signed_on=date(2019, 11, 1),
            effective_on=date(2019, 11, 1),
            new_valid_until=date(2019, 6, 30),
        )
    renewal = services.amendment_add(
        **_as(coordinator),
        convention=convention,
        kind="renewal",
        title="Prolongation 2020",
        signed_on=date(2019, 12, 1),
        effective_on=date(2020, 1, 1),
        new_valid_until=date(2020, 6, 30),
    )
    assert renewal.number == 1
    assert services.convention_effective_end(convention) == date(2020, 6, 30)
    html = unescape(client.get("/partenariat/chronologie/").content.decode())
    assert "Reconduction n° 1 : Prolongation 2020" in html
    assert "30 juin 2020" in html


def test_parties_join_and_leave_with_dates(client, coordinator, convention):
    newcomer = OrganisationFactory(name="Points relais conseil")
    services.party_join(
        **_as(coordinator), convention=convention, organisation=newcomer, on=date(2019, 6, 1)
    )
    afdas = Organisation.objects.get(slug="afdas")
    services.party_leave(
        **_as(coordinator),
        convention=convention,
        organisation=afdas,
        on=date(2019, 10, 1),
        note="Fin de l'activité CEP",
    )
    parties = {p.organisation.slug: (p.joined_on, p.left_on) for p in convention.parties.all()}
    assert parties[newcomer.slug] == (date(2019, 6, 1), None)
    assert parties["afdas"] == (date(2019, 2, 28), date(2019, 10, 1))
    with pytest.raises(DomainError, match="déjà partie"):
        services.party_join(
            **_as(coordinator), convention=convention, organisation=newcomer, on=date(2019, 7, 1)
        )
    with pytest.raises(DomainError, match="n'est pas partie"):
        services.party_leave(
            **_as(coordinator), convention=convention, organisation=afdas, on=date(2019, 11, 1)
        )
    html = unescape(client.get("/partenariat/chronologie/").content.decode())
    assert "Points relais conseil rejoint la convention" in html
    assert "Afdas quitte la convention" in html


def test_only_coordinators_manage_conventions(client, convention):
    manager = MembershipFactory(manager=True)
    with pytest.raises(Forbidden):
        services.amendment_add(
            **_as(manager),
            convention=convention,
            kind="amendment",
            title="X",
            signed_on=date(2019, 5, 1),
            effective_on=date(2019, 5, 1),
        )
    client.force_login(manager.user)
    assert client.get(f"/gouvernance/conventions/{CONVENTION}/").status_code == 403


def test_the_convention_page_records_an_amendment(client, coordinator, convention):
    client.force_login(coordinator.user)
    url = f"/gouvernance/conventions/{CONVENTION}/"
    response = client.post(
        url,
        {
            "form": "amendment",
            "kind": "amendment",
            "title": "Ajout d'un axe",
            "signed_on": "2019-05-02",
            "effective_on": "2019-04-01",
        },
    )
    assert "L&#x27;entrée en vigueur ne peut précéder la signature." in response.content.decode()
    response = client.post(
        url,
        {
            "form": "amendment",
            "kind": "amendment",
            "title": "Ajout d'un axe",
            "signed_on": "2019-05-02",
            "effective_on": "2019-05-02",
        },
    )
    assert response.status_code == 302
    assert "Avenant n° 1" in unescape(client.get(url).content.decode())


def test_coordinators_are_alerted_90_then_30_days_before_the_end(
    coordinator, convention, mailoutbox, run_worker, django_capture_on_commit_callbacks
):
    end = date(2019, 12, 31)

    def run(day):
        with django_capture_on_commit_callbacks(execute=True):
            governance_daily.enqueue(today=day.isoformat())
            run_worker()
        run_worker()

    run(end - timedelta(days=91))
    assert mailoutbox == []
    run(end - timedelta(days=90))
    assert len(mailoutbox) == 1 and mailoutbox[0].to == [coordinator.user.email]
    assert "dans 90 jours" in mailoutbox[0].body and "J-90" in mailoutbox[0].body
    run(end - timedelta(days=60))
    run(end - timedelta(days=90))
    assert len(mailoutbox) == 1
    run(end - timedelta(days=30))
    assert len(mailoutbox) == 2 and "J-30" in mailoutbox[1].body
    run(end - timedelta(days=10))
    run(end + timedelta(days=1))
    assert len(mailoutbox) == 2
    assert ConventionEndAlert.objects.count() == 2


def test_a_late_first_run_sends_one_alert_not_two(coordinator, convention):
    assert convention_end_alerts_send(date(2019, 12, 20)) == 1
    assert set(ConventionEndAlert.objects.values_list("days_before", flat=True)) == {30, 90}
    assert convention_end_alerts_send(date(2019, 12, 21)) == 0


def test_a_renewal_arms_new_alerts(coordinator, convention):
    assert convention_end_alerts_send(date(2019, 12, 1)) == 1
    services.amendment_add(
        **_as(coordinator),
        convention=convention,
        kind="renewal",
        title="Prolongation",
        signed_on=date(2019, 12, 5),
        effective_on=date(2019, 12, 5),
        new_valid_until=date(2020, 6, 30),
    )
    assert convention_end_alerts_send(date(2019, 12, 10)) == 0
    assert convention_end_alerts_send(date(2020, 4, 1)) == 1

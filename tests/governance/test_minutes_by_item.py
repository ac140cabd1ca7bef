"""Minutes written item by item along the agenda, with revisions and a readable diff."""

from datetime import date, timedelta
from html import unescape

import pytest

from maillage.core.errors import DomainError
from maillage.governance import services
from maillage.governance.minutes_diff import diff_lines
from maillage.governance.models import MinutesItem
from tests.governance.factories import SignatoryFactory

pytestmark = pytest.mark.django_db


def _url(meeting):
    return f"/gouvernance/reunions/{meeting.pk}/compte-rendu/"


@pytest.fixture
def agenda(gov):
    meeting = gov.schedule()
    budget = services.agenda_item_add(**gov.as_secretary(), meeting=meeting, title="Budget")
    bilan = services.agenda_item_add(**gov.as_secretary(), meeting=meeting, title="Bilan")
    return meeting, budget, bilan


def test_each_agenda_item_has_its_text_and_each_save_is_a_revision(gov, agenda):
    meeting, budget, bilan = agenda
    services.minutes_save(
        **gov.as_secretary(),
        meeting=meeting,
        text="",
        items={budget.pk: "Le budget est présenté."},
        base_revision=0,
    )
    minutes, changed = services.minutes_save(
        **gov.as_secretary(),
        meeting=meeting,
        text="",
        items={budget.pk: "Le budget est présenté.", bilan.pk: "Bilan 2019 partagé."},
        base_revision=1,
    )
    assert changed and minutes.revision == 2
    assert dict(MinutesItem.objects.values_list("agenda_item__title", "text")) == {
        "Budget": "Le budget est présenté.",
        "Bilan": "Bilan 2019 partagé.",
    }
    latest, first = minutes.revisions.all()
    assert latest.author == gov.secretary.user and latest.number == 2
    assert [(i["number"], i["title"], i["text"]) for i in latest.items] == [
        ("1", "Budget", "Le budget est présenté."),
        ("2", "Bilan", "Bilan 2019 partagé."),
    ]
    assert [i["text"] for i in first.items] == ["Le budget est présenté.", ""]
    # The same texts again: no new revision.
    _minutes, changed = services.minutes_save(
        **gov.as_secretary(),
        meeting=meeting,
        text="",
        items={budget.pk: "Le budget est présenté."},
        base_revision=2,
    )
    assert not changed


def test_an_item_of_another_meeting_is_refused(gov, agenda):
    meeting, _budget, _bilan = agenda
    other = gov.schedule(days=30)
    foreign = services.agenda_item_add(**gov.as_secretary(), meeting=other, title="Autre")
    with pytest.raises(DomainError, match="ordre du jour"):
        services.minutes_save(
            **gov.as_secretary(),
            meeting=meeting,
            text="",
            items={foreign.pk: "x"},
            base_revision=0,
        )


def test_decisions_and_actions_are_listed_under_their_item(client, gov, agenda):
    meeting, budget, _bilan = agenda
    decision = services.decision_create(
        **gov.as_secretary(),
        committee=gov.committee,
        meeting=meeting,
        agenda_item=budget,
        title="Voter le budget 2020",
    )
    action = services.action_create(
        **gov.as_secretary(),
        committee=gov.committee,
        meeting=meeting,
        agenda_item=budget,
        title="Envoyer le budget aux financeurs",
        owner_organisation=gov.member.organisation,
        due_on=date.today() + timedelta(days=30),
    )
    client.force_login(gov.secretary.user)
    html = unescape(client.get(_url(meeting)).content.decode())
    section = html.split(f'id="point-{budget.pk}"')[1].split("</section>")[0]
    assert decision.reference in section and decision.get_absolute_url() in section
    assert action.title in section and action.get_absolute_url() in section
    assert f'name="item_{budget.pk}"' in html


def test_an_action_created_from_an_item_is_linked_to_it(client, gov, agenda):
    meeting, budget, _bilan = agenda
    # The owner is picked among the parties to the committee's convention.
    SignatoryFactory(convention=gov.committee.convention, organisation=gov.member.organisation)
    client.force_login(gov.secretary.user)
    url = f"/gouvernance/reunions/{meeting.pk}/actions/?point={budget.pk}"
    assert f'<option value="{budget.pk}" selected' in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "title": "Relancer les partenaires",
            "owner_organisation": gov.member.organisation.pk,
            "due_on": (date.today() + timedelta(days=10)).isoformat(),
            "agenda_item": budget.pk,
        },
    )
    assert response.status_code == 302 and f"#point-{budget.pk}" in response["Location"]
    assert meeting.actions.get().agenda_item == budget


def test_the_page_saves_items_and_the_diff_says_what_changed_in_words(client, gov, agenda):
    meeting, budget, bilan = agenda
    client.force_login(gov.secretary.user)
    first = {
        "text": "Ouverture par la présidence.",
        f"item_{budget.pk}": "Le budget est présenté.",
        f"item_{bilan.pk}": "",
        "base_revision": 0,
    }
    assert client.post(_url(meeting), first).status_code == 302
    second = {
        **first,
        f"item_{budget.pk}": "Le budget est adopté à l'unanimité.",
        f"item_{bilan.pk}": "Bilan reporté.",
        "base_revision": 1,
    }
    assert client.post(_url(meeting), second).status_code == 302
    history = unescape(client.get(f"{_url(meeting)}historique/").content.decode())
    assert "comparer/?de=1&amp;a=2" in history or "comparer/?de=1&a=2" in history
    response = client.get(f"{_url(meeting)}comparer/?de=1&a=2")
    html = unescape(response.content.decode())
    assert response.status_code == 200
    assert "Version 1 comparée à la version 2" in html
    assert '<del><span class="diff-label">Retiré :</span> Le budget est présenté.</del>' in html
    assert (
        '<ins><span class="diff-label">Ajouté :</span> Le budget est adopté à l\'unanimité.</ins>'
        in html
    )
    assert "Ajouté :</span> Bilan reporté." in html
    assert "2 lignes ajoutées, 1 ligne retirée" in html
    # Unchanged lines stay, unmarked.
    assert "Ouverture par la présidence." in html


def test_the_diff_of_unknown_revisions_is_a_404(client, gov, agenda):
    meeting, _budget, _bilan = agenda
    for number in range(2):
        services.minutes_save(
            **gov.as_secretary(),
            meeting=meeting,
            text=f"Texte {number}",
            base_revision=number,
        )
    client.force_login(gov.member.user)
    assert client.get(f"{_url(meeting)}comparer/?de=1&a=9").status_code == 404
    assert client.get(f"{_url(meeting)}comparer/").status_code == 200


def test_diff_lines_marks_removed_then_added_in_reading_order():
    rows = diff_lines(["a", "b", "c"], ["a", "B", "c", "d"])
    assert [(r.kind, r.text) for r in rows] == [
        ("same", "a"),
        ("removed", "b"),
        ("added", "B"),
        ("same", "c"),
        ("added", "d"),
    ]

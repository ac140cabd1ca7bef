"""Agenda documents are resources of the shared library; former title-and-link ones still work."""

from html import unescape

import pytest
from django.conf import settings

from maillage.core.errors import DomainError
from maillage.governance import services
from maillage.training.enums import ResourceStatus
from tests.training.factories import make_resource

pytestmark = pytest.mark.django_db


def test_an_item_points_to_a_library_resource_picked_on_the_page(client, gov):
    meeting = gov.schedule()
    resource = make_resource(title="Note budgétaire 2020")
    make_resource(title="Brouillon non publié", status=ResourceStatus.DRAFT)
    client.force_login(gov.secretary.user)
    page = unescape(client.get(meeting.get_absolute_url()).content.decode())
    assert "Note budgétaire 2020" in page and "Brouillon non publié" not in page
    response = client.post(
        f"/gouvernance/reunions/{meeting.pk}/ordre-du-jour/",
        {"item-title": "Budget", "item-document_resource": resource.pk},
    )
    assert response.status_code == 302
    item = meeting.agenda_items.get()
    assert item.document_resource == resource
    page = unescape(client.get(meeting.get_absolute_url()).content.decode())
    assert f'href="{resource.get_absolute_url()}">Note budgétaire 2020</a>' in page


def test_an_unpublished_resource_is_refused(gov):
    meeting = gov.schedule()
    draft = make_resource(status=ResourceStatus.DRAFT)
    with pytest.raises(DomainError, match="publiée"):
        services.agenda_item_add(
            **gov.as_secretary(), meeting=meeting, title="Budget", document_resource=draft
        )


def test_a_former_link_document_still_shows_and_stays_editable(client, gov):
    meeting = gov.schedule()
    item = services.agenda_item_add(
        **gov.as_secretary(),
        meeting=meeting,
        title="Budget",
        document_title="Note budgétaire",
        document_url="https://exemple.fr/budget.pdf",
    )
    client.force_login(gov.secretary.user)
    page = unescape(client.get(meeting.get_absolute_url()).content.decode())
    assert '<a href="https://exemple.fr/budget.pdf">Note budgétaire</a>' in page
    edit = client.get(f"/gouvernance/points/{item.pk}/").content.decode()
    assert 'name="document_url"' in edit and 'name="document_resource"' in edit
    # A new item has no free link any more: only the library.
    assert 'name="item-document_url"' not in page and 'name="item-document_resource"' in page


def test_the_api_gives_the_library_documents_title_and_address(gov):
    from maillage.api.governance import _item

    meeting = gov.schedule()
    resource = make_resource(title="Note budgétaire 2020")
    item = services.agenda_item_add(
        **gov.as_secretary(), meeting=meeting, title="Budget", document_resource=resource
    )
    item.number = "1"
    body = _item(item)
    assert body["document_title"] == "Note budgétaire 2020"
    assert body["document_url"] == f"{settings.SITE_URL}{resource.get_absolute_url()}"

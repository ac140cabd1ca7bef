"""A resource goes draft → submitted → published with a coordinator's validation, logged."""

import pytest

from maillage.core.errors import DomainError, Forbidden
from maillage.core.models import AuditEntry
from maillage.training.enums import Audience, ResourceStatus
from maillage.training.models import Resource, ResourceTransition
from maillage.training.services import library as services
from tests.factories import MembershipFactory
from tests.training.factories import pdf_upload

pytestmark = pytest.mark.django_db


def _create(membership, **extra):
    values = {
        "actor": membership.user,
        "membership": membership,
        "title": "Guide du CPF de transition",
        "summary": "Comment monter un projet de transition professionnelle.",
        "kind": "guide",
        "themes": ["marche_formation"],
        "audience": Audience.PARTNERS,
        "file": pdf_upload(),
    }
    values.update(extra)
    return services.resource_create(**values)


def test_a_counsellor_shares_a_draft_owned_by_their_operator():
    counsellor = MembershipFactory()
    resource = _create(counsellor)
    assert resource.status == ResourceStatus.DRAFT
    assert resource.owner == counsellor.organisation
    assert resource.versions.get().number == 1
    assert AuditEntry.objects.filter(action="training.resource.created").count() == 1


def test_submit_then_a_coordinator_validates_and_it_is_logged_and_audited():
    counsellor = MembershipFactory()
    coordinator = MembershipFactory(coordinator=True)
    resource = _create(counsellor)
    services.resource_transition(
        actor=counsellor.user, membership=counsellor, resource=resource, to_status="submitted"
    )
    services.resource_transition(
        actor=coordinator.user,
        membership=coordinator,
        resource=resource,
        to_status="published",
        comment="Très utile",
    )
    resource.refresh_from_db()
    assert resource.status == ResourceStatus.PUBLISHED and resource.published_at is not None
    log = list(ResourceTransition.objects.order_by("id").values_list("from_status", "to_status"))
    assert log == [("draft", "submitted"), ("submitted", "published")]
    last = ResourceTransition.objects.order_by("id").last()
    assert last.actor == coordinator.user and last.comment == "Très utile"
    entry = AuditEntry.objects.get(action="training.resource.published")
    assert entry.actor == coordinator.user and entry.data["from"] == "submitted"


def test_the_owner_cannot_publish_without_the_coordination():
    manager = MembershipFactory(manager=True)
    resource = _create(manager)
    services.resource_transition(
        actor=manager.user, membership=manager, resource=resource, to_status="submitted"
    )
    with pytest.raises(Forbidden, match="coordination"):
        services.resource_transition(
            actor=manager.user, membership=manager, resource=resource, to_status="published"
        )
    assert Resource.objects.get().status == ResourceStatus.SUBMITTED


def test_a_draft_cannot_jump_to_published():
    counsellor = MembershipFactory()
    coordinator = MembershipFactory(coordinator=True)
    resource = _create(counsellor)
    with pytest.raises(DomainError, match="ne peut pas passer"):
        services.resource_transition(
            actor=coordinator.user, membership=coordinator, resource=resource, to_status="published"
        )


def test_another_operator_cannot_change_my_resource():
    resource = _create(MembershipFactory())
    stranger = MembershipFactory(manager=True)
    with pytest.raises(Forbidden):
        services.resource_transition(
            actor=stranger.user, membership=stranger, resource=resource, to_status="submitted"
        )
    with pytest.raises(Forbidden):
        services.resource_update(
            actor=stranger.user,
            membership=stranger,
            resource=resource,
            title="Piraté",
            summary="x",
            kind="guide",
            themes=[],
            audience="public",
        )


def test_a_new_version_keeps_the_history():
    counsellor = MembershipFactory()
    resource = _create(counsellor)
    services.resource_version_add(
        actor=counsellor.user,
        membership=counsellor,
        resource=resource,
        file=pdf_upload("fiche-v2.pdf"),
        note="Mise à jour 2019",
    )
    versions = list(resource.versions.order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert versions[1].note == "Mise à jour 2019" and versions[1].original_name == "fiche-v2.pdf"
    assert versions[0].file.name != versions[1].file.name


def test_a_committee_member_cannot_share_a_resource():
    member = MembershipFactory(committee_member=True)
    with pytest.raises(Forbidden):
        _create(member)


def test_a_coordinator_validates_from_the_page(client):
    counsellor = MembershipFactory()
    coordinator = MembershipFactory(coordinator=True)
    resource = _create(counsellor)
    services.resource_transition(
        actor=counsellor.user, membership=counsellor, resource=resource, to_status="submitted"
    )
    client.force_login(coordinator.user)
    page = client.get("/espace/bibliotheque/").content.decode()
    assert "À valider" in page and resource.title in page
    response = client.post(
        f"/espace/bibliotheque/{resource.pk}/etat/", {"to_status": "published"}, follow=True
    )
    assert "La ressource est validée et publiée." in response.content.decode()
    resource.refresh_from_db()
    assert resource.status == ResourceStatus.PUBLISHED


def test_a_counsellor_creates_a_resource_from_the_page_and_a_bad_file_is_refused(client):
    counsellor = MembershipFactory()
    client.force_login(counsellor.user)
    form = {
        "title": "Outil d'entretien",
        "summary": "Grille d'entretien partagée.",
        "kind": "outil",
        "themes": ["outils"],
        "audience": "partners",
    }
    bad = client.post(
        "/espace/bibliotheque/nouvelle/",
        {**form, "file": pdf_upload("script.html", b"<script>alert(1)</script>")},
    )
    assert bad.status_code == 200
    assert "Ce type de fichier n&#x27;est pas accepté" in bad.content.decode()
    assert not Resource.objects.exists()
    good = client.post("/espace/bibliotheque/nouvelle/", {**form, "file": pdf_upload()})
    resource = Resource.objects.get()
    assert good.status_code == 302 and good["Location"] == f"/bibliotheque/{resource.pk}/"


def test_widening_the_audience_of_a_published_resource_asks_for_validation_again():
    counsellor = MembershipFactory()
    coordinator = MembershipFactory(coordinator=True)
    resource = _create(counsellor)
    for actor, target in ((counsellor, "submitted"), (coordinator, "published")):
        services.resource_transition(
            actor=actor.user, membership=actor, resource=resource, to_status=target
        )
    fields = {"title": resource.title, "summary": "Nouveau résumé", "kind": "guide", "themes": []}
    services.resource_update(
        actor=counsellor.user,
        membership=counsellor,
        resource=resource,
        audience="partners",
        **fields,
    )
    assert Resource.objects.get().status == ResourceStatus.PUBLISHED  # same audience: stays
    services.resource_update(
        actor=counsellor.user, membership=counsellor, resource=resource, audience="public", **fields
    )
    resource.refresh_from_db()
    assert resource.status == ResourceStatus.SUBMITTED and resource.published_at is None
    assert resource.transitions.first().comment.startswith("Diffusion élargie")

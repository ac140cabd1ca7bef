"""Scoping that cannot be forgotten: outside a scope a query of a scoped model raises; the
middleware and the API's token open the member's organisation, and only it."""

import pytest

from maillage.core.scoping import ScopeError, scope, scopes_disabled
from maillage.referrals.models import (
    AccessLink,
    Attachment,
    ExportJob,
    Message,
    PendingNotification,
    PersonNotice,
    Referral,
    Transition,
)
from tests.referrals import factories

pytestmark = [pytest.mark.django_db, pytest.mark.scoped]

SCOPED_MODELS = [
    Referral,
    Transition,
    Message,
    PendingNotification,
    AccessLink,
    Attachment,
    PersonNotice,
    ExportJob,
]


@pytest.mark.parametrize("model", SCOPED_MODELS, ids=lambda m: m.__name__)
def test_an_unscoped_query_of_a_scoped_model_raises(model):
    with pytest.raises(ScopeError):
        list(model.objects.all())


@pytest.mark.parametrize("model", SCOPED_MODELS, ids=lambda m: m.__name__)
@pytest.mark.parametrize(
    "read",
    [
        lambda qs: qs.count(),
        lambda qs: qs.exists(),
        lambda qs: qs.filter(pk=1).first(),
        lambda qs: qs.values_list("pk", flat=True)[:1].get(),
        lambda qs: qs.update(pk=0),
        lambda qs: qs.delete(),
    ],
    ids=["count", "exists", "first", "values", "update", "delete"],
)
def test_every_way_of_reading_raises_outside_a_scope(model, read):
    with pytest.raises(ScopeError):
        read(model.objects.all())


def test_a_scoped_model_used_as_a_subquery_raises_outside_a_scope():
    with pytest.raises(ScopeError):
        list(Referral.objects.model._base_manager.filter(pk__in=Referral.objects.values("pk")))


def test_a_request_scope_without_organisation_still_raises():
    with scope(organisation=None), pytest.raises(ScopeError):
        Referral.objects.count()


def test_a_scope_keeps_the_rows_of_either_side_and_nothing_else(sender, receiver, stranger):
    with scopes_disabled():
        referral = factories.send(sender, receiver)
        other = factories.send(stranger, receiver)
    with scope(organisation=sender.organisation):
        assert list(Referral.objects.all()) == [referral]
        assert Transition.objects.filter(referral=other).count() == 0
        assert Transition.objects.filter(referral=referral).exists()
    with scope(organisation=receiver.organisation):
        assert set(Referral.objects.all()) == {referral, other}
    with scope(organisation=stranger.organisation):
        assert list(Referral.objects.all()) == [other]
        assert list(referral.transitions.all()) == []  # related managers are scoped too


def test_scopes_disabled_reads_across_organisations(sender, receiver, stranger):
    with scopes_disabled():
        factories.send(sender, receiver)
        factories.send(stranger, receiver)
        assert Referral.objects.count() == 2


def test_the_inbox_and_the_detail_page_work_under_the_real_middleware(
    client, sender, receiver, stranger
):
    with scopes_disabled():
        referral = factories.send(sender, receiver, first_name="Inès")
        factories.send(stranger, receiver, first_name="Yasmine")
    client.force_login(sender.user)
    inbox = client.get("/orientations/?box=sent")
    assert inbox.status_code == 200
    html = inbox.content.decode()
    assert "Inès" in html and "Yasmine" not in html
    assert client.get(f"/orientations/{referral.pk}/").status_code == 200
    client.force_login(stranger.user)
    assert client.get(f"/orientations/{referral.pk}/").status_code == 404


def test_the_api_reads_in_the_scope_of_the_token(api, sender, receiver, stranger):
    with scopes_disabled():
        referral = factories.send(sender, receiver)
        factories.send(stranger, receiver)
    response = api(sender).get("/referrals", box="sent")
    assert response.status_code == 200, response.content
    assert [row["id"] for row in response.json()["results"]] == [referral.pk]
    assert api(stranger).get(f"/referrals/{referral.pk}").status_code == 404


def test_the_scope_ends_with_the_request(client, sender, receiver):
    client.force_login(sender.user)
    assert client.get("/orientations/").status_code == 200
    with pytest.raises(ScopeError):
        Referral.objects.count()

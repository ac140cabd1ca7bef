"""Fixtures of the referrals tests: a sending and a receiving operator, and a stranger."""

import pytest
from django.urls import reverse

from maillage.accounts.services import api_token_create
from tests.factories import MembershipFactory, OrganisationFactory
from tests.referrals import factories


@pytest.fixture
def sender(db):
    return MembershipFactory(
        organisation=OrganisationFactory(name="Pôle test", slug="pole-test"),
        user__email="a@pole-test.fr",
    )


@pytest.fixture
def receiver(db):
    return MembershipFactory(
        organisation=OrganisationFactory(name="Cap test", slug="cap-test"),
        user__email="b@cap-test.fr",
    )


@pytest.fixture
def receiver_manager(receiver):
    return MembershipFactory(
        organisation=receiver.organisation, manager=True, user__email="chef@cap-test.fr"
    )


@pytest.fixture
def stranger(db):
    return MembershipFactory(
        organisation=OrganisationFactory(name="Autre test", slug="autre-test"),
        user__email="c@autre-test.fr",
    )


@pytest.fixture
def referral(sender, receiver):
    return factories.send(sender, receiver)


def _token_for(membership):
    _token, raw = api_token_create(user=membership.user, organisation=membership.organisation)
    return raw


@pytest.fixture
def api(client):
    """api(membership).get/post(path, json) with that membership's bearer token."""

    class Caller:
        def __init__(self, membership):
            self.headers = {"Authorization": f"Bearer {_token_for(membership)}"}

        def get(self, path, **params):
            return client.get(f"/api/v1{path}", params, headers=self.headers)

        def post(self, path, payload):
            return client.post(
                f"/api/v1{path}", payload, content_type="application/json", headers=self.headers
            )

    return Caller


@pytest.fixture(autouse=True)
def exports_storage(settings, tmp_path):
    """Exports built by the worker go to this test's own folder (never var/)."""
    folder = tmp_path / "exports"
    settings.STORAGES = {
        **settings.STORAGES,
        "exports": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(folder), "base_url": None},
        },
    }
    return folder


@pytest.fixture
def export_built(client, run_worker):
    """export_built(fmt, box=…) as a manager does it: ask on the inbox, let the worker build
    the file, download it from « Mes exports »; returns the file's bytes."""
    from maillage.referrals.models import ExportJob

    def build(fmt, **filters):
        response = client.post(reverse("referrals:export"), {"format": fmt, **filters})
        assert response.status_code == 302
        run_worker()
        job = ExportJob.objects.order_by("-pk").first()
        assert job.status == "ready", job.error
        response = client.get(reverse("referrals:export_download", args=[job.pk]))
        assert response.status_code == 200
        return b"".join(response.streaming_content)

    return build

"""Fixtures of the referrals tests: a sending and a receiving operator, and a stranger."""

import pytest

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

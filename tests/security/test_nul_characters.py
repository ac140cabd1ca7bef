"""A NUL character in a page's form or query string is a clean 400, never a 500.

PostgreSQL refuses NUL in text columns: a referral message with one answered a 500 there
(the fuzzer found it), because the view passes the posted text to the service as it is.
"""

import pytest

from tests.factories import MembershipFactory
from tests.referrals import factories

pytestmark = pytest.mark.django_db


def test_a_message_with_a_nul_character_is_refused_and_nothing_is_written(client):
    sender = MembershipFactory()
    receiver = MembershipFactory()
    referral = factories.send(sender, receiver)
    client.force_login(receiver.user)
    response = client.post(f"/orientations/{referral.pk}/messages/", {"body": "Bonjour\x00"})
    assert response.status_code == 400
    assert not referral.messages.exists()


def test_a_nul_character_in_a_query_string_is_a_400(client):
    assert client.get("/evenements/", {"kind": "forum\x00"}).status_code == 400
    assert client.get("/evenements/", {"kind": "forum"}).status_code == 200


def test_the_api_keeps_its_own_error_handling(client):
    # The API answers its JSON errors itself: the page guard does not step in.
    response = client.get("/api/v1/openapi.json", {"x": "a\x00b"})
    assert response.status_code == 200

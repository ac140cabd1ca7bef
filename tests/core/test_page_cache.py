"""The short per-URL cache of anonymous public pages (core/page_cache.py)."""

import pytest
from django.core.cache import caches

from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def page_cache(settings):
    settings.MAILLAGE_PUBLIC_CACHE_SECONDS = 30
    caches["pages"].clear()
    yield
    caches["pages"].clear()


def test_an_anonymous_public_page_is_served_from_the_cache_without_a_query(
    client, page_cache, django_assert_num_queries
):
    first = client.get("/annuaire/")
    assert first.status_code == 200 and "Cookie" in first["Vary"]
    with django_assert_num_queries(0):
        again = client.get("/annuaire/")
    assert again.content == first.content


def test_each_query_string_is_its_own_page(client, page_cache, django_assert_max_num_queries):
    client.get("/annuaire/")
    with django_assert_max_num_queries(20) as queries:
        client.get("/annuaire/?q=emploi")
    assert len(queries) > 0


def test_a_signed_in_person_never_gets_the_cached_page(
    client, page_cache, django_assert_max_num_queries
):
    client.get("/annuaire/")
    client.force_login(MembershipFactory().user)
    with django_assert_max_num_queries(30) as queries:
        response = client.get("/annuaire/")
    assert response.status_code == 200 and len(queries) > 0
    client.logout()
    # Nor is the signed-in page kept for the next anonymous visitor of another URL.
    assert caches["pages"].get("page:/annuaire/?x=1") is None


def test_pages_outside_the_list_are_not_cached(client, page_cache):
    client.get("/healthz")
    assert caches["pages"].get("page:/healthz") is None


def test_off_when_the_setting_is_zero(client, settings, django_assert_max_num_queries):
    settings.MAILLAGE_PUBLIC_CACHE_SECONDS = 0
    caches["pages"].clear()
    client.get("/annuaire/")
    with django_assert_max_num_queries(20) as queries:
        client.get("/annuaire/")
    assert len(queries) > 0

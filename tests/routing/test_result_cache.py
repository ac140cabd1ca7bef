"""The public finder result is kept a few seconds per URL, and every answer is still counted."""

import pytest
from django.core.cache import caches

from maillage.routing.models import DecisionLog

pytestmark = pytest.mark.django_db
RESULT = "/trouver-mon-conseiller/resultat/"
QUERY = {"department": "75", "status": "job_seeker", "age": "30"}


@pytest.fixture
def page_cache(settings):
    settings.MAILLAGE_PUBLIC_CACHE_SECONDS = 30
    caches["pages"].clear()
    yield
    caches["pages"].clear()


def test_a_repeated_question_is_answered_from_the_cache_and_counted(
    client, rules, page_cache, no_ratelimit, django_assert_max_num_queries
):
    first = client.get(RESULT, QUERY)
    assert first.status_code == 200 and "Cookie" in first["Vary"]
    # The decision's log row only: no form choices, operator, site or template work.
    with django_assert_max_num_queries(1):
        again = client.get(RESULT, QUERY)
    assert again.content == first.content
    assert DecisionLog.objects.count() == 2


def test_a_wrong_answer_is_never_kept(client, rules, page_cache):
    assert client.get(RESULT, {"department": "75", "status": "astronaute"}).status_code == 400
    assert not any(key for key in caches["pages"]._cache if "finder" in key)

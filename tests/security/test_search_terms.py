"""A person's name searched for in the referrals inbox never appears in a URL.

URLs end up in access logs, the browser history and the Referer of the next request; the
inbox search is POSTed and the results page is reached through an opaque session key.
"""

import lxml.html
import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import MembershipFactory
from tests.referrals import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def inbox(client):
    sender = MembershipFactory()
    receiver = MembershipFactory()
    for _ in range(12):
        factories.send(sender, receiver, last_name="Dupont")
    factories.send(sender, receiver, first_name="Élodie", last_name="Fabre")
    client.force_login(receiver.user)
    client.receiver = receiver
    return client


def _rows(html):
    return html.count('<td><a href="/orientations/')


def test_the_inbox_search_form_is_posted_not_sent_in_the_url(inbox):
    html = inbox.get(reverse("referrals:inbox")).content.decode()
    form = lxml.html.fromstring(html).xpath('//form[@role="search"]')[0]
    assert form.get("method") == "post"
    assert form.xpath('.//input[@name="csrfmiddlewaretoken"]')


def test_a_searched_name_is_found_but_appears_in_no_url(inbox):
    response = inbox.post(reverse("referrals:inbox"), {"q": "Fabre", "sort": "name"})
    assert response.status_code == 302
    location = response["Location"]
    assert "fabre" not in location.lower() and "q=" not in location
    assert "sort=name" in location  # the filters that say nothing of anyone stay in the URL
    html = inbox.get(location).content.decode()
    assert "Élodie Fabre" in html and _rows(html) == 1
    # The form shows what was searched for, and no link of the page carries the name.
    tree = lxml.html.fromstring(html)
    assert tree.xpath('//input[@name="q"]/@value') == ["Fabre"]
    assert not [href for href in tree.xpath("//a/@href") if "Fabre" in href]


def test_pagination_keeps_the_search_without_the_name(inbox):
    location = inbox.post(reverse("referrals:inbox"), {"q": "Dupont", "per_page": "10"})["Location"]
    first = inbox.get(location).content.decode()
    assert _rows(first) == 10 and "Page 1 sur 2" in first
    next_link = lxml.html.fromstring(first).xpath('//a[@rel="next"]/@href')[0]
    assert "Dupont" not in next_link and "recherche=" in next_link
    second = inbox.get(reverse("referrals:inbox") + next_link).content.decode()
    assert _rows(second) == 2 and "Élodie Fabre" not in second


def test_a_name_in_a_hand_typed_url_is_not_a_search(inbox):
    html = inbox.get(reverse("referrals:inbox"), {"q": "Fabre", "per_page": "25"}).content
    assert _rows(html.decode()) == 13


def test_a_search_key_means_nothing_outside_its_session(inbox):
    location = inbox.post(reverse("referrals:inbox"), {"q": "Fabre"})["Location"]
    elsewhere = Client()  # the same person, another browser: the key is not the name
    elsewhere.force_login(inbox.receiver.user)
    html = elsewhere.get(location).content.decode()
    assert "Cette recherche a expiré" in html
    assert _rows(html) == 13

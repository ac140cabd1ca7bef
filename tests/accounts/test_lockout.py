"""Lockout that holds: every spelling of an address counts against one account, an address
range is locked after many failures, and an unknown account answers like a wrong password."""

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher

from tests.factories import PASSWORD, MembershipFactory

pytestmark = pytest.mark.django_db

EMAIL = "conseiller@unagecif.demo"
VARIANTS = ["CONSEILLER@UNAGECIF.DEMO", "Conseiller@unagecif.demo", " conseiller@unagecif.demo "]


def _sign_in(client, username, password, ip="192.0.2.10"):
    return client.post("/connexion/", {"username": username, "password": password}, REMOTE_ADDR=ip)


@pytest.mark.parametrize("variant", VARIANTS)
def test_five_failures_under_the_plain_address_lock_every_spelling(client, variant):
    MembershipFactory(user__email=EMAIL)
    for _ in range(5):
        _sign_in(client, EMAIL, "mauvais")
    response = _sign_in(client, variant, PASSWORD)
    assert response.status_code == 429
    assert "temporairement bloqué" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("variant", VARIANTS)
def test_five_failures_under_a_variant_lock_the_account(client, variant):
    MembershipFactory(user__email=EMAIL)
    for _ in range(5):
        _sign_in(client, variant, "mauvais")
    response = _sign_in(client, EMAIL, PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_failures_under_mixed_spellings_add_up(client):
    MembershipFactory(user__email=EMAIL)
    for username in [EMAIL, *VARIANTS, EMAIL.title()][:5]:
        _sign_in(client, username, "mauvais")
    assert _sign_in(client, EMAIL, PASSWORD).status_code == 429


@pytest.mark.parametrize("variant", VARIANTS)
def test_each_spelling_signs_in_with_the_right_password(client, variant):
    MembershipFactory(user__email=EMAIL)
    response = _sign_in(client, variant, PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"]


def test_an_unknown_account_answers_exactly_like_a_wrong_password(client):
    MembershipFactory(user__email=EMAIL)
    wrong = _sign_in(client, EMAIL, "mauvais")
    unknown = _sign_in(client, "personne@unagecif.demo", "mauvais")
    assert wrong.status_code == unknown.status_code == 200

    def page(response):
        # The same page but for the address typed back into the field.
        html = response.content.decode()
        for typed in (EMAIL, "personne@unagecif.demo"):
            html = html.replace(typed, "ADRESSE")
        return html.replace(response.wsgi_request.META.get("CSRF_COOKIE", ""), "")

    assert "Adresse e-mail ou mot de passe incorrect" in unknown.content.decode()
    assert _without_csrf(page(wrong)) == _without_csrf(page(unknown))


def _without_csrf(html):
    import re

    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


class CountingHasher(MD5PasswordHasher):
    """MD5 (fast) that counts how many times a password is hashed."""

    algorithm = "md5"
    calls = 0

    def encode(self, password, salt):
        type(self).calls += 1
        return super().encode(password, salt)


def test_an_unknown_account_costs_one_password_hash_like_a_wrong_password(client, settings):
    settings.PASSWORD_HASHERS = ["tests.accounts.test_lockout.CountingHasher"]
    MembershipFactory(user__email=EMAIL)
    CountingHasher.calls = 0
    _sign_in(client, EMAIL, "mauvais")
    wrong = CountingHasher.calls
    CountingHasher.calls = 0
    _sign_in(client, "personne@unagecif.demo", "mauvais")
    assert wrong == CountingHasher.calls == 1


def test_an_address_range_is_locked_after_many_failures_on_different_accounts(client, settings):
    settings.MAILLAGE_LOCKOUT_RANGE_FAILURES = 8
    MembershipFactory(user__email=EMAIL)
    # One failure each on eight addresses, from eight machines of the same /24.
    for n in range(8):
        _sign_in(client, f"inconnu{n}@exemple.fr", "mauvais", ip=f"198.51.100.{n + 1}")
    blocked = _sign_in(client, EMAIL, PASSWORD, ip="198.51.100.200")
    assert blocked.status_code == 429
    assert "_auth_user_id" not in client.session
    assert "Retry-After" in blocked
    # Another range is not concerned.
    assert _sign_in(client, EMAIL, PASSWORD, ip="203.0.113.7").status_code == 302


def test_ipv6_failures_count_per_slash_64(client, settings):
    settings.MAILLAGE_LOCKOUT_RANGE_FAILURES = 3
    MembershipFactory(user__email=EMAIL)
    for n in range(3):
        _sign_in(client, f"inconnu{n}@exemple.fr", "mauvais", ip=f"2001:db8:1:2::{n + 1:x}")
    assert _sign_in(client, EMAIL, PASSWORD, ip="2001:db8:1:2:ffff::1").status_code == 429
    assert _sign_in(client, EMAIL, PASSWORD, ip="2001:db8:1:3::1").status_code == 302


def test_a_few_failures_in_an_office_do_not_lock_its_colleagues(client):
    MembershipFactory(user__email=EMAIL)
    for n in range(4):
        _sign_in(client, f"collegue{n}@unagecif.demo", "mauvais", ip="192.0.2.10")
    assert _sign_in(client, EMAIL, PASSWORD, ip="192.0.2.10").status_code == 302

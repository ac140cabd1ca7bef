"""Signed links: a tampered, foreign or expired token is refused."""

import pytest

from maillage.core.signing import BadLink, make_token, read_token


def test_a_signed_token_reads_back():
    assert read_token(make_token(42, purpose="test"), purpose="test") == 42


def test_a_tampered_token_is_refused():
    token = make_token(42, purpose="test")
    with pytest.raises(BadLink):
        read_token(token[:-2] + ("AA" if token[-2:] != "AA" else "BB"), purpose="test")


def test_a_token_for_another_purpose_is_refused():
    with pytest.raises(BadLink):
        read_token(make_token(42, purpose="invitation"), purpose="registration")


def test_an_expired_token_is_refused(monkeypatch):
    token = make_token(42, purpose="test")
    import time

    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + 3600)
    with pytest.raises(BadLink, match="expiré"):
        read_token(token, purpose="test", max_age=60)

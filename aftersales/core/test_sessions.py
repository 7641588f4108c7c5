"""Database sessions whose new keys are made in one step, the insert alone deciding uniqueness."""

from __future__ import annotations

import re

import pytest
from django.contrib.sessions.backends.base import CreateError
from django.contrib.sessions.models import Session

from aftersales.core.sessions import SessionStore, new_session_key

pytestmark = pytest.mark.django_db


def test_a_new_key_is_32_lower_case_letters_and_digits_and_keys_do_not_repeat():
    keys = {new_session_key() for _ in range(1000)}
    assert len(keys) == 1000
    assert all(re.fullmatch(r"[a-z0-9]{32}", key) for key in keys)


def test_a_new_session_is_stored_under_its_key_and_read_back_by_another_store():
    store = SessionStore()
    store["portal_cases"] = ["R7KM9Q2T5WX4"]
    store.save()
    assert Session.objects.filter(session_key=store.session_key).exists()
    assert SessionStore(session_key=store.session_key)["portal_cases"] == ["R7KM9Q2T5WX4"]


def test_a_key_already_taken_is_refused_by_the_insert_so_create_tries_another():
    first = SessionStore()
    first["who"] = "first"
    first.save()
    second = SessionStore(session_key=first.session_key)
    second._session_cache = {"who": "second"}
    with pytest.raises(CreateError):
        second.save(must_create=True)
    assert SessionStore(session_key=first.session_key)["who"] == "first"

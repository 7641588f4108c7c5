"""The look-up's own way in keeps the database connection as Django's request signals do
(``api.lookup_upkeep``): directly while only Django's receivers listen, by sending the signals
as soon as anything else does."""

from __future__ import annotations

import time

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection

from aftersales.api.lookup_upkeep import Upkeep

pytestmark = pytest.mark.django_db(transaction=True)  # autocommit, as a served request has it


@pytest.fixture
def obsolete_connection():
    """An open connection past its ``CONN_MAX_AGE``, which Django closes at a request's edge."""
    connection.ensure_connection()
    connection.close_at = time.monotonic() - 1
    return connection


@pytest.mark.postgres_only  # SQLite's in-memory test database is never closed
def test_with_djangos_receivers_only_an_obsolete_connection_is_closed_when_the_request_starts(
        obsolete_connection):
    Upkeep().started(Upkeep, {})
    assert obsolete_connection.connection is None


@pytest.mark.postgres_only
def test_with_djangos_receivers_only_an_obsolete_connection_is_closed_when_the_request_ends(obsolete_connection):
    Upkeep().finished(Upkeep)
    assert obsolete_connection.connection is None


def test_a_connection_within_its_age_stays_open_across_the_request():
    connection.ensure_connection()
    connection.close_at = time.monotonic() + 600
    upkeep = Upkeep()
    upkeep.started(Upkeep, {})
    upkeep.finished(Upkeep)
    assert connection.connection is not None


def test_the_queries_a_debugging_connection_logged_are_forgotten_when_a_request_starts():
    connection.queries_log.append({"sql": "SELECT 1", "time": "0.000"})
    Upkeep().started(Upkeep, {})
    assert len(connection.queries_log) == 0


def test_a_receiver_of_the_projects_own_gets_both_signals_as_from_djangos_handler():
    heard = []

    def listener(sender, **kwargs):
        heard.append((sender, sorted(kwargs)))

    request_started.connect(listener)
    request_finished.connect(listener)
    try:
        upkeep = Upkeep()
        upkeep.started(Upkeep, {"PATH_INFO": "/"})
        upkeep.finished(Upkeep)
    finally:
        request_started.disconnect(listener)
        request_finished.disconnect(listener)
    assert heard == [(Upkeep, ["environ", "signal"]), (Upkeep, ["signal"])]


@pytest.mark.postgres_only
def test_with_djangos_connection_upkeep_taken_away_the_connection_is_left_alone(obsolete_connection):
    request_finished.disconnect(close_old_connections)
    try:
        Upkeep().finished(Upkeep)
    finally:
        request_finished.connect(close_old_connections)
    assert obsolete_connection.connection is not None

"""The busiest statements are prepared once per connection on PostgreSQL (``core.prepared``)
and answer as a plain cursor would."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aftersales.core.prepared import fetch_all

pytestmark = pytest.mark.django_db

QUERY = "SELECT n, n * 2 FROM (SELECT 1 AS n UNION ALL SELECT 2 UNION ALL SELECT 3) t WHERE n >= %s ORDER BY n"


def test_a_statement_answers_the_rows_a_plain_cursor_answers():
    with connection.cursor() as cursor:
        cursor.execute(QUERY, [2])
        plain = cursor.fetchall()
    assert fetch_all(QUERY, [2]) == plain == [(2, 4), (3, 6)]


@pytest.mark.postgres_only
def test_on_postgresql_a_statement_is_prepared_once_and_run_again_from_its_plan():
    for floor in (1, 2, 3):
        fetch_all(QUERY, [floor])
    with connection.cursor() as cursor:
        cursor.execute("SELECT generic_plans + custom_plans FROM pg_prepared_statements WHERE statement LIKE %s",
                       ["%n * 2 FROM%"])
        executions = cursor.fetchall()
    assert executions == [(3,)]  # one prepared statement, run three times


def test_where_queries_are_watched_the_statement_is_among_them():
    with CaptureQueriesContext(connection) as watched:
        assert fetch_all(QUERY, [3]) == [(3, 6)]
    assert [query["sql"] for query in watched.captured_queries] == [QUERY.replace("%s", "3")]


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)  # autocommit, as between two served requests
def test_a_statement_answers_again_on_a_new_connection_after_the_old_one_was_closed():
    assert fetch_all(QUERY, [2]) == [(2, 4), (3, 6)]
    connection.close()  # as Django does with a connection past its age, between two requests
    assert fetch_all(QUERY, [3]) == [(3, 6)]


@pytest.mark.postgres_only
def test_on_postgresql_an_instant_is_read_as_djangos_own_cursor_reads_it():
    instant = "SELECT CAST(%s AS timestamptz)"
    with connection.cursor() as cursor:
        cursor.execute(instant, ["2026-11-30 06:30:20.123456+08:00"])
        plain = cursor.fetchall()
    assert fetch_all(instant, ["2026-11-30 06:30:20.123456+08:00"]) == plain
    assert plain[0][0].utcoffset().total_seconds() == 0 and plain[0][0].hour == 22

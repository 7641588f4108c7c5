"""Statements the busiest requests run, prepared once per database connection on PostgreSQL.

PostgreSQL plans each statement it is sent, and Django sends each with its values written in
(client-side binding), so every request pays for the planning again. For the status look-up
that planning took about ten times the execution (1.3 ms against 0.2 ms in ``EXPLAIN
ANALYZE``, three index scans joined by ``UNION ALL``). Here a statement is sent with its
values apart and prepared by name on its connection the first time (psycopg's ``prepare``):
later executions on the same connection, as a web worker's with ``DB_CONN_MAX_AGE`` set, reuse
the plan. Database errors are Django's as usual. Elsewhere (SQLite), and wherever Django is
logging or wrapping queries, it is Django's cursor.

Django turns psycopg's prepared statements off unless the database's options say otherwise;
the settings turn them on (``prepare_threshold``), which changes nothing for Django's own
queries (client-side binding never prepares). A connection pooler in transaction mode must
then keep prepared statements per server connection (PgBouncer 1.21 or later with
``max_prepared_statements`` set), or ``DB_PREPARED_STATEMENTS=0`` turns them off here too.
"""

from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS, connections


def fetch_all(sql: str, params: list) -> list[tuple]:
    """The rows of ``sql`` (``%s`` placeholders) with ``params``."""
    connection = connections[DEFAULT_DB_ALIAS]  # once: each use of ``django.db.connection`` looks it up
    # Django's own cursor where something watches the queries (DEBUG, a test counting them, an
    # execute wrapper): it is the same statement and answer, only planned each time.
    if connection.vendor != "postgresql" or connection.queries_logged or connection.execute_wrappers:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
    connection.ensure_connection()
    with connection.wrap_database_errors:
        cursor, binary = _cursor(connection)
        cursor.execute(sql, params, prepare=True, binary=binary)
        return cursor.fetchall()


def _cursor(connection) -> tuple[object, bool]:
    """A psycopg cursor kept on the open database connection for these statements (making one,
    and its adapters, each time cost as much as reading the rows), and whether it reads the
    rows in binary form. Binary rows are read by psycopg's own loaders, compiled, rather than
    the text loader Django registers for instants, written in Python (about a tenth of a
    look-up's CPU time, with its timeline of instants), wherever the two give the same values:
    Django's labels each value with the connection's time zone, psycopg's converts it to the
    session's, and Django sets the session's to the connection's (UTC here), so both give the
    same ``datetime``. Elsewhere the rows are text, read by Django's loaders."""
    import psycopg

    raw = connection.connection
    kept = raw.__dict__.get("_prepared_cursor")
    if kept is None or kept[0].closed:
        kept = psycopg.Cursor(raw), raw.info.timezone is connection.timezone
        raw._prepared_cursor = kept
    return kept

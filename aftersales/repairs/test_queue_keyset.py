"""The staff queue's keyset paging: cases booked at the same instant are neither skipped nor
repeated, in either direction, and on PostgreSQL a page is read from the open-case index in
queue order, starting at the cursor, whatever the number of closed cases."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aftersales.repairs.conftest import NOW, intake
from aftersales.repairs.models import Case
from aftersales.repairs.selectors import case_queue
from aftersales.repairs.services import case_book

LATER = NOW + dt.timedelta(days=1)


@pytest.fixture
def queue(centre, device):
    """Seven open cases, five of them booked at the same instant, in queue order."""
    for i, minutes in enumerate([0, 5, 5, 5, 5, 5, 9]):
        case_book(intake=intake(customer_name=f"Customer {i}"), actor=None, now=NOW + dt.timedelta(minutes=minutes))
    return list(Case.objects.order_by("created_at", "pk").values_list("number", flat=True))


def test_cases_booked_at_the_same_instant_page_forward_once_each(queue, centre):
    seen, cursor = [], None
    for _ in range(10):
        page = case_queue(centres=[centre.pk], now=LATER, limit=2, cursor=cursor)
        seen += [c.number for c in page.cases]
        cursor = page.next_cursor
        if cursor is None:
            break
    assert seen == queue


def test_cases_booked_at_the_same_instant_page_back_once_each(queue, centre):
    inside_the_tie = case_queue(centres=[centre.pk], now=LATER, limit=5).next_cursor
    page = case_queue(centres=[centre.pk], now=LATER, limit=2, cursor=inside_the_tie)
    seen, before = [c.number for c in page.cases], page.prev_cursor
    for _ in range(10):
        if before is None:
            break
        page = case_queue(centres=[centre.pk], now=LATER, limit=2, before=before)
        seen = [c.number for c in page.cases] + seen
        before = page.prev_cursor
    assert seen == queue


def _plan(sql: str) -> str:
    with connection.cursor() as cursor:
        # Tiny test tables: make the planner choose as it would for a big one.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute("EXPLAIN " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.postgres_only
def test_a_queue_page_reads_the_open_case_index_from_the_cursor_on(queue, centre):
    first = case_queue(centres=[centre.pk], now=LATER, limit=2)
    for kwargs in ({}, {"cursor": first.next_cursor}):
        with CaptureQueriesContext(connection) as ctx:
            case_queue(centres=[centre.pk], now=LATER, limit=2, **kwargs)
        plan = _plan(ctx.captured_queries[0]["sql"])
        assert "case_open_queue" in plan and "Sort" not in plan, plan
        if kwargs:
            # the cursor bounds the index scan itself (on tiny tables the planner may read either
            # open-case index, with or without the centre leading it: both stop at the cursor)
            cond = [row for row in plan.splitlines() if "Index Cond:" in row and "created_at >= " in row]
            assert cond, plan
    with CaptureQueriesContext(connection) as ctx:
        case_queue(centres=None, now=LATER, limit=2)
    plan = _plan(ctx.captured_queries[0]["sql"])
    assert "case_open_queue_all" in plan and "Sort" not in plan, plan

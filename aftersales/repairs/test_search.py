"""The staff search's selector: each key finds its case on either database, and on PostgreSQL
each key is answered by its own index (the expression the migration indexes is the one the
query computes)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aftersales.repairs.conftest import NOW, intake
from aftersales.repairs.search import case_search
from aftersales.repairs.services import case_book

KEYS = {  # what staff type, and the index that should answer it on PostgreSQL
    "+86 139 1234 5678": "case_phone_digits",
    "WANG.fang@example.com": "case_email_lower",
    "ng fan": "case_name_trigram",
}


@pytest.fixture
def wang(centre, device):
    case_book(intake=intake(customer_name="Li Lei"), actor=None, now=NOW)
    return case_book(intake=intake(customer_name="Wang Fang", email="Wang.Fang@example.com",
                                   phone="+86 139-1234-5678"), actor=None, now=NOW)


@pytest.mark.parametrize("typed", list(KEYS))
def test_each_key_finds_the_case_it_belongs_to(wang, centre, typed):
    assert [c.number for c in case_search(centres=[centre.pk], text=typed).cases] == [wang.number]


@pytest.mark.postgres_only
@pytest.mark.parametrize(("typed", "index"), list(KEYS.items()))
def test_each_key_is_read_from_its_own_index(wang, centre, typed, index):
    with CaptureQueriesContext(connection) as ctx:
        # every centre: on tiny tables, one centre's index would otherwise look as good as any
        case_search(centres=None, text=typed)
    with connection.cursor() as cursor:
        # Tiny test tables: make the planner choose as it would for a big one, where walking every
        # case of the centre newest first (an ordered index scan) loses to the key's own index.
        for scan in ("seqscan", "indexscan", "indexonlyscan"):
            cursor.execute(f"SET LOCAL enable_{scan} = off")
        cursor.execute("EXPLAIN " + ctx.captured_queries[-1]["sql"])
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert index in plan, plan

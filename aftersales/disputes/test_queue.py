"""The dispute queue is ordered and cut in the database, by the clocks' due moments: disputes
owed their first answer, soonest due first; then those answered, by their resolution clock; then
those without a running clock; the earliest filed first where the clocks say nothing more."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aftersales.core.testing import NOW
from aftersales.disputes.clocks import clocks_answered
from aftersales.disputes.selectors import dispute_queue
from aftersales.disputes.test_clock_backfill import filed_before_the_clocks
from aftersales.disputes.test_clocks import filed
from aftersales.disputes.test_pages import agent_client

DAY = dt.timedelta(days=1)


def test_answered_disputes_follow_those_owed_an_answer_and_clockless_ones_come_last(case):
    # given, filed a day apart: a dispute from before the clocks, one answered since, and two owed
    # their first answer
    old = filed_before_the_clocks(case, at=NOW - 3 * DAY)
    answered = filed(NOW, serial="HD000001")
    clocks_answered(dispute=answered, now=NOW + DAY)
    sooner, later = filed(NOW + DAY, serial="HD000002"), filed(NOW + 2 * DAY, serial="HD000003")
    # when executive care reads the queue
    with CaptureQueriesContext(connection) as queries:
        queue = dispute_queue()
    # then those owed an answer come first, the answered one after them, the one without clocks last,
    # all read in one query
    assert [d.number for d in queue] == [sooner.number, later.number, answered.number, old.number]
    assert len(queries) == 1


def test_the_queue_is_cut_to_its_limit_in_the_database(case):
    first, second, _third = (filed(NOW + n * DAY, serial=f"HD00000{n}") for n in range(3))
    with CaptureQueriesContext(connection) as queries:
        queue = dispute_queue(limit=2)
    assert [d.number for d in queue] == [first.number, second.number]
    assert "LIMIT 2" in queries[0]["sql"]


def test_the_queue_page_reads_the_clocks_with_the_list_not_row_by_row(case, agent):
    # given one dispute, then three
    filed(NOW, serial="HD000001")
    client = agent_client(agent)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("console:disputes"))
    filed(NOW + DAY, serial="HD000002")
    filed(NOW + 2 * DAY, serial="HD000003")
    # when executive care opens the queue page again
    with CaptureQueriesContext(connection) as three:
        page = client.get(reverse("console:disputes")).content.decode()
    # then it took as many queries, and each row still shows its clock
    assert len(three) == len(one)
    assert page.count('data-sla-target="first-answer"') == 3

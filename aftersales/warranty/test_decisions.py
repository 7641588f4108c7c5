"""Deciding a request for the portal, the console and the API: the day comes from the instant the
operation read from the clock, and the answer carries the pack that decided."""

import datetime as dt

import pytest

from aftersales.core import clock
from aftersales.policy.testing import SHIPPED
from aftersales.warranty.decisions import today_for, warranty_decide
from aftersales.warranty.packs import pack_load

D = dt.date.fromisoformat
INSTANT = dt.datetime(2025, 6, 1, 2, 0, tzinfo=dt.timezone.utc)  # 10:00 in Shanghai, 22:00 the day before in New York


def test_a_regions_date_is_its_calendar_date_at_the_instant_given():
    assert (today_for("CN", INSTANT), today_for("HK", INSTANT)) == (D("2025-06-01"), D("2025-06-01"))
    assert (today_for("US", INSTANT), today_for("CA", INSTANT)) == (D("2025-05-31"), D("2025-05-31"))


@pytest.mark.django_db
def test_a_request_without_a_decision_date_is_decided_for_that_day_where_service_is_asked():
    for text in SHIPPED.values():
        pack_load(text=text)
    with clock.frozen(dt.datetime(2030, 1, 1, tzinfo=dt.timezone.utc)):  # the clock is not read again
        desktop = warranty_decide(data={"product_line": "home-desktop", "manufactured_on": "2023-01-10",
                                        "sold_in": "CN", "part": "cpu"}, now=INSTANT)
        notebook = warranty_decide(data={"product_line": "notebook", "manufactured_on": "2023-01-10",
                                         "sold_in": "US", "part": "ssd"}, now=INSTANT)
    assert (desktop.facts.as_of, notebook.facts.as_of) == (D("2025-06-01"), D("2025-05-31"))
    assert desktop.pack.label == desktop.decision.pack == "cn-desktop@2026.11.30"
    assert notebook.pack.label == notebook.decision.pack == "na-notebook@2026.11.30"

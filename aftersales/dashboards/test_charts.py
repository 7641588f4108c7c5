"""The dashboard's selectors on a known history (``dashboards.testing``): each expected figure
was worked out by hand from the history's description, not by the code under test."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from aftersales.core import clock
from aftersales.dashboards.board import scope_of
from aftersales.dashboards.cases import cases_by_status, turnaround_by_line
from aftersales.dashboards.damage import damage_by_centre
from aftersales.dashboards.testing import booked, damage_proposals, two_centres
from aftersales.repairs.testing import drive


def scope(period: str = "90d", centres=None):
    return scope_of(centres=centres, period=period, now=clock.now())


def in_days(rows, *keys):
    return [{k: round(v, 1) if isinstance(v, float) else v for k, v in row.items() if k in keys} for row in rows]


def test_cases_are_counted_by_the_status_they_are_in_now_in_the_order_of_the_work(history):
    # given the history; when every centre's cases opened in the last 90 days are counted
    rows = cases_by_status(scope())
    # then the two damage cases still in diagnosis, the one in repair, the eight handed back and
    # the cancelled booking are there; the case opened 205 days ago and the one 120 days ago are not
    assert rows == [{"status": "diagnosing", "cases": 2}, {"status": "repairing", "cases": 1},
                    {"status": "collected", "cases": 8}, {"status": "cancelled", "cases": 1}]


def test_cases_by_status_of_one_centre_leave_the_others_out(history):
    rows = cases_by_status(scope(centres=frozenset({history["sh-01"].pk})))
    assert rows == [{"status": "diagnosing", "cases": 1}, {"status": "repairing", "cases": 1},
                    {"status": "collected", "cases": 7}, {"status": "cancelled", "cases": 1}]


def test_all_time_counts_every_case(history):
    rows = cases_by_status(scope("all"))
    assert rows == [{"status": "diagnosing", "cases": 3}, {"status": "repairing", "cases": 1},
                    {"status": "collected", "cases": 9}, {"status": "cancelled", "cases": 1}]


def test_turnaround_is_the_nearest_rank_median_and_90th_percentile_of_the_days_to_hand_over(history):
    # given home desktops handed back after 1, 2, 3, 4, 10 (Shanghai) and 30 days (Beijing), and
    # all-in-ones after 2 and 6 days, in the last 90 days
    rows = turnaround_by_line(scope())
    # then of six home desktops the median is the 3rd (3 days) and the 90th percentile the 6th
    # (30 days); of two all-in-ones the 1st (2 days) and the 2nd (6 days)
    assert in_days(rows, "product_line", "cases", "median", "p90") == [
        {"product_line": "home-desktop", "cases": 6, "median": 3.0, "p90": 30.0},
        {"product_line": "aio", "cases": 2, "median": 2.0, "p90": 6.0}]


def test_turnaround_of_one_centre_and_of_all_time(history):
    shanghai = turnaround_by_line(scope(centres=frozenset({history["sh-01"].pk})))
    # of five home desktops at Shanghai: the 3rd (3 days) and the 5th (10 days)
    assert in_days(shanghai, "product_line", "cases", "median", "p90")[0] == {
        "product_line": "home-desktop", "cases": 5, "median": 3.0, "p90": 10.0}
    ever = turnaround_by_line(scope("all"))
    # all time adds the one handed back after 5 days, 200 days ago: of seven, the 4th and the 7th
    assert in_days(ever, "product_line", "cases", "median", "p90")[0] == {
        "product_line": "home-desktop", "cases": 7, "median": 4.0, "p90": 30.0}


def test_turnaround_counts_days_with_their_fraction(registry):
    # given one home desktop handed back 36 hours after it was opened
    two_centres()
    now = clock.now()
    drive(booked("sh-01", "HD000001", now - dt.timedelta(hours=40)), "collected", now=now - dt.timedelta(hours=4))
    # then its turnaround is a day and a half
    [row] = turnaround_by_line(scope())
    assert (row["cases"], row["median"], row["p90"]) == (1, Decimal("1.5"), Decimal("1.5"))


def test_damage_is_counted_by_centre_and_decision_with_the_share_confirmed(history):
    rows = damage_by_centre(scope())
    assert in_days(rows, "centre", "confirmed", "rejected", "awaiting", "confirmed_share") == [
        {"centre": "bj-01", "confirmed": 0, "rejected": 1, "awaiting": 1, "confirmed_share": 0.0},
        {"centre": "sh-01", "confirmed": 2, "rejected": 1, "awaiting": 0, "confirmed_share": 66.7}]


def test_damage_of_all_time_includes_the_older_proposal(history):
    rows = damage_by_centre(scope("all"))
    assert in_days(rows, "centre", "confirmed", "rejected", "awaiting", "confirmed_share")[0] == {
        "centre": "bj-01", "confirmed": 1, "rejected": 1, "awaiting": 1, "confirmed_share": 50.0}


def test_a_centre_with_nothing_decided_has_no_share(registry):
    two_centres()
    damage_proposals("sh-01", at=clock.now(), decisions=[None])
    [row] = damage_by_centre(scope())
    assert (row["awaiting"], row["confirmed_share"]) == (1, None)

"""The disputes chart and the damage chart's reversals, on the known history of
``dashboards.testing`` with its disputes (``disputes_planted``): each expected figure was worked
out by hand from the history's description, not by the code under test."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from aftersales.console.test_charts import PAGE, csv_of, drawing_of, reader
from aftersales.core import clock
from aftersales.core.testing import role_user
from aftersales.dashboards.board import charts_for, scope_of
from aftersales.dashboards.damage import damage_by_centre
from aftersales.dashboards.disputes import disputes_by_state
from aftersales.dashboards.test_charts import in_days
from aftersales.dashboards.testing import disputes_planted, planted


@pytest.fixture
def disputed(registry):
    """The known history, and its disputes; yields its two centres."""
    call_command("load-sla-policies", stdout=io.StringIO())
    centres = planted()
    disputes_planted(centres)
    return centres


def scope(period: str = "90d", centres=None):
    return scope_of(centres=centres, period=period, now=clock.now())


def counts(rows):
    return [(r["state"], r["within"], r["overdue"], r["resolved"], r["disputes"]) for r in rows]


def test_disputes_are_counted_by_state_and_the_open_ones_by_their_time_limit(disputed):
    # when every centre's disputes filed in the last 90 days are counted
    rows = disputes_by_state(scope())
    # then filed: the one unanswered for 9 days is past its week, the one of 2 days within it; in
    # review: the one answered 8 days ago has used 40 of its 80 working hours, the one answered 30
    # days ago has run out; waiting: the question asked at once stopped the week with 3 days
    # left, the one asked after 8 days came too late; and one is resolved
    assert counts(rows) == [("filed", 1, 1, None, 2), ("in-review", 1, 1, None, 2),
                            ("waiting-for-customer", 1, 1, None, 2), ("resolved", None, None, 1, 1)]


def test_disputes_of_one_centre_count_where_their_clocks_count(disputed):
    shanghai = disputes_by_state(scope(centres=frozenset({disputed["sh-01"].pk})))
    assert counts(shanghai) == [("filed", 1, 1, None, 2), ("in-review", 1, 0, None, 1)]
    # the disputes about cases from before this product count at Beijing, the first centre in China
    beijing = disputes_by_state(scope(centres=frozenset({disputed["bj-01"].pk})))
    assert counts(beijing) == [("in-review", 0, 1, None, 1), ("waiting-for-customer", 1, 1, None, 2),
                               ("resolved", None, None, 1, 1)]


def test_all_time_adds_the_dispute_filed_a_hundred_days_ago_past_its_time(disputed):
    rows = disputes_by_state(scope("all"))
    assert counts(rows)[0] == ("filed", 1, 2, None, 3)


def test_a_reversed_damage_decision_counts_as_rejected_and_as_reversed_for_its_centre(disputed):
    # given Shanghai's two confirmations and one rejection of 10 days ago, one confirmation reversed
    rows = damage_by_centre(scope())
    # then Shanghai has one confirmed and two rejected now, three decisions, one of its two
    # confirmations reversed; Beijing confirmed nothing, so it has no share reversed
    assert in_days(rows, "centre", "confirmed", "rejected", "confirmed_share", "decisions", "reversed",
                   "reversed_share") == [
        {"centre": "bj-01", "confirmed": 0, "rejected": 1, "confirmed_share": 0.0, "decisions": 1, "reversed": 0,
         "reversed_share": None},
        {"centre": "sh-01", "confirmed": 1, "rejected": 2, "confirmed_share": 33.3, "decisions": 3, "reversed": 1,
         "reversed_share": 50.0}]


def test_no_reversal_leaves_the_share_reversed_at_nought(registry):
    planted()
    rows = damage_by_centre(scope("all"))
    # Beijing's confirmation of 120 days ago and Shanghai's two stand
    assert [(r["centre"], r["reversed"], r["reversed_share"]) for r in rows] == [("bj-01", 0, 0.0),
                                                                                 ("sh-01", 0, 0.0)]


@pytest.mark.parametrize("role", ["exec-care", "auditor", "admin"])
def test_the_disputes_chart_is_on_the_board_of_those_who_oversee_service(db, role):
    assert "disputes-by-state" in [c.slug for c in charts_for(role_user(role))]


def test_the_disputes_file_and_page_speak_chinese_to_a_chinese_reader(disputed):
    text = csv_of(reader("exec-care", "zh-hans"), "disputes-by-state")
    assert text == ("\ufeff状态,未解决，未超时,未解决，已超时,已解决,争议数\r\n"
                    "已提交，等待审核,1,1,,2\r\n"
                    "审核中,1,1,,2\r\n"
                    "等待客户回复,1,1,,2\r\n"
                    "已解决,,,1,1\r\n")
    page = reader("auditor", "zh-hans").get(PAGE).content.decode()
    assert "各状态争议数及处理时限" in page and "尚未解决的争议再分为仍在答复时限内和已超时两类" in page
    assert "以及确认后在争议复核中被撤销的数量" in page


def test_the_damage_file_gives_each_centres_reversals_in_english(disputed):
    text = csv_of(reader("admin"), "damage-by-centre", centre="sh-01")
    assert text == ("\ufeffService centre,Confirmed,Rejected,Awaiting a decision,Confirmed of those decided (%),"
                    "Decisions,Reversed when looked at again,Reversed of those confirmed (%)\r\n"
                    "Shanghai Xuhui,1,2,0,33.3,3,1,50.0\r\n")


def test_the_damage_chart_draws_the_share_reversed_beside_each_centres_decisions(disputed):
    page = reader("admin").get(PAGE).content.decode()
    drawing = drawing_of(page, "damage-by-centre")
    # Beijing: none confirmed (no share); Shanghai: one still confirmed and one reversed, so half
    # of its confirmations reversed: diamonds on a percent axis, not a line from centre to centre
    assert drawing["labels"] == ["Beijing Haidian", "Shanghai Xuhui"]
    assert [(s["label"], s["axis"], s["style"], s["data"]) for s in drawing["series"]] == [
        ("Confirmed", "y", "", [0, 1]), ("Rejected", "y", "", [1, 2]), ("Awaiting a decision", "y", "", [1, 0]),
        ("Reversed of those confirmed (%)", "percent", "points", [None, 50.0])]
    assert [(a["id"], a["unit"], a["title"]) for a in drawing["axes"]] == [("y", "count", ""),
                                                                         ("percent", "percent", "%")]
    # and the table under it keeps its columns, the share reversed last, as the file has them
    assert ('<th scope="row">Shanghai Xuhui</th><td class="num">1</td><td class="num">2</td><td class="num">0</td>'
            '<td class="num">33.3</td><td class="num">3</td><td class="num">1</td><td class="num">50.0</td>') in page
    assert ('<th scope="row">Beijing Haidian</th><td class="num">0</td><td class="num">1</td><td class="num">1</td>'
            '<td class="num">0.0</td><td class="num">1</td><td class="num">0</td><td class="num">—</td>') in page


def test_service_centre_staff_do_not_get_the_disputes_file(disputed):
    response = reader("staff").get(PAGE, {"export": "csv", "chart": "disputes-by-state"})
    assert response.status_code == 403

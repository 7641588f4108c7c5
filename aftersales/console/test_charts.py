"""The dashboard page and its CSV files, on the known history of ``dashboards.testing``: every
expected line was written by hand from the history's description."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client

from aftersales.accounts.roles import ACTIONS, ANONYMOUS
from aftersales.core.testing import ROLE_NAMES, role_user
from aftersales.dashboards.testing import planted

PAGE = "/console/dashboard/"


@pytest.fixture
def history(registry):
    return planted()


def reader(role: str = "auditor", language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(role_user(role, username=f"{role}-reader"))
    return client


def csv_of(client: Client, chart: str, **filters) -> str:
    response = client.get(PAGE, {"export": "csv", "chart": chart, **filters})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    return response.content.decode("utf-8")


def drawing_of(page: str, chart: str) -> dict:
    """What the page gives the drawing script for one chart (its JSON script)."""
    found = re.search(rf'<script id="chart-{chart}-data" type="application/json">(.*?)</script>', page, re.S)
    assert found, chart
    return json.loads(found.group(1))


def test_the_turnaround_file_is_headed_in_english_for_an_english_reader(history):
    text = csv_of(reader(), "turnaround-by-product-line")
    assert text == ("\ufeffProduct line,Median (days),90th percentile (days),Cases handed back\r\n"
                    "Home desktop,3.0,30.0,6\r\n"
                    "All-in-one PC,2.0,6.0,2\r\n")


def test_the_turnaround_file_is_headed_in_chinese_for_a_chinese_reader(history):
    text = csv_of(reader(language="zh-hans"), "turnaround-by-product-line")
    assert text == ("\ufeff产品线,中位数（天）,第 90 百分位数（天）,已交还的维修单数\r\n"
                    "家用台式机,3.0,30.0,6\r\n"
                    "一体机,2.0,6.0,2\r\n")


def test_the_damage_file_of_one_centre_counts_only_that_centre(history):
    text = csv_of(reader("exec-care"), "damage-by-centre", centre="sh-01")
    assert text == ("\ufeffService centre,Confirmed,Rejected,Awaiting a decision,Confirmed of those decided (%),"
                    "Decisions,Reversed when looked at again,Reversed of those confirmed (%)\r\n"
                    "Shanghai Xuhui,2,1,0,66.7,3,0,0.0\r\n")


def test_the_status_file_of_all_time_names_the_statuses_as_the_desk_does(history):
    text = csv_of(reader("admin", "zh-hans"), "cases-by-status", period="all")
    assert text == "\ufeff状态,维修单数\r\n检测中,3\r\n维修中,1\r\n已交还,9\r\n已取消,1\r\n"


def test_the_page_shows_each_chart_with_its_table_and_its_file(history):
    response = reader().get(PAGE, {"centre": "bj-01", "period": "30d"})
    text = response.content.decode()
    assert response.status_code == 200
    for title in ("Cases by status", "Turnaround by product line", "Customer-induced damage by service centre"):
        assert title in text
    # Beijing, last 30 days: the home desktop handed back after 30 days, and two damage proposals
    assert '<th scope="row">Home desktop</th><td class="num">30.0</td><td class="num">30.0</td>' \
           '<td class="num">1</td>' in text
    assert '<th scope="row">Beijing Haidian</th><td class="num">0</td><td class="num">1</td>' \
           '<td class="num">1</td><td class="num">0.0</td>' in text
    assert "?centre=bj-01&amp;period=30d&amp;export=csv&amp;chart=damage-by-centre" in text
    assert text.count("data-chart-table") == 3 and text.count('type="application/json"') == 3


def test_a_chart_with_nothing_in_the_period_says_so_and_draws_nothing(registry):
    text = reader().get(PAGE).content.decode()
    assert text.count("Nothing to show for this period.") == 5  # every chart on the board
    assert "data-chart-table" not in text


def test_a_centre_that_does_not_exist_and_a_chart_that_does_not_exist_are_not_found(history):
    client = reader()
    assert client.get(PAGE, {"centre": "xx-99"}).status_code == 404
    assert client.get(PAGE, {"export": "csv", "chart": "no-such-chart"}).status_code == 404


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_each_role_downloads_a_chart_file_exactly_when_it_may_read_the_dashboard(registry, role):
    user = role_user(role)
    client = Client()
    if user is not None:
        client.force_login(user)
    response = client.get(PAGE, {"export": "csv", "chart": "cases-by-status"})
    if role in ACTIONS["dashboard.view"]:
        assert response.status_code == 200 and response.content.decode().startswith("\ufeffStatus,")
    elif role == ANONYMOUS:
        assert response.status_code == 302 and response["Location"].startswith("/console/login/")
    else:
        assert response.status_code == 403


def test_a_centre_name_a_spreadsheet_would_read_as_a_formula_is_written_as_text(history):
    # given Beijing renamed by an administrator to something a spreadsheet would calculate
    history["bj-01"].name_en = '=HYPERLINK("http://example.com","Beijing")'
    history["bj-01"].save()
    # when its damage file of all time is downloaded
    client = reader()
    text = csv_of(client, "damage-by-centre", centre="bj-01", period="all")
    # then the name opens as the text it is (one rejected and one awaiting 10 days ago, one
    # confirmed 120 days ago), and the page's table still shows it unchanged
    assert text.splitlines()[1] == "\"'=HYPERLINK(\"\"http://example.com\"\",\"\"Beijing\"\")\",1,1,1,50.0,2,0,0.0"
    page = client.get(PAGE, {"centre": "bj-01", "period": "all"}).content.decode()
    assert '<th scope="row">=HYPERLINK(&quot;http://example.com&quot;,&quot;Beijing&quot;)</th>' in page

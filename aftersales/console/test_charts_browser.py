"""The dashboard in Debian's Chromium: the charts are drawn in the reader's language, the page has
no serious or critical accessibility violation (axe-core), and without JavaScript the tables
stand in for the charts. Set ``AFTERSALES_SCREENSHOTS`` to a folder to keep a screenshot of each
page."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.core.management import call_command

from aftersales.core.testing import role_user
from aftersales.dashboards.testing import disputes_planted, planted

pytestmark = pytest.mark.browser
GRAVE = {"serious", "critical"}


@pytest.fixture
def overseer(registry):
    call_command("load-sla-policies", stdout=io.StringIO())
    disputes_planted(planted())
    return role_user("auditor", username="overseer")


def sign_in(page, base: str, language: str) -> None:
    page.goto(f"{base}/console/login/")
    page.get_by_label("Username").fill("overseer")
    page.get_by_label("Password").fill("not-used-pw")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/console/")
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base}])


def drawn_labels(page) -> list[list[str]]:
    """The category labels of every chart drawn on the page, as Chart.js holds them."""
    return page.evaluate("""() => Array.from(document.querySelectorAll('.chart__drawing canvas'))
                              .map(canvas => window.Chart.getChart(canvas).data.labels)""")


def grave_violations(page, name: str) -> list[str]:
    if os.environ.get("AFTERSALES_SCREENSHOTS"):
        folder = Path(os.environ["AFTERSALES_SCREENSHOTS"])
        folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(folder / f"dashboard-{name}.png"), full_page=True)
    results = Axe().run(page)
    return [f"{v['id']} ({v['impact']})" for v in results.response["violations"] if v["impact"] in GRAVE]


@pytest.mark.parametrize(("language", "heading", "labels"), [
    ("en", "Service dashboard", [["Diagnosing", "Repairing", "Returned", "Cancelled"],
                                 ["Home desktop", "All-in-one PC"], ["Beijing Haidian", "Shanghai Xuhui"],
                                 ["Filed, waiting for review", "In review", "Waiting for the customer", "Resolved"]]),
    ("zh-hans", "服务看板", [["检测中", "维修中", "已交还", "已取消"], ["家用台式机", "一体机"],
                         ["北京海淀", "上海徐汇"], ["已提交，等待审核", "审核中", "等待客户回复", "已解决"]]),
])
def test_the_charts_are_drawn_in_the_readers_language_with_no_grave_accessibility_violation(
        live_server, overseer, page, language, heading, labels):
    # given an auditor reading in the language, and the known history
    sign_in(page, live_server.url, language)
    # when they open the dashboard
    page.goto(f"{live_server.url}/console/dashboard/")
    page.locator(".chart__drawing canvas").first.wait_for()
    # then each chart is drawn on a canvas named for screen readers, with its labels in the language
    assert page.locator("h1").inner_text() == heading
    assert page.locator(".chart__drawing canvas[role=img][aria-label]").count() == 4
    assert drawn_labels(page) == labels
    # and each table is folded behind its toggle, still there for screen readers
    assert page.locator("details[data-chart-table]:not([open])").count() == 4
    assert page.locator("details[data-chart-table] table").count() == 4
    assert grave_violations(page, language) == []


def test_without_javascript_the_tables_stand_in_for_the_charts(live_server, overseer, browser):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        sign_in(page, live_server.url, "en")
        page.goto(f"{live_server.url}/console/dashboard/")
        assert page.locator("canvas").count() == 0
        assert page.locator("details[data-chart-table][open] table").count() == 4
        assert page.get_by_role("row", name="Home desktop 3.0 30.0 6").count() == 1
    finally:
        context.close()

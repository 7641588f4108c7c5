"""Every main page passes an axe-core scan (axe-playwright-python, in Debian's Chromium) with no
serious or critical violation: the customer's pages (home, warranty check and answer, apply,
track, case, quotation) and the staff console (sign-in, dashboard, case queue, case page, device
page, prices, packs), each with a worked case to show, in English and in Chinese. One browser
session per side; each page is scanned as it loads, the warranty answer after the form is sent.

Set ``AFTERSALES_SCREENSHOTS`` to a folder to keep a screenshot of each page scanned."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings

from aftersales.core import clock
from aftersales.core.testing import NOW
from aftersales.page_tour import CONSOLE, CONTACT, PORTAL, STAFF, address, tour_data

pytestmark = pytest.mark.browser
GRAVE = {"serious", "critical"}
LANGUAGES = ("en", "zh-hans")


@pytest.fixture
def tour(db):
    with clock.frozen(NOW):
        yield tour_data()


def grave_violations(page, name: str, tmp_path: Path) -> list[str]:
    """The serious and critical violations on the page as it is now, one line each."""
    folder = Path(os.environ.get("AFTERSALES_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"axe-{name.replace(' ', '-')}.png"), full_page=True)
    assert page.locator("html").get_attribute("lang").lower() in ("en", "zh-hans")  # a page of ours, loaded
    results = Axe().run(page)
    return [f"{v['id']} ({v['impact']}): " + "; ".join(n["target"][0] for n in v["nodes"][:3])
            for v in results.response["violations"] if v["impact"] in GRAVE]


def in_language(page, base: str, language: str) -> None:
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base}])
    page.goto(base + "/")
    assert page.locator("html").get_attribute("lang").lower() == language


def test_every_customer_page_has_no_serious_or_critical_accessibility_violation(live_server, tour, page,
                                                                                 tmp_path):
    found = {}
    with clock.frozen(NOW):
        page.goto(f"{live_server.url}/track/")
        page.get_by_label("Case number").fill(tour.number)
        page.get_by_label("E-mail or phone number").fill(CONTACT)
        page.get_by_role("button", name="Open my case").click()
        page.wait_for_url(f"**/track/{tour.number}/")
        for language in LANGUAGES:
            in_language(page, live_server.url, language)
            for name, url in PORTAL.items():
                page.goto(live_server.url + address(url, tour))
                found[f"{name} {language}"] = grave_violations(page, f"{name} {language}", tmp_path)
            page.goto(f"{live_server.url}/warranty/")
            page.locator("[name=serial]").fill(tour.serial)
            page.locator("[name=part]").select_option("psu")
            page.locator("#warranty-panel button[type=submit]").click()
            page.locator("#decision-headline").wait_for()
            found[f"warranty answer {language}"] = grave_violations(page, f"warranty answer {language}", tmp_path)
    assert {name: v for name, v in found.items() if v} == {}


def test_every_console_page_has_no_serious_or_critical_accessibility_violation(live_server, tour, page, tmp_path):
    found = {}
    with clock.frozen(NOW):
        page.goto(f"{live_server.url}/console/login/")
        found["console login"] = grave_violations(page, "console login", tmp_path)
        page.get_by_label("Username").fill(STAFF)
        page.get_by_label("Password").fill("not-used-pw")
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"{live_server.url}/console/")
        for language in LANGUAGES:
            in_language(page, live_server.url, language)
            for name, url in CONSOLE.items():
                if name != "console login":
                    page.goto(live_server.url + address(url, tour))
                    found[f"{name} {language}"] = grave_violations(page, f"{name} {language}", tmp_path)
    assert {name: v for name, v in found.items() if v} == {}

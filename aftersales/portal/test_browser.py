"""The "Check my warranty" page in a real browser at phone size, in English and in Chinese.

Set ``AFTERSALES_SCREENSHOTS`` to a folder to keep the screenshots for a look."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from aftersales.core import clock
from aftersales.warranty.decisions import warranty_decide

PHONE = {"width": 390, "height": 844}
pytestmark = pytest.mark.browser


def screenshot(page, tmp_path: Path, name: str) -> Path:
    folder = Path(os.environ.get("AFTERSALES_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("page", [PHONE], indirect=True)
def test_on_a_phone_in_english_a_customer_checks_a_covered_desktop_by_symptom(live_server, registry, page,
                                                                              tmp_path):
    # given the page in English
    page.goto(f"{live_server.url}/warranty/")
    assert page.locator("html").get_attribute("lang") == "en"
    # when the customer gives the serial and the problem, and submits
    page.get_by_label("Serial number").fill("HD000001")
    page.get_by_label("What is wrong?").select_option("no-power")
    page.get_by_role("button", name="Check warranty").click()
    # then the decision appears in place, with its reasons and the rules applied
    headline = page.locator("#decision-headline")
    headline.wait_for()
    assert headline.inner_text().strip() == "Covered by warranty"
    decision = warranty_decide(data={"serial": "HD000001", "symptom": "no-power"}, now=clock.now()).decision
    reasons = page.locator(".reasons li").all_inner_texts()
    assert reasons == [r.en for r in decision.reasons]
    assert page.locator(".clauses li").count() == len(decision.clauses)
    assert "400-600-6655" in page.locator(".hotline").inner_text()
    assert page.evaluate("document.activeElement.id") == "decision-headline"
    assert fits_the_screen(page)
    screenshot(page, tmp_path, "warranty-en-covered")


@pytest.mark.parametrize("page", [PHONE], indirect=True)
def test_on_a_phone_in_chinese_a_customer_sees_why_an_old_desktop_is_not_covered(live_server, registry, page,
                                                                                tmp_path):
    # given the page, switched to Chinese with the language switch
    page.goto(f"{live_server.url}/warranty/")
    page.get_by_role("button", name="简体中文").click()
    page.wait_for_url(f"{live_server.url}/warranty/")
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    # when the customer names the part instead of a problem
    page.get_by_label("序列号").fill("HD000002")
    page.get_by_label("或选择故障部件").select_option("cpu")
    page.get_by_role("button", name="查询保修").click()
    # then the answer is in Chinese, reason by reason
    headline = page.locator("#decision-headline")
    headline.wait_for()
    assert headline.inner_text().strip() == "不在保修范围内"
    decision = warranty_decide(data={"serial": "HD000002", "part": "cpu"}, now=clock.now()).decision
    assert page.locator(".reasons li").all_inner_texts() == [r.zh for r in decision.reasons]
    assert "保修期" in page.locator(".facts").inner_text()
    assert fits_the_screen(page)
    screenshot(page, tmp_path, "warranty-zh-not-covered")


@pytest.mark.parametrize("page", [PHONE], indirect=True)
def test_on_a_phone_an_unknown_serial_is_explained_next_to_the_field(live_server, registry, page, tmp_path):
    page.goto(f"{live_server.url}/warranty/")
    page.get_by_label("Serial number").fill("NOSUCH123")
    page.get_by_label("What is wrong?").select_option("disk-error")
    page.get_by_role("button", name="Check warranty").click()
    error = page.locator("#id_serial_error")
    error.wait_for()
    assert "We have no record of serial number NOSUCH123" in error.inner_text()
    assert "unknown-serial" not in error.inner_text()  # the code is for programs, in the markup only
    assert error.locator('[data-code="unknown-serial"]').count() == 1
    assert page.get_by_label("Serial number").input_value() == "NOSUCH123"
    assert page.get_by_label("Serial number").get_attribute("aria-invalid") == "true"
    assert fits_the_screen(page)
    screenshot(page, tmp_path, "warranty-en-error")


@pytest.mark.parametrize("page", [PHONE], indirect=True)
def test_on_a_phone_the_home_page_leads_to_the_warranty_check(live_server, registry, page, tmp_path):
    page.goto(f"{live_server.url}/")
    assert fits_the_screen(page)
    screenshot(page, tmp_path, "home-en")
    page.get_by_role("link", name="Check my warranty").first.click()
    page.wait_for_url(f"{live_server.url}/warranty/")

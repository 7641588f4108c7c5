"""Two repair journeys in a real browser at phone size: the customer applies, follows the case,
answers the quotation and downloads the report; the centre's steps go through the services.

Set ``AFTERSALES_SCREENSHOTS`` to a folder to keep the screenshots for a look."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from aftersales.billing.links import quotation_link
from aftersales.billing.models import PartPrice
from aftersales.centres.models import ServiceCentre
from aftersales.core.testing import role_user
from aftersales.portal.test_browser import PHONE, fits_the_screen, screenshot
from aftersales.repairs.diagnosis import finding_record, part_decide, result_record
from aftersales.repairs.models import Case
from aftersales.repairs.quotations import quotation_draft, quotation_send
from aftersales.repairs.repair import part_fit
from aftersales.repairs.services import case_move
from aftersales.repairs.status import Status

pytestmark = pytest.mark.browser


@pytest.fixture
def centre(db):
    return ServiceCentre.objects.create(code="sh-01", name_en="Shanghai Xuhui", name_zh="上海徐汇", region="CN",
                                        city="Shanghai", timezone="Asia/Shanghai")


def apply_in_the_browser(page, url: str, serial: str) -> Case:
    page.goto(f"{url}/repair/apply/")
    page.get_by_label("Serial number").fill(serial)
    page.get_by_label("What is wrong?").fill("It does not switch on\nThe fan rattles")
    page.get_by_label("Your name").fill("Chen Jing")
    page.get_by_label("E-mail").fill("chen.jing@example.com")
    for label in ("I have backed up my data", "I have removed my passwords", "I have removed peripherals"):
        page.get_by_label(label).check()
    page.get_by_role("button", name="Book my repair").click()
    page.wait_for_url("**/track/*/")
    return Case.objects.get()


def examined(case: Case, staff, part: str, now):
    case_move(number=case.number, to=Status.RECEIVED, actor=staff, now=now)
    case_move(number=case.number, to=Status.DIAGNOSING, actor=staff, now=now)
    for position in (1, 2):
        finding_record(number=case.number, position=position, text="The power supply has failed.",
                       outcome="confirmed", part=part, actor=staff, now=now)
    return part_decide(number=case.number, part=part, actor=staff, now=now)


def finish(case: Case, staff, part: str, now):
    part_fit(number=case.number, part=part, actor=staff, now=now)
    case_move(number=case.number, to=Status.QA, actor=staff, now=now)
    for position in (1, 2):
        result_record(number=case.number, stage="qa", name="Power-on test", passed=True, symptom_position=position,
                      actor=staff, now=now)
    case_move(number=case.number, to=Status.READY, actor=staff, now=now)


@pytest.mark.parametrize("page", [PHONE], indirect=True)
def test_an_in_warranty_repair_followed_on_a_phone_ends_with_a_free_report(live_server, registry, centre, page,
                                                                           frozen_now, tmp_path):
    case = apply_in_the_browser(page, live_server.url, "HD000001")
    assert "It does not switch on" in page.content() and fits_the_screen(page)
    staff = role_user("staff", centres=[centre])
    assert examined(case, staff, "psu", frozen_now).covered
    case_move(number=case.number, to=Status.REPAIRING, actor=staff, now=frozen_now)
    finish(case, staff, "psu", frozen_now)
    page.reload()
    assert page.locator("h1").inner_text().strip() == "Ready to return"
    assert "The power supply has failed." in page.content()
    screenshot(page, tmp_path, "case-in-warranty-ready")
    with page.expect_response(lambda r: r.url.endswith("report.pdf")) as info:
        page.get_by_role("link", name="Download the repair report (PDF)").click()
    response = info.value
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"


@pytest.mark.parametrize("page", [PHONE], indirect=True)
def test_an_out_of_warranty_repair_is_accepted_line_by_line_on_a_phone_in_chinese(live_server, registry, centre,
                                                                                   page, frozen_now, tmp_path):
    case = apply_in_the_browser(page, live_server.url, "HD000002")  # made January 2020: out of warranty
    staff = role_user("staff", centres=[centre])
    PartPrice.objects.create(part="psu", product_line="home-desktop", region="CN", price=Decimal("320.00"),
                             currency="CNY", valid_from=dt.date(2024, 1, 1))
    assert not examined(case, staff, "psu", frozen_now).covered
    q = quotation_draft(number=case.number, author=staff, now=frozen_now, lines=[
        {"service": "part-replacement", "part": "psu", "text_en": "Replace the failed power supply.",
         "text_zh": "更换已损坏的电源。"}])
    _, token = quotation_send(quotation_id=q.pk, actor=staff, now=frozen_now)
    # the customer opens the link from the e-mail, in Chinese
    page.goto(quotation_link(token).replace("http://127.0.0.1:8000", live_server.url))
    page.get_by_role("button", name="简体中文").click()
    page.wait_for_url("**/q/**")
    assert "更换已损坏的电源。" in page.content() and "370.00" in page.content()
    assert fits_the_screen(page)
    screenshot(page, tmp_path, "quotation-zh")
    page.get_by_label("接受").check()
    page.get_by_role("button", name="提交答复").click()
    page.wait_for_url("**/track/*/")
    assert Case.objects.get(pk=case.pk).status == Status.REPAIRING
    assert page.locator("h1").inner_text().strip() == "维修中"
    finish(case, staff, "psu", frozen_now)
    page.reload()
    assert "370.00" in page.content()  # the accepted repair is listed under charges

"""Forms on both sides keep what was typed after a refusal, list every problem at once, say plainly
that chosen files must be chosen again, and refuse a date they could not read instead of taking
it for no date."""

from __future__ import annotations

import html

import pytest
from django.test import Client

from aftersales.console.conftest import signed_in
from aftersales.portal.test_case_pages import application, centre, jpeg  # noqa: F401 (fixture)
from aftersales.repairs.models import Case


def page(response) -> str:
    return html.unescape(response.content.decode())


def errors_of(text: str, field: str) -> str:
    start = text.find(f'id="id_{field}_error"')
    return text[start:start + 600] if start >= 0 else ""


def test_an_application_lists_every_problem_at_once_and_keeps_what_was_typed(registry, centre):  # noqa: F811
    # given an application with no name, no way to reach the customer, a serial we do not know,
    # and no acknowledgements
    data = application(customer_name="", email="", phone="", serial="ZZ404404", ack_data_loss="",
                       ack_passwords="", ack_peripherals="", operating_system="Windows 11",
                       symptoms="Fan rattles\nNo picture")
    # when it is sent
    response = Client(HTTP_ACCEPT_LANGUAGE="en").post("/repair/apply/", data)
    # then each problem is named, all on the one page, and nothing is booked
    text = page(response)
    assert response.status_code == 400
    assert "Your name" in errors_of(text, "customer_name") or "required" in errors_of(text, "customer_name")
    assert "Give an e-mail address or a phone number so we can reach you." in errors_of(text, "email")
    assert "We have no record of serial number ZZ404404" in errors_of(text, "serial")
    assert "Please confirm all three" in text
    summary = text[text.index("Please put these right and send the form again:"):]
    summary = summary[:summary.index("</ul>")]
    for label in ("Your name", "E-mail", "Serial number"):
        assert label in summary
    # and what was typed is still there
    assert 'value="ZZ404404"' in text and 'value="Windows 11"' in text
    assert "Fan rattles\nNo picture" in text
    assert not Case.objects.exists()


def test_chosen_files_are_named_as_to_be_chosen_again_after_a_refusal(registry, centre):  # noqa: F811
    response = Client(HTTP_ACCEPT_LANGUAGE="en").post("/repair/apply/", {
        **application(customer_name=""), "photos": [jpeg()]})
    text = page(response)
    assert response.status_code == 400
    notice = text[text.index("The files you chose were not kept. Choose them again before you send the form:"):]
    assert "side.jpg" in notice[:400]
    assert not Case.objects.exists()


def test_the_notice_about_files_is_in_chinese_for_a_chinese_reader(registry, centre):  # noqa: F811
    response = Client(HTTP_ACCEPT_LANGUAGE="zh-hans").post("/repair/apply/", {
        **application(customer_name=""), "photos": [jpeg()]})
    assert "您选择的文件没有保留" in page(response)


@pytest.mark.parametrize("typed", ["2024-13-45", "abc", "2024-02-30"])
def test_a_purchase_date_that_is_not_a_date_is_refused_not_dropped(registry, centre, typed):  # noqa: F811
    response = Client(HTTP_ACCEPT_LANGUAGE="en").post("/repair/apply/", application(purchased_on=typed))
    assert response.status_code == 400
    assert "This date could not be read." in errors_of(page(response), "purchased_on")
    assert not Case.objects.exists()


def test_a_date_the_browser_could_not_read_is_refused_not_taken_for_no_date(registry, centre):  # noqa: F811
    # the browser sends an empty value, and forms.js the mark beside it
    response = Client(HTTP_ACCEPT_LANGUAGE="zh-hans").post("/repair/apply/", application(
        purchased_on="", **{"purchased_on--unreadable": "1"}))
    assert response.status_code == 400
    assert "无法识别这个日期" in errors_of(page(response), "purchased_on")
    assert not Case.objects.exists()


def test_an_empty_purchase_date_without_the_mark_is_no_date(registry, centre):  # noqa: F811
    response = Client(HTTP_ACCEPT_LANGUAGE="en").post("/repair/apply/", application(purchased_on=""))
    assert response.status_code == 302
    assert Case.objects.get().purchased_on is None


def test_the_warranty_check_refuses_an_unreadable_invoice_date_instead_of_answering_without_it(registry):
    response = Client(HTTP_ACCEPT_LANGUAGE="en").post("/warranty/", {
        "serial": "HD000001", "part": "cpu", "purchased_on": "", "purchased_on--unreadable": "1"})
    text = page(response)
    assert response.status_code == 422
    assert "This date could not be read." in errors_of(text, "purchased_on")
    assert 'value="HD000001"' in text


def test_the_warranty_check_asks_for_the_serial_and_the_problem_together(registry):
    response = Client(HTTP_ACCEPT_LANGUAGE="en").post("/warranty/", {"serial": ""})
    text = page(response)
    assert response.status_code == 422
    assert "Enter the serial number printed on the device's label." in errors_of(text, "serial")
    assert "Choose the problem you see, or the part that is faulty." in errors_of(text, "symptom")


def test_a_staff_decision_date_outside_the_accepted_range_is_refused_with_the_rest_kept(registry):
    staff = signed_in("staff", centre=None)
    response = staff.post("/console/devices/HD000001/", {"part": "fan", "as_of": "1999-12-31",
                                                         "registered_on": "2099-13-01"})
    text = page(response)
    assert "The date 1999-12-31 is outside the dates we accept, 2000-01-01 to 2099-12-31" in errors_of(text, "as_of")
    assert "This date could not be read." in errors_of(text, "registered_on")
    assert 'value="1999-12-31"' in text

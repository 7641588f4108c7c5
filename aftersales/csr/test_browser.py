"""Self-repair end to end in a real browser, in English and in Chinese: apply, follow the order,
print the return label once the part is shipped, cancel; the whole journey out and back with
staff taking each step and the deposit refunded; and a refusal with its way to a regular
repair."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.conf import settings
from django.core.management import call_command

from aftersales.console.test_case_browser import sign_in
from aftersales.core.testing import NOW, role_user
from aftersales.csr.conftest import fault
from aftersales.csr.models import Order
from aftersales.csr.numbers import display
from aftersales.csr.services import order_ship
from aftersales.notifications.models import Notification

pytestmark = pytest.mark.browser


def fill_application(page, *, part_label: str, labels: dict):
    page.get_by_label(labels["serial"]).fill("NB0000001")
    page.get_by_label(labels["part"]).select_option(label=part_label)
    page.get_by_label(labels["bought"]).fill("2025-02-01")
    page.get_by_label(labels["name"]).fill("Ann Lee")
    page.get_by_label(labels["email"]).fill("ann.lee@example.com")
    page.get_by_label(labels["address"]).fill("12 Elm Street, Springfield, IL 62701")


EN = {"serial": "Serial number", "part": "Part to replace", "bought": "Purchase date", "name": "Your name",
      "email": "E-mail", "address": "Shipping address"}
ZH = {"serial": "序列号", "part": "要更换的部件", "bought": "购买日期", "name": "您的姓名", "email": "电子邮件",
      "address": "收货地址"}


def test_in_english_a_customer_applies_follows_the_part_prints_the_label_and_cancels(live_server, programme, page):
    # given the application page
    page.goto(f"{live_server.url}/self-repair/")
    # when the customer applies for the SSD the diagnostic tool found faulty
    fill_application(page, part_label="Solid-state drive", labels=EN)
    page.get_by_role("button", name="Apply and pay the deposit").click()
    # then the order page shows the deposit and the return date
    page.get_by_role("heading", name="Deposit received, part being prepared").wait_for()
    order = Order.objects.get()
    assert display(order.number) in page.content()
    assert "89.00 USD" in page.content() and "2025-06-15" in page.content()
    # and once the part is shipped, the return label prints from the page
    order_ship(number=order.number, tracking="1Z999AA10123456784", actor="staff1", now=NOW + dt.timedelta(days=1))
    page.reload()
    assert page.get_by_role("heading", name="Part shipped").is_visible()
    with page.expect_response(lambda r: r.url.endswith("label.pdf")) as got:
        page.get_by_role("link", name="Print the return label (PDF)").click()
    assert got.value.headers["content-type"] == "application/pdf"
    # and the customer cancels, to send everything back
    page.goto(f"{live_server.url}/self-repair/{order.number}/")
    page.get_by_role("button", name="Cancel my self-repair").click()
    page.get_by_role("heading", name="Cancelled, waiting for the parts to come back").wait_for()


def test_in_chinese_two_confirmed_faults_are_refused_with_a_way_to_book_a_regular_repair(live_server, programme,
                                                                                         page):
    # given a second fault confirmed, and the page switched to Chinese
    fault(programme, "memory")
    page.goto(f"{live_server.url}/self-repair/")
    page.get_by_role("button", name="简体中文").click()
    page.get_by_role("heading", name="自助更换部件").wait_for()
    # when the customer applies
    fill_application(page, part_label="固态硬盘", labels=ZH)
    page.get_by_role("button", name="提交申请并支付押金").click()
    # then every reason is given in Chinese, with the way to a regular repair, and nothing is charged
    alert = page.get_by_role("alert")
    alert.wait_for()
    assert "常规维修" in alert.inner_text()
    page.get_by_role("link", name="预约常规维修").click()
    page.wait_for_url(f"{live_server.url}/repair/apply/")
    assert Order.objects.count() == 0


def test_in_chinese_an_order_is_found_with_its_number_and_phone(live_server, programme, page):
    from aftersales.csr.applications import order_apply
    from aftersales.csr.conftest import APPLICATION

    order = order_apply(**APPLICATION | {"email": "", "phone": "+1 217 555 0100", "language": "zh-hans"}, now=NOW)
    page.goto(f"{live_server.url}/self-repair/find/")
    page.get_by_role("button", name="简体中文").click()
    page.get_by_label("自助维修单号").fill(display(order.number).lower())
    page.get_by_label("电子邮箱或电话号码").fill("+1 (217) 555-0100")
    page.get_by_role("button", name="查看我的订单").click()
    page.get_by_role("heading", name="已收到押金，正在备件").wait_for()
    assert "故障部件寄回期限" in page.content()


def test_in_chinese_the_part_goes_out_and_comes_back_and_the_deposit_is_refunded(live_server, programme, page):
    # given a customer who applies in Chinese for the SSD the diagnostic tool found faulty
    page.goto(f"{live_server.url}/self-repair/")
    page.get_by_role("button", name="简体中文").click()
    page.get_by_role("heading", name="自助更换部件").wait_for()
    fill_application(page, part_label="固态硬盘", labels=ZH)
    page.get_by_role("button", name="提交申请并支付押金").click()
    page.get_by_role("heading", name="已收到押金，正在备件").wait_for()
    order = Order.objects.get()
    # when staff, reading Chinese, take it step by step from their page: shipped, delivered, the
    # faulty part taken in by the carrier, received and checked
    role_user("staff", username="wang")
    desk = page.context.browser.new_context().new_page()
    sign_in(desk, live_server.url, "wang")
    desk.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "zh-hans", "url": live_server.url}])
    desk.goto(f"{live_server.url}/self-repair/staff/")
    row = desk.locator("tr", has_text=display(order.number))
    row.get_by_label("运单号").fill("1Z999AA10123456784")
    for step in ("部件已寄出", "部件已送达", "承运商已揽收寄回件", "寄回的部件已收到并核验"):
        desk.locator("tr", has_text=display(order.number)).get_by_role("button", name=step).click()
        desk.wait_for_load_state()
    desk.context.close()
    assert Order.objects.get().status == "return-received"
    # and the refund is made (by its task, or by the daily sweep when the task was lost)
    call_command("csr-sweep", stdout=io.StringIO())
    # then the customer's page says the deposit is back, with both legs of the journey done
    page.reload()
    page.get_by_role("heading", name="押金已退还").wait_for()
    assert "1Z999AA10123456784" in page.content()
    legs = page.locator("ol.timeline")
    assert legs.count() == 2 and all("○" not in legs.nth(n).inner_text() for n in range(2))
    # and they were told, in Chinese
    told = Notification.objects.filter(template="csr-update").order_by("pk").last()
    assert told.language == "zh-hans" and "押金" in told.subject

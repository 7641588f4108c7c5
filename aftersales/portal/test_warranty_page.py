"""The customer's "Check my warranty" page, through Django's test client."""

from __future__ import annotations

import html
import re

import pytest
from django.test import Client, override_settings

from aftersales.core import clock
from aftersales.warranty.decisions import warranty_decide

HEADLINES = {"en": ("Covered by warranty", "Not covered by warranty"),
             "zh-hans": ("在保修范围内", "不在保修范围内")}


def client_in(language: str) -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE=language)


def page_text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_covered_device_shows_covered_with_each_reason_in_the_visitors_language(registry, language):
    # given a home desktop made in March 2024 and no invoice
    data = {"serial": "HD000001", "part": "mainboard", "purchased_on": ""}
    # when the customer checks the mainboard
    response = client_in(language).post("/warranty/", data)
    # then the page says covered, and gives every reason and rule of the decision in that language
    text = page_text(response)
    decision = warranty_decide(data={"serial": "HD000001", "part": "mainboard"}, now=clock.now()).decision
    assert response.status_code == 200
    assert HEADLINES[language][0] in text and HEADLINES[language][1] not in text
    for reason in decision.reasons:
        assert (reason.zh if language == "zh-hans" else reason.en) in text
        assert (reason.en if language == "zh-hans" else reason.zh) not in text
    assert "400-600-6655" in text
    # the policy and each clause's source are named as a person reads them, never by their ids
    policy, source = (("台式机与一体机保修政策（大中华地区）（2026-11-30）", "台式机&一体机保修政策（2024-01-15），")
                      if language == "zh-hans" else
                      ("Desktop and all-in-one warranty terms — Greater China (2026-11-30)",
                       "ASUS desktop and all-in-one warranty policy (2024-01-15), "))
    assert policy in text and source in text
    shown = re.sub(r"<[^>]*>", " ", text)  # what a reader sees, without the markup
    assert "cn-desktop" not in shown and "home-periods" not in shown and "start-date" not in shown


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_device_past_its_period_shows_not_covered_and_why_in_the_visitors_language(registry, language):
    # given a home desktop made in January 2020, whose 36 months ended in January 2023
    response = client_in(language).post("/warranty/", {"serial": "HD000002", "part": "cpu"})
    text = page_text(response)
    decision = warranty_decide(data={"serial": "HD000002", "part": "cpu"}, now=clock.now()).decision
    assert response.status_code == 200
    assert HEADLINES[language][1] in text
    assert "period-ended" in decision.reason_codes()
    for reason in decision.reasons:
        assert (reason.zh if language == "zh-hans" else reason.en) in text


def test_the_last_day_covered_reads_as_included_on_the_chinese_page(registry):
    # the mainboard of a home desktop made on 2024-03-01: covered to 2027-02-28, on site as long
    zh = page_text(client_in("zh-hans").post("/warranty/", {"serial": "HD000001", "part": "mainboard"}))
    en = page_text(client_in("en").post("/warranty/", {"serial": "HD000001", "part": "mainboard"}))
    assert "2027年2月28日（含）</time>" in zh
    assert "截至 2027年2月28日（含）可免费上门维修" in zh
    assert "（含）" not in en and "Free on-site repair until" in en


def test_an_invoice_date_moves_the_start_and_is_named_as_the_basis(registry):
    response = client_in("en").post("/warranty/", {"serial": "HD000002", "part": "cpu",
                                                  "purchased_on": "2023-05-01"})
    text = page_text(response)
    assert "Covered by warranty" in text
    assert "The date on your invoice" in text
    assert "May 1, 2023" in text and "April 30, 2026" in text


def test_a_symptom_is_checked_against_the_part_most_likely_behind_it(registry):
    response = client_in("en").post("/warranty/", {"serial": "HD000001", "symptom": "no-power"})
    text = page_text(response)
    assert "Power supply" in text and "It does not switch on" in text
    assert "Covered by warranty" in text


@pytest.mark.parametrize(("language", "message"), [
    ("en", "We have no record of serial number ZZ999999"),
    ("zh-hans", "未找到序列号 ZZ999999 的记录"),
])
def test_an_unknown_serial_is_refused_with_its_code_in_the_visitors_language(registry, language, message):
    response = client_in(language).post("/warranty/", {"serial": "zz999999", "part": "cpu"})
    text = page_text(response)
    assert response.status_code == 422
    error = text[text.index('id="id_serial_error"'):]
    assert message in error[:400] and 'data-code="unknown-serial"' in error[:400]
    # the form keeps what was typed
    assert 'value="zz999999"' in text


@pytest.mark.parametrize(("language", "message"), [
    ("en", "This date could not be read. Enter the whole date"),
    ("zh-hans", "无法识别这个日期。请填写完整的日期"),
])
def test_an_impossible_invoice_date_is_refused_next_to_the_invoice_date_field(registry, language, message):
    response = client_in(language).post("/warranty/", {"serial": "HD000001", "part": "cpu",
                                                      "purchased_on": "2023-02-30"})
    text = page_text(response)
    assert response.status_code == 422
    error = text[text.index('id="id_purchased_on_error"'):][:400]
    assert message in error and 'data-code="invalid-date"' in error
    assert 'value="2023-02-30"' in text and 'value="HD000001"' in text
    assert 'aria-invalid="true" id="id_purchased_on"' in text


def test_a_request_without_a_part_or_a_problem_asks_for_one(registry):
    response = client_in("en").post("/warranty/", {"serial": "HD000001"})
    text = page_text(response)
    assert response.status_code == 422
    assert "Choose the problem you see, or the part that is faulty." in text
    assert 'id="id_symptom_error"' in text


def test_service_outside_the_region_of_sale_is_not_covered_and_cites_the_region_rule(registry):
    response = client_in("en").post("/warranty/", {"serial": "HD000001", "part": "cpu", "service_in": "HK"})
    text = page_text(response)
    assert "Not covered by warranty" in text
    assert "serviced only in mainland China" in text and "region" in text


@override_settings(PUBLIC_LOOKUPS_PER_MINUTE=2)
@pytest.mark.parametrize(("language", "message"), [
    ("en", "Too many look-ups from your network"),
    ("zh-hans", "您所在网络在一分钟内的查询次数过多"),
])
def test_past_the_lookup_limit_the_page_answers_429_in_the_visitors_language(registry, language, message):
    client = client_in(language)
    statuses = [client.post("/warranty/", {"serial": "HD000001", "part": "cpu"}).status_code for _ in range(2)]
    refused = client.post("/warranty/", {"serial": "HD000001", "part": "cpu"})
    assert statuses == [200, 200]
    assert refused.status_code == 429
    assert message in page_text(refused) and "too-many-requests" in page_text(refused)
    assert int(refused["Retry-After"]) > 0


@override_settings(PUBLIC_LOOKUPS_PER_MINUTE=1)
def test_another_client_address_has_its_own_lookup_count(registry):
    first = client_in("en").post("/warranty/", {"serial": "HD000001", "part": "cpu"}, REMOTE_ADDR="10.0.0.1")
    other = client_in("en").post("/warranty/", {"serial": "HD000001", "part": "cpu"}, REMOTE_ADDR="10.0.0.2")
    again = client_in("en").post("/warranty/", {"serial": "HD000001", "part": "cpu"}, REMOTE_ADDR="10.0.0.1")
    assert (first.status_code, other.status_code, again.status_code) == (200, 200, 429)


def test_an_htmx_request_gets_only_the_form_and_the_answer(registry):
    response = client_in("en").post("/warranty/", {"serial": "HD000001", "part": "cpu"}, HTTP_HX_REQUEST="true")
    text = page_text(response)
    assert text.lstrip().startswith('<div id="warranty-panel"')
    assert "<html" not in text and "Covered by warranty" in text
    assert "HX-Request" in response["Vary"]


def test_the_empty_form_offers_the_parts_the_symptoms_and_the_regions(registry):
    text = page_text(client_in("zh-hans").get("/warranty/"))
    assert "无法开机" in text  # a symptom from the packs
    assert '<option value="lcd-panel">液晶屏</option>' in text
    assert '<option value="HK">中国香港</option>' in text
    assert "如没有有效发票请留空" in text


def test_the_language_switch_remembers_the_choice(registry):
    client = Client()
    response = client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/warranty/"})
    assert response.status_code == 302 and response["Location"] == "/warranty/"
    text = page_text(client.get("/warranty/"))
    assert '<html lang="zh-Hans">' in text and "查询保修" in text


def test_the_home_page_says_what_a_customer_can_do_and_whom_to_call(registry):
    text = page_text(client_in("en").get("/"))
    assert 'href="/warranty/"' in text
    assert "400-600-6655" in text and "1-855-714-0471" in text

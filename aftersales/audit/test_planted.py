"""Planted overcharges: for every rule, one case overcharged and one charged correctly, run through
both the columnar audit and the scalar engine; each finds exactly the planted ones."""

import datetime as dt
from decimal import Decimal

import pytest

from aftersales.audit.rules.reprice import PriceRow
from aftersales.audit.rules.rows import CaseRow, LineRow, PaymentRow
from aftersales.audit.testing import columnar_findings, scalar_findings
from aftersales.policy.pack import parse_pack
from aftersales.policy.testing import SHIPPED
from aftersales.warranty.rules.engine import PackSet

PACKS = PackSet([parse_pack(t) for t in SHIPPED.values()])
D = Decimal
PSU_2015 = PriceRow(1, "psu", "home-desktop", "", "CN", D("320.00"), "CNY", dt.date(2015, 1, 1), dt.date(2019, 12, 31))
PSU_2020 = PriceRow(2, "psu", "home-desktop", "", "CN", D("350.00"), "CNY", dt.date(2020, 1, 1), None)
ROG_FAN = PriceRow(3, "fan", "rog-desktop", "", "CN", D("80.00"), "CNY", dt.date(2015, 1, 1), None)
PRICES = [PSU_2015, PSU_2020, ROG_FAN]
LIST_2015 = {"id": 1, "price": "320.00", "currency": "CNY", "model": "", "valid_from": "2015-01-01",
             "valid_to": "2019-12-31"}
FEES = {"pack": "cn-desktop@2026.11.30", "clause": "fees"}


def case(number, *, part="psu", made=dt.date(2020, 1, 10), bought=dt.date(2020, 3, 1), opened=dt.date(2021, 6, 1),
         rejected=False):
    return CaseRow(number, "CN", "Shanghai", "home-desktop", "D500", "S1", made, bought, opened, None, part, "",
                   rejected, "CNY")


def out_of_warranty(number):
    """A power supply made 2015, bought 2016: its 36 months ended 2018-12-31."""
    return case(number, made=dt.date(2015, 6, 1), bought=dt.date(2016, 1, 1))


def line(number, no, service, part="", labour="0.00", parts="0.00"):
    return LineRow(number, no, service, part, D(labour), D(parts), "CNY")


def audit(cases, lines, payments=()):
    both = [engine(PACKS, cases, lines, list(payments), PRICES) for engine in (columnar_findings, scalar_findings)]
    assert both[0] == both[1]
    return both[0]


def found(number, no, rule, charged, due, evidence):
    over = str(D(charged) - D(due))
    return {"case_number": number, "line_no": no, "rule": rule, "charged": charged, "due": due, "overcharge": over,
            "currency": "CNY", "evidence": evidence}


def test_a_covered_power_supply_charged_for_is_found_and_one_replaced_free_is_not():
    # given a power supply bought 2020-03-01, covered 36 months, replaced in June 2021
    cases = [case("W1"), case("W2")]
    lines = [line("W1", 1, "part-replacement", "psu", "50.00", "350.00"), line("W1", 2, "deep-cleaning", "", "199.00"),
             line("W2", 1, "part-replacement", "psu")]
    # when audited
    findings, unpriced = audit(cases, lines)
    # then only the charged replacement is an overcharge; the cleaning is paid even in warranty
    covered = {**FEES, "warranty_clause": "home-periods", "covered_until": "2023-02-28"}
    assert findings == [found("W1", 1, "charged-under-warranty", "400.00", "0.00", covered)]
    assert unpriced == {}


def test_after_a_declined_quotation_only_the_inspection_is_due():
    # given a fan out of its 12 months, the quotation declined
    cases = [case("R1", part="fan", bought=dt.date(2020, 1, 20), rejected=True),
             case("R2", part="fan", bought=dt.date(2020, 1, 20), rejected=True)]
    lines = [line("R1", 1, "disassembly-diagnosis", "", "150.00"), line("R1", 2, "part-replacement", "fan", "50.00", "80.00"),
             line("R2", 1, "disassembly-diagnosis", "", "100.00")]
    findings, _ = audit(cases, lines)
    # then the inspection above its cap and the declined repair are found; the capped inspection is not
    assert findings == [found("R1", 1, "inspection-fee-above-cap", "150.00", "100.00", FEES),
                        found("R1", 2, "charged-after-rejection", "130.00", "0.00", FEES)]


def test_labour_above_the_schedule_is_found_and_labour_at_the_schedule_is_not():
    lines = [line("L1", 1, "part-replacement", "psu", "80.00", "350.00"),
             line("L2", 1, "part-replacement", "psu", "50.00", "350.00")]
    findings, _ = audit([out_of_warranty("L1"), out_of_warranty("L2")], lines)
    assert findings == [found("L1", 1, "labour-above-schedule", "80.00", "50.00", FEES)]


@pytest.mark.parametrize("opened, expected", [(dt.date(2019, 6, 1), ["P1"]), (dt.date(2020, 6, 1), [])])
def test_parts_are_held_to_the_list_price_in_force_on_the_day_the_case_was_opened(opened, expected):
    # given a power supply charged 350, listed at 320 until 2019 and at 350 from 2020, out of warranty
    made = dt.date(2015, 1, 10)
    cases = [CaseRow("P1", "CN", "", "home-desktop", "", "", made, None, opened, None, "psu", "", False, "CNY")]
    lines = [line("P1", 1, "part-replacement", "psu", "50.00", "350.00")]
    findings, _ = audit(cases, lines)
    assert [f["case_number"] for f in findings] == expected
    if expected:
        assert findings[0] == found("P1", 1, "parts-above-list", "350.00", "320.00", {**FEES, "list_price": LIST_2015})


def test_one_line_can_carry_both_the_labour_and_the_parts_finding():
    cases = [CaseRow("B1", "CN", "", "home-desktop", "", "", dt.date(2015, 1, 10), None, dt.date(2019, 6, 1), None,
                     "psu", "", False, "CNY")]
    findings, _ = audit(cases, [line("B1", 1, "part-replacement", "psu", "60.00", "330.00")])
    assert [(f["rule"], f["overcharge"]) for f in findings] == [("labour-above-schedule", "10.00"),
                                                               ("parts-above-list", "10.00")]


def test_payments_above_the_charged_total_are_found_and_payments_equal_to_it_are_not():
    cases = [out_of_warranty("M1"), out_of_warranty("M2")]
    lines = [line(n, 1, "part-replacement", "psu", "50.00", "350.00") for n in ("M1", "M2")]
    payments = [PaymentRow("M1", dt.date(2021, 6, 2), D("400.00"), "CNY", "a"),
                PaymentRow("M1", dt.date(2021, 6, 3), D("100.00"), "CNY", "b"),
                PaymentRow("M2", dt.date(2021, 6, 2), D("400.00"), "CNY", "a")]
    findings, _ = audit(cases, lines, payments)
    assert findings == [found("M1", None, "paid-more-than-charged", "500.00", "400.00", {"payments": 2})]


def test_a_payment_for_a_case_with_no_charged_line_is_found_and_so_is_one_for_a_case_that_cannot_be_priced():
    # given a case paid 100 with no line charged, and a Hong Kong case (no published schedule)
    # charged 100 and paid 150, a line of it without a list price
    hk = CaseRow("H2", "HK", "", "home-desktop", "", "", dt.date(2020, 1, 10), None, dt.date(2020, 6, 1), None,
                 "psu", "", False, "CNY")
    lines = [line("H2", 1, "part-replacement", "fan", "50.00", "50.00")]
    payments = [PaymentRow("E1", dt.date(2021, 6, 2), D("100.00"), "CNY", "a"),
                PaymentRow("H2", dt.date(2020, 6, 2), D("150.00"), "CNY", "a")]
    findings, unpriced = audit([out_of_warranty("E1"), hk], lines, payments)
    # then both are paid more than charged; the second is counted as unpriced for its region alone
    assert findings == [found("E1", None, "paid-more-than-charged", "100.00", "0.00", {"payments": 1}),
                        found("H2", None, "paid-more-than-charged", "150.00", "100.00", {"payments": 1})]
    assert unpriced == {"no-fee-schedule": 1}


def test_a_case_in_a_region_without_a_published_schedule_is_not_priced_but_counted():
    hk = CaseRow("H1", "HK", "", "home-desktop", "", "", dt.date(2020, 1, 10), None, dt.date(2020, 6, 1), None,
                 "psu", "", False, "CNY")
    findings, unpriced = audit([hk], [line("H1", 1, "deep-cleaning", "", "500.00")])
    assert findings == [] and unpriced == {"no-fee-schedule": 1}


@pytest.mark.parametrize("made, found_rule", [(dt.date(2019, 5, 31), []), (dt.date(2019, 6, 1), ["charged-under-warranty"])])
def test_a_rog_fan_is_covered_by_the_terms_of_its_manufacture_date(made, found_rule):
    # given a ROG desktop fan replaced for 50 + 80 (the schedule's and the list's) in December 2020, without an invoice: made by
    # 2019-05-31 the whole unit has 12 months; made from 2019-06-01, 36 months
    rog = CaseRow("G1", "CN", "", "rog-desktop", "", "", made, None, dt.date(2020, 12, 1), None, "fan", "", False,
                  "CNY")
    findings, unpriced = audit([rog], [line("G1", 1, "part-replacement", "fan", "50.00", "80.00")])
    # then it is an overcharge only when the fan was still covered
    assert [f["rule"] for f in findings] == found_rule and unpriced == {}

"""Pricing paid service from the Greater-China fee schedule (seed 002), by worked example."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aftersales.billing.rules.pricing import PricingError, WorkItem, price_work, work_item
from aftersales.policy.testing import SHIPPED
from aftersales.policy.pack import PackError, parse_pack

SCHEDULE = parse_pack(SHIPPED["cn-desktop"]).fees


def price(line="home-desktop", *, in_warranty=False, rejected=False, work=()):
    return price_work(SCHEDULE, product_line=line, currency="CNY", in_warranty=in_warranty,
                      quotation_rejected=rejected, work=list(work))


def test_replacing_an_internal_desktop_part_costs_50_labour_plus_the_part():
    p = price("home-desktop", work=[WorkItem("part-replacement", "psu", Decimal("320"))])
    line = p.lines[0]
    assert (line.labour.amount, line.parts.amount, p.total.amount) == (Decimal("50.00"), Decimal("320.00"), Decimal("370.00"))


@pytest.mark.parametrize("line", ["aio", "mini-pc", "nuc"])
def test_replacing_an_internal_part_of_an_aio_mini_pc_or_nuc_costs_100_labour(line):
    p = price(line, work=[WorkItem("part-replacement", "mainboard", Decimal("800"))])
    assert p.lines[0].labour.amount == Decimal("100.00")


def test_a_part_that_comes_off_without_opening_the_unit_needs_no_labour_fee():
    p = price("aio", work=[WorkItem("part-replacement", "keyboard", Decimal("89.50"))])
    assert (p.lines[0].labour.amount, p.total.amount) == (Decimal("0.00"), Decimal("89.50"))


@pytest.mark.parametrize("service, fee", [("disassembly-diagnosis", "100.00"), ("hardware-upgrade", "100.00"),
                                          ("os-recovery", "100.00"), ("driver-install", "100.00"),
                                          ("customer-os-install", "100.00"), ("deep-cleaning", "199.00")])
def test_each_service_has_its_published_labour_fee(service, fee):
    assert price("rog-desktop", work=[WorkItem(service)]).total.amount == Decimal(fee)


def test_in_warranty_work_is_free_labour_and_parts():
    p = price("aio", in_warranty=True, work=[WorkItem("part-replacement", "lcd-panel", Decimal("1200")),
                                              WorkItem("disassembly-diagnosis")])
    assert p.total.amount == Decimal("0.00")
    assert all(line.labour.amount == line.parts.amount == 0 for line in p.lines)


def test_declining_a_quotation_out_of_warranty_costs_only_the_inspection_fee():
    p = price("aio", rejected=True, work=[WorkItem("disassembly-diagnosis"),
                                          WorkItem("part-replacement", "lcd-panel", Decimal("1200"))])
    assert [(line.service, line.labour.amount) for line in p.lines] == [("disassembly-diagnosis", Decimal("100.00"))]
    assert p.total.amount == Decimal("100.00")


def test_nothing_to_repair_out_of_warranty_costs_the_inspection_fee():
    assert price("nuc", work=[]).total.amount == Decimal("100.00")


def test_a_declined_quotation_in_warranty_costs_nothing():
    assert price("aio", in_warranty=True, rejected=True, work=[WorkItem("disassembly-diagnosis")]).total.amount == 0


def test_an_out_of_warranty_part_replacement_needs_the_list_price():
    with pytest.raises(PricingError) as err:
        price(work=[WorkItem("part-replacement", "psu", None)])
    assert err.value.code == "missing-part-price"


@pytest.mark.parametrize("raw, code", [
    ({"service": "teleport"}, "unknown-service"),
    ({"service": "part-replacement"}, "missing-part"),
    ({"service": "part-replacement", "part": "warp-core", "part_price": "1"}, "unknown-part"),
    ({"service": "part-replacement", "part": "ssd", "part_price": "-0.01"}, "negative-price"),
    ({"service": "part-replacement", "part": "ssd", "part_price": "12,50"}, "invalid-amount"),
    ({"service": "part-replacement", "part": "ssd", "part_price": 12.5}, "invalid-amount"),
    ({"service": "deep-cleaning", "part_price": "10.00"}, "unexpected-part-price"),
    ("deep-cleaning", "invalid-request"),
])
def test_bad_work_items_are_refused_with_a_code_in_both_languages(raw, code):
    with pytest.raises(PricingError) as err:
        work_item(raw, 0)
    assert err.value.code == code and err.value.en and err.value.zh


def test_a_fee_schedule_with_a_float_fee_is_rejected():
    text = SHIPPED["cn-desktop"].replace('deep-cleaning = "199.00" }\nhome-desktop', 'deep-cleaning = 199.0 }\nhome-desktop')
    with pytest.raises(PackError) as err:
        parse_pack(text)
    assert err.value.field == "fees.labour.rog-desktop.deep-cleaning"


prices = st.decimals(min_value=0, max_value=100000, places=2, allow_nan=False, allow_infinity=False)


@given(st.lists(prices, max_size=6))
def test_the_total_is_the_sum_of_its_lines_to_the_cent(part_prices):
    work = [WorkItem("part-replacement", "memory", p) for p in part_prices]
    p = price("home-desktop", work=work)
    assert p.total.amount == sum((line.labour.amount + line.parts.amount for line in p.lines), Decimal("0.00"))
    assert p.total.amount == 50 * len(part_prices) + sum(part_prices, Decimal(0)) if part_prices else p.total.amount == 100

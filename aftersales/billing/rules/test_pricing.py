"""Pricing paid service from the Greater-China fee schedule (seed 002), by worked example."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aftersales.billing.preview import work_item
from aftersales.billing.rules.pricing import (
    PricingError,
    WorkItem,
    covered_for,
    free_kinds,
    inspection_fee,
    list_price,
    price_work,
    schedule_for,
)
from aftersales.core.money import Money
from aftersales.policy.pack import PackError, parse_pack
from aftersales.policy.testing import SHIPPED

SCHEDULE = parse_pack(SHIPPED["cn-desktop"]).fees


def price(line="home-desktop", *, in_warranty=False, rejected=False, work=()):
    return price_work(SCHEDULE, product_line=line, in_warranty=in_warranty,
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
    ({"service": "part-replacement", "part": "ssd", "part_price": "-0.01"}, "negative-amount"),
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


# --- what is free in warranty (seed 002 fee tables; §7 (12)), by worked example -----------------------
def test_an_in_warranty_job_with_a_covered_part_replacement_and_a_customer_os_install_costs_100_for_the_install():
    # given an in-warranty home desktop whose failed disk is replaced, and the customer's own licensed system
    work = [WorkItem("part-replacement", "hdd", Decimal("299")), WorkItem("customer-os-install")]
    # when the job is priced
    p = price("home-desktop", in_warranty=True, work=work)
    # then the disk is free and the install costs its published 100 CNY
    assert [(line.service, line.labour.amount, line.parts.amount) for line in p.lines] == [
        ("part-replacement", Decimal("0.00"), Decimal("0.00")), ("customer-os-install", Decimal("100.00"), Decimal("0.00"))]
    assert (p.currency, p.total.amount) == ("CNY", Decimal("100.00"))


@pytest.mark.parametrize("service, fee", [("hardware-upgrade", "100.00"), ("customer-os-install", "100.00"),
                                          ("deep-cleaning", "199.00")])
def test_upgrades_with_own_parts_own_system_installs_and_deep_cleaning_are_paid_even_in_warranty(service, fee):
    assert price("aio", in_warranty=True, work=[WorkItem(service)]).total.amount == Decimal(fee)


@pytest.mark.parametrize("service", ["disassembly-diagnosis", "driver-install", "os-recovery"])
def test_diagnosis_driver_install_and_restoring_a_covered_system_are_free_in_warranty(service):
    assert price("rog-desktop", in_warranty=True, work=[WorkItem(service)]).total.amount == 0


def test_a_work_line_marked_out_of_warranty_is_charged_in_an_in_warranty_job():
    # given an in-warranty job where the memory is covered but the liquid-damaged board is not
    work = [WorkItem("part-replacement", "memory", Decimal("260")),
            WorkItem("part-replacement", "mainboard", Decimal("900"), in_warranty=False)]
    p = price("home-desktop", in_warranty=True, work=work)
    # then only the board is charged: 50 labour + 900 part
    assert [line.free for line in p.lines] == [True, False]
    assert p.total.amount == Decimal("950.00")


def test_a_work_line_marked_in_warranty_is_free_in_an_out_of_warranty_job():
    work = [WorkItem("part-replacement", "psu", Decimal("320"), in_warranty=True), WorkItem("deep-cleaning")]
    p = price("home-desktop", in_warranty=False, work=work)
    assert p.total.amount == Decimal("199.00")


def test_declining_the_paid_lines_keeps_the_covered_work_free_and_charges_no_inspection_fee():
    # given a job with a covered PSU and a paid cleaning; the customer declined the quotation
    work = [WorkItem("part-replacement", "psu", Decimal("320"), in_warranty=True), WorkItem("deep-cleaning")]
    p = price("home-desktop", rejected=True, work=work)
    # then the covered replacement still happens, free, and nothing is charged
    assert [(line.service, line.free) for line in p.lines] == [("part-replacement", True)]
    assert p.total.amount == 0


def test_declining_when_every_line_is_marked_out_of_warranty_charges_the_inspection_fee_even_in_a_covered_job():
    work = [WorkItem("deep-cleaning", in_warranty=False)]
    p = price("aio", in_warranty=True, rejected=True, work=work)
    assert [(line.service, line.labour.amount) for line in p.lines] == [("disassembly-diagnosis", Decimal("100.00"))]


# --- regions without a published schedule ---------------------------------------------------------
PACK = parse_pack(SHIPPED["cn-desktop"])


@pytest.mark.parametrize("region", ["HK", "MO", "TW"])
def test_a_region_the_pack_governs_but_publishes_no_fees_for_gets_no_fee_schedule(region):
    with pytest.raises(PricingError) as err:
        schedule_for(PACK, region)
    assert err.value.code == "no-fee-schedule" and err.value.status == 422
    assert "CNY" not in err.value.en and "mainland" not in err.value.en.lower()


def test_hong_kong_is_refused_in_plain_words_in_both_languages():
    with pytest.raises(PricingError) as err:
        schedule_for(PACK, "HK")
    assert "Hong Kong" in err.value.en and "中国香港" in err.value.zh


def test_mainland_china_gets_the_published_schedule_in_cny():
    schedule = schedule_for(PACK, "CN")
    assert (schedule.currency, schedule.regions) == ("CNY", frozenset({"CN"}))


def test_a_pack_that_publishes_no_fees_gets_no_fee_schedule():
    with pytest.raises(PricingError) as err:
        schedule_for(parse_pack(SHIPPED["na-notebook"]), "US")
    assert err.value.code == "no-fee-schedule"


def test_where_no_fees_are_published_every_covered_repair_is_free_but_not_extras_the_customer_asks_for():
    assert free_kinds(parse_pack(SHIPPED["na-notebook"])) == {"part-replacement", "unit-replacement",
                                                              "disassembly-diagnosis", "driver-install", "os-recovery"}
    assert free_kinds(PACK) == {"part-replacement", "disassembly-diagnosis", "driver-install", "os-recovery"}


# --- which warranty decision makes a quotation line covered -------------------------------------------
def test_a_replaced_part_is_covered_only_when_that_part_is():
    assert covered_for("part-replacement", "hdd", frozenset({"hdd"}))
    assert not covered_for("part-replacement", "mainboard", frozenset({"hdd"}))


def test_restoring_the_system_is_covered_only_when_the_preinstalled_system_is():
    assert not covered_for("os-recovery", None, frozenset({"hdd"}))
    assert covered_for("os-recovery", None, frozenset({"hdd", "preinstalled-os"}))


def test_diagnosis_naming_no_part_is_covered_when_any_fault_of_the_job_is():
    assert covered_for("disassembly-diagnosis", None, frozenset({"psu"}))
    assert not covered_for("disassembly-diagnosis", None, frozenset())
    assert not covered_for("driver-install", "gpu", frozenset({"psu"}))


def test_a_list_price_in_another_currency_is_refused_not_converted():
    with pytest.raises(PricingError) as err:
        list_price(PACK.fees, currency="CNY", product_line="aio", service="part-replacement", part="ssd",
                   part_price=Money("80.00", "USD"))
    assert err.value.code == "currency-mismatch"


def test_the_inspection_fee_is_the_published_fee_capped_at_the_maximum():
    assert inspection_fee(PACK.fees, "mini-pc") == Money("100.00", "CNY")

"""The self-repair programme's rules, each on its own and together."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from aftersales.csr.rules.eligibility import Facts, csr_eligibility
from aftersales.policy.pack import parse_pack
from aftersales.policy.testing import SHIPPED

PACK = parse_pack(SHIPPED["na-notebook"])
TERMS = PACK.self_repair


def decide(facts: Facts, terms=TERMS):
    return csr_eligibility(facts, terms, PACK.clauses)

ELIGIBLE = Facts(country="US", product_line="notebook", shipped_on=dt.date(2023, 3, 1), sold_on=dt.date(2023, 5, 2),
                 in_warranty=True, diagnostic_app=True, model_excluded=False, confirmed_faults=("ssd",),
                 requested_part="ssd", applied_on=dt.date(2026, 11, 30))


def codes(**changes) -> list[str]:
    return [r.code for r in decide(dataclasses.replace(ELIGIBLE, **changes)).reasons]


def test_a_notebook_in_warranty_with_its_confirmed_ssd_fault_is_eligible_and_due_back_in_fourteen_days():
    verdict = decide(ELIGIBLE)
    assert verdict.eligible and verdict.reasons == ()
    assert verdict.return_due_on == dt.date(2026, 12, 14)


@pytest.mark.parametrize("part", ["hdd", "ssd", "memory", "power-adapter"])
def test_each_of_the_four_programme_parts_can_be_sent(part):
    assert codes(confirmed_faults=(part,), requested_part=part) == []


def test_canada_is_in_the_programme_and_mainland_china_is_not():
    assert codes(country="CA") == []
    assert codes(country="CN") == ["not-in-programme-country"]


def test_a_desktop_is_refused_as_not_a_notebook():
    assert codes(product_line="home-desktop") == ["not-a-notebook"]


def test_a_notebook_shipped_on_the_last_day_of_2019_is_refused_and_one_shipped_on_new_years_day_2020_is_not():
    assert codes(shipped_on=dt.date(2019, 12, 31)) == ["shipped-before-2020"]
    assert codes(shipped_on=dt.date(2020, 1, 1), sold_on=dt.date(2020, 1, 1)) == []


def test_a_notebook_sold_in_2019_is_refused_even_when_shipped_later():
    assert codes(sold_on=dt.date(2019, 6, 1)) == ["sold-before-2020"]


@pytest.mark.parametrize(("change", "code"), [
    ({"in_warranty": False}, "warranty-ended"),
    ({"diagnostic_app": False}, "no-diagnostic-app"),
    ({"model_excluded": True}, "model-excluded"),
])
def test_each_device_condition_refuses_with_its_own_reason(change, code):
    assert codes(**change) == [code]


def test_a_keyboard_is_not_sent_by_self_repair_even_when_its_fault_is_confirmed():
    assert codes(confirmed_faults=("keyboard",), requested_part="keyboard") == ["part-not-in-programme"]


def test_asking_for_a_part_the_tool_did_not_confirm_is_refused():
    assert codes(confirmed_faults=("memory",), requested_part="ssd") == ["fault-not-confirmed"]
    assert codes(confirmed_faults=()) == ["fault-not-confirmed"]


def test_two_confirmed_faults_send_the_customer_to_a_regular_repair():
    verdict = decide(dataclasses.replace(ELIGIBLE, confirmed_faults=("ssd", "memory")))
    assert [r.code for r in verdict.reasons] == ["several-faults"]
    assert verdict.reasons[0].regular_repair and verdict.return_due_on is None


def test_the_same_fault_reported_twice_is_one_fault():
    assert codes(confirmed_faults=("ssd", "ssd")) == []


def test_every_refusal_is_given_at_once_in_english_and_chinese_without_field_names():
    verdict = decide(Facts(country="CN", product_line="aio", shipped_on=dt.date(2018, 1, 1),
                                    sold_on=dt.date(2018, 2, 1), in_warranty=False, diagnostic_app=False,
                                    model_excluded=True, confirmed_faults=("gpu", "fan"), requested_part="gpu",
                                    applied_on=dt.date(2026, 11, 30)))
    assert [r.code for r in verdict.reasons] == [
        "not-in-programme-country", "not-a-notebook", "shipped-before-2020", "sold-before-2020", "warranty-ended",
        "no-diagnostic-app", "model-excluded", "part-not-in-programme", "several-faults"]
    for reason in verdict.reasons:
        assert reason.en and reason.zh and "_" not in reason.en + reason.zh
        names = ("product_line", "confirmed_faults", "requested_part", "in_warranty")
        assert not any(name in reason.en for name in names)
    assert "graphics card" in verdict.reasons[7].en and "独立显卡" in verdict.reasons[7].zh


def test_an_eligible_verdict_names_every_programme_clause_it_applied():
    verdict = decide(ELIGIBLE)
    assert verdict.clauses == ("csr-countries", "csr-products", "csr-parts", "csr-diagnosis", "csr-one-part",
                               "csr-return")


def test_a_refusal_cites_its_clause_by_the_documents_title_and_section_in_both_languages():
    # given a computer sold in mainland China
    verdict = decide(dataclasses.replace(ELIGIBLE, country="CN"))
    # then the refusal applies the countries clause and says where it comes from
    (reason,) = verdict.reasons
    assert reason.clause == "csr-countries" and verdict.clauses == ("csr-countries",)
    assert reason.en.endswith("(Source: Customer Self-Repair (CSR) – questions and answers, General questions: "
                              "what countries provide CSR service?)")
    assert reason.zh.endswith("（依据：客户自助维修（CSR）常见问题，一般问题：哪些国家提供 CSR 服务？）")
    assert "United States and Canada" in reason.en and "美国、加拿大" in reason.zh


def test_the_programme_follows_the_terms_it_is_given_not_figures_of_its_own():
    # given terms of another version: Canada only, from mid-2021, memory only, 10 days to send back
    terms = dataclasses.replace(TERMS, countries=("CA",), sold_from=dt.date(2021, 7, 1), parts=("memory",),
                                return_days=10)
    memory = dataclasses.replace(ELIGIBLE, country="CA", confirmed_faults=("memory",), requested_part="memory")
    # then those figures decide
    assert decide(memory, terms).return_due_on == dt.date(2026, 12, 10)
    assert [r.code for r in decide(dataclasses.replace(memory, country="US"), terms).reasons] == [
        "not-in-programme-country"]
    early = decide(dataclasses.replace(memory, sold_on=dt.date(2021, 6, 30)), terms).reasons
    assert [r.code for r in early] == ["sold-before-2020"] and "from 2021-07-01 on" in early[0].en
    assert "2021-07-01 及以后购买" in early[0].zh
    ssd = decide(dataclasses.replace(ELIGIBLE, country="CA"), terms).reasons
    assert [r.code for r in ssd] == ["part-not-in-programme"] and "only these parts can: memory." in ssd[0].en

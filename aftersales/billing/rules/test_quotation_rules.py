"""The fairness rules of a quotation, without a database."""

from decimal import Decimal as D

import pytest

from aftersales.billing.rules.quotation import AnsweredLine, QuoteLine, answer_refusal, review


def line(service="part-replacement", labour="50", parts="300", list_labour="50", list_parts="300", **kw):
    return QuoteLine(service=service, labour=D(labour), parts=D(parts),
                     list_labour=None if list_labour is None else D(list_labour),
                     list_parts=None if list_parts is None else D(list_parts), **kw)


def codes(findings):
    return [f.code for f in findings]


def test_a_quotation_at_list_prices_needs_nothing_more():
    r = review([line()], fair_market_value=None)
    assert r.sendable and not r.needs_verification


def test_a_covered_line_with_a_price_is_refused():
    r = review([line(covered=True)], fair_market_value=None)
    assert codes(r.refusals) == ["covered-line-charged"]


def test_a_labour_fee_off_the_schedule_needs_verification_and_an_explanation():
    r = review([line(labour="80")], fair_market_value=None)
    assert codes(r.needs_verification) == ["labour-off-schedule"]
    assert codes(r.refusals) == ["explanation-missing"]
    assert review([line(labour="80")], fair_market_value=None, explanation="Second trip").sendable


def test_a_total_above_fair_market_value_needs_verification():
    r = review([line(parts="900", list_parts="900")], fair_market_value=D("500"), explanation="Board and screen")
    assert codes(r.needs_verification) == ["total-above-fair-market-value"]


def test_a_unit_replacement_alone_needs_a_reason_why_components_cannot_be_repaired():
    unit = line("unit-replacement", labour="0", parts="400", list_labour=None, list_parts=None)
    r = review([unit], fair_market_value=D("500"), explanation="x")
    assert "component-first" in codes(r.refusals)
    r = review([unit], fair_market_value=D("500"), explanation="x", unit_infeasible_reason="Board no longer made")
    assert r.sendable


def test_a_unit_replacement_can_never_cost_more_than_the_device_is_worth():
    unit = line("unit-replacement", labour="0", parts="501", list_labour=None, list_parts=None)
    r = review([line(), unit], fair_market_value=D("500"), explanation="x")
    assert "above-fair-market-value" in codes(r.refusals)


def test_a_cosmetic_line_that_affects_function_may_be_quoted():
    assert review([line(cosmetic=True, affects_function=True)], fair_market_value=None).sendable
    assert not review([line(cosmetic=True)], fair_market_value=None).sendable


def test_an_empty_quotation_is_refused():
    assert codes(review([], fair_market_value=None).refusals) == ["empty-quotation"]


def test_every_whole_unit_replacement_needs_a_verifier_and_a_written_reason():
    unit = line("unit-replacement", labour="0", parts="400", list_labour=None, list_parts=None)
    r = review([line(), unit], fair_market_value=D("5000"))
    assert "unit-replacement" in codes(r.needs_verification)
    assert codes(r.refusals) == ["explanation-missing"]
    assert review([line(), unit], fair_market_value=D("5000"), explanation="The board is no longer made.").sendable


def test_a_unit_replacement_above_fair_market_value_is_refused_even_with_a_reason():
    unit = line("unit-replacement", labour="0", parts="5001", list_labour=None, list_parts=None)
    r = review([line(), unit], fair_market_value=D("5000"), explanation="Customer insists.",
               unit_infeasible_reason="No parts.")
    assert "above-fair-market-value" in codes(r.refusals)


def test_labour_set_by_hand_where_no_fee_is_published_needs_a_verifier():
    r = review([line("deep-cleaning", labour="300", parts="0", list_labour=None, list_parts=None)],
               fair_market_value=None, explanation="Hong Kong centre rate.")
    assert codes(r.needs_verification) == ["labour-unpublished"] and r.sendable


# --- lines that need other lines ----------------------------------------------------------------------
def test_a_line_may_need_another_line():
    r = review([line(), line("os-recovery", labour="100", parts="0", list_labour="100", list_parts=None, needs=1)],
               fair_market_value=None)
    assert r.sendable


def test_a_covered_line_that_needs_a_paid_line_is_refused():
    # given a free warranty repair that would only go ahead if a paid line is accepted
    covered = line(labour="0", parts="0", covered=True, needs=2)
    r = review([covered, line("deep-cleaning", labour="199", parts="0", list_labour="199", list_parts=None)],
               fair_market_value=None)
    # then the quotation cannot be drafted
    assert codes(r.refusals) == ["covered-needs-paid"]
    assert "Line 1" in r.refusals[0].en and "第 1 行" in r.refusals[0].zh


def test_a_paid_line_may_need_a_covered_line():
    covered = line(labour="0", parts="0", covered=True)
    assert review([covered, line("os-recovery", labour="100", parts="0", list_labour="100", list_parts=None,
                                 needs=1)], fair_market_value=None).sendable


@pytest.mark.parametrize("needs, code", [(1, "needs-itself"), (3, "needs-unknown-line"), (0, "needs-unknown-line")])
def test_a_line_cannot_need_itself_or_a_line_that_does_not_exist(needs, code):
    r = review([line(needs=needs), line()], fair_market_value=None)
    assert codes(r.refusals) == [code]


def test_lines_that_need_each_other_in_a_circle_are_refused_once_naming_every_line():
    r = review([line(needs=3), line(needs=1), line(needs=2), line(needs=1)], fair_market_value=None)
    assert codes(r.refusals) == ["dependency-cycle"]
    assert "Lines 1, 2 and 3" in r.refusals[0].en and "第 1、2、3 行" in r.refusals[0].zh


def answered(position, needs=None, covered=False):
    texts = {1: ("Replace the disk.", "更换硬盘。"), 2: ("Install the system on the new disk.", "在新硬盘上安装系统。"),
             3: ("Deep cleaning.", "深层清洁。")}
    return AnsweredLine(position, *texts[position], covered=covered, needs=needs)


def test_accepting_a_line_while_declining_the_line_it_needs_is_refused_naming_both_in_plain_words():
    lines = [answered(1), answered(2, needs=1)]
    refusal = answer_refusal(lines, {1: "decline", 2: "accept"})
    assert refusal.code == "needed-line-declined"
    assert refusal.en == ("You accepted line 2, “Install the system on the new disk”, but declined line 1, "
                          "“Replace the disk”, which it needs. Accept both, or decline both.")
    assert refusal.zh == ("您接受了第 2 项“在新硬盘上安装系统”，却拒绝了它所需要的第 1 项“更换硬盘”。"
                          "请两项都接受，或都拒绝。")


@pytest.mark.parametrize("answers", [{1: "accept", 2: "accept"}, {1: "decline", 2: "decline"},
                                     {1: "accept", 2: "decline"}])
def test_accepting_both_declining_both_or_declining_only_the_dependent_line_is_fine(answers):
    assert answer_refusal([answered(1), answered(2, needs=1)], answers) is None


def test_needing_a_covered_line_is_fine_whatever_the_answer():
    assert answer_refusal([answered(1, covered=True), answered(2, needs=1)], {2: "accept"}) is None


def test_a_total_a_charge_cannot_hold_is_refused_though_each_amount_fits():
    # given two lines at the largest amount each, together beyond numeric(12, 2)
    big = line(labour="9999999999.99", parts="0", list_labour=None, list_parts=None)
    result = review([big, line(labour="1", parts="0", list_labour=None, list_parts=None)], explanation="hand-priced", fair_market_value=None)
    # then the quotation is refused with a code, before anything is stored
    assert "total-too-large" in codes(result.refusals)
    assert "10,000,000,000" in result.refusals[0].en and "10,000,000,000" in result.refusals[0].zh


def test_a_total_just_below_the_limit_is_allowed():
    big = line(labour="9999999998.99", parts="0", list_labour=None, list_parts=None)
    result = review([big, line(labour="1", parts="0", list_labour=None, list_parts=None)], explanation="hand-priced", fair_market_value=None)
    assert "total-too-large" not in codes(result.refusals)

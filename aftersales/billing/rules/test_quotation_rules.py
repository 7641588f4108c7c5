"""The fairness rules of a quotation, without a database."""

from decimal import Decimal as D

from aftersales.billing.rules.quotation import QuoteLine, review


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

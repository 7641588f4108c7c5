"""Amounts typed into the console's quotation builder: every hostile one is refused on its row
with its code in the reader's language (422), never a server error, and no quotation is stored."""

import html

import pytest

from aftersales.billing.models import Quotation
from aftersales.console.conftest import signed_in
from aftersales.console.test_case_work import fan_price, quotation_post, url  # noqa: F401 (fixture)


@pytest.mark.parametrize("field", ["labour", "parts"])
@pytest.mark.parametrize("amount, code", [
    ("1e26", "invalid-amount"), ("1e25", "invalid-amount"), ("1E+2", "invalid-amount"), ("NaN", "invalid-amount"),
    ("Infinity", "invalid-amount"), ("-Infinity", "invalid-amount"), ("１２", "invalid-amount"),
    ("12,50", "invalid-amount"), ("0x10", "invalid-amount"), ("10000000000", "amount-too-large"),
    ("99999999999999999999", "amount-too-large"), ("-5", "negative-amount"), ("1.005", "amount-too-precise"),
])
def test_a_hostile_amount_is_refused_on_its_row_with_its_code(diagnosing, fan_price, field, amount, code):
    response = signed_in("staff").post(url(diagnosing, "quotations/"), quotation_post(**{f"line-0-{field}": amount}))
    assert response.status_code == 422
    assert code in html.unescape(response.content.decode())
    assert not Quotation.objects.filter(case=diagnosing).exists()


def test_an_amount_longer_than_the_field_is_refused_by_the_form(diagnosing, fan_price):
    response = signed_in("staff").post(url(diagnosing, "quotations/"), quotation_post(**{"line-0-labour": "9" * 500}))
    assert response.status_code == 422
    assert not Quotation.objects.filter(case=diagnosing).exists()


def test_a_hostile_amount_is_explained_in_chinese_to_a_chinese_reader(diagnosing, fan_price):
    staff = signed_in("staff")
    staff.defaults["HTTP_ACCEPT_LANGUAGE"] = "zh-hans"
    response = staff.post(url(diagnosing, "quotations/"), quotation_post(**{"line-0-labour": "1e26"}))
    assert response.status_code == 422
    assert "人工费必须写成数字" in html.unescape(response.content.decode())


def test_the_largest_amounts_are_taken_but_a_total_beyond_a_charge_is_refused(diagnosing, fan_price):
    # given labour at the largest amount a column holds, plus the fan's 80.00 list price
    post = quotation_post(**{"line-0-labour": "9999999999.99", "quote-explanation": "Priced by hand."})
    response = signed_in("staff").post(url(diagnosing, "quotations/"), post)
    # then the total could not be charged: refused with its code, nothing stored
    assert response.status_code == 422
    assert "total-too-large" in html.unescape(response.content.decode())
    assert not Quotation.objects.filter(case=diagnosing).exists()

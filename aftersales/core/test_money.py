"""The one amount parser: what people and files may write as an amount, and how everything else
is refused (a code and a message in both languages; never a float, never rounded)."""

from decimal import Decimal

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from aftersales.core.errors import AppError
from aftersales.core.money import parse_amount


def refused(value) -> AppError:
    with pytest.raises(AppError) as err:
        parse_amount(value, field="price")
    assert err.value.en and err.value.zh and err.value.field == "price"
    return err.value


@pytest.mark.parametrize("value, amount", [("350", "350.00"), ("350.5", "350.50"), ("350.00", "350.00"),
                                           (" 12.30 ", "12.30"), ("1.500", "1.50"), (0, "0.00"), (12, "12.00"),
                                           ("-0", "0.00"), (Decimal("9.9"), "9.90"),
                                           ("9999999999.99", "9999999999.99")])
def test_decimal_strings_ints_and_decimals_become_an_amount_with_two_places(value, amount):
    result = parse_amount(value)
    assert result == Decimal(amount) and str(result) == amount


@pytest.mark.parametrize("value", [1e26, 1.5, 0.0, True, False, None, [], {}, ["1"], {"amount": "1"}, "NaN", "nan",
                                   "Infinity", "-Infinity", "inf", "1e3", "1E+2", "12,50", ".5", "5.", "", "  ",
                                   "١٢", "１２", "0x10", "1_000", "+5", Decimal("NaN"), Decimal("Infinity"),
                                   "9" * 65])
def test_floats_bools_containers_and_text_that_is_not_a_plain_decimal_are_not_amounts(value):
    assert refused(value).code == "invalid-amount"


def test_a_number_from_json_with_an_exponent_is_a_float_and_refused():
    assert refused(orjson.loads(b'{"p": 1e26}')["p"]).code == "invalid-amount"


@pytest.mark.parametrize("value", ["-1", "-0.01", -1, Decimal("-5")])
def test_negative_amounts_are_refused(value):
    assert refused(value).code == "negative-amount"


@pytest.mark.parametrize("value", ["12345678901.00", "10000000000", 10 ** 10, 10 ** 40, "9" * 40,
                                   Decimal("1E+100")])
def test_amounts_a_numeric_12_2_column_cannot_hold_are_too_large(value):
    assert refused(value).code == "amount-too-large"


@pytest.mark.parametrize("value", ["1.005", "0.001", Decimal("0.125"), "1." + "0" * 30 + "1"])
def test_fractions_of_a_cent_are_refused_not_rounded(value):
    assert refused(value).code == "amount-too-precise"


def test_the_message_names_the_amount_in_the_readers_words():
    with pytest.raises(AppError) as err:
        parse_amount("-3", what=("The labour", "人工费"))
    assert err.value.en == "The labour cannot be negative." and err.value.zh == "人工费不能为负数。"


@given(st.decimals(min_value=0, max_value=Decimal("9999999999.99"), places=2))
def test_every_amount_written_to_the_cent_reads_back_as_itself(amount):
    assert parse_amount(str(amount)) == amount
    assert parse_amount(format(amount, "f")) == amount

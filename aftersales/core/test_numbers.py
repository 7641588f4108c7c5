"""Whole numbers read from text: plain ASCII digits of a bounded length, nothing else."""

import pytest

from aftersales.core.numbers import plain_number


@pytest.mark.parametrize(("text", "expected"), [("7", 7), ("007", 7), ("0", 0), ("123456789", 123456789)])
def test_ascii_digits_up_to_the_limit_are_the_number_they_write(text, expected):
    assert plain_number(text, digits=9) == expected


@pytest.mark.parametrize("text", ["", "²", "１２", "١٢", "-1", "+1", " 1", "1.0", "1e3", "1234567890", "9" * 5000])
def test_anything_else_is_no_number(text):
    assert plain_number(text, digits=9) is None

"""The return address of a mail-in booking, checked without a database."""

import pytest

from aftersales.repairs.rules.addresses import address_lines, address_problem


def test_an_address_is_kept_line_by_line_without_blank_lines_or_outer_spaces():
    assert address_lines("  Wang Fang \r\n\r\n 88 Century Avenue\nShanghai 200120  ") == \
        "Wang Fang\n88 Century Avenue\nShanghai 200120"


@pytest.mark.parametrize("address", ["上海市浦东新区世纪大道88号", "Flat 3, 12 Nathan Road\nKowloon, Hong Kong"])
def test_real_addresses_in_either_script_pass(address):
    assert address_problem(address_lines(address)) is None


@pytest.mark.parametrize("address, code", [
    ("12 Road\x00", "address-characters"),
    ("12 Road \x1b[31m", "address-characters"),
    ("12 Road\u202e", "address-characters"),
    ("<script>alert(1)</script> Road 5", "address-characters"),
    ("Home", "address-too-short"),
    ("x" * 401, "address-too-long"),
    ("\n".join(["Line one"] * 9), "address-too-long"),
])
def test_hostile_or_useless_addresses_are_refused_with_the_reason(address, code):
    assert address_problem(address_lines(address))[0] == code

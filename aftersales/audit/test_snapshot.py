"""The audit's snapshot: one row per case, its charged lines and its payments nested in it, the
amounts exact to the cent whatever the database stored."""

from decimal import Decimal

import duckdb
import pytest

from aftersales.audit.conftest import history_case
from aftersales.audit.snapshot import snapshot_export

pytestmark = pytest.mark.django_db


def test_the_snapshot_carries_each_case_s_lines_and_payments_in_its_row(tmp_path):
    # given a case with a replaced part and a cleaning (amounts with cents, one part left blank),
    # paid once, a case paid with no line, a case charged and never paid, and one with neither
    history_case("H3", lines=[("part-replacement", "psu", "12.50", "0.10"), ("deep-cleaning", "", "199.00", "0.00")],
                 paid="211.60")
    history_case("H4", paid="30.00")
    history_case("H5", lines=[("deep-cleaning", "", "199.00", "0.00")])
    history_case("H6")
    # when the snapshot is exported
    paths = snapshot_export(folder=tmp_path)
    rows = duckdb.sql(f"SELECT case_number, lines, payments FROM read_parquet('{paths['cases']}') "
                      "ORDER BY case_number").fetchall()
    # then each paid case is one row, its lines and payments in it; the others are not audited
    (h3, lines, paid), h4 = rows
    assert h3 == "H3" and paid == [Decimal("211.60")]
    assert sorted(lines, key=lambda line: line["line_no"]) == [
        {"line_no": 1, "service": "part-replacement", "part": "psu", "labour_charged": Decimal("12.50"),
         "parts_charged": Decimal("0.10")},
        {"line_no": 2, "service": "deep-cleaning", "part": "", "labour_charged": Decimal("199.00"),
         "parts_charged": Decimal("0.00")}]
    assert h4 == ("H4", [], [Decimal("30.00")])

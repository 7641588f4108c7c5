"""Importing repairs of past years and the price list of those years, then auditing them from the
command line: bad rows reported in both languages, the rest imported; nothing imported twice."""

import datetime as dt
import json
from decimal import Decimal

import duckdb
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from aftersales.audit.history import history_import
from aftersales.audit.models import HistoryCase, HistoryLine, HistoryPayment
from aftersales.billing.models import PartPrice
from aftersales.policy.testing import POLICY_DIR

pytestmark = pytest.mark.django_db

CASES = """case_number,region,centre,product_line,model,serial,manufactured_on,purchased_on,opened_on,closed_on,part,exclusions,quotation_rejected,currency
A1,CN,Shanghai,home-desktop,D500,S1,2020-01-10,2020-03-01,2021-06-01,2021-06-09,psu,,false,CNY
A2,CN,Beijing,home-desktop,D500,S2,2015-01-10,,2019-06-01,2019-06-05,psu,,false,CNY
A3,CN,Beijing,home-desktop,D500,S3,2015-01-10,,2019-06-01,,psu,liquid-damage,false,CNY
A4,CN,Beijing,home-desktop,D500,S4,2015-01-10,,2019-06-01,,flux-capacitor,,false,CNY
A5,CN,Beijing,home-desktop,D500,S5,2015-13-10,,2019-06-01,,psu,,false,CNY
"""
LINES = """case_number,line_no,service,part,labour_charged,parts_charged,currency
A1,1,part-replacement,psu,50.00,350.00,CNY
A2,1,part-replacement,psu,50.00,350.00,CNY
A3,1,part-replacement,psu,50.00,320.00,CNY
A9,1,deep-cleaning,,199.00,0.00,CNY
A2,2,deep-cleaning,,199.00,0.00,USD
"""
PAYMENTS = """case_number,paid_on,amount,currency,reference
A1,2021-06-09,400.00,CNY,P-1
A2,2019-06-05,400.00,CNY,P-2
A3,2019-06-05,-5,CNY,P-3
"""
PRICES = """part,product_line,region,currency,price,effective_from
psu,home-desktop,CN,CNY,320.00,2015-01-01
psu,home-desktop,CN,CNY,350.00,2020-01-01
"""


@pytest.fixture
def files(tmp_path):
    paths = {}
    for name, text in (("cases", CASES), ("lines", LINES), ("payments", PAYMENTS), ("prices", PRICES)):
        paths[name] = tmp_path / f"{name}.csv"
        paths[name].write_text(text)
    return paths


def run(files, **override):
    return history_import(**{k: str(files[k]) for k in ("cases", "lines", "payments")} | override)


def test_good_rows_are_imported_and_each_bad_row_is_reported_with_a_code_in_both_languages(files):
    result = run(files)
    assert result.created == {"cases": 3, "lines": 3, "payments": 2}
    refused = [(e.file.rsplit("/", 1)[1], e.row, e.code) for e in result.errors]
    assert refused == [("cases.csv", 4, "unknown-part"), ("cases.csv", 5, "invalid-date"),
                       ("lines.csv", 4, "unknown-case"), ("lines.csv", 5, "currency-mismatch"),
                       ("payments.csv", 3, "negative-amount")]
    assert all(e.en and e.zh and e.en != e.zh for e in result.errors)
    assert HistoryCase.objects.get(case_number="A3").exclusions == "liquid-damage"


@pytest.mark.parametrize("line_no", ["²", "0", "-1", "1.0", "一"])
def test_a_line_number_that_is_not_a_whole_number_from_1_is_a_bad_row_and_the_rest_go_in(files, line_no):
    # "²" passes str.isdigit, yet int() refuses it: the row must be refused, not stop the import
    files["lines"].write_text(LINES.replace("A3,1,", f"A3,{line_no},"))
    result = run(files)
    assert ("lines.csv", 3, "invalid-line-number") in [(e.file.rsplit("/", 1)[1], e.row, e.code) for e in result.errors]
    assert result.created["lines"] == 2 and result.created["payments"] == 2


def test_a_line_or_payment_given_twice_is_refused_in_words_naming_the_case_and_the_line_or_payment(files):
    # given files that give case A1's first line and its payment P-1 twice
    files["lines"].write_text(LINES + "A1,1,part-replacement,psu,50.00,350.00,CNY\n")
    files["payments"].write_text(PAYMENTS + "A1,2021-06-09,400.00,CNY,P-1\n")
    # when they are imported
    result = run(files)
    # then the second of each is refused, in words a person reads
    repeated = [(e.row, e.en, e.zh) for e in result.errors if e.code == "repeated-row"]
    assert repeated == [
        (6, "Line 1 of case A1 appears twice in the file.", "维修单 A1 的第 1 行费用在文件中出现了两次。"),
        (4, "The payment P-1 of case A1 appears twice in the file.", "维修单 A1 的付款（参考号 P-1）在文件中出现了两次。")]
    assert result.created == {"cases": 3, "lines": 3, "payments": 2}


def test_a_row_repeated_in_other_spacing_or_with_leading_zeros_is_still_refused_as_repeated(files):
    # given a case, a line and a payment each given again, written with other spaces around
    # (an ideographic space, a tab) and a line number with a leading zero
    files["cases"].write_text(CASES + "\u3000A2 ,CN,Beijing,home-desktop,D500,S2,2015-01-10,,2019-06-01,,psu,,false,CNY\n")
    files["lines"].write_text(LINES + " A1\t,01,part-replacement,psu,50.00,350.00,CNY\n")
    files["payments"].write_text(PAYMENTS + "A1,2021-06-09,400.00,CNY,\u00a0P-1\n")
    # when they are imported
    result = run(files)
    # then the second of each is refused as repeated, as the rows' checks read them
    repeated = [(e.file.rsplit("/", 1)[1], e.row) for e in result.errors if e.code == "repeated-row"]
    assert repeated == [("cases.csv", 6), ("lines.csv", 6), ("payments.csv", 4)]
    assert result.created == {"cases": 3, "lines": 3, "payments": 2}


def test_a_key_first_given_in_a_refused_row_is_not_a_repeat_when_given_again_in_a_good_one(files):
    # given a line whose first row is refused (its service is unknown) and whose second is good
    files["lines"].write_text(LINES.replace("A1,1,part-replacement", "A1,1,teleportation") +
                              "A1,1,part-replacement,psu,50.00,350.00,CNY\n")
    result = run(files)
    # then the good one goes in, and nothing is called repeated
    assert [e.code for e in result.errors if e.file.endswith("lines.csv")] == [
        "unknown-service", "unknown-case", "currency-mismatch"]
    assert HistoryLine.objects.filter(case__case_number="A1", line_no=1, service="part-replacement").count() == 1


def test_a_parquet_file_with_numbers_for_line_numbers_has_its_repeats_found_too(files, tmp_path):
    # given the lines as Parquet, line_no a column of integers, with line 1 of A1 twice
    path = tmp_path / "lines.parquet"
    duckdb.sql(f"COPY (SELECT case_number, CAST(line_no AS INTEGER) AS line_no, service, part, labour_charged, "
               f"parts_charged, currency FROM read_csv('{files['lines']}', all_varchar = true) "
               f"UNION ALL SELECT 'A1', 1, 'part-replacement', 'psu', '50.00', '350.00', 'CNY') "
               f"TO '{path}' (FORMAT parquet)")
    result = run(files, lines=str(path))
    assert [(e.row, e.code) for e in result.errors if e.code == "repeated-row"] == [(6, "repeated-row")]


def test_importing_the_same_files_again_changes_nothing(files):
    run(files)
    again = run(files)
    assert again.created == {"cases": 0, "lines": 0, "payments": 0}
    assert again.existing == {"cases": 3, "lines": 3, "payments": 2}
    assert (HistoryCase.objects.count(), HistoryLine.objects.count(), HistoryPayment.objects.count()) == (3, 3, 2)


def test_an_import_stopped_half_way_goes_on_where_it_stopped(files, tmp_path):
    # given an import that stopped after the first case
    first = tmp_path / "first.csv"
    first.write_text("\n".join(CASES.splitlines()[:2]) + "\n")
    empty_lines, empty_payments = tmp_path / "l.csv", tmp_path / "p.csv"
    empty_lines.write_text(LINES.splitlines()[0] + "\n")
    empty_payments.write_text(PAYMENTS.splitlines()[0] + "\n")
    run(files, cases=str(first), lines=str(empty_lines), payments=str(empty_payments))
    # when it is run again on the whole files
    result = run(files)
    # then it adds only what was missing
    assert result.created == {"cases": 2, "lines": 3, "payments": 2} and result.existing["cases"] == 1


def test_parquet_files_are_imported_like_csv(files, tmp_path):
    con = duckdb.connect()
    for name in ("cases", "lines", "payments"):
        con.execute(f"COPY (SELECT * FROM read_csv('{files[name]}', all_varchar = true)) "
                    f"TO '{tmp_path / name}.parquet' (FORMAT parquet)")
    result = run(files, **{n: str(tmp_path / f"{n}.parquet") for n in ("cases", "lines", "payments")})
    assert result.created == {"cases": 3, "lines": 3, "payments": 2} and result.error_count == 5


def test_a_file_without_a_needed_column_is_refused_before_anything_is_written(files, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("case_number,region\nA1,CN\n")
    with pytest.raises(CommandError):
        call_command("import-history", cases=str(bad), lines=str(files["lines"]), payments=str(files["payments"]),
                     no_progress=True)
    assert HistoryCase.objects.count() == 0



def test_a_row_not_in_utf_8_is_a_bad_row_in_a_sentence_that_says_so_and_the_rest_go_in(files):
    files["cases"].write_bytes(CASES.encode() + "A6,CN,深圳,home-desktop,D500,S6,2015-01-10,,2019-06-01,,psu,,false,CNY\n"
                               .encode("gb18030") + b"A7,CN,Beijing,home-desktop,D500,S7,2015-01-10,,2019-06-01,,psu,,false,CNY\n")
    result = run(files)
    bad = [e for e in result.errors if e.file.endswith("cases.csv") and e.row == 6]
    assert [(e.code, e.en, e.zh) for e in bad] == [
        ("not-utf-8", "This row is not UTF-8 text; save the file as UTF-8.", "此行不是 UTF-8 文本，请将文件另存为 UTF-8。")]
    # the row after it keeps its number and goes in
    assert HistoryCase.objects.filter(case_number="A7").exists() and not HistoryCase.objects.filter(case_number="A6")


def test_a_column_the_import_does_not_read_costs_no_row_whatever_its_bytes(files):
    # given an extra column (others are ignored) holding bytes that are not UTF-8 in row 2
    rows = CASES.splitlines()
    text = "\n".join([rows[0] + ",note"] + [row + ",ok" for row in rows[1:]]) + "\n"
    files["cases"].write_bytes(text.encode().replace(b"false,CNY,ok\nA3", "false,CNY,备注\nA3".encode("gb18030")))
    result = run(files)
    # then the rows fare as they do without it: A2 goes in, the same rows are refused
    refused = [(e.row, e.code) for e in result.errors if e.file.endswith("cases.csv")]
    assert refused == [(4, "unknown-part"), (5, "invalid-date")]
    assert sorted(HistoryCase.objects.values_list("case_number", flat=True)) == ["A1", "A2", "A3"]


def test_a_file_whose_heading_is_not_utf_8_is_refused_in_a_sentence_that_says_so_in_both_languages(files, tmp_path):
    bad = tmp_path / "cases.csv"
    bad.write_bytes(CASES.replace("centre", "中心").encode("gb18030"))
    with pytest.raises(CommandError) as refused:
        call_command("import-history", cases=str(bad), lines=str(files["lines"]), payments=str(files["payments"]),
                     no_progress=True)
    message = str(refused.value)
    assert "its first line is not UTF-8 text; save the file as UTF-8" in message and "首行不是 UTF-8 文本" in message
    assert "Possible Solution" not in message and "LINE 1" not in message and len(message.splitlines()) == 2
    assert HistoryCase.objects.count() == 0


def test_a_row_with_a_value_too_many_or_too_few_or_a_quote_left_open_costs_that_row_alone(files):
    # given: row 1 has a model over two lines in quotes (one row, which must not shift the numbers
    # after it), row 2 a value too many, row 3 one too few, row 6 a quote left open to the end
    rows = CASES.splitlines()
    rows[1] = rows[1].replace(",D500,", ',"D500\nrev. B",')
    rows[2] = rows[2] + ",extra"
    rows[3] = rows[3].rsplit(",", 1)[0]
    files["cases"].write_text("\n".join(rows) + '\nA8,CN,"Beijing,home-desktop,D500,S8,2015-01-10,,2019-06-01,,psu,,false,CNY\n')
    result = run(files)
    refused = [(e.row, e.code, e.en, e.zh) for e in result.errors if e.file.endswith("cases.csv")]
    assert refused == [
        (2, "malformed-row", "This row has 15 values; the heading has 14 columns.", "此行有 15 个值，而表头有 14 列。"),
        (3, "malformed-row", "This row has 13 values; the heading has 14 columns.", "此行有 13 个值，而表头有 14 列。"),
        (6, "malformed-row", "This row is not well-formed CSV: a quotation mark is left open or misplaced.",
         "此行不是格式正确的 CSV：引号未闭合或位置不对。"),
        (4, "unknown-part", *refused[3][2:]), (5, "invalid-date", *refused[4][2:])]
    assert list(HistoryCase.objects.values_list("case_number", "model")) == [("A1", "D500\nrev. B")]


def test_blank_lines_are_skipped_and_the_rows_keep_their_numbers_around_a_malformed_one(files):
    # given blank lines (which are not rows) before a row with a value too many
    rows = CASES.splitlines()
    rows[1] += "\n"
    rows[2] += ",extra"
    files["cases"].write_text("\n".join(rows) + "\n\n")
    result = run(files)
    refused = [(e.row, e.code) for e in result.errors if e.file.endswith("cases.csv")]
    # then the rows are numbered as if the blank lines were not there
    assert refused == [(2, "malformed-row"), (4, "unknown-part"), (5, "invalid-date")]
    assert sorted(HistoryCase.objects.values_list("case_number", flat=True)) == ["A1", "A3"]


def test_a_price_list_row_with_a_value_too_many_is_refused_and_the_others_load(files, capsys):
    files["prices"].write_text(PRICES + "psu,home-desktop,CN,CNY,380.00,2022-01-01,extra\n")
    with pytest.raises(CommandError, match="1 rows refused"):
        call_command("import-prices", str(files["prices"]))
    assert "row 3: [malformed-row] This row has 7 values; the heading has 6 columns." in capsys.readouterr().err
    assert PartPrice.objects.count() == 2


def test_a_price_list_runs_each_price_until_the_next_one_and_loads_once(files):
    call_command("import-prices", str(files["prices"]))
    call_command("import-prices", str(files["prices"]))
    rows = list(PartPrice.objects.order_by("valid_from").values_list("price", "valid_from", "valid_to"))
    assert rows == [(Decimal("320.00"), dt.date(2015, 1, 1), dt.date(2019, 12, 31)),
                    (Decimal("350.00"), dt.date(2020, 1, 1), None)]


def test_a_price_that_would_change_days_already_priced_is_refused(files, tmp_path):
    call_command("import-prices", str(files["prices"]))
    changed = tmp_path / "changed.csv"
    changed.write_text(PRICES.splitlines()[0] + "\npsu,home-desktop,CN,CNY,330.00,2015-01-01\n"
                       "psu,home-desktop,CN,CNY,330.00,2017-01-01\n")
    with pytest.raises(CommandError):
        call_command("import-prices", str(changed))
    assert PartPrice.objects.count() == 2


def test_the_audit_command_lists_each_overcharge_of_the_imported_history(files, tmp_path):
    # given history imported (bad rows refused) and the price list of those years
    with pytest.raises(CommandError):
        call_command("import-history", cases=str(files["cases"]), lines=str(files["lines"]),
                     payments=str(files["payments"]), no_progress=True)
    call_command("import-prices", str(files["prices"]))
    # when the audit runs
    out = tmp_path / "findings.jsonl"
    call_command("audit-overcharges", output=str(out), packs=str(POLICY_DIR), no_progress=True)
    # then A1 (covered, yet charged) and A2 (parts above the 2019 list) are found; A3 (liquid
    # damage, out of warranty, charged at the list) is not
    found = [json.loads(line) for line in out.read_text().splitlines()]
    assert [(f["case_number"], f["line_no"], f["rule"], f["charged"], f["due"]) for f in found] == [
        ("A1", 1, "charged-under-warranty", "400.00", "0.00"), ("A2", 1, "parts-above-list", "350.00", "320.00")]
    assert found[1]["evidence"]["list_price"]["valid_to"] == "2019-12-31"


def test_the_import_reports_its_progress_in_rows_up_to_the_total(files):
    seen = []
    run(files, progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (13, 13) and [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_the_engine_draws_no_progress_bar_where_the_findings_go(files, monkeypatch, capfd):
    # DuckDB draws a progress bar on standard output for any query past two seconds when Python
    # runs interactively (a shell, a notebook, ``python -c``): at 10M cases it would sit among the
    # findings written there. Each connection the import and the audit open must turn it off
    # before their first query, whatever DuckDB's default.
    connect, seen = duckdb.connect, []

    class Watched:
        def __init__(self, con):
            self.con = con
            con.execute("SET enable_progress_bar = true")  # DuckDB's default when interactive
            seen.append(self)

        def execute(self, sql, *args):
            if not sql.startswith("SET"):
                self.bar = self.bar if hasattr(self, "bar") else self.con.execute(
                    "SELECT current_setting('enable_progress_bar')").fetchone()[0]
            return self.con.execute(sql, *args)

        def __getattr__(self, name):
            return getattr(self.con, name)

    monkeypatch.setattr(duckdb, "connect", lambda *args, **kwargs: Watched(connect(*args, **kwargs)))
    with pytest.raises(CommandError):
        call_command("import-history", cases=str(files["cases"]), lines=str(files["lines"]),
                     payments=str(files["payments"]), no_progress=True)
    call_command("import-prices", str(files["prices"]))
    capfd.readouterr()
    call_command("audit-overcharges", packs=str(POLICY_DIR), no_progress=True)
    out = capfd.readouterr().out
    assert [json.loads(line)["case_number"] for line in out.splitlines()] == ["A1", "A2"]
    # the three files read, the price list, the snapshot's conversion and the job
    assert len(seen) >= 6 and [c.bar for c in seen] == [False] * len(seen)


def test_the_spaces_stripped_by_the_repeated_key_query_are_those_python_strips():
    from aftersales.audit.history import SPACE

    assert set(SPACE) == {chr(c) for c in range(0x110000) if chr(c).isspace()}
    assert all(("x" + c).strip() == "x" for c in SPACE)

"""``aftersales csr-eligibility`` fed good and hostile lines: each line gets a verdict (with the
deposit from the price list and the return date when eligible) or an error row with its own code
in its place, and input that cannot be read at all exits 2."""

from __future__ import annotations

import gzip
import json

import pytest

from aftersales.cli import main
from aftersales.core.testing import shipped_packs_loaded
from aftersales.csr.conftest import prices_listed

pytestmark = pytest.mark.django_db


def line(**fields) -> bytes:
    base = {"id": "ok", "country": "US", "product_line": "notebook", "shipped_on": "2024-03-01",
            "sold_on": "2024-04-02", "in_warranty": True, "diagnostic_app": True, "model_excluded": False,
            "confirmed_faults": ["ssd"], "requested_part": "ssd", "applied_on": "2025-06-01"}
    return json.dumps(base | fields, ensure_ascii=False).encode()


# (line, the error code it gets, or None when it is decided)
CORPUS = [
    (b"\xef\xbb\xbf" + line(id="after-the-mark"), None),
    (line(id="memory in the US", confirmed_faults=["memory"], requested_part="memory"), None),
    (line(id="hdd in Canada", country="CA", confirmed_faults=["hdd"], requested_part="hdd"), None),
    (line(id="two faults", confirmed_faults=["ssd", "memory"]), None),
    (line(id="refused for everything", country="FR", product_line="aio", sold_on="2019-05-01",
          in_warranty=False, confirmed_faults=["gpu"], requested_part="gpu"), None),
    (b"", "empty-line"),
    (b'{"id": "cut", "country": "US"', "invalid-json"),
    (line(id="bad-utf8").replace(b"notebook", b"note\xffbook"), "invalid-utf8"),
    (b"[" * 5000 + b"]" * 5000, "invalid-json"),
    (b"null", "not-an-object"),
    (b'["a", "list"]', "not-an-object"),
    (line(id={"an": "object"}), "invalid-id"),
    (line(id="x" * 300_000), "invalid-id"),
    (line(country=["US"]), "invalid-country"),
    (line(country="U\x00"), "invalid-country"),
    (line(country="Ｕｓ"), "invalid-country"),
    (line(product_line="notebook\x00"), "unknown-product-line"),
    (line(product_line="n" * 500_000), "unknown-product-line"),
    (line(shipped_on="2024-02-30"), "invalid-date"),
    (line(shipped_on=20240301), "invalid-date"),
    (line(sold_on="2024-04-02T00:00:00"), "invalid-date"),
    (line(applied_on="0001-01-01"), "date-out-of-range"),
    (line(in_warranty="yes"), "invalid-request"),
    (line(diagnostic_app=None), "invalid-request"),
    (line(model_excluded=0), "invalid-request"),
    (line(confirmed_faults="ssd"), "invalid-request"),
    (line(confirmed_faults=["ssd"] * 51), "invalid-request"),
    (line(confirmed_faults=[["ssd"]]), "unknown-part"),
    (line(requested_part="SSD"), "unknown-part"),
    (line(requested_part=None), "unknown-part"),
    (line(id="no price in Canada for an ssd", country="CA"), "no-deposit-price"),
    (line(id="no price before the list starts", applied_on="2023-06-01"), "no-deposit-price"),
    (b'{"id": "' + b"y" * (2 * 1024 * 1024) + b'"}', "line-too-long"),
    (line(id=12) + b"\r", None),
    (line(id="last line, no line end"), None),
]


def run(tmp_path, data: bytes) -> tuple[int, list[dict]]:
    (tmp_path / "in.jsonl").write_bytes(data)
    code = main(["csr-eligibility", "--input", str(tmp_path / "in.jsonl"), "--output", str(tmp_path / "out.jsonl"),
                 "--no-progress"])
    return code, [json.loads(row) for row in (tmp_path / "out.jsonl").read_bytes().splitlines()]


def test_a_hostile_corpus_gets_an_error_row_per_bad_line_in_its_place_and_the_rest_decided(tmp_path, capsys):
    shipped_packs_loaded()
    prices_listed()
    code, rows = run(tmp_path, b"\n".join(text for text, _ in CORPUS))
    assert code == 1
    assert [row.get("error", {}).get("code") for row in rows] == [expected for _, expected in CORPUS]
    for row in rows:
        if "error" in row:
            assert row["error"]["en"] and row["error"]["zh"] and len(row["error"]["en"]) < 300
    errors = sum(1 for _, expected in CORPUS if expected)
    assert f"{len(CORPUS)} lines, {errors} with errors" in capsys.readouterr().err
    decided = {row["id"]: row for row in rows if "error" not in row}
    assert decided["after-the-mark"] == {"id": "after-the-mark", "eligible": True, "reasons": [],
                                         "return_due_on": "2025-06-15",
                                         "deposit": {"amount": "89.00", "currency": "USD"}}
    assert decided["memory in the US"]["deposit"] == {"amount": "45.00", "currency": "USD"}
    assert decided["hdd in Canada"]["deposit"] == {"amount": "79.00", "currency": "CAD"}
    assert decided[12]["eligible"] and decided["last line, no line end"]["eligible"]


def test_a_refused_line_lists_every_reason_in_both_languages_and_names_no_deposit(tmp_path):
    shipped_packs_loaded()
    prices_listed()
    code, rows = run(tmp_path, line(id="two faults", confirmed_faults=["ssd", "memory"]) + b"\n" + CORPUS[4][0])
    assert code == 0
    assert rows[0] == {"id": "two faults", "eligible": False, "reasons": [
        {"code": "several-faults", "en": rows[0]["reasons"][0]["en"], "zh": rows[0]["reasons"][0]["zh"]}]}
    assert "regular repair" in rows[0]["reasons"][0]["en"] and "常规维修" in rows[0]["reasons"][0]["zh"]
    assert [r["code"] for r in rows[1]["reasons"]] == ["not-in-programme-country", "not-a-notebook",
                                                       "sold-before-2020", "warranty-ended",
                                                       "part-not-in-programme"]


def test_a_refusal_ends_with_the_clause_it_applies_in_both_languages(tmp_path):
    # given the shipped packs, and a computer sold in mainland China
    shipped_packs_loaded()
    code, rows = run(tmp_path, line(id="abroad", country="CN"))
    # then the refusal says where the programme is offered, citing the questions and answers
    (reason,) = rows[0]["reasons"]
    assert code == 0 and reason["code"] == "not-in-programme-country"
    assert reason["en"].endswith("(Source: Customer Self-Repair (CSR) – questions and answers, General questions: "
                                 "what countries provide CSR service?)")
    assert reason["zh"].endswith("（依据：客户自助维修（CSR）常见问题，一般问题：哪些国家提供 CSR 服务？）")


def test_without_self_repair_terms_in_force_each_line_is_an_error_line_saying_so(tmp_path):
    # given no policy pack loaded
    prices_listed()
    # when a good line is decided
    code, rows = run(tmp_path, line(id="no terms"))
    # then it is an error line, in both languages
    assert code == 1 and rows[0]["id"] == "no terms" and rows[0]["error"]["code"] == "no-self-repair-terms"
    assert "2025-06-01" in rows[0]["error"]["en"] and "自助维修条款" in rows[0]["error"]["zh"]


LINES = line(id=1) + b"\n" + line(id=2) + b"\n"


@pytest.mark.parametrize("content", [LINES.decode().encode("utf-16"), gzip.compress(LINES), bytes(range(256)) * 64])
def test_input_that_is_not_utf8_text_exits_two_with_nothing_written(tmp_path, capsys, content):
    code, rows = run(tmp_path, content)
    assert (code, rows) == (2, [])
    assert "UTF" in capsys.readouterr().err


@pytest.mark.parametrize("where", ["missing.jsonl", "."])
def test_a_missing_file_or_a_folder_exits_two(tmp_path, capsys, where):
    assert main(["csr-eligibility", "--input", str(tmp_path / where), "--no-progress"]) == 2
    assert capsys.readouterr().out == ""

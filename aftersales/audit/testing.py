"""For tests: the columnar audit over rows held in memory, read back as the JSONL it writes."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import tempfile
from decimal import Decimal
from pathlib import Path

import duckdb

from aftersales.audit import columnar
from aftersales.audit.rules.reprice import Finding, PriceRow, price_in_force, reprice
from aftersales.audit.rules.rows import CaseRow, LineRow, PaymentRow
from aftersales.audit.snapshot import EXPORTS
from aftersales.warranty.rules.engine import PackSet


def _table(con, name: str, rows: list[tuple]) -> None:
    con.execute(f"CREATE TABLE {name} ({EXPORTS[name][1]})")
    if rows:  # one statement: DuckDB runs ``executemany`` a row at a time
        marks = "(" + ", ".join("?" * len(rows[0])) + ")"
        con.execute(f"INSERT INTO {name} VALUES {', '.join([marks] * len(rows))}", [v for row in rows for v in row])


def columnar_findings(packs: PackSet, cases: list[CaseRow], lines: list[LineRow], payments: list[PaymentRow],
                      prices: list[PriceRow]) -> tuple[list[dict], dict[str, int]]:
    """The findings of the columnar audit, and its unpriced counts."""
    con = duckdb.connect()
    charged, paid = {}, {}
    for ln in lines:
        charged.setdefault(ln.case_number, []).append(
            {"line_no": ln.line_no, "service": ln.service, "part": ln.part, "labour_charged": ln.labour_charged,
             "parts_charged": ln.parts_charged})
    for p in payments:
        paid.setdefault(p.case_number, []).append(p.amount)
    _table(con, "cases", [(n, c.case_number, c.region, c.product_line, c.model, c.manufactured_on, c.purchased_on,
                           c.opened_on, c.part, c.exclusions, c.quotation_rejected, c.currency,
                           charged.get(c.case_number, []), paid.get(c.case_number, []))
                          for n, c in enumerate(cases, 1)])
    _table(con, "prices", [(p.id, p.part, p.product_line, p.model, p.region, p.price, p.currency, p.valid_from,
                            p.valid_to) for p in prices])
    columnar.run(con, packs)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "findings.jsonl"
        columnar.write_jsonl(con, str(out))
        found = [json.loads(line) for line in out.read_text().splitlines()]
    return found, columnar.unpriced(con)


def scalar_findings(packs: PackSet, cases: list[CaseRow], lines: list[LineRow], payments: list[PaymentRow],
                    prices: list[PriceRow]) -> tuple[list[dict], dict[str, int]]:
    """The same, case by case with the scalar engine (``rules.reprice``), in the same order."""
    found, unpriced = [], {}
    for case in cases:
        mine = sorted((ln for ln in lines if ln.case_number == case.case_number), key=lambda ln: ln.line_no)
        paid = [p.amount for p in payments if p.case_number == case.case_number]

        def price_of(part, day, case=case):
            return price_in_force(prices, part=part, product_line=case.product_line, model=case.model,
                                  region=case.region, day=day)

        out, refusal = reprice(case, mine, paid, packs, price_of)
        found += [as_written(f) for f in out]
        if refusal is not None:
            unpriced[refusal] = unpriced.get(refusal, 0) + 1
    found.sort(key=lambda f: (f["case_number"], f["line_no"] is None, f["line_no"] or 0, f["rule"]))
    return found, unpriced


def _plain(value):
    if isinstance(value, PriceRow):
        return {k: _plain(v) for k, v in dataclasses.asdict(value).items() if k not in ("part", "product_line", "region")}
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value) if isinstance(value, Decimal) else value


def as_written(f: Finding) -> dict:
    """A finding as the audit's JSONL writes it."""
    return {"case_number": f.case_number, "line_no": f.line_no, "rule": f.rule, "charged": str(f.charged),
            "due": str(f.due), "overcharge": str(f.overcharge), "currency": f.currency,
            "evidence": {k: _plain(v) for k, v in f.evidence.items()}}

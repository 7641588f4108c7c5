"""The overcharge audit as one vectorised job: SQL over columns (DuckDB), never a loop over rows.

Inputs are four relations the caller defines on the connection — ``cases``, ``lines``,
``payments``, ``prices`` (views over the Parquet snapshot, or tables in a test) — with the
columns of ``audit.snapshot``; the packs come in compiled into tables (``rules.compiled``).
The steps mirror the scalar engine (``rules.reprice``), which a property test holds them to:
1. ``decided``: per case, the pack in force on ``opened_on``, the coverage window of its
   manufacture date, the part's months, the refusal the warranty engine would give, the cover's
   last day and whether the part was covered;
2. ``priced``: per case, the fee schedule and the refusal pricing would give;
3. ``due``: per line, whether it was free, kept after a declined quotation, the inspection
   line, the labour due and the list price row in force;
4. ``findings``: one row per overcharge, written as JSONL.
"""

from __future__ import annotations

import duckdb

from aftersales.audit.rules.compiled import TABLES, compile_packs
from aftersales.warranty.rules.engine import PackSet

DECIDED = """
CREATE OR REPLACE TEMP TABLE decided AS
WITH c AS (
  SELECT c.*, s.label, coalesce(c.purchased_on, c.manufactured_on) AS start_on,
         list_filter(string_split(c.exclusions, ';'), lambda x: x <> '') AS codes
  FROM cases c LEFT JOIN spans s
    ON s.product_line = c.product_line AND s.region = c.region AND c.opened_on BETWEEN s.day_from AND s.day_to),
w AS (
  SELECT c.case_number, min(w.idx) AS idx FROM c JOIN windows w
    ON w.label = c.label AND w.product_line = c.product_line AND c.manufactured_on BETWEEN w.made_from AND w.made_to
  GROUP BY c.case_number),
x AS (
  SELECT u.case_number, bool_or(e.code IS NULL) AS unknown
  FROM (SELECT case_number, label, product_line, unnest(codes) AS code FROM c) u
  LEFT JOIN exclusions e ON e.label = u.label AND e.product_line = u.product_line AND e.code = u.code
  GROUP BY u.case_number)
SELECT c.*, wn.clause AS warranty_clause,
       CAST(c.start_on + to_months(t.months) AS DATE) - 1 AS covered_until,
       CASE WHEN c.label IS NULL THEN 'no-policy-pack' WHEN w.idx IS NULL THEN 'no-terms-for-date'
            WHEN t.months IS NULL THEN 'part-not-applicable' WHEN coalesce(x.unknown, false)
            THEN 'exclusion-not-applicable' END AS refusal
FROM c LEFT JOIN w USING (case_number) LEFT JOIN x USING (case_number)
LEFT JOIN windows wn ON wn.label = c.label AND wn.product_line = c.product_line AND wn.idx = w.idx
LEFT JOIN terms t ON t.label = c.label AND t.product_line = c.product_line AND t.idx = w.idx AND t.part = c.part
"""

PRICED = """
CREATE OR REPLACE TEMP TABLE priced AS
SELECT d.*, s.inspection_cap, s.clause AS fee_clause,
       (d.refusal IS NULL AND d.opened_on BETWEEN d.start_on AND d.covered_until AND len(d.codes) = 0) AS covered,
       CASE WHEN d.refusal IS NOT NULL THEN d.refusal WHEN s.label IS NULL THEN 'no-fee-schedule'
            WHEN s.currency <> d.currency THEN 'currency-mismatch' WHEN diag.fee IS NULL THEN 'no-fee-schedule'
       END AS unpriced,
       least(diag.fee, s.inspection_cap) AS inspection_due
FROM decided d LEFT JOIN schedules s ON s.label = d.label AND s.region = d.region
LEFT JOIN labour diag ON diag.label = d.label AND diag.product_line = d.product_line
  AND diag.service = 'disassembly-diagnosis'
"""

DUE = """
CREATE OR REPLACE TEMP TABLE due AS
WITH l AS (
  SELECT l.*, p.label, p.fee_clause, p.warranty_clause, p.covered_until, p.inspection_due, p.quotation_rejected,
         p.covered AND f.service IS NOT NULL AS free,
         NOT p.quotation_rejected OR (p.covered AND f.service IS NOT NULL) AS chosen,
         p.quotation_rejected AND NOT p.covered AND l.service = 'disassembly-diagnosis'
           AND row_number() OVER (PARTITION BY l.case_number, l.service ORDER BY l.line_no) = 1 AS is_inspection,
         CASE WHEN l.service = 'part-replacement' AND ex.part IS NOT NULL THEN 0 ELSE lb.fee END AS labour_due,
         p.product_line, p.model, p.region, p.opened_on
  FROM lines l JOIN priced p ON p.case_number = l.case_number AND p.unpriced IS NULL
  LEFT JOIN free f ON f.label = p.label AND f.service = l.service
  LEFT JOIN external ex ON ex.label = p.label AND ex.part = l.part
  LEFT JOIN labour lb ON lb.label = p.label AND lb.product_line = p.product_line AND lb.service = l.service),
listed AS (
  SELECT l.case_number, l.line_no, r.id, r.price, r.currency, r.model, r.valid_from, r.valid_to
  FROM l JOIN prices r ON l.service = 'part-replacement' AND r.part = l.part AND r.product_line = l.product_line
    AND r.region = l.region AND r.model IN (l.model, '') AND r.valid_from <= l.opened_on
    AND (r.valid_to IS NULL OR l.opened_on <= r.valid_to)
  QUALIFY row_number() OVER (PARTITION BY l.case_number, l.line_no ORDER BY r.model DESC, r.valid_from DESC) = 1),
joined AS (
  SELECT l.*, r.id AS price_id, r.price AS list_price, r.currency AS price_currency, r.model AS price_model,
         r.valid_from AS price_from, r.valid_to AS price_to
  FROM l LEFT JOIN listed r USING (case_number, line_no))
SELECT * FROM joined WHERE case_number NOT IN (
  SELECT case_number FROM joined WHERE chosen AND NOT free AND service = 'part-replacement' AND list_price IS NULL)
"""

FINDINGS = """
CREATE OR REPLACE TEMP TABLE findings AS
WITH d AS (
  SELECT *, labour_charged + parts_charged AS charged,
         json_object('pack', label, 'clause', fee_clause) AS base FROM due),
c AS (SELECT case_number, currency FROM cases),
paid AS (SELECT case_number, sum(amount) AS paid, count(*) AS n FROM payments GROUP BY case_number),
billed AS (SELECT case_number, sum(labour_charged + parts_charged) AS charged FROM lines GROUP BY case_number)
SELECT case_number, line_no, 'charged-under-warranty' AS rule, charged, 0 AS due,
       json_object('pack', label, 'clause', fee_clause, 'warranty_clause', warranty_clause,
                   'covered_until', CAST(covered_until AS VARCHAR)) AS evidence
  FROM d WHERE chosen AND free AND charged > 0
UNION ALL SELECT case_number, line_no, 'inspection-fee-above-cap', charged, inspection_due, base
  FROM d WHERE NOT chosen AND is_inspection AND charged > inspection_due
UNION ALL SELECT case_number, line_no, 'charged-after-rejection', charged, 0, base
  FROM d WHERE NOT chosen AND NOT is_inspection AND charged > 0
UNION ALL SELECT case_number, line_no, 'labour-above-schedule', labour_charged, labour_due, base
  FROM d WHERE chosen AND NOT free AND labour_charged > labour_due
UNION ALL SELECT case_number, line_no, 'parts-above-list', parts_charged, coalesce(list_price, 0),
       json_object('pack', label, 'clause', fee_clause, 'list_price', CASE WHEN price_id IS NULL THEN NULL ELSE
         json_object('id', price_id, 'price', CAST(list_price AS VARCHAR), 'currency', price_currency,
                     'model', price_model, 'valid_from', CAST(price_from AS VARCHAR),
                     'valid_to', CAST(price_to AS VARCHAR)) END)
  FROM d WHERE chosen AND NOT free
   AND parts_charged > CASE WHEN service = 'part-replacement' THEN list_price ELSE 0 END
UNION ALL SELECT p.case_number, NULL, 'paid-more-than-charged', p.paid, coalesce(b.charged, 0),
       json_object('payments', p.n)
  FROM paid p LEFT JOIN billed b USING (case_number) WHERE p.paid > coalesce(b.charged, 0)
"""

OUTPUT = """
SELECT f.case_number, f.line_no, f.rule, CAST(CAST(f.charged AS DECIMAL(18,2)) AS VARCHAR) AS charged,
       CAST(CAST(f.due AS DECIMAL(18,2)) AS VARCHAR) AS due,
       CAST(CAST(f.charged - f.due AS DECIMAL(18,2)) AS VARCHAR) AS overcharge, c.currency, f.evidence
FROM findings f JOIN cases c USING (case_number)
ORDER BY f.case_number, f.line_no NULLS LAST, f.rule
"""


def load_packs(con: duckdb.DuckDBPyConnection, packs: PackSet) -> None:
    """The compiled packs as tables on ``con``."""
    for name, rows in compile_packs(packs).items():
        con.execute(f"CREATE OR REPLACE TEMP TABLE {name} ({TABLES[name]})")
        if rows:  # one statement: DuckDB runs ``executemany`` a row at a time
            marks = "(" + ", ".join("?" * len(rows[0])) + ")"
            con.execute(f"INSERT INTO {name} VALUES {', '.join([marks] * len(rows))}",
                        [value for row in rows for value in row])


def run(con: duckdb.DuckDBPyConnection, packs: PackSet) -> None:
    """Build ``findings`` (and the tables before it) from ``cases``, ``lines``, ``payments`` and
    ``prices`` on ``con``."""
    load_packs(con, packs)
    for step in (DECIDED, PRICED, DUE, FINDINGS):
        con.execute(step)


def findings(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyRelation:
    """The findings in output order, amounts as decimal strings (after ``run``)."""
    return con.sql(OUTPUT)


def write_jsonl(con: duckdb.DuckDBPyConnection, path: str) -> None:
    con.execute(f"COPY ({OUTPUT}) TO '{path.replace(chr(39), chr(39) * 2)}' (FORMAT json)")


def unpriced(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """How many cases the rules could not price, by refusal code."""
    rows = con.execute("""
        SELECT unpriced, count(*) FROM priced WHERE unpriced IS NOT NULL GROUP BY 1
        UNION ALL SELECT 'missing-part-price', count(DISTINCT case_number) FROM priced p
          WHERE unpriced IS NULL AND case_number NOT IN (SELECT case_number FROM due)
            AND case_number IN (SELECT case_number FROM lines)""").fetchall()
    return {code: n for code, n in rows if n}

"""The overcharge audit as one vectorised job: SQL over columns (DuckDB), never a loop over rows.

Inputs are four relations the caller defines on the connection — ``cases``, ``lines``,
``payments``, ``prices`` (views over the Parquet snapshot, or tables in a test) — with the
columns of ``audit.snapshot``; the packs come in compiled into tables (``rules.compiled``).
The steps mirror the scalar engine (``rules.reprice``), which a property test holds them to:
1. ``decided``: per case, the pack in force on ``opened_on``, the coverage window of its
   manufacture date, the part's months, the cover's last day and whether the part was covered,
   the fee schedule, and the refusal the warranty engine or pricing would give;
2. ``due``: per line of a priced case, whether it was free, kept after a declined quotation, the
   inspection line, the labour due and the list price row in force (one for the device's model
   wins over one for every model);
3. ``findings``: one row per overcharge, its evidence joined on only for the findings; written
   as JSONL in case and line order.
"""

from __future__ import annotations

import duckdb

from aftersales.audit.rules import compiled
from aftersales.audit.rules.compiled import TABLES, compile_packs
from aftersales.warranty.rules.engine import PackSet

DECIDED = """
CREATE OR REPLACE TEMP TABLE decided AS
WITH c AS MATERIALIZED (
  SELECT c.id AS case_id, c.product_line, c.region, c.model, c.part, c.manufactured_on, c.opened_on, c.exclusions,
         c.quotation_rejected, c.currency, coalesce(c.purchased_on, c.manufactured_on) AS start_on, s.label,
         w.idx, w.clause AS warranty_clause, t.months
  FROM cases c
  LEFT JOIN spans s ON s.product_line = c.product_line AND s.region = c.region
    AND c.opened_on BETWEEN s.day_from AND s.day_to
  LEFT JOIN windows w ON w.label = s.label AND w.product_line = c.product_line
    AND c.manufactured_on BETWEEN w.made_from AND w.made_to
  LEFT JOIN terms t ON t.label = s.label AND t.product_line = c.product_line AND t.idx = w.idx AND t.part = c.part),
x AS (
  SELECT u.case_id, bool_or(e.code IS NULL) AS unknown
  FROM (SELECT case_id, label, product_line, unnest(string_split(exclusions, ';')) AS code
        FROM c WHERE exclusions <> '') u
  LEFT JOIN exclusions e ON e.label = u.label AND e.product_line = u.product_line AND e.code = u.code
  GROUP BY u.case_id),
d AS (
  SELECT c.*, CAST(c.start_on + to_months(c.months) AS DATE) - 1 AS covered_until,
         CASE WHEN c.label IS NULL THEN 'no-policy-pack' WHEN c.idx IS NULL THEN 'no-terms-for-date'
              WHEN c.months IS NULL THEN 'part-not-applicable' WHEN coalesce(x.unknown, false)
              THEN 'exclusion-not-applicable' END AS refusal
  FROM c LEFT JOIN x USING (case_id))
SELECT d.case_id, d.label, d.product_line, d.model, d.region, d.opened_on, d.quotation_rejected,
       d.warranty_clause, d.covered_until, s.clause AS fee_clause, least(diag.fee, s.inspection_cap) AS inspection_due,
       d.refusal IS NULL AND d.opened_on BETWEEN d.start_on AND d.covered_until AND d.exclusions = '' AS covered,
       CASE WHEN d.refusal IS NOT NULL THEN d.refusal WHEN s.label IS NULL THEN 'no-fee-schedule'
            WHEN s.currency <> d.currency THEN 'currency-mismatch' WHEN diag.fee IS NULL THEN 'no-fee-schedule'
       END AS unpriced
FROM d LEFT JOIN schedules s ON s.label = d.label AND s.region = d.region
LEFT JOIN labour diag ON diag.label = d.label AND diag.product_line = d.product_line
  AND diag.service = 'disassembly-diagnosis'
"""

PRICE_IN_FORCE = """r.part = l.part AND r.product_line = p.product_line AND r.region = p.region
    AND l.service = 'part-replacement' AND p.opened_on >= r.valid_from AND p.opened_on <= coalesce(r.valid_to, DATE '9999-12-31')"""

DUE = """
CREATE OR REPLACE TEMP TABLE due AS
WITH first_diag AS (
  SELECT case_id, min(line_no) AS line_no FROM lines WHERE service = 'disassembly-diagnosis' GROUP BY 1),
l AS (
  SELECT l.case_id, l.line_no, l.service, l.labour_charged, l.parts_charged, p.inspection_due,
         p.covered AND {free} AS free, NOT p.quotation_rejected OR (p.covered AND {free}) AS chosen,
         p.quotation_rejected AND NOT p.covered AND fd.line_no IS NOT NULL AS is_inspection,
         {labour} AS labour_due,
         coalesce(pm.id, pa.id) AS price_id, coalesce(pm.price, pa.price) AS list_price
  FROM lines l JOIN decided p ON p.case_id = l.case_id AND p.unpriced IS NULL
  LEFT JOIN first_diag fd ON fd.case_id = l.case_id AND fd.line_no = l.line_no
    AND l.service = 'disassembly-diagnosis'
  LEFT JOIN prices pm ON {model_price} AND pm.model = p.model AND p.model <> ''
  LEFT JOIN prices pa ON {line_price} AND pa.model = '')
SELECT * FROM l ANTI JOIN (
  SELECT DISTINCT case_id FROM l WHERE chosen AND NOT free AND service = 'part-replacement'
   AND list_price IS NULL) USING (case_id)
"""

FINDINGS = """
CREATE OR REPLACE TEMP TABLE findings AS
WITH f AS (
  SELECT case_id, line_no, 'charged-under-warranty' AS rule, labour_charged + parts_charged AS charged,
         0 AS due, NULL AS price_id
    FROM due WHERE chosen AND free AND labour_charged + parts_charged > 0
  UNION ALL SELECT case_id, line_no, 'inspection-fee-above-cap', labour_charged + parts_charged, inspection_due,
         NULL FROM due WHERE NOT chosen AND is_inspection AND labour_charged + parts_charged > inspection_due
  UNION ALL SELECT case_id, line_no, 'charged-after-rejection', labour_charged + parts_charged, 0, NULL
    FROM due WHERE NOT chosen AND NOT is_inspection AND labour_charged + parts_charged > 0
  UNION ALL SELECT case_id, line_no, 'labour-above-schedule', labour_charged, labour_due, NULL
    FROM due WHERE chosen AND NOT free AND labour_charged > labour_due
  UNION ALL SELECT case_id, line_no, 'parts-above-list', parts_charged, coalesce(list_price, 0), price_id
    FROM due WHERE chosen AND NOT free
     AND parts_charged > CASE WHEN service = 'part-replacement' THEN list_price ELSE 0 END),
paid AS (SELECT case_id, sum(amount) AS paid, count(*) AS n FROM payments GROUP BY case_id),
billed AS (SELECT case_id, sum(labour_charged + parts_charged) AS charged FROM lines GROUP BY case_id)
SELECT f.case_id, f.line_no, f.rule, f.charged, f.due, CASE f.rule
         WHEN 'charged-under-warranty' THEN json_object('pack', d.label, 'clause', d.fee_clause, 'warranty_clause',
           d.warranty_clause, 'covered_until', CAST(d.covered_until AS VARCHAR))
         WHEN 'parts-above-list' THEN json_object('pack', d.label, 'clause', d.fee_clause, 'list_price',
           CASE WHEN r.id IS NULL THEN NULL ELSE json_object('id', r.id, 'price', CAST(r.price AS VARCHAR),
             'currency', r.currency, 'model', r.model, 'valid_from', CAST(r.valid_from AS VARCHAR),
             'valid_to', CAST(r.valid_to AS VARCHAR)) END)
         ELSE json_object('pack', d.label, 'clause', d.fee_clause) END AS evidence
FROM f JOIN decided d USING (case_id) LEFT JOIN prices r ON r.id = f.price_id
UNION ALL SELECT p.case_id, NULL, 'paid-more-than-charged', p.paid, coalesce(b.charged, 0),
       json_object('payments', p.n)
  FROM paid p LEFT JOIN billed b USING (case_id) WHERE p.paid > coalesce(b.charged, 0)
"""

OUTPUT = """
SELECT c.case_number, f.line_no, f.rule, CAST(CAST(f.charged AS DECIMAL(18,2)) AS VARCHAR) AS charged,
       CAST(CAST(f.due AS DECIMAL(18,2)) AS VARCHAR) AS due,
       CAST(CAST(f.charged - f.due AS DECIMAL(18,2)) AS VARCHAR) AS overcharge, c.currency, f.evidence
FROM findings f JOIN cases c ON c.id = f.case_id
ORDER BY c.case_number, f.line_no NULLS LAST, f.rule
"""


def load_packs(con: duckdb.DuckDBPyConnection, packs: PackSet) -> None:
    """The compiled packs as tables on ``con``."""
    for name, rows in compile_packs(packs).items():
        con.execute(f"CREATE OR REPLACE TEMP TABLE {name} ({TABLES[name]})")
        if rows:  # one statement: DuckDB runs ``executemany`` a row at a time
            marks = "(" + ", ".join("?" * len(rows[0])) + ")"
            con.execute(f"INSERT INTO {name} VALUES {', '.join([marks] * len(rows))}",
                        [value for row in rows for value in row])


def steps(packs: PackSet) -> list[str]:
    """The job's SQL statements, the fee schedules of ``packs`` compiled into them."""
    due = DUE.format(free=compiled.free_expression(packs), labour=compiled.labour_expression(packs),
                     model_price=PRICE_IN_FORCE.replace("r.", "pm."), line_price=PRICE_IN_FORCE.replace("r.", "pa."))
    return [DECIDED, due, FINDINGS]


def run(con: duckdb.DuckDBPyConnection, packs: PackSet) -> None:
    """Build ``findings`` (and the tables before it) from ``cases``, ``lines``, ``payments`` and
    ``prices`` on ``con``."""
    con.execute("SET enable_progress_bar = false")
    load_packs(con, packs)
    for step in steps(packs):
        con.execute(step)


def findings(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyRelation:
    """The findings in output order, amounts as decimal strings (after ``run``)."""
    return con.sql(OUTPUT)


def write_jsonl(con: duckdb.DuckDBPyConnection, path: str) -> None:
    con.execute(f"COPY ({OUTPUT}) TO '{path.replace(chr(39), chr(39) * 2)}' (FORMAT json)")


def unpriced(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """How many cases the rules could not price, by refusal code."""
    rows = con.execute("""
        SELECT unpriced, count(*) FROM decided WHERE unpriced IS NOT NULL GROUP BY 1
        UNION ALL SELECT 'missing-part-price', count(DISTINCT case_id) FROM decided p
          WHERE unpriced IS NULL AND case_id NOT IN (SELECT case_id FROM due)
            AND case_id IN (SELECT case_id FROM lines)""").fetchall()
    return {code: n for code, n in rows if n}

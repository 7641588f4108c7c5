"""The overcharge audit as one vectorised job: SQL over columns (DuckDB), never a loop over rows.

Inputs are four relations the caller defines on the connection — ``cases``, ``lines``,
``payments``, ``prices`` (views over the Parquet snapshot, or tables in a test) — with the
columns of ``audit.snapshot``; ``case_lines`` (``CASE_LINES``: each line beside its case's
columns) is the one join of a line to its case. The packs come in compiled into small tables
and SQL expressions (``rules.compiled``). The steps mirror the scalar engine (``rules.reprice``),
which a property test holds them to:
1. ``decisions``: once per kind of case — product line, region, part, findings, currency, and
   the stretches of opening and manufacture dates within which no pack, window or term changes —
   the pack in force, the coverage window, the part's months, the fee schedule and the refusal
   the warranty engine or pricing would give (a few hundred rows for millions of cases);
   ``line_decisions`` adds, per kind of line, whether its work is free when covered and its
   labour fee;
2. ``flagged``: one pass over the lines, each joined to its kind's decision, with the cover's
   last day and whether it was covered worked out from its own dates and the list price row in
   force (one for the device's model wins over one for every model); only the lines that may be
   an overcharge or lack a list price are kept (a few per cent);
3. ``findings``: the rules applied to the flagged lines (the inspection line and the cases
   without a list price settled there, on the few), plus the cases paid more than charged, each
   with its evidence; written as JSONL in case and line order by DuckDB itself.
"""

from __future__ import annotations

import duckdb

from aftersales.audit.rules import compiled
from aftersales.audit.rules.compiled import TABLES, compile_packs
from aftersales.warranty.rules.engine import PackSet

CASE_COLUMNS = ("region", "product_line", "model", "manufactured_on", "purchased_on", "opened_on", "exclusions",
                "quotation_rejected", "currency")
CASE_LINES = f"""
SELECT l.case_id, l.line_no, l.service, l.part, l.labour_charged, l.parts_charged,
       {', '.join('c.' + name for name in CASE_COLUMNS)}, c.part AS case_part
FROM lines l JOIN cases c ON c.id = l.case_id
"""

KEY = ("product_line", "region", "case_part", "exclusions", "currency")  # and the two date stretches

# Per kind of case: its columns that decide, with the dates cut into the stretches over which no
# decision changes (``rules.compiled``), so the packs are read once per kind, not once per case.
DECISIONS = """
CREATE OR REPLACE TEMP TABLE decisions AS
WITH k AS (
  SELECT product_line, region, part AS case_part, exclusions, currency, {opened} AS opened_from,
         {made} AS made_from, count(*) AS cases
  FROM cases GROUP BY ALL),
c AS (
  SELECT k.*, s.label, w.idx, w.clause AS warranty_clause, t.months
  FROM k
  LEFT JOIN spans s ON s.product_line = k.product_line AND s.region = k.region
    AND k.opened_from BETWEEN s.day_from AND s.day_to
  LEFT JOIN windows w ON w.label = s.label AND w.product_line = k.product_line
    AND k.made_from BETWEEN w.made_from AND w.made_to
  LEFT JOIN terms t ON t.label = s.label AND t.product_line = k.product_line AND t.idx = w.idx AND t.part = k.case_part),
d AS (
  SELECT c.*, CASE WHEN c.label IS NULL THEN 'no-policy-pack' WHEN c.idx IS NULL THEN 'no-terms-for-date'
              WHEN c.months IS NULL THEN 'part-not-applicable'
              WHEN c.exclusions <> '' AND coalesce(NOT list_has_all(x.codes, string_split(c.exclusions, ';')), true)
              THEN 'exclusion-not-applicable' END AS refusal
  FROM c LEFT JOIN known_exclusions x ON x.label = c.label AND x.product_line = c.product_line)
SELECT d.* EXCLUDE (idx), s.clause AS fee_clause, least(diag.fee, s.inspection_cap) AS inspection_due,
       CASE WHEN d.refusal IS NOT NULL THEN d.refusal WHEN s.label IS NULL THEN 'no-fee-schedule'
            WHEN s.currency <> d.currency THEN 'currency-mismatch' WHEN diag.fee IS NULL THEN 'no-fee-schedule'
       END AS unpriced
FROM d LEFT JOIN schedules s ON s.label = d.label AND s.region = d.region
LEFT JOIN labour diag ON diag.label = d.label AND diag.product_line = d.product_line
  AND diag.service = 'disassembly-diagnosis'
"""

# Per kind of priced case and kind of line: whether the work is free when covered, its labour fee.
LINE_DECISIONS = """
CREATE OR REPLACE TEMP TABLE line_decisions AS
SELECT p.* EXCLUDE (cases, refusal, unpriced), l.service, l.part, {free} AS free_if_covered, {labour} AS labour_due
FROM decisions p, (SELECT DISTINCT service, part FROM lines) l
WHERE p.unpriced IS NULL
"""

PRICE_IN_FORCE = """r.part = l.part AND r.product_line = l.product_line AND r.region = l.region
    AND l.service = 'part-replacement' AND l.opened_on >= r.valid_from
    AND l.opened_on <= coalesce(r.valid_to, DATE '9999-12-31')"""

FLAGGED = """
CREATE OR REPLACE TEMP TABLE flagged AS
WITH d AS (
  SELECT l.case_id, l.line_no, l.service, l.part, l.labour_charged, l.parts_charged, l.model, l.region,
         l.product_line, l.opened_on, l.quotation_rejected, d.label, d.warranty_clause, d.fee_clause,
         d.inspection_due, d.free_if_covered, d.labour_due, d.exclusions = '' AS no_findings,
         coalesce(l.purchased_on, l.manufactured_on) AS start_on,
         CAST(coalesce(l.purchased_on, l.manufactured_on) + to_months(d.months) AS DATE) - 1 AS covered_until
  FROM case_lines l JOIN line_decisions d ON {key}),
l AS (
  SELECT d.* EXCLUDE (no_findings, start_on, free_if_covered), d.labour_charged + d.parts_charged AS charged,
         d.no_findings AND d.opened_on BETWEEN d.start_on AND d.covered_until AS covered,
         covered AND d.free_if_covered AS free, NOT d.quotation_rejected OR free AS chosen
  FROM d),
p AS (
  SELECT l.*, coalesce(pm.id, pa.id) AS price_id, coalesce(pm.price, pa.price) AS list_price
  FROM l
  LEFT JOIN prices pm ON {model_price} AND pm.model = l.model AND l.model <> ''
  LEFT JOIN prices pa ON {line_price} AND pa.model = '')
SELECT * EXCLUDE (model, region, product_line, opened_on), chosen AND NOT free AND service = 'part-replacement'
       AND list_price IS NULL AS missing_price
FROM p
WHERE (chosen AND free AND charged > 0) OR (NOT chosen AND charged > 0)
   OR (chosen AND NOT free AND (labour_charged > labour_due
       OR parts_charged > CASE WHEN service = 'part-replacement' THEN list_price ELSE 0 END))
   OR (chosen AND NOT free AND service = 'part-replacement' AND list_price IS NULL)
"""

FINDINGS = """
CREATE OR REPLACE TEMP TABLE findings AS
WITH first_diag AS (
  SELECT case_id, min(line_no) AS line_no FROM lines
  WHERE service = 'disassembly-diagnosis' AND case_id IN (SELECT case_id FROM flagged WHERE NOT chosen)
  GROUP BY 1),
due AS (
  SELECT f.*, f.quotation_rejected AND NOT f.covered AND fd.line_no IS NOT NULL AS is_inspection
  FROM flagged f LEFT JOIN first_diag fd ON fd.case_id = f.case_id AND fd.line_no = f.line_no
    AND f.service = 'disassembly-diagnosis'
  WHERE f.case_id NOT IN (SELECT case_id FROM flagged WHERE missing_price)),
f AS (
  SELECT *, 'charged-under-warranty' AS rule, charged AS amount, 0 AS due_amount
    FROM due WHERE chosen AND free AND charged > 0
  UNION ALL BY NAME SELECT *, 'inspection-fee-above-cap' AS rule, charged AS amount, inspection_due AS due_amount
    FROM due WHERE NOT chosen AND is_inspection AND charged > inspection_due
  UNION ALL BY NAME SELECT *, 'charged-after-rejection' AS rule, charged AS amount, 0 AS due_amount
    FROM due WHERE NOT chosen AND NOT is_inspection AND charged > 0
  UNION ALL BY NAME SELECT *, 'labour-above-schedule' AS rule, labour_charged AS amount, labour_due AS due_amount
    FROM due WHERE chosen AND NOT free AND labour_charged > labour_due
  UNION ALL BY NAME SELECT *, 'parts-above-list' AS rule, parts_charged AS amount, coalesce(list_price, 0) AS due_amount
    FROM due WHERE chosen AND NOT free
     AND parts_charged > CASE WHEN service = 'part-replacement' THEN list_price ELSE 0 END),
paid AS (SELECT case_id, sum(amount) AS paid, count(*) AS n FROM payments GROUP BY case_id),
billed AS (SELECT case_id, sum(labour_charged + parts_charged) AS charged FROM lines GROUP BY case_id)
SELECT f.case_id, f.line_no, f.rule, f.amount AS charged, f.due_amount AS due, CASE f.rule
         WHEN 'charged-under-warranty' THEN json_object('pack', f.label, 'clause', f.fee_clause, 'warranty_clause',
           f.warranty_clause, 'covered_until', CAST(f.covered_until AS VARCHAR))
         WHEN 'parts-above-list' THEN json_object('pack', f.label, 'clause', f.fee_clause, 'list_price',
           CASE WHEN r.id IS NULL THEN NULL ELSE json_object('id', r.id, 'price', CAST(r.price AS VARCHAR),
             'currency', r.currency, 'model', r.model, 'valid_from', CAST(r.valid_from AS VARCHAR),
             'valid_to', CAST(r.valid_to AS VARCHAR)) END)
         ELSE json_object('pack', f.label, 'clause', f.fee_clause) END AS evidence
FROM f LEFT JOIN prices r ON r.id = f.price_id AND f.rule = 'parts-above-list'
UNION ALL SELECT p.case_id, NULL, 'paid-more-than-charged', p.paid, coalesce(b.charged, 0), json_object('payments', p.n)
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
    con.execute("CREATE OR REPLACE TEMP TABLE known_exclusions AS "
                "SELECT label, product_line, list(code) AS codes FROM exclusions GROUP BY ALL")


def steps(packs: PackSet) -> list[str]:
    """The job's SQL statements, the packs compiled into them."""
    opened = compiled.stretch_expression("opened_on", compiled.opened_cuts(packs))
    made = compiled.stretch_expression("manufactured_on", compiled.made_cuts(packs))
    key = " AND ".join(f"d.{name} = l.{name}" for name in KEY)
    key += f" AND d.opened_from = {opened.replace('opened_on', 'l.opened_on')}"
    key += f" AND d.made_from = {made.replace('manufactured_on', 'l.manufactured_on')}"
    key += " AND d.service = l.service AND d.part = l.part"
    line_decisions = LINE_DECISIONS.format(free=compiled.free_expression(packs),
                                           labour=compiled.labour_expression(packs))
    flagged = FLAGGED.format(key=key, model_price=PRICE_IN_FORCE.replace("r.", "pm."),
                             line_price=PRICE_IN_FORCE.replace("r.", "pa."))
    return [DECISIONS.format(opened=opened, made=made), line_decisions, flagged, FINDINGS]


def run(con: duckdb.DuckDBPyConnection, packs: PackSet) -> None:
    """Build ``findings`` (and ``flagged`` before it) from ``cases``, ``case_lines``, ``payments``
    and ``prices`` on ``con``."""
    con.execute("SET enable_progress_bar = false")
    con.execute(f"CREATE OR REPLACE TEMP VIEW case_lines AS {CASE_LINES}")
    load_packs(con, packs)
    for step in steps(packs):
        con.execute(step)


def findings(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyRelation:
    """The findings in output order, amounts as decimal strings (after ``run``)."""
    return con.sql(OUTPUT)


def _quoted(path: str) -> str:
    return str(path).replace("'", "''")


def write_jsonl(con: duckdb.DuckDBPyConnection, path: str) -> None:
    con.execute(f"COPY ({OUTPUT}) TO '{_quoted(path)}' (FORMAT json)")


def unpriced(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """How many cases the rules could not price, by refusal code (after ``run``)."""
    rows = con.execute("""
        SELECT unpriced, sum(cases) FROM decisions WHERE unpriced IS NOT NULL GROUP BY 1
        UNION ALL SELECT 'missing-part-price', count(DISTINCT case_id) FROM flagged WHERE missing_price""").fetchall()
    return {code: int(n) for code, n in rows if n}

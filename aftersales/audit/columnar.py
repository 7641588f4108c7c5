"""The overcharge audit as one vectorised job: SQL over columns (DuckDB), never a loop over rows.

Inputs are two relations the caller defines on the connection — ``cases`` and ``prices`` (views
over the Parquet snapshot, or tables in a test) — with the columns of ``audit.snapshot``: each
case row carries its charged lines and its payments as nested lists, so the job never joins a
line to its case nor groups rows by case. The packs come in compiled into small tables and SQL
expressions (``rules.compiled``). The steps mirror the scalar engine (``rules.reprice``), which a
property test holds them to:
1. ``decisions``: once per kind of case — product line, region, part, findings, currency, and
   the stretches of opening and manufacture dates within which no pack, window or term changes —
   the pack in force, the coverage window, the part's months, the fee schedule and the refusal
   the warranty engine or pricing would give (a few hundred rows for millions of cases);
2. ``flagged``: one pass over the cases, each case joined to its kind's decision (a few rows;
   none when the rules cannot price it) and its cover's last day, whether it was covered, its
   first inspection line, what was paid and what was charged in all, worked out from its own
   dates and lists; its lines then unnested beside it, each with its labour fee, whether its work
   is free, and, where its work is chosen and not free, the list price row in force (one for the
   device's model wins over one for every model). Kept: the priced lines charged more than is
   due (an inspection line above the inspection fee, not every inspection line of a rejected
   quotation) or lacking a list price, a few per cent, and every line of a case paid more than it
   was charged (one empty line for such a case with none), so that no second pass reads the
   cases again;
3. ``findings``: the rules applied to the flagged lines of priced cases (the cases without a list
   price settled there, on the few), plus the cases paid more than charged, each with its
   evidence; written as JSONL in case and line order by DuckDB itself.
"""

from __future__ import annotations

import duckdb

from aftersales.audit.rules import compiled
from aftersales.audit.rules.compiled import TABLES, compile_packs
from aftersales.warranty.rules.engine import PackSet

KEY = ("product_line", "region", "part", "exclusions", "currency")  # and the two date stretches

# Per kind of case: its columns that decide, with the dates cut into the stretches over which no
# decision changes (``rules.compiled``), so the packs are read once per kind, not once per case.
DECISIONS = """
CREATE OR REPLACE TEMP TABLE decisions AS
WITH k AS (
  SELECT product_line, region, part, exclusions, currency, {opened} AS opened_from,
         {made} AS made_from, count(*) AS cases
  FROM cases GROUP BY ALL),
c AS (
  SELECT k.*, s.label, w.idx, w.clause AS warranty_clause, t.months
  FROM k
  LEFT JOIN spans s ON s.product_line = k.product_line AND s.region = k.region
    AND k.opened_from BETWEEN s.day_from AND s.day_to
  LEFT JOIN windows w ON w.label = s.label AND w.product_line = k.product_line
    AND k.made_from BETWEEN w.made_from AND w.made_to
  LEFT JOIN terms t ON t.label = s.label AND t.product_line = k.product_line AND t.idx = w.idx AND t.part = k.part),
d AS (
  SELECT c.*, CASE WHEN c.label IS NULL THEN 'no-policy-pack' WHEN c.idx IS NULL THEN 'no-terms-for-date'
              WHEN c.months IS NULL THEN 'part-not-applicable'
              WHEN c.exclusions <> '' AND coalesce(NOT list_has_all(x.codes, string_split(c.exclusions, ';')), true)
              THEN 'exclusion-not-applicable' END AS refusal
  FROM c LEFT JOIN known_exclusions x ON x.label = c.label AND x.product_line = c.product_line)
SELECT row_number() OVER () AS kind, d.* EXCLUDE (idx), s.clause AS fee_clause,
       least(diag.fee, s.inspection_cap) AS inspection_due,
       CASE WHEN d.refusal IS NOT NULL THEN d.refusal WHEN s.label IS NULL THEN 'no-fee-schedule'
            WHEN s.currency <> d.currency THEN 'currency-mismatch' WHEN diag.fee IS NULL THEN 'no-fee-schedule'
       END AS unpriced
FROM d LEFT JOIN schedules s ON s.label = d.label AND s.region = d.region
LEFT JOIN labour diag ON diag.label = d.label AND diag.product_line = d.product_line
  AND diag.service = 'disassembly-diagnosis'
"""

# the list price matters only to a line whose work is chosen and not free: for the others the part
# is taken as unknown, so that they are not looked up at all
PRICE_IN_FORCE = """r.part = CASE WHEN l.chosen AND NOT l.free THEN l.part END
    AND r.product_line = l.product_line AND r.region = l.region AND l.service = 'part-replacement'
    AND l.opened_on >= r.valid_from AND l.opened_on <= coalesce(r.valid_to, DATE '9999-12-31')"""

# One pass over the cases: each priced case takes its kind's decision and whether it was covered,
# then its lines are unnested beside it (no join of a line to its case), priced, and kept only if
# they may be an overcharge or lack a list price.
FLAGGED = """
CREATE OR REPLACE TEMP TABLE flagged AS
WITH c AS (
  SELECT c.id AS case_id, c.case_number, c.currency, c.model, c.region, c.product_line, c.opened_on,
         c.quotation_rejected, d.kind, d.label, d.inspection_due,
         list_sum(c.payments) AS paid, len(c.payments) AS payments,
         coalesce(list_sum(list_transform(c.lines, lambda x: x.labour_charged + x.parts_charged)), 0) AS charged_total,
         paid > charged_total AS over,
         CASE WHEN over AND len(c.lines) = 0 THEN list_resize(c.lines, 1) ELSE c.lines END AS lines,
         coalesce(c.purchased_on, c.manufactured_on) AS start_on,
         CAST(start_on + to_months(d.months) AS DATE) - 1 AS covered_until,
         d.exclusions = '' AND c.opened_on BETWEEN start_on AND covered_until AS covered,
         CASE WHEN c.quotation_rejected THEN list_min(list_transform(
           list_filter(c.lines, lambda x: x.service = 'disassembly-diagnosis'), lambda x: x.line_no)) END AS first_diag
  FROM cases c LEFT JOIN decisions d ON {key} AND d.unpriced IS NULL),
u AS (SELECT c.* EXCLUDE (lines, start_on), unnest(c.lines, recursive := true) FROM c),
l AS (
  SELECT l.*, l.labour_charged + l.parts_charged AS charged, {labour} AS labour_due, l.covered AND {free} AS free,
         NOT l.quotation_rejected OR free AS chosen,
         l.quotation_rejected AND NOT l.covered
           AND coalesce(l.service = 'disassembly-diagnosis' AND l.line_no = l.first_diag, false) AS is_inspection
  FROM u AS l),
p AS (
  SELECT l.*, coalesce(pm.id, pa.id) AS price_id, coalesce(pm.price, pa.price) AS list_price
  FROM l
  LEFT JOIN prices pm ON {model_price} AND pm.model = l.model AND l.model <> ''
  LEFT JOIN prices pa ON {line_price} AND pa.model = '')
SELECT * EXCLUDE (model, region, product_line, opened_on, first_diag, inspection_due),
       label IS NOT NULL AND chosen AND NOT free AND service = 'part-replacement' AND list_price IS NULL AS missing_price
FROM p
WHERE over OR label IS NOT NULL AND CASE
   WHEN NOT chosen THEN charged > CASE WHEN is_inspection THEN inspection_due ELSE 0 END
   WHEN chosen AND free THEN charged > 0
   WHEN chosen AND NOT free THEN labour_charged > labour_due
       OR parts_charged > CASE WHEN service = 'part-replacement' THEN list_price ELSE 0 END
       OR (service = 'part-replacement' AND list_price IS NULL) END
"""

FINDINGS = """
CREATE OR REPLACE TEMP TABLE findings AS
WITH due AS (
  SELECT x.*, k.warranty_clause, k.fee_clause, k.inspection_due FROM flagged x JOIN decisions k USING (kind)
  WHERE x.label IS NOT NULL AND x.case_id NOT IN (SELECT case_id FROM flagged WHERE missing_price)),
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
sums AS (SELECT DISTINCT case_id, case_number, currency, paid, payments AS n, charged_total AS charged
  FROM flagged WHERE over)
SELECT f.case_id, f.case_number, f.currency, f.line_no, f.rule, f.amount AS charged, f.due_amount AS due, CASE f.rule
         WHEN 'charged-under-warranty' THEN json_object('pack', f.label, 'clause', f.fee_clause, 'warranty_clause',
           f.warranty_clause, 'covered_until', CAST(f.covered_until AS VARCHAR))
         WHEN 'parts-above-list' THEN json_object('pack', f.label, 'clause', f.fee_clause, 'list_price',
           CASE WHEN r.id IS NULL THEN NULL ELSE json_object('id', r.id, 'price', CAST(r.price AS VARCHAR),
             'currency', r.currency, 'model', r.model, 'valid_from', CAST(r.valid_from AS VARCHAR),
             'valid_to', CAST(r.valid_to AS VARCHAR)) END)
         ELSE json_object('pack', f.label, 'clause', f.fee_clause) END AS evidence
FROM f LEFT JOIN prices r ON r.id = f.price_id AND f.rule = 'parts-above-list'
UNION ALL SELECT case_id, case_number, currency, NULL, 'paid-more-than-charged', paid, charged,
         json_object('payments', n)
  FROM sums WHERE paid > charged
"""

OUTPUT = """
SELECT case_number, line_no, rule, CAST(CAST(charged AS DECIMAL(18,2)) AS VARCHAR) AS charged,
       CAST(CAST(due AS DECIMAL(18,2)) AS VARCHAR) AS due,
       CAST(CAST(charged - due AS DECIMAL(18,2)) AS VARCHAR) AS overcharge, currency, evidence
FROM findings
ORDER BY case_number, line_no NULLS LAST, rule
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
    key = " AND ".join(f"d.{name} = c.{name}" for name in KEY)
    key += f" AND d.opened_from = {opened.replace('opened_on', 'c.opened_on')}"
    key += f" AND d.made_from = {made.replace('manufactured_on', 'c.manufactured_on')}"
    flagged = FLAGGED.format(key=key, free=compiled.free_expression(packs), labour=compiled.labour_expression(packs),
                             model_price=PRICE_IN_FORCE.replace("r.", "pm."),
                             line_price=PRICE_IN_FORCE.replace("r.", "pa."))
    return [DECISIONS.format(opened=opened, made=made), flagged, FINDINGS]


def run(con: duckdb.DuckDBPyConnection, packs: PackSet) -> None:
    """Build ``findings`` (and ``flagged`` before it) from ``cases`` and ``prices`` on ``con``."""
    con.execute("SET enable_progress_bar = false")
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

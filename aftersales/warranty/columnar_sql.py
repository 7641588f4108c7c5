"""The SQL of the columnar warranty batch (``warranty.columnar``): a file of request lines read,
typed, decided and written as answer lines by DuckDB, over the tables ``columnar_terms`` makes.

A line is decided here only when it is plainly one the engine answers: a JSON object made of the
known fields, each a plain value (``PLAIN_LINE``), no field twice, every date a real one the
product accepts, the rules' checks passed. Every other line is left to the scalar engine
(``answer`` is NULL), which answers it, or says what is wrong, exactly
as the batch does line by line. The steps follow ``engine.decide`` one for one.
"""

from __future__ import annotations

from aftersales.policy.vocabulary import REGIONS
from aftersales.warranty.columnar_terms import (
    AS_OF, BRIGHT, DARK, DEADLINE, END, ONSITE_END, REGISTERED, REPAIRED, REPAIR_REFUSAL, START)

_CODE = '(?:"[A-Za-z0-9-]{1,32}"|null)'
_DATE = '(?:"[0-9]{4}-[0-9]{2}-[0-9]{2}"|null)'
_COUNT = "(?:0|[1-9][0-9]{0,5})"
_EXCLUSION = '"[a-z-]{1,40}"'
# The fields a line may carry, in the order the columnar reader takes them, each a plain value.
_FIELDS = [
    ("product_line", _CODE), ("manufactured_on", _DATE), ("part", _CODE), ("purchased_on", _DATE),
    ("registered_on", _DATE), ("sold_in", _CODE), ("service_in", _CODE), ("as_of", _DATE), ("shipped_on", _DATE),
    ("last_repair_on", _DATE), ("exclusions", f"(?:null|\\[(?:{_EXCLUSION}(?:, ?{_EXCLUSION})*)?\\])"),
    ("lcd_dots", f'(?:null|\\{{"bright": ?{_COUNT}, ?"dark": ?{_COUNT}\\}})'), ("vip_visits_used", "(?:null|0|[1-9][0-9]?)"),
]
# A line the columnar reader types: an object whose first field is a plain id, then any of the
# fields above, each at most once and in that order, with no space but the one JSON writers put
# after a colon or a comma. Any other line, valid or not, is the scalar engine's.
PLAIN_LINE = ('\\{"id": ?"[A-Za-z0-9_.-]{1,64}"(?:, ?"serial": ?(?:"[A-Za-z0-9 ]{1,40}"|null))?' + "".join(f'(?:, ?"{name}": ?{value})?' for name, value in _FIELDS)
              + "\\}")

_SHAPE = ('{"id": "VARCHAR", "serial": "VARCHAR", "product_line": "VARCHAR", "part": "VARCHAR", "sold_in": "VARCHAR", '
          '"service_in": "VARCHAR", "manufactured_on": "VARCHAR", "purchased_on": "VARCHAR", '
          '"registered_on": "VARCHAR", "as_of": "VARCHAR", "shipped_on": "VARCHAR", "last_repair_on": "VARCHAR", '
          '"exclusions": ["VARCHAR"], "lcd_dots": {"bright": "INTEGER", "dark": "INTEGER"}, '
          '"vip_visits_used": "INTEGER"}')


def _text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _end(start: str, months: str) -> str:
    """``dates.period_end``: the last day a period of ``months`` months from ``start`` covers
    (DuckDB, like ``add_months``, keeps the day or takes the month's last)."""
    return f"(CAST({start} + to_months({months}) AS DATE) - 1)"


_DATES = (("as_of", "as_of"), ("purchased", "purchased_on"), ("registered", "registered_on"),
          ("repaired", "last_repair_on"))

READ = """read_csv({path}, columns = {{'raw': 'VARCHAR'}}, header = false, delim = chr(1), quote = '', escape = '',
  comment = '', skip = 0, auto_detect = false, new_line = '\\n', strict_mode = false, null_padding = false,
  max_line_size = {max_line})"""

PARSE = f"""
CREATE OR REPLACE TABLE parsed AS
SELECT rn, CASE WHEN regexp_full_match(raw, {_text(PLAIN_LINE)}) THEN from_json(raw, {_text(_SHAPE)}) END AS j
FROM (SELECT row_number() OVER () AS rn, raw FROM {{read}})"""

SERIALS = "SELECT DISTINCT j.serial FROM parsed WHERE j.serial IS NOT NULL"

DEVICES = "written VARCHAR, product_line VARCHAR, manufactured_on DATE, shipped_on DATE, sold_in VARCHAR"


def _valid(name: str) -> str:
    """A date the line gives, if any, is a real one."""
    return f"(j.{name} IS NULL OR try_cast(j.{name} AS DATE) IS NOT NULL)"


def _accepted(column: str) -> str:
    return f"({column} IS NULL OR {column} BETWEEN DATE '2000-01-01' AND DATE '2099-12-31')"


# A line that gives a serial number takes the product line, the region of sale and the dates of
# manufacture and shipping from the registry; one that also gives any of the first three is left
# to the scalar engine, which compares them with the registry.
TYPED = f"""
t0 AS (
  SELECT rn, j IS NOT NULL AND (j.serial IS NULL OR d.written IS NOT NULL AND j.product_line IS NULL
           AND j.sold_in IS NULL AND j.manufactured_on IS NULL) AS plain,
         j.id, coalesce(d.product_line, j.product_line) AS line, j.part, coalesce(d.sold_in, j.sold_in) AS sold_in,
         coalesce(j.service_in, d.sold_in, j.sold_in) AS service_in,
         CASE WHEN d.written IS NULL THEN try_cast(j.manufactured_on AS DATE) ELSE d.manufactured_on END AS made,
         CASE WHEN d.written IS NULL THEN try_cast(j.shipped_on AS DATE) ELSE d.shipped_on END AS shipped,
         {", ".join(f"try_cast(j.{n} AS DATE) AS {c}" for c, n in _DATES)},
         j.lcd_dots.bright AS bright, j.lcd_dots.dark AS dark, coalesce(j.vip_visits_used, 0) AS vip_used,
         list_filter(coalesce(j.exclusions, []), lambda x, i: list_position(j.exclusions, x) = i) AS ex,
         {" AND ".join(_valid(n) for _, n in _DATES)} AND (d.written IS NOT NULL OR {_valid("shipped_on")}) AS valid
  FROM parsed LEFT JOIN devices d ON d.written = j.serial),
t AS (
  SELECT t0.*, valid AND line IS NOT NULL AND part IS NOT NULL AND sold_in IS NOT NULL AND made IS NOT NULL
           AND as_of IS NOT NULL
           AND {" AND ".join(_accepted(c) for c in ("made", "shipped", "as_of", "purchased", "registered", "repaired"))}
           AS complete
  FROM t0)"""

# ``engine.decide``: the pack, the windows and the terms, then the checks the rules make (a line
# that fails one is left to the scalar engine, which refuses it), then the period.
TERMS = f"""
m AS (
  SELECT k.*, found.* EXCLUDE (rn), x.* EXCLUDE (label, product_line, idx, onsite_idx, part, months), x.months AS group_months,
         r.reason AS region_reason, r.clause AS region_clause, {_end("k.start", "x.battery_window_months")} AS deadline
  FROM k
  LEFT JOIN terms x ON x.label = k.label AND x.product_line = k.line AND x.idx = k.idx
    AND x.onsite_idx = k.onsite_idx AND x.part = k.part
  LEFT JOIN regions r ON r.label = k.label AND r.sold_in = k.sold_in AND r.service_in = k.service_in
  LEFT JOIN found USING (rn)),
p AS (
  SELECT m.*, registered IS NOT NULL AND registered <= deadline AS in_time,
         CASE WHEN battery THEN CASE WHEN registered IS NOT NULL AND registered <= deadline
              THEN battery_registered_months ELSE battery_months END ELSE group_months END AS months,
         label_json IS NOT NULL AND service_in IN ({", ".join(_text(r) for r in REGIONS)})
           AND (purchased IS NULL OR purchased >= made) AND as_of >= start
           AND (registered IS NULL OR registered BETWEEN start AND as_of)
           AND (repaired IS NULL OR repaired BETWEEN start AND as_of) AND (shipped IS NULL OR shipped >= made)
           AND (bright IS NULL OR lcd) AND coalesce(known, true)
           AS answerable
  FROM m),
q AS (
  SELECT p.*, {_end("start", "months")} AS end0, {_end("repaired", "repair_months")} AS repair_end FROM p),
c AS (
  SELECT q.*, repaired IS NOT NULL AND repair_end > end0 AS extended,
         CASE WHEN repaired IS NOT NULL AND repair_end > end0 THEN repair_end ELSE end0 END AS cover_end,
         bright IS NOT NULL AND bright <= lcd_bright_max AND dark <= lcd_dark_max AS lcd_within_tolerance,
         coalesce(answerable AND (repaired IS NULL OR repaired <= end0), false) AS here,
         coalesce(answerable AND repaired > end0, false) AS not_under_warranty
  FROM q),
v AS (
  SELECT c.*, start <= as_of AND as_of <= cover_end AND region_reason IS NULL AND len(ex) = 0
           AND NOT lcd_within_tolerance AS covered,
         least({_end("CASE WHEN purchased IS NOT NULL THEN purchased WHEN onsite_from_shipped AND shipped IS NOT NULL "
                     "THEN shipped ELSE made END", "onsite_months")}, cover_end) AS onsite_until,
         CASE WHEN purchased IS NOT NULL THEN purchased WHEN onsite_from_shipped AND shipped IS NOT NULL
              THEN shipped ELSE made END AS onsite_start,
         least({_end("start", "vip_months")}, cover_end) AS vip_until
  FROM c),
e AS (
  SELECT v.*, onsite_months > 0 AND covered AND onsite_start <= as_of AND as_of <= onsite_until AS onsite_eligible
  FROM v),
f AS (
  SELECT e.*, covered AND NOT onsite_eligible AND vip_used < vip_visits AND start <= as_of AND as_of <= vip_until
           AS vip_visit
  FROM e)"""

_REASONS = f"""concat_ws(',',
  replace(replace(replace(
    (CASE WHEN battery AND in_time THEN period_b ELSE period_a END)[
      CASE WHEN months = 0 THEN 1 WHEN covered THEN 2 WHEN as_of > cover_end THEN 3 ELSE 4 END],
    '{START}', CAST(start AS VARCHAR)), '{END}', CAST(cover_end AS VARCHAR)), '{AS_OF}', CAST(as_of AS VARCHAR)),
  replace(CASE WHEN purchased IS NOT NULL THEN basis_invoice ELSE basis_manufacture END, '{START}',
    CAST(start AS VARCHAR)),
  CASE WHEN NOT battery THEN NULL
       WHEN in_time THEN replace(battery_in_time, '{REGISTERED}', CAST(registered AS VARCHAR))
       WHEN registered IS NULL THEN replace(battery_unregistered, '{DEADLINE}', CAST(deadline AS VARCHAR))
       ELSE replace(replace(battery_late, '{REGISTERED}', CAST(registered AS VARCHAR)), '{DEADLINE}',
         CAST(deadline AS VARCHAR)) END,
  CASE WHEN extended THEN replace(replace(repair, '{REPAIRED}', CAST(repaired AS VARCHAR)), '{END}',
    CAST(cover_end AS VARCHAR)) END,
  region_reason,
  found_reasons,
  CASE WHEN bright IS NOT NULL THEN replace(replace(CASE WHEN lcd_within_tolerance THEN lcd_within
       ELSE lcd_beyond END, '{BRIGHT}', CAST(bright AS VARCHAR)), '{DARK}', CAST(dark AS VARCHAR)) END,
  CASE WHEN vip_visit THEN replace(vip, '{ONSITE_END}', CAST(vip_until AS VARCHAR))
       WHEN onsite_months = 0 THEN onsite_not_offered
       WHEN onsite_eligible THEN replace(onsite_available, '{ONSITE_END}', CAST(onsite_until AS VARCHAR))
       WHEN covered THEN replace(onsite_ended, '{ONSITE_END}', CAST(onsite_until AS VARCHAR))
       ELSE onsite_not_covered END)"""

# ``engine.cited``: the window's and the start rule's clauses, the special rules', the on-site
# reason's; each once, in that order.
_CITED = ["window_clause", "start_clause", "CASE WHEN battery THEN battery_clause END",
          "CASE WHEN extended THEN repair_clause END", "region_clause", "CASE WHEN bright IS NOT NULL THEN lcd_clause END",
          "CASE WHEN vip_visit THEN vip_clause ELSE onsite_clause END"]


def _once(cited: list[str]) -> str:
    """The clauses, each written the first time it comes (``concat_ws`` leaves out the NULLs)."""
    def first(k: int) -> str:
        if k == 0:
            return cited[0]
        seen = " OR ".join(f"({cited[k]}) IS NOT DISTINCT FROM ({cited[j]})" for j in range(k))
        return f"CASE WHEN {seen} THEN NULL ELSE {cited[k]} END"
    return "concat_ws(',', " + ", ".join(first(k) for k in range(len(cited))) + ")"


# With findings on inspection (a few lines in a hundred), their clauses come among the others
# and may repeat: a list, each kept where it first comes.
_CITED_LIST = f"""CASE WHEN here AND found_clauses IS NOT NULL THEN list_filter(
  [{", ".join(_CITED[:5])}] || found_clauses || [{", ".join(_CITED[5:])}], lambda x: x IS NOT NULL) END"""
_CLAUSES = f"""CASE WHEN cited_list IS NULL THEN {_once(_CITED)} ELSE array_to_string(
  list_filter(cited_list, lambda x, i: list_position(cited_list, x) = i), ',') END"""

ANSWER = f"""
a0 AS (SELECT f.*, {_CITED_LIST} AS cited_list FROM f),
a AS (
  SELECT CASE WHEN here THEN {_REASONS} END AS reasons, CASE WHEN here THEN {_CLAUSES} END AS cited, *
  FROM a0),
answered AS (
  SELECT rn, CASE WHEN here THEN concat('{{"id":"', id, '","covered":', CASE WHEN covered THEN 'true' ELSE 'false' END,
    ',"starts_on":"', CAST(start AS VARCHAR), '","ends_on":"', CAST(cover_end AS VARCHAR), '","basis":',
    CASE WHEN purchased IS NOT NULL THEN '"invoice"' ELSE '"manufacture"' END, ',"group":', group_json,
    ',"months":', CAST(months AS VARCHAR), ',"onsite":{{"eligible":',
    CASE WHEN onsite_eligible OR vip_visit THEN 'true' ELSE 'false' END, ',"ends_on":',
    CASE WHEN vip_visit THEN concat('"', CAST(vip_until AS VARCHAR), '"') WHEN onsite_months = 0 THEN 'null'
         ELSE concat('"', CAST(onsite_until AS VARCHAR), '"') END,
    '}},"reasons":[', reasons, '],"clauses":[', cited, '],"pack":', label_json,
    '}}') WHEN not_under_warranty THEN concat('{{"id":"', id, '","error":',
      replace(replace({_text(REPAIR_REFUSAL)}, '{REPAIRED}', CAST(repaired AS VARCHAR)), '{END}', CAST(end0 AS VARCHAR)),
      '}}') END AS answer, not_under_warranty AS refused
  FROM a)"""


def parse_statement(path_literal: str, max_line: int) -> str:
    """Make the table ``parsed`` (rn, j) from the lines of the file: ``j`` the fields of a line
    the columnar reader types, else NULL."""
    return PARSE.replace("{read}", READ.format(path=path_literal, max_line=max_line))


def type_statement() -> str:
    """Make the table ``typed`` from ``parsed`` and ``devices``: each line's values, typed."""
    return f"CREATE OR REPLACE TABLE typed AS WITH {TYPED} SELECT * FROM t"


FOUND = """
CREATE OR REPLACE TEMP TABLE found AS
  SELECT u.rn, bool_and(e.reason IS NOT NULL) AS known, string_agg(e.reason, ',' ORDER BY u.i) AS found_reasons,
         list(e.clause ORDER BY u.i) AS found_clauses
  FROM (SELECT t.rn, s.label, t.line, unnest(t.ex) AS code, generate_subscripts(t.ex, 1) AS i
        FROM typed t JOIN spans s ON t.plain AND t.complete AND len(t.ex) > 0 AND s.product_line = t.line
          AND s.region = t.sold_in AND t.as_of BETWEEN s.day_from AND s.day_to) u
  LEFT JOIN exclusion_terms e ON e.label = u.label AND e.product_line = u.line AND e.code = u.code
  GROUP BY u.rn"""


def _arms(rows, keys: str, day: str) -> str:
    """A CASE over ``rows`` (key values..., first day, last day, result): the result of the row
    whose keys the line has and whose days hold the line's ``day``."""
    names = keys.split()
    arms = [f"WHEN {' AND '.join(f'{n} = {_text(v)}' for n, v in zip(names, row))} AND {day} BETWEEN "
            f"DATE '{row[-3].isoformat()}' AND DATE '{row[-2].isoformat()}' THEN {_value(row[-1])}" for row in rows]
    return f"CASE {' '.join(arms)} END" if arms else "NULL"


def _value(value) -> str:
    return _text(value) if isinstance(value, str) else str(value)


def _pack_and_windows(compiled: dict) -> str:
    """The pack in force for the line, and the coverage and on-site windows of its manufacture
    date (the first that holds it), as CASE expressions made from the compiled tables (joins on
    ranges of days would not keep the lines in their order)."""
    spans = [(line, region, start, end, label) for line, region, start, end, label in compiled["spans"]]
    windows = [(label, line, start, end, idx) for label, line, idx, start, end in compiled["windows"]]
    onsite = [(label, line, start, end, idx) for label, line, idx, start, end in compiled["onsite_windows"]]
    return f"""
k0 AS (
  SELECT t.*, CASE WHEN t.plain AND t.complete THEN {_arms(spans, "line sold_in", "as_of")} END AS label
  FROM typed t),
k AS (
  SELECT k0.*, {_arms(windows, "label line", "made")} AS idx,
         coalesce({_arms(onsite, "label line", "made")}, -1) AS onsite_idx, coalesce(purchased, made) AS start
  FROM k0)"""


def decide_statement(compiled: dict) -> str:
    """Make the table ``decided`` (rn, answer, refused) from ``typed``: ``answer`` where the
    columnar engine answers the line (``refused``: with an error line), else NULL, in input
    order. (DuckDB keeps the order here; a COPY straight from the same steps would not.)"""
    return (f"CREATE OR REPLACE TABLE decided AS WITH {_pack_and_windows(compiled)},{TERMS},{ANSWER}\n"
            "SELECT rn, answer, refused FROM answered")


def left_statement(path_literal: str, max_line: int) -> str:
    """The lines ``decided`` leaves unanswered (rn, raw), in input order."""
    return (f"WITH src AS (SELECT row_number() OVER () AS rn, raw FROM {READ.format(path=path_literal, max_line=max_line)})"
            " SELECT rn, coalesce(raw, '') FROM src SEMI JOIN (SELECT rn FROM decided WHERE answer IS NULL) USING (rn)"
            " ORDER BY rn")

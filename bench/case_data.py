"""The case look-up bench's data: service centres, a serial registry, repair cases, their
reported faults, findings and timelines, generated in PostgreSQL with set-based SQL
(``INSERT … SELECT … FROM generate_series``).

Every word a generated row stores (statuses, case kinds, repair preferences, event kinds,
finding outcomes, roles, product lines, parts, regions, languages) is taken from the models and
the shared vocabulary, so the data follows them as they change; a word the bench's weights name
that they no longer know stops the load before it starts. Imported once Django is set up
(``bench/case_lookup.py`` does so after starting its server).
"""

from __future__ import annotations

import datetime as dt
import threading

from django.conf import settings

from aftersales.accounts.roles import Role
from aftersales.policy.vocabulary import PARTS, PRODUCT_LINES, REGIONS
from aftersales.repairs.models import EventKind, Kind, Outcome, Preference
from aftersales.repairs.numbers import ALPHABET, new_case_number
from aftersales.repairs.status import Status, status_sentence
from bench.progress import say, step

S, E = Status, EventKind
PREFIX, DIGITS = new_case_number()[0], len(new_case_number()) - 1  # "R" and eleven symbols
ZH, EN = (next(code for code, _ in settings.LANGUAGES if code.startswith(p)) for p in ("zh", "en"))

CENTRES = [  # code, English, Chinese, region, city, time zone, share of cases, films parcels
    ("sh-01", "Shanghai Xuhui service centre", "上海徐汇服务中心", "CN", "Shanghai", "Asia/Shanghai", 30, False),
    ("bj-01", "Beijing Haidian service centre", "北京海淀服务中心", "CN", "Beijing", "Asia/Shanghai", 22, False),
    ("gz-01", "Guangzhou Tianhe service centre", "广州天河服务中心", "CN", "Guangzhou", "Asia/Shanghai", 18, False),
    ("hk-01", "Hong Kong Kowloon service centre", "香港九龙服务中心", "HK", "Hong Kong", "Asia/Hong_Kong", 10, False),
    ("us-sj", "San Jose service centre", "圣何塞服务中心", "US", "San Jose", "America/Los_Angeles", 12, True),
    ("ca-to", "Toronto service centre", "多伦多服务中心", "CA", "Toronto", "America/Toronto", 8, True),
]
# A model name per product line; a line added to the vocabulary gets a made-up one.
MODEL_NAMES = {"rog-desktop": "G22CH", "home-desktop": "S501MD", "aio": "A3402", "mini-pc": "PN64",
               "nuc": "NUC13", "notebook": "UX3405"}
LINES = {line: MODEL_NAMES.get(line, line.upper()) for line in PRODUCT_LINES}
SOLD_IN = {"CN": 4, "HK": 1, "TW": 1, "US": 1, "CA": 1}  # where the registry's devices were sold
FAULTY_PARTS = ("mainboard", "ssd", "memory", "battery", "lcd-panel", "fan", "keyboard")
# Statuses by the case's age in days: the newest cases are spread over the working statuses, older
# ones are nearly all returned or cancelled, with a few left in storage or awaiting disposal.
STATUS_BY_AGE = [
    (1, {S.BOOKED: 55, S.RECEIVED: 30, S.DIAGNOSING: 12, S.CANCELLED: 3}),
    (3, {S.BOOKED: 15, S.RECEIVED: 15, S.DIAGNOSING: 25, S.AWAITING_CUSTOMER: 10, S.REPAIRING: 15, S.QA: 5,
         S.READY: 10, S.CANCELLED: 5}),
    (14, {S.RECEIVED: 3, S.DIAGNOSING: 8, S.AWAITING_CUSTOMER: 10, S.REPAIRING: 10, S.QA: 4, S.READY: 15,
          S.SHIPPED: 15, S.COLLECTED: 28, S.IN_STORAGE: 2, S.CANCELLED: 5}),
    (60, {S.AWAITING_CUSTOMER: 1, S.READY: 2, S.SHIPPED: 3, S.IN_STORAGE: 4, S.COLLECTED: 82, S.CANCELLED: 8}),
    (365, {S.AWAITING_CUSTOMER: 0.05, S.IN_STORAGE: 0.3, S.DISPOSAL_REVIEW: 0.15, S.COLLECTED: 91.5,
           S.CANCELLED: 8}),
    (None, {S.IN_STORAGE: 0.02, S.DISPOSAL_REVIEW: 0.03, S.COLLECTED: 91.95, S.CANCELLED: 8}),
]
# How far along its path a case in each status is: the share of a full timeline it has written.
PROGRESS = {S.BOOKED: 0.1, S.RECEIVED: 0.25, S.DIAGNOSING: 0.4, S.AWAITING_CUSTOMER: 0.55, S.REPAIRING: 0.65,
            S.QA: 0.75, S.READY: 0.85, S.SHIPPED: 0.95, S.COLLECTED: 1.0, S.IN_STORAGE: 1.0,
            S.DISPOSAL_REVIEW: 1.0, S.CANCELLED: 0.2}
# The statuses a status-changed event passes through on the way, in order.
PATH = (S.RECEIVED, S.DIAGNOSING, S.REPAIRING, S.QA, S.READY)
# Statuses whose cases were diagnosed: each of their reported faults has a finding.
DIAGNOSED = (S.AWAITING_CUSTOMER, S.REPAIRING, S.QA, S.READY, S.SHIPPED, S.COLLECTED, S.IN_STORAGE,
             S.DISPOSAL_REVIEW)
# Statuses whose cases left the status they were booked in no more than 20 days after booking.
CLOSED_QUICKLY = (S.COLLECTED, S.CANCELLED, S.SHIPPED)
EVENT_KINDS = [  # kind, weight, customer-visible, English, Chinese (status changes say their status)
    (E.STATUS_CHANGED, 28, True, None, None),
    (E.NOTE, 14, False, "Internal note: customer called about the expected date.", "内部备注：客户来电询问预计完成时间。"),
    (E.WARRANTY_DECIDED, 6, True, "Warranty decided: covered under the standard terms.", "保修判定：符合标准保修条款。"),
    (E.EVIDENCE_ADDED, 14, True, "Photo added: device as received.", "已添加照片：收到时的产品状况。"),
    (E.FINDING_RECORDED, 10, True, "Finding recorded for a reported fault.", "已记录报修故障的检测结果。"),
    (E.TEST_RUN, 10, False, "Test run: memory and storage diagnostics passed.", "测试：内存和存储诊断通过。"),
    (E.QUOTATION_SENT, 4, True, "Quotation sent for the parts not covered.", "已发送不在保修范围内部件的报价。"),
    (E.QUOTATION_ANSWERED, 3, True, "Quotation answered line by line.", "已逐项答复报价。"),
    (E.PART_FITTED, 6, True, "Part fitted: replacement from stock.", "已更换部件：库存备件。"),
    (E.CUSTOMER_MESSAGE, 3, True, "Message from the customer.", "客户留言。"),
    (E.FOLLOW_UP, 2, False, "Follow-up opened: the customer asked for a call back.", "已创建跟进：客户要求回电。"),
]
KINDS = {Kind.CARRY_IN: 55, Kind.MAIL_IN: 35, Kind.ONSITE: 10}
PREFERENCES = {Preference.OWN_DEVICE: 90, Preference.REFURBISHED: 10}
OUTCOMES = {Outcome.CONFIRMED: 70, Outcome.NOT_REPRODUCED: 12, Outcome.SOFTWARE: 10, Outcome.DAMAGE: 8}
LANGUAGES = {ZH: 70, EN: 30}
SYMPTOMS = ["Does not power on", "Screen flickers after a few minutes", "Fan is very loud under light load",
            "Random blue screens while gaming", "Battery drains in under two hours", "Wi-Fi drops every hour",
            "Keyboard keys stick", "USB-C port does not charge", "No display output on HDMI",
            "Clicking noise from the hard disk", "Overheats and shuts down", "Touchpad does not respond"]
NAMES = ["Li Lei", "Han Meimei", "Wang Fang", "Zhang Wei", "Liu Yang", "Chen Jing", "Yang Min", "Zhao Lei",
         "Huang Li", "Zhou Jie", "Wu Xia", "Xu Ming", "Sun Hao", "Ma Lin", "Zhu Tao", "Emily Chen",
         "John Smith", "Maria Garcia", "David Lee", "Sarah Wilson"]


def vocabulary_check() -> None:
    """Stops the run before the load when a region or part named above is not in the vocabulary
    (a status or kind that went away stops it sooner, at import)."""
    unknown = (sorted({c[3] for c in CENTRES} - set(REGIONS)) + sorted(set(SOLD_IN) - set(REGIONS))
               + sorted(set(FAULTY_PARTS) - set(PARTS)))
    if unknown:
        raise SystemExit(f"the bench's data names words the vocabulary does not know: {unknown}")


def _sql_text(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _array(values) -> str:
    return "ARRAY[" + _list(values) + "]"


def _list(values) -> str:
    return ", ".join(_sql_text(v) for v in values)


def _pick(u: str, weights: dict[str, float]) -> str:
    """A CASE expression choosing a key of ``weights`` by the uniform [0, 1) value ``u``."""
    total, running, parts = sum(weights.values()), 0.0, []
    items = list(weights.items())
    for key, weight in items[:-1]:
        running += weight / total
        parts.append(f"WHEN {u} < {running:.6f} THEN {_sql_text(key)}")
    return f"CASE {' '.join(parts)} ELSE {_sql_text(items[-1][0])} END"


def _status_expr() -> str:
    parts = []
    for max_age, weights in STATUS_BY_AGE:
        if max_age is None:
            parts.append(f"ELSE {_pick('u_status', weights)}")
        else:
            parts.append(f"WHEN age < {max_age} THEN {_pick('u_status', weights)}")
    return "CASE " + " ".join(parts) + " END"


def case_insert_sql(*, count: int, start: dt.datetime, now: dt.datetime, span_days: float,
                    devices: tuple[int, int], centre_ids: list[int], ordered: bool) -> tuple[str, dict]:
    number = f"{_sql_text(PREFIX)} || " + " || ".join(
        f"substr('{ALPHABET}', 1 + floor(random() * {len(ALPHABET)})::int, 1)" for _ in range(DIGITS))
    centre = _pick("u_centre", {str(cid): share for cid, (*_, share, _films) in zip(centre_ids, CENTRES)})
    lines = list(LINES)
    # ``ordered``: created_at follows g (ids and creation times rise together, as in production);
    # otherwise anywhere in the span (the few rows that replace a number that happened to repeat).
    created = ("%(start)s::timestamptz + ((g - 1) + random()) * (%(span)s::float8 / %(n)s) * interval '1 day'"
               if ordered else "%(start)s::timestamptz + random() * %(span)s * interval '1 day'")
    sql = f"""
WITH s AS MATERIALIZED (
    SELECT g, {created} AS created_at,
           random() AS u_status, random() AS u_centre, random() AS u_contact, random() AS u_kind,
           random() AS u_language, random() AS u_preference,
           1 + floor(random() * {len(NAMES)})::int AS name_i,
           CASE WHEN random() < 0.9 THEN %(dev_lo)s + floor(random() * %(dev_n)s)::bigint END AS dev_id
    FROM generate_series(1, %(n)s) g
), t AS MATERIALIZED (
    SELECT s.*, extract(epoch FROM (%(now)s::timestamptz - created_at)) / 86400 AS age,
           ({_array(NAMES)})[name_i] AS name
    FROM s
), u AS MATERIALIZED (
    SELECT t.*, {_status_expr()} AS status FROM t
)
INSERT INTO repairs_case (number, kind, status, status_changed_at, centre_id, customer_id, customer_name,
    email, phone, language, device_id, serial, model, product_line, purchased_on, operating_system,
    bios_version, preference, ack_data_loss, ack_passwords, ack_peripherals, warranty, created_at, return_address)
SELECT {number},
       {_pick('u_kind', KINDS)},
       u.status,
       CASE WHEN u.status = {_sql_text(S.BOOKED)} THEN u.created_at
            WHEN u.status IN ({_list(CLOSED_QUICKLY)})
                THEN least(%(now)s::timestamptz, u.created_at + (1 + random() * 19) * interval '1 day')
            ELSE u.created_at + (%(now)s::timestamptz - u.created_at) * (0.2 + 0.8 * random()) END,
       ({centre})::bigint,
       NULL, u.name,
       CASE WHEN u_contact < 0.9
            THEN lower(replace(u.name, ' ', '.')) || '.' || u.g || '@example.' ||
                 (ARRAY['com', 'cn', 'net'])[1 + floor(random() * 3)::int] ELSE '' END,
       CASE WHEN u_contact < 0.7 OR u_contact >= 0.9
            THEN '1' || (ARRAY['3', '5', '8'])[1 + floor(random() * 3)::int] ||
                 lpad(floor(random() * 1000000000)::bigint::text, 9, '0') ELSE '' END,
       {_pick('u_language', LANGUAGES)},
       d.id,
       coalesce(d.serial, 'XR' || lpad(floor(random() * 100000000)::bigint::text, 8, '0')),
       coalesce(d.model, 'Unknown model'),
       coalesce(d.product_line, ({_array(lines)})[1 + floor(random() * {len(lines)})::int]),
       CASE WHEN random() < 0.85 THEN (u.created_at - (10 + random() * 900) * interval '1 day')::date END,
       (ARRAY['Windows 11 Home', 'Windows 11 Pro', 'Windows 10 Home', ''])[1 + floor(random() * 4)::int],
       'BIOS ' || (300 + floor(random() * 60))::int,
       {_pick('u_preference', PREFERENCES)},
       true, true, true,
       CASE WHEN d.id IS NOT NULL THEN jsonb_build_object(
           'covered', random() < 0.75, 'pack', 'cn-desktop@2026.11.30',
           'reasons', jsonb_build_array(jsonb_build_object('code', 'in-period', 'en', 'Within the warranty period.',
                                                           'zh', '在保修期内。'))) END,
       u.created_at,
       CASE WHEN ({_pick('u_kind', KINDS)}) = {_sql_text(Kind.MAIL_IN)}
            THEN u.g || ' Example Road, Shanghai' ELSE '' END
FROM u LEFT JOIN warranty_device d ON d.id = u.dev_id
ORDER BY u.g
ON CONFLICT (number) DO NOTHING
"""
    return sql, {"n": count, "start": start, "now": now, "span": span_days, "dev_lo": devices[0],
                 "dev_n": devices[1]}


def device_insert_sql(count: int) -> tuple[str, dict]:
    lines = list(LINES)
    sold_in = [region for region, weight in SOLD_IN.items() for _ in range(weight)]
    sql = f"""
INSERT INTO warranty_device (serial, model, product_line, manufactured_on, shipped_on, sold_in)
SELECT 'BN' || lpad(g::text, 9, '0'), ({_array(LINES.values())})[li] || '-' || mod(g, 40), ({_array(lines)})[li],
       made, made + (5 + floor(random() * 40))::int,
       ({_array(sold_in)})[1 + floor(random() * {len(sold_in)})::int]
FROM (SELECT g, 1 + floor(random() * {len(lines)})::int AS li,
             DATE '2019-01-01' + floor(random() * 2400)::int AS made
      FROM generate_series(1, %(n)s) g) x
"""
    return sql, {"n": count}


def symptom_insert_sql() -> str:
    return f"""
INSERT INTO repairs_reportedsymptom (case_id, position, text)
SELECT c.id, p, ({_array(SYMPTOMS)})[1 + floor(random() * {len(SYMPTOMS)})::int]
FROM (SELECT id, 1 + (random() < 0.35)::int + (random() < 0.1)::int AS n
      FROM repairs_case WHERE id BETWEEN %(lo)s AND %(hi)s) c
CROSS JOIN LATERAL generate_series(1, c.n) p
ORDER BY c.id, p
"""


def finding_insert_sql() -> str:
    statuses = _list(DIAGNOSED)
    return f"""
INSERT INTO repairs_finding (symptom_id, text, outcome, part, recorded_by_id, recorded_at)
SELECT s.id, 'Reproduced on the bench; ' || lower(s.text) || '.',
       {_pick('s.uo', OUTCOMES)},
       ({_array(FAULTY_PARTS)})[1 + floor(random() * {len(FAULTY_PARTS)})::int],
       NULL, c.created_at + (c.status_changed_at - c.created_at) * 0.3
FROM (SELECT s.*, random() AS uo FROM repairs_reportedsymptom s WHERE s.case_id BETWEEN %(lo)s AND %(hi)s) s
JOIN repairs_case c ON c.id = s.case_id
WHERE c.status IN ({statuses})
"""


def event_insert_sql(events_per_case: int) -> str:
    q = _sql_text
    progress = "CASE c.status " + " ".join(
        f"WHEN {q(s)} THEN {p}" for s, p in PROGRESS.items()) + " ELSE 1 END"
    kinds = {k: w for k, w, *_ in EVENT_KINDS}
    visible = "CASE kind " + " ".join(f"WHEN {q(k)} THEN {str(v).lower()}"
                                      for k, _w, v, *_ in EVENT_KINDS) + " ELSE true END"
    text = {k: (en, zh) for k, _w, _v, en, zh in EVENT_KINDS if en}
    status_en = "CASE to_status " + " ".join(
        f"WHEN {q(s)} THEN {q(status_sentence(s)[0])}" for s in Status
    ) + " ELSE '' END"
    status_zh = "CASE to_status " + " ".join(
        f"WHEN {q(s)} THEN {q(status_sentence(s)[1])}" for s in Status
    ) + " ELSE '' END"
    kind_en = "CASE kind " + " ".join(f"WHEN {q(k)} THEN {q(en)}" for k, (en, _) in text.items())
    kind_zh = "CASE kind " + " ".join(f"WHEN {q(k)} THEN {q(zh)}" for k, (_, zh) in text.items())
    booked, changed = q(E.BOOKED), q(E.STATUS_CHANGED)
    return f"""
INSERT INTO repairs_caseevent (case_id, kind, at, actor_id, actor_role, from_status, to_status,
                               customer_visible, summary_en, summary_zh, data)
SELECT case_id, kind, at, NULL, CASE WHEN k = 1 THEN {q(Role.CUSTOMER)} ELSE {q(Role.STAFF)} END, '', to_status,
       {visible},
       CASE WHEN kind = {booked} THEN 'Case ' || number || ' booked for ' || model || ' (' || serial || ').'
            WHEN kind = {changed} THEN {status_en} ELSE {kind_en} END END,
       CASE WHEN kind = {booked} THEN '已预约维修单 ' || number || '：' || model || '（' || serial || '）。'
            WHEN kind = {changed} THEN {status_zh} ELSE {kind_zh} END END,
       CASE WHEN kind = {q(E.EVIDENCE_ADDED)} THEN jsonb_build_object('evidence', case_id * 10 + k)
            ELSE '{{}}'::jsonb END
FROM (
    SELECT e.*, CASE WHEN kind = {booked} THEN {q(S.BOOKED)}
                     WHEN kind = {changed} AND k = n THEN status
                     WHEN kind = {changed}
                         THEN ({_array(PATH)})[least({len(PATH)}, 1 + floor((k - 1) * {len(PATH)}.0 / n)::int)]
                     ELSE '' END AS to_status
    FROM (
        SELECT c.id AS case_id, c.number, c.model, c.serial, c.status, k, c.n,
               CASE WHEN k = 1 THEN {booked} WHEN k = c.n THEN {changed}
                    ELSE {_pick('uk', kinds)} END AS kind,
               CASE WHEN c.n = 1 THEN c.created_at
                    ELSE c.created_at + (c.status_changed_at - c.created_at) * ((k - 1)::float8 / (c.n - 1)) END
                   AS at
        FROM (SELECT c.*, greatest(CASE WHEN c.status = {q(S.BOOKED)} THEN 1 ELSE 2 END,
                                   round({events_per_case} * {progress}) + floor(random() * 5) - 2)::int AS n
              FROM repairs_case c WHERE c.id BETWEEN %(lo)s AND %(hi)s) c
        CROSS JOIN LATERAL (SELECT k, random() AS uk FROM generate_series(1, c.n) k) g
    ) e
) x
ORDER BY at
"""


class Loader:
    """Runs the load on one or two connections, with secondary indexes and foreign keys dropped.
    ``pg.connect()`` opens a new autocommit connection to the server."""

    def __init__(self, pg):
        self.pg = pg
        self.conn = pg.connect()
        self.dropped: list[tuple[str, str]] = []  # (kind, SQL to re-create)

    def session(self, conn):
        conn.execute("SET work_mem = '1GB'")
        conn.execute("SET jit = off")
        return conn

    def drop_for_load(self, table: str):
        rows = self.conn.execute("""
            SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
            WHERE i.indrelid = %s::regclass AND NOT i.indisprimary
              AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid
                              AND k.conrelid = i.indrelid AND k.contype IN ('p', 'u', 'x'))""", [table]).fetchall()
        for name, definition in rows:
            self.conn.execute(f'DROP INDEX "{name}"')
            self.dropped.append(("index", definition))
        rows = self.conn.execute("""SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint
                                    WHERE conrelid = %s::regclass AND contype = 'f'""", [table]).fetchall()
        for name, definition in rows:
            self.conn.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
            self.dropped.append(("fk", f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}'))

    def restore(self):
        self.session(self.conn)
        for kind, sql in [d for d in self.dropped if d[0] == "index"]:
            with step(f"  {sql[:110]}"):
                self.conn.execute(sql)
        with step("  foreign keys re-added and validated"):
            for kind, sql in [d for d in self.dropped if d[0] == "fk"]:
                self.conn.execute(sql)
        self.dropped.clear()

    def parallel(self, sql: str, lo: int, hi: int, parts: int = 2) -> int:
        """Runs ``sql`` over [lo, hi] split into ``parts`` id ranges on as many connections."""
        bounds = [lo + (hi - lo + 1) * i // parts for i in range(parts + 1)]
        counts, errors = [0] * parts, []

        def work(i):
            try:
                with self.session(self.pg.connect()) as conn:
                    counts[i] = conn.execute(sql, {"lo": bounds[i], "hi": bounds[i + 1] - 1}).rowcount
            except Exception as exc:
                errors.append(exc)

        threads = [threading.Thread(target=work, args=(i,)) for i in range(parts)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        if errors:
            raise errors[0]
        return sum(counts)


def load(pg, *, cases: int, events_per_case: int) -> dict:
    """Generates the data (see the module's overview); returns what it made."""
    vocabulary_check()
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    span_days = 3 * 365
    start = now - dt.timedelta(days=span_days)
    loader = Loader(pg)
    conn = loader.session(loader.conn)
    for table in ("warranty_device", "repairs_case", "repairs_reportedsymptom", "repairs_finding",
                  "repairs_caseevent"):
        loader.drop_for_load(table)

    centre_ids = []
    for code, en, zh, region, city, tz, _share, films in CENTRES:
        centre_ids.append(conn.execute(
            """INSERT INTO centres_servicecentre (code, name_en, name_zh, region, city, address, phone, timezone,
               requires_parcel_media) VALUES (%s, %s, %s, %s, %s, '', '', %s, %s) RETURNING id""",
            [code, en, zh, region, city, tz, films]).fetchone()[0])

    n_devices = max(1000, cases // 2)
    with step(f"registry: {n_devices:,} devices"):
        conn.execute(*device_insert_sql(n_devices))
        dev_lo, dev_hi = conn.execute("SELECT min(id), max(id) FROM warranty_device").fetchone()

    with step(f"cases: {cases:,} (random numbers; the unique index refuses repeats)"):
        sql, params = case_insert_sql(count=cases, start=start, now=now, span_days=span_days,
                                      devices=(dev_lo, dev_hi - dev_lo + 1), centre_ids=centre_ids, ordered=True)
        made = conn.execute(sql, params).rowcount
        for _ in range(5):  # a repeated number (about 1 in 70,000 runs at 1M) is drawn again
            if made >= cases:
                break
            say(f"  {cases - made} repeated number(s) drawn again")
            sql, params = case_insert_sql(count=cases - made, start=start, now=now, span_days=span_days,
                                          devices=(dev_lo, dev_hi - dev_lo + 1), centre_ids=centre_ids,
                                          ordered=False)
            made += conn.execute(sql, params).rowcount
        lo, hi = conn.execute("SELECT min(id), max(id) FROM repairs_case").fetchone()
    with step("reported faults: 1–3 per case"):
        symptoms = loader.parallel(symptom_insert_sql(), lo, hi)
        say(f"  {symptoms:,} reported faults")
    with step("findings for every fault of a diagnosed case"):
        findings = loader.parallel(finding_insert_sql(), lo, hi)
        say(f"  {findings:,} findings")
    with step(f"timeline events: about {events_per_case} per case, written in time order"):
        events = loader.parallel(event_insert_sql(events_per_case), lo, hi)
        say(f"  {events:,} events")
    with step("indexes and foreign keys re-created"):
        loader.restore()
    with step("VACUUM (ANALYZE)"):
        conn.execute("VACUUM (ANALYZE)")
        conn.execute("CHECKPOINT")
    sizes = conn.execute("""SELECT relname, pg_size_pretty(pg_total_relation_size(oid)) FROM pg_class
                            WHERE relname IN ('repairs_case', 'repairs_caseevent') ORDER BY relname""").fetchall()
    say("sizes with indexes: " + ", ".join(f"{n} {s}" for n, s in sizes))
    by_status = conn.execute("SELECT status, count(*) FROM repairs_case GROUP BY 1 ORDER BY 2 DESC").fetchall()
    say("statuses: " + ", ".join(f"{s} {n:,}" for s, n in by_status))
    conn.close()
    return {"cases": made, "events": events, "symptoms": symptoms, "findings": findings, "centre_ids": centre_ids}


"""Benchmark: the customer's case look-up and the staff queue at scale, over real HTTP.

    uv run python bench/case_lookup.py [--cases 1000000 --events-per-case 10]

Self-contained; everything it starts it stops, and everything it writes is in two temporary
directories it removes, on success, on failure and on Ctrl-C alike.

1. Starts a throwaway PostgreSQL (initdb as the ``postgres`` user, unix socket only, set up for a
   bulk load on a 2-core/24 GB machine) and runs ``aftersales migrate`` against it.
2. Generates the data with set-based SQL (``INSERT … SELECT … FROM generate_series``): six service
   centres, a serial registry, N repair cases over three years with random case numbers in the
   real format, statuses that depend on the case's age, contact details, 1–3 reported faults per
   case with findings once diagnosed, and about ``--events-per-case`` timeline events per case in
   time order. Secondary indexes and foreign keys are dropped for the load and re-created after
   it (the foreign keys validated); then VACUUM ANALYZE.
3. Serves the project with gunicorn on 127.0.0.1 (2 worker processes per CPU, gthread workers so
   that connections are kept alive), DEBUG off, persistent database connections, the case
   look-up rate limit raised out of the way.
4. Measures, from client threads on the same machine with keep-alive connections, each scenario
   for a fixed number of requests bounded by a fixed duration, at each client concurrency:
   ``GET /healthz`` (no database), ``POST /api/v1/cases/lookup`` with random existing numbers and
   their contact details, and the staff queue as a signed-in member of staff: the first page and
   the deepest keyset page. Client-side latency and the ``Server-Timing: app;dur=`` header the
   app sets (aftersales/core/timing.py) are both reported, with each figure's ratio to the health
   endpoint's. Once more for the look-up with ``DB_CONN_MAX_AGE=0`` (a new database connection
   per request, the settings' default).
5. Prints EXPLAIN (ANALYZE, BUFFERS) of every query the look-up and the queue pages run.

Target (issue): look-up p99 under 20 ms server-side at 1M cases. The queue page is served by the
console's own page when the project has one (``console:cases``); otherwise, or with
``--bench-queue``, by a small view over ``repairs.selectors.case_queue`` defined in this module's
URLconf (``wsgi()`` below serves the project's URLs plus that one).
"""

from __future__ import annotations

import argparse
import atexit
import datetime as dt
import http.client
import json
import math
import os
import platform
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parent.parent
TARGET_MS = 20.0
QUEUE_PATH = "/bench/queue/"
STAFF_USER, STAFF_PASSWORD = "bench-staff", "bench-staff-password-1"
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CLOSED = ("collected", "cancelled")

# --- serving: the project's URLs plus the queue view, for ``gunicorn 'bench.case_lookup:wsgi()'`` ---


def wsgi():
    """The project's WSGI application with this module as its URLconf."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aftersales.settings")
    from django.conf import settings
    from django.core.wsgi import get_wsgi_application

    settings.ROOT_URLCONF = __name__
    return get_wsgi_application()


_QUEUE_TEMPLATE = """{% extends "console/base.html" %}{% load i18n %}
{% block title %}{% translate "Case queue" %}{% endblock %}
{% block content %}
<h1>{% translate "Case queue" %}</h1>
<table class="table">
<thead><tr><th>Case</th><th>Status</th><th>Centre</th><th>Model</th><th>Serial</th><th>Booked</th><th></th></tr></thead>
<tbody>{% for row in rows %}
<tr><td>{{ row.number }}</td><td>{{ row.status }}</td><td>{{ row.case.centre.code }}</td>
<td>{{ row.case.model }}</td><td>{{ row.case.serial }}</td><td>{{ row.case.created_at|date:"Y-m-d H:i" }}</td>
<td>{% if row.late %}late{% endif %}</td></tr>{% endfor %}
</tbody></table>
{% if next %}<a rel="next" href="?{{ next }}">Next</a>{% endif %}
{% endblock %}"""


def _queue_view():
    from django.http import HttpResponse
    from django.template import engines
    from django.utils.http import urlencode as django_urlencode
    from django.utils.translation import get_language

    from aftersales.accounts.guards import action_required
    from aftersales.core import clock
    from aftersales.repairs.numbers import display
    from aftersales.repairs.selectors import case_queue, is_late
    from aftersales.repairs.status import status_label

    template = engines["django"].from_string(_QUEUE_TEMPLATE)

    @action_required("case.view")
    def queue(request):
        now = clock.now()
        page = case_queue(centre_id=request.user.service_centre_id, now=now,
                          cursor=request.GET.get("cursor"))
        language = get_language()
        rows = [{"case": c, "number": display(c.number), "status": status_label(c.status, language),
                 "late": is_late(c, now)} for c in page.cases]
        nxt = django_urlencode({"cursor": page.next_cursor}) if page.next_cursor else ""
        return HttpResponse(template.render({"rows": rows, "next": nxt}, request))

    return queue


def __getattr__(name):  # the URLconf, built only when Django asks for it
    if name == "urlpatterns":
        from django.urls import include, path

        patterns = [path(QUEUE_PATH.strip("/") + "/", _queue_view(), name="bench-queue"),
                    path("", include("aftersales.urls"))]
        globals()["urlpatterns"] = patterns
        return patterns
    raise AttributeError(name)


# --- clean-up ------------------------------------------------------------------------------------


class Cleanup:
    """Undo actions, run once in reverse order: from ``finally``, from atexit, on SIGTERM."""

    def __init__(self):
        self.actions: list[tuple[str, callable]] = []
        self.lock = threading.Lock()

    def add(self, name, action):
        self.actions.append((name, action))

    def run(self):
        with self.lock:
            while self.actions:
                name, action = self.actions.pop()
                try:
                    action()
                except Exception as exc:  # keep going: the rest must still be undone
                    print(f"clean-up: {name} failed: {exc}", file=sys.stderr)


CLEANUP = Cleanup()
atexit.register(CLEANUP.run)
START = time.perf_counter()


def say(text: str) -> None:
    print(f"[{time.perf_counter() - START:7.1f} s] {text}", flush=True)


class step:
    def __init__(self, text):
        self.text = text

    def __enter__(self):
        say(self.text + " …")
        self.t0 = time.perf_counter()
        return self

    def __exit__(self, *exc):
        if exc[0] is None:
            say(f"{self.text}: done in {time.perf_counter() - self.t0:.1f} s")


# --- PostgreSQL ------------------------------------------------------------------------------------


class Postgres:
    def __init__(self):
        bins = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"),
                      key=lambda p: [int(x) for x in re.findall(r"\d+", p.parent.parent.name)])
        if not bins:
            raise SystemExit("no PostgreSQL server under /usr/lib/postgresql")
        self.bin = bins[-1].parent
        self.dir = Path(tempfile.mkdtemp(prefix="bench-case-lookup-pg."))
        CLEANUP.add("remove the PostgreSQL directory", lambda: shutil.rmtree(self.dir, ignore_errors=True))
        self.as_user: list[str] = []
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root: run it as the postgres system user
            if subprocess.run(["id", "-u", "postgres"], capture_output=True, check=False).returncode != 0:
                subprocess.run(["useradd", "--system", "--home-dir", "/var/lib/postgresql", "--shell",
                                "/usr/sbin/nologin", "--user-group", "postgres"], check=True)
            shutil.chown(self.dir, "postgres", "postgres")
            self.as_user = ["runuser", "-u", "postgres", "--"]
        os.chmod(self.dir, 0o700)
        self.data = self.dir / "data"

    def run(self, *args, **kw):
        return subprocess.run([*self.as_user, *args], cwd="/", check=True, **kw)

    def start(self):
        self.run(str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust",
                 "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync", stdout=subprocess.DEVNULL)
        with open(self.data / "postgresql.conf", "a") as conf:
            conf.write(f"""
listen_addresses = ''
unix_socket_directories = '{self.dir}'
max_connections = 50
# memory for a 24 GB machine that also runs the app and the client
shared_buffers = 2GB
effective_cache_size = 16GB
work_mem = 64MB
maintenance_work_mem = 1GB
max_parallel_maintenance_workers = 2
random_page_cost = 1.1
# a bulk load into a throwaway server: no durability, no WAL beyond the minimum
fsync = off
synchronous_commit = off
full_page_writes = off
wal_level = minimal
max_wal_senders = 0
max_wal_size = 16GB
checkpoint_timeout = 30min
# VACUUM ANALYZE is run explicitly after the load
autovacuum = off
""")
        CLEANUP.add("stop PostgreSQL", self.stop)
        self.run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.dir / "server.log"),
                 "-w", "-t", "60", "start", stdout=subprocess.DEVNULL)
        self.run(str(self.bin / "createdb"), "-h", str(self.dir), "-U", "postgres", "aftersales")

    def stop(self):
        if (self.data / "postmaster.pid").exists():
            subprocess.run([*self.as_user, str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast",
                            "-w", "-t", "60", "stop"], cwd="/", stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, check=False)

    @property
    def url(self) -> str:
        # The socket directory in the host part, percent-encoded (as scripts/test.sh does).
        return f"postgres://postgres@{quote(str(self.dir), safe='')}/aftersales"

    def connect(self):
        import psycopg

        return psycopg.connect(host=str(self.dir), user="postgres", dbname="aftersales", autocommit=True)


# --- data ------------------------------------------------------------------------------------------

CENTRES = [  # code, English, Chinese, region, city, time zone, share of cases, films parcels
    ("sh-01", "Shanghai Xuhui service centre", "上海徐汇服务中心", "CN", "Shanghai", "Asia/Shanghai", 30, False),
    ("bj-01", "Beijing Haidian service centre", "北京海淀服务中心", "CN", "Beijing", "Asia/Shanghai", 22, False),
    ("gz-01", "Guangzhou Tianhe service centre", "广州天河服务中心", "CN", "Guangzhou", "Asia/Shanghai", 18, False),
    ("hk-01", "Hong Kong Kowloon service centre", "香港九龙服务中心", "HK", "Hong Kong", "Asia/Hong_Kong", 10, False),
    ("us-sj", "San Jose service centre", "圣何塞服务中心", "US", "San Jose", "America/Los_Angeles", 12, True),
    ("ca-to", "Toronto service centre", "多伦多服务中心", "CA", "Toronto", "America/Toronto", 8, True),
]
LINES = {"rog-desktop": "G22CH", "home-desktop": "S501MD", "aio": "A3402", "mini-pc": "PN64",
         "nuc": "NUC13", "notebook": "UX3405"}
# Statuses by the case's age in days: the newest cases are spread over the working statuses, older
# ones are nearly all returned or cancelled, with a few left in storage or awaiting disposal.
STATUS_BY_AGE = [
    (1, {"booked": 55, "received": 30, "diagnosing": 12, "cancelled": 3}),
    (3, {"booked": 15, "received": 15, "diagnosing": 25, "awaiting-customer": 10, "repairing": 15, "qa": 5,
         "ready": 10, "cancelled": 5}),
    (14, {"received": 3, "diagnosing": 8, "awaiting-customer": 10, "repairing": 10, "qa": 4, "ready": 15,
          "shipped": 15, "collected": 28, "in-storage": 2, "cancelled": 5}),
    (60, {"awaiting-customer": 1, "ready": 2, "shipped": 3, "in-storage": 4, "collected": 82, "cancelled": 8}),
    (365, {"awaiting-customer": 0.05, "in-storage": 0.3, "disposal-review": 0.15, "collected": 91.5,
           "cancelled": 8}),
    (None, {"in-storage": 0.02, "disposal-review": 0.03, "collected": 91.95, "cancelled": 8}),
]
# How far along its path a case in each status is: the share of a full timeline it has written.
PROGRESS = {"booked": 0.1, "received": 0.25, "diagnosing": 0.4, "awaiting-customer": 0.55, "repairing": 0.65,
            "qa": 0.75, "ready": 0.85, "shipped": 0.95, "collected": 1.0, "in-storage": 1.0,
            "disposal-review": 1.0, "cancelled": 0.2}
DIAGNOSED = ("awaiting-customer", "repairing", "qa", "ready", "shipped", "collected", "in-storage",
             "disposal-review")
EVENT_KINDS = [  # kind, weight, customer-visible, English, Chinese
    ("status-changed", 28, True, None, None),
    ("note", 14, False, "Internal note: customer called about the expected date.", "内部备注：客户来电询问预计完成时间。"),
    ("warranty-decided", 6, True, "Warranty decided: covered under the standard terms.", "保修判定：符合标准保修条款。"),
    ("evidence-added", 14, True, "Photo added: device as received.", "已添加照片：收到时的产品状况。"),
    ("finding-recorded", 10, True, "Finding recorded for a reported fault.", "已记录报修故障的检测结果。"),
    ("test-run", 10, False, "Test run: memory and storage diagnostics passed.", "测试：内存和存储诊断通过。"),
    ("quotation-sent", 4, True, "Quotation sent for the parts not covered.", "已发送不在保修范围内部件的报价。"),
    ("quotation-answered", 3, True, "Quotation answered line by line.", "已逐项答复报价。"),
    ("part-fitted", 6, True, "Part fitted: replacement from stock.", "已更换部件：库存备件。"),
    ("customer-message", 3, True, "Message from the customer.", "客户留言。"),
    ("follow-up", 2, False, "Follow-up opened: the customer asked for a call back.", "已创建跟进：客户要求回电。"),
]
SYMPTOMS = ["Does not power on", "Screen flickers after a few minutes", "Fan is very loud under light load",
            "Random blue screens while gaming", "Battery drains in under two hours", "Wi-Fi drops every hour",
            "Keyboard keys stick", "USB-C port does not charge", "No display output on HDMI",
            "Clicking noise from the hard disk", "Overheats and shuts down", "Touchpad does not respond"]
NAMES = ["Li Lei", "Han Meimei", "Wang Fang", "Zhang Wei", "Liu Yang", "Chen Jing", "Yang Min", "Zhao Lei",
         "Huang Li", "Zhou Jie", "Wu Xia", "Xu Ming", "Sun Hao", "Ma Lin", "Zhu Tao", "Emily Chen",
         "John Smith", "Maria Garcia", "David Lee", "Sarah Wilson"]


def _sql_text(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _array(values) -> str:
    return "ARRAY[" + ", ".join(_sql_text(v) for v in values) + "]"


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
    number = "'R' || " + " || ".join(
        f"substr('{ALPHABET}', 1 + floor(random() * 32)::int, 1)" for _ in range(11))
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
    bios_version, preference, ack_data_loss, ack_passwords, ack_peripherals, warranty, created_at)
SELECT {number},
       {_pick('u_kind', {'carry-in': 55, 'mail-in': 35, 'onsite': 10})},
       u.status,
       CASE WHEN u.status = 'booked' THEN u.created_at
            WHEN u.status IN ('collected', 'cancelled', 'shipped')
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
       CASE WHEN random() < 0.7 THEN 'zh-hans' ELSE 'en' END,
       d.id,
       coalesce(d.serial, 'XR' || lpad(floor(random() * 100000000)::bigint::text, 8, '0')),
       coalesce(d.model, 'Unknown model'),
       coalesce(d.product_line, ({_array(lines)})[1 + floor(random() * {len(lines)})::int]),
       CASE WHEN random() < 0.85 THEN (u.created_at - (10 + random() * 900) * interval '1 day')::date END,
       (ARRAY['Windows 11 Home', 'Windows 11 Pro', 'Windows 10 Home', ''])[1 + floor(random() * 4)::int],
       'BIOS ' || (300 + floor(random() * 60))::int,
       CASE WHEN random() < 0.9 THEN 'own-device' ELSE 'refurbished' END,
       true, true, true,
       CASE WHEN d.id IS NOT NULL THEN jsonb_build_object(
           'covered', random() < 0.75, 'pack', 'cn-desktop@2024.01.15',
           'reasons', jsonb_build_array(jsonb_build_object('code', 'in-period', 'en', 'Within the warranty period.',
                                                           'zh', '在保修期内。'))) END,
       u.created_at
FROM u LEFT JOIN warranty_device d ON d.id = u.dev_id
ORDER BY u.g
ON CONFLICT (number) DO NOTHING
"""
    return sql, {"n": count, "start": start, "now": now, "span": span_days, "dev_lo": devices[0],
                 "dev_n": devices[1]}


def device_insert_sql(count: int) -> tuple[str, dict]:
    lines = list(LINES)
    sql = f"""
INSERT INTO warranty_device (serial, model, product_line, manufactured_on, shipped_on, sold_in)
SELECT 'BN' || lpad(g::text, 9, '0'), ({_array(LINES.values())})[li] || '-' || mod(g, 40), ({_array(lines)})[li],
       made, made + (5 + floor(random() * 40))::int,
       (ARRAY['CN', 'CN', 'CN', 'CN', 'HK', 'TW', 'US', 'CA'])[1 + floor(random() * 8)::int]
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
    statuses = ", ".join(_sql_text(s) for s in DIAGNOSED)
    return f"""
INSERT INTO repairs_finding (symptom_id, text, outcome, part, recorded_by_id, recorded_at)
SELECT s.id, 'Reproduced on the bench; ' || lower(s.text) || '.',
       {_pick('s.uo', {'confirmed': 70, 'not-reproduced': 12, 'software': 10, 'damage': 8})},
       (ARRAY['mainboard', 'ssd', 'memory', 'battery', 'display', 'fan', 'keyboard'])[1 + floor(random() * 7)::int],
       NULL, c.created_at + (c.status_changed_at - c.created_at) * 0.3
FROM (SELECT s.*, random() AS uo FROM repairs_reportedsymptom s WHERE s.case_id BETWEEN %(lo)s AND %(hi)s) s
JOIN repairs_case c ON c.id = s.case_id
WHERE c.status IN ({statuses})
"""


def event_insert_sql(events_per_case: int) -> str:
    from aftersales.repairs.events import STATUS_WORDS

    progress = "CASE c.status " + " ".join(
        f"WHEN {_sql_text(s)} THEN {p}" for s, p in PROGRESS.items()) + " ELSE 1 END"
    kinds = {k: w for k, w, *_ in EVENT_KINDS}
    visible = "CASE kind " + " ".join(f"WHEN {_sql_text(k)} THEN {str(v).lower()}"
                                      for k, _w, v, *_ in EVENT_KINDS) + " ELSE true END"
    text = {k: (en, zh) for k, _w, _v, en, zh in EVENT_KINDS if en}
    status_en = "CASE to_status " + " ".join(
        f"WHEN {_sql_text(s)} THEN {_sql_text('Your device is ' + en + '.')}" for s, (en, zh) in STATUS_WORDS.items()
    ) + " ELSE '' END"
    status_zh = "CASE to_status " + " ".join(
        f"WHEN {_sql_text(s)} THEN {_sql_text('您的产品' + zh + '。')}" for s, (en, zh) in STATUS_WORDS.items()
    ) + " ELSE '' END"
    kind_en = "CASE kind " + " ".join(f"WHEN {_sql_text(k)} THEN {_sql_text(en)}" for k, (en, _) in text.items())
    kind_zh = "CASE kind " + " ".join(f"WHEN {_sql_text(k)} THEN {_sql_text(zh)}" for k, (_, zh) in text.items())
    path = _array(["received", "diagnosing", "repairing", "qa", "ready"])
    return f"""
INSERT INTO repairs_caseevent (case_id, kind, at, actor_id, actor_role, from_status, to_status,
                               customer_visible, summary_en, summary_zh, data)
SELECT case_id, kind, at, NULL, CASE WHEN k = 1 THEN 'customer' ELSE 'staff' END, '', to_status,
       {visible},
       CASE WHEN kind = 'booked' THEN 'Case ' || number || ' booked for ' || model || ' (' || serial || ').'
            WHEN kind = 'status-changed' THEN {status_en} ELSE {kind_en} END END,
       CASE WHEN kind = 'booked' THEN '已预约维修单 ' || number || '：' || model || '（' || serial || '）。'
            WHEN kind = 'status-changed' THEN {status_zh} ELSE {kind_zh} END END,
       CASE WHEN kind = 'evidence-added' THEN jsonb_build_object('evidence', case_id * 10 + k)
            ELSE '{{}}'::jsonb END
FROM (
    SELECT e.*, CASE WHEN kind = 'booked' THEN 'booked'
                     WHEN kind = 'status-changed' AND k = n THEN status
                     WHEN kind = 'status-changed' THEN ({path})[least(5, 1 + floor((k - 1) * 5.0 / n)::int)]
                     ELSE '' END AS to_status
    FROM (
        SELECT c.id AS case_id, c.number, c.model, c.serial, c.status, k, c.n,
               CASE WHEN k = 1 THEN 'booked' WHEN k = c.n THEN 'status-changed'
                    ELSE {_pick('uk', kinds)} END AS kind,
               CASE WHEN c.n = 1 THEN c.created_at
                    ELSE c.created_at + (c.status_changed_at - c.created_at) * ((k - 1)::float8 / (c.n - 1)) END
                   AS at
        FROM (SELECT c.*, greatest(CASE WHEN c.status = 'booked' THEN 1 ELSE 2 END,
                                   round({events_per_case} * {progress}) + floor(random() * 5) - 2)::int AS n
              FROM repairs_case c WHERE c.id BETWEEN %(lo)s AND %(hi)s) c
        CROSS JOIN LATERAL (SELECT k, random() AS uk FROM generate_series(1, c.n) k) g
    ) e
) x
ORDER BY at
"""


class Loader:
    """Runs the load on one or two connections, with secondary indexes and foreign keys dropped."""

    def __init__(self, pg: Postgres):
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


def load(pg: Postgres, args) -> dict:
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

    n_devices = max(1000, args.cases // 2)
    with step(f"registry: {n_devices:,} devices"):
        conn.execute(*device_insert_sql(n_devices))
        dev_lo, dev_hi = conn.execute("SELECT min(id), max(id) FROM warranty_device").fetchone()

    with step(f"cases: {args.cases:,} (random numbers; the unique index refuses repeats)"):
        sql, params = case_insert_sql(count=args.cases, start=start, now=now, span_days=span_days,
                                      devices=(dev_lo, dev_hi - dev_lo + 1), centre_ids=centre_ids, ordered=True)
        made = conn.execute(sql, params).rowcount
        for _ in range(5):  # a repeated number (about 1 in 70,000 runs at 1M) is drawn again
            if made >= args.cases:
                break
            say(f"  {args.cases - made} repeated number(s) drawn again")
            sql, params = case_insert_sql(count=args.cases - made, start=start, now=now, span_days=span_days,
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
    with step(f"timeline events: about {args.events_per_case} per case, written in time order"):
        events = loader.parallel(event_insert_sql(args.events_per_case), lo, hi)
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


# --- HTTP load -------------------------------------------------------------------------------------


@dataclass
class Result:
    name: str
    concurrency: int
    client_ms: list[float] = field(default_factory=list)
    server_ms: list[float] = field(default_factory=list)
    errors: int = 0
    elapsed: float = 0.0
    first_error: str = ""
    others_cpu: float = 0.0
    server_cpu: float = 0.0  # seconds of CPU used by gunicorn and PostgreSQL during the measured part

    @property
    def count(self):
        return len(self.client_ms)

    @property
    def rate(self):
        return self.count / self.elapsed if self.elapsed else 0.0


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


SERVER_TIMING = re.compile(r"(?:^|,)\s*app;dur=([\d.]+)")


def drive(port: int, name: str, make, *, requests: int, seconds: float, concurrency: int, expect: int = 200,
          warmup: int = 0, warmup_seconds: float = 5.0, before_measuring=None) -> Result:
    """Sends ``requests`` requests (fewer if ``seconds`` runs out) from ``concurrency`` threads, each
    on its own keep-alive connection, after ``warmup`` requests (at most ``warmup_seconds``) that
    are not counted. ``make(rng)`` gives (method, path, body, headers)."""
    result = Result(name, concurrency)
    lock = threading.Lock()
    issued = 0
    deadline = None

    def worker(seed: int, quota_only: int | None):
        nonlocal issued
        rng = random.Random(seed)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        done = 0
        try:
            while True:
                if quota_only is not None:
                    if done >= quota_only or time.perf_counter() > deadline:
                        return
                else:
                    with lock:
                        if issued >= requests or time.perf_counter() > deadline:
                            return
                        issued += 1
                method, path, body, headers = make(rng)
                t0 = time.perf_counter()
                try:
                    conn.request(method, path, body=body, headers=headers)
                    response = conn.getresponse()
                    response.read()
                except (http.client.HTTPException, OSError) as exc:
                    done += 1
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                    with lock:
                        result.errors += 1
                        result.first_error = result.first_error or repr(exc)
                    continue
                took = (time.perf_counter() - t0) * 1000
                done += 1
                if quota_only is not None:
                    continue
                timing = SERVER_TIMING.search(response.getheader("Server-Timing") or "")
                with lock:
                    if response.status != expect:
                        result.errors += 1
                        result.first_error = result.first_error or f"HTTP {response.status} for {method} {path}"
                    else:
                        result.client_ms.append(took)
                        if timing:
                            result.server_ms.append(float(timing.group(1)))
        finally:
            conn.close()

    def run(quota: int | None):
        threads = [threading.Thread(target=worker, args=(1000 * concurrency + i, quota), daemon=True)
                   for i in range(concurrency)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()

    if warmup:
        deadline = time.perf_counter() + warmup_seconds
        run(max(1, warmup // concurrency))
    if before_measuring:
        before_measuring()
    deadline = time.perf_counter() + seconds
    t0 = time.perf_counter()
    run(None)
    result.elapsed = time.perf_counter() - t0
    return result


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, env: dict, log: Path, workers: int, threads: int):
        self.env, self.log, self.workers, self.threads = env, log, workers, threads
        self.proc = None
        self.port = 0

    def start(self):
        self.port = free_port()
        cmd = [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{self.port}",
               "--worker-class", "gthread", "--workers", str(self.workers), "--threads", str(self.threads),
               "--keep-alive", "10", "--timeout", "60", "--graceful-timeout", "10", "--no-control-socket",
               "--chdir", str(ROOT), "bench.case_lookup:wsgi()"]
        # gunicorn's log and Django's (errors with their tracebacks) both go to stderr, kept here.
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen(cmd, env=self.env, cwd=ROOT, stdout=log, stderr=log)
        CLEANUP.add("stop gunicorn", self.stop)
        deadline, last = time.perf_counter() + 90, "no answer"
        while time.perf_counter() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"gunicorn exited with {self.proc.returncode}:\n{self.tail()}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request("GET", "/healthz")
                response = conn.getresponse()
                body = response.read()
                conn.close()
                if response.status == 200:
                    return
                last = f"HTTP {response.status}: {body[:200]!r}"
            except OSError as exc:
                last = repr(exc)
            time.sleep(0.3)
        raise SystemExit(f"gunicorn did not answer /healthz with 200 within 90 s (last: {last}):\n{self.tail()}")

    def tail(self) -> str:
        try:
            return "".join(self.log.read_text(errors="replace").splitlines(True)[-30:])
        except FileNotFoundError:
            return ""

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()  # gunicorn's master stops its workers gracefully
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None


def http_json(port, method, path, body=None, headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response, response.read()
    finally:
        conn.close()


def sign_in(port: int) -> str:
    """Signs in through the console's login form; returns the Cookie header for the session."""
    response, page = http_json(port, "GET", "/console/login/")
    cookies = {m.group(1): m.group(2) for h in response.headers.get_all("Set-Cookie") or []
               if (m := re.match(r"([^=]+)=([^;]*)", h))}
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
    body = urlencode({"username": STAFF_USER, "password": STAFF_PASSWORD, "csrfmiddlewaretoken": token})
    response, _ = http_json(port, "POST", "/console/login/", body, {
        "Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={cookies['csrftoken']}",
        "Referer": f"http://127.0.0.1:{port}/console/login/"})
    for h in response.headers.get_all("Set-Cookie") or []:
        if m := re.match(r"([^=]+)=([^;]*)", h):
            cookies[m.group(1)] = m.group(2)
    if response.status != 302 or "sessionid" not in cookies:
        raise SystemExit(f"sign-in failed: HTTP {response.status}")
    return f"sessionid={cookies['sessionid']}"


# --- the Django side: users, samples, EXPLAIN --------------------------------------------------------


def django_setup(env: dict):
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings

    settings.ROOT_URLCONF = __name__


def console_queue_exists() -> bool:
    from django.urls import NoReverseMatch, reverse

    try:
        reverse("console:cases")
        return True
    except NoReverseMatch:
        return False


def prepare_staff(centre_id: int):
    from django.contrib.auth.models import Group

    from aftersales.accounts.models import User

    user = User.objects.create_user(STAFF_USER, password=STAFF_PASSWORD, service_centre_id=centre_id)
    user.groups.add(Group.objects.get(name="staff"))
    return user


def lookup_sample(size: int, total: int) -> list[tuple[str, str]]:
    from django.db import connection

    share = min(100.0, 100.0 * size * 1.3 / max(total, 1))
    with connection.cursor() as cur:
        cur.execute(f"SELECT number, email, phone FROM repairs_case TABLESAMPLE BERNOULLI ({share}) LIMIT %s", [size])
        rows = cur.fetchall()
    rng = random.Random(5)
    return [(number, email if email and (not phone or rng.random() < 0.6) else phone)
            for number, email, phone in rows]


CURSOR = re.compile(r"^\d{4}-\d\d-\d\dT[^_]+_\d+$")


def queue_paging(first_page_html: str, centre_id: int) -> tuple[int, str, int, str | None]:
    """How the queue pages, read from its first page's rel="next" link (so the page may name its
    cursor parameter and size as it likes): the number of open cases at the centre, the cursor
    parameter, the page size, and the cursor that opens the deepest full page."""
    from urllib.parse import parse_qsl, urlsplit

    from django.db.models import Q

    from aftersales.repairs.models import Case

    qs = Case.objects.filter(centre_id=centre_id).exclude(status__in=CLOSED).order_by("created_at", "pk")
    count = qs.count()
    link = re.search(r'<a\b[^>]*\brel="next"[^>]*>', first_page_html)
    href = re.search(r'href="([^"]+)"', link.group(0)) if link else None
    pairs = parse_qsl(urlsplit(href.group(1).replace("&amp;", "&")).query) if href else []
    param, cursor = next(((k, v) for k, v in pairs if CURSOR.match(v)), ("cursor", None))
    if cursor is None:  # a single page
        return count, param, count, None
    stamp, pk = cursor.rsplit("_", 1)
    stamp = dt.datetime.fromisoformat(stamp)
    size = qs.filter(Q(created_at__lt=stamp) | Q(created_at=stamp, pk__lte=int(pk))).count()
    row = qs.values_list("created_at", "pk")[count - size - 1]
    return count, param, size, f"{row[0].isoformat()}_{row[1]}"


class CpuMeter:
    """CPU time of the whole machine against that of this benchmark's own processes (itself, the
    server and PostgreSQL), so that a figure taken while something else was busy says so; and the
    CPU time the server side (gunicorn and PostgreSQL) spent, which other work on the machine
    hardly changes."""

    def __init__(self, pg: Postgres):
        self.pg = pg
        self.server_pid: int | None = None

    @staticmethod
    def _busy_ticks() -> int:
        with open("/proc/stat") as f:
            fields = [int(x) for x in f.readline().split()[1:]]
        return sum(fields) - fields[3] - fields[4]  # all but idle and iowait

    def _tree_ticks(self) -> tuple[int, int]:
        """CPU ticks of this process's tree with PostgreSQL's, and of the server's (gunicorn and
        PostgreSQL). A process's own time plus that of its children already reaped, so that
        short-lived database backends are counted too."""
        parents, ticks = {}, {}
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/stat") as f:
                    rest = f.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parents[int(entry)] = int(rest[1])
            ticks[int(entry)] = sum(int(x) for x in rest[11:15])  # utime stime cutime cstime

        def tree(roots: set[int]) -> set[int]:
            found, grew = set(roots), True
            while grew:
                new = {pid for pid, parent in parents.items() if parent in found and pid not in found}
                found |= new
                grew = bool(new)
            return found

        postgres: set[int] = set()
        try:
            postgres = tree({int((self.pg.data / "postmaster.pid").read_text().split()[0])})
        except (OSError, ValueError, IndexError):
            pass
        server = tree({self.server_pid}) if self.server_pid else set()
        mine = tree({os.getpid()}) | postgres
        return sum(ticks.get(p, 0) for p in mine), sum(ticks.get(p, 0) for p in server | postgres)

    def snapshot(self) -> tuple[float, int, int, int]:
        own, server = self._tree_ticks()
        return time.perf_counter(), self._busy_ticks(), own, server

    @staticmethod
    def others(before, after) -> float:
        """CPUs' worth of work done by other processes between two snapshots (2.0 = two whole CPUs)."""
        hz = os.sysconf("SC_CLK_TCK")
        seconds = after[0] - before[0]
        return max(0.0, ((after[1] - before[1]) - (after[2] - before[2])) / hz / seconds) if seconds else 0.0

    @staticmethod
    def server_seconds(before, after) -> float:
        return (after[3] - before[3]) / os.sysconf("SC_CLK_TCK")

    def wait_quiet(self, limit_seconds: float, threshold: float = 0.25) -> float:
        """Waits (at most ``limit_seconds``) for other processes to use less than ``threshold`` of a
        CPU over 3 s; returns the last reading."""
        deadline = time.perf_counter() + limit_seconds
        while True:
            before = self.snapshot()
            time.sleep(3)
            load = self.others(before, self.snapshot())
            if load < threshold or time.perf_counter() > deadline:
                return load
            say(f"  other processes are using {load:.2f} CPU; waiting for the machine to quieten")


def explain_requests(requests: list[tuple[str, callable]]):
    """Runs each request in-process through Django's test client and prints EXPLAIN (ANALYZE,
    BUFFERS) of every query it ran."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for title, call in requests:
        call()  # once to warm the caches, as the load test does
        with CaptureQueriesContext(connection) as ctx:
            response = call()
        print(f"\n=== {title}: HTTP {response.status_code}, {len(ctx.captured_queries)} queries", flush=True)
        for i, q in enumerate(ctx.captured_queries, 1):
            sql = q["sql"]
            print(f"--- query {i} ({float(q['time']) * 1000:.2f} ms in Django): {sql[:400]}"
                  f"{' …' if len(sql) > 400 else ''}")
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            with connection.cursor() as cur:
                cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                for (line,) in cur.fetchall():
                    print("    " + line)
    print(flush=True)


# --- report ----------------------------------------------------------------------------------------


def machine() -> dict:
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")),
               platform.processor())
    meminfo = Path("/proc/meminfo").read_text().splitlines()
    mem_kb = next(int(line.split()[1]) for line in meminfo if line.startswith("MemTotal"))
    return {"nproc": os.cpu_count(), "cpu": cpu, "ram": f"{mem_kb / 1024 / 1024:.1f} GiB",
            "python": platform.python_version(), "kernel": platform.release()}


def fmt(v: float) -> str:
    return f"{v:.2f}" if v < 10 else f"{v:.1f}"


HEADER = ("scenario                      conc  reqs  err   req/s  client p50   p99 | server p50   p99 | "
          "x health p50  p99  req/s | server p99 / 20 ms | server CPU/req | other CPU")


def report(results: list[Result]) -> None:
    print("\n" + HEADER)
    for r in results:
        print(result_line(r, results))
    print("(latencies in ms; ratios: server-side p50 and p99 against the health endpoint's at the same "
          "concurrency, throughput against its throughput; server CPU/req: CPU time gunicorn and PostgreSQL "
          "spent per request, which other work on the machine hardly changes; other CPU: CPUs' worth of "
          "work by processes not part of this benchmark while it ran)")


def result_line(r: Result, results: list[Result]) -> str:
    h = next((x for x in results if x.name == "health" and x.concurrency == r.concurrency), None)
    cpu_ms = r.server_cpu * 1000 / (r.count + r.errors) if r.count + r.errors else float("nan")
    cp50, cp99 = percentile(r.client_ms, 50), percentile(r.client_ms, 99)
    sp50, sp99 = percentile(r.server_ms, 50), percentile(r.server_ms, 99)
    if h and r is not h and h.rate and h.server_ms and r.server_ms:
        ratios = (f"{sp50 / percentile(h.server_ms, 50):9.1f} {sp99 / percentile(h.server_ms, 99):5.1f} "
                  f"{r.rate / h.rate:6.2f}")
    else:
        ratios = f"{'-':>9} {'-':>5} {'-':>6}"
    return (f"{r.name:<29} {r.concurrency:>4} {r.count:>5} {r.errors:>4} {r.rate:>7.0f}  {fmt(cp50):>9} "
            f"{fmt(cp99):>5} | {fmt(sp50):>9} {fmt(sp99):>5} | {ratios} | {sp99 / TARGET_MS:18.2f} | "
            f"{cpu_ms:11.2f} ms | {r.others_cpu:9.2f}" + (f"   first error: {r.first_error}" if r.errors else ""))


# --- main ------------------------------------------------------------------------------------------


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cases", type=int, default=1_000_000)
    ap.add_argument("--events-per-case", type=int, default=10)
    ap.add_argument("--requests", type=int, default=3000, help="per scenario and concurrency")
    ap.add_argument("--seconds", type=float, default=25.0, help="at most this long per scenario and concurrency")
    ap.add_argument("--concurrency", default="1,4", help="client connections, comma-separated")
    # Processes rather than threads: the app is CPU-bound Python, and threads of one process take
    # turns on the GIL (5 ms at a time), which shows in the tail latency.
    ap.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1), help="gunicorn worker processes")
    ap.add_argument("--threads", type=int, default=1, help="threads per gunicorn worker")
    ap.add_argument("--quiet-wait", type=float, default=120.0,
                    help="wait at most this long for other processes to go quiet before measuring")
    ap.add_argument("--bench-queue", action="store_true",
                    help=f"measure the queue through this module's own view at {QUEUE_PATH} even when the "
                         "console has a queue page")
    ap.add_argument("--no-explain", action="store_true")
    args = ap.parse_args()
    levels = [int(c) for c in args.concurrency.split(",") if c.strip()]

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    signal.signal(signal.SIGHUP, lambda *_: sys.exit(129))
    try:
        run(args, levels)
    finally:
        CLEANUP.run()
        say("stopped the server and PostgreSQL, removed the temporary directories")


def run(args, levels: list[int]) -> None:
    facts = machine()
    say(f"machine: {facts['nproc']} CPU ({facts['cpu']}), {facts['ram']} RAM, Python {facts['python']}, "
        f"Linux {facts['kernel']}")
    work = Path(tempfile.mkdtemp(prefix="bench-case-lookup."))
    CLEANUP.add("remove the work directory", lambda: shutil.rmtree(work, ignore_errors=True))
    (work / "static").mkdir()
    (work / "media").mkdir()

    pg = Postgres()
    with step("PostgreSQL: initdb and start"):
        pg.start()
    env = {**os.environ, "DATABASE_URL": pg.url, "AFTERSALES_VAR_DIR": str(work), "DEBUG": "0",
           "DJANGO_SETTINGS_MODULE": "aftersales.settings", "SECRET_KEY": "bench-" + os.urandom(16).hex(),
           "CASE_LOOKUPS_PER_MINUTE": str(10**9), "DB_CONN_MAX_AGE": "600", "LOG_LEVEL": "WARNING",
           "PYTHONPATH": str(ROOT)}
    with step("aftersales migrate"):
        subprocess.run([sys.executable, "-m", "aftersales.cli", "migrate", "-v0"], env=env, cwd=ROOT, check=True)
    with pg.connect() as conn:
        pg_version = conn.execute("SHOW server_version").fetchone()[0]
    say(f"PostgreSQL {pg_version}")
    django_setup(env)

    with step("data"):
        counts = load(pg, args)

    from aftersales.repairs.numbers import display

    centre_id = counts["centre_ids"][0]  # the busiest centre
    prepare_staff(centre_id)
    sample = lookup_sample(20_000, counts["cases"])
    console = console_queue_exists() and not args.bench_queue
    queue_path = "/console/cases/" if console else QUEUE_PATH

    from django.test import Client

    from aftersales.accounts.models import User

    staff = Client()
    staff.force_login(User.objects.get(username=STAFF_USER))
    first = staff.get(queue_path)
    if first.status_code != 200:
        raise SystemExit(f"the queue page {queue_path} answered {first.status_code} to a member of staff")
    open_cases, param, page_size, deep_cursor = queue_paging(first.content.decode(), centre_id)
    deep_path = f"{queue_path}?{urlencode({param: deep_cursor})}" if deep_cursor else queue_path
    say(f"queue: {open_cases:,} open cases at the busiest centre, {page_size} a page, cursor ?{param}=; "
        f"served by {'the console page ' if console else 'the bench view over case_queue at '}{queue_path}")

    def lookup_body(rng):
        number, contact = rng.choice(sample)
        shown = display(number) if rng.random() < 0.5 else number.lower()
        return json.dumps({"number": shown, "contact": contact})

    if not args.no_explain:
        client = Client()
        fixed = random.Random(3)
        body = lookup_body(fixed)
        with step("EXPLAIN (ANALYZE, BUFFERS) of each query the requests run"):
            explain_requests([
                ("POST /api/v1/cases/lookup",
                 lambda: client.post("/api/v1/cases/lookup", body, content_type="application/json")),
                (f"GET {queue_path} (first page)", lambda: staff.get(queue_path)),
                (f"GET {deep_path} (deepest page)", lambda: staff.get(deep_path)),
            ])
    from django.db import connections

    connections.close_all()

    server = Server(env, work / "gunicorn.log", args.workers, args.threads)
    with step(f"gunicorn: {args.workers} workers x {args.threads} threads (gthread), DB_CONN_MAX_AGE=600"):
        server.start()
    cookie = sign_in(server.port)
    json_headers = {"Content-Type": "application/json"}
    scenarios = [
        ("health", lambda rng: ("GET", "/healthz", None, {})),
        ("lookup", lambda rng: ("POST", "/api/v1/cases/lookup", lookup_body(rng), json_headers)),
        ("queue, first page", lambda rng: ("GET", queue_path, None, {"Cookie": cookie})),
        ("queue, deepest page", lambda rng: ("GET", deep_path, None, {"Cookie": cookie})),
    ]
    meter = CpuMeter(pg)
    results: list[Result] = []
    marks: list = []
    with step(f"waiting (at most {args.quiet_wait:.0f} s) for other processes to leave the CPUs alone"):
        say(f"  other processes: {meter.wait_quiet(args.quiet_wait):.2f} CPU")

    def measure(server, name, make, concurrency):
        meter.server_pid = server.proc.pid
        r = drive(server.port, name, make, requests=args.requests, seconds=args.seconds,
                  concurrency=concurrency, warmup=200, before_measuring=lambda: marks.append(meter.snapshot()))
        after = meter.snapshot()
        r.others_cpu = meter.others(marks[-1], after)
        r.server_cpu = meter.server_seconds(marks[-1], after)
        results.append(r)
        print("  " + result_line(r, results), flush=True)
        return r

    print(HEADER, flush=True)
    for concurrency in levels:
        for name, make in scenarios:
            with step(f"{name}: {args.requests} requests or {args.seconds:.0f} s, {concurrency} connection(s)"):
                measure(server, name, make, concurrency)
    server.stop()

    env0 = {**env, "DB_CONN_MAX_AGE": "0"}
    server0 = Server(env0, work / "gunicorn-0.log", args.workers, args.threads)
    with step("gunicorn again with DB_CONN_MAX_AGE=0 (a new database connection per request)"):
        server0.start()
    for concurrency in levels[:1]:
        for name, make in scenarios[1:2]:
            with step(f"{name} (new connection per request): {concurrency} connection(s)"):
                measure(server0, name + ", conn_max_age=0", make, concurrency)
    server0.stop()

    print(f"\n{counts['cases']:,} cases, {counts['events']:,} events, {counts['symptoms']:,} reported faults, "
          f"{counts['findings']:,} findings; PostgreSQL {pg_version}; gunicorn {args.workers}x{args.threads} "
          f"gthread; {facts['nproc']} CPU {facts['cpu']}, {facts['ram']}; Python {facts['python']}; "
          f"{dt.date.today()}")
    report(results)
    print(f"\ntarget: look-up p99 server-side < {TARGET_MS:.0f} ms at {counts['cases']:,} cases")
    for r in results:
        if r.name.startswith("lookup"):
            p99 = percentile(r.server_ms, 99)
            print(f"  {r.name}, {r.concurrency} connection(s), {r.rate:.0f} req/s, other processes "
                  f"{r.others_cpu:.2f} CPU: p99 {p99:.2f} ms = {p99 / TARGET_MS:.2f} of the limit: "
                  f"{'met' if p99 < TARGET_MS else 'NOT met'}")
    if any(r.errors for r in results):
        raise SystemExit("some requests failed (see 'first error' above)")


if __name__ == "__main__":
    main()

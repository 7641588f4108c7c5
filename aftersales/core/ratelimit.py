"""Rate limits for public look-ups, counted per client address in the database.

A fixed window per (scope, client): the first request in a window starts the counter at 1, each
request adds one, and the request that goes over the limit is refused with ``TooManyRequests``
(code ``too-many-requests``, English and Chinese, ``retry_after`` seconds until the window ends).
A fixed window may let a client make up to twice the limit across a window boundary; that is
acceptable for stopping serial-number enumeration.

The counters are rows of ``core.RateCounter`` (created by ``migrate``), one per (scope, client),
so every web process on every machine counts into the same row and a restart forgets nothing.
Counting is one statement, an upsert that adds one and returns the new count (``INSERT … ON
CONFLICT DO UPDATE … RETURNING``, in SQLite and PostgreSQL alike), so concurrent requests never
lose an increment; on PostgreSQL it is prepared once per connection (``core.prepared``), and
the case look-up counts in the statement that reads the case (``counted_read``). Call it
outside a transaction, as the views do: a rolled-back transaction would take its count back
with it. A counter whose window has ended is deleted by the next
request that starts a new window for any client, so the table holds about one row per client
seen in the last window.

Web pages and API endpoints share one budget by using the same scope: the portal's "Check my
warranty" page and the API's warranty endpoints both count in ``"warranty"``::

    from aftersales.core.ratelimit import check_rate
    check_rate(request, "warranty")  # raises past settings.PUBLIC_LOOKUPS_PER_MINUTE per minute
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections

from aftersales.core import clock
from aftersales.core.errors import TooManyRequests
from aftersales.core.models import RateCounter
from aftersales.core.prepared import fetch_all

WARRANTY_SCOPE = "warranty"


class RateLimited(TooManyRequests):
    def __init__(self, *, retry_after: int):
        super().__init__(
            "too-many-requests",
            f"Too many look-ups from your network in the last minute. Please wait {retry_after} "
            f"seconds and try again.",
            f"您所在网络在一分钟内的查询次数过多。请等待 {retry_after} 秒后再试。",
        )
        self.retry_after = retry_after


def client_address(request) -> str:
    """The address the request came from. With ``settings.PROXY_COUNT`` = N reverse proxies or
    load balancers in front of the app, each appending the address it received the request from
    to ``X-Forwarded-For``, it is the N-th address from the right of that header: the one the
    outermost proxy saw. Addresses further left were written by the client and are not trusted.
    With no proxy (N = 0) it is ``REMOTE_ADDR``."""
    hops = getattr(settings, "PROXY_COUNT", 0)
    remote = request.META.get("REMOTE_ADDR") or "unknown"
    if hops <= 0:
        return remote
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
    chain = forwarded + [remote]
    # A chain shorter than the proxies promised did not pass them all; its first entry is the
    # nearest to the client there is.
    return chain[-(hops + 1)][:64] if len(chain) > hops else chain[0][:64]


@functools.cache
def _statements(vendor: str) -> tuple[str, str]:
    """The upsert and the clean-up, worded once per database vendor from the model's names."""
    q = connection.ops.quote_name
    table = q(RateCounter._meta.db_table)
    key, ends, count = (q(RateCounter._meta.get_field(f).column) for f in ("key", "window_ends", "count"))
    # Both sides read the row as it was; a request from a window already over (a clock a little
    # behind) adds to the current count rather than resetting it.
    upsert = (f"INSERT INTO {table} ({key}, {ends}, {count}) VALUES (%s, %s, 1) "
              f"ON CONFLICT ({key}) DO UPDATE SET "
              f"{count} = CASE WHEN {table}.{ends} >= excluded.{ends} THEN {table}.{count} + 1 ELSE 1 END, "
              f"{ends} = CASE WHEN {table}.{ends} >= excluded.{ends} THEN {table}.{ends} ELSE excluded.{ends} END "
              f"RETURNING {count}")
    forget = f"DELETE FROM {table} WHERE {ends} <= %s"
    return upsert, forget


@dataclass(frozen=True)
class Hit:
    """One request to count for ``client`` in ``scope``, at most ``limit`` per window."""

    scope: str
    client: str
    limit: int
    period_seconds: int = 60


def rate_limit_hit(*, scope: str, client: str, limit: int, period_seconds: int = 60,
                   now: dt.datetime | None = None) -> int:
    """Count one request for ``client`` in ``scope``; return how many are left in the window.
    Raises ``RateLimited`` when this request goes over ``limit``. ``now``: the instant the
    operation read from the clock (read here without one)."""
    hit = Hit(scope, client, limit, period_seconds)
    now, window_ends = _window(hit, now)
    upsert, _forget = _statements(connection.vendor)
    ((count,),) = fetch_all(upsert, [f"{scope}:{client}", window_ends])
    return _counted(hit, count, now, window_ends)


def counted_read(hit: Hit, query: str, params: list) -> list[tuple]:
    """Count ``hit`` and run the read-only ``query`` in the same round trip to the database;
    return the query's rows, in no particular order. Raises ``RateLimited`` past the limit, so
    nothing the query read reaches a client who asked too often.

    On PostgreSQL it is one statement: the counter's upsert in a ``WITH`` clause (which runs
    once, whatever reads it) and the query beside it, the count on each of its rows (a left
    join, so that a query with no rows still brings the count). Elsewhere (SQLite, whose
    ``WITH`` clauses cannot write) the upsert, then the query."""
    now, window_ends = _window(hit)
    vendor = connections[DEFAULT_DB_ALIAS].vendor
    upsert, _forget = _statements(vendor)
    key = f"{hit.scope}:{hit.client}"
    if vendor == "postgresql":
        fetched = fetch_all(_counted_query(upsert, query), [key, window_ends, *params])
        count, rows = fetched[0][0], [row[2:] for row in fetched if row[1] is not None]
    else:
        ((count,),) = fetch_all(upsert, [key, window_ends])
        rows = fetch_all(query, params)
    _counted(hit, count, now, window_ends)
    return rows


@functools.lru_cache(maxsize=64)
def _counted_query(upsert: str, query: str) -> str:
    return (f"WITH hit AS ({upsert}) SELECT hit.*, q.* FROM hit LEFT JOIN "
            f"(SELECT 1 AS present, q0.* FROM ({query}) q0) q ON TRUE")


def _window(hit: Hit, at: dt.datetime | None = None) -> tuple[float, int]:
    """Now (``at``, or the clock), and when the window that holds it ends (whole seconds since
    the epoch)."""
    now = (at if at is not None else clock.now()).timestamp()
    return now, (int(now // hit.period_seconds) + 1) * hit.period_seconds


def _counted(hit: Hit, count: int, now: float, window_ends: int) -> int:
    if count == 1:  # a new window: drop the counters whose window has ended
        with connection.cursor() as cursor:
            cursor.execute(_statements(connection.vendor)[1], [int(now)])
    if count > hit.limit:
        raise RateLimited(retry_after=max(1, int(window_ends - now)))
    return hit.limit - count


def with_retry_after(response, error):
    """``response`` with ``Retry-After`` (seconds) when ``error`` refused a client for asking too
    often; the API and the web pages answer every such refusal through it."""
    retry_after = getattr(error, "retry_after", None)
    if isinstance(error, TooManyRequests) and retry_after:
        response["Retry-After"] = str(retry_after)
    return response


def check_rate(request, scope: str = WARRANTY_SCOPE, *, now: dt.datetime | None = None) -> int:
    """Count one public look-up (warranty by serial, and the like) for the request's client,
    allowing ``settings.PUBLIC_LOOKUPS_PER_MINUTE`` per minute; returns how many are left."""
    return rate_limit_hit(scope=scope, client=client_address(request),
                          limit=settings.PUBLIC_LOOKUPS_PER_MINUTE, now=now)

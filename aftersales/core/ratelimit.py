"""Rate limits for public look-ups, counted per client address in Django's cache.

A fixed one-minute window per (scope, client): the first request in a window creates the
counter, each request adds one, and the request that goes over the limit is refused with
``TooManyRequests`` (code ``too-many-requests``, English and Chinese, ``retry_after`` seconds
until the window ends). A fixed window may let a client make up to twice the limit across a
window boundary; that is acceptable for stopping serial-number enumeration and costs one cache
round-trip per request.

Web pages and API endpoints share one budget by using the same scope: the portal's "Check my
warranty" page and the API's warranty endpoints both count in ``"warranty"``::

    from aftersales.core.ratelimit import check_rate
    check_rate(request, "warranty")  # raises past settings.PUBLIC_LOOKUPS_PER_MINUTE per minute
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.cache import cache

from aftersales.core import clock
from aftersales.core.errors import TooManyRequests

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
    """The address the request came from. Behind a reverse proxy, the proxy must set
    REMOTE_ADDR (e.g. with its real-IP module); forwarded headers are not trusted here because
    any client can write them."""
    return request.META.get("REMOTE_ADDR") or "unknown"


def rate_limit_hit(*, scope: str, client: str, limit: int, period_seconds: int = 60,
                   now: dt.datetime | None = None) -> int:
    """Count one request for ``client`` in ``scope``; return how many are left in the window.
    Raises ``RateLimited`` when this request goes over ``limit``. ``now``: the instant the
    operation read from the clock (read here without one)."""
    now = (now if now is not None else clock.now()).timestamp()
    window = int(now // period_seconds)
    key = f"ratelimit:{scope}:{client}:{window}"
    # add() is a no-op when the key exists, so concurrent first requests do not reset the count.
    cache.add(key, 0, timeout=period_seconds * 2)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add() and incr()
        cache.set(key, 1, timeout=period_seconds * 2)
        count = 1
    if count > limit:
        retry_after = max(1, int((window + 1) * period_seconds - now))
        raise RateLimited(retry_after=retry_after)
    return limit - count


def check_rate(request, scope: str = WARRANTY_SCOPE, *, now: dt.datetime | None = None) -> int:
    """Count one public look-up (warranty by serial, and the like) for the request's client,
    allowing ``settings.PUBLIC_LOOKUPS_PER_MINUTE`` per minute; returns how many are left."""
    return rate_limit_hit(scope=scope, client=client_address(request),
                          limit=settings.PUBLIC_LOOKUPS_PER_MINUTE, now=now)

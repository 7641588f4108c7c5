"""Limits on the customer's forms that anyone may post without signing in and that send an
e-mail or a text message, or reach staff: applying for a repair, writing on a case, and "I
don't understand this" on a quotation, and asking for a sign-in link. Counted per client address and minute
(``core.ratelimit``: the same counters in the database as the API's and the look-ups', shared
by every process and kept across restarts); applications share the API's booking budget, so
the page is no way round it. Past the limit the post is refused with 429, a ``Retry-After``
header (``ratelimit.with_retry_after``, as every refusal for asking too often) and plain words.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from aftersales.core.errors import TooManyRequests
from aftersales.core.ratelimit import RateLimited, client_address, rate_limit_hit


@dataclass(frozen=True)
class Budget:
    scope: str
    setting: str  # the setting that holds how many a minute
    en: str
    zh: str


BOOKINGS = Budget("case-booking", "CASE_LOOKUPS_PER_MINUTE",
                  "Too many repair applications from your network in the last minute.",
                  "您所在网络在一分钟内提交的维修申请过多。")
MESSAGES = Budget("customer-message", "CUSTOMER_MESSAGES_PER_MINUTE",
                  "Too many messages from your network in the last minute.",
                  "您所在网络在一分钟内发送的留言过多。")

# A sign-in link is an e-mail sent to whatever address is typed: counted like a message.
SIGN_IN_LINKS = Budget("sign-in-link", "CUSTOMER_MESSAGES_PER_MINUTE",
                       "Too many sign-in links asked for from your network in the last minute.",
                       "您所在网络在一分钟内申请的登录链接过多。")


class TooOften(TooManyRequests):
    def __init__(self, budget: Budget, retry_after: int):
        super().__init__("too-many-requests", f"{budget.en} Please wait {retry_after} seconds and try again.",
                         f"{budget.zh}请等待 {retry_after} 秒后再试。")
        self.retry_after = retry_after


def throttle(request, budget: Budget) -> None:
    """Count this post against ``budget``; raise ``TooOften`` past its limit."""
    try:
        rate_limit_hit(scope=budget.scope, client=client_address(request), limit=getattr(settings, budget.setting))
    except RateLimited as exc:
        raise TooOften(budget, exc.retry_after) from None

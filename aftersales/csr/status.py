"""The statuses of a self-repair order and the moves allowed between them (``TRANSITIONS``).

The order follows the part: the deposit is held and the part prepared, shipped, delivered; the
defective part (or, after a cancellation, every component) comes back, is received and
confirmed, and the deposit is refunded. A part kept beyond the deadline is bought: the deposit
becomes its price. A cancellation before shipping is refunded at once.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    DEPOSIT_HELD = "deposit-held", _("Deposit received, part being prepared")
    SHIPPED = "shipped", _("Part shipped")
    DELIVERED = "delivered", _("Part delivered")
    CANCEL_REQUESTED = "cancel-requested", _("Cancelled, waiting for the parts to come back")
    CANCELLED = "cancelled", _("Cancelled before shipping, refund under way")
    RETURN_SENT = "return-sent", _("Returned part on its way to us")
    RETURN_RECEIVED = "return-received", _("Returned part received, refund under way")
    REFUNDED = "refunded", _("Deposit refunded")
    PURCHASED = "purchased", _("Part kept, deposit charged as its price")


S = Status
TRANSITIONS: dict[str, frozenset[str]] = {
    S.DEPOSIT_HELD: frozenset({S.SHIPPED, S.CANCELLED}),
    S.SHIPPED: frozenset({S.DELIVERED, S.CANCEL_REQUESTED, S.RETURN_SENT, S.PURCHASED}),
    S.DELIVERED: frozenset({S.CANCEL_REQUESTED, S.RETURN_SENT, S.PURCHASED}),
    S.CANCEL_REQUESTED: frozenset({S.RETURN_SENT, S.PURCHASED}),
    S.CANCELLED: frozenset({S.REFUNDED}),
    S.RETURN_SENT: frozenset({S.RETURN_RECEIVED}),
    S.RETURN_RECEIVED: frozenset({S.REFUNDED}),
    S.REFUNDED: frozenset(),
    S.PURCHASED: frozenset(),
}
# The customer holds our part: the return deadline runs, reminders go out, and the part is bought
# if it is not sent back in time.
WITH_CUSTOMER = frozenset({S.SHIPPED, S.DELIVERED, S.CANCEL_REQUESTED})
REFUND_DUE = frozenset({S.CANCELLED, S.RETURN_RECEIVED})
CANCELLABLE = frozenset({S.DEPOSIT_HELD, S.SHIPPED, S.DELIVERED})

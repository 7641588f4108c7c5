"""When the answer to a dispute is due: one week after it was filed.

The published document ("How to File a Dispute with ASUS Customer Support", 2024-06-14) asks the
customer to allow one week for review and a response. This is the one place that says so: when
service-level clocks (calendars, pauses, escalations) take over, this function hands over to them.
"""

import datetime as dt

ANSWER_WITHIN = dt.timedelta(days=7)


def answer_due(filed_at: dt.datetime) -> dt.datetime:
    """The moment the answer is due: seven calendar days after filing."""
    return filed_at + ANSWER_WITHIN

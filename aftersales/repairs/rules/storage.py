"""Storage and lien (seed 002 §10, SPEC §7): the dates and fees, as pure rules.

Days are calendar dates in the service centre's time zone (SPEC "Dates"). With S the day the
case became READY and K the pack's ``keep_days``:

- free storage is a period of K days from S: S through S + K − 1;
- on S + K (day 60 when S is day 0 and K = 60) the second notice goes out and the case moves
  to IN_STORAGE. The first fee day F is S + K, or the day it actually moved if that was later:
  nobody pays for days before they were told;
- fees are ``daily_fee`` for each day from F up to, but not including, the day the device
  leaves; the day of collection is never charged, so collecting on F costs nothing and
  collecting on F + 1 costs one day;
- on F + 1, if the device is still there, a notice says fees have started and what they are;
- on F + ``review_after_days``, if it is still there, the case moves to DISPOSAL_REVIEW, with a
  notice.
"""

from __future__ import annotations

import datetime as dt
import enum

from aftersales.core.money import Money
from aftersales.policy.pack import Storage

DAY = dt.timedelta(days=1)


def first_fee_day(ready_since: dt.date, storage: Storage, stored_since: dt.date | None = None) -> dt.date:
    due = ready_since + storage.keep_days * DAY
    return max(due, stored_since) if stored_since else due


def fee_days(ready_since: dt.date, until: dt.date, storage: Storage, *,
             stored_since: dt.date | None = None) -> int:
    return max(0, (until - first_fee_day(ready_since, storage, stored_since)).days)


def storage_fee(ready_since: dt.date, until: dt.date, storage: Storage, currency: str, *,
                stored_since: dt.date | None = None) -> Money:
    """Storage fees for a device ready since ``ready_since`` and leaving on ``until``.

    Days counted: the calendar days d with ready_since + keep_days <= d < until. The first
    keep_days days (ready_since through ready_since + keep_days − 1, a period as SPEC "Dates"
    defines it) are free, and the day the device leaves (``until``) is never charged; with
    keep_days = 60, collecting on day 60 (the day fees begin) costs nothing, on day 61 one
    daily_fee. ``stored_since``, the day the case actually moved to storage with the second
    notice, delays the first fee day when that notice went out late."""
    return Money(storage.daily_fee, currency) * fee_days(ready_since, until, storage, stored_since=stored_since)


class Step(enum.StrEnum):
    WAIT = "wait"
    REMIND = "remind"  # second notice; the case moves to storage
    FEES_STARTED = "fees-started"
    REVIEW = "review"  # the case moves to disposal review


def due_step(*, in_storage: bool, today: dt.date, ready_since: dt.date, stored_since: dt.date | None,
             storage: Storage, fees_told: bool) -> Step:
    """The step due today for a device waiting for its owner: ready (``in_storage`` False), or
    already in storage after the second notice."""
    if not in_storage:
        return Step.REMIND if today >= ready_since + storage.keep_days * DAY else Step.WAIT
    first = first_fee_day(ready_since, storage, stored_since)
    if today >= first + storage.review_after_days * DAY:
        return Step.REVIEW
    if today > first and not fees_told:
        return Step.FEES_STARTED
    return Step.WAIT

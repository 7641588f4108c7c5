"""The storage timer's work (seed 002 §10): take the one step that is due for a case, if any.

The timers are tasks queued by ``repairs.reactions`` for each due day; the ``storage-sweep``
command runs the same check for every waiting case, in case a queued task was lost. A check
reads the clock once and decides from the case's status and dates alone, so running it early,
twice, or after the customer collected does nothing.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from aftersales.accounts.roles import SYSTEM_ACTOR
from aftersales.repairs import events, reactions
from aftersales.repairs.models import Case
from aftersales.repairs.rules.storage import Step
from aftersales.repairs.services import case_transition
from aftersales.repairs.status import Status
from aftersales.repairs.storage import storage_step_due
from aftersales.warranty.packs import pack_name


@transaction.atomic
def storage_check_run(*, number: str, now: dt.datetime) -> str:
    """Take the one storage step that is due for the case, if any. Returns the step taken."""
    case = Case.objects.select_for_update().select_related("centre").filter(number=number).first()
    if case is None:
        return Step.WAIT.value
    step, terms = storage_step_due(case, now=now)
    if step == Step.REMIND:
        keep = terms.storage.keep_days
        case_transition(case=case, to=Status.IN_STORAGE, actor=SYSTEM_ACTOR, now=now, step="storage-timer",
                        note=(f"It was not collected in the {keep} days of free storage "
                              f"({pack_name(terms.pack, zh=False)}).",
                              f"{keep} 天免费保管期内未取回（{pack_name(terms.pack, zh=True)}）。"))
    elif step == Step.FEES_STARTED:
        reactions.follow(events.storage_fees_started(case, now, pack=terms.pack, first_fee_day=terms.first_fee_day),
                         now=now)
    elif step == Step.REVIEW:
        days = terms.storage.review_after_days
        case_transition(case=case, to=Status.DISPOSAL_REVIEW, actor=SYSTEM_ACTOR, now=now, step="storage-timer",
                        note=(f"It was still not collected {days} days after storage fees began "
                              f"({pack_name(terms.pack, zh=False)}).",
                              f"开始计收保管费 {days} 天后仍未取回（{pack_name(terms.pack, zh=True)}）。"))
    return step.value

"""Evidence on a case: the file checked and kept by ``evidence.services.evidence_add``, and its
line on the case's timeline (``events.evidence_added``), in one transaction. Staff-side people
add evidence only to the cases of their own centres. If that transaction, or one around it, rolls
back, the stored file goes with it."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from aftersales.evidence.services import ALL_MEDIA, AddedEvidence, evidence_add
from aftersales.repairs import events
from aftersales.repairs.models import Case
from aftersales.repairs.services import refuse_out_of_reach


@transaction.atomic
def case_evidence_add(*, case: Case, kind: str, upload, actor, now: dt.datetime, description: str = "",
                      name: str = "", customer_visible: bool | None = None,
                      media: frozenset[str] = ALL_MEDIA) -> AddedEvidence:
    refuse_out_of_reach(case, actor)
    added = evidence_add(case=case, kind=kind, upload=upload, actor=actor, now=now, description=description,
                         name=name, customer_visible=customer_visible, media=media)
    events.evidence_added(added.evidence, now, actor)
    return added

"""A dispute's supporting files (a charged invoice, a quotation notice, photos): checked and
cleaned by the evidence pipeline's rules (``evidence.services.upload_checked``: type from the
bytes, size and pixel limits, PDF safety, photo metadata removed), stored under a random name
in ``disputes/<dispute number>/``, and removed again if the filing rolls back. Never public: the
console serves them to executive care only (``console_views.dispute_file``)."""

from __future__ import annotations

import datetime as dt
import uuid

from aftersales.disputes.models import Dispute, DisputeFile
from aftersales.evidence.rollback import remove_on_rollback
from aftersales.evidence.services import upload_checked, uploads_within_limit


def dispute_files_add(*, dispute: Dispute, uploads: list, now: dt.datetime) -> list[DisputeFile]:
    """Keep each upload with ``dispute``; the first refusal refuses them all (the caller's
    transaction rolls back, and the files stored so far go with it)."""
    uploads_within_limit(list(uploads))
    kept = []
    for upload in uploads:
        checked = upload_checked(upload)
        if any(f.sha256 == checked.sha256 for f in kept):
            continue  # the same file chosen twice: kept once
        row = DisputeFile(dispute=dispute, original_name=checked.name, content_type=checked.content_type,
                          size=checked.size, sha256=checked.sha256, uploaded_at=now)
        row.file.save(f"disputes/{dispute.number}/{uuid.uuid4().hex}{checked.extension}", checked.content, save=False)
        remove_on_rollback(row.file.storage, row.file.name)
        row.save()
        kept.append(row)
    return kept


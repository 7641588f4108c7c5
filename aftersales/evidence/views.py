"""Evidence files are never public: they are handed out here, to the roles the ``evidence.view``
action allows, one file at a time. On the filesystem the file is streamed; on S3 the browser is
sent to a presigned link that expires within a minute, so the bucket itself stays private.
Only photos (re-encoded by us) open in the browser; anything else is downloaded, and what is
served from here runs in a sandbox (no script, no form, no plug-in). S3 cannot be told to send
a sandbox header, so there the download rule and the bucket's own origin keep it apart."""

from __future__ import annotations

from django.http import FileResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from aftersales.accounts.guards import action_required
from aftersales.evidence.models import Evidence

LINK_SECONDS = 60


@require_GET
@action_required("evidence.view")
def evidence_file(request, pk: int):
    evidence = get_object_or_404(Evidence, pk=pk)
    link = _presigned_link(evidence)
    response = HttpResponseRedirect(link) if link else FileResponse(
        evidence.file.open("rb"), content_type=evidence.content_type, filename=evidence.original_name)
    if not link:
        response["Content-Disposition"] = _disposition(evidence)
    # Per-person content: never kept by shared caches; a file opened here runs in a sandbox.
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _presigned_link(evidence: Evidence) -> str | None:
    """A short-lived signed link when the storage is S3 (it signs query strings); None otherwise."""
    storage = evidence.file.storage
    if not getattr(storage, "querystring_auth", False):
        return None
    return storage.url(evidence.file.name, expire=LINK_SECONDS, parameters={
        "ResponseContentType": evidence.content_type, "ResponseContentDisposition": _disposition(evidence)})


def _disposition(evidence: Evidence) -> str:
    """Photos are shown; videos and documents are downloaded, never opened in our pages."""
    return content_disposition_header(not evidence.content_type.startswith("image/"), evidence.original_name)

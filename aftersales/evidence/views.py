"""Evidence files are never public: they are handed out here, one file at a time, by the file's
random public id, to the roles the ``evidence.view`` action allows — and only for cases of the
centres the person reads (``accounts.scope``); a file of another centre answers 404, as if it did
not exist. On the filesystem the file is streamed; on S3 the browser is sent to a presigned link
that expires within a minute, so the bucket itself stays private. Only photos (re-encoded by us)
open in the browser; anything else is downloaded, and what is served from here runs in a sandbox
(no script, no form, no plug-in). S3 cannot be told to send a sandbox header, so there the
download rule and the bucket's own origin keep it apart."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpResponseRedirect
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from aftersales.accounts.guards import action_required
from aftersales.accounts.scope import readable_centres
from aftersales.evidence.models import Evidence

LINK_SECONDS = 60


def readable_evidence(user, public_id) -> Evidence:
    """The evidence with that public id, if ``user`` reads its case's centre; 404 otherwise."""
    evidence = Evidence.objects.select_related("case").filter(public_id=public_id).first()
    centres = readable_centres(user)
    if evidence is None or (centres is not None and evidence.case.centre_id not in centres):
        raise Http404
    return evidence


@require_GET
@action_required("evidence.view")
def evidence_file(request, public_id):
    return evidence_response(readable_evidence(request.user, public_id))


def evidence_response(evidence: Evidence):
    """The file itself, or a short-lived link to it (see the overview above)."""
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

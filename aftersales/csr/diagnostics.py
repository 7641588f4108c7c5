"""Results posted by the maker's diagnostic tool: signed, fresh, once.

The tool signs each result with a secret it shares with us (``settings.DIAGNOSTIC_TOOL_SECRET``),
as ``csr.signing`` describes: a result is refused when the signature does not match, when it was
signed more than ``FRESH`` from now, or when its nonce was seen before (a request replayed while
fresh; the unique nonce holds even between two at once).

A stored result with a confirmed fault lets the owner of the serial number apply for the part,
once, within ``USABLE_FOR`` of the test.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction

from aftersales.core.errors import AppError, Conflict
from aftersales.csr.models import DiagnosticResult
from aftersales.csr.signing import FRESH, signature_for, signed_object, signed_request_check
from aftersales.policy.vocabulary import PARTS
from aftersales.warranty.rules.intake import normalise_serial

USABLE_FOR = dt.timedelta(days=30)
__all__ = ["signature_for", "diagnostic_record", "confirmed_faults", "tool_ran"]


def _secret() -> str:
    secret = getattr(settings, "DIAGNOSTIC_TOOL_SECRET", "")
    if not secret:
        raise AppError("diagnostics-not-configured", "This service does not take diagnostic results yet.",
                       "本服务尚未开通接收诊断结果。", status=404)
    return secret


def _result(body: bytes, now: dt.datetime) -> dict:
    data = signed_object(body)
    part, test_id, outcome = data.get("part"), data.get("test_id"), data.get("result")
    if not isinstance(part, str) or part not in PARTS:
        raise AppError("unknown-part", "part must be one of the parts of the vocabulary.", "part 不是已知部件。",
                       field="part")
    if not isinstance(test_id, str) or not 0 < len(test_id) <= 64:
        raise AppError("invalid-request", "test_id must be text of 1 to 64 characters.",
                       "test_id 必须是 1 至 64 个字符的文本。", field="test_id")
    if outcome not in DiagnosticResult.Outcome.values:
        raise AppError("invalid-request", "result must be fault-confirmed or no-fault.",
                       "result 必须是 fault-confirmed 或 no-fault。", field="result")
    try:
        tested_at = dt.datetime.fromisoformat(data.get("tested_at"))
    except (TypeError, ValueError):
        tested_at = None
    if tested_at is None or tested_at.tzinfo is None or not now - USABLE_FOR <= tested_at <= now + FRESH:
        raise AppError("invalid-request", "tested_at must be a time with its UTC offset, within the last 30 days.",
                       "tested_at 必须是带 UTC 偏移的时间，且在最近 30 天内。", field="tested_at")
    return {"serial": normalise_serial(data.get("serial")), "part": part, "test_id": test_id, "outcome": outcome,
            "tested_at": tested_at}


@transaction.atomic
def diagnostic_record(*, body: bytes, timestamp: str, nonce: str, signature: str,
                      now: dt.datetime) -> DiagnosticResult:
    """Store a signed result from the diagnostic tool (see the module overview for what is refused)."""
    signed_request_check(secret=_secret, body=body, timestamp=timestamp or "", nonce=nonce or "",
                         signature=signature or "", now=now)
    fields = _result(body, now)
    replayed = Conflict("signature-replayed", "This signed request was already received; a request is "
                                              "accepted once.", "此签名请求已接收过；每个请求只受理一次。")
    if DiagnosticResult.objects.filter(nonce=nonce).exists():
        raise replayed
    try:
        with transaction.atomic():
            return DiagnosticResult.objects.create(nonce=nonce, received_at=now, **fields)
    except IntegrityError:
        raise replayed from None


def confirmed_faults(*, serial: str, now: dt.datetime) -> list[DiagnosticResult]:
    """The serial's confirmed faults still usable for an application: recent, not yet applied for,
    the latest result per part (a later pass clears an earlier fault of the same part)."""
    latest: dict[str, DiagnosticResult] = {}
    for result in DiagnosticResult.objects.filter(serial=serial, tested_at__gte=now - USABLE_FOR).order_by("tested_at",
                                                                                                         "id"):
        latest[result.part] = result
    return [r for r in latest.values() if r.outcome == DiagnosticResult.Outcome.FAULT and not _used(r)]


def _used(result: DiagnosticResult) -> bool:
    return hasattr(result, "order")


def tool_ran(*, serial: str) -> bool:
    """Whether the diagnostic tool has ever reported for this serial: it is on the computer."""
    return DiagnosticResult.objects.filter(serial=serial).exists()

"""Requests that other systems sign with a secret they share with us: the diagnostic tool's
results and the carrier's scans.

The sender signs with HMAC-SHA256 over ``"<timestamp>\\n<nonce>\\n"`` followed by the request
body exactly as sent, hex-encoded. ``timestamp`` is the signing time in Unix seconds and
``nonce`` a random string used once. ``signed_request_check`` refuses a request when the
signature does not match (the body or a header was changed, or the secret is wrong), or when it
was signed more than ``FRESH`` from now (an old request replayed after its nonce could have been
forgotten); each sender stores the nonces it took under a unique constraint, so a request replayed
while fresh is refused too.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
from typing import Callable

import orjson

from aftersales.core.errors import AppError
from aftersales.core.numbers import plain_number

FRESH = dt.timedelta(minutes=5)
_NONCE = re.compile(r"[A-Za-z0-9_-]{16,64}")


class Unsigned(AppError):
    status = 401


def signature_for(secret: str, timestamp: str, nonce: str, body: bytes) -> str:
    message = f"{timestamp}\n{nonce}\n".encode() + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signed_request_check(*, secret: Callable[[], str], body: bytes, timestamp: str, nonce: str, signature: str,
                         now: dt.datetime) -> None:
    """Raises ``Unsigned`` unless the request is signed with ``secret()``, fresh, with a well-formed
    nonce. ``secret`` is asked only for a signed request: an unsigned one is told so first."""
    if not (timestamp and nonce and signature):
        raise Unsigned("signature-missing", "The request must be signed: send X-Signature-Timestamp, "
                                            "X-Signature-Nonce and X-Signature.",
                       "请求必须签名：请发送 X-Signature-Timestamp、X-Signature-Nonce 和 X-Signature。")
    if not hmac.compare_digest(signature_for(secret(), timestamp, nonce, body), signature.strip().lower()):
        raise Unsigned("signature-invalid", "The signature does not match the request.", "签名与请求内容不符。")
    signed_at = plain_number(timestamp, digits=12)
    if signed_at is None or abs(now.timestamp() - signed_at) > FRESH.total_seconds():
        raise Unsigned("signature-stale", "The request was signed too long ago (or in the future); sign it again "
                                          "when sending.", "请求的签名时间过早（或晚于当前时间）；请在发送时重新签名。")
    if not _NONCE.fullmatch(nonce):
        raise Unsigned("signature-invalid", "The nonce must be 16 to 64 letters, digits, - or _.",
                       "nonce 必须是 16 至 64 个字母、数字、- 或 _。")


def signed_object(body: bytes) -> dict:
    """The signed body read as the JSON object both senders send; a clear refusal otherwise."""
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError:
        raise AppError("invalid-json", "The request body is not valid JSON.", "请求正文不是有效的 JSON。") from None
    if not isinstance(data, dict):
        raise AppError("invalid-request", "The body must be a JSON object.", "请求正文必须是 JSON 对象。")
    return data

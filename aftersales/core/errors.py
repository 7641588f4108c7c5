"""Errors a person can cause, each with a stable code and a message in English and Chinese.

Every entry point (web page, API, batch command) turns an ``AppError`` into the same shape:
``{"code": ..., "en": ..., "zh": ...}``. Raising one inside a transaction rolls it back, so a
refused action leaves nothing half-written.
"""

from __future__ import annotations


class AppError(Exception):
    """A refusal the caller can act on. ``status`` is the HTTP status an API answers with."""

    status = 400

    def __init__(self, code: str, en: str, zh: str, *, status: int | None = None, field: str | None = None):
        super().__init__(f"{code}: {en}")
        self.code = code
        self.en = en
        self.zh = zh
        self.field = field
        if status is not None:
            self.status = status

    def as_dict(self) -> dict:
        out = {"code": self.code, "en": self.en, "zh": self.zh}
        if self.field:
            out["field"] = self.field
        return out

    def message(self, language: str | None) -> str:
        return self.zh if (language or "").lower().startswith("zh") else self.en


class NotFound(AppError):
    status = 404


class Forbidden(AppError):
    status = 403


class Conflict(AppError):
    status = 409


class TooManyRequests(AppError):
    status = 429


class AppErrors(AppError):
    """Several refusals found in one pass, so that a person can put them all right at once. To a
    caller that takes one error (the API) it reads as its first; forms show each one."""

    def __init__(self, errors: list[AppError]):
        first = errors[0]
        super().__init__(first.code, first.en, first.zh, status=first.status, field=first.field)
        self.errors = list(errors)


def raise_all(errors: list[AppError]) -> None:
    """Raise nothing, the one error, or all of them together."""
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise AppErrors(errors)


def each_error(exc: AppError) -> list[AppError]:
    return list(getattr(exc, "errors", None) or [exc])

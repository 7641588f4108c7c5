"""Adding evidence to a case — the only way a file becomes evidence.

A file is checked in this order, and the first problem refuses it with a coded ``AppError``
(``field="file"``): not empty; a type we recognise from its bytes (``sniff``); within the size
limit for that type (settings ``EVIDENCE_MAX_*_BYTES``); then by type — photos must decode and
are re-encoded without metadata (``images``), PDFs must be neither encrypted nor scripted, and
videos are stored exactly as they were uploaded (we have no video tool here, so a video keeps
whatever its camera wrote in it, location included; the returned ``AddedEvidence`` says so).
A refusal leaves nothing behind: no row, no stored file. The case's timeline records the file
through ``repairs.evidence.case_evidence_add``, which is what pages and services call.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction

from aftersales.accounts.roles import require
from aftersales.core.errors import AppError, Conflict
from aftersales.evidence.images import ImageRefused, clean_image
from aftersales.evidence.models import Evidence, EvidenceKind
from aftersales.evidence.sniff import (
    DOCUMENT,
    HEADER_BYTES,
    IMAGE,
    VIDEO,
    FileType,
    pdf_problem,
    sniff,
)

if TYPE_CHECKING:
    from aftersales.repairs.models import Case

_NOTES = {
    IMAGE: ("Location, camera details and other metadata were removed from the photo.",
            "已移除照片中的位置、相机信息等元数据。"),
    VIDEO: (("Videos are kept exactly as uploaded: anything the camera recorded in the file, such as "
             "the location, stays in it."),
            "视频按原样保存：拍摄设备写入文件的信息（如拍摄位置）不会被移除。"),
    DOCUMENT: ("Documents are kept exactly as uploaded.", "文件按原样保存。"),
}
_MEDIA_WORDS = {IMAGE: ("photo", "照片"), VIDEO: ("video", "视频"), DOCUMENT: ("document", "文件")}
_LIMIT_SETTINGS = {IMAGE: "EVIDENCE_MAX_IMAGE_BYTES", VIDEO: "EVIDENCE_MAX_VIDEO_BYTES",
                   DOCUMENT: "EVIDENCE_MAX_DOCUMENT_BYTES"}


@dataclass(frozen=True)
class AddedEvidence:
    evidence: Evidence
    metadata_removed: bool  # True for photos; videos and documents are stored as uploaded
    note_en: str
    note_zh: str


@dataclass(frozen=True)
class _Prepared:
    content: File
    sha256: str
    size: int
    width: int | None = None
    height: int | None = None


CUSTOMER_KINDS = frozenset({EvidenceKind.CUSTOMER, EvidenceKind.PROOF})


def evidence_add(*, case: Case, kind: str, upload, actor, now: dt.datetime, description: str = "",
                 name: str = "", customer_visible: bool | None = None) -> AddedEvidence:
    """Attach ``upload`` (a Django ``UploadedFile``/``File``, or ``bytes`` with ``name``) to ``case``.

    ``customer_visible`` defaults to True for every kind but "other". The customer's own photos
    and proof of purchase come with the booking (``case.book``); every other kind is added by
    the people who receive, inspect and repair the device (``evidence.add``)."""
    if kind not in EvidenceKind.values:
        raise AppError("unknown-kind", "Choose what the file shows.", "请选择文件的用途。", field="kind")
    require(actor, "case.book" if kind in CUSTOMER_KINDS else "evidence.add")
    source = _as_file(upload, name)
    file_type = _checked_type(source)
    prepared = _prepare(source, file_type)
    if Evidence.objects.filter(case=case, kind=kind, sha256=prepared.sha256).exists():
        raise _duplicate()
    user = actor if getattr(actor, "is_authenticated", False) else None
    evidence = Evidence(
        case=case, kind=kind, original_name=display_name(name or source.name or ""),
        content_type=file_type.content_type, size=prepared.size, sha256=prepared.sha256,
        width=prepared.width, height=prepared.height, uploaded_by=user, uploaded_at=now,
        description=description.strip(),
        customer_visible=kind != EvidenceKind.OTHER if customer_visible is None else customer_visible)
    _store(evidence, prepared.content, now, actor)
    en, zh = _NOTES[file_type.media]
    return AddedEvidence(evidence, file_type.media == IMAGE, en, zh)


def _store(evidence: Evidence, content: File, now: dt.datetime, actor) -> None:
    """Write the file, then the row; if the row cannot be written, remove the file.

    The rows are written in their own savepoint so a failure is caught here, while the database
    is still usable. (Should a caller's surrounding transaction roll back later, the file stays
    on storage without a row — unreachable, since files are only served through their row.)"""
    evidence.file.save("evidence", content, save=False)
    try:
        with transaction.atomic():
            evidence.save()
    except BaseException as exc:
        evidence.file.delete(save=False)
        if isinstance(exc, IntegrityError) and Evidence.objects.filter(
                case=evidence.case, kind=evidence.kind, sha256=evidence.sha256).exists():
            raise _duplicate() from None  # the same file, added by someone else a moment ago
        raise


def _as_file(upload, name: str) -> File:
    if isinstance(upload, (bytes, bytearray, memoryview)):
        return ContentFile(bytes(upload), name=name or "upload")
    if isinstance(upload, File):
        return upload
    raise TypeError(f"upload must be a Django File or bytes, not {type(upload).__name__}")


def _checked_type(source: File) -> FileType:
    if not source.size:
        raise _refused("empty-file", "The file is empty.", "文件为空。")
    source.seek(0)
    header = source.read(HEADER_BYTES)
    source.seek(0)
    file_type = sniff(header)
    if file_type is None:
        raise _refused("unsupported-type",
                       "We accept photos (JPEG, PNG, WebP, HEIC), videos (MP4, MOV) and PDF documents; "
                       "this file is none of these.",
                       "仅接受照片（JPEG、PNG、WebP、HEIC）、视频（MP4、MOV）和 PDF 文件；此文件不属于其中任何一种。")
    limit = getattr(settings, _LIMIT_SETTINGS[file_type.media])
    if source.size > limit:
        en, zh = _MEDIA_WORDS[file_type.media]
        raise _refused("file-too-large",
                       f"This {en} is {_size(source.size)}; the largest we accept is {_size(limit)}.",
                       f"此{zh}大小为 {_size(source.size)}，上限为 {_size(limit)}。", status=413)
    return file_type


def _prepare(source: File, file_type: FileType) -> _Prepared:
    if file_type.media == VIDEO:
        # Stored as uploaded (see the module docstring): hashed in chunks, never held in memory.
        digest = hashlib.sha256()
        for chunk in source.chunks():
            digest.update(chunk)
        source.seek(0)
        return _Prepared(source, digest.hexdigest(), source.size)
    data = source.read()
    if file_type.media == DOCUMENT:
        _check_pdf(data)
        return _Prepared(ContentFile(data), hashlib.sha256(data).hexdigest(), len(data))
    try:
        clean = clean_image(data, file_type.pillow_format)
    except ImageRefused as refused:
        raise _image_refusal(refused.reason) from None
    return _Prepared(ContentFile(clean.data), hashlib.sha256(clean.data).hexdigest(), len(clean.data),
                     clean.width, clean.height)


def _check_pdf(data: bytes) -> None:
    problem = pdf_problem(data)
    if problem == "encrypted":
        raise _refused("unsafe-pdf", "This PDF is encrypted or password-protected; send one without protection.",
                       "此 PDF 已加密或设有密码；请上传未加密的文件。")
    if problem == "javascript":
        raise _refused("unsafe-pdf", "This PDF contains scripts, which we do not accept; save or print it as a "
                       "new PDF and send that.", "此 PDF 含有脚本，不予接受；请将其另存或打印为新的 PDF 后上传。")
    if problem == "launch":
        raise _refused("unsafe-pdf", "This PDF tries to start other programs, which we do not accept.",
                       "此 PDF 含有启动其他程序的操作，不予接受。")


def _image_refusal(reason: str) -> AppError:
    if reason == "animated":
        return _refused("animated-image", "Animated pictures are not accepted; send a still photo or a video.",
                        "不接受动图；请上传静态照片或视频。")
    if reason == "too-many-pixels":
        return _refused("image-too-large", "This photo has too many pixels to process; send a smaller one.",
                        "此照片像素过多，无法处理；请上传较小的照片。", status=413)
    return _refused("corrupt-image", "This photo could not be read: it may be damaged or incomplete. "
                    "Please send it again.", "无法读取此照片：文件可能已损坏或不完整，请重新上传。")


def _duplicate() -> AppError:
    return Conflict("duplicate-evidence", "The same file is already attached to this case for the same purpose.",
                    "同一文件已以相同用途附在此维修单上。", field="file")


def _refused(code: str, en: str, zh: str, *, status: int = 400) -> AppError:
    return AppError(code, en, zh, field="file", status=status)


def _size(n: int) -> str:
    for unit, step in (("MB", 1024 * 1024), ("KB", 1024)):
        if n >= step:
            return f"{n / step:.1f} {unit}".replace(".0 ", " ")
    return f"{n} bytes"


_SEPARATORS = re.compile(r"[\\/]")


def display_name(name: str) -> str:
    """The uploader's file name, safe to show: no folders, no control or direction-changing
    characters (which can make "gpj.exe" read as "exe.jpg"), at most 255 characters."""
    base = unicodedata.normalize("NFC", _SEPARATORS.split(name)[-1])
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip()
    if len(base) > 255:
        stem, extension = os.path.splitext(base)
        extension = extension[:16]
        base = stem[:255 - len(extension)] + extension
    return base or "upload"

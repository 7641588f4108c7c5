"""Adding evidence to a case — the only way a file becomes evidence.

A file is checked in this order, and the first problem refuses it with a coded ``AppError``
(``field="file"``): not empty; a type we recognise from its bytes (``sniff``) and one the field
takes (the customer's photo field takes no video); within the size limit for that type
(settings ``EVIDENCE_MAX_*_BYTES``); then by type — photos are refused before decoding when
their header declares more pixels or decoded memory than ``EVIDENCE_MAX_IMAGE_PIXELS`` and
``EVIDENCE_MAX_IMAGE_DECODED_BYTES`` allow, must decode and are re-encoded without metadata
(``images``); PDFs are read with a PDF parser and must be neither encrypted nor scripted
(``pdf``); videos are stored exactly as they were uploaded (we have no video tool here, so a
video keeps whatever its camera wrote in it, location included; the returned ``AddedEvidence``
says so), as long as the case's videos stay within ``EVIDENCE_MAX_VIDEO_BYTES_PER_CASE``.
A field takes at most ``EVIDENCE_MAX_FILES_PER_FIELD`` files (``uploads_within_limit``).

A refusal leaves nothing behind: no row, no stored file. The file is written before its row,
and removed again if the transaction around it rolls back (``rollback``), so that a refusal
later in the same application leaves nothing either. The case's timeline records the file
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
from django.db.models import Sum

from aftersales.accounts.roles import require
from aftersales.core.errors import AppError, Conflict
from aftersales.evidence.images import ImageLimits, ImageRefused, clean_image
from aftersales.evidence.models import Evidence, EvidenceKind
from aftersales.evidence.pdf import pdf_problem
from aftersales.evidence.rollback import remove_on_rollback
from aftersales.evidence.sniff import DOCUMENT, HEADER_BYTES, IMAGE, VIDEO, FileType, sniff

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
_FIELD_TAKES = {  # what a field that takes these media says it takes
    frozenset({IMAGE}): ("photos", "照片"),
    frozenset({IMAGE, DOCUMENT}): ("photos and PDF documents", "照片和 PDF 文件"),
    frozenset({IMAGE, VIDEO}): ("photos and videos", "照片和视频"),
}
ALL_MEDIA = frozenset({IMAGE, VIDEO, DOCUMENT})
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


@transaction.atomic
def evidence_add(*, case: Case, kind: str, upload, actor, now: dt.datetime, description: str = "",
                 name: str = "", customer_visible: bool | None = None,
                 media: frozenset[str] = ALL_MEDIA) -> AddedEvidence:
    """Attach ``upload`` (a Django ``UploadedFile``/``File``, or ``bytes`` with ``name``) to ``case``.

    ``customer_visible`` defaults to True for every kind but "other". The customer's own photos
    and proof of purchase come with the booking (``case.book``); every other kind is added by
    the people who receive, inspect and repair the device (``evidence.add``). ``media``: what
    the field the file came from takes ("image", "video", "document")."""
    if kind not in EvidenceKind.values:
        raise AppError("unknown-kind", "Choose what the file shows.", "请选择文件的用途。", field="kind")
    require(actor, "case.book" if kind in CUSTOMER_KINDS else "evidence.add")
    source = _as_file(upload, name)
    file_type = _checked_type(source, media)
    prepared = _prepare(source, file_type)
    if file_type.media == VIDEO:
        _check_case_video_total(case, prepared.size)
    if Evidence.objects.filter(case=case, kind=kind, sha256=prepared.sha256).exists():
        raise _duplicate()
    user = actor if getattr(actor, "is_authenticated", False) else None
    evidence = Evidence(
        case=case, kind=kind, original_name=display_name(name or source.name or ""),
        content_type=file_type.content_type, size=prepared.size, sha256=prepared.sha256,
        width=prepared.width, height=prepared.height, uploaded_by=user, uploaded_at=now,
        description=description.strip(),
        customer_visible=kind != EvidenceKind.OTHER if customer_visible is None else customer_visible)
    _store(evidence, prepared.content)
    en, zh = _NOTES[file_type.media]
    return AddedEvidence(evidence, file_type.media == IMAGE, en, zh)


def uploads_within_limit(uploads: list) -> None:
    """Refuse a field that brings more files than ``EVIDENCE_MAX_FILES_PER_FIELD``."""
    limit = settings.EVIDENCE_MAX_FILES_PER_FIELD
    if len(uploads) > limit:
        raise _refused("too-many-files", f"Please send at most {limit} files at a time; you chose {len(uploads)}.",
                       f"每次最多上传 {limit} 个文件；您选择了 {len(uploads)} 个。")


def _store(evidence: Evidence, content: File) -> None:
    """Write the file, then the row. The file goes again if the transaction does not commit:
    the row cannot be written here, or anything later in the caller's transaction fails."""
    evidence.file.save("evidence", content, save=False)
    remove_on_rollback(evidence.file.storage, evidence.file.name)
    try:
        with transaction.atomic():  # a savepoint, so the check below can still query
            evidence.save()
    except IntegrityError:
        if Evidence.objects.filter(case=evidence.case, kind=evidence.kind, sha256=evidence.sha256).exists():
            raise _duplicate() from None  # the same file, added by someone else a moment ago
        raise


def _check_case_video_total(case: Case, size: int) -> None:
    """The case's videos together stay within ``EVIDENCE_MAX_VIDEO_BYTES_PER_CASE``; the case
    row is locked so that two videos sent at once cannot both take the last room."""
    type(case).objects.select_for_update().values_list("pk", flat=True).get(pk=case.pk)
    held = Evidence.objects.filter(case=case, content_type__startswith="video/").aggregate(total=Sum("size"))
    held, limit = held["total"] or 0, settings.EVIDENCE_MAX_VIDEO_BYTES_PER_CASE
    if held + size > limit:
        raise _refused("case-video-limit",
                       f"This case already holds {_size(held)} of video, and a case holds at most "
                       f"{_size(limit)}; this video ({_size(size)}) does not fit. Send a shorter video, or photos.",
                       f"此维修单已有 {_size(held)} 视频，每个维修单最多 {_size(limit)}；此视频（{_size(size)}）"
                       f"超出上限。请上传较短的视频或照片。", status=413)


def _as_file(upload, name: str) -> File:
    if isinstance(upload, (bytes, bytearray, memoryview)):
        return ContentFile(bytes(upload), name=name or "upload")
    if isinstance(upload, File):
        return upload
    raise TypeError(f"upload must be a Django File or bytes, not {type(upload).__name__}")


def _checked_type(source: File, media: frozenset[str]) -> FileType:
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
    if file_type.media not in media:
        raise _not_taken_here(file_type.media, media)
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
    limits = ImageLimits(settings.EVIDENCE_MAX_IMAGE_PIXELS, settings.EVIDENCE_MAX_IMAGE_DECODED_BYTES)
    try:
        clean = clean_image(data, file_type.pillow_format, limits)
    except ImageRefused as refused:
        raise _image_refusal(refused, limits) from None
    return _Prepared(ContentFile(clean.data), hashlib.sha256(clean.data).hexdigest(), len(clean.data),
                     clean.width, clean.height)


def _check_pdf(data: bytes) -> None:
    problem = pdf_problem(data)
    if problem == "unreadable":
        raise _refused("unreadable-pdf", "This PDF could not be read: it may be damaged or incomplete. "
                       "Please save or print it as a new PDF and send that.",
                       "无法读取此 PDF：文件可能已损坏或不完整。请将其另存或打印为新的 PDF 后上传。")
    if problem == "encrypted":
        raise _refused("unsafe-pdf", "This PDF is encrypted or password-protected; send one without protection.",
                       "此 PDF 已加密或设有密码；请上传未加密的文件。")
    if problem == "javascript":
        raise _refused("unsafe-pdf", "This PDF contains scripts, which we do not accept; save or print it as a "
                       "new PDF and send that.", "此 PDF 含有脚本，不予接受；请将其另存或打印为新的 PDF 后上传。")
    if problem == "launch":
        raise _refused("unsafe-pdf", "This PDF tries to start other programs, which we do not accept.",
                       "此 PDF 含有启动其他程序的操作，不予接受。")


def _not_taken_here(found: str, media: frozenset[str]) -> AppError:
    takes_en, takes_zh = _FIELD_TAKES.get(media, ("photos", "照片"))
    found_en, found_zh = _MEDIA_WORDS[found]
    return _refused("wrong-kind-of-file", f"Only {takes_en} are accepted here, and this file is a {found_en}.",
                    f"此处只接受{takes_zh}，而此文件是{found_zh}。")


def _image_refusal(refused: ImageRefused, limits: ImageLimits) -> AppError:
    if refused.reason == "animated":
        return _refused("animated-image", "Animated pictures are not accepted; send a still photo or a video.",
                        "不接受动图；请上传静态照片或视频。")
    if refused.reason == "too-many-pixels" and refused.size:
        width, height = refused.size
        return _refused("image-too-large",
                        f"This photo is {width} × {height} pixels ({_megapixels_en(width * height)}); we accept "
                        f"photos of up to {_megapixels_en(limits.pixels)}. Please send a smaller one.",
                        f"此照片为 {width} × {height} 像素（{_megapixels_zh(width * height)}），上限为 "
                        f"{_megapixels_zh(limits.pixels)}；请上传较小的照片。", status=413)
    if refused.reason in ("too-many-pixels", "too-much-memory"):
        return _refused("image-too-large", "This photo is too large to process; please send a smaller one.",
                        "此照片过大，无法处理；请上传较小的照片。", status=413)
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


def _megapixels_en(pixels: int) -> str:
    return f"{pixels / 1_000_000:.1f} megapixels".replace(".0 ", " ")


def _megapixels_zh(pixels: int) -> str:
    if pixels >= 100_000_000:
        return f"{pixels / 100_000_000:.2f}".rstrip("0").rstrip(".") + " 亿像素"
    return f"{round(pixels / 10_000)} 万像素"


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


@dataclass(frozen=True)
class CheckedFile:
    content: File
    content_type: str
    extension: str
    sha256: str
    size: int
    name: str  # the uploader's file name, safe to show


def upload_checked(upload, *, name: str = "", media: frozenset[str] = ALL_MEDIA) -> CheckedFile:
    """``upload`` checked and cleaned exactly as evidence is (type from its bytes, size, pixels,
    PDF safety; photo metadata removed), for a file kept outside a case: a dispute's documents."""
    source = _as_file(upload, name)
    file_type = _checked_type(source, media)
    prepared = _prepare(source, file_type)
    return CheckedFile(prepared.content, file_type.content_type, file_type.extension, prepared.sha256,
                       prepared.size, display_name(name or source.name or ""))

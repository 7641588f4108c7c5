"""The published documents a pack's clauses cite, and a citation as a person reads it.

A pack lists the documents it is written from (``[documents.<id>]``: the title in English and
Chinese and the date the document was published) and every clause says where in them it comes
from (``cites = { document = "...", section = "§7 (3)" }``, or a list of such tables; a section
that needs words in each language gives ``section_en`` and ``section_zh``). People read a
citation as "title (date), section" in their language; programs read the document id.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from aftersales.policy.dates import accepted, out_of_range_words


class CitationError(ValueError):
    def __init__(self, field: str, en: str, zh: str):
        super().__init__(f"{field}: {en}")
        self.field = field
        self.en = en
        self.zh = zh


@dataclass(frozen=True, slots=True)
class Document:
    id: str
    title_en: str
    title_zh: str
    published_on: dt.date | None  # None for a document that carries no date


@dataclass(frozen=True, slots=True)
class Citation:
    document: Document
    section_en: str
    section_zh: str

    def text(self, zh: bool) -> str:
        """'华硕家用台式电脑保修条例（2024-01-15），§6' or 'ASUS Home Desktop Warranty Terms
        (2024-01-15), §6'."""
        doc = self.document
        title, section = (doc.title_zh, self.section_zh) if zh else (doc.title_en, self.section_en)
        if doc.published_on is None:
            return f"{title}，{section}" if zh else f"{title}, {section}"
        day = doc.published_on.isoformat()
        return f"{title}（{day}），{section}" if zh else f"{title} ({day}), {section}"


def citations_text(cites: tuple[Citation, ...], zh: bool) -> str:
    return ("；" if zh else "; ").join(c.text(zh) for c in cites)


def _fail(path: str, en: str, zh: str):
    raise CitationError(path, en, zh)


def _text(table: dict, key: str, path: str) -> str:
    value = table.get(key)
    if not isinstance(value, str) or not value.strip():
        _fail(f"{path}.{key}", "must be a non-empty text", "必须是非空文本")
    return value.strip()


def parse_documents(table) -> dict[str, Document]:
    """``[documents]``: at least one, each with both titles and, where it has one, its date."""
    if not isinstance(table, dict) or not table:
        _fail("documents", "must list at least one published document ([documents.<id>] tables)",
              "必须至少列出一份已发布的文件（[documents.<id>] 表）")
    out = {}
    for doc_id, body in table.items():
        path = f"documents.{doc_id}"
        if not isinstance(body, dict):
            _fail(path, "must be a table", "必须是一个表（table）")
        published = body.get("published_on")
        if published is not None and (isinstance(published, dt.datetime) or not isinstance(published, dt.date)):
            _fail(f"{path}.published_on", "must be a date written as YYYY-MM-DD (no quotes, no time)",
                  "必须是 YYYY-MM-DD 格式的日期（不加引号、不含时间）")
        if published is not None and not accepted(published):
            _fail(f"{path}.published_on", *out_of_range_words(published, "the date", "日期"))
        out[doc_id] = Document(doc_id, _text(body, "title_en", path), _text(body, "title_zh", path), published)
    return out


def parse_cites(value, path: str, documents: dict[str, Document]) -> tuple[Citation, ...]:
    """A clause's ``cites``: one table or a non-empty list of them, each naming a listed document."""
    items = [value] if isinstance(value, dict) else value
    if not isinstance(items, list) or not items:
        _fail(path, "must name the published document and section the clause comes from",
              "必须注明条款出自哪份已发布文件的哪一节")
    out = []
    for i, item in enumerate(items):
        ipath = f"{path}[{i}]" if isinstance(value, list) else path
        if not isinstance(item, dict):
            _fail(ipath, "must be a table { document = ..., section = ... }",
                  "必须写成表 { document = ..., section = ... }")
        doc_id = item.get("document")
        if doc_id not in documents:
            _fail(f"{ipath}.document", f"names document {doc_id!r}, which [documents] does not list",
                  f"引用的文件 {doc_id!r} 未在 [documents] 中列出")
        if "section" in item:
            en = zh = _text(item, "section", ipath)
        else:
            en, zh = _text(item, "section_en", ipath), _text(item, "section_zh", ipath)
        out.append(Citation(documents[doc_id], en, zh))
    return tuple(out)

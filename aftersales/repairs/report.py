"""The repair report (seed 000 item 3): what the customer reported, what we found, the tests run
and their results, the parts replaced, photos, the warranty basis and the charges — one PDF in
the customer's language, rendered with WeasyPrint and the Noto CJK fonts.
"""

from __future__ import annotations

import base64
import io

from django.template.loader import render_to_string

from aftersales.policy.vocabulary import PARTS
from aftersales.warranty.packs import pack_name
from aftersales.repairs.models import Case, Outcome, Stage
from aftersales.repairs.numbers import display
from aftersales.repairs.status import status_label

# Report wording in both languages side by side, like the decision reasons.
WORDS = {
    "title": ("Repair report", "维修报告"),
    "case": ("Case", "维修单号"), "device": ("Device", "产品"), "serial": ("Serial number", "序列号"),
    "centre": ("Service centre", "服务中心"), "status": ("Status", "状态"),
    "reported": ("What you reported and what we found", "您报修的问题与检测结果"),
    "fault": ("You reported", "您报修的问题"), "found": ("We found", "检测结果"), "outcome": ("Outcome", "结论"),
    "no_finding": ("Not yet examined", "尚未检测"),
    "tests": ("Tests run", "测试项目"), "test": ("Test", "测试"), "result": ("Result", "结果"),
    "stage": ("Stage", "阶段"), "passed": ("Passed", "通过"), "failed": ("Failed", "未通过"),
    "parts": ("Parts replaced", "更换的部件"), "part": ("Part", "部件"), "basis": ("Basis", "依据"),
    "warranty": ("Under warranty", "保修"), "paid": ("Paid (accepted quotation)", "付费（已接受报价）"),
    "no_parts": ("No parts were replaced.", "未更换部件。"),
    "parts_owned": ("Replaced parts become the maker's property and go back to its stock.",
                    "更换下来的部件归厂商所有，并退回厂商库存。"),
    "decisions": ("Warranty decisions", "保修判定"), "policy": ("Policy", "政策"),
    "covered": ("Covered", "在保修范围内"), "not_covered": ("Not covered", "不在免费保修范围内"),
    "charges": ("Charges", "费用"), "no_charges": ("Nothing to pay.", "无需付费。"), "total": ("Total", "合计"),
    "photos": ("Photos", "照片"),
    "diagnosis": ("Diagnosis", "检测"), "qa": ("Quality check", "质量检测"),
}
OUTCOMES = {
    Outcome.CONFIRMED: ("Fault confirmed", "确认故障"),
    Outcome.NOT_REPRODUCED: ("Could not reproduce the fault", "未能复现故障"),
    Outcome.SOFTWARE: ("Software problem", "软件问题"),
    Outcome.DAMAGE: ("Caused by damage", "损坏所致"),
}
PHOTO_KINDS = ("inbound", "damage", "outbound")
MAX_PHOTOS = 12


def _part(key: str, zh: bool) -> str:
    """A part as a report's row names it: 'Power supply', not 'the power supply'."""
    en, zh_name = PARTS.get(key, (key, key))
    if zh:
        return zh_name
    en = en.removeprefix("the ")
    return en[:1].upper() + en[1:]


def _pick(pair: tuple[str, str], zh: bool) -> str:
    return pair[1] if zh else pair[0]


def _photos(case: Case) -> list[str]:
    """Photos as data URIs, shrunk to report size (videos are listed on the case page only)."""
    related = getattr(case, "evidence", None)
    if related is None:
        return []
    from PIL import Image

    out = []
    for item in related.filter(kind__in=PHOTO_KINDS, content_type__startswith="image/").order_by("uploaded_at")[:MAX_PHOTOS]:
        with item.file.open("rb") as f:
            image = Image.open(f)
            image.thumbnail((900, 900))
            buffer = io.BytesIO()
            image.convert("RGB").save(buffer, "JPEG", quality=80)
        out.append("data:image/jpeg;base64," + base64.b64encode(buffer.getvalue()).decode())
    return out


def report_context(case: Case, language: str) -> dict:
    case = Case.objects.select_related("centre").get(pk=case.pk)  # as it stands now, not as the caller last saw it
    zh = language.startswith("zh")
    words = {key: _pick(pair, zh) for key, pair in WORDS.items()}
    faults = []
    for symptom in case.symptoms.select_related("finding"):
        finding = getattr(symptom, "finding", None)
        faults.append({"position": symptom.position, "text": symptom.text,
                       "found": finding.text if finding else words["no_finding"],
                       "outcome": _pick(OUTCOMES[finding.outcome], zh) if finding else ""})
    tests = [{"name": t.name, "passed": t.passed, "stage": words["qa"] if t.stage == Stage.QA else words["diagnosis"],
              "details": t.details} for t in case.tests.all()]
    parts = [{"part": _part(u.part, zh),
              "basis": words["warranty"] if u.covered else words["paid"]} for u in case.parts_used.all()]
    decisions = []
    for d in case.part_decisions.order_by("part"):
        reasons = [r["zh"] if zh else r["en"] for r in d.decision.get("reasons", [])]
        decisions.append({"part": _part(d.part, zh), "covered": d.covered,
                          "pack": pack_name(d.pack, zh=zh), "reasons": reasons})
    charges = [{"text": c.text_zh if zh else c.text_en, "amount": c.amount, "currency": c.currency}
               for c in case.charges.all()]
    total = sum((c["amount"] for c in charges), 0)
    return {"case": case, "number": display(case.number), "w": words, "lang": "zh-Hans" if zh else "en", "status": status_label(case.status, language),
            "centre": case.centre.name_zh if zh else case.centre.name_en, "faults": faults, "tests": tests,
            "parts": parts, "decisions": decisions, "charges": charges, "total": total,
            "currency": charges[0]["currency"] if charges else "", "photos": _photos(case)}


def report_pdf(case: Case, language: str) -> bytes:
    from PIL import ImageFile
    from weasyprint import HTML

    # Importing WeasyPrint switches on Pillow's LOAD_TRUNCATED_IMAGES for the whole process, and
    # from then on a truncated upload would pass the evidence checks (``evidence.images``). The
    # report embeds only photos we re-encoded ourselves, so Pillow's strict default goes back.
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    html = render_to_string("repairs/report.html", report_context(case, language))
    return HTML(string=html).write_pdf()

"""Papers printed at the counter when a device comes in: the job sheet — the intake receipt with
the device, the faults as the customer put them and the three things the customer acknowledged
(seed 002 §4) — and the device label, the case number as a QR code for the label printer.

Both are PDFs made as the repair report is (``repairs.report``): WeasyPrint with the Noto CJK
fonts, in the customer's language unless asked for the other. The QR code is drawn by segno and
holds the case number as it is stored, so a scanner types what the console's search finds.
"""

from __future__ import annotations

from django.template.loader import render_to_string

from aftersales.policy.vocabulary import PRODUCT_LINES
from aftersales.repairs.models import Case, Kind, Preference
from aftersales.repairs.numbers import display
from aftersales.repairs.status import status_label
from aftersales.warranty.presentation import label

WORDS = {
    "title": ("Job sheet", "维修受理单"),
    "subtitle": ("Intake receipt: keep it until the device is back with you.", "受理回执：请保留至取回产品。"),
    "case": ("Case", "维修单号"), "booked": ("Booked on", "受理日期"), "status": ("Status", "状态"),
    "centre": ("Service centre", "服务中心"), "kind": ("Service", "服务方式"),
    "customer": ("Customer", "客户"), "name": ("Name", "姓名"), "contact": ("Contact", "联系方式"),
    "device": ("Device", "产品"), "model": ("Model", "型号"), "serial": ("Serial number", "序列号"),
    "line": ("Product line", "产品线"), "purchased": ("Purchase date", "购买日期"),
    "os": ("Operating system", "操作系统"), "bios": ("BIOS version", "BIOS 版本"),
    "preference": ("Repair preference", "维修方式"),
    "faults": ("Faults reported", "报修问题"),
    "acks": ("The customer acknowledged", "客户已确认"),
    "signatures": ("Signatures", "签字"), "signed_customer": ("Customer", "客户"),
    "signed_staff": ("Service centre staff", "服务中心工作人员"), "date": ("Date", "日期"),
    "follow": ("Follow the repair with the case number and your e-mail or phone.",
               "凭维修单号及您的电子邮箱或电话号码查询维修进度。"),
}
ACKNOWLEDGEMENTS = (
    ("ack_data_loss", ("I have backed up my data; the repair may erase it.", "我已备份数据；维修可能清除数据。")),
    ("ack_passwords", ("I have removed my passwords, or given them to the technician.",
                       "我已移除密码，或已将密码提供给维修人员。")),
    ("ack_peripherals", ("I have removed peripherals, discs and memory cards.", "我已取出外设、光盘和存储卡。")),
)
KINDS = {Kind.CARRY_IN: ("Carry-in", "送修"), Kind.MAIL_IN: ("Mail-in", "寄修"),
         Kind.ONSITE: ("On-site visit", "上门")}
PREFERENCES = {Preference.OWN_DEVICE: ("Repair my own device", "维修原机"),
               Preference.REFURBISHED: ("Swap for a refurbished unit", "更换翻新机")}


def _pick(pair: tuple[str, str], zh: bool) -> str:
    return pair[1] if zh else pair[0]


def qr_svg(number: str) -> str:
    """The case number as a QR code, an SVG drawing sized by its container."""
    import segno

    return segno.make(number, error="m", micro=False).svg_data_uri(scale=4, border=2, omitsize=True)


def job_sheet_context(case: Case, language: str) -> dict:
    case = Case.objects.select_related("centre").get(pk=case.pk)  # as it stands now
    zh = language.startswith("zh")
    return {
        "case": case, "number": display(case.number), "w": {k: _pick(v, zh) for k, v in WORDS.items()},
        "lang": "zh-Hans" if zh else "en", "status": status_label(case.status, language),
        "booked_on": case.day(case.created_at), "centre": case.centre.name(language),
        "kind": _pick(KINDS[case.kind], zh), "preference": _pick(PREFERENCES[case.preference], zh),
        "line": label(PRODUCT_LINES, case.product_line, language) if case.product_line in PRODUCT_LINES else "",
        "contact": " · ".join(x for x in (case.email, case.phone) if x),
        "faults": list(case.symptoms.order_by("position")),
        "acks": [{"text": _pick(pair, zh), "given": getattr(case, field)} for field, pair in ACKNOWLEDGEMENTS],
        "qr": qr_svg(case.number),
    }


def _pdf(template: str, context: dict) -> bytes:
    from PIL import ImageFile
    from weasyprint import HTML

    # As in ``repairs.report``: importing WeasyPrint loosens Pillow for the whole process; put it back.
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    return HTML(string=render_to_string(template, context)).write_pdf()


def job_sheet_pdf(case: Case, language: str) -> bytes:
    return _pdf("repairs/job_sheet.html", job_sheet_context(case, language))


def label_pdf(case: Case) -> bytes:
    """A 62 × 29 mm label (the common continuous-roll width of label printers): the QR code, the
    case number as people read it, the model and the serial number."""
    return _pdf("repairs/label.html", {"case": case, "number": display(case.number), "qr": qr_svg(case.number)})

"""An invoice or credit note as a PDF in the customer's language (the one copied onto the document
when it was issued), rendered with WeasyPrint and the Noto CJK fonts as the repair report is:
the seller, the number and dates, the customer, what it is for, each line, the total with its
currency, and for a credit note the invoice it credits and why."""

from __future__ import annotations

from django.template.loader import render_to_string

from aftersales.core.money import Money
from aftersales.invoicing.models import CreditNote
from aftersales.notifications.compose import day_text, money_text

WORDS = {
    "invoice": ("Invoice", "发票"), "credit_note": ("Credit note", "贷项通知单"),
    "seller": ("Seller", "销售方"), "customer": ("Customer", "客户"), "number": ("Number: {}", "编号：{}"),
    "issued_on": ("Date of issue", "开具日期"), "case": ("Repair case", "维修单号"),
    "reference": ("Reference", "参考号"), "credits": ("Credits invoice", "冲减发票"),
    "invoice_of": ("{} (issued on {})", "{}（开具日期：{}）"), "reason": ("Reason", "原因"),
    "description": ("Description", "项目"), "quantity": ("Quantity", "数量"), "unit": ("Unit price", "单价"),
    "amount": ("Amount", "金额"), "total": ("Total", "合计"), "total_credit": ("Total credited", "冲减合计"),
    "credit_note_text": ("This credit note reduces the amount of the invoice above by its total.",
                         "本贷项通知单按其合计金额冲减上述发票。"),
}


def document_context(document) -> dict:
    zh = document.language == "zh-hans"
    pick = 1 if zh else 0
    words = {key: pair[pick] for key, pair in WORDS.items()}
    credit = isinstance(document, CreditNote)

    def money(amount) -> str:
        return money_text(Money(amount, document.currency), document.language)

    lines = [{"description": line.description_zh if zh else line.description_en, "quantity": line.quantity,
              "unit": money(line.unit_amount), "amount": money(line.amount)} for line in document.lines.all()]
    return {
        "w": words, "lang": "zh-Hans" if zh else "en", "number": document.number, "credit": credit,
        "number_line": words["number"].format(document.number),
        "title": words["credit_note"] if credit else words["invoice"],
        "seller": document.seller_zh if zh else document.seller_en, "customer": document.customer_name,
        "customer_email": document.customer_email, "issued_on": day_text(document.issued_on, document.language),
        "case": document.case.display_number if document.case else "", "reference": document.reference,
        "lines": lines, "total": money(document.total),
        "credited": words["invoice_of"].format(document.invoice.number, day_text(document.invoice.issued_on,
                                                                                 document.language)) if credit else "",
        "reason": (document.reason_zh if zh else document.reason_en) if credit else "",
    }


def document_pdf(document) -> bytes:
    from PIL import ImageFile
    from weasyprint import HTML

    # Importing WeasyPrint loosens Pillow's check of truncated images process-wide; put it back,
    # as the repair report does (the evidence checks rely on it).
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    return HTML(string=render_to_string("invoicing/document.html", document_context(document))).write_pdf()

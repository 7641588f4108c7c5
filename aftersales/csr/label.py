"""The return label: what the customer sticks on the box to send the defective part back.

A PDF (WeasyPrint, as the repair papers are) the size of a parcel label, 4 × 6 inches, with the
return tracking number as a QR code (segno) for the carrier's scanner, the self-repair number,
the part and the return address, in English and Chinese. The same label prints again from the
status page as often as the customer needs it.
"""

from __future__ import annotations

from django.template.loader import render_to_string

from aftersales.csr.models import Order
from aftersales.csr.numbers import display
from aftersales.policy.vocabulary import PARTS

RETURN_ADDRESS = ("Customer Self-Repair Returns", "Parts Recovery Center")


def return_label_pdf(order: Order) -> bytes:
    import segno
    from PIL import ImageFile
    from weasyprint import HTML

    ImageFile.LOAD_TRUNCATED_IMAGES = False  # WeasyPrint's import loosens Pillow; put it back (repairs.report)
    qr = segno.make(order.return_tracking, error="m", micro=False).svg_data_uri(scale=4, border=2, omitsize=True)
    part_en, part_zh = PARTS[order.part]
    html = render_to_string("csr/return_label.html", {
        "order": order, "number": display(order.number), "qr": qr, "part_en": part_en, "part_zh": part_zh,
        "return_address": RETURN_ADDRESS})
    return HTML(string=html).write_pdf()

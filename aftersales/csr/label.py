"""The return label: what the customer sticks on the box to send the defective part back.

A PDF (WeasyPrint, as the repair papers are) the size of a parcel label, 4 × 6 inches, with the
return tracking number as a Code 128 barcode (python-barcode, drawn as SVG: carriers' scanners
read one-dimensional codes) with the number printed under its bars, and as a QR code (segno) for
phones; the self-repair number, the part and the return address, in English and Chinese. The same label prints again from the
status page as often as the customer needs it.
"""

from __future__ import annotations

import base64

from django.template.loader import render_to_string

from aftersales.csr.models import Order
from aftersales.csr.numbers import display
from aftersales.policy.vocabulary import PARTS

RETURN_ADDRESS = ("Customer Self-Repair Returns", "Parts Recovery Center")
# bars of 0.33 mm (the 13-mil module carriers' labels use), 15 mm tall, and the 10-module quiet
# zone Code 128 needs, with room to spare, either side
BARS = {"module_width": 0.33, "module_height": 15.0, "quiet_zone": 6.5, "write_text": False}


def code128_svg(text: str) -> str:
    """``text`` as a Code 128 barcode: an SVG data URI (the number is printed by the label itself)."""
    import barcode
    from barcode.writer import SVGWriter

    svg = barcode.get("code128", text, writer=SVGWriter()).render(writer_options=BARS)
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def return_label_pdf(order: Order) -> bytes:
    import segno
    from PIL import ImageFile
    from weasyprint import HTML

    ImageFile.LOAD_TRUNCATED_IMAGES = False  # WeasyPrint's import loosens Pillow; put it back (repairs.report)
    qr = segno.make(order.return_tracking, error="m", micro=False).svg_data_uri(scale=4, border=2, omitsize=True)
    part_en, part_zh = PARTS[order.part]
    html = render_to_string("csr/return_label.html", {
        "order": order, "number": display(order.number), "qr": qr, "bars": code128_svg(order.return_tracking), "part_en": part_en, "part_zh": part_zh,
        "return_address": RETURN_ADDRESS})
    return HTML(string=html).write_pdf()

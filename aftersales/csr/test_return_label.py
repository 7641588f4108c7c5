"""The return label a customer prints: one 4 × 6 inch page whose Code 128 barcode, read by a
barcode reader as a carrier's scanner would, holds the return tracking number, printed in words
under the bars."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess

import pytest

from aftersales.core.testing import NOW
from aftersales.csr.applications import order_apply
from aftersales.csr.conftest import APPLICATION
from aftersales.csr.label import return_label_pdf
from aftersales.csr.services import order_ship

pytestmark = [pytest.mark.django_db,
              pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils is installed by scripts/test.sh")]
DPI = 300


def words(path) -> list[tuple[str, float, float]]:
    """Each word of the page with the top and bottom of its box, in points."""
    html = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, check=True, text=True).stdout
    return [(w, float(y0), float(y1)) for y0, y1, w in re.findall(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)<', html)]


def test_the_return_label_carries_the_tracking_number_as_a_code128_barcode_with_the_number_under_its_bars(
        programme, tmp_path):
    import zxingcpp
    from PIL import Image

    # given a shipped order
    order = order_apply(**APPLICATION, now=NOW)
    order_ship(number=order.number, tracking="1Z999AA10123456784", actor="staff1", now=NOW + dt.timedelta(days=1))
    # when its return label is printed
    path = tmp_path / "label.pdf"
    path.write_bytes(return_label_pdf(order))
    # then it is one page of 4 × 6 inches (288 × 432 points)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True, text=True).stdout
    assert "288 x 432 pts" in info and re.search(r"^Pages:\s+1$", info, re.M), info
    # and a barcode reader finds a Code 128 barcode holding the return tracking number as stored
    png = subprocess.run(["pdftoppm", "-r", str(DPI), "-png", str(path)], capture_output=True, check=True).stdout
    found = {b.format.name: b for b in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))}
    assert found["Code128"].text == order.return_tracking and found["QRCode"].text == order.return_tracking
    # and the number is printed just under the bars
    bars_bottom = found["Code128"].position.bottom_left.y * 72 / DPI
    printed = [(top, bottom) for word, top, bottom in words(path) if word == order.return_tracking]
    assert printed and 0 <= printed[0][0] - bars_bottom < 20

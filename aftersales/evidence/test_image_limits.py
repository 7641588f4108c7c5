"""Pictures too large to decode safely are refused from what their header declares, before a
single pixel is decoded: a small file can hold a huge picture."""

import io

import pytest
from PIL import Image

from aftersales.evidence.conftest import (
    heic_claiming,
    photo,
    png_bomb,
    png_claiming,
    stored_files,
    webp_claiming,
)
from aftersales.evidence.images import ImageLimits, ImageRefused, clean_image, decoded_bytes
from aftersales.evidence.models import Evidence
from aftersales.evidence.test_evidence_add import add, refused


def test_a_png_bomb_of_144_megapixels_in_560_kb_is_refused_with_its_size_in_both_languages(cn_case, media_root):
    # given a real PNG of 12000 × 12000 pixels: about 560 KB, 576 MB once decoded
    bomb = png_bomb()
    assert len(bomb) < 600 * 1024
    # when it is added as a photo
    error = refused(cn_case, bomb, name="dent.png")
    # then it is refused as too large, saying how large and what we take, and nothing is kept
    assert (error.code, error.status) == ("image-too-large", 413)
    assert "12000 × 12000 pixels (144 megapixels)" in error.en and "up to 50 megapixels" in error.en
    assert "12000 × 12000 像素（1.44 亿像素）" in error.zh and "上限为 5000 万像素" in error.zh
    assert Evidence.objects.count() == 0 and stored_files(media_root) == []


@pytest.mark.parametrize(("data", "size"), [
    (png_claiming(8000, 7000), "8000 × 7000"),
    (heic_claiming(12000, 12000), "12000 × 12000"),
    (webp_claiming(10000, 10000), "10000 × 10000"),
], ids=["png", "heic", "webp"])
def test_the_size_is_read_from_the_header_before_anything_is_decoded(cn_case, data, size):
    # given files whose headers declare a huge picture but hold no such pixels: decoding any of
    # them would fail, so a refusal for size (not for a damaged file) shows nothing was decoded
    error = refused(cn_case, data, name="photo")
    assert error.code == "image-too-large" and size in error.en and size in error.zh


def test_a_photo_of_exactly_the_pixel_limit_is_accepted_and_one_pixel_more_is_not(cn_case, settings):
    settings.EVIDENCE_MAX_IMAGE_PIXELS = 40 * 20  # the test photo is 40 × 20
    assert add(cn_case, photo(), kind="damage").evidence.width == 20
    settings.EVIDENCE_MAX_IMAGE_PIXELS = 40 * 20 - 1
    assert refused(cn_case, photo(), kind="inbound").code == "image-too-large"


def test_decoded_memory_is_counted_by_what_each_pixel_takes(cn_case, settings):
    # given room for 40 × 20 pixels at two bytes each: a colour photo takes four, a grey one one
    settings.EVIDENCE_MAX_IMAGE_DECODED_BYTES = 40 * 20 * 2
    grey = io.BytesIO()
    Image.new("L", (40, 20), 128).save(grey, "PNG")
    # then the colour photo is refused and the grey one of the same size is accepted
    error = refused(cn_case, photo("PNG"), name="colour.png")
    assert (error.code, error.status) == ("image-too-large", 413) and "过大" in error.zh
    assert add(cn_case, grey.getvalue(), name="grey.png").evidence.width == 40


def test_decoded_bytes_follow_pillows_memory_layout():
    assert decoded_bytes((100, 10), "L") == 1000
    assert decoded_bytes((100, 10), "I;16") == 2000
    assert decoded_bytes((100, 10), "RGB") == decoded_bytes((100, 10), "RGBA") == 4000


def test_the_cleaner_itself_refuses_before_decoding_whatever_the_caller():
    with pytest.raises(ImageRefused) as refusal:
        clean_image(png_claiming(3, 3), "PNG", ImageLimits(pixels=8, decoded_bytes=10**9))
    assert (refusal.value.reason, refusal.value.size) == ("too-many-pixels", (3, 3))

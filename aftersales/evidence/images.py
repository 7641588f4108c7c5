"""Photos are re-encoded before they are stored, so that nothing but the picture leaves the
customer's phone or the centre's camera: EXIF (with the GPS position, the camera's serial, the
time), XMP, comments and colour profiles are dropped. The EXIF orientation is applied first, so
the picture stays upright, and the format is kept. Decoding every pixel also proves that the file
is a picture and not truncated.

A small file can hold a huge picture (a 560 KB PNG of 12000 × 12000 pixels decodes to 576 MB),
so the size a picture declares in its header is checked against ``ImageLimits`` — pixels, and
the memory its pixels take once decoded — before a single pixel is decoded. Cleaning then works
in place, so a photo never costs much more than twice its decoded size.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image, ImageCms, ImageOps, JpegImagePlugin
from pillow_heif import register_heif_opener

register_heif_opener()  # teaches Pillow to read and write HEIC, the iPhone's default format

_SRGB = ImageCms.createProfile("sRGB")
# Kept from the source picture: palette transparency is pixels, not metadata.
_KEPT_INFO = {"transparency"}


# Bytes a pixel takes in Pillow's memory: RGB is held in four bytes, like RGBA.
_BYTES_PER_PIXEL = {"1": 1, "L": 1, "P": 1, "I;16": 2, "I;16L": 2, "I;16B": 2, "I;16N": 2}


@dataclass(frozen=True)
class ImageLimits:
    pixels: int  # width × height
    decoded_bytes: int  # the picture's pixels in memory


class ImageRefused(Exception):
    """``reason`` is "corrupt", "animated", "too-many-pixels" (``size`` says how many) or
    "too-much-memory"."""

    def __init__(self, reason: str, size: tuple[int, int] | None = None):
        super().__init__(reason)
        self.reason = reason
        self.size = size


@dataclass(frozen=True)
class CleanImage:
    data: bytes
    width: int
    height: int


def clean_image(data: bytes, pillow_format: str, limits: ImageLimits) -> CleanImage:
    """The picture in ``data`` re-encoded in the same format, upright and without metadata."""
    picture = _decode(data, pillow_format, limits)
    options = _save_options(picture, data, pillow_format)  # read before cleaning changes the picture
    _make_upright_without_metadata(picture)
    out = io.BytesIO()
    picture.save(out, pillow_format, **options)
    return CleanImage(out.getvalue(), picture.width, picture.height)


def decoded_bytes(size: tuple[int, int], mode: str) -> int:
    """The memory a picture of ``size`` in ``mode`` takes once decoded."""
    return size[0] * size[1] * _BYTES_PER_PIXEL.get(mode, 4)


def _decode(data: bytes, pillow_format: str, limits: ImageLimits) -> Image.Image:
    if pillow_format == "WEBP":
        # libwebp allocates the whole canvas when the file is opened, so read its size first.
        _check_size(_webp_canvas(data), "RGBA", limits)
    try:
        image = Image.open(io.BytesIO(data), formats=[pillow_format])  # reads the header only
        _check_size(image.size, image.mode, limits)
        if pillow_format != "HEIF" and getattr(image, "is_animated", False):
            raise ImageRefused("animated")
        image.load()
    except Image.DecompressionBombError:  # Pillow's own net, past twice its MAX_IMAGE_PIXELS
        raise ImageRefused("too-many-pixels") from None
    except ImageRefused:
        raise
    except Exception:  # noqa: BLE001 — a malformed file can fail anywhere in a decoder
        raise ImageRefused("corrupt") from None
    return image


def _check_size(size: tuple[int, int] | None, mode: str, limits: ImageLimits) -> None:
    if size is None:
        return  # no size in the header: Pillow will find the file corrupt
    if size[0] * size[1] > limits.pixels:
        raise ImageRefused("too-many-pixels", size)
    if decoded_bytes(size, mode) > limits.decoded_bytes:
        raise ImageRefused("too-much-memory", size)


def _make_upright_without_metadata(picture: Image.Image) -> None:
    """Turned as the camera meant it, colours in sRGB, metadata gone — in place: a copy of a
    large photo would double the memory it takes."""
    icc = picture.info.get("icc_profile")
    kept = {key: value for key, value in picture.info.items() if key in _KEPT_INFO}
    ImageOps.exif_transpose(picture, in_place=True)
    if icc and picture.mode in ("RGB", "RGBA"):
        # Convert rather than drop a wide-gamut profile (iPhone's Display P3), or colours shift.
        try:
            ImageCms.profileToProfile(picture, io.BytesIO(icc), _SRGB, inPlace=True)
        except (ImageCms.PyCMSError, OSError):
            pass  # an unreadable profile: keep the pixels as they are
    picture.info = kept


def _save_options(source: Image.Image, data: bytes, pillow_format: str) -> dict:
    if pillow_format == "JPEG":
        # The source's own quantisation tables and subsampling: no visible loss from re-encoding.
        sampling = JpegImagePlugin.get_sampling(source)
        options = {"qtables": source.quantization} if getattr(source, "quantization", None) else {"quality": 92}
        return options | ({"subsampling": sampling} if sampling != -1 else {})
    if pillow_format == "WEBP":
        return {"lossless": True} if _webp_is_lossless(data) else {"quality": 90}
    if pillow_format == "HEIF":
        # pillow-heif writes the picture's EXIF and XMP unless told otherwise, and the picture,
        # cleaned in place, still remembers the EXIF it was read with.
        return {"quality": 85, "save_all": False, "exif": None, "xmp": None}
    return {}


def _webp_canvas(data: bytes) -> tuple[int, int] | None:
    """The canvas size a WebP file declares in its first chunk (VP8X, VP8L or VP8)."""
    chunk = data[12:16]
    if chunk == b"VP8X" and len(data) >= 30:
        return int.from_bytes(data[24:27], "little") + 1, int.from_bytes(data[27:30], "little") + 1
    if chunk == b"VP8L" and len(data) >= 25 and data[20] == 0x2F:
        bits = int.from_bytes(data[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if chunk == b"VP8 " and len(data) >= 30 and data[23:26] == b"\x9d\x01\x2a":
        return int.from_bytes(data[26:28], "little") & 0x3FFF, int.from_bytes(data[28:30], "little") & 0x3FFF
    return None


def _webp_is_lossless(data: bytes) -> bool:
    position = 12  # after "RIFF", the size and "WEBP": a list of chunks
    while position + 8 <= len(data):
        fourcc, size = data[position:position + 4], int.from_bytes(data[position + 4:position + 8], "little")
        if fourcc in (b"VP8 ", b"VP8L"):
            return fourcc == b"VP8L"
        position += 8 + size + (size & 1)
    return False

"""Photos are re-encoded before they are stored, so that nothing but the picture leaves the
customer's phone or the centre's camera: EXIF (with the GPS position, the camera's serial, the
time), XMP, comments and colour profiles are dropped. The EXIF orientation is applied first, so
the picture stays upright, and the format is kept. Decoding every pixel also proves that the file
is a picture and not truncated.
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


class ImageRefused(Exception):
    """``reason`` is "corrupt", "animated" or "too-many-pixels"."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class CleanImage:
    data: bytes
    width: int
    height: int


def clean_image(data: bytes, pillow_format: str) -> CleanImage:
    """The picture in ``data`` re-encoded in the same format, upright and without metadata."""
    source = _decode(data, pillow_format)
    picture = _upright_without_metadata(source)
    out = io.BytesIO()
    picture.save(out, pillow_format, **_save_options(source, data, pillow_format))
    return CleanImage(out.getvalue(), picture.width, picture.height)


def _decode(data: bytes, pillow_format: str) -> Image.Image:
    try:
        image = Image.open(io.BytesIO(data), formats=[pillow_format])
        if pillow_format != "HEIF" and getattr(image, "is_animated", False):
            raise ImageRefused("animated")
        image.load()
    except Image.DecompressionBombError:  # past twice Pillow's MAX_IMAGE_PIXELS (~179 megapixels)
        raise ImageRefused("too-many-pixels") from None
    except ImageRefused:
        raise
    except Exception:  # noqa: BLE001 — a malformed file can fail anywhere in a decoder
        raise ImageRefused("corrupt") from None
    return image


def _upright_without_metadata(source: Image.Image) -> Image.Image:
    picture = ImageOps.exif_transpose(source)  # a copy, turned as the camera meant it
    icc = source.info.get("icc_profile")
    if icc and picture.mode in ("RGB", "RGBA"):
        # Convert rather than drop a wide-gamut profile (iPhone's Display P3), or colours shift.
        try:
            picture = ImageCms.profileToProfile(picture, io.BytesIO(icc), _SRGB, outputMode=picture.mode)
        except (ImageCms.PyCMSError, OSError):
            pass  # an unreadable profile: keep the pixels as they are
    picture.info = {key: value for key, value in source.info.items() if key in _KEPT_INFO}
    return picture


def _save_options(source: Image.Image, data: bytes, pillow_format: str) -> dict:
    if pillow_format == "JPEG":
        # The source's own quantisation tables and subsampling: no visible loss from re-encoding.
        sampling = JpegImagePlugin.get_sampling(source)
        options = {"qtables": source.quantization} if getattr(source, "quantization", None) else {"quality": 92}
        return options | ({"subsampling": sampling} if sampling != -1 else {})
    if pillow_format == "WEBP":
        return {"lossless": True} if _webp_is_lossless(data) else {"quality": 90}
    if pillow_format == "HEIF":
        return {"quality": 85, "save_all": False}
    return {}


def _webp_is_lossless(data: bytes) -> bool:
    position = 12  # after "RIFF", the size and "WEBP": a list of chunks
    while position + 8 <= len(data):
        fourcc, size = data[position:position + 4], int.from_bytes(data[position + 4:position + 8], "little")
        if fourcc in (b"VP8 ", b"VP8L"):
            return fourcc == b"VP8L"
        position += 8 + size + (size & 1)
    return False

"""Photo handling: content-checked, size-limited, stripped of metadata (GPS).

An upload is trusted for nothing: not its name, not its declared content
type. Its bytes must decode as JPEG, PNG or WebP, and what is stored is a
fresh encoding of the pixels alone, so EXIF (with GPS), XMP, comments, text
chunks and anything appended to the file (a PHP or HTML polyglot) are gone.
"""

from __future__ import annotations

import io
import uuid
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from trygg.core.errors import FieldError, InputRejected

ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
# 40 megapixels is more than any phone camera; decoding more would let a small
# file (a "decompression bomb") claim gigabytes of memory.
MAX_PIXELS = 40_000_000
# The only image.info entry kept on re-encoding: a palette PNG's transparency.
# Everything else there is metadata (a JPEG comment survives Pillow's save otherwise).
KEPT_INFO = {"transparency"}


def _refuse(message: str) -> InputRejected:
    return InputRejected([FieldError(0, "photo", message)])


def _open(upload: Any) -> Image.Image:
    """The upload's image header, read by content; only our three formats are tried."""
    upload.seek(0)
    try:
        # `formats` keeps Pillow's other decoders (EPS, PSD, TGA…) away from uploads.
        image = Image.open(upload, formats=list(ALLOWED_FORMATS))
    except UnidentifiedImageError:
        raise _refuse(_("Only JPEG, PNG or WebP photos.")) from None
    except Image.DecompressionBombError:  # Pillow's own, far higher limit
        raise _refuse(_("The photo has too many pixels.")) from None
    except (OSError, ValueError, SyntaxError):  # a header cut short or malformed
        raise _refuse(_("Not a readable image.")) from None
    if image.width * image.height > MAX_PIXELS:
        raise _refuse(_("The photo has too many pixels."))
    return image


def _pixels_only(image: Image.Image, fmt: str) -> Image.Image:
    """The decoded, upright pixels, with no metadata left in `info`."""
    image = ImageOps.exif_transpose(image)
    if fmt == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    image.info = {k: v for k, v in image.info.items() if k in KEPT_INFO}
    return image


def clean_photo(upload: Any) -> tuple[bytes, str]:
    """Re-encoded image bytes without EXIF or other metadata, and a file extension."""
    if upload.size > settings.PHOTO_MAX_BYTES:
        raise _refuse(_("The photo is too large."))
    image = _open(upload)
    fmt = image.format or ""
    try:
        image = _pixels_only(image, fmt)
        out = io.BytesIO()
        # No `exif=`, `xmp=`, `icc_profile=` or `comment=`: none is written.
        image.save(out, format=fmt, **({"quality": 85} if fmt == "JPEG" else {}))
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise _refuse(_("Not a readable image.")) from None
    return out.getvalue(), ALLOWED_FORMATS[fmt]


def store_photo(report: Any, data: bytes, extension: str) -> None:
    """Save cleaned photo bytes (from `clean_photo`) as the report's photo."""
    report.photo.save(f"{uuid.uuid4().hex}.{extension}", ContentFile(data), save=True)


def attach_photo(report: Any, upload: Any) -> None:
    store_photo(report, *clean_photo(upload))

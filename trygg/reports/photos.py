"""Photo handling: content-checked, size-limited, stripped of metadata (GPS)."""

from __future__ import annotations

import io
import uuid
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from trygg.reports.intake import FieldError, ReportRejected

ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
MAX_PIXELS = 40_000_000


def clean_photo(upload: Any) -> tuple[bytes, str]:
    """Re-encoded image bytes without EXIF or other metadata, and a file extension."""
    if upload.size > settings.PHOTO_MAX_BYTES:
        raise ReportRejected([FieldError(0, "photo", _("The photo is too large."))])
    try:
        upload.seek(0)
        image = Image.open(upload)
        fmt = image.format or ""
        if fmt not in ALLOWED_FORMATS or image.width * image.height > MAX_PIXELS:
            raise ReportRejected([FieldError(0, "photo", _("Only JPEG, PNG or WebP photos."))])
        image = ImageOps.exif_transpose(image)
        if fmt == "JPEG" and image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        out = io.BytesIO()
        # Saving a fresh image without `exif=` drops GPS and every other tag.
        image.save(out, format=fmt, **({"quality": 85} if fmt == "JPEG" else {}))
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        raise ReportRejected([FieldError(0, "photo", _("Not a readable image."))]) from None
    return out.getvalue(), ALLOWED_FORMATS[fmt]


def attach_photo(report: Any, upload: Any) -> None:
    data, extension = clean_photo(upload)
    report.photo.save(f"{uuid.uuid4().hex}.{extension}", ContentFile(data), save=True)

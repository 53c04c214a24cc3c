"""Product images: checked by content, stored through shared.storage, thumbnailed on upload."""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image, UnidentifiedImageError

from shared import storage
from shared.errors import FieldError, UnsupportedMediaType

THUMBNAIL_SIZE = (320, 320)
MAX_PIXELS = 40_000_000


@dataclass(frozen=True)
class StoredImage:
    key: str
    thumbnail_key: str
    content_type: str
    width: int
    height: int


def store_image(namespace: str, data: bytes) -> StoredImage:
    content_type = storage.check_upload(data, storage.IMAGE_TYPES)
    try:
        with Image.open(io.BytesIO(data)) as probe:
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > MAX_PIXELS:
                raise UnsupportedMediaType(
                    "The image is too large", errors=[FieldError("file", "too many pixels")]
                )
            image.load()
            width, height = image.size
            thumb = image.convert("RGB")
            thumb.thumbnail(THUMBNAIL_SIZE)
            buffer = io.BytesIO()
            thumb.save(buffer, "JPEG", quality=82, optimize=True)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise UnsupportedMediaType(
            "The image cannot be read", errors=[FieldError("file", "damaged image")]
        ) from exc
    original = storage.save(namespace, data, content_type)
    thumbnail = storage.save(namespace, buffer.getvalue(), "image/jpeg")
    return StoredImage(original.key, thumbnail.key, content_type, width, height)

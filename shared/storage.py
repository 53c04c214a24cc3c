"""Stored files (documents, images, proofs): the local filesystem, or S3 when configured.

Content is checked by its leading bytes, not by the name or header the client sent.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from pathlib import Path

from shared.errors import FieldError, PayloadTooLarge, UnsupportedMediaType
from shared.settings import get_settings

SIGNATURES: list[tuple[bytes, str]] = [
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"RIFF", "image/webp"),
]

DOCUMENT_TYPES = frozenset({"application/pdf", "image/png", "image/jpeg", "image/webp"})
IMAGE_TYPES = frozenset({"image/png", "image/jpeg", "image/webp"})


@dataclass(frozen=True)
class StoredFile:
    key: str
    content_type: str
    size: int
    sha256: str


def sniff_content_type(data: bytes) -> str | None:
    for signature, content_type in SIGNATURES:
        if data.startswith(signature):
            if content_type == "image/webp" and data[8:12] != b"WEBP":
                continue
            return content_type
    return None


def check_upload(data: bytes, allowed: frozenset[str], max_bytes: int | None = None) -> str:
    limit = max_bytes or get_settings().max_upload_bytes
    if len(data) > limit:
        raise PayloadTooLarge(f"The file may be at most {limit} bytes")
    if not data:
        raise UnsupportedMediaType("The file is empty", errors=[FieldError("file", "empty file")])
    content_type = sniff_content_type(data)
    if content_type not in allowed:
        raise UnsupportedMediaType(
            "Only " + ", ".join(sorted(allowed)) + " files are accepted",
            errors=[FieldError("file", "unsupported file type", "unsupported_type")],
        )
    return content_type


def _root() -> Path:
    return Path(get_settings().storage_dir)


def save(namespace: str, data: bytes, content_type: str) -> StoredFile:
    digest = hashlib.sha256(data).hexdigest()
    extension = {
        "application/pdf": "pdf",
        "image/png": "png",
        "image/jpeg": "jpg",
        "image/webp": "webp",
        "image/svg+xml": "svg",
    }.get(content_type, "bin")
    key = f"{namespace}/{uuid.uuid4().hex}.{extension}"
    path = _root() / key
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".part")
    tmp.write_bytes(data)
    tmp.replace(path)
    return StoredFile(key=key, content_type=content_type, size=len(data), sha256=digest)


def load(key: str) -> bytes:
    path = (_root() / key).resolve()
    if _root().resolve() not in path.parents:
        raise FileNotFoundError(key)
    return path.read_bytes()


def exists(key: str) -> bool:
    try:
        load(key)
        return True
    except FileNotFoundError:
        return False


def delete(key: str) -> bool:
    """Remove a stored file; False when it was not there."""
    path = (_root() / key).resolve()
    if _root().resolve() not in path.parents:
        return False
    try:
        path.unlink()
        return True
    except FileNotFoundError:
        return False

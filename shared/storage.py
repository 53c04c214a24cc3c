"""Stored files (documents, images, proofs): the local filesystem, or S3 when configured.

- Default: files under `STORAGE_DIR` (`.local/storage`): one machine only.
- `S3_BUCKET` set: an S3-compatible bucket (`S3_ENDPOINT_URL` for MinIO/OSS/moto,
  `S3_ACCESS_KEY_ID`, `S3_SECRET_ACCESS_KEY`, `S3_REGION`, `S3_VIRTUAL_HOSTED`), through
  obstore. What Kubernetes runs: pods keep nothing on their own disks.

Content is checked by its leading bytes, not by the name or header the client sent.
`save`/`load`/`exists`/`delete` are synchronous (short calls); `save_async`/`load_async`
run them off the event loop.
"""

from __future__ import annotations

import asyncio
import hashlib
import re
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

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


# ---------------------------------------------------------------- backends


class Backend(Protocol):
    def put(self, key: str, data: bytes, content_type: str) -> None: ...
    def get(self, key: str) -> bytes: ...
    def delete(self, key: str) -> bool: ...


class FilesystemBackend:
    """Files under STORAGE_DIR: one machine only (development, tests, a single host)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if self.root.resolve() not in path.parents:
            raise FileNotFoundError(key)
        return path

    def put(self, key: str, data: bytes, content_type: str) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".part")
        tmp.write_bytes(data)
        tmp.replace(path)

    def get(self, key: str) -> bytes:
        return self._path(key).read_bytes()

    def delete(self, key: str) -> bool:
        try:
            self._path(key).unlink()
            return True
        except FileNotFoundError:
            return False


class S3Backend:
    """An S3-compatible bucket (AWS S3, MinIO, Aliyun OSS, …) through obstore.

    Every replica reads and writes the same bucket, so a document uploaded to one pod is
    served by any other; nothing lives on a pod's filesystem.
    """

    def __init__(
        self,
        bucket: str,
        *,
        endpoint_url: str | None,
        access_key_id: str | None,
        secret_access_key: str | None,
        region: str,
        virtual_hosted: bool = False,
    ) -> None:
        from obstore.store import S3Store

        config: dict[str, Any] = {"region": region, "virtual_hosted_style_request": virtual_hosted}
        if endpoint_url:
            config["endpoint"] = endpoint_url
        if access_key_id and secret_access_key:
            config["access_key_id"] = access_key_id
            config["secret_access_key"] = secret_access_key
        else:
            config["skip_signature"] = True
        self.bucket = bucket
        self.store = S3Store(
            bucket,
            config=config,  # type: ignore[arg-type]
            client_options={"allow_http": bool(endpoint_url and endpoint_url.startswith("http:"))},
        )

    def put(self, key: str, data: bytes, content_type: str) -> None:
        import obstore

        obstore.put(self.store, key, data, attributes={"Content-Type": content_type})

    def get(self, key: str) -> bytes:
        import obstore
        from obstore.exceptions import NotFoundError

        try:
            return bytes(obstore.get(self.store, key).bytes())
        except (NotFoundError, FileNotFoundError) as exc:
            raise FileNotFoundError(key) from exc

    def delete(self, key: str) -> bool:
        import obstore

        if not self._exists(key):
            return False
        obstore.delete(self.store, key)
        return True

    def _exists(self, key: str) -> bool:
        import obstore
        from obstore.exceptions import NotFoundError

        try:
            obstore.head(self.store, key)
            return True
        except (NotFoundError, FileNotFoundError):
            return False


_backend: tuple[tuple[Any, ...], Backend] | None = None


def get_backend() -> Backend:
    """S3 when S3_BUCKET is set, else the filesystem under STORAGE_DIR (cached per settings)."""
    global _backend
    settings = get_settings()
    key = (
        settings.s3_bucket,
        settings.s3_endpoint_url,
        settings.s3_access_key_id,
        settings.s3_region,
        str(settings.storage_dir),
    )
    if _backend is None or _backend[0] != key:
        backend: Backend
        if settings.s3_bucket:
            backend = S3Backend(
                settings.s3_bucket,
                endpoint_url=settings.s3_endpoint_url,
                access_key_id=settings.s3_access_key_id,
                secret_access_key=settings.s3_secret_access_key,
                region=settings.s3_region,
                virtual_hosted=settings.s3_virtual_hosted,
            )
        else:
            backend = FilesystemBackend(Path(settings.storage_dir))
        _backend = (key, backend)
    return _backend[1]


_SAFE_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]*$")


def _checked(key: str) -> str:
    """Keys are ours (namespace/uuid.ext); anything else (.., absolute, odd bytes) is absent."""
    if not _SAFE_KEY.match(key) or ".." in key.split("/") or "//" in key:
        raise FileNotFoundError(key)
    return key


# ---------------------------------------------------------------- the API services use


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
    get_backend().put(_checked(key), data, content_type)
    return StoredFile(key=key, content_type=content_type, size=len(data), sha256=digest)


def load(key: str) -> bytes:
    """The stored bytes; FileNotFoundError when there is no such file."""
    return get_backend().get(_checked(key))


def exists(key: str) -> bool:
    try:
        load(key)
        return True
    except FileNotFoundError:
        return False


def delete(key: str) -> bool:
    """Remove a stored file; False when it was not there."""
    try:
        return get_backend().delete(_checked(key))
    except FileNotFoundError:
        return False


async def save_async(namespace: str, data: bytes, content_type: str) -> StoredFile:
    """`save` off the event loop (a network round trip with S3)."""
    return await asyncio.to_thread(save, namespace, data, content_type)


async def load_async(key: str) -> bytes:
    return await asyncio.to_thread(load, key)

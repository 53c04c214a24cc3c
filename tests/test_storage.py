"""Stored files in an S3-compatible bucket (moto's standalone server on a free port), and the
filesystem default. Through the HTTP API: a supplier's document lands in the bucket."""

from __future__ import annotations

import uuid

import httpx
import pytest

from shared import storage
from shared.settings import get_settings, reset_settings_cache
from tests.factories import new_org
from tests.suppliers.helpers import PDF, draft, upload


@pytest.fixture(scope="module")
def s3_server():
    from shared.devstack import start_private_s3

    url, stop = start_private_s3()
    yield url
    stop()


@pytest.fixture
def s3(s3_server, monkeypatch, tmp_path):
    bucket = f"county-{uuid.uuid4().hex[:12]}"
    assert httpx.put(f"{s3_server}/{bucket}").status_code == 200  # CreateBucket
    monkeypatch.setenv("S3_ENDPOINT_URL", s3_server)
    monkeypatch.setenv("S3_BUCKET", bucket)
    monkeypatch.setenv("S3_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("S3_SECRET_ACCESS_KEY", "testing")
    # a filesystem root that must stay empty while S3 is configured
    monkeypatch.setenv("STORAGE_DIR", str(tmp_path / "must-stay-empty"))
    reset_settings_cache()
    yield f"{s3_server}/{bucket}"
    monkeypatch.undo()
    reset_settings_cache()


def _keys_in(bucket_url: str) -> list[str]:
    import re

    listing = httpx.get(bucket_url, params={"list-type": "2"}).text
    return re.findall(r"<Key>([^<]+)</Key>", listing)


def test_files_round_trip_through_the_bucket(s3, tmp_path):
    assert isinstance(storage.get_backend(), storage.S3Backend)
    stored = storage.save("suppliers/test", PDF, "application/pdf")
    assert stored.key.startswith("suppliers/test/") and stored.key.endswith(".pdf")
    assert stored.key in _keys_in(s3)
    assert storage.load(stored.key) == PDF
    assert storage.exists(stored.key)
    # the content type travels with the object (a presigned or proxied download keeps it)
    import obstore

    backend = storage.get_backend()
    assert isinstance(backend, storage.S3Backend)
    got = obstore.get(backend.store, stored.key)
    assert got.attributes.get("Content-Type") == "application/pdf"
    assert not (tmp_path / "must-stay-empty").exists()

    assert storage.delete(stored.key) is True
    assert storage.delete(stored.key) is False
    assert not storage.exists(stored.key)
    with pytest.raises(FileNotFoundError):
        storage.load(stored.key)


@pytest.mark.parametrize("key", ["../etc/passwd", "/abs/x.pdf", "a//b.pdf", "a/../../b.pdf"])
def test_keys_outside_the_namespace_are_absent(s3, key):
    with pytest.raises(FileNotFoundError):
        storage.load(key)
    assert storage.delete(key) is False


async def test_the_async_helpers_do_the_same(s3):
    stored = await storage.save_async("catalog/x", b"\x89PNG\r\n\x1a\n" + b"0" * 10, "image/png")
    assert (await storage.load_async(stored.key)).startswith(b"\x89PNG")


def test_without_a_bucket_files_stay_on_the_filesystem(monkeypatch, tmp_path):
    monkeypatch.delenv("S3_BUCKET", raising=False)
    monkeypatch.setenv("STORAGE_DIR", str(tmp_path))
    reset_settings_cache()
    try:
        assert isinstance(storage.get_backend(), storage.FilesystemBackend)
        stored = storage.save("n", PDF, "application/pdf")
        assert (tmp_path / stored.key).read_bytes() == PDF
        assert storage.load(stored.key) == PDF
        with pytest.raises(FileNotFoundError):
            storage.load("../outside.pdf")
    finally:
        monkeypatch.undo()
        reset_settings_cache()


async def test_an_uploaded_document_is_stored_in_the_bucket_and_served_from_it(client, county, s3):
    assert get_settings().s3_bucket
    supplier = await new_org(client, county, "supplier")
    await draft(client, supplier)
    before = set(_keys_in(s3))
    r = await upload(client, supplier, supplier.org_id)
    assert r.status_code == 201, r.text
    new_keys = set(_keys_in(s3)) - before
    assert len(new_keys) == 1 and next(iter(new_keys)).startswith("suppliers/")
    r = await client.get(
        f"/v1/suppliers/{supplier.org_id}/documents/{r.json()['id']}/file",
        headers=supplier.headers,
    )
    assert r.status_code == 200 and r.content == PDF

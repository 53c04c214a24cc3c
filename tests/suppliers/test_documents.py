"""Qualification documents: only PDFs and images within the size limit, seen only by their owners."""

from __future__ import annotations

from services.suppliers.documents.service import DOCUMENT_MAX_BYTES
from tests.factories import new_county, new_org
from tests.suppliers.helpers import PDF, PNG, approved_supplier, draft, upload


async def _no_documents(client, supplier) -> bool:
    r = await client.get(f"/v1/suppliers/{supplier.org_id}/documents", headers=supplier.headers)
    return r.json()["items"] == []


async def test_an_executable_renamed_pdf_is_refused_with_415(client, county):
    supplier = await new_org(client, county, "supplier")
    await draft(client, supplier)
    exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200
    r = await upload(client, supplier, supplier.org_id, content=exe, filename="licence.pdf")
    assert r.status_code == 415
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["type"].endswith("/unsupported-media-type")
    assert r.json()["errors"][0]["field"] == "file"
    text = "营业执照号码 91410727MA0000001X".encode()
    r = await upload(client, supplier, supplier.org_id, content=text, filename="licence.pdf")
    assert r.status_code == 415
    assert await _no_documents(client, supplier)


async def test_a_too_large_document_is_refused_with_413(client, county):
    supplier = await new_org(client, county, "supplier")
    await draft(client, supplier)
    big = PDF + b"0" * DOCUMENT_MAX_BYTES
    r = await upload(client, supplier, supplier.org_id, content=big)
    assert r.status_code == 413
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["type"].endswith("/payload-too-large")
    assert await _no_documents(client, supplier)


async def test_bad_document_fields_are_refused_and_nothing_is_kept(client, county):
    supplier = await new_org(client, county, "supplier")
    await draft(client, supplier)
    r = await upload(client, supplier, supplier.org_id, kind="passport")
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "body.kind"
    r = await upload(client, supplier, supplier.org_id, valid_until="2020-01-01")
    assert r.status_code == 422
    r = await upload(client, supplier, supplier.org_id, price="1")
    assert r.status_code == 422
    assert r.json()["errors"] == [
        {
            "field": "body.price",
            "message": "Extra inputs are not permitted",
            "code": "extra_forbidden",
        }
    ]
    r = await upload(
        client, supplier, supplier.org_id, valid_from="2030-01-01", valid_until="2029-01-01"
    )
    assert r.status_code == 422
    assert await _no_documents(client, supplier)


async def test_the_supplier_reads_back_its_file_and_withdraws_a_draft_document(client, county):
    supplier = await new_org(client, county, "supplier")
    await draft(client, supplier)
    r = await upload(
        client,
        supplier,
        supplier.org_id,
        kind="organic_certificate",
        content=PNG,
        filename="有机证书.png",
    )
    assert r.status_code == 201, r.text
    doc = r.json()
    assert doc["content_type"] == "image/png" and doc["filename"] == "有机证书.png"
    r = await client.get(
        f"/v1/suppliers/{supplier.org_id}/documents/{doc['id']}/file", headers=supplier.headers
    )
    assert r.status_code == 200 and r.content == PNG
    assert r.headers["content-type"] == "image/png"
    r = await client.delete(
        f"/v1/suppliers/{supplier.org_id}/documents/{doc['id']}", headers=supplier.headers
    )
    assert r.status_code == 204
    assert await _no_documents(client, supplier)


async def test_one_supplier_cannot_read_another_suppliers_documents(client, county):
    owner = await approved_supplier(client, county)
    other = await new_org(client, county, "supplier")
    await draft(client, other)
    [doc] = (
        await client.get(f"/v1/suppliers/{owner.org_id}/documents", headers=owner.headers)
    ).json()["items"]
    base = f"/v1/suppliers/{owner.org_id}"
    for path in (
        f"{base}",
        f"{base}/documents",
        f"{base}/documents/{doc['id']}",
        f"{base}/documents/{doc['id']}/file",
        f"{base}/history",
        f"{base}/notifications",
        f"{base}/payout-account",
    ):
        r = await client.get(path, headers=other.headers)
        assert r.status_code == 404, path
        assert r.json()["type"].endswith("/not-found")
    # Its own id with the other's document id does not leak either.
    r = await client.get(
        f"/v1/suppliers/{other.org_id}/documents/{doc['id']}", headers=other.headers
    )
    assert r.status_code == 404
    r = await upload(client, other, owner.org_id)
    assert r.status_code == 404
    r = await client.delete(f"{base}/documents/{doc['id']}", headers=other.headers)
    assert r.status_code == 404
    listed = (await client.get("/v1/suppliers", headers=other.headers)).json()["items"]
    assert [s["id"] for s in listed] == [str(other.org_id)]


async def test_a_streamer_sees_only_the_public_profile(client, county):
    supplier = await approved_supplier(client, county)
    streamer = await new_org(client, county, "streamer")
    sid = supplier.org_id
    for path in (
        f"/v1/suppliers/{sid}",
        f"/v1/suppliers/{sid}/documents",
        f"/v1/suppliers/{sid}/history",
    ):
        assert (await client.get(path, headers=streamer.headers)).status_code == 404, path

    r = await client.get(f"/v1/suppliers/profiles/{sid}", headers=streamer.headers)
    assert r.status_code == 200, r.text
    profile = r.json()
    assert profile["display_name"] == "金银花合作社" and profile["can_sell"] is True
    assert profile["qualifications"][0]["kind"] == "business_licence"
    for private in (
        "credit_code",
        "households",
        "contacts",
        "household_count",
        "id_number_masked",
        "address",
    ):
        assert private not in profile
    assert "number" not in profile["qualifications"][0]
    # Mobile clients revalidate with the ETag.
    again = await client.get(
        f"/v1/suppliers/profiles/{sid}",
        headers={**streamer.headers, "If-None-Match": r.headers["etag"]},
    )
    assert again.status_code == 304
    listed = await client.get("/v1/suppliers/profiles", params={"region_id": str(county.region_id)})
    assert [p["id"] for p in listed.json()["items"]] == [str(sid)]


async def test_household_references_are_seen_only_by_the_operator(client, county):
    supplier = await new_org(client, county, "supplier")
    await draft(client, supplier)
    own = (await client.get(f"/v1/suppliers/{supplier.org_id}", headers=supplier.headers)).json()
    assert own["household_count"] == 2 and "households" not in own
    seen = (
        await client.get(f"/v1/suppliers/{supplier.org_id}", headers=county.operator.headers)
    ).json()
    assert sorted(h["household_ref"] for h in seen["households"]) == ["FQ-JC-0042", "FQ-TP-0001"]


async def test_a_draft_is_not_public_and_another_county_cannot_see_it(client, admin, county):
    supplier = await new_org(client, county, "supplier")
    await draft(client, supplier)
    r = await client.get(f"/v1/suppliers/profiles/{supplier.org_id}")
    assert r.status_code == 404
    elsewhere = await new_county(client, admin)
    r = await client.get(f"/v1/suppliers/{supplier.org_id}", headers=elsewhere.operator.headers)
    assert r.status_code == 404
    r = await client.get(
        f"/v1/suppliers/{supplier.org_id}/documents", headers=elsewhere.operator.headers
    )
    assert r.status_code == 404


async def test_a_retried_upload_with_the_same_idempotency_key_stores_one_document(client, county):
    supplier = await new_org(client, county, "supplier")
    await draft(client, supplier)
    form = {
        "kind": "inspection_report",
        "number": "JC-2026-001",
        "issuer": "新乡市农产品质量检测中心",
    }
    answers = []
    for _ in range(2):
        r = await client.post(
            f"/v1/suppliers/{supplier.org_id}/documents",
            data=form,
            files={"file": ("report.pdf", PDF, "application/pdf")},
            headers={
                **supplier.headers,
                "Idempotency-Key": "upload-jc-2026-001",
                # A retry resends the same bytes; the kernel fingerprints the raw body,
                # so the multipart boundary must be the same too.
                "Content-Type": "multipart/form-data; boundary=county-retry-0001",
            },
        )
        assert r.status_code == 201, r.text
        answers.append(r)
    assert answers[1].headers.get("idempotent-replayed") == "true"
    assert answers[0].json()["id"] == answers[1].json()["id"]
    docs = (
        await client.get(f"/v1/suppliers/{supplier.org_id}/documents", headers=supplier.headers)
    ).json()
    assert len(docs["items"]) == 1


async def test_the_openapi_spec_documents_the_supplier_routes(client):
    spec = (await client.get("/openapi.json")).json()
    paths = spec["paths"]
    assert "/v1/suppliers/{supplier_id}/documents" in paths
    assert (
        "multipart/form-data"
        in paths["/v1/suppliers/{supplier_id}/documents"]["post"]["requestBody"]["content"]
    )
    assert (
        paths["/v1/suppliers/{supplier_id}/approve"]["post"]["operationId"]
        == "suppliers-applications-approve"
    )

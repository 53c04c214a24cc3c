"""A supplier applies, the county's operator reviews; every step is recorded and published."""

from __future__ import annotations

from tests.factories import add_member, eventually, new_org
from tests.suppliers.helpers import (
    act,
    application_fields,
    approved_supplier,
    draft,
    outbox_events,
    submitted_supplier,
    upload,
)


async def test_cooperative_applies_and_is_approved_to_sell(client, county):
    supplier = await new_org(client, county, "supplier")
    sid = supplier.org_id

    # A draft is saved in two sittings and resumed.
    r = await client.post(
        "/v1/suppliers",
        json={"supplier_kind": "cooperative", "legal_name": "封丘县树莓种植专业合作社"},
        headers=supplier.headers,
    )
    assert r.status_code == 201, r.text
    assert r.json()["status"] == "draft" and r.json()["id"] == str(sid)
    fields = application_fields(legal_name="封丘县树莓种植专业合作社", products=["树莓"])
    del fields["supplier_kind"]
    r = await client.patch(f"/v1/suppliers/{sid}", json=fields, headers=supplier.headers)
    assert r.status_code == 200, r.text
    resumed = (await client.get(f"/v1/suppliers/{sid}", headers=supplier.headers)).json()
    assert resumed["products"] == ["树莓"]
    assert resumed["capacity"][0] == {
        "product": "金银花干花",
        "season": "summer",
        "quantity": 5000,
        "unit": "kg",
    }
    assert resumed["allowed_actions"] == ["submit"]

    # Submitting without the business licence names what is missing.
    r = await act(client, supplier, sid, "submit")
    assert r.status_code == 422
    assert r.json()["type"].endswith("/suppliers-application-incomplete")
    assert {e["field"] for e in r.json()["errors"]} == {"documents.business_licence"}

    r = await upload(
        client, supplier, sid, number="91410727MA0000001X", issuer="封丘县市场监督管理局"
    )
    assert r.status_code == 201, r.text
    assert r.json()["content_type"] == "application/pdf" and r.json()["review_status"] == "pending"
    r = await act(client, supplier, sid, "submit")
    assert r.status_code == 200 and r.json()["status"] == "submitted"

    # The operator's queue shows it, with how long it has waited.
    r = await client.get("/v1/suppliers/review-queue", headers=county.operator.headers)
    assert r.status_code == 200, r.text
    [item] = r.json()["items"]
    assert item["id"] == str(sid) and item["waiting_seconds"] >= 0
    assert item["supports_households"] is True

    # A supplier cannot review itself; the operator can.
    r = await act(client, supplier, sid, "approve")
    assert r.status_code == 403
    r = await act(client, county.operator, sid, "approve")
    assert r.status_code == 409 and r.json()["type"].endswith("/invalid-transition")
    r = await act(client, county.operator, sid, "start-review")
    assert r.status_code == 200 and r.json()["reviewer_user_id"] == str(county.operator.user_id)
    r = await act(client, county.operator, sid, "approve", {"reason": "资料齐全"})
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "approved" and r.json()["can_sell"] is True

    docs = (await client.get(f"/v1/suppliers/{sid}/documents", headers=supplier.headers)).json()
    assert [d["review_status"] for d in docs["items"]] == ["accepted"]

    history = (await client.get(f"/v1/suppliers/{sid}/history", headers=supplier.headers)).json()
    assert [(h["action"], h["actor_role"]) for h in history["items"]] == [
        ("submit", "supplier"),
        ("start_review", "operator"),
        ("approve", "operator"),
    ]
    assert history["items"][2]["actor_user_id"] == str(county.operator.user_id)
    assert history["items"][2]["reason"] == "资料齐全" and history["items"][2]["at"]

    # The approval is published through the outbox and relayed.
    async def approved_relayed():
        rows = await outbox_events(sid, "suppliers.supplier.approved")
        return rows if rows and rows[0][1] is not None else None

    [(payload, _)] = await eventually(approved_relayed)
    assert payload["region_id"] == str(county.region_id)
    assert payload["data"] == {
        "supplier_id": str(sid),
        "region_id": str(county.region_id),
        "legal_name": "封丘县树莓种植专业合作社",
        "display_name": "金银花合作社",
        "township": "应举镇",
        "supports_households": True,
        "reason": "资料齐全",
    }
    submitted = await outbox_events(sid, "suppliers.application.status_changed")
    assert [p["data"]["action"] for p, _ in submitted] == ["submit", "start_review"]


async def test_changes_requested_per_document_then_resubmitted(client, county):
    supplier, _ = await submitted_supplier(client, county)
    sid = supplier.org_id
    [licence] = (
        await client.get(f"/v1/suppliers/{sid}/documents", headers=supplier.headers)
    ).json()["items"]
    await act(client, county.operator, sid, "start-review")

    r = await act(client, county.operator, sid, "request-changes", {"reason": "请补充材料"})
    assert r.status_code == 200  # documents are optional; the reason is not
    r = await act(client, supplier, sid, "resubmit")
    assert r.status_code == 200
    await act(client, county.operator, sid, "start-review")
    r = await act(client, county.operator, sid, "request-changes", {"documents": []})
    assert r.status_code == 422  # no reason given

    r = await act(
        client,
        county.operator,
        sid,
        "request-changes",
        {
            "reason": "营业执照需更新",
            "documents": [{"document_id": licence["id"], "reason": "照片模糊，请上传清晰扫描件"}],
        },
    )
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "changes_requested"

    # The supplier sees why, per document.
    [flagged] = (
        await client.get(f"/v1/suppliers/{sid}/documents", headers=supplier.headers)
    ).json()["items"]
    assert flagged["review_status"] == "changes_requested"
    assert flagged["review_reason"] == "照片模糊，请上传清晰扫描件"
    history = (await client.get(f"/v1/suppliers/{sid}/history", headers=supplier.headers)).json()[
        "items"
    ]
    assert history[-1]["document_reasons"] == [
        {
            "document_id": licence["id"],
            "kind": "business_licence",
            "reason": "照片模糊，请上传清晰扫描件",
        }
    ]

    # Resubmitting with the flagged document still there is refused.
    r = await act(client, supplier, sid, "resubmit")
    assert r.status_code == 422
    assert any(e["code"] == "changes_requested" for e in r.json()["errors"])

    # It can edit again, replace the document, and resubmit.
    r = await client.patch(
        f"/v1/suppliers/{sid}", json={"display_name": "金银花社"}, headers=supplier.headers
    )
    assert r.status_code == 200
    r = await upload(client, supplier, sid, replaces_document_id=licence["id"])
    assert r.status_code == 201, r.text
    assert r.json()["replaces_id"] == licence["id"]
    r = await act(client, supplier, sid, "resubmit")
    assert r.status_code == 200 and r.json()["status"] == "submitted"

    queue = (await client.get("/v1/suppliers/review-queue", headers=county.operator.headers)).json()
    assert [i["id"] for i in queue["items"]] == [str(sid)]
    await act(client, county.operator, sid, "start-review")
    r = await act(client, county.operator, sid, "approve")
    assert r.status_code == 200 and r.json()["status"] == "approved"
    all_docs = (
        await client.get(
            f"/v1/suppliers/{sid}/documents",
            params={"include_superseded": "true"},
            headers=supplier.headers,
        )
    ).json()["items"]
    assert sorted(d["review_status"] for d in all_docs) == ["accepted", "superseded"]

    # An approved application is no longer edited in place.
    r = await client.patch(
        f"/v1/suppliers/{sid}", json={"display_name": "x"}, headers=supplier.headers
    )
    assert r.status_code == 409 and r.json()["type"].endswith("/suppliers-not-editable")


async def test_rejected_applicant_can_start_again(client, county):
    supplier, _ = await submitted_supplier(client, county)
    sid = supplier.org_id
    await act(client, county.operator, sid, "start-review")
    r = await act(client, county.operator, sid, "reject")
    assert r.status_code == 422  # a rejection says why
    r = await act(client, county.operator, sid, "reject", {"reason": "不在本县经营"})
    assert r.status_code == 200 and r.json()["status"] == "rejected"
    assert r.json()["status_reason"] == "不在本县经营"
    r = await act(client, supplier, sid, "reopen")
    assert r.status_code == 200 and r.json()["status"] == "draft"


async def test_operator_suspends_and_reinstates_a_supplier(client, county):
    supplier = await approved_supplier(client, county)
    sid = supplier.org_id
    r = await act(client, county.operator, sid, "suspend", {"reason": "抽检不合格"})
    assert r.status_code == 200 and r.json()["can_sell"] is False
    r = await act(client, county.operator, sid, "reinstate", {"reason": "复检合格"})
    assert r.status_code == 200 and r.json()["status"] == "approved"
    for event_type in ("suppliers.supplier.suspended", "suppliers.supplier.reinstated"):
        [(payload, _)] = await outbox_events(sid, event_type)
        assert payload["data"]["reason"] in ("抽检不合格", "复检合格")


async def test_staff_of_the_operator_without_review_role_cannot_approve(client, county):
    supplier, _ = await submitted_supplier(client, county)
    clerk = await add_member(client, county.operator, ["staff"])
    r = await act(client, clerk, supplier.org_id, "start-review")
    assert r.status_code == 403
    # ...but can read the application.
    r = await client.get(f"/v1/suppliers/{supplier.org_id}", headers=clerk.headers)
    assert r.status_code == 200


async def test_a_wrong_credit_code_check_digit_is_refused(client, county):
    supplier = await new_org(client, county, "supplier")
    r = await client.post(
        "/v1/suppliers",
        json={
            "supplier_kind": "enterprise",
            "legal_name": "某公司",
            "credit_code": "91350100M000100Y44",
        },
        headers=supplier.headers,
    )
    assert r.status_code == 422
    body = r.json()
    assert body["type"].endswith("/suppliers-invalid-credit-code")
    assert body["errors"] == [
        {
            "field": "credit_code",
            "message": "the check character (18th) does not match",
            "code": "check_digit",
        }
    ]
    r = await client.get(f"/v1/suppliers/{supplier.org_id}", headers=supplier.headers)
    assert r.status_code == 404  # nothing was created


async def test_individual_farmer_gives_an_id_number_shown_masked(client, county):
    farmer = await new_org(client, county, "supplier")
    r = await client.post(
        "/v1/suppliers",
        json={
            "supplier_kind": "individual_farmer",
            "legal_name": "张三",
            "id_number": "110105194912310021",
        },
        headers=farmer.headers,
    )
    assert r.status_code == 422 and r.json()["type"].endswith("/suppliers-invalid-id-number")
    application = await draft(
        client,
        farmer,
        supplier_kind="individual_farmer",
        legal_name="张三",
        credit_code=None,
        legal_representative=None,
        id_number="11010519491231002x",
        household_relation="is_household",
        households=[{"household_kind": "poverty_alleviated", "household_ref": "FQ-TP-0099"}],
    )
    assert application["id_number_masked"] == "1101**********002X"
    assert "id_number" not in application
    r = await upload(
        client,
        farmer,
        farmer.org_id,
        kind="compliance_certificate",
        content=b"\xff\xd8\xff\xe0" + b"0" * 100,
    )
    assert r.status_code == 201 and r.json()["content_type"] == "image/jpeg"
    r = await act(client, farmer, farmer.org_id, "submit")
    assert r.status_code == 200, r.text


async def test_a_second_application_for_the_same_organisation_is_refused(client, county):
    supplier = await new_org(client, county, "supplier")
    await draft(client, supplier)
    r = await client.post("/v1/suppliers", json=application_fields(), headers=supplier.headers)
    assert r.status_code == 409 and r.json()["type"].endswith("/suppliers-application-exists")


async def test_only_suppliers_apply(client, county):
    station = await new_org(client, county, "station")
    r = await client.post("/v1/suppliers", json=application_fields(), headers=station.headers)
    assert r.status_code == 403
    r = await client.post(
        "/v1/suppliers", json={**application_fields(), "surprise": 1}, headers=station.headers
    )
    assert r.status_code == 422


async def test_one_legal_entity_registers_once(client, county):
    first = await new_org(client, county, "supplier")
    application = await draft(client, first)
    second = await new_org(client, county, "supplier")
    r = await client.post(
        "/v1/suppliers",
        json=application_fields(credit_code=application["credit_code"]),
        headers=second.headers,
    )
    assert r.status_code == 409 and r.json()["type"].endswith("/suppliers-credit-code-taken")

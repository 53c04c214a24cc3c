"""The operator runs the document expiry check now for the region; what the supplier must
know reaches its notification inbox in identity (suppliers' and catalog's events)."""

from __future__ import annotations

import uuid

from shared.events import Event
from shared.tasks import celery_app
from tests.factories import eventually, new_county
from tests.suppliers.helpers import act, approved_supplier, in_days, upload

RUN = "/v1/suppliers/jobs/document-expiry/run"


async def inbox(client, actor, kind_prefix: str) -> list[dict]:
    r = await client.get("/v1/identity/notifications", headers=actor.headers)
    assert r.status_code == 200, r.text
    return [n for n in r.json()["items"] if n["kind"].startswith(kind_prefix)]


async def test_the_operator_runs_the_expiry_check_now_and_the_supplier_is_told(
    client, county, admin
):
    supplier = await approved_supplier(client, county, licence_valid_until=in_days(400))
    r = await upload(
        client, supplier, supplier.org_id, kind="inspection_report", valid_until=in_days(5)
    )
    assert r.status_code == 201
    body = {"region_id": str(county.region_id)}

    r = await client.post(RUN, json=body, headers=supplier.headers)
    assert r.status_code == 403
    other = await new_county(client, admin)
    r = await client.post(RUN, json=body, headers=other.operator.headers)
    assert r.status_code == 403

    r = await client.post(RUN, json=body, headers=county.operator.headers)
    assert r.status_code == 200, r.text
    assert r.json()["warnings"] == 1 and r.json()["suspended"] == []
    r = await client.post(RUN, json=body, headers=county.operator.headers)
    assert r.json()["warnings"] == 0  # a re-run adds nothing

    r = await client.get(f"/v1/suppliers/{supplier.org_id}/notifications", headers=supplier.headers)
    assert [n["kind"] for n in r.json()["items"]] == ["expires_in_7_days"]
    [notice] = await eventually(lambda: inbox(client, supplier, "document."))
    assert notice["kind"] == "document.expires_in_7_days" and "质检报告" in notice["message"]


async def test_suspension_and_a_lapsed_licence_reach_the_supplier_inbox(client, county):
    supplier = await approved_supplier(client, county)
    r = await act(client, county.operator, supplier.org_id, "suspend", {"reason": "抽检不合格"})
    assert r.status_code == 200, r.text
    [notice] = await eventually(lambda: inbox(client, supplier, "supplier.suspended"))
    assert "抽检不合格" in notice["message"]

    licence_id = uuid.uuid4()
    event = Event(
        type="catalog.licence.status_changed",
        producer="catalog",
        region_id=county.region_id,
        data={
            "licence_id": str(licence_id),
            "brand_id": str(uuid.uuid4()),
            "supplier_id": str(supplier.org_id),
            "from_status": "active",
            "to_status": "expired",
            "action": "expire",
            "reason": "授权期满",
        },
    )
    celery_app.send_task(
        "identity.handle_event", args=[event.model_dump(mode="json")], queue="identity"
    )
    [lapsed] = await eventually(lambda: inbox(client, supplier, "licence."))
    assert lapsed["kind"] == "licence.expired" and lapsed["subject_id"] == str(licence_id)
    assert "非品牌" in lapsed["message"]
    # another supplier's inbox stays empty
    stranger = await approved_supplier(client, county)
    assert await inbox(client, stranger, "licence.") == []

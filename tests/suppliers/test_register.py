"""The operator exports the county's supplier register; identity's suspensions reach suppliers."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from tests.factories import eventually, new_county, new_org
from tests.suppliers.helpers import act, approved_supplier, draft, outbox_events


async def test_operator_exports_the_register_to_xlsx(client, admin, county):
    approved = await approved_supplier(client, county)
    pending = await new_org(client, county, "supplier")
    await draft(client, pending, legal_name="封丘县封芹种植家庭农场", supplier_kind="family_farm")

    r = await client.get(
        "/v1/suppliers/register.xlsx",
        params={"region_id": str(county.region_id)},
        headers=county.operator.headers,
    )
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(r.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0].startswith("主体名称")
    by_name = {row[0]: row for row in rows[1:]}
    assert set(by_name) == {"封丘县金银花种植专业合作社", "封丘县封芹种植家庭农场"}
    assert by_name["封丘县金银花种植专业合作社"][3] == "approved"
    assert by_name["封丘县封芹种植家庭农场"][3] == "draft"
    assert approved.org_id  # the approved supplier is the first row's

    # Nobody else exports it: not the supplier, not another county's operator.
    for who in (approved, (await new_county(client, admin)).operator):
        r = await client.get(
            "/v1/suppliers/register.xlsx",
            params={"region_id": str(county.region_id)},
            headers=who.headers,
        )
        assert r.status_code == 403


async def test_suspending_the_organisation_in_identity_stops_selling(client, county):
    supplier = await approved_supplier(client, county)
    r = await client.post(
        f"/v1/identity/organisations/{supplier.org_id}/suspend",
        json={"reason": "违规经营"},
        headers=county.operator.headers,
    )
    assert r.status_code == 200, r.text

    async def suspended():
        r = await client.get(f"/v1/suppliers/{supplier.org_id}", headers=county.operator.headers)
        return r.json() if r.json()["status"] == "suspended" else None

    record = await eventually(suspended)
    assert "违规经营" in record["status_reason"]
    assert await eventually(lambda: outbox_events(supplier.org_id, "suppliers.supplier.suspended"))

    # Selling resumes only once the organisation itself is reinstated.
    r = await act(client, county.operator, supplier.org_id, "reinstate", {"reason": "整改完成"})
    assert r.status_code == 409 and r.json()["type"].endswith("/suppliers-organisation-suspended")
    r = await client.post(
        f"/v1/identity/organisations/{supplier.org_id}/reinstate",
        json={},
        headers=county.operator.headers,
    )
    assert r.status_code == 200, r.text

    async def reinstated():
        r = await act(client, county.operator, supplier.org_id, "reinstate", {"reason": "整改完成"})
        return r.json() if r.status_code == 200 else None

    assert (await eventually(reinstated))["can_sell"] is True

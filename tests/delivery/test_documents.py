"""The dispatcher prints the run manifest and the parcel labels (with QR codes)."""

from __future__ import annotations

import io

from pypdf import PdfReader

from tests.delivery.test_delivery_day import DAY, network, order_ready, station_parcels
from tests.factories import add_member, eventually


async def test_manifest_and_labels_print_for_the_run_and_only_for_its_people(client, county):
    (li, _wang), driver = await network(client, county)
    order_ready(county, li, [{"weight_g": 1_000, "volume_cm3": 1_000, "chilled": False}] * 3)

    async def arrived():
        return len(await station_parcels(client, li)) == 3

    await eventually(arrived)
    r = await client.post(
        "/v1/delivery/runs/plan",
        json={"region_id": str(county.region_id), "delivery_date": DAY.isoformat()},
        headers=county.operator.headers,
    )
    [run] = r.json()["runs"]
    for document in ("manifest.pdf", "labels.pdf"):
        r = await client.get(f"/v1/delivery/runs/{run['id']}/{document}", headers=driver.headers)
        assert r.status_code == 200, r.text
        assert r.headers["content-type"] == "application/pdf"
        assert r.content.startswith(b"%PDF")
        # Chinese names print only with an embedded CJK font (`./dev` installs one), whatever
        # its format: TrueType (/FontFile2) or CFF like Noto CJK (/FontFile3)
        assert any(f"/FontFile{n}".encode() in r.content for n in ("", "2", "3"))
        assert b"Helvetica" not in r.content
        text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(r.content)).pages)
        assert "李庄村" in text, text
    stranger = await add_member(client, county.operator, ["driver"])
    r = await client.get(f"/v1/delivery/runs/{run['id']}/labels.pdf", headers=stranger.headers)
    assert r.status_code == 404

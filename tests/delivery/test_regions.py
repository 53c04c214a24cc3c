"""Delivery learns each county's time zone from identity's organisation events."""

from __future__ import annotations

from services.delivery.db import kernel
from services.delivery.regions.service import timezone_of
from shared.db import sessionmaker_for
from tests.factories import eventually, new_county, new_org


async def test_a_countys_time_zone_reaches_delivery_when_an_organisation_is_approved(client, admin):
    county = await new_county(client, admin, timezone="Asia/Urumqi", name="测试县")
    await new_org(client, county, "station")

    async def learnt() -> bool:
        async with sessionmaker_for(kernel)() as session:
            return await timezone_of(session, county.region_id) == "Asia/Urumqi"

    await eventually(learnt, timeout=30)

"""All SQL for consignment transfers and returns."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.repository.consignment.models import (
    ConsignmentLooseUnits,
    ConsignmentReturn,
    ConsignmentTransfer,
)
from services.repository.directory.models import CatalogVariant
from services.repository.inventory.models import Warehouse
from services.repository.offers.models import Offer
from shared.pagination import ListQuery, paginate_list

# the documented sort keys of the lists and their columns (the row id breaks ties)
TRANSFER_SORTS: dict[str, Any] = {"at": ConsignmentTransfer.at}
RETURN_SORTS: dict[str, Any] = {"at": ConsignmentReturn.at}


class ConsignmentRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, obj: object) -> None:
        self.session.add(obj)
        await self.session.flush()

    async def warehouse(self, warehouse_id: uuid.UUID) -> Warehouse | None:
        return await self.session.get(Warehouse, warehouse_id)

    async def offer(self, offer_id: uuid.UUID) -> Offer | None:
        return await self.session.get(Offer, offer_id)

    async def variant(self, variant_id: uuid.UUID) -> CatalogVariant | None:
        return await self.session.get(CatalogVariant, variant_id)

    async def transfer(self, transfer_id: uuid.UUID) -> ConsignmentTransfer | None:
        return await self.session.get(ConsignmentTransfer, transfer_id)

    async def transfers_page(
        self, region_id: uuid.UUID, query: ListQuery
    ) -> tuple[list[ConsignmentTransfer], str | None]:
        return await paginate_list(
            self.session,
            select(ConsignmentTransfer).where(ConsignmentTransfer.region_id == region_id),
            query,
            sort_columns=TRANSFER_SORTS,
            id_column=ConsignmentTransfer.id,
        )

    async def last_transfer(
        self, *, region_id: uuid.UUID, product_id: uuid.UUID, warehouse_id: uuid.UUID
    ) -> ConsignmentTransfer | None:
        """The latest transfer of the product from the warehouse: its variant and case pack
        say how returned units go back into the warehouse's case stock."""
        return await self.session.scalar(
            select(ConsignmentTransfer)
            .where(
                ConsignmentTransfer.region_id == region_id,
                ConsignmentTransfer.product_id == product_id,
                ConsignmentTransfer.warehouse_id == warehouse_id,
            )
            .order_by(ConsignmentTransfer.at.desc())
            .limit(1)
        )

    async def add_loose_units(
        self, warehouse_id: uuid.UUID, variant_id: uuid.UUID, case_pack: int, units: int
    ) -> int:
        """Add returned units to the warehouse's loose units of the variant (the row stays
        locked for the transaction); returns the units held now."""
        stmt = insert(ConsignmentLooseUnits).values(
            warehouse_id=warehouse_id, variant_id=variant_id, case_pack=case_pack, units=units
        )
        held = await self.session.scalar(
            stmt.on_conflict_do_update(
                index_elements=["warehouse_id", "variant_id", "case_pack"],
                set_={
                    "units": ConsignmentLooseUnits.units + stmt.excluded.units,
                    "updated_at": stmt.excluded.updated_at,
                },
            ).returning(ConsignmentLooseUnits.units)
        )
        return int(held or 0)

    async def take_loose_units(
        self, warehouse_id: uuid.UUID, variant_id: uuid.UUID, case_pack: int, units: int
    ) -> None:
        await self.session.execute(
            update(ConsignmentLooseUnits)
            .where(
                ConsignmentLooseUnits.warehouse_id == warehouse_id,
                ConsignmentLooseUnits.variant_id == variant_id,
                ConsignmentLooseUnits.case_pack == case_pack,
            )
            .values(units=ConsignmentLooseUnits.units - units)
        )

    async def returned(self, return_id: uuid.UUID) -> ConsignmentReturn | None:
        return await self.session.get(ConsignmentReturn, return_id)

    async def returns_page(
        self, region_id: uuid.UUID, query: ListQuery
    ) -> tuple[list[ConsignmentReturn], str | None]:
        return await paginate_list(
            self.session,
            select(ConsignmentReturn).where(ConsignmentReturn.region_id == region_id),
            query,
            sort_columns=RETURN_SORTS,
            id_column=ConsignmentReturn.return_id,
        )

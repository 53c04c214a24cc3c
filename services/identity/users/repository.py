from __future__ import annotations

import uuid

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.identity.organisations.models import Organisation
from services.identity.users.models import Invitation, Membership, User
from shared.pagination import ListQuery, paginate_list

MEMBER_SORTS = {"joined_at": Membership.created_at}


class UserRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, obj: User | Membership | Invitation) -> None:
        self.session.add(obj)

    async def get(self, user_id: uuid.UUID) -> User | None:
        return await self.session.get(User, user_id)

    async def get_by_login(self, login: str) -> User | None:
        stmt = select(User).where(User.login == login.strip().lower())
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def memberships_with_orgs(
        self, user_id: uuid.UUID
    ) -> list[tuple[Membership, Organisation]]:
        stmt = (
            select(Membership, Organisation)
            .join(Organisation, Organisation.id == Membership.organisation_id)
            .where(Membership.user_id == user_id)
            .order_by(Membership.created_at)
        )
        return [(m, o) for m, o in (await self.session.execute(stmt)).all()]

    async def members_of(self, org_id: uuid.UUID) -> list[tuple[Membership, User]]:
        stmt = (
            select(Membership, User)
            .join(User, User.id == Membership.user_id)
            .where(Membership.organisation_id == org_id)
            .order_by(Membership.created_at)
        )
        return [(m, u) for m, u in (await self.session.execute(stmt)).all()]

    async def members_page(
        self, org_id: uuid.UUID, query: ListQuery
    ) -> tuple[list[tuple[Membership, User]], str | None]:
        stmt = select(Membership).where(Membership.organisation_id == org_id)
        memberships, next_cursor = await paginate_list(
            self.session, stmt, query, sort_columns=MEMBER_SORTS, id_column=Membership.id
        )
        ids = [m.user_id for m in memberships]
        users = {
            u.id: u for u in (await self.session.scalars(select(User).where(User.id.in_(ids))))
        }
        return [(m, users[m.user_id]) for m in memberships], next_cursor

    async def membership(
        self, user_id: uuid.UUID, org_id: uuid.UUID, *, for_update: bool = False
    ) -> Membership | None:
        stmt = select(Membership).where(
            Membership.user_id == user_id, Membership.organisation_id == org_id
        )
        if for_update:
            stmt = stmt.with_for_update()
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def remove_membership(self, membership_id: uuid.UUID) -> None:
        await self.session.execute(delete(Membership).where(Membership.id == membership_id))

    async def invitation_for_update(self, token_hash: str) -> Invitation | None:
        stmt = select(Invitation).where(Invitation.token_hash == token_hash).with_for_update()
        return (await self.session.execute(stmt)).scalar_one_or_none()

from __future__ import annotations

import uuid

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.identity.auth.models import AuthSession, RefreshToken
from shared.db import utcnow


class AuthRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, obj: AuthSession | RefreshToken) -> None:
        self.session.add(obj)

    async def get_session(self, session_id: uuid.UUID) -> AuthSession | None:
        return await self.session.get(AuthSession, session_id)

    async def refresh_token_for_update(self, token_hash: str) -> RefreshToken | None:
        stmt = select(RefreshToken).where(RefreshToken.token_hash == token_hash).with_for_update()
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def sessions_of(self, user_id: uuid.UUID) -> list[AuthSession]:
        stmt = (
            select(AuthSession)
            .where(AuthSession.user_id == user_id)
            .order_by(AuthSession.created_at.desc())
            .limit(100)
        )
        return list((await self.session.execute(stmt)).scalars())

    async def revoke_session(self, session_id: uuid.UUID, reason: str) -> None:
        await self.session.execute(
            update(AuthSession)
            .where(AuthSession.id == session_id, AuthSession.revoked_at.is_(None))
            .values(revoked_at=utcnow(), revoked_reason=reason)
        )

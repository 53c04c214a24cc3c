from __future__ import annotations

import secrets
import uuid
from datetime import timedelta
from functools import partial

from sqlalchemy.ext.asyncio import AsyncSession

from services.identity.auth.service import hash_token
from services.identity.organisations.service import get_visible_organisation
from services.identity.users.models import Invitation, Membership, User
from services.identity.users.passwords import hash_password, verify_password
from services.identity.users.repository import MEMBER_SORTS, UserRepository
from services.identity.users.schemas import InvitationAccept, InvitationCreate, MemberUpdate
from shared.auth import Principal
from shared.auth.access import ensure_writable
from shared.auth.roles import MANAGE_ROLES
from shared.auth.scope import ensure_acts_for_org
from shared.auth.tokens import mark_tokens_stale
from shared.db import after_commit, utcnow
from shared.errors import Conflict, NotFound, RuleViolation
from shared.events import publish
from shared.pagination import ListQuery

INVITATION_DAYS = 7
MANAGING_ROLES = MANAGE_ROLES


async def get_me(session: AsyncSession, principal: Principal) -> tuple[User, list]:
    repo = UserRepository(session)
    user = await repo.get(principal.user_id)
    if user is None:
        raise NotFound("No such user")
    return user, await repo.memberships_with_orgs(user.id)


async def invite(
    session: AsyncSession, principal: Principal, org_id: uuid.UUID, data: InvitationCreate
) -> tuple[Invitation, str]:
    org = await get_visible_organisation(session, principal, org_id)
    ensure_acts_for_org(principal, org.id, MANAGING_ROLES, what="organisation")
    if "driver" in data.roles and org.kind != "operator":
        raise RuleViolation("Drivers belong to the operator's delivery team")
    token = secrets.token_urlsafe(24)
    invitation = Invitation(
        organisation_id=org.id,
        login=data.login,
        roles=list(dict.fromkeys(data.roles)),
        token_hash=hash_token(token),
        invited_by=principal.user_id,
        expires_at=utcnow() + timedelta(days=INVITATION_DAYS),
    )
    UserRepository(session).add(invitation)
    await session.flush()
    await publish(
        session,
        "identity.user.invited",
        {"invitation_id": str(invitation.id), "organisation_id": str(org.id), "login": data.login},
        region_id=org.region_id,
    )
    return invitation, token


async def accept_invitation(session: AsyncSession, data: InvitationAccept) -> User:
    repo = UserRepository(session)
    invitation = await repo.invitation_for_update(hash_token(data.token))
    if (
        invitation is None
        or invitation.accepted_at is not None
        or invitation.expires_at <= utcnow()
    ):
        raise NotFound("This invitation does not exist, was used or has expired")
    user = await repo.get_by_login(invitation.login)
    if user is None:
        if not data.display_name:
            raise RuleViolation("A new user needs a display name")
        user = User(
            login=invitation.login,
            display_name=data.display_name,
            password_hash=hash_password(data.password),
        )
        repo.add(user)
        await session.flush()
    elif not verify_password(user.password_hash, data.password):
        raise RuleViolation("This login already exists: give its current password to accept")
    existing = await repo.membership(user.id, invitation.organisation_id)
    if existing is not None:
        existing.roles = sorted(set(existing.roles) | set(invitation.roles))
    else:
        repo.add(
            Membership(
                user_id=user.id, organisation_id=invitation.organisation_id, roles=invitation.roles
            )
        )
    invitation.accepted_at = utcnow()
    return user


MEMBER_SORT_FIELDS = tuple(MEMBER_SORTS)


async def list_members(
    session: AsyncSession, principal: Principal, org_id: uuid.UUID, query: ListQuery
) -> tuple[list[tuple[Membership, User]], str | None]:
    org = await get_visible_organisation(session, principal, org_id)
    return await UserRepository(session).members_page(org.id, query)


async def _keep_an_owner(repo: UserRepository, org_id: uuid.UUID) -> None:
    """Called before an owner is removed or loses the role."""
    owners = [m for m, _ in await repo.members_of(org_id) if "owner" in m.roles]
    if len(owners) <= 1:
        raise Conflict("An organisation keeps at least one owner")


async def change_member_roles(
    session: AsyncSession,
    principal: Principal,
    org_id: uuid.UUID,
    user_id: uuid.UUID,
    data: MemberUpdate,
) -> tuple[Membership, User]:
    """The organisation's owner or admin, or its region's operator (owner or admin), sets a
    member's roles; the member's tokens stop counting in every service once this commits
    (a refresh carries the new roles), as for a removal or a suspension."""
    org = await get_visible_organisation(session, principal, org_id)
    ensure_writable(
        principal,
        org_id=org.id,
        region_id=org.region_id,
        roles=MANAGE_ROLES,
        operator_roles=MANAGE_ROLES,
        what="organisation",
    )
    roles: list[str] = list(dict.fromkeys(data.roles))
    if "driver" in roles and org.kind != "operator":
        raise RuleViolation("Drivers belong to the operator's delivery team")
    repo = UserRepository(session)
    membership = await repo.membership(user_id, org.id, for_update=True)
    user = await repo.get(user_id) if membership is not None else None
    if membership is None or user is None:
        raise NotFound("No such member")
    if "owner" in membership.roles and "owner" not in roles:
        await _keep_an_owner(repo, org.id)
    if sorted(roles) != sorted(membership.roles):
        membership.roles = roles
        after_commit(session, partial(mark_tokens_stale, user_ids=[user_id]))
    await session.flush()
    return membership, user


async def remove_member(
    session: AsyncSession, principal: Principal, org_id: uuid.UUID, user_id: uuid.UUID
) -> None:
    org = await get_visible_organisation(session, principal, org_id)
    ensure_acts_for_org(principal, org.id, MANAGING_ROLES, what="organisation")
    repo = UserRepository(session)
    membership = await repo.membership(user_id, org.id)
    if membership is None:
        raise NotFound("No such member")
    if "owner" in membership.roles:
        await _keep_an_owner(repo, org.id)
    await repo.remove_membership(membership.id)
    # the removed member's access tokens stop working in every service once this commits
    after_commit(session, partial(mark_tokens_stale, user_ids=[user_id]))


async def ensure_platform_admin(
    session: AsyncSession, login: str, password: str, display_name: str
) -> User:
    """Bootstrap: the first platform administrator (from the command line or demo data)."""
    from services.identity.users.schemas import normalise_login

    repo = UserRepository(session)
    login = normalise_login(login)
    user = await repo.get_by_login(login)
    if user is None:
        user = User(
            login=login,
            display_name=display_name,
            password_hash=hash_password(password),
            platform_admin=True,
        )
        repo.add(user)
        await session.flush()
    else:
        user.platform_admin = True
    return user

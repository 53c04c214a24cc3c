from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends, Response

from services.identity.db import kernel
from services.identity.users import service
from services.identity.users.schemas import (
    InvitationAccept,
    InvitationCreate,
    InvitationCreated,
    Me,
    Member,
    Membership,
    MemberUpdate,
)
from shared.auth.dependencies import CurrentPrincipal
from shared.pagination import ListQuery, list_query
from shared.schemas import Page
from shared.web import SessionDep, service_router

router = service_router(kernel, prefix="/v1/identity", tags=["identity-users"])
MEMBERS_QUERY = list_query(service.MEMBER_SORT_FIELDS, default="joined_at")


@router.get("/me", response_model=Me)
async def get_me(principal: CurrentPrincipal, session: SessionDep) -> Me:
    user, memberships = await service.get_me(session, principal)
    return Me(
        id=user.id,
        login=user.login,
        display_name=user.display_name,
        platform_admin=user.platform_admin,
        memberships=[
            Membership(
                organisation_id=org.id,
                organisation_name=org.name,
                organisation_kind=org.kind,
                organisation_status=org.status,
                region_id=org.region_id,
                roles=list(m.roles),
            )
            for m, org in memberships
        ],
    )


@router.post(
    "/organisations/{org_id}/invitations", status_code=201, response_model=InvitationCreated
)
async def invite_user(
    org_id: uuid.UUID, body: InvitationCreate, principal: CurrentPrincipal, session: SessionDep
) -> InvitationCreated:
    """Invite a person (by mobile number or e-mail) to your organisation with roles."""
    invitation, token = await service.invite(session, principal, org_id, body)
    return InvitationCreated(
        id=invitation.id,
        organisation_id=invitation.organisation_id,
        login=invitation.login,
        roles=invitation.roles,
        expires_at=invitation.expires_at,
        token=token,
    )


@router.post("/invitations/accept", status_code=204)
async def accept_invitation(body: InvitationAccept, session: SessionDep) -> Response:
    """Accept an invitation: creates the user if new, then the membership."""
    await service.accept_invitation(session, body)
    return Response(status_code=204)


@router.get(
    "/organisations/{org_id}/members", response_model=Page[Member], responses={404: {}, 422: {}}
)
async def list_members(
    q: Annotated[ListQuery, Depends(MEMBERS_QUERY)],
    org_id: uuid.UUID,
    principal: CurrentPrincipal,
    session: SessionDep,
) -> Page[Member]:
    """The organisation's members, first joined first (whoever sees the organisation)."""
    rows, next_cursor = await service.list_members(session, principal, org_id, q)
    items = [
        Member(
            membership_id=m.id,
            user_id=u.id,
            login=u.login,
            display_name=u.display_name,
            roles=list(m.roles),
            joined_at=m.created_at,
        )
        for m, u in rows
    ]
    return Page[Member](items=items, next_cursor=next_cursor)


@router.patch(
    "/organisations/{org_id}/members/{user_id}",
    response_model=Member,
    responses={403: {}, 404: {}, 409: {}},
)
async def change_member_roles(
    org_id: uuid.UUID,
    user_id: uuid.UUID,
    body: MemberUpdate,
    principal: CurrentPrincipal,
    session: SessionDep,
) -> Member:
    """Set a member's roles (the organisation's owner or admin, or the region's operator).
    The member's current tokens are refused at once in every service: they refresh."""
    m, u = await service.change_member_roles(session, principal, org_id, user_id, body)
    return Member(
        membership_id=m.id,
        user_id=u.id,
        login=u.login,
        display_name=u.display_name,
        roles=list(m.roles),
        joined_at=m.created_at,
    )


@router.delete("/organisations/{org_id}/members/{user_id}", status_code=204)
async def remove_member(
    org_id: uuid.UUID, user_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep
) -> Response:
    await service.remove_member(session, principal, org_id, user_id)
    return Response(status_code=204)

"""The authorisation rule of `shared.auth.access`, decided once (pure: no stack needed).

A foreign object is a 404; 403 only when the caller can see the object or acts for its
organisation, but its role or its organisation's status forbids the action.
"""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import Column, MetaData, Table, Uuid, select

from shared.auth import (
    FINANCE_ROLES,
    OPERATOR_READ_ROLES,
    OPERATOR_WRITE_ROLES,
    Membership,
    Principal,
    acting_membership,
    ensure_readable,
    ensure_writable,
    may_read,
    readable_clause,
    scope,
)
from shared.errors import AppError, Forbidden, NotFound

REGION, OTHER_REGION = uuid.uuid4(), uuid.uuid4()
ORG, OTHER_ORG = uuid.uuid4(), uuid.uuid4()


def member(
    org_id=ORG, *, kind="station", roles=("owner",), status="active", region=REGION
) -> Membership:
    return Membership(
        org_id=org_id, org_kind=kind, region_id=region, roles=list(roles), org_status=status
    )


def who(*memberships: Membership, admin: bool = False) -> Principal:
    return Principal(user_id=uuid.uuid4(), platform_admin=admin, memberships=list(memberships))


def operator(roles=("owner",), region=REGION) -> Principal:
    return who(member(uuid.uuid4(), kind="operator", roles=roles, region=region))


def status_of(call) -> int | None:
    try:
        call()
    except AppError as exc:
        return exc.status
    return None


# ---------------------------------------------------------------- reading


def test_a_member_of_the_active_owner_reads():
    assert may_read(who(member()), org_id=ORG, region_id=REGION)
    assert status_of(lambda: ensure_readable(who(member()), org_id=ORG, region_id=REGION)) is None


def test_a_foreign_caller_gets_404_never_403():
    stranger = who(member(OTHER_ORG))
    assert not may_read(stranger, org_id=ORG, region_id=REGION)
    with pytest.raises(NotFound) as caught:
        ensure_readable(stranger, org_id=ORG, region_id=REGION, what="order")
    assert "order" in str(caught.value.detail)
    assert status_of(lambda: ensure_writable(stranger, org_id=ORG, region_id=REGION)) == 404


@pytest.mark.parametrize("status", ["pending", "suspended", "rejected"])
def test_a_member_of_an_inactive_organisation_is_told_why(status):
    caller = who(member(status=status))
    assert not may_read(caller, org_id=ORG, region_id=REGION)
    with pytest.raises(Forbidden) as caught:
        ensure_readable(caller, org_id=ORG, region_id=REGION)
    assert status in caught.value.detail
    assert caught.value.extra["org_status"] == status
    with pytest.raises(Forbidden):
        ensure_writable(caller, org_id=ORG, region_id=REGION)
    with pytest.raises(Forbidden) as acting:
        acting_membership(caller)
    assert status in acting.value.detail


def test_a_check_that_names_the_pending_status_lets_a_pending_member_through():
    """Onboarding: suppliers lets a pending organisation's members reach their own
    application; the default stays active only, and a suspended member is still refused."""
    onboarding = ("active", "pending")
    pending = who(member(status="pending"))
    assert may_read(pending, org_id=ORG, region_id=REGION, statuses=onboarding)
    ensure_readable(pending, org_id=ORG, region_id=REGION, statuses=onboarding)
    ensure_writable(pending, org_id=ORG, region_id=REGION, statuses=onboarding)
    assert acting_membership(pending, ORG, statuses=onboarding).org_id == ORG
    assert acting_membership(pending, statuses=onboarding).org_id == ORG
    assert status_of(lambda: ensure_writable(pending, org_id=ORG, region_id=REGION)) == 403

    suspended = who(member(status="suspended"))
    assert not may_read(suspended, org_id=ORG, region_id=REGION, statuses=onboarding)
    for check in (ensure_readable, ensure_writable):
        with pytest.raises(Forbidden) as caught:
            check(suspended, org_id=ORG, region_id=REGION, statuses=onboarding)
        assert caught.value.extra["org_status"] == "suspended"
    with pytest.raises(Forbidden):
        acting_membership(suspended, statuses=onboarding)

    stranger = who(member(OTHER_ORG, status="pending"))
    for check in (ensure_readable, ensure_writable):
        with pytest.raises(NotFound):
            check(stranger, org_id=ORG, region_id=REGION, statuses=onboarding)
    with pytest.raises(NotFound):
        acting_membership(stranger, ORG, statuses=onboarding)


def test_a_service_answers_a_status_refusal_its_own_way():
    def refusal(membership: Membership) -> Forbidden:
        return Forbidden(f"pending: {membership.org_status}", extra={"mine": True})

    pending = who(member(status="pending"))
    for call in (
        lambda: ensure_readable(pending, org_id=ORG, region_id=REGION, status_refusal=refusal),
        lambda: ensure_writable(pending, org_id=ORG, region_id=REGION, status_refusal=refusal),
        lambda: acting_membership(pending, ORG, status_refusal=refusal),
    ):
        with pytest.raises(Forbidden) as caught:
            call()
        assert caught.value.extra == {"mine": True}


def test_the_regions_operator_reads_but_another_regions_operator_does_not():
    assert may_read(operator(), org_id=ORG, region_id=REGION)
    assert not may_read(operator(region=OTHER_REGION), org_id=ORG, region_id=REGION)
    assert (
        status_of(
            lambda: ensure_readable(operator(region=OTHER_REGION), org_id=ORG, region_id=REGION)
        )
        == 404
    )
    # a suspended operator organisation reads nothing
    suspended = who(member(uuid.uuid4(), kind="operator", status="suspended"))
    assert not may_read(suspended, org_id=ORG, region_id=REGION)


def test_an_operator_role_outside_the_read_roles_does_not_read():
    driver = operator(roles=("driver",))
    assert not may_read(driver, org_id=ORG, region_id=REGION, operator_roles=OPERATOR_READ_ROLES)
    assert may_read(driver, org_id=ORG, region_id=REGION, operator_roles=("driver",))


def test_member_roles_narrow_reading():
    staff = who(member(roles=("staff",)))
    assert not may_read(staff, org_id=ORG, region_id=REGION, roles=FINANCE_ROLES)
    # the member sees its organisation's object: the role is what forbids it → 403
    assert (
        status_of(lambda: ensure_readable(staff, org_id=ORG, region_id=REGION, roles=FINANCE_ROLES))
        == 403
    )


def test_a_platform_admin_reads_and_writes_everything():
    admin = who(admin=True)
    assert may_read(admin, org_id=ORG, region_id=REGION)
    ensure_writable(admin, org_id=ORG, region_id=REGION, roles=FINANCE_ROLES, operator_roles=None)


# ---------------------------------------------------------------- writing


def test_a_member_writes_with_the_role_and_gets_403_without_it():
    ensure_writable(
        who(member(roles=("finance",))), org_id=ORG, region_id=REGION, roles=FINANCE_ROLES
    )
    with pytest.raises(Forbidden) as caught:
        ensure_writable(
            who(member(roles=("staff",))), org_id=ORG, region_id=REGION, roles=FINANCE_ROLES
        )
    assert "finance" in caught.value.detail


def test_an_operator_that_reads_but_may_not_write_gets_403():
    reviewer = operator(roles=("reviewer",))
    assert (
        status_of(
            lambda: ensure_writable(
                reviewer, org_id=ORG, region_id=REGION, operator_roles=OPERATOR_WRITE_ROLES
            )
        )
        == 403
    )
    ensure_writable(operator(roles=("staff",)), org_id=ORG, region_id=REGION)
    # operators may not do what only the owner does (operator_roles=None)
    assert (
        status_of(
            lambda: ensure_writable(operator(), org_id=ORG, region_id=REGION, operator_roles=None)
        )
        == 403
    )


# ---------------------------------------------------------------- acting for an organisation


def test_acting_membership_picks_the_only_matching_active_organisation():
    buying = member(kind="station")
    caller = who(buying, member(OTHER_ORG, kind="supplier"))
    assert acting_membership(caller, kinds=["station"]) == buying
    assert acting_membership(caller, ORG).org_id == ORG


def test_acting_for_a_foreign_organisation_is_404():
    with pytest.raises(NotFound):
        acting_membership(who(member()), OTHER_ORG)


def test_acting_with_the_wrong_kind_or_role_is_403():
    caller = who(member(kind="supplier", roles=("staff",)))
    assert status_of(lambda: acting_membership(caller, kinds=["station"])) == 403
    assert status_of(lambda: acting_membership(caller, ORG, kinds=["station"])) == 403
    assert status_of(lambda: acting_membership(caller, roles=FINANCE_ROLES)) == 403


def test_acting_for_one_of_several_organisations_asks_which():
    caller = who(member(), member(OTHER_ORG))
    with pytest.raises(AppError) as caught:
        acting_membership(caller, kinds=["station"])
    assert caught.value.status == 422
    assert caught.value.errors[0].field == "organisation_id"
    # a pending one does not count
    assert acting_membership(who(member(), member(OTHER_ORG, status="pending"))).org_id == ORG


# ---------------------------------------------------------------- lists


THINGS = Table(
    "things", MetaData(), Column("org_id", Uuid), Column("region_id", Uuid), Column("id", Uuid)
)


def _sql(principal: Principal) -> str:
    stmt = select(THINGS.c.id).where(
        readable_clause(principal, THINGS.c.org_id, region_column=THINGS.c.region_id)
    )
    return str(stmt.compile(compile_kwargs={"literal_binds": True}))


def test_the_list_clause_follows_the_same_rule():
    assert "false" in _sql(who(member(status="suspended"))).lower()
    assert ORG.hex in _sql(who(member())).replace("-", "")
    assert REGION.hex in _sql(operator()).replace("-", "")
    assert "WHERE true" in _sql(who(admin=True))
    # the older names still answer the same
    assert scope.visibility_clause is readable_clause

"""`StateMachine.apply` checks the table, sets the status and records who, when and why."""

from __future__ import annotations

import uuid
from types import SimpleNamespace

import pytest

from shared.db import sessionmaker_for
from shared.errors import InvalidTransition
from shared.state_machine import machine, status_history

PARCEL = machine(
    "test-parcel",
    [("packed", "ship", "shipped"), ("shipped", "deliver", "delivered")],
)


@pytest.mark.parametrize("service", ["identity", "payments"])
async def test_every_transition_is_recorded_in_the_services_kernel_table(service):
    from importlib import import_module

    kernel = import_module(f"services.{service}.db").kernel
    parcel = SimpleNamespace(id=uuid.uuid4(), status="packed")
    clerk, driver = uuid.uuid4(), uuid.uuid4()
    async with sessionmaker_for(kernel)() as session:
        assert await PARCEL.apply(session, parcel, "ship", actor_id=clerk) == "shipped"
        await PARCEL.apply(
            session, parcel, "deliver", actor_id=driver, reason="signed", data={"proof": "p1"}
        )
        assert parcel.status == "delivered"
        with pytest.raises(InvalidTransition) as refused:
            await PARCEL.apply(session, parcel, "ship", actor_id=clerk)
        assert refused.value.extra["allowed_actions"] == []
        assert parcel.status == "delivered"
        await session.commit()

    async with sessionmaker_for(kernel)() as session:
        history = await status_history(session, PARCEL, parcel.id)
    assert [(h.from_state, h.action, h.to_state, h.actor_id) for h in history] == [
        ("packed", "ship", "shipped", clerk),
        ("shipped", "deliver", "delivered", driver),
    ]
    assert history[1].reason == "signed" and history[1].data == {"proof": "p1"}
    assert history[0].at <= history[1].at and history[0].at.tzinfo is not None


async def test_another_field_and_an_explicit_entity_id():
    from services.identity.db import kernel

    review = SimpleNamespace(key="order-7", review_state="packed")
    async with sessionmaker_for(kernel)() as session:
        await PARCEL.apply(
            session, review, "ship", actor_id=None, field="review_state", entity_id=review.key
        )
        history = await status_history(session, "test-parcel", "order-7")
    assert review.review_state == "shipped"
    assert [(h.to_state, h.actor_id) for h in history] == [("shipped", None)]


async def test_many_changes_recorded_at_once_from_ids_or_from_a_select():
    """record_many: what a set-based statement moved, one INSERT … SELECT of rows."""
    from sqlalchemy import literal, select, union_all

    from services.identity.db import kernel

    ids = [uuid.uuid4() for _ in range(3)]
    more = [uuid.uuid4() for _ in range(2)]
    clerk = uuid.uuid4()
    async with sessionmaker_for(kernel)() as session:
        assert (
            await PARCEL.record_many(session, ids, "packed", "ship", actor_id=clerk, reason="batch")
            == "shipped"
        )
        await PARCEL.record_many(session, [], "packed", "ship", actor_id=clerk)
        chosen = union_all(*(select(literal(str(i)).label("id")) for i in more))
        await PARCEL.record_many(
            session, select(chosen.subquery()), "shipped", "deliver", actor_id=None
        )
        with pytest.raises(InvalidTransition):
            await PARCEL.record_many(session, ids, "delivered", "ship", actor_id=clerk)
        recorded = {i: await status_history(session, PARCEL, i) for i in ids + more}
    for i in ids:
        [change] = recorded[i]
        assert (change.from_state, change.to_state, change.actor_id, change.reason) == (
            "packed",
            "shipped",
            clerk,
            "batch",
        )
    for i in more:
        [change] = recorded[i]
        assert (change.action, change.to_state, change.actor_id) == ("deliver", "delivered", None)

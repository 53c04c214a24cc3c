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

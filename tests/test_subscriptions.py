"""SUBSCRIPTIONS and each service's handlers agree: every type a service is sent has a
handler there, and every handler's type is sent to it (pure)."""

from __future__ import annotations

import importlib

import pytest

from gateway.services import installed_services
from shared.events import SUBSCRIPTIONS


def handled_types(service: str) -> set[str]:
    return importlib.import_module(f"services.{service}.events").handlers.event_types


def subscribed_types(service: str) -> set[str]:
    return {t for t, consumers in SUBSCRIPTIONS.items() if service in consumers}


@pytest.mark.parametrize("service", installed_services())
def test_every_subscribed_type_has_a_handler(service):
    assert subscribed_types(service) - handled_types(service) == set()


@pytest.mark.parametrize("service", installed_services())
def test_every_handler_is_subscribed(service):
    assert handled_types(service) - subscribed_types(service) == set()


def test_consumers_are_services():
    consumers = {c for cs in SUBSCRIPTIONS.values() for c in cs}
    assert consumers <= set(installed_services())

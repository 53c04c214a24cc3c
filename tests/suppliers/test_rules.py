"""Onboarding rules that need no database: the lifecycle table, required documents, expiry."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.suppliers.applications.rules import (
    SUPPLIER_LIFECYCLE,
    DocumentState,
    lapsed_required_kinds,
    required_document_kinds,
)
from services.suppliers.expiry.rules import warning_due
from shared.errors import InvalidTransition

TODAY = date(2026, 11, 28)


def test_the_review_path_and_its_dead_ends():
    path = [
        "submit",
        "start_review",
        "request_changes",
        "resubmit",
        "start_review",
        "approve",
        "suspend",
        "reinstate",
    ]
    state = "draft"
    for action in path:
        state = SUPPLIER_LIFECYCLE.next_state(state, action)
    assert state == "approved"
    with pytest.raises(InvalidTransition):
        SUPPLIER_LIFECYCLE.next_state("draft", "approve")  # never approved unseen
    with pytest.raises(InvalidTransition):
        SUPPLIER_LIFECYCLE.next_state("submitted", "approve")  # review first
    assert SUPPLIER_LIFECYCLE.allowed_actions("under_review") == [
        "approve",
        "reject",
        "request_changes",
    ]


def test_required_documents_depend_on_the_kind_of_supplier():
    assert required_document_kinds("cooperative", False) == {"business_licence"}
    assert required_document_kinds("enterprise", True) == {
        "business_licence",
        "food_production_licence",
    }
    assert required_document_kinds("individual_farmer", False) == {"compliance_certificate"}


def test_a_replaced_or_expired_document_does_not_count():
    docs = [
        DocumentState("business_licence", TODAY - timedelta(days=1), "accepted"),
        DocumentState("business_licence", None, "changes_requested"),
    ]
    assert lapsed_required_kinds("cooperative", False, docs, TODAY) == ["business_licence"]
    docs.append(DocumentState("business_licence", TODAY, "pending"))
    assert lapsed_required_kinds("cooperative", False, docs, TODAY) == []


def test_warnings_fall_in_their_windows():
    assert warning_due(TODAY + timedelta(days=31), TODAY) is None
    assert warning_due(TODAY + timedelta(days=30), TODAY) == "expires_in_30_days"
    assert warning_due(TODAY + timedelta(days=8), TODAY) == "expires_in_30_days"
    assert warning_due(TODAY + timedelta(days=7), TODAY) == "expires_in_7_days"
    assert warning_due(TODAY, TODAY) == "expires_in_7_days"
    assert warning_due(TODAY - timedelta(days=1), TODAY) == "expired"
    assert warning_due(None, TODAY) is None


@given(st.integers(-400, 400))
def test_a_document_is_warned_at_most_in_order_30_then_7_then_expired(days_left):
    """Walking day by day towards expiry, the warnings only ever get more urgent."""
    order = [None, "expires_in_30_days", "expires_in_7_days", "expired"]
    until = TODAY + timedelta(days=days_left)
    seen = [order.index(warning_due(until, TODAY + timedelta(days=d))) for d in range(0, 50)]
    assert seen == sorted(seen)

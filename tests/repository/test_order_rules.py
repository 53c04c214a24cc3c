import pytest

from services.repository.orders.lifecycle import ORDER
from services.repository.orders.validation import LineRequest, OfferTerms, order_problems
from shared.errors import InvalidTransition

TERMS = OfferTerms(
    open_to_buyer=True,
    selling=True,
    min_order_cases=5,
    multiple_cases=5,
    available_cases=10,
    price_fen_per_case=12_000,
)


def test_every_broken_rule_is_reported_at_once():
    problems = order_problems(
        [LineRequest("a", 3), LineRequest("a", 15), LineRequest("missing", 5)],
        {"a": TERMS},
        payment_method="card",
        allowed_methods={"credit"},
        credit_limit_fen=0,
        credit_used_fen=0,
    )
    assert problems == {
        "lines.0.cases": ["below_minimum_order", "not_a_multiple"],
        "lines.1.cases": ["insufficient_stock"],
        "lines.2.offer_id": ["offer_not_available"],
        "payment_method": ["payment_method_not_allowed"],
    }


def test_credit_order_over_the_limit_is_refused():
    problems = order_problems(
        [LineRequest("a", 10)],
        {"a": TERMS},
        payment_method="credit",
        allowed_methods={"credit"},
        credit_limit_fen=150_000,
        credit_used_fen=50_000,
    )
    assert problems == {"payment_method": ["credit_limit_exceeded"]}


def test_cancelling_after_consolidation_is_not_allowed():
    assert ORDER.next_state("placed", "cancel") == "cancelled"
    with pytest.raises(InvalidTransition):
        ORDER.next_state("consolidated", "cancel")

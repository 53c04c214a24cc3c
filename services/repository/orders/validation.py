"""Rules a bulk order line must meet; every problem is reported at once."""

from dataclasses import dataclass

from services.repository.offers.rules import price_for


@dataclass(frozen=True)
class OfferTerms:
    open_to_buyer: bool
    selling: bool
    min_order_cases: int
    multiple_cases: int
    available_cases: int | None  # None: made to order, no stock check
    price_fen_per_case: int
    # The offer's quantity tiers ({"min_cases", "price_fen"} per case, rising); when
    # given, the price per case depends on how many cases the line asks for.
    price_tiers: tuple[dict, ...] = ()


def unit_price_fen(terms: OfferTerms, cases: int) -> int:
    """The per-case price for a line of `cases`."""
    return price_for(terms.price_tiers, cases) if terms.price_tiers else terms.price_fen_per_case


OFFER_PROBLEMS = frozenset({"offer_not_available", "offer_not_selling"})


@dataclass(frozen=True)
class LineRequest:
    offer_id: str
    cases: int


def line_problems(line: LineRequest, terms: OfferTerms | None) -> list[str]:
    """Codes of the rules one line breaks (empty when it may be placed)."""
    if terms is None or not terms.open_to_buyer:
        return ["offer_not_available"]
    problems = []
    if not terms.selling:
        problems.append("offer_not_selling")
    if line.cases < terms.min_order_cases:
        problems.append("below_minimum_order")
    if line.cases % terms.multiple_cases:
        problems.append("not_a_multiple")
    if terms.available_cases is not None and line.cases > terms.available_cases:
        problems.append("insufficient_stock")
    return problems


def order_problems(
    lines: list[LineRequest],
    terms_by_offer: dict[str, OfferTerms],
    payment_method: str,
    allowed_methods: set[str],
    credit_limit_fen: int,
    credit_used_fen: int,
) -> dict[str, list[str]]:
    """Field path -> problem codes for the whole order; empty means placeable."""
    problems: dict[str, list[str]] = {}
    total_fen = 0
    for index, line in enumerate(lines):
        terms = terms_by_offer.get(line.offer_id)
        found = line_problems(line, terms)
        for code in found:
            # the offer itself is wrong, or the quantity asked of it: point at that field
            field = "offer_id" if code in OFFER_PROBLEMS else "cases"
            problems.setdefault(f"lines.{index}.{field}", []).append(code)
        if not found and terms is not None:
            total_fen += line.cases * unit_price_fen(terms, line.cases)
    if payment_method not in allowed_methods:
        problems["payment_method"] = ["payment_method_not_allowed"]
    elif payment_method == "credit" and credit_used_fen + total_fen > credit_limit_fen:
        problems["payment_method"] = ["credit_limit_exceeded"]
    return problems


def describe(code: str, line: LineRequest | None = None, terms: OfferTerms | None = None) -> str:
    """A human sentence for a problem code, with the numbers the buyer needs to fix it."""
    if terms is not None and line is not None:
        if code == "below_minimum_order":
            return f"Order at least {terms.min_order_cases} cases (asked for {line.cases})"
        if code == "not_a_multiple":
            return f"Order in multiples of {terms.multiple_cases} cases"
        if code == "insufficient_stock":
            return f"Only {max(terms.available_cases or 0, 0)} cases are available"
    return MESSAGES.get(code, code.replace("_", " "))


MESSAGES = {
    "offer_not_available": "This offer does not exist or is not open to your organisation",
    "offer_not_selling": "This offer is not on sale right now",
    "below_minimum_order": "Below the minimum order",
    "not_a_multiple": "Not a multiple of the order step",
    "insufficient_stock": "Not enough stock is available",
    "payment_method_not_allowed": "Your account may not pay this way",
    "credit_limit_exceeded": "The order would take your account over its credit limit",
}

"""The pure rules: licence coverage, review machine, certificate holds, import plan, search,
categories, pinyin and the fallback's trigram similarity."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.catalog.brands.rules import LICENCE_MACHINE, LicenceView, covering_licence
from services.catalog.categories.rules import CATEGORY_MACHINE, category_errors, renamed
from services.catalog.certificates.rules import (
    CertificateView,
    lapsed_kinds,
    valid_kinds,
    warning_due,
)
from services.catalog.products import rules
from services.catalog.products.importer import Row, plan
from services.catalog.products.pinyin import name_pinyin, search_terms
from services.catalog.search.documents import (
    SearchQuery,
    expand_term,
    meili_filter,
    price_band,
    synonyms,
)
from services.catalog.search.matching import (
    fuzzy_values,
    haystack,
    query_terms,
    score,
    word_similarity,
)
from shared.errors import InvalidTransition

TODAY = date(2026, 11, 28)
PRODUCT = uuid.uuid4()


def licence(status="active", start=-10, end=10, products=(PRODUCT,)) -> LicenceView:
    return LicenceView(
        uuid.uuid4(),
        status,
        TODAY + timedelta(days=start),
        TODAY + timedelta(days=end),
        frozenset(str(p) for p in products),
    )


def test_only_an_active_licence_in_its_period_naming_the_product_covers_it():
    assert covering_licence([licence()], PRODUCT, TODAY) is not None
    assert covering_licence([licence("suspended")], PRODUCT, TODAY) is None
    assert covering_licence([licence(end=-1)], PRODUCT, TODAY) is None
    assert covering_licence([licence(start=1)], PRODUCT, TODAY) is None
    assert covering_licence([licence(products=())], PRODUCT, TODAY) is None


@given(st.lists(st.sampled_from(["active", "suspended", "expired", "revoked"]), max_size=6))
def test_a_product_is_branded_iff_some_licence_is_active(statuses):
    found = covering_licence([licence(s) for s in statuses], PRODUCT, TODAY)
    assert (found is not None) == ("active" in statuses)


def test_licence_machine_restores_suspended_and_renews_expired_but_revoked_is_final():
    assert LICENCE_MACHINE.next_state("suspended", "reinstate") == "active"
    assert LICENCE_MACHINE.next_state("expired", "renew") == "active"
    assert LICENCE_MACHINE.allowed_actions("revoked") == []
    with pytest.raises(InvalidTransition):
        LICENCE_MACHINE.next_state("revoked", "reinstate")


@given(
    st.sampled_from(sorted(rules.REVIEW_MACHINE.states())),
    st.booleans(),
    st.booleans(),
)
def test_on_sale_needs_approval_a_sellable_supplier_and_no_hold(status, sellable, hold):
    assert rules.on_sale(status, sellable, hold) == (status == "approved" and sellable and not hold)


def test_review_paths():
    m = rules.REVIEW_MACHINE
    assert m.next_state("draft", "submit") == "submitted"
    assert m.next_state("submitted", "request_changes") == "changes_requested"
    assert m.next_state("changes_requested", "submit") == "submitted"
    assert m.next_state("submitted", "reject") == "rejected"
    with pytest.raises(InvalidTransition):
        m.next_state("draft", "approve")


cert_strategy = st.builds(
    CertificateView,
    kind=st.sampled_from(["inspection_report", "compliance_certificate", "organic"]),
    required=st.booleans(),
    valid_from=st.none() | st.dates(date(2025, 1, 1), date(2027, 12, 31)),
    valid_until=st.none() | st.dates(date(2025, 1, 1), date(2027, 12, 31)),
)


@given(st.lists(cert_strategy, max_size=8))
def test_a_hold_names_exactly_the_required_kinds_without_a_valid_certificate(certs):
    lapsed = set(lapsed_kinds(certs, TODAY))
    valid = set(valid_kinds(certs, TODAY))
    required = {c.kind for c in certs if c.required}
    assert lapsed == required - valid
    # Adding a valid renewal of every lapsed kind lifts the hold.
    renewals = [CertificateView(k, True, None, TODAY + timedelta(days=1)) for k in lapsed]
    assert lapsed_kinds([*certs, *renewals], TODAY) == []


def test_warnings_30_and_7_days_ahead():
    assert warning_due(TODAY + timedelta(days=31), TODAY) is None
    assert warning_due(TODAY + timedelta(days=30), TODAY) == "expires_in_30_days"
    assert warning_due(TODAY + timedelta(days=7), TODAY) == "expires_in_7_days"
    assert warning_due(TODAY - timedelta(days=1), TODAY) is None


def test_import_plan_groups_variants_and_keeps_errors_on_their_rows():
    base = {"name": "果酱", "category": "树莓", "unit": "瓶", "variant_name": "250g"}
    rows = [
        Row(2, {**base, "sku": "A"}),
        Row(3, {**base, "sku": "B", "grade": "特级"}),
        Row(4, {**base, "sku": "A", "grade": "一级"}),
    ]
    planned = plan(rows)
    assert len(planned) == 1 and len(planned[0].variants) == 3
    assert rows[0].errors == [] and rows[1].errors == []
    assert {e.field for e in rows[2].errors} == {"sku", "grade"}


def test_synonyms_are_symmetric_and_the_fallback_uses_them():
    table = synonyms()
    for word, others in table.items():
        for other in others:
            assert word in table[other]
    assert "忍冬" in expand_term("金银花")
    assert matches("封丘金银花茶", "忍冬")
    assert matches("封丘树莓果酱", "覆盆子 果酱")
    assert not matches("封丘芹菜", "树莓")


def matches(name: str, q: str, pinyin: str | None = None) -> bool:
    return score(query_terms(q), haystack([name, pinyin]), fuzzy_values(pinyin, None)) is not None


# word_similarity as PostgreSQL 15's pg_trgm 1.6 answered for these pairs.
PG_TRGM = [
    ("jinyinhau", "fengqiu jinyinhua cha", 0.7),
    ("jinyinhua", "jin yin hua", 0.4),
    ("jinyihua", "fengqiu jinyinhua cha", 0.5833333),
    ("word", "two words", 0.8),
    ("shumei", "fengqiu jinyinhua cha", 0.0),
    ("lengdongshumeijiang", "lengdong shumei", 0.59090906),
    ("honeysukle", "fengqiu honeysuckle tea", 0.64285713),
    ("fengqin", "feng qin", 0.54545456),
    ("jinyinhua", "fengqiujinyinhuacha", 0.7),
    ("fupnezi", "lengdong fupenzi", 0.375),
    ("abab", "ab ab abab", 1.0),
]


@pytest.mark.parametrize(("needle", "text", "expected"), PG_TRGM)
def test_fallback_similarity_is_pg_trgm_word_similarity(needle, text, expected):
    assert word_similarity(needle, text) == pytest.approx(expected, abs=1e-6)


def test_fallback_finds_misspelt_pinyin_homophones_and_partial_names():
    tea = "fengqiu jinyinhua cha"
    assert matches("封丘金银花茶", "jinyinhau", tea)  # misspelt pinyin (0.7)
    assert matches("封丘金银花茶", "金银化", tea)  # homophone typed with the wrong character
    assert matches("封丘金银花茶", "金银", tea)  # part of the name
    assert not matches("封丘金银花茶", "shumei", tea)
    assert matches("冷冻树莓", "树霉", "lengdong shumei")  # 霉 typed for 莓
    # One character has too many homophones to be compared by its pinyin.
    assert not matches("柴油", "茶", "chaiyou")
    # Short words match only as typed ("chi" is 0.5 like "chaiyou" by trigrams).
    assert word_similarity("chi", "chaiyou") == 0.5 and not matches("柴油", "chi", "chaiyou")
    assert matches("封丘金银花茶", "茶", tea)
    exact = score(query_terms("jinyinhua"), haystack([tea]), fuzzy_values(tea, None))
    typo = score(
        query_terms("jinyinhua"), haystack(["jinyinhau cha"]), fuzzy_values("jinyinhau cha", None)
    )
    assert exact == 1.0 and typo is not None and typo < exact


def test_pinyin_of_a_chinese_name_word_by_word_with_initials():
    tea = name_pinyin("封丘金银花茶")
    assert tea.full == "fengqiu jinyinhua cha" and tea.initials == "fqjyhc"
    assert name_pinyin("冷冻覆盆子").full == "lengdong fupenzi"
    assert name_pinyin("长垣重阳木").full.endswith("chongyang mu")  # polyphone in context
    assert name_pinyin("绿豆").full == "lvdou"
    assert name_pinyin("银行卡 ABC 2号").full == "yinhangka abc 2 hao"
    assert name_pinyin("封芹（地理标志）").initials == "fqdlbz"
    long = name_pinyin("金银花" * 66)
    assert len(long.full) <= 300 and len(long.initials) <= 200
    terms = search_terms("封丘金银花茶")
    assert "jinyinhuacha" in terms["pinyin_suffixes"] and "jyhc" in terms["initials_suffixes"]


def test_category_machine_and_which_names_a_write_may_use():
    assert CATEGORY_MACHINE.next_state("active", "retire") == "retired"
    assert CATEGORY_MACHINE.next_state("retired", "reinstate") == "active"
    with pytest.raises(InvalidTransition):
        CATEGORY_MACHINE.next_state("retired", "retire")
    errors = category_errors(
        "categories", ["树莓", "辣椒", "家电"], {"树莓"}, {"家电"}, indexed=True
    )
    assert [(e.field, e.code) for e in errors] == [
        ("categories.1", "unknown_category"),
        ("categories.2", "retired_category"),
    ]
    # What the object already carries may stay once retired.
    assert category_errors("category", ["家电"], set(), {"家电"}, kept=["家电"]) == []
    assert renamed(["芹菜", "树莓", "封芹"], "芹菜", "封芹") == ["封芹", "树莓"]


def test_filters_quote_values_and_price_bands():
    clauses = meili_filter(SearchQuery(region_id="r", brand='a"b', price_min=100))
    assert 'brand = "a\\"b"' in clauses and "price_fen >= 100" in clauses
    assert price_band(1999) == "0-20" and price_band(20000) == "200+" and price_band(None) is None

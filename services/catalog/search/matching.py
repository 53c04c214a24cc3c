"""Matching for the PostgreSQL fallback (pure): query terms with synonyms and pinyin, and a
pg_trgm-compatible word similarity for servers without the extension.

A term matches a product when one of its spellings is a substring of the product's text
(score 1) or is close to the product's pinyin or English name by trigram word similarity
(pg_trgm's `word_similarity`, score = the similarity). A Chinese term is also compared by
its pinyin, so a homophone typo (金银化) or a partial name still finds 金银花.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from services.catalog.products.pinyin import HAN, has_han, name_pinyin
from services.catalog.search.documents import expand_term

# A term closer than this (pg_trgm's word_similarity) to the product's pinyin or English
# name matches: "jinyinhau" for "jinyinhua" scores 0.7, an unrelated word about 0.1.
TRIGRAM_THRESHOLD = 0.5
MIN_FUZZY_LENGTH = 4

# Product text searched by substring, in this order (variant names are added after).
TEXT_FIELDS = (
    "name",
    "category",
    "brand_name",
    "pinyin",
    "pinyin_initials",
    "name_en",
    "origin_township",
    "origin_village",
    "description",
)

WORD = re.compile(r"[0-9a-z]+")


@dataclass(frozen=True)
class Term:
    """One word of the query: what to look for as a substring, and Latin spellings to
    compare by trigrams."""

    alternatives: tuple[str, ...]
    spellings: tuple[str, ...]


def query_terms(q: str) -> list[Term]:
    terms = []
    for word in q.lower().split():
        alternatives = tuple(dict.fromkeys(a.lower() for a in expand_term(word)))
        spellings: list[str] = []
        for alternative in alternatives:
            if len(HAN.findall(alternative)) >= 2:
                # One character has too many homophones (茶 cha would find 柴油 chaiyou).
                spellings.append("".join(name_pinyin(alternative).syllables))
            elif not has_han(alternative):
                spellings.append(alternative)
        # Like Meilisearch (one typo from 4 letters): shorter words match only as typed.
        spellings = [s for s in dict.fromkeys(spellings) if len(s) >= MIN_FUZZY_LENGTH]
        terms.append(Term(alternatives, tuple(spellings)))
    return terms


def haystack(values: Iterable[str | None]) -> str:
    """The text searched by substring (search.repository builds the same in SQL)."""
    return " ".join((v or "").lower() for v in values)


def fuzzy_values(pinyin: str | None, name_en: str | None) -> list[str]:
    """Short Latin text compared by trigrams: pinyin, pinyin without spaces, English."""
    lowered = (pinyin or "").lower()
    return [lowered, lowered.replace(" ", ""), (name_en or "").lower()]


def _trigram_sequence(text: str) -> list[str]:
    """pg_trgm's trigrams in order: each word padded with two blanks before, one after."""
    result: list[str] = []
    for word in WORD.findall(text.lower()):
        padded = f"  {word} "
        result.extend(padded[i : i + 3] for i in range(len(padded) - 2))
    return result


def word_similarity(needle: str, text: str) -> float:
    """pg_trgm word_similarity: the best match between the needle's trigrams and any
    continuous extent of the text's trigrams, shared / (needle + extent - shared), counting
    distinct trigrams."""
    wanted = set(_trigram_sequence(needle))
    if not wanted:
        return 0.0
    sequence = _trigram_sequence(text)
    best = 0.0
    # An extent worth having starts and ends on a shared trigram.
    for start, first in enumerate(sequence):
        if first not in wanted:
            continue
        seen: set[str] = set()
        shared = 0
        for trigram in sequence[start:]:
            if trigram not in seen:
                seen.add(trigram)
                shared += trigram in wanted
            if trigram in wanted:
                best = max(best, shared / (len(wanted) + len(seen) - shared))
    return best


def term_score(term: Term, text: str, fuzzy: Sequence[str]) -> float:
    if any(alternative in text for alternative in term.alternatives):
        return 1.0
    return max(
        (word_similarity(s, f) for s in term.spellings for f in fuzzy if f),
        default=0.0,
    )


def score(terms: Sequence[Term], text: str, fuzzy: Sequence[str]) -> float | None:
    """The mean term score, or None when a term does not match at all."""
    scores = [term_score(term, text, fuzzy) for term in terms]
    if any(s < TRIGRAM_THRESHOLD for s in scores):
        return None
    return sum(scores) / len(scores) if scores else 0.0

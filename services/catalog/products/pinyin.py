"""Pinyin of a Chinese product name (pure): words from rjieba (the jieba segmenter Meilisearch
itself uses), readings from pypinyin, whose phrase table picks the reading of a polyphone in
context (重阳 chongyang, 银行 yinhang). Digits and Latin words are kept, lower-cased."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
LATIN = re.compile(r"[0-9a-z]+")
FULL_MAX = 300  # products.pinyin
INITIALS_MAX = 200  # products.pinyin_initials


@dataclass(frozen=True)
class NamePinyin:
    words: tuple[tuple[str, ...], ...]  # syllables per word: (("feng", "qiu"), ("jin", ...))

    @property
    def full(self) -> str:
        """Word by word, e.g. "fengqiu jinyinhua cha" (what a buyer types)."""
        text = " ".join("".join(word) for word in self.words)
        return text[:FULL_MAX].rsplit(" ", 1)[0] if len(text) > FULL_MAX else text

    @property
    def initials(self) -> str:
        """First letter of every syllable, e.g. "fqjyhc"."""
        return "".join(s[0] for word in self.words for s in word)[:INITIALS_MAX]

    @property
    def syllables(self) -> tuple[str, ...]:
        return tuple(s for word in self.words for s in word)


def _word_syllables(word: str) -> tuple[str, ...]:
    from pypinyin import Style, lazy_pinyin  # lazily: keeps the app's start-up light

    if HAN.search(word):
        readings = lazy_pinyin(word, style=Style.NORMAL, errors="ignore")
        return tuple(r.lower() for r in readings if LATIN.fullmatch(r.lower()))
    # A Latin word or a number is one "syllable": its initial is its first character.
    return tuple(LATIN.findall(word.lower()))


@lru_cache(maxsize=4096)
def name_pinyin(name: str) -> NamePinyin:
    import rjieba  # lazily: keeps the app's start-up light

    words = []
    for token in rjieba.cut(name):
        syllables = _word_syllables(token)
        if syllables:
            words.append(syllables)
    return NamePinyin(tuple(words))


def has_han(text: str) -> bool:
    return bool(HAN.search(text))


def suffixes(text: str, starts: list[int], min_length: int = 2) -> list[str]:
    return [text[i:] for i in starts if len(text) - i >= min_length]


def search_terms(name: str) -> dict[str, list[str]]:
    """What the index holds so that pinyin typed from any syllable on matches by prefix:
    "jyh" (金银花) is a prefix of the initials suffix "jyhc", "yinhua" of "yinhuacha"."""
    reading = name_pinyin(name)
    syllables = reading.syllables
    joined = "".join(syllables)
    starts, at = [], 0
    for syllable in syllables:
        starts.append(at)
        at += len(syllable)
    return {
        "pinyin_suffixes": suffixes(joined, starts),
        "initials_suffixes": suffixes(reading.initials, list(range(len(syllables)))),
    }

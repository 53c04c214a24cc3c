"""Address matching: names, aliases, near-misses and free text; ambiguity goes to a person."""

from __future__ import annotations

import uuid

from services.delivery.addresses import StationPlace, match_station

LI = StationPlace(uuid.uuid4(), "城关镇", "李庄村", ("李家庄",))
WANG = StationPlace(uuid.uuid4(), "城关镇", "王庄村")
LI_OTHER = StationPlace(uuid.uuid4(), "陈固镇", "李庄村")
PLACES = [LI, WANG, LI_OTHER]


def test_township_and_village_names_pick_the_station():
    assert match_station(PLACES, "城关镇", "李庄村", None) == LI
    assert match_station(PLACES, "陈固", "李庄", None) == LI_OTHER


def test_an_alias_matches():
    assert match_station(PLACES, "城关镇", "李家庄", None) == LI


def test_a_near_miss_matches_fuzzily_within_the_township():
    assert match_station(PLACES, "城关镇", "王庄", None) == WANG
    assert match_station(PLACES, "城关镇", "王家庄村", None) == WANG


def test_the_village_is_found_in_free_text():
    assert match_station(PLACES, "城关镇", None, "河南省新乡市封丘县城关镇王庄村东头3号") == WANG


def test_an_ambiguous_or_unknown_address_is_left_for_review():
    assert match_station(PLACES, None, "李庄村", None) is None
    assert match_station(PLACES, "城关镇", "赵庄", "无此地址") is None

"""The niche taxonomy and the mapping of sources' labels onto it."""

from __future__ import annotations

import re

import pytest

from kolscope.core.discovery.niches import NICHES, TAXONOMY, niche_for_label

HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize(("label", "key"), [
    # the nine categories of the shared Instagram influencer dataset
    ("fashion", "fashion"),
    ("beauty", "beauty"),
    ("travel", "travel"),
    ("family", "parenting"),
    ("food", "food"),
    ("interior", "home"),
    ("fitness", "fitness"),
    ("pet", "pets"),
    ("other", "other"),
])
def test_shared_dataset_categories_map_onto_the_taxonomy(label: str, key: str) -> None:
    assert niche_for_label(label) == key


@pytest.mark.parametrize(("label", "key"), [
    ("fasion", "fashion"),        # a typo in the shared dataset
    ("fashion 0.5", "fashion"),   # a trailing score
    ("fitnes", "fitness"),
    ("travl", "travel"),
    ("interiors", "home"),
    ("makeup artist", "beauty"),  # the first word decides
    ("Fashion/Beauty", "fashion"),
])
def test_garbled_labels_map_to_the_closest_niche(label: str, key: str) -> None:
    assert niche_for_label(label) == key


@pytest.mark.parametrize("label", ["by", "by 0.5", "xy", "", "   ", "quantum", "kpop"])
def test_labels_that_cannot_be_told_map_to_none(label: str) -> None:
    assert niche_for_label(label) is None


def test_no_label_maps_to_none() -> None:
    assert niche_for_label(None) is None


@pytest.mark.parametrize(("label", "key"), [
    ("时尚", "fashion"),
    ("穿搭", "fashion"),
    ("美妆", "beauty"),
    ("美妆护肤", "beauty"),
    ("科技数码", "technology"),
    ("旅游", "travel"),
    ("美食", "food"),
    ("母婴", "parenting"),
    ("萌宠", "pets"),
    ("家居", "home"),
    ("其他", "other"),
])
def test_chinese_labels(label: str, key: str) -> None:
    assert niche_for_label(label) == key


def test_case_and_surrounding_space_do_not_matter() -> None:
    assert niche_for_label("  FASHION ") == "fashion"
    assert niche_for_label("Beauty and skincare") == "beauty"


def test_taxonomy_has_at_least_20_niches_each_with_a_chinese_label() -> None:
    assert len(TAXONOMY) >= 20
    for niche in TAXONOMY:
        assert niche.label
        assert HAN.search(niche.label_zh), niche.key


def test_keys_are_unique_and_indexed() -> None:
    assert len(NICHES) == len(TAXONOMY)
    assert NICHES["home"].label_zh == "家居"


def test_every_name_of_a_niche_maps_back_to_it() -> None:
    # no alias is shadowed by another niche's name or alias
    for niche in TAXONOMY:
        for name in (niche.key, niche.label, niche.label_zh, *niche.aliases):
            assert niche_for_label(name) == niche.key, name

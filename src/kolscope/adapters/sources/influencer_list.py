"""Influencer lists in the shape of the shared dataset's ``influencers.tsv``.

Columns ``Username, Category, #Followers, #Followees, #Posts``, tab-separated, with an optional
ruler line of ``=`` under the header. Categories are kept as given and mapped to the niche taxonomy,
tolerating typos; a label that cannot be mapped leaves the niche empty rather than rejecting a
well-formed row.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

from pydantic import ValidationError

from kolscope.adapters.sources._files import FileSource, checked_rows, open_binary
from kolscope.app.imports import Item
from kolscope.core.platforms import Platform, parse_platform
from kolscope.core.records import AccountRecord, Rejected, SourceLocation
from kolscope.errors import InvalidInput, SourceError

COLUMNS = ("username", "category", "#followers", "#followees", "#posts")
_NUMBERS = {"#followers": "followers", "#followees": "following", "#posts": "posts_count"}


class InfluencerListSource(FileSource):
    """Accounts from an influencer list (TSV or CSV with the columns above)."""

    kind = "influencers"

    def __init__(self, path: Path, *, platform: Platform | str = Platform.INSTAGRAM) -> None:
        super().__init__(path)
        try:
            self.platform = parse_platform(platform) if isinstance(platform, str) else platform
        except ValueError as exc:
            raise InvalidInput(str(exc), field="platform") from None

    def read(self) -> Iterator[Item]:
        with open_binary(self.path) as (stream, counter):
            text = io.TextIOWrapper(stream, encoding="utf-8", errors="replace", newline="")
            header = text.readline()
            delimiter = "\t" if "\t" in header else ","
            names = [h.strip().casefold() for h in header.rstrip("\r\n").split(delimiter)]
            missing = [c for c in COLUMNS if c not in names]
            if missing:
                raise SourceError(f"{self.path}:1: missing column(s) {', '.join(missing)}; "
                                  f"expected {', '.join(COLUMNS)}", file=self.label, line=1)
            index = {c: names.index(c) for c in COLUMNS}
            reader = csv.reader(text, delimiter=delimiter, strict=True)
            for row in checked_rows(reader, self.path, self.label, offset=1):
                self._done = counter.count
                line = reader.line_num + 1
                if not row or all(not cell.strip() for cell in row):
                    continue
                if len(row) == 1 and set(row[0].strip()) == {"="}:
                    continue  # the ruler under the header
                where = SourceLocation(file=self.label, line=line)
                if any(cell.strip() for cell in row[len(names):]):  # empty trailing cells pass
                    yield Rejected(location=where, reason=f"{len(row)} cells, more than the "
                                                          f"header's {len(names)} columns")
                    continue
                yield self._record(row, index, where)
            self._done = counter.count

    def _record(self, row: list[str], index: dict[str, int], where: SourceLocation) -> Item:
        needed = max(index.values()) + 1  # the header may have more columns than these five
        if len(row) < needed:
            return Rejected(location=where, reason=f"expected {needed} columns, "
                                                   f"found {len(row)}")
        values: dict[str, object] = {"platform": self.platform,
                                     "handle": row[index["username"]],
                                     "category": row[index["category"]].strip() or None}
        for column, field in _NUMBERS.items():
            raw = row[index[column]].strip().replace(",", "")
            if raw:
                if not raw.isdecimal():  # isdigit() would pass "²", which int() refuses
                    return Rejected(location=where, field=column,
                                    reason=f"not a whole number: {raw!r}")
                values[field] = int(raw)
        try:
            return where, AccountRecord.model_validate(values)
        except ValidationError as exc:
            err = exc.errors()[0]
            return Rejected(location=where, field=".".join(map(str, err["loc"])) or None,
                            reason=err["msg"])

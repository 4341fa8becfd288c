"""The user guide keeps up with the code: every setting and every command is documented."""

from __future__ import annotations

from typing import Any

import typer

from kolscope.cli.main import app
from kolscope.settings import Settings
from tests.conftest import REPO

GUIDE = (REPO / "docs" / "user-guide.md").read_text()


def test_every_setting_is_documented() -> None:
    for name in Settings.model_fields:
        assert f"KOLSCOPE_{name.upper()}" in GUIDE, name


def test_every_setting_has_help_text() -> None:
    for name, field in Settings.model_fields.items():
        assert field.description, name


def commands(group: Any, prefix: str = "kolscope") -> list[str]:
    found = []
    for name, command in group.commands.items():
        path = f"{prefix} {name}"
        if hasattr(command, "commands"):
            found += commands(command, path)
        else:
            found.append(path)
    return found


def test_every_command_is_documented() -> None:
    every = commands(typer.main.get_group(app))
    assert "kolscope kols search" in every and len(every) >= 15
    for command in every:
        assert command in GUIDE, command


def test_every_method_page_exists() -> None:
    methods = REPO / "docs" / "methods"
    for page in ("profile-metrics.md", "language.md", "sponsorship.md", "tiers-and-niches.md",
                 "synthetic-data.md", "authority.md", "kol-types.md",
                 "niche-classification.md", "audience-research.md", "search.md",
                 "sentiment.md",
                 "fake-accounts.md", "audience-authenticity.md", "engagement-authenticity.md",
                 "brand-safety.md", "sponsored-saturation.md", "vetting-report.md",
                 "campaign-rules.md", "cost-model.md", "match.md", "forecast.md", "planning.md",
                 "influence.md", "reach.md", "kpis.md", "monitoring.md",
                 "attribution.md", "tracking.md"):
        assert (methods / page).is_file(), page

"""clicks: one index by workspace and time instead of two in random order

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 15:20:00.000000

The redirect service appends clicks all day; an index whose keys arrive in random order (by
link, by visitor) makes every batch rewrite pages all over it, which cost more than the rest of
a redirect together (``docs/redirect.md``). Clicks arrive in time order, so an index by
workspace and time grows at its end, and it serves every read: counts per link and a
visitor's touches are read over a workspace's period.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index("ix_tracking_clicks_link_at", table_name="tracking_clicks")
    op.drop_index("ix_tracking_clicks_visitor", table_name="tracking_clicks")
    op.create_index("ix_tracking_clicks_workspace_at", "tracking_clicks",
                    ["workspace_id", "at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_tracking_clicks_workspace_at", table_name="tracking_clicks")
    op.create_index("ix_tracking_clicks_visitor", "tracking_clicks",
                    ["workspace_id", "visitor"], unique=False)
    op.create_index("ix_tracking_clicks_link_at", "tracking_clicks", ["link_id", "at"],
                    unique=False)

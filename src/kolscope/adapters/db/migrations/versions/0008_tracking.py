"""tracking: short links and the clicks the redirect service records

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 21:12:30.578236
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "tracking_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=True),
        sa.Column("collaboration_id", sa.Integer(), nullable=True),
        sa.Column("deliverable_id", sa.Integer(), nullable=True),
        sa.Column("destination", sa.Text(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("utm", sa.JSON(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaigns.id"],
            name=op.f("fk_tracking_links_campaign_id_campaigns"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["collaboration_id"],
            ["collaborations.id"],
            name=op.f("fk_tracking_links_collaboration_id_collaborations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["deliverable_id"],
            ["deliverables.id"],
            name=op.f("fk_tracking_links_deliverable_id_deliverables"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_tracking_links_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tracking_links")),
        sa.UniqueConstraint("code", name=op.f("uq_tracking_links_code")),
    )
    with op.batch_alter_table("tracking_links", schema=None) as batch_op:
        batch_op.create_index("ix_tracking_links_updated", ["updated_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_tracking_links_workspace_id"), ["workspace_id"],
                              unique=False)

    op.create_table(
        "tracking_clicks",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("click_id", sa.String(length=32), nullable=False),
        sa.Column("link_id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user_agent", sa.String(length=512), nullable=False),
        sa.Column("referrer", sa.String(length=1024), nullable=False),
        sa.Column("ip_hash", sa.String(length=32), nullable=False),
        sa.Column("visitor", sa.String(length=32), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=True),
        sa.Column("bot", sa.String(length=40), nullable=True),
        sa.Column("is_unique", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["link_id"],
            ["tracking_links.id"],
            name=op.f("fk_tracking_clicks_link_id_tracking_links"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tracking_clicks")),
        sa.UniqueConstraint("click_id", name=op.f("uq_tracking_clicks_click_id")),
    )
    with op.batch_alter_table("tracking_clicks", schema=None) as batch_op:
        batch_op.create_index("ix_tracking_clicks_link_at", ["link_id", "at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("tracking_clicks", schema=None) as batch_op:
        batch_op.drop_index("ix_tracking_clicks_link_at")
    op.drop_table("tracking_clicks")
    with op.batch_alter_table("tracking_links", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tracking_links_workspace_id"))
        batch_op.drop_index("ix_tracking_links_updated")
    op.drop_table("tracking_links")

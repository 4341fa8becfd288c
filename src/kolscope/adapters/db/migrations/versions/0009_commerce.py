"""commerce: tracking settings, promo codes, conversions, refunds and live sessions

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 11:35:58.843724
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from kolscope.adapters.db.tables import ExactDecimal

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("tracking_clicks", schema=None) as batch_op:
        batch_op.create_index("ix_tracking_clicks_visitor", ["workspace_id", "visitor"],
                              unique=False)
    op.create_table(
        "conversion_refunds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.String(length=100), nullable=False),
        sa.Column("refund_id", sa.String(length=100), nullable=False),
        sa.Column("amount", ExactDecimal(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_conversion_refunds_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conversion_refunds")),
        sa.UniqueConstraint(
            "workspace_id", "refund_id", name=op.f("uq_conversion_refunds_workspace_id")
        ),
    )
    with op.batch_alter_table("conversion_refunds", schema=None) as batch_op:
        batch_op.create_index(
            "ix_conversion_refunds_order", ["workspace_id", "order_id"], unique=False
        )

    op.create_table(
        "conversions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.String(length=100), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=True),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revenue", ExactDecimal(), nullable=False),
        sa.Column("refunded", ExactDecimal(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("promo_code", sa.String(length=40), nullable=True),
        sa.Column("click_id", sa.String(length=32), nullable=True),
        sa.Column("visitor", sa.String(length=32), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_conversions_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conversions")),
        sa.UniqueConstraint("workspace_id", "order_id", name=op.f("uq_conversions_workspace_id")),
    )
    with op.batch_alter_table("conversions", schema=None) as batch_op:
        batch_op.create_index("ix_conversions_workspace_at", ["workspace_id", "at"], unique=False)

    op.create_table(
        "tracking_settings",
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("utm", sa.JSON(), nullable=False),
        sa.Column("promo", sa.JSON(), nullable=False),
        sa.Column("webhook_secret", sa.String(length=200), nullable=True),
        sa.Column("site_key", sa.String(length=40), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_tracking_settings_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("workspace_id", name=op.f("pk_tracking_settings")),
        sa.UniqueConstraint("site_key", name=op.f("uq_tracking_settings_site_key")),
    )
    op.create_table(
        "live_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("collaboration_id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=20), nullable=False),
        sa.Column("session_id", sa.String(length=100), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("viewers", sa.Integer(), nullable=True),
        sa.Column("peak_viewers", sa.Integer(), nullable=True),
        sa.Column("watch_seconds", sa.BigInteger(), nullable=True),
        sa.Column("orders", sa.Integer(), nullable=False),
        sa.Column("gmv", ExactDecimal(), nullable=False),
        sa.Column("refunds", ExactDecimal(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("source_name", sa.String(length=200), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaigns.id"],
            name=op.f("fk_live_sessions_campaign_id_campaigns"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["collaboration_id"],
            ["collaborations.id"],
            name=op.f("fk_live_sessions_collaboration_id_collaborations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_live_sessions_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_live_sessions")),
        sa.UniqueConstraint(
            "workspace_id", "platform", "session_id", name=op.f("uq_live_sessions_workspace_id")
        ),
    )
    with op.batch_alter_table("live_sessions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_live_sessions_campaign_id"), ["campaign_id"], unique=False
        )

    op.create_table(
        "promo_codes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("collaboration_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaigns.id"],
            name=op.f("fk_promo_codes_campaign_id_campaigns"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["collaboration_id"],
            ["collaborations.id"],
            name=op.f("fk_promo_codes_collaboration_id_collaborations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_promo_codes_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_promo_codes")),
        sa.UniqueConstraint("workspace_id", "key", name=op.f("uq_promo_codes_workspace_id")),
    )
    with op.batch_alter_table("promo_codes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_promo_codes_campaign_id"), ["campaign_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("tracking_clicks", schema=None) as batch_op:
        batch_op.drop_index("ix_tracking_clicks_visitor")
    with op.batch_alter_table("promo_codes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_promo_codes_campaign_id"))

    op.drop_table("promo_codes")
    with op.batch_alter_table("live_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_live_sessions_campaign_id"))

    op.drop_table("live_sessions")
    op.drop_table("tracking_settings")
    with op.batch_alter_table("conversions", schema=None) as batch_op:
        batch_op.drop_index("ix_conversions_workspace_at")

    op.drop_table("conversions")
    with op.batch_alter_table("conversion_refunds", schema=None) as batch_op:
        batch_op.drop_index("ix_conversion_refunds_order")

    op.drop_table("conversion_refunds")

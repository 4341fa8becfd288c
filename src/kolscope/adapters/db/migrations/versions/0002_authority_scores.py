"""authority scores

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 13:20:04.101698
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "authority_scores",
        sa.Column(
            "account_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("method_version", sa.String(length=20), nullable=False),
        sa.Column("engine", sa.String(length=20), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("pagerank", sa.Float(), nullable=False),
        sa.Column("pagerank_percentile", sa.Float(), nullable=True),
        sa.Column("niche_pagerank", sa.Float(), nullable=True),
        sa.Column("niche_percentile", sa.Float(), nullable=True),
        sa.Column("hub", sa.Float(), nullable=False),
        sa.Column("authority", sa.Float(), nullable=False),
        sa.Column("k_core", sa.Integer(), nullable=False),
        sa.Column("in_edges", sa.Integer(), nullable=False),
        sa.Column("peer_endorsers", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_authority_scores_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_authority_scores_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("account_id", name=op.f("pk_authority_scores")),
    )
    with op.batch_alter_table("authority_scores", schema=None) as batch_op:
        batch_op.create_index(
            "ix_authority_ws_pagerank", ["workspace_id", "pagerank"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("authority_scores", schema=None) as batch_op:
        batch_op.drop_index("ix_authority_ws_pagerank")

    op.drop_table("authority_scores")

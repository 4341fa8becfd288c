"""kol classifications

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 13:29:16.805042
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "kol_classifications",
        sa.Column(
            "account_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kol_type", sa.String(length=20), nullable=False),
        sa.Column("kol_type_scores", sa.JSON(), nullable=False),
        sa.Column("kol_type_reasons", sa.JSON(), nullable=False),
        sa.Column("credentials", sa.JSON(), nullable=False),
        sa.Column("is_virtual", sa.Boolean(), nullable=False),
        sa.Column("kol_type_method", sa.String(length=20), nullable=False),
        sa.Column("niche", sa.String(length=40), nullable=True),
        sa.Column("niche_confidence", sa.Float(), nullable=True),
        sa.Column("niche_evidence", sa.JSON(), nullable=False),
        sa.Column("niche_method", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_kol_classifications_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_kol_classifications_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("account_id", name=op.f("pk_kol_classifications")),
    )
    with op.batch_alter_table("kol_classifications", schema=None) as batch_op:
        batch_op.create_index("ix_kol_class_ws_type", ["workspace_id", "kol_type"], unique=False)
        batch_op.create_index(batch_op.f("ix_kol_classifications_niche"), ["niche"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("kol_classifications", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_kol_classifications_niche"))
        batch_op.drop_index("ix_kol_class_ws_type")

    op.drop_table("kol_classifications")

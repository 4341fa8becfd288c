"""vetting: audience samples, comment sentiment, keyword sets, post flags, reports

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 08:01:28.914346
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "keyword_sets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("category", sa.String(length=60), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=True),
        sa.Column("terms", sa.JSON(), nullable=False),
        sa.Column("exceptions", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_keyword_sets_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_keyword_sets")),
        sa.UniqueConstraint("workspace_id", "name", name=op.f("uq_keyword_sets_workspace_id")),
    )
    op.create_table(
        "followers",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column(
            "account_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "follower_account_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=False,
        ),
        sa.Column("observed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("source", sa.String(length=40), nullable=True),
        sa.Column("source_file", sa.String(length=500), nullable=True),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_followers_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["follower_account_id"],
            ["accounts.id"],
            name=op.f("fk_followers_follower_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_followers_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_followers")),
        sa.UniqueConstraint(
            "account_id", "follower_account_id", name=op.f("uq_followers_account_id")
        ),
    )
    with op.batch_alter_table("followers", schema=None) as batch_op:
        batch_op.create_index("ix_followers_follower", ["follower_account_id"], unique=False)

    op.create_table(
        "vetting_overrides",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column(
            "account_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("verdict", sa.String(length=10), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("author", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_vetting_overrides_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_vetting_overrides_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vetting_overrides")),
    )
    with op.batch_alter_table("vetting_overrides", schema=None) as batch_op:
        batch_op.create_index(
            "ix_vetting_overrides_account", ["account_id", "created_at"], unique=False
        )

    op.create_table(
        "vetting_reports",
        sa.Column(
            "account_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("method_version", sa.String(length=20), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("verdict", sa.String(length=10), nullable=False),
        sa.Column("risk", sa.Float(), nullable=False),
        sa.Column("coverage", sa.Float(), nullable=False),
        sa.Column("report", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_vetting_reports_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_vetting_reports_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("account_id", name=op.f("pk_vetting_reports")),
    )
    with op.batch_alter_table("vetting_reports", schema=None) as batch_op:
        batch_op.create_index(
            "ix_vetting_reports_ws_verdict", ["workspace_id", "verdict"], unique=False
        )

    op.create_table(
        "post_flags",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column(
            "account_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("post_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("set_name", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("category", sa.String(length=60), nullable=False),
        sa.Column("term", sa.String(length=200), nullable=False),
        sa.Column("snippet", sa.Text(), nullable=False),
        sa.Column("matches", sa.Integer(), nullable=False),
        sa.Column("method_version", sa.String(length=20), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_post_flags_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["post_id"], ["posts.id"], name=op.f("fk_post_flags_post_id_posts"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_post_flags_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_post_flags")),
        sa.UniqueConstraint("post_id", "set_name", "term", name=op.f("uq_post_flags_post_id")),
    )
    with op.batch_alter_table("post_flags", schema=None) as batch_op:
        batch_op.create_index("ix_post_flags_account", ["account_id"], unique=False)
        batch_op.create_index(
            "ix_post_flags_ws_category", ["workspace_id", "kind", "category"], unique=False
        )

    op.create_table(
        "comment_sentiments",
        sa.Column(
            "comment_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=10), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=True),
        sa.Column("method_version", sa.String(length=20), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["comment_id"],
            ["comments.id"],
            name=op.f("fk_comment_sentiments_comment_id_comments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_comment_sentiments_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("comment_id", name=op.f("pk_comment_sentiments")),
    )
    with op.batch_alter_table("comment_sentiments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_comment_sentiments_workspace_id"), ["workspace_id"], unique=False
        )

    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("has_profile_pic", sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column("external_url", sa.String(length=1000), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.drop_column("external_url")
        batch_op.drop_column("has_profile_pic")

    with op.batch_alter_table("comment_sentiments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_comment_sentiments_workspace_id"))

    op.drop_table("comment_sentiments")
    with op.batch_alter_table("post_flags", schema=None) as batch_op:
        batch_op.drop_index("ix_post_flags_ws_category")
        batch_op.drop_index("ix_post_flags_account")

    op.drop_table("post_flags")
    with op.batch_alter_table("vetting_reports", schema=None) as batch_op:
        batch_op.drop_index("ix_vetting_reports_ws_verdict")

    op.drop_table("vetting_reports")
    with op.batch_alter_table("vetting_overrides", schema=None) as batch_op:
        batch_op.drop_index("ix_vetting_overrides_account")

    op.drop_table("vetting_overrides")
    with op.batch_alter_table("followers", schema=None) as batch_op:
        batch_op.drop_index("ix_followers_follower")

    op.drop_table("followers")
    op.drop_table("keyword_sets")

"""notice outbox, status texts per hotspot, overdue flags (issue 11)

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29

"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "notice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("hotspot_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("concern_ids", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["hotspot_id"], ["hotspot.id"], name=op.f("fk_notice_hotspot_id_hotspot")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notice")),
    )
    op.create_index(op.f("ix_notice_hotspot_id"), "notice", ["hotspot_id"], unique=False)
    op.create_index(op.f("ix_notice_done_at"), "notice", ["done_at"], unique=False)
    with op.batch_alter_table("assignment") as batch:
        batch.add_column(sa.Column("overdue_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("message") as batch:
        batch.add_column(sa.Column("hotspot_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_message_hotspot_id_hotspot"), "hotspot", ["hotspot_id"], ["id"]
        )
    unsent = sa.text("status IN ('pending', 'sending')")
    op.create_index(
        "ix_message_unsent", "message", ["status"], postgresql_where=unsent, sqlite_where=unsent
    )


def downgrade():
    op.drop_index("ix_message_unsent", table_name="message")
    with op.batch_alter_table("message") as batch:
        batch.drop_constraint(op.f("fk_message_hotspot_id_hotspot"), type_="foreignkey")
        batch.drop_column("hotspot_id")
    with op.batch_alter_table("assignment") as batch:
        batch.drop_column("overdue_at")
    op.drop_index(op.f("ix_notice_done_at"), table_name="notice")
    op.drop_index(op.f("ix_notice_hotspot_id"), table_name="notice")
    op.drop_table("notice")

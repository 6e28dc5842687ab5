"""meeting reports (issue 9)

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28

"""

from alembic import op
import sqlalchemy as sa

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "report_batch",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("area_kind", sa.String(length=32), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("since", sa.DateTime(timezone=True), nullable=True),
        sa.Column("until", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "queued",
                "running",
                "done",
                "failed",
                name="reportbatchstatus",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("failed", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("started_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["started_by_id"], ["user.id"], name=op.f("fk_report_batch_started_by_id_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_batch")),
    )
    op.create_table(
        "meeting_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("area_key", sa.String(length=400), nullable=False),
        sa.Column("area_label", sa.String(length=400), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("period_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("period_end", sa.DateTime(timezone=True), nullable=False),
        sa.Column("concern_count", sa.Integer(), nullable=False),
        sa.Column("hotspot_count", sa.Integer(), nullable=False),
        sa.Column("made_by_id", sa.Integer(), nullable=True),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.Column("file_name", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["made_by_id"], ["user.id"], name=op.f("fk_meeting_report_made_by_id_user")
        ),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["report_batch.id"], name=op.f("fk_meeting_report_batch_id_report_batch")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_report")),
    )
    with op.batch_alter_table("meeting_report", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_meeting_report_area_key"), ["area_key"], unique=False)
        batch_op.create_index(batch_op.f("ix_meeting_report_batch_id"), ["batch_id"], unique=False)


def downgrade():
    with op.batch_alter_table("meeting_report", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meeting_report_batch_id"))
        batch_op.drop_index(batch_op.f("ix_meeting_report_area_key"))
    op.drop_table("meeting_report")
    op.drop_table("report_batch")

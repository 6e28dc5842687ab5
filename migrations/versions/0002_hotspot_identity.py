"""hotspot identity (issue 6)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28

"""

from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("hotspot", schema=None) as batch_op:
        batch_op.add_column(sa.Column("category_group", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("category_counts", sa.Text(), nullable=True))
        batch_op.add_column(
            sa.Column("recent_count", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(
            sa.Column("previous_count", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(sa.Column("split_from_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("reopened_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f("ix_hotspot_category_group"), ["category_group"])
        batch_op.create_foreign_key(
            batch_op.f("fk_hotspot_split_from_id_hotspot"), "hotspot", ["split_from_id"], ["id"]
        )
    op.create_table(
        "repeat_location",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("lon", sa.Float(), nullable=False),
        sa.Column("concern_count", sa.Integer(), nullable=False),
        sa.Column("first_reported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_reported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=True),
        sa.Column("neighborhood_id", sa.Integer(), nullable=True),
        sa.Column("hotspot_id", sa.Integer(), nullable=True),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["category_id"], ["category.id"], name=op.f("fk_repeat_location_category_id_category")
        ),
        sa.ForeignKeyConstraint(
            ["hotspot_id"], ["hotspot.id"], name=op.f("fk_repeat_location_hotspot_id_hotspot")
        ),
        sa.ForeignKeyConstraint(
            ["neighborhood_id"], ["area.id"], name=op.f("fk_repeat_location_neighborhood_id_area")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_repeat_location")),
    )
    with op.batch_alter_table("repeat_location", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_repeat_location_hotspot_id"), ["hotspot_id"])
        batch_op.create_index(batch_op.f("ix_repeat_location_neighborhood_id"), ["neighborhood_id"])


def downgrade():
    with op.batch_alter_table("repeat_location", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_repeat_location_neighborhood_id"))
        batch_op.drop_index(batch_op.f("ix_repeat_location_hotspot_id"))
    op.drop_table("repeat_location")
    with op.batch_alter_table("hotspot", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_hotspot_split_from_id_hotspot"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_hotspot_category_group"))
        batch_op.drop_column("reopened_at")
        batch_op.drop_column("split_from_id")
        batch_op.drop_column("previous_count")
        batch_op.drop_column("recent_count")
        batch_op.drop_column("category_counts")
        batch_op.drop_column("category_group")

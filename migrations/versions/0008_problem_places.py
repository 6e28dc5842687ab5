"""problem families of categories and hotspots (issue 16: hotspots are problem places)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02

"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

# The reference families (community/demo/reference.py FAMILIES), copied: a migration must
# not change when the app's data does. Other categories take their group's family.
FAMILY_BY_CODE = {
    "nuisance_property": "nuisance",
    "vacant_building": "blight",
    "illegal_dumping": "blight",
    "graffiti": "blight",
    "reckless_driving": "traffic",
    "streetlight_out": "lighting",
}
FAMILY_BY_GROUP = {"property": "blight", "traffic": "traffic"}  # the rest: nuisance


def upgrade():
    with op.batch_alter_table("category") as batch:
        batch.add_column(
            sa.Column("family", sa.String(length=32), nullable=False, server_default="nuisance")
        )
    with op.batch_alter_table("hotspot") as batch:
        batch.add_column(sa.Column("family", sa.String(length=32), nullable=True))
        batch.create_index(batch.f("ix_hotspot_family"), ["family"], unique=False)
    category = sa.table(
        "category", sa.column("code", sa.String), sa.column("group", sa.String),
        sa.column("family", sa.String),
    )
    for group, family in FAMILY_BY_GROUP.items():
        op.execute(category.update().where(category.c.group == group).values(family=family))
    for code, family in FAMILY_BY_CODE.items():
        op.execute(category.update().where(category.c.code == code).values(family=family))
    # A hotspot made by the old rule takes its top category's family; the first re-cluster
    # by the new rule breaks it into places (identity.py carries its owners over).
    op.execute(
        "UPDATE hotspot SET family = (SELECT category.family FROM category "
        "WHERE category.id = hotspot.category_id)"
    )


def downgrade():
    with op.batch_alter_table("hotspot") as batch:
        batch.drop_index(batch.f("ix_hotspot_family"))
        batch.drop_column("family")
    with op.batch_alter_table("category") as batch:
        batch.drop_column("family")

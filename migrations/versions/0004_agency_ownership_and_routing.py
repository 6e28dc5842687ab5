"""agency ownership and routing (issue 7)

Staff accounts gain a session token (logout everywhere), lock-out counters and invitations;
categories gain a service level; assignments a due date and the routing rule that suggested
them; routing rules (category x area -> lead and partners) become a table.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28

"""

import secrets

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

AREA_KINDS = ("neighborhood", "aldermanic_district", "ward", "police_district", "business_district")


def upgrade():
    op.create_table(
        "routing_rule",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=True),
        sa.Column(
            "area_kind",
            sa.Enum(*AREA_KINDS, name="areakind", native_enum=False, length=32),
            nullable=True,
        ),
        sa.Column("area_code", sa.String(length=80), nullable=True),
        sa.Column("lead_agency_id", sa.Integer(), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(area_kind IS NULL) = (area_code IS NULL)",
            name=op.f("ck_routing_rule_area_kind_and_code_together"),
        ),
        sa.ForeignKeyConstraint(
            ["category_id"], ["category.id"], name=op.f("fk_routing_rule_category_id_category")
        ),
        sa.ForeignKeyConstraint(
            ["lead_agency_id"], ["agency.id"], name=op.f("fk_routing_rule_lead_agency_id_agency")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_routing_rule")),
    )
    with op.batch_alter_table("routing_rule") as batch_op:
        batch_op.create_index(batch_op.f("ix_routing_rule_category_id"), ["category_id"])
    op.create_table(
        "routing_rule_partner",
        sa.Column("rule_id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agency.id"], name=op.f("fk_routing_rule_partner_agency_id_agency")
        ),
        sa.ForeignKeyConstraint(
            ["rule_id"],
            ["routing_rule.id"],
            name=op.f("fk_routing_rule_partner_rule_id_routing_rule"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("rule_id", "agency_id", name=op.f("pk_routing_rule_partner")),
    )

    with op.batch_alter_table("user") as batch_op:
        batch_op.add_column(sa.Column("session_token", sa.String(length=64), nullable=True))
        batch_op.add_column(
            sa.Column("failed_logins", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("invite_token_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(
            sa.Column("invite_expires_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.create_unique_constraint(
            batch_op.f("uq_user_invite_token_hash"), ["invite_token_hash"]
        )
    users = sa.table("user", sa.column("id", sa.Integer), sa.column("session_token", sa.String))
    connection = op.get_bind()
    for (user_id,) in connection.execute(sa.select(users.c.id)).all():
        connection.execute(
            users.update()
            .where(users.c.id == user_id)
            .values(session_token=secrets.token_urlsafe(24))
        )
    with op.batch_alter_table("user") as batch_op:
        batch_op.alter_column("session_token", existing_type=sa.String(length=64), nullable=False)

    with op.batch_alter_table("category") as batch_op:
        batch_op.add_column(sa.Column("service_level_days", sa.SmallInteger(), nullable=True))
        batch_op.create_check_constraint(
            "service_level_range",
            "service_level_days IS NULL OR service_level_days BETWEEN 1 AND 365",
        )

    with op.batch_alter_table("assignment") as batch_op:
        batch_op.add_column(sa.Column("due_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("routing_rule_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_assignment_due_at"), ["due_at"])
        batch_op.create_foreign_key(
            batch_op.f("fk_assignment_routing_rule_id_routing_rule"),
            "routing_rule",
            ["routing_rule_id"],
            ["id"],
        )


def downgrade():
    with op.batch_alter_table("assignment") as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_assignment_routing_rule_id_routing_rule"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_assignment_due_at"))
        batch_op.drop_column("routing_rule_id")
        batch_op.drop_column("due_at")
    with op.batch_alter_table("category") as batch_op:
        batch_op.drop_constraint("service_level_range", type_="check")
        batch_op.drop_column("service_level_days")
    with op.batch_alter_table("user") as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_user_invite_token_hash"), type_="unique")
        batch_op.drop_column("invite_expires_at")
        batch_op.drop_column("invite_token_hash")
        batch_op.drop_column("locked_until")
        batch_op.drop_column("failed_logins")
        batch_op.drop_column("session_token")
    op.drop_table("routing_rule_partner")
    with op.batch_alter_table("routing_rule") as batch_op:
        batch_op.drop_index(batch_op.f("ix_routing_rule_category_id"))
    op.drop_table("routing_rule")

"""observations, report schedules, customer contracts and purchases

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 08:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "observations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("quote", sa.Text(), nullable=True),
        sa.Column("step", sa.String(length=200), nullable=True),
        sa.Column("situation", sa.String(length=200), nullable=True),
        sa.Column("need", sa.String(length=200), nullable=True),
        sa.Column("channel", sa.String(length=100), nullable=True),
        sa.Column("observed_at", sa.DateTime(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=320), nullable=True),
        sa.Column("attachment", sa.LargeBinary(), nullable=True),
        sa.Column("attachment_name", sa.String(length=300), nullable=True),
        sa.Column("attachment_type", sa.String(length=100), nullable=True),
        sa.Column("turned_into", sa.String(length=300), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("observations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_observations_step"), ["step"], unique=False)
        batch_op.create_index(batch_op.f("ix_observations_situation"), ["situation"], unique=False)
    op.create_table(
        "report_schedules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recipients", sa.JSON(), nullable=False),
        sa.Column("lang", sa.String(length=5), nullable=False),
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.Column("hour", sa.Integer(), nullable=False),
        sa.Column("filters", sa.JSON(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("last_sent_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=320), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )

    op.create_table(
        "customer_contracts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.String(length=200), nullable=False),
        sa.Column("started", sa.Date(), nullable=False),
        sa.Column("ended", sa.Date(), nullable=True),
        sa.Column("plan", sa.String(length=100), nullable=True),
        sa.Column("segment", sa.String(length=100), nullable=True),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("customer_contracts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_customer_contracts_customer_id"), ["customer_id"], unique=False
        )
    op.create_table(
        "customer_purchases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.String(length=200), nullable=False),
        sa.Column("purchased_on", sa.Date(), nullable=False),
        sa.Column("amount", sa.Float(), nullable=False),
        sa.Column("segment", sa.String(length=100), nullable=True),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("customer_purchases", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_customer_purchases_customer_id"), ["customer_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("customer_purchases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_customer_purchases_customer_id"))
    op.drop_table("customer_purchases")
    with op.batch_alter_table("customer_contracts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_customer_contracts_customer_id"))
    op.drop_table("customer_contracts")
    op.drop_table("report_schedules")
    with op.batch_alter_table("observations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_observations_situation"))
        batch_op.drop_index(batch_op.f("ix_observations_step"))
    op.drop_table("observations")

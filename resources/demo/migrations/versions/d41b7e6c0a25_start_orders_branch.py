"""start orders branch

Revision ID: d41b7e6c0a25
Revises: 8c2e5b4a9f31
Create Date: 2026-02-02 10:05:51.004712

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd41b7e6c0a25'
down_revision = '8c2e5b4a9f31'
branch_labels = ('orders',)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "orders",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("account_id", sa.Integer(), sa.ForeignKey("accounts.id"), nullable=False),
        sa.Column("status", sa.String(20), nullable=False, server_default="new"),
        sa.Column("placed_at", sa.DateTime(), nullable=True),
    )
    op.create_index("ix_orders_account_id", "orders", ["account_id"])


def downgrade() -> None:
    op.drop_table("orders")

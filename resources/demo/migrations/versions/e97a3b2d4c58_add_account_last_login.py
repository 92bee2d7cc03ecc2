"""add account last login

Revision ID: e97a3b2d4c58
Revises: b2c8e4f15a67
Create Date: 2026-03-03 17:09:36.915287

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e97a3b2d4c58'
down_revision = 'b2c8e4f15a67'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("accounts", sa.Column("last_login_at", sa.DateTime(), nullable=True))
    op.add_column("orders", sa.Column("total_cents", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    op.drop_column("orders", "total_cents")
    op.drop_column("accounts", "last_login_at")

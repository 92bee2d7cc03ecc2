"""add product sku

Revision ID: a6d90c13e7f4
Revises: 8c2e5b4a9f31
Create Date: 2026-02-04 11:58:44.289356

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a6d90c13e7f4'
down_revision = '8c2e5b4a9f31'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("products", sa.Column("sku", sa.String(32), nullable=True))
    op.create_index("ix_products_sku", "products", ["sku"], unique=True)


def downgrade() -> None:
    op.drop_index("ix_products_sku", table_name="products")
    op.drop_column("products", "sku")

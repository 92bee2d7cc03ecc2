"""merge orders and catalog

Revision ID: b2c8e4f15a67
Revises: 5e07f3d8b6c9, a6d90c13e7f4
Create Date: 2026-02-20 08:31:19.662045

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b2c8e4f15a67'
down_revision = ('5e07f3d8b6c9', 'a6d90c13e7f4')
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass

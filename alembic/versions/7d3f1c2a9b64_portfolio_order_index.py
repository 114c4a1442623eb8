"""portfolio order index: latest_probability DESC NULLS LAST, id

The dashboard's default sort (riskiest first, unscored clients last) read off
an index instead of sorting the whole portfolio for each page.

Revision ID: 7d3f1c2a9b64
Revises: 553bdda25235
Create Date: 2026-11-26 01:10:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '7d3f1c2a9b64'
down_revision: Union[str, None] = '553bdda25235'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    # SQLite sorts NULLs first, so its DESC already puts them last (and it refuses the
    # NULLS LAST clause in an index).
    sqlite = op.get_bind().dialect.name == "sqlite"
    order = "latest_probability DESC" + ("" if sqlite else " NULLS LAST")
    op.create_index("ix_client_probability_desc", "client", [sa.text(order), "id"])


def downgrade() -> None:
    op.drop_index("ix_client_probability_desc", table_name="client")

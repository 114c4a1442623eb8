"""worklist at scale: recommendation / risk band in probability order, id trigrams

At 10,000,000 clients (docs/performance.md): the default order within one
recommendation or one risk band read off an index of its own (the shared
probability index walked every riskier client first: 2.3 s for "review"), and
the id search (a fragment anywhere in the id) through a pg_trgm GIN index of the
id's hex digits (a scan: 15 s). The trigram index is PostgreSQL's only: SQLite
scans its ids.

Revision ID: 9e4b6d2f7a18
Revises: 5b1e9a7c3d20
Create Date: 2026-12-02 21:00:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '9e4b6d2f7a18'
down_revision: Union[str, None] = '5b1e9a7c3d20'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# Must read exactly as services.clients' id condition renders (models.CLIENT_ID_HEX).
ID_HEX = "replace(lower(CAST(id AS VARCHAR)), '-', '')"


def upgrade() -> None:
    # SQLite sorts NULLs first, so its DESC already puts them last (and it refuses the
    # NULLS LAST clause in an index).
    sqlite = op.get_bind().dialect.name == "sqlite"
    order = "latest_probability DESC" + ("" if sqlite else " NULLS LAST")
    for name, column in (
        ("ix_client_recommendation_probability", "latest_recommendation"),
        ("ix_client_risk_band_probability", "latest_risk_band"),
    ):
        op.create_index(name, "client", [column, sa.text(order), "id"])
    if sqlite:
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.create_index(
        "ix_client_id_hex_trgm", "client", [sa.text(f"({ID_HEX}) gin_trgm_ops")], postgresql_using="gin"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        op.drop_index("ix_client_id_hex_trgm", table_name="client")
    op.drop_index("ix_client_risk_band_probability", table_name="client")
    op.drop_index("ix_client_recommendation_probability", table_name="client")

"""the client's latest decision outcome, for the worklist's decision-status filters

At 10,000,000 clients (docs/performance.md) "approved" walked the probability
index through 1.9 M riskier clients to find 25 approved (9.3 s): the status now
sits on the client, read off an index (outcome, probability DESC, id) in the
default order. Backfilled with the filter's own meaning: the outcome of a
decision with none after it (by time, then id); NULL for no decision at all.

Revision ID: b7c2e5a1d9f3
Revises: 9e4b6d2f7a18
Create Date: 2026-12-02 22:00:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = 'b7c2e5a1d9f3'
down_revision: Union[str, None] = '9e4b6d2f7a18'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

INDEX = "ix_client_decision_outcome_probability"
# The latest decision of each client: one with no later one (by time, then id).
LATEST = """
    SELECT d.outcome FROM decision d
    WHERE d.client_id = client.id AND NOT EXISTS (
        SELECT 1 FROM decision later
        WHERE later.client_id = d.client_id
          AND (later.created_at > d.created_at OR (later.created_at = d.created_at AND later.id > d.id)))
"""


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    op.add_column("client", sa.Column("latest_decision_outcome", sa.String(length=16), nullable=True))
    # SQLite sorts NULLs first, so its DESC already puts them last (and it refuses the
    # NULLS LAST clause in an index).
    order = "latest_probability DESC" + ("" if sqlite else " NULLS LAST")
    op.create_index(INDEX, "client", ["latest_decision_outcome", sa.text(order), "id"])
    # Filled after the index is built: an index built after the update's HOT chains is
    # marked indcheckxmin on PostgreSQL, unusable until the transactions older than it end.
    op.execute(
        f"UPDATE client SET latest_decision_outcome = ({LATEST}) "
        "WHERE EXISTS (SELECT 1 FROM decision WHERE decision.client_id = client.id)"
    )


def downgrade() -> None:
    op.drop_index(INDEX, table_name="client")
    # A plain ALTER TABLE on SQLite too (3.35+): a batch copy would recreate the table
    # every other table references.
    op.drop_column("client", "latest_decision_outcome")

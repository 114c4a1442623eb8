"""monitoring history: one row per month

The /monitoring page's stability over months (issue 17): each month's report
condensed to its headline figures, refreshed by the nightly job.

Revision ID: 5b1e9a7c3d20
Revises: 477ed52fbeba
Create Date: 2026-12-02 17:10:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel
import neobank_dashboard.db.types


# revision identifiers, used by Alembic.
revision: str = '5b1e9a7c3d20'
down_revision: Union[str, None] = '477ed52fbeba'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('monitoringmonth',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('model_version', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('figures', sa.JSON(), nullable=False),
    sa.Column('computed_at', neobank_dashboard.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('month', name='uq_monitoringmonth_month'),
    info={'holds': 'Monthly monitoring figures: aggregates over a month of scores (no client-level data).', 'retention': (), 'kept': "with the model's technical documentation (AI Act Art. 18: 10 years)"}
    )


def downgrade() -> None:
    op.drop_table('monitoringmonth')

"""outcomes, shadow scores, monitoring reports

Post-market monitoring (issue 17): realised outcomes of scored clients, the
challenger's shadow probabilities (deleted with their score), the stored
nightly reports, and the score snapshot's five feature values as typed
columns the database computes: stored on PostgreSQL; virtual on SQLite, which
can only add a stored one by rebuilding the score table.

Revision ID: 477ed52fbeba
Revises: c43b3dafde71
Create Date: 2026-12-02 05:58:26.322169

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel
import neobank_dashboard.db.types


# revision identifiers, used by Alembic.
revision: str = '477ed52fbeba'
down_revision: Union[str, None] = 'c43b3dafde71'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


SNAPSHOT_FEATURES = ("age", "income", "seniority", "payment_incidents", "credit_score")


def _snapshot_value(name: str, dialect: str) -> str:
    if dialect == "postgresql":
        return f"CAST(features #>> '{{values, {name}}}' AS FLOAT)"
    return f"CAST(JSON_EXTRACT(features, '$.\"values\".\"{name}\"') AS FLOAT)"


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    for name in SNAPSHOT_FEATURES:
        op.add_column('score', sa.Column(
            f'snapshot_{name}', sa.Float(),
            sa.Computed(_snapshot_value(name, dialect), persisted=dialect == 'postgresql'), nullable=True))
    op.create_table('monitoringreport',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('since', neobank_dashboard.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('until', neobank_dashboard.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('model_version', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('sections', sa.JSON(), nullable=False),
    sa.Column('computed_at', neobank_dashboard.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('since', 'until', name='uq_monitoringreport_window'),
    info={'holds': 'Monitoring reports: aggregates over a window of scores (no client-level data).', 'retention': (), 'kept': "with the model's technical documentation (AI Act Art. 18: 10 years)"}
    )
    with op.batch_alter_table('monitoringreport', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_monitoringreport_since'), ['since'], unique=False)
        batch_op.create_index(batch_op.f('ix_monitoringreport_until'), ['until'], unique=False)

    op.create_table('outcome',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Uuid(), nullable=False),
    sa.Column('score_id', sa.Integer(), nullable=False),
    sa.Column('defaulted', sa.Boolean(), nullable=False),
    sa.Column('observed_on', sa.Date(), nullable=False),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('recorded_by', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('created_at', neobank_dashboard.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['client.id'], ),
    sa.ForeignKeyConstraint(['score_id'], ['score.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('client_id', 'observed_on', name='uq_outcome_client_observed_on'),
    info={'holds': 'Realised outcomes: client id, the score they follow, defaulted or repaid, date observed, source.', 'retention': ('client_records',), 'kept': None}
    )
    with op.batch_alter_table('outcome', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outcome_client_id'), ['client_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outcome_score_id'), ['score_id'], unique=False)

    op.create_table('shadowscore',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('score_id', sa.Integer(), nullable=False),
    sa.Column('challenger', sqlmodel.sql.sqltypes.AutoString(length=48), nullable=False),
    sa.Column('champion_version', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('probability', sa.Float(), nullable=False),
    sa.Column('champion_probability', sa.Float(), nullable=False),
    sa.Column('scored_at', neobank_dashboard.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_at', neobank_dashboard.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['score_id'], ['score.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('score_id'),
    info={'holds': 'Challenger probabilities of stored scores (score id, challenger, probability).', 'retention': ('scoring_events', 'client_records'), 'kept': None}
    )
    with op.batch_alter_table('shadowscore', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_shadowscore_scored_at'), ['scored_at'], unique=False)


def downgrade() -> None:
    for name in SNAPSHOT_FEATURES:
        op.drop_column('score', f'snapshot_{name}')
    op.drop_table('shadowscore')
    with op.batch_alter_table('outcome', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outcome_score_id'))
        batch_op.drop_index(batch_op.f('ix_outcome_client_id'))

    op.drop_table('outcome')
    with op.batch_alter_table('monitoringreport', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_monitoringreport_until'))
        batch_op.drop_index(batch_op.f('ix_monitoringreport_since'))

    op.drop_table('monitoringreport')

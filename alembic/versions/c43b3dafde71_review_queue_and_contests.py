"""review queue and contests

The review queue (overrides, grey-zone and stale-data decisions, contests: a
second person's look, four-eyes), the clients' contests, and the link from a
reviewer's resolution to the decision it replaces.

Revision ID: c43b3dafde71
Revises: 7d3f1c2a9b64
Create Date: 2026-12-02 05:58:09.085589

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel
import neobank_dashboard.db.types


# revision identifiers, used by Alembic.
revision: str = 'c43b3dafde71'
down_revision: Union[str, None] = '7d3f1c2a9b64'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('contest',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('decision_id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Uuid(), nullable=False),
    sa.Column('statement', sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
    sa.Column('corrections', sa.JSON(), nullable=False),
    sa.Column('score_before_id', sa.Integer(), nullable=False),
    sa.Column('score_after_id', sa.Integer(), nullable=True),
    sa.Column('received_by', sa.Integer(), nullable=False),
    sa.Column('created_at', neobank_dashboard.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['client.id'], ),
    sa.ForeignKeyConstraint(['decision_id'], ['decision.id'], ),
    sa.ForeignKeyConstraint(['received_by'], ['advisor.id'], ),
    sa.ForeignKeyConstraint(['score_after_id'], ['score.id'], ),
    sa.ForeignKeyConstraint(['score_before_id'], ['score.id'], ),
    sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('contest', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contest_client_id'), ['client_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contest_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_contest_decision_id'), ['decision_id'], unique=False)

    op.create_table('review',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('decision_id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Uuid(), nullable=False),
    sa.Column('contest_id', sa.Integer(), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('assignee_id', sa.Integer(), nullable=True),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('resolution', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
    sa.Column('justification', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
    sa.Column('resolved_by', sa.Integer(), nullable=True),
    sa.Column('resolution_decision_id', sa.Integer(), nullable=True),
    sa.Column('created_at', neobank_dashboard.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('claimed_at', neobank_dashboard.db.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('resolved_at', neobank_dashboard.db.types.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status != 'resolved' OR (resolution IS NOT NULL AND resolved_by IS NOT NULL AND justification IS NOT NULL AND resolved_at IS NOT NULL)", name='ck_review_resolved'),
    sa.ForeignKeyConstraint(['assignee_id'], ['advisor.id'], ),
    sa.ForeignKeyConstraint(['client_id'], ['client.id'], ),
    sa.ForeignKeyConstraint(['contest_id'], ['contest.id'], ),
    sa.ForeignKeyConstraint(['decision_id'], ['decision.id'], ),
    sa.ForeignKeyConstraint(['resolution_decision_id'], ['decision.id'], ),
    sa.ForeignKeyConstraint(['resolved_by'], ['advisor.id'], ),
    sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('review', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_assignee_id'), ['assignee_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_client_id'), ['client_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_decision_id'), ['decision_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_due_on'), ['due_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_status'), ['status'], unique=False)

    with op.batch_alter_table('decision', schema=None) as batch_op:
        batch_op.add_column(sa.Column('supersedes_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_decision_supersedes_id'), ['supersedes_id'], unique=False)
        batch_op.create_foreign_key('fk_decision_supersedes_id_decision', 'decision', ['supersedes_id'], ['id'])



def downgrade() -> None:
    with op.batch_alter_table('decision', schema=None) as batch_op:
        batch_op.drop_constraint('fk_decision_supersedes_id_decision', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_decision_supersedes_id'))
        batch_op.drop_column('supersedes_id')

    with op.batch_alter_table('review', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_status'))
        batch_op.drop_index(batch_op.f('ix_review_kind'))
        batch_op.drop_index(batch_op.f('ix_review_due_on'))
        batch_op.drop_index(batch_op.f('ix_review_decision_id'))
        batch_op.drop_index(batch_op.f('ix_review_created_at'))
        batch_op.drop_index(batch_op.f('ix_review_client_id'))
        batch_op.drop_index(batch_op.f('ix_review_assignee_id'))

    op.drop_table('review')
    with op.batch_alter_table('contest', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contest_decision_id'))
        batch_op.drop_index(batch_op.f('ix_contest_created_at'))
        batch_op.drop_index(batch_op.f('ix_contest_client_id'))

    op.drop_table('contest')

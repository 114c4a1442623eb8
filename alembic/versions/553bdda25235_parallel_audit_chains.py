"""parallel audit chains

Existing events all belong to chain 0: their hashes do not cover the chain
number, so they stay valid. A downgrade is only safe while every event is in
chain 0 (``python -m neobank_dashboard.audit verify`` after it tells).

Revision ID: 553bdda25235
Revises: c484d8b03488
Create Date: 2026-11-26 00:20:50.813064

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '553bdda25235'
down_revision: Union[str, None] = 'c484d8b03488'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('auditevent', schema=None) as batch_op:
        batch_op.add_column(sa.Column('chain', sa.SmallInteger(), server_default='0',
                                      nullable=False))
        batch_op.create_index('ix_auditevent_chain_id', ['chain', 'id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('auditevent', schema=None) as batch_op:
        batch_op.drop_index('ix_auditevent_chain_id')
        batch_op.drop_column('chain')

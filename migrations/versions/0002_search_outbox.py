"""search outbox

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 17:10:14.451653

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('index_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_index_changes'))
    )
    with op.batch_alter_table('index_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_index_changes_project_id'), ['project_id'], unique=False)



def downgrade():
    with op.batch_alter_table('index_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_index_changes_project_id'))

    op.drop_table('index_changes')

"""tools attached to write-ups

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 18:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('tools',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('clinical_system', sa.String(length=20), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('download_count', sa.Integer(), nullable=False),
    sa.Column('reused_from_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('removed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('removed_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_tools_project_id_projects'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['removed_by_id'], ['users.id'], name=op.f('fk_tools_removed_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['reused_from_id'], ['tools.id'], name=op.f('fk_tools_reused_from_id_tools'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tools'))
    )
    with op.batch_alter_table('tools', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tools_clinical_system'), ['clinical_system'], unique=False)
        batch_op.create_index(batch_op.f('ix_tools_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_tools_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_tools_removed_at'), ['removed_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_tools_reused_from_id'), ['reused_from_id'], unique=False)

    op.create_table('tool_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tool_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('extension', sa.String(length=10), nullable=False),
    sa.Column('content_type', sa.String(length=120), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['tool_id'], ['tools.id'], name=op.f('fk_tool_versions_tool_id_tools'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_tool_versions_uploaded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tool_versions')),
    sa.UniqueConstraint('tool_id', 'number', name=op.f('uq_tool_versions_tool_id'))
    )
    with op.batch_alter_table('tool_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tool_versions_sha256'), ['sha256'], unique=False)



def downgrade():
    with op.batch_alter_table('tool_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tool_versions_sha256'))

    op.drop_table('tool_versions')
    with op.batch_alter_table('tools', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tools_reused_from_id'))
        batch_op.drop_index(batch_op.f('ix_tools_removed_at'))
        batch_op.drop_index(batch_op.f('ix_tools_project_id'))
        batch_op.drop_index(batch_op.f('ix_tools_kind'))
        batch_op.drop_index(batch_op.f('ix_tools_clinical_system'))

    op.drop_table('tools')

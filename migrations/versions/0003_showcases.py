"""showcases

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 18:05:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('showcases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=200), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('introduction', sa.Text(), nullable=False),
    sa.Column('introduction_html', sa.Text(), nullable=False),
    sa.Column('theme_id', sa.Integer(), nullable=True),
    sa.Column('is_published', sa.Boolean(), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_showcases_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['theme_id'], ['tags.id'], name=op.f('fk_showcases_theme_id_tags'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_showcases')),
    sa.UniqueConstraint('slug', name=op.f('uq_showcases_slug'))
    )
    with op.batch_alter_table('showcases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_showcases_is_published'), ['is_published'], unique=False)
        batch_op.create_index(batch_op.f('ix_showcases_published_at'), ['published_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_showcases_theme_id'), ['theme_id'], unique=False)

    op.create_table('showcase_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('showcase_id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('note_html', sa.Text(), nullable=False),
    sa.Column('added_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_showcase_items_project_id_projects'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['showcase_id'], ['showcases.id'], name=op.f('fk_showcase_items_showcase_id_showcases'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_showcase_items')),
    sa.UniqueConstraint('showcase_id', 'project_id', name=op.f('uq_showcase_items_showcase_id'))
    )
    with op.batch_alter_table('showcase_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_showcase_items_project_id'), ['project_id'], unique=False)



def downgrade():
    with op.batch_alter_table('showcase_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_showcase_items_project_id'))

    op.drop_table('showcase_items')
    with op.batch_alter_table('showcases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_showcases_theme_id'))
        batch_op.drop_index(batch_op.f('ix_showcases_published_at'))
        batch_op.drop_index(batch_op.f('ix_showcases_is_published'))

    op.drop_table('showcases')

"""question bank: categories and questions

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""
from alembic import op
import sqlalchemy as sa
import academy.db


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('question_category',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('path', sa.String(length=500), nullable=False),
    sa.Column('created_at', academy.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_question_category')),
    sa.UniqueConstraint('path', name=op.f('uq_question_category_path'))
    )
    op.create_table('question',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('type', sa.String(length=20), nullable=False),
    sa.Column('title', sa.String(length=255), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('format', sa.String(length=16), server_default='moodle', nullable=False),
    sa.Column('general_feedback', sa.Text(), server_default='', nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('tags', sa.JSON(), nullable=False),
    sa.Column('source_file', sa.String(length=500), nullable=True),
    sa.Column('source_line', sa.Integer(), nullable=True),
    sa.Column('created_at', academy.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', academy.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("type IN ('multichoice', 'truefalse', 'shortanswer', 'matching', 'numerical', 'essay', 'description')", name=op.f('ck_question_type_known')),
    sa.ForeignKeyConstraint(['category_id'], ['question_category.id'], name=op.f('fk_question_category_id_question_category'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_question')),
    sa.UniqueConstraint('category_id', 'title', name='uq_question_category_title')
    )
    with op.batch_alter_table('question', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_question_category_id'), ['category_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('question', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_question_category_id'))

    op.drop_table('question')
    op.drop_table('question_category')

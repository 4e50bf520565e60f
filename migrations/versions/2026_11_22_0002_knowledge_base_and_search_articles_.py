"""knowledge base and search: articles, revisions, reads, acknowledgements, feedback, index outbox, search log

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""
from alembic import op
import sqlalchemy as sa
import academy.db


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('index_outbox',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('entity', sa.String(length=32), nullable=False),
    sa.Column('entity_id', sa.Integer(), nullable=False),
    sa.Column('operation', sa.String(length=16), nullable=False),
    sa.Column('created_at', academy.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_index_outbox'))
    )
    op.create_table('article',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=120), nullable=False),
    sa.Column('lang', sa.String(length=8), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('product', sa.String(length=80), server_default='', nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('summary', sa.Text(), server_default='', nullable=False),
    sa.Column('tags', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('requires_acknowledgement', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('is_new_offering', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('verify_every_days', sa.Integer(), server_default='180', nullable=False),
    sa.Column('verified_at', academy.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('current_revision_id', sa.Integer(), nullable=True),
    sa.Column('published_at', academy.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_major_at', academy.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_major_number', sa.Integer(), nullable=True),
    sa.Column('updated_at', academy.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_at', academy.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('source_hash', sa.String(length=64), nullable=True),
    sa.CheckConstraint("kind IN ('product', 'policy', 'guide')", name=op.f('ck_article_kind_known')),
    sa.CheckConstraint("status IN ('draft', 'in_review', 'published', 'archived')", name=op.f('ck_article_status_known')),
    sa.ForeignKeyConstraint(['owner_id'], ['user_account.id'], name=op.f('fk_article_owner_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_article')),
    sa.UniqueConstraint('slug', 'lang', name='uq_article_slug_lang')
    )
    with op.batch_alter_table('article', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_article_slug'), ['slug'], unique=False)
        batch_op.create_index(batch_op.f('ix_article_status'), ['status'], unique=False)

    op.create_table('search_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('query', sa.String(length=500), nullable=False),
    sa.Column('normalized_query', sa.String(length=500), nullable=False),
    sa.Column('lang', sa.String(length=8), server_default='', nullable=False),
    sa.Column('filters', sa.JSON(), nullable=False),
    sa.Column('result_count', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=16), server_default='web', nullable=False),
    sa.Column('opened_slug', sa.String(length=120), nullable=True),
    sa.Column('opened_lang', sa.String(length=8), nullable=True),
    sa.Column('opened_rank', sa.Integer(), nullable=True),
    sa.Column('opened_at', academy.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', academy.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_search_log_user_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_search_log'))
    )
    with op.batch_alter_table('search_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_search_log_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_search_log_normalized_query'), ['normalized_query'], unique=False)
        batch_op.create_index(batch_op.f('ix_search_log_user_id'), ['user_id'], unique=False)

    op.create_table('whats_new_seen',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('seen_at', academy.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_whats_new_seen_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_whats_new_seen'))
    )
    op.create_table('revision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('summary', sa.Text(), server_default='', nullable=False),
    sa.Column('tags', sa.JSON(), nullable=False),
    sa.Column('body_md', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('toc_html', sa.Text(), server_default='', nullable=False),
    sa.Column('change_note', sa.String(length=500), server_default='', nullable=False),
    sa.Column('is_major', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('based_on', sa.Integer(), nullable=True),
    sa.Column('created_at', academy.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('published_at', academy.db.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint("state IN ('draft', 'in_review', 'published')", name=op.f('ck_revision_state_known')),
    sa.ForeignKeyConstraint(['article_id'], ['article.id'], name=op.f('fk_revision_article_id_article'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['author_id'], ['user_account.id'], name=op.f('fk_revision_author_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_revision')),
    sa.UniqueConstraint('article_id', 'number', name='uq_revision_article_number')
    )
    with op.batch_alter_table('revision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_revision_article_id'), ['article_id'], unique=False)
    # article <-> revision is a cycle: the article's pointer to its current revision is
    # added once both tables exist.
    with op.batch_alter_table('article', schema=None) as batch_op:
        batch_op.create_foreign_key(op.f('fk_article_current_revision_id_revision'), 'revision',
                                    ['current_revision_id'], ['id'], ondelete='SET NULL')

    op.create_table('acknowledgement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('revision_id', sa.Integer(), nullable=False),
    sa.Column('revision_number', sa.Integer(), nullable=False),
    sa.Column('acknowledged_at', academy.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['article.id'], name=op.f('fk_acknowledgement_article_id_article'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['revision_id'], ['revision.id'], name=op.f('fk_acknowledgement_revision_id_revision'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_acknowledgement_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_acknowledgement')),
    sa.UniqueConstraint('user_id', 'revision_id', name='uq_acknowledgement_user_revision')
    )
    with op.batch_alter_table('acknowledgement', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_acknowledgement_article_id'), ['article_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_acknowledgement_user_id'), ['user_id'], unique=False)

    op.create_table('article_feedback',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('revision_id', sa.Integer(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('is_helpful', sa.Boolean(), nullable=False),
    sa.Column('reason', sa.String(length=1000), server_default='', nullable=False),
    sa.Column('created_at', academy.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['article.id'], name=op.f('fk_article_feedback_article_id_article'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['revision_id'], ['revision.id'], name=op.f('fk_article_feedback_revision_id_revision'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_article_feedback_user_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_article_feedback'))
    )
    with op.batch_alter_table('article_feedback', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_article_feedback_article_id'), ['article_id'], unique=False)

    op.create_table('article_read',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('revision_id', sa.Integer(), nullable=False),
    sa.Column('revision_number', sa.Integer(), nullable=False),
    sa.Column('read_at', academy.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['article.id'], name=op.f('fk_article_read_article_id_article'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['revision_id'], ['revision.id'], name=op.f('fk_article_read_revision_id_revision'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_article_read_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_article_read')),
    sa.UniqueConstraint('user_id', 'revision_id', name='uq_article_read_user_revision')
    )
    with op.batch_alter_table('article_read', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_article_read_article_id'), ['article_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_article_read_user_id'), ['user_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('article', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('fk_article_current_revision_id_revision'), type_='foreignkey')
    with op.batch_alter_table('article_read', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_article_read_user_id'))
        batch_op.drop_index(batch_op.f('ix_article_read_article_id'))

    op.drop_table('article_read')
    with op.batch_alter_table('article_feedback', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_article_feedback_article_id'))

    op.drop_table('article_feedback')
    with op.batch_alter_table('acknowledgement', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_acknowledgement_user_id'))
        batch_op.drop_index(batch_op.f('ix_acknowledgement_article_id'))

    op.drop_table('acknowledgement')
    with op.batch_alter_table('revision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_revision_article_id'))

    op.drop_table('revision')
    op.drop_table('whats_new_seen')
    with op.batch_alter_table('search_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_search_log_user_id'))
        batch_op.drop_index(batch_op.f('ix_search_log_normalized_query'))
        batch_op.drop_index(batch_op.f('ix_search_log_created_at'))

    op.drop_table('search_log')
    with op.batch_alter_table('article', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_article_status'))
        batch_op.drop_index(batch_op.f('ix_article_slug'))

    op.drop_table('article')
    op.drop_table('index_outbox')

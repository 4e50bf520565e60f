"""practice scenarios, sessions and review

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22
"""
from alembic import op
import sqlalchemy as sa
import academy.db


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('scenario',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=120), nullable=False),
    sa.Column('lang', sa.String(length=8), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('course', sa.String(length=120), nullable=False),
    sa.Column('difficulty', sa.Integer(), server_default='1', nullable=False),
    sa.Column('path', sa.String(length=500), nullable=False),
    sa.Column('is_active', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('current_version_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', academy.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("channel IN ('phone', 'chat', 'email', 'post', 'fax', 'in_person')", name=op.f('ck_scenario_channel_known')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scenario')),
    sa.UniqueConstraint('key', 'lang', name='uq_scenario_key_lang')
    )
    with op.batch_alter_table('scenario', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_scenario_key'), ['key'], unique=False)

    op.create_table('scenario_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('scenario_id', sa.Integer(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('library_source', sa.Text(), nullable=False),
    sa.Column('source_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', academy.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['scenario_id'], ['scenario.id'], name=op.f('fk_scenario_version_scenario_id_scenario'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scenario_version')),
    sa.UniqueConstraint('scenario_id', 'revision', name='uq_scenario_version_scenario_revision')
    )
    with op.batch_alter_table('scenario_version', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_scenario_version_scenario_id'), ['scenario_id'], unique=False)
    # scenario <-> scenario_version is a cycle: the pointer to the current version is added
    # once both tables exist.
    with op.batch_alter_table('scenario', schema=None) as batch_op:
        batch_op.create_foreign_key(op.f('fk_scenario_current_version_id_scenario_version'), 'scenario_version',
                                    ['current_version_id'], ['id'], ondelete='SET NULL')

    op.create_table('practice_session',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('scenario_version_id', sa.Integer(), nullable=False),
    sa.Column('seed', sa.Integer(), nullable=False),
    sa.Column('phase', sa.String(length=24), nullable=False),
    sa.Column('conversation', sa.JSON(), nullable=False),
    sa.Column('mood', sa.Double(), nullable=False),
    sa.Column('patience', sa.Double(), nullable=False),
    sa.Column('outcome', sa.String(length=24), nullable=True),
    sa.Column('started_at', academy.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ended_at', academy.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('score', sa.Integer(), nullable=True),
    sa.Column('passed', sa.Boolean(), nullable=True),
    sa.Column('rubric', sa.JSON(), nullable=True),
    sa.Column('reviewed_at', academy.db.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint("phase IN ('before_first_contact', 'after_first_contact')", name=op.f('ck_practice_session_phase_known')),
    sa.ForeignKeyConstraint(['scenario_version_id'], ['scenario_version.id'], name=op.f('fk_practice_session_scenario_version_id_scenario_version'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_practice_session_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_practice_session'))
    )
    with op.batch_alter_table('practice_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_practice_session_scenario_version_id'), ['scenario_version_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_practice_session_user_id'), ['user_id'], unique=False)

    op.create_table('labelled_reply',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('lang', sa.String(length=8), nullable=False),
    sa.Column('moves', sa.JSON(), nullable=False),
    sa.Column('matched', sa.JSON(), nullable=False),
    sa.Column('scenario_key', sa.String(length=120), nullable=True),
    sa.Column('session_id', sa.Integer(), nullable=True),
    sa.Column('turn', sa.Integer(), nullable=True),
    sa.Column('labelled_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', academy.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['labelled_by_id'], ['user_account.id'], name=op.f('fk_labelled_reply_labelled_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['session_id'], ['practice_session.id'], name=op.f('fk_labelled_reply_session_id_practice_session'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_labelled_reply'))
    )
    op.create_table('practice_review_note',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('trainer_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('criterion', sa.String(length=120), nullable=True),
    sa.Column('met', sa.Boolean(), nullable=True),
    sa.Column('turn', sa.Integer(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('created_at', academy.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('override', 'comment')", name=op.f('ck_practice_review_note_kind_known')),
    sa.ForeignKeyConstraint(['session_id'], ['practice_session.id'], name=op.f('fk_practice_review_note_session_id_practice_session'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['trainer_id'], ['user_account.id'], name=op.f('fk_practice_review_note_trainer_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_practice_review_note'))
    )
    with op.batch_alter_table('practice_review_note', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_practice_review_note_session_id'), ['session_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('scenario', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('fk_scenario_current_version_id_scenario_version'), type_='foreignkey')
    with op.batch_alter_table('practice_review_note', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_practice_review_note_session_id'))

    op.drop_table('practice_review_note')
    op.drop_table('labelled_reply')
    with op.batch_alter_table('practice_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_practice_session_user_id'))
        batch_op.drop_index(batch_op.f('ix_practice_session_scenario_version_id'))

    op.drop_table('practice_session')
    with op.batch_alter_table('scenario_version', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_scenario_version_scenario_id'))

    op.drop_table('scenario_version')
    with op.batch_alter_table('scenario', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_scenario_key'))

    op.drop_table('scenario')

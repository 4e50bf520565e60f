"""accounts: users, cohorts and API tokens (the first schema)

Revision ID: 0001
Revises: 
Create Date: 2026-11-22
"""
from alembic import op
import sqlalchemy as sa
import academy.db


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('cohort',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('created_at', academy.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cohort')),
    sa.UniqueConstraint('name', name=op.f('uq_cohort_name'))
    )
    op.create_table('user_account',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('language', sa.String(length=8), server_default='en', nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=True),
    sa.Column('cohort_id', sa.Integer(), nullable=True),
    sa.Column('hired_at', sa.Date(), nullable=True),
    sa.Column('cleared_for_contact_at', academy.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('cleared_by_id', sa.Integer(), nullable=True),
    sa.Column('clearance_override_reason', sa.Text(), nullable=True),
    sa.Column('first_contact_at', academy.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('is_active', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('created_at', academy.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_login_at', academy.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('session_version', sa.Integer(), server_default='1', nullable=False),
    sa.CheckConstraint("role IN ('specialist', 'trainer', 'supervisor', 'admin')", name=op.f('ck_user_account_role_known')),
    sa.ForeignKeyConstraint(['cleared_by_id'], ['user_account.id'], name=op.f('fk_user_account_cleared_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohort.id'], name=op.f('fk_user_account_cohort_id_cohort'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_account')),
    sa.UniqueConstraint('email', name=op.f('uq_user_account_email'))
    )
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_account_cohort_id'), ['cohort_id'], unique=False)

    op.create_table('api_token',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=120), server_default='', nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', academy.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_used_at', academy.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', academy.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_api_token_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_token')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_api_token_token_hash'))
    )
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_token_user_id'), ['user_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_token_user_id'))

    op.drop_table('api_token')
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_account_cohort_id'))

    op.drop_table('user_account')
    op.drop_table('cohort')

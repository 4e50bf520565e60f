"""courses, quizzes, attempts and refresher cards

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22
"""
from alembic import op
import sqlalchemy as sa
import academy.db


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('course',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=120), nullable=False),
    sa.Column('lang', sa.String(length=8), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('description', sa.Text(), server_default='', nullable=False),
    sa.Column('before_first_contact', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('is_published', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('source_hash', sa.String(length=64), nullable=True),
    sa.Column('source_path', sa.String(length=500), nullable=True),
    sa.Column('created_at', academy.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', academy.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_course')),
    sa.UniqueConstraint('slug', 'lang', name='uq_course_slug_lang')
    )
    with op.batch_alter_table('course', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_course_slug'), ['slug'], unique=False)

    op.create_table('quiz',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('source_file', sa.String(length=500), nullable=True),
    sa.Column('category_path', sa.String(length=500), nullable=True),
    sa.Column('question_count', sa.Integer(), nullable=True),
    sa.Column('pass_mark', sa.Double(), server_default='80', nullable=False),
    sa.Column('attempts_allowed', sa.Integer(), nullable=True),
    sa.Column('shuffle_answers', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('time_limit_seconds', sa.Integer(), nullable=True),
    sa.Column('behaviour', sa.String(length=16), server_default='deferred', nullable=False),
    sa.Column('penalty', sa.Double(), server_default='0.3333333', nullable=False),
    sa.Column('review', sa.JSON(), nullable=False),
    sa.Column('question_points', sa.JSON(), nullable=False),
    sa.Column('created_at', academy.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', academy.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("behaviour IN ('deferred', 'immediate')", name=op.f('ck_quiz_behaviour_known')),
    sa.CheckConstraint('pass_mark >= 0 AND pass_mark <= 100', name=op.f('ck_quiz_pass_mark_percent')),
    sa.CheckConstraint('penalty >= 0 AND penalty <= 1', name=op.f('ck_quiz_penalty_fraction')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quiz'))
    )
    op.create_table('course_module',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=120), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('required_articles', sa.JSON(), nullable=False),
    sa.Column('quiz_id', sa.Integer(), nullable=True),
    sa.Column('practice_scenario', sa.String(length=120), nullable=True),
    sa.Column('practice_min_score', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['course_id'], ['course.id'], name=op.f('fk_course_module_course_id_course'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['quiz_id'], ['quiz.id'], name=op.f('fk_course_module_quiz_id_quiz'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_course_module')),
    sa.UniqueConstraint('course_id', 'key', name='uq_course_module_course_key')
    )
    with op.batch_alter_table('course_module', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_course_module_course_id'), ['course_id'], unique=False)

    op.create_table('attempt',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('quiz_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('phase', sa.String(length=24), nullable=False),
    sa.Column('seed', sa.Integer(), nullable=False),
    sa.Column('started_at', academy.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('deadline_at', academy.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('submitted_at', academy.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('points', sa.Double(), nullable=True),
    sa.Column('max_points', sa.Double(), nullable=True),
    sa.Column('score', sa.Double(), nullable=True),
    sa.Column('passed', sa.Boolean(), nullable=True),
    sa.CheckConstraint("phase IN ('before_first_contact', 'after_first_contact')", name=op.f('ck_attempt_phase_known')),
    sa.CheckConstraint("state IN ('in_progress', 'needs_grading', 'finished')", name=op.f('ck_attempt_state_known')),
    sa.ForeignKeyConstraint(['quiz_id'], ['quiz.id'], name=op.f('fk_attempt_quiz_id_quiz'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_attempt_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attempt')),
    sa.UniqueConstraint('quiz_id', 'user_id', 'number', name='uq_attempt_quiz_user_number')
    )
    with op.batch_alter_table('attempt', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attempt_quiz_id'), ['quiz_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_attempt_user_id'), ['user_id'], unique=False)

    op.create_table('cohort_enrollment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('enrolled_by_id', sa.Integer(), nullable=True),
    sa.Column('enrolled_at', academy.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohort.id'], name=op.f('fk_cohort_enrollment_cohort_id_cohort'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['course_id'], ['course.id'], name=op.f('fk_cohort_enrollment_course_id_course'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['enrolled_by_id'], ['user_account.id'], name=op.f('fk_cohort_enrollment_enrolled_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cohort_enrollment')),
    sa.UniqueConstraint('course_id', 'cohort_id', name='uq_cohort_enrollment_course_cohort')
    )
    with op.batch_alter_table('cohort_enrollment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cohort_enrollment_cohort_id'), ['cohort_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cohort_enrollment_course_id'), ['course_id'], unique=False)

    op.create_table('enrollment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('enrolled_by_id', sa.Integer(), nullable=True),
    sa.Column('cohort_id', sa.Integer(), nullable=True),
    sa.Column('enrolled_at', academy.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('phase', sa.String(length=24), nullable=False),
    sa.Column('completed_at', academy.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('certificate_code', sa.String(length=32), nullable=True),
    sa.CheckConstraint("phase IN ('before_first_contact', 'after_first_contact')", name=op.f('ck_enrollment_phase_known')),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohort.id'], name=op.f('fk_enrollment_cohort_id_cohort'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['course_id'], ['course.id'], name=op.f('fk_enrollment_course_id_course'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['enrolled_by_id'], ['user_account.id'], name=op.f('fk_enrollment_enrolled_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_enrollment_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_enrollment')),
    sa.UniqueConstraint('certificate_code', name=op.f('uq_enrollment_certificate_code')),
    sa.UniqueConstraint('course_id', 'user_id', name='uq_enrollment_course_user')
    )
    with op.batch_alter_table('enrollment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_enrollment_course_id'), ['course_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_enrollment_user_id'), ['user_id'], unique=False)

    op.create_table('lesson',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('module_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('body_md', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['module_id'], ['course_module.id'], name=op.f('fk_lesson_module_id_course_module'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lesson')),
    sa.UniqueConstraint('module_id', 'key', name='uq_lesson_module_key')
    )
    with op.batch_alter_table('lesson', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lesson_module_id'), ['module_id'], unique=False)

    op.create_table('prerequisite',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('module_id', sa.Integer(), nullable=True),
    sa.Column('required_course_slug', sa.String(length=120), nullable=True),
    sa.Column('required_module_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('(required_course_slug IS NULL) <> (required_module_id IS NULL)', name=op.f('ck_prerequisite_requires_one_thing')),
    sa.ForeignKeyConstraint(['course_id'], ['course.id'], name=op.f('fk_prerequisite_course_id_course'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['module_id'], ['course_module.id'], name=op.f('fk_prerequisite_module_id_course_module'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['required_module_id'], ['course_module.id'], name=op.f('fk_prerequisite_required_module_id_course_module'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_prerequisite'))
    )
    with op.batch_alter_table('prerequisite', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_prerequisite_course_id'), ['course_id'], unique=False)

    op.create_table('refresher_card',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('due_at', academy.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('memory', sa.JSON(), nullable=False),
    sa.Column('reviews', sa.Integer(), server_default='0', nullable=False),
    sa.Column('lapses', sa.Integer(), server_default='0', nullable=False),
    sa.Column('last_reviewed_at', academy.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', academy.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['question_id'], ['question.id'], name=op.f('fk_refresher_card_question_id_question'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_refresher_card_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_refresher_card')),
    sa.UniqueConstraint('user_id', 'question_id', name='uq_refresher_card_user_question')
    )
    with op.batch_alter_table('refresher_card', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_refresher_card_due_at'), ['due_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_refresher_card_question_id'), ['question_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_refresher_card_user_id'), ['user_id'], unique=False)

    op.create_table('lesson_completion',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('lesson_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('completed_at', academy.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('phase', sa.String(length=24), nullable=False),
    sa.CheckConstraint("phase IN ('before_first_contact', 'after_first_contact')", name=op.f('ck_lesson_completion_phase_known')),
    sa.ForeignKeyConstraint(['lesson_id'], ['lesson.id'], name=op.f('fk_lesson_completion_lesson_id_lesson'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_lesson_completion_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lesson_completion')),
    sa.UniqueConstraint('lesson_id', 'user_id', name='uq_lesson_completion_lesson_user')
    )
    with op.batch_alter_table('lesson_completion', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lesson_completion_lesson_id'), ['lesson_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_lesson_completion_user_id'), ['user_id'], unique=False)

    op.create_table('quiz_response',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('attempt_id', sa.Integer(), nullable=False),
    sa.Column('slot', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=True),
    sa.Column('question', sa.JSON(), nullable=False),
    sa.Column('order', sa.JSON(), nullable=False),
    sa.Column('max_points', sa.Double(), nullable=False),
    sa.Column('answer', sa.JSON(), nullable=True),
    sa.Column('saved_at', academy.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('tries', sa.Integer(), server_default='0', nullable=False),
    sa.Column('fraction', sa.Double(), nullable=True),
    sa.Column('state', sa.String(length=16), nullable=True),
    sa.Column('feedback', sa.JSON(), nullable=False),
    sa.Column('graded_by_id', sa.Integer(), nullable=True),
    sa.Column('graded_at', academy.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('grader_comment', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['attempt_id'], ['attempt.id'], name=op.f('fk_quiz_response_attempt_id_attempt'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['graded_by_id'], ['user_account.id'], name=op.f('fk_quiz_response_graded_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['question_id'], ['question.id'], name=op.f('fk_quiz_response_question_id_question'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quiz_response')),
    sa.UniqueConstraint('attempt_id', 'slot', name='uq_quiz_response_attempt_slot')
    )
    with op.batch_alter_table('quiz_response', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_quiz_response_attempt_id'), ['attempt_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_quiz_response_question_id'), ['question_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('quiz_response', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_quiz_response_question_id'))
        batch_op.drop_index(batch_op.f('ix_quiz_response_attempt_id'))

    op.drop_table('quiz_response')
    with op.batch_alter_table('lesson_completion', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lesson_completion_user_id'))
        batch_op.drop_index(batch_op.f('ix_lesson_completion_lesson_id'))

    op.drop_table('lesson_completion')
    with op.batch_alter_table('refresher_card', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_refresher_card_user_id'))
        batch_op.drop_index(batch_op.f('ix_refresher_card_question_id'))
        batch_op.drop_index(batch_op.f('ix_refresher_card_due_at'))

    op.drop_table('refresher_card')
    with op.batch_alter_table('prerequisite', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_prerequisite_course_id'))

    op.drop_table('prerequisite')
    with op.batch_alter_table('lesson', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lesson_module_id'))

    op.drop_table('lesson')
    with op.batch_alter_table('enrollment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_enrollment_user_id'))
        batch_op.drop_index(batch_op.f('ix_enrollment_course_id'))

    op.drop_table('enrollment')
    with op.batch_alter_table('cohort_enrollment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cohort_enrollment_course_id'))
        batch_op.drop_index(batch_op.f('ix_cohort_enrollment_cohort_id'))

    op.drop_table('cohort_enrollment')
    with op.batch_alter_table('attempt', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attempt_user_id'))
        batch_op.drop_index(batch_op.f('ix_attempt_quiz_id'))

    op.drop_table('attempt')
    with op.batch_alter_table('course_module', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_course_module_course_id'))

    op.drop_table('course_module')
    op.drop_table('quiz')
    with op.batch_alter_table('course', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_course_slug'))

    op.drop_table('course')

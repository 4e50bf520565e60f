"""Signals between domains. Each is declared once, here, with who sends it and what it
carries; receivers (progress, reports) connect in their ``init_app``."""
from blinker import Namespace

_signals = Namespace()

revision_published = _signals.signal("revision-published")
"""Sent by knowledge.services.publish_revision after a revision became current.
Sender: the Article; kwargs: session, revision, actor (User or None), is_major (bool)."""

article_read = _signals.signal("article-read")
"""Sent by knowledge.services.record_read the first time a user opens a revision.
Sender: the Article; kwargs: session, user, revision."""

article_acknowledged = _signals.signal("article-acknowledged")
"""Sent by knowledge.services.acknowledge_article. Sender: the Article; kwargs: session,
user, revision."""

attempt_finished = _signals.signal("attempt-finished")
"""Sent by quizzes.attempts when an attempt is fully graded (on submit, or when a trainer
grades its last essay). Sender: the Attempt; kwargs: session. Receivers: refreshers (wrong
answers after first contact become refresher cards), courses (module completion)."""

lesson_completed = _signals.signal("lesson-completed")
"""Sent by courses.services when a learner completes a lesson. Sender: the Lesson;
kwargs: session, user."""

course_completed = _signals.signal("course-completed")
"""Sent by courses.services when an enrolment becomes complete. Sender: the Enrollment;
kwargs: session."""

cohort_joined = _signals.signal("cohort-joined")
"""Sent by accounts.services when a user is put in a cohort (created in it, or moved to it).
Sender: the User; kwargs: session, cohort. Receivers: courses (courses given to the cohort
are given to its new member)."""

practice_finished = _signals.signal("practice-finished")
"""Sent by practice.services when a practice session is ended and scored (and again when a
trainer's override changes its score). Sender: the PracticeSession; kwargs: session.
Receivers: courses (a module's practice requirement)."""

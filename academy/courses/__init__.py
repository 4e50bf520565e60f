"""Courses: modules with lessons, required reading, a quiz and practice; enrolment,
completion and certificates."""

"""Quizzes: the question bank, its formats (GIFT, Aiken, Moodle XML), quizzes, attempts and grading."""

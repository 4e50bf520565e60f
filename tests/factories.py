"""factory_boy factories with named variants per role."""
from __future__ import annotations

import datetime as dt

import factory
from factory.alchemy import SQLAlchemyModelFactory
from werkzeug.security import generate_password_hash

from academy.accounts.models import Cohort, Role, User

PASSWORD = "correct horse battery"
# Hashed once: scrypt is deliberately slow, and most tests never check a password.
PASSWORD_HASH = generate_password_hash(PASSWORD, method="scrypt")


class _Base(SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session = None
        sqlalchemy_session_persistence = "flush"


def bind(session) -> None:
    """Point every factory at the test's session."""
    for factory_class in (_Base, *_all_subclasses(_Base)):
        factory_class._meta.sqlalchemy_session = session


def _all_subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _all_subclasses(sub)


class CohortFactory(_Base):
    class Meta:
        model = Cohort

    name = factory.Sequence(lambda n: f"Intake {n}")
    starts_on = dt.date(2026, 9, 1)


class UserFactory(_Base):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"person{n}@lumen.example")
    name = factory.Sequence(lambda n: f"Person {n}")
    role = Role.SPECIALIST.value
    language = "en"
    password_hash = PASSWORD_HASH
    is_active = True


class SpecialistFactory(UserFactory):
    role = Role.SPECIALIST.value
    hired_at = dt.date(2026, 9, 1)


class TrainerFactory(UserFactory):
    role = Role.TRAINER.value


class SupervisorFactory(UserFactory):
    role = Role.SUPERVISOR.value


class AdminFactory(UserFactory):
    role = Role.ADMIN.value


def published_article(session, slug="refunds", lang="en", *, title=None, body=None, author=None, **fields):
    """An article created and published through the knowledge services."""
    from academy.knowledge import services

    article = services.create_article(
        session, slug=slug, lang=lang, author=author,
        fields=services.ArticleFields(title=title or slug.replace("-", " ").title(),
                                      body_md=body or f"Text of {slug} in {lang}.", **fields))
    services.publish_revision(session, article, article.revisions[-1], actor=author)
    return article

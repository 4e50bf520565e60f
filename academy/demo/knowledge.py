"""Demo activity on the shipped articles: publication dates spread over past months,
two new offerings and two policy updates in the last days, colleagues who read and
acknowledged some of them, articles due for verification, helpfulness votes and a few
weeks of searches (including ones that found nothing)."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Session

from academy.accounts.models import Role, User
from academy.db import utcnow
from academy.knowledge import services
from academy.knowledge.models import Article, ArticleStatus, Feedback
from academy.search.models import SearchLog

# (slug, days ago) of recent events; languages follow whatever translations exist.
NEW_OFFERINGS = {"fibre-max-2500": 6, "family-bundle": 10}
POLICY_UPDATES = {
    "refunds": (3, {
        "en": "## Update: goodwill credits\n\nFrom this week, goodwill credits between 20 and 150 EUR are approved "
              "by the billing team within one working day. Tell the customer when to expect the answer.\n",
        "cs": "## Novinka: vstřícné dobropisy\n\nOd tohoto týdne schvaluje dobropisy mezi 500 a 3 750 Kč fakturační "
              "tým do jednoho pracovního dne. Řekněte zákazníkovi, kdy může odpověď očekávat.\n",
        "de": "## Neu: Kulanzgutschriften\n\nAb dieser Woche genehmigt das Abrechnungsteam Kulanzgutschriften "
              "zwischen 20 und 150 EUR innerhalb eines Werktags. Sagen Sie dem Kunden, wann er mit der Antwort "
              "rechnen kann.\n",
    }),
    "data-protection": (1, {
        "en": "## Update: call recordings\n\nCustomers may now ask for a copy of a call recording. Treat it as an "
              "access request: forward it to privacy@lumen.example within 24 hours.\n",
        "cs": "## Novinka: nahrávky hovorů\n\nZákazníci nyní mohou požádat o kopii nahrávky hovoru. Jde o žádost o "
              "přístup: předejte ji do 24 hodin na privacy@lumen.example.\n",
    }),
}
DUE_FOR_VERIFICATION = ("moving-house", "lumen-tv", "fax-and-post")
# (query, what was opened from the results or None, how many results there were)
SEARCHES = (
    ("refund double charge", "billing-disputes", 6), ("router red light", "router-setup", 5),
    ("fibre max price", "fibre-max-2500", 4), ("eskalace", "escalation", 3), ("rückerstattung", "refunds", 2),
    ("sąskaita", None, 3), ("esim iphone", "esim-activation", 4), ("roaming switzerland", None, 0),
    ("cancel contract early", None, 5), ("tv replay", "lumen-tv", 2), ("apple tv app", None, 0),
    ("power of attorney fax", "fax-and-post", 3), ("moving house fibre", None, 4), ("router red ligth", None, 0),
)


def _articles(session: Session, slug: str) -> list[Article]:
    return list(session.scalars(sa.select(Article).where(Article.slug == slug,
                                                         Article.status == ArticleStatus.PUBLISHED)))


def load(session: Session) -> None:
    now = utcnow()
    users = list(session.scalars(sa.select(User)))
    trainer = next(u for u in users if u.role == Role.TRAINER)
    specialists = [u for u in users if u.role == Role.SPECIALIST]
    for user in users:  # people joined before the recent updates
        if user.role != Role.SPECIALIST:
            user.created_at = now - dt.timedelta(days=30)
        elif user.hired_at:
            user.created_at = dt.datetime.combine(user.hired_at, dt.time(8), dt.timezone.utc)

    articles = list(session.scalars(sa.select(Article).where(Article.status == ArticleStatus.PUBLISHED)))
    for index, article in enumerate(sorted(articles, key=lambda a: (a.slug, a.lang))):
        when = now - dt.timedelta(days=40 + (index * 7) % 120)
        article.published_at = article.last_major_at = article.updated_at = when
        article.current_revision.published_at = article.current_revision.created_at = when
        article.verified_at = when
        article.owner = article.owner or trainer
    for slug in DUE_FOR_VERIFICATION:
        for article in _articles(session, slug):
            article.verified_at = None
            article.published_at = now - dt.timedelta(days=article.verify_every_days + 12)
    for slug, days in NEW_OFFERINGS.items():
        for article in _articles(session, slug):
            article.published_at = article.last_major_at = article.updated_at = now - dt.timedelta(days=days)
            article.current_revision.published_at = article.published_at
    for slug, (days, additions) in POLICY_UPDATES.items():
        for article in _articles(session, slug):
            if article.lang not in additions:
                continue
            current = article.current_revision
            revision = services.save_revision(
                session, article, author=trainer, based_on=current.number, is_major=True,
                change_note="Policy update", fields=services.ArticleFields(
                    title=current.title, body_md=current.body_md.rstrip() + "\n\n" + additions[article.lang],
                    kind=article.kind, product=article.product, summary=current.summary, tags=tuple(current.tags),
                    requires_acknowledgement=article.requires_acknowledgement,
                    verify_every_days=article.verify_every_days))
            revision.created_at = now - dt.timedelta(days=days, hours=1)
            services.publish_revision(session, article, revision, actor=trainer, now=revision.created_at
                                      + dt.timedelta(hours=1))
    session.flush()
    _readers(session, specialists, now)
    _feedback_and_searches(session, specialists, now)
    session.flush()


def _readers(session: Session, specialists: list[User], now: dt.datetime) -> None:
    """Colleagues who already caught up with some updates (the demo logins have not)."""
    demo_login = specialists[0]
    for position, user in enumerate(u for u in specialists if u is not demo_login):
        for slug, days in {**NEW_OFFERINGS, **{s: d for s, (d, _) in POLICY_UPDATES.items()}}.items():
            if position % 3 == 2:
                continue  # someone is always behind: the awareness page shows who
            versions = {a.lang: a for a in _articles(session, slug)}
            article = versions.get(user.language) or versions.get("en")
            if article is None:
                continue
            read_at = article.last_major_at + dt.timedelta(hours=3 + 9 * position)
            if read_at < now:
                services.record_read(session, user, article, now=read_at)
                if article.requires_acknowledgement:
                    services.acknowledge_article(session, user, article, now=read_at + dt.timedelta(minutes=4))


def _feedback_and_searches(session: Session, specialists: list[User], now: dt.datetime) -> None:
    votes = (("router-setup", True, ""), ("router-setup", True, ""),
             ("refunds", False, "Which limit applies in CZK for goodwill credits?"), ("fibre-max-2500", True, ""))
    for number, (slug, helpful, reason) in enumerate(votes):
        article = next((a for a in _articles(session, slug) if a.lang == "en"), None)
        if article is not None:
            session.add(Feedback(article_id=article.id, revision_id=article.current_revision_id,
                                 user_id=specialists[number % len(specialists)].id, is_helpful=helpful, reason=reason,
                                 created_at=now - dt.timedelta(days=2, hours=number)))
    for number, (query, opened, results) in enumerate(SEARCHES):
        for repeat in range(1 + number % 3):
            user = specialists[(number + repeat) % len(specialists)]
            at = now - dt.timedelta(days=(number * 2 + repeat) % 20, hours=repeat)
            session.add(SearchLog(
                user_id=user.id, query=query, normalized_query=query, lang="", filters={}, result_count=results,
                source="web", created_at=at, opened_slug=opened, opened_lang="en" if opened else None,
                opened_rank=1 if opened else None, opened_at=at + dt.timedelta(seconds=20) if opened else None))

"""``academy search QUERY`` (search as the web does) and ``academy index rebuild``."""
from __future__ import annotations

import json

import click
from flask import current_app
from flask.cli import with_appcontext

from academy.config import LANGUAGES
from academy.db import get_session
from academy.knowledge.models import Kind
from academy.search import index, searcher


@click.command("search")
@click.argument("query")
@click.option("--lang", type=click.Choice(LANGUAGES), help="Only articles in this language.")
@click.option("--kind", type=click.Choice([kind.value for kind in Kind]), help="Only this kind of article.")
@click.option("--product", help="Only articles about this product.")
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, searcher.MAX_LIMIT))
@click.option("--json", "as_json", is_flag=True, help="Print the API's JSON shape.")
@with_appcontext
def search_command(query, lang, kind, product, limit, as_json):
    """Search published articles as the web search does."""
    result = searcher.search(get_session(), query, lang=lang, kind=kind, product=product, limit=limit,
                             index_dir=index.index_dir_for(current_app))
    if as_json:
        data = result.as_dict()
        for hit in data["results"]:
            hit["url"] = f"/kb/{hit['lang']}/{hit['slug']}"
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    if result.suggestion:
        click.echo(f"Did you mean: {result.suggestion}")
    for rank, hit in enumerate(result.results, 1):
        click.echo(f"{rank}. {hit.title} ({hit.slug}.{hit.lang}) {hit.score:.2f}")
    click.echo(f"{result.total} result(s).")


@click.group("index")
def index_group():
    """The search index (derived from the database; safe to rebuild at any time)."""


@index_group.command("rebuild")
@with_appcontext
def rebuild_command():
    """Rebuild the search index from the database."""
    report = index.rebuild(get_session(), index.index_dir_for(current_app))
    click.echo(f"Indexed {report.articles} article(s) in {report.seconds:.1f} s.")

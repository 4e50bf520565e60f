"""Search: language-aware analysis, the Whoosh index (derived from the database and
written only through the outbox), the searcher, and the search log trainers analyse."""


def init_app(app) -> None:
    """Register the search pages, and the indexer and commands (``setup``)."""
    from academy.search import setup
    from academy.search.views import bp

    app.register_blueprint(bp)
    setup.init_app(app)

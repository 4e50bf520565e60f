"""A conversation as lines of text, the way ``academy practice play`` reads them: a line is
what the agent says, or a command for one of the practice screen's buttons. Golden tests
replay such scripts to pin the customer's answers and the score.

Commands: ``/open SLUG``, ``/search WORDS``, ``/escalate``, ``/hold``,
``/record NATURE RESOLUTION yes|no``, ``/end``, ``/state``.
"""
from __future__ import annotations

import shlex

from academy.practice.engine import Conversation, Engine, PracticeError

HELP = ("Type what you say to the customer. Commands: /open SLUG, /search WORDS, /escalate, /hold, "
        "/record NATURE RESOLUTION yes|no, /end, /state")


def run_line(engine: Engine, conv: Conversation, line: str, at: float) -> list[str]:
    """Apply one script line at ``at`` seconds; returns what the customer answers (or, for
    ``/state``, a description of the conversation's state)."""
    line = line.strip()
    if not line.startswith("/"):
        return engine.agent_says(conv, line, at)
    name, *args = shlex.split(line[1:]) or [""]
    if name == "open" and args:
        return engine.act(conv, "open_article", at, slug=args[0])
    if name == "search":
        return engine.act(conv, "search", at, query=" ".join(args))
    if name in ("escalate", "hold", "end"):
        return engine.act(conv, name, at)
    if name == "record" and len(args) >= 3:
        return engine.act(conv, "record", at, nature=args[0], resolution=args[1],
                          escalated=args[2].lower() in ("yes", "true", "1"))
    if name == "state":
        return [f"(state {conv.state}, mood {conv.mood:.0f}, patience {conv.patience:.0f}, vars {conv.vars})"]
    raise PracticeError(HELP)


def replay(engine: Engine, lines: list[str], seed: int = 1, seconds_per_line: float = 30.0) -> Conversation:
    """Play a whole script from a fresh conversation, one line every ``seconds_per_line``,
    ending the session if the script did not."""
    conv = engine.start(seed)
    for number, line in enumerate((line for line in lines if line.strip()), start=1):
        if conv.finished:
            break
        run_line(engine, conv, line, number * seconds_per_line)
    if not conv.finished:
        engine.act(conv, "end", (len(lines) + 1) * seconds_per_line)
    return conv

"""What the attempt page and its review show of a question: only what the learner may see.

``learner_view`` is all the attempt page gets of a question before submission: its text, the
answer texts in their shown order, the matching items and the answers offered for them.
Fractions, feedback and accepted answers stay out of it, so the page cannot give the key away
whatever a template does. ``given`` turns a stored answer back into the form's values;
``answer_lines`` and ``right_answer_lines`` say in words what was answered and what was right,
for the review. Pure: no database, no request.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from academy.quizzes import grading
from academy.quizzes.display import question_html

# How the browser reads a question's fields (attempt.js) and the server reads its form.
KINDS = {"multichoice": "single", "truefalse": "single", "shortanswer": "text", "numerical": "text",
         "essay": "text", "matching": "matching", "description": "none"}


def kind_of(question: dict) -> str:
    if question["type"] == "multichoice" and not question.get("single"):
        return "multi"
    return KINDS[question["type"]]


def learner_view(response, number: int, answer=None) -> dict:
    """The question of ``response`` as the learner sees it while answering. ``answer`` is the
    raw answer to show (the stored one unless a form is being shown again)."""
    question = response.question
    qtype = question["type"]
    return {
        "slot": response.slot, "number": number, "type": qtype, "kind": kind_of(question),
        "single": bool(question.get("single")), "max_points": response.max_points,
        "text_html": question_html(question["text"], question.get("format") or "moodle"),
        "answers": [{"text": a["text"]} for a in question.get("answers", [])] if qtype == "multichoice" else [],
        "order": list(response.order) if qtype == "multichoice" else None,
        "pairs": [{"question": p["question"]} for p in question.get("pairs", [])] if qtype == "matching" else [],
        "choices": list(response.order) if qtype == "matching" else [],
        "given": given(question, response.answer if answer is None else answer),
    }


def given(question: dict, raw):
    """A raw answer as the form's fields hold it: the chosen index as text, a list of them, a
    mapping of item index to answer, or the typed text (as typed)."""
    kind = kind_of(question)
    try:
        canonical = grading.normalise_response(question, raw)
    except grading.ResponseError:
        canonical = None
    if kind == "text":
        return raw if isinstance(raw, str) else ("" if raw is None else str(raw))
    if canonical is None:
        return {"multi": [], "matching": {}}.get(kind)
    if question["type"] == "truefalse":
        return "true" if canonical else "false"
    if kind == "multi":
        return [str(index) for index in canonical]
    if kind == "matching":
        return {str(index): choice for index, choice in canonical.items()}
    return str(canonical)


def _truth(value: bool):
    return _l("True") if value else _l("False")


def answer_lines(question: dict, raw, order: list) -> list:
    """What was answered, in words, one line per chosen answer or matched item."""
    try:
        canonical = grading.normalise_response(question, raw)
    except grading.ResponseError:
        return []
    if canonical is None:
        return []
    qtype = question["type"]
    if qtype == "multichoice":
        chosen = {canonical} if question.get("single") else set(canonical)
        shown = order or list(range(len(question["answers"])))
        return [question["answers"][index]["text"] for index in shown if index in chosen]
    if qtype == "truefalse":
        return [_truth(canonical)]
    if qtype == "matching":
        return [f"{question['pairs'][index]['question']} → {choice}" for index, choice in sorted(canonical.items())]
    return [raw if isinstance(raw, str) else str(raw)]


def right_answer_lines(question: dict) -> list:
    """The right answer in words (the best-credited ones); nothing for essays and descriptions."""
    qtype = question["type"]
    if qtype == "multichoice":
        answers = question["answers"]
        if question.get("single"):
            best = max(a["fraction"] for a in answers)
            return [a["text"] for a in answers if a["fraction"] == best and best > 0]
        return [a["text"] for a in answers if a["fraction"] > 0]
    if qtype == "truefalse":
        return [_truth(question["correct"])]
    if qtype == "shortanswer":
        best = max(a["fraction"] for a in question["answers"])
        return [a["text"] for a in question["answers"] if a["fraction"] == best and best > 0]
    if qtype == "numerical":
        best = max(n["fraction"] for n in question["numerical"])
        return [f"{n['value']:g} ± {n['tolerance']:g}" if n["tolerance"] else f"{n['value']:g}"
                for n in question["numerical"] if n["fraction"] == best and best > 0]
    if qtype == "matching":
        return [f"{p['question']} → {p['answer']}" for p in question["pairs"] if p["question"].strip()]
    return []


def raw_from_form(question: dict, slot: int, form) -> object:
    """The raw answer to the question in ``slot`` as a posted attempt form carries it (the
    field names the attempt page gives ``quizzes/_answer_fields.html``: ``q<slot>``, and
    ``q<slot>-<item>`` for matching)."""
    name = f"q{slot}"
    kind = kind_of(question)
    if kind == "multi":
        return form.getlist(name)
    if kind == "matching":
        prefix = name + "-"
        return {key.removeprefix(prefix): value for key, value in form.items() if key.startswith(prefix)}
    if kind == "text":
        return form.get(name, "")
    return form.get(name)

import pytest

from academy.practice.expressions import ExpressionError, compile_expression

SCOPE = {"mood": 70, "patience": 2, "turn": 3, "vars": {"guessed": True, "name": "Eva"},
         "moves": {"blame": 2, "greet": 0}, "kb": {"refunds": True}}


@pytest.mark.parametrize("source, expected", [
    ("mood >= 70", True),
    ("mood > 70", False),
    ("patience <= 0 or mood >= 95", False),
    ("patience <= 2 and mood >= 60", True),
    ("vars.guessed", True),
    ("not vars.guessed", False),
    ("vars.missing", False),
    ("not vars.missing", True),
    ("vars.missing == 0", False),         # missing is not zero
    ("vars.missing < 5", False),          # ordering something missing is never true
    ("moves.blame > 1 and kb.refunds", True),
    ("moves.greet == 0", True),
    ("vars.name == 'Eva'", True),
    ('vars.name != "Eva"', False),
    ("(mood > 90 or turn == 3) and not (patience < 1)", True),
    ("not not vars.guessed", True),
    ("true and not false", True),
    ("mood >= 69.5", True),
    ("vars.name > 3", False),             # a text is not ordered against a number
    ("vars.guessed > 0", False),          # nor is a flag
])
def test_conditions_evaluate(source, expected):
    assert compile_expression(source)(SCOPE) is expected


def test_names_lists_what_the_condition_reads():
    expression = compile_expression("mood > 3 and (vars.a or not moves.blame == 2)")
    assert expression.names == {("mood",), ("vars", "a"), ("moves", "blame")}


@pytest.mark.parametrize("source, column, message", [
    ("mood >=", 8, "expected a value, found the end"),
    ("mood > 3 and", 13, "expected a value"),
    ("(mood > 3", 10, "expected ')'"),
    ("mood > 3)", 9, "expected end"),
    ("mood = 3", 6, "unexpected character '='"),
    ("__import__('os')", 11, "expected end, found '('"),
    ("vars.", 6, "expected name"),
    ("mood > 3 > 2", 10, "expected end, found '>'"),
    ("", 1, "non-empty"),
])
def test_bad_conditions_name_the_column(source, column, message):
    with pytest.raises(ExpressionError) as caught:
        compile_expression(source)
    assert caught.value.column == column
    assert message in str(caught.value)


def test_nothing_is_executed():
    # Attribute access on Python objects is not part of the language: a dotted name only
    # walks mappings, so nothing reachable from a value is ever called or read.
    scope = {"vars": object()}
    assert compile_expression("vars.__class__")(scope) is False

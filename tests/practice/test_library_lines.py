"""The shipped move library on lines of the kinds it once misread (each case stands for an
error class found on a development set, not for the sentence itself)."""
from pathlib import Path

import pytest

from academy.practice import evaluation, scenario_files

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def library():
    _parsed, library, problems = scenario_files.read_all(ROOT)
    assert problems == []
    return library


CASES = [
    ("en", 'When the app crashes, the box says "Sorry, something went wrong".', set()),           # a quotation
    ("en", "The box shows 'Sorry, this channel is not in your package'.", set()),
    ("en", "Thank you for calling, goodbye.", {"close"}),                                          # leave-taking
    ("en", "Hello? Are you still there?", set()),
    ("en", "Sorry, which router model did you say it was?", {"ask_details"}),                     # "pardon?"
    ("en", "I'm not saying it's your fault at all.", set()),
    ("en", "Your customer number is printed at the top of every invoice.", set()),
    ("en", "Your complaint was resolved by our second-line team last week.", set()),
    ("cs", "Tak děkuji za zavolání a dobrý den.", {"close"}),
    ("cs", "Chyba je na lince mezi rozvaděčem a vaším domem.", set()),
    ("cs", "Rozumím, router tedy bliká červeně.", set()),
    ("de", "Die Auslastung im Netz beruhigt sich meist nach Mitternacht.", set()),
    ("de", "Ihrem Schreiben entnehme ich, dass die Gutschrift noch fehlt.", {"summarize"}),
    ("lt", "Nesakau, kad tai jūsų kaltė – šie maršrutizatoriai kartais taip elgiasi.", set()),
    ("et", "Saan teie murest aru.", {"empathize"}),
    ("et", "Võtan kokku: eSIM on paigaldatud, aga võrku ei ole.", {"summarize"}),
]


@pytest.mark.parametrize(("lang", "text", "moves"), CASES, ids=[f"{lang}-{i}" for i, (lang, _t, _m) in enumerate(CASES)])
def test_the_library_reads_the_line(library, lang, text, moves):
    matcher = evaluation.library_matcher(library, lang)
    assert {m.move for m in matcher.match(text)} == moves

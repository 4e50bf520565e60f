"""The Whoosh posting-matcher speed-ups match and score exactly as Whoosh's own code."""
from __future__ import annotations

import random

import whoosh.index
from whoosh import query as wq
from whoosh.codec import whoosh3
from whoosh.fields import ID, TEXT, Schema

from academy.search import schema, speedups


def run_all(ix, queries, rounds=1):
    with ix.searcher(weighting=schema.weighting()) as searcher:  # one postings file: one block cache
        return [[[(hit.docnum, round(hit.score, 9)) for hit in searcher.search(q, limit=None)] for q in queries]
                for _ in range(rounds)]


def test_patched_matcher_gives_the_same_results_as_whoosh(tmp_path, monkeypatch):
    rng = random.Random(3)
    vocabulary = [f"w{number}" for number in range(12)]
    ix = whoosh.index.create_in(str(tmp_path), Schema(id=ID(stored=True), text=TEXT()))
    writer = ix.writer()
    for number in range(1500):  # posting lists of several 128-posting blocks, rare and common terms
        words = [word for rank, word in enumerate(vocabulary) if rng.random() < 0.9 / (rank + 1)]
        writer.add_document(id=str(number), text=" ".join(words + ["filler"] * rng.randrange(5)))
    writer.commit()
    queries = [wq.And([wq.Term("text", a), wq.Term("text", b)]) for a in vocabulary[:6] for b in vocabulary[6:]]
    queries += [wq.Or([wq.And([wq.Term("text", "w0"), wq.Term("text", "w9")]), wq.Term("text", "w11")]),
                wq.AndNot(wq.Term("text", "w1"), wq.Term("text", "w2")), wq.Phrase("text", ["w0", "w1"])]
    monkeypatch.setattr(whoosh3.W3LeafMatcher, "skip_to", speedups._original_skip_to)
    monkeypatch.setattr(whoosh3.W3LeafMatcher, "_read_ids", speedups._original_read_ids)
    expected = run_all(ix, queries)
    monkeypatch.setattr(whoosh3.W3LeafMatcher, "skip_to", speedups._skip_to)
    monkeypatch.setattr(whoosh3.W3LeafMatcher, "_read_ids", speedups._read_ids)
    assert run_all(ix, queries, rounds=2) == expected * 2  # the second round from cached blocks
    assert any(len(result) > 20 for result in expected[0])

"""Plain-word queries ranked on posting arrays give exactly what Whoosh's matchers give:
the same documents, scores to the bit, order and totals."""
from __future__ import annotations

import pickle
import random
import zlib

import numpy as np
import pytest
import whoosh.index
from whoosh import query as wq
from whoosh.fields import ID, TEXT, Schema

from academy.search import postings, schema, searcher

FIELDS = ("text_a", "text_b")  # two languages: a document fills one of them


def build_index(path, documents, batches=1, deleted=()):
    """An index of ``documents`` ((id, field, text)), committed in ``batches`` segments,
    then with the ``deleted`` ids deleted."""
    ix = whoosh.index.create_in(str(path), Schema(id=ID(stored=True, unique=True), text_a=TEXT(), text_b=TEXT()))
    size = -(-len(documents) // batches)
    for start in range(0, len(documents), size):
        writer = ix.writer()
        for doc_id, field, text in documents[start:start + size]:
            writer.add_document(id=doc_id, **{field: text})
        writer.commit(merge=False)
    if deleted:
        writer = ix.writer()
        for doc_id in deleted:
            writer.delete_by_term("id", doc_id)
        writer.commit(merge=False)
    return ix


def random_documents(count, seed=5):
    """Rare and common words, repeated (term weights above 1), in one field or the other."""
    rng = random.Random(seed)
    words = [f"w{number}" for number in range(10)]
    documents = []
    for number in range(count):
        chosen = [word for rank, word in enumerate(words) if rng.random() < 0.9 / (rank + 1)]
        text = " ".join(chosen * rng.randrange(1, 3) + ["filler"] * rng.randrange(8))
        documents.append((str(number), FIELDS[rng.random() < 0.3], text or "filler"))
    return documents


def both_ways(searcher_, query, limit, filter=None):
    """(posting arrays' ranking, Whoosh's ranking) of ``query``."""
    return (postings.PostingCache(searcher_).rank(query, limit, filter),
            searcher._whoosh_rank(searcher_, query, limit, filter))


def word(field, *texts):
    terms = [wq.Term(field, text) for text in texts]
    return terms[0] if len(terms) == 1 else wq.DisjunctionMax(terms)


def plain_queries():
    """Terms, ANDs of terms and disjunction-max words, ORs of them over the two fields."""
    queries = []
    for a, b in [("w0", "w5"), ("w1", "w2"), ("w3", "w8"), ("w6", "w9"), ("w0", "filler")]:
        for field in FIELDS:
            queries.append(word(field, a))
            queries.append(wq.And([word(field, a), word(field, b)]))
            queries.append(wq.And([word(field, a, b), word(field, "w4")]))
            queries.append(wq.And([word(field, "w7", a), word(field, b, "w2"), word(field, "filler")]))
        queries.append(wq.Or([wq.And([word(field, a, "w7"), word(field, b)]) for field in FIELDS]))
    return queries


@pytest.mark.parametrize("batches, deleted", [(1, 0), (3, 0), (3, 90)])
def test_ranks_plain_queries_exactly_as_whoosh(tmp_path, batches, deleted):
    documents = random_documents(1500)
    doomed = [doc_id for doc_id, _, _ in random.Random(2).sample(documents, deleted)]
    ix = build_index(tmp_path, documents, batches=batches, deleted=doomed)
    with ix.searcher(weighting=schema.weighting()) as searcher_:
        assert len(searcher_.leaf_searchers()) == batches
        assert searcher_.reader().has_deletions() == bool(deleted)
        some = wq.Term("id", "7") | wq.Term("text_a", "w1")
        compared = 0
        for query in plain_queries():
            for limit, filter in [(10, None), (1, None), (5000, None), (10, some)]:
                ours, whooshs = both_ways(searcher_, query, limit, filter)
                assert ours is not None, query  # every query here has the shape ranked on arrays
                assert ours == whooshs, (query, limit)
                compared += len(ours[0])
        assert compared > 1000


def test_a_missing_variant_scores_at_its_next_live_document(tmp_path):
    # Whoosh's disjunction-max takes its children's current scores: at document 0 the
    # variant "beta" stands on its next posting (document 1, deleted, so document 2).
    documents = [("0", "text_a", "alpha key"), ("1", "text_a", " ".join(["beta"] * 12)),
                 ("2", "text_a", "beta beta filler")] + [(str(n), "text_a", "alpha") for n in range(3, 9)]
    ix = build_index(tmp_path, documents, deleted=["1"])
    query = wq.And([word("text_a", "alpha", "beta"), word("text_a", "key")])
    with ix.searcher(weighting=schema.weighting()) as searcher_:
        ours, whooshs = both_ways(searcher_, query, 10)
    assert ours == whooshs
    assert [docnum for _, docnum in ours[0]] == [0]


def test_a_document_matching_in_two_branches_is_left_to_whoosh(tmp_path):
    ix = whoosh.index.create_in(str(tmp_path), Schema(id=ID(stored=True), text_a=TEXT(), text_b=TEXT()))
    with ix.writer() as writer:
        writer.add_document(id="both", text_a="refund", text_b="refund")
    with ix.searcher(weighting=schema.weighting()) as searcher_:
        both = wq.Or([word("text_a", "refund"), word("text_b", "refund")])
        assert postings.PostingCache(searcher_).rank(both, 10) is None
        top, total = postings.PostingCache(searcher_).rank(word("text_a", "refund"), 10)
        assert [docnum for _, docnum in top] == [0] and total == 1


@pytest.mark.parametrize("query", [
    wq.Phrase("text_a", ["w0", "w1"]),
    wq.AndNot(wq.Term("text_a", "w0"), wq.Term("text_a", "w1")),
    wq.Or([wq.Term("text_a", "w0"), wq.Term("text_a", "w1")], scale=0.9),
    wq.Term("text_a", "w0", boost=0.8),
    wq.And([wq.Or([wq.Term("text_a", "w0"), wq.Term("text_a", "w1")]), wq.Term("text_a", "w2")]),
    wq.Term("id", "1"),
])
def test_other_queries_are_left_to_whoosh(tmp_path, query):
    ix = build_index(tmp_path, random_documents(50))
    with ix.searcher(weighting=schema.weighting()) as searcher_:
        assert postings.PostingCache(searcher_).rank(query, 10) is None


def test_block_heads_are_read_as_whoosh_unpickles_the_blocks(tmp_path):
    # Weights all 1 ("one"), all 2 ("two"), mixed ("mixed"); gaps under 256 and above
    # ("sparse"); blocks of fewer than four postings (the tails).
    documents = []
    for number in range(2000):
        words = ["one", "two two", "mixed" * 1 + " mixed" * (number % 3)]
        if number % 300 == 0:
            words.append("sparse")
        documents.append((str(number), "text_a", " ".join(words)))
    ix = build_index(tmp_path, documents)
    with ix.reader() as reader:
        postfile = reader._terms._postfile
        read = 0
        for text in ("one", "two", "mixed", "sparse"):
            _, blocks = postings._block_directory(postfile, reader.term_info("text_a", text).extent()[0])
            for start, size, compression, count in blocks:
                data = postfile.get(start, size)
                deltas, weights, _ = pickle.loads(zlib.decompress(data) if compression else data)
                ids, read_weights = postings._read_block(postfile, start, size, compression, count)
                assert ids.tolist() == np.cumsum(deltas).tolist()
                assert read_weights.tolist() == postings._block_weights(weights, count).tolist()
                read += 1
        assert read > 40

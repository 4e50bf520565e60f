"""Plain-word queries ranked on cached posting arrays, with Whoosh's scores to the bit.

Whoosh ranks ``(a OR a') AND b`` by walking a tree of matcher objects one posting at a
time: several Python calls per posting, and per matching document a BM25 score per term
with a field-length lookup of its own. On the 10,000-article bench corpus that was most
of a search's time. The queries :class:`~academy.search.schema.QueryBuilder` makes of
plain words have one shape: an OR over languages of the AND of the words, each word one
term or a disjunction-max of its variants. For that shape :class:`PostingCache` finds
the matches and scores with numpy, on posting blocks decoded and scored once per
searcher (blocks of the words most queries share are then ready; see ``bench/README.md``
for the figures). Any other query (phrases, NOT, spelling alternatives, the relaxed OR,
boosts) gets None and is ranked by Whoosh.

**Same results as Whoosh.** What Whoosh's matcher tree computes, reproduced exactly:

* a term's score is Whoosh's own :func:`whoosh.scoring.bm25` applied to arrays: the same
  float64 operations in the same order round the same way; idf and average field length
  come from the searcher as Whoosh's scorer takes them, the field length from the same
  one-byte encoding in the same column.
* an AND adds its children's scores in the shape of the tree Whoosh builds for it
  (``make_weighted_tree`` over the children's estimated sizes in that segment): float
  addition is not associative, so the grouping matters.
* a disjunction-max takes the maximum of its children's *current* scores, and not all
  of Whoosh's children stand on the document being scored: each stands on its first
  posting at or after it (the union's invariant under ``next`` and ``skip_to``), so a
  variant that the document lacks contributes its score at its next document.
* an OR over languages adds nothing: an article fills its own language's text field
  only, so each document matches in one branch (a query where one matches in two is
  handed back to Whoosh).
* deleted documents are skipped wherever Whoosh's ``FilterMatcher`` skips them, and
  results come in Whoosh's collector order: score, then document number.

The posting format read here is Whoosh 2.7.4's ``W3`` codec (the version is pinned).
"""
from __future__ import annotations

import bisect
import pickle
import struct
import zlib
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
from whoosh import query as wq
from whoosh import scoring
from whoosh.codec import whoosh3
from whoosh.reading import TermNotFound
from whoosh.util.numeric import byte_to_length

BLOCKS = 8192  # decoded posting blocks kept per searcher (up to 128 postings each)
TERMS = 20_000  # block directories of terms kept per searcher
_NO_DOC = -1
_EMPTY = (np.empty(0, np.int64), np.empty(0, np.float64))
# Field length of each one-byte length code, as Whoosh decodes it for BM25.
_LENGTHS = np.array([byte_to_length(code) for code in range(256)], dtype=np.float64)


@dataclass(frozen=True)
class _Word:
    terms: tuple  # ((field, text), ...)
    compound: bool  # a disjunction-max: its size estimate is capped at the segment's document count


def plan(query) -> list[list[_Word]] | None:
    """The branches (an OR's children) of words (an AND's children) of ``query``, or None
    when it has another shape or a boost."""
    if _plain(query, wq.Or) and query.scale is None and not query.minmatch:
        branches = query.subqueries
    else:
        branches = [query]
    planned = []
    for branch in branches:
        words = [_word(child) for child in (branch.subqueries if _plain(branch, wq.And) else [branch])]
        if not words or None in words:
            return None
        planned.append(words)
    return planned or None


def _word(query) -> _Word | None:
    if _plain_term(query):
        return _Word(((query.fieldname, query.text),), compound=False)
    if _plain(query, wq.DisjunctionMax) and query.subqueries and all(map(_plain_term, query.subqueries)):
        return _Word(tuple((q.fieldname, q.text) for q in query.subqueries), compound=True)
    return None


def _plain_term(query) -> bool:
    return _plain(query, wq.Term) and not query.minquality


def _plain(query, cls) -> bool:
    return type(query) is cls and query.boost == 1.0


class PostingCache:
    """Ranks plain-word queries on one searcher (see the module docstring). Holds the
    posting blocks it decoded, with their scores, which depend on this searcher's idf
    and average field lengths: it is discarded with the searcher. Not thread-safe: used
    under the searcher's lock."""

    def __init__(self, searcher):
        self.searcher = searcher
        self._segments = [_Segment(sub.reader(), offset) for sub, offset in searcher.leaf_searchers()]
        self._terms: OrderedDict = OrderedDict()  # (segment number, field, text) -> _Postings | None
        self._blocks: OrderedDict = OrderedDict()  # (segment number, field, text, block number) -> _Block

    def rank(self, query, limit: int, filter=None) -> tuple[list[tuple[float, int]], int] | None:
        """The best ``limit`` (score, docnum) pairs for ``query``, best first, and the number
        of matches, as Whoosh's collectors give them (``filter``: a query the documents must
        also match); None when the query is not one this class ranks."""
        branches = plan(query)
        if branches is None or not self._bm25_scored(branches):
            return None
        docs, scores = self._matches(branches)
        if docs is None:
            return None
        if filter is not None:
            allowed = np.isin(docs, np.fromiter(self.searcher.docs_for_query(filter), np.int64))
            docs, scores = docs[allowed], scores[allowed]
        return _top(docs, scores, limit), len(docs)

    def _bm25_scored(self, branches) -> bool:
        """Whether Whoosh would score every term of ``branches`` with plain BM25F."""
        weighting = self.searcher.weighting
        if type(weighting) is not scoring.BM25F or weighting._field_B or weighting.use_final:
            return False
        fields = {field for words in branches for word in words for field, _ in word.terms}
        schema = self.searcher.schema
        return all(field in schema and schema[field].scorable for field in fields)

    def _matches(self, branches):
        """Global docnums and scores of every match, or (None, None) when a document
        matches in two branches (Whoosh would add the two scores)."""
        found = []
        for number, segment in enumerate(self._segments):
            for words in branches:
                docs, scores = self._branch(number, segment, words)
                if len(docs):
                    found.append((docs + segment.offset, scores))
        if not found:
            return _EMPTY
        docs = np.concatenate([docs for docs, _ in found])
        if len(found) > 1 and len(np.unique(docs)) != len(docs):
            return None, None
        return docs, np.concatenate([scores for _, scores in found])

    def _branch(self, number, segment, words):
        """Segment docnums and scores of the documents matching all of ``words``."""
        postings = [[p for p in (self._postings(number, segment, field, text) for field, text in word.terms)
                     if p is not None] for word in words]
        if not all(postings):
            return _EMPTY  # a word none of whose terms is in this segment
        sizes = [_estimated_size(segment, word, lists) for word, lists in zip(words, postings)]
        order = sorted(range(len(words)), key=sizes.__getitem__)
        docs = self._all_docs(number, segment, postings[order[0]])
        for i in order[1:]:
            if not len(docs):
                return _EMPTY
            docs = docs[self._contains(number, postings[i], docs)]
        if not len(docs):
            return _EMPTY
        scores = [self._word_scores(number, segment, lists, docs) for lists in postings]
        return docs, _tree_sum([-size for size in sizes], scores)

    def _all_docs(self, number, segment, lists):
        """The live documents having any of the terms ``lists``."""
        docs = None
        for postings in lists:
            ids, _ = self._blocks_of(number, postings, range(len(postings.maxids)), scored=False)
            docs = ids if docs is None else np.union1d(docs, ids)
        if segment.deleted is not None:
            docs = docs[~segment.deleted[docs]]
        return docs

    def _contains(self, number, lists, docs):
        """Which of ``docs`` have any of the terms ``lists``."""
        present = np.zeros(len(docs), bool)
        for postings in lists:
            present |= self._first_at_or_after(number, postings, docs, scored=False)[0] == docs
        return present

    def _word_scores(self, number, segment, lists, docs):
        """The score of a word at each of ``docs`` (which all have it): its term's, or the
        disjunction-max of its terms' scores at their first live posting at or after
        each document (see the module docstring)."""
        best = None
        for postings in lists:
            ids, scores = self._first_at_or_after(number, postings, docs)
            if segment.deleted is not None:
                _skip_deleted(segment.deleted, ids, scores,
                              lambda targets, p=postings: self._first_at_or_after(number, p, targets))
            best = scores if best is None else np.maximum(best, scores)
        return best

    def _first_at_or_after(self, number, postings, targets, scored=True):
        """For each target docnum (ascending), the term's first posting at or after it
        (deleted or not), as docnums and (when ``scored``) scores; -1 and -inf where the
        postings end before it."""
        if targets[0] > postings.maxids[-1]:
            return np.full(len(targets), _NO_DOC, np.int64), np.full(len(targets), -np.inf) if scored else None
        # Each target's posting is in the first block whose last docnum is at or after
        # it, and the blocks before it that are included end below the target: one search
        # over the included blocks finds it.
        blocks = np.searchsorted(postings.maxids, targets[targets <= postings.maxids[-1]])
        needed = blocks[np.concatenate(([True], blocks[1:] != blocks[:-1]))]  # ascending: its distinct values
        ids, scores = self._blocks_of(number, postings, needed.tolist(), scored)
        at = np.searchsorted(ids, targets)
        if at[-1] < len(ids):
            return ids[at], scores[at] if scored else None
        found = at < len(ids)
        at = np.minimum(at, len(ids) - 1)
        return np.where(found, ids[at], _NO_DOC), np.where(found, scores[at], -np.inf) if scored else None

    def _blocks_of(self, number, postings, block_numbers, scored):
        """The docnums and (when ``scored``, else None) scores of the given blocks of
        ``postings``, concatenated. Scores are computed for a block when first asked for:
        most blocks are read only to intersect."""
        if postings.inline is not None:
            blocks = [postings.inline]
        else:
            blocks = [self._block(number, postings, block_number) for block_number in block_numbers]
        if scored:
            for block in blocks:
                if block.scores is None:
                    block.scores = self._scores(self._segments[number], postings, block)
                    block.weights = None
        if len(blocks) == 1:
            return blocks[0].ids, blocks[0].scores if scored else None
        ids = np.concatenate([block.ids for block in blocks])
        return ids, np.concatenate([block.scores for block in blocks]) if scored else None

    def _block(self, number, postings, block_number):
        key = (number, postings.field, postings.text, block_number)
        block = self._blocks.get(key)
        if block is not None:
            self._blocks.move_to_end(key)
            return block
        ids, weights = _read_block(self._segments[number].postfile, *postings.blocks[block_number])
        block = self._blocks[key] = _Block(ids, weights)
        if len(self._blocks) > BLOCKS:
            self._blocks.popitem(last=False)
        return block

    def _scores(self, segment, postings, block):
        """BM25 of the term at each posting of ``block``, as Whoosh's BM25FScorer computes
        it: ``scoring.bm25(idf, weight, length, average length, B, K1)``, that is
        ``idf * ((weight * (K1 + 1)) / (weight + K1 * ((1 - B) + B * length / average)))``,
        with the part of each document's length taken from :meth:`_Segment.length_norms`
        (the same operations in the same order, so the same float64 results)."""
        searcher, field = self.searcher, postings.field
        K1 = searcher.weighting.K1
        idf = searcher.idf(field, postings.text)
        norms = segment.length_norms(field, searcher.weighting, searcher.avg_field_length(field) or 1)
        weights = block.weights
        return idf * ((weights * (K1 + 1)) / (weights + norms[block.ids]))

    def _postings(self, number, segment, field, text):
        """The block directory of a term in a segment (None when the segment lacks it)."""
        key = (number, field, text)
        if key in self._terms:
            self._terms.move_to_end(key)
            return self._terms[key]
        try:
            postings = _Postings(field, text, segment.reader.term_info(field, text), segment.postfile)
        except TermNotFound:
            postings = None
        self._terms[key] = postings
        if len(self._terms) > TERMS:
            self._terms.popitem(last=False)
        return postings


class _Segment:
    """One segment's reader, docnum offset, deleted documents and field length norms."""

    def __init__(self, reader, offset: int):
        self.reader = reader
        self.offset = offset
        self.deleted = None  # boolean array by docnum, when there are deleted documents
        if reader.has_deletions():
            self.deleted = np.zeros(reader.doc_count_all(), bool)
            self.deleted[list(reader._perdoc.deleted_docs())] = True
        self._norms: dict[str, np.ndarray] = {}

    @property
    def postfile(self):
        return self.reader._terms._postfile

    def length_norms(self, field: str, weighting, average: float) -> np.ndarray:
        """``K1 * ((1 - B) + B * length / average)`` for each document (the length as BM25
        sees it: read in one piece from the segment's length column, one byte per
        document, 0 past its end). ``weighting`` and ``average`` are the searcher's, fixed
        for this object's life."""
        if field not in self._norms:
            column = self.reader._perdoc._cached_reader(whoosh3._lenfield(field), whoosh3.LENGTHS_COLUMN)
            codes = np.zeros(self.reader.doc_count_all(), np.uint8)
            if column is not None and column._count:
                stored = np.frombuffer(column._dbfile.get(column._basepos, column._count), np.uint8)
                codes[:len(stored)] = stored
            B, K1 = weighting.B, weighting.K1
            self._norms[field] = K1 * ((1 - B) + B * _LENGTHS[codes] / average)
        return self._norms[field]


class _Block:
    """The docnums of a block of postings, and their weights until their scores are computed."""

    __slots__ = ("ids", "weights", "scores")

    def __init__(self, ids: np.ndarray, weights: np.ndarray):
        self.ids = ids
        self.weights = weights
        self.scores = None


class _Postings:
    """A term's postings in one segment: the last docnum and file extent of each block,
    or, for postings Whoosh inlines in the term table, the one block they make."""

    def __init__(self, field: str, text: str, terminfo, postfile):
        self.field = field
        self.text = text
        self.doc_frequency = terminfo.doc_frequency()
        self.inline = None
        if terminfo.is_inlined():
            ids, weights, _values = terminfo.inlined_postings()
            self.inline = _Block(np.array(ids, np.int64), np.array(weights or (1.0,) * len(ids), np.float64))
            self.maxids = self.inline.ids[-1:]
            self.blocks = []
        else:
            self.maxids, self.blocks = _block_directory(postfile, terminfo.extent()[0])


def _block_directory(postfile, offset: int):
    """(last docnum of each block, [(data offset, data length, compressed, postings), ...])
    of the postings at ``offset``, read as ``W3LeafMatcher._goto`` reads block headers."""
    postfile.seek(offset)
    if postfile.read(4) != whoosh3.WHOOSH3_HEADER_MAGIC:
        raise ValueError(f"no posting block header at offset {offset}")
    position = postfile.tell()
    maxids, blocks = [], []
    while True:
        postfile.seek(position)
        length = postfile.read_int()  # negative for the last block
        count, maxid, _maxweight, compression, _minlength, _maxlength = postfile.read_pickle()
        start = postfile.tell()
        end = position + 4 + abs(length)
        maxids.append(maxid)
        blocks.append((start, end - start, compression, count))
        if length < 0:
            return np.array(maxids, np.int64), blocks
        position = end


def _read_block(postfile, start: int, size: int, compression, count: int):
    """A block's docnums and weights (as ``W3LeafMatcher._read_ids`` and ``_read_weights``
    give them, as int64 and float64 arrays).

    The block is the pickle of (docnum deltas, weights, values), compressed. The values
    (positions) come last and are most of it: each is a bytes object that protocol 2
    rebuilds by calling ``_codecs.encode``, which made unpickling ~70 µs of a block's
    ~110 µs. Only the head is decompressed and read here (:func:`_parse_head`), and the
    whole block is unpickled only when the head is laid out otherwise."""
    data = postfile.get(start, size)
    head = zlib.decompressobj().decompress(data, _head_bytes(count)) if compression else data
    parsed = _parse_head(head, count)
    if parsed is None:
        deltas, weights, _values = pickle.loads(zlib.decompress(data) if compression else data)
        parsed = np.array(deltas, np.int64), _block_weights(weights, count)
    deltas, weights = parsed
    return np.cumsum(deltas, out=deltas), weights


def _head_bytes(count: int) -> int:
    """The most bytes the deltas and weights of ``count`` postings take in the pickle."""
    return 3 + 5 * count + 3 + 2 + 9 * count + 1


def _parse_head(head: bytes, count: int):
    """(int64 deltas, float64 weights) from the start of a block's pickle, or None when it
    is not laid out as Whoosh's ``dumps((deltas, weights, values), 2)`` lays out a block
    of four or more postings: PROTO 2, MARK, an int opcode per delta, TUPLE, BINPUT 0;
    then None, a BINFLOAT, or MARK, a BINFLOAT (``G`` and 8 bytes) per posting, TUPLE."""
    if count < 4 or head[:3] != b"\x80\x02(":
        return None
    parsed = _parse_deltas(head, 3, count)
    if parsed is None:
        return None
    deltas, position = parsed
    if head[position:position + 3] != b"tq\x00":
        return None
    position += 3
    kind = head[position:position + 1]
    if kind == b"N":
        return deltas, np.ones(count)
    if kind == b"G":
        return deltas, np.full(count, np.float32(struct.unpack_from(">d", head, position + 1)[0]), np.float64)
    end = position + 1 + 9 * count
    if kind != b"(" or head[position + 1:end:9] != b"G" * count or head[end:end + 1] != b"t":
        return None
    weights = np.ndarray((count,), ">f8", head, position + 2, (9,))
    return deltas, weights.astype(np.float64)


def _parse_deltas(head: bytes, position: int, count: int):
    """``count`` int opcodes from ``position``: (int64 deltas, position after them), or
    None. After the first delta (a block's first docnum) the rest are usually all under
    256, a BININT1 (``K`` and one byte) each, read at once; otherwise one by one."""
    deltas = np.empty(count, np.int64)
    parsed = _parse_int(head, position)
    if parsed is None:
        return None
    deltas[0], position = parsed
    end = position + 2 * (count - 1)
    if head[position:end:2] == b"K" * (count - 1):
        deltas[1:] = np.frombuffer(head[position + 1:end:2], np.uint8)
        return deltas, end
    for i in range(1, count):
        parsed = _parse_int(head, position)
        if parsed is None:
            return None
        deltas[i], position = parsed
    return deltas, position


def _parse_int(head: bytes, position: int):
    """The int of the BININT1/BININT2/BININT opcode at ``position`` and the position after it."""
    opcode = head[position:position + 1]
    if opcode == b"K" and len(head) >= position + 2:
        return head[position + 1], position + 2
    if opcode == b"M" and len(head) >= position + 3:
        return int.from_bytes(head[position + 1:position + 3], "little"), position + 3
    if opcode == b"J" and len(head) >= position + 5:
        return int.from_bytes(head[position + 1:position + 5], "little", signed=True), position + 5
    return None


def _block_weights(weights, count: int) -> np.ndarray:
    """A block's unpickled weights as ``W3LeafMatcher._read_weights`` gives them (None:
    all 1.0; one number: all that; stored as float32 either way)."""
    if weights is None:
        return np.ones(count)
    if isinstance(weights, float):
        return np.full(count, np.float32(weights), np.float64)
    return np.array(weights, np.float64)


def _skip_deleted(deleted, ids, scores, first_at_or_after) -> None:
    """Move each posting that lands on a deleted document on to the next live one, in place."""
    dead = (ids >= 0) & deleted[np.maximum(ids, 0)]
    while dead.any():
        ids[dead], scores[dead] = first_at_or_after(ids[dead] + 1)
        dead = (ids >= 0) & deleted[np.maximum(ids, 0)]


def _estimated_size(segment, word: _Word, lists) -> int:
    """Whoosh's ``estimate_size`` of the word's query in this segment: a term's document
    frequency; for a disjunction-max, their sum capped at the live document count."""
    size = sum(postings.doc_frequency for postings in lists)
    return min(size, segment.reader.doc_count()) if word.compound else size


def _tree_sum(weights, scores):
    """``scores`` added up in the shape of Whoosh's ``make_weighted_tree`` over
    ``weights``: sorted by weight (stably: Whoosh's matchers compare equal), the first
    two joined and put back after any of equal weight, until one is left."""
    nodes = sorted(zip(weights, scores), key=lambda node: node[0])
    while len(nodes) > 1:
        (weight_a, a), (weight_b, b) = nodes.pop(0), nodes.pop(0)
        bisect.insort(nodes, (weight_a + weight_b, a + b), key=lambda node: node[0])
    return nodes[0][1]


def _top(docs, scores, limit: int) -> list[tuple[float, int]]:
    """The ``limit`` best (score, docnum) pairs: highest score first, then lowest docnum."""
    if len(docs) > limit:
        threshold = np.partition(scores, len(scores) - limit)[len(scores) - limit]
        keep = scores >= threshold  # every document tied with the last place stays a candidate
        docs, scores = docs[keep], scores[keep]
    order = np.lexsort((docs, -scores))[:limit]
    return list(zip(scores[order].tolist(), docs[order].tolist()))

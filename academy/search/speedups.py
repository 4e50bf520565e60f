"""Two speed-ups for Whoosh's posting-list matcher, installed by
:mod:`academy.search.searcher` (Whoosh 2.7 is no longer maintained upstream, so they live
here). Neither changes what is matched or how it scores. Queries of plain words are
ranked without Whoosh's matchers (:mod:`academy.search.postings`); these serve the rest:
phrases, exclusions, spelling alternatives, the relaxed OR.

**skip_to.**
``W3LeafMatcher.skip_to`` walks a block of up to 128 postings one by one (``is_active()``,
``id()``, ``next()``: three Python calls per posting) to find the first document at or
after the target. Intersecting a rare word with a common one spends most of a search
there. This version finds the same position with a binary search over the block's
decoded ids; blocks are still skipped one by one on their maximum id, exactly as before,
and it returns what the original returns (None), so collectors behave the same.
Measured on the 10,000-article bench corpus: see ``bench/README.md``.
"""
from __future__ import annotations

from bisect import bisect_left
from collections import OrderedDict

from whoosh.codec import whoosh3
from whoosh.matching import ReadTooFar
from whoosh.util.numlists import delta_decode

_original_skip_to = whoosh3.W3LeafMatcher.skip_to
_original_read_ids = whoosh3.W3LeafMatcher._read_ids
BLOCK_CACHE = 2048  # decoded posting blocks kept per postings file (up to 128 postings each)


def _skip_to(self, targetid):
    if self._byteids:  # term vectors (ids are terms): Whoosh's own loop
        return _original_skip_to(self, targetid)
    if self._atend or self._i >= self._blocklength:
        raise ReadTooFar
    ids = self._ids
    if ids is None:
        self._read_ids()
        ids = self._ids
    if targetid <= ids[self._i]:
        return None
    if targetid > self._maxid:
        while not self._atend and targetid > self._maxid:
            self._next_block()
        if self._atend:
            return None
        ids = self._ids
        if ids is None:
            self._read_ids()
            ids = self._ids
    # The block's last id is its maximum, which is >= targetid: the position is inside.
    self._i = bisect_left(ids, targetid, self._i, self._blocklength)
    return None


def _read_ids(self):
    """Whoosh's ``_read_ids`` with an LRU of decoded blocks per postings file.

    Every block a search touches is read from the file, decompressed (zlib), unpickled
    and delta-decoded, for every search again; frequent terms are the ones with most
    blocks and the ones most queries share. Segment files are never rewritten, so a
    block's offset in its file identifies it for the file object's lifetime (the cache
    is an attribute of that object and goes with it when the reader is closed)."""
    if self._byteids:
        return _original_read_ids(self)
    postfile = self._postfile
    cache = getattr(postfile, "_academy_blocks", None)
    if cache is None:
        cache = postfile._academy_blocks = OrderedDict()
    key = self._dataoffset
    entry = cache.get(key)
    if entry is not None:
        cache.move_to_end(key)
        self._ids, self._data = entry
        return
    if self._data is None:
        self._read_data()
    self._ids = tuple(delta_decode(self._data[0]))
    cache[key] = (self._ids, self._data)
    if len(cache) > BLOCK_CACHE:
        cache.popitem(last=False)


def install() -> None:
    """Replace ``W3LeafMatcher.skip_to`` and ``_read_ids`` (idempotent)."""
    whoosh3.W3LeafMatcher.skip_to = _skip_to
    whoosh3.W3LeafMatcher._read_ids = _read_ids

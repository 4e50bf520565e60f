"""Search benchmark: Academy's Whoosh search against SQLite FTS5 on one real corpus.

    .venv/bin/python bench/search.py [--docs 10000] [--queries 300] [--seed 7]
    .venv/bin/python bench/search.py --fold-recall

The corpus is real text from this machine, loaded into a scratch SQLite database as
published articles: English manual pages (``/usr/share/man/man*``), the German and Czech
manual pages there, and, for Czech, German, Lithuanian and Estonian, articles made of the
translated messages in ``/usr/share/locale/<lang>/LC_MESSAGES/*.mo``. No real help-desk
text in five languages exists here, so the mix is mostly English (see the printed counts).

Measured in one run, on the same corpus and the same queries (2-3 words drawn from the
articles' own text, not among the 150 commonest words), through ``searcher.search`` (the
code path of the web search): full rebuild time, index size, query latency median and
p95 in a separate worker process that keeps its searcher open, publish-to-searchable
latency (an article published through the outbox in this process, polled for by the
worker, 20 times), the worker's resident memory, and FTS5 (bm25, porter + unicode61
without diacritics) build time, size and query latency on the same texts and queries.
"""
from __future__ import annotations

import argparse
import collections
import gettext
import glob
import gzip
import html
import multiprocessing
import os
import random
import re
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

LANGS = ("en", "cs", "de", "lt", "et")
TARGETS = {"p95_ms": 50.0, "median_vs_fts5": 8.0, "rebuild_s": 120.0, "publish_s": 1.0, "rss_mib": 300.0}
KINDS = {"1": ("guide", "commands"), "2": ("product", "system calls"), "3": ("product", "library"),
         "4": ("policy", "devices"), "5": ("policy", "file formats"), "6": ("guide", "games"),
         "7": ("policy", "conventions"), "8": ("guide", "administration")}


# ---------------------------------------------------------------- corpus

_ROFF_ESCAPE = re.compile(r"\\(f(\[[^\]]*\]|\(..|.)|s[-+]?\d|\(..|\*(\(..|\[[^\]]*\]|.)|\[[^\]]*\]|[&|^%/,:])")
_TEXT_MACROS = {"SH", "SS", "B", "I", "BR", "IR", "RB", "RI", "BI", "IB", "SM", "IP", "TP", "Nd", "Sh", "Ss",
                "Nm", "Fl", "Ar", "Pa", "Xr", "It", "Dl", "Em", "Sy", "Li", "Cm"}


def roff_to_text(source: str) -> list[tuple[str, str]]:
    """(section heading, paragraph) pairs of a manual page, roff markup removed."""
    section, paragraphs, current = "", [], []

    def flush():
        if current:
            paragraphs.append((section, " ".join(current)))
            current.clear()

    for line in source.splitlines():
        if line.startswith((".\\\"", "'\\\"", '.\\"')):
            continue
        if line.startswith((".", "'")):
            match = re.match(r"[.']\s*(\w+)\s*(.*)", line)
            if not match:
                continue
            macro, args = match.groups()
            if macro in ("SH", "Sh"):
                flush()
                section = _clean(args).strip('"').upper()
                continue
            if macro in ("PP", "LP", "P", "TP", "IP", "Pp", "sp", "br"):
                flush()
            if macro in _TEXT_MACROS and args:
                current.append(_clean(args.replace('"', "")))
            continue
        current.append(_clean(line))
    flush()
    return [(s, " ".join(p.split())) for s, p in paragraphs if p.strip()]


def _clean(text: str) -> str:
    text = text.replace("\\-", "-").replace("\\e", "\\").replace("\\ ", " ")
    return _ROFF_ESCAPE.sub("", text)


def man_articles(pattern: str, lang: str):
    for path in sorted(glob.glob(pattern)):
        try:
            with gzip.open(path, "rt", encoding="utf-8", errors="replace") as handle:
                paragraphs = roff_to_text(handle.read())
        except (OSError, EOFError):
            continue
        name_lines = [p for s, p in paragraphs if s in ("NAME", "JMÉNO", "BEZEICHNUNG", "NÁZEV")]
        body = [p for s, p in paragraphs if s not in ("NAME", "JMÉNO", "BEZEICHNUNG", "NÁZEV")]
        if not name_lines or len(" ".join(body)) < 300:
            continue
        name, _, description = name_lines[0].partition(" - ")
        filename = os.path.basename(path)[:-3]
        stem, _, section = filename.rpartition(".")
        kind, product = KINDS.get(section[:1], ("guide", "commands"))
        yield {
            "slug": re.sub(r"[^a-z0-9]+", "-", f"{stem}-{section}".lower()).strip("-")[:120],
            "lang": lang, "kind": kind, "product": product,
            "title": f"{name.strip()[:120]}: {description.strip()}"[:300] if description else name.strip()[:300],
            "summary": description.strip()[:500], "tags": [f"man{section[:1]}"],
            "paragraphs": body,
        }


def catalogue_articles(lang: str, per_article: int = 40):
    """Articles of consecutive translated messages of one program's catalogue."""
    for path in sorted(glob.glob(f"/usr/share/locale/{lang}/LC_MESSAGES/*.mo")):
        try:
            with open(path, "rb") as handle:
                catalogue = gettext.GNUTranslations(handle)._catalog
        except (OSError, UnicodeDecodeError, Exception):
            continue
        domain = Path(path).stem
        messages = [" ".join(v.split()) for k, v in catalogue.items() if k and isinstance(v, str) and len(v) > 20]
        for number in range(0, len(messages) - per_article + 1, per_article):
            chunk = messages[number:number + per_article]
            title = min(chunk[:10], key=len)[:200]
            yield {
                "slug": f"{domain}-{number // per_article}".lower()[:120], "lang": lang, "kind": "guide",
                "product": domain[:80], "title": title, "summary": chunk[0][:500], "tags": [domain[:40]],
                "paragraphs": chunk,
            }


def build_corpus(total: int) -> list[dict]:
    """Every real non-English article available (up to a tenth of ``total`` per language),
    then English manual pages."""
    foreign = []
    for lang in ("cs", "de", "lt", "et"):
        found = list(man_articles(f"/usr/share/man/{lang}/man*/*.gz", lang)) + list(catalogue_articles(lang))
        foreign.extend(_unique(found)[: total // 10])
    english = _unique(man_articles("/usr/share/man/man*/*.gz", "en"))[: total - len(foreign)]
    return english + foreign


def _unique(articles):
    seen, unique = set(), []
    for article in articles:
        key = (article["slug"], article["lang"])
        if key not in seen:
            seen.add(key)
            unique.append(article)
    return unique


def body_html(article) -> str:
    return "".join(f"<p>{html.escape(p)}</p>\n" for p in article["paragraphs"])


def plain_body(article) -> str:
    return "\n".join(article["paragraphs"])


# ---------------------------------------------------------------- the app under test

def make_app(workdir: Path):
    from academy import create_app
    from academy.search import setup

    app = create_app({
        "DATABASE_URL": f"sqlite:///{workdir / 'bench.db'}", "INSTANCE_DIR": workdir,
        "SECRET_KEY": "bench", "SEARCH_INDEX_DIR": workdir / "index",
    })
    setup.init_app(app)  # a no-op once create_app wires search itself
    return app


def load_corpus(app, corpus) -> None:
    from academy import schema as db_schema
    from academy.db import get_session, utcnow
    from academy.knowledge.models import Article, Revision

    with app.app_context():
        db_schema.upgrade(app.extensions["academy.engine"])
        session = get_session()
        now = utcnow()
        for start in range(0, len(corpus), 1000):
            batch = corpus[start:start + 1000]
            articles = [Article(slug=a["slug"], lang=a["lang"], kind=a["kind"], product=a["product"],
                                title=a["title"], summary=a["summary"], tags=a["tags"], status="published",
                                published_at=now) for a in batch]
            session.add_all(articles)
            session.flush()
            revisions = [Revision(article_id=article.id, number=1, title=a["title"], summary=a["summary"],
                                  tags=a["tags"], body_md=plain_body(a), body_html=body_html(a),
                                  state="published", published_at=now) for article, a in zip(articles, batch)]
            session.add_all(revisions)
            session.flush()
            for article, revision in zip(articles, revisions):
                article.current_revision_id = revision.id
            session.commit()
            session.expunge_all()


def make_queries(corpus, count: int, seed: int) -> list[str]:
    """2-3 word queries from the articles' own text, skipping the commonest words."""
    word = re.compile(r"[^\W\d_]{4,}")
    frequency = collections.Counter()
    for article in corpus:
        frequency.update(set(w.lower() for w in word.findall(article["title"] + " " + plain_body(article))))
    common = {w for w, _ in frequency.most_common(150)}
    rng = random.Random(seed)
    queries = []
    while len(queries) < count:
        article = rng.choice(corpus)
        candidates = sorted({w.lower() for w in word.findall(article["title"] + " " + plain_body(article))} - common)
        size = rng.choice((2, 2, 3))
        if len(candidates) >= size:
            queries.append(" ".join(rng.sample(candidates, size)))
    return queries


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def rss_mib() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


# ---------------------------------------------------------------- the worker process

def worker(workdir: str, queries: list[str], connection) -> None:
    """A search worker: answer the queries, then poll for published articles, then report
    its memory; FTS5 is queried last, from the same process."""
    from academy.db import get_session
    from academy.search import searcher

    app = make_app(Path(workdir))
    with app.app_context():
        session = get_session()
        searcher.search(session, "warm up the searcher")
        latencies, found = [], 0
        for query in queries:
            started = time.perf_counter()
            result = searcher.search(session, query)
            latencies.append(time.perf_counter() - started)
            found += result.total > 0
            session.rollback()
        connection.send(("queries", latencies, found))
        while True:
            message = connection.recv()
            if message is None:
                break
            token, published_at = message
            while searcher.search(session, token).total == 0:
                session.rollback()
                time.sleep(0.005)
            connection.send(("published", time.monotonic() - published_at))
            session.rollback()
        connection.send(("rss", rss_mib()))
    connection.send(("fts5", fts5_queries(Path(workdir) / "fts5.db", queries)))
    connection.close()


def fts5_build(path: Path, corpus) -> float:
    started = time.perf_counter()
    db = sqlite3.connect(path)
    db.execute("CREATE VIRTUAL TABLE docs USING fts5(title, tags, summary, body, "
               "tokenize = 'porter unicode61 remove_diacritics 2')")
    db.executemany("INSERT INTO docs VALUES (?, ?, ?, ?)",
                   ((a["title"], " ".join(a["tags"]), a["summary"], plain_body(a)) for a in corpus))
    db.commit()
    db.close()
    return time.perf_counter() - started


def fts5_queries(path: Path, queries):
    """Per query: the top 10 by bm25 alone, and the same work Academy's search does
    (the total, the top 10, a snippet each)."""
    db = sqlite3.connect(path)
    bare, full, found = [], [], 0
    for query in queries:
        match = " ".join('"' + w.replace('"', "") + '"' for w in query.split())
        started = time.perf_counter()
        db.execute("SELECT rowid FROM docs WHERE docs MATCH ? ORDER BY bm25(docs, 4.0, 3.0, 2.0, 1.0) LIMIT 10",
                   (match,)).fetchall()
        bare.append(time.perf_counter() - started)
        started = time.perf_counter()
        total = db.execute("SELECT count(*) FROM docs WHERE docs MATCH ?", (match,)).fetchone()[0]
        db.execute("SELECT rowid, bm25(docs, 4.0, 3.0, 2.0, 1.0) AS score, "
                   "snippet(docs, 3, '<mark>', '</mark>', ' … ', 24) FROM docs WHERE docs MATCH ? "
                   "ORDER BY score LIMIT 10", (match,)).fetchall()
        full.append(time.perf_counter() - started)
        found += total > 0
    db.close()
    return bare, full, found


# ---------------------------------------------------------------- main

def publish_one(app, number: int) -> str:
    from academy.db import get_session, utcnow
    from academy.knowledge.models import Article, Revision
    from academy.search import outbox

    token = f"benchprobe{number}x{random.randrange(10**6)}"
    with app.app_context():
        session = get_session()
        now = utcnow()
        article = Article(slug=f"bench-publish-{number}", lang="en", kind="guide", title=f"Probe {token}",
                          status="published", published_at=now)
        session.add(article)
        session.flush()
        revision = Revision(article_id=article.id, number=1, title=f"Probe {token}", body_md=token,
                            body_html=f"<p>{token}</p>", state="published", published_at=now)
        session.add(revision)
        session.flush()
        article.current_revision_id = revision.id
        outbox.enqueue(session, "article", article.id)
        session.commit()  # the after-commit hook applies the outbox
    return token


def receive(connection, process):
    """The worker's next message; stop with its exit code if it died instead."""
    while not connection.poll(0.5):
        if not process.is_alive():
            sys.exit(f"the search worker stopped with exit code {process.exitcode}")
    return connection.recv()


def directory_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--fold-recall", action="store_true", help="print the folding/stemming recall table")
    args = parser.parse_args()
    if args.fold_recall:
        fold_recall()
        return

    from academy.db import get_session
    from academy.search import index

    with tempfile.TemporaryDirectory(prefix="academy-bench-") as tmp:
        workdir = Path(tmp)
        started = time.perf_counter()
        corpus = build_corpus(args.docs)
        languages = collections.Counter(a["lang"] for a in corpus)
        print(f"corpus: {len(corpus)} articles ({', '.join(f'{k} {v}' for k, v in languages.most_common())}), "
              f"{sum(len(plain_body(a)) for a in corpus) / 1e6:.1f} M characters of body text, "
              f"read in {time.perf_counter() - started:.1f} s", flush=True)
        app = make_app(workdir)
        load_corpus(app, corpus)
        queries = make_queries(corpus, args.queries, args.seed)

        with app.app_context():
            report = index.rebuild(get_session(), workdir / "index")
        index_size = directory_size(report.generation)
        fts_build = fts5_build(workdir / "fts5.db", corpus)
        fts_size = (workdir / "fts5.db").stat().st_size

        context = multiprocessing.get_context("spawn")
        ours, theirs = context.Pipe()
        process = context.Process(target=worker, args=(str(workdir), queries, theirs))
        process.start()
        _, latencies, found = receive(ours, process)
        publish_latencies = []
        for number in range(20):
            published_at = time.monotonic()
            token = publish_one(app, number)
            ours.send((token, published_at))
            publish_latencies.append(receive(ours, process)[1])
        ours.send(None)
        _, rss = receive(ours, process)
        _, (fts_bare, fts_latencies, fts_found) = receive(ours, process)
        process.join()

    ms = 1000
    median, p95 = statistics.median(latencies) * ms, percentile(latencies, 0.95) * ms
    fts_median, fts_p95 = statistics.median(fts_latencies) * ms, percentile(fts_latencies, 0.95) * ms
    bare_median, bare_p95 = statistics.median(fts_bare) * ms, percentile(fts_bare, 0.95) * ms
    rows = [
        ("full rebuild", f"{report.seconds:.1f} s", f"{fts_build:.1f} s", f"<= {TARGETS['rebuild_s']:.0f} s"),
        ("index size", f"{index_size / 2**20:.1f} MiB", f"{fts_size / 2**20:.1f} MiB", ""),
        ("query median (total+top 10+snippets)", f"{median:.2f} ms", f"{fts_median:.2f} ms",
         f"<= {TARGETS['median_vs_fts5']:.0f}x FTS5 ({median / fts_median:.1f}x)"),
        ("query p95 (total+top 10+snippets)", f"{p95:.2f} ms", f"{fts_p95:.2f} ms", f"<= {TARGETS['p95_ms']:.0f} ms"),
        ("FTS5 top 10 only: median / p95", "", f"{bare_median:.2f} / {bare_p95:.2f} ms",
         f"Academy median is {median / bare_median:.1f}x"),
        ("queries with results", f"{found}/{len(queries)}", f"{fts_found}/{len(queries)}", ""),
        ("publish -> searchable median", f"{statistics.median(publish_latencies) * ms:.0f} ms", "", ""),
        ("publish -> searchable max", f"{max(publish_latencies) * ms:.0f} ms", "",
         f"<= {TARGETS['publish_s'] * ms:.0f} ms"),
        ("worker RSS after queries", f"{rss:.0f} MiB", "", f"<= {TARGETS['rss_mib']:.0f} MiB"),
    ]
    print(f"\n{report.articles} articles, {len(queries)} queries of 2-3 words\n")
    print(f"{'':38} {'Academy (Whoosh)':>17} {'SQLite FTS5':>18}   target")
    for name, ours_value, theirs_value, target in rows:
        print(f"{name:38} {ours_value:>17} {theirs_value:>18}   {target}")


def fold_recall() -> None:
    """The table in :mod:`academy.search.analysis`: recall of inflected forms when the
    query is typed without diacritics, per strategy, on the message catalogues' words."""
    import itertools

    from academy.search.analysis import fold, stem

    print(f"{'lang':5} {'words':>6} {'pairs':>7}  fold,stem   stem,fold   both        both+restore")
    for lang in ("cs", "de", "lt", "et"):
        vocabulary = set()
        for path in glob.glob(f"/usr/share/locale/{lang}/LC_MESSAGES/*.mo"):
            try:
                with open(path, "rb") as handle:
                    catalogue = gettext.GNUTranslations(handle)._catalog
            except Exception:
                continue
            for value in catalogue.values():
                if isinstance(value, str):
                    vocabulary.update(re.findall(r"[^\W\d_]{3,}", value.lower()))
        words = sorted(vocabulary)
        fold_first = {w: fold(stem(lang, fold(w))) for w in words}
        stem_first = {w: fold(stem(lang, w)) for w in words}
        restore = collections.defaultdict(set)
        for w in words:
            if fold_first[w] != stem_first[w]:
                restore[fold_first[w]].add(stem_first[w])
        strategies = {
            "fold,stem": (lambda q: {fold(stem(lang, q))}, lambda d: {fold_first[d]}),
            "stem,fold": (lambda q: {fold(stem(lang, q))}, lambda d: {stem_first[d]}),
            "both": (lambda q: {fold(stem(lang, q))}, lambda d: {fold_first[d], stem_first[d]}),
            "both+restore": (lambda q: {fold(stem(lang, q))} | restore.get(fold(stem(lang, q)), set()),
                             lambda d: {fold_first[d], stem_first[d]}),
        }
        groups = collections.defaultdict(set)
        for w in words:
            groups[stem(lang, w)].add(w)
        cells = []
        pairs = 0
        for query_keys, doc_keys in strategies.values():
            hit = pairs = 0
            index = collections.defaultdict(set)
            for w in words:
                for key in doc_keys(w):
                    index[key].add(w)
            for members in groups.values():
                for w1, w2 in itertools.permutations(members, 2):
                    if w1.isascii() and w2.isascii():
                        continue
                    pairs += 1
                    hit += bool(query_keys(fold(w1)) & doc_keys(w2))
            wrong = matched = 0
            for w in words:
                found = set().union(*(index[key] for key in query_keys(fold(w))))
                matched += len(found)
                wrong += sum(1 for d in found if stem(lang, d) != stem(lang, w))
            cells.append(f"{hit / pairs:6.1%} ({wrong / max(matched, 1):4.1%})")
        print(f"{lang:5} {len(words):>6} {pairs:>7}  " + "  ".join(cells))


if __name__ == "__main__":
    main()

"""Index a build for search: entity names, sentences in full text, documents with mentions,
and the entity network for walks.

Oxigraph has no full-text search, so a build also writes ``search.sqlite`` beside its
store: every sentence of every document indexed by SQLite FTS5 over character
bigrams (Chinese has no spaces; a bigram phrase query finds any substring of two
characters or more), the names (labels and aliases) of the entities, and each
document's text with its mentions, for pages that show a document. Queries and
indexed text are normalised the same way: NFKC, case-folded, and traditional
characters made simplified (``kg.chars.to_simplified``).

The entity network (each entity once, each distinct fact once with the evidence the build
kept for it, entities numbered) is there too, for the evidence of the facts a page shows,
and as arrays (``kg.adjacency``) for walks from an entity: the SPARQL store decodes the
IRIs of every row it returns, and made the hub's 2-hop neighbourhood at 100 MB of text
ten times as slow.

The index is written per document, as the build streams them, so memory stays flat.
A rebuild starts from a byte copy of the previous generation's index and edits it: the
rows of changed and removed documents are deleted, those of changed and new documents
added, so the rows of unchanged documents are never read or indexed again.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from contextlib import closing, contextmanager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from types import TracebackType
from typing import Any

from kg import adjacency
from kg.chars import HAN, HANZI, to_simplified
from kg.collector import no_cycle_collection
from kg.errors import StoreError
from kg.model import Document, Entity, Mention
from kg.vocab import KGR_IRI, entity_iri

__all__ = [
    "INDEX",
    "DocumentText",
    "EntityMatch",
    "IndexWriter",
    "MentionSpan",
    "SentenceHit",
    "bigrams",
    "evidence",
    "find_entities",
    "find_sentences",
    "highlight",
    "index_path",
    "neighbourhood",
    "network",
    "normalise",
    "read_document",
    "search_terms",
]

#: File name of the index inside a generation folder.
INDEX = "search.sqlite"

_RUNS = re.compile(rf"[{HAN}]+|[^\W{HAN}_]+")
_SCHEMA = (
    """
CREATE TABLE documents(id TEXT PRIMARY KEY, title TEXT, text TEXT);
CREATE TABLE sentences(id INTEGER PRIMARY KEY, doc TEXT, idx INTEGER, start INTEGER,
                       end INTEGER, text TEXT);
CREATE TABLE mentions(doc TEXT, start INTEGER, end INTEGER, iri TEXT, type TEXT);
CREATE TABLE names(doc TEXT, iri TEXT, type TEXT, label TEXT, name TEXT, norm TEXT);
CREATE TABLE entity_names(iri TEXT, type TEXT, label TEXT, name TEXT, norm TEXT, docs INTEGER,
                          PRIMARY KEY (iri, name));
CREATE TABLE nodes(id INTEGER PRIMARY KEY, local TEXT UNIQUE, label TEXT, aliases TEXT);
CREATE TABLE links(head INTEGER, relation TEXT, tail INTEGER, evidence TEXT);
CREATE INDEX links_head ON links(head, relation, tail);
CREATE VIRTUAL TABLE sentence_fts USING fts5(grams, content='',
                                             tokenize='unicode61 remove_diacritics 0');
"""
    + adjacency.SCHEMA
)
_INDEXES = """
CREATE INDEX sentences_doc ON sentences(doc);
CREATE INDEX mentions_doc ON mentions(doc);
CREATE INDEX names_doc ON names(doc);
"""


@dataclass(frozen=True)
class EntityMatch:
    """An entity whose label or alias matched a search."""

    iri: str
    type: str
    label: str
    name: str  # the label or alias that matched


@dataclass(frozen=True)
class SentenceHit:
    """A sentence that matched a search; ``segments`` mark the matched parts."""

    document: str
    title: str
    index: int
    start: int
    end: int
    text: str
    segments: tuple[tuple[str, bool], ...]


@dataclass(frozen=True)
class MentionSpan:
    """Where a document names an entity."""

    start: int
    end: int
    iri: str
    type: str


@dataclass(frozen=True)
class DocumentText:
    """A document's text, its sentences ``(index, start, end)`` and its mentions."""

    id: str
    title: str
    text: str
    sentences: tuple[tuple[int, int, int], ...]
    mentions: tuple[MentionSpan, ...]


def normalise(text: str) -> str:
    """Return text as the index compares it: NFKC, case-folded, simplified characters.

    >>> normalise("ＡＢＣ１２")
    'abc12'
    """
    return to_simplified(unicodedata.normalize("NFKC", text).casefold())


def bigrams(text: str) -> str:
    """Return the tokens indexed for normalised text: Han bigrams, a run's last character,
    and words of other scripts.

    >>> bigrams("宁波市 g60科创")
    '宁波 波市 市 g60 科创 创'
    """
    tokens: list[str] = []
    for run in _RUNS.findall(text):
        if HANZI.match(run):
            tokens += [run[i : i + 2] for i in range(len(run) - 1)] + [run[-1]]
        else:
            tokens.append(run)
    return " ".join(tokens)


class IndexWriter:
    """Write ``search.sqlite`` into a generation folder, one document at a time.

    Given the generation a rebuild starts from (``base``), the writer starts from a
    copy of its index and edits it (``drop``, ``add``); the copy is the new
    generation's own file, so the base is never written.

    Used as a context manager: the index appears under its name only when the block
    completes; if it raises, the partial file is removed.
    """

    def __init__(self, folder: Path, base: Path | None = None) -> None:
        self.path = Path(folder) / INDEX
        self._part = self.path.with_name(INDEX + ".part")
        self._part.unlink(missing_ok=True)
        self._fresh = base is None
        self._copied: Future[Any] | None = None
        if base is not None:
            # The kernel copies the base's file outside Python's lock, so a rebuild
            # goes on reading its documents meanwhile; the index waits for it when
            # first written.
            copier = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kg-index")
            self._copied = copier.submit(shutil.copyfile, Path(base) / INDEX, self._part)
            copier.shutdown(wait=False)

    @cached_property
    def _db(self) -> sqlite3.Connection:
        if self._copied is not None:
            self._copied.result()
        db = sqlite3.connect(self._part, isolation_level=None)
        if self._fresh:
            db.executescript(_SCHEMA)
        db.execute("BEGIN")  # one transaction: far faster than one per row
        return db

    def __enter__(self) -> IndexWriter:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if kind is None:
            self.close()
            return
        if "_db" in self.__dict__:  # opened
            self._db.close()
        if self._copied is not None:
            wait([self._copied])  # its error, if any, is not the one to report
        self._part.unlink(missing_ok=True)

    def add(
        self, doc: Document, mentions: list[Mention], entities: Mapping[Mention, Entity]
    ) -> None:
        """Index one document: its text, sentences, mentions and the names of its entities."""
        self._db.execute("INSERT INTO documents VALUES (?, ?, ?)", (doc.id, doc.title, doc.text))
        for s in doc.sentences:
            self._sentence(doc.id, s.index, s.start, s.end, s.text)
        rows = [
            (doc.id, m.start, m.end, entity_iri(entities[m].key).value, m.type.value)
            for m in mentions
        ]
        self._db.executemany("INSERT INTO mentions VALUES (?, ?, ?, ?, ?)", rows)
        names = set()
        for entity in set(entities.values()):
            iri = entity_iri(entity.key).value
            for name in {entity.label, *entity.aliases}:
                names.add((doc.id, iri, entity.type.value, entity.label, name, normalise(name)))
        self._db.executemany("INSERT INTO names VALUES (?, ?, ?, ?, ?, ?)", sorted(names))
        # each name once, with the number of documents naming it: a search scans this,
        # ten times smaller than the names of every document
        self._db.executemany(
            "INSERT INTO entity_names VALUES (?, ?, ?, ?, ?, 1)"
            " ON CONFLICT (iri, name) DO UPDATE SET docs = docs + 1",
            [row[1:] for row in sorted(names)],
        )

    def network(
        self,
        entities: Iterable[Entity],
        facts: Iterable[tuple[tuple[str, str, str], Sequence[tuple[str, str]]]],
    ) -> None:
        """Write the entity network in place of the one the index has: every entity once
        (its IRI after ``KGR_IRI``, which begins with its type, its label and a JSON list
        of its other names, if any) and every distinct fact ``(head key, relation name,
        tail key)`` once, between the entities' numbers, with the evidence the build
        kept for it: ``(document id, sentence text)`` pairs, stored as a JSON list of
        ``[text, document id]``. The entities are numbered in the order of their IRIs,
        so that readers sort numbers instead of IRIs."""
        self._db.execute("DELETE FROM links")
        self._db.execute("DELETE FROM nodes")
        ids: dict[str, int] = {}
        rows = []
        named = sorted((entity_iri(e.key).value.removeprefix(KGR_IRI), e) for e in entities)
        for local, entity in named:
            ids[entity.key] = len(ids)
            others = sorted(entity.aliases - {entity.label})
            rows.append((ids[entity.key], local, entity.label, others))
        self._db.executemany(
            "INSERT INTO nodes VALUES (?, ?, ?, ?)",
            [
                (id_, local, label, _TO_JSON(others) if others else None)
                for id_, local, label, others in rows
            ],
        )
        links = sorted(
            (ids[head], relation, ids[tail], evidence) for (head, relation, tail), evidence in facts
        )
        self._db.executemany(
            "INSERT INTO links VALUES (?, ?, ?, ?)",
            [(head, relation, tail, _evidence_json(kept)) for head, relation, tail, kept in links],
        )
        self._db.execute("DELETE FROM adjacency")
        self._db.executemany(
            "INSERT INTO adjacency VALUES (?, ?)",
            adjacency.parts([row[1:] for row in rows], [link[:3] for link in links]),
        )

    def drop(self, doc_id: str) -> None:
        """Delete one document's rows (of an index a rebuild started from)."""
        rows = self._db.execute("SELECT id, text FROM sentences WHERE doc = ?", (doc_id,))
        # A contentless FTS5 table forgets a row only when told the tokens it indexed.
        self._db.executemany(
            "INSERT INTO sentence_fts(sentence_fts, rowid, grams) VALUES ('delete', ?, ?)",
            [(rowid, bigrams(normalise(text))) for rowid, text in rows.fetchall()],
        )
        self._db.execute(
            "UPDATE entity_names SET docs = docs - 1"
            " WHERE (iri, name) IN (SELECT iri, name FROM names WHERE doc = ?)",
            (doc_id,),
        )
        self._db.execute("DELETE FROM entity_names WHERE docs <= 0")
        for table in ("sentences", "mentions", "names"):
            self._db.execute(f"DELETE FROM {table} WHERE doc = ?", (doc_id,))
        self._db.execute("DELETE FROM documents WHERE id = ?", (doc_id,))

    def close(self) -> None:
        """Finish the index and move it under its name."""
        self._db.execute("COMMIT")
        if self._fresh:
            self._db.executescript(_INDEXES)
            # Merging the full-text index into one segment reads all of it: worth it
            # once; an edited copy keeps its segments and FTS5 merges them as they grow.
            self._db.execute("INSERT INTO sentence_fts(sentence_fts) VALUES ('optimize')")
        self._db.close()
        os.replace(self._part, self.path)

    def _sentence(self, doc_id: str, index: int, start: int, end: int, text: str) -> None:
        cursor = self._db.execute(
            "INSERT INTO sentences(doc, idx, start, end, text) VALUES (?, ?, ?, ?, ?)",
            (doc_id, index, start, end, text),
        )
        grams = bigrams(normalise(text))
        self._db.execute(
            "INSERT INTO sentence_fts(rowid, grams) VALUES (?, ?)", (cursor.lastrowid, grams)
        )


def index_path(folder: Path) -> Path:
    """Return the index of an output folder (its published generation) or a generation folder.

    Raises:
        StoreError: the folder has no index (built before the index existed, or never),
            or its build laid the graph and index out otherwise.
    """
    from kg.store import check_layout, published

    gen = published(Path(folder)) or Path(folder)
    path = gen / INDEX
    if not path.is_file():
        raise StoreError(f"no search index at {folder}; run `kg build` to make one")
    check_layout(gen, folder)
    return path


def find_entities(folder: Path, text: str, *, limit: int = 20) -> list[EntityMatch]:
    """Find entities whose label or an alias contains ``text`` (normalised).

    Exact names come first, then names starting with the text, then the others;
    labels before aliases, short names before long ones.

    Raises:
        StoreError: the folder has no index.
    """
    query = normalise(text.strip())
    if not query:
        return []
    pattern = "%" + re.sub(r"([%_\\])", r"\\\1", query) + "%"
    with _reader(folder) as db:
        rows = db.execute(
            "SELECT iri, type, label, name, norm FROM entity_names WHERE norm LIKE ? ESCAPE '\\'",
            (pattern,),
        ).fetchall()

    def rank(row: tuple[str, str, str, str, str]) -> tuple[int, int, int, str]:
        norm = row[4]
        where = 0 if norm == query else 1 if norm.startswith(query) else 2
        return where, row[3] != row[2], len(norm), row[0]

    found: dict[str, EntityMatch] = {}
    for iri, type_, label, name, _ in sorted(rows, key=rank):
        found.setdefault(iri, EntityMatch(iri, type_, label, name))
    return list(found.values())[:limit]


def find_sentences(folder: Path, text: str, *, limit: int = 50) -> list[SentenceHit]:
    """Find sentences holding every word of ``text``, best match (BM25) first.

    Words are separated by spaces; a Chinese word matches as a substring.

    Raises:
        StoreError: the folder has no index.
    """
    terms = search_terms(text)
    if not terms:
        return []
    match = " AND ".join(_fts_term(term) for term in terms)
    with _reader(folder) as db:
        rows = db.execute(
            "SELECT s.doc, d.title, s.idx, s.start, s.end, s.text FROM sentence_fts f"
            " JOIN sentences s ON s.id = f.rowid JOIN documents d ON d.id = s.doc"
            " WHERE sentence_fts MATCH ? ORDER BY bm25(sentence_fts), s.doc, s.idx LIMIT ?",
            (match, limit),
        ).fetchall()
    return [
        SentenceHit(doc, title, index, start, end, text, highlight(text, terms))
        for doc, title, index, start, end, text in rows
    ]


def read_document(folder: Path, doc_id: str) -> DocumentText | None:
    """Return a document's text, sentences and mentions, or None if the index lacks it."""
    with _reader(folder) as db:
        found = db.execute("SELECT title, text FROM documents WHERE id = ?", (doc_id,)).fetchone()
        if found is None:
            return None
        sentences = db.execute(
            "SELECT idx, start, end FROM sentences WHERE doc = ? ORDER BY start", (doc_id,)
        ).fetchall()
        mentions = db.execute(
            "SELECT start, end, iri, type FROM mentions WHERE doc = ? ORDER BY start, end DESC",
            (doc_id,),
        ).fetchall()
    return DocumentText(
        doc_id, found[0], found[1], tuple(map(tuple, sentences)),  # type: ignore[arg-type]
        tuple(MentionSpan(*m) for m in mentions),
    )  # fmt: skip


def neighbourhood(
    folder: Path, node: str, hops: int, *, outer: bool = True
) -> tuple[list[adjacency.Node], list[adjacency.Fact]]:
    """Return the entities within ``hops`` links of an entity and the facts between them,
    as ``kg.analysis.read_neighbourhood`` reads them from the store.

    The entities are found one ring at a time, by their numbers only; then every fact of
    an inner ring's entities is taken at once (with the last pass: every fact among the
    entities found), and the entities' names for all of them.

    Args:
        folder: the output folder of a build (or a generation folder).
        node: the IRI of the entity at the centre.
        hops: how many links away to go.
        outer: make the last pass; without it, the facts among entities of the outer
            ring are missing (as ``read_neighbourhood`` leaves them out).

    Returns:
        ``(IRI, type, label, aliases)`` of each entity found and each fact ``(head
        IRI, relation name, tail IRI)``, both in IRI order; nothing for an IRI that
        names no entity.

    Raises:
        StoreError: the folder has no index.
    """
    network = adjacency.Adjacency.of(index_path(folder))
    centre = network.number(node)
    if centre is None:
        return [], []
    with no_cycle_collection():
        within = {centre}
        ring = within
        # Without the last pass, the last ring comes with the facts of the ring before.
        for _ in range(hops if outer else hops - 1):
            ring = network.linked(ring) - within
            within |= ring
        facts: set[int] = set()
        if outer:
            facts = network.facts_among(within)
        elif hops:
            facts = network.facts_of(within)
            within |= network.linked(within)
        answer = network.answer(sorted(within), sorted(facts))
        # Freed before the collector resumes: its first pass walks what is left of the
        # numbers made while it was paused.
        del within, ring, facts
    return answer


def network(folder: Path) -> tuple[list[adjacency.Node], list[adjacency.Fact]]:
    """Return every entity and every distinct fact of a build's network, both in IRI
    order, as ``neighbourhood`` returns a part of it.

    Raises:
        StoreError: the folder has no index.
    """
    whole = adjacency.Adjacency.of(index_path(folder))
    with no_cycle_collection():
        return whole.answer(range(len(whole)), range(len(whole.head)))


def evidence(
    folder: Path, facts: Iterable[tuple[str, str, str]]
) -> dict[tuple[str, str, str], list[tuple[str, str]]]:
    """Return the evidence a build kept for each of ``facts`` ``(head IRI, relation name,
    tail IRI)``: its first ``MAX_EVIDENCE`` ``(sentence text, document id)`` by document
    and text, as ``kg.analysis.add_evidence`` reads them from the store.

    A fact the network does not hold is left out.

    Raises:
        StoreError: the folder has no index.
    """
    asked = [
        [head[len(KGR_IRI) :], relation, tail[len(KGR_IRI) :]]
        for head, relation, tail in facts
        if head.startswith(KGR_IRI) and tail.startswith(KGR_IRI)
    ]
    with _reader(folder) as db, no_cycle_collection():
        rows = db.execute(_EVIDENCE_OF, (_TO_JSON(asked),)).fetchall()
    return {
        (KGR_IRI + head, relation, KGR_IRI + tail): [(text, doc) for text, doc in json.loads(kept)]
        for head, relation, tail, kept in rows
    }


# Each fact asked for is looked up by its entities' numbers, on the links' index.
_EVIDENCE_OF = """
WITH asked(head, relation, tail) AS (
    SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]')
    FROM json_each(?))
SELECT h.local, asked.relation, t.local, links.evidence
FROM asked
JOIN nodes AS h ON h.local = asked.head
JOIN nodes AS t ON t.local = asked.tail
JOIN links ON links.head = h.id AND links.relation = asked.relation AND links.tail = t.id"""


def _evidence_json(kept: Sequence[tuple[str, str]]) -> str:
    return _TO_JSON([[text, doc] for doc, text in kept])


# one encoder for every row: json.dumps makes one per call when given options
_TO_JSON = json.JSONEncoder(ensure_ascii=False).encode


@contextmanager
def _reader(folder: Path) -> Iterator[sqlite3.Connection]:
    path = index_path(folder)
    with closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as db:
        yield db


def _fts_term(term: str) -> str:
    """Return an FTS5 query for one run of a normalised query (only word characters).

    >>> _fts_term("科创区"), _fts_term("甬"), _fts_term("g60")
    ('"科创 创区"', '"甬"*', '"g60"*')
    """
    if HANZI.match(term) and len(term) > 1:
        return '"' + " ".join(term[i : i + 2] for i in range(len(term) - 1)) + '"'
    return f'"{term}"*'


def search_terms(text: str) -> list[str]:
    """Return the words of a sentence search: runs of Chinese or of other word characters.

    >>> search_terms("甬江 科创 G60")
    ['甬江', '科创', 'g60']
    """
    return [run for word in normalise(text).split() for run in _RUNS.findall(word)]


def highlight(text: str, terms: list[str]) -> tuple[tuple[str, bool], ...]:
    """Split ``text`` into ``(part, matched)`` pieces, marking where the terms occur.

    >>> highlight("建设甬江科创区", ["甬江"])
    (('建设', False), ('甬江', True), ('科创区', False))
    """
    norm = normalise(text)
    if len(norm) != len(text):  # a conversion changed lengths: compare the text as it is
        norm = text
    marked = [False] * len(text)
    for term in terms:
        for found in re.finditer(re.escape(term), norm):
            marked[found.start() : found.end()] = [True] * len(term)
    pieces: list[tuple[str, bool]] = []
    for char, flag in zip(text, marked, strict=True):
        if pieces and pieces[-1][1] == flag:
            pieces[-1] = (pieces[-1][0] + char, flag)
        else:
            pieces.append((char, flag))
    return tuple(pieces)

"""Where the explorer reads a graph from: a local build, or a remote SPARQL endpoint.

Everything the explore functions and the server's pages need goes through a
``Source``: SELECT queries, entity and sentence search, a document's text, and the
entity network. ``LocalSource`` reads a build's store and its search index
(``kg.search``); ``RemoteSource`` asks a SPARQL server (``kg.remote.sparql``) the same
questions in SPARQL. What a server cannot answer as the local build does:

- names are searched with ``CONTAINS`` on the labels and aliases as stored, then
  checked with the index's normalisation, so a name matches only if the query as
  typed or as normalised (NFKC, case-folded, simplified) occurs in it literally;
- sentences are searched with ``CONTAINS`` on the lower-cased ``kgo:text`` of the
  sentences a graph keeps (those with a mention or a relation), in document order
  instead of by relevance, and a word of Latin letters or digits matches anywhere in
  a word rather than at its start;
- a document's page shows only the sentences its graph keeps;
- where a card is bounded, facts and documents of equal standing are picked in the
  server's order, so on ties it may show others than the local build (its counts, and
  the whole card, are the same);
- the entity network is read whole and kept for ``NETWORK_TTL`` seconds, so a push
  shows on the pages that walk it (paths, views, rankings) after at most that long.

Either source keeps the network without its evidence, which would take minutes to read
from the store for a large graph: ``Source.add_evidence`` gives it to a copy of the part
shown, from the evidence the build kept in its index (a local build) or read from the
facts' first documents (``kg.analysis.add_evidence``, a server).
"""

from __future__ import annotations

import bisect
import threading
import time
from abc import ABC, abstractmethod
from functools import lru_cache
from pathlib import Path

import networkx as nx
from pyoxigraph import Literal, QuerySolutions

from kg import search, store
from kg.analysis import (
    add_evidence,
    add_kept_evidence,
    bare_network,
    entity_graph,
    read_entity_graph,
    read_neighbourhood,
    undirected,
)
from kg.errors import QueryError, StoreError
from kg.model import EntityType
from kg.rdf import ENTITIES_GRAPH, NETWORK_GRAPH, STATISTICS_GRAPH
from kg.remote import is_url, redact

# The index's own word splitting and marking, so that both sources split and mark alike.
from kg.search import DocumentText, EntityMatch, MentionSpan, SentenceHit, highlight, search_terms
from kg.vocab import KGO_IRI, document_iri

__all__ = ["NETWORK_TTL", "LocalSource", "RemoteSource", "Source", "as_source"]

#: Seconds a remote source keeps the entity network before reading it again.
NETWORK_TTL = 60.0
#: What a remote document's page puts where its graph lacks the text between sentences.
GAP = "\n…\n"

_TYPES = " ".join(f"kgo:{t.value}" for t in EntityType)
_NAMES = """
SELECT DISTINCT ?e ?type ?label ?name WHERE {{
  {{ ?e rdfs:label ?name }} UNION {{ ?e skos:altLabel ?name }}
  FILTER ({match})
  VALUES ?type {{ {types} }} ?e a ?type . OPTIONAL {{ ?e rdfs:label ?label }}
}}"""
_SENTENCES = """
SELECT ?path ?title ?index ?start ?end ?text WHERE {{
  GRAPH ?g {{ ?s a kgo:Sentence ; kgo:text ?text ; kgo:sentenceIndex ?index ;
                 kgo:start ?start ; kgo:end ?end . }}
  FILTER ({match})
  ?g kgo:sourcePath ?path . OPTIONAL {{ ?g dcterms:title ?title }}
}} ORDER BY ?path ?index LIMIT {limit}"""
_DOCUMENT = """
SELECT ?title WHERE {{ GRAPH {g} {{ {g} a kgo:Document . OPTIONAL {{ {g} dcterms:title ?title }} }}
}}"""
_DOCUMENT_SENTENCES = """
SELECT ?index ?start ?end ?text WHERE {{ GRAPH {g} {{
  ?s a kgo:Sentence ; kgo:sentenceIndex ?index ; kgo:start ?start ; kgo:end ?end ; kgo:text ?text
}} }}"""
_DOCUMENT_MENTIONS = """
SELECT ?start ?end ?e ?type WHERE {{ GRAPH {g} {{
  ?m a kgo:Mention ; kgo:mentionOf ?e ; kgo:start ?start ; kgo:end ?end .
  VALUES ?type {{ {types} }} ?e a ?type
}} }}"""


class Source(ABC):
    """A graph to explore: what its pages and the explore functions read from it."""

    #: Whether the graph is read from a SPARQL server rather than a local build.
    remote = False

    @property
    @abstractmethod
    def location(self) -> Path | str:
        """Return the build's folder or the endpoint's URL (what ``kg.query`` accepts)."""

    @abstractmethod
    def check(self) -> None:
        """Raise if the graph cannot be read (no build, or the server does not answer)."""

    @abstractmethod
    def select(self, sparql: str) -> QuerySolutions:
        """Run a SELECT query over the union of the graphs; the usual prefixes are declared.

        Raises:
            QueryError: the query is malformed or not a SELECT query.
        """

    @abstractmethod
    def find_entities(self, text: str, *, limit: int = 20) -> list[EntityMatch]:
        """Find entities whose label or an alias contains ``text``, as ``kg.search`` ranks them."""

    @abstractmethod
    def find_sentences(self, text: str, *, limit: int = 50) -> list[SentenceHit]:
        """Find sentences holding every word of ``text``."""

    @abstractmethod
    def read_document(self, doc_id: str) -> DocumentText | None:
        """Return a document's text, sentences and mentions, or None if there is none."""

    @abstractmethod
    def network(self) -> nx.MultiDiGraph:
        """Return the entity network, ``kg.analysis.entity_graph(evidence=False)``'s shape.

        It is shared: a page copies the part it shows and gives that its evidence
        (``add_evidence``).
        """

    @abstractmethod
    def undirected(self) -> nx.Graph:
        """Return the entity network as a simple undirected graph, for walks."""

    @abstractmethod
    def add_evidence(self, graph: nx.MultiDiGraph) -> None:
        """Give the edges of ``graph``, a copy of part of the network, their evidence, as
        ``kg.analysis.entity_graph`` reads it."""

    @abstractmethod
    def neighbourhood(self, node: str, hops: int, *, outer: bool = True) -> nx.MultiDiGraph:
        """Return the part of the network within ``hops`` links of ``node``, without
        evidence, as ``kg.analysis.read_neighbourhood`` reads it."""


def as_source(source: Source | Path | str) -> Source:
    """Return ``source`` itself, or the source of a build's folder or an endpoint's URL."""
    if isinstance(source, Source):
        return source
    return RemoteSource(str(source)) if is_url(source) else LocalSource(Path(source))


class LocalSource(Source):
    """A build's output folder: its store and its search index."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    @property
    def location(self) -> Path:
        """Return the build's folder."""
        return self.folder

    def check(self) -> None:
        """Raise StoreError if the folder has no store or no search index."""
        store.open_store(self.folder)
        search.index_path(self.folder)

    def select(self, sparql: str) -> QuerySolutions:
        """Run a SELECT query on the store."""
        return store.select(self.folder, sparql)

    def find_entities(self, text: str, *, limit: int = 20) -> list[EntityMatch]:
        """Search the names in the index."""
        return search.find_entities(self.folder, text, limit=limit)

    def find_sentences(self, text: str, *, limit: int = 50) -> list[SentenceHit]:
        """Search the full text of every sentence, best match first."""
        return search.find_sentences(self.folder, text, limit=limit)

    def read_document(self, doc_id: str) -> DocumentText | None:
        """Return the document's whole text from the index."""
        return search.read_document(self.folder, doc_id)

    def network(self) -> nx.MultiDiGraph:
        """Return the network of the published generation (kept per generation)."""
        return _network(self._generation())

    def undirected(self) -> nx.Graph:
        """Return the undirected network of the published generation."""
        return _undirected(self._generation())

    def add_evidence(self, graph: nx.MultiDiGraph) -> None:
        """Give the edges their evidence, as the build kept it in the index."""
        add_kept_evidence(self._generation(), graph)

    def neighbourhood(self, node: str, hops: int, *, outer: bool = True) -> nx.MultiDiGraph:
        """Return the neighbourhood, walked in the network the index keeps."""
        return bare_network(*search.neighbourhood(self.folder, node, hops, outer=outer))

    def _generation(self) -> Path:
        return (store.published(self.folder) or self.folder).resolve()


@lru_cache(maxsize=2)
def _network(generation: Path) -> nx.MultiDiGraph:
    return entity_graph(generation, evidence=False)


@lru_cache(maxsize=2)
def _undirected(generation: Path) -> nx.Graph:
    return undirected(_network(generation))


class RemoteSource(Source):
    """A SPARQL endpoint holding a pushed build (``kg push``).

    Args:
        url: the endpoint, e.g. Virtuoso's ``http://host:8890/sparql``.
        timeout: seconds to wait for the server on each query.
    """

    remote = True

    def __init__(self, url: str, *, timeout: float = 60.0) -> None:
        self.url = url
        self.timeout = timeout
        self._lock = threading.Lock()
        self._kept: tuple[float, nx.MultiDiGraph, nx.Graph] | None = None

    @property
    def location(self) -> str:
        """Return the endpoint's URL."""
        return self.url

    def __repr__(self) -> str:
        return f"RemoteSource({redact(self.url)!r})"

    def check(self) -> None:
        """Raise RemoteError if the server does not answer a query, StoreError if its
        entities were pushed by an earlier version, which laid them out otherwise."""
        from kg.remote.sparql import query

        named, typed, related, networked = (
            bool(query(self.url, f"ASK {{ GRAPH <{graph.value}> {{ {pattern} }} }}",
                       timeout=self.timeout))
            for graph, pattern in (
                (ENTITIES_GRAPH, "?e rdfs:label ?label"),
                (ENTITIES_GRAPH, "?e a ?type"),
                (STATISTICS_GRAPH, "?p void:triples ?n FILTER(?n > 0)"),
                (NETWORK_GRAPH, "?h ?rel ?t"),
            )
        )  # fmt: skip
        if (named and not typed) or (related and not networked):
            raise StoreError(
                f"{redact(self.url)}: the graph was pushed by an earlier version of policy-kg,"
                " which lays it out otherwise; build and push it again"
            )

    def select(self, sparql: str) -> QuerySolutions:
        """Run a SELECT query on the server."""
        from kg.remote.sparql import query  # loads an HTTP client

        result = query(self.url, sparql, timeout=self.timeout)
        if not isinstance(result, QuerySolutions):
            raise QueryError("expected a SELECT query")
        return result

    def find_entities(self, text: str, *, limit: int = 20) -> list[EntityMatch]:
        """Find names containing the text as typed or normalised, then rank as the index does."""
        wanted = search.normalise(text.strip())
        if not wanted:
            return []
        variants = dict.fromkeys((wanted, text.strip().lower()))
        match = " || ".join(f"CONTAINS(LCASE(STR(?name)), {_string(v)})" for v in variants)
        matches = []
        for row in self.select(_NAMES.format(match=match, types=_TYPES)):
            name, iri = row["name"].value, row["e"].value
            norm = search.normalise(name)
            if wanted in norm:
                label = row["label"].value if row["label"] else iri.rsplit("/", 1)[-1]
                type_ = row["type"].value.removeprefix(KGO_IRI)
                matches.append((EntityMatch(iri, type_, label, name), norm))

        def rank(found: tuple[EntityMatch, str]) -> tuple[int, bool, int, str]:
            m, norm = found
            where = 0 if norm == wanted else 1 if norm.startswith(wanted) else 2
            return where, m.name != m.label, len(norm), m.iri

        best: dict[str, EntityMatch] = {}
        for m, _ in sorted(matches, key=rank):
            best.setdefault(m.iri, m)
        return list(best.values())[:limit]

    def find_sentences(self, text: str, *, limit: int = 50) -> list[SentenceHit]:
        """Find the kept sentences whose lower-cased text holds every word, in document order."""
        terms = search_terms(text)
        if not terms:
            return []
        match = " && ".join(f"CONTAINS(LCASE(?text), {_string(term)})" for term in terms)
        rows = self.select(_SENTENCES.format(match=match, limit=int(limit)))
        return [
            SentenceHit(
                row["path"].value,
                row["title"].value if row["title"] else "",
                int(row["index"].value),
                int(row["start"].value),
                int(row["end"].value),
                row["text"].value,
                highlight(row["text"].value, terms),
            )
            for row in rows
        ]

    def read_document(self, doc_id: str) -> DocumentText | None:
        """Return the sentences the document's graph keeps, joined by ``GAP`` where text is missing.

        Offsets of sentences and mentions are those of this shorter text.
        """
        g = str(document_iri(doc_id))
        found = list(self.select(_DOCUMENT.format(g=g)))
        if not found:
            return None
        title = found[0]["title"].value if found[0]["title"] else ""
        sentences = sorted(
            (int(r["start"].value), int(r["end"].value), int(r["index"].value), r["text"].value)
            for r in self.select(_DOCUMENT_SENTENCES.format(g=g))
        )
        parts: list[str] = []
        kept: list[tuple[int, int, int]] = []
        starts: list[int] = []
        shift: list[int] = []
        at = end = 0
        for start, stop, index, text in sentences:
            if start < end:
                continue  # a sentence inside one already kept (no build makes one)
            if start > end:  # text the graph does not hold; its end is unknown, so none after
                parts.append(GAP)
                at += len(GAP)
            kept.append((index, at, at + len(text)))
            starts.append(start)
            shift.append(at - start)
            parts.append(text)
            at += len(text)
            end = stop
        mentions = []
        for r in self.select(_DOCUMENT_MENTIONS.format(g=g, types=_TYPES)):
            start, stop = int(r["start"].value), int(r["end"].value)
            i = bisect.bisect_right(starts, start) - 1
            if i < 0:
                continue
            type_ = r["type"].value.removeprefix(KGO_IRI)
            mentions.append(MentionSpan(start + shift[i], stop + shift[i], r["e"].value, type_))
        mentions.sort(key=lambda m: (m.start, -m.end))
        return DocumentText(doc_id, title, "".join(parts), tuple(kept), tuple(mentions))

    def network(self) -> nx.MultiDiGraph:
        """Return the network read from the server, kept for ``NETWORK_TTL`` seconds."""
        return self._kept_network()[1]

    def undirected(self) -> nx.Graph:
        """Return the undirected network, kept with the network."""
        return self._kept_network()[2]

    def add_evidence(self, graph: nx.MultiDiGraph) -> None:
        """Give the edges their evidence, read from their facts' first documents."""
        add_evidence(self.select, graph)

    def neighbourhood(self, node: str, hops: int, *, outer: bool = True) -> nx.MultiDiGraph:
        """Return the neighbourhood, read from the server one ring at a time."""
        return read_neighbourhood(self.select, node, hops, outer=outer)

    def _kept_network(self) -> tuple[float, nx.MultiDiGraph, nx.Graph]:
        with self._lock:  # pages asking at once wait for one read, not one each
            if self._kept is None or time.monotonic() - self._kept[0] > NETWORK_TTL:
                graph = self._read_network()
                self._kept = (time.monotonic(), graph, undirected(graph))
            return self._kept

    def _read_network(self) -> nx.MultiDiGraph:
        """Read the network as ``kg.analysis.entity_graph`` reads a local store."""
        return read_entity_graph(self.select, evidence=False)


def _string(text: str) -> str:
    """Return text as a SPARQL string literal.

    >>> _string('a "b"')
    '"a \\\\"b\\\\""'
    """
    return str(Literal(text))

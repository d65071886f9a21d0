"""Turn a local graph into a request body, and a server's answer into query results.

A graph's body is N-Triples, which is also Turtle (every Graph Store server reads
Turtle), with its lines sorted and its blank nodes (the ontology's) labelled
canonically, so that the same graph always gives the same bytes, whose sha256 then
tells a changed graph from an unchanged one.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from pyoxigraph import (
    BlankNode,
    CanonicalizationAlgorithm,
    Dataset,
    NamedNode,
    Quad,
    QueryBoolean,
    QueryResultsFormat,
    QuerySolutions,
    RdfFormat,
    Triple,
    parse,
    parse_query_results,
    serialize,
)

from kg import store

__all__ = ["graph_body", "graph_quads", "parse_graph", "parse_results"]


def graph_body(quads: Iterable[Quad]) -> bytes:
    """Return the triples of ``quads`` as sorted N-Triples (UTF-8), one per line.

    >>> n = NamedNode("http://example.org/n")
    >>> graph_body([Quad(n, n, n, n)])
    b'<http://example.org/n> <http://example.org/n> <http://example.org/n> .\\n'
    """
    triples = [q.triple for q in quads]
    if any(isinstance(t.subject, BlankNode) or isinstance(t.object, BlankNode) for t in triples):
        # Blank node labels change from one build to the next; canonical ones do not.
        dataset = Dataset(Quad(t.subject, t.predicate, t.object) for t in triples)
        dataset.canonicalize(CanonicalizationAlgorithm.UNSTABLE)
        triples = [q.triple for q in dataset]
    data = serialize(triples, format=RdfFormat.N_TRIPLES) or b""
    lines = sorted(set(data.splitlines()))
    return b"".join(line + b"\n" for line in lines)


def graph_quads(folder: Path, graph: str) -> Iterator[Quad]:
    """Yield the quads of the named graph ``graph`` of the build at ``folder``."""
    return store.graph_quads(folder, NamedNode(graph))


def parse_results(body: bytes, media_type: str) -> QuerySolutions | QueryBoolean:
    """Parse SPARQL results (JSON, XML, CSV or TSV, by media type).

    Raises:
        ValueError: the media type is not a results format, or the body is malformed.
    """
    fmt = QueryResultsFormat.from_media_type(media_type)
    if fmt is None:
        raise ValueError(f"the server sent {media_type or 'no media type'}, not SPARQL results")
    try:
        return parse_query_results(body, format=fmt)
    except SyntaxError as exc:
        raise ValueError(f"malformed {fmt.name} results: {exc}") from None


def parse_graph(body: bytes, media_type: str) -> list[Triple]:
    """Parse the triples of a CONSTRUCT or DESCRIBE answer (Turtle, N-Triples, RDF/XML…).

    Raises:
        ValueError: the media type is not an RDF format, or the body is malformed.
    """
    fmt = RdfFormat.from_media_type(media_type)
    if fmt is None:
        raise ValueError(f"the server sent {media_type or 'no media type'}, not RDF")
    try:
        return [q.triple for q in parse(body, format=fmt, without_named_graphs=True)]
    except SyntaxError as exc:
        raise ValueError(f"malformed {fmt.name}: {exc}") from None

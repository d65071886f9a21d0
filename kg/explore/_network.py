"""Walk the entity network: chains between two entities, neighbourhoods, centrality, groups.

The network comes from the source (``kg.explore._source``), without evidence: a build's
is ``analysis.entity_graph``, read once per published generation and kept, so a server
answers from memory and sees a rebuild; a SPARQL server's is read and kept for a while.
The evidence of the chains found is read for them alone, and a neighbourhood is read
ring by ring from the store, not out of the whole network. Walks ignore direction: a
project that supports a programme is one link from it either way; each step keeps its
facts, whose head and tail say which way they point.
"""

from __future__ import annotations

from itertools import islice, pairwise
from pathlib import Path

import networkx as nx

from kg.analysis import undirected
from kg.errors import QueryError
from kg.explore._card import find_entity
from kg.explore._records import Chain, Community, EntityRef, Evidence, Fact, Neighbour, Ranked, Step
from kg.explore._source import Source, as_source
from kg.model import EntityType
from kg.rdf import ENTITIES_GRAPH, STATISTICS_GRAPH
from kg.subgraph import communities as louvain
from kg.vocab import KGO_IRI

__all__ = ["RANK_BY", "communities", "neighbours", "network", "paths", "rank"]

#: Centrality measures ``rank`` offers.
RANK_BY = ("degree", "pagerank", "betweenness")
# Sorting every entity by degree, label and IRI takes the store seconds at 100 MB; the
# degree of the last entity listed is found first, and only those as linked are sorted.
_LEAST_DEGREE = f"""
SELECT ?d WHERE {{{{ GRAPH <{STATISTICS_GRAPH.value}> {{{{ ?e kgo:degree ?d }}}} {{of_type}} }}}}
ORDER BY DESC(?d) OFFSET {{offset}} LIMIT 1"""
_DEGREE_AT_LEAST = f"""
SELECT ?e ?type ?l ?d WHERE {{{{
  GRAPH <{STATISTICS_GRAPH.value}> {{{{ ?e kgo:degree ?d FILTER(?d >= {{least}}) }}}}
  GRAPH <{ENTITIES_GRAPH.value}> {{{{ ?e a ?type ; rdfs:label ?l }}}} {{of_type}}
}}}}"""


def network(source: Source | Path) -> nx.MultiDiGraph:
    """Return the entity network of a source or of the graph published at a folder."""
    return as_source(source).network()


def paths(
    source: Source | Path,
    a: str,
    b: str,
    *,
    max_hops: int = 6,
    alternatives: int = 3,
) -> list[Chain]:
    """Return the shortest chains of facts joining two entities, shortest first.

    Args:
        source: where the graph is read from, or the output folder of a build.
        a: a name of one end (IRI, key, label or alias).
        b: a name of the other end.
        max_hops: longest chain returned.
        alternatives: most chains returned.

    Returns:
        Up to ``alternatives`` chains of at most ``max_hops`` links; empty if none.

    Raises:
        EntityNotFound: an end names no single entity.
    """
    source = as_source(source)
    ends = [find_entity(source, name).iri for name in (a, b)]
    if ends[0] == ends[1]:
        raise QueryError(f"{a!r} and {b!r} are the same entity")
    routes: list[list[str]] = []
    try:
        for route in islice(nx.shortest_simple_paths(source.undirected(), *ends), alternatives):
            if len(route) - 1 > max_hops:
                break
            routes.append(route)
    except nx.NetworkXNoPath:
        pass
    shown = nx.MultiDiGraph(source.network().subgraph({n for r in routes for n in r}))
    source.add_evidence(shown)
    return [Chain(tuple(_step(shown, u, v) for u, v in pairwise(route))) for route in routes]


def neighbours(
    source: Source | Path, name: str, *, hops: int = 1, type_: str | None = None
) -> list[Neighbour]:
    """Return the entities within ``hops`` links of an entity, nearest first.

    Args:
        source: where the graph is read from, or the output folder of a build.
        name: a name of the entity.
        hops: how far to go.
        type_: keep only entities of this type (``Region`` …).

    Raises:
        EntityNotFound: the name names no single entity.
        QueryError: an unknown type; the message lists the six.
    """
    _check_type(type_)
    source = as_source(source)
    centre = find_entity(source, name).iri
    graph = source.neighbourhood(centre, hops, outer=False)
    simple = undirected(graph)
    distance = nx.single_source_shortest_path_length(simple, centre, cutoff=hops)
    found = []
    for node, hop in distance.items():
        if node == centre or (type_ and graph.nodes[node]["type"] != type_):
            continue
        via = min(
            (n for n in simple[node] if distance.get(n) == hop - 1),
            key=lambda n: (graph.nodes[n]["label"], n),
        )
        found.append(
            Neighbour(_ref(graph, node), hop, _ref(graph, via), _step(graph, via, node).facts)
        )
    return sorted(found, key=lambda n: (n.hops, n.entity.type, n.entity.label, n.entity.iri))


def rank(
    source: Source | Path, *, by: str = "degree", type_: str | None = None, limit: int = 20
) -> list[Ranked]:
    """Return the most central entities.

    Args:
        source: where the graph is read from, or the output folder of a build.
        by: ``degree`` (facts), ``pagerank`` (along the facts' direction) or
            ``betweenness`` (on chains, either direction).
        type_: rank only entities of this type; centrality is measured on the whole network.
        limit: how many to return.

    Raises:
        QueryError: an unknown measure or type; the message lists the valid ones.
    """
    if by not in RANK_BY:
        raise QueryError(f"unknown measure {by!r}; choose {', '.join(RANK_BY)}")
    _check_type(type_)
    source = as_source(source)
    if by == "degree":  # counted at build time: the network is not read
        return _by_stored_degree(source, type_, limit)
    graph = source.network()
    if by == "pagerank":
        scores = _pagerank(graph)
    else:
        simple = source.undirected()
        sample = min(len(simple), 500)  # exact up to 500 entities, estimated beyond
        scores = nx.betweenness_centrality(simple, k=sample, seed=0)
    keep = [n for n in graph if not type_ or graph.nodes[n]["type"] == type_]
    ordered = sorted(keep, key=lambda n: (-scores[n], graph.nodes[n]["label"], n))
    return [Ranked(_ref(graph, n), scores[n], graph.degree(n)) for n in ordered[:limit]]


def _by_stored_degree(source: Source, type_: str | None, limit: int) -> list[Ranked]:
    """Return ``rank(by="degree")`` from each entity's ``kgo:degree``, as the network's
    degree orders them: most facts first, then by label and IRI."""
    if limit < 1:
        return []
    typed = f"GRAPH <{ENTITIES_GRAPH.value}> {{ ?e a kgo:{type_} }}" if type_ else ""
    last = list(source.select(_LEAST_DEGREE.format(of_type=typed, offset=limit - 1)))
    least = int(last[0]["d"].value) if last else 0
    of_type = f"FILTER(?type = kgo:{type_})" if type_ else ""
    rows = source.select(_DEGREE_AT_LEAST.format(least=least, of_type=of_type))
    found = [
        (int(row["d"].value), row["l"].value, row["e"].value, row["type"].value) for row in rows
    ]
    found.sort(key=lambda r: (-r[0], r[1], r[2]))
    return [
        Ranked(EntityRef(iri, type_iri.removeprefix(KGO_IRI), label), float(degree), degree)
        for degree, label, iri, type_iri in found[:limit]
    ]


def communities(source: Source | Path, *, min_size: int = 2, named_by: int = 3) -> list[Community]:
    """Return groups of closely linked entities (Louvain), largest first.

    Each group is named by its ``named_by`` members with the most links inside it.
    """
    graph = network(source)
    groups: dict[int, list[str]] = {}
    for node, index in louvain(graph).items():
        groups.setdefault(index, []).append(node)
    found: list[Community] = []
    for members in (groups[index] for index in sorted(groups)):
        if len(members) < min_size:
            continue
        inner = graph.subgraph(members)
        ordered = sorted(members, key=lambda n: (-inner.degree(n), graph.nodes[n]["label"], n))
        name = " · ".join(graph.nodes[n]["label"] for n in ordered[:named_by])
        found.append(Community(len(found) + 1, name, tuple(_ref(graph, n) for n in ordered)))
    return found


def _ref(graph: nx.MultiDiGraph, node: str) -> EntityRef:
    data = graph.nodes[node]
    return EntityRef(node, data["type"], data["label"])


def _step(graph: nx.MultiDiGraph, source: str, target: str) -> Step:
    """Return the step from ``source`` to ``target`` with the facts either way between them."""
    facts = []
    for head, tail in ((source, target), (target, source)):
        for data in (graph.get_edge_data(head, tail) or {}).values():
            evidence = tuple(Evidence(text, doc) for text, doc in data["evidence"])
            facts.append(Fact(_ref(graph, head), data["relation"], _ref(graph, tail), evidence))
    return Step(_ref(graph, source), _ref(graph, target), tuple(facts))


def _pagerank(graph: nx.MultiDiGraph, damping: float = 0.85) -> dict[str, float]:
    """Return PageRank along the facts' direction, each parallel fact counting.

    igraph's PRPACK solves it (networkx's own needs scipy; a power iteration in Python
    took 3.6 s on the 75,000 entities of 100 MB of text, this 0.1 s). Scores are rounded
    to 12 significant digits, so entities placed alike tie exactly and are ranked by
    label whatever the solver's last bits.

    >>> ranks = _pagerank(nx.MultiDiGraph([("a", "c"), ("b", "c")]))
    >>> max(ranks, key=ranks.get)
    'c'
    """
    import igraph  # loaded by the rankings that need it only

    nodes = list(graph)
    index = {node: i for i, node in enumerate(nodes)}
    links = [(index[head], index[tail]) for head, tail in graph.edges()]
    scores = igraph.Graph(n=len(nodes), edges=links, directed=True).pagerank(damping=damping)
    return {node: float(f"{score:.12g}") for node, score in zip(nodes, scores, strict=True)}


def _check_type(type_: str | None) -> None:
    valid = [t.value for t in EntityType]
    if type_ is not None and type_ not in valid:
        raise QueryError(f"unknown type {type_!r}; choose {', '.join(valid)}")

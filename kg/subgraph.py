"""Shape an entity graph before drawing it: neighbourhoods, chains, filters, communities.

Every function takes the ``networkx.MultiDiGraph`` that ``analysis.entity_graph`` returns
(nodes keyed by entity IRI with ``label``, ``type`` and ``aliases``; edges with
``relation`` and ``evidence``) and returns a new graph of the same shape, so the results
chain: ``filter_graph(ego_graph(g, n, 2), min_degree=2)``. Direction is ignored when
walking: a project that supports a programme is one hop from it either way.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Collection, Iterable
from itertools import islice, pairwise

import networkx as nx

from kg.errors import QueryError
from kg.model import EntityType, RelationType

__all__ = [
    "communities",
    "ego_graph",
    "filter_graph",
    "find_node",
    "path_graph",
    "strongest",
]


def find_node(graph: nx.MultiDiGraph, name: str) -> str:
    """Return the node a name stands for: its IRI, its label or one of its aliases.

    Args:
        graph: an entity graph.
        name: an entity IRI, a canonical label or an alias.

    Returns:
        The IRI of the only entity so named; a label match wins over an alias match.

    Raises:
        QueryError: no entity, or more than one, has that name; the message lists
            candidates.

    >>> g = nx.MultiDiGraph()
    >>> g.add_node("kgr:Region/Ningbo", label="Ningbo", type="Region", aliases=["NB"])
    >>> find_node(g, "NB")
    'kgr:Region/Ningbo'
    """
    if name in graph:
        return name
    by_label = [n for n, label in graph.nodes(data="label") if label == name]
    found = by_label or [n for n, aliases in graph.nodes(data="aliases") if name in (aliases or ())]
    if len(found) == 1:
        return found[0]
    if found:
        choices = ", ".join(sorted(found))
        raise QueryError(f"{name!r} names {len(found)} entities; choose one of {choices}")
    near = sorted(label for _, label in graph.nodes(data="label") if label and name in label)
    hint = f"; did you mean {', '.join(near[:5])}?" if near else ""
    raise QueryError(f"no entity named {name!r} in the graph{hint}")


def ego_graph(graph: nx.MultiDiGraph, node: str, hops: int = 1) -> nx.MultiDiGraph:
    """Return the entities within ``hops`` links of ``node`` and the links among them.

    >>> g = nx.MultiDiGraph([("a", "b"), ("c", "b"), ("c", "d")])
    >>> sorted(ego_graph(g, "a", 2))
    ['a', 'b', 'c']
    """
    if node not in graph:
        raise QueryError(f"no entity {node!r} in the graph")
    return _in_order(nx.ego_graph(graph, node, radius=hops, undirected=True), graph)


def path_graph(graph: nx.MultiDiGraph, a: str, b: str, *, max_paths: int = 20) -> nx.MultiDiGraph:
    """Return the shortest chains of links between two entities, in either direction.

    Args:
        graph: an entity graph.
        a: IRI of one end.
        b: IRI of the other end.
        max_paths: at most this many shortest chains are kept (hubs can make thousands).

    Returns:
        The entities on the chains and only the links that join consecutive ones.

    Raises:
        QueryError: an end is not in the graph or no chain joins them.

    >>> g = nx.MultiDiGraph([("a", "b"), ("c", "b"), ("a", "x")])
    >>> sorted(path_graph(g, "a", "c").edges())
    [('a', 'b'), ('c', 'b')]
    """
    for end in (a, b):
        if end not in graph:
            raise QueryError(f"no entity {end!r} in the graph")
    try:
        paths = list(
            islice(nx.all_shortest_paths(graph.to_undirected(as_view=True), a, b), max_paths)
        )
    except nx.NetworkXNoPath:
        names = " and ".join(repr(graph.nodes[n].get("label", n)) for n in (a, b))
        raise QueryError(f"no chain of links joins {names}") from None
    steps = {frozenset(step) for path in paths for step in pairwise(path)}
    keys = [(u, v, k) for u, v, k in graph.edges(keys=True) if frozenset((u, v)) in steps]
    chain = graph.edge_subgraph(keys).copy()
    chain.add_nodes_from((n, graph.nodes[n]) for n in (a, b))
    return _in_order(chain, graph)


def filter_graph(
    graph: nx.MultiDiGraph,
    *,
    types: Collection[str] = (),
    relations: Collection[str] = (),
    min_degree: int = 0,
) -> nx.MultiDiGraph:
    """Return the graph cut to some entity types, some relations and well-linked entities.

    Args:
        graph: an entity graph.
        types: keep only entities of these types (all when empty).
        relations: keep only links of these relations (all when empty); entities left
            without any link are dropped, since the view is about those relations.
        min_degree: then keep only entities with at least this many links.

    Raises:
        QueryError: an unknown type or relation; the message lists the valid ones.

    >>> g = nx.MultiDiGraph()
    >>> _ = g.add_edge("a", "b", relation="supports")
    >>> _ = g.add_edge("b", "c", relation="partOf")
    >>> sorted(filter_graph(g, relations=["supports"]))
    ['a', 'b']
    """
    _check("type", types, [t.value for t in EntityType])
    _check("relation", relations, [r.value for r in RelationType])
    keep = [n for n, t in graph.nodes(data="type") if not types or t in types]
    shaped = graph.subgraph(keep)
    if relations:
        links = [e for e, r in _edge_attr(shaped, "relation") if r in relations]
        shaped = shaped.edge_subgraph(links)
    if min_degree > 0:
        shaped = shaped.subgraph([n for n, d in shaped.degree() if d >= min_degree])
    return _in_order(shaped, graph)


def strongest(graph: nx.MultiDiGraph, max_nodes: int) -> nx.MultiDiGraph:
    """Return the ``max_nodes`` entities with the most links, and the links among them.

    Ties are broken by IRI so the same graph always gives the same cut.

    >>> g = nx.MultiDiGraph([("hub", "a"), ("hub", "b"), ("a", "b"), ("c", "hub")])
    >>> sorted(strongest(g, 2))
    ['a', 'hub']
    """
    if graph.number_of_nodes() <= max_nodes:
        return graph.copy()
    ranked = sorted(graph.degree(), key=lambda nd: (-nd[1], nd[0]))
    return _in_order(graph.subgraph(n for n, _ in ranked[:max_nodes]), graph)


def _in_order(part: nx.MultiDiGraph, whole: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """Copy ``part`` of ``whole`` with its entities and links in the order of ``whole``.

    A networkx subgraph lists its nodes from a set, in an order that changes from one
    process to the next; views and exports drawn from it must not.
    """
    ordered = whole.__class__()
    ordered.graph.update(whole.graph)
    ordered.add_nodes_from((n, whole.nodes[n]) for n in whole if n in part)
    ordered.add_edges_from(
        (u, v, k, d) for u, v, k, d in whole.edges(keys=True, data=True) if part.has_edge(u, v, k)
    )
    return ordered


def communities(graph: nx.MultiDiGraph, *, seed: int = 0) -> dict[str, int]:
    """Return each entity's community (Louvain), numbered from the largest community down.

    Parallel links between two entities count as one link of that weight. igraph's
    multilevel method computes it: networkx's took 7.7 s on the 75,000 entities of
    100 MB of text, igraph's a fraction of a second.

    >>> g = nx.MultiDiGraph([("a", "b"), ("b", "c"), ("c", "a"), ("x", "y")])
    >>> communities(g)
    {'a': 0, 'b': 0, 'c': 0, 'x': 1, 'y': 1}
    """
    import igraph  # loaded by the colouring and listing of communities only

    nodes = list(graph)
    index = {node: i for i, node in enumerate(nodes)}
    weight: Counter[tuple[int, int]] = Counter()
    for u, v in graph.edges():
        if u != v:
            weight[min(index[u], index[v]), max(index[u], index[v])] += 1
    pairs = sorted(weight)
    simple = igraph.Graph(n=len(nodes), edges=pairs, directed=False)
    # igraph visits the entities in an order drawn from a process-wide generator; a
    # private seeded one gives the same communities on every run.
    igraph.set_random_number_generator(random.Random(seed))
    try:
        found = simple.community_multilevel(weights=[weight[p] for p in pairs])
    finally:
        igraph.set_random_number_generator(random)
    groups = [[nodes[i] for i in members] for members in found]
    ordered = sorted(groups, key=lambda c: (-len(c), min(c)))
    community = {n: i for i, members in enumerate(ordered) for n in members}
    return {n: community[n] for n in graph}


def _check(kind: str, given: Iterable[str], valid: list[str]) -> None:
    unknown = sorted(set(given) - set(valid))
    if unknown:
        raise QueryError(f"unknown {kind} {unknown[0]!r}; choose {', '.join(valid)}")


def _edge_attr(graph: nx.MultiDiGraph, name: str) -> Iterable[tuple[tuple[str, str, int], str]]:
    for u, v, k, value in graph.edges(keys=True, data=name):
        yield (u, v, k), value

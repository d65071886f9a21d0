"""Read the entity network out of a built graph as a networkx graph.

Nodes are entities, keyed by IRI, with ``label``, ``type`` (``Region`` …) and
``aliases`` (list); edges are the six relations, keyed by relation name, with
``relation`` and ``evidence``: up to ``MAX_EVIDENCE`` ``(sentence text, document
id)`` pairs, the first by document id and text. Views and the GraphML/GEXF export
draw on this one graph: ``entity_graph`` reads it out of a store, ``entity_network``
makes it from what a build holds in memory.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import partial
from pathlib import Path
from typing import IO, Any

import networkx as nx

from kg import store
from kg.model import EntityType, RelationType
from kg.vocab import KGO_IRI

__all__ = [
    "MAX_EVIDENCE",
    "NETWORK_FORMATS",
    "add_evidence",
    "entity_graph",
    "entity_network",
    "read_entity_graph",
    "write_network",
]

#: Formats ``write_network`` writes.
NETWORK_FORMATS = ("graphml", "gexf")

#: Runs a SELECT query and returns its rows (``row["e"].value``…).
Select = Callable[[str], Iterable[Any]]

#: Evidence sentences kept per edge.
MAX_EVIDENCE = 3

_TYPES = " ".join(f"kgo:{t.value}" for t in EntityType)
_RELATIONS = " ".join(f"kgo:{r.value}" for r in RelationType)
_NODES = f"""
SELECT DISTINCT ?e ?type ?label WHERE {{
  VALUES ?type {{ {_TYPES} }} ?e a ?type . OPTIONAL {{ ?e rdfs:label ?label }}
}}"""
_ALIASES = "SELECT DISTINCT ?e ?alias WHERE { ?e skos:altLabel ?alias } ORDER BY ?e ?alias"
_EDGES = f"""
SELECT DISTINCT ?h ?rel ?t WHERE {{ VALUES ?rel {{ {_RELATIONS} }} ?h ?rel ?t }}"""
_EVIDENCE = """
SELECT DISTINCT ?h ?rel ?t ?text ?path WHERE {
  %s
  ?r a kgo:RelationAssertion ; rdf:subject ?h ; rdf:predicate ?rel ; rdf:object ?t ;
     prov:wasDerivedFrom ?s .
  ?s kgo:text ?text ; kgo:inDocument ?g .
  ?g kgo:sourcePath ?path .
} ORDER BY ?path ?text"""
#: Facts whose evidence one query asks for, when it is read for part of the graph.
_FACTS_PER_QUERY = 500
_FROM_HEAD = "?r rdf:subject ?h . ?r rdf:object ?t ."
_FROM_TAIL = "?r rdf:object ?t . ?r rdf:subject ?h ."


def entity_graph(folder: Path, *, evidence: bool = True) -> nx.MultiDiGraph:
    """Return the entities of the graph at ``folder`` and the relations between them.

    Args:
        folder: the output folder of a build (or a generation folder).
        evidence: read the edges' evidence too; without it, edges have none, and
            ``add_evidence`` reads it for the part of the graph that is kept (the
            evidence of a whole large graph takes minutes to read).

    Returns:
        A ``MultiDiGraph``: nodes keyed by entity IRI with ``label``, ``type`` and
        ``aliases``; one edge per fact, keyed by relation name, with ``relation``
        and ``evidence`` (a list of ``(sentence text, document id)``).

    Raises:
        StoreError: no graph has been built at ``folder``.
    """
    return read_entity_graph(partial(store.select, folder), evidence=evidence)


def read_entity_graph(select: Select, *, evidence: bool = True) -> nx.MultiDiGraph:
    """Return the graph ``entity_graph`` returns, read through any SELECT function.

    Args:
        select: runs a SELECT query (the usual prefixes declared) and returns its rows:
            a local store's, or a SPARQL server's.
        evidence: as for ``entity_graph``.
    """
    aliases: defaultdict[str, list[str]] = defaultdict(list)
    for row in select(_ALIASES):
        aliases[row["e"].value].append(row["alias"].value)
    nodes = []
    for row in select(_NODES):
        iri = row["e"].value
        label = row["label"].value if row["label"] else iri.rsplit("/", 1)[-1]
        type_ = row["type"].value.removeprefix(KGO_IRI)
        nodes.append((iri, type_, label, aliases.get(iri, [])))
    facts: dict[tuple[str, str, str], list[tuple[str, str]]] = {}
    for row in select(_EDGES):
        facts[row["h"].value, row["rel"].value.removeprefix(KGO_IRI), row["t"].value] = []
    if evidence:
        _read_evidence(select, facts, _EVIDENCE % "")
    return entity_network(nodes, facts)


def add_evidence(folder: Path, graph: nx.MultiDiGraph) -> None:
    """Read the evidence of the edges of ``graph`` (from ``entity_graph(evidence=False)``).

    Args:
        folder: the output folder the graph was read from.
        graph: its edges get their ``evidence``, as ``entity_graph`` gives it.
    """
    facts = {(h, key, t): data["evidence"] for h, t, key, data in graph.edges(keys=True, data=True)}
    degree = dict(graph.degree())
    select = partial(store.select, folder)
    # The engine looks the statements up from the end named first: from a hub, it would
    # read all of the hub's statements again for each of its facts (a minute for the
    # 1-hop view of a hub at 100 MB, against seconds from the other end).
    by_head = [f for f in facts if degree[f[0]] <= degree[f[2]]]
    by_tail = [f for f in facts if degree[f[0]] > degree[f[2]]]
    for listed, anchor in ((by_head, _FROM_HEAD), (by_tail, _FROM_TAIL)):
        for at in range(0, len(listed), _FACTS_PER_QUERY):
            rows = " ".join(
                f"(<{h}> kgo:{relation} <{t}>)"
                for h, relation, t in listed[at : at + _FACTS_PER_QUERY]
            )
            sparql = _EVIDENCE % f"VALUES (?h ?rel ?t) {{ {rows} }} {anchor}"
            _read_evidence(select, facts, sparql)


def _read_evidence(
    select: Select, facts: Mapping[tuple[str, str, str], list[tuple[str, str]]], sparql: str
) -> None:
    for row in select(sparql):
        relation = row["rel"].value.removeprefix(KGO_IRI)
        kept = facts.get((row["h"].value, relation, row["t"].value))
        if kept is not None and len(kept) < MAX_EVIDENCE:
            kept.append((row["text"].value, row["path"].value))


def entity_network(
    nodes: Iterable[tuple[str, str, str, Sequence[str]]],
    facts: Mapping[tuple[str, str, str], Sequence[tuple[str, str]]],
) -> nx.MultiDiGraph:
    """Return the graph ``entity_graph`` returns, from its parts.

    Args:
        nodes: ``(IRI, type, label, aliases)`` of each entity, in the graph's order.
        facts: each fact ``(head IRI, relation name, tail IRI)``, in the graph's order,
            and its evidence: up to ``MAX_EVIDENCE`` ``(sentence text, document id)``.
            An end that is not a node is added as one without a type.

    >>> g = entity_network([("a", "Region", "A", [])], {("a", "partOf", "b"): [("A在B", "d")]})
    >>> g.nodes["b"]["type"], g.edges["a", "b", "partOf"]["evidence"]
    ('', [('A在B', 'd')])
    """
    graph = nx.MultiDiGraph()
    for iri, type_, label, aliases in nodes:
        graph.add_node(iri, label=label, type=type_, aliases=list(aliases))
    for (head, relation, tail), evidence in facts.items():
        for end in (head, tail):
            if end not in graph:  # an entity without a type: keep the edge, mark the node
                graph.add_node(end, label=end.rsplit("/", 1)[-1], type="", aliases=[])
        graph.add_edge(head, tail, key=relation, relation=relation, evidence=list(evidence))
    return graph


def write_network(graph: nx.MultiDiGraph, output: IO[bytes] | Path, fmt: str) -> None:
    """Write the entity network as GraphML or GEXF, for Gephi, Cytoscape and friends.

    List attributes do not fit these formats: aliases are joined with `` | ``, and
    each edge gets its evidence sentences joined the same way and their documents.

    Args:
        graph: a graph from ``entity_graph``.
        output: a binary file or a path.
        fmt: ``graphml`` or ``gexf``.
    """
    flat = nx.MultiDiGraph()
    for node, data in graph.nodes(data=True):
        flat.add_node(
            node, label=data["label"], type=data["type"], aliases=" | ".join(data["aliases"])
        )
    for head, tail, key, data in graph.edges(keys=True, data=True):
        texts = [text for text, _ in data["evidence"]]
        documents = sorted({doc for _, doc in data["evidence"]})
        flat.add_edge(
            head,
            tail,
            key=key,
            relation=data["relation"],
            label=data["relation"],
            evidence=" | ".join(texts),
            documents=" | ".join(documents),
        )
    writers = {"graphml": nx.write_graphml, "gexf": nx.write_gexf}
    writers[fmt](flat, output)

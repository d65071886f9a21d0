"""Read the entity network out of a built graph as a networkx graph.

Nodes are entities, keyed by IRI, with ``label``, ``type`` (``Region`` …) and
``aliases`` (list); edges are the six relations, keyed by relation name, with
``relation`` and ``evidence``: up to ``MAX_EVIDENCE`` ``(sentence text, document
id)`` pairs, the first by document id and text. Views and the GraphML/GEXF export
draw on this one graph: ``entity_graph`` reads it out of a build's index (the network
and the evidence the build kept, ``kg.search``), ``read_entity_graph`` out of a store or
a SPARQL server, ``entity_network`` makes it from what a build holds in memory. For a
view of one entity's surroundings, ``find_entity``, ``read_neighbourhood`` and
``add_evidence`` read only that part of a store, which on a large graph costs a fraction
of the whole.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import IO, Any

import networkx as nx
from pyoxigraph import Literal, NamedNode

from kg import search
from kg.config import MAX_EVIDENCE
from kg.model import EntityType
from kg.rdf import ENTITIES_GRAPH, NETWORK_GRAPH
from kg.subgraph import find_node
from kg.vocab import KGO_IRI

__all__ = [
    "MAX_EVIDENCE",
    "NETWORK_FORMATS",
    "Select",
    "add_evidence",
    "add_kept_evidence",
    "bare_network",
    "entity_graph",
    "entity_network",
    "find_entity",
    "read_entity_graph",
    "read_neighbourhood",
    "undirected",
    "write_network",
]

#: Formats ``write_network`` writes.
NETWORK_FORMATS = ("graphml", "gexf")

#: Runs a SELECT query and returns its rows (``row["e"].value``…).
Select = Callable[[str], Iterable[Any]]

# Entities are read from the graph describing each once: the same statements in the
# document graphs are repeated in every document that mentions the entity (4.7 s
# instead of 1.2 s for the 75,000 entities of 100 MB of text).
_SIX_TYPES = ", ".join(f"kgo:{t.value}" for t in EntityType)
_IN_TYPES = f"FILTER(?type IN ({_SIX_TYPES}))"
_NODES = f"""
SELECT ?e ?type ?label WHERE {{ GRAPH <{ENTITIES_GRAPH.value}> {{
  ?e a ?type {_IN_TYPES} OPTIONAL {{ ?e rdfs:label ?label }}
}} }}"""
# sorted here: the store's ORDER BY took 0.4 s for 9,000 aliases at 100 MB
_ALIASES = (
    f"SELECT ?e ?alias WHERE {{ GRAPH <{ENTITIES_GRAPH.value}> {{ ?e skos:altLabel ?alias }} }}"
)
# Facts are read from the graph stating each once, not from every document stating it.
_EDGES = f"SELECT ?h ?rel ?t WHERE {{ GRAPH <{NETWORK_GRAPH.value}> {{ ?h ?rel ?t }} }}"
_EVIDENCE = """
SELECT DISTINCT ?h ?rel ?t ?text ?path WHERE {
  %s
  ?r a kgo:RelationAssertion ; rdf:subject ?h ; rdf:predicate ?rel ; rdf:object ?t ;
     prov:wasDerivedFrom ?s .
  ?s kgo:text ?text ; kgo:inDocument ?g .
  ?g kgo:sourcePath ?path .
} ORDER BY ?path ?text"""
# Queries about a part of the graph (``%s``: VALUES rows of IRIs) spell each relation
# out in a UNION: joined with a second VALUES block, Oxigraph reads every statement of
# the kind across all document graphs (8 s instead of 0.05 s for 500 entities at 100 MB).
# VALUES go inside the GRAPH block: outside it, with an OPTIONAL, Oxigraph reads the
# whole graph for each query (0.4 s instead of 0.014 s for 500 entities at 100 MB).
# They return each entity's index in the VALUES rows (``?i``) rather than its IRI, which
# the store would decode in every row (a ring of the hub at 100 MB: 40,000 rows).
_SOME_NODES = f"""
SELECT ?i ?type ?label WHERE {{ GRAPH <{ENTITIES_GRAPH.value}> {{
  VALUES (?e ?i) {{ %s }} ?e a ?type {_IN_TYPES} OPTIONAL {{ ?e rdfs:label ?label }}
}} }}"""
_SOME_ALIASES = f"""
SELECT ?i ?alias WHERE {{ GRAPH <{ENTITIES_GRAPH.value}> {{
  VALUES (?e ?i) {{ %s }} ?e skos:altLabel ?alias
}} }}"""
#: The facts of some entities, read from each end in turn.
_IN_NETWORK = f"GRAPH <{NETWORK_GRAPH.value}>"
_OUT_LINKS = f"SELECT ?i ?rel ?t WHERE {{ {_IN_NETWORK} {{ VALUES (?h ?i) {{ %s }} ?h ?rel ?t }} }}"
_IN_LINKS = f"SELECT ?h ?rel ?i WHERE {{ {_IN_NETWORK} {{ VALUES (?t ?i) {{ %s }} ?h ?rel ?t }} }}"
#: Entities named by label or alias (``%s``: the name's literals), or whose label holds it.
_NAMED = f"""
SELECT DISTINCT ?e WHERE {{ GRAPH <{ENTITIES_GRAPH.value}> {{
  VALUES ?name {{ %s }} {{ ?e rdfs:label ?name }} UNION {{ ?e skos:altLabel ?name }}
  ?e a ?type {_IN_TYPES}
}} }}"""
_LABEL_HOLDS = f"""
SELECT DISTINCT ?e WHERE {{
  GRAPH <{ENTITIES_GRAPH.value}> {{ ?e rdfs:label ?label FILTER(CONTAINS(STR(?label), %s)) }}
}}"""
#: Entities one query asks about, when part of the graph is read.
_NODES_PER_QUERY = 500
#: Facts whose evidence one query asks for, when it is read for part of the graph.
_FACTS_PER_QUERY = 500
# The two queries of evidence return a fact's index in the VALUES rows, not its terms:
# the store decodes every IRI of every row, and a fact of a hub is stated in thousands of
# documents (the hub's view at 100 MB: 42,000 rows).
#: The documents stating each fact (``%s``: VALUES rows of facts and their index).
_STATED_IN = f"""
SELECT ?i ?g WHERE {{
  VALUES (?h ?rel ?t ?i) {{ %s }} GRAPH ?g {{ ?h ?rel ?t }} FILTER(?g != <{NETWORK_GRAPH.value}>)
}}"""
_PATHS = "SELECT ?g ?path WHERE { VALUES ?g { %s } ?g kgo:sourcePath ?path }"
#: The sentences stating each fact in one document (``%s``: VALUES rows of facts, graphs
#: and their index).
_SAID_IN = """
SELECT DISTINCT ?i ?text WHERE {
  VALUES (?h ?rel ?t ?g ?i) { %s }
  GRAPH ?g {
    ?r rdf:object ?t ; rdf:subject ?h ; rdf:predicate ?rel ; a kgo:RelationAssertion ;
       prov:wasDerivedFrom ?s .
    ?s kgo:text ?text
  }
}"""


def entity_graph(folder: Path, *, evidence: bool = True) -> nx.MultiDiGraph:
    """Return the entities of the graph built at ``folder`` and the relations between them.

    They are read from the build's index, which keeps the network and each fact's
    evidence as the store holds them: for 100 MB of text, 0.8 s (1.6 s with the
    evidence) against 3.8 s (23 s) for ``read_entity_graph`` from the store.

    Args:
        folder: the output folder of a build (or a generation folder).
        evidence: give the edges their evidence; without it, edges have none, and
            ``add_kept_evidence`` gives it to the part of the graph that is kept.

    Returns:
        A ``MultiDiGraph``: nodes keyed by entity IRI with ``label``, ``type`` and
        ``aliases``; one edge per fact, keyed by relation name, with ``relation``
        and ``evidence`` (a list of ``(sentence text, document id)``), both in IRI order.

    Raises:
        StoreError: no graph has been built at ``folder``.
    """
    graph = bare_network(*search.network(folder))
    if evidence:
        add_kept_evidence(folder, graph)
    return graph


def read_entity_graph(select: Select, *, evidence: bool = True) -> nx.MultiDiGraph:
    """Return the graph ``entity_graph`` returns, read through any SELECT function.

    Its evidence is read from every sentence stating each fact (23 s for 100 MB of
    text); ``add_evidence`` reads the evidence of a part only.

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
        nodes.append((iri, type_, label, sorted(aliases.get(iri, ()))))
    # In IRI order whatever the engine's own: walks and communities follow the order
    # (of shortest chains of equal length, the first found is shown).
    nodes.sort()
    edges = [
        (r["h"].value, r["rel"].value.removeprefix(KGO_IRI), r["t"].value) for r in select(_EDGES)
    ]
    facts: dict[tuple[str, str, str], list[tuple[str, str]]] = {f: [] for f in sorted(edges)}
    if evidence:
        _read_evidence(select, facts, _EVIDENCE % "")
    return entity_network(nodes, facts)


def find_entity(select: Select, name: str) -> str:
    """Return the entity a name stands for, as ``subgraph.find_node`` finds it in the whole
    graph, but reading only the entities so named.

    Args:
        select: runs a SELECT query, as for ``read_entity_graph``.
        name: an entity IRI, a canonical label or an alias.

    Raises:
        QueryError: as ``find_node``; the hint lists labels that hold the name.
    """
    literal = str(Literal(name))
    # names are written in Chinese (@zh); a name as a plain string is matched too
    named = [row["e"].value for row in select(_NAMED % f"{literal} {Literal(name, language='zh')}")]
    if not named and _is_iri(name):
        named = [name]
    if not named:  # read only for the message: the labels that come near
        named = [row["e"].value for row in select(_LABEL_HOLDS % literal)]
    return find_node(_entities(select, named), name)


def read_neighbourhood(
    select: Select, node: str, hops: int, *, outer: bool = True
) -> nx.MultiDiGraph:
    """Return ``subgraph.ego_graph(whole, node, hops)`` reading only that part of the graph.

    The entities within ``hops`` links are found one ring at a time, each ring's facts
    read from the store; a last read of the outer ring's facts adds the links among
    entities already found. Nodes and edges come in IRI order, whatever the store's.

    Args:
        select: runs a SELECT query, as for ``read_entity_graph``.
        node: the IRI of the entity at the centre.
        hops: how many links away to go.
        outer: make the last read; without it, the links among entities of the outer
            ring are missing, but every entity is there with the facts that reach it
            from nearer ones, which is all a walk from ``node`` needs.
    """
    found, ring = {node}, {node}
    facts: set[tuple[str, str, str]] = set()
    for last in [False] * hops + [True] * outer:
        reached: set[str] = set()
        for fact in _links(select, ring):
            head, _, tail = fact
            if not last:
                facts.add(fact)
                reached.update({head, tail} - found)
            elif head in found and tail in found:
                facts.add(fact)
        found |= reached
        ring = reached
    return _entities(select, found, dict.fromkeys(sorted(facts), ()))


def _links(select: Select, entities: Iterable[str]) -> Iterable[tuple[str, str, str]]:
    """Yield the facts with an end among ``entities`` (a fact between two, twice)."""
    listed = sorted(entities)
    for values in _indexed(listed, _NODES_PER_QUERY):
        for row in select(_OUT_LINKS % values):
            yield listed[int(row["i"].value)], _relation(row), row["t"].value
    for values in _indexed(listed, _NODES_PER_QUERY):
        for row in select(_IN_LINKS % values):
            yield row["h"].value, _relation(row), listed[int(row["i"].value)]


def _relation(row: Any) -> str:
    return str(row["rel"].value).removeprefix(KGO_IRI)


def _entities(
    select: Select,
    iris: Iterable[str],
    facts: Mapping[tuple[str, str, str], Sequence[tuple[str, str]]] | None = None,
) -> nx.MultiDiGraph:
    """Return the graph of the typed entities among ``iris`` and of ``facts``."""
    wanted = sorted(set(iris))
    aliases: defaultdict[str, list[str]] = defaultdict(list)
    nodes: dict[str, tuple[str, str, str, list[str]]] = {}
    for values in _indexed(wanted, _NODES_PER_QUERY):
        for row in select(_SOME_ALIASES % values):
            aliases[wanted[int(row["i"].value)]].append(row["alias"].value)
        for row in select(_SOME_NODES % values):
            iri = wanted[int(row["i"].value)]
            label = row["label"].value if row["label"] else iri.rsplit("/", 1)[-1]
            nodes.setdefault(iri, (iri, row["type"].value.removeprefix(KGO_IRI), label, []))
    for iri, names in aliases.items():
        if iri in nodes:
            nodes[iri][3].extend(sorted(names))
    # an end of a fact that has no type is added untyped, as the whole graph has it
    return entity_network([nodes[iri] for iri in wanted if iri in nodes], facts or {})


def _batches(iris: Iterable[str], size: int) -> Iterable[str]:
    """Yield VALUES rows of ``size`` IRIs at a time (each written as an IRI term)."""
    listed = sorted(iris)
    for at in range(0, len(listed), size):
        yield " ".join(str(NamedNode(iri)) for iri in listed[at : at + size])


def _indexed(listed: Sequence[str], size: int) -> Iterable[str]:
    """Yield VALUES rows ``(IRI index)`` of ``size`` IRIs at a time, each with its index
    in ``listed``."""
    for at in range(0, len(listed), size):
        part = listed[at : at + size]
        yield " ".join(f"({NamedNode(iri)} {index})" for index, iri in enumerate(part, at))


def _is_iri(name: str) -> bool:
    """Return True when a name given for an entity is an IRI, which a query may hold."""
    try:
        NamedNode(name)
    except ValueError:
        return False
    return name.startswith(("http://", "https://"))


def add_evidence(select: Select, graph: nx.MultiDiGraph) -> None:
    """Read the evidence of the edges of ``graph`` (from ``entity_graph(evidence=False)``).

    The evidence a fact keeps, its first sentences by document path and text, comes from
    its first documents by path: the documents stating each fact are found by the fact's
    own triple in their graphs, and sentences are read from the first few only. Reading
    every sentence of a fact stated in thousands of documents took seconds per view.

    Args:
        select: runs a SELECT query on the graph ``graph`` was read from, as for
            ``read_entity_graph``.
        graph: its edges get their ``evidence``, as ``entity_graph`` gives it.
    """
    facts = {(h, key, t): data for h, t, key, data in graph.edges(keys=True, data=True)}
    listed = list(facts)
    stated: defaultdict[tuple[str, str, str], list[str]] = defaultdict(list)
    for rows in _fact_rows(listed):
        for row in select(_STATED_IN % rows):
            stated[listed[int(row["i"].value)]].append(row["g"].value)
    paths: dict[str, str] = {}
    for values in _batches({g for documents in stated.values() for g in documents}, 2000):
        paths.update((row["g"].value, row["path"].value) for row in select(_PATHS % values))
    first = [
        (fact, g)
        for fact, documents in stated.items()
        for g in sorted((g for g in documents if g in paths), key=paths.__getitem__)[:MAX_EVIDENCE]
    ]
    said: defaultdict[tuple[str, str, str], list[tuple[str, str]]] = defaultdict(list)
    for rows in _fact_rows([(*fact, g) for fact, g in first]):
        for row in select(_SAID_IN % rows):
            fact, g = first[int(row["i"].value)]
            said[fact].append((paths[g], row["text"].value))
    for fact, found in said.items():
        # a new list: a copy of part of a graph shares its edges' lists with the graph
        kept = facts[fact]["evidence"]
        more = [(text, path) for path, text in sorted(found)[: MAX_EVIDENCE - len(kept)]]
        facts[fact]["evidence"] = kept + more


def add_kept_evidence(folder: Path, graph: nx.MultiDiGraph) -> None:
    """Give the edges of ``graph`` the evidence the build at ``folder`` kept in its index,
    which is what ``add_evidence`` reads from its store.

    Args:
        folder: the output folder of a build (or a generation folder).
        graph: part of its network, read without evidence, or a copy of such a part.
    """
    kept = search.evidence(
        folder, [(head, key, tail) for head, tail, key in graph.edges(keys=True)]
    )
    for head, tail, key, data in graph.edges(keys=True, data=True):
        # a new list: a copy of part of a graph shares its edges' lists with the graph
        data["evidence"] = list(kept.get((head, key, tail), ()))


def _fact_rows(facts: Sequence[tuple[str, ...]]) -> Iterable[str]:
    """Yield VALUES rows of facts ``(head, relation, tail[, graph])``, each with its index
    in ``facts``, some at a time."""
    for at in range(0, len(facts), _FACTS_PER_QUERY):
        part = facts[at : at + _FACTS_PER_QUERY]
        yield " ".join(_fact_row(index, *fact) for index, fact in enumerate(part, at))


def _fact_row(index: int, head: str, relation: str, tail: str, *graph: str) -> str:
    """Return one VALUES row: ``(head relation tail)``, the graph if given, and ``index``."""
    iris = "".join(f"{NamedNode(iri)} " for iri in graph)
    return f"({NamedNode(head)} kgo:{relation} {NamedNode(tail)} {iris}{index})"


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


def bare_network(
    nodes: Iterable[tuple[str, str, str, Sequence[str]]], facts: Iterable[tuple[str, str, str]]
) -> nx.MultiDiGraph:
    """Return the graph ``entity_network`` makes of facts without evidence (as
    ``kg.search`` reads the network from a build's index)."""
    return entity_network(nodes, dict.fromkeys(facts, ()))


def undirected(graph: nx.MultiDiGraph) -> nx.Graph:
    """Return the entities of ``graph``, in its order, linked wherever a fact joins two.

    Made from the list of links: a copy of ``graph.to_undirected(as_view=True)`` took
    six times as long (0.6 s against 0.1 s for 37,000 facts).

    >>> sorted(undirected(nx.MultiDiGraph([("a", "b"), ("b", "a"), ("c", "c")])).edges())
    [('a', 'b'), ('c', 'c')]
    """
    simple = nx.Graph()
    simple.add_nodes_from(graph)
    simple.add_edges_from(graph.edges())
    return simple


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

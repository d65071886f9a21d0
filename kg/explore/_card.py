"""Find an entity by any of its names, and read its card from a source (a build or a server)."""

from __future__ import annotations

from collections.abc import Iterable
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

from pyoxigraph import NamedNode

from kg import search
from kg.explore._records import (
    Card,
    DocumentMentions,
    EntityNotFound,
    EntityRef,
    Evidence,
    Fact,
    FactGroup,
)
from kg.explore._source import Source, as_source
from kg.model import EntityType, RelationType
from kg.rdf import NETWORK_GRAPH
from kg.vocab import KGO_IRI, KGR_IRI, entity_iri

__all__ = [
    "DOCUMENTS_SHOWN",
    "EVIDENCE_SHOWN",
    "FACTS_SHOWN",
    "documents_query",
    "entity_card",
    "evidence_query",
    "find_entity",
    "group_query",
    "suggestions",
]

_TYPES = " ".join(f"kgo:{t.value}" for t in EntityType)
_RELATIONS = " ".join(f"kgo:{r.value}" for r in RelationType)
_ENTITY = """
SELECT ?type ?label WHERE {{
  VALUES ?type {{ {types} }} {e} a ?type . OPTIONAL {{ {e} rdfs:label ?label }}
}} LIMIT 1"""
_ALIASES = "SELECT DISTINCT ?alias WHERE {{ {e} skos:altLabel ?alias }}"

# Every query reads an entity's facts and mentions from the document graphs' own index
# ranges (GRAPH ?g), counts them inside the store and returns a bounded number of rows:
# the card's cost follows what it shows, not how often the entity occurs. Ties in the
# counts keep the store's index order, which is the same on every run. Documents stating
# a fact are counted without the network graph, which states every fact once.
_NOT_NETWORK = f"FILTER(?g != <{NETWORK_GRAPH.value}>)"
_TOTALS = """
SELECT ?degree ?documents ?mentions WHERE {{
  {{ SELECT (COUNT(DISTINCT ?g) AS ?documents) (COUNT(?m) AS ?mentions)
     WHERE {{ GRAPH ?g {{ ?m kgo:mentionOf {e} }} }} }}
  OPTIONAL {{ {e} kgo:degree ?degree }}
}}"""
_GROUPS = """
SELECT ?rel ?dir (COUNT(DISTINCT ?other) AS ?facts) WHERE {{
  VALUES ?rel {{ {relations} }}
  {{ GRAPH ?g {{ {e} ?rel ?other }} BIND("out" AS ?dir) }}
  UNION {{ GRAPH ?g {{ ?other ?rel {e} }} BIND("in" AS ?dir) }}
}} GROUP BY ?rel ?dir"""
# One branch per relation and direction: its facts stated in the most documents.
_FACT_BRANCH = (
    """{{
  {{ SELECT ?other (COUNT(DISTINCT ?g) AS ?n)
     WHERE {{ GRAPH ?g {{ {pattern} }} """
    + _NOT_NETWORK
    + """ }}
     GROUP BY ?other ORDER BY DESC(?n){limit} }}
  BIND({rel} AS ?rel) BIND("{dir}" AS ?dir)
}}"""
)
_FACTS = """
SELECT ?rel ?dir ?other ?n ?label WHERE {{ {branches} OPTIONAL {{ ?other rdfs:label ?label }} }}"""
# One branch per fact: the first documents that state it (by the fact triple of their
# graph), then the assertions of the fact inside each of those graphs only.
_EVIDENCE_BRANCH = (
    """{{
  {{ SELECT ?g WHERE {{ GRAPH ?g {{ {head} {rel} {tail} }} """
    + _NOT_NETWORK
    + """ }}{limit} }}
  GRAPH ?g {{ ?r rdf:subject {head} ; rdf:object {tail} ; rdf:predicate {rel} ;
                 prov:wasDerivedFrom ?s }}
  BIND({key} AS ?key)
}}"""
)
_EVIDENCE = """
SELECT ?key ?text ?path ?index WHERE {{
  {branches}
  ?s kgo:text ?text ; kgo:sentenceIndex ?index . ?g kgo:sourcePath ?path .
}}"""
_DOCUMENTS = """
SELECT ?path ?title ?n WHERE {{
  {{ SELECT ?g (COUNT(?m) AS ?n) WHERE {{ GRAPH ?g {{ ?m kgo:mentionOf {e} }} }}
     GROUP BY ?g ORDER BY DESC(?n){limit} }}
  ?g kgo:sourcePath ?path . OPTIONAL {{ ?g dcterms:title ?title }}
}}"""
#: Facts shown per relation and direction, documents whose sentences are shown per
#: fact, and documents listed, on a card (``entity_card``'s defaults).
FACTS_SHOWN, EVIDENCE_SHOWN, DOCUMENTS_SHOWN = 10, 3, 20
# Facts whose evidence one query asks for: keeps each query short for ``--all``.
_BATCH = 50


def find_entity(source: Source | Path, name: str) -> EntityRef:
    """Return the entity a name stands for: its IRI, ``Type/name`` key, label or an alias.

    A label match wins over an alias match.

    Args:
        source: where the graph is read from, or the output folder of a build.
        name: what the user typed; traditional characters match simplified ones.

    Raises:
        EntityNotFound: no entity, or several, have that name; ``candidates`` holds
            the closest matches and the message lists them.
        StoreError: no graph, or no search index, at a folder.
        RemoteError: a server does not answer.
    """
    source = as_source(source)
    name = name.strip()
    found = _by_key(source, name)
    if found:
        return found
    wanted = search.normalise(name)
    exact = [m for m in source.find_entities(name, limit=200) if _norm(m.name) == wanted]
    for matches in ([m for m in exact if m.name == m.label], exact):
        refs = sorted({EntityRef(m.iri, m.type, m.label) for m in matches})
        if len(refs) == 1:
            return refs[0]
        if refs:
            raise EntityNotFound(
                f"{name!r} names {len(refs)} entities; choose one of {_list(refs)}", tuple(refs)
            )
    near = suggestions(source, name)
    hint = f"; closest: {_list(near)}" if near else ""
    raise EntityNotFound(f"no entity named {name!r}{hint}", near)


def suggestions(source: Source | Path, name: str, *, limit: int = 8) -> tuple[EntityRef, ...]:
    """Return the entities whose names come closest to ``name``, by label and alias."""
    source = as_source(source)
    wanted = search.normalise(name)
    pool = {m.iri: m for m in source.find_entities(name, limit=limit * 4)}
    for part in {wanted[i : i + 2] for i in range(len(wanted) - 1)}:
        for m in source.find_entities(part, limit=limit * 4):
            pool.setdefault(m.iri, m)

    def closeness(m: search.EntityMatch) -> tuple[float, str]:
        return -SequenceMatcher(None, wanted, _norm(m.name)).ratio(), m.label

    return tuple(EntityRef(m.iri, m.type, m.label) for m in sorted(pool.values(), key=closeness))[
        :limit
    ]


def entity_card(
    source: Source | Path,
    entity: EntityRef | str,
    *,
    facts: int | None = FACTS_SHOWN,
    evidence: int | None = EVIDENCE_SHOWN,
    documents: int | None = DOCUMENTS_SHOWN,
) -> Card:
    """Return what the graph says about an entity: names, facts with evidence, documents.

    A card is bounded: for each relation and direction, the ``facts`` stated in the most
    documents, each with its sentences from ``evidence`` of those documents, and the
    ``documents`` with the most mentions; it counts everything it leaves out. ``None``
    shows everything (slow for an entity named in thousands of documents).

    Args:
        source: where the graph is read from, or the output folder of a build.
        entity: an entity, or a name ``find_entity`` accepts.
        facts: most facts shown per relation and direction.
        evidence: most documents whose sentences are shown per fact.
        documents: most documents listed.

    Raises:
        EntityNotFound: a name that no single entity has.
        StoreError: no graph at a folder.
        RemoteError: a server does not answer.
    """
    source = as_source(source)
    ref = entity if isinstance(entity, EntityRef) else find_entity(source, entity)
    e = str(NamedNode(ref.iri))
    # Sorted here, by code point: servers collate strings in orders of their own.
    aliases = tuple(sorted(row["alias"].value for row in source.select(_ALIASES.format(e=e))))
    [totals] = source.select(_TOTALS.format(e=e))
    listed = tuple(
        DocumentMentions(row["path"].value, _text(row["title"]), int(row["n"].value))
        for row in source.select(_DOCUMENTS.format(e=e, limit=_limit(documents)))
    )
    return Card(
        ref,
        aliases,
        _groups(source, ref, facts, evidence),
        tuple(sorted(listed, key=lambda d: (-d.mentions, d.document))),
        int(totals["documents"].value),
        int(totals["mentions"].value),
        int(totals["degree"].value) if totals["degree"] else 0,
    )


def group_query(entity: EntityRef, group: FactGroup) -> str:
    """Return SPARQL listing every fact of a card's group, stated in the most documents first."""
    e, rel = str(NamedNode(entity.iri)), f"kgo:{group.relation}"
    pattern = f"{e} {rel} ?other" if group.direction == "out" else f"?other {rel} {e}"
    return (
        f"SELECT ?other ?label (COUNT(DISTINCT ?g) AS ?documents) WHERE {{\n"
        f"  GRAPH ?g {{ {pattern} }} {_NOT_NETWORK}\n  OPTIONAL {{ ?other rdfs:label ?label }}\n"
        f"}} GROUP BY ?other ?label ORDER BY DESC(?documents) ?label\n"
    )


def evidence_query(fact: Fact) -> str:
    """Return SPARQL listing every sentence that states a fact, by document."""
    head, rel, tail = (
        str(NamedNode(fact.head.iri)),
        f"kgo:{fact.relation}",
        str(NamedNode(fact.tail.iri)),
    )
    return (
        f"SELECT ?document ?index ?sentence WHERE {{\n"
        f"  GRAPH ?g {{ {head} {rel} {tail} }}\n"
        f"  GRAPH ?g {{ ?r rdf:subject {head} ; rdf:predicate {rel} ; rdf:object {tail} ;\n"
        f"                 prov:wasDerivedFrom ?s }}\n"
        f"  ?s kgo:text ?sentence ; kgo:sentenceIndex ?index . ?g kgo:sourcePath ?document .\n"
        f"}} ORDER BY ?document ?index\n"
    )


def documents_query(entity: EntityRef) -> str:
    """Return SPARQL listing every document that mentions an entity, most mentions first."""
    return (
        f"SELECT ?document ?title (COUNT(?m) AS ?mentions) WHERE {{\n"
        f"  GRAPH ?g {{ ?m kgo:mentionOf {NamedNode(entity.iri)} }}\n"
        f"  ?g kgo:sourcePath ?document . OPTIONAL {{ ?g dcterms:title ?title }}\n"
        f"}} GROUP BY ?document ?title ORDER BY DESC(?mentions) ?document\n"
    )


def _by_key(source: Source, name: str) -> EntityRef | None:
    """Return the entity whose IRI or ``Type/name`` key is ``name``, if any."""
    key = name.removeprefix(KGR_IRI)
    if key.partition("/")[0] not in {t.value for t in EntityType}:
        return None
    for iri in dict.fromkeys((KGR_IRI + key, entity_iri(key).value)):
        for row in source.select(_ENTITY.format(e=NamedNode(iri), types=_TYPES)):
            label = row["label"].value if row["label"] else key.partition("/")[2]
            return EntityRef(iri, row["type"].value.removeprefix(KGO_IRI), label)
    return None


def _groups(
    source: Source, ref: EntityRef, facts: int | None, evidence: int | None
) -> tuple[FactGroup, ...]:
    """Return the entity's facts by relation and direction, outgoing first, each bounded."""
    e = str(NamedNode(ref.iri))
    totals = {
        (row["rel"].value.removeprefix(KGO_IRI), row["dir"].value): int(row["facts"].value)
        for row in source.select(_GROUPS.format(e=e, relations=_RELATIONS))
    }
    order = [(r.value, d) for d in ("out", "in") for r in RelationType if (r.value, d) in totals]
    if not order:
        return ()
    branches = " UNION ".join(
        _FACT_BRANCH.format(
            pattern=f"{e} kgo:{rel} ?other" if way == "out" else f"?other kgo:{rel} {e}",
            rel=f"kgo:{rel}",
            dir=way,
            limit=_limit(facts),
        )
        for rel, way in order
    )
    shown: dict[tuple[str, str], list[tuple[EntityRef, int]]] = {key: [] for key in order}
    for row in source.select(_FACTS.format(branches=branches)):
        other = row["other"].value
        label = row["label"].value if row["label"] else other.rsplit("/", 1)[-1]
        key = (row["rel"].value.removeprefix(KGO_IRI), row["dir"].value)
        shown[key].append((EntityRef(other, _type(other), label), int(row["n"].value)))
    stated = [
        ((rel, way), (ref, rel, other) if way == "out" else (other, rel, ref), n)
        for (rel, way), found in shown.items()
        for other, n in sorted(found, key=lambda f: (-f[1], f[0].label, f[0].iri))
    ]
    said = _evidence(source, [fact for _, fact, _ in stated], evidence)
    grouped: dict[tuple[str, str], list[Fact]] = {key: [] for key in order}
    for (key, (head, rel, tail), n), ev in zip(stated, said, strict=True):
        in_order = tuple(sorted(ev, key=lambda v: (v.document, v.sentence)))
        grouped[key].append(Fact(head, rel, tail, in_order, n))
    return tuple(
        FactGroup(rel, way, tuple(grouped[rel, way]), totals[rel, way]) for rel, way in order
    )


def _evidence(
    source: Source, facts: list[tuple[EntityRef, str, EntityRef]], documents: int | None
) -> list[set[Evidence]]:
    """Return each fact's sentences from (at most ``documents`` of) the documents stating it."""
    found: list[set[Evidence]] = [set() for _ in facts]
    for start in range(0, len(facts), _BATCH):
        branches = " UNION ".join(
            _EVIDENCE_BRANCH.format(
                head=str(NamedNode(head.iri)),
                rel=f"kgo:{rel}",
                tail=str(NamedNode(tail.iri)),
                key=start + i,
                limit=_limit(documents),
            )
            for i, (head, rel, tail) in enumerate(facts[start : start + _BATCH])
        )
        for row in source.select(_EVIDENCE.format(branches=branches)):
            evidence = Evidence(row["text"].value, row["path"].value, int(row["index"].value))
            found[int(row["key"].value)].add(evidence)
    return found


def _type(iri: str) -> str:
    """Return an entity's type from its IRI (``kgr:Type/name``), or "" for another IRI.

    >>> _type(KGR_IRI + "Region/宁波"), _type("http://example.org/x")
    ('Region', '')
    """
    kind = iri.removeprefix(KGR_IRI).partition("/")[0]
    return kind if iri.startswith(KGR_IRI) and kind in {t.value for t in EntityType} else ""


def _limit(most: int | None) -> str:
    return "" if most is None else f" LIMIT {most}"


def _text(term: Any) -> str:
    return term.value if term is not None else ""


def _norm(name: str) -> str:
    return search.normalise(name)


def _list(refs: Iterable[EntityRef]) -> str:
    return ", ".join(f"{r.key}" for r in refs)

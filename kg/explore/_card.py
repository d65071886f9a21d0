"""Find an entity by any of its names, and read its card from the store."""

from __future__ import annotations

from collections.abc import Iterable
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

from pyoxigraph import NamedNode

from kg import search, store
from kg.explore._records import (
    Card,
    DocumentMentions,
    EntityNotFound,
    EntityRef,
    Evidence,
    Fact,
)
from kg.model import EntityType, RelationType
from kg.vocab import KGO_IRI, KGR_IRI, entity_iri

__all__ = ["entity_card", "find_entity", "suggestions"]

_TYPES = " ".join(f"kgo:{t.value}" for t in EntityType)
_RELATIONS = " ".join(f"kgo:{r.value}" for r in RelationType)
_ENTITY = f"""
SELECT ?e ?type ?label WHERE {{
  VALUES ?type {{ {_TYPES} }} ?e a ?type . OPTIONAL {{ ?e rdfs:label ?label }}
}} LIMIT 1"""
_ALIASES = "SELECT DISTINCT ?e ?alias WHERE { ?e skos:altLabel ?alias } ORDER BY ?alias"
_FACTS = """
SELECT DISTINCT ?e ?rel ?other ?otype ?olabel ?text ?path ?index WHERE {{
  VALUES ?rel {{ {relations} }} {pattern}
  OPTIONAL {{ VALUES ?otype {{ {types} }} ?other a ?otype }}
  OPTIONAL {{ ?other rdfs:label ?olabel }}
  OPTIONAL {{
    ?r a kgo:RelationAssertion ; rdf:predicate ?rel ; {ends} ; prov:wasDerivedFrom ?s .
    ?s kgo:text ?text ; kgo:sentenceIndex ?index ; kgo:inDocument ?g .
    ?g kgo:sourcePath ?path .
  }}
}} ORDER BY ?rel ?olabel ?other ?path ?index"""
_OUT = _FACTS.format(
    relations=_RELATIONS, types=_TYPES, pattern="?e ?rel ?other .",
    ends="rdf:subject ?e ; rdf:object ?other",
)  # fmt: skip
_IN = _FACTS.format(
    relations=_RELATIONS, types=_TYPES, pattern="?other ?rel ?e .",
    ends="rdf:subject ?other ; rdf:object ?e",
)  # fmt: skip
_DOCUMENTS = """
SELECT ?e ?path ?title (COUNT(DISTINCT ?m) AS ?n) WHERE {
  ?m kgo:mentionOf ?e ; kgo:inDocument ?g . ?g kgo:sourcePath ?path .
  OPTIONAL { ?g dcterms:title ?title }
} GROUP BY ?e ?path ?title ORDER BY DESC(?n) ?path"""


def find_entity(folder: Path, name: str) -> EntityRef:
    """Return the entity a name stands for: its IRI, ``Type/name`` key, label or an alias.

    A label match wins over an alias match.

    Args:
        folder: the output folder of a build.
        name: what the user typed; traditional characters match simplified ones.

    Raises:
        EntityNotFound: no entity, or several, have that name; ``candidates`` holds
            the closest matches and the message lists them.
        StoreError: no graph, or no search index, at ``folder``.
    """
    name = name.strip()
    found = _by_key(folder, name)
    if found:
        return found
    wanted = search.normalise(name)
    exact = [m for m in search.find_entities(folder, name, limit=200) if _norm(m.name) == wanted]
    for matches in ([m for m in exact if m.name == m.label], exact):
        refs = sorted({EntityRef(m.iri, m.type, m.label) for m in matches})
        if len(refs) == 1:
            return refs[0]
        if refs:
            raise EntityNotFound(
                f"{name!r} names {len(refs)} entities; choose one of {_list(refs)}", tuple(refs)
            )
    near = suggestions(folder, name)
    hint = f"; closest: {_list(near)}" if near else ""
    raise EntityNotFound(f"no entity named {name!r}{hint}", near)


def suggestions(folder: Path, name: str, *, limit: int = 8) -> tuple[EntityRef, ...]:
    """Return the entities whose names come closest to ``name``, by label and alias."""
    wanted = search.normalise(name)
    pool = {m.iri: m for m in search.find_entities(folder, name, limit=limit * 4)}
    for part in {wanted[i : i + 2] for i in range(len(wanted) - 1)}:
        for m in search.find_entities(folder, part, limit=limit * 4):
            pool.setdefault(m.iri, m)

    def closeness(m: search.EntityMatch) -> tuple[float, str]:
        return -SequenceMatcher(None, wanted, _norm(m.name)).ratio(), m.label

    return tuple(EntityRef(m.iri, m.type, m.label) for m in sorted(pool.values(), key=closeness))[
        :limit
    ]


def entity_card(folder: Path, entity: EntityRef | str) -> Card:
    """Return what the graph says about an entity: names, facts with evidence, documents.

    Args:
        folder: the output folder of a build.
        entity: an entity, or a name ``find_entity`` accepts.

    Raises:
        EntityNotFound: a name that no single entity has.
        StoreError: no graph at ``folder``.
    """
    ref = entity if isinstance(entity, EntityRef) else find_entity(folder, entity)
    bound = {"e": NamedNode(ref.iri)}
    aliases = tuple(row["alias"].value for row in _rows(folder, _ALIASES, bound))
    documents = tuple(
        DocumentMentions(row["path"].value, _text(row["title"]), int(row["n"].value))
        for row in _rows(folder, _DOCUMENTS, bound)
    )
    outgoing = _facts(ref, _rows(folder, _OUT, bound), outgoing=True)
    incoming = _facts(ref, _rows(folder, _IN, bound), outgoing=False)
    return Card(ref, aliases, outgoing, incoming, documents)


def _by_key(folder: Path, name: str) -> EntityRef | None:
    """Return the entity whose IRI or ``Type/name`` key is ``name``, if any."""
    key = name.removeprefix(KGR_IRI)
    if key.partition("/")[0] not in {t.value for t in EntityType}:
        return None
    for iri in dict.fromkeys((KGR_IRI + key, entity_iri(key).value)):
        for row in _rows(folder, _ENTITY, {"e": NamedNode(iri)}):
            label = row["label"].value if row["label"] else key.partition("/")[2]
            return EntityRef(iri, row["type"].value.removeprefix(KGO_IRI), label)
    return None


def _facts(ref: EntityRef, rows: Iterable[Any], *, outgoing: bool) -> tuple[Fact, ...]:
    found: dict[tuple[str, str], tuple[EntityRef, list[Evidence]]] = {}
    for row in rows:
        relation = row["rel"].value.removeprefix(KGO_IRI)
        other = row["other"].value
        if (relation, other) not in found:
            otype = row["otype"].value.removeprefix(KGO_IRI) if row["otype"] else ""
            label = row["olabel"].value if row["olabel"] else other.rsplit("/", 1)[-1]
            found[relation, other] = (EntityRef(other, otype, label), [])
        if row["text"]:
            evidence = Evidence(row["text"].value, row["path"].value, int(row["index"].value))
            if evidence not in found[relation, other][1]:
                found[relation, other][1].append(evidence)
    return tuple(
        Fact(ref, relation, other, tuple(ev)) if outgoing else Fact(other, relation, ref, tuple(ev))
        for (relation, _), (other, ev) in found.items()
    )


def _rows(folder: Path, sparql: str, bound: dict[str, NamedNode]) -> Iterable[Any]:
    result: Any = store.query(folder, sparql, substitutions=bound)
    return result


def _text(term: Any) -> str:
    return term.value if term is not None else ""


def _norm(name: str) -> str:
    return search.normalise(name)


def _list(refs: Iterable[EntityRef]) -> str:
    return ", ".join(f"{r.key}" for r in refs)

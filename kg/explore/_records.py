"""The typed records that the explore functions return."""

from __future__ import annotations

from dataclasses import dataclass

from kg.errors import QueryError
from kg.vocab import KGR_IRI

__all__ = [
    "Card",
    "Chain",
    "Community",
    "DocumentMentions",
    "EntityNotFound",
    "EntityRef",
    "Evidence",
    "Fact",
    "Neighbour",
    "Ranked",
    "Step",
]


@dataclass(frozen=True, order=True)
class EntityRef:
    """An entity: its IRI, type (``Region`` …) and canonical label."""

    iri: str
    type: str
    label: str

    @property
    def key(self) -> str:
        """Return ``Type/name``, the IRI without the namespace (what URLs and CLIs accept).

        >>> EntityRef(KGR_IRI + "Region/A", "Region", "A").key
        'Region/A'
        """
        return self.iri.removeprefix(KGR_IRI)


@dataclass(frozen=True)
class Evidence:
    """A sentence that states a fact, and its document (``sentence`` is its index, or -1)."""

    text: str
    document: str
    sentence: int = -1


@dataclass(frozen=True)
class Fact:
    """``head relation tail``, with the sentences that state it."""

    head: EntityRef
    relation: str
    tail: EntityRef
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class DocumentMentions:
    """A document that names an entity, and how often."""

    document: str
    title: str
    mentions: int


@dataclass(frozen=True)
class Card:
    """Everything the graph says about one entity."""

    entity: EntityRef
    aliases: tuple[str, ...]
    outgoing: tuple[Fact, ...]
    incoming: tuple[Fact, ...]
    documents: tuple[DocumentMentions, ...]

    def groups(self) -> list[tuple[str, str, list[Fact]]]:
        """Return the facts grouped as ``(relation, "out" or "in", facts)``."""
        groups: dict[tuple[str, str], list[Fact]] = {}
        for direction, facts in (("out", self.outgoing), ("in", self.incoming)):
            for fact in facts:
                groups.setdefault((fact.relation, direction), []).append(fact)
        return [(relation, direction, facts) for (relation, direction), facts in groups.items()]


@dataclass(frozen=True)
class Step:
    """One link of a chain, from ``source`` to ``target``; each fact may point either way."""

    source: EntityRef
    target: EntityRef
    facts: tuple[Fact, ...]


@dataclass(frozen=True)
class Chain:
    """A chain of links joining two entities."""

    steps: tuple[Step, ...]

    @property
    def entities(self) -> tuple[EntityRef, ...]:
        """Return the entities along the chain, ends included."""
        return (self.steps[0].source, *(step.target for step in self.steps))


@dataclass(frozen=True)
class Neighbour:
    """An entity ``hops`` links away, reached from ``via`` through ``facts``."""

    entity: EntityRef
    hops: int
    via: EntityRef
    facts: tuple[Fact, ...]


@dataclass(frozen=True)
class Ranked:
    """An entity and its centrality score; ``degree`` counts its facts."""

    entity: EntityRef
    score: float
    degree: int


@dataclass(frozen=True)
class Community:
    """A group of closely linked entities, named by its most central members."""

    index: int
    name: str
    members: tuple[EntityRef, ...]


class EntityNotFound(QueryError):
    """No entity, or more than one, has a name; ``candidates`` are the closest matches."""

    exit_code = 1

    def __init__(self, message: str, candidates: tuple[EntityRef, ...] = ()) -> None:
        super().__init__(message)
        self.candidates = candidates

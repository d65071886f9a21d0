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
    "FactGroup",
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
    """``head relation tail``, with the sentences that state it.

    On a card, ``documents`` counts the documents that state the fact and ``evidence``
    holds the sentences of some of them; elsewhere ``documents`` is 0 (not counted).
    """

    head: EntityRef
    relation: str
    tail: EntityRef
    evidence: tuple[Evidence, ...] = ()
    documents: int = 0

    @property
    def hidden_documents(self) -> int:
        """Return how many documents state the fact but give no sentence in ``evidence``."""
        return max(self.documents - len({ev.document for ev in self.evidence}), 0)


@dataclass(frozen=True)
class DocumentMentions:
    """A document that names an entity, and how often."""

    document: str
    title: str
    mentions: int


@dataclass(frozen=True)
class FactGroup:
    """The facts of one relation on a card, the entity as head (``out``) or tail (``in``).

    ``facts`` are those shown, stated in the most documents first; ``total`` counts them all.
    """

    relation: str
    direction: str
    facts: tuple[Fact, ...]
    total: int

    @property
    def hidden(self) -> int:
        """Return how many facts of the group are not in ``facts``."""
        return self.total - len(self.facts)


@dataclass(frozen=True)
class Card:
    """What the graph says about one entity, in bounded parts that say what they leave out.

    ``degree`` is the number of distinct facts (``kgo:degree``, stored at build time);
    ``documents`` are the documents with the most mentions of the entity, out of
    ``document_total`` documents and ``mention_total`` mentions.
    """

    entity: EntityRef
    aliases: tuple[str, ...]
    groups: tuple[FactGroup, ...]
    documents: tuple[DocumentMentions, ...]
    document_total: int
    mention_total: int
    degree: int

    @property
    def outgoing(self) -> tuple[Fact, ...]:
        """Return the facts shown whose head is the entity."""
        return tuple(f for g in self.groups if g.direction == "out" for f in g.facts)

    @property
    def incoming(self) -> tuple[Fact, ...]:
        """Return the facts shown whose tail is the entity."""
        return tuple(f for g in self.groups if g.direction == "in" for f in g.facts)

    @property
    def hidden_documents(self) -> int:
        """Return how many documents mention the entity but are not in ``documents``."""
        return self.document_total - len(self.documents)

    @property
    def complete(self) -> bool:
        """Return True when the card shows every fact, evidence document and document."""
        return self.hidden_documents == 0 and all(
            g.hidden == 0 and all(f.hidden_documents == 0 for f in g.facts) for g in self.groups
        )


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
    """An entity ``hops`` links away, reached from ``via`` through ``facts`` (no evidence)."""

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

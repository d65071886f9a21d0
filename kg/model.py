"""Typed records that flow through the build stages.

ingest gives a ``Document`` (its ``text`` is the decoded file, the text shown as
evidence); segment adds ``Section``s and ``Sentence``s; entities gives ``Mention``s;
relations gives ``Relation``s between mentions; resolve turns mentions into
``Entity``s with stable keys. Every offset indexes ``Document.text``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

__all__ = [
    "Document",
    "Entity",
    "EntityType",
    "Evidence",
    "Mention",
    "Relation",
    "RelationType",
    "Section",
    "Sentence",
]


class EntityType(StrEnum):
    """The six entity classes of the ontology."""

    REGION = "Region"
    PLATFORM = "Platform"
    PROJECT = "Project"
    INDUSTRY = "Industry"
    PROGRAMME = "Programme"
    ORGANIZATION = "Organization"


class RelationType(StrEnum):
    """The six typed relations of the ontology."""

    LOCATED_IN = "locatedIn"
    PART_OF = "partOf"
    SUPPORTS = "supports"
    FOCUSES_ON = "focusesOn"
    COOPERATES_WITH = "cooperatesWith"
    CONNECTS = "connects"


@dataclass(frozen=True, slots=True)
class Section:
    """A heading and the span of text it governs.

    ``parent`` is the index of the enclosing section in ``Document.sections``, or -1.
    """

    index: int
    level: int
    title: str
    start: int
    end: int
    parent: int = -1


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence with its span in ``Document.text``.

    ``text`` is the sentence as matched by the extractor: the original slice with
    layout line breaks and invisible characters removed. ``offsets[i]`` is the
    position in ``Document.text`` of ``text[i]``, so any span of ``text`` maps back
    exactly to the original. It is a ``range`` when the sentence is one unbroken
    slice (the usual case) and a compact array otherwise: a tuple of ints would take
    36 bytes per character of the document.
    """

    index: int
    start: int
    end: int
    text: str
    offsets: Sequence[int]
    paragraph: int
    section: int = -1

    def span(self, i: int, j: int) -> tuple[int, int]:
        """Map the span ``text[i:j]`` (j > i) to ``(start, end)`` in the document."""
        return self.offsets[i], self.offsets[j - 1] + 1


@dataclass(frozen=True, slots=True)
class Document:
    """One source document.

    ``id`` is its path relative to the input folder it was found under (POSIX form);
    ``text`` is the decoded text with line ends normalised to ``\\n``.
    """

    id: str
    path: Path
    title: str
    text: str
    sha256: str
    sections: tuple[Section, ...] = ()
    sentences: tuple[Sentence, ...] = ()


@dataclass(frozen=True, slots=True)
class Mention:
    """A name found in a sentence.

    ``surface`` is what the document says (``doc.text[start:end]``, minus layout
    breaks); ``name`` is the entity name it stands for (``甬`` stands for ``宁波``;
    quotes and leading verbs are stripped). ``decoded`` marks a place decoded from
    a single-character abbreviation.
    """

    name: str
    type: EntityType
    surface: str
    start: int
    end: int
    sentence: int
    decoded: bool = False


@dataclass(frozen=True, slots=True)
class Evidence:
    """Where a fact was read: document, sentence and character span.

    A fact read across two sentences of a paragraph (宁波 in one, 中国 in the next) was
    read from both: ``sentence`` is the later one, ``earlier`` the other, and the span
    runs from the start of the earlier sentence to the end of the later.
    """

    document: str
    sentence: int
    start: int
    end: int
    text: str
    earlier: int | None = None

    @property
    def sentences(self) -> tuple[int, ...]:
        """The sentences the fact was read from, in order."""
        return (self.sentence,) if self.earlier is None else (self.earlier, self.sentence)


@dataclass(frozen=True, slots=True)
class Entity:
    """One real thing: a type, a canonical label, the other names seen."""

    key: str
    type: EntityType
    label: str
    aliases: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True, slots=True)
class Relation:
    """A typed relation between two mentions' entities, with its evidence."""

    head: Mention
    type: RelationType
    tail: Mention
    evidence: Evidence

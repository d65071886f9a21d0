"""The entity network as arrays of numbers, for walks from an entity.

A build's index keeps the network twice: as rows (``nodes``, ``links``, with each fact's
evidence, for look-ups) and as the parts this module writes and reads: every fact's
head, relation and tail by number, and for every entity the facts it takes part in
(either way) and the entities at their other ends. A walk follows slices of arrays
instead of asking SQLite for rows it would throw away: the hub's 2-hop neighbourhood at
100 MB of text (about 29,000 entities and 48,000 facts) takes 52-61 ms, 11 of them the
walk and the rest the tuples of the answer, against about 150 ms through SQLite. A
process reads the parts once (7.7 MB; its first walk takes 85 ms) and keeps them; names
stay in one text each with their offsets, which decode in a few milliseconds where
lists of 78,000 strings took 12 ms.

Entities are numbered in the order of their IRIs and facts in the order of ``(head,
relation, tail)``, so sorting numbers sorts the answer. Arrays are stored
little-endian, as unsigned 32-bit integers.
"""

from __future__ import annotations

import json
import sqlite3
import sys
from array import array
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from contextlib import closing
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from kg.vocab import KGR_IRI

__all__ = ["SCHEMA", "Adjacency", "parts"]

#: The index's table of parts, one row each.
SCHEMA = "CREATE TABLE adjacency(part TEXT PRIMARY KEY, data BLOB);"

#: An entity ``(IRI, type, label, other names)`` and a fact ``(head IRI, relation, tail IRI)``.
Node = tuple[str, str, str, list[str]]
Fact = tuple[str, str, str]


def parts(
    entities: Sequence[tuple[str, str, Sequence[str]]], facts: Sequence[tuple[int, str, int]]
) -> list[tuple[str, bytes]]:
    """Return the parts stored for a network: ``entities`` ``(IRI after KGR_IRI, label,
    other names)`` in IRI order, numbered by position, and ``facts`` ``(head number,
    relation name, tail number)`` in that order too."""
    types = sorted({local.partition("/")[0] for local, _, _ in entities})
    relations = sorted({relation for _, relation, _ in facts})
    incident: list[list[tuple[int, int]]] = [[] for _ in entities]
    for number, (head, _, tail) in enumerate(facts):
        incident[head].append((number, tail))
        if tail != head:
            incident[tail].append((number, head))
    start = array("I", [0])
    flat, others = array("I"), array("I")
    for pairs in incident:
        flat.extend(number for number, _ in pairs)
        others.extend(other for _, other in pairs)
        start.append(len(flat))
    kind, code = types.index, relations.index
    locals_, labels = [local for local, _, _ in entities], [label for _, label, _ in entities]
    return [
        ("locals", "".join(locals_).encode()),
        ("local_at", _bytes(_starts(locals_))),
        ("labels", "".join(labels).encode()),
        ("label_at", _bytes(_starts(labels))),
        ("aliases", _json([[n, list(names)] for n, (_, _, names) in enumerate(entities) if names])),
        ("types", _json(types)),
        ("kinds", bytes(kind(local.partition("/")[0]) for local, _, _ in entities)),
        ("relations", _json(relations)),
        ("relation", bytes(code(relation) for _, relation, _ in facts)),
        ("head", _bytes(array("I", [head for head, _, _ in facts]))),
        ("tail", _bytes(array("I", [tail for _, _, tail in facts]))),
        ("start", _bytes(start)),
        ("incident", _bytes(flat)),
        ("others", _bytes(others)),
    ]


@dataclass(frozen=True)
class Adjacency:
    """A build's entity network as read from its index's parts."""

    locals: Texts  # each entity's IRI after KGR_IRI
    labels: Texts
    aliases: dict[int, list[str]]
    types: list[str]
    kinds: bytes
    relations: list[str]
    relation: bytes
    head: array[int]
    tail: array[int]
    start: array[int]  # an entity's facts and the entities at their other ends are
    incident: array[int]  # incident[start[n] : start[n + 1]] and others[...] alike
    others: array[int]

    @staticmethod
    def of(path: Path) -> Adjacency:
        """Return the network of the index at ``path``, read once per version of the
        file (a new build's index is a new file): a program that walks again, as the
        explorer does, reads the parts once."""
        stat = path.stat()
        return _read(path, stat.st_ino, stat.st_mtime_ns, stat.st_size)

    def number(self, iri: str) -> int | None:
        """Return the number of the entity named ``iri``, if the network has it."""
        if not iri.startswith(KGR_IRI):
            return None
        local = iri[len(KGR_IRI) :]
        at = bisect_left(self.locals, local)
        return at if at < len(self.locals) and self.locals[at] == local else None

    def facts_of(self, entities: Iterable[int]) -> set[int]:
        """Return the facts that any of ``entities`` takes part in."""
        return self._gathered(self.incident, entities)

    def facts_among(self, entities: set[int]) -> set[int]:
        """Return the facts between two of ``entities`` (or one, with itself)."""
        head, tail = self.head, self.tail
        return {f for f in self.facts_of(entities) if head[f] in entities and tail[f] in entities}

    def linked(self, entities: Iterable[int]) -> set[int]:
        """Return the entities linked to any of ``entities`` (by a fact either way)."""
        return self._gathered(self.others, entities)

    def _gathered(self, values: array[int], entities: Iterable[int]) -> set[int]:
        """Return the ``values`` (``incident`` or ``others``) of every one of ``entities``."""
        found: set[int] = set()
        start = self.start
        for n in entities:
            found.update(values[start[n] : start[n + 1]])
        return found

    def answer(
        self, entities: Sequence[int], facts: Iterable[int]
    ) -> tuple[list[Node], list[Fact]]:
        """Return ``entities`` and ``facts`` between them as IRIs and names, in the order
        given."""
        local, local_at = self.locals.text, self.locals.at
        label, label_at = self.labels.text, self.labels.at
        aliases, types, kinds = self.aliases, self.types, self.kinds
        iris = {n: KGR_IRI + local[local_at[n] : local_at[n + 1]] for n in entities}
        nodes = [
            (
                iris[n],
                types[kinds[n]],
                label[label_at[n] : label_at[n + 1]],
                list(aliases.get(n, ())),
            )
            for n in entities
        ]
        facts = list(facts)
        links = zip(
            map(self.head.__getitem__, facts),
            map(self.relation.__getitem__, facts),
            map(self.tail.__getitem__, facts),
            strict=True,
        )
        relations = self.relations
        return nodes, [(iris[head], relations[r], iris[tail]) for head, r, tail in links]

    def __len__(self) -> int:
        return len(self.locals)


@dataclass(frozen=True)
class Texts:
    """Strings kept as one text and the offsets where each begins (and the last ends)."""

    text: str
    at: array[int]

    def __getitem__(self, n: int) -> str:
        return self.text[self.at[n] : self.at[n + 1]]

    def __len__(self) -> int:
        return len(self.at) - 1


# Two versions: the one a program reads, and the one a rebuild has just published.
@lru_cache(maxsize=2)
def _read(path: Path, *version: int) -> Adjacency:
    with closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as db:
        found = dict(db.execute("SELECT part, data FROM adjacency"))
    loads = json.loads
    return Adjacency(
        locals=Texts(found["locals"].decode(), _array(found["local_at"])),
        labels=Texts(found["labels"].decode(), _array(found["label_at"])),
        aliases={n: names for n, names in loads(found["aliases"])},
        types=loads(found["types"]),
        kinds=found["kinds"],
        relations=loads(found["relations"]),
        relation=found["relation"],
        head=_array(found["head"]),
        tail=_array(found["tail"]),
        start=_array(found["start"]),
        incident=_array(found["incident"]),
        others=_array(found["others"]),
    )


def _json(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def _starts(texts: list[str]) -> array[int]:
    starts = array("I", [0])
    for text in texts:
        starts.append(starts[-1] + len(text))
    return starts


def _bytes(numbers: array[int]) -> bytes:
    if sys.byteorder == "big":
        numbers.byteswap()
    return numbers.tobytes()


def _array(data: bytes) -> array[int]:
    numbers = array("I")
    numbers.frombytes(data)
    if sys.byteorder == "big":
        numbers.byteswap()
    return numbers

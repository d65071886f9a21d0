"""Extract one document into what the build keeps of it, in this process or a worker's.

``extract`` runs ingest, segment, entities, relations, resolve and rdf on one file
and returns an ``Extracted``: the document's quads, its manifest record (with the
facts it states and the sentences stating them) and what the search index needs.
It depends on nothing but its arguments, so ``kg build --jobs N`` runs it in N
worker processes and merges the results in document order: the graph is the same
as a single-process build's.
A worker sends its quads as N-Quads bytes, which cross processes far faster than
pickled terms; in the build's own process they stay terms.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from itertools import islice
from pathlib import Path
from typing import Any, TypeVar

from pyoxigraph import Quad, RdfFormat, parse, serialize

from kg import rdf
from kg.entities import extract_mentions
from kg.errors import InputError, KgError
from kg.ingest import document_key, read_document
from kg.lexicon import Lexicon, load_lexicon
from kg.model import Document, Entity, Mention, Relation
from kg.relations import extract_relations
from kg.resolve import oriented, resolve
from kg.segment import segment

__all__ = ["Extracted", "Fact", "Skipped", "Unchanged", "extract", "in_order", "known", "quads_of"]

_T = TypeVar("_T")
#: quads made at a time: few enough to hold, many enough that timing them costs nothing
_BATCH = 10_000

Fact = tuple[str, str, str]
"""A relation between two entities: head key, relation name, tail key."""


@dataclass(frozen=True)
class Skipped:
    """A file that could not be read (the build reports it and goes on)."""

    path: Path
    problem: str

    def error(self) -> InputError:
        """Return the error to report."""
        return InputError(self.path, self.problem)


@dataclass(frozen=True)
class Unchanged:
    """A document whose bytes the previous build already extracted."""

    id: str
    sha256: str


@dataclass(frozen=True)
class Extracted:
    """What the build keeps of one extracted document.

    ``doc`` has its sentences' character offsets dropped when it comes from a
    worker (nothing after extraction reads them); ``quads`` are terms, made as they
    are read and readable once (a large document's quads would take gigabytes held
    at once), or, from a worker, N-Quads bytes (see ``quads_of``). ``seconds`` is
    complete once the quads have been read.
    """

    doc: Document
    mentions: list[Mention]
    entities: dict[Mention, Entity]
    record: dict[str, Any]
    quads: Iterable[Quad] | bytes
    seconds: dict[str, float] = field(default_factory=dict)


#: document id -> sha256 of the documents the previous build holds (set by ``known``)
_KNOWN: dict[str, str] = {}


def known(documents: dict[str, str]) -> None:
    """Set the documents the previous build holds (id -> sha256), in this process.

    ``extract`` does not extract these again when their bytes are the same; a
    worker pool calls this once per worker (it is the pool's initializer).
    """
    _KNOWN.clear()
    _KNOWN.update(documents)


def extract(
    path: Path, root: Path, ontology_dir: Path, max_bytes: int, portable: bool = False
) -> Extracted | Unchanged | Skipped:
    """Read and extract one file.

    Args:
        path: the file.
        root: the input folder it was found under (the document id is relative to it).
        ontology_dir: the ontology folder (its lexicons are loaded once per process).
        max_bytes: larger files are skipped unread.
        portable: return quads as N-Quads bytes and drop sentence offsets, for a
            result sent back from a worker process.

    Returns:
        The extracted document, an ``Unchanged`` marker, or a ``Skipped`` file.

    Raises:
        KgError: a stage failed; the message names the stage and the document.
    """
    seconds: dict[str, float] = {}
    try:
        if _KNOWN:  # a rebuild: hash the bytes before decoding them, which costs more
            doc_id, sha256 = _stage(
                seconds, "ingest", str(path), document_key, path, root, max_bytes
            )
            if _KNOWN.get(doc_id) == sha256:
                return Unchanged(doc_id, sha256)
        doc = _stage(seconds, "ingest", str(path), read_document, path, root, max_bytes)
    except InputError as error:
        return Skipped(error.path, error.problem)
    extracted = _extracted(doc, load_lexicon(ontology_dir), seconds)
    return _portable(extracted) if portable else extracted


def _extracted(doc: Document, lexicon: Lexicon, seconds: dict[str, float]) -> Extracted:
    """Run the stages after ingest on one document."""
    doc = _stage(seconds, "segment", doc.id, segment, doc)
    mentions = _stage(seconds, "entities", doc.id, extract_mentions, doc, lexicon)
    relations = _stage(seconds, "relations", doc.id, extract_relations, doc, mentions, lexicon)
    resolved = _stage(seconds, "resolve", doc.id, resolve, doc, mentions, lexicon)
    relations = oriented(relations, resolved)
    _check(doc, mentions, relations, resolved)
    quads = _streamed(
        seconds, "rdf", doc.id, rdf.document_quads(doc, mentions, relations, resolved)
    )
    entities = {e.key: e for e in resolved.values()}
    sentences = {s.index: s for s in doc.sentences}
    evidence: dict[Fact, set[str]] = {}
    for r in relations:
        fact = (resolved[r.head].key, r.type.value, resolved[r.tail].key)
        texts = evidence.setdefault(fact, set())
        for index in r.evidence.sentences:
            said = sentences[index]
            texts.add(doc.text[said.start : said.end])
    record = {
        "id": doc.id,
        "sha256": doc.sha256,
        "sentences": len(doc.sentences),
        "entities": [[e.key, e.type.value, e.label, sorted(e.aliases)] for e in entities.values()],
        "facts": [list(f) for f in evidence],
        # the texts of the sentences stating each fact: the overview's evidence, which
        # a rebuild then takes from here instead of reading it out of the store
        "evidence": [sorted(texts) for texts in evidence.values()],
    }
    return Extracted(doc, mentions, resolved, record, quads, seconds)


def _portable(extracted: Extracted) -> Extracted:
    """Return the result ready to cross processes: quads as bytes, no sentence offsets."""
    started = time.perf_counter()
    data = serialize(quads_of(extracted), format=RdfFormat.N_QUADS) or b""
    doc = extracted.doc
    light = replace(doc, sentences=tuple(replace(s, offsets=()) for s in doc.sentences))
    extracted.seconds["rdf"] += time.perf_counter() - started
    return replace(extracted, doc=light, quads=data)


def quads_of(extracted: Extracted) -> Iterable[Quad]:
    """Return the quads of an extracted document, parsing them if they came as bytes."""
    if isinstance(extracted.quads, bytes):
        return parse(extracted.quads, format=RdfFormat.N_QUADS)
    return extracted.quads


def in_order(
    function: Callable[..., _T],
    tasks: Sequence[tuple[Any, ...]],
    jobs: int,
    initializer: Callable[..., None],
    initargs: tuple[Any, ...],
) -> Iterator[_T]:
    """Yield ``function(*task)`` for each task, in order, computed by ``jobs`` processes.

    ``initializer(*initargs)`` runs first in each process. At most a few results
    per process wait to be taken, so memory stays flat when the caller is slower
    than the workers.
    """
    if jobs <= 1 or len(tasks) <= 1:
        initializer(*initargs)
        yield from (function(*task) for task in tasks)
        return
    import multiprocessing
    from collections import deque

    # fork shares the loaded lexicon; the workers touch no store or index
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    with context.Pool(jobs, initializer, initargs) as pool:
        window: deque[Any] = deque()
        pending = iter(tasks)
        for task in pending:
            window.append(pool.apply_async(function, task))
            if len(window) >= 4 * jobs:
                break
        while window:
            result = window.popleft().get()
            for task in pending:
                window.append(pool.apply_async(function, task))
                break
            yield result


def _streamed(
    seconds: dict[str, float], name: str, subject: str, items: Iterable[_T]
) -> Iterator[_T]:
    """Yield what a stage makes lazily, timed and with errors named as ``_stage`` does."""
    iterator = iter(items)
    while True:
        batch: list[_T] = _stage(seconds, name, subject, list, islice(iterator, _BATCH))
        if not batch:
            return
        yield from batch


def _stage(
    seconds: dict[str, float], name: str, subject: str, function: Callable[..., _T], *args: Any
) -> _T:
    """Call one stage and time it; turn anything but a reported error into one naming it."""
    started = time.perf_counter()
    try:
        return function(*args)
    except KgError:
        raise
    except Exception as exc:
        raise KgError(f"stage {name} failed on {subject}: {type(exc).__name__}: {exc}") from exc
    finally:
        seconds[name] = seconds.get(name, 0.0) + time.perf_counter() - started


def _check(
    doc: Document,
    mentions: list[Mention],
    relations: list[Relation],
    resolved: dict[Mention, Entity],
) -> None:
    """Check what the stages returned fits together, naming the stage that did not."""
    sentences = {s.index for s in doc.sentences}
    for m in mentions:
        if not (0 <= m.start < m.end <= len(doc.text)) or m.sentence not in sentences:
            raise KgError(f"stage entities returned a mention outside {doc.id}: {m}")
        if m not in resolved:
            raise KgError(f"stage resolve left the mention {m.surface!r} of {doc.id} unresolved")
    for r in relations:
        if (
            r.head not in resolved
            or r.tail not in resolved
            or set(r.evidence.sentences) - sentences
        ):
            raise KgError(f"stage relations returned a relation on unknown mentions in {doc.id}")

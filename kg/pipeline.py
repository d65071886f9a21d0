"""Build a knowledge graph from documents: ingest, extract, write the store, publish.

``build`` streams documents one at a time through the stages, turns each into the
quads of its own named graph and hands them to the store in batches; only the
entity table (key, label, aliases) and a one-line record per document are kept
across documents. A rebuild into a folder already built re-extracts only the
documents whose bytes changed (sha256) and copies the others' graphs from the
previous store; changing the extractor, lexicons or ontology forces a full build.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, TypeVar

from pyoxigraph import Quad

from kg import rdf, search, store
from kg.config import Settings
from kg.entities import extract_mentions
from kg.errors import InputError, KgError
from kg.ingest import find_documents, read_document
from kg.lexicon import Lexicon, load_lexicon
from kg.model import Document, Entity, EntityType, Mention, Relation
from kg.relations import extract_relations
from kg.resolve import resolve
from kg.segment import segment
from kg.vocab import document_iri

__all__ = ["NoDocumentsError", "Summary", "build"]

_T = TypeVar("_T")
_MANIFEST = "manifest.jsonl"
#: Modules whose code decides what a document's graph holds.
_EXTRACTOR = (
    "ingest", "segment", "lexicon", "entities", "relations", "resolve", "rdf", "model", "search",
)  # fmt: skip


class NoDocumentsError(InputError):
    """No input could be read, so nothing was built (exit code 2)."""

    exit_code = 2


@dataclass(frozen=True)
class Summary:
    """What a build did."""

    out_dir: Path
    documents: int
    extracted: int
    removed: int
    sentences: int
    entities: dict[str, int]
    relations: dict[str, int]
    skipped: tuple[str, ...]
    seconds: float

    def lines(self) -> list[str]:
        """Return the summary as lines of text for people."""
        reused = self.documents - self.extracted
        kept = f", {reused} unchanged" if reused else ""
        gone = f", {self.removed} removed" if self.removed else ""
        return [
            f"built {self.out_dir} in {self.seconds:.1f} s",
            f"documents  {self.documents} ({self.extracted} extracted{kept}{gone})",
            f"skipped    {len(self.skipped)}",
            f"sentences  {self.sentences}",
            f"entities   {sum(self.entities.values())}: {_counts(self.entities)}",
            f"relations  {sum(self.relations.values())}: {_counts(self.relations)}",
        ]


@dataclass
class _Run:
    """What a build keeps across documents: the entity table and a few counts."""

    settings: Settings
    lexicon: Lexicon
    fingerprint: str
    previous: Path | None
    old: dict[str, dict[str, Any]]
    manifest: IO[str]
    on_skip: Callable[[InputError], None]
    index: search.IndexWriter
    entities: dict[str, tuple[EntityType, str, set[str]]] = field(default_factory=dict)
    ids: set[str] = field(default_factory=set)
    skipped: list[str] = field(default_factory=list)
    sentences: int = 0
    extracted: int = 0

    def record(self, record: dict[str, Any]) -> None:
        """Count a document and write its line of the manifest."""
        self.ids.add(record["id"])
        self.sentences += record["sentences"]
        self.manifest.write(json.dumps(record, ensure_ascii=False) + "\n")


def build(
    inputs: Sequence[Path],
    settings: Settings | None = None,
    *,
    strict: bool = False,
    full: bool = False,
    wait: bool = False,
    on_skip: Callable[[InputError], None] | None = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> Summary:
    """Build the graph of every document under ``inputs`` into ``settings.out_dir``.

    Writes ``store/``, ``graph.nq`` and ``graph.html`` and publishes them together,
    only if the whole build succeeds.

    Args:
        inputs: files or folders (searched recursively for ``settings.suffixes``).
        settings: paths and limits; the defaults if not given.
        strict: fail on the first unreadable file instead of skipping it.
        full: re-extract every document even if a previous build has it.
        wait: wait for another build into the same folder instead of refusing.
        on_skip: called with the error of each skipped file.
        progress: called after each document with (done, total, document id).

    Returns:
        The summary of the build.

    Raises:
        NoDocumentsError: no document could be read.
        InputError: an input does not exist, or (``strict``) a file is unreadable.
        StoreError: another build holds the output folder.
        KgError: a stage failed; the message names it and the document.
    """
    settings = settings or Settings()
    started = time.perf_counter()
    files = _inputs(inputs, settings)
    lexicon = _stage("lexicon", "ontology", load_lexicon, settings.ontology_dir)
    skipped: list[str] = []

    def skip(error: InputError) -> None:
        if strict:
            raise error
        skipped.append(str(error))
        if on_skip:
            on_skip(error)

    with (
        store.building(settings.out_dir, wait=wait) as gen,
        (gen / _MANIFEST).open("w", encoding="utf-8") as manifest,
        search.IndexWriter(gen) as index,
    ):
        previous = None if full else store.published(settings.out_dir)
        fingerprint = _fingerprint(settings)
        manifest.write(json.dumps({"fingerprint": fingerprint}) + "\n")
        old = _read_manifest(previous, fingerprint)
        run = _Run(
            settings, lexicon, fingerprint, previous, old, manifest, skip, index, skipped=skipped
        )
        store.write_store(gen, _all_quads(run, files, progress), batch_size=settings.batch_size)
        if not run.ids:
            names = ", ".join(map(str, inputs))
            raise NoDocumentsError(names, "no document could be read; nothing was built")
        _write_view(gen, len(run.ids))
        relations = _stage("query", "the new store", _relation_counts, gen)
    return _summary(run, relations, time.perf_counter() - started)


def _inputs(inputs: Sequence[Path], settings: Settings) -> list[tuple[Path, Path]]:
    """Return ``(file, root)`` for each document under the inputs.

    Left out: files under the output folder, and a folder's ``README`` file, which
    describes the folder (``seeds/README.md``) rather than being one of its
    documents; a README named as an input is read.
    """
    out_dir = Path(settings.out_dir).resolve()
    named = [Path(p) for p in inputs]
    return [
        (path, root)
        for path, root in find_documents(named, settings.suffixes)
        if not path.resolve().is_relative_to(out_dir)
    ]


def _all_quads(
    run: _Run, files: list[tuple[Path, Path]], progress: Callable[[int, int, str], None] | None
) -> Iterator[Quad]:
    yield from rdf.ontology_quads(run.settings.ontology_dir / "kg.ttl")
    for done, (path, root) in enumerate(files, 1):
        try:
            max_bytes = run.settings.max_file_mb * 2**20
            doc = _stage("ingest", str(path), read_document, path, root, max_bytes)
            if doc.id in run.ids:
                raise InputError(path, f"a document with the id {doc.id} was read already")
        except InputError as error:
            run.on_skip(error)
        else:
            yield from _document(run, doc)
        if progress:
            progress(done, len(files), str(path))
    entities = (Entity(k, t, label, frozenset(a)) for k, (t, label, a) in run.entities.items())
    yield from rdf.entity_quads(entities)


def _document(run: _Run, doc: Document) -> Iterator[Quad]:
    old = run.old.get(doc.id)
    if old and old["sha256"] == doc.sha256 and run.previous:
        for key, type_, label, aliases in old["entities"]:
            _merge(run, Entity(key, EntityType(type_), label, frozenset(aliases)))
        run.record(old)
        run.index.copy(run.previous, doc.id)
        yield from store.graph_quads(run.previous, document_iri(doc.id))
        return
    doc = _stage("segment", doc.id, segment, doc)
    mentions = _stage("entities", doc.id, extract_mentions, doc, run.lexicon)
    relations = _stage("relations", doc.id, extract_relations, doc, mentions, run.lexicon)
    resolved = _stage("resolve", doc.id, resolve, doc, mentions, run.lexicon)
    _check(doc, mentions, relations, resolved)
    entities = {e.key: e for e in resolved.values()}
    for entity in entities.values():
        _merge(run, entity)
    run.extracted += 1
    run.record(
        {
            "id": doc.id,
            "sha256": doc.sha256,
            "sentences": len(doc.sentences),
            "entities": [
                [e.key, e.type.value, e.label, sorted(e.aliases)] for e in entities.values()
            ],
        }
    )
    _stage("search", doc.id, run.index.add, doc, mentions, resolved)
    yield from _stage("rdf", doc.id, list, rdf.document_quads(doc, mentions, relations, resolved))


def _merge(run: _Run, entity: Entity) -> None:
    if entity.key not in run.entities:
        run.entities[entity.key] = (entity.type, entity.label, set())
    _, label, aliases = run.entities[entity.key]
    aliases.update(entity.aliases | {entity.label})
    aliases.discard(label)


def _stage(name: str, subject: str, function: Callable[..., _T], *args: Any) -> _T:
    """Call one stage; turn anything but a reported error into one naming the stage."""
    try:
        return function(*args)
    except KgError:
        raise
    except Exception as exc:
        raise KgError(f"stage {name} failed on {subject}: {type(exc).__name__}: {exc}") from exc


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
        if r.head not in resolved or r.tail not in resolved or r.evidence.sentence not in sentences:
            raise KgError(f"stage relations returned a relation on unknown mentions in {doc.id}")


def _write_view(gen: Path, documents: int) -> None:
    from kg.analysis import entity_graph
    from kg.views import write_view

    graph = _stage("analysis", "the new store", entity_graph, gen)
    title = f"policy-kg: {documents} documents"
    _stage("views", "graph.html", lambda: write_view(graph, gen / "graph.html", title=title))


def _relation_counts(gen: Path) -> dict[str, int]:
    from kg.query import relation_counts

    return relation_counts(gen)


def _fingerprint(settings: Settings) -> str:
    """Hash everything besides a document's bytes that decides its graph."""
    digest = hashlib.sha256()
    package = Path(__file__).parent
    sources = [package / f"{name}.py" for name in _EXTRACTOR]
    sources += sorted(Path(settings.ontology_dir).rglob("*"))
    for path in sources:
        if path.is_file():
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _read_manifest(previous: Path | None, fingerprint: str) -> dict[str, dict[str, Any]]:
    path = previous / _MANIFEST if previous else None
    if path is None or not path.is_file():
        return {}
    with path.open(encoding="utf-8") as lines:
        header = json.loads(next(lines, "{}"))
        if header.get("fingerprint") != fingerprint:
            return {}
        return {record["id"]: record for record in map(json.loads, lines)}


def _summary(run: _Run, relations: dict[str, int], seconds: float) -> Summary:
    types = Counter(type_.value for type_, _, _ in run.entities.values())
    return Summary(
        out_dir=Path(run.settings.out_dir),
        documents=len(run.ids),
        extracted=run.extracted,
        removed=len(set(run.old) - run.ids),
        sentences=run.sentences,
        entities={t.value: types[t.value] for t in EntityType},
        relations=relations,
        skipped=tuple(run.skipped),
        seconds=seconds,
    )


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{name} {n}" for name, n in counts.items())

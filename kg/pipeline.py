"""Build a knowledge graph from documents: ingest, extract, write the store, publish.

``build`` streams documents one at a time through the stages, turns each into the
quads of its own named graph and hands them to the store in batches; only the
entity table (key, label, aliases), the distinct facts with the few sentences the
overview shows for each, and a one-line record per document are kept across
documents. A rebuild into a folder already built re-extracts only the documents
whose bytes changed (sha256); it starts from copies of the previous generation's
store, search index and ``graph.nq`` and edits them, and takes the unchanged
documents' entities, facts and evidence from the previous manifest, so it never
reads their text or their graphs. Changing the extractor, lexicons or ontology
forces a full build.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, TypeVar

from pyoxigraph import NamedNode

from kg import extract, rdf, search, store
from kg.collector import frozen, no_cycle_collection
from kg.config import MAX_EVIDENCE, Settings
from kg.errors import InputError, KgError
from kg.extract import Fact
from kg.ingest import find_documents
from kg.lexicon import Lexicon, load_lexicon
from kg.model import Entity, EntityType, RelationType
from kg.overview import OverviewProcess
from kg.vocab import GRAPH_LAYOUT, document_iri, entity_iri

__all__ = ["NoDocumentsError", "Summary", "build"]

_T = TypeVar("_T")
#: Modules whose code decides what a document's graph holds.
_EXTRACTOR = (
    "ingest", "segment", "sentences", "lexicon", "entities", "chunker", "relations", "resolve",
    "rdf", "model", "search", "adjacency", "tokens", "chars", "extract", "pipeline", "vocab",
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
    #: seconds per stage: ingest, segment, entities, relations, resolve, rdf, search,
    #: copy (documents reused, and the previous search index copied), store,
    #: graph.nq, view; extraction stages are summed over the worker processes of a
    #: parallel build
    stages: dict[str, float] = field(default_factory=dict)

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
    """What a build keeps across documents: the entity table, the facts and a few counts."""

    settings: Settings
    lexicon: Lexicon
    fingerprint: str
    previous: Path | None
    #: each document of the previous build: its manifest record, and that line as written
    old: dict[str, tuple[dict[str, Any], str]]
    manifest: IO[str]
    on_skip: Callable[[InputError], None]
    index: search.IndexWriter
    jobs: int = 1
    #: the Dask scheduler extracting documents instead of local processes
    dask: str | None = None
    entities: dict[str, tuple[EntityType, str, set[str]]] = field(default_factory=dict)
    #: distinct facts (head key, relation, tail key) of the whole graph, each with the
    #: first ``MAX_EVIDENCE`` (document id, sentence text) stating it
    facts: dict[Fact, list[tuple[str, str]]] = field(default_factory=dict)
    ids: set[str] = field(default_factory=set)
    #: the keys of the entities that changed and removed documents name, old and new: a
    #: rebuild edits their statements in the whole-graph graphs; all others stay as the
    #: previous build made them (the same documents name them, in the same order)
    touched: set[str] = field(default_factory=set)
    skipped: list[str] = field(default_factory=list)
    sentences: int = 0
    extracted: int = 0
    #: seconds per stage (summed over worker processes in a parallel build)
    seconds: defaultdict[str, float] = field(default_factory=lambda: defaultdict(float))

    def touch(self, record: dict[str, Any]) -> None:
        """Note the entities a changed, new or removed document's record names (a full
        build edits nothing: it writes every statement)."""
        if self.previous is not None:
            self.touched.update(key for key, *_ in record["entities"])

    def record(self, record: dict[str, Any], line: str | None = None) -> None:
        """Count a document, keep its facts and write its line of the manifest.

        ``line``: the record as the previous manifest holds it, written as it is.
        """
        self.ids.add(record["id"])
        self.sentences += record["sentences"]
        doc_id = record["id"]
        for (head, relation, tail), texts in zip(record["facts"], record["evidence"], strict=True):
            kept = self.facts.setdefault((head, relation, tail), [])
            # Documents arrive in input order, not by id: keep the first by id.
            if len(kept) < MAX_EVIDENCE or (doc_id, texts[0]) < kept[-1]:
                kept.extend((doc_id, text) for text in texts[:MAX_EVIDENCE])
                kept.sort()
                del kept[MAX_EVIDENCE:]
        self.manifest.write(line or json.dumps(record, ensure_ascii=False) + "\n")


def build(
    inputs: Sequence[Path],
    settings: Settings | None = None,
    *,
    strict: bool = False,
    full: bool = False,
    wait: bool = False,
    jobs: int = 1,
    dask: str | None = None,
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
        jobs: processes extracting documents (the graph is the same for any number).
        dask: address of a Dask scheduler whose workers extract the documents
            instead (``tcp://host:8786``; see ``kg.distributed``); the same graph.
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

    with OverviewProcess() as overview, store.building(settings.out_dir, wait=wait) as gen:
        fingerprint = _fingerprint(settings)
        previous = None if full else store.published(settings.out_dir)
        old = _read_manifest(previous, fingerprint)
        base = previous if old else None
        copying = time.perf_counter()
        with (
            frozen(),
            (gen / store.MANIFEST).open("w", encoding="utf-8") as manifest,
            search.IndexWriter(gen, base) as index,
        ):
            copied = time.perf_counter() - copying
            manifest.write(json.dumps({"fingerprint": fingerprint, "layout": GRAPH_LAYOUT}) + "\n")
            run = _Run(settings, lexicon, fingerprint, base, old, manifest, skip, index)
            run.jobs, run.skipped, run.dask = max(1, jobs), skipped, dask
            if base:
                run.seconds["copy"] += copied
            with store.GraphWriter(
                gen, base, batch_size=settings.batch_size, seconds=run.seconds
            ) as writer:
                _write(run, writer, files, progress)
                if not run.ids:
                    names = ", ".join(map(str, inputs))
                    raise NoDocumentsError(names, "no document could be read; nothing was built")
                # the overview is drawn while the store, graph.nq and the index are finished
                title = f"policy-kg: {len(run.ids)} documents"
                overview.draw(run.entities, run.facts, gen / "graph.html", title, run.previous)
                _finish(run, writer)
                writer.close()
            run.seconds["view"] += overview.wait()
    return _summary(run, time.perf_counter() - started)


def _inputs(inputs: Sequence[Path], settings: Settings) -> list[tuple[Path, Path]]:
    """Return ``(file, root)`` for each document under the inputs.

    Left out: files under the output folder, and a folder's ``README`` file, which
    describes the folder (``seeds/README.md``) rather than being one of its
    documents; a README named as an input is read.
    """
    out_dir = Path(settings.out_dir).resolve()
    named = [Path(p) for p in inputs]
    return list(find_documents(named, settings.suffixes, outside=out_dir))


def _write(
    run: _Run,
    writer: store.GraphWriter,
    files: list[tuple[Path, Path]],
    progress: Callable[[int, int, str], None] | None,
) -> None:
    """Extract every document (or take it from the previous build) and write the graph.

    A rebuild starts from the previous generation's store and index: the graphs and
    rows of documents that changed or went away are dropped, and those of changed
    and new documents added (``_finish`` then edits the entity and statistics graphs
    to their new content).
    """
    if run.previous is None:
        ontology_quads = rdf.ontology_quads(run.settings.ontology_dir / "kg.ttl")
        writer.add(list(ontology_quads), rdf.ONTOLOGY_GRAPH)
    max_bytes = run.settings.max_file_mb * 2**20
    ontology = run.settings.ontology_dir
    portable = run.jobs > 1 or run.dask is not None
    tasks = [(path, root, ontology, max_bytes, portable) for path, root in files]
    known = {i: r["sha256"] for i, (r, _) in run.old.items()} if run.previous else {}
    if run.dask:
        from kg.distributed import in_order  # loads Dask only when asked

        results = in_order(run.dask, extract.extract, tasks, extract.known, (known,))
    else:
        results = extract.in_order(extract.extract, tasks, run.jobs, extract.known, (known,))
    for done, ((path, _), result) in enumerate(zip(files, results, strict=True), 1):
        _take(run, writer, path, result)
        if progress:
            progress(done, len(files), str(path))
    extract.known({})
    for gone in sorted(set(run.old) - run.ids):
        run.touch(run.old[gone][0])
        writer.drop(document_iri(gone))
        run.index.drop(gone)


def _finish(run: _Run, writer: store.GraphWriter) -> None:
    """Write the entity, network and statistics graphs of the whole build, and the entity
    network of its index."""
    entities = [Entity(k, t, label, frozenset(a)) for k, (t, label, a) in run.entities.items()]
    facts = sorted(run.facts)
    types = {key: type_ for key, (type_, _, _) in run.entities.items()}
    if run.previous is None:
        writer.replace(rdf.ENTITIES_GRAPH, rdf.entity_quads(entities))
        writer.replace(rdf.NETWORK_GRAPH, rdf.network_quads(facts))
        writer.replace(rdf.STATISTICS_GRAPH, rdf.statistics_quads(types, run.facts))
    else:
        # a rebuild edits the statements about the entities its changed documents name
        # (a fact's statement is about its head; the statistics are about the dataset too)
        touched = run.touched
        edited = {entity_iri(key).value for key in touched}
        named = [e for e in entities if e.key in touched]
        writer.replace(rdf.ENTITIES_GRAPH, rdf.entity_quads(named), edited)
        headed = [fact for fact in facts if fact[0] in touched]
        writer.replace(rdf.NETWORK_GRAPH, rdf.network_quads(headed), edited)
        stats = list(rdf.statistics_quads(types, run.facts, touched))
        stated = {q.subject.value for q in stats if isinstance(q.subject, NamedNode)}
        writer.replace(rdf.STATISTICS_GRAPH, stats, edited | stated)
    started = time.perf_counter()
    run.index.network(entities, [(fact, run.facts[fact]) for fact in facts])
    run.seconds["search"] += time.perf_counter() - started


def _take(
    run: _Run,
    writer: store.GraphWriter,
    path: Path,
    result: extract.Extracted | extract.Unchanged | extract.Skipped,
) -> None:
    """Merge one document's result into the build and write its graph."""
    if isinstance(result, extract.Skipped):
        run.on_skip(result.error())
        return
    doc_id = result.id if isinstance(result, extract.Unchanged) else result.doc.id
    if doc_id in run.ids:
        run.on_skip(InputError(path, f"a document with the id {doc_id} was read already"))
        return
    if isinstance(result, extract.Unchanged):
        _unchanged(run, *run.old[doc_id])
        return
    for entity in {e.key: e for e in result.entities.values()}.values():
        _merge(run, entity.key, entity.type, entity.label, entity.aliases)
    run.extracted += 1
    run.record(result.record)
    run.touch(result.record)
    changed = doc_id in run.old  # since the previous build, whose store and index these are
    if changed:
        run.touch(run.old[doc_id][0])
    started = time.perf_counter()
    if changed:
        run.index.drop(doc_id)
    _stage("search", doc_id, run.index.add, result.doc, result.mentions, result.entities)
    run.seconds["search"] += time.perf_counter() - started
    graph = document_iri(doc_id)
    if changed:
        writer.drop(graph)
    writer.add(result.quads, graph)
    for stage, spent in result.seconds.items():  # complete once the quads are read
        run.seconds[stage] += spent


def _unchanged(run: _Run, old: dict[str, Any], line: str) -> None:
    """Take a document the previous build extracted from these bytes, as it was.

    Its graph and index rows are already in the copies the rebuild edits; only its
    entities, facts and evidence are merged, from its line of the previous manifest.
    """
    started = time.perf_counter()
    for key, type_, label, aliases in old["entities"]:
        _merge(run, key, type_, label, aliases)
    run.record(old, line)
    run.seconds["copy"] += time.perf_counter() - started


def _merge(run: _Run, key: str, type_: str, label: str, names: Iterable[str]) -> None:
    """Merge one document's entity: the first label it had stays, others become aliases."""
    known = run.entities.get(key)
    if known is None:
        known = run.entities[key] = (EntityType(type_), label, set())
    elif label == known[1] and not names:
        return  # most mentions of a known entity: nothing new
    aliases = known[2]
    aliases.update(names)
    aliases.add(label)
    aliases.discard(known[1])


def _stage(name: str, subject: str, function: Callable[..., _T], *args: Any) -> _T:
    """Call one stage; turn anything but a reported error into one naming the stage."""
    try:
        return function(*args)
    except KgError:
        raise
    except Exception as exc:
        raise KgError(f"stage {name} failed on {subject}: {type(exc).__name__}: {exc}") from exc


def _fingerprint(settings: Settings) -> str:
    """Hash everything besides a document's bytes that decides its graph."""
    digest = hashlib.sha256()
    package = Path(__file__).parent
    sources = [package / f"{name}.py" for name in _EXTRACTOR]
    sources += sorted((package / "readers").glob("*.py"))
    sources += sorted(Path(settings.ontology_dir).rglob("*"))
    for path in sources:
        if path.is_file():
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _read_manifest(
    previous: Path | None, fingerprint: str
) -> dict[str, tuple[dict[str, Any], str]]:
    path = previous / store.MANIFEST if previous else None
    if path is None or not path.is_file():
        return {}
    with path.open(encoding="utf-8") as lines, no_cycle_collection():
        header = json.loads(next(lines, "{}"))
        if header.get("fingerprint") != fingerprint:
            return {}
        records = ((json.loads(line), line.rstrip("\n") + "\n") for line in lines)
        return {record["id"]: (record, line) for record, line in records}


def _summary(run: _Run, seconds: float) -> Summary:
    types = Counter(type_.value for type_, _, _ in run.entities.values())
    relations = Counter(relation for _, relation, _ in run.facts)
    return Summary(
        out_dir=Path(run.settings.out_dir),
        documents=len(run.ids),
        extracted=run.extracted,
        removed=len(set(run.old) - run.ids),
        sentences=run.sentences,
        entities={t.value: types[t.value] for t in EntityType},
        relations={r.value: relations[r.value] for r in RelationType},
        skipped=tuple(run.skipped),
        seconds=seconds,
        stages=dict(run.seconds),
    )


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{name} {n}" for name, n in counts.items())

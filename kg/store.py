"""Own the Oxigraph store: build it beside the published one, swap it in, read it.

An output folder ``DIR`` looks like this once built::

    DIR/store       -> .kg/current/store        links made by the first build
    DIR/graph.nq    -> .kg/current/graph.nq
    DIR/graph.html  -> .kg/current/graph.html
    DIR/.kg/current -> gen-20250101T120000-x1y2 one link, replaced by every build
    DIR/.kg/gen-…/  store/, graph.nq, graph.html and what the build keeps
    DIR/.kg/lock    held by the build writing into DIR

A build writes a whole new generation and publishes it by replacing the single
``current`` link with ``os.replace``, which is atomic on POSIX: readers see the old
graph or the new one, never a mix, and a build that fails or is killed leaves the
old one in place. A published generation is never written again, so no reader ever
opens a store that another process writes (undefined behaviour in Oxigraph); the
previous generation is kept until the next build so that a long-running reader can
finish with it.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
import tempfile
import time
from collections.abc import Collection, Iterable, Iterator, Mapping, MutableMapping
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from itertools import islice
from pathlib import Path
from threading import Thread
from typing import IO, Any

from pyoxigraph import (
    NamedNode,
    Quad,
    QueryBoolean,
    QuerySolutions,
    QueryTriples,
    RdfFormat,
    Store,
    Variable,
    parse,
    serialize,
)

from kg.errors import QueryError, StoreError
from kg.guard import check_local, is_update
from kg.vocab import GRAPH_LAYOUT, PREFIXES

__all__ = [
    "MANIFEST",
    "PUBLISHED",
    "GraphWriter",
    "building",
    "check_layout",
    "dump",
    "graph_quads",
    "open_store",
    "published",
    "query",
    "select",
    "write_store",
]

#: The files and folders of a generation that ``DIR`` links to.
PUBLISHED = ("store", "graph.nq", "graph.html")
#: A build's record of its documents, in each generation; its first line names the
#: graph layout (``GRAPH_LAYOUT``), which reading the store checks.
MANIFEST = "manifest.jsonl"

_KG = ".kg"
_NQ = "graph.nq"
#: Which byte ranges of graph.nq hold which named graph (JSON), for rebuilds.
_NQ_INDEX = "graph.nq.index"
_OPEN: dict[str, Store] = {}
_MAX_OPEN = 8


@contextmanager
def building(out_dir: Path, *, wait: bool = False) -> Iterator[Path]:
    """Lock ``out_dir`` and yield a new, empty generation folder to build into.

    The generation is published if the block completes and deleted if it raises.

    Args:
        out_dir: the output folder (created if missing).
        wait: wait for another build into ``out_dir`` instead of refusing.

    Raises:
        StoreError: another build holds ``out_dir`` (and ``wait`` is false), or the
            folder cannot be written.
    """
    kg_dir = Path(out_dir) / _KG
    try:
        kg_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"cannot write to {out_dir}: {exc.strerror}") from exc
    with _locked(kg_dir / "lock", out_dir, wait=wait):
        previous = published(out_dir)
        stamp = time.strftime("%Y%m%dT%H%M%S")
        gen = Path(tempfile.mkdtemp(prefix=f"gen-{stamp}-", dir=kg_dir))
        gen.chmod(0o755)  # mkdtemp makes it private; readers may be other users
        # Generations older than the published one are deleted while this one is
        # built: deleting a store is disk work, done outside Python's lock.
        stale = _stale(kg_dir, keep={gen.name, previous.name if previous else ""})
        pruning = Thread(target=_delete, args=(stale,))
        pruning.start()
        try:
            yield gen
        except BaseException:
            _remove(gen)
            raise
        finally:
            pruning.join()
        _publish(Path(out_dir), gen)
        _prune(kg_dir, keep={gen.name, previous.name if previous else ""})


class GraphWriter:
    """Write the store and ``graph.nq`` of a generation folder, in batches.

    A fresh generation starts from an empty store. Given the generation a rebuild
    starts from (``base``), the writer starts from a copy of its store (a checkpoint:
    hard links, no bytes copied) and edits it: graphs are dropped and added, so the
    time of a rebuild goes with what changed, not with the graph's size.

    ``graph.nq`` is written from the quads as they come, never dumped from the store.
    Each ``add`` writes its lines in one piece, and ``graph.nq.index`` records which
    byte range holds which named graph, so a rebuild writes its file as the base's
    ranges of the graphs no edit touched, copied by the kernel without being read
    into Python, followed by the lines of the graphs it added.

    Batches reach the store as N-Quads bytes, loaded by a thread of the writer's own
    while the caller goes on: Oxigraph parses and loads bytes without holding Python's
    lock, so the store is written on another core while the next documents are read.
    One batch loads while the next fills, so memory holds two at most.

    Use it as a context manager; leaving the block without an error finishes both.
    Every quad must be added once: the store keeps one copy, the file every line.
    """

    def __init__(
        self,
        folder: Path,
        base: Path | None = None,
        *,
        batch_size: int = 50_000,
        seconds: MutableMapping[str, float] | None = None,
    ) -> None:
        self.folder = Path(folder)
        self.base = Path(base) if base else None
        self.batch_size = batch_size
        self.seconds: MutableMapping[str, float] = {} if seconds is None else seconds
        self.count = 0
        self._dropped: set[str] = set()
        self._bytes: list[bytes] = []
        self._loader = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kg-store")
        self._loading: Future[float] | None = None
        self._closed = False
        self._pending = 0
        #: [graph IRI (None: not named by the caller), start, end] of each piece written
        self._ranges: list[list[Any]] = []
        self._written = 0
        if self.base:
            self._base_ranges = _read_ranges(self.base)
            Store.read_only(str(self.base / "store")).backup(str(self.folder / "store"))
        self._store = Store(str(self.folder / "store"))
        self._nq = (self.folder / (_NQ if not self.base else _NQ + ".part")).open("wb")

    def __enter__(self) -> GraphWriter:
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        try:
            if kind is None:
                self.close()
        finally:
            self._loader.shutdown(wait=True)  # a batch still loading ends before the store
            self._nq.close()
            # The store must be closed before anyone opens it read-only; a traceback
            # holding this object would otherwise keep it open.
            del self._store

    def add(self, quads: Iterable[Quad] | bytes, graph: NamedNode | None = None) -> None:
        """Add quads (terms, or N-Quads bytes) to the store and the file.

        Args:
            quads: the quads; when ``graph`` is given, all of that graph's.
            graph: the one named graph of the quads, for a later rebuild to drop.
        """
        name = graph.value if graph else None
        if isinstance(quads, bytes):
            self._write_nq(quads, name)
            self._bytes.append(quads)
            self._pending += quads.count(b"\n")
        else:
            stream = iter(quads)
            while batch := list(islice(stream, self.batch_size)):
                with self._timed("graph.nq"):
                    data = serialize(batch, format=RdfFormat.N_QUADS) or b""
                self._write_nq(data, name)
                self._bytes.append(data)
                self._pending += len(batch)
                if self._pending >= self.batch_size:
                    self._flush()
        if self._pending >= self.batch_size:
            self._flush()

    def drop(self, graph: NamedNode) -> None:
        """Remove a named graph the base store holds (before adding its new quads)."""
        self._flush()
        self._wait()
        with self._timed("store"):
            self._store.remove_graph(graph)
        self._dropped.add(graph.value)

    def replace(
        self, graph: NamedNode, quads: Iterable[Quad], subjects: Collection[str] | None = None
    ) -> None:
        """Make a named graph hold exactly ``quads``, editing only the difference.

        A rebuild compares the graph's lines in the base's ``graph.nq`` with the new
        ones, so the store is neither read nor written for what stays; the graph must
        hold no blank nodes, whose labels differ from one file to the next.

        Args:
            graph: the named graph.
            quads: its quads; with ``subjects``, those of these subjects only.
            subjects: the IRIs whose statements may have changed since the base: the
                graph's other statements stay as the base has them.
        """
        if self.base is None:
            self.add(quads, graph)
            return
        self._flush()
        self._wait()
        with self._timed("graph.nq"):
            data = serialize(quads, format=RdfFormat.N_QUADS) or b""
            new = dict.fromkeys(data.splitlines(keepends=True))
            kept: list[bytes] = []
            old: set[bytes] = set()
            edited = None if subjects is None else {f"<{s}>".encode() for s in subjects}
            for line in self._base_lines(graph.value):
                if edited is None or line[: line.index(b" ")] in edited:
                    old.add(line)
                else:
                    kept.append(line)
            gone = b"".join(line for line in old if line not in new)
            added = b"".join(line for line in new if line not in old)
        with self._timed("store"):
            for quad in parse(gone, format=RdfFormat.N_QUADS):
                self._store.remove(quad)
            self._store.extend(parse(added, format=RdfFormat.N_QUADS))
        self._dropped.add(graph.value)
        self._write_nq(b"".join(kept) + b"".join(new), graph.value)

    def close(self) -> None:
        """Write what is pending, then finish the store and ``graph.nq`` (once).

        Most of it is disk work outside Python's lock (the store's compaction, the
        kernel's copy of ``graph.nq``): a caller may run it in a thread meanwhile.
        """
        if self._closed:
            return
        self._closed = True
        self._flush()
        self._wait()
        with self._timed("store"):
            self._store.flush()
            if self.base is None:
                self._store.optimize()
        self._nq.close()
        with self._timed("graph.nq"):
            ranges = self._merge_nq() if self.base else self._ranges
            (self.folder / _NQ_INDEX).write_text(json.dumps(ranges), encoding="utf-8")

    def _flush(self) -> None:
        """Hand the pending batch to the loading thread, once the previous one is in."""
        if self._bytes:
            data, self._bytes = b"".join(self._bytes), []
            self._wait()
            self._loading = self._loader.submit(self._load, data)
        self.count += self._pending
        self._pending = 0

    def _load(self, data: bytes) -> float:
        """Load N-Quads bytes into the store (in the loading thread); return the seconds."""
        started = time.perf_counter()
        self._store.bulk_load(data, format=RdfFormat.N_QUADS)
        return time.perf_counter() - started

    def _wait(self) -> None:
        """Wait for the batch loading, if any; its error is raised here.

        Raises:
            StoreError: the store could not be written (a full disk, say).
        """
        if self._loading is not None:
            loading, self._loading = self._loading, None
            try:
                seconds = loading.result()
            except OSError as exc:
                raise StoreError(f"{self.folder / 'store'}: cannot write the store: {exc}") from exc
            # the loading thread's own time: it overlaps the caller's work
            self.seconds["store"] = self.seconds.get("store", 0.0) + seconds

    def _write_nq(self, data: bytes, graph: str | None) -> None:
        with self._timed("graph.nq"):
            self._nq.write(data)
        start, self._written = self._written, self._written + len(data)
        if self._ranges and self._ranges[-1][0] == graph and graph is not None:
            self._ranges[-1][2] = self._written
        elif data:
            self._ranges.append([graph, start, self._written])

    def _base_lines(self, graph: str) -> list[bytes]:
        """Return the lines of one graph in the base's ``graph.nq``."""
        assert self.base is not None
        with (self.base / _NQ).open("rb") as nq:
            pieces = []
            for named, start, end in self._base_ranges:
                if named == graph:
                    nq.seek(start)
                    pieces.append(nq.read(end - start))
        return b"".join(pieces).splitlines(keepends=True)

    def _merge_nq(self) -> list[list[Any]]:
        """Write graph.nq: the base's ranges of graphs no edit touched, then the new lines.

        Returns:
            The ranges of the file written.
        """
        assert self.base is not None
        part = self.folder / (_NQ + ".part")
        ranges: list[list[Any]] = []
        size = 0
        with (
            (self.base / _NQ).open("rb", buffering=0) as old,
            part.open("rb", buffering=0) as added,
            (self.folder / _NQ).open("wb", buffering=0) as out,
        ):
            copy: list[list[int]] = []  # runs of adjacent ranges, copied in one call each
            for graph, start, end in self._base_ranges:
                if graph in self._dropped:
                    continue
                if copy and copy[-1][1] == start:
                    copy[-1][1] = end
                else:
                    copy.append([start, end])
                ranges.append([graph, size, size + end - start])
                size += end - start
            for start, end in copy:
                _copy_range(old.fileno(), out.fileno(), start, end)
            _copy_range(added.fileno(), out.fileno(), 0, self._written)
        ranges += [[graph, size + start, size + end] for graph, start, end in self._ranges]
        part.unlink()
        return ranges

    @contextmanager
    def _timed(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - started


def _read_ranges(generation: Path) -> list[list[Any]]:
    try:
        ranges: list[list[Any]] = json.loads((generation / _NQ_INDEX).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise StoreError(f"cannot edit the graph of {generation}: {exc}") from exc
    return ranges


def _copy_range(source: int, target: int, start: int, end: int) -> None:
    """Append bytes ``start:end`` of one file to another, copied by the kernel.

    ``copy_file_range`` moves the bytes without bringing them into this process (and
    shares them instead, on a file system that can); where it is missing or refused,
    they are read and written a MiB at a time.
    """
    while start < end:
        try:
            done = os.copy_file_range(source, target, end - start, start)
        except (AttributeError, OSError):
            done = os.write(target, os.pread(source, min(end - start, 2**20), start))
        if not done:
            raise StoreError("graph.nq of the previous build is shorter than its index says")
        start += done


def write_store(
    folder: Path,
    quads: Iterable[Quad],
    *,
    batch_size: int = 50_000,
    seconds: MutableMapping[str, float] | None = None,
) -> int:
    """Bulk-load quads into ``folder/store`` and write them to ``folder/graph.nq``.

    Quads are consumed lazily, ``batch_size`` at a time, so memory stays flat.
    ``seconds``, if given, gets the time spent writing the store (``store``) and
    the N-Quads file (``graph.nq``) added, apart from the time making the quads.

    Returns:
        The number of quads written.

    >>> import tempfile
    >>> from pyoxigraph import NamedNode, Quad
    >>> n = NamedNode("http://example.org/n")
    >>> write_store(Path(tempfile.mkdtemp()), [Quad(n, n, n, n)])
    1
    """
    with GraphWriter(folder, batch_size=batch_size, seconds=seconds) as writer:
        writer.add(quads)
    return writer.count


def check_layout(generation: Path, folder: Path | str) -> None:
    """Raise StoreError if the build in a generation folder laid its graph out otherwise.

    The build's manifest (``MANIFEST``) names the layout on its first line; a store
    written without a build (``write_store``) has none and is not checked.

    Args:
        generation: the folder holding the store and the manifest.
        folder: the folder as the user named it, for the message.
    """
    try:
        with (generation / MANIFEST).open(encoding="utf-8") as lines:
            header = json.loads(next(lines, "{}"))
    except FileNotFoundError:
        return
    except (OSError, ValueError) as exc:
        raise StoreError(f"{folder}: cannot read the build's {MANIFEST}: {exc}") from exc
    if not isinstance(header, dict) or header.get("layout") != GRAPH_LAYOUT:
        raise StoreError(
            f"{folder}: the graph was built by an earlier version of policy-kg, which lays"
            " it out otherwise; run `kg build` again"
        )


def published(out_dir: Path) -> Path | None:
    """Return the generation folder ``out_dir`` currently publishes, if any."""
    current = Path(out_dir) / _KG / "current"
    return current.resolve() if current.is_symlink() and current.exists() else None


def open_store(folder: Path) -> Store:
    """Open the store of an output (or generation) folder read-only, once per process.

    Raises:
        StoreError: no graph has been built at ``folder``.
    """
    path = Path(folder) / "store"
    if not (path / "CURRENT").is_file():
        raise StoreError(f"no graph at {folder}; run `kg build` first")
    real = str(path.resolve())
    if real not in _OPEN:
        check_layout(Path(real).parent, folder)
        try:
            store = Store.read_only(real)
        except OSError as exc:
            raise StoreError(f"{folder}: cannot open the store: {exc}") from exc
        if len(_OPEN) >= _MAX_OPEN:
            _OPEN.pop(next(iter(_OPEN)))
        _OPEN[real] = store
    return _OPEN[real]


def query(
    folder: Path, sparql: str, *, substitutions: Mapping[str, object] | None = None
) -> QuerySolutions | QueryBoolean | QueryTriples:
    """Run a SPARQL query over the union of all graphs of the store at ``folder``.

    The prefixes of ``kg.vocab.PREFIXES`` are declared.

    Args:
        folder: an output folder (``-g DIR``) or a generation folder.
        sparql: the query.
        substitutions: values bound to variables, by name without ``?``.

    Raises:
        QueryError: the query is malformed or names an unknown prefix, is an update,
            or holds ``SERVICE``: no query reaches the network (``kg.guard.check_local``).
        StoreError: no graph has been built at ``folder``.
    """
    check_local(sparql)
    store = open_store(folder)
    bound = {Variable(k): v for k, v in (substitutions or {}).items()}
    try:
        return store.query(
            sparql,
            prefixes=PREFIXES,
            use_default_graph_as_union=True,
            substitutions=bound or None,  # type: ignore[arg-type]
        )
    except SyntaxError as exc:
        if is_update(sparql):
            raise QueryError("updates are refused: a query only reads the graph") from None
        raise QueryError(_syntax_message(sparql, str(exc))) from None
    except RuntimeError as exc:  # e.g. a substituted variable the query does not select
        raise QueryError(str(exc)) from None
    except OSError as exc:
        raise StoreError(f"{folder}: {exc}") from exc


def select(
    folder: Path, sparql: str, *, substitutions: Mapping[str, object] | None = None
) -> QuerySolutions:
    """Run a SELECT query like ``query`` and return its solutions.

    Raises:
        QueryError: the query is malformed or is not a SELECT query.
        StoreError: no graph has been built at ``folder``.
    """
    result = query(folder, sparql, substitutions=substitutions)
    if not isinstance(result, QuerySolutions):
        raise QueryError("expected a SELECT query")
    return result


def graph_quads(folder: Path, graph: NamedNode) -> Iterator[Quad]:
    """Yield the quads of one named graph of the store at ``folder``."""
    yield from open_store(folder).quads_for_pattern(None, None, None, graph)


def dump(folder: Path, output: IO[bytes] | Path, fmt: RdfFormat) -> None:
    """Write the store at ``folder`` in an RDF format.

    Dataset formats keep the named graphs; triple formats get their union.
    """
    store = open_store(folder)
    target = output if not isinstance(output, Path) else str(output)
    if fmt.supports_datasets:
        store.dump(target, format=fmt, prefixes=_prefixes(fmt))
        return
    triples = store.query(
        "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", use_default_graph_as_union=True
    )
    serialize(triples, target, format=fmt, prefixes=_prefixes(fmt))  # type: ignore[arg-type]


def _prefixes(fmt: RdfFormat) -> dict[str, str] | None:
    line_based = (RdfFormat.N_QUADS, RdfFormat.N_TRIPLES)
    return None if fmt in line_based else PREFIXES


@contextmanager
def _locked(lock: Path, out_dir: Path, *, wait: bool) -> Iterator[None]:
    # flock is released by the kernel when the process dies, so a killed build
    # leaves no stale lock behind.
    with lock.open("a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise StoreError(
                f"another build is writing {out_dir} ({holder}); wait for it to finish"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}")
        handle.flush()
        try:
            yield
        finally:
            handle.truncate(0)
            fcntl.flock(handle, fcntl.LOCK_UN)


def _publish(out_dir: Path, gen: Path) -> None:
    kg_dir = gen.parent
    _replace_link(kg_dir / "current", gen.name)
    _fsync(kg_dir)
    for name in PUBLISHED:
        if (gen / name).exists():
            _link_once(out_dir / name, f"{_KG}/current/{name}")
    _fsync(out_dir)


def _replace_link(path: Path, target: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    tmp.unlink(missing_ok=True)
    os.symlink(target, tmp)
    os.replace(tmp, path)


def _link_once(path: Path, target: str) -> None:
    if path.is_symlink() and os.readlink(path) == target:
        return
    if path.is_dir() and not path.is_symlink():
        # A folder left by an older layout: set it aside; the next build prunes it.
        path.rename(path.parent / _KG / f"old-{path.name}-{time.time_ns()}")
    _replace_link(path, target)


def _prune(kg_dir: Path, keep: set[str]) -> None:
    for path in _stale(kg_dir, keep):
        _remove(path)


def _stale(kg_dir: Path, keep: set[str]) -> list[Path]:
    """Return the generations (and set-aside folders) not kept, forgotten by this process."""
    stale = []
    for child in kg_dir.iterdir():
        if child.name.startswith(("gen-", "old-")) and child.name not in keep:
            _forget(child)
            stale.append(child)
    return stale


def _remove(path: Path) -> None:
    _forget(path)
    shutil.rmtree(path, ignore_errors=True)


def _delete(paths: Iterable[Path]) -> None:
    for path in paths:
        shutil.rmtree(path, ignore_errors=True)


def _forget(path: Path) -> None:
    """Drop the stores under ``path`` from this process's open stores."""
    real = str(path.resolve())
    for key in [k for k in _OPEN if k.startswith(real + os.sep)]:
        del _OPEN[key]


def _fsync(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# Tokens that may contain a colon without being a prefixed name come first.
_TOKENS = re.compile(
    r"""(?P<skip><[^<>"{}|^`\\\s]*>|"{3}.*?"{3}|'{3}.*?'{3}|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'"""
    r"""|\#[^\n]*|[?$_]\w*:?|@[\w-]+)"""
    r"|(?P<declare>\bPREFIX\s+(?P<declared>[A-Za-z][\w.-]*)?:)"
    r"|(?<![\w.-])(?P<used>[A-Za-z][\w.-]*)?:",
    re.IGNORECASE | re.DOTALL,
)


def _syntax_message(sparql: str, message: str) -> str:
    """Explain a parser error, naming the prefix when an undeclared one is used."""
    declared = set(PREFIXES)
    for token in _TOKENS.finditer(sparql):
        if token["declare"]:
            declared.add(token["declared"] or "")
        elif token["skip"] is None and (token["used"] or "") not in declared:
            line = sparql.count("\n", 0, token.start()) + 1
            column = token.start() - (sparql.rfind("\n", 0, token.start()) + 1) + 1
            known = ", ".join(sorted(PREFIXES))
            return (
                f"unknown prefix '{token['used'] or ''}:' at {line}:{column}; "
                f"declare it with PREFIX or use one of {known}"
            )
    # The parser lists the Unicode ranges a name may hold; the tokens before suffice.
    return "malformed query: " + re.sub(r", \[['\\].*", ", …", message, flags=re.DOTALL)

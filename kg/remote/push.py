"""Push a built graph to a SPARQL server with the Graph Store HTTP Protocol.

Each named graph of the build (one per document, the entities' labels, the
ontology) is sent by one ``PUT ?graph=IRI``, which replaces whatever the server held
under that IRI: pushing twice leaves the server as pushing once. The sha256 of each
graph's body, once the server has taken it whole, is written to a push manifest in
the build folder (``DIR/.kg/push/<target>.json``), so that the next push sends only
the graphs that changed or failed, and deletes from the server the graphs of
documents the build no longer has. Anything but 200, 201 or 204 fails that graph:
a partial answer (Virtuoso's 206), a time-out, a lost connection, a refusal; the
other graphs go on.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from kg import store
from kg.rdf import ONTOLOGY_GRAPH
from kg.remote import redact
from kg.remote._http import Connection
from kg.remote._rdf import graph_body, graph_quads
from kg.vocab import KGR_IRI

__all__ = ["Failure", "PushReport", "manifest_path", "push"]

_GRAPHS = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
_TURTLE = {"Content-Type": "text/turtle; charset=utf-8"}
_SAVE_EVERY = 1_000
_DOCUMENTS = KGR_IRI + "doc/"


@dataclass(frozen=True)
class Failure:
    """A graph the server did not take, and why."""

    graph: str
    problem: str


@dataclass(frozen=True)
class PushReport:
    """What a push did: graphs sent, left alone, deleted and failed."""

    target: str
    pushed: tuple[str, ...]
    unchanged: int
    deleted: tuple[str, ...]
    failed: tuple[Failure, ...]
    seconds: float

    def lines(self, most: int = 20) -> list[str]:
        """Return the report as lines of text for people, naming up to ``most`` failures."""
        total = len(self.pushed) + self.unchanged + len(self.failed)
        lines = [
            f"pushed to {self.target} in {self.seconds:.1f} s",
            f"graphs     {total} ({len(self.pushed)} pushed, {self.unchanged} unchanged,"
            f" {len(self.failed)} failed)",
        ]
        if self.deleted:
            lines.append(f"deleted    {len(self.deleted)} (documents no longer in the build)")
        lines += [f"failed     {f.graph}: {f.problem}" for f in self.failed[:most]]
        if len(self.failed) > most:
            lines.append(f"failed     … and {len(self.failed) - most} more")
        return lines


def manifest_path(folder: Path, url: str) -> Path:
    """Return the push manifest of the build at ``folder`` for the server at ``url``.

    >>> manifest_path(Path("out"), "http://h/store").parent.as_posix()
    'out/.kg/push'
    """
    key = hashlib.sha256(redact(url).encode()).hexdigest()[:16]
    return Path(folder) / ".kg" / "push" / f"{key}.json"


def push(
    folder: Path,
    url: str,
    *,
    force: bool = False,
    timeout: float = 60.0,
    workers: int = 1,
    progress: Callable[[int, int, str], None] | None = None,
) -> PushReport:
    """Push every named graph of the build at ``folder`` to a Graph Store endpoint.

    Args:
        folder: the output folder of a build.
        url: the server's Graph Store HTTP Protocol endpoint, e.g. Virtuoso's
            ``http://host:8890/sparql-graph-crud-auth`` or Fuseki's ``http://host/ds/data``.
        force: send every graph, even those the manifest says the server has.
        timeout: seconds a request may wait for the server.
        workers: requests in flight at once; one was fastest against a Virtuoso on the
            same host (docs/scaling.md), more may pay off across a slow network.
        progress: called after each graph with (done, total, graph IRI).

    Returns:
        The report; graphs that failed are listed in it and sent again next time.

    Raises:
        StoreError: no graph has been built at ``folder``.
        RemoteError: the server refuses the credentials, or they are misconfigured.
    """
    started = time.perf_counter()
    graphs = _graphs(folder)
    present = set(graphs)
    path = manifest_path(folder, url)
    manifest = _read(path)
    known = {} if force else manifest
    sent: dict[str, str] = {g: h for g, h in known.items() if g in present}
    pushed: list[str] = []
    failed: list[Failure] = []
    unchanged = 0
    with Connection(url, timeout=timeout) as conn:
        try:
            jobs = _bodies(folder, graphs, known)
            for done, (graph, digest, problem) in enumerate(_put(conn, url, jobs, workers), 1):
                if digest is None:
                    unchanged += 1
                elif problem is None:
                    sent[graph] = digest
                    pushed.append(graph)
                else:
                    sent.pop(graph, None)
                    failed.append(Failure(graph, problem))
                if done % _SAVE_EVERY == 0:
                    _write(path, url, sent)
                if progress:
                    progress(done, len(graphs), graph)
            gone = {g: h for g, h in manifest.items() if g not in present}
            deleted = _delete(conn, url, list(gone), failed)
            sent |= {g: h for g, h in gone.items() if g not in deleted}  # try again next time
        finally:
            _write(path, url, sent)
    return PushReport(
        redact(url), tuple(pushed), unchanged, deleted, tuple(failed),
        time.perf_counter() - started,
    )  # fmt: skip


def _graphs(folder: Path) -> list[str]:
    """Return the build's graph IRIs: the ontology, the documents, then the others.

    The graphs computed from all the documents (labels, statistics) go last.
    """
    names = sorted(row["g"].value for row in store.select(folder, _GRAPHS))
    documents = [g for g in names if g.startswith(_DOCUMENTS)]
    others = [g for g in names if not g.startswith(_DOCUMENTS) and g != ONTOLOGY_GRAPH.value]
    return [g for g in names if g == ONTOLOGY_GRAPH.value] + documents + others


def _bodies(
    folder: Path, graphs: list[str], known: dict[str, str]
) -> Iterator[tuple[str, bytes | None, str | None]]:
    """Yield (graph, body, sha256) for graphs to send, (graph, None, None) for the others."""
    for graph in graphs:
        body = graph_body(graph_quads(folder, graph))
        digest = hashlib.sha256(body).hexdigest()
        if known.get(graph) == digest:
            yield graph, None, None
        else:
            yield graph, body, digest


def _put(
    conn: Connection,
    url: str,
    jobs: Iterator[tuple[str, bytes | None, str | None]],
    workers: int,
) -> Iterator[tuple[str, str | None, str | None]]:
    """Send the bodies ``workers`` at a time; yield (graph, sha256, problem) in order."""

    def send(graph: str, body: bytes) -> str | None:
        params = {"graph": graph}
        return conn.request("PUT", url, params=params, content=body, headers=_TURTLE).problem

    pending: deque[tuple[str, str | None, Future[str | None] | None]] = deque()
    with ThreadPoolExecutor(max(workers, 1)) as pool:
        try:
            for graph, body, digest in jobs:
                future = pool.submit(send, graph, body) if body is not None else None
                pending.append((graph, digest, future))
                while len(pending) > 2 * workers or (pending and pending[0][2] is None):
                    graph, digest, future = pending.popleft()
                    yield graph, digest, future.result() if future else None
            while pending:
                graph, digest, future = pending.popleft()
                yield graph, digest, future.result() if future else None
        except BaseException:
            pool.shutdown(cancel_futures=True)
            raise


def _delete(conn: Connection, url: str, gone: list[str], failed: list[Failure]) -> tuple[str, ...]:
    """Delete graphs the build no longer has; a graph the server lacks is deleted already."""
    deleted = []
    for graph in gone:
        answer = conn.request("DELETE", url, params={"graph": graph})
        if answer.problem is None or answer.status == 404:
            deleted.append(graph)
        else:
            failed.append(Failure(graph, f"cannot delete: {answer.problem}"))
    return tuple(deleted)


def _read(path: Path) -> dict[str, str]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    graphs = data.get("graphs") if isinstance(data, dict) else None
    return dict(graphs) if isinstance(graphs, dict) else {}


def _write(path: Path, url: str, graphs: dict[str, str]) -> None:
    """Replace the manifest atomically, so a killed push leaves the old one whole."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    text = json.dumps({"target": redact(url), "graphs": graphs}, ensure_ascii=False, indent=0)
    tmp.write_text(text + "\n", encoding="utf-8")
    os.replace(tmp, path)

"""Draw a build's overview (``graph.html``) in a process of its own, beside the build.

The process starts with the build and loads the drawing libraries (pyvis, igraph,
networkx: about half a second) while the build reads its documents; it is handed
the entity table and facts once they are complete and draws while the build
finishes its store, ``graph.nq`` and search index. It is a plain child interpreter
(``python -m kg.overview``) fed through a pipe, so it works the same whatever
program calls ``build``, with no start-up rules for that program's main module.
"""

from __future__ import annotations

import gc
import json
import os
import pickle
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from kg.errors import KgError
from kg.model import EntityType
from kg.vocab import entity_iri

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["Entities", "Facts", "OverviewProcess", "entity_network"]

#: each entity's key: its type, its label and its other names, in the order documents
#: first name them
Entities = Mapping[str, tuple[EntityType, str, set[str]]]
#: each distinct fact ``(head key, relation, tail key)`` and its evidence: up to
#: ``MAX_EVIDENCE`` ``(document id, sentence text)``, the first by document
Facts = Mapping[tuple[str, str, str], list[tuple[str, str]]]
#: the file beside ``graph.html`` keeping the overview's layout, for the next build
LAYOUT = "graph-layout.json"
#: how every failure to draw the overview begins, as any stage's failure does
_FAILED = "stage views failed on graph.html"


class OverviewProcess:
    """The drawing process: start it, hand it the graph, wait for the page.

    Use it as a context manager; leaving the block stops the process if it has not
    finished, so a build that fails leaves nothing running.
    """

    def __enter__(self) -> OverviewProcess:
        # this very package, wherever it was imported from, not another installed one
        here = str(Path(__file__).resolve().parent.parent)
        paths = os.environ.get("PYTHONPATH")
        env = {**os.environ, "PYTHONPATH": here + (os.pathsep + paths if paths else "")}
        # what it says on stderr (a traceback, if it crashes) goes to a file, which
        # cannot fill up and block it as a pipe nobody reads would
        self._errors = tempfile.TemporaryFile()
        try:
            self._process = subprocess.Popen(
                [sys.executable, "-m", "kg.overview"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=self._errors,
                env=env,
            )
        except OSError as exc:
            self._errors.close()
            why = f"cannot start {sys.executable or 'Python'}: {exc}"
            raise KgError(f"{_FAILED}: {why}") from exc
        return self

    def __exit__(self, *_: object) -> None:
        if self._process.returncode is None:  # not waited for: the build failed
            self._process.kill()
            self._process.wait()
        for pipe in (self._process.stdin, self._process.stdout, self._errors):
            if pipe is not None:
                pipe.close()

    def draw(
        self, entities: Entities, facts: Facts, path: Path, title: str, previous: Path | None
    ) -> None:
        """Hand over a build's entity table and facts, to draw into ``path``.

        ``previous``: the generation the build started from, whose overview's layout
        is taken if the same entities and links are drawn again.

        Raises:
            KgError: the process ended before taking them.
        """
        assert self._process.stdin is not None
        given = (entities, facts, str(path), title, str(previous) if previous else None)
        try:
            pickle.dump(given, self._process.stdin, protocol=5)
            self._process.stdin.close()
        except OSError as exc:
            raise self._failed(f"cannot hand over the graph: {exc}") from exc

    def wait(self) -> float:
        """Wait for the page to be written; return the seconds the process spent drawing.

        Raises:
            KgError: it was not drawn; the message says why.
        """
        assert self._process.stdout is not None
        out = self._process.stdout.read().splitlines()
        self._process.wait()
        try:  # the reply is the last line: a library may have printed before it
            reply: dict[str, Any] = json.loads(out[-1] if out else b"")
        except ValueError:
            self._errors.seek(0)
            said = self._errors.read().decode("utf-8", "replace").strip()
            raise self._failed(said[-2000:] or "no reply") from None
        if "error" in reply:
            raise KgError(reply["error"])
        return float(reply["seconds"])

    def _failed(self, why: str) -> KgError:
        code = self._process.poll()
        ended = f" (exit code {code})" if code else ""
        return KgError(f"{_FAILED}: the drawing process ended{ended}: {why}")


def entity_network(entities: Entities, facts: Facts) -> nx.MultiDiGraph:
    """Return the graph the overview draws from a build's entity table and facts.

    It is the graph ``analysis.entity_graph`` reads out of the build's store: its
    nodes in the order documents first name them, its facts sorted, each fact's
    evidence ``(sentence text, document id)``.
    """
    from kg import analysis

    iri = {key: entity_iri(key).value for key in entities}
    nodes = (
        (iri[key], type_.value, label, sorted(aliases - {label}))
        for key, (type_, label, aliases) in entities.items()
    )
    network = {
        (iri[head], relation, iri[tail]): [(text, doc) for doc, text in kept]
        for (head, relation, tail), kept in sorted(facts.items())
    }
    return analysis.entity_network(nodes, network)


def _serve(source: IO[bytes], reply: IO[str]) -> None:
    """Load the drawing libraries, read one graph, draw it and say how it went."""
    # A process that draws once and exits needs no cycle collector: its passes over
    # the libraries' objects and the graph's took half the drawing time.
    gc.disable()
    from kg.layout import Kept
    from kg.views import write_view

    entities, facts, path, title, previous = pickle.load(source)
    started = time.perf_counter()
    out = Path(path)
    kept = Kept(out.with_name(LAYOUT), Path(previous) / LAYOUT if previous else None)
    try:
        write_view(entity_network(entities, facts), out, title=title, layout=kept)
    except KgError as exc:
        json.dump({"error": str(exc)}, reply)
    except Exception as exc:  # reported as the stage's failure, like any other stage's
        json.dump({"error": f"{_FAILED}: {type(exc).__name__}: {exc}"}, reply)
    else:
        json.dump({"seconds": time.perf_counter() - started}, reply)


if __name__ == "__main__":
    _serve(sys.stdin.buffer, sys.stdout)

"""Measuring helpers of bench/run.py, and the modes it runs as child processes.

``python bench/measure.py MODE ARGS...`` runs one measurement in a fresh process and
prints its result as one line of JSON: a build (``build-child``), plain segmentation
(``segment-child``), queries in Oxigraph or rdflib (``query-child``), the explorer's
card and search (``explore-child``).
"""

from __future__ import annotations

import json
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from corpus import CORPUS_DIR  # noqa: E402

RESULTS = HERE / "results"
KG = Path(sys.executable).with_name("kg")
PY = sys.executable


# ---------------------------------------------------------------- measuring helpers


def spread(values: list[float]) -> dict[str, Any]:
    """Return the median, min and max of repeated measurements."""
    return {
        "median": round(statistics.median(values), 4),
        "min": round(min(values), 4),
        "max": round(max(values), 4),
        "runs": len(values),
    }


def child(*args: str, timeout: float | None = None) -> dict[str, Any]:
    """Run this script as a child process in a mode; return its JSON, wall and CPU time.

    CPU time (``cpu``: user and system, the child's and its workers') tells a slower
    build from a busy machine, which stretches only the wall time.
    """
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(
        [PY, str(Path(__file__)), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    wall = time.perf_counter() - started
    if done.returncode:
        raise SystemExit(f"{args[0]} failed:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    result["wall"] = wall
    now = resource.getrusage(resource.RUSAGE_CHILDREN)
    result["cpu"] = now.ru_utime - used.ru_utime + now.ru_stime - used.ru_stime
    return result


def out_dir(megabytes: int, jobs: int) -> Path:
    return CORPUS_DIR / f"out-{megabytes}mb-j{jobs}"


def chars(folder: Path) -> int:
    return sum(len(p.read_text(encoding="utf-8")) for p in folder.rglob("*.txt"))


def save(name: str, data: Any) -> None:
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{name}.json"
    old = load(name)
    if _by_size(data) and _by_size(old):  # a run of some sizes keeps the others' rows
        data = {**old, **data}
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {path.relative_to(HERE.parent)}", flush=True)


def _by_size(data: Any) -> bool:
    return isinstance(data, dict) and bool(data) and all(k.endswith("mb") for k in data)


def load(name: str) -> Any:
    path = RESULTS / f"{name}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


# ---------------------------------------------------------------- child modes


def build_child(folder: str, out: str, jobs: str, full: str) -> dict[str, Any]:
    """Build in this process; report the summary, stage times and peak memory."""
    from kg.config import Settings
    from kg.pipeline import build

    summary = build(
        [Path(folder)], Settings(out_dir=Path(out)), jobs=int(jobs), full=full == "full"
    )
    return {
        "seconds": summary.seconds,
        "stages": summary.stages,
        "documents": summary.documents,
        "extracted": summary.extracted,
        "entities": sum(summary.entities.values()),
        "facts": sum(summary.relations.values()),
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "workers_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }


def segment_child(folder: str) -> dict[str, Any]:
    """Time plain jieba.lcut and rjieba.cut over every file of a corpus (loading excluded)."""
    import logging

    import jieba
    import rjieba

    jieba.setLogLevel(logging.WARNING)
    texts = [p.read_text(encoding="utf-8") for p in sorted(Path(folder).rglob("*.txt"))]
    jieba.lcut("预热")
    rjieba.cut("预热")
    times = {}
    for name, cut in (("jieba", jieba.lcut), ("rjieba", rjieba.cut)):
        started = time.perf_counter()
        for text in texts:
            cut(text)
        times[name] = time.perf_counter() - started
    return {"chars": sum(map(len, texts)), **times}


def query_child(engine: str, folder: str, queries: str, repeat: str) -> dict[str, Any]:
    """Load a graph in one engine and time each query ``repeat`` times."""
    from kg.vocab import PREFIXES

    header = "".join(f"PREFIX {k}: <{v}>\n" for k, v in PREFIXES.items())
    wanted = json.loads(queries)
    started = time.perf_counter()
    if engine == "rdflib":
        from rdflib import Dataset

        dataset = Dataset(default_union=True)
        dataset.parse(str(Path(folder) / "graph.nq"), format="nquads")

        def run(sparql: str) -> int:
            return len(list(dataset.query(header + sparql)))

    else:
        from kg import store

        def run(sparql: str) -> int:
            return len(list(store.select(Path(folder), sparql)))

        run("SELECT * WHERE { ?s ?p ?o } LIMIT 1")
    loaded = time.perf_counter() - started
    times: dict[str, list[float]] = {}
    rows: dict[str, int] = {}
    for name, sparql in wanted.items():
        times[name] = []
        for _ in range(int(repeat)):
            started = time.perf_counter()
            rows[name] = run(sparql)
            times[name].append(time.perf_counter() - started)
            if times[name][-1] > 20:  # one run is enough to tell a slow query
                break
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"load": loaded, "rss_mb": rss, "times": times, "rows": rows}


def explore_child(folder: str, hub: str, typical: str, repeat: str) -> dict[str, Any]:
    """Time the explorer's entity card and 2-hop neighbourhood of two entities (by IRI),
    and a name search.

    ``card``, ``2-hop`` and ``search`` are for the hub (the search for the first
    character of its label, as `kg entity` looks a name up), ``typical_card`` and
    ``typical_2-hop`` for the other entity. The 2-hop neighbourhood is the entities
    within two links and the facts reaching them, walked in the index as `kg neighbors`
    walks it; ``rows`` counts its entities. The process's first walk (the hub's) reads
    the network's arrays from the index too: ``first`` is that walk's time alone.
    """
    from kg import search
    from kg.explore import entity_card, find_entity

    where = Path(folder)
    label = find_entity(where, hub).label
    names = ("card", "2-hop", "search", "typical_card", "typical_2-hop")
    times: dict[str, list[float]] = {name: [] for name in names}
    rows: dict[str, int] = {}
    for _ in range(int(repeat)):
        for prefix, iri in (("", hub), ("typical_", typical)):
            started = time.perf_counter()
            entity_card(where, iri)
            times[prefix + "card"].append(time.perf_counter() - started)
            started = time.perf_counter()
            nodes, _ = search.neighbourhood(where, iri, 2, outer=False)
            times[prefix + "2-hop"].append(time.perf_counter() - started)
            rows[prefix + "2-hop"] = len(nodes)
        started = time.perf_counter()
        search.find_entities(where, label[:1])
        times["search"].append(time.perf_counter() - started)
    return {"times": times, "rows": rows, "first": times["2-hop"][0]}


CHILDREN: dict[str, Callable[..., dict[str, Any]]] = {
    "build-child": build_child,
    "segment-child": segment_child,
    "query-child": query_child,
    "explore-child": explore_child,
}


def main() -> None:
    mode, *args = sys.argv[1:]
    print(json.dumps(CHILDREN[mode](*args)))


if __name__ == "__main__":
    main()

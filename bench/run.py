"""Measure policy-kg side by side with what a user would otherwise use; write bench/results/.

Every figure is measured in one run next to its reference and reported as a ratio, so
that a noisy machine does not lie: measurements are repeated (median, min and max) and
builds alternate with their references. Each section writes ``bench/results/NAME.json``;
``bench/README.md`` is written from them (``bench/report.py``).

    .venv/bin/python bench/run.py                   # everything (about an hour on 2 cores)
    .venv/bin/python bench/run.py --sizes 1 10      # leave out the 100 MB corpus
    .venv/bin/python bench/run.py --only queries    # one section, reusing earlier builds

Builds run as child processes, so start-up, imports and peak memory count as a user
sees them; each size's build is kept under ``bench/corpus/out-*`` for later sections.
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path
from typing import Any

from corpus import CORPUS_DIR, corpus
from measure import KG, chars, child, json, load, out_dir, save, spread
from report import write_readme

SECTIONS = (
    "machine", "throughput", "jobs", "incremental", "queries", "startup", "commands", "views",
)  # fmt: skip
PACKAGES = ("pyoxigraph", "rdflib", "rjieba", "jieba", "networkx", "playwright")
_RELATIONS = "kgo:locatedIn kgo:partOf kgo:supports kgo:focusesOn kgo:cooperatesWith kgo:connects"
_TYPES = "kgo:Region kgo:Platform kgo:Project kgo:Industry kgo:Programme kgo:Organization"
_LINK = "(kgo:locatedIn|kgo:partOf|kgo:supports|kgo:focusesOn|kgo:cooperatesWith|kgo:connects)"
#: The five standard queries, live: what any SPARQL engine must compute.
STANDARD = {
    "count by type": f"""SELECT ?t (COUNT(DISTINCT ?e) AS ?n)
        WHERE {{ VALUES ?t {{ {_TYPES} }} ?e a ?t }} GROUP BY ?t""",
    "2-hop": f"""SELECT DISTINCT ?n WHERE {{ $E ({_LINK}|^{_LINK})/({_LINK}|^{_LINK})? ?n }}""",
    "label CONTAINS": """SELECT ?e ?l WHERE { ?e rdfs:label ?l FILTER(CONTAINS(STR(?l), "港")) }""",
    "partOf+ closure": "SELECT (COUNT(*) AS ?n) WHERE { ?a kgo:partOf+ ?b }",
    "degree top-20": f"""SELECT ?e (COUNT(*) AS ?d) WHERE {{
        {{ SELECT DISTINCT ?e ?p ?x WHERE {{ VALUES ?p {{ {_RELATIONS} }} ?e ?p ?x }} }}
        UNION
        {{ SELECT DISTINCT ?e ?p ?x WHERE {{ VALUES ?p {{ {_RELATIONS} }} ?x ?p ?e }} }}
    }} GROUP BY ?e ORDER BY DESC(?d) LIMIT 20""",
}
#: An entity card, as four queries: names, facts, the first page of evidence, documents.
CARD = {
    "names": "SELECT ?p ?n WHERE { VALUES ?p { rdfs:label skos:altLabel } $E ?p ?n }",
    "facts": f"""SELECT DISTINCT ?rel ?other ?label WHERE {{ VALUES ?rel {{ {_RELATIONS} }}
        {{ $E ?rel ?other }} UNION {{ ?other ?rel $E }}
        OPTIONAL {{ ?other rdfs:label ?label }} }}""",
    "evidence": """SELECT ?rel ?other ?text WHERE {
        { ?r rdf:subject $E ; rdf:object ?other } UNION { ?r rdf:object $E ; rdf:subject ?other }
        ?r rdf:predicate ?rel ; prov:wasDerivedFrom/kgo:text ?text } LIMIT 50""",
    "documents": """SELECT ?g (COUNT(*) AS ?n) WHERE { ?m kgo:mentionOf $E ; kgo:inDocument ?g }
        GROUP BY ?g ORDER BY DESC(?n) LIMIT 20""",
}
#: The two aggregates as kg answers them, from the statistics stored at build time (kg
#: answers the 2-hop neighbourhood from its index: ``explore-child``).
STORED = {
    "count by type": """SELECT ?t ?n WHERE { kgr:dataset void:classPartition ?p .
        ?p void:class ?t ; void:entities ?n }""",
    "degree top-20": "SELECT ?e ?d WHERE { ?e kgo:degree ?d } ORDER BY DESC(?d) LIMIT 20",
}
#: The commands that walk the entity network, as typed (``{hub}``, ``{typical}``: IRIs).
COMMANDS = {
    "entity (hub)": ["entity", "{hub}"],
    "neighbors (hub, 1 hop)": ["neighbors", "{hub}"],
    "neighbors (hub, 2 hops)": ["neighbors", "{hub}", "--hops", "2"],
    "neighbors (typical, 2 hops)": ["neighbors", "{typical}", "--hops", "2"],
    "path (typical to hub)": ["path", "{typical}", "{hub}"],
    "rank (degree)": ["rank"],
    "rank (pagerank)": ["rank", "--by", "pagerank"],
    "communities": ["communities"],
}
TOP = "SELECT ?e ?l WHERE { ?e kgo:degree ?d ; rdfs:label ?l } ORDER BY DESC(?d) LIMIT 1"
#: An entity of typical degree: the median of those with at least one fact.
TYPICAL = """SELECT ?e ?l WHERE { ?e kgo:degree ?d ; rdfs:label ?l FILTER(?d > 0) }
    ORDER BY ?d ?l OFFSET $N LIMIT 1"""


def machine(_: argparse.Namespace) -> dict[str, Any]:
    cpu = re.search(r"model name\s*:\s*(.*)", Path("/proc/cpuinfo").read_text())
    mem = re.search(r"MemTotal:\s*(\d+)", Path("/proc/meminfo").read_text())
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu[1] if cpu else platform.processor(),
        "ram_gb": round(int(mem[1]) / 2**20, 1) if mem else None,
        "python": platform.python_version(),
        "system": platform.platform(),
        "packages": {p: metadata.version(p) for p in PACKAGES},
    }


def _build(megabytes: int, jobs: int, full: bool = True) -> dict[str, Any]:
    out = out_dir(megabytes, jobs)
    return child("build-child", str(corpus(megabytes)), str(out), str(jobs), "full" * full)


def _built(megabytes: int) -> Path:
    """Return the build of a corpus that queries and views read: the single-process one
    when there is one (``--single-100`` at 100 MB), else the ``--jobs 2`` one; the graph
    is the same."""
    single = out_dir(megabytes, 1)
    return single if (single / "store").exists() else out_dir(megabytes, 2)


def throughput(args: argparse.Namespace) -> dict[str, Any]:
    """Chars/s of a single-process build against jieba.lcut over the same text, per size."""
    rows = {}
    for mb in args.sizes:
        folder, n = corpus(mb), chars(corpus(mb))
        repeat = args.repeat if mb <= 10 else 1
        builds, segs = [], []
        for _ in range(repeat):
            segs.append(child("segment-child", str(folder)))
            if mb < 100 or args.single_100:  # 100 MB in one process: see --single-100
                builds.append(_build(mb, 1))
        row: dict[str, Any] = {
            "chars": n,
            "bytes": sum(p.stat().st_size for p in folder.rglob("*.txt")),
        }
        row["jieba_chars_s"] = spread([n / s["jieba"] for s in segs])
        row["rjieba_chars_s"] = spread([n / s["rjieba"] for s in segs])
        if builds:
            row["build_chars_s"] = spread([n / b["wall"] for b in builds])
            row["ratio_to_jieba"] = spread(
                [n / b["wall"] / (n / s["jieba"]) for b, s in zip(builds, segs, strict=True)]
            )
            row["build"] = _middle(builds)
        rows[f"{mb}mb"] = row
    return rows


def jobs(args: argparse.Namespace) -> dict[str, Any]:
    """--jobs 2 against one process, alternating, on the same corpus; peak memory.

    At 100 MB only ``--jobs 2`` is built (``--single-100`` adds one process).
    """
    rows = {}
    for mb in args.sizes:
        n = chars(corpus(mb))
        counts = (1, 2) if mb < 100 or args.single_100 else (2,)
        repeat = max(1, args.repeat - 1) if mb < 100 else 1
        runs: dict[int, list[dict[str, Any]]] = {j: [] for j in counts}
        for _ in range(repeat):
            for j in counts:
                runs[j].append(_build(mb, j))
        row: dict[str, Any] = {}
        for j, done in runs.items():
            wall_s = spread([r["wall"] for r in done])
            row[f"jobs{j}"] = _summary(_middle(done), n) | {"wall_s": wall_s}
        if len(counts) == 2:
            walls = zip(runs[1], runs[2], strict=True)
            row["speedup"] = spread([one["wall"] / two["wall"] for one, two in walls])
        rows[f"{mb}mb"] = row
    return rows


def _middle(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Return the run of median wall time (the later of the two middle ones)."""
    return sorted(runs, key=lambda r: r["wall"])[len(runs) // 2]


def _summary(run: dict[str, Any], n: int) -> dict[str, Any]:
    return {
        "wall": round(run["wall"], 2),
        "chars_s": round(n / run["wall"]),
        "rss_mb": round(run["rss_mb"]),
        "workers_rss_mb": round(run["workers_rss_mb"]),
        "stages": {k: round(v, 2) for k, v in run["stages"].items()},
        "documents": run["documents"],
        "entities": run["entities"],
        "facts": run["facts"],
    }


def _canonical_equal(a: Path, b: Path) -> bool:
    """Return True when two graph.nq files hold isomorphic datasets.

    Blank nodes occur only in the ontology graph: the other quads are compared as
    sorted lines, the ontology graph by RDF canonicalization.
    """
    from pyoxigraph import CanonicalizationAlgorithm, Dataset, RdfFormat, parse

    def split(path: Path) -> tuple[list[str], Dataset]:
        plain: list[str] = []
        blank: list[str] = []
        with path.open(encoding="utf-8") as lines:
            for line in lines:
                (blank if "_:" in line else plain).append(line)
        data = Dataset(parse("".join(blank).encode(), format=RdfFormat.N_QUADS))
        data.canonicalize(CanonicalizationAlgorithm.UNSTABLE)
        return sorted(plain), data

    (pa, da), (pb, db) = split(a), split(b)
    return pa == pb and da == db


def _index_rows(folder: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Return every row of a build's search index but the sentences' row numbers, sorted."""
    import sqlite3
    from contextlib import closing

    from kg.search import index_path

    columns = {"documents": "*", "sentences": "doc, idx, start, end, text"}
    columns |= {"mentions": "*", "names": "*", "entity_names": "*", "nodes": "*", "links": "*"}
    with closing(sqlite3.connect(index_path(folder))) as db:
        return {t: sorted(db.execute(f"SELECT {c} FROM {t}")) for t, c in columns.items()}


def incremental(args: argparse.Namespace) -> dict[str, Any]:
    """Rebuild after changing one document of 1,000: time against a full build; same graph.

    The document is changed and changed back ``--repeat`` times, each change followed by
    a rebuild; two full builds (the first, and the reference the last rebuild's graph
    and index are compared with) give the full build's time.
    """
    source = corpus(10)
    with tempfile.TemporaryDirectory(dir=CORPUS_DIR) as tmp:
        work = Path(tmp) / "in"
        shutil.copytree(source, work)
        inc, ref = Path(tmp) / "inc", Path(tmp) / "ref"
        fulls = [child("build-child", str(work), str(inc), "1", "full")]
        changed = sorted(work.rglob("*.txt"))[500]
        text = changed.read_text(encoding="utf-8")
        rebuilds = []
        for turn in range(max(1, args.repeat)):
            edited = text + "宁波舟山港加快建设世界一流强港。\n" if turn % 2 == 0 else text
            changed.write_text(edited, encoding="utf-8")
            rebuilds.append(child("build-child", str(work), str(inc), "1", ""))
        fulls.append(child("build-child", str(work), str(ref), "1", "full"))
        same = _canonical_equal(inc / "graph.nq", ref / "graph.nq")
        same_index = _index_rows(inc) == _index_rows(ref)
    assert same, "the incremental build differs from a full build"
    assert same_index, "the incremental build's search index differs from a full build's"
    full_s, full_cpu_s = (statistics.median(r[k] for r in fulls) for k in ("wall", "cpu"))
    again = _middle(rebuilds)
    return {
        "documents": fulls[0]["documents"],
        "full_s": spread([r["wall"] for r in fulls]),
        "incremental_s": spread([r["wall"] for r in rebuilds]),
        "ratio": spread([r["wall"] / full_s for r in rebuilds]),
        "full_cpu_s": spread([r["cpu"] for r in fulls]),
        "incremental_cpu_s": spread([r["cpu"] for r in rebuilds]),
        "cpu_ratio": spread([r["cpu"] / full_cpu_s for r in rebuilds]),
        "extracted": again["extracted"],
        "stages": {k: round(v, 2) for k, v in again["stages"].items()},
        "same_graph_as_full_build": same,
        "same_index_as_full_build": same_index,
    }


def _top(folder: Path) -> tuple[str, str]:
    """Return the IRI and label of the entity of highest degree (the hardest card)."""
    from kg import store

    [row] = list(store.select(folder, TOP))
    return row["e"].value, row["l"].value


def _typical(folder: Path) -> tuple[str, str]:
    """Return the IRI and label of an entity of median degree."""
    from kg import store

    linked = "SELECT (COUNT(*) AS ?n) WHERE { ?e kgo:degree ?d FILTER(?d > 0) }"
    [count] = list(store.select(folder, linked))
    middle = int(count["n"].value) // 2
    [row] = list(store.select(folder, TYPICAL.replace("$N", str(middle))))
    return row["e"].value, row["l"].value


def _bound(sparql: str, iri: str) -> str:
    return sparql.replace("$E", f"<{iri}>")


def queries(args: argparse.Namespace) -> dict[str, Any]:
    """Oxigraph (as kg runs it) against rdflib in memory, same data; absolute times at 100 MB."""
    result: dict[str, Any] = {}
    n = str(args.repeat * 3)
    for mb in args.sizes:
        folder = _built(mb)
        if not (folder / "store").exists():
            continue
        row: dict[str, Any] = {}
        for role, (iri, label) in (("hub", _top(folder)), ("typical", _typical(folder))):
            asked = {f"{k}": _bound(v, iri) for k, v in CARD.items()}
            asked["2-hop"] = _bound(STANDARD["2-hop"], iri)
            measured = child("query-child", "oxigraph", str(folder), json.dumps(asked), n)
            times = measured["times"]
            card = [sum(t) for t in zip(*(times[k] for k in CARD), strict=True)]
            row[role] = {
                "entity": label,
                "iri": iri,
                "card": spread(card),
                "card_parts": _times(measured),
                "2-hop": spread(times["2-hop"]),
                "rows": measured["rows"],
            }
        iri, label = _top(folder)
        standard = {k: _bound(v, iri) for k, v in STANDARD.items()}
        oxi = child("query-child", "oxigraph", str(folder), json.dumps(standard), n)
        bound = {k: _bound(v, iri) for k, v in STORED.items()}
        stored = child("query-child", "oxigraph", str(folder), json.dumps(bound), n)
        row.update(entity=label, oxigraph_live=_times(oxi), oxigraph_stored=_times(stored))
        row["oxigraph_rows"] = oxi["rows"]
        row["stored_rows_same"] = {k: stored["rows"][k] == oxi["rows"][k] for k in STORED}
        # `kg entity` reads a bounded card (kg.explore.entity_card): timed at every size
        hub, typical = (row[role]["iri"] for role in ("hub", "typical"))
        explored = child("explore-child", str(folder), hub, typical, n)
        row["explorer"] = _times(explored)
        for role, prefix in (("hub", ""), ("typical", "typical_")):
            row[role]["2-hop_index"] = row["explorer"][prefix + "2-hop"]
            row[role]["2-hop_index_same_rows"] = (
                explored["rows"][prefix + "2-hop"] == row[role]["rows"]["2-hop"]
            )
        row["hub"]["2-hop_index_first"] = explored["first"]
        if mb <= args.rdflib_max:
            rdf = child(
                "query-child", "rdflib", str(folder), json.dumps(standard), str(args.repeat)
            )
            row["rdflib"] = _times(rdf)
            row["rdflib_rows"] = rdf["rows"]
            row["rdflib_load_s"] = round(rdf["load"], 1)
            row["rdflib_rss_mb"] = round(rdf["rss_mb"])
            row["speedup"] = _speedups(row)
        result[f"{mb}mb"] = row
    return result


def _times(measured: dict[str, Any]) -> dict[str, Any]:
    return {name: spread(values) for name, values in measured["times"].items()}


def _speedups(row: dict[str, Any]) -> dict[str, Any]:
    """Speed-ups over rdflib per standard query; kg answers the aggregates from statistics."""
    live, kg = {}, {}
    for name, rdf in row["rdflib"].items():
        live[name] = rdf["median"] / row["oxigraph_live"][name]["median"]
        ours = row["oxigraph_stored"].get(name, row["explorer"].get(name))
        ours = ours or row["oxigraph_live"][name]
        kg[name] = rdf["median"] / ours["median"]

    def geomean(values: dict[str, float]) -> float:
        return round(math.exp(sum(map(math.log, values.values())) / len(values)), 1)

    same = {k: row["rdflib_rows"][k] == row["oxigraph_rows"][k] for k in row["rdflib_rows"]}
    return {
        "same_rows": same,
        "as_kg_answers": {k: round(v, 1) for k, v in kg.items()},
        "geomean_as_kg_answers": geomean(kg),
        "live_vs_live": {k: round(v, 1) for k, v in live.items()},
        "geomean_live_vs_live": geomean(live),
    }


def startup(args: argparse.Namespace) -> dict[str, Any]:
    """Wall time of `kg query` on the largest store built, and of `python -c pass` beside it."""
    mb = max(s for s in args.sizes if (_built(s) / "store").exists())
    folder = _built(mb)
    kg_runs, py_runs = [], []
    for _ in range(args.repeat * 3):
        started = time.perf_counter()
        subprocess.run(
            [str(KG), "query", "-g", str(folder), "ASK { ?s a kgo:Region }"],
            check=True,
            capture_output=True,
        )
        kg_runs.append(time.perf_counter() - started)
        started = time.perf_counter()
        subprocess.run([str(KG.with_name("python")), "-c", "pass"], check=True)
        py_runs.append(time.perf_counter() - started)
    return {"store": f"{mb}mb", "kg_query_s": spread(kg_runs), "python_s": spread(py_runs)}


def commands(args: argparse.Namespace) -> dict[str, Any]:
    """Wall time of the `kg` commands that walk the entity network, on the largest store."""
    mb = max(s for s in args.sizes if (_built(s) / "store").exists())
    folder = _built(mb)
    ends = {"hub": _top(folder)[0], "typical": _typical(folder)[0]}
    rows = {}
    for name, words in COMMANDS.items():
        command = [str(KG), *(w.format(**ends) for w in words), "-g", str(folder)]
        runs = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            done = subprocess.run(command, capture_output=True, text=True)
            runs.append(time.perf_counter() - started)
            if done.returncode not in (0, 1):  # 1: kg path found no chain, an answer too
                raise SystemExit(f"{' '.join(command)}: {done.stderr}")
        rows[name] = spread(runs)
    return {"store": f"{mb}mb", "seconds": rows}


def views(args: argparse.Namespace) -> dict[str, Any]:
    """The overview of each build and an ego view opened in headless Chromium."""
    from bench_views import FLAGS, open_in_chromium
    from playwright.sync_api import sync_playwright

    rows = {}
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    with sync_playwright() as pw, tempfile.TemporaryDirectory() as tmp:
        browser = pw.chromium.launch(executable_path=chromium, args=FLAGS, headless=True)
        for mb in args.sizes:
            folder = _built(mb)
            if not (folder / "graph.html").exists():
                continue
            _, label = _top(folder)
            overview = [
                open_in_chromium(browser, (folder / "graph.html").resolve())
                for _ in range(args.repeat)
            ]
            ego = Path(tmp) / f"ego-{mb}.html"
            typical = _typical(folder)[1]
            written = {
                name: spread([_written(folder, ego, name) for _ in range(args.repeat)])
                for name in (typical, label)  # the hub's view last: it is the one opened
            }
            opened = [open_in_chromium(browser, ego) for _ in range(args.repeat)]
            rows[f"{mb}mb"] = {
                "overview_mb": round((folder / "graph.html").stat().st_size / 1e6, 1),
                "overview_ready_ms": spread([r["ready_ms"] for r in overview]),
                "ego": label,
                "ego_write_s": written[label],
                "ego_ready_ms": spread([r["ready_ms"] for r in opened]),
                "typical": typical,
                "typical_write_s": written[typical],
            }
        browser.close()
    return rows


def _written(folder: Path, output: Path, focus: str) -> float:
    """Return the seconds ``kg view --focus`` takes to write the 1-hop view of ``focus``."""
    from kg.views import make_view

    started = time.perf_counter()
    make_view(folder, output, focus=focus, hops=1)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", type=int, default=[1, 10, 100])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", nargs="+", choices=SECTIONS, default=list(SECTIONS))
    parser.add_argument("--rdflib-max", type=int, default=10, help="largest MB loaded into rdflib")
    parser.add_argument("--single-100", action="store_true", help="also build 100 MB with --jobs 1")
    args = parser.parse_args()
    for name in args.only:
        started = time.perf_counter()
        print(f"== {name}", flush=True)
        save(name, globals()[name](args))
        print(f"   {time.perf_counter() - started:.0f} s", flush=True)
    write_readme({name: load(name) for name in SECTIONS}, " ".join(sys.argv[1:]))


if __name__ == "__main__":
    main()

"""Write bench/README.md from bench/results/*.json: the figures, their ratios, the machine.

.venv/bin/python bench/report.py      # after bench/run.py (which calls it too)
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
NOTES = HERE / "NOTES.md"
STAGES = (
    "ingest", "segment", "entities", "relations", "resolve", "rdf", "search", "copy",
    "store", "graph.nq", "view",
)  # fmt: skip


def _s(seconds: dict[str, Any] | float | None) -> str:
    """Format seconds: a spread (newer results) or one figure (older ones)."""
    if isinstance(seconds, dict):
        return _m(seconds, digits=2)
    return "–" if seconds is None else f"{seconds}"


def _m(s: dict[str, Any] | None, scale: float = 1, unit: str = "", digits: int = 0) -> str:
    """Format a spread as 'median (min–max)'."""
    if not s:
        return "–"
    f = f"{{:,.{digits}f}}"
    med, lo, hi = (f.format(s[k] * scale) for k in ("median", "min", "max"))
    return f"{med}{unit} ({lo}–{hi})" if s["runs"] > 1 else f"{med}{unit}"


def _machine(m: dict[str, Any]) -> list[str]:
    packages = ", ".join(f"{k} {v}" for k, v in m["packages"].items())
    return [
        f"- {m['nproc']} cores ({m['cpu']}), {m['ram_gb']} GB RAM, Python {m['python']}, "
        f"{m['system']}",
        f"- {packages}",
    ]


def _throughput(t: dict[str, Any], jobs: dict[str, Any]) -> list[str]:
    out = [
        "| corpus | chars | `jieba.lcut` chars/s | `kg build` chars/s (1 process) | ratio | "
        "`--jobs 2` chars/s | speed-up | peak RSS (main / largest child process) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    sizes = sorted({*t, *(jobs or {})}, key=lambda s: int(s.removesuffix("mb")))
    for size in sizes:
        j = (jobs or {}).get(size, {})
        # a size measured by the jobs section only: its one-process build, no jieba.lcut
        row = t.get(size) or {"chars": 0, "jieba_chars_s": None, "build_chars_s": None}
        two = j.get("jobs2", {})
        one = j.get("jobs1") or row.get("build", {})
        rss = f"{one['rss_mb']:.0f} / {one['workers_rss_mb']:.0f} MB" if one else "–"
        if two:
            rss += f"; `-j2`: {two['rss_mb']:.0f} / {two['workers_rss_mb']:.0f} MB"
        speedup = f"{_m(j['speedup'], digits=2)}×" if j.get("speedup") else "–"
        parallel = f"{two['chars_s']:,}" if two else "–"
        chars = f"{row['chars']:,}" if row["chars"] else "–"
        build = _m(row.get("build_chars_s")) if size in t else f"{one['chars_s']:,}"
        ratio = f"{_m(row.get('ratio_to_jieba'), digits=2)}×" if size in t else "–"
        out.append(
            f"| {size} | {chars} | {_m(row['jieba_chars_s'])} | {build} | {ratio} | "
            f"{parallel} | {speedup} | {rss} |"
        )
    return out


def _profile(jobs: dict[str, Any], throughput: dict[str, Any]) -> list[str]:
    """Stage seconds of each size's single-process build (else its ``--jobs 2`` build)."""
    chosen: dict[str, tuple[str, dict[str, Any]]] = {}
    for size in sorted({*jobs, *throughput}, key=lambda s: int(s.removesuffix("mb"))):
        j, t = jobs.get(size, {}), throughput.get(size, {})
        if "jobs1" in j or "build" in t:
            chosen[size] = ("1 process", j.get("jobs1") or t["build"])
        elif "jobs2" in j:
            chosen[size] = ("-j2 (worker CPU)", j["jobs2"])
    head = "| stage | " + " | ".join(f"{s} {label}" for s, (label, _) in chosen.items())
    out = [head + " |", "|---" * (len(chosen) + 1) + "|"]
    runs = [run for _, run in chosen.values()]
    for stage in STAGES:
        cells = []
        for run in runs:
            spent = run["stages"].get(stage, 0.0)
            cells.append(f"{spent:.1f} s ({spent / run['wall']:.0%})")
        out.append(f"| {stage} | " + " | ".join(cells) + " |")
    out.append("| **wall** | " + " | ".join(f"**{r['wall']:.1f} s**" for r in runs) + " |")
    return out


def _same(same: dict[str, bool]) -> str:
    return (
        f"all {len(same)} ({', '.join(same)})"
        if all(same.values())
        else "not " + ", ".join(k for k, v in same.items() if not v)
    )


def _queries(q: dict[str, Any]) -> list[str]:
    out = []
    for size, row in q.items():
        hub, typical = row["hub"], row["typical"]
        out += [
            f"**{size}**, median ms (min–max). Entity card (names, facts, first 50 evidence "
            "sentences, top documents: four queries) and 2-hop neighbourhood, the entities "
            "within two links (live, as a property path over all graphs, and as kg answers it, "
            "walked in its index with the facts reaching them), for the entity of highest degree "
            f"({hub['entity']}) and one of median degree ({typical['entity']}):",
            "",
            "| | card | 2-hop live | 2-hop (index) | entities | same entities |",
            "|---|---|---|---|---|---|",
            *(
                f"| {role} | {_m(r['card'], 1000, digits=1)} | {_m(r['2-hop'], 1000, digits=1)} "
                f"| {_m(r.get('2-hop_index'), 1000, digits=1)} | {r['rows']['2-hop']:,} "
                f"| {'yes' if r.get('2-hop_index_same_rows') else 'no'} |"
                for role, r in (("hub", hub), ("typical", typical))
            ),
            "",
            *(
                [
                    "The first walk in a process (the hub's) reads the network's arrays from "
                    f"the index as well: {hub['2-hop_index_first'] * 1000:.1f} ms; "
                    "the explorer and the benchmark keep them for later walks.",
                    "",
                ]
                if "2-hop_index_first" in hub
                else []
            ),
            "The five standard queries (2-hop from the hub):",
            "",
            "| query | Oxigraph live | kg (stored, index) | rdflib in memory "
            "| speed-up as kg answers |",
            "|---|---|---|---|---|",
        ]
        speed = row.get("speedup", {})
        for name, live in row["oxigraph_live"].items():
            stored = row["oxigraph_stored"].get(name, row.get("explorer", {}).get(name))
            rdf = row.get("rdflib", {}).get(name)
            gain = speed.get("as_kg_answers", {}).get(name)
            out.append(
                f"| {name} | {_m(live, 1000, digits=1)} | {_m(stored, 1000, digits=1)} | "
                f"{_m(rdf, 1000)} | {f'{gain:,}×' if gain else '–'} |"
            )
        if "stored_rows_same" in row:
            out += [
                "",
                "As kg answers them, the same number of rows as live: "
                f"{_same(row['stored_rows_same'])}.",
            ]
        if "explorer" in row:
            ex = row["explorer"]
            out += [
                "",
                f"The explorer's own `kg entity` card of the hub: {_m(ex['card'], 1000)} ms; its "
                f"name search (SQLite index): {_m(ex['search'], 1000, digits=1)} ms.",
            ]
        if speed:
            out += [
                "",
                f"Geometric-mean speed-up over the five: **{speed['geomean_as_kg_answers']}×** "
                f"as kg answers them, {speed['geomean_live_vs_live']}× live against live; the "
                f"same rows in both engines: {_same(speed['same_rows'])}. rdflib loaded the "
                f"graph in {row['rdflib_load_s']} s to {row['rdflib_rss_mb']} MB.",
            ]
        out.append("")
    return out


def write_readme(results: dict[str, Any], command: str | None) -> None:
    """Write bench/README.md from the results of each section.

    ``command`` is the arguments of the ``bench/run.py`` run that wrote it, or None when
    the page is only redrawn from the results (``bench/report.py``).
    """
    r = results
    run = (
        f".venv/bin/python bench/run.py {command}".strip()
        if command is not None
        else ".venv/bin/python bench/report.py"
    )
    lines = [
        "# Benchmarks",
        "",
        "Written by `bench/report.py` from `bench/results/*.json`, which `make bench` "
        "produces; a section can be measured again alone (`bench/run.py --only SECTION`). "
        f"This page was last written by `{run}`.",
        "",
    ]
    if r.get("machine"):
        lines += ["## Machine", "", *_machine(r["machine"]), ""]
    if r.get("throughput"):
        lines += ["## Build throughput, scaling and memory", "",
                  *_throughput(r["throughput"], r.get("jobs") or {}), ""]  # fmt: skip
    if r.get("jobs") or r.get("throughput"):
        profile = _profile(r.get("jobs") or {}, r.get("throughput") or {})
        lines += ["## Where build time goes", "", *profile, ""]
    if r.get("incremental"):
        i = r["incremental"]
        lines += [
            "## Incremental rebuild",
            "",
            f"One document of {i['documents']:,} changed, then rebuilt "
            f"({i['incremental_s']['runs']} times, changed and changed back):"
            f" {_m(i['incremental_s'], unit=' s', digits=2)} against"
            f" {_m(i['full_s'], unit=' s', digits=1)} for the full build: "
            f"**{_m(i['ratio'], 100, ' %', 1)}** of the median full build in wall time,"
            f" {_m(i['cpu_ratio'], 100, ' %', 1)} in CPU time; same graph and search index"
            f" as a full build: {i['same_graph_as_full_build'] and i['same_index_as_full_build']}."
            " Stages of the median rebuild: "
            + ", ".join(f"{k} {v} s" for k, v in i["stages"].items()),
            "",
        ]
    if r.get("queries"):
        lines += ["## Queries", "", *_queries(r["queries"])]
    if r.get("startup"):
        s = r["startup"]
        lines += [
            "## Start-up",
            "",
            f"`kg query` on the {s['store']} store: {_m(s['kg_query_s'], 1000)} ms wall; "
            f"`python -c pass` beside it: {_m(s['python_s'], 1000)} ms.",
            "",
        ]
    if r.get("commands"):
        c = r["commands"]
        lines += [
            "## Commands that walk the entity network",
            "",
            f"Wall time of the whole `kg` command on the {c['store']} store, seconds:",
            "",
            "| command | wall time |",
            "|---|---|",
            *(f"| `kg {name}` | {_m(t, digits=2)} |" for name, t in c["seconds"].items()),
            "",
        ]
    if r.get("views"):
        lines += ["## Views in headless Chromium", "",
                  "| build | overview file | overview ready | ego view (1 hop) | written | ready "
                  "| typical entity's ego view | written |",
                  "|---|---|---|---|---|---|---|---|"]  # fmt: skip
        for size, v in r["views"].items():
            lines.append(
                f"| {size} | {v['overview_mb']} MB | {_m(v['overview_ready_ms'])} ms | "
                f"{v['ego']} | {_s(v['ego_write_s'])} s | {_m(v['ego_ready_ms'])} ms | "
                f"{v.get('typical', '–')} | {_s(v.get('typical_write_s'))} s |"
            )
        lines.append("")
    if NOTES.is_file():
        lines += [NOTES.read_text(encoding="utf-8").rstrip(), ""]
    (HERE / "README.md").write_text("\n".join(lines), encoding="utf-8")


def main() -> None:
    names = (
        "machine", "throughput", "jobs", "incremental", "queries", "startup", "commands", "views",
    )  # fmt: skip
    results = {}
    for name in names:
        path = RESULTS / f"{name}.json"
        results[name] = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None
    write_readme(results, None)


if __name__ == "__main__":
    main()

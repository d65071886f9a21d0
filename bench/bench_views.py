"""Measure network views: write time, file size, and load-to-interactive time in Chromium.

For each size the graph is a sparse scale-free network shaped like a policy corpus's
(a few hub places and programmes, most entities with one to three links; every link has
an evidence sentence). Each view is written with ``write_view`` and opened from disk in
headless Debian Chromium with the network blocked; "ready" is the page's own mark, set
on vis-network's first complete drawing, in milliseconds since navigation began; "frame"
is the time to redraw after a zoom, which bounds how smooth panning and zooming feel.

    .venv/bin/python bench/bench_views.py                 # 500, 5,000 and 20,000 nodes
    .venv/bin/python bench/bench_views.py 1000 --json out.json
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

import networkx as nx
from playwright.sync_api import Route, sync_playwright

from kg.layout import positions
from kg.model import EntityType, RelationType
from kg.views import write_view

FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--host-resolver-rules=MAP * ~NOTFOUND",
]
SENTENCE = (
    "做深做实国家自主创新示范区，以世界一流标准打造甬江科创区，支持甬江实验室争创国家实验室，"
    "支持中科院宁波材料所、兵科院宁波分院加快形成战略科技力量。"
)
FRAME_JS = """() => new Promise((done) => {
  const t0 = performance.now();
  kgNetwork.once('afterDrawing', () => done(performance.now() - t0));
  kgNetwork.moveTo({scale: kgNetwork.getScale() * 1.5});
})"""


def corpus_graph(n: int, seed: int = 1) -> nx.MultiDiGraph:
    """Return a scale-free entity graph of n nodes and about 1.5 n links."""
    rng = random.Random(seed)
    base = nx.barabasi_albert_graph(n, 1, seed=seed)
    base.add_edges_from((rng.randrange(n), rng.randrange(n)) for _ in range(n // 2))
    types, relations = list(EntityType), list(RelationType)
    graph = nx.MultiDiGraph()
    for i in base:
        t = types[i % len(types)].value
        graph.add_node(f"kgr:{t}/e{i}", label=f"实体{i}号", type=t, aliases=[f"别名{i}"])
    names = list(graph)
    for k, (u, v) in enumerate(base.edges()):
        if u != v:
            evidence = [(SENTENCE, f"{k % 500:03d}_doc.txt")]
            rel = relations[k % len(relations)].value
            graph.add_edge(names[u], names[v], relation=rel, evidence=evidence)
    return graph


def open_in_chromium(browser: Any, path: Path) -> dict[str, float]:
    """Return ready and frame times (ms) of a view opened from disk."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    leaks: list[str] = []

    def only_the_page(route: Route) -> None:
        if route.request.url == path.as_uri():
            route.continue_()
        else:
            leaks.append(route.request.url)
            route.abort()

    context.route("**/*", only_the_page)
    start = time.perf_counter()
    page.goto(path.as_uri())
    page.wait_for_selector("html[data-kg-ready]", state="attached", timeout=600_000)
    wall = (time.perf_counter() - start) * 1000
    ready = float(page.get_attribute("html", "data-kg-ready") or "nan")
    frame = float(page.evaluate(FRAME_JS))
    context.close()
    if leaks:
        raise SystemExit(f"the view tried to fetch {leaks}")
    return {"ready_ms": round(ready), "wall_ms": round(wall), "frame_ms": round(frame)}


def measure(browser: Any, n: int, folder: Path, max_nodes: int | None) -> dict[str, Any]:
    graph = corpus_graph(n)
    start = time.perf_counter()
    positions(list(graph), graph.edges())
    layout_s = time.perf_counter() - start
    path = folder / f"view-{n}-{max_nodes}.html"
    start = time.perf_counter()
    write_view(graph, path, title=f"{n:,} entities", max_nodes=max_nodes)
    write_s = time.perf_counter() - start
    row = {
        "nodes": n,
        "links": graph.number_of_edges(),
        "drawn": min(n, max_nodes) if max_nodes else "default",
        "layout_s": round(layout_s, 2),
        "write_s": round(write_s, 2),
        "size_mb": round(path.stat().st_size / 1e6, 1),
    }
    row.update(open_in_chromium(browser, path))
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[500, 5_000, 20_000])
    parser.add_argument("--json", type=Path, help="also write the rows here")
    args = parser.parse_args()
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    rows = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=FLAGS, headless=True)
        for n in args.sizes:
            rows.append(measure(browser, n, Path(tmp), max_nodes=n))  # everything drawn
            if n > 2_000:  # the overview as built: collapsed to Settings.view_max_nodes
                rows.append(measure(browser, n, Path(tmp), max_nodes=None))
        browser.close()
    keys = list(rows[0])
    print("| " + " | ".join(keys) + " |")
    print("|" + "---|" * len(keys))
    for row in rows:
        print("| " + " | ".join(str(row[k]) for k in keys) + " |")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()

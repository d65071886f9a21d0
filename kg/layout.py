"""Place the nodes of a graph ahead of drawing, so the browser has no layout to run.

igraph's Fruchterman-Reingold places 10,000 nodes in about a second where networkx's
``spring_layout`` takes minutes and the browser's own physics may not settle at all.
A drawing may keep its layout in a file, and the next drawing of the same nodes and
links take it from there instead of placing them again (a rebuild's overview).
"""

from __future__ import annotations

import hashlib
import json
import math
import random
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import igraph

__all__ = ["Kept", "positions"]

_GRID_FROM = 500


@dataclass(frozen=True)
class Kept:
    """Where a drawing keeps its layout, and where an earlier drawing kept its own."""

    path: Path
    previous: Path | None = None


def positions(
    nodes: Sequence[Hashable],
    links: Iterable[tuple[Hashable, Hashable]],
    *,
    spacing: float = 60.0,
    seed: int = 0,
    kept: Kept | None = None,
) -> dict[Hashable, tuple[float, float]]:
    """Return screen coordinates for the nodes of a graph, the same on every run.

    Args:
        nodes: the nodes to place.
        links: pairs of nodes; direction and repeats do not matter.
        spacing: pixels between neighbours: the median link is at least this long, and
            each node has at least a square of this side to itself on average.
        seed: seed of the layout's random start.
        kept: write the layout to ``kept.path``; take it from ``kept.previous`` if that
            file holds the layout of these nodes and links.

    Returns:
        ``{node: (x, y)}``, centred on the origin, in pixels.

    >>> links = [("a", "b"), ("b", "c")]
    >>> pos = positions(["a", "b", "c"], links)
    >>> sorted(pos) == ["a", "b", "c"] and pos == positions(["a", "b", "c"], links)
    True
    """
    if not nodes:
        return {}
    index = {node: i for i, node in enumerate(nodes)}
    pairs = sorted({(index[u], index[v]) for u, v in links if u in index and v in index})
    if kept is None:
        return _placed(nodes, pairs, spacing, seed)
    drawn = json.dumps([list(map(str, nodes)), pairs, spacing, seed]).encode()
    key = hashlib.sha256(drawn).hexdigest()
    placed = _kept(kept.previous, key, nodes) if kept.previous else None
    if placed is None:
        placed = _placed(nodes, pairs, spacing, seed)
    kept.path.write_text(json.dumps({"key": key, "xy": [placed[n] for n in nodes]}))
    return placed


def _kept(
    path: Path, key: str, nodes: Sequence[Hashable]
) -> dict[Hashable, tuple[float, float]] | None:
    """Return the layout a file keeps for the drawing of ``key``, or None."""
    try:
        found = json.loads(path.read_text())
        xy = found["xy"] if found.get("key") == key else None
    except (OSError, ValueError, TypeError, KeyError):
        return None  # none kept, or not one this version can read: place them again
    if not isinstance(xy, list) or len(xy) != len(nodes):
        return None
    return {node: (float(x), float(y)) for node, (x, y) in zip(nodes, xy, strict=True)}


def _placed(
    nodes: Sequence[Hashable], pairs: list[tuple[int, int]], spacing: float, seed: int
) -> dict[Hashable, tuple[float, float]]:
    graph = igraph.Graph(n=len(nodes), edges=pairs, directed=False)
    graph.simplify()
    # igraph draws its random start from a process-wide generator; a private seeded one
    # makes the layout reproducible without disturbing anyone else's random numbers.
    igraph.set_random_number_generator(random.Random(seed))
    try:
        # The grid variant is near-linear; igraph's own switch to it (past 1,000 nodes)
        # leaves 1,000 nodes slower to place than 2,000.
        coords = graph.layout_fruchterman_reingold(grid=len(nodes) > _GRID_FROM).coords
    finally:
        igraph.set_random_number_generator(random)
    cx = sum(x for x, _ in coords) / len(coords)
    cy = sum(y for _, y in coords) / len(coords)
    # Scale so links are readable (long enough) and dense cores are not a blot: a
    # hairball's links are long while its nodes are crammed, so take the larger scale.
    rms = math.sqrt(sum((x - cx) ** 2 + (y - cy) ** 2 for x, y in coords) / len(coords)) or 1.0
    by_area = spacing * math.sqrt(len(coords) / (2 * math.pi)) / rms
    scale = max(spacing / _median_length(coords, graph.get_edgelist()), by_area)
    return {
        node: (round((x - cx) * scale, 1), round((y - cy) * scale, 1))
        for node, (x, y) in zip(nodes, coords, strict=True)
    }


def _median_length(coords: list[list[float]], pairs: list[tuple[int, int]]) -> float:
    """Return the median length of the links, or 1 (about what igraph gives) without any."""
    lengths = sorted(math.dist(coords[u], coords[v]) for u, v in pairs)
    median = lengths[len(lengths) // 2] if lengths else 1.0
    return median if median > 0 else 1.0

"""``kg build --jobs N``: documents extracted by worker processes give the same graph."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SEEDS
from pyoxigraph import CanonicalizationAlgorithm, Dataset, RdfFormat, parse

from kg.config import Settings
from kg.pipeline import build

pytestmark = pytest.mark.slow


def _dataset(folder: Path) -> Dataset:
    """Return the graph.nq of a build, canonical (the ontology has blank nodes)."""
    dataset = Dataset(parse(path=folder / "graph.nq", format=RdfFormat.N_QUADS))
    dataset.canonicalize(CanonicalizationAlgorithm.UNSTABLE)
    return dataset


@pytest.fixture(scope="module")
def parallel(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    out = tmp_path_factory.mktemp("parallel")
    return build([SEEDS], Settings(out_dir=out), jobs=2)


def test_two_jobs_give_the_graph_of_one(built, parallel):
    assert parallel.extracted == 5
    one, two = _dataset(built), _dataset(parallel.out_dir)
    assert len(two) > 10_000
    assert one == two


def test_two_jobs_give_the_summary_of_one(built_summary, parallel):
    for field in ("documents", "sentences", "entities", "relations", "skipped"):
        assert getattr(parallel, field) == getattr(built_summary, field), field


def test_a_parallel_rebuild_reuses_every_document_and_keeps_the_graph(built, parallel):
    again = build([SEEDS], Settings(out_dir=parallel.out_dir), jobs=2)
    assert (again.documents, again.extracted) == (5, 0)
    assert _dataset(again.out_dir) == _dataset(built)


def test_a_parallel_build_reports_unreadable_files_and_goes_on(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "a.txt").write_text("宁波舟山港加快建设世界一流强港。", encoding="utf-8")
    (inputs / "b.txt").write_bytes(b"")
    (inputs / "c.txt").write_text("甬江实验室争创国家实验室。", encoding="utf-8")
    skipped: list[str] = []
    summary = build(
        [inputs],
        Settings(out_dir=tmp_path / "out"),
        jobs=2,
        on_skip=lambda error: skipped.append(str(error)),
    )
    assert summary.documents == 2
    assert len(skipped) == 1 and "b.txt" in skipped[0]

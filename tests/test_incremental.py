"""A rebuild edits a copy of the previous store and gives the graph of a full build."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import SEEDS
from pyoxigraph import CanonicalizationAlgorithm, Dataset, RdfFormat, parse

from kg import store
from kg.config import Settings
from kg.pipeline import build

pytestmark = pytest.mark.slow


def _dataset(folder: Path) -> Dataset:
    dataset = Dataset(parse(path=folder / "graph.nq", format=RdfFormat.N_QUADS))
    dataset.canonicalize(CanonicalizationAlgorithm.UNSTABLE)
    return dataset


def _store(folder: Path) -> Dataset:
    dataset = Dataset(store.open_store(folder).quads_for_pattern(None, None, None, None))
    dataset.canonicalize(CanonicalizationAlgorithm.UNSTABLE)
    return dataset


@pytest.mark.parametrize("jobs", [1, 2])
def test_changed_removed_and_new_documents_give_the_graph_of_a_full_build(tmp_path, jobs):
    inputs = tmp_path / "in"
    shutil.copytree(SEEDS, inputs)
    out, full = tmp_path / "out", tmp_path / "full"
    build([inputs], Settings(out_dir=out), jobs=jobs)
    changed = next(inputs.glob("003_*.txt"))
    changed.write_text(
        changed.read_text(encoding="utf-8") + "\n通苏嘉甬铁路连接宁波与苏州。\n", encoding="utf-8"
    )
    next(inputs.glob("002_*.txt")).unlink()
    (inputs / "new.txt").write_text("甬江实验室争创国家实验室。\n", encoding="utf-8")
    again = build([inputs], Settings(out_dir=out), jobs=jobs)
    assert (again.documents, again.extracted, again.removed) == (5, 2, 1)
    reference = build([inputs], Settings(out_dir=full), jobs=1)
    assert again.entities == reference.entities and again.relations == reference.relations
    expected = _dataset(full)
    assert _dataset(out) == expected
    assert _store(out) == expected


def test_an_unchanged_rebuild_keeps_graph_nq_line_for_line(tmp_path):
    inputs = tmp_path / "in"
    shutil.copytree(SEEDS, inputs)
    out = tmp_path / "out"
    build([inputs], Settings(out_dir=out))
    before = sorted((out / "graph.nq").read_bytes().splitlines())
    again = build([inputs], Settings(out_dir=out))
    assert again.extracted == 0
    after = sorted((out / "graph.nq").read_bytes().splitlines())
    assert [line for line in after if b"_:" not in line] == [
        line for line in before if b"_:" not in line
    ]
    assert len(after) == len(before)

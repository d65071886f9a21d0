"""A rebuild edits copies of the previous store, index and graph.nq, and gives the
graph, search index and overview of a full build."""

from __future__ import annotations

import errno
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from contextlib import closing
from functools import partial
from pathlib import Path

import pytest
from conftest import SEEDS
from pyoxigraph import CanonicalizationAlgorithm, Dataset, RdfFormat, parse

from kg import analysis, overview, pipeline, search, store
from kg.config import Settings
from kg.overview import OverviewProcess
from kg.pipeline import build
from kg.views import write_view

pytestmark = pytest.mark.slow


def _dataset(folder: Path) -> Dataset:
    dataset = Dataset(parse(path=folder / "graph.nq", format=RdfFormat.N_QUADS))
    dataset.canonicalize(CanonicalizationAlgorithm.UNSTABLE)
    return dataset


def _store(folder: Path) -> Dataset:
    dataset = Dataset(store.open_store(folder).quads_for_pattern(None, None, None, None))
    dataset.canonicalize(CanonicalizationAlgorithm.UNSTABLE)
    return dataset


def _index(folder: Path) -> dict[str, list[tuple[object, ...]]]:
    """Return every row of a search index but the sentences' row numbers, sorted."""
    path = store.published(folder) or folder
    with closing(sqlite3.connect(path / search.INDEX)) as db:
        return {
            table: sorted(db.execute(f"SELECT {columns} FROM {table}").fetchall())
            for table, columns in (
                ("documents", "*"),
                ("sentences", "doc, idx, start, end, text"),
                ("mentions", "*"),
                ("names", "*"),
                ("entity_names", "*"),
                ("nodes", "*"),
                ("links", "*"),
                ("adjacency", "*"),
            )
        }


def _edit(inputs: Path) -> None:
    """Change 003, remove 002 and add a document."""
    changed = next(inputs.glob("003_*.txt"))
    changed.write_text(
        changed.read_text(encoding="utf-8") + "\n通苏嘉甬铁路连接宁波与苏州。\n", encoding="utf-8"
    )
    next(inputs.glob("002_*.txt")).unlink()
    (inputs / "new.txt").write_text("甬江实验室争创国家实验室。\n", encoding="utf-8")


def _built_then_edited(tmp_path: Path, jobs: int = 1) -> tuple[Path, Path]:
    """Build the seeds into ``tmp_path/out``, then ``_edit`` them; return inputs and out."""
    inputs, out = tmp_path / "in", tmp_path / "out"
    shutil.copytree(SEEDS, inputs)
    build([inputs], Settings(out_dir=out), jobs=jobs)
    _edit(inputs)
    return inputs, out


@pytest.mark.parametrize("jobs", [1, 2])
def test_changed_removed_and_new_documents_give_the_graph_of_a_full_build(tmp_path, jobs):
    inputs, out = _built_then_edited(tmp_path, jobs)
    full = tmp_path / "full"
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


def test_a_rebuild_indexes_only_what_changed_and_gives_the_index_of_a_full_build(
    tmp_path, monkeypatch
):
    inputs, out = _built_then_edited(tmp_path)
    added: list[str] = []
    dropped: list[str] = []
    real_add, real_drop = search.IndexWriter.add, search.IndexWriter.drop

    def add(self, doc, mentions, entities):  # type: ignore[no-untyped-def]
        added.append(doc.id)
        real_add(self, doc, mentions, entities)

    def drop(self, doc_id):  # type: ignore[no-untyped-def]
        dropped.append(doc_id)
        real_drop(self, doc_id)

    monkeypatch.setattr(search.IndexWriter, "add", add)
    monkeypatch.setattr(search.IndexWriter, "drop", drop)
    ningbo = search.find_entities(out, "宁波")[0].iri
    before = search.neighbourhood(out, ningbo, 1)  # walked, so this process holds it
    build([inputs], Settings(out_dir=out))
    changed, removed = next(inputs.glob("003_*.txt")).name, next(SEEDS.glob("002_*.txt")).name
    assert sorted(added) == sorted([changed, "new.txt"])
    assert sorted(dropped) == sorted([changed, removed])
    monkeypatch.undo()
    full = tmp_path / "full"
    build([inputs], Settings(out_dir=full))
    assert _index(out) == _index(full)
    walked = search.neighbourhood(out, ningbo, 1)
    assert walked == search.neighbourhood(full, ningbo, 1)
    # the facts only the removed document stated are gone from the walk in this process
    assert set(walked[1]) < set(before[1]) and len(walked[0]) < len(before[0])
    for words in ("宁波", "铁路 苏州", "甬江实验室", "十三五"):
        assert search.find_sentences(out, words) == search.find_sentences(full, words)
        assert search.find_entities(out, words) == search.find_entities(full, words)


def test_graph_nq_index_names_the_graph_of_every_line(tmp_path):
    inputs, out = _built_then_edited(tmp_path)
    build([inputs], Settings(out_dir=out))
    data = (out / "graph.nq").read_bytes()
    ranges = json.loads((store.published(out) / "graph.nq.index").read_text(encoding="utf-8"))
    assert [start for _, start, _ in ranges] == [0] + [end for _, _, end in ranges[:-1]]
    assert ranges[-1][2] == len(data)
    graphs = [graph for graph, _, _ in ranges]
    # five documents; the ontology, entities, network and statistics graphs
    assert len(graphs) == len(set(graphs)) == 5 + 4
    for graph, start, end in ranges:
        lines = data[start:end].splitlines()
        assert lines and all(line.endswith(f" <{graph}> .".encode()) for line in lines)


def test_the_overview_is_drawn_from_memory_as_the_store_holds_it(tmp_path, monkeypatch):
    inputs, out = _built_then_edited(tmp_path)
    full = tmp_path / "full"
    drawn = []
    real = OverviewProcess.draw

    def draw(self, entities, facts, path, title, previous):  # type: ignore[no-untyped-def]
        drawn.append((overview.entity_network(entities, facts), title))
        real(self, entities, facts, path, title, previous)

    monkeypatch.setattr(OverviewProcess, "draw", draw)
    build([inputs], Settings(out_dir=out))
    # the graph as the store holds it, read apart from the index
    stored = analysis.read_entity_graph(partial(store.select, out))
    graph, title = drawn[0]
    assert dict(graph.nodes(data=True)) == dict(stored.nodes(data=True))
    assert sorted(graph.edges(keys=True, data=True)) == sorted(stored.edges(keys=True, data=True))
    assert any(evidence for *_, evidence in stored.edges(data="evidence"))
    # the drawing process draws that graph, as this process would
    write_view(graph, tmp_path / "here.html", title=title)
    assert (out / "graph.html").read_bytes() == (tmp_path / "here.html").read_bytes()
    build([inputs], Settings(out_dir=full))
    assert (out / "graph.html").read_bytes() == (full / "graph.html").read_bytes()


def test_graph_nq_is_copied_without_copy_file_range_too(tmp_path, monkeypatch):
    inputs, out = _built_then_edited(tmp_path)
    full = tmp_path / "full"

    def refused(*_: object) -> int:
        raise OSError(errno.EXDEV, "cross-device link")

    monkeypatch.setattr(os, "copy_file_range", refused)
    build([inputs], Settings(out_dir=out))
    build([inputs], Settings(out_dir=full))
    assert _dataset(out) == _dataset(full)


def test_the_build_fingerprint_covers_every_module_extraction_runs():
    # a change to any of them must extract every document again, not reuse old results
    code = "import sys, kg.extract; print(*sorted(m for m in sys.modules if m.startswith('kg.')))"
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    covered = {f"kg.{name}" for name in pipeline._EXTRACTOR}
    # the readers are hashed as a folder; errors and the settings' defaults decide no graph
    covered |= {"kg.readers", "kg.errors", "kg.config"}
    assert "kg.entities" in loaded
    assert [m for m in loaded if m not in covered and not m.startswith("kg.readers.")] == []

"""``kg build --dask ADDRESS``: documents extracted on a Dask cluster give the same graph.

The cluster is a ``LocalCluster`` of two worker processes on loopback, started once
for the module.
"""

from __future__ import annotations

import random
import shutil
import socket
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SEEDS
from pyoxigraph import CanonicalizationAlgorithm, Dataset, RdfFormat, parse

from kg.cli import cli
from kg.config import Settings
from kg.errors import KgError
from kg.pipeline import build

distributed = pytest.importorskip(
    "distributed",
    reason="dask[distributed] is not installed (pip install 'policy-kg[distributed]')",
)
pytestmark = pytest.mark.slow


def _dataset(folder: Path) -> Dataset:
    """Return the graph.nq of a build, canonical (the ontology has blank nodes)."""
    dataset = Dataset(parse(path=folder / "graph.nq", format=RdfFormat.N_QUADS))
    dataset.canonicalize(CanonicalizationAlgorithm.UNSTABLE)
    return dataset


@pytest.fixture(scope="module")
def scheduler():  # type: ignore[no-untyped-def]
    """Start a cluster of two worker processes on loopback; return its scheduler's address."""
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
        dashboard_address=None,
    ) as cluster:  # fmt: skip
        yield cluster.scheduler_address


@pytest.fixture(scope="module")
def on_dask(scheduler, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    return build([SEEDS], Settings(out_dir=tmp_path_factory.mktemp("dask")), dask=scheduler)


def test_a_dask_build_gives_the_graph_of_one_process(built, built_summary, on_dask):
    assert on_dask.extracted == 5
    one, cluster = _dataset(built), _dataset(on_dask.out_dir)
    assert len(cluster) > 10_000
    assert one == cluster
    for field in ("documents", "sentences", "entities", "relations", "skipped"):
        assert getattr(on_dask, field) == getattr(built_summary, field), field


@pytest.mark.parametrize("seed", [1, 2])
def test_entity_iris_do_not_depend_on_which_document_comes_first(built, scheduler, tmp_path, seed):
    files = sorted(SEEDS.glob("*.txt"))
    random.Random(seed).shuffle(files)
    assert files != sorted(files)
    summary = build(files, Settings(out_dir=tmp_path / "out"), dask=scheduler)
    assert summary.documents == 5
    assert _dataset(summary.out_dir) == _dataset(built)


def test_a_dask_rebuild_reuses_every_document(built, on_dask, scheduler, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(on_dask.out_dir, out, symlinks=True)
    again = build([SEEDS], Settings(out_dir=out), dask=scheduler)
    assert (again.documents, again.extracted) == (5, 0)
    assert _dataset(out) == _dataset(built)


def test_kg_build_dask_names_unreadable_files_as_given(scheduler, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    inputs = Path("in")
    inputs.mkdir()
    (inputs / "a.txt").write_text("宁波舟山港加快建设世界一流强港。", encoding="utf-8")
    (inputs / "b.txt").write_bytes(b"")
    result = CliRunner().invoke(cli, ["build", "in", "--out", "out", "--dask", scheduler])
    assert result.exit_code == 0, result.output
    assert "skipped in/b.txt: " in result.output
    assert "documents  1 (1 extracted)" in result.output


def test_an_unreachable_scheduler_is_one_error(tmp_path):
    from kg.distributed import connect

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(KgError, match=f"cannot reach the Dask scheduler at tcp://127.0.0.1:{port}"):
        connect(f"tcp://127.0.0.1:{port}", timeout=1)

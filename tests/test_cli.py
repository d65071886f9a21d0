"""The ``kg`` command through click's CliRunner: exit codes, output, errors."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys

import pytest
from click.testing import CliRunner
from conftest import SEEDS
from pyoxigraph import RdfFormat, parse

from kg import store
from kg.cli import cli
from kg.errors import QueryError, StoreError

PLATFORMS = "SELECT DISTINCT ?label WHERE { ?e a kgo:Platform ; rdfs:label ?label } ORDER BY ?label"


def kg(*args: str, input: str | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, [str(a) for a in args], input=input)


def test_query_table(built):
    result = kg("query", PLATFORMS, "-g", built)
    assert result.exit_code == 0, result.output
    assert "甬江科创区" in result.stdout and "rows" in result.stdout


def test_query_from_file_and_stdin(built, tmp_path):
    path = tmp_path / "q.rq"
    path.write_text(PLATFORMS, encoding="utf-8")
    from_file = kg("query", "-f", path, "-g", built, "--format", "csv")
    from_stdin = kg("query", "-g", built, "--format", "csv", input=PLATFORMS)
    assert from_file.exit_code == from_stdin.exit_code == 0
    assert from_file.stdout == from_stdin.stdout
    assert from_file.stdout.startswith("label\n") and "甬江科创区\n" in from_file.stdout


def test_query_json(built):
    result = kg("query", "ASK { ?e a kgo:Platform }", "-g", built, "--format", "json")
    assert json.loads(result.stdout) == {"head": {}, "boolean": True}


def test_malformed_query_exits_2_with_the_parser_message(built):
    result = kg("query", "SELECT ?x WHERE { ?x ?y }", "-g", built)
    assert result.exit_code == 2
    assert result.stderr.startswith("error: malformed query: error at 1:")
    assert "Traceback" not in result.output


def test_unknown_prefix_is_named(built):
    result = kg("query", "SELECT * { ?s ex:p ?o }", "-g", built)
    assert result.exit_code == 2
    assert "unknown prefix 'ex:' at 1:15" in result.stderr


@pytest.mark.parametrize("keyword", ["SERVICE", "service", "\\u0053ERVICE"])
def test_a_query_never_reaches_the_network(built, keyword):
    with socket.socket() as reserved:  # a port nobody listens on: a call would fail at once
        reserved.bind(("127.0.0.1", 0))
        port = reserved.getsockname()[1]
        query = f"SELECT * WHERE {{ {keyword} <http://127.0.0.1:{port}/q> {{ ?s ?p ?o }} }}"
        result = kg("query", query, "-g", built)
    assert result.exit_code == 2
    assert result.stderr == "error: SERVICE is refused: kg never sends a query to the network\n"
    with pytest.raises(QueryError, match="SERVICE is refused"):
        store.query(built, "SELECT * { SERVICE SILENT <http://127.0.0.1:9/q> { ?s ?p ?o } }")
    update = kg("query", "PREFIX ex: <http://x/>\nINSERT DATA { ex:a ex:b ex:c }", "-g", built)
    assert update.exit_code == 2
    assert update.stderr == "error: updates are refused: a query only reads the graph\n"
    # the word elsewhere is no keyword: in a string, a variable or an IRI
    innocent = "SELECT ?service WHERE { ?service rdfs:label 'SERVICE' } LIMIT 1"
    assert kg("query", innocent, "-g", built).exit_code == 0


@pytest.mark.parametrize(
    "args",
    [
        ["path", "宁波", "长三角", "--max-hops", "0"],
        ["path", "宁波", "长三角", "--alternatives", "0"],
        ["neighbors", "宁波", "--hops", "0"],
        ["rank", "--limit", "-5"],
        ["communities", "--min-size", "0"],
        ["push", "--to", "http://127.0.0.1:9/store", "--timeout", "-1"],
        ["push", "--to", "http://127.0.0.1:9/store", "--requests", "0"],
        ["serve", "--port", "99999"],
        ["serve", "--timeout", "0"],
        ["serve", "--max-rows", "-1"],
        ["serve", "--workers", "0"],
    ],
    ids=lambda args: " ".join(args[:1] + args[-2:]),
)
def test_a_number_out_of_range_is_refused_before_anything_runs(built, args, monkeypatch):
    def serve_nothing(*_: object) -> None:
        raise AssertionError("the command ran")

    monkeypatch.setattr("kg.server.serve", serve_nothing)  # a server let through never stops
    result = kg(*args, "-g", built)
    assert result.exit_code == 2, result.output
    assert "Invalid value for " in result.stderr and f"'{args[-2]}': " in result.stderr
    assert "Traceback" not in result.output


def test_missing_graph(tmp_path):
    result = kg("query", "ASK {}", "-g", tmp_path / "none")
    assert result.exit_code == 1
    assert result.stderr == f"error: no graph at {tmp_path / 'none'}; run `kg build` first\n"


def test_a_graph_laid_out_by_an_earlier_version_is_refused(built, tmp_path):
    old = tmp_path / "old"
    shutil.copytree(store.published(built), old)
    manifest = old / store.MANIFEST
    header, *records = manifest.read_text(encoding="utf-8").splitlines(keepends=True)
    manifest.write_text(json.dumps({"fingerprint": json.loads(header)["fingerprint"]}) + "\n"
                        + "".join(records), encoding="utf-8")  # fmt: skip
    for command in (["query", "ASK {}"], ["neighbors", "宁波"], ["view", "--focus", "宁波"]):
        result = kg(*command, "-g", old)
        assert result.exit_code == 1, command
        assert result.stderr == (
            f"error: {old}: the graph was built by an earlier version of policy-kg, which"
            " lays it out otherwise; run `kg build` again\n"
        )
    assert kg("query", "ASK {}", "-g", built).exit_code == 0


def test_debug_lets_the_error_through(tmp_path):
    result = kg("--debug", "stats", "-g", tmp_path)
    assert isinstance(result.exception, StoreError)


def test_export_unknown_format_lists_the_choices(built):
    result = kg("export", "--format", "ttl2", "-g", built)
    assert result.exit_code == 1
    assert result.stderr == (
        "error: unknown format 'ttl2'; choose turtle, trig, nquads, jsonld, graphml, gexf\n"
    )


def test_export_turtle_to_a_file(built, tmp_path):
    out = tmp_path / "graph.ttl"
    result = kg("export", "--format", "turtle", "-g", built, "-o", out)
    assert result.exit_code == 0 and result.stdout == ""
    labels = {t.object.value for t in parse(path=out, format=RdfFormat.TURTLE)}
    assert {"甬江科创区", "宁波市"} <= labels


def test_export_gexf_to_stdout(built):
    result = kg("export", "--format", "gexf", "-g", built)
    assert result.exit_code == 0
    assert "<gexf" in result.stdout and "Platform" in result.stdout


def test_stats(built):
    result = kg("stats", "-g", built)
    assert result.exit_code == 0
    for word in ("Region", "Programme", "cooperatesWith", "connects", "004_80836f5e016a9cc6.txt"):
        assert word in result.stdout


def test_validate_the_sample_graph(built):
    result = kg("validate", "-g", built)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("conforms")


def test_validate_without_a_graph(tmp_path):
    result = kg("validate", "-g", tmp_path)
    assert result.exit_code == 1
    assert "run `kg build` first" in result.stderr


def test_build_prints_a_summary_and_skips_bad_files(tmp_path):
    corpus = tmp_path / "in"
    corpus.mkdir()
    shutil.copy(SEEDS / "003_ad4e1f620afa6d52.txt", corpus)
    (corpus / "empty.txt").write_bytes(b"")
    result = kg("build", corpus, "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert "documents  1 (1 extracted)" in result.stdout
    assert "skipped    1" in result.stdout
    assert result.stderr.startswith("skipped ") and "empty.txt" in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert (tmp_path / "out" / "graph.html").is_file()


@pytest.mark.parametrize("strict", [False, True])
def test_build_of_nothing_readable_exits_2_or_strict_1(tmp_path, strict):
    corpus = tmp_path / "in"
    corpus.mkdir()
    (corpus / "empty.txt").write_bytes(b"")
    result = kg("build", corpus, "--out", tmp_path / "out", *(["--strict"] if strict else []))
    assert result.exit_code == (1 if strict else 2)
    assert "error: " in result.stderr and "empty.txt" in result.stderr
    assert not (tmp_path / "out" / "store").exists()


def test_build_of_a_missing_input(tmp_path):
    result = kg("build", tmp_path / "nothing", "--out", tmp_path / "out")
    assert result.exit_code == 1
    assert result.stderr == f"error: {tmp_path / 'nothing'}: no such file or folder\n"


def test_query_starts_without_heavy_imports(built):
    code = (
        "import sys\n"
        "from kg.cli import cli\n"
        "cli(['query', 'ASK {}', '-g', sys.argv[1]], standalone_mode=False)\n"
        "heavy = ('jieba', 'networkx', 'pyvis', 'rdflib', 'pyshacl')\n"
        "print(sorted(name for name in heavy if name in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code, str(built)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["true", "[]"]


def test_view_focus_writes_one_offline_page(built, tmp_path):
    page = tmp_path / "focus.html"
    result = CliRunner().invoke(
        cli, ["view", "-g", str(built), "--focus", "甬江科创区", "-o", str(page)]
    )
    assert result.exit_code == 0, result.output
    assert "甬江科创区" in result.output
    html = page.read_text(encoding="utf-8")
    assert "甬江科创区" in html
    assert "<script src=" not in html and "https://" not in html.split("<body", 1)[0]


def test_view_reports_what_it_drew_in_words(built, tmp_path):
    page = tmp_path / "path.html"
    result = kg("view", "-g", built, "--path", "宁波", "长三角", "-o", page)
    assert result.exit_code == 0, result.output
    assert result.stdout == f"wrote {page}: 宁波 ↔ 长三角 (2 entities, 1 link)\n"


def test_view_of_an_unknown_name_lists_choices(built, tmp_path):
    result = CliRunner().invoke(
        cli, ["view", "-g", str(built), "--focus", "不存在的平台", "-o", str(tmp_path / "x.html")]
    )
    assert result.exit_code != 0
    assert result.output.startswith("error:")
    assert not (tmp_path / "x.html").exists()


def test_publish_writes_a_site(built, tmp_path):
    site = tmp_path / "site"
    result = CliRunner().invoke(cli, ["publish", "-g", str(built), "-o", str(site)])
    assert result.exit_code == 0, result.output
    assert (site / "index.html").is_file()
    assert "programmes" in result.output

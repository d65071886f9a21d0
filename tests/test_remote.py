"""A build pushed to a SPARQL server and read back: OpenLink Virtuoso on loopback.

The session fixture ``virtuoso`` starts ``virtuoso-t`` from Debian's
``virtuoso-opensource`` package on free loopback ports with its database in a
temporary folder, creates a user with a random password, and stops the server at
the end; without the package the tests that need it skip, saying so. A stub
Graph Store on loopback plays the failures a real server shows only under load
(206 partial answers, time-outs) and Basic authentication.
"""

from __future__ import annotations

import base64
import http.server
import os
import re
import secrets
import shutil
import socket
import subprocess
import threading
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar
from urllib.parse import urlencode

import httpx
import pytest
from click.testing import CliRunner
from conftest import SEEDS
from pyoxigraph import RdfFormat, Triple, serialize

from kg import explore, search, store
from kg import query as kg_query
from kg.cli import cli
from kg.errors import StoreError
from kg.rdf import ENTITIES_GRAPH, NETWORK_GRAPH
from kg.remote import RemoteError, _http
from kg.remote.push import manifest_path, push
from kg.server.options import ServerOptions
from kg.server.pages import entity_url
from kg.server.web import create_app
from kg.vocab import RDF

if TYPE_CHECKING:
    from starlette.testclient import TestClient

INI = [Path("/etc/virtuoso-opensource-7/virtuoso.ini")]
INI.append(Path("/usr/share/virtuoso-opensource-7/virtuoso.ini"))
DB_DIR = "/var/lib/virtuoso-opensource-7/db"
MAX_ROWS = 10_000
KG = "https://w3id.org/policy-kg/"
PLATFORM = "甬江科创区"
# Questions whose answers must be the same from the local store and from the server.
QUESTIONS = [
    """SELECT ?type (COUNT(DISTINCT ?e) AS ?n) WHERE {
         VALUES ?type { kgo:Region kgo:Platform kgo:Project kgo:Industry kgo:Programme
                        kgo:Organization }
         ?e a ?type } GROUP BY ?type ORDER BY ?type""",
    """SELECT ?rel (COUNT(*) AS ?n) WHERE { { SELECT DISTINCT ?h ?rel ?t WHERE {
         VALUES ?rel { kgo:locatedIn kgo:partOf kgo:supports kgo:focusesOn
                       kgo:cooperatesWith kgo:connects } ?h ?rel ?t } } }
       GROUP BY ?rel ORDER BY ?rel""",
    f"""SELECT ?document (COUNT(*) AS ?mentions) WHERE {{
         ?e rdfs:label "{PLATFORM}"@zh . ?m kgo:mentionOf ?e ;
         kgo:inDocument/kgo:sourcePath ?document }} GROUP BY ?document ORDER BY ?document""",
    f"""SELECT DISTINCT ?rel ?other ?text WHERE {{
         ?e rdfs:label "{PLATFORM}"@zh .
         {{ ?r rdf:subject ?e ; rdf:object ?o }} UNION {{ ?r rdf:object ?e ; rdf:subject ?o }}
         ?r rdf:predicate ?rel ; prov:wasDerivedFrom/kgo:text ?text . ?o rdfs:label ?other
       }} ORDER BY ?rel ?other ?text""",
    """SELECT ?alias WHERE { ?e a kgo:Region ; rdfs:label "宁波"@zh ; skos:altLabel ?alias }
       ORDER BY ?alias""",
]
OUR_QUADS = f"""SELECT (COUNT(*) AS ?n) WHERE {{
    GRAPH ?g {{ ?s ?p ?o }} FILTER (STRSTARTS(STR(?g), "{KG}")) }}"""


@dataclass(frozen=True)
class Server:
    """A running Virtuoso: its SPARQL and Graph Store endpoints and a user."""

    sparql: str
    store: str
    user: str
    password: str


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _ini(text: str, folder: Path, sql_port: int, http_port: int) -> str:
    """Return a virtuoso.ini with the database in ``folder``, listening on loopback."""
    lines, section = [], ""
    for line in text.replace(DB_DIR, str(folder)).splitlines():
        if match := re.match(r"\s*\[(.+)\]", line):
            section = match[1]
        if re.match(r"\s*ServerPort\s*=", line) and section in ("Parameters", "HTTPServer"):
            port = sql_port if section == "Parameters" else http_port
            line = f"ServerPort = 127.0.0.1:{port}"
        if re.match(r"\s*ResultSetMaxRows\s*=", line):
            line = f"ResultSetMaxRows = {MAX_ROWS}"  # the tests pass it on purpose
        lines.append(line)
    return "\n".join(lines) + "\n"


def _ready(url: str, process: subprocess.Popen[bytes], log: Path, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"virtuoso-t stopped at start-up:\n{log.read_text(errors='replace')}")
        try:
            if httpx.get(url, params={"query": "ASK {}"}, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    pytest.fail(f"virtuoso-t not ready after {seconds:g} s:\n{log.read_text(errors='replace')}")


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """Start Virtuoso on free loopback ports for the session; stop it at the end."""
    exe, isql = shutil.which("virtuoso-t"), shutil.which("isql-vt")
    if not exe or not isql:
        pytest.skip("virtuoso-t is not installed (apt-get install virtuoso-opensource)")
    ini = next((path for path in INI if path.is_file()), None)
    if ini is None:
        pytest.skip("virtuoso.ini is missing (apt-get install virtuoso-opensource)")
    folder = tmp_path_factory.mktemp("virtuoso")
    sql_port, http_port = _free_port(), _free_port()
    config = folder / "virtuoso.ini"
    config.write_text(_ini(ini.read_text(), folder, sql_port, http_port))
    log = folder / "console.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [exe, "-f", "-c", str(config)], cwd=folder, stdout=out, stderr=out
        )
    try:
        base = f"http://127.0.0.1:{http_port}"
        _ready(f"{base}/sparql", process, log, seconds=60)
        user, password = "kgpush", "pw-" + secrets.token_hex(12)
        setup = folder / "setup.sql"
        setup.write_text(
            f"DB.DBA.USER_CREATE ('{user}', '{password}');\nGRANT SPARQL_UPDATE TO \"{user}\";\n"
        )
        done = subprocess.run(
            [isql, f"127.0.0.1:{sql_port}", "dba", "dba", str(setup)],
            capture_output=True, text=True, timeout=30, check=False,
        )  # fmt: skip
        assert done.returncode == 0 and "Error" not in done.stdout + done.stderr, done
        yield Server(f"{base}/sparql", f"{base}/sparql-graph-crud-auth", user, password)
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def server(virtuoso: Server, monkeypatch: pytest.MonkeyPatch) -> Server:
    """The session's Virtuoso emptied of policy-kg graphs, credentials in the environment."""
    monkeypatch.setenv("KG_STORE_USER", virtuoso.user)
    monkeypatch.setenv("KG_STORE_PASSWORD", virtuoso.password)
    listed = (
        f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER STRSTARTS(STR(?g), '{KG}') }}"
    )
    with _http.Connection(virtuoso.store) as conn:
        for graph in _column(kg_query.run(virtuoso.sparql, listed, fmt="csv")):
            assert conn.request("DELETE", virtuoso.store, params={"graph": graph}).problem is None
    return virtuoso


@pytest.fixture
def copy(built: Path, tmp_path: Path) -> Path:
    """A copy of the sample corpus's build, which a push may write its manifest into."""
    out = tmp_path / "out"
    shutil.copytree(built, out, symlinks=True)
    return out


def _column(csv: str) -> list[str]:
    return csv.splitlines()[1:]


def _graphs(folder: Path) -> int:
    """Count the named graphs of a build (documents, ontology, labels, statistics…)."""
    listed = "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    return int(_column(kg_query.run(folder, listed, fmt="csv"))[0])


def _kg(*args: object, env: dict[str, str] | None = None) -> object:
    return CliRunner().invoke(cli, [str(a) for a in args], env=env)


# --- against Virtuoso -------------------------------------------------------------------


def test_the_server_answers_as_the_local_store(server, copy):
    report = push(copy, server.store)
    assert not report.failed and len(report.pushed) == _graphs(copy) > 5
    for question in QUESTIONS:
        local = kg_query.run(copy, question, fmt="csv")
        assert len(local.splitlines()) > 1, question
        assert kg_query.run(server.sparql, question, fmt="csv") == local
    assert kg_query.run(server.sparql, OUR_QUADS, fmt="csv") == kg_query.run(
        copy, OUR_QUADS, fmt="csv"
    )


def test_kg_query_reads_a_server_like_a_folder(server, copy):
    push(copy, server.store)
    ask = f'ASK {{ ?e a kgo:Platform ; rdfs:label "{PLATFORM}"@zh }}'
    result = _kg("query", "-g", server.sparql, ask)
    assert (result.exit_code, result.output) == (0, "true\n")
    table = _kg("query", "-g", server.sparql, QUESTIONS[2])
    assert table.exit_code == 0
    assert table.output == _kg("query", "-g", copy, QUESTIONS[2]).output
    construct = f'CONSTRUCT {{ ?e rdfs:label ?l }} WHERE {{ ?e rdfs:label "{PLATFORM}"@zh, ?l }}'
    turtle = _kg("query", "-g", server.sparql, "--format", "ntriples", construct)
    assert f'"{PLATFORM}"@zh .' in turtle.output
    bad = _kg("query", "-g", server.sparql, "SELECT ?x WHERE ?x a kgo:Region }")
    assert bad.exit_code == 2 and "the server refused the query" in bad.output


def test_entities_pushed_in_an_earlier_layout_are_refused(server, copy):
    push(copy, server.store)
    source = explore.RemoteSource(server.sparql)
    source.check()
    untyped = [
        Triple(q.subject, q.predicate, q.object)
        for q in store.graph_quads(copy, ENTITIES_GRAPH)
        if q.predicate != RDF.type
    ]
    assert untyped
    with _http.Connection(server.store) as conn:
        answer = conn.request(
            "PUT",
            server.store,
            params={"graph": ENTITIES_GRAPH.value},
            content=serialize(untyped, format=RdfFormat.N_TRIPLES),
            headers={"Content-Type": "text/turtle; charset=utf-8"},
        )
    assert answer.problem is None
    with pytest.raises(StoreError, match="pushed by an earlier version of policy-kg"):
        source.check()


def test_a_graph_pushed_without_its_network_is_refused(server, copy):
    push(copy, server.store)
    source = explore.RemoteSource(server.sparql)
    source.check()
    with _http.Connection(server.store) as conn:
        answer = conn.request("DELETE", server.store, params={"graph": NETWORK_GRAPH.value})
    assert answer.problem is None
    with pytest.raises(StoreError, match="pushed by an earlier version of policy-kg"):
        source.check()


def test_a_result_the_server_cut_short_is_an_error(server, copy):
    push(copy, server.store)
    everything = f"SELECT * WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER STRSTARTS(STR(?g), '{KG}') }}"
    assert int(_column(kg_query.run(copy, OUR_QUADS, fmt="csv"))[0]) > MAX_ROWS
    with pytest.raises(RemoteError, match=f"the server cut the results at its limit of {MAX_ROWS}"):
        kg_query.run(server.sparql, everything)


def test_pushing_again_sends_nothing_and_a_forced_push_duplicates_nothing(server, copy):
    first = push(copy, server.store)
    again = push(copy, server.store)
    assert (len(again.pushed), again.unchanged, again.failed) == (0, len(first.pushed), ())
    forced = push(copy, server.store, force=True)
    assert len(forced.pushed) == len(first.pushed)
    count = kg_query.run(copy, OUR_QUADS, fmt="csv")
    assert int(_column(count)[0]) > 10_000
    assert kg_query.run(server.sparql, OUR_QUADS, fmt="csv") == count


def test_a_failed_document_is_reported_and_pushed_on_the_next_run(server, copy, monkeypatch):
    victim = f"{KG}id/doc/003_ad4e1f620afa6d52.txt"
    request = _http.Connection.request

    def flaky(self, method, url, **kwargs):
        if method == "PUT" and kwargs["params"]["graph"] == victim:
            return _http.Answer(0, "", b"", "timed out after 60 s")
        return request(self, method, url, **kwargs)

    monkeypatch.setattr(_http.Connection, "request", flaky)
    result = _kg("push", "-g", copy, "--to", server.store)
    assert result.exit_code == 1
    assert f"failed     {victim}: timed out after 60 s" in result.output
    assert "error: 1 graph not pushed; push again to retry" in result.output
    has_victim = f"ASK {{ GRAPH <{victim}> {{ ?s ?p ?o }} }}"
    assert kg_query.run(server.sparql, has_victim) == "false\n"
    monkeypatch.setattr(_http.Connection, "request", request)
    retry = push(copy, server.store)
    assert (retry.pushed, retry.unchanged, retry.failed) == ((victim,), _graphs(copy) - 1, ())
    assert kg_query.run(server.sparql, has_victim) == "true\n"


def test_a_removed_document_leaves_the_server_too(server, tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    for path in sorted(SEEDS.glob("00[34]_*.txt")):
        shutil.copy(path, inputs / path.name)
    out = tmp_path / "out"
    built = _kg("build", inputs, "--out", out, "--store", server.store)
    assert built.exit_code == 0, built.output
    documents = "SELECT ?path WHERE { ?d a kgo:Document ; kgo:sourcePath ?path } ORDER BY ?path"
    assert len(_column(kg_query.run(server.sparql, documents, fmt="csv"))) == 2
    next(inputs.glob("003_*")).unlink()
    rebuilt = _kg("build", inputs, "--out", out, "--store", server.store)
    assert rebuilt.exit_code == 0 and "deleted    1" in rebuilt.output
    assert _column(kg_query.run(server.sparql, documents, fmt="csv")) == [
        "004_80836f5e016a9cc6.txt"
    ]


def test_digest_credentials_never_show(server, copy, monkeypatch, caplog, tmp_path):
    caplog.set_level("DEBUG")
    monkeypatch.setenv("KG_STORE_PASSWORD", "wrong-" + server.password)
    refused = _kg("push", "-g", copy, "--to", server.store)
    assert refused.exit_code == 1 and "refused the credentials (401)" in refused.output
    monkeypatch.delenv("KG_STORE_USER")
    monkeypatch.delenv("KG_STORE_PASSWORD")
    netrc = tmp_path / "netrc"
    netrc.write_text(f"machine 127.0.0.1 login {server.user} password {server.password}\n")
    monkeypatch.setenv("NETRC", str(netrc))
    done = _kg("push", "-g", copy, "--to", server.store, "--all")
    assert done.exit_code == 0 and f"{_graphs(copy)} pushed" in done.output
    written = manifest_path(copy, server.store).read_text()
    for text in (refused.output, done.output, caplog.text, written):
        assert server.password not in text and server.user not in text


# --- against a stub Graph Store ---------------------------------------------------------


class _Stub(http.server.BaseHTTPRequestHandler):
    """A Graph Store that answers 206 or stalls for the graphs it is told to."""

    partial: ClassVar[set[str]] = set()
    stall: ClassVar[set[str]] = set()
    basic: ClassVar[str | None] = None
    graphs: ClassVar[dict[str, bytes]] = {}

    def do_PUT(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        graph = self.path.split("graph=", 1)[1]
        wanted = "Basic " + base64.b64encode((self.basic or "").encode()).decode()
        if self.basic and self.headers.get("Authorization") != wanted:
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="stub"')
        elif any(name in graph for name in self.stall):
            time.sleep(1.5)
            self.send_response(201)
        else:
            self.graphs[graph] = body
            partial = any(name in graph for name in self.partial)
            self.send_response(206 if partial else 201)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def stub() -> Iterator[str]:
    """Serve a stub Graph Store on loopback; return its URL."""
    _Stub.partial, _Stub.stall, _Stub.basic, _Stub.graphs = set(), set(), None, {}
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Stub)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/store"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def no_credentials(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("KG_STORE_USER", "KG_STORE_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NETRC", str(tmp_path / "no-netrc"))


def test_partial_answers_and_time_outs_fail_their_graph_only(stub, copy, no_credentials):
    _Stub.partial, _Stub.stall = {"001_"}, {"002_"}
    report = push(copy, stub, timeout=0.5, workers=3)
    problems = {f.graph.rsplit("/", 1)[1]: f.problem for f in report.failed}
    assert problems == {
        "001_c5556d77601bb796.txt": "partial answer (206 Partial Content)",
        "002_5f5b069e0a375b5a.txt": "timed out after 0.5 s",
    }
    assert len(report.pushed) == _graphs(copy) - 2
    _Stub.partial, _Stub.stall = set(), set()
    again = push(copy, stub, timeout=0.5)
    assert sorted(g.rsplit("/", 1)[1] for g in again.pushed) == sorted(problems)
    assert (again.unchanged, again.failed) == (_graphs(copy) - 2, ())


def test_basic_authentication_from_the_environment(stub, copy, monkeypatch, no_credentials):
    _Stub.basic = "analyst:" + "s3cr3t-" + secrets.token_hex(4)
    user, password = _Stub.basic.split(":")
    asked = _kg("push", "-g", copy, "--to", stub)
    assert asked.exit_code == 1
    assert "asks for credentials (401): set KG_STORE_USER and KG_STORE_PASSWORD" in asked.output
    monkeypatch.setenv("KG_STORE_USER", user)
    monkeypatch.setenv("KG_STORE_PASSWORD", password)
    done = _kg("push", "-g", copy, "--to", stub)
    assert done.exit_code == 0 and password not in done.output
    assert f"{_graphs(copy)} pushed" in done.output and len(_Stub.graphs) == _graphs(copy)


def test_credentials_in_the_url_are_refused_unprinted(copy, no_credentials):
    result = _kg("push", "-g", copy, "--to", "http://me:hunter2@127.0.0.1:9/store")
    assert result.exit_code == 1
    assert "do not put credentials in the URL" in result.output
    assert "hunter2" not in result.output


def test_an_unreachable_server_is_one_line(no_credentials):
    port = _free_port()
    result = _kg("query", "-g", f"http://127.0.0.1:{port}/sparql", "ASK {}")
    assert result.exit_code == 1
    assert result.output.startswith(f"error: http://127.0.0.1:{port}/sparql: ConnectError")
    with pytest.raises(RemoteError):
        kg_query.run(f"http://127.0.0.1:{port}/sparql", "ASK {}")
    assert os.environ.get("KG_STORE_PASSWORD") is None


# --- kg serve -g URL: the explorer reading the server -----------------------------------

SERVE = ServerOptions(port=8000, timeout=20)


@contextmanager
def _explorer(graph: Path | str, options: ServerOptions = SERVE) -> Iterator[TestClient]:
    """Run the explorer of ``graph`` in process (``kg serve -g``, without the socket)."""
    with warnings.catch_warnings():  # Starlette's client imports an alias anyio deprecates
        warnings.simplefilter("ignore", DeprecationWarning)
        from starlette.testclient import TestClient
    app = create_app(graph, options)
    with TestClient(app, base_url=f"http://127.0.0.1:{options.port}") as client:
        yield client


@pytest.fixture
def explorers(server: Server, copy: Path) -> Iterator[tuple[TestClient, TestClient]]:
    """The explorer of the sample build, and the explorer of the server it was pushed to."""
    push(copy, server.store)
    with _explorer(copy) as local, _explorer(server.sparql) as remote:
        yield local, remote


def _links(page: str, prefix: str) -> set[str]:
    return set(re.findall(rf'href="({re.escape(prefix)}[^"#]*)', page))


def test_kg_serve_forwards_checked_queries_to_the_server(explorers):
    local, remote = explorers
    for question in QUESTIONS:
        asked = {"query": question, "format": "csv"}
        answer = remote.post("/sparql", data=asked)
        assert answer.status_code == 200, answer.text
        assert answer.text == local.post("/sparql", data=asked).text
        assert len(answer.text.splitlines()) > 1
    ask = remote.get("/sparql", params={"query": f'ASK {{ ?e rdfs:label "{PLATFORM}"@zh }}'})
    assert ask.json() == {"head": {}, "boolean": True}
    page = {"query": QUESTIONS[0]}
    assert remote.get("/query", params=page).text == local.get("/query", params=page).text
    bad = remote.post("/sparql", data={"query": "SELECT ?x WHERE ?x a kgo:Region }"})
    assert bad.status_code == 400 and "the server refused the query" in bad.text


def test_kg_serve_of_a_server_refuses_updates_and_service(explorers, server, copy):
    _, remote = explorers
    update = "DELETE WHERE { GRAPH ?g { ?s ?p ?o } }"
    for asked in (
        {"update": update},
        {"query": update},
        {"query": "DROP ALL"},
        {"query": f"SELECT * WHERE {{ SERVICE <{server.sparql}> {{ ?s ?p ?o }} }}"},
        {"query": f"LOAD <{server.sparql}>"},
    ):
        refused = remote.post("/sparql", data=asked)
        assert refused.status_code == 403, asked
        assert "refused" in refused.text
    body = remote.post(
        "/sparql", content=update, headers={"Content-Type": "application/sparql-update"}
    )
    assert body.status_code == 403
    shown = remote.get("/query", params={"query": update}).text
    assert "updates are refused: this endpoint is read-only" in shown
    assert kg_query.run(server.sparql, OUR_QUADS, fmt="csv") == kg_query.run(
        copy, OUR_QUADS, fmt="csv"
    )


def test_the_pages_of_a_server_show_what_the_local_explorer_shows(explorers, server, copy):
    local, remote = explorers
    for path in (
        "/",
        f"/entity/Platform/{PLATFORM}",
        f"/view/entity/Platform/{PLATFORM}",  # its neighbourhood and evidence, read apart
        "/view/entity/Region/宁波",
        "/path?" + urlencode({"from": "宁波", "to": PLATFORM}),
    ):
        page = remote.get(path)
        assert page.status_code == 200, path
        assert page.text == local.get(path).text, path
    frame = remote.get(f"/view/entity/Platform/{PLATFORM}").text
    degree = explore.entity_card(copy, PLATFORM).degree
    assert degree >= 3  # every fact of the platform is an edge of its view, with evidence
    assert frame.count('"from":') >= degree and frame.count("evidence:") >= degree
    # A bounded card picks among facts and documents of equal standing in each engine's
    # own order: the shown parts may differ on ties, the counts and the whole card not.
    source = explore.RemoteSource(server.sparql)
    bounded, shown = explore.entity_card(source, "寧波"), explore.entity_card(copy, "宁波")
    assert [(g.relation, g.direction, g.total) for g in bounded.groups] == [
        (g.relation, g.direction, g.total) for g in shown.groups
    ]
    assert (bounded.degree, bounded.document_total, bounded.mention_total) == (
        shown.degree, shown.document_total, shown.mention_total,
    )  # fmt: skip
    assert remote.get("/entity/Region/宁波").status_code == 200
    everything = {"facts": None, "evidence": None, "documents": None}
    card = explore.entity_card(source, "寧波", **everything)
    assert card == explore.entity_card(copy, "宁波", **everything) and card.complete
    assert remote.get("/entity/Region/no-such-place").status_code == 404


def test_a_server_is_searched_in_sparql(explorers, server, copy):
    local, remote = explorers
    page = remote.get("/search", params={"q": "甬江科創"}).text  # traditional 創
    assert 'id="remote-note"' in page
    assert f'href="{entity_url(KG + "id/Platform/" + PLATFORM)}"' in page
    assert page.count("<mark>甬江科创</mark>") >= 5
    hits = _links(page, "/doc/")
    assert hits and hits <= _links(local.get("/search", params={"q": "甬江科创"}).text, "/doc/")
    source = explore.RemoteSource(server.sparql)
    for name in ("宁波", "科创", "G60"):
        assert source.find_entities(name) == search.find_entities(copy, name), name
    doc = next(iter(hits)).removeprefix("/doc/")
    shown, whole = remote.get(f"/doc/{doc}").text, local.get(f"/doc/{doc}").text
    assert 'id="remote-note"' in shown and "…" in shown
    assert _links(shown, "/entity/") == _links(whole, "/entity/") != set()
    assert remote.get("/doc/no-such.txt").status_code == 404


def test_a_server_that_does_not_answer_in_time_is_an_error(no_credentials):
    with socket.socket() as silent:  # accepts connections (the backlog), never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/sparql"
        with _explorer(url, ServerOptions(port=8000, timeout=1)) as explorer:
            started = time.monotonic()
            answer = explorer.post("/sparql", data={"query": "ASK {}"})
            assert time.monotonic() - started < 5
            assert answer.status_code in (502, 503)
            assert "timed out after 1 s" in answer.text or "cut off after 1 s" in answer.text
            page = explorer.get("/query", params={"query": "ASK {}"})
            assert page.status_code == 200 and "after 1 s" in page.text

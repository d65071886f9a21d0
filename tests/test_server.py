"""The SPARQL endpoint and the pages of ``kg serve``, against a real server on 127.0.0.1.

The server runs as ``python -m kg serve`` in a process of its own on a free port, over
the session build of the sample corpus, with a 2-second timeout so that runaway
queries are cut off quickly.
"""

from __future__ import annotations

import asyncio
import gc
import html
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from urllib.error import HTTPError

import httpx
import pytest
from click.testing import CliRunner
from SPARQLWrapper import CSV, JSON, POST, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from kg.cli import cli
from kg.guard import Limits, QueryRefused, check_query
from kg.server.pool import Pool
from kg.server.results import RESULT_FORMATS, Job, choose

pytestmark = pytest.mark.slow

TIMEOUT = 2
MAX_ROWS = 500
#: a query that runs for ever (a three-way cross product of every triple)
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
LIGHT = "ASK { ?s ?p ?o }"
RAILWAY = "https://w3id.org/policy-kg/id/Project/通苏嘉甬铁路"


class Server:
    """A ``kg serve`` process and its base URL."""

    def __init__(self, folder: Path, *extra: str) -> None:
        args = [sys.executable, "-m", "kg", "serve", "-g", str(folder), "--port", "0"]
        args += ["--timeout", str(TIMEOUT), "--max-rows", str(MAX_ROWS), *extra]
        self.log = tempfile.TemporaryFile("w+")  # noqa: SIM115 (a full pipe would block the server)
        self.process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=self.log, text=True)
        line = self.process.stdout.readline() if self.process.stdout else ""
        found = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        if not found:
            self.stop()
            self.log.seek(0)
            raise RuntimeError(f"kg serve did not start: {line}{self.log.read()}")
        self.port = int(found[1])
        self.url = f"http://127.0.0.1:{self.port}"
        self.endpoint = self.url + "/sparql"

    def get(self, path: str, **kwargs: object) -> httpx.Response:
        return httpx.get(self.url + path, timeout=30, **kwargs)  # type: ignore[arg-type]

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        if self.process.stdout:
            self.process.stdout.close()
        self.log.close()


def start_server(folder: Path, *extra: str) -> Iterator[Server]:
    server = Server(folder, *extra)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def server(built: Path) -> Iterator[Server]:
    yield from start_server(built)


def wrapper(server: Server, query: str, fmt: str = JSON) -> SPARQLWrapper:
    client = SPARQLWrapper(server.endpoint)
    client.setQuery(query)
    client.setReturnFormat(fmt)
    return client


def raw_get(server: Server, path: str, host: str | None = None) -> tuple[int, bytes]:
    """Send a GET with the path exactly as given (clients would normalise ``..``)."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as conn:
        host = host or f"127.0.0.1:{server.port}"
        head = f"GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
        conn.sendall(head.encode())
        data = b""
        while chunk := conn.recv(65536):
            data += chunk
    status = int(data.split(b" ", 2)[1])
    return status, data.partition(b"\r\n\r\n")[2]


# -- the guard, without a server ---------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "status", "message"),
    [
        pytest.param("INSERT DATA { <a:b> <a:c> <a:d> }", 403, "read-only", id="insert"),
        pytest.param("PREFIX x: <a:> DELETE WHERE { ?s ?p ?o }", 403, "read-only", id="delete"),
        pytest.param("LOAD <http://example.org/x>", 403, "read-only", id="load"),
        pytest.param("SELECT * { SERVICE <http://x/> { ?s ?p ?o } }", 403, "SERVICE", id="service"),
        pytest.param("SELECT * { \\u0053ERVICE <http://x/> { } }", 403, "SERVICE", id="escaped"),
        pytest.param("SELECT * FROM <file:///etc/passwd> { }", None, "", id="from-file"),
        pytest.param("SELECT * FROM NAMED <rel> { }", 400, "absolute", id="from-relative"),
        pytest.param("SELECT * { " + "{" * 65 + "}" * 65 + " }", 400, "nested", id="deep-braces"),
        pytest.param(
            "SELECT * { FILTER(" + "(" * 70 + "1" + ")" * 70 + ") }",
            400,
            "nested",
            id="deep-parens",
        ),
        pytest.param("SELECT * { ?s ?p '" + "x" * 20_000 + "' }", 400, "too long", id="long"),
    ],
)
def test_guard_refuses_before_parsing(query: str, status: int | None, message: str) -> None:
    if status is None:  # refused by the worker, which knows the store's graphs
        assert check_query(query) == ("file:///etc/passwd",)
        return
    with pytest.raises(QueryRefused) as refused:
        check_query(query)
    assert refused.value.status == status and message in str(refused.value)


@pytest.mark.parametrize(
    "query",
    [
        pytest.param("SELECT ?service ?load WHERE { ?service <a:insert> ?load }", id="variables"),
        pytest.param("SELECT * { ?s ?p 'SERVICE { LOAD' } # SERVICE {{{{", id="string-comment"),
        pytest.param("SELECT * { ?s ?p '" + "}" * 100 + "' }", id="closers-in-string"),
        pytest.param("PREFIX ex: <http://x/> SELECT * { ?s ex:service ?o }", id="prefixed-name"),
        pytest.param("SELECT * { " + "{" * 60 + "}" * 60 + " }", id="nested-60"),
    ],
)
def test_guard_passes_ordinary_queries(query: str) -> None:
    assert check_query(query) == ()


def test_guard_sees_brackets_hidden_behind_strings() -> None:
    # a closer inside a string does not lower the depth
    nested = "SELECT * " + "{ '}' " * 70 + "}" * 70
    with pytest.raises(QueryRefused):
        check_query(nested)
    declared = "PREFIX g: <https://w3id.org/policy-kg/id/graph/> SELECT * FROM g:entities { }"
    assert check_query(declared) == ("https://w3id.org/policy-kg/id/graph/entities",)
    assert check_query("x", Limits(max_length=10)) == ()


def test_results_format_follows_format_then_accept() -> None:
    assert choose("text/csv", None, RESULT_FORMATS) == "csv"
    assert (
        choose("application/json;q=0.2, text/tab-separated-values", None, RESULT_FORMATS) == "tsv"
    )
    assert choose("image/png", None, RESULT_FORMATS) == "json"
    assert choose("*/*", "yaml", RESULT_FORMATS) is None


def test_a_crashing_query_costs_one_worker(built: Path) -> None:
    """A query deep enough to crash the engine, let past the guard, kills only its worker."""
    crash = "SELECT * WHERE " + "{" * 20_000 + "}" * 20_000

    async def scenario() -> list[int]:
        pool = Pool(built, size=2, timeout=20)
        pool.start()
        try:
            crashed = await pool.run(Job(crash))
            after = await pool.run(Job(LIGHT))
            return [crashed.status, after.status]
        finally:
            pool.close()

    assert asyncio.run(scenario()) == [500, 200]


# -- the endpoint ------------------------------------------------------------------------


def test_select_json(server: Server) -> None:
    query = f"SELECT ?region WHERE {{ <{RAILWAY}> kgo:connects ?region }} ORDER BY ?region"
    data = wrapper(server, query).queryAndConvert()
    regions = [b["region"]["value"].rsplit("/", 1)[-1] for b in data["results"]["bindings"]]
    assert {"宁波", "嘉兴", "南通", "苏州"} <= set(regions)
    assert data["head"]["vars"] == ["region"]


def test_select_csv_tsv_and_xml(server: Server) -> None:
    query = 'SELECT ?label WHERE { ?e rdfs:label ?label FILTER(?label = "宁波"@zh) }'
    text = wrapper(server, query, CSV).queryAndConvert().decode()
    assert text == "label\r\n宁波\r\n"
    tsv = httpx.get(
        server.endpoint, params={"query": query}, headers={"Accept": "text/tab-separated-values"}
    )
    assert tsv.text == '?label\n"宁波"@zh\n'
    xml = wrapper(server, query, XML).queryAndConvert()
    literal = xml.getElementsByTagName("literal")[0]
    assert literal.firstChild.data == "宁波" and literal.getAttribute("xml:lang") == "zh"


def test_ask_and_post_forms(server: Server) -> None:
    assert wrapper(server, f"ASK {{ <{RAILWAY}> ?p ?o }}").queryAndConvert()["boolean"] is True
    client = wrapper(server, "ASK { <https://w3id.org/policy-kg/id/Region/Atlantis> ?p ?o }")
    client.setMethod(POST)
    assert client.queryAndConvert()["boolean"] is False
    direct = httpx.post(
        server.endpoint,
        content=LIGHT.encode(),
        headers={"Content-Type": "application/sparql-query"},
    )
    assert direct.status_code == 200 and direct.json()["boolean"] is True


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
def test_construct_as_rdfxml_and_turtle(server: Server) -> None:
    query = f"CONSTRUCT {{ <{RAILWAY}> kgo:connects ?r }} WHERE {{ <{RAILWAY}> kgo:connects ?r }}"
    graph = wrapper(server, query, XML).queryAndConvert()
    assert len(graph) >= 4
    turtle = wrapper(server, query, TURTLE).queryAndConvert().decode()
    assert ("@prefix kgo:" in turtle and "kgr:Region/" not in turtle) or "宁波" in turtle


def test_update_is_refused(server: Server) -> None:
    client = SPARQLWrapper(server.endpoint, updateEndpoint=server.endpoint)
    client.setQuery("INSERT DATA { <http://a.example/s> <http://a.example/p> 1 }")
    client.setMethod(POST)
    with pytest.raises(HTTPError) as refused:
        client.query()
    assert refused.value.code == 403
    refused.value.close()
    as_query = httpx.get(server.endpoint, params={"query": "DROP ALL"})
    assert as_query.status_code == 403 and "read-only" in as_query.text
    as_body = httpx.post(
        server.endpoint, content=b"CLEAR ALL", headers={"Content-Type": "application/sparql-update"}
    )
    assert as_body.status_code == 403
    written = wrapper(server, "ASK { <http://a.example/s> ?p ?o }").queryAndConvert()
    assert written["boolean"] is False


def test_malformed_query_gets_400_with_the_parser_message(server: Server) -> None:
    with pytest.raises(QueryBadFormed) as bad:
        wrapper(server, "SELECT ?x WHERE { ?x ").query()
    assert "malformed query" in str(bad.value) and "error at 1:" in str(bad.value)
    with warnings.catch_warnings():  # SPARQLWrapper leaves the failed response open
        warnings.simplefilter("ignore", ResourceWarning)
        gc.collect()
    prefix = httpx.get(server.endpoint, params={"query": "SELECT * { ?s foo:bar ?o }"})
    assert prefix.status_code == 400 and "unknown prefix 'foo:'" in prefix.text


def test_service_never_reaches_the_network(server: Server) -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    listener.settimeout(0.5)
    port = listener.getsockname()[1]
    query = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}"
    answer = httpx.get(server.endpoint, params={"query": query})
    assert answer.status_code == 403 and "SERVICE is refused" in answer.text
    with pytest.raises(TimeoutError):
        listener.accept()  # nobody called
    listener.close()
    files = httpx.get(
        server.endpoint, params={"query": "SELECT * FROM <file:///etc/passwd> { ?s ?p ?o }"}
    )
    assert files.status_code == 400 and "no such graph" in files.text


def test_from_a_graph_of_the_store(server: Server) -> None:
    query = (
        "SELECT (COUNT(*) AS ?n) FROM <https://w3id.org/policy-kg/id/graph/entities> { ?s ?p ?o }"
    )
    data = httpx.get(server.endpoint, params={"query": query}).json()
    assert int(data["results"]["bindings"][0]["n"]["value"]) > 0


def test_long_results_are_cut_and_say_so(server: Server) -> None:
    answer = httpx.get(server.endpoint, params={"query": "SELECT * { ?s ?p ?o }"})
    assert answer.headers["KG-Truncated"] == "true" and answer.headers["KG-Row-Limit"] == str(
        MAX_ROWS
    )
    data = answer.json()
    assert (
        len(data["results"]["bindings"]) == MAX_ROWS and "cut at 500 rows" in data["kg:truncated"]
    )
    turtle = httpx.get(server.endpoint, params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"})
    assert turtle.text.startswith("# result cut at 500 rows")
    short = httpx.get(server.endpoint, params={"query": LIGHT})
    assert "KG-Truncated" not in short.headers


def test_over_deep_query_is_refused_and_the_server_lives(server: Server) -> None:
    deep = "SELECT * WHERE " + "{" * 5000 + "?s ?p ?o" + "}" * 5000
    answer = httpx.post(server.endpoint, data={"query": deep})
    assert answer.status_code == 400 and "nested too deeply" in answer.text
    assert httpx.get(server.endpoint, params={"query": LIGHT}).status_code == 200


def test_timeout_then_recovery(server: Server) -> None:
    started = time.monotonic()
    answer = httpx.get(server.endpoint, params={"query": RUNAWAY}, timeout=30)
    elapsed = time.monotonic() - started
    assert answer.status_code == 503 and "cut off after 2 s" in answer.text
    assert TIMEOUT <= elapsed < TIMEOUT + 3
    assert httpx.get(server.endpoint, params={"query": LIGHT}).json()["boolean"] is True


def test_light_query_answers_within_2_s_beside_eight_runaways(server: Server) -> None:
    statuses: list[int] = []

    def runaway() -> None:
        statuses.append(
            httpx.get(server.endpoint, params={"query": RUNAWAY}, timeout=30).status_code
        )

    threads = [threading.Thread(target=runaway) for _ in range(8)]
    for thread in threads:
        thread.start()
    time.sleep(0.5)  # the runaways are running
    latencies = []
    for _ in range(3):
        started = time.monotonic()
        answer = httpx.get(server.endpoint, params={"query": LIGHT}, timeout=30)
        latencies.append(time.monotonic() - started)
        assert answer.status_code == 200
    for thread in threads:
        thread.join()
    assert max(latencies) < 2, latencies
    assert statuses == [503] * 8


# -- web hygiene -------------------------------------------------------------------------


def test_foreign_host_header_is_refused(server: Server) -> None:
    status, body = raw_get(
        server, "/sparql?query=ASK%7B%7D", host=f"attacker.example:{server.port}"
    )
    assert status == 400 and b"unknown Host" in body
    assert raw_get(server, "/", host=f"localhost:{server.port}")[0] == 200
    assert raw_get(server, "/", host="127.0.0.1:1")[0] == 400


@pytest.mark.parametrize(
    "path",
    [
        "/static/../pool.py",
        "/static/%2e%2e/pool.py",
        "/static/..%2fpool.py",
        "/static/%2e%2e%2f%2e%2e/cli.py",
    ],
)
def test_static_paths_cannot_escape(server: Server, path: str) -> None:
    status, body = raw_get(server, path)
    assert status in (400, 404) and b"import" not in body


def test_no_cors_unless_asked(server: Server) -> None:
    answer = httpx.get(
        server.endpoint, params={"query": LIGHT}, headers={"Origin": "http://evil.example"}
    )
    assert not [h for h in answer.headers if h.lower().startswith("access-control")]
    assert answer.headers["X-Content-Type-Options"] == "nosniff"


def test_non_loopback_needs_a_flag(built: Path) -> None:
    result = CliRunner().invoke(cli, ["serve", "-g", str(built), "--host", "0.0.0.0"])
    assert result.exit_code == 1 and "add --allow-remote" in result.output


# -- pages -------------------------------------------------------------------------------


def test_pages_answer_in_chinese(server: Server) -> None:
    home = server.get("/")
    assert home.status_code == 200 and "Region" in home.text and "示例问题" in home.text
    assert "Documents (5)" in home.text and home.text.count('href="/doc/') == 5
    assert "lists every one" not in home.text  # five documents: all listed
    assert "script-src 'self'" in home.headers["Content-Security-Policy"]
    found = server.get("/search", params={"q": "甬江科创区"}).text
    assert 'href="/entity/Platform/%E7%94%AC%E6%B1%9F%E7%A7%91%E5%88%9B%E5%8C%BA"' in found
    assert "<mark>甬江科创区</mark>" in found
    entity = server.get("/entity/Region/宁波").text
    assert "宁波市" in entity and "connects" in entity
    missing = server.get("/entity/Region/亚特兰蒂斯")
    assert missing.status_code == 404
    chain = server.get("/path", params={"from": "通苏嘉甬铁路", "to": "长三角一体化发展"}).text
    assert "通苏嘉甬铁路浙江段正式开工" in chain
    one = server.get("/path", params={"from": "宁波", "to": "长三角"}).text
    assert "<small>(1 link)</small>" in one
    query = server.get(
        "/query", params={"query": f"SELECT ?r WHERE {{ <{RAILWAY}> kgo:connects ?r }}"}
    )
    assert 'href="/entity/Region/%E5%AE%81%E6%B3%A2"' in query.text and ">宁波</a>" in query.text


def test_entity_page_counts_what_it_leaves_out_and_links_to_all_of_it(server: Server) -> None:
    page = server.get("/entity/Region/宁波").text
    assert '<dd id="degree">41</dd>' in page and "5 篇文档 in documents" in page
    located = page.split("←locatedIn—</span> <small>(17)</small>")[1].split("</ul>")[0]
    assert located.count('<li class="fact">') == 10
    assert "另有 7 条 and 7 more" in located
    link = re.search(r'<a href="(/query\?query=[^"]+)">全部 all 17</a>', located)
    assert link, located
    table = server.get(html.unescape(link[1])).text
    assert "· 17 rows" in table and table.count('class="entity t-') == 17
    more = re.search(r'and 1 more document: <a href="(/query\?query=[^"]+)">', page)
    assert more, page  # a fact stated in 4 documents, sentences shown from 3 of them
    sentences = server.get(html.unescape(more[1])).text
    assert len(set(re.findall(r">(\d{3}_[0-9a-f]{16}\.txt)<", sentences))) == 4


def test_pages_show_no_control_characters_typed_into_them(server: Server) -> None:
    # HTML cannot hold a NUL, escaped or not: a page shows the replacement character
    search = server.get("/search", params={"q": "甬江\x00<b>\x07"}).text
    assert "\x00" not in search and "\x07" not in search
    assert 'value="甬江\ufffd&lt;b&gt;\ufffd"' in search
    missing = server.get("/path", params={"from": "宁波\x00", "to": "长三角"}).text
    assert "\x00" not in missing and "no entity named &#39;宁波\\x00&#39;" in missing


def test_every_example_query_runs_on_the_query_page(server: Server) -> None:
    from kg.server.pages import examples

    found = examples()
    assert len(found) >= 6
    for title, sparql in found:
        page = server.get("/query", params={"query": sparql})
        assert page.status_code == 200 and 'class="error"' not in page.text, title
        view = server.get("/view/query", params={"query": sparql})
        assert view.status_code == 200 and "kg-data" in view.text, title
    construct = server.get("/query", params={"query": found[-1][1]}).text
    assert '<pre class="turtle">' in construct and "kgo:supports" in construct

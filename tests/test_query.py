"""Query formats, stats, the entity network and exports, on the hand-made graph ``tiny``
(the network exports on the build of the sample corpus, whose index they read)."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from functools import partial

import pytest
from pyoxigraph import RdfFormat, parse

from kg import analysis, export, query, store
from kg.errors import KgError, QueryError

RAILWAY = "https://w3id.org/policy-kg/id/Project/通苏嘉甬铁路"
NINGBO = "https://w3id.org/policy-kg/id/Region/宁波"
LABELS = """SELECT DISTINCT ?e ?label WHERE { ?m kgo:mentionOf ?e . ?e rdfs:label ?label }
ORDER BY ?label"""


def test_table_shows_prefixed_iris_and_labels(tiny):
    text = query.run(tiny, LABELS)
    assert "kgr:Region/宁波" in text and "甬江科创区" in text
    assert "3 rows" in text


def test_csv_and_tsv(tiny):
    rows = list(csv.reader(io.StringIO(query.run(tiny, LABELS, fmt="csv"))))
    assert rows[0] == ["e", "label"]
    assert [NINGBO, "宁波"] in rows
    tsv = query.run(tiny, LABELS, fmt="tsv").splitlines()
    assert tsv[0] == "?e\t?label"
    assert f'<{NINGBO}>\t"宁波"@zh' in tsv


def test_json_is_sparql_results_json(tiny):
    data = json.loads(query.run(tiny, LABELS, fmt="json"))
    assert data["head"]["vars"] == ["e", "label"]
    labels = {b["label"]["value"]: b["label"]["xml:lang"] for b in data["results"]["bindings"]}
    assert labels == {"宁波": "zh", "甬江科创区": "zh", "通苏嘉甬铁路": "zh"}


def test_ask(tiny):
    sparql = "ASK { ?p kgo:connects ?r . ?r rdfs:label '宁波'@zh }"
    assert query.run(tiny, sparql) == "true\n"
    assert json.loads(query.run(tiny, sparql, fmt="json")) == {"head": {}, "boolean": True}
    assert query.run(tiny, "ASK { ?x kgo:cooperatesWith ?y }") == "false\n"


def test_construct_as_turtle_and_ntriples(tiny):
    sparql = "CONSTRUCT { ?p kgo:connects ?r } WHERE { ?p kgo:connects ?r }"
    turtle = query.run(tiny, sparql)
    assert "@prefix kgo:" in turtle
    triples = list(parse(turtle, format=RdfFormat.TURTLE))
    assert [(t.subject.value, t.object.value) for t in triples] == [(RAILWAY, NINGBO)]
    assert query.run(tiny, sparql, fmt="ntriples") == (
        f"<{RAILWAY}> <https://w3id.org/policy-kg/ontology#connects> <{NINGBO}> .\n"
    )


def test_format_must_fit_the_query(tiny):
    with pytest.raises(QueryError, match="turtle or ntriples"):
        query.run(tiny, "CONSTRUCT WHERE { ?s ?p ?o }", fmt="csv")
    with pytest.raises(QueryError, match="table, csv, tsv, json"):
        query.run(tiny, LABELS, fmt="turtle")
    with pytest.raises(QueryError, match="unknown format 'xml'; choose table, csv"):
        query.run(tiny, LABELS, fmt="xml")


def test_stats(tiny):
    counts = query.stats(tiny)
    assert counts.types == {
        "Region": 1,
        "Platform": 1,
        "Project": 1,
        "Industry": 0,
        "Programme": 0,
        "Organization": 0,
    }
    assert counts.relations["connects"] == 1 and sum(counts.relations.values()) == 1
    (doc,) = counts.documents
    assert (doc.path, doc.title, doc.sentences, doc.mentions, doc.entities, doc.relations) == (
        "a/sample.txt",
        "样例",
        2,
        3,
        3,
        1,
    )
    text = query.format_stats(counts)
    assert "Platform" in text and "connects" in text and "a/sample.txt" in text


def test_entity_graph_read_from_a_store(tiny):
    graph = analysis.read_entity_graph(partial(store.select, tiny))
    assert graph.number_of_nodes() == 3
    assert graph.nodes[NINGBO] == {"label": "宁波", "type": "Region", "aliases": ["宁波市"]}
    edge = graph.edges[RAILWAY, NINGBO, "connects"]
    assert edge["relation"] == "connects"
    ((text, doc),) = edge["evidence"]
    assert "通苏嘉甬铁路" in text and doc == "a/sample.txt"


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_network_exports_carry_type_label_and_relation(built, fmt):
    out = io.BytesIO()
    export.export(built, fmt, out)
    xml = out.getvalue().decode()
    ET.fromstring(xml)
    for text in ("宁波", "Region", "Platform", "connects", "宁波市"):
        assert text in xml


@pytest.mark.parametrize(
    ("fmt", "rdf_format"),
    [
        ("turtle", RdfFormat.TURTLE),
        ("trig", RdfFormat.TRIG),
        ("nquads", RdfFormat.N_QUADS),
        ("jsonld", RdfFormat.JSON_LD),
    ],
)
def test_rdf_exports_parse(tiny, tmp_path, fmt, rdf_format):
    path = tmp_path / f"graph.{fmt}"
    export.export(tiny, fmt, path)
    objects = {q.object.value for q in parse(path=path, format=rdf_format)}
    assert "宁波市" in objects


def test_unknown_export_format_lists_the_choices(tiny):
    with pytest.raises(KgError, match="unknown format 'ttl2'; choose turtle, trig, nquads, jsonld"):
        export.export(tiny, "ttl2", io.BytesIO())

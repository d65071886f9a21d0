"""Quads from records (kg.rdf) and the store's build, publish, lock and read (kg.store)."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from conftest import ONTOLOGY, TEXT, make_records
from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, Store, Variable, parse

from kg import rdf, store
from kg.errors import OntologyError, QueryError, StoreError
from kg.vocab import KGO, PREFIXES, RDF, RDFS, SKOS, document_iri, entity_iri

KGR = PREFIXES["kgr"]


def _doc_store(records) -> Store:  # type: ignore[no-untyped-def]
    s = Store()
    s.extend(rdf.document_quads(records.doc, records.mentions, records.relations, records.entities))
    s.extend(rdf.entity_quads(set(records.entities.values())))
    return s


def _ask(s: Store, sparql: str) -> bool:
    return bool(s.query(sparql, prefixes=PREFIXES, use_default_graph_as_union=True))


def test_document_graph_is_named_by_the_document(records):
    quads = list(
        rdf.document_quads(records.doc, records.mentions, records.relations, records.entities)
    )
    assert {q.graph_name for q in quads} == {document_iri("a/sample.txt")}
    assert len(quads) == len(set(quads))
    g = document_iri("a/sample.txt")
    assert Quad(g, RDF.type, KGO.Document, g) in quads
    assert Quad(g, KGO.sourcePath, Literal("a/sample.txt"), g) in quads


def test_entities_are_typed_and_mentioned_in_the_document_graph(records):
    s = _doc_store(records)
    g = document_iri("a/sample.txt")
    platform = NamedNode(KGR + "Platform/甬江科创区")
    assert Quad(platform, RDF.type, KGO.Platform, g) in s
    assert Quad(g, KGO.mentions, platform, g) in s
    assert Quad(entity_iri("Region/宁波"), RDF.type, KGO.Region, g) in s


def test_each_entity_is_described_once_in_the_entities_graph(records):
    s = _doc_store(records)
    ningbo = entity_iri("Region/宁波")
    types = list(s.quads_for_pattern(ningbo, RDF.type, None, rdf.ENTITIES_GRAPH))
    assert [q.object for q in types] == [KGO.Region]
    labels = list(s.quads_for_pattern(ningbo, RDFS.label, None, rdf.ENTITIES_GRAPH))
    assert [q.object for q in labels] == [Literal("宁波", language="zh")]
    alt = list(s.quads_for_pattern(ningbo, SKOS.altLabel, None, rdf.ENTITIES_GRAPH))
    assert [q.object for q in alt] == [Literal("宁波市", language="zh")]


def test_mention_traces_to_sentence_text_and_offsets(records):
    s = _doc_store(records)
    sparql = """SELECT ?e ?surface ?start ?end ?text WHERE {
        ?m kgo:mentionOf ?e ; kgo:surface ?surface ; kgo:start ?start ; kgo:end ?end ;
           kgo:inSentence ?s . ?s kgo:text ?text }"""
    ningbo = {Variable("e"): entity_iri("Region/宁波")}
    rows = list(
        s.query(sparql, prefixes=PREFIXES, use_default_graph_as_union=True, substitutions=ningbo)
    )
    assert len(rows) == 1
    start, end = int(rows[0]["start"].value), int(rows[0]["end"].value)
    assert TEXT[start:end] == rows[0]["surface"].value == "宁波市"
    assert rows[0]["text"].value == TEXT.split("\n")[1]


def test_relation_is_stated_and_reified_with_evidence(records):
    s = _doc_store(records)
    railway, ningbo = (NamedNode(KGR + "Project/通苏嘉甬铁路"), entity_iri("Region/宁波"))
    assert Quad(railway, KGO.connects, ningbo, document_iri("a/sample.txt")) in s
    assert _ask(
        s,
        f"""ASK {{ ?r a kgo:RelationAssertion ; rdf:subject <{railway.value}> ;
              rdf:predicate kgo:connects ; rdf:object <{ningbo.value}> ;
              prov:wasDerivedFrom ?s ; kgo:start ?b ; kgo:end ?e .
              ?s kgo:text ?t FILTER(CONTAINS(?t, "通苏嘉甬铁路")) }}""",
    )


def test_integers_are_xsd_integer(records):
    s = _doc_store(records)
    starts = [q.object for q in s.quads_for_pattern(None, KGO.start, None, None)]
    assert starts and all(o.datatype.value.endswith("#integer") for o in starts)


def test_only_sentences_with_mentions_or_evidence_are_written(records):
    sentence = rdf.sentence_iri("a/sample.txt", 0)
    bare = make_records()
    quads = list(rdf.document_quads(bare.doc, bare.mentions[1:], bare.relations, bare.entities))
    assert not any(q.subject == sentence for q in quads)


def test_unresolved_mention_raises(records):
    with pytest.raises(KeyError):
        list(rdf.document_quads(records.doc, records.mentions, [], {}))


def test_ontology_quads_go_to_the_ontology_graph():
    quads = list(rdf.ontology_quads(ONTOLOGY / "kg.ttl"))
    assert quads and {q.graph_name for q in quads} == {rdf.ONTOLOGY_GRAPH}
    assert (
        Quad(KGO.Region, RDF.type, NamedNode(PREFIXES["owl"] + "Class"), rdf.ONTOLOGY_GRAPH)
        in quads
    )


def test_broken_ontology_raises_ontology_error(tmp_path):
    bad = tmp_path / "kg.ttl"
    bad.write_text("this is not turtle", encoding="utf-8")
    with pytest.raises(OntologyError, match=r"kg\.ttl"):
        list(rdf.ontology_quads(bad))


# --- the store -------------------------------------------------------------------

_N = NamedNode("http://example.org/n")


def _build(out: Path, value: str) -> None:
    with store.building(out) as gen:
        store.write_store(gen, [Quad(_N, _N, Literal(value), _N)])
        (gen / "graph.html").write_text(value, encoding="utf-8")


def _value(out: Path) -> str:
    (row,) = store.query(out, "SELECT ?v WHERE { ?s ?p ?v }")
    return row["v"].value


def test_build_publishes_store_nquads_and_view(tmp_path):
    _build(tmp_path, "one")
    assert _value(tmp_path) == "one"
    assert '"one"' in (tmp_path / "graph.nq").read_text(encoding="utf-8")
    assert (tmp_path / "graph.html").read_text(encoding="utf-8") == "one"


def test_rebuild_replaces_everything_and_keeps_one_previous(tmp_path):
    for value in ("one", "two", "three"):
        _build(tmp_path, value)
    assert _value(tmp_path) == "three"
    assert (tmp_path / "graph.html").read_text(encoding="utf-8") == "three"
    assert len(list((tmp_path / ".kg").glob("gen-*"))) == 2


def test_failed_build_leaves_the_previous_graph(tmp_path):
    _build(tmp_path, "one")
    before = (tmp_path / "graph.nq").read_bytes()
    with pytest.raises(RuntimeError), store.building(tmp_path) as gen:
        store.write_store(gen, [Quad(_N, _N, Literal("two"), _N)])
        raise RuntimeError("a stage failed")
    assert _value(tmp_path) == "one"
    assert (tmp_path / "graph.nq").read_bytes() == before
    assert (tmp_path / "graph.html").read_text(encoding="utf-8") == "one"
    assert len(list((tmp_path / ".kg").glob("gen-*"))) == 1


def test_failure_inside_the_quad_stream_leaves_the_previous_graph(tmp_path):
    _build(tmp_path, "one")

    def quads():
        yield Quad(_N, _N, Literal("two"), _N)
        raise ValueError("boom")

    with pytest.raises(ValueError), store.building(tmp_path) as gen:
        store.write_store(gen, quads())
    assert _value(tmp_path) == "one"


def test_failure_while_the_store_loads_is_named_and_leaves_the_previous_graph(
    tmp_path, monkeypatch
):
    _build(tmp_path, "one")

    def full(writer: store.GraphWriter, data: bytes) -> float:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(store.GraphWriter, "_load", full)
    with (
        pytest.raises(StoreError, match=r"cannot write the store: .*No space left"),
        store.building(tmp_path) as gen,
    ):
        store.write_store(gen, [Quad(_N, _N, Literal("two"), _N)])
    assert _value(tmp_path) == "one"
    assert len(list((tmp_path / ".kg").glob("gen-*"))) == 1


def test_second_build_into_the_same_folder_is_refused(tmp_path):
    message = f"another build is writing {tmp_path}.*pid {os.getpid()}"
    with (
        store.building(tmp_path),
        pytest.raises(StoreError, match=message),
        store.building(tmp_path),
    ):
        pass  # pragma: no cover


def test_batches_are_all_loaded(tmp_path):
    quads = [Quad(_N, _N, Literal(str(i)), _N) for i in range(25)]
    with store.building(tmp_path) as gen:
        assert store.write_store(gen, iter(quads), batch_size=7) == 25
    (row,) = store.query(tmp_path, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert row["n"].value == "25"


def test_missing_graph_says_to_build_first(tmp_path):
    with pytest.raises(StoreError, match=r"no graph at .*; run `kg build` first"):
        store.query(tmp_path / "nothing", "ASK {}")


def test_query_substitutions_bind_variables(tiny):
    platform = NamedNode(KGR + "Platform/甬江科创区")
    rows = list(
        store.query(
            tiny, "SELECT ?e ?label WHERE { ?e rdfs:label ?label }", substitutions={"e": platform}
        )
    )
    assert [r["label"].value for r in rows] == ["甬江科创区"]


def test_substituting_a_variable_the_query_does_not_select_is_a_query_error(tiny):
    with pytest.raises(QueryError, match=r"\?e"):
        store.query(tiny, "SELECT ?label WHERE { ?e rdfs:label ?label }", substitutions={"e": _N})


def test_malformed_query_gives_the_parser_message(tiny):
    with pytest.raises(QueryError, match=r"malformed query: error at 1:\d+"):
        store.query(tiny, "SELEC ?x WHERE {}")


def test_unknown_prefix_is_named(tiny):
    with pytest.raises(QueryError, match="unknown prefix 'ex:' at 2:"):
        store.query(tiny, "SELECT * WHERE {\n  ?s ex:p ?o }")


@pytest.mark.parametrize(
    "fmt", [RdfFormat.N_QUADS, RdfFormat.TRIG, RdfFormat.TURTLE, RdfFormat.JSON_LD]
)
def test_dump_round_trips(tiny, fmt):
    out = io.BytesIO()
    store.dump(tiny, out, fmt)
    parsed = list(parse(out.getvalue(), format=fmt))
    assert any(getattr(q, "object", None) == Literal("宁波市", language="zh") for q in parsed)

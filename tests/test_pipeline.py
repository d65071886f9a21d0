"""End to end: the sample corpus built once (``built``), and builds that fail, skip or repeat."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import SEEDS
from pyoxigraph import CanonicalizationAlgorithm, Dataset, RdfFormat, Store, parse

from kg import extract, store
from kg.config import Settings
from kg.errors import KgError, StoreError
from kg.pipeline import NoDocumentsError, build
from kg.rdf import ENTITIES_GRAPH, NETWORK_GRAPH, ONTOLOGY_GRAPH, STATISTICS_GRAPH
from kg.vocab import PREFIXES, document_iri

SAMPLES = sorted(p.name for p in SEEDS.glob("*.txt"))

FACTS = {
    "platform": 'ASK { ?e a kgo:Platform ; rdfs:label "甬江科创区"@zh }',
    "project connects": """ASK { ?p a kgo:Project ; rdfs:label "通苏嘉甬铁路"@zh ;
                                   kgo:connects ?r . ?r rdfs:label "宁波"@zh }""",
    "programme": 'ASK { ?e a kgo:Programme ; rdfs:label "八八战略"@zh }',
    "industry": 'ASK { ?e a kgo:Industry ; rdfs:label "绿色石化"@zh }',
    "cooperate": """ASK { ?a rdfs:label "宁波"@zh . ?b rdfs:label "舟山"@zh .
                          ?a a kgo:Region . ?b a kgo:Region .
                          { ?a kgo:cooperatesWith ?b } UNION { ?b kgo:cooperatesWith ?a } }""",
}


@pytest.fixture(scope="module")
def nquads(built: Path) -> Store:
    """The graph as read back from ``graph.nq``, in memory."""
    graph = Store()
    with (built / "graph.nq").open("rb") as data:
        graph.load(data, format=RdfFormat.N_QUADS)
    return graph


def _sources(built: Path, nquads: Store):  # type: ignore[no-untyped-def]
    """Yield a query function over the store and one over graph.nq."""
    yield lambda q: store.query(built, q)
    yield lambda q: nquads.query(q, prefixes=PREFIXES, use_default_graph_as_union=True)


@pytest.mark.parametrize("fact", FACTS, ids=list(FACTS))
def test_facts_in_store_and_nquads(built, nquads, fact):
    for ask in _sources(built, nquads):
        assert bool(ask(FACTS[fact])), fact


def test_ningbo_and_ningbo_shi_are_one_entity(built, nquads):
    sparql = """SELECT DISTINCT ?e WHERE {
        ?e rdfs:label|skos:altLabel ?name FILTER(?name IN ("宁波"@zh, "宁波市"@zh)) }"""
    for ask in _sources(built, nquads):
        assert [row["e"].value for row in ask(sparql)] == [PREFIXES["kgr"] + "Region/宁波"]
    ningbo = "<https://w3id.org/policy-kg/id/Region/宁波>"
    labels = [r["l"].value for r in store.query(built, f"SELECT ?l {{ {ningbo} rdfs:label ?l }}")]
    assert labels == ["宁波"]
    assert bool(store.query(built, f'ASK {{ {ningbo} skos:altLabel "宁波市"@zh }}'))


def test_one_named_graph_per_document(built):
    sparql = "SELECT ?g ?path WHERE { GRAPH ?g { ?g a kgo:Document ; kgo:sourcePath ?path } }"
    found = {row["g"].value: row["path"].value for row in store.query(built, sparql)}
    assert sorted(found.values()) == SAMPLES
    assert all(document_iri(path).value == g for g, path in found.items())
    graphs = {g.value for g in store.open_store(built).named_graphs()}
    assert graphs == set(found) | {
        g.value for g in (ENTITIES_GRAPH, NETWORK_GRAPH, ONTOLOGY_GRAPH, STATISTICS_GRAPH)
    }


def test_the_network_graph_states_each_fact_of_the_documents_once(built):
    relations = (
        "kgo:locatedIn kgo:partOf kgo:supports kgo:focusesOn kgo:cooperatesWith kgo:connects"
    )
    stated = f"""SELECT ?h ?rel ?t WHERE {{ GRAPH ?g {{ VALUES ?rel {{ {relations} }} ?h ?rel ?t .
        ?g a kgo:Document }} }}"""
    network = f"SELECT ?h ?rel ?t WHERE {{ GRAPH <{NETWORK_GRAPH.value}> {{ ?h ?rel ?t }} }}"
    facts = [tuple(term.value for term in row) for row in store.query(built, network)]
    in_documents = {tuple(term.value for term in row) for row in store.query(built, stated)}
    assert len(facts) == len(set(facts)) == len(in_documents) > 50
    assert set(facts) == in_documents


def test_a_cooperation_stated_either_way_is_one_fact(tmp_path):
    corpus = tmp_path / "in"
    corpus.mkdir()
    (corpus / "a.txt").write_text("合肥与上海深化合作。上海与合肥联动发展。", encoding="utf-8")
    (corpus / "b.txt").write_text("上海与合肥加强合作。", encoding="utf-8")
    build([corpus], Settings(out_dir=tmp_path / "out"))
    rows = store.query(
        tmp_path / "out",
        "SELECT ?g ?h ?t WHERE { GRAPH ?g { ?h kgo:cooperatesWith ?t } }",
    )
    facts = {(row[0].value.rpartition("/")[2], row[1].value, row[2].value) for row in rows}
    heads = {h.rpartition("/")[2] for _, h, _ in facts}
    assert len(heads) == 1  # one direction in every graph, the network's among them
    assert {g for g, _, _ in facts} >= {"a.txt", "b.txt"}


def test_every_relation_has_evidence_in_its_document_graph(built):
    sparql = """SELECT ?h ?rel ?t WHERE { GRAPH ?g {
        VALUES ?rel { kgo:locatedIn kgo:partOf kgo:supports kgo:focusesOn
                      kgo:cooperatesWith kgo:connects }
        ?h ?rel ?t . ?g a kgo:Document
        FILTER NOT EXISTS { ?r rdf:subject ?h ; rdf:predicate ?rel ; rdf:object ?t ;
                               prov:wasDerivedFrom ?s . ?s kgo:text ?text } } }"""
    assert list(store.query(built, sparql)) == []


def test_the_evidence_of_every_relation_mentions_both_its_entities(built):
    # a paragraph may name the two entities in two sentences: both are the evidence
    sparql = """SELECT ?r WHERE {
        ?r a kgo:RelationAssertion ; rdf:subject ?h ; rdf:object ?t .
        FILTER (NOT EXISTS { ?r prov:wasDerivedFrom ?s . ?m kgo:inSentence ?s ; kgo:mentionOf ?h }
             || NOT EXISTS { ?r prov:wasDerivedFrom ?s . ?m kgo:inSentence ?s ; kgo:mentionOf ?t })
    }"""
    assert list(store.query(built, sparql)) == []
    across = """SELECT ?r WHERE { ?r prov:wasDerivedFrom ?a , ?b FILTER (STR(?a) < STR(?b)) }"""
    assert len(list(store.query(built, across))) > 20


def test_mentions_are_found_in_their_sentence(built):
    sparql = """SELECT ?surface ?text WHERE {
        ?m kgo:surface ?surface ; kgo:inSentence ?s . ?s kgo:text ?text }"""
    rows = list(store.query(built, sparql))
    assert rows
    for row in rows:
        assert row["surface"].value in "".join(row["text"].value.split())


def test_summary(built_summary):
    assert built_summary.documents == len(SAMPLES) == built_summary.extracted
    assert built_summary.skipped == ()
    assert built_summary.sentences > 100
    assert all(n > 0 for n in built_summary.entities.values()), built_summary.entities
    assert all(n > 0 for n in built_summary.relations.values()), built_summary.relations
    assert (built_summary.out_dir / "graph.html").stat().st_size > 0


# --- builds that fail, skip or repeat ------------------------------------------------


def _corpus(folder: Path, *names: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        shutil.copy(SEEDS / name, folder / name)
    return folder


def _dataset(out: Path) -> Dataset:
    """Return the graph of ``out/graph.nq`` with blank nodes named canonically."""
    with (out / "graph.nq").open("rb") as data:
        dataset = Dataset(parse(data, format=RdfFormat.N_QUADS))
    dataset.canonicalize(CanonicalizationAlgorithm.RDFC_1_0)
    return dataset


def test_failed_build_leaves_the_previous_graph(tmp_path, monkeypatch):
    out = tmp_path / "out"
    build([_corpus(tmp_path / "in", SAMPLES[3])], Settings(out_dir=out))
    nquads, view = (out / "graph.nq").read_bytes(), (out / "graph.html").read_bytes()
    real = extract.extract_relations

    def failing(doc, mentions, lexicon):  # type: ignore[no-untyped-def]
        if doc.id == SAMPLES[4]:
            raise RuntimeError("disk on fire")
        return real(doc, mentions, lexicon)

    monkeypatch.setattr(extract, "extract_relations", failing)
    _corpus(tmp_path / "in", SAMPLES[4])
    with pytest.raises(KgError, match=f"stage relations failed on {SAMPLES[4]}: RuntimeError"):
        build([tmp_path / "in"], Settings(out_dir=out))
    assert (out / "graph.nq").read_bytes() == nquads
    assert (out / "graph.html").read_bytes() == view
    paths = [r["p"].value for r in store.query(out, "SELECT ?p { ?d kgo:sourcePath ?p }")]
    assert paths == [SAMPLES[3]]
    assert len(list((out / ".kg").glob("gen-*"))) == 1


@pytest.mark.parametrize(
    ("python", "why"),
    [("false", "the drawing process ended"), ("missing", "cannot start")],
    ids=["exits-at-once", "missing"],
)
def test_a_build_whose_overview_cannot_be_drawn_fails_and_leaves_the_previous_graph(
    tmp_path, monkeypatch, python, why
):
    out = tmp_path / "out"
    build([_corpus(tmp_path / "in", SAMPLES[3])], Settings(out_dir=out))
    nquads = (out / "graph.nq").read_bytes()
    _corpus(tmp_path / "in", SAMPLES[4])
    # the interpreter the overview's process runs: one that exits at once, saying
    # nothing, or none at all
    executable = shutil.which("false") if python == "false" else str(tmp_path / "missing")
    monkeypatch.setattr(sys, "executable", executable)
    with pytest.raises(KgError, match=f"stage views failed on graph.html: {why}"):
        build([tmp_path / "in"], Settings(out_dir=out))
    assert (out / "graph.nq").read_bytes() == nquads
    assert len(list((out / ".kg").glob("gen-*"))) == 1


def test_bad_files_are_skipped_and_named(tmp_path):
    corpus = _corpus(tmp_path / "in", SAMPLES[3])
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "binary.txt").write_bytes(bytes(range(256)) * 4)
    skipped: list[str] = []
    summary = build(
        [corpus], Settings(out_dir=tmp_path / "out"), on_skip=lambda e: skipped.append(str(e))
    )
    assert summary.documents == 1
    assert len(summary.skipped) == 2 and list(summary.skipped) == skipped
    assert any("empty.txt" in s for s in skipped) and any("binary.txt" in s for s in skipped)


def test_nothing_readable_builds_nothing(tmp_path):
    corpus = tmp_path / "in"
    corpus.mkdir()
    (corpus / "empty.txt").write_bytes(b"")
    with pytest.raises(NoDocumentsError, match="nothing was built") as raised:
        build([corpus], Settings(out_dir=tmp_path / "out"))
    assert raised.value.exit_code == 2
    assert not (tmp_path / "out" / "store").exists()


def test_rebuild_extracts_only_changed_documents(tmp_path):
    corpus = _corpus(tmp_path / "in", *SAMPLES[2:5])
    out = tmp_path / "out"
    assert build([corpus], Settings(out_dir=out)).extracted == 3
    changed = corpus / SAMPLES[3]
    changed.write_text(
        changed.read_text(encoding="utf-8") + "\n宁波与舟山深化合作。\n", encoding="utf-8"
    )
    (corpus / SAMPLES[4]).unlink()
    again = build([corpus], Settings(out_dir=out))
    assert (again.documents, again.extracted, again.removed) == (2, 1, 1)
    fresh = build([corpus], Settings(out_dir=tmp_path / "fresh"))
    assert fresh.extracted == 2
    assert _dataset(out) == _dataset(tmp_path / "fresh")
    assert again.entities == fresh.entities and again.relations == fresh.relations


def test_killed_build_leaves_the_previous_graph_and_holds_off_a_second_build(tmp_path):
    out = tmp_path / "out"
    build([_corpus(tmp_path / "small", SAMPLES[3])], Settings(out_dir=out))
    nquads = (out / "graph.nq").read_bytes()
    big = tmp_path / "big"
    for copy in range(6):
        _corpus(big / f"copy{copy}", *SAMPLES)
    command = [sys.executable, "-m", "kg", "build", str(big), "--out", str(out)]
    running = subprocess.Popen(
        command, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        deadline = time.monotonic() + 60
        while len(list((out / ".kg").glob("gen-*"))) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(1.0)  # well into extraction
        assert running.poll() is None, running.stderr.read() if running.stderr else ""
        with pytest.raises(StoreError, match=f"another build is writing {out}"):
            build([tmp_path / "small"], Settings(out_dir=out))
    finally:
        running.send_signal(signal.SIGKILL)
        running.wait()
        if running.stderr:
            running.stderr.close()
    assert (out / "graph.nq").read_bytes() == nquads
    paths = [r["p"].value for r in store.query(out, "SELECT ?p { ?d kgo:sourcePath ?p }")]
    assert paths == [SAMPLES[3]]
    # The kernel dropped the killed build's lock; the next build prunes what it left.
    assert build([tmp_path / "small"], Settings(out_dir=out)).documents == 1
    assert len(list((out / ".kg").glob("gen-*"))) == 2

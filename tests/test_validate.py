"""Validation: a small hand-built graph in the documented layout conforms, and each
kind of breakage is reported with a readable line."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, serialize

from kg.config import ONTOLOGY_DIR
from kg.errors import InputError, OntologyError
from kg.validate import Report, Violation, validate
from kg.vocab import DCTERMS, KGO, KGR_IRI, PROV, RDF, RDFS, SKOS, document_iri, entity_iri

SEEDS = Path(__file__).parent.parent / "seeds"
ENTITIES = NamedNode(KGR_IRI + "graph/entities")

NINGBO = entity_iri("Region/宁波")
ZHOUSHAN = entity_iri("Region/舟山")
YONGJIANG = entity_iri("Platform/甬江科创区")
PETROCHEM = entity_iri("Industry/绿色石化")

# Two real sentences of the sample corpus and the facts they state.
PLATFORM_DOC = "002_5f5b069e0a375b5a.txt"
PLATFORM_SENTENCE = (
    "甬江科创区正是一把突围的“剑”，"
    "它的发展定位是“打造立足宁波、服务区域、面向未来的世界一流科创策源中心”。"
)
REGIONS_DOC = "004_80836f5e016a9cc6.txt"
REGIONS_SENTENCE = "重点聚焦甬舟一体化发展需求，以跨海设施通道为支撑"


class _Doc:
    """One seed document and the quads of its named graph."""

    def __init__(self, doc_id: str) -> None:
        raw = (SEEDS / doc_id).read_bytes()
        self.id = doc_id
        self.text = raw.decode("utf-8").replace("\r\n", "\n")
        self.g = document_iri(doc_id)
        self.quads = [
            self.quad(self.g, RDF.type, KGO.Document),
            self.quad(self.g, KGO.sourcePath, Literal(doc_id)),
            self.quad(
                self.g, DCTERMS.title, Literal(self.text.splitlines()[0][:30], language="zh")
            ),
            self.quad(self.g, KGO.sha256, Literal(hashlib.sha256(raw).hexdigest())),
        ]

    def quad(self, s: NamedNode, p: NamedNode, o: NamedNode | Literal) -> Quad:
        return Quad(s, p, o, self.g)

    def sentence(self, index: int, sentence: str) -> tuple[NamedNode, int]:
        start = self.text.index(sentence)
        s = NamedNode(f"{self.g.value}#s{index}")
        self.quads += [
            self.quad(s, RDF.type, KGO.Sentence),
            self.quad(s, KGO.inDocument, self.g),
            self.quad(s, KGO.sentenceIndex, Literal(index)),
            self.quad(s, KGO.start, Literal(start)),
            self.quad(s, KGO.end, Literal(start + len(sentence))),
            self.quad(s, KGO.text, Literal(sentence)),
        ]
        return s, start

    def entity(self, e: NamedNode, type_: str) -> None:
        self.quads += [self.quad(e, RDF.type, KGO[type_]), self.quad(self.g, KGO.mentions, e)]

    def mention(self, e: NamedNode, s: NamedNode, start: int, surface: str) -> NamedNode:
        assert self.text[start : start + len(surface)] == surface
        m = NamedNode(f"{self.g.value}#m{start}-{start + len(surface)}")
        self.quads += [
            self.quad(m, RDF.type, KGO.Mention),
            self.quad(m, KGO.mentionOf, e),
            self.quad(m, KGO.surface, Literal(surface)),
            self.quad(m, KGO.start, Literal(start)),
            self.quad(m, KGO.end, Literal(start + len(surface))),
            self.quad(m, KGO.inSentence, s),
            self.quad(m, KGO.inDocument, self.g),
        ]
        return m

    def relation(self, head: NamedNode, rel: str, tail: NamedNode, s: NamedNode, span: range):
        r = NamedNode(f"{self.g.value}#r{rel}-{span.start}")
        self.quads += [
            self.quad(head, KGO[rel], tail),
            self.quad(r, RDF.type, KGO.RelationAssertion),
            self.quad(r, RDF.subject, head),
            self.quad(r, RDF.predicate, KGO[rel]),
            self.quad(r, RDF.object, tail),
            self.quad(r, PROV.wasDerivedFrom, s),
            self.quad(r, KGO.start, Literal(span.start)),
            self.quad(r, KGO.end, Literal(span.stop)),
        ]
        return r


def _label(e: NamedNode, name: str) -> Quad:
    return Quad(e, RDFS.label, Literal(name, language="zh"), ENTITIES)


def _valid_graph() -> list[Quad]:
    """Return a graph in the documented layout: two documents, three entities, two facts."""
    platform = _Doc(PLATFORM_DOC)
    s, start = platform.sentence(17, PLATFORM_SENTENCE)
    platform.entity(YONGJIANG, "Platform")
    platform.entity(NINGBO, "Region")
    platform.mention(YONGJIANG, s, start, "甬江科创区")
    at = start + PLATFORM_SENTENCE.index("宁波")
    platform.mention(NINGBO, s, at, "宁波")
    platform.relation(YONGJIANG, "locatedIn", NINGBO, s, range(start, at + 2))

    regions = _Doc(REGIONS_DOC)
    s, start = regions.sentence(40, REGIONS_SENTENCE)
    regions.entity(NINGBO, "Region")
    regions.entity(ZHOUSHAN, "Region")
    at = start + REGIONS_SENTENCE.index("甬舟")
    regions.mention(NINGBO, s, at, "甬")
    regions.mention(ZHOUSHAN, s, at + 1, "舟")
    regions.relation(NINGBO, "cooperatesWith", ZHOUSHAN, s, range(at, at + 5))

    labels = [
        _label(NINGBO, "宁波"),
        Quad(NINGBO, SKOS.altLabel, Literal("甬", language="zh"), ENTITIES),
        _label(ZHOUSHAN, "舟山"),
        _label(YONGJIANG, "甬江科创区"),
    ]
    return platform.quads + regions.quads + labels


def _write(folder: Path, quads: list[Quad]) -> Path:
    path = folder / "graph.nq"
    path.write_bytes(serialize(quads, format=RdfFormat.N_QUADS))
    return path


def _check(folder: Path, quads: list[Quad]) -> Report:
    return validate(_write(folder, quads))


def test_valid_graph_conforms(tmp_path):
    report = _check(tmp_path, _valid_graph())
    assert report.violations == ()
    assert report.conforms
    assert report.triples == len({(q.subject, q.predicate, q.object) for q in _valid_graph()})
    assert report.format().startswith("conforms: ")


def test_cooperation_evidence_counts_in_either_direction(tmp_path):
    quads = [
        Quad(q.object, q.predicate, q.subject, q.graph_name)
        if q.predicate == KGO.cooperatesWith
        else q
        for q in _valid_graph()
    ]
    assert _check(tmp_path, quads).conforms


def _add(*quads: Quad) -> Callable[[list[Quad]], list[Quad]]:
    return lambda graph: [*graph, *quads]


def _drop(test: Callable[[Quad], bool]) -> Callable[[list[Quad]], list[Quad]]:
    return lambda graph: [q for q in graph if not test(q)]


def _range_violation(graph: list[Quad]) -> list[Quad]:
    doc = _Doc(PLATFORM_DOC)
    doc.quads = []
    doc.entity(PETROCHEM, "Industry")
    sentence = NamedNode(f"{doc.g.value}#s17")
    doc.relation(YONGJIANG, "locatedIn", PETROCHEM, sentence, range(1473, 1475))
    return [*graph, *doc.quads, _label(PETROCHEM, "绿色石化")]


def _is_mention_offset(q: Quad) -> bool:
    return "#m" in q.subject.value and q.predicate in (KGO.start, KGO.end)


BREAKAGES = [
    pytest.param(
        _add(_label(NINGBO, "宁波市")),
        ("kgr:Region/宁波", "rdfs:label", "exactly one rdfs:label"),
        id="two-labels",
    ),
    pytest.param(
        _drop(lambda q: q.subject == YONGJIANG and q.predicate == RDFS.label),
        ("kgr:Platform/甬江科创区", "rdfs:label", "has none"),
        id="no-label",
    ),
    pytest.param(
        _add(Quad(ZHOUSHAN, RDFS.label, Literal("Zhoushan", language="en"), ENTITIES)),
        ("kgr:Region/舟山", "rdfs:label", "tagged @zh"),
        id="label-not-chinese",
    ),
    pytest.param(
        _add(Quad(NINGBO, RDF.type, KGO.Platform, document_iri(PLATFORM_DOC))),
        ("kgr:Region/宁波", "", "exactly one of the six classes"),
        id="two-classes",
    ),
    pytest.param(
        _range_violation,
        ("kgr:Platform/甬江科创区", "kgo:locatedIn", "must be a Region"),
        id="range",
    ),
    pytest.param(
        _add(Quad(NINGBO, KGO.locatedIn, ZHOUSHAN, document_iri(REGIONS_DOC))),
        ("kgr:Region/宁波", "", "subject of kgo:locatedIn must be a Platform"),
        id="domain",
    ),
    pytest.param(
        _add(Quad(NINGBO, KGO.partOf, YONGJIANG, document_iri(REGIONS_DOC))),
        ("kgr:Region/宁波", "", "partOf must link a Region to a Region"),
        id="partof-across-classes",
    ),
    pytest.param(
        _drop(lambda q: "#rlocatedIn" in q.subject.value),
        ("kgr:Platform/甬江科创区", "kgo:locatedIn", "no kgo:RelationAssertion"),
        id="no-assertion",
    ),
    pytest.param(
        _drop(lambda q: q.predicate == KGO.cooperatesWith),
        ("kgr:doc/004_80836f5e016a9cc6.txt#rcooperatesWith-", "rdf:predicate", "does not state"),
        id="assertion-without-triple",
    ),
    pytest.param(
        _drop(lambda q: q.subject.value.endswith("#s17") and q.predicate == RDF.type),
        ("kgr:doc/002_5f5b069e0a375b5a.txt#rlocatedIn-", "prov:wasDerivedFrom", "a kgo:Sentence"),
        id="evidence-not-a-sentence",
    ),
    pytest.param(
        _drop(_is_mention_offset),
        ("kgr:doc/002_5f5b069e0a375b5a.txt#m1468-1473", "kgo:start", "exactly one kgo:start"),
        id="mention-without-offsets",
    ),
    pytest.param(
        _drop(lambda q: q.predicate == KGO.sourcePath),
        ("kgr:doc/002_5f5b069e0a375b5a.txt", "kgo:sourcePath", "kgo:sourcePath"),
        id="document-without-path",
    ),
    pytest.param(
        lambda graph: [
            Quad(q.subject, q.predicate, Literal(q.object.value[:-1]), q.graph_name)
            if q.predicate == KGO.text
            else q
            for q in graph
        ],
        ("kgr:doc/004_80836f5e016a9cc6.txt#s40", "kgo:text", "length differs"),
        id="sentence-text-not-its-span",
    ),
]


@pytest.mark.parametrize(("breakage", "expected"), BREAKAGES)
def test_breakage_is_reported(tmp_path, breakage, expected):
    focus, path, words = expected
    report = _check(tmp_path, breakage(_valid_graph()))
    assert not report.conforms
    found = [
        v
        for v in report.violations
        if v.focus.startswith(focus) and v.path == path and words in v.message
    ]
    assert found, report.format()
    assert any(words in line and focus in line for line in report.lines())


def test_report_lines_use_prefixed_names(tmp_path):
    graph = _range_violation(_valid_graph())
    triples = len({(q.subject, q.predicate, q.object) for q in graph})
    report = _check(tmp_path, graph)
    assert report.format().splitlines()[0] == f"does not conform: 1 violation in {triples} triples"
    assert report.lines() == (
        "Violation: kgr:Platform/甬江科创区 kgo:locatedIn kgr:Industry/绿色石化: "
        "the object of kgo:locatedIn must be a Region [kgs:LocatedInShape]",
    )
    assert report.violations[0] == Violation(
        focus="kgr:Platform/甬江科创区",
        path="kgo:locatedIn",
        value="kgr:Industry/绿色石化",
        message="the object of kgo:locatedIn must be a Region",
        severity="Violation",
        shape="kgs:LocatedInShape",
    )


def test_text_that_is_not_nquads_is_an_input_error(tmp_path):
    path = tmp_path / "graph.nq"
    path.write_text("@prefix kgo: <https://w3id.org/policy-kg/ontology#> .\n", encoding="utf-8")
    with pytest.raises(InputError, match="not N-Quads") as caught:
        validate(path)
    assert caught.value.path == path


def test_missing_graph_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="cannot be read"):
        validate(tmp_path / "missing.nq")


@pytest.mark.parametrize("name", ["kg.ttl", "shapes.ttl"])
def test_missing_ontology_file_is_named(tmp_path, name):
    folder = tmp_path / "ontology"
    folder.mkdir()
    for other in {"kg.ttl", "shapes.ttl"} - {name}:
        shutil.copy(ONTOLOGY_DIR / other, folder / other)
    graph = _write(tmp_path, _valid_graph())
    with pytest.raises(OntologyError, match=name):
        validate(graph, folder)


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("kg.ttl", "kgo:Region a owl:Class"),
        (
            "shapes.ttl",
            "@prefix sh: <http://www.w3.org/ns/shacl#> .\n[] a sh:NodeShape ; sh:path .",
        ),
        ("shapes.ttl", "# no shapes at all\n"),
    ],
)
def test_malformed_ontology_file_is_named(tmp_path, name, text):
    folder = tmp_path / "ontology"
    shutil.copytree(ONTOLOGY_DIR, folder, ignore=shutil.ignore_patterns("lexicons"))
    (folder / name).write_text(text, encoding="utf-8")
    graph = _write(tmp_path, _valid_graph())
    with pytest.raises(OntologyError, match=name):
        validate(graph, folder)

"""The ontology and its shapes: they parse, declare exactly the vocabulary's terms,
document every term in Chinese and English, and follow the annotation guidelines."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH

from kg.vocab import KGO, KGO_IRI

ONTOLOGY = Path(__file__).parent.parent / "ontology"
ONTOLOGY_IRI = URIRef("https://w3id.org/policy-kg/ontology")
K = Namespace(KGO_IRI)
PROV = Namespace("http://www.w3.org/ns/prov#")
SIX = {"Region", "Platform", "Project", "Industry", "Programme", "Organization"}

# The relation table of the annotation guidelines: relation -> (heads, tails).
RELATIONS = {
    "locatedIn": ({"Platform", "Project", "Organization"}, {"Region"}),
    "partOf": ({"Region", "Platform", "Programme"}, {"Region", "Platform", "Programme"}),
    "supports": ({"Project", "Platform", "Organization", "Programme"}, {"Programme"}),
    "focusesOn": ({"Region", "Platform", "Project", "Organization", "Programme"}, {"Industry"}),
    "cooperatesWith": (
        {"Region", "Platform", "Organization"},
        {"Region", "Platform", "Organization"},
    ),
    "connects": ({"Project"}, {"Region"}),
}


@pytest.fixture(scope="module")
def kg() -> Graph:
    return Graph().parse(ONTOLOGY / "kg.ttl", format="turtle")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(ONTOLOGY / "shapes.ttl", format="turtle")


def _local(term: URIRef) -> str:
    assert str(term).startswith(KGO_IRI), term
    return str(term)[len(KGO_IRI) :]


def _classes(graph: Graph, node) -> set[str]:
    """Return the local names of a class or of an owl:unionOf of classes."""
    union = graph.value(node, OWL.unionOf)
    members = Collection(graph, union) if union is not None else [node]
    return {_local(member) for member in members}


def test_declared_terms_equal_the_vocabulary(kg):
    declared = {_local(s) for s in set(kg.subjects()) if str(s).startswith(KGO_IRI)}
    assert declared == KGO.names


def test_every_kgo_term_used_anywhere_is_declared(kg, shapes):
    used = {
        _local(term)
        for graph in (kg, shapes)
        for triple in graph
        for term in triple
        if isinstance(term, URIRef) and str(term).startswith(KGO_IRI)
    }
    queries = " ".join(str(q) for q in shapes.objects(None, SH.select))
    used |= set(re.findall(r"kgo:(\w+)", queries))
    assert used <= KGO.names, used - KGO.names


def test_ontology_header(kg):
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in kg
    assert kg.value(ONTOLOGY_IRI, OWL.versionInfo) is not None
    comment = {c.language: str(c) for c in kg.objects(ONTOLOGY_IRI, RDFS.comment)}
    assert {"en", "zh"} <= set(comment)
    for needle in ("reification", "kgo:RelationAssertion", "prov:wasDerivedFrom", "kgo:Mention"):
        assert needle in comment["en"]


@pytest.mark.parametrize("name", sorted(KGO.names))
def test_every_term_has_chinese_and_english_label_and_comment(kg, name):
    term = K[name]
    for predicate in (RDFS.label, RDFS.comment):
        values = list(kg.objects(term, predicate))
        assert all(isinstance(v, Literal) and str(v).strip() for v in values)
        assert sorted(v.language for v in values) == ["en", "zh"], (name, predicate)


def test_entity_classes_are_disjoint_subclasses_of_entity(kg):
    for name in SIX:
        assert (K[name], RDFS.subClassOf, K.Entity) in kg
    disjoint = [
        Collection(kg, kg.value(n, OWL.members))
        for n in kg.subjects(RDF.type, OWL.AllDisjointClasses)
    ]
    assert [{_local(c) for c in members} for members in disjoint] == [SIX]


def test_evidence_classes_reuse_standard_vocabularies(kg):
    assert (K.RelationAssertion, RDFS.subClassOf, RDF.Statement) in kg
    assert (K.Document, RDFS.subClassOf, PROV.Entity) in kg
    assert (K.Sentence, RDFS.subClassOf, PROV.Entity) in kg


@pytest.mark.parametrize("relation", sorted(RELATIONS))
def test_relation_domain_and_range_follow_the_guidelines(kg, relation):
    heads, tails = RELATIONS[relation]
    term = K[relation]
    assert (term, RDF.type, OWL.ObjectProperty) in kg
    assert _classes(kg, kg.value(term, RDFS.domain)) == heads
    assert _classes(kg, kg.value(term, RDFS.range)) == tails


def test_only_cooperation_is_symmetric(kg):
    symmetric = {_local(p) for p in kg.subjects(RDF.type, OWL.SymmetricProperty)}
    assert symmetric == {"cooperatesWith"}


@pytest.mark.parametrize(
    ("prop", "domain", "range_"),
    [
        ("mentions", {"Document"}, "Entity"),
        ("mentionOf", {"Mention"}, "Entity"),
        ("inSentence", {"Mention"}, "Sentence"),
        ("inDocument", {"Sentence", "Mention"}, "Document"),
    ],
)
def test_provenance_links(kg, prop, domain, range_):
    assert _classes(kg, kg.value(K[prop], RDFS.domain)) == domain
    assert kg.value(K[prop], RDFS.range) == K[range_]


@pytest.mark.parametrize(
    ("prop", "datatype"),
    [
        ("sourcePath", "string"),
        ("sha256", "string"),
        ("text", "string"),
        ("surface", "string"),
        ("start", "integer"),
        ("end", "integer"),
        ("sentenceIndex", "integer"),
    ],
)
def test_datatype_properties(kg, prop, datatype):
    assert (K[prop], RDF.type, OWL.DatatypeProperty) in kg
    assert str(kg.value(K[prop], RDFS.range)) == f"http://www.w3.org/2001/XMLSchema#{datatype}"


def test_span_offsets_apply_to_sentences_mentions_and_assertions(kg):
    for prop in ("start", "end"):
        domain = _classes(kg, kg.value(K[prop], RDFS.domain))
        assert domain == {"Sentence", "Mention", "RelationAssertion"}


def test_shapes_cover_each_class_and_relation(shapes):
    targeted = {_local(c) for c in shapes.objects(None, SH.targetClass)}
    assert targeted >= SIX | {"Document", "Sentence", "Mention", "RelationAssertion"}
    subjects_of = {_local(p) for p in shapes.objects(None, SH.targetSubjectsOf)}
    assert subjects_of == set(RELATIONS)


def test_every_constraint_has_a_message(shapes):
    # shapes nested in sh:or report through the shape holding them, so only top-level ones count
    node_shapes = set(shapes.subjects(RDF.type, SH.NodeShape))
    constrained = {
        c for s in node_shapes for p in (SH.property, SH.sparql) for c in shapes.objects(s, p)
    }
    constrained |= {s for s in node_shapes if _has_node_constraint(shapes, s)}
    assert len(constrained) > 30
    missing = [c for c in constrained if shapes.value(c, SH.message) is None]
    assert not missing


def _has_node_constraint(shapes: Graph, shape) -> bool:
    return any(shapes.value(shape, p) is not None for p in (SH["class"], SH["or"], SH.xone))

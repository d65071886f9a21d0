"""Turn records into quads: one named graph per document, entities in their own graph.

The layout (see README.md, "The ontology at a glance"):

- each document's graph, named by the document's IRI, holds the document node, the
  type of every entity it mentions, the relations it states, and the evidence nodes
  (sentences, mentions, reified relation assertions) that trace each fact to text;
- ``ENTITIES_GRAPH`` holds every entity once: its class, ``rdfs:label`` and
  ``skos:altLabel``s, so that the entity network is read without going through
  every document's graph;
- ``NETWORK_GRAPH`` holds every distinct fact once (``E1 kgo:supports E2``): the entity
  network, which a walk from an entity reads without meeting a fact again in every
  document that states it;
- ``ONTOLOGY_GRAPH`` holds ``ontology/kg.ttl``;
- ``STATISTICS_GRAPH`` holds statistics computed at build time, for aggregates no
  query engine answers fast on a large graph: the VoID class partitions (entities
  per class), property partitions (distinct facts per relation) and each entity's
  ``kgo:degree``.

Everything here is a pure function of its arguments except ``ontology_quads``,
which parses the ontology file it is given.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, parse

from kg.errors import OntologyError
from kg.model import Document, Entity, EntityType, Mention, Relation, RelationType, Sentence
from kg.vocab import (
    DCTERMS,
    KGO,
    KGO_IRI,
    KGR_IRI,
    PROV,
    RDF,
    RDFS,
    SKOS,
    VOID,
    document_iri,
    entity_iri,
)

__all__ = [
    "DATASET",
    "ENTITIES_GRAPH",
    "NETWORK_GRAPH",
    "ONTOLOGY_GRAPH",
    "STATISTICS_GRAPH",
    "document_quads",
    "entity_quads",
    "mention_iri",
    "network_quads",
    "ontology_quads",
    "relation_iri",
    "sentence_iri",
    "statistics_quads",
]

#: The graph holding every entity's labels.
ENTITIES_GRAPH = NamedNode(KGR_IRI + "graph/entities")
#: The graph holding every distinct fact once.
NETWORK_GRAPH = NamedNode(KGR_IRI + "graph/network")
#: The graph holding ``ontology/kg.ttl``.
ONTOLOGY_GRAPH = NamedNode(KGO_IRI.rstrip("#"))
#: The graph holding the statistics computed at build time.
STATISTICS_GRAPH = NamedNode(KGR_IRI + "graph/statistics")
#: The ``void:Dataset`` the statistics describe: the whole graph of a build.
DATASET = NamedNode(KGR_IRI + "dataset")


def sentence_iri(doc_id: str, index: int) -> NamedNode:
    """Return the IRI of sentence ``index`` of a document.

    >>> sentence_iri("a.txt", 3).value
    'https://w3id.org/policy-kg/id/doc/a.txt#s3'
    """
    return NamedNode(f"{document_iri(doc_id).value}#s{index}")


def mention_iri(doc_id: str, start: int, end: int) -> NamedNode:
    """Return the IRI of the mention spanning ``start:end`` of a document.

    >>> mention_iri("a.txt", 5, 7).value
    'https://w3id.org/policy-kg/id/doc/a.txt#m5-7'
    """
    return NamedNode(f"{document_iri(doc_id).value}#m{start}-{end}")


def relation_iri(doc_id: str, head: str, relation: str, tail: str, sentence: int) -> NamedNode:
    """Return the IRI of a relation assertion: one per fact and sentence.

    Args:
        doc_id: the document's id.
        head: the head entity's key.
        relation: the relation's local name, e.g. ``supports``.
        tail: the tail entity's key.
        sentence: the index of the sentence stating it.

    >>> relation_iri("a.txt", "Region/A", "partOf", "Region/B", 2).value.rpartition("#")[2][:7]
    'rc8420f'
    """
    digest = hashlib.sha1(f"{head}\t{relation}\t{tail}\t{sentence}".encode()).hexdigest()
    return NamedNode(f"{document_iri(doc_id).value}#r{digest}")


def document_quads(
    doc: Document,
    mentions: Sequence[Mention],
    relations: Sequence[Relation],
    entities: Mapping[Mention, Entity],
) -> Iterator[Quad]:
    """Yield the quads of one document's named graph, each once.

    Args:
        doc: the segmented document.
        mentions: the mentions found in it.
        relations: the relations stated in it.
        entities: the entity each mention stands for (from resolve).

    Returns:
        An iterator over quads whose graph is ``document_iri(doc.id)``.

    Raises:
        KeyError: a mention or relation end has no entity, or names a sentence the
            document does not have.

    >>> doc = Document("a.txt", Path("a.txt"), "T", "x", "0" * 64)
    >>> len(list(document_quads(doc, [], [], {})))
    4
    """
    g = document_iri(doc.id)
    yield from _document_node(doc, g)
    seen: set[str] = set()
    for mention in mentions:
        entity = entities[mention]
        if entity.key not in seen:
            seen.add(entity.key)
            iri = entity_iri(entity.key)
            yield Quad(iri, _TYPE, KGO[entity.type.value], g)
            yield Quad(g, _MENTIONS, iri, g)
    sentences = {s.index: s for s in doc.sentences}
    used = {m.sentence for m in mentions} | {s for r in relations for s in r.evidence.sentences}
    for index in sorted(used):
        yield from _sentence(doc, sentences[index], g)
    for mention in mentions:
        yield from _mention(mention, entities[mention], g)
    yield from _relations(doc.id, relations, entities, g)


def entity_quads(entities: Iterable[Entity]) -> Iterator[Quad]:
    """Yield each entity's class, label and other names, in ``ENTITIES_GRAPH``.

    >>> from kg.model import EntityType
    >>> e = Entity("Region/A", EntityType.REGION, "A", frozenset({"A city", "A"}))
    >>> [q.object.value.removeprefix(KGO_IRI) for q in entity_quads([e])]
    ['Region', 'A', 'A city']
    """
    for entity in entities:
        iri = entity_iri(entity.key)
        yield Quad(iri, _TYPE, KGO[entity.type.value], ENTITIES_GRAPH)
        yield Quad(iri, RDFS.label, Literal(entity.label, language="zh"), ENTITIES_GRAPH)
        for alias in sorted(entity.aliases - {entity.label}):
            yield Quad(iri, SKOS.altLabel, Literal(alias, language="zh"), ENTITIES_GRAPH)


def network_quads(facts: Iterable[tuple[str, str, str]]) -> Iterator[Quad]:
    """Yield each distinct fact ``(head key, relation name, tail key)`` once, in
    ``NETWORK_GRAPH``.

    >>> [q.object.value for q in network_quads([("Project/P", "connects", "Region/A")])]
    ['https://w3id.org/policy-kg/id/Region/A']
    """
    for head, relation, tail in facts:
        yield Quad(entity_iri(head), KGO[relation], entity_iri(tail), NETWORK_GRAPH)


def ontology_quads(path: Path) -> Iterator[Quad]:
    """Yield the triples of a Turtle ontology file as quads in ``ONTOLOGY_GRAPH``.

    Raises:
        OntologyError: the file is missing or is not valid Turtle.
    """
    try:
        triples = list(parse(path=path, format=RdfFormat.TURTLE))
    except (OSError, SyntaxError) as exc:
        raise OntologyError(f"{path}: {exc}") from exc
    for t in triples:
        yield Quad(t.subject, t.predicate, t.object, ONTOLOGY_GRAPH)


def _document_node(doc: Document, g: NamedNode) -> Iterator[Quad]:
    yield Quad(g, RDF.type, KGO.Document, g)
    yield Quad(g, KGO.sourcePath, Literal(doc.id), g)
    yield Quad(g, DCTERMS.title, Literal(doc.title or doc.id, language="zh"), g)
    yield Quad(g, KGO.sha256, Literal(doc.sha256), g)


def _sentence(doc: Document, sentence: Sentence, g: NamedNode) -> Iterator[Quad]:
    s = NamedNode(f"{g.value}#s{sentence.index}")  # sentence_iri, from the graph's IRI
    yield Quad(s, _TYPE, _SENTENCE, g)
    yield Quad(s, _IN_DOCUMENT, g, g)
    yield Quad(s, _SENTENCE_INDEX, Literal(sentence.index), g)
    yield Quad(s, _START, Literal(sentence.start), g)
    yield Quad(s, _END, Literal(sentence.end), g)
    yield Quad(s, _TEXT, Literal(doc.text[sentence.start : sentence.end]), g)


def _mention(mention: Mention, entity: Entity, g: NamedNode) -> Iterator[Quad]:
    m = NamedNode(f"{g.value}#m{mention.start}-{mention.end}")  # mention_iri
    yield Quad(m, _TYPE, _MENTION, g)
    yield Quad(m, _MENTION_OF, entity_iri(entity.key), g)
    yield Quad(m, _SURFACE, Literal(mention.surface), g)
    yield Quad(m, _START, Literal(mention.start), g)
    yield Quad(m, _END, Literal(mention.end), g)
    yield Quad(m, _IN_SENTENCE, NamedNode(f"{g.value}#s{mention.sentence}"), g)
    yield Quad(m, _IN_DOCUMENT, g, g)


# Terms used for every sentence and mention, looked up once.
_TYPE, _MENTIONS, _MENTION, _SENTENCE = RDF.type, KGO.mentions, KGO.Mention, KGO.Sentence
_IN_DOCUMENT, _IN_SENTENCE, _MENTION_OF = KGO.inDocument, KGO.inSentence, KGO.mentionOf
_SENTENCE_INDEX, _START, _END, _TEXT, _SURFACE = (
    KGO.sentenceIndex, KGO.start, KGO.end, KGO.text, KGO.surface,
)  # fmt: skip


def _relations(
    doc_id: str, relations: Sequence[Relation], entities: Mapping[Mention, Entity], g: NamedNode
) -> Iterator[Quad]:
    facts: set[tuple[str, str, str]] = set()
    assertions: set[NamedNode] = set()
    for relation in relations:
        head, tail = entities[relation.head].key, entities[relation.tail].key
        predicate = KGO[relation.type.value]
        if (fact := (head, relation.type.value, tail)) not in facts:
            facts.add(fact)
            yield Quad(entity_iri(head), predicate, entity_iri(tail), g)
        evidence = relation.evidence
        digest = hashlib.sha1(
            f"{head}\t{relation.type.value}\t{tail}\t{evidence.sentence}".encode()
        ).hexdigest()
        r = NamedNode(f"{g.value}#r{digest}")  # relation_iri, from the graph's IRI
        if r in assertions:  # the same fact twice in one sentence: keep the first span
            continue
        assertions.add(r)
        yield Quad(r, RDF.type, KGO.RelationAssertion, g)
        yield Quad(r, RDF.subject, entity_iri(head), g)
        yield Quad(r, RDF.predicate, predicate, g)
        yield Quad(r, RDF.object, entity_iri(tail), g)
        for sentence in evidence.sentences:
            yield Quad(r, PROV.wasDerivedFrom, NamedNode(f"{g.value}#s{sentence}"), g)
        yield Quad(r, KGO.start, Literal(evidence.start), g)
        yield Quad(r, KGO.end, Literal(evidence.end), g)


def statistics_quads(
    types: Mapping[str, EntityType],
    facts: Collection[tuple[str, str, str]],
    only: Collection[str] | None = None,
) -> Iterator[Quad]:
    """Yield the build-time statistics of a graph, in ``STATISTICS_GRAPH``.

    ``DATASET`` gets ``void:entities`` and one ``void:classPartition`` per entity
    class (``void:class``, ``void:entities``) and one ``void:propertyPartition``
    per relation (``void:property``, ``void:triples``: distinct facts); every
    entity gets its ``kgo:degree``, the number of distinct facts it is the
    subject or object of (a fact linking an entity to itself counts twice).

    Args:
        types: each entity's key and type.
        facts: the distinct facts ``(head key, relation name, tail key)``.
        only: the keys of the entities whose degrees to yield (all if not given).

    >>> quads = statistics_quads({"Region/A": EntityType.REGION}, [])
    >>> sorted(q.object.value for q in quads if q.predicate == VOID.entities)
    ['0', '0', '0', '0', '0', '1', '1']
    """
    g = STATISTICS_GRAPH
    yield Quad(DATASET, RDF.type, VOID.Dataset, g)
    yield Quad(DATASET, VOID.entities, Literal(len(types)), g)
    per_type = Counter(types.values())
    for type_ in EntityType:
        part = NamedNode(f"{DATASET.value}/class/{type_.value}")
        yield Quad(DATASET, VOID.classPartition, part, g)
        yield Quad(part, VOID["class"], KGO[type_.value], g)
        yield Quad(part, VOID.entities, Literal(per_type[type_]), g)
    per_relation = Counter(relation for _, relation, _ in facts)
    for relation in RelationType:
        part = NamedNode(f"{DATASET.value}/property/{relation.value}")
        yield Quad(DATASET, VOID.propertyPartition, part, g)
        yield Quad(part, VOID.property, KGO[relation.value], g)
        yield Quad(part, VOID.triples, Literal(per_relation[relation.value]), g)
    degree: Counter[str] = Counter()
    for head, _, tail in facts:
        degree[head] += 1
        degree[tail] += 1
    for key in types if only is None else (key for key in types if key in only):
        yield Quad(entity_iri(key), KGO.degree, Literal(degree[key]), g)

"""The ontology's closed set of terms, entity IRIs and the shared SPARQL prefixes.

An unknown term raises ``AttributeError`` (``KGO.Regoin`` fails at once), so the
vocabulary cannot be mistyped; a test checks these terms equal those declared in
``ontology/kg.ttl``.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import quote

from pyoxigraph import NamedNode

from kg.model import EntityType, RelationType

__all__ = [
    "DCTERMS",
    "GRAPH_LAYOUT",
    "KGO",
    "KGO_IRI",
    "KGR_IRI",
    "PREFIXES",
    "PROV",
    "RDF",
    "RDFS",
    "SKOS",
    "VOID",
    "XSD",
    "document_iri",
    "entity_iri",
    "entity_key",
]

#: Version of the graph's layout: which statements a build puts in which named graph.
#: Readers rely on it (2: every entity is typed once in the entities graph; 3: every
#: distinct fact is stated once in the network graph; 4: the search index holds the
#: entity network too; 5: and the evidence kept for each fact; 6: and the network as
#: arrays for walks), so a build of another layout is refused with a request to build
#: again rather than read wrongly.
GRAPH_LAYOUT = 6

KGO_IRI = "https://w3id.org/policy-kg/ontology#"
KGR_IRI = "https://w3id.org/policy-kg/id/"

PREFIXES: dict[str, str] = {
    "kgo": KGO_IRI,
    "kgr": KGR_IRI,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "dcterms": "http://purl.org/dc/terms/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "void": "http://rdfs.org/ns/void#",
}


class _Namespace:
    """A closed namespace: only the listed local names exist."""

    def __init__(self, base: str, names: tuple[str, ...]) -> None:
        self._base = base
        self._terms = {name: NamedNode(base + name) for name in names}

    def __getattr__(self, name: str) -> NamedNode:
        try:
            return self._terms[name]
        except KeyError:
            raise AttributeError(f"{self._base}{name} is not a declared term") from None

    def __getitem__(self, name: str) -> NamedNode:
        return self.__getattr__(name)

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self._terms.values())

    @property
    def names(self) -> frozenset[str]:
        """Every declared local name."""
        return frozenset(self._terms)


#: Classes and properties of the policy-kg ontology.
KGO = _Namespace(
    KGO_IRI,
    (
        # entity classes
        "Entity",
        *(t.value for t in EntityType),
        # provenance classes
        "Document",
        "Sentence",
        "Mention",
        "RelationAssertion",
        # the six relations
        *(r.value for r in RelationType),
        # provenance properties
        "mentions",
        "mentionOf",
        "inSentence",
        "inDocument",
        "sourcePath",
        "sha256",
        "text",
        "surface",
        "start",
        "end",
        "sentenceIndex",
        # statistics computed at build time
        "degree",
    ),
)

RDF = _Namespace(PREFIXES["rdf"], ("type", "Statement", "subject", "predicate", "object"))
RDFS = _Namespace(PREFIXES["rdfs"], ("label", "comment", "subClassOf", "domain", "range"))
SKOS = _Namespace(PREFIXES["skos"], ("altLabel", "prefLabel"))
PROV = _Namespace(PREFIXES["prov"], ("wasDerivedFrom", "value", "Entity"))
DCTERMS = _Namespace(PREFIXES["dcterms"], ("title", "isPartOf", "source", "modified"))
XSD = _Namespace(PREFIXES["xsd"], ("integer", "string"))
#: The VoID terms of the build-time statistics.
VOID = _Namespace(
    PREFIXES["void"],
    ("Dataset", "classPartition", "class", "entities", "propertyPartition", "property", "triples"),
)

# Characters an IRI may not carry as they are (RFC 3987 excludes these), and controls.
_UNSAFE = re.compile(r'[ <>"{}|\\^`%#?\x00-\x1f]')


def _iri_segment(name: str) -> str:
    return _UNSAFE.sub(lambda unsafe: quote(unsafe.group(), safe=""), name)


def entity_key(type_: EntityType, name: str) -> str:
    """Return the stable key of an entity: its type and canonical name.

    >>> entity_key(EntityType.REGION, "Ningbo")
    'Region/Ningbo'
    """
    return f"{type_.value}/{name}"


@lru_cache(maxsize=2**17)
def entity_iri(key: str) -> NamedNode:
    """Return the IRI of the entity with this key, remembered: the same entities recur in
    every document and in each of the build's whole-graph parts.

    >>> entity_iri("Region/Ningbo Port").value
    'https://w3id.org/policy-kg/id/Region/Ningbo%20Port'
    """
    type_, _, name = key.partition("/")
    return NamedNode(f"{KGR_IRI}{type_}/{_iri_segment(name)}")


def document_iri(doc_id: str) -> NamedNode:
    """Return the IRI of a document (also the IRI of its named graph).

    >>> document_iri("000_a.txt").value
    'https://w3id.org/policy-kg/id/doc/000_a.txt'
    """
    return NamedNode(f"{KGR_IRI}doc/" + "/".join(_iri_segment(p) for p in doc_id.split("/")))

"""Statistics stored at build time (VoID partitions, kgo:degree) equal a live count."""

from __future__ import annotations

from collections import Counter

import pytest

from kg import query, store
from kg.model import EntityType, RelationType
from kg.rdf import STATISTICS_GRAPH

_TYPES = " ".join(f"kgo:{t.value}" for t in EntityType)
_RELATIONS = " ".join(f"kgo:{r.value}" for r in RelationType)


def _rows(folder, sparql):  # type: ignore[no-untyped-def]
    return [
        {k.value: row[k.value].value for k in rows.variables}
        for rows in [store.select(folder, sparql)]
        for row in rows
    ]


def _stored_classes(folder) -> dict[str, int]:  # type: ignore[no-untyped-def]
    sparql = """SELECT ?class ?n WHERE { GRAPH <https://w3id.org/policy-kg/id/graph/statistics> {
        kgr:dataset void:classPartition ?p . ?p void:class ?class ; void:entities ?n } }"""
    return {r["class"]: int(r["n"]) for r in _rows(folder, sparql)}


def test_the_first_documents_are_a_page_of_every_documents_counts(built):
    every = query.stats(built).documents
    assert query.first_documents(built, limit=2) == (len(every), every[:2])
    assert query.first_documents(built, limit=100) == (len(every), every)
    assert every[0].relations > 0 and every[0].sentences > 0


def test_statistics_have_a_graph_of_their_own(built):
    sparql = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?e kgo:degree ?n } }"
    assert [r["g"] for r in _rows(built, sparql)] == [STATISTICS_GRAPH.value]


def test_class_partitions_equal_a_live_count(built):
    live = f"""SELECT ?class (COUNT(DISTINCT ?e) AS ?n)
               WHERE {{ VALUES ?class {{ {_TYPES} }} ?e a ?class }} GROUP BY ?class"""
    counted = {r["class"]: int(r["n"]) for r in _rows(built, live)}
    stored = _stored_classes(built)
    assert len(stored) == 6
    assert stored == {c: counted.get(c, 0) for c in stored}
    assert min(stored.values()) > 0


def test_dataset_entities_equal_the_sum_of_the_partitions(built):
    [row] = _rows(built, "SELECT ?n WHERE { kgr:dataset a void:Dataset ; void:entities ?n }")
    assert int(row["n"]) == sum(_stored_classes(built).values())


def test_property_partitions_equal_distinct_facts(built):
    live = f"""SELECT ?p (COUNT(*) AS ?n) WHERE {{
        {{ SELECT DISTINCT ?h ?p ?t WHERE {{ VALUES ?p {{ {_RELATIONS} }} ?h ?p ?t }} }}
    }} GROUP BY ?p"""
    counted = {r["p"]: int(r["n"]) for r in _rows(built, live)}
    stored = """SELECT ?p ?n WHERE { kgr:dataset void:propertyPartition ?x .
                                     ?x void:property ?p ; void:triples ?n }"""
    found = {r["p"]: int(r["n"]) for r in _rows(built, stored)}
    assert len(found) == 6
    assert found == {p: counted.get(p, 0) for p in found}


def test_every_entity_has_its_live_degree(built):
    facts = _rows(
        built, f"SELECT DISTINCT ?h ?p ?t WHERE {{ VALUES ?p {{ {_RELATIONS} }} ?h ?p ?t }}"
    )
    live: Counter[str] = Counter()
    for fact in facts:
        live[fact["h"]] += 1
        live[fact["t"]] += 1
    entities = _rows(built, f"SELECT DISTINCT ?e WHERE {{ VALUES ?c {{ {_TYPES} }} ?e a ?c }}")
    stored = _rows(built, "SELECT ?e ?n WHERE { ?e kgo:degree ?n }")
    degree = {r["e"]: int(r["n"]) for r in stored}
    assert len(stored) == len(degree) == len(entities)
    assert degree == {e["e"]: live[e["e"]] for e in entities}
    assert max(degree.values()) >= 10


@pytest.mark.parametrize("summary_field", ["entities", "relations"])
def test_the_build_summary_agrees_with_the_statistics(built, built_summary, summary_field):
    if summary_field == "entities":
        stored = {k.rpartition("#")[2]: n for k, n in _stored_classes(built).items()}
    else:
        sparql = """SELECT ?p ?n WHERE { ?x void:property ?p ; void:triples ?n }"""
        stored = {r["p"].rpartition("#")[2]: int(r["n"]) for r in _rows(built, sparql)}
    assert getattr(built_summary, summary_field) == stored


def test_kg_stats_reads_the_stored_counts(built, built_summary):
    assert query.type_counts(built) == built_summary.entities
    assert query.relation_counts(built) == built_summary.relations


def test_a_graph_without_statistics_is_counted_live(tiny):
    assert query.type_counts(tiny)["Platform"] == 1
    assert query.relation_counts(tiny)["connects"] == 1

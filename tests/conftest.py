"""Shared fixtures: the sample corpus built once, and a small hand-made graph.

``built`` is the output folder of ``kg build seeds/`` (store/, graph.nq, graph.html),
built once per test session; tests must only read it. ``records`` are hand-made
records of two real sentences of the sample corpus, and ``tiny`` is their graph,
built without the extractor, for tests of the readers.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest

from kg.model import (
    Document,
    Entity,
    EntityType,
    Evidence,
    Mention,
    Relation,
    RelationType,
    Sentence,
)
from kg.vocab import entity_key

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
ONTOLOGY = ROOT / "ontology"

# Two sentences of seeds/001 and seeds/003, the second preceded by a heading line.
_SENTENCES = (
    "以世界一流标准打造甬江科创区，支持甬江实验室争创国家实验室。",
    "在“十三五”收官之际，通苏嘉甬铁路浙江段正式开工，为宁波市深入对接“四大建设”提供重要载体。",
)
TEXT = _SENTENCES[0] + "\n" + _SENTENCES[1]


@dataclass(frozen=True)
class Records:
    """One document's records as the stages would give them."""

    doc: Document
    mentions: list[Mention]
    relations: list[Relation]
    entities: dict[Mention, Entity]


def _sentence(index: int, start: int, text: str) -> Sentence:
    offsets = tuple(range(start, start + len(text)))
    return Sentence(index, start, start + len(text), text, offsets, paragraph=index)


def make_records(doc_id: str = "a/sample.txt") -> Records:
    """Return records of ``TEXT``: three mentions, three entities, one relation."""
    second = len(_SENTENCES[0]) + 1
    sentences = (_sentence(0, 0, _SENTENCES[0]), _sentence(1, second, _SENTENCES[1]))
    doc = Document(doc_id, Path(doc_id), "样例", TEXT, "ab" * 32, (), sentences)

    def mention(surface: str, name: str, type_: EntityType, sentence: int) -> Mention:
        start = TEXT.index(surface)
        return Mention(name, type_, surface, start, start + len(surface), sentence)

    platform = mention("甬江科创区", "甬江科创区", EntityType.PLATFORM, 0)
    railway = mention("通苏嘉甬铁路", "通苏嘉甬铁路", EntityType.PROJECT, 1)
    city = mention("宁波市", "宁波", EntityType.REGION, 1)
    entities = {
        platform: Entity(
            entity_key(EntityType.PLATFORM, "甬江科创区"), EntityType.PLATFORM, "甬江科创区"
        ),
        railway: Entity(
            entity_key(EntityType.PROJECT, "通苏嘉甬铁路"), EntityType.PROJECT, "通苏嘉甬铁路"
        ),
        city: Entity(
            entity_key(EntityType.REGION, "宁波"), EntityType.REGION, "宁波", frozenset({"宁波市"})
        ),
    }
    s = sentences[1]
    evidence = Evidence(doc_id, 1, s.start, s.end, TEXT[s.start : s.end])
    relations = [Relation(railway, RelationType.CONNECTS, city, evidence)]
    return Records(doc, [platform, railway, city], relations, entities)


@pytest.fixture
def records() -> Records:
    """Hand-made records of one document."""
    return make_records()


@pytest.fixture(scope="session")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return an output folder holding the graph of ``make_records()`` and the ontology."""
    from kg import rdf, store

    r = make_records()
    out = tmp_path_factory.mktemp("tiny")
    quads = [
        *rdf.ontology_quads(ONTOLOGY / "kg.ttl"),
        *rdf.document_quads(r.doc, r.mentions, r.relations, r.entities),
        *rdf.entity_quads(set(r.entities.values())),
        *rdf.network_quads(
            {(r.entities[x.head].key, x.type.value, r.entities[x.tail].key) for x in r.relations}
        ),
    ]
    with store.building(out) as gen:
        store.write_store(gen, quads)
    return out


@pytest.fixture(scope="session")
def built_summary(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """Build the five sample documents once; return the build's summary."""
    from kg.config import Settings
    from kg.pipeline import build

    out = tmp_path_factory.mktemp("built")
    return build([SEEDS], Settings(out_dir=out))


@pytest.fixture(scope="session")
def built(built_summary) -> Path:  # type: ignore[no-untyped-def]
    """Return the output folder of the sample corpus's build (read it, never write it)."""
    return built_summary.out_dir


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Fail, not skip, a test whose component is missing when KG_REQUIRE_COMPONENTS=1.

    On a user's machine a test that needs Chromium or a SPARQL server skips with the
    reason; CI installs them and sets the variable, so there such a skip is a defect.
    """
    outcome = yield
    report = outcome.get_result()
    if report.skipped and os.environ.get("KG_REQUIRE_COMPONENTS") == "1":
        reason = str(report.longrepr)
        if "not installed" in reason or "is missing" in reason:
            report.outcome = "failed"
            report.longrepr = f"required component missing in CI: {reason}"

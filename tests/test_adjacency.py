"""The network's arrays in the index: walks by number give the facts and names written."""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from pathlib import Path

from kg.adjacency import SCHEMA, Adjacency, parts
from kg.vocab import KGR_IRI

# 宁波 lies in 浙江, which lies in itself by a bad extraction (a loop); 杭州 likewise lies
# in 浙江 and cooperates with 宁波; 舟山 is linked to nothing.
ENTITIES = [
    ("Region/宁波", "宁波", ["甬", "宁波市"]),
    ("Region/杭州", "杭州", []),
    ("Region/浙江", "浙江", ["浙"]),
    ("Region/舟山", "舟山", []),
]
FACTS = [(0, "locatedIn", 2), (1, "cooperatesWith", 0), (1, "locatedIn", 2), (2, "locatedIn", 2)]


def _written(path: Path, entities=ENTITIES, facts=FACTS) -> Adjacency:  # type: ignore[no-untyped-def]
    """Write the parts as the index writer does (a new file moved in place); read them."""
    part = path.with_suffix(".part")
    with closing(sqlite3.connect(part)) as db, db:
        db.executescript(SCHEMA)
        db.executemany("INSERT INTO adjacency VALUES (?, ?)", parts(entities, facts))
    os.replace(part, path)
    return Adjacency.of(path)


def test_facts_are_found_from_either_end_and_a_loop_once(tmp_path: Path) -> None:
    network = _written(tmp_path / "index.sqlite")
    ningbo, hangzhou, zhejiang, zhoushan = (network.number(KGR_IRI + e[0]) for e in ENTITIES)
    assert (ningbo, hangzhou, zhejiang, zhoushan) == (0, 1, 2, 3)
    assert network.number(KGR_IRI + "Region/温州") is None
    assert network.number("https://example.org/Region/宁波") is None
    assert network.facts_of([ningbo]) == {0, 1}
    assert network.facts_of([zhejiang]) == {0, 2, 3}
    assert network.facts_of([zhoushan]) == set()
    assert network.linked([ningbo]) == {hangzhou, zhejiang}
    assert network.linked([zhejiang]) == {ningbo, hangzhou, zhejiang}
    assert network.facts_among({ningbo, zhejiang}) == {0, 3}


def test_the_answer_names_entities_and_facts_in_the_order_asked(tmp_path: Path) -> None:
    network = _written(tmp_path / "index.sqlite")
    nodes, facts = network.answer([0, 1, 2], [3, 1])
    assert nodes == [
        (KGR_IRI + "Region/宁波", "Region", "宁波", ["甬", "宁波市"]),
        (KGR_IRI + "Region/杭州", "Region", "杭州", []),
        (KGR_IRI + "Region/浙江", "Region", "浙江", ["浙"]),
    ]
    assert facts == [
        (KGR_IRI + "Region/浙江", "locatedIn", KGR_IRI + "Region/浙江"),
        (KGR_IRI + "Region/杭州", "cooperatesWith", KGR_IRI + "Region/宁波"),
    ]
    nodes[0][3].append("明州")  # each answer's lists are its own
    assert network.answer([0], [])[0][0][3] == ["甬", "宁波市"]


def test_a_new_version_of_the_index_is_read_again(tmp_path: Path) -> None:
    path = tmp_path / "index.sqlite"
    assert len(_written(path)) == 4  # read, and kept by this process
    again = _written(path, ENTITIES[:2], [(1, "cooperatesWith", 0)])
    assert len(again) == 2 and again.facts_of([0]) == {0}

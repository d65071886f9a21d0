"""Entity cards, chains, neighbours, rankings and communities on the sample corpus, and search."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner
from conftest import make_records

from kg import explore, search, store
from kg.cli import cli
from kg.model import Entity, EntityType, Mention

pytestmark = pytest.mark.slow  # reads the session build of the sample corpus


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def test_entity_card_of_an_alias_names_the_canonical_entity(built: Path) -> None:
    code, out = run("entity", "宁波市", "-g", str(built))
    assert code == 0, out
    assert out.startswith("宁波  (Region)")
    assert "IRI      https://w3id.org/policy-kg/id/Region/宁波\n" in out
    assert "宁波市" in out.splitlines()[2]  # aliases line
    assert "—connects→" not in out or "←connects—" in out  # railways connect the city
    assert "documents\n" in out and "mentions" in out


def test_card_groups_relations_with_evidence_and_documents(built: Path) -> None:
    card = explore.entity_card(built, "甬江科创区")
    assert card.entity.key == "Platform/甬江科创区"
    located = [f for f in card.outgoing if f.relation == "locatedIn"]
    assert [f.tail.label for f in located] == ["甬江"]
    evidence = located[0].evidence[0]
    assert "甬江科创区" in evidence.text and evidence.document.startswith("002_")
    assert evidence.sentence >= 0
    assert ("locatedIn", "out") in {(g.relation, g.direction) for g in card.groups}
    assert sum(d.mentions for d in card.documents) >= 2
    assert card.complete and card.degree == len(card.outgoing) + len(card.incoming)


def test_card_of_the_most_linked_entity_shows_a_bounded_part_and_counts_the_rest(
    built: Path,
) -> None:
    card = explore.entity_card(built, "宁波")
    full = explore.entity_card(built, "宁波", facts=None, evidence=None, documents=None)
    assert full.complete and not card.complete
    assert card.degree == full.degree == sum(g.total for g in full.groups) == 41
    assert (card.document_total, card.mention_total) == (5, full.mention_total)
    assert full.mention_total == sum(d.mentions for d in full.documents)
    whole = {(g.relation, g.direction): g for g in full.groups}
    for group in card.groups:
        every = whole[group.relation, group.direction].facts
        assert group.total == len(every)
        assert len(group.facts) == min(group.total, explore.FACTS_SHOWN)
        assert group.hidden == group.total - len(group.facts)
        listed = {(f.head, f.tail) for f in group.facts}
        left_out = [f for f in every if (f.head, f.tail) not in listed]
        assert min(f.documents for f in group.facts) >= max(  # shown: those stated most often
            (f.documents for f in left_out), default=0
        )
    located = next(g for g in card.groups if (g.relation, g.direction) == ("locatedIn", "in"))
    assert (located.total, len(located.facts), located.hidden) == (17, 10, 7)
    told = {(f.head, f.relation, f.tail): f for f in full.incoming + full.outgoing}
    widest = max(card.incoming + card.outgoing, key=lambda f: f.documents)
    assert widest.documents == 4 > explore.EVIDENCE_SHOWN
    shown = {ev.document for ev in widest.evidence}
    assert len(shown) == explore.EVIDENCE_SHOWN and widest.hidden_documents == 1
    stated = told[widest.head, widest.relation, widest.tail].evidence
    assert len({ev.document for ev in stated}) == widest.documents
    assert set(widest.evidence) <= set(stated)
    for ev in widest.evidence:  # each is a sentence of the document it names
        doc = search.read_document(built, ev.document)
        assert doc is not None and ev.text in doc.text
    assert "宁波" in "".join(ev.text for ev in widest.evidence)


def test_card_text_says_what_it_leaves_out_and_all_shows_it(built: Path) -> None:
    code, out = run("entity", "宁波", "-g", str(built))
    assert code == 0, out
    assert "facts    41\nmentions " in out and " in 5 documents\n" in out
    assert "  ←locatedIn—  (17)\n" in out and "\n    … and 7 more\n" in out
    assert "      … and 1 more document\n" in out
    assert out.endswith(
        "not all shown: kg entity Region/宁波 --all lists every fact, sentence and document\n"
    )
    code, everything = run("entity", "宁波", "-g", str(built), "--all")
    assert code == 0, everything
    assert "… and" not in everything and "not all shown" not in everything
    group = everything.split("  ←locatedIn—  (17)\n")[1].split("\n  ←")[0]
    facts = [line for line in group.splitlines() if line[4] != " "]  # evidence is indented more
    assert len(facts) == 17


def test_card_queries_list_what_the_card_leaves_out(built: Path) -> None:
    card = explore.entity_card(built, "宁波")
    located = next(g for g in card.groups if (g.relation, g.direction) == ("locatedIn", "in"))
    rows = list(store.select(built, explore.group_query(card.entity, located)))
    assert len(rows) == located.total
    assert [int(r["documents"].value) for r in rows[:10]] == [f.documents for f in located.facts]
    widest = max(card.incoming + card.outgoing, key=lambda f: f.documents)
    said = list(store.select(built, explore.evidence_query(widest)))
    assert len({r["document"].value for r in said}) == widest.documents
    assert {ev.text for ev in widest.evidence} <= {r["sentence"].value for r in said}
    documents = list(store.select(built, explore.documents_query(card.entity)))
    assert len(documents) == card.document_total
    assert sum(int(r["mentions"].value) for r in documents) == card.mention_total


def test_unknown_name_lists_the_closest_and_exits_1(built: Path) -> None:
    code, out = run("entity", "宁波港口集团", "-g", str(built))
    assert code == 1
    assert out.startswith("error: no entity named '宁波港口集团'; closest: ")
    assert "Region/宁波" in out and "Platform/宁波舟山港" in out


def test_ambiguous_name_lists_each_entity(tmp_path: Path) -> None:
    r = make_records()
    city = r.mentions[2]
    port = Mention("宁波", EntityType.PLATFORM, city.surface, city.start, city.end, city.sentence)
    entities = {**r.entities, port: Entity("Platform/宁波", EntityType.PLATFORM, "宁波")}
    with search.IndexWriter(tmp_path) as index:
        index.add(r.doc, [*r.mentions, port], entities)
    with pytest.raises(explore.EntityNotFound) as caught:
        explore.find_entity(tmp_path, "宁波")
    assert sorted(c.key for c in caught.value.candidates) == ["Platform/宁波", "Region/宁波"]
    assert "'宁波' names 2 entities; choose one of" in str(caught.value)


def test_path_from_the_railway_to_a_programme_names_its_evidence(built: Path) -> None:
    code, out = run("path", "通苏嘉甬铁路", "长三角一体化发展", "-g", str(built), "--max-hops", "4")
    assert code == 0, out
    first = out.split("\n\n")[0]
    assert first.startswith("chain 1: 1 link: 通苏嘉甬铁路 – 长三角一体化发展")
    assert "通苏嘉甬铁路 (Project) —supports→ 长三角一体化发展 (Programme)" in first
    assert "“在“十三五”收官之际，通苏嘉甬铁路浙江段正式开工" in first
    assert "[003_ad4e1f620afa6d52.txt]" in first
    # the evidence is read for the chains: the network kept for walks stays without
    assert not any(ev for *_, ev in explore.network(built).edges(data="evidence"))


def test_path_walks_links_in_both_directions(built: Path) -> None:
    code, out = run("path", "甬台温福高铁", "通苏嘉甬铁路", "-g", str(built), "--max-hops", "3")
    assert code == 0, out
    first = out.split("\n\n")[0]
    assert first.startswith("chain 1: 2 links: 甬台温福高铁 – 宁波 – 通苏嘉甬铁路")
    assert "—connects→ 宁波" in first and "宁波 (Region) ←connects— 通苏嘉甬铁路" in first


def test_path_chains_are_shortest_first_and_join_the_ends(built: Path) -> None:
    chains = explore.paths(built, "甬台温福高铁", "通苏嘉甬铁路", alternatives=3)
    assert len(chains) == 3
    assert [len(c.steps) for c in chains] == sorted(len(c.steps) for c in chains)
    for chain in chains:
        assert chain.entities[0].label == "甬台温福高铁"
        assert chain.entities[-1].label == "通苏嘉甬铁路"
        for step in chain.steps:
            assert step.facts and all(
                {f.head, f.tail} == {step.source, step.target} for f in step.facts
            )


def test_no_chain_within_the_hops_exits_1(built: Path) -> None:
    code, out = run("path", "甬台温福高铁", "通苏嘉甬铁路", "-g", str(built), "--max-hops", "1")
    assert code == 1 and "no chain of at most 1 links" in out


def test_neighbors_by_hops_and_type(built: Path) -> None:
    code, out = run("neighbors", "甬江科创区", "-g", str(built))
    assert code == 0
    assert "1  甬江 (Region)  via 甬江科创区: 甬江科创区 —locatedIn→ 甬江" in out
    near = {n.entity for n in explore.neighbours(built, "通苏嘉甬铁路")}
    assert {e.label for e in near} >= {"宁波", "嘉兴", "南通", "苏州"}
    found = explore.neighbours(built, "通苏嘉甬铁路", hops=2, type_="Project")
    assert any(n.entity.label == "甬台温福高铁" for n in found)
    for n in found:
        assert n.hops == 2 and n.entity.type == "Project" and n.via in near
        assert n.facts and all(n.via in (f.head, f.tail) for f in n.facts)


def test_neighbours_read_ring_by_ring_are_those_of_the_whole_network(built: Path) -> None:
    whole = nx.Graph(explore.network(built).to_undirected(as_view=True))
    by_degree = sorted(whole, key=lambda n: (-whole.degree(n), n))
    for centre in [*by_degree[:3], by_degree[len(by_degree) // 2]]:
        for hops in (1, 2, 3):
            found = explore.neighbours(built, centre, hops=hops)
            distance = nx.single_source_shortest_path_length(whole, centre, cutoff=hops)
            assert {n.entity.iri: n.hops for n in found} == {
                node: hop for node, hop in distance.items() if node != centre
            }
            for n in found:
                assert distance[n.via.iri] == n.hops - 1 and whole.has_edge(n.via.iri, n.entity.iri)


def test_rank_by_each_measure(built: Path) -> None:
    for by in explore.RANK_BY:
        code, out = run("rank", "--by", by, "-n", "3", "-g", str(built))
        assert code == 0, out
        assert "宁波 (Region)" in out, (by, out)  # the city is among the three most central
    assert explore.rank(built, limit=1)[0].entity.label == "宁波"  # by degree: the most facts
    programmes = explore.rank(built, by="pagerank", type_="Programme", limit=5)
    assert {r.entity.type for r in programmes} == {"Programme"}
    assert programmes == sorted(programmes, key=lambda r: -r.score)
    code, out = run("rank", "--type", "Town", "-g", str(built))
    assert code == 2 and "choose Region, Platform" in out


def test_pagerank_is_the_stationary_walk_along_the_facts(built: Path) -> None:
    graph = explore.network(built)
    ranked = explore.rank(built, by="pagerank", limit=len(graph))
    nodes, out = list(graph), dict(graph.out_degree())
    walk = dict.fromkeys(nodes, 1 / len(nodes))
    for _ in range(200):  # power iteration; a walker at an entity without facts jumps anywhere
        stuck = sum(walk[n] for n in nodes if not out[n])
        step = dict.fromkeys(nodes, (0.15 + 0.85 * stuck) / len(nodes))
        for head, tail in graph.edges():
            step[tail] += 0.85 * walk[head] / out[head]
        walk = step
    assert len(ranked) == len(nodes)
    assert all(abs(r.score - walk[r.entity.iri]) < 1e-9 for r in ranked)


def test_rank_by_degree_stored_at_build_time_is_the_networks_degree(built: Path) -> None:
    whole = explore.network(built)
    for type_ in (None, "Platform"):
        kept = [n for n in whole if type_ in (None, whole.nodes[n]["type"])]
        expected = sorted(kept, key=lambda n: (-whole.degree(n), whole.nodes[n]["label"], n))
        ranked = explore.rank(built, type_=type_, limit=40)
        assert [r.entity.iri for r in ranked] == expected[:40]
        assert [r.degree for r in ranked] == [whole.degree(n) for n in expected[:40]]
        assert all(r.entity.type == whole.nodes[r.entity.iri]["type"] for r in ranked)


def test_communities_are_named_by_their_central_members(built: Path) -> None:
    code, out = run("communities", "-g", str(built))
    assert code == 0
    groups = explore.communities(built)
    assert out.startswith(f"1. {groups[0].name}  ({len(groups[0].members)} entities)")
    assert [len(g.members) for g in groups] == sorted(
        (len(g.members) for g in groups), reverse=True
    )
    ningbo = next(g for g in groups if any(m.label == "宁波" for m in g.members))
    assert ningbo.name.split(" · ")[0] == "宁波"  # the most linked member names its group


def test_search_entities_by_partial_label_and_alias(built: Path) -> None:
    labels = [m.label for m in search.find_entities(built, "科创区")]
    assert "甬江科创区" in labels
    by_alias = search.find_entities(built, "宁波市")
    assert by_alias[0].label == "宁波" and by_alias[0].name == "宁波市"


def test_search_sentences_rank_and_mark_the_match(built: Path) -> None:
    hits = search.find_sentences(built, "通苏嘉甬铁路")
    assert hits and all("通苏嘉甬铁路" in h.text for h in hits)
    assert ("通苏嘉甬铁路", True) in hits[0].segments
    assert "".join(part for part, _ in hits[0].segments) == hits[0].text
    both = search.find_sentences(built, "甬江 实验室")
    assert both and all("甬江" in h.text and "实验室" in h.text for h in both)
    assert search.find_sentences(built, "不存在的词语组合") == []


def test_search_takes_traditional_characters(built: Path) -> None:
    assert search.find_entities(built, "寧波")[0].label == "宁波"
    assert search.find_sentences(built, "甬江科創區")


def test_document_text_keeps_its_mentions(built: Path) -> None:
    doc = search.read_document(built, "002_5f5b069e0a375b5a.txt")
    assert doc is not None and doc.title
    for m in doc.mentions[:50]:
        assert doc.text[m.start : m.end]
    assert any(doc.text[m.start : m.end] == "甬江科创区" for m in doc.mentions)
    assert search.read_document(built, "nothing.txt") is None


def test_every_command_has_help() -> None:
    for name in ("entity", "path", "neighbors", "rank", "communities", "serve"):
        code, out = run(name, "--help")
        assert code == 0 and "Usage: " in out

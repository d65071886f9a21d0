"""Network views: offline, escaped, UTF-8 under any locale, fast, shaped by kg.subgraph."""

from __future__ import annotations

import json
import os
import pickle
import re
import subprocess
import sys
from functools import partial
from pathlib import Path

import networkx as nx
import pytest
import rdflib
from pyvis.network import Network

from kg import layout, search, store
from kg.config import ONTOLOGY_DIR
from kg.errors import QueryError
from kg.layout import Kept
from kg.model import EntityType, RelationType
from kg.subgraph import communities, ego_graph, filter_graph, find_node, path_graph, strongest
from kg.views import load_looks, make_view, view_html, write_view
from kg.vocab import KGR_IRI, entity_iri, entity_key

SEEDS = Path(__file__).parent.parent / "seeds"

#: (name, type, aliases) of entities named in the seed documents
ENTITIES = [
    ("宁波", EntityType.REGION, ["宁波市", "甬"]),
    ("长三角", EntityType.REGION, ["长江三角洲"]),
    ("甬江科创区", EntityType.PLATFORM, []),
    ("前湾新区", EntityType.PLATFORM, []),
    ("通苏嘉甬铁路", EntityType.PROJECT, []),
    ("新材料", EntityType.INDUSTRY, []),
    ("长三角一体化", EntityType.PROGRAMME, ["长三角区域一体化"]),
    ("甬江实验室", EntityType.ORGANIZATION, []),
    ("中科院宁波材料所", EntityType.ORGANIZATION, []),
]
#: (head, relation, tail, words the evidence sentence contains)
LINKS = [
    ("甬江科创区", "locatedIn", "宁波", ("甬江科创区", "宁波")),
    ("甬江实验室", "partOf", "甬江科创区", ("甬江实验室", "甬江科创区")),
    ("中科院宁波材料所", "cooperatesWith", "甬江实验室", ("甬江实验室", "中科院宁波材料所")),
    ("中科院宁波材料所", "focusesOn", "新材料", ("中科院宁波材料所", "新材料")),
    ("通苏嘉甬铁路", "supports", "长三角一体化", ("通苏嘉甬铁路", "长三角一体化")),
    ("通苏嘉甬铁路", "connects", "宁波", ("通苏嘉甬铁路", "宁波")),
    ("宁波", "locatedIn", "长三角", ("宁波", "长三角")),
    ("前湾新区", "locatedIn", "宁波", ("前湾新区", "宁波")),
    ("宁波", "supports", "长三角一体化", ("宁波", "长三角一体化")),
]
ATTACKS = [
    "</script><script>window.__xss=1</script>",
    '<img src=x onerror="window.__xss=1">',
    "<svg onload=window.__xss=1>",
    '<a href="javascript:window.__xss=1">x</a>',
    "<!--<script>window.__xss=1//",
]


def iri(name: str) -> str:
    type_ = next(t for n, t, _ in ENTITIES if n == name)
    return entity_iri(entity_key(type_, name)).value


def sentence(*words: str) -> tuple[str, str]:
    """Return the first seed sentence holding all the words, and its document."""
    for path in sorted(SEEDS.glob("*.txt")):
        for text in re.split(r"(?<=[。！？；])|\n", path.read_text(encoding="utf-8")):
            if all(w in text for w in words):
                return text.strip(), path.name
    raise AssertionError(f"no seed sentence holds {words}")


def seed_graph() -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph()
    for name, type_, aliases in ENTITIES:
        graph.add_node(iri(name), label=name, type=type_.value, aliases=aliases)
    for head, relation, tail, words in LINKS:
        graph.add_edge(iri(head), iri(tail), relation=relation, evidence=[sentence(*words)])
    return graph


def big_graph(n: int, links_per_node: int = 2) -> nx.MultiDiGraph:
    """Return a scale-free graph of n entities with evidence on every link."""
    base = nx.barabasi_albert_graph(n, links_per_node, seed=1)
    types, relations = list(EntityType), list(RelationType)
    text, doc = sentence("甬江科创区", "宁波")
    graph = nx.MultiDiGraph()
    for i in base:
        type_ = types[i % 6]
        graph.add_node(f"kgr:{type_.value}/e{i}", label=f"实体{i}", type=type_.value, aliases=[])
    for k, (u, v) in enumerate(base.edges()):
        graph.add_edge(
            f"kgr:{types[u % 6].value}/e{u}",
            f"kgr:{types[v % 6].value}/e{v}",
            relation=relations[k % 6].value,
            evidence=[(text, doc)],
        )
    return graph


def page_data(page: str) -> dict:
    block = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', page, re.S)
    assert block
    return json.loads(block.group(1))


# --- the page fetches nothing -------------------------------------------------------------

FETCHING = re.compile(
    r"""(?:\b(?:src|href|action|poster|data)\s*=\s*["']?\s*(?:https?:)?//)"""
    r"""|(?:url\(\s*["']?\s*(?:https?:)?//)|@import""",
    re.IGNORECASE,
)


def test_view_fetches_nothing_from_elsewhere(tmp_path: Path) -> None:
    out = tmp_path / "view.html"
    write_view(seed_graph(), out, title="宁波")
    page = out.read_text(encoding="utf-8")
    assert FETCHING.search(page) is None
    assert "<script src" not in page and "<link" not in page
    assert not re.search(r"cdnjs|jsdelivr|unpkg|bootstrap", page, re.IGNORECASE)
    assert "default-src 'none'" in page  # the content policy refuses any fetch
    assert "vis.Network" in page and len(page) > 400_000  # vis-network is inlined


def test_view_writes_nothing_but_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cwd, out = tmp_path / "cwd", tmp_path / "site" / "view.html"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    write_view(seed_graph(), out, title="宁波")
    assert list(cwd.iterdir()) == []
    assert [p.name for p in out.parent.iterdir()] == ["view.html"]


# --- legend, colours, sizes, tooltips -------------------------------------------------------


def test_legend_names_the_six_types_in_chinese_and_english() -> None:
    page = view_html(seed_graph(), title="宁波")
    looks = load_looks()
    for type_ in EntityType:
        item = re.search(rf'<li data-type="{type_.value}">(.*?)</li>', page)
        assert item, type_
        assert looks[type_].zh in item.group(1) and looks[type_].en in item.group(1)
    assert len(re.findall(r'<li data-relation="', page)) == 6


def test_legend_names_match_the_ontology_labels() -> None:
    onto = rdflib.Graph().parse(ONTOLOGY_DIR / "kg.ttl")
    kgo = rdflib.Namespace("https://w3id.org/policy-kg/ontology#")
    for name, look in load_looks().items():
        labels = {(str(o), o.language) for o in onto.objects(kgo[name], rdflib.RDFS.label)}
        assert {(look.zh, "zh"), (look.en, "en")} <= labels, name


def test_each_type_and_relation_has_its_own_look() -> None:
    data = page_data(view_html(seed_graph(), title="宁波"))
    groups = data["options"]["groups"]
    assert set(groups) == {t.value for t in EntityType}
    assert len({g["color"] for g in groups.values()}) == 6
    assert len({g["shape"] for g in groups.values()}) == 6
    looks = load_looks()
    for edge in data["edges"]:
        relation = next(r for r in RelationType if looks[r].zh == edge["label"])
        assert edge["color"] == looks[relation].colour


def test_node_size_grows_with_degree() -> None:
    data = page_data(view_html(seed_graph(), title="宁波"))
    size = {n["label"]: n["size"] for n in data["nodes"]}
    assert size["宁波"] > size["甬江科创区"] > size["新材料"]


def test_tooltips_are_plain_text_with_type_aliases_and_evidence() -> None:
    graph = seed_graph()
    for text, doc in [sentence("宁波", "上海"), sentence("宁波", "长三角"), sentence("甬", "沪")]:
        graph.add_edge(iri("宁波"), iri("长三角"), relation="locatedIn", evidence=[(text, doc)])
    data = page_data(view_html(graph, title="宁波"))
    title = next(n["title"] for n in data["nodes"] if n["label"] == "宁波")
    assert "区域 region" in title and "宁波市, 甬" in title
    shown = [line for line in title.splitlines() if line.startswith("• ")]
    assert len(shown) == 3  # at most three evidence sentences, each with its document
    known = {
        f"• {' '.join(s.split())} ({d})" for *_, evs in graph.edges(data="evidence") for s, d in evs
    }
    assert set(shown) <= known
    edge = next(e for e in data["edges"] if e["label"] == "支撑")
    assert "支撑 supports" in edge["title"] and ".txt)" in edge["title"]


# --- text from documents cannot inject markup -------------------------------------------


def attacked_graph() -> nx.MultiDiGraph:
    graph = seed_graph()
    for i, attack in enumerate(ATTACKS):
        node = f"kgr:Platform/attack{i}"
        graph.add_node(node, label=attack, type="Platform", aliases=[attack])
        graph.add_edge(node, iri("宁波"), relation="locatedIn", evidence=[(attack, attack)])
    return graph


def test_markup_in_labels_titles_and_heading_is_escaped() -> None:
    page = view_html(attacked_graph(), title=ATTACKS[0], note=ATTACKS[1])
    for attack in ATTACKS:
        assert attack not in page
    assert len(re.findall("</script", page, re.IGNORECASE)) == 3  # data, vis-network, page
    assert "<img" not in page and "<svg" not in page and "<!--" not in page
    assert (
        "innerHTML" not in Path(sys.modules["kg.views"].__file__).with_name("page.js").read_text()
    )
    assert "div.popup" not in page  # pyvis's live-HTML popup is not used
    labels = {n["label"] for n in page_data(page)["nodes"]}
    assert set(ATTACKS) <= labels  # escaped losslessly: the reader sees the text as written


def test_only_the_pages_own_scripts_may_run() -> None:
    page = view_html(seed_graph(), title="宁波")
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)
    assert policy and "unsafe-inline" not in policy.group(1).split("script-src")[1].split(";")[0]
    assert len(re.findall(r"'sha256-", policy.group(1))) == 2


# --- encoding, speed, size limits ------------------------------------------------------------


def test_view_is_utf8_under_the_c_locale(tmp_path: Path) -> None:
    (tmp_path / "graph.pickle").write_bytes(pickle.dumps(seed_graph()))
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONIOENCODING", "LANG")}
    env.update(LC_ALL="C", LANG="C", PYTHONUTF8="0")
    code = (
        "import pickle, sys; from pathlib import Path; from kg.views import write_view; "
        "d = Path(sys.argv[1]); g = pickle.loads((d / 'graph.pickle').read_bytes()); "
        "write_view(g, d / 'view.html', title='\\u5b81\\u6ce2'); "
        "import locale; print(locale.getpreferredencoding(False))"
    )
    run = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path)], env=env, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() in ("ANSI_X3.4-1968", "ascii", "US-ASCII")  # really a C locale
    page = (tmp_path / "view.html").read_bytes().decode("utf-8")
    assert "<title>宁波</title>" in page and "甬江科创区" in page


def test_2000_nodes_are_laid_out_before_the_page_opens(tmp_path: Path) -> None:
    graph = big_graph(2_000)
    write_view(graph, tmp_path / "big.html", title="big", max_nodes=2_000)
    data = page_data((tmp_path / "big.html").read_text(encoding="utf-8"))
    assert len(data["nodes"]) == 2_000 and len(data["edges"]) == graph.number_of_edges()
    assert data["options"]["physics"]["enabled"] is False
    assert all(isinstance(n["x"], float) for n in data["nodes"])
    # Chinese labels are measured in a font that has their glyphs, not by fallback
    for kind in ("nodes", "edges"):
        families = data["options"][kind]["font"]["face"].split(", ")
        assert families[-1] == "sans-serif" and '"Noto Sans CJK SC"' in families


def test_a_drawing_of_the_same_graph_takes_the_layout_kept_before(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    graph = big_graph(600)
    first, again, other = (tmp_path / f"{name}.html" for name in ("first", "again", "other"))
    write_view(graph, first, title="big", layout=Kept(tmp_path / "first.json"))
    # the same entities and links: placed where they were, not laid out again
    monkeypatch.setattr(layout, "_placed", lambda *_: pytest.fail("laid out again"))
    kept = Kept(tmp_path / "again.json", previous=tmp_path / "first.json")
    write_view(graph, again, title="big", layout=kept)
    assert again.read_bytes() == first.read_bytes()
    assert (tmp_path / "again.json").read_bytes() == (tmp_path / "first.json").read_bytes()
    # another link: laid out again
    monkeypatch.undo()
    u, v = next((u, v) for u in graph for v in graph if u != v and not graph.has_edge(u, v))
    graph.add_edge(u, v, relation="partOf")
    kept = Kept(tmp_path / "other.json", previous=tmp_path / "first.json")
    write_view(graph, other, title="big", layout=kept)
    write_view(graph, tmp_path / "fresh.html", title="big")
    assert other.read_bytes() == (tmp_path / "fresh.html").read_bytes()


def test_records_are_added_in_bulk(monkeypatch: pytest.MonkeyPatch) -> None:
    """pyvis's add_node/add_edge scan all records per call: quadratic, so never used."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("one by one")

    for name in ("add_node", "add_nodes", "add_edge", "add_edges"):
        monkeypatch.setattr(Network, name, refuse)
    assert len(page_data(view_html(big_graph(300), title="x"))["edges"]) > 500


def test_small_views_keep_physics() -> None:
    data = page_data(view_html(seed_graph(), title="宁波"))
    assert data["options"]["physics"]["enabled"] is True


def test_overview_beyond_the_limit_keeps_the_strongest_and_says_so() -> None:
    graph = big_graph(600)
    page = view_html(graph, title="big", max_nodes=500)
    data = page_data(page)
    assert len(data["nodes"]) == 500
    hub = max(graph.degree(), key=lambda nd: nd[1])[0]
    assert graph.nodes[hub]["label"] in {n["label"] for n in data["nodes"]}
    note = re.search(r'<p class="kg-note">(.*?)</p>', page)
    assert note and "500 most linked of 600 entities; left out: 100 entities" in note.group(1)


def test_evidence_is_read_for_the_part_drawn_only() -> None:
    graph = big_graph(600)
    for *_, data in graph.edges(data=True):
        data["evidence"] = []  # as read without evidence
    drawn: list[int] = []

    def evidence(part: nx.MultiDiGraph) -> None:
        drawn.append(part.number_of_nodes())
        for *_, data in part.edges(data=True):
            data["evidence"] = [("港口的证据句。", "doc.txt")]

    page = view_html(graph, title="big", max_nodes=500, evidence=evidence)
    assert drawn == [500]
    assert "港口的证据句。" in page
    assert not any(ev for *_, ev in graph.edges(data="evidence"))  # its own edges, untouched


def test_entities_without_links_are_left_out_and_counted() -> None:
    graph = seed_graph()
    graph.add_node("kgr:Industry/x", label="数字经济", type="Industry", aliases=[])
    page = view_html(graph, title="宁波")
    assert "数字经济" not in {n["label"] for n in page_data(page)["nodes"]}
    assert '<p class="kg-note">Not drawn: 1 entity without any link.</p>' in page
    assert "数字经济" in {
        n["label"] for n in page_data(view_html(graph, title="x", isolated=True))["nodes"]
    }
    lone = nx.MultiDiGraph()
    lone.add_node("kgr:Industry/x", label="数字经济", type="Industry", aliases=[])
    assert len(page_data(view_html(lone, title="x"))["nodes"]) == 1  # nothing else to show


def test_view_is_the_same_every_time() -> None:
    assert view_html(seed_graph(), title="宁波") == view_html(seed_graph(), title="宁波")


def test_unknown_colouring_is_refused() -> None:
    with pytest.raises(ValueError, match="choose type or community"):
        view_html(seed_graph(), title="x", colour_by="size")


# --- shaping the graph -------------------------------------------------------------------------


def labels(graph: nx.MultiDiGraph) -> set[str]:
    return {label for _, label in graph.nodes(data="label")}


def test_focus_view_holds_the_neighbours() -> None:
    ego = ego_graph(seed_graph(), iri("甬江科创区"), 1)
    assert labels(ego) == {"甬江科创区", "宁波", "甬江实验室"}
    assert labels(ego_graph(seed_graph(), iri("甬江科创区"), 2)) >= {"中科院宁波材料所", "长三角"}


def test_path_view_holds_the_chain_between_two_entities() -> None:
    chain = path_graph(seed_graph(), iri("甬江实验室"), iri("长三角一体化"))
    assert labels(chain) == {"甬江实验室", "甬江科创区", "宁波", "长三角一体化"}
    assert {r for *_, r in chain.edges(data="relation")} == {"partOf", "locatedIn", "supports"}


def test_path_view_says_when_nothing_joins_two_entities() -> None:
    graph = seed_graph()
    graph.add_node("kgr:Region/x", label="x", type="Region", aliases=[])
    with pytest.raises(QueryError, match="no chain"):
        path_graph(graph, iri("宁波"), "kgr:Region/x")


def test_find_node_by_label_or_alias() -> None:
    graph = seed_graph()
    assert find_node(graph, "甬") == find_node(graph, "宁波") == iri("宁波")
    with pytest.raises(QueryError, match="did you mean 甬江科创区"):
        find_node(graph, "甬江科创")


def test_filters_by_type_relation_and_degree() -> None:
    graph = seed_graph()
    assert labels(filter_graph(graph, types=["Region", "Platform"])) == {
        "宁波", "长三角", "甬江科创区", "前湾新区",
    }  # fmt: skip
    assert labels(filter_graph(graph, relations=["supports"])) == {
        "通苏嘉甬铁路", "宁波", "长三角一体化",
    }  # fmt: skip
    assert labels(filter_graph(graph, min_degree=3)) == {"宁波"}
    assert labels(filter_graph(graph, types=["Organization", "Industry"], min_degree=2)) == {
        "中科院宁波材料所",
    }  # fmt: skip
    with pytest.raises(QueryError, match="choose Region, Platform"):
        filter_graph(graph, types=["City"])


def test_strongest_keeps_the_most_linked() -> None:
    graph = seed_graph()
    kept = strongest(graph, 4)
    assert len(kept) == 4 and "宁波" in labels(kept)
    assert min(graph.degree(n) for n in kept) >= max(d for n, d in graph.degree() if n not in kept)


def test_community_colouring() -> None:
    graph = seed_graph()
    found = communities(graph)
    assert found[iri("甬江实验室")] == found[iri("中科院宁波材料所")]
    page = view_html(graph, title="宁波", colour_by="community")
    assert len(re.findall(r'<li data-community="', page)) == len(set(found.values()))
    colours = {n["label"]: n["color"] for n in page_data(page)["nodes"]}
    assert colours["甬江实验室"] == colours["中科院宁波材料所"]


# --- the modes of kg view, on the built sample corpus ------------------------------------------


def test_make_view_focus(built: Path, tmp_path: Path) -> None:
    from kg.analysis import entity_graph

    drawn = make_view(built, tmp_path / "v.html", focus="宁波", hops=1)
    graph = entity_graph(built)
    ego = ego_graph(graph, find_node(graph, "宁波"), 1)
    assert (drawn.entities, drawn.links) == (ego.number_of_nodes(), ego.number_of_edges())
    assert drawn.title == "宁波 · 1 hop" and drawn.entities > 1
    data = page_data(drawn.path.read_text(encoding="utf-8"))
    marked = [n["label"] for n in data["nodes"] if n.get("borderWidth") == 5]
    assert marked == ["宁波"]


def test_evidence_read_for_a_focus_is_what_the_whole_graph_holds(built: Path) -> None:
    from kg.analysis import MAX_EVIDENCE, add_evidence, read_entity_graph

    select = partial(store.select, built)
    whole = read_entity_graph(select)
    bare = read_entity_graph(select, evidence=False)
    assert all(not e for _, _, e in bare.edges(data="evidence"))
    ego = ego_graph(bare, find_node(bare, "宁波"), 1).copy()
    add_evidence(select, ego)
    edges = list(ego.edges(keys=True, data="evidence"))
    assert len(edges) > 20 and all(evidence for *_, evidence in edges)
    assert all(whole.edges[h, t, key]["evidence"] == ev for h, t, key, ev in edges)
    # every fact of the graph, its evidence read from its first documents only
    bare = read_entity_graph(select, evidence=False)
    add_evidence(select, bare)
    assert sorted(bare.edges(keys=True, data="evidence")) == sorted(
        whole.edges(keys=True, data="evidence")
    )
    assert any(len(ev) == MAX_EVIDENCE for *_, ev in bare.edges(keys=True, data="evidence"))


def test_neighbourhood_read_from_the_store_is_the_ego_graph_of_the_whole(built: Path) -> None:
    from kg.analysis import read_entity_graph, read_neighbourhood

    select = partial(store.select, built)
    whole = read_entity_graph(select, evidence=False)
    hub = max(whole, key=whole.degree)
    some = [hub, find_node(whole, "宁波"), find_node(whole, "甬江科创区"), *sorted(whole)[::40]]
    for node in some:
        for hops in (0, 1, 2):
            read = read_neighbourhood(select, node, hops)
            ego = ego_graph(whole, node, hops)
            assert sorted(read.nodes(data=True)) == sorted(ego.nodes(data=True)), (node, hops)
            assert sorted(read.edges(keys=True)) == sorted(ego.edges(keys=True)), (node, hops)
    assert read_neighbourhood(select, hub, 1).number_of_nodes() > 20


def test_neighbourhood_walked_in_the_index_is_the_one_read_from_the_store(built: Path) -> None:
    from kg.analysis import entity_network, read_neighbourhood

    select = partial(store.select, built)
    by_degree = "SELECT ?e WHERE { ?e kgo:degree ?d } ORDER BY DESC(?d) ?e"
    every = [row["e"].value for row in select(by_degree)]
    assert len(every) > 500
    for node in every[::3]:  # the hub first
        for hops, outer in ((0, True), (1, True), (1, False), (2, True), (2, False)):
            nodes, facts = search.neighbourhood(built, node, hops, outer=outer)
            walked = entity_network(nodes, dict.fromkeys(facts, ()))
            read = read_neighbourhood(select, node, hops, outer=outer)
            assert list(walked.nodes(data=True)) == list(read.nodes(data=True)), (node, hops)
            assert list(walked.edges(keys=True)) == list(read.edges(keys=True)), (node, hops)
    assert search.neighbourhood(built, KGR_IRI + "Region/nowhere", 1) == ([], [])


def test_evidence_kept_in_the_index_is_what_the_store_holds(built: Path) -> None:
    from kg.analysis import MAX_EVIDENCE, read_entity_graph

    whole = read_entity_graph(partial(store.select, built))
    facts = [(head, key, tail) for head, tail, key in whole.edges(keys=True)]
    kept = search.evidence(built, facts)
    assert len(kept) == len(facts) > 100
    for head, tail, key, evidence in whole.edges(keys=True, data="evidence"):
        assert kept[head, key, tail] == evidence, (head, key, tail)
    assert any(len(evidence) == MAX_EVIDENCE for evidence in kept.values())
    assert search.evidence(built, [(KGR_IRI + "Region/nowhere", *facts[0][1:])]) == {}


def test_network_in_the_index_is_the_one_in_the_store_in_iri_order(built: Path) -> None:
    from kg.analysis import entity_graph, read_entity_graph

    select = partial(store.select, built)
    for evidence in (False, True):
        kept = entity_graph(built, evidence=evidence)
        read = read_entity_graph(select, evidence=evidence)
        assert len(read) > 500 and read.number_of_edges() > 100
        assert list(kept.nodes(data=True)) == list(read.nodes(data=True))
        assert list(kept.edges(keys=True, data=True)) == list(read.edges(keys=True, data=True))
    assert list(read) == sorted(read)
    assert [head for head, _ in read.edges()] == sorted(head for head, _ in read.edges())


@pytest.mark.parametrize(
    "name",
    [
        "宁波",
        "甬",
        "国家发改委",
        "甬江科创",
        "科创",
        "不存在的地方",
        "http://x> } SERVICE <http://y> {",
    ],
)
def test_entity_found_in_the_store_as_in_the_whole_graph(built: Path, name: str) -> None:
    from kg.analysis import entity_graph, find_entity

    def found(find, where) -> str:
        try:
            return find(where, name)
        except QueryError as error:
            return str(error)

    whole = entity_graph(built, evidence=False)
    assert found(find_entity, partial(store.select, built)) == found(find_node, whole)


@pytest.mark.parametrize("focus", [None, "宁波"])
def test_views_are_the_same_in_every_process(built: Path, tmp_path: Path, focus) -> None:
    # networkx subgraphs list nodes from a set, whose order follows the hash seed
    drawn = []
    for seed in ("1", "2"):
        out = tmp_path / f"{seed}.html"
        code = (
            "from pathlib import Path; from kg.views import make_view; "
            f"make_view(Path({str(built)!r}), Path({str(out)!r}), focus={focus!r})"
        )
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-c", code], check=True, env=env)
        drawn.append(out.read_bytes())
    assert drawn[0] == drawn[1]


def test_make_view_filters_and_says_so(built: Path, tmp_path: Path) -> None:
    drawn = make_view(built, tmp_path / "v.html", relations=["supports"], community=True)
    page = drawn.path.read_text(encoding="utf-8")
    assert {e["label"] for e in page_data(page)["edges"]} == {"支撑"}
    assert '<p class="kg-note">Only relations: supports.</p>' in page
    assert '<li data-community="0">' in page


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"focus": "宁波", "between": ("宁波", "长三角")}, "not both"),
        ({"focus": "宁波", "hops": -1}, "hops must be 0 or more"),
        ({"focus": "不存在的地方"}, "no entity named '不存在的地方'"),
        ({"types": ["City"]}, "unknown type 'City'; choose Region"),
    ],
    ids=["focus-and-path", "negative-hops", "unknown-name", "unknown-type"],
)
def test_make_view_refuses_bad_options(built: Path, tmp_path: Path, options, message) -> None:
    with pytest.raises(QueryError, match=message):
        make_view(built, tmp_path / "v.html", **options)
    assert not (tmp_path / "v.html").exists()

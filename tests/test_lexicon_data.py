"""The lexicon TSV files: declared columns, unique keys, consistent references, real facts."""

from __future__ import annotations

import importlib.util
import sys
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LEXICONS = ROOT / "ontology" / "lexicons"

#: file -> (header, index of the aliases column)
FILES = {
    "regions.tsv": (("name", "full", "aliases", "level", "parent", "ambiguous"), 2),
    "abbreviations.tsv": (("abbr", "name", "level"), None),
    "countries.tsv": (("name", "full", "abbr", "aliases"), 3),
    "programmes.tsv": (("name", "aliases", "scope"), 1),
    "industries.tsv": (("name", "aliases", "group"), 1),
    "organizations.tsv": (("name", "aliases", "kind"), 1),
    "platforms.tsv": (("name", "aliases", "kind"), 1),
    "projects.tsv": (("name", "aliases", "kind"), 1),
}
NAME_FILES = [f for f in FILES if f != "abbreviations.tsv"]
LEVELS = {"country", "province", "prefecture", "county", "grouping", "water", "area"}
#: Names listed in two files on purpose: China is the root of the regions and a country;
#: two districts are also national new areas (the loader reads regions first).
CROSS_FILE = {"中国", "中华人民共和国", "浦东新区", "滨海新区"}


def _lines(name: str) -> list[str]:
    return (LEXICONS / name).read_text(encoding="utf-8").splitlines()


def _rows(name: str) -> list[dict[str, str]]:
    header, _ = FILES[name]
    data = [line for line in _lines(name) if line and not line.startswith("#")]
    return [dict(zip(header, line.split("\t"), strict=True)) for line in data[1:]]


def _surfaces(name: str, row: dict[str, str]) -> list[str]:
    forms = [row["name"], row.get("full", ""), *row[FILES[name][0][FILES[name][1]]].split("|")]
    return [f for f in forms if f]


@pytest.fixture(scope="module")
def regions() -> dict[str, dict[str, str]]:
    return {row["name"]: row for row in _rows("regions.tsv")}


@pytest.fixture(scope="module")
def countries() -> dict[str, dict[str, str]]:
    return {row["name"]: row for row in _rows("countries.tsv")}


@pytest.mark.parametrize("name", FILES)
def test_file_declares_source_and_header(name):
    lines = _lines(name)
    assert lines[0].startswith("#"), "a comment line first: what the file is"
    assert any("Version" in line or "generated" in line for line in lines if line[:1] == "#")
    header = next(line for line in lines if line and not line.startswith("#"))
    assert tuple(header.split("\t")) == FILES[name][0]


@pytest.mark.parametrize("name", FILES)
def test_rows_have_every_column_and_no_stray_space(name):
    width = len(FILES[name][0])
    data = [line for line in _lines(name) if line and not line.startswith("#")]
    for line in data:
        cells = line.split("\t")
        assert len(cells) == width, line
        assert all(cell == cell.strip() for cell in cells), line
        assert cells[0], line
        assert not any(mark in line for mark in "“”《》"), f"quote marks are not names: {line}"


@pytest.mark.parametrize("name", NAME_FILES)
def test_keys_are_unique(name):
    keys = [row["name"] for row in _rows(name)]
    assert sorted(k for k in set(keys) if keys.count(k) > 1) == []


@pytest.mark.parametrize("name", [f for f in NAME_FILES if f != "regions.tsv"])
def test_a_surface_form_names_one_entry(name):
    owners = defaultdict(set)
    for row in _rows(name):
        for form in _surfaces(name, row):
            owners[form].add(row["name"])
    assert {form: keys for form, keys in owners.items() if len(keys) > 1} == {}


def test_shared_region_names_are_marked_ambiguous():
    owners = defaultdict(list)
    for row in _rows("regions.tsv"):
        for form in set(_surfaces("regions.tsv", row)):
            owners[form].append(row)
    unmarked = {
        form: [r["name"] for r in rows if r["ambiguous"] != "1"]
        for form, rows in owners.items()
        if len(rows) > 1 and any(r["ambiguous"] != "1" for r in rows)
    }
    assert unmarked == {}


def test_names_do_not_cross_files_except_documented():
    files = defaultdict(set)
    for name in NAME_FILES:
        for row in _rows(name):
            for form in _surfaces(name, row):
                files[form].add(name)
    assert {form for form, found in files.items() if len(found) > 1} == CROSS_FILE


def test_region_columns_and_parents(regions):
    for key, row in regions.items():
        assert row["level"] in LEVELS, key
        assert row["ambiguous"] in {"0", "1"}, key
        assert row["parent"] == "" or row["parent"] in regions, key


def test_every_division_reaches_china(regions):
    for key, row in regions.items():
        if row["level"] not in {"province", "prefecture", "county"}:
            continue
        seen, node = set(), key
        while regions[node]["parent"]:
            assert node not in seen, f"cycle at {node}"
            seen.add(node)
            node = regions[node]["parent"]
        assert node == "中国", key


def test_divisions_cover_china(regions):
    levels = defaultdict(int)
    for row in regions.values():
        levels[row["level"]] += 1
    assert levels["province"] == 34
    assert 330 <= levels["prefecture"] <= 400
    assert 2800 <= levels["county"] <= 3000


def test_abbreviations_point_at_known_places(regions, countries):
    for row in _rows("abbreviations.tsv"):
        assert len(row["abbr"]) == 1, row
        target = regions.get(row["name"]) or countries.get(row["name"])
        assert target is not None, row
        assert row["level"] == target.get("level", "country"), row


def test_country_abbreviations_are_single_characters(countries):
    for row in countries.values():
        assert all(len(a) == 1 for a in row["abbr"].split("|") if a), row


def test_industry_groups_and_programme_scopes_resolve(regions):
    industries = {row["name"] for row in _rows("industries.tsv")}
    for row in _rows("industries.tsv"):
        assert row["group"] == "" or row["group"] in industries, row
    provinces = {k for k, r in regions.items() if r["level"] == "province"}
    for row in _rows("programmes.tsv"):
        assert row["scope"] in {"national", "international"} | provinces, row


@pytest.mark.parametrize(
    ("key", "full", "level", "parent"),
    [
        ("宁波", "宁波市", "prefecture", "浙江"),
        ("北仑", "北仑区", "county", "宁波"),
        ("浙江", "浙江省", "province", "中国"),
        ("广西", "广西壮族自治区", "province", "中国"),
        ("内蒙古", "内蒙古自治区", "province", "中国"),
        ("浦东", "浦东新区", "county", "上海"),
        ("天河", "天河区", "county", "广州"),
        ("甘孜", "甘孜藏族自治州", "prefecture", "四川"),
        ("长三角", "长江三角洲", "grouping", "中国"),
        ("杭州湾", "杭州湾", "water", "浙江"),
    ],
)
def test_known_regions(regions, key, full, level, parent):
    row = regions[key]
    assert (row["full"], row["level"], row["parent"]) == (full, level, parent)


def test_ambiguous_county_names_need_context(regions):
    gulou = [row for row in regions.values() if row["full"] == "鼓楼区"]
    assert len(gulou) == 4
    assert all(row["ambiguous"] == "1" for row in gulou)
    assert {row["parent"] for row in gulou} == {"南京", "徐州", "福州", "开封"}
    assert "南京市鼓楼区" in regions
    chaoyang = [row for row in regions.values() if row["full"] == "朝阳区"]
    assert {row["name"] for row in chaoyang} == {"北京市朝阳区", "长春市朝阳区"}


@pytest.mark.parametrize("word", ["鼓楼", "和平", "新建", "惠民", "平原", "滨海", "城区"])
def test_common_words_are_not_unambiguous_place_names(regions, word):
    for row in regions.values():
        if word in _surfaces("regions.tsv", row):
            assert row["ambiguous"] == "1", row


def test_single_character_abbreviations(countries):
    abbreviations = defaultdict(set)
    for row in _rows("abbreviations.tsv"):
        abbreviations[row["abbr"]].add(row["name"])
    assert abbreviations["沪"] == {"上海"}
    assert abbreviations["甬"] == {"宁波"}
    assert {"江苏", "苏州"} <= abbreviations["苏"]
    assert {"台湾", "台州"} <= abbreviations["台"]
    by_abbr = {a: row["name"] for row in countries.values() for a in row["abbr"].split("|") if a}
    assert (by_abbr["日"], by_abbr["韩"], by_abbr["德"]) == ("日本", "韩国", "德国")


def _load_script():
    path = ROOT / "scripts" / "make_regions.py"
    spec = importlib.util.spec_from_file_location("make_regions", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being built
    spec.loader.exec_module(module)
    return module


def test_generator_keys_shared_names_by_parent():
    mr = _load_script()
    province = mr.Division("320000", "江苏省", "江苏", "province", None)
    nanjing = mr.Division("320100", "南京市", "南京", "prefecture", province)
    xuzhou = mr.Division("320300", "徐州市", "徐州", "prefecture", province)
    divs = [
        province,
        nanjing,
        xuzhou,
        mr.Division("320106", "鼓楼区", "鼓楼", "county", nanjing),
        mr.Division("320302", "鼓楼区", "鼓楼", "county", xuzhou),
        mr.Division("320115", "江宁区", "江宁", "county", nanjing),
    ]
    tags = {"鼓楼": ("n", 141)}
    rows = {r[0]: r for r in mr.build_rows(divs, mr.ShortRules(tags), {})}
    assert rows["南京市鼓楼区"][1:] == ["鼓楼区", "", "county", "南京", "1"]
    assert rows["江宁"][1:] == ["江宁区", "", "county", "南京", "0"]
    assert rows["江苏"][4] == "中国"


def test_generator_gives_a_name_to_the_higher_level():
    mr = _load_script()
    province = mr.Division("220000", "吉林省", "吉林", "province", None)
    city = mr.Division("220200", "吉林市", "吉林", "prefecture", province)
    county = mr.Division("220221", "永吉县", "永吉", "county", city)
    rows = {r[0]: r for r in mr.build_rows([province, city, county], mr.ShortRules({}), {})}
    # the province keeps the short name, flagged because the city is called so too
    assert (rows["吉林"][1], rows["吉林"][5]) == ("吉林省", "1")
    assert (rows["吉林市"][2], rows["吉林市"][5]) == ("", "0")
    assert rows["永吉"][4] == "吉林市"


def test_every_cue_has_a_role_the_relation_rules_read():
    from kg.config import ONTOLOGY_DIR
    from kg.lexicon import load_lexicon

    roles = {cue.role for cue in load_lexicon(ONTOLOGY_DIR).cues}
    assert roles == {
        "before_after",
        "sentence",
        "between",
        "link",
        "of",
        "includes",
        "in",
        "gets",
        "toward",
        "held",
        "builds",
        "provides",
    }


@pytest.mark.parametrize(
    "name", ["modifiers.tsv", "generic.tsv", "suffixes.tsv", "cues.tsv", "expansions.tsv"]
)
def test_no_row_is_listed_twice(name):
    rows = [line for line in _lines(name) if line and not line.startswith("#")]
    assert sorted({row for row in rows if rows.count(row) > 1}) == []

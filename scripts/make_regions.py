"""Generate ontology/lexicons/regions.tsv from the administrative divisions jionlp ships.

The project depends on the TSV, not on jionlp: run this once when the divisions change.

    pip install --no-deps --target /tmp/jionlp-pkg jionlp==1.5.31
    PYTHONPATH=/tmp/jionlp-pkg python scripts/make_regions.py

Reads ``jionlp/dictionary/china_location.zip`` (province / prefecture / county tree with codes
and short names) and ``china_location_change.txt`` (renamed divisions), and jieba's bundled
``dict.txt`` to tell place names from common words. Rows after the hand-written marker of an
existing regions.tsv (groupings, waters, areas) are kept as they are.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.metadata
import importlib.util
import re
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["Division", "ShortRules", "build_rows", "main", "read_divisions", "read_reserved"]

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "ontology" / "lexicons" / "regions.tsv"
HEADER = "name\tfull\taliases\tlevel\tparent\tambiguous"
MARKER = "# == Hand-written: groupings, waters and areas (general knowledge) =="
LEVELS = {0: "province", 1: "prefecture", 2: "county"}
RANK = {"country": -1, "province": 0, "prefecture": 1, "county": 2}

#: Statistical codes of functional zones (xxxx7x) are not administrative divisions, nor are
#: entries whose name is a zone, park or management committee.
_ZONE = re.compile(
    r"(开发区|园区|示范区|实验区|管理区|管委会|名胜区|新城|产业园|聚集区|保税区|食品区)$"
)
#: Tianfu New Area has a statistical code but is a national new area (a platform).
_SKIP_CODES = {"510156"}
#: Taiwan's Kinmen and Lienchiang are listed under Fujian (350527, 350122) in GB/T 2260.
_DUPLICATE_CODES = {"710715", "710716"}
#: Typos in the source, by code.
_FIXES = {"710705": ("苗栗县", "苗栗")}
#: Pseudo nodes of the source: the repeated municipality level and "directly administered".
_PSEUDO = re.compile(r"^(省直辖行政区划|市辖区|县)$")
#: Common alternative names that no rule derives.
_EXTRA_ALIASES = {
    "内蒙古": ("内蒙",),
    "香港": ("香港特区",),
    "澳门": ("澳门特区",),
    "博尔塔拉": ("博州",),
}
#: Short names that are everyday words of policy text although jieba tags them as place
#: names or rare proper nouns (新建项目, 惠民政策, 滨海旅游, 阿里 for Alibaba, …): dropped.
# fmt: off
_COMMON_WORDS = {
    "平原", "中原", "古城", "河口", "太平", "新建", "东海", "新城", "天山", "泰山", "太湖",
    "滨海", "海港", "城西", "城东", "大城", "长寿", "安宁", "江城", "牡丹", "天桥", "西山",
    "商城", "甘泉", "江山", "故城", "路桥", "江海", "元宝", "白玉", "新星", "七星", "龙凤",
    "博爱", "同仁", "方正", "惠民", "兴业", "大厂", "民乐", "和顺", "钟楼", "马尾", "康乐",
    "延寿", "水城", "阿里", "来宾",
}
# fmt: on
#: County short names that jieba tags as common words although they name only a place: kept.
# fmt: off
_PLACE_ONLY = {
    "正定", "行唐", "辛集", "丰润", "遵化", "峰峰", "永年", "定兴", "宣化", "怀来", "隆化",
    "河间", "固安", "枣强", "古交", "屯留", "昔阳", "平遥", "介休", "繁峙", "偏关", "曲沃",
    "抚松", "扶余", "五常", "常熟", "宝应", "兴化", "奉化", "三门", "博望", "定远", "湖里",
    "金门", "石狮", "南靖", "修水", "分宜", "大余", "全南", "永新", "奉新", "万载", "上高",
    "余干", "即墨", "垦利", "龙口", "高密", "临清", "沾化", "定陶", "登封", "通许", "新野",
    "固始", "太康", "洪山", "阳新", "大冶", "竹溪", "保康", "钟祥", "应城", "监利", "石首",
    "洪湖", "罗田", "麻城", "赤壁", "建始", "仙桃", "神农架", "隆回", "安化", "资兴", "增城",
    "始兴", "怀集", "封开", "四会", "平远", "融水", "全州", "苍梧", "上思", "德保", "八步",
    "澄迈", "临高", "大足", "奉节", "三台", "射洪", "马边", "黑水", "得荣", "普格", "昭觉",
    "正安", "普定", "镇远", "呈贡", "沾益", "牟定", "个旧", "弥渡", "定结", "曲松", "加查",
    "申扎", "高陵", "周至", "城固", "定边", "平利", "灵台", "民和", "循化", "尖扎", "久治",
    "茫崖", "且末", "库车", "疏附", "巩留", "上党", "五台", "当阳", "五峰", "梁山", "名山",
    "九台", "紫金", "平乐", "建平", "金台", "天元", "清流", "方城", "海盐",
}
# fmt: on
#: jieba tags for proper nouns: most place names carry one of them, not ``ns``.
_PROPER_TAGS = {"nr", "nrt", "nrfg", "nz"}
#: Above these frequencies a proper-noun or common-noun reading is an everyday word.
_PROPER_MAX_FREQ = 500
_NOUN_MAX_FREQ = 100


@dataclass
class Division:
    """One administrative division as read from the source."""

    code: str
    full: str
    short: str
    level: str
    parent: Division | None
    extra: list[str] = field(default_factory=list)
    key: str = ""


def _find_package_file(package: str, *parts: str) -> Path:
    """Locate a data file inside an installed package without importing it."""
    spec = importlib.util.find_spec(package)
    if spec is None or spec.origin is None:
        raise SystemExit(f"{package} is not importable; install it or pass the path")
    return Path(spec.origin).parent.joinpath(*parts)


def _parse_line(line: str) -> tuple[int, list[str]]:
    depth = len(line) - len(line.lstrip("\t"))
    return depth, line.strip("\t").split("\t")


def _is_division(code: str, full: str, depth: int) -> bool:
    if depth == 2 and (code[4] == "7" or _ZONE.search(full)):
        return False
    return code not in _SKIP_CODES and code not in _DUPLICATE_CODES


def read_divisions(source: Path) -> list[Division]:
    """Read the province / prefecture / county tree of ``china_location.zip``."""
    with zipfile.ZipFile(source) as zf:
        text = zf.read("china_location.txt").decode("utf-8")
    out: list[Division] = []
    stack: dict[int, Division | None] = {}
    for line in text.splitlines():
        depth, parts = _parse_line(line)
        if depth > 2 or len(parts) != 3:
            continue
        full, code, short = parts
        full, short = _FIXES.get(code, (full, short))
        parent = stack.get(depth - 1) if depth else None
        if depth == 1 and parent and (_PSEUDO.match(full) or code == parent.code):
            stack[1] = parent  # counties of a municipality hang on the province
            continue
        if depth == 2 and parent and code == parent.code:
            continue  # districts of Hong Kong and Macau carry no code of their own
        if not _is_division(code, full, depth):
            stack[depth] = None
            continue
        names = sorted(short.split("/"), key=lambda n: not full.startswith(n))
        # Taiwan's cities and counties outside its municipalities rank as prefectures.
        level = "prefecture" if code.startswith("71") and depth else LEVELS[depth]
        div = Division(code, full, names[0], level, parent, names[1:])
        out.append(div)
        stack[depth] = div
    return sorted(out, key=lambda d: d.code)


def read_jieba_tags(path: Path) -> dict[str, tuple[str, int]]:
    """Map each word of jieba's dictionary to its tag and frequency."""
    tags: dict[str, tuple[str, int]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        word, freq, tag = line.split(" ")
        tags[word] = (tag, int(freq))
    return tags


def is_safe_short(short: str, tags: dict[str, tuple[str, int]]) -> bool:
    """Tell whether a county's short name is a place name rather than a common word."""
    if short in _COMMON_WORDS:
        return False
    if short in _PLACE_ONLY or short not in tags:
        return True
    tag, freq = tags[short]
    if tag == "ns":
        return True
    if tag in _PROPER_TAGS:
        return freq < _PROPER_MAX_FREQ
    return tag == "n" and freq < _NOUN_MAX_FREQ


def read_renames(path: Path) -> dict[tuple[str, str], list[str]]:
    """Map (parent full name, full name) to former full names with the same short name."""
    renames: dict[tuple[str, str], list[str]] = defaultdict(list)
    for line in path.read_text(encoding="utf-8").splitlines():
        if "=>" not in line:
            continue
        old, new = line.split("=>")
        old_parts, new_parts = old.split("\t")[2:], new.split("\t")
        old_full, old_short = old_parts[-2], old_parts[-1]
        new_full = new_parts[-1]
        if old_full != new_full and new_full.startswith(old_short):
            renames[(new_parts[-2], new_full)].append(old_full)
    return renames


@dataclass(frozen=True)
class ShortRules:
    """Decide which short names of divisions are safe to use."""

    tags: dict[str, tuple[str, int]]
    #: names of countries and hand-written regions, which outrank a division's short name
    reserved: frozenset[str] = frozenset()

    def keeps(self, short: str, level: str) -> bool:
        """Tell whether a division of ``level`` may be called ``short``."""
        if short in _COMMON_WORDS or short in self.reserved:
            return False
        return level != "county" or is_safe_short(short, self.tags)


def _candidates(div: Division, rules: ShortRules) -> tuple[list[str], list[str]]:
    """Return (kept, all) surface forms other than the full name."""
    shorts = [div.short, *div.extra]
    if div.full.endswith("自治州") and not div.short.endswith("州"):
        shorts.append(div.short + "州")
    shorts = [s for s in shorts if s != div.full and len(s) >= 2]
    return [s for s in shorts if rules.keeps(s, div.level)], shorts


def _owners(
    divs: list[Division], rules: ShortRules
) -> tuple[dict[str, list[Division]], dict[int, list[str]]]:
    """Give each short form to the highest-level divisions that have it."""
    claims: dict[str, list[Division]] = defaultdict(list)
    for div in divs:
        claims[div.full].append(div)
        for s in _candidates(div, rules)[1]:
            claims[s].append(div)
    kept: dict[int, list[str]] = {}
    for div in divs:
        forms = []
        for s in _candidates(div, rules)[0]:
            top = min(RANK[d.level] for d in claims[s])
            if RANK[div.level] == top and not any(d.full == s for d in claims[s] if d is not div):
                forms.append(s)
        kept[id(div)] = forms
    return claims, kept


def _assign_keys(
    divs: list[Division], claims: dict[str, list[Division]], kept: dict[int, list[str]]
) -> None:
    """Key each division by its short name, else full name, else parent-qualified name."""
    for div in divs:
        short = div.short if div.short in kept[id(div)] else ""
        owners = [d for d in claims.get(short, []) if short in kept[id(d)]]
        if short and len(owners) == 1:
            div.key = short
        elif len(claims[div.full]) == 1:
            div.key = div.full
        else:
            div.key = (div.parent.full if div.parent else "") + div.full


def build_rows(
    divs: list[Division], rules: ShortRules, renames: dict[tuple[str, str], list[str]]
) -> list[list[str]]:
    """Turn divisions into regions.tsv rows (without the country row)."""
    claims, kept = _owners(divs, rules)
    _assign_keys(divs, claims, kept)
    rows = []
    for div in divs:
        surfaces = [div.full, *kept[id(div)]]
        parent_full = div.parent.full if div.parent else ""
        olds = [o for o in renames.get((parent_full, div.full), []) if o not in claims]
        aliases = [s for s in [*kept[id(div)], *olds] if s != div.key]
        aliases += _EXTRA_ALIASES.get(div.key, ())
        shared = any(len({id(d) for d in claims[s]}) > 1 for s in surfaces)
        parent = div.parent.key if div.parent else "中国"
        rows.append([div.key, div.full, "|".join(dict.fromkeys(aliases)), div.level, parent,
                     "1" if shared else "0"])  # fmt: skip
    return rows


def _hand_written(path: Path) -> list[str]:
    if not path.exists():
        return [MARKER]
    lines = path.read_text(encoding="utf-8").splitlines()
    return lines[lines.index(MARKER) :] if MARKER in lines else [MARKER]


def _names_in(lines: list[str], alias_column: int) -> set[str]:
    names: set[str] = set()
    for line in lines:
        cells = line.split("\t")
        if line.startswith("#") or len(cells) <= alias_column or cells[0] == "name":
            continue
        names.update(cells[:2])
        names.update(a for a in cells[alias_column].split("|") if a)
    return names


def read_reserved(out: Path) -> frozenset[str]:
    """Collect the names of hand-written regions and of countries (countries.tsv beside)."""
    names = _names_in(_hand_written(out), alias_column=2)
    countries = out.parent / "countries.tsv"
    if countries.exists():
        names |= _names_in(countries.read_text(encoding="utf-8").splitlines(), alias_column=3)
    return frozenset(names - {"中国", "中华人民共和国"})


def _version(package: str) -> str:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return "(unknown version)"


def write_tsv(rows: list[list[str]], out: Path) -> None:
    """Write the header, the generated rows and the preserved hand-written section."""
    today = dt.date.today().isoformat()
    version, jieba = _version("jionlp"), _version("jieba")
    head = [
        "# China's administrative divisions (provinces, prefectures, counties) with standard",
        "# short names, for recognising places in policy text.",
        f"# Source: jionlp {version} dictionary/china_location.zip (Apache-2.0), generated by",
        f"# scripts/make_regions.py on {today}; jieba {jieba} dict.txt decides unsafe short names.",
        "# Do not edit above the hand-written marker: regenerate instead.",
        HEADER,
        "\t".join(["中国", "中华人民共和国", "", "country", "", "0"]),
    ]
    body = ["\t".join(r) for r in rows]
    out.write_text("\n".join([*head, *body, *_hand_written(out)]) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    """Generate regions.tsv."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, help="china_location.zip (default: jionlp's)")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    source = args.source or _find_package_file("jionlp", "dictionary", "china_location.zip")
    rules = ShortRules(
        read_jieba_tags(_find_package_file("jieba", "dict.txt")), read_reserved(args.out)
    )
    renames = read_renames(source.parent / "china_location_change.txt")
    rows = build_rows(read_divisions(source), rules, renames)
    write_tsv(rows, args.out)
    print(f"wrote {len(rows) + 1} generated rows to {args.out}")


if __name__ == "__main__":
    main()

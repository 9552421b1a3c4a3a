"""Build ``places.tsv``, the place gazetteer of the rule baseline, from jionlp's China location data.

Run ``python -m ipner.resources.build_gazetteer`` to regenerate it. Every province, prefecture-level
city, county-level city, county and district of jionlp's administrative table is written with its
label under SCHEMA.md (provinces → REGION; municipalities, cities, counties, districts → CITY), in
Simplified and Traditional form (OpenCC), plus the short forms that are safe to match alone and a
hand-kept list of regions, city clusters and foreign cities that the table lacks.

The table is read straight from the data file that jionlp (Apache-2.0) ships,
``jionlp/dictionary/china_location.zip``; jionlp itself is not imported, because ``import jionlp``
loads its GPL-3.0 word segmenter jiojio (see ``tests/test_licences.py``). For the same reason jionlp
is no dependency of ipner's default install but the optional extra ``gazetteer``
(``pip install 'ipner[gazetteer]'``), needed only to regenerate ``places.tsv``, which ships built.

The same run writes ``divisions.tsv``, the table that :mod:`ipner.places` resolves a fact's place
with: one row per division of jionlp's administrative table (province, prefecture-level city,
county-level division, and the development zones that table carries with a statistical code), with
its six-digit code, full Simplified name, level, province, parent city and the short forms that
name it, followed by rows without a code for countries (jionlp's ``world_location.txt``), groups of
places and places abroad. Both source files are data of jionlp (https://github.com/dongrixinyu/JioNLP),
Apache License 2.0; the file header of ``divisions.tsv`` says so and states the short-form policy.
"""
from __future__ import annotations

import importlib.util
import io
import zipfile
from pathlib import Path
from typing import Any

from ipner.places import PLACE_LEVELS
from ipner.resources import RESOURCES
from ipner.text.normalize import normalize_text, to_traditional

MUNICIPALITIES = {"北京市", "上海市", "天津市", "重庆市", "香港特别行政区", "澳门特别行政区"}
# Short forms that are ordinary words or too ambiguous to tag on their own.
UNSAFE_SHORT = {"城区", "郊区", "矿区", "新区", "市中", "东区", "西区", "南区", "北区", "中区", "新城", "开发", "高新",
                "白云", "和平", "长安", "新华", "城关", "城中", "城东", "城西", "城北", "江南", "江北", "河东", "河西",
                "铁西", "铁东", "向阳", "红旗", "前进", "永安", "安定", "平安", "太平", "东方", "南山", "鼓楼", "西湖",
                "中山", "青山", "金山", "宝山", "普陀", "朝阳", "海城", "东海", "南海", "北海", "龙泉", "文化",
                "和田", "兴业", "通道", "开放", "共和", "民和", "新兴", "永和", "友好", "长乐", "吉利", "华安", "大方",
                "正安", "安全", "光明", "先进", "华容", "延长", "宁安", "榆树", "商都", "石门", "龙门", "黄山区"}
EXTRA_REGIONS = """中国 日本 韩国 美国 德国 法国 英国 意大利 俄罗斯 印度 巴西 加拿大 澳大利亚 新西兰 瑞士 瑞典 荷兰 比利时
丹麦 芬兰 挪威 奥地利 西班牙 葡萄牙 以色列 新加坡 马来西亚 泰国 越南 印度尼西亚 菲律宾 墨西哥 阿根廷 南非 埃及 沙特阿拉伯
阿联酋 土耳其 波兰 捷克 匈牙利 哈萨克斯坦 乌兹别克斯坦 蒙古 欧盟 欧洲 亚洲 非洲 北美 拉美 东盟
长株潭 长三角 长江三角洲 珠三角 珠江三角洲 京津冀 粤港澳大湾区 大湾区 成渝地区双城经济圈 成渝 长江中游城市群 长江经济带
中部六省 中部地区 东部地区 西部地区 东北地区 东北三省 西北地区 西北五省 黄河流域 关中平原城市群 中原城市群 山东半岛城市群
海峡西岸 苏南 苏北 浙东 闽东 闽南 粤东 粤西 粤北 珠江—西江经济带 北部湾 海南自由贸易港 台湾 港澳""".split()
EXTRA_CITIES = """东京 大阪 横滨 名古屋 京都 首尔 釜山 纽约 洛杉矶 旧金山 芝加哥 波士顿 西雅图 华盛顿 伦敦 巴黎 柏林
慕尼黑 法兰克福 汉堡 斯图加特 日内瓦 苏黎世 阿姆斯特丹 埃因霍温 布鲁塞尔 斯德哥尔摩 赫尔辛基 哥本哈根 维也纳 米兰 罗马
马德里 巴塞罗那 莫斯科 圣彼得堡 迪拜 特拉维夫 孟买 班加罗尔 悉尼 墨尔本 多伦多 温哥华 蒙特利尔 墨西哥城 圣保罗
曼谷 河内 胡志明市 雅加达 吉隆坡 马尼拉 香港 澳门 台北 新北 桃园 台中 台南 高雄 新竹 基隆 嘉义 雄安新区 浦东新区
滨海新区 两江新区 天府新区 西咸新区 贵安新区 南沙新区 舟山群岛新区 金普新区 江北新区 赣江新区 兰州新区""".split()


def china_location_table() -> dict[str, Any]:
    """Province → city → county, as jionlp's ``china_location_loader()`` (``detail=False``) gives it.

    Each node has ``_alias`` (a string for provinces and counties, a list for cities), ``_full_name``
    and ``_admin_code``; the file is read from jionlp's package folder without importing jionlp.
    """
    try:
        spec = importlib.util.find_spec("jionlp")
    except ImportError:  # hidden by an import hook
        spec = None
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(
            "jionlp is not installed; it is needed only to regenerate places.tsv: pip install 'ipner[gazetteer]'"
        )
    archive = Path(next(iter(spec.submodule_search_locations))) / "dictionary" / "china_location.zip"
    table: dict[str, Any] = {}
    province = city = ""
    with zipfile.ZipFile(archive) as zipped, zipped.open("china_location.txt") as raw:
        for line in io.TextIOWrapper(raw, encoding="utf-8"):  # lines as jionlp's readlines() gives them
            if line.startswith("\t\t\t"):  # towns and villages: below the table's depth
                continue
            fields = line.strip().split("\t")
            if len(fields) != 3:
                continue
            name, admin_code, alias = fields
            node = {"_full_name": name, "_alias": alias, "_admin_code": admin_code}
            if not line.startswith("\t"):
                province = name
                table[province] = node
            elif line.startswith("\t\t"):
                table[province][city][name] = node
            else:
                city = name
                node["_alias"] = alias.split("/")
                table[province][city] = node
    return table


def build() -> list[tuple[str, str, str]]:
    """Return the gazetteer rows ``(form, label, canonical simplified name)``."""
    table = china_location_table()
    rows: dict[str, tuple[str, str]] = {}

    def add(form: str, label: str, canonical: str) -> None:
        if len(form) >= 2 and form not in rows:
            rows[form] = (label, canonical)

    def aliases(node: dict) -> list[str]:
        alias = node.get("_alias", [])
        return [alias] if isinstance(alias, str) else list(alias)

    for province, pnode in table.items():
        municipality = province in MUNICIPALITIES
        add(province, "CITY" if municipality else "REGION", province)
        for alias in aliases(pnode):
            if alias not in UNSAFE_SHORT:
                add(alias, "CITY" if municipality else "REGION", province)
        for city, cnode in pnode.items():
            if city.startswith("_"):
                continue
            if city != province:
                add(city, "CITY", city)
                for alias in aliases(cnode):
                    if alias not in UNSAFE_SHORT:
                        add(alias, "CITY", city)
            for county, knode in cnode.items():
                if county.startswith("_") or not isinstance(knode, dict):
                    continue
                add(county, "CITY", county)
                if county.endswith("市"):  # county-level cities; county and district short forms are too ambiguous
                    for alias in aliases(knode):
                        if alias not in UNSAFE_SHORT and len(alias) >= 2:
                            add(alias, "CITY", county)
    for name in EXTRA_REGIONS:
        add(name, "REGION", name)
    for name in EXTRA_CITIES:
        add(name, "CITY", name)
    out = []
    for form, (label, canonical) in sorted(rows.items()):
        out.append((form, label, canonical))
        traditional = to_traditional(form)
        if traditional != form and traditional not in rows:
            out.append((traditional, label, canonical))
    return out


# ---------------------------------------------------------------------------------------------
# divisions.tsv: the table of ipner.places

# Short forms that are ordinary words or generic parts of names; they never name a division alone.
WORDLIKE_SHORT = {"市中", "城区", "郊区", "矿区", "新城", "城关", "城中", "城东", "城西", "城北", "城南", "东区", "西区",
                  "南区", "北区", "中区", "新区", "开发", "高新"}
# A zone in jionlp's table: NBS statistical codes xx71-xx80 (all its 园区 among them), or one of these words
# in its name.
ZONE_WORDS = ("开发区", "产业园", "示范区", "管理区", "管委会", "行政委员会", "实验区", "聚集区", "食品区",
              "风景名胜区")
CHINA_ALIASES = ("全国", "我国", "中国大陆")  # deictic or partial names that ipner reads as China
COUNTRY_ALIASES = {"沙特": ("沙特阿拉伯",)}
# Groups of places: regions of several provinces or cities, city clusters, economic zones, parts of a
# province, continents and blocs. Names only; they get no code. EXTRA_REGIONS' groups are added to these.
GROUPS = """港澳台 东南亚 南亚 中亚 西亚 中东 北非 拉丁美洲 北美洲 南美洲 大洋洲 东部 中部 西部 东北 华北 华东 华南 华中 西南
西北 北方地区 南方地区 华北地区 华东地区 华南地区 华中地区 西南地区 中国北方地区 东北老工业基地 长株潭都市圈 长株潭城市群
长三角G60科创走廊 长三角生态绿色一体化发展示范区 西部陆海新通道 呼包鄂城市群 呼包鄂榆城市群 豫鄂陕三省 沿黄九省区 川渝
北部湾经济区 辽宁沿海经济带 河套平原 苏南国家自主创新示范区 海峡两岸 两岸 大三亚 海澄文 苏中 皖北 皖南 皖江 陕南 陕北 关中
川南 川东北 南疆 北疆 东疆 闽西 闽北 鄂东南 鄂西 鄂中 鄂西北 藏东南 浙西 浙南 浙北 湘南 湘中 赣南 豫东 豫西 豫南 豫北
鲁西南 鲁中 鲁南 胶东 冀中南 桂北 柴达木""".split()
# EXTRA_REGIONS' names that ipner.places reads as a zone of one province (海南省) rather than as a group.
ZONES_NOT_GROUPS = {"海南自由贸易港"}
# Places abroad that jionlp's world table lacks (its capitals and main cities are added to these and
# to EXTRA_CITIES' places abroad).
FOREIGN_PLACES = """东京都 大阪府 京畿道 加利福尼亚州 加州 巴伐利亚州 巴登-符腾堡州 硅谷 布拉戈维申斯克 名古屋 埃因霍温
北海道""".split()


def _zone_level(name: str, code: str) -> bool:
    """Whether a county-level row of jionlp's table is a development zone rather than a division: the
    NBS statistical codes xx71-xx80, a zone word in the name, or a 新区 without a district's code
    (浦东新区 310115 and 滨海新区 120116 are districts, 天府新区 510156 is not)."""
    number = int(code[4:])
    if 70 < number < 81 or any(word in name for word in ZONE_WORDS):
        return True
    return name.endswith(("新区", "新城")) and number > 20


def _county_level(name: str) -> str:
    """county for county-level cities, counties, 旗, 特区 and the one 林区 (神农架林区); district for 市辖区."""
    if name.endswith("特区") or name == "神农架林区" or not name.endswith("区"):
        return "county"
    return "district"


def world_location_table() -> list[tuple[str, str, list[str]]]:
    """``(country, full name, [capital, main cities…])`` from jionlp's ``world_location.txt``."""
    spec = importlib.util.find_spec("jionlp")
    path = Path(next(iter(spec.submodule_search_locations))) / "dictionary" / "world_location.txt"
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        fields = line.split("\t")
        if len(fields) >= 3:
            cities = [fields[2]] + (fields[3].split("/") if len(fields) > 3 else [])
            rows.append((fields[0], fields[1], cities))
    return rows


def build_divisions() -> list[tuple[str, str, str, str, str, str]]:
    """Return the rows ``(code, name, level, province, city, short forms joined by |)`` of ``divisions.tsv``.

    Chinese divisions come first, in code order, then countries and then the other places (groups and
    places abroad), each by name.
    """
    table = china_location_table()

    def aliases(node: dict) -> list[str]:
        alias = node.get("_alias", [])
        return [alias] if isinstance(alias, str) else list(alias)

    def shorts(name: str, candidates: list[str]) -> list[str]:
        out = []
        for form in candidates:
            if len(form) >= 2 and form != name and form not in WORDLIKE_SHORT and form not in out:
                out.append(form)
        return out

    rows: list[tuple[str, str, str, str, str, list[str]]] = []  # (code, name, level, province, city, forms)
    sort_codes: list[str] = []  # jionlp's code, also where the row's is left empty

    def add(code: str, name: str, level: str, province: str, city: str, forms: list[str], sort_code: str = "") -> None:
        rows.append((code, name, level, province, city, forms))
        sort_codes.append(sort_code or code)

    for province, pnode in table.items():
        pcode = pnode["_admin_code"]
        pforms = shorts(province, aliases(pnode))
        add(pcode, province, "province", "", "", pforms)
        taiwan = pcode == "710000"
        for city, cnode in pnode.items():
            if city.startswith("_"):
                continue
            ccode = cnode["_admin_code"]
            direct = city.startswith("省直辖")  # county-level divisions directly under the province
            pseudo = ccode == pcode  # a municipality's or SAR's single "city" node
            parent = province if pseudo else "" if direct else city
            cforms: list[str] = []
            if not direct and not pseudo:
                cforms = shorts(city, aliases(cnode))
                if city.endswith("自治州"):
                    cforms += [f + "州" for f in cforms if not f.endswith("州") and f + "州" not in cforms]
                add("" if taiwan else ccode, city, "city", province, "", cforms, ccode)
            counties = {form for county, knode in cnode.items() if not county.startswith("_")
                        for form in [county, *aliases(knode)] if len(form) >= 2}
            for county, knode in cnode.items():
                if county.startswith("_") or not isinstance(knode, dict) or county.startswith("市直辖"):
                    continue
                kcode = knode["_admin_code"]
                if kcode == pcode:  # districts of Hong Kong and Macao carry their SAR's code
                    continue
                alias = aliases(knode)
                if _zone_level(county, kcode):
                    forms = _zone_forms(county, alias[0] if alias else "", [city] + cforms if parent == city else [],
                                        [province] + pforms, counties)
                    add(kcode, county, "zone", province, parent, forms)
                    continue
                if county.endswith("特区"):  # jionlp: 六枝特
                    alias = [county[:-2]]
                add("" if taiwan else kcode, county, _county_level(county), province, parent, shorts(county, alias), kcode)
    # a code that jionlp gives two rows is no code at all
    counts: dict[str, int] = {}
    for row in rows:
        counts[row[0]] = counts.get(row[0], 0) + 1
    chinese = sorted(
        ((sort_code, name, ("" if counts[code] > 1 else code), level, province, city, forms)
         for sort_code, (code, name, level, province, city, forms) in zip(sort_codes, rows)),
        key=lambda row: (row[0], row[1]),
    )
    taken = {row[1] for row in chinese} | {form for row in chinese for form in row[6]}
    out = [(code, name, level, province, city, "|".join(_with_readings(name, forms)))
           for _, name, code, level, province, city, forms in chinese]

    others: dict[str, tuple[str, list[str]]] = {}

    def add_other(name: str, level: str, forms: tuple[str, ...] | list[str] = ()) -> None:
        forms = [f for f in forms if f != name and f not in taken]
        if name in taken or name in others:
            return
        others[name] = (level, forms)

    world = world_location_table()
    countries = {country for country, _, _ in world}
    for country, full, _ in world:
        extra = CHINA_ALIASES if country == "中国" else COUNTRY_ALIASES.get(country, ())
        add_other(country, "country", [full, *extra])
    for name in EXTRA_REGIONS:
        if name in ZONES_NOT_GROUPS:
            continue
        if name not in countries and not any(name in forms for _, forms in others.values()):
            add_other(name, "other")
    for name in GROUPS:
        add_other(name, "other")
    for country, _, cities in world:
        if country != "中国":
            for name in cities:
                add_other(name, "other")
    for name in EXTRA_CITIES + FOREIGN_PLACES:
        if "新区" not in name:
            add_other(name, "other")
    for name, (level, forms) in sorted(others.items(), key=lambda item: (PLACE_LEVELS.index(item[1][0]), item[0])):
        out.append(("", name, level, "", "", "|".join(forms)))
    return out


def _with_readings(name: str, forms: list[str]) -> list[str]:
    """``forms`` and, where ipner's normalisation (OpenCC) reads the name or a form otherwise, that
    reading too: OpenCC turns 乾 into 干 in 乾安县 whether written Simplified or Traditional."""
    out = list(forms)
    for form in [name, *forms]:
        reading = normalize_text(form)
        if reading != form and reading not in out:
            out.append(reading)
    return out


def _zone_forms(name: str, alias: str, city_forms: list[str], province_forms: list[str], counties: set[str]) -> list[str]:
    """How a zone is written: its full name, without the province's name before a county's (湖南永顺经济开发区
    → 永顺经济开发区), and the city's
    name + its own name or jionlp's alias (郑州高新技术产业开发区 → 郑州高新区, 郑州市高新技术产业开发区 …);
    jionlp's aliases alone (高新区, 经开区) name no zone."""
    forms: list[str] = []
    rest = name
    for prefix in sorted(province_forms, key=len, reverse=True):
        if rest.startswith(prefix) and len(rest) > len(prefix) + 2:
            rest = rest[len(prefix):]
            if any(rest.startswith(county) for county in counties):
                forms.append(rest)
            break
    for prefix in sorted(city_forms, key=len, reverse=True):
        if rest.startswith(prefix):
            rest = rest[len(prefix):]
            break
    for city in city_forms:
        for tail in (rest, alias):
            if not tail:
                continue
            form = tail if any(tail.startswith(c) for c in city_forms) else city + tail
            if form != name and form not in forms:
                forms.append(form)
    return forms


DIVISIONS_HEADER = """\
# divisions.tsv: China's administrative divisions, with countries, groups of places and places abroad,
# for ipner.places (resolving a fact's subject to the place its figure belongs to).
# Generated by python -m ipner.resources.build_gazetteer; do not edit by hand.
# Source: jionlp (https://github.com/dongrixinyu/JioNLP), Apache License 2.0: its administrative table
# jionlp/dictionary/china_location.zip (codes, names, aliases) and world table world_location.txt
# (countries, their full names, capitals and main cities); groups and a few places abroad are kept by hand
# in build_gazetteer.py (names only, never codes).
# Columns: code (six-digit GB/T 2260 code; for zones the code of the statistical division table, xx71-xx80;
# empty for places without one: Taiwan's cities and counties (GB/T 2260 lists only 710000), codes that
# jionlp gives two rows, countries, groups and places abroad) | name (full Simplified name) | level
# (province: provinces, autonomous regions, municipalities, SARs; city: prefecture-level cities, 地区, 自治州,
# 盟; county: county-level cities, counties, 旗, 林区, 特区; district: 市辖区; zone; country; other: groups
# and places abroad) | province (full name; empty for provinces and rows without a code) | city (the parent
# prefecture-level division's full name; the municipality's name for its districts; empty for divisions
# directly under a province) | short forms (separated by |).
# Short forms: jionlp's aliases (株洲 for 株洲市, 滨江 for 滨江区, 宽甸 for 宽甸满族自治县), plus 大理州 for an
# autonomous prefecture, 六枝 for 六枝特区, and city + own name or alias for zones (郑州高新区); aliases that
# are ordinary words (城区, 郊区, 市中 …) are left out. A short form may name several divisions (朝阳,
# 鼓楼): ipner.places decides between them with the document's other places, or leaves the code empty.
# Traditional forms are not stored: ipner.places normalises the text (OpenCC) before it looks it up; where
# that normalisation changes a Simplified name (乾安县 → 干安县), its reading is stored as a short form too.
"""


def main() -> None:
    """Regenerate ``places.tsv`` and ``divisions.tsv`` from jionlp's data."""
    rows = build()
    with open(RESOURCES / "places.tsv", "w", encoding="utf-8") as f:
        f.write("# form\tlabel\tcanonical (generated by python -m ipner.resources.build_gazetteer)\n")
        for row in rows:
            f.write("\t".join(row) + "\n")
    print(f"wrote {len(rows)} place forms to {RESOURCES / 'places.tsv'}")
    divisions = build_divisions()
    with open(RESOURCES / "divisions.tsv", "w", encoding="utf-8", newline="\n") as f:
        f.write(DIVISIONS_HEADER)
        f.write("# code\tname\tlevel\tprovince\tcity\tshort_forms\n")
        for row in divisions:
            f.write("\t".join(row) + "\n")
    print(f"wrote {len(divisions)} places to {RESOURCES / 'divisions.tsv'}")


if __name__ == "__main__":
    main()

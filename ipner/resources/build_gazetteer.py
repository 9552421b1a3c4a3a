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
"""
from __future__ import annotations

import importlib.util
import io
import zipfile
from pathlib import Path
from typing import Any

from ipner.resources import RESOURCES
from ipner.text.normalize import to_traditional

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


def main() -> None:
    """Regenerate ``places.tsv`` from jionlp's administrative table."""
    rows = build()
    with open(RESOURCES / "places.tsv", "w", encoding="utf-8") as f:
        f.write("# form\tlabel\tcanonical (generated by python -m ipner.resources.build_gazetteer)\n")
        for row in rows:
            f.write("\t".join(row) + "\n")
    print(f"wrote {len(rows)} place forms to {RESOURCES / 'places.tsv'}")


if __name__ == "__main__":
    main()

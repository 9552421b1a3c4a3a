"""The metric catalogue and its linker: a valid catalogue, synonym groups that share an id, near misses
that must not, unknown or ambiguous mentions without one, and the coverage of the gold corpus's metrics."""
import json
from collections import Counter

import pytest

from ipner.metrics import (
    CATEGORIES,
    CatalogueError,
    CanonicalMetric,
    load_catalogue,
    link_metric,
    link_metric_at,
    link_metric_in_context,
    normalize_metric,
)
from ipner.resources import default_corpus_path

#: SCHEMA.md's target: share of the METRIC mentions linked by facts in the gold corpus that get an id.
COVERAGE_TARGET = 0.90
#: What the catalogue and the context linking reach today: a regression guard. Measured 0.959 on the corpus of
#: 2026-11-30 (462 documents), after figures of one field, product, industry or holder (石墨领域发明专利授权,
#: 茶叶类有效注册商标), designations, assessments and generic measures (融资金额, 贷款, 授信) got ids of their own;
#: 0.842 before. What is left leaves its stage, flow or stock, or object open (bare 发明专利, 茶叶类注册商标,
#: 行业标准, 项目), and must keep id null.
COVERAGE_FLOOR = 0.959


# ------------------------------------------------------------------ the catalogue file


def test_catalogue_is_valid_and_large_enough():
    catalogue = load_catalogue()
    assert len(catalogue) >= 80
    ids = [metric.id for metric in catalogue.metrics]
    assert len(ids) == len(set(ids))
    for metric in catalogue.metrics:
        assert isinstance(metric, CanonicalMetric)
        assert metric.category in CATEGORIES, metric
        assert metric.name_zh and metric.name_en and metric.unit, metric
        assert metric.id == metric.id.lower() and " " not in metric.id
        # the canonical name names its own metric
        assert link_metric(metric.name_zh) == metric, metric.id
        for variant in catalogue.variants[metric.id]:
            assert link_metric(variant) == metric, (metric.id, variant)
    assert catalogue.get("invention_patents_per_10k_people").name_zh == "每万人口有效发明专利拥有量"
    assert catalogue.get("no_such_metric") is None


def test_catalogue_covers_the_issue_s_areas():
    categories = Counter(metric.category for metric in load_catalogue().metrics)
    assert set(categories) <= CATEGORIES
    for category in ("patent", "trademark", "geographical_indication", "copyright", "finance", "insurance",
                     "enforcement", "litigation", "technology_market", "innovation", "enterprise", "service", "award"):
        assert categories[category] >= 2, category


def test_catalogue_is_cached():
    assert load_catalogue() is load_catalogue()


HEADER = "id\tname_zh\tname_en\tcategory\tunit\tvariants\n"
GOOD = "valid_patents\t有效专利拥有量\tValid patents\tpatent\t件\t有效专利\n"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (GOOD + "valid_patents\t专利拥有量\tAgain\tpatent\t件\n", "already defined on line 3"),
        ("Valid-Patents\t有效专利拥有量\tValid patents\tpatent\t件\n", "not snake_case"),
        ("valid_patents\t有效专利拥有量\tValid patents\tpatents\t件\n", "category 'patents'"),
        ("valid_patents\t有效专利拥有量\tValid patents\tpatent\n", "expected 6 tab-separated columns"),
        ("valid_patents\t有效专利拥有量\tValid patents\tpatent\t\n", "unit is empty"),
        (GOOD + "patent_grants\t专利授权量\tPatent grants\tpatent\t件\t专利授权|有效專利\n", "already claimed by 'valid_patents' on line 3"),
        # two spellings that normalise alike are one variant
        (GOOD + "patent_stock\t专利存量\tPatent stock\tpatent\t件\t有效专利数量\n", "normalised '有效专利'"),
        ("valid_patents\t有效专利拥有量\tValid patents\tpatent\t件\t有效专利||专利拥有量\n", "empty variant"),
    ],
)
def test_a_malformed_catalogue_is_refused_naming_the_line(tmp_path, body, message):
    path = tmp_path / "catalogue.tsv"
    path.write_text("# a comment\n" + HEADER + body, encoding="utf-8")
    with pytest.raises(CatalogueError, match="catalogue.tsv:") as error:
        load_catalogue(path)
    assert message in str(error.value)


def test_a_catalogue_needs_its_header(tmp_path):
    path = tmp_path / "catalogue.tsv"
    path.write_text(GOOD, encoding="utf-8")
    with pytest.raises(CatalogueError, match=r"catalogue.tsv:1: header"):
        load_catalogue(path)


def test_a_small_catalogue_loads_with_comments_and_without_variants(tmp_path):
    path = tmp_path / "catalogue.tsv"
    path.write_text("# comment\n\n" + HEADER + "# another\n" + GOOD + "patent_grants\t专利授权量\tGrants\tpatent\t件\n", encoding="utf-8")
    catalogue = load_catalogue(path)
    assert [m.id for m in catalogue.metrics] == ["valid_patents", "patent_grants"]
    assert catalogue.variants["valid_patents"] == ("有效专利拥有量", "有效专利")


# ------------------------------------------------------------------ normalisation


@pytest.mark.parametrize(
    ("mention", "key"),
    [
        ("每萬人口有效發明專利擁有量", "每万人有效发明专利拥有量"),
        ("万人有效", "每万人有效"),
        ("每万人 有效发明专利拥有量", "每万人有效发明专利拥有量"),
        ("ｐｃｔ国际专利申请量", "PCT国际专利申请"),
        ("“发明专利授权数”", "发明专利授权"),
        ("有效注册商标数量", "有效注册商标"),
        ("发明专利拥有数", "发明专利拥有量"),
        ("第二十四屆中國專利獎", "中国专利奖"),
        ("首届浙江省知识产权奖", "浙江省知识产权奖"),
        # a designation named after the province or city that grants it: its level
        ("安徽省知识产权示范企业", "省级知识产权示范企业"),
        ("寧波市專利示范企業", "市级专利示范企业"),
        ("广西壮族自治区知识产权优势企业", "自治区级知识产权优势企业"),
        ("全市专利示范企业", "全市专利示范企业"),
        ("湖南省专利奖", "湖南省专利奖"),
        ("《专利合作条约》(PCT)途径提交的国际专利申请", "专利合作条约(PCT)途径提交的国际专利申请"),
        ("每十万居民专利申请", "每十万居民专利申请"),
        ("百万人口", "百万人口"),
    ],
)
def test_normalize_metric(mention, key):
    assert normalize_metric(mention) == key


# ------------------------------------------------------------------ synonym groups and near misses

SYNONYMS = [
    ["每万人口有效发明专利拥有量", "每万人有效发明专利拥有量", "万人有效发明专利拥有量", "万人发明专利拥有量",
     "萬人發明專利擁有量", "每萬人口有效發明專利擁有量", "每萬人有效發明專利擁有量", "万人有效", "每万人发明专利拥有量",
     "每万人有效发明专利", "每万人有效发明专利拥有数"],
    ["每万人口高价值发明专利拥有量", "每万人高价值发明专利拥有量", "每萬人口高價值發明專利擁有量", "每万人高价值发明专利"],
    ["有效发明专利拥有量", "有效发明专利", "有效發明專利擁有量", "發明專利擁有量", "有效发明专利数", "发明专利有效量"],
    ["发明专利授权量", "发明专利授权", "發明專利授權量", "授权发明专利", "新增发明专利授权", "发明专利授权数", "發明專利獲證"],
    ["发明专利申请量", "发明专利申请", "申请发明专利", "發明專利申請數量"],
    ["专利授权量", "专利授权", "授权专利", "專利授權數", "获得专利授权"],
    ["专利申请量", "专利申请", "申请专利", "專利申請量"],
    ["高价值发明专利拥有量", "高价值发明专利", "高價值發明專利擁有量"],
    ["有效注册商标量", "有效注册商标", "有效註冊商標數", "有效商标注册量"],
    ["商标注册量", "商标注册", "新注册商标"],
    ["商标注册申请量", "商标注册申请", "商標註冊申請", "申请注册商标"],
    ["PCT国际专利申请量", "PCT国际专利申请", "PCT國際專利申請量", "pct国际专利申请", "ＰＣＴ国际专利申请", "受理PCT国际专利申请"],
    ["马德里商标国际注册申请量", "马德里商标国际注册申请", "馬德里商標國際註冊申請量"],
    ["知识产权质押融资金额", "知識產權質押融資金額", "知识产权质押融资", "知识产权质押融资额", "智財質押融資金額"],
    ["地理标志专用标志使用市场主体", "地理标志专用标志使用企业", "地理標誌專用標誌使用市場主體"],
    ["地理标志产品", "地理标志保护产品", "国家地理标志保护产品", "地理標誌產品"],
    ["地理标志证明商标", "地理標誌證明商標"],
    ["中国专利奖", "第二十四届中国专利奖", "第二十五屆中國專利獎"],
    ["外观设计专利申请量", "外观设计申请", "設計專利申請"],
    ["实用新型专利申请量", "实用新型专利申请", "新型專利申請"],
    ["研发经费投入", "研发投入", "研發經費投入"],
    ["研发投入占营业收入比重", "研發投入佔營業收入比重", "研发经费投入占营业收入比重"],
    ["知识产权保险保额", "知识产权保险保障金额", "知識產權保險保額"],
    ["审结", "审结案件", "審結"],
    ["审结知识产权案件", "审结各类知识产权案件", "審結知識產權案件"],
    ["结案率", "結案率", "办结率"],
    ["专利转让许可次数", "专利转让许可", "轉讓許可專利", "專利轉讓許可次數"],
    ["查扣侵权货物", "查扣侵权嫌疑货物", "查扣侵權嫌疑貨物"],
    ["高新技术企业", "国家高新技术企业", "高新技術企業"],
    ["作品登记量", "作品登记", "作品登記量"],
    ["国家知识产权优势企业", "國家知識產權優勢企業"],
    ["省级知识产权示范企业", "安徽省知识产权示范企业", "山西省知識產權示範企業"],
    ["罚没款", "罚没金额", "罰沒款"],
]


@pytest.mark.parametrize("group", SYNONYMS, ids=[group[0] for group in SYNONYMS])
def test_synonyms_share_an_id(group):
    linked = {mention: link_metric(mention) for mention in group}
    assert None not in linked.values(), [m for m, metric in linked.items() if metric is None]
    assert len({metric.id for metric in linked.values()}) == 1, {m: metric.id for m, metric in linked.items()}


NEAR_MISSES = [
    ("有效发明专利拥有量", "发明专利授权量"),
    ("有效发明专利拥有量", "发明专利申请量"),
    ("发明专利授权量", "发明专利申请量"),
    ("发明专利授权量", "专利授权量"),
    ("发明专利申请量", "专利申请量"),
    ("商标注册量", "有效注册商标量"),
    ("国家知识产权示范企业", "安徽省知识产权示范企业"),
    ("市级专利示范企业", "省级知识产权示范企业"),
    ("商标注册申请量", "商标注册量"),
    ("专利申请量", "PCT国际专利申请量"),
    ("每万人有效发明专利拥有量", "每万人高价值发明专利拥有量"),
    ("每万人有效发明专利拥有量", "有效发明专利拥有量"),
    ("每万人发明专利申请", "每万人有效发明专利拥有量"),
    ("高价值发明专利拥有量", "有效发明专利拥有量"),
    ("企业有效发明专利拥有量", "有效发明专利拥有量"),
    ("企业发明专利授权量", "发明专利授权量"),
    ("高校有效发明专利拥有量", "高校院所有效发明专利拥有量"),
    ("海外发明专利授权量", "发明专利授权量"),
    ("实用新型专利授权量", "外观设计专利授权量"),
    ("有效专利", "有效发明专利"),
    ("马德里商标国际注册申请量", "马德里商标国际注册量"),
    ("马德里商标国际注册量", "商标注册量"),
    ("地理标志证明商标", "地理标志产品"),
    ("地理标志专用标志使用市场主体", "授权使用企业"),
    ("知识产权质押融资金额", "专利质押融资金额"),
    ("知识产权质押融资金额", "知识产权质押贷款"),
    ("知识产权质押融资金额", "质押融资金额"),
    ("知识产权质押融资项目", "专利质押融资项目"),
    ("知识产权保险保额", "专利保险保额"),
    ("知识产权保险保额", "风险保障"),
    ("受理知识产权案件", "审结知识产权案件"),
    ("新收知识产权案件", "受理知识产权案件"),
    ("审结知识产权案件", "审结"),
    ("审结知识产权民事一审案件", "审结知识产权民事二审案件"),
    ("审结知识产权民事案件", "审结知识产权案件"),
    ("查处商标侵权案件", "查处商标侵权假冒案件"),
    ("受理维权援助申请", "办结维权援助案件"),
    ("中国专利金奖", "中国专利奖"),
    ("中国专利金奖", "中国专利优秀奖"),
    ("国家知识产权优势企业", "国家知识产权示范企业"),
    # a figure of one field, product or holder has an id of its own, never the total's
    ("石墨领域发明专利授权", "发明专利授权量"),
    ("茶叶类有效注册商标", "有效注册商标"),
    ("花型作品登记量", "作品登记量"),
    ("生物医药领域发明专利授权", "医药领域发明专利授权"),
    # a generic measure (its object from context) never shares the id of a specific one
    ("融资规模", "知识产权质押融资金额"),
    ("贷款", "知识产权质押贷款"),
    ("授信", "知识产权质押融资授信"),
    ("研发经费投入强度", "研发投入占营业收入比重"),
    ("研发经费投入", "研发经费投入强度"),
    ("作品登记量", "计算机软件著作权登记量"),
    ("作品登记量", "美术作品登记量"),
    ("作品登记量", "著作权登记量"),
    ("技术合同成交额", "合同金额"),
    ("结案率", "调解成功率"),
    ("审结专利案件", "审结专利纠纷案件"),
    ("新收商标案件", "审结商标案件"),
    ("受理著作权案件", "受理知识产权案件"),
]


@pytest.mark.parametrize(("one", "other"), NEAR_MISSES, ids=[f"{a}-{b}" for a, b in NEAR_MISSES])
def test_near_misses_do_not_share_an_id(one, other):
    first, second = link_metric(one), link_metric(other)
    assert first is not None and second is not None, (first, second)
    assert first.id != second.id


@pytest.mark.parametrize(
    "mention",
    [
        "", "   ", "天气预报", "某某指标",
        # elliptical or ambiguous: the object, the stage or flow against stock is not named
        "授权量", "申请量", "授权", "发明专利", "發明專利", "外观设计专利", "专利", "注册商标", "註冊商標",
        "马德里国际注册商标", "植物新品种权", "涉外案件", "平均授权周期", "金奖", "优秀奖", "优势企业",
        # a subset by product that leaves flow or stock open, a stage-less subset, a bare amount or entity type
        "茶叶类注册商标", "光学领域发明专利", "金额", "项目", "市场主体",
    ],
)
def test_unknown_or_ambiguous_mentions_get_no_id(mention):
    assert link_metric(mention) is None


def test_linking_is_exact_not_fuzzy():
    assert link_metric("每万人有效发明专利拥有量") is not None
    assert link_metric("每万人有效发明专利拥有量增长") is None
    assert link_metric("全市每万人有效发明专利拥有量") is None


# ------------------------------------------------------------------ coverage of the gold corpus


def _linked_metric_mentions() -> list[tuple[str, CanonicalMetric | None]]:
    """Each METRIC entity that is the child of a ``metric`` relation (once per entity, not per text),
    with the catalogue metric the fact assembler gives it (the mention read in its context)."""
    path = default_corpus_path()
    assert path is not None, "annotations/gold/corpus.jsonl not found"
    mentions = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            record = json.loads(line)
            entities = record["entities"]
            metrics = sorted((e["start"], e["end"]) for e in entities if e["label"] == "METRIC")
            for child in sorted({r["child"] for r in record["relations"] if r["label"] == "metric"}):
                ent = entities[child]
                previous_end = max((e["end"] for e in entities if e["end"] <= ent["start"]), default=0)
                linked = link_metric_at(record["text"], metrics, metrics.index((ent["start"], ent["end"])), previous_end)
                mentions.append((ent["text"], linked))
    return mentions


def _coverage() -> tuple[float, int, int, list[tuple[str, int]]]:
    mentions = _linked_metric_mentions()
    unmapped = Counter(normalize_metric(text) for text, linked in mentions if linked is None)
    mapped = len(mentions) - sum(unmapped.values())
    return mapped / len(mentions), mapped, len(mentions), unmapped.most_common(15)


def test_corpus_coverage_does_not_regress():
    share, mapped, total, top = _coverage()
    assert total > 1000
    assert share >= COVERAGE_FLOOR, f"{mapped}/{total} = {share:.1%} of linked METRIC mentions map to an id; most frequent unmapped: {top}"


def test_corpus_coverage_target():
    share, mapped, total, top = _coverage()
    assert share >= COVERAGE_TARGET, f"{mapped}/{total} = {share:.1%} of linked METRIC mentions map to an id; most frequent unmapped: {top}"


# ------------------------------------------------------------------ linking in context


def _link_in(text: str, mention: str, occurrence: int = 0):
    """Link the ``occurrence``-th ``mention`` of ``text``, every METRIC of the text given as listed."""
    import re

    spans = sorted({(m.start(), m.end()) for word in METRIC_WORDS for m in re.finditer(re.escape(word), text)})
    spans = [s for s in spans if not any(o != s and o[0] <= s[0] and s[1] <= o[1] for o in spans)]  # longest only
    starts = [m.start() for m in re.finditer(re.escape(mention), text)]
    index = spans.index((starts[occurrence], starts[occurrence] + len(mention)))
    return link_metric_at(text, spans, index)


METRIC_WORDS = ("专利授权量", "有效专利", "发明专利", "獲證專利", "美國專利", "有效注册商标", "註冊商標", "馬德里國際註冊商標",
                "境外注册商标", "马德里国际注册商标", "發明專利", "植物新品種權", "商标侵权案件", "假冒专利案件", "审结的各类", "专利申请量",
                "主持和参与制修订各类标准", "国际标准", "发明", "实用新型", "外观设计专利授权量", "發明", "實用新型",
                "實用新型專利授權量", "发明专利授权量", "知识产权证券化产品", "发行规模", "平均授权周期", "质押金额",
                "外观设计专利", "審結知識產權案件", "涉外案件", "羊绒领域专利授权量",
                "有效发明专利", "海外发明专利", "植物新品种权", "注册商标", "授权量", "专利申请量", "商标注册量",
                "中国专利金奖", "中國專利金獎", "金奖", "银奖", "銀獎", "优秀奖", "一等奖", "二等奖", "三等奖",
                "制修订国际标准", "国家标准", "行业标准", "国家知识产权示范企业", "优势企业", "新收知识产权案件",
                "知识产权民事一审案件", "知识产权刑事案件", "著作权纠纷案件", "专利案件", "商标案件", "著作权案件",
                "知识产权案件", "融资规模")


@pytest.mark.parametrize(
    ("text", "mention", "expected"),
    [
        # a breakdown after 其中 takes its parent's stage
        ("全市专利授权量4,825件，其中发明专利732件。", "发明专利", "invention_patent_grants"),
        ("该公司有效专利412件，其中发明专利88件；", "发明专利", "valid_invention_patents"),
        ("2023年，授权量达到2,318件，其中发明专利351件。", "发明专利", "invention_patent_grants"),
        ("審結知識產權案件1,174件，其中涉外案件93件。", "涉外案件", "foreign_related_ip_cases_concluded"),
        # the held stock stays a stock although the breakdown says where it was granted
        ("拥有有效发明专利1,268件，其中在美国获得授权的海外发明专利87件。", "海外发明专利", "valid_overseas_invention_patents"),
        # a stage verb just before the mention
        ("截至2023年底，该公司拥有植物新品种权19件。", "植物新品种权", "valid_plant_variety_rights"),
        ("企业累计拥有注册商标48件。", "注册商标", "valid_registered_trademarks"),
        # the breakdown of a parent whose catalogue name states the stage (获证 is Taiwan's 授权)
        ("2023年臺大專利申請487件，獲證專利356件，其中美國專利142件；", "美國專利", "us_patent_grants"),
        # an organisation's entry in a list block: what it holds
        ("江西浮瑶茶业股份有限公司：有效注册商标43件，发明专利16件。", "发明专利", "valid_invention_patents"),
        ("◆日喀則市珠峰泉飲品有限公司：註冊商標47件，馬德里國際註冊商標6件；", "註冊商標", "valid_registered_trademarks"),
        ("◆日喀則市珠峰泉飲品有限公司：註冊商標47件，馬德里國際註冊商標6件；", "馬德里國際註冊商標", "valid_madrid_registrations"),
        ("③山西玉露香果业有限公司——注册商标42件，植物新品种权2件", "植物新品种权", "valid_plant_variety_rights"),
        ("2. 大竹县东湖醪糟食品有限公司：注册商标58件，境外注册商标23件；", "境外注册商标", "valid_overseas_registered_trademarks"),
        # a stage verb before a list's member scopes over the members after it
        ("截至2023年底，該公司擁有植物新品種權19件、發明專利12件。", "發明專利", "valid_invention_patents"),
        ("该公司发明专利137件、拥有注册商标42件、外观设计专利9件。", "外观设计专利", "valid_design_patents"),
        # the stage of the cases the sentence is about
        ("查处的案件中，商标侵权案件、假冒专利案件分别为231件、46件。", "假冒专利案件", "patent_counterfeiting_cases_investigated"),
        ("審結的各類知識產權案件中，涉外案件93件。", "涉外案件", "foreign_related_ip_cases_concluded"),
        ("审结的案件中，专利案件、商标案件、著作权案件分别为312件、587件、1034件。", "商标案件", "trademark_cases_concluded"),
        # …over the clauses a semicolon joins
        ("在新收的知识产权案件中，著作权纠纷案件1,372件；知识产权刑事案件82件。", "知识产权刑事案件", "ip_criminal_cases_newly_filed"),
        # a breakdown after a semicolon that opens with 其中
        ("新收知识产权案件3587件，同比增长9.2%；其中知识产权民事一审案件3214件，知识产权刑事案件46件。", "知识产权刑事案件",
         "ip_criminal_cases_newly_filed"),
        # the count stands between the stage verb and what it counts
        ("全年审结531件知识产权案件。", "知识产权案件", "ip_cases_concluded"),
    ],
)
def test_context_states_the_stage(text, mention, expected):
    linked = _link_in(text, mention)
    assert linked is not None and linked.id == expected


@pytest.mark.parametrize(
    ("text", "mention"),
    [
        # the parent is a subset by field: so are its breakdowns
        ("该县羊绒领域专利授权量412件，其中发明专利58件。", "发明专利"),
        # no 其中: a list of separate figures, not a breakdown
        ("专利授权量4,825件，发明专利732件。", "发明专利"),
        # the parent is in the previous sentence, or before a semicolon whose clause does not open with 其中
        ("专利授权量4,825件。其中发明专利732件。", "发明专利"),
        ("新收知识产权案件3587件；结收案比102.3%，其中知识产权刑事案件46件。", "知识产权刑事案件"),
        # no stage anywhere
        ("该公司注册商标43件，发明专利16件。", "注册商标"),
        ("2023年，全国共授权发明专利90.6万件；注册商标431.5万件。", "注册商标"),
        # an organisation's entry that speaks of the flows of a period
        ("新疆温宿核桃产业集团有限公司：当年专利申请量21件，注册商标36件；", "注册商标"),
        # a place's entry, not an organisation's: its bare figures may be flows
        ("临沭县：马德里国际注册商标27件，同比增长35.0%。", "马德里国际注册商标"),
        # the organisation is named in the sentence, not as the head of a list entry
        ("记者走访了江西浮瑶茶业股份有限公司：该公司去年注册商标43件。", "注册商标"),
    ],
)
def test_context_without_a_stage_links_nothing(text, mention):
    assert _link_in(text, mention) is None


@pytest.mark.parametrize(
    ("text", "mention", "occurrence", "expected"),
    [
        # an award grade written alone belongs to the award named before it in its sentence
        ("在第二十五届中国专利奖评选中，该市企业获金奖1项、银奖2项、优秀奖9项。", "金奖", 0, "china_patent_gold_award"),
        ("在第二十五届中国专利奖评选中，该市企业获金奖1项、银奖2项、优秀奖9项。", "优秀奖", 0, "china_patent_excellence_award"),
        # …also when that award is itself named with a grade (中国专利金奖 → the scheme 中国专利)
        ("其中中國專利金獎2項、銀獎1項。", "銀獎", 0, "china_patent_silver_award"),
        ("在第十届安徽省专利奖评选中，该市获奖11项，其中一等奖2项、二等奖3项、三等奖6项。", "三等奖", 0, "anhui_patent_third_prize"),
        # a list member takes the words its list's first member leads with
        ("累计制修订国际标准148项、国家标准345项、行业标准20项，居全省第一。", "国家标准", 0, "national_standards_formulated"),
        ("累计制修订国际标准148项、国家标准345项、行业标准20项，居全省第一。", "行业标准", 0, "industry_standards_formulated"),
        ("国家知识产权示范企业41家、优势企业126家。", "优势企业", 0, "national_ip_advantage_enterprises"),
        # a breakdown takes the leading words of what it breaks down
        ("全市主持和参与制修订各类标准72项，其中国际标准2项、国家标准19项。", "国家标准", 0, "national_standards_formulated"),
        # members written before the last one leave out the words they share with it
        ("其中，全市发明、实用新型、外观设计专利授权量分别为431件、2018件、3120件。", "发明", 0, "invention_patent_grants"),
        ("蓬溪縣：發明、實用新型專利授權量分別為37件、219件。", "發明", 0, "invention_patent_grants"),
        # a measure of what the previous metric of the sentence counts
        ("2023年，苏州发行知识产权证券化产品4单，发行规模12.8亿元。", "发行规模", 0, "ip_securitization_issuance"),
        # the words of the clause just before the mention complete it
        ("受理专利预审申请318件，预审合格专利的平均授权周期压缩到62天。", "平均授权周期", 0, "preexamined_patent_average_grant_period"),
        # …also across the count between them (了 is no part of what is counted)
        ("该公司拥有87件有效发明专利，主导制定了2项行业标准。", "行业标准", 0, "industry_standards_led"),
        # the previous metric's own figure may come before it, the measure after a clause break
        ("2023年，贵阳发行了2单知识产权证券化产品，融资规模合计4.3亿元。", "融资规模", 0, "ip_securitization_issuance"),
    ],
)
def test_awards_and_lists_complete_a_mention(text, mention, occurrence, expected):
    linked = _link_in(text, mention, occurrence)
    assert linked is not None and linked.id == expected


@pytest.mark.parametrize(
    ("text", "mention"),
    [
        # the award is named in the previous sentence: whose grade is it?
        ("在第十届安徽省专利奖评选中，该市获奖11项。研究院一家就拿下一等奖1项。", "一等奖"),
        # an award the catalogue does not list
        ("在首届某某市专利奖评选中，其中一等奖3项。", "一等奖"),
        # members with different head nouns share nothing (有效 is not said of the trademarks)
        ("该公司有效发明专利137件、注册商标42件。", "注册商标"),
        # a comma, not the enumeration comma: separate statements
        ("制修订国际标准148项，国家标准345项。", "国家标准"),
        # a qualifier of the clause left out would make a subset the whole (预审合格的发明专利 ≠ 发明专利)
        ("预审合格的发明专利平均授权周期压缩至3.2个月。", "平均授权周期"),
        # the attribute of a figure the catalogue has no such measure for
        ("质押金额292.0亿元，发行规模近3年平均增幅达64.59%。", "发行规模"),
        # separate statements, not one list sharing its words
        ("发明专利授权量431件，实用新型1,200件。", "实用新型"),
        # a stage verb scopes over the members after it, not over those before it
        ("该公司发明专利137件、拥有注册商标42件、外观设计专利9件。", "发明专利"),
        # the count is not right before the mention: what stands before the count does not complete it
        ("该公司主导制定2项标准，其中行业标准1项。", "行业标准"),
        # the clause before the count is cut by a comma: 有 is no verb that completes the mention
        ("企业参与制定的标准中，有2项行业标准。", "行业标准"),
        # only the whole clause before the count: its tail 参与制定 would make a wrong figure of 主导或参与制定
        ("目前，公司主导或参与制定11项行业标准。", "行业标准"),
    ],
)
def test_awards_and_lists_without_their_context_link_nothing(text, mention):
    assert _link_in(text, mention) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the issue's size: the context composes the specific metric
        ("2023年，贵阳发行了2单知识产权证券化产品，融资规模合计4.3亿元。", "ip_securitization_issuance"),
        # the count's product is in the previous sentence: financing of the subject, whatever its kind
        ("全市发行2单知识产权证券化产品。融资规模4.3亿元。", "financing_amount"),
        ("该市企业当年融资规模4.3亿元。", "financing_amount"),
    ],
)
def test_a_generic_metric_gives_way_to_a_specific_one_its_context_composes(text, expected):
    linked = _link_in(text, "融资规模")
    assert linked is not None and linked.id == expected
    assert linked.generic == (expected == "financing_amount")


def test_context_never_overrides_a_mention_that_names_a_metric():
    # 有效专利 names valid_patents itself; the verb before it changes nothing
    assert link_metric_in_context("有效专利", before="累计授权", parent="专利申请量").id == "valid_patents"

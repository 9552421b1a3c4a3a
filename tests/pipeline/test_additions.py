"""Entities span repair and the fact assembler add where the recogniser tagged nothing: deictic time words,
datelines, companies with a place in brackets, the figures ranking lists are drawn up by, names listed after a
METRIC's figure, kinds of patent listed before 分别, figures named for a field, the metric a list block is drawn up by,
national bodies."""
import pytest
import spacy

from ipner.pipeline.additions import (
    with_bracketed_companies, with_coordinated_metrics, with_datelines, with_deictic_dates, with_field_metrics,
    with_list_introducer_metrics, with_national_bodies, with_patent_type_lists, with_ranking_metrics,
)
from ipner.text.normalize import normalize_text


def _blank():
    return spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "ipner.CharTokenizer.v1"}}})


def _added(add, text, spans):
    """The entities (text, label) after ``add`` ran on ``text`` with ``spans`` (in order of appearance) tagged."""
    doc = _blank().make_doc(text)
    position, ents = 0, []
    for piece, label in spans:
        start = text.index(piece, position)
        ents.append(doc.char_span(start, start + len(piece), label=label))
        position = start + len(piece)
    return [(e.text, e.label_) for e in add(doc, normalize_text(text), ents)]


@pytest.mark.parametrize(
    ("text", "spans", "expected"),
    [
        ("一年来,全市对接专利技术800余项。", [("800余项", "QUANTITY")], [("一年来", "DATE"), ("800余项", "QUANTITY")]),
        ("如今的株洲,着力打造制造业高地。", [("株洲", "CITY")], [("如今", "DATE"), ("株洲", "CITY")]),
        ("當前，杭州緊扣主題主線。", [("杭州", "CITY")], [("當前", "DATE"), ("杭州", "CITY")]),
        ("多年來,武漢市以知識產權促進創新。", [("武漢市", "CITY")], [("多年來", "DATE"), ("武漢市", "CITY")]),
        ("在刚刚过去的一年里,深圳市知识产权局提升服务。", [("深圳市知识产权局", "ORG")],
         [("刚刚过去的一年", "DATE"), ("深圳市知识产权局", "ORG")]),
        ("近两年来,专利授权量稳步增长。", [], [("近两年来", "DATE")]),
        # the count of years that the recogniser tagged as a duration becomes the DATE
        ("运行两年来,中心受理案件500件。", [("两年", "QUANTITY"), ("500件", "QUANTITY")], [("两年来", "DATE"), ("500件", "QUANTITY")]),
        # a DATE that stops before its 来 or 以来 takes it in
        ("近年来培育了1200余家高新技术企业。", [("近年", "DATE"), ("1200余家", "QUANTITY")], [("近年来", "DATE"), ("1200余家", "QUANTITY")]),
        ("2021年以来,宁波成立工作领导小组。", [("2021年", "DATE"), ("宁波", "CITY")], [("2021年以来", "DATE"), ("宁波", "CITY")]),
        # not a time: part of a longer word, a verb, or the tail of a longer count
        ("要把握当前形势。", [], []), ("代表应当前往现场。", [], []), ("今年来杭州的企业。", [("今年", "DATE"), ("杭州", "CITY")],
                                                                      [("今年", "DATE"), ("杭州", "CITY")]),
        ("十二年来", [], [("十二年来", "DATE")]),
        # never over another entity
        ("近年来发明专利授权量", [("近年来发明专利授权量", "METRIC")], [("近年来发明专利授权量", "METRIC")]),
    ],
)
def test_deictic_time_words_are_dates(text, spans, expected):
    assert _added(with_deictic_dates, text, spans) == expected


_LISTED = [("国家知识产权优势企业", "METRIC"), ("28家", "QUANTITY"), ("11家", "QUANTITY")]


@pytest.mark.parametrize(
    ("text", "spans", "expected"),
    [
        ("累计获批国家知识产权优势企业28家、示范企业11家。", _LISTED,
         [("国家知识产权优势企业", "METRIC"), ("28家", "QUANTITY"), ("示范企业", "METRIC"), ("11家", "QUANTITY")]),
        ("全市現有國家知識產權優勢企業28家、示範企業5家。", [("國家知識產權優勢企業", "METRIC"), ("28家", "QUANTITY"), ("5家", "QUANTITY")],
         [("國家知識產權優勢企業", "METRIC"), ("28家", "QUANTITY"), ("示範企業", "METRIC"), ("5家", "QUANTITY")]),
        # a place, a rank's scope, a comparison, a rank, a break after the METRIC, or a name tagged already: no METRIC
        ("其中优势企业5家、石嘴山2家。", [("优势企业", "METRIC"), ("5家", "QUANTITY"), ("2家", "QUANTITY")],
         [("优势企业", "METRIC"), ("5家", "QUANTITY"), ("2家", "QUANTITY")]),
        ("地理标志63件、全国副省级城市第二。", [("地理标志", "METRIC"), ("63件", "QUANTITY"), ("第二", "QUANTITY")],
         [("地理标志", "METRIC"), ("63件", "QUANTITY"), ("第二", "QUANTITY")]),
        ("发明专利授权1865件、同比增长23.4%。", [("发明专利授权", "METRIC"), ("1865件", "QUANTITY"), ("23.4%", "QUANTITY")],
         [("发明专利授权", "METRIC"), ("1865件", "QUANTITY"), ("23.4%", "QUANTITY")]),
        ("专利授权量居全国第3位、全省第一。", [("专利授权量", "METRIC"), ("第3位", "QUANTITY"), ("第一", "QUANTITY")],
         [("专利授权量", "METRIC"), ("第3位", "QUANTITY"), ("第一", "QUANTITY")]),
        ("国家知识产权优势企业,28家、示范企业11家。", _LISTED, [(t, label) for t, label in _LISTED]),
        ("专利拥有量超过11件、知识产权质押融资金额突破12亿元", [("专利拥有量", "METRIC"), ("超过11件", "QUANTITY"), ("12亿元", "QUANTITY")],
         [("专利拥有量", "METRIC"), ("超过11件", "QUANTITY"), ("12亿元", "QUANTITY")]),
        ("国家知识产权优势企业28家、示范企业11家。", _LISTED[:2] + [("示范企业", "METRIC"), ("11家", "QUANTITY")],
         _LISTED[:2] + [("示范企业", "METRIC"), ("11家", "QUANTITY")]),
    ],
)
def test_a_name_listed_after_a_metrics_figure_is_a_metric(text, spans, expected):
    assert _added(with_coordinated_metrics, text, spans) == expected


@pytest.mark.parametrize(
    ("text", "spans", "expected"),
    [
        # what the recogniser makes of a dateline: the clock time cut into a QUANTITY that runs on into 来源
        ("时间:2024-04-24 10:30 来源:嘉兴日报", [("24 10", "QUANTITY"), ("30 来", "QUANTITY"), ("嘉兴日报", "ORG")],
         [("2024-04-24", "DATE"), ("嘉兴日报", "ORG")]),
        ("2025-03-12 08:30  来源", [("2025", "DATE"), ("12 08", "QUANTITY"), ("30  来源", "QUANTITY")], [("2025-03-12", "DATE")]),
        ("發布時間：2024年5月6日 14：20\n來源：南寧市", [("2024年5月6日 14", "DATE"), ("20\n來", "QUANTITY"), ("南寧市", "CITY")],
         [("2024年5月6日", "DATE"), ("南寧市", "CITY")]),
        ("2024/1/15 09:32:11", [], [("2024/1/15", "DATE")]),
        # no clock time, or one the recogniser made part of another entity: left alone
        ("2024-04-24 发布", [], []),
        ("2024年5月6日 14:20", [("2024年5月6日 14:20", "METRIC")], [("2024年5月6日 14:20", "METRIC")]),
        ("比分2024-1-1 25:30", [], []),
    ],
)
def test_a_datelines_date_is_a_date_and_its_clock_time_no_entity(text, spans, expected):
    assert _added(with_datelines, text, spans) == expected


@pytest.mark.parametrize(
    ("text", "spans", "expected"),
    [
        ("經中國國際廣播電臺授權,國廣國際在線網絡(北京)有限公司獨家負責經營。", [("中國國際廣播電臺", "ORG")],
         [("中國國際廣播電臺", "ORG"), ("國廣國際在線網絡(北京)有限公司", "ORG")]),
        # the words that run into the name from the left stay outside
        ("任何未與國廣國際在線網絡(北京)有限公司簽訂協議的公司", [], [("國廣國際在線網絡(北京)有限公司", "ORG")]),
        ("已取得国广国际在线网络(北京)有限公司使用授权", [], [("国广国际在线网络(北京)有限公司", "ORG")]),
        # the place the recogniser tagged inside the name is replaced
        ("腾讯科技（深圳）有限公司获得发明专利授权", [("深圳", "CITY")], [("腾讯科技（深圳）有限公司", "ORG")]),
        ("微软（中国）投资有限公司设立研发中心", [], [("微软（中国）投资有限公司", "ORG")]),
        # brackets that hold no place, and names the text breaks
        ("鄞州区大学生(青年)创业园有限公司", [], []),
        ("据介绍，(北京)有限公司", [], []),
        # never over an entity that runs out of the name
        ("國廣國際在線網絡(北京)有限公司", [("國廣國際在線網絡(北京)有限公司", "METRIC")], [("國廣國際在線網絡(北京)有限公司", "METRIC")]),
    ],
)
def test_a_company_with_a_place_in_brackets_is_one_org(text, spans, expected):
    assert _added(with_bracketed_companies, text, spans) == expected


@pytest.mark.parametrize(
    ("text", "spans", "expected"),
    [
        ("在2013年我國副省級城市(不含港澳臺)發明專利授權量排名中,杭州市位列第2位。",
         [("2013年", "DATE"), ("港澳臺", "REGION"), ("杭州市", "CITY"), ("第2位", "QUANTITY")],
         [("2013年", "DATE"), ("港澳臺", "REGION"), ("發明專利授權量", "METRIC"), ("杭州市", "CITY"), ("第2位", "QUANTITY")]),
        # the list's scope and its verb stay outside; the rank may follow the list's word at once
        ("在2023年度全国城市知识产权竞争力排行榜中,邯郸排名第89位。", [("邯郸", "CITY"), ("第89位", "QUANTITY")],
         [("知识产权竞争力", "METRIC"), ("邯郸", "CITY"), ("第89位", "QUANTITY")]),
        ("处在国家创新型城市创新能力指数排名的第28位", [("第28位", "QUANTITY")],
         [("国家创新型城市创新能力指数", "METRIC"), ("第28位", "QUANTITY")]),
        ("跻身全省各设区市发明专利授权量排名前十位", [("前十位", "QUANTITY")], [("发明专利授权量", "METRIC"), ("前十位", "QUANTITY")]),
        # an assessment keeps its word; a figure named before it is what the assessment ranks
        ("在全國專利行政執法績效考核中名列第一;", [("第一", "QUANTITY")], [("專利行政執法績效考核", "METRIC"), ("第一", "QUANTITY")]),
        ("知识产权指标在全省营商环境评价中排名第一;", [("知识产权指标", "METRIC"), ("第一", "QUANTITY")],
         [("知识产权指标", "METRIC"), ("第一", "QUANTITY")]),
        # no rank in the sentence, a set ranked, a figure named before, who is ranked, a list already tagged
        ("公布了全市发明专利授权量排名靠前的企业。", [], []),
        ("发明专利授权量排名中有变化。杭州第2位", [("第2位", "QUANTITY")], [("第2位", "QUANTITY")]),
        ("在全球科技集群中排名第14位", [("第14位", "QUANTITY")], [("第14位", "QUANTITY")]),
        ("同比增长26.3%,增速排名全省第2位", [("26.3%", "QUANTITY"), ("第2位", "QUANTITY")], [("26.3%", "QUANTITY"), ("第2位", "QUANTITY")]),
        ("在全球同领域企业专利排名中居第14位", [("第14位", "QUANTITY")], [("第14位", "QUANTITY")]),
        ("三星和日立排名第二和第三位", [("第二", "QUANTITY"), ("第三位", "QUANTITY")], [("第二", "QUANTITY"), ("第三位", "QUANTITY")]),
        ("江门市发明专利授权量排名第8位", [("江门市", "CITY"), ("发明专利授权量", "METRIC"), ("第8位", "QUANTITY")],
         [("江门市", "CITY"), ("发明专利授权量", "METRIC"), ("第8位", "QUANTITY")]),
    ],
)
def test_a_ranking_lists_figure_is_a_metric(text, spans, expected):
    assert _added(with_ranking_metrics, text, spans) == expected


@pytest.mark.parametrize(
    ("text", "spans", "expected"),
    [
        ("入选国家知识产权局专利导航优秀成果。", [], [("国家知识产权局", "ORG")]),
        ("在上交所、深交所累计发行7单产品。", [("7单", "QUANTITY")], [("上交所", "ORG"), ("深交所", "ORG"), ("7单", "QUANTITY")]),
        ("入選國家發展改革委全國優化營商環境創新實踐十大案例", [], [("國家發展改革委", "ORG")]),
        # the head of a longer body's name is left to the recogniser
        ("国家知识产权局专利局专利审查协作湖北中心向该中心授牌。", [], []),
        ("中国科学院青海盐湖研究所等科研院所", [], []),
        # a place's own paper or body, and a name the recogniser tagged otherwise
        ("香港經濟日報報道", [("香港", "CITY")], [("香港", "CITY")]),
        ("国家知识产权局局长", [("国家知识产权局局长", "ORG")], [("国家知识产权局局长", "ORG")]),
    ],
)
def test_national_bodies_are_orgs(text, spans, expected):
    assert _added(with_national_bodies, text, spans) == expected


@pytest.mark.parametrize(
    ("text", "spans", "expected"),
    [
        ("全市发明、实用新型、外观设计专利授权量分别为431件、2018件、397件。",
         [("431件", "QUANTITY"), ("2018件", "QUANTITY"), ("397件", "QUANTITY")],
         [("发明", "METRIC"), ("实用新型", "METRIC"), ("外观设计专利授权量", "METRIC"), ("431件", "QUANTITY"),
          ("2018件", "QUANTITY"), ("397件", "QUANTITY")]),
        # Traditional script; the recogniser's METRIC over the last kind gives way
        ("發明、實用新型專利授權量分別為21件、118件", [("實用新型專利授權量", "METRIC"), ("21件", "QUANTITY"), ("118件", "QUANTITY")],
         [("發明", "METRIC"), ("實用新型專利授權量", "METRIC"), ("21件", "QUANTITY"), ("118件", "QUANTITY")]),
        # …and so does one over the whole list
        ("发明专利和实用新型专利申请量分别达到1.2万件和3.4万件",
         [("发明专利和实用新型专利申请量", "METRIC"), ("1.2万件", "QUANTITY"), ("3.4万件", "QUANTITY")],
         [("发明专利", "METRIC"), ("实用新型专利申请量", "METRIC"), ("1.2万件", "QUANTITY"), ("3.4万件", "QUANTITY")]),
        # without 分别 the kinds may make one total: left to the recogniser
        ("发明、实用新型、外观设计专利授权量合计2846件。", [("2846件", "QUANTITY")], [("2846件", "QUANTITY")]),
        # another entity inside the list keeps it as it is
        ("发明、实用新型专利授权量分别为37件、219件",
         [("发明", "ORG"), ("37件", "QUANTITY"), ("219件", "QUANTITY")],
         [("发明", "ORG"), ("37件", "QUANTITY"), ("219件", "QUANTITY")]),
    ],
)
def test_kinds_of_patent_listed_before_respectively_are_metrics_of_their_own(text, spans, expected):
    assert _added(with_patent_type_lists, text, spans) == expected


@pytest.mark.parametrize(
    ("text", "spans", "expected"),
    [
        ("▶ 临清市：轴承领域专利授权量612件；", [("临清市", "CITY"), ("612件", "QUANTITY")],
         [("临清市", "CITY"), ("轴承领域专利授权量", "METRIC"), ("612件", "QUANTITY")]),
        ("目前全市食品领域有效发明专利已有900余件。", [("目前", "DATE"), ("900余件", "QUANTITY")],
         [("目前", "DATE"), ("食品领域有效发明专利", "METRIC"), ("900余件", "QUANTITY")]),
        ("玉龍納西族自治縣旅遊商品外觀設計專利授權量87件。", [("玉龍納西族自治縣", "CITY"), ("87件", "QUANTITY")],
         [("玉龍納西族自治縣", "CITY"), ("旅遊商品外觀設計專利授權量", "METRIC"), ("87件", "QUANTITY")]),
        # no figure right after the name: nothing is added
        ("轴承领域专利授权量增长较快，达612件。", [("612件", "QUANTITY")], [("612件", "QUANTITY")]),
        # a name the recogniser tagged stays as it is
        ("全市新能源领域发明专利授权量526件", [("新能源领域发明专利授权量", "METRIC"), ("526件", "QUANTITY")],
         [("新能源领域发明专利授权量", "METRIC"), ("526件", "QUANTITY")]),
    ],
)
def test_a_patent_or_trademark_figure_named_for_a_field_is_one_metric(text, spans, expected):
    assert _added(with_field_metrics, text, spans) == expected


@pytest.mark.parametrize(
    ("text", "spans", "expected"),
    [
        ("今年上半年，各县（市、区）发明专利授权量如下：\n1. 袁州区：142件；", [("今年上半年", "DATE"), ("袁州区", "CITY"), ("142件", "QUANTITY")],
         [("今年上半年", "DATE"), ("发明专利授权量", "METRIC"), ("袁州区", "CITY"), ("142件", "QUANTITY")]),
        ("各区知识产权质押融资金额：\n▶ 江城区 2.1亿元", [("江城区", "CITY"), ("2.1亿元", "QUANTITY")],
         [("知识产权质押融资金额", "METRIC"), ("江城区", "CITY"), ("2.1亿元", "QUANTITY")]),
        # no intellectual-property word: no metric of this project's
        ("各县区主要经济指标完成数如下：\n1. 袁州区：142亿元；", [("袁州区", "CITY"), ("142亿元", "QUANTITY")],
         [("袁州区", "CITY"), ("142亿元", "QUANTITY")]),
        # the line does not end the list's introduction
        ("各县发明专利授权量如下表所示，袁州区142件。", [("袁州区", "CITY"), ("142件", "QUANTITY")],
         [("袁州区", "CITY"), ("142件", "QUANTITY")]),
    ],
)
def test_the_metric_named_at_the_end_of_a_list_blocks_introduction_is_a_metric(text, spans, expected):
    assert _added(with_list_introducer_metrics, text, spans) == expected


def test_the_additions_leave_every_gold_document_as_annotated(gold_docs):
    """The corpus tags what the additions find (GUIDELINES §4): run on the gold entities, they add nothing."""
    changed = []
    for doc_id, doc in gold_docs:
        ents, norm = list(doc.ents), normalize_text(doc.text)
        for add in (
            with_deictic_dates, with_datelines, with_bracketed_companies, with_ranking_metrics, with_coordinated_metrics,
            with_national_bodies, with_patent_type_lists, with_field_metrics, with_list_introducer_metrics,
        ):
            if add(doc, norm, ents) != ents:
                changed.append((doc_id, add.__name__))
    assert changed == []

"""The span repair component: what it trims from METRIC, ORG and place spans and what it leaves alone."""
import pytest
import spacy

from ipner.pipeline.span_repair import SpanRepair, repaired_bounds


def _repaired_entities(text, spans):
    """(text, label) of the entities span repair leaves of ``spans`` (pieces of ``text``, each at its first occurrence)."""
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "ipner.CharTokenizer.v1"}}})
    doc = nlp.make_doc(text)
    doc.ents = [doc.char_span(text.index(piece), text.index(piece) + len(piece), label=label) for piece, label in spans]
    return [(e.text, e.label_) for e in SpanRepair()(doc).ents]


def _trimmed(text, label):
    start, end = repaired_bounds(text, label)
    return text[start:end]


@pytest.mark.parametrize(
    ("text", "label", "expected"),
    [
        ("海外销售收入稳居行业", "METRIC", "海外销售收入"),
        ("营业收入首次跨越", "METRIC", "营业收入"),
        ("国际标准数稳居", "METRIC", "国际标准数"),
        ("专利导航优秀成果,", "METRIC", "专利导航优秀成果"),
        ("受理知识产权举报投诉，", "METRIC", "受理知识产权举报投诉"),
        ("专利转化对", "METRIC", "专利转化"),
        ("軟件著作權從", "METRIC", "軟件著作權"),
        ("發明專利申請量同比", "METRIC", "發明專利申請量"),
("知识产权行政保护工作连续", "METRIC", "知识产权行政保护工作"),
        ("中国专利奖评选中", "METRIC", "中国专利奖评选"),
        ("伴随着市知识产权保护中心", "ORG", "市知识产权保护中心"),
        ("市人民政府共同", "ORG", "市人民政府"),
        ("工信部公示", "ORG", "工信部"), ("三星和", "ORG", "三星"), ("中国科学院等", "ORG", "中国科学院"),
        ("《专利法》", "METRIC", "《专利法》"),
        # a place that ran on into the next word is cut back to the division it names
        ("株洲特色", "CITY", "株洲"), ("杭州经济", "CITY", "杭州"), ("南京經濟社", "CITY", "南京"), ("濟南 搶", "CITY", "濟南"),
        ("湖南经济", "REGION", "湖南"),
        # a group of places followed by the count of its members or by 区域
        ("长株潭三市", "REGION", "长株潭"), ("京津冀三地", "REGION", "京津冀"), ("长株潭区域", "REGION", "长株潭"),
        # a heading's number and a preposition that a DATE ran back into
        ("4 从2016年至2020年", "DATE", "2016年至2020年"), ("自2021年", "DATE", "2021年"), ("在去年", "DATE", "去年"),
        # list and heading marks
        ("■ 专利授权量", "METRIC", "专利授权量"), ("## 株洲", "CITY", "株洲"),
        # 新增 before a stock makes the figure growth and stays outside
        ("新增贯标企业", "METRIC", "贯标企业"), ("累计新增國家知識產權優勢企業", "METRIC", "國家知識產權優勢企業"),
        # the verb 有 it ran back into; a clause break inside it
        ("有国家级标委会", "METRIC", "国家级标委会"), ("市級專利示范企業進行復審,復審企業", "METRIC", "市級專利示范企業進行復審"),
        ("市知识产权局；市市场监管局", "ORG", "市知识产权局"),
    ],
)
def test_run_on_spans_are_trimmed(text, label, expected):
    assert _trimmed(text, label) == expected


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("专利授权", "METRIC"), ("专利申请", "METRIC"), ("发明专利拥有", "METRIC"), ("注册商标拥有量", "METRIC"),
        ("专利首次审查周期", "METRIC"), ("单案最高判赔额", "METRIC"), ("办理知识产权各项业务", "METRIC"),
        ("“国字号”试点示范", "METRIC"), ("國廣國際在線網絡(北京)有限公司", "ORG"), ("湖南(株洲)职业教育科技园", "ORG"),
        # places that resolve, or that a division's name only begins (杭州湾, 长沙片区, 滨海新区), or that name none
        ("株洲市", "CITY"), ("滨江", "CITY"), ("長沙片區", "CITY"), ("杭州湾", "REGION"), ("长株潭都市圈", "REGION"),
        ("纽约", "CITY"), ("高新区", "CITY"), ("松山湖", "CITY"),
        # a name that holds its members' count resolves whole
        ("东北三省", "REGION"), ("中部六省", "REGION"), ("长株潭都市圈", "REGION"),
        # never below two characters
        ("达到", "METRIC"), ("的", "METRIC"),
        # 新增 before a flow is part of the metric
        ("新增发明专利授权", "METRIC"), ("新增注册商标", "METRIC"), ("新增", "METRIC"),
        # 有效 and 有色 begin metrics; an enumeration comma is no clause break
        ("有效发明专利", "METRIC"), ("有色金属领域发明专利授权量", "METRIC"), ("审结专利权属、侵权纠纷案件", "METRIC"),
    ],
)
def test_names_are_left_alone(text, label):
    assert _trimmed(text, label) == text


def test_only_the_labels_it_repairs_and_offsets_of_the_text():
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "ipner.CharTokenizer.v1"}}})
    text = "株洲海外销售收入稳居行业第一，株洲所同比增长。"
    doc = nlp.make_doc(text)
    doc.ents = [doc.char_span(0, 2, label="CITY"), doc.char_span(2, 12, label="METRIC"), doc.char_span(15, 20, label="ORG")]
    doc = SpanRepair(repair_labels=["METRIC"])(doc)
    assert [(e.text, e.label_, e.start_char) for e in doc.ents] == [("株洲", "CITY", 0), ("海外销售收入", "METRIC", 2), ("株洲所同比", "ORG", 15)]
    doc.ents = [doc.char_span(0, 4, label="CITY")]  # 株洲海外: the place ran on
    assert [e.text for e in SpanRepair(repair_labels=["METRIC"])(doc).ents] == ["株洲海外"]
    assert [e.text for e in SpanRepair()(doc).ents] == ["株洲"]


def test_a_metric_is_cut_where_a_predicate_begins_that_ends_after_it():
    text = "全球科技集群百強榜中躍"
    assert repaired_bounds(text, "METRIC", after="居") == (0, len("全球科技集群百強榜"))
    assert repaired_bounds(text, "METRIC") == (0, len(text))


def test_a_group_of_places_run_into_the_first_character_of_quyu_is_cut():
    assert repaired_bounds("长株潭区", "REGION", after="域") == (0, 3)
    assert repaired_bounds("长株潭区域一体化", "REGION") == (0, 3)
    assert repaired_bounds("长株潭区", "REGION", after="内") == (0, 4)


def test_a_place_that_ran_into_the_next_word_is_cut_by_what_follows_it():
    assert repaired_bounds("宁波海", "CITY", after="外") == (0, 2)  # 宁波 + 海外
    assert repaired_bounds("宁波海", "CITY") == (0, 3)  # 宁波海 … may be a longer name (宁波海曙区)
    assert repaired_bounds("杭州湾", "REGION", after="新") == (0, 3)


@pytest.mark.parametrize(
    ("text", "piece", "label", "kept"),
    [
        # a CITY that resolves to nothing, ends like no place and begins no gazetteer name: no place
        ("两项指标双双位居全省第一。", "双双", "CITY", False),
        ("长株潭的株潭两市", "株潭", "CITY", False),
        # a town, a port, a zone's short form: places even where GB/T 2260 does not list them
        ("石河镇专利申请量12件。", "石河镇", "CITY", True),
        ("河口、金水河等口岸", "金水河", "CITY", True),
        ("雄安专利申请量12件。", "雄安", "CITY", True),
        ("日本专利申请量", "日本", "CITY", True),
        # a heading's number is no DATE; a year is
        ("### 5 示范企业由2家增加到6家", "### 5", "DATE", False),
        ("2023 年专利授权量", "2023", "DATE", True),
        # the number that opens a heading or a list item is no QUANTITY; a figure at a line's start is
        ("### 1 发明专利拥有量 (2016年—2020年)", "1 发", "QUANTITY", False),
        ("导语\n## 2 万人专利拥有量", "2 万人", "QUANTITY", False),
        ("2、凡本网注明来源的内容", "2", "QUANTITY", False),
        ("3. 专利质押金额", "3", "QUANTITY", False),
        ("12家企业入选示范企业。", "12家", "QUANTITY", True),
        ("3.5亿元专利质押融资", "3.5亿元", "QUANTITY", True),
        ("全市 3 个园区入选", "3 个", "QUANTITY", True),
        ("导语\n3 个园区入选", "3 个", "QUANTITY", True),
        ("2023 年专利授权量", "2023 年", "QUANTITY", True),
    ],
)
def test_entities_that_name_nothing_of_their_label_are_dropped(text, piece, label, kept):
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "ipner.CharTokenizer.v1"}}})
    doc = nlp.make_doc(text)
    start = text.index(piece)
    doc.ents = [doc.char_span(start, start + len(piece), label=label)]
    assert [e.text for e in SpanRepair()(doc).ents] == ([piece] if kept else [])


def test_the_gold_corpus_is_left_as_annotated():
    """A gold METRIC, ORG, CITY or REGION is what the guidelines call a name: the repair changes none of them."""
    import json

    from ipner.resources import default_corpus_path

    changed = []
    with open(default_corpus_path(), encoding="utf-8") as f:
        for line in f:
            for ent in json.loads(line)["entities"]:
                if ent["label"] in ("METRIC", "ORG", "CITY", "REGION") and _trimmed(ent["text"], ent["label"]) != ent["text"]:
                    changed.append(ent["text"])
    assert changed == []


def _dates(text, spans, repair_labels=("DATE",)):
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "ipner.CharTokenizer.v1"}}})
    doc = nlp.make_doc(text)
    doc.ents = [doc.char_span(text.index(piece), text.index(piece) + len(piece), label="DATE") for piece in spans]
    return [e.text for e in SpanRepair(repair_labels=list(repair_labels))(doc).ents]


@pytest.mark.parametrize(
    ("text", "spans", "expected"),
    [
        # a range split in two is one DATE: the range word ends the first part or stands between them
        ("从2016年至2020年,共获得中国专利金奖4项。", ["2016年至", "2020年"], ["2016年至2020年"]),
        ("2016年—2020年，累计授权发明专利1.2万件。", ["2016年", "2020年"], ["2016年—2020年"]),
        ("2023年1月至9月，專利授權量增長12%。", ["2023年1月", "9月"], ["2023年1月至9月"]),
        # each end of the range is the time of its own value
        ("2021年至2023年，全市发明专利授权量从213件增加到554件。", ["2021年", "2023年"], ["2021年", "2023年"]),
        # two dates that make no range
        ("2023年，授权量是2020年的两倍。", ["2023年", "2020年"], ["2023年", "2020年"]),
        ("2023年，全市专利授权量增至2020年的两倍。", ["2023年", "2020年"], ["2023年", "2020年"]),
    ],
)
def test_a_split_date_range_is_joined(text, spans, expected):
    assert _dates(text, spans) == expected


def test_date_ranges_are_joined_only_when_dates_are_repaired():
    assert _dates("从2016年至2020年,共获得金奖4项。", ["2016年至", "2020年"], repair_labels=("METRIC",)) == ["2016年至", "2020年"]


def test_the_component_leaves_every_gold_document_as_annotated(gold_docs):
    """Trims and joins alike: run on the gold entities of the whole corpus, the repair changes none."""
    repair = SpanRepair()
    changed = []
    for doc_id, doc in gold_docs:
        before = [(e.start_char, e.end_char, e.label_) for e in doc.ents]
        after = [(e.start_char, e.end_char, e.label_) for e in repair(doc).ents]
        if after != before:
            changed.append((doc_id, sorted(set(after) ^ set(before))[:4]))
    assert changed == []


@pytest.mark.parametrize(
    ("text", "spans", "expected"),
    [
        # the recogniser tagged the place and the award apart, or only the place
        ("湖南省专利特别奖3项，一等奖12项。", [("湖南省", "REGION"), ("专利特别奖", "METRIC")], [("湖南省专利特别奖", "METRIC")]),
        ("湖南省专利特别奖3项，一等奖12项。", [("湖南省", "REGION")], [("湖南省专利特别奖", "METRIC")]),
        ("獲評安徽省知識產權示範企業5家。", [("安徽省", "REGION")], [("安徽省知識產權示範企業", "METRIC")]),
        # the place is the subject: what follows is no award named after it
        ("湖南省专利授权量12万件。", [("湖南省", "REGION"), ("专利授权量", "METRIC")], [("湖南省", "REGION"), ("专利授权量", "METRIC")]),
        ("株洲国家知识产权示范企业6家。", [("株洲", "CITY"), ("国家知识产权示范企业", "METRIC")], [("株洲", "CITY"), ("国家知识产权示范企业", "METRIC")]),
        ("湖南省专利奖励资金500万元。", [("湖南省", "REGION")], [("湖南省", "REGION")]),
        # not right after the place
        ("湖南省的专利特别奖3项。", [("湖南省", "REGION"), ("专利特别奖", "METRIC")], [("湖南省", "REGION"), ("专利特别奖", "METRIC")]),
    ],
)
def test_a_place_before_an_award_named_after_it_joins_the_metric(text, spans, expected):
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "ipner.CharTokenizer.v1"}}})
    doc = nlp.make_doc(text)
    doc.ents = [doc.char_span(text.index(piece), text.index(piece) + len(piece), label=label) for piece, label in spans]
    assert [(e.text, e.label_) for e in SpanRepair()(doc).ents] == expected


@pytest.mark.parametrize(
    ("text", "place", "expected"),
    [
        ("湖南中晟全肽生物科技股份有限公司以超5.6亿元的价格转让新药。", "湖南", [("湖南中晟全肽生物科技股份有限公司", "ORG")]),
        ("株洲硬质合金集团有限公司有效发明专利300件。", "株洲", [("株洲硬质合金集团有限公司", "ORG")]),
        ("寧波均勝電子股份有限公司申請專利", "寧波", [("寧波均勝電子股份有限公司", "ORG")]),
        # an intellectual-property centre's name after its place (GUIDELINES §2: 株洲市知识产权保护中心 is one ORG)
        ("漯河市知识产权公共服务中心为企业提供服务680余次。", "漯河市", [("漯河市知识产权公共服务中心", "ORG")]),
        ("攀枝花钒钛产业知识产权运营中心全年完成项目86项。", "攀枝花", [("攀枝花钒钛产业知识产权运营中心", "ORG")]),
        # no company's name after the place, or one broken by punctuation
        ("株洲集团化发展势头良好。", "株洲", [("株洲", "CITY")]),
        ("宁波市，某某有限公司", "宁波市", [("宁波市", "CITY")]),
        ("株洲市知识产权工作成效明显，中心运行良好。", "株洲市", [("株洲市", "CITY")]),
    ],
)
def test_a_company_named_after_its_place_is_one_org(text, place, expected):
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "ipner.CharTokenizer.v1"}}})
    doc = nlp.make_doc(text)
    doc.ents = [doc.char_span(0, len(place), label="CITY")]
    assert [(e.text, e.label_) for e in SpanRepair()(doc).ents] == expected


@pytest.mark.parametrize(
    ("text", "place", "expected"),
    [
        ("长株潭都市圈知识产权一体化", "长株潭", ("长株潭都市圈", "REGION")),
        ("副省級城市(不含港澳臺)", "港澳", ("港澳臺", "REGION")),
        ("成渝地区双城经济圈建设", "成渝地区双城", ("成渝地区双城经济圈", "REGION")),
        # nothing that makes a group's name
        ("长株潭知识产权一体化", "长株潭", ("长株潭", "REGION")),
        ("台湾港澳台胞", "台湾", ("台湾", "REGION")),
    ],
)
def test_a_place_takes_in_the_words_that_make_it_a_groups_name(text, place, expected):
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "ipner.CharTokenizer.v1"}}})
    doc = nlp.make_doc(text)
    start = text.index(place)
    doc.ents = [doc.char_span(start, start + len(place), label="REGION")]
    assert [(e.text, e.label_) for e in SpanRepair()(doc).ents] == [expected]


@pytest.mark.parametrize(
    ("text", "place", "expected"),
    [
        # the place goes, and the company is one ORG (ipner.pipeline.additions)
        ("國廣國際在線網絡(北京)有限公司獨家負責經營。", "北京", [("國廣國際在線網絡(北京)有限公司", "ORG")]),
        ("微软（中国）投资有限公司在沪设立研发中心。", "中国", [("微软（中国）投资有限公司", "ORG")]),
        # brackets that hold no company's place
        ("副省级城市（不含港澳台）发明专利授权量", "港澳台", [("港澳台", "CITY")]),
        ("全国（北京）知识产权大会召开。", "北京", [("北京", "CITY")]),
    ],
)
def test_a_place_in_brackets_inside_a_company_name_is_dropped(text, place, expected):
    assert [(e.text, e.label_) for e in SpanRepair()(_tagged(text, [(place, "CITY")])).ents] == expected


def test_a_company_is_not_made_over_another_entity():
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "ipner.CharTokenizer.v1"}}})
    text = "宁波今年引进企业集团3家。"
    doc = nlp.make_doc(text)
    doc.ents = [doc.char_span(0, 2, label="CITY"), doc.char_span(2, 4, label="DATE")]
    assert [(e.text, e.label_) for e in SpanRepair()(doc).ents] == [("宁波", "CITY"), ("今年", "DATE")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("宁波市政府与浙江省市场监管局建立局市会商机制。", ["宁波市政府", "浙江省市场监管局"]),
        ("市中级人民法院和市人民检察院联合发布。", ["市中级人民法院", "市人民检察院"]),
        # government bodies one after the other, without a conjunction
        ("市委市政府高度重视。", ["市委", "市政府"]),
        ("武漢市委武漢市人民政府印發意見。", ["武漢市委", "武漢市人民政府"]),
        # one body's office: one name
        ("县委县政府办公室发文。", ["县委县政府办公室"]),
        # a conjunction inside one name
        ("世界级技术与创新支持中心落户。", ["世界级技术与创新支持中心"]),
        ("呼和浩特市市场监督管理局发布。", ["呼和浩特市市场监督管理局"]),
        ("专利密集型产品培育和推广中心成立。", ["专利密集型产品培育和推广中心"]),
    ],
)
def test_two_organisations_run_together_over_a_conjunction_are_split(text, expected):
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "ipner.CharTokenizer.v1"}}})
    doc = nlp.make_doc(text)
    whole = expected[0] if len(expected) == 1 else text[: text.index(expected[1], len(expected[0])) + len(expected[1])]
    doc.ents = [doc.char_span(0, len(whole), label="ORG")]
    assert [e.text for e in SpanRepair()(doc).ents] == expected


@pytest.mark.parametrize(
    ("text", "spans", "expected"),
    [
        ("杭州获首届浙江省知识产权奖4项。", [("浙江省知识产权奖", "METRIC")], [("首届浙江省知识产权奖", "METRIC")]),
        # after the place and the award are joined
        ("杭州获首届浙江省知识产权奖4项。", [("浙江省", "REGION"), ("知识产权奖", "METRIC")], [("首届浙江省知识产权奖", "METRIC")]),
        ("共有第八批製造業單項冠軍企業9家。", [("製造業單項冠軍企業", "METRIC")], [("第八批製造業單項冠軍企業", "METRIC")]),
        ("入选第5批专利示范企业3家。", [("专利示范企业", "METRIC")], [("第5批专利示范企业", "METRIC")]),
        # begun inside the edition: its ordinal is taken in (首 + 届浙江省知识产权奖)
        ("45个项目获首届浙江省知识产权奖。", [("届浙江省知识产权奖", "METRIC")], [("首届浙江省知识产权奖", "METRIC")]),
        ("入选第八批製造業單項冠軍企業9家。", [("批製造業單項冠軍企業", "METRIC")], [("第八批製造業單項冠軍企業", "METRIC")]),
        ("颁发首批数据知识产权登记证书56张。", [("批数据知识产权登记证书", "METRIC")], [("批数据知识产权登记证书", "METRIC")]),
        # already inside, or taken by another entity, or not right before the metric
        ("第二十五届中国专利奖", [("第二十五届中国专利奖", "METRIC")], [("第二十五届中国专利奖", "METRIC")]),
        ("第二十五届中国专利奖", [("第二十五届", "DATE"), ("中国专利奖", "METRIC")], [("第二十五届", "DATE"), ("中国专利奖", "METRIC")]),
        ("第二十五届的中国专利奖", [("中国专利奖", "METRIC")], [("中国专利奖", "METRIC")]),
        # a batch of what is issued, not of a list that designates: the certificates are counted
        ("贵安新区颁发首批数据知识产权登记证书56张。", [("数据知识产权登记证书", "METRIC")], [("数据知识产权登记证书", "METRIC")]),
    ],
)
def test_a_metric_takes_in_the_edition_or_batch_before_it(text, spans, expected):
    assert _repaired_entities(text, spans) == expected


@pytest.mark.parametrize("label", ["CITY", "ORG", "METRIC", "DATE"])
def test_an_entity_of_marks_alone_is_dropped(label):
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "ipner.CharTokenizer.v1"}}})
    text = "### 4 从2016年至2020年，株洲共获得中国专利金奖4项。"

    def recognised():
        doc = nlp.make_doc(text)
        doc.ents = [doc.char_span(0, 2, label=label), doc.char_span(text.index("株洲"), text.index("株洲") + 2, label="CITY")]
        return doc

    assert [(e.text, e.label_) for e in SpanRepair()(recognised()).ents] == [("株洲", "CITY")]
    # a label it does not repair is left as the recogniser had it
    assert [e.text for e in SpanRepair(repair_labels=[])(recognised()).ents] == ["##", "株洲"]


@pytest.mark.parametrize(
    ("text", "spans", "expected"),
    [
        # the first word of a quoted name (a geographical indication, a brand) is no place
        ("“醴陵瓷器”地理标志保护产品入选名录。", [("醴陵", "CITY")], []),
        ("「涪陵榨菜」授權使用企業120家。", [("涪陵", "CITY")], []),
        ("“单县羊肉汤”商标纠纷12件。", [("单县", "CITY"), ("商标纠纷", "METRIC")], [("商标纠纷", "METRIC")]),
        # a quoted place alone, a quoted statement, a title: the place stays
        ("“大三亚”经济圈专利授权量增长12%。", [("三亚", "CITY")], [("三亚", "CITY")]),
        ("「贵州山多、特产多，地理标志就多。」", [("贵州", "REGION")], [("贵州", "REGION")]),
        ("“杭州2023年专利授权量增长”", [("杭州", "CITY")], [("杭州", "CITY")]),
        ("《株洲市知识产权强市建设行动方案》", [("株洲市", "CITY")], [("株洲市", "CITY")]),
        ("株洲“醴陵瓷器”", [("株洲", "CITY"), ("醴陵", "CITY")], [("株洲", "CITY")]),
    ],
)
def test_a_place_that_opens_a_quoted_name_is_dropped(text, spans, expected):
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "ipner.CharTokenizer.v1"}}})
    doc = nlp.make_doc(text)
    doc.ents = [doc.char_span(text.index(piece), text.index(piece) + len(piece), label=label) for piece, label in spans]
    assert [(e.text, e.label_) for e in SpanRepair()(doc).ents] == expected
    assert [(e.text, e.label_) for e in SpanRepair(repair_labels=["METRIC"])(doc).ents] == [(e.text, e.label_) for e in doc.ents]


@pytest.mark.parametrize(
    ("text", "spans", "expected"),
    [
        # the recogniser tagged the place alone, or nothing
        ("宁波市委、市政府高规格印发实施意见。", [("宁波市", "CITY")], [("宁波市委", "ORG"), ("市政府", "ORG")]),
        ("宁波市政府与浙江省市场监管局建立会商机制。", [("宁波", "CITY"), ("浙江省市场监管局", "ORG")],
         [("宁波市政府", "ORG"), ("浙江省市场监管局", "ORG")]),
        ("起草了《中共武漢市委武漢市人民政府關于建設知識產權特區的若干意見》。", [("武漢", "CITY"), ("武漢市", "CITY")],
         [("中共武漢市委", "ORG"), ("武漢市人民政府", "ORG")]),
        ("宁波市人大常委会出台决定。", [("宁波市", "CITY")], [("宁波市人大常委会", "ORG")]),
        # untagged, a body is found only where no word runs into it (深圳 is no place until it is tagged)
        ("深圳市政府出台措施。", [], []),
        ("在市委、市政府的坚强领导下。", [], [("市委", "ORG"), ("市政府", "ORG")]),
        # titles, longer names and collectives are no government body of a place
        ("市委书记出席会议。", [], []),
        ("宁波市委宣传部发布消息。", [("宁波市", "CITY")], [("宁波市", "CITY")]),
        ("东莞市人民政府新闻办公室召开发布会。", [("东莞市人民政府新闻办公室", "ORG")], [("东莞市人民政府新闻办公室", "ORG")]),
        ("东莞市人民政府新闻办公室召开发布会。", [("东莞市", "CITY")], [("东莞市", "CITY")]),
        ("台北市政府产业发展局统计。", [("台北", "CITY")], [("台北", "CITY")]),
        ("各县区人民政府,各园区:", [], []),
        ("各县、区人民政府，市直有关单位：", [], []),
        ("在省政府组织的年度考核中。", [], [("省政府", "ORG")]),
        ("高新区委托第三方评估。", [("高新区", "CITY")], [("高新区", "CITY")]),
        # a longer ORG the recogniser found stays as it is
        ("市人民政府共同召开的大会。", [("市人民政府共同召开的", "ORG")], [("市人民政府共同召开的", "ORG")]),
    ],
)
def test_a_government_body_of_a_place_is_an_org(text, spans, expected):
    _assert_organisations_added(text, spans, expected)


@pytest.mark.parametrize(
    ("text", "spans", "expected"),
    [
        # the alias is tagged where it is defined and wherever the text uses it
        ("中车株洲电力机车研究所有限公司(下称“中车株洲所”)作为龙头。中车株洲所拥有专利9700余件。",
         [("中车株洲电力机车研究所有限公司", "ORG")],
         [("中车株洲电力机车研究所有限公司", "ORG"), ("中车株洲所", "ORG"), ("中车株洲所", "ORG")]),
        ("株洲硬質合金集團有限公司（以下簡稱「株硬集團」）成立於1954年，株硬集團專利量居行業第一位。",
         [("株洲硬質合金集團有限公司", "ORG"), ("株硬集團", "ORG")],
         [("株洲硬質合金集團有限公司", "ORG"), ("株硬集團", "ORG"), ("株硬集團", "ORG")]),
        # a use the recogniser tagged otherwise stays as it was
        ("中车株洲电力机车研究所有限公司(下称“中车株洲所”)。中车株洲所专利授权量120件。",
         [("中车株洲电力机车研究所有限公司", "ORG"), ("中车株洲所专利授权量", "METRIC")],
         [("中车株洲电力机车研究所有限公司", "ORG"), ("中车株洲所", "ORG"), ("中车株洲所专利授权量", "METRIC")]),
        # not after an organisation's name: a programme's short name is no ORG
        ("《知识产权强国建设纲要》(以下简称“纲要”)提出,纲要实施以来。", [], []),
    ],
)
def test_an_alias_defined_after_an_organisation_is_an_org(text, spans, expected):
    _assert_organisations_added(text, spans, expected)


def _tagged(text, spans):
    """A character-tokenised doc of ``text`` with ``spans`` ((piece, label), in order of appearance) as its entities."""
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "ipner.CharTokenizer.v1"}}})
    doc = nlp.make_doc(text)
    position, ents = 0, []
    for piece, label in spans:
        start = text.index(piece, position)
        ents.append(doc.char_span(start, start + len(piece), label=label))
        position = start + len(piece)
    doc.ents = ents
    return doc


def _assert_organisations_added(text, spans, expected):
    """With ``spans`` tagged (in order of appearance), the repair gives ``expected``; it changes nothing
    when organisations are not among the labels it repairs."""
    doc = _tagged(text, spans)
    assert [(e.text, e.label_) for e in SpanRepair()(doc).ents] == expected
    assert [(e.text, e.label_) for e in SpanRepair(repair_labels=["METRIC"])(doc).ents] == [(e.text, e.label_) for e in doc.ents]


@pytest.mark.parametrize(
    ("text", "metric", "expected"),
    [
        # a METRIC that stops inside a word of jieba's dictionary is carried to the word's end
        ("宁波市知识产权综合体全年累计办理知识产权各项业务23366件。", "办理知识产权各项业", "办理知识产权各项业务"),
        ("产生了3名工程院院士,4个国家重点实验室。", "工程院院", "工程院院士"),
        # not into the verb, the comparison or the list that follows
        ("徐州的知识产权保护单项得分居全省第一。", "知识产权保护单项得分", "知识产权保护单项得分"),
        ("草莓收购价格比普通产品高三成。", "收购价格", "收购价格"),
        ("第八批制造业单项冠军企业名单中", "第八批制造业单项冠军企业", "第八批制造业单项冠军企业"),
        # nor past the next entity
        ("办理知识产权各项业务23366件。", "办理知识产权各项业务", "办理知识产权各项业务"),
    ],
)
def test_a_metric_that_stops_inside_a_word_is_carried_to_its_end(text, metric, expected):
    assert [e.text for e in SpanRepair()(_tagged(text, [(metric, "METRIC")])).ents if e.label_ == "METRIC"] == [expected]
    assert [e.text for e in SpanRepair(repair_labels=["ORG"])(_tagged(text, [(metric, "METRIC")])).ents] == [metric]


def test_a_metric_stops_at_the_next_entity_inside_a_word():
    doc = _tagged("各项业务23366件", [("各项业", "METRIC"), ("务23366件", "QUANTITY")])
    assert [e.text for e in SpanRepair()(doc).ents] == ["各项业", "务23366件"]


@pytest.mark.parametrize(
    ("text", "org", "expected"),
    [
        ("白银市两级法院审结知识产权民事案件173件。", "白银市两级法院", [("白银市", "CITY")]),
        ("貴州全省法院新收案件", "貴州全省法院", [("貴州", "REGION")]),
        # a court that is an organisation stays
        ("白银市中级人民法院审结案件173件。", "白银市中级人民法院", [("白银市中级人民法院", "ORG")]),
        # no place before the collective
        ("两级法院审理案件243件。", "两级法院", [("两级法院", "ORG")]),
    ],
)
def test_a_collective_of_courts_is_its_place(text, org, expected):
    assert [(e.text, e.label_) for e in SpanRepair()(_tagged(text, [(org, "ORG")])).ents] == expected


@pytest.mark.parametrize(
    ("text", "spans", "expected"),
    [
        # a figure in a table's cell: no column bar, no line break, and a number that is no year is no DATE
        ("专利授权量 | 件 | 3386 | 4.7\n其中：发明专利授权量 | 件 | 498", [("3386 |", "QUANTITY"), ("4.7\n其", "QUANTITY")],
         [("3386", "QUANTITY"), ("4.7", "QUANTITY")]),
        ("有效发明专利拥有量 | 件 | 3471 | 13.8", [("3471", "DATE")], [("3471", "QUANTITY")]),
        # a year stays a DATE, and a QUANTITY with a space inside keeps it
        ("表11 2023 | 专利", [("2023", "DATE")], [("2023", "DATE")]),
        ("融资超 1.5亿元。", [("超 1.5亿元", "QUANTITY")], [("超 1.5亿元", "QUANTITY")]),
    ],
)
def test_a_figure_in_a_table_cell_is_the_number_alone(text, spans, expected):
    assert _repaired_entities(text, spans) == expected


@pytest.mark.parametrize(
    ("text", "place", "kept"),
    [
        ("阳江市市场监督管理局副局长陈海宁通报情况。", "海宁", False),
        ("据陈海宁介绍，2023年专利授权量6125件。", "海宁", False),
        ("记者王宁波报道。", "宁波", False),
        # a place after a surname's character that is no person's name
        ("江苏省和江海宁波一带", "宁波", True),
        ("陈仓区发明专利授权量120件。", "陈仓区", True),
        ("扬州、常州表示欢迎。", "常州", True),
    ],
)
def test_a_place_inside_a_persons_name_is_dropped(text, place, kept):
    assert _repaired_entities(text, [(place, "CITY")]) == ([(place, "CITY")] if kept else [])

"""Table-driven tests of parse_quantity: every number form of SCHEMA.md and the seed reports."""
import pytest

from ipner import parse_quantity

# (text, context, value, unit, approx, kind)
CASES = [
    # Arabic numerals with units (seed 000, 003, 004)
    ("11925件", "", 11925, "件", None, "value"),
    ("31.24件", "每万人有效发明专利拥有量 ", 31.24, "件", None, "value"),
    ("12.96件", "", 12.96, "件", None, "value"),
    ("89件", "PCT国际专利申请受理 ", 89, "件", None, "value"),
    ("6013件", "", 6013, "件", None, "value"),
    ("56546件", "有效商标注册量达 ", 56546, "件", None, "value"),
    ("243件", "审理民事案件 ", 243, "件", None, "value"),
    ("627件", "", 627, "件", None, "value"),
    ("24家", "", 24, "家", None, "value"),
    ("148项", "", 148, "项", None, "value"),
    ("4760项", "", 4760, "项", None, "value"),
    ("9286件", "", 9286, "件", None, "value"),
    ("52.6件", "", 52.6, "件", None, "value"),
    ("72.42件", "增至", 72.42, "件", None, "value"),
    ("7个", "", 7, "个", None, "value"),
    ("66家", "", 66, "家", None, "value"),
    ("86.5分", "", 86.5, "分", None, "value"),
    ("27个工作日", "", 27, "个工作日", None, "value"),
    ("5个", "", 5, "个", None, "value"),
    ("800余项", "", 800, "项", "over", "value"),
    # multipliers 万 / 亿 / 萬 / 億
    # values are what the text says: no binary noise (137.3亿 is not 13730000000.000002)
    ("137.3億元", "", 13730000000, "元", None, "value"),
    ("273.1億元", "", 27310000000, "元", None, "value"),
    ("0.29亿元", "", 29000000, "元", None, "value"),
    # an approximation mark between the number and its multiplier
    ("3000多万元", "", 30000000, "元", "over", "value"),
    ("3000余万元", "", 30000000, "元", "over", "value"),
    ("1万多件", "", 10000, "件", "over", "value"),
    ("两千余万元", "", 20000000, "元", "over", "value"),
    ("5亿多元", "", 500000000, "元", "over", "value"),
    # a place among the first N: a rank of at most N
    ("前十名", "居全省", 10, "名", "under", "rank"),
    ("前2位", "", 2, "位", "under", "rank"),
    ("前三", "连续三年进入全省", 3, None, "under", "rank"),
    ("前十", "进入全国", 10, None, "under", "rank"),
    ("前二", "开展进入全国", 2, None, "under", "rank"),
    ("前五强", "", 5, None, "under", "rank"),
    ("1.5亿元", "", 150000000, "元", None, "value"),
    ("7.61萬件", "", 76100, "件", None, "value"),
    ("2.97萬件", "", 29700, "件", None, "value"),
    ("292.0亿元", "", 29200000000, "元", None, "value"),
    ("73.66亿元", "", 7366000000, "元", None, "value"),
    ("8.0692萬件", "", 80692, "件", None, "value"),
    ("3.22萬件", "", 32200, "件", None, "value"),
    ("1.0049萬件", "", 10049, "件", None, "value"),
    ("1.0987萬件", "", 10987, "件", None, "value"),
    ("8萬件", "突破", 80000, "件", None, "value"),
    ("1萬件", "", 10000, "件", None, "value"),
    ("500亿元", "", 50000000000, "元", None, "value"),
    ("3.5亿元", "", 350000000, "元", None, "value"),
    ("15.3万件", "", 153000, "件", None, "value"),
    ("2万亿", "", 2000000000000, None, None, "value"),
    ("1.2億元", "", 120000000, "元", None, "value"),
    ("3千万元", "", 30000000, "元", None, "value"),
    ("4500万元", "", 45000000, "元", None, "value"),
    ("2.3亿美元", "", 230000000, "美元", None, "value"),
    # Chinese numerals
    ("一万二千件", "", 12000, "件", None, "value"),
    ("两千件", "", 2000, "件", None, "value"),
    ("十五点八万件", "", 158000, "件", None, "value"),
    ("三百二十家", "", 320, "家", None, "value"),
    ("一千二百余家", "", 1200, "家", "over", "value"),
    ("两万件", "", 20000, "件", None, "value"),
    ("五项", "", 5, "项", None, "value"),
    ("九个", "", 9, "个", None, "value"),
    ("十二件", "", 12, "件", None, "value"),
    ("两千余家", "", 2000, "家", "over", "value"),
    ("一百零五件", "", 105, "件", None, "value"),
    ("三点五亿元", "", 350000000, "元", None, "value"),
    ("八千七百件", "", 8700, "件", None, "value"),
    ("一萬二千件", "", 12000, "件", None, "value"),
    # percentages and words for shares
    ("37.5%", "占", 37.5, "%", None, "share"),
    ("三成", "", 30, "%", None, "value"),
    ("两成半", "", 25, "%", None, "value"),
    ("百分之三十", "", 30, "%", None, "value"),
    ("百分之十二点五", "", 12.5, "%", None, "value"),
    ("千分之五", "", 0.5, "%", None, "value"),
    ("三分之二", "", 66.67, "%", None, "value"),
    ("三分之一以上", "", 33.33, "%", "over", "value"),
    ("1/3以上", "", 33.33, "%", "over", "value"),
    ("1/4", "", 25, "%", None, "value"),
    ("48.1%", "占全国的", 48.1, "%", None, "share"),
    ("90%以上", "全市", 90, "%", "over", "value"),
    ("3%以上", "稳定在", 3, "%", "over", "value"),  # facts pass the context after the METRIC
    ("3%以上", "研发投入占GDP比重稳定在", 3, "%", "over", "share"),
    ("４８．１％", "", 48.1, "%", None, "value"),
    # thousands separators and full-width digits
    ("11,925件", "", 11925, "件", None, "value"),
    ("1,234,567元", "", 1234567, "元", None, "value"),
    ("３１．２４件", "", 31.24, "件", None, "value"),
    ("１１９２５件", "", 11925, "件", None, "value"),
    ("７．６１萬件", "", 76100, "件", None, "value"),
    ("２倍", "", 2, "倍", None, "value"),
    # approximation marks
    ("9700余件", "", 9700, "件", "over", "value"),
    ("1200余家", "", 1200, "家", "over", "value"),
    ("1200多家", "", 1200, "家", "over", "value"),
    ("超5.6亿元", "", 560000000, "元", "over", "value"),
    ("超 1.5亿元", "", 150000000, "元", "over", "value"),
    ("超过1.5亿元", "", 150000000, "元", "over", "value"),
    ("逾300件", "", 300, "件", "over", "value"),
    ("近两千家", "", 2000, "家", "under", "value"),
    ("近5000件", "", 5000, "件", "under", "value"),
    ("不到10%", "", 10, "%", "under", "value"),
    ("不足百家", "", 100, "家", "under", "value"),
    ("约3.2亿元", "", 320000000, "元", "about", "value"),
    ("3000件左右", "", 3000, "件", "about", "value"),
    ("5万件以上", "", 50000, "件", "over", "value"),
    ("10%以下", "", 10, "%", "under", "value"),
    ("10万余件", "", 100000, "件", "over", "value"),
    ("一万多件", "", 10000, "件", "over", "value"),
    ("6個以上", "", 6, "个", "over", "value"),
    ("50項", "", 50, "项", None, "value"),
    # ranks
    ("第2", "居全省", 2, None, None, "rank"),
    ("第32位", "躍居", 32, "位", None, "rank"),
    ("第一", "数量居全省", 1, None, None, "rank"),
    ("第28位", "处在国家创新型城市创新能力指数排名的", 28, "位", None, "rank"),
    ("第三", "排名", 3, None, None, "rank"),
    ("第一位", "", 1, "位", None, "rank"),
    ("第5名", "", 5, "名", None, "rank"),
    ("第十二位", "", 12, "位", None, "rank"),
    # ratios
    ("2倍", "是全省平均水平", 2, "倍", None, "value"),
    ("1.8倍", "是全国平均水平的", 1.8, "倍", None, "value"),
    ("3倍", "相当于全省的", 3, "倍", None, "value"),
    ("2倍", "增长", 2, "倍", None, "growth"),
    # growth, declines, differences
    ("70.73%", "发明专利授权量9286件,同比增长", 70.73, "%", None, "growth"),
    ("10.3%", "同比增长", 10.3, "%", None, "growth"),
    ("25.24%", "達1.0049萬件,同比增長", 25.24, "%", None, "growth"),
    ("23.8%", "较2022年增长", 23.8, "%", None, "growth"),
    ("0.53%", "同比下降", -0.53, "%", None, "growth"),
    ("12%", "同比减少", -12, "%", None, "growth"),
    ("35%", "推动专利纠纷行政裁决办案周期压减", -35, "%", None, "growth"),
    ("七成以上", "办案周期较法定时限缩短", -70, "%", "over", "growth"),
    ("59天", "平均审理周期由87天缩短至", 59, "天", None, "value"),
    ("5天", "专利预审受理周期压缩到", 5, "天", None, "value"),
    ("53.2%", "高出全国平均水平", 53.2, "%", None, "growth"),
    ("5.2个百分点", "提高", 5.2, "个百分点", None, "growth"),
    ("1200件", "净增", 1200, "件", None, "growth"),
    ("15%", "增幅达", 15, "%", None, "growth"),
    ("3.6%", "同比增長", 3.6, "%", None, "growth"),
    # shares
    ("41.2%", "占全省的", 41.2, "%", None, "share"),
    ("一半", "占全省", 50, "%", None, "share"),
    ("半数以上", "", 50, "%", "over", "value"),
    ("65%", "占比", 65, "%", None, "share"),
    # targets
    ("15件", "力争到2026年每万人高价值发明专利达到", 15, "件", None, "target"),
    ("6万件", "目标是有效注册商标量达到", 60000, "件", None, "target"),
    ("86.5分", "到2026年知识产权保护社会满意度提高到", 86.5, "分", None, "target"),
    ("100家", "预计到2025年培育", 100, "家", None, "target"),
    # 截至/截止 date a stock, they do not set a target
    ("12件", "截至2024年9月,驰名商标", 12, "件", None, "value"),
    ("1200件", "计划用三年时间,至2026年有效发明专利达到", 1200, "件", None, "target"),
    ("72.42件", "每万人有效发明专利拥有量增至", 72.42, "件", None, "value"),
    # the left context is read in its last clause only
    ("89件", "同比增长12%;PCT国际专利申请", 89, "件", None, "value"),
    ("12件", "占比提高。每万人拥有", 12, "件", None, "value"),
    # ranges (value is the lower bound, range holds both)
    ("3000—5000件", "", 3000, "件", None, "value"),
    ("2至3倍", "", 2, "倍", None, "value"),
    ("3—5万件", "", 30000, "件", None, "value"),
    ("10-20家", "", 10, "家", None, "value"),
    # two neighbouring digits before a place value are a range, not one numeral (两三千 is not 23000)
    ("两三千元", "", 2000, "元", None, "value"),
    ("五六万件", "", 50000, "件", None, "value"),
    ("三四百家", "", 300, "家", None, "value"),
    ("一二十个", "", 10, "个", None, "value"),
    ("七八成", "", 70, "%", None, "value"),
    ("約兩三千元", "", 2000, "元", "about", "value"),
    # …but digits that are not neighbours, or not before a place value, are one numeral
    ("二十三万件", "", 230000, "件", None, "value"),
    ("二〇二三", "", 2023, None, None, "value"),
    # 几 after a ten: ten and some
    ("十几件", "", 10, "件", "over", "value"),
    ("二十几家", "", 20, "家", "over", "value"),
    # bare numbers
    ("2024", "", 2024, None, None, "value"),
    ("42", "", 42, None, None, "value"),
]

UNPARSED = ["abc", "", "件", "第届", "专利", "百分之", "——", "分之二"]


@pytest.mark.parametrize("text,context,value,unit,approx,kind", CASES)
def test_parse_quantity(text, context, value, unit, approx, kind):
    parsed = parse_quantity(text, context)
    if value is None:
        assert not parsed.parsed and parsed.value is None and parsed.kind == kind
        return
    assert parsed.parsed
    assert parsed.value == pytest.approx(value)
    assert (parsed.unit, parsed.approx, parsed.kind) == (unit, approx, kind)


@pytest.mark.parametrize("text", UNPARSED)
def test_unreadable_quantity_is_marked_not_guessed(text):
    parsed = parse_quantity(text)
    assert parsed.parsed is False
    assert parsed.value is None and parsed.unit is None


def test_range_keeps_both_bounds():
    assert parse_quantity("3000—5000件").range == (3000, 5000)
    assert parse_quantity("3—5万件").range == (30000, 50000)
    assert parse_quantity("同比下降3—5%", "").range is None  # not a range: text starts with a word
    assert parse_quantity("两三千元").range == (2000, 3000)
    assert parse_quantity("七八成").range == (70, 80)
    assert parse_quantity("二十三万件").range is None


def test_decline_range_is_negative():
    parsed = parse_quantity("3%—5%", "同比下降")
    assert parsed.kind == "growth" and parsed.range == (-3, -5)


def test_to_dict_has_schema_fields():
    assert parse_quantity("7.61萬件").to_dict() == {
        "value": 76100, "unit": "件", "approx": None, "kind": "value", "parsed": True, "range": None,
    }


@pytest.mark.parametrize("text, value", [("137.3億元", 13730000000), ("273.1億元", 27310000000), ("7.61萬件", 76100), ("0.29亿元", 29000000)])
def test_values_are_exactly_what_the_text_says(text, value):
    parsed = parse_quantity(text)
    assert parsed.value == value and repr(parsed.value) == repr(float(value))


@pytest.mark.parametrize("text", ["9" * 400 + "件", "9" * 400 + "亿元", "第" + "9" * 400 + "位", "前" + "9" * 400 + "名", "3000—" + "9" * 400 + "件"])
def test_numbers_too_large_for_a_float_are_unparsed_not_raised(text):
    parsed = parse_quantity(text)
    assert parsed.value is None and not parsed.parsed and parsed.range is None

"""The cues read around entities: ipner.text.cues."""
import pytest

from ipner.text.cues import CAPTION_LINE_RE, official_speaks
from ipner.text.normalize import normalize_text


@pytest.mark.parametrize(
    ("line", "is_caption"),
    [
        ("▲图为绵阳高新区知识产权服务中心。记者 王晓 摄", True),
        ("▲宝鸡高新区一家钛材企业的技术人员正在检测新型钛合金棒材。本报记者 赵卫东 摄", True),
        ("▲呼和浩特市一家乳品企業的技術人員在實驗室檢測新型菌種。（受訪企業供圖）", True),
        ("圖為柳州市一家汽車企業的生產線。黃麗 攝", True),
        ("(图片由宁波市市场监督管理局提供)", True),
        ("图：某市知识产权保护中心", True),
        ("记者 王晓 摄影", True),
        # a bullet, a heading or a sentence that only mentions a photo is no caption
        ("▲ 有效发明专利拥有量1.26万件", False),
        ("## 图说数据", False),
        ("企业摄制的宣传片获奖3项。", False),
    ],
)
def test_a_caption_line_is_told_from_a_bullet(line, is_caption):
    assert (CAPTION_LINE_RE.search(normalize_text(line)) is not None) == is_caption


@pytest.mark.parametrize(
    ("after", "speaks"),
    [
        ("副局长王强说，", True),
        ("黨組書記、局長侯向宇表示，", True),  # Traditional script, normalised first
        ("有关负责人在会上介绍", True),
        ("局长介绍", True),
        # the body acting, or a word that only begins like a title
        ("发布数据显示", False),
        ("局长期以来", False),
        ("主任委员会议", False),
    ],
)
def test_an_official_speaking_after_an_organisations_name(after, speaks):
    norm = normalize_text("某局" + after)
    assert official_speaks(norm, 2) == speaks

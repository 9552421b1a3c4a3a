"""ipner.charts: bar and line charts of one metric, rendered with a CJK font (no boxes), and a clear
error when no CJK font is installed."""
import warnings

import numpy as np
import pytest

pytest.importorskip("matplotlib")

from matplotlib import font_manager  # noqa: E402
from matplotlib.image import imread  # noqa: E402

from ipner.charts import CJK_FONT_FAMILIES, choose_period, find_cjk_font, plot_metric  # noqa: E402
from ipner.errors import UsageError  # noqa: E402
from ipner.tables import facts_table, group_facts, rows_to_frame  # noqa: E402
from tests.test_tables import CHANGSHA, ZHUZHOU, make_fact  # noqa: E402

HANGZHOU = {"name": "杭州市", "code": "330100", "level": "city", "province": "浙江省"}


def texts_of(figure):
    return [t for t in figure.findobj(lambda o: hasattr(o, "get_text") and hasattr(o, "get_fontproperties")) if t.get_text()]


def check_png(path, figure):
    """The PNG is an image with drawing on it, and every text was set in the CJK font."""
    image = imread(path)
    assert image.ndim == 3 and image.shape[0] > 300 and image.shape[1] > 500
    pixels = image[..., :3].reshape(-1, 3)
    assert (pixels.min(axis=1) < 0.9).mean() > 0.01  # not blank: bars or lines, labels
    assert len(np.unique((pixels * 255).astype(np.uint8), axis=0)) > 10
    family, font_file = find_cjk_font()
    chinese = [t for t in texts_of(figure) if any("\u4e00" <= c <= "\u9fff" for c in t.get_text())]
    assert chinese
    for text in chinese:
        assert font_manager.findfont(text.get_fontproperties()) == font_file, text.get_text()


def render(frame, metric, path, **kwargs):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        figure = plot_metric(frame, metric, path, **kwargs)
    missing = [str(w.message) for w in caught if "missing from" in str(w.message) or "Glyph" in str(w.message)]
    assert missing == [], missing  # no boxes: every glyph was found
    return figure


def test_a_cjk_font_is_installed_and_found():
    family, font_file = find_cjk_font()
    assert family in CJK_FONT_FAMILIES and font_file


def test_bar_chart_from_the_included_reports(tmp_path, seed_paths, baseline_nlp):
    frame = facts_table([(p.name, p.read_text(encoding="utf-8")) for p in seed_paths], model=baseline_nlp)
    values = frame[(frame["kind"] == "value") & frame["value"].notna() & frame["period"].notna()].copy()
    values["who"] = values["place"].fillna(values["subject"]).fillna("")
    modal = values.groupby("metric")["unit"].agg(lambda u: u.mode().iloc[0] if u.notna().any() else None)
    values = values[values["unit"] == values["metric"].map(modal)]  # the chart draws one unit per axis
    metric = values.groupby("metric")["who"].nunique().idxmax()  # the metric stated for the most places
    out = tmp_path / "chart.png"
    figure = render(frame, metric, out)
    check_png(out, figure)
    axes = figure.axes[0]
    assert metric in axes.get_title() and axes.get_xlabel() in ("地区", "地区或机构")
    assert len(axes.patches) >= 2


def comparison_frame():
    return rows_to_frame(group_facts([
        ("a", make_fact(quantity="31.24件", value=31.24)),
        ("b", make_fact(place=CHANGSHA, subject="长沙", quantity="72.42件", value=72.42)),
        ("c", make_fact(place=HANGZHOU, subject="杭州", quantity="52.6件", value=52.6)),
        ("d", make_fact(place=HANGZHOU, subject="杭州", quantity="55.1件", value=55.1)),  # a conflict
        ("e", make_fact(place=HANGZHOU, subject="杭州", quantity="48.3件", value=48.3, period="2022", time="2022年")),
        ("f", make_fact(place=ZHUZHOU, subject="株洲", quantity="25.0件", value=25.0, period="2024", time="2024年")),
    ]))


def test_bar_chart_shows_the_latest_period_stated_for_several_places(tmp_path):
    frame = comparison_frame()
    assert choose_period(frame) == "2023"  # 2024 has one place only
    out = tmp_path / "bars.png"
    figure = render(frame, "invention_patents_per_10k_people", out)
    check_png(out, figure)
    axes = figure.axes[0]
    assert axes.get_title() == "每万人口有效发明专利拥有量（2023年）"
    assert [t.get_text() for t in axes.get_xticklabels()] == ["长沙市", "杭州市", "株洲市"]  # by value, descending
    assert axes.get_ylabel() == "数值（件）" and axes.get_xlabel() == "地区"
    assert [p.get_hatch() for p in axes.patches] == [None, "//", None]  # the conflict is marked
    figure = render(frame, "每万人口有效发明专利拥有量", tmp_path / "2024.png", period="2024")
    assert [t.get_text() for t in figure.axes[0].get_xticklabels()] == ["株洲市"]
    figure = render(frame, "invention_patents_per_10k_people", tmp_path / "latest.png", period="latest")
    assert [t.get_text() for t in figure.axes[0].get_xticklabels()] == ["长沙市\n2023年", "杭州市\n2023年", "株洲市\n2024年"]
    assert figure.axes[0].get_title() == "每万人口有效发明专利拥有量（各地最新数据）"
    with pytest.raises(UsageError, match="periods stated: 2022, 2023, 2024"):
        plot_metric(frame, "invention_patents_per_10k_people", tmp_path / "x.png", period="2019")


def test_line_chart_for_one_place_over_periods(tmp_path):
    frame = rows_to_frame(group_facts([
        ("a", make_fact(quantity="1.5亿元", value=1.5e8, unit="元", period="2022", time="2022年", metric="知识产权质押金额",
                        metric_id="ip_pledge_amount", metric_name="知识产权质押融资金额")),
        ("b", make_fact(quantity="2.9亿元", value=2.9e8, unit="元", period="2023-H1", time="2023年上半年", metric="知识产权质押金额",
                        metric_id="ip_pledge_amount", metric_name="知识产权质押融资金额")),
        ("c", make_fact(quantity="4.2亿元", value=4.2e8, unit="元", period="2023", time="2023年", metric="知识产权质押金额",
                        metric_id="ip_pledge_amount", metric_name="知识产权质押融资金额")),
    ]))
    out = tmp_path / "line.png"
    figure = render(frame, "ip_pledge_amount", out)  # auto: one place, several periods
    check_png(out, figure)
    axes = figure.axes[0]
    assert len(axes.lines) == 1
    assert [t.get_text() for t in axes.get_xticklabels()] == ["2022年", "2023年上半年", "2023年"]
    assert axes.get_ylabel() == "数值（亿元）" and list(axes.lines[0].get_ydata()) == [1.5, 2.9, 4.2]
    assert axes.get_title() == "知识产权质押融资金额（2022年至2023年）"
    figure = render(comparison_frame(), "invention_patents_per_10k_people", tmp_path / "lines.png", chart="line")
    assert len(figure.axes[0].lines) == 3 and figure.axes[0].get_legend() is not None


def test_without_a_cjk_font_the_error_says_how_to_install_one(monkeypatch, tmp_path):
    import ipner.charts

    monkeypatch.setattr(ipner.charts, "CJK_FONT_FAMILIES", ("No Such CJK Font",))
    monkeypatch.setattr(font_manager, "findSystemFonts", lambda *a, **k: [])
    with pytest.raises(UsageError, match="apt-get install fonts-noto-cjk"):
        find_cjk_font()
    with pytest.raises(UsageError, match="apt-get install fonts-noto-cjk"):
        plot_metric(comparison_frame(), "invention_patents_per_10k_people", tmp_path / "x.png")
    assert not (tmp_path / "x.png").exists()


def test_figures_in_another_unit_are_left_out_of_the_axis(tmp_path):
    from ipner.charts import plot_metric
    from ipner.tables import rows_to_frame

    rows = [
        {"place": p, "place_code": c, "place_level": "city", "province": None, "subject": None, "metric_id": "m",
         "metric": "发明专利授权量", "period": "2023", "kind": "value", "value": v, "unit": u, "approx": None,
         "n_documents": 1, "documents": ["d"], "sentences": ["s"], "offsets": [[0, 1]], "conflict": False, "values": []}
        for p, c, v, u in (("杭州市", "330100", 9286.0, "件"), ("长沙市", "430100", 5000.0, "件"), ("昆明市", "530100", 52.4, "%"))
    ]
    figure = plot_metric(rows_to_frame(rows), "m", tmp_path / "c.png")
    labels = [t.get_text() for t in figure.axes[0].get_xticklabels()]
    assert any("杭州" in t for t in labels) and not any("昆明" in t for t in labels)

"""Charts of one metric from the table of facts (``python -m ipner table --plot METRIC -o chart.png``).

A bar chart compares places (or organisations) for one period, by default the latest one stated
for at least two places (else the latest), or each place's own latest figure (``--period latest``); a line chart follows places over periods, and is
chosen when one place has figures for several periods. Title, axes and place names are Chinese,
drawn with a CJK font found through matplotlib's font manager (Noto Sans CJK, Source Han Sans,
WenQuanYi Zen Hei, Droid Sans Fallback, or the usual macOS / Windows fonts); without one a clear
error says how to install it (``apt-get install fonts-noto-cjk``) rather than drawing boxes.
matplotlib is the optional extra ``ipner[plot]``; figures are drawn without pyplot (no display).
"""
from __future__ import annotations

import re
from collections import Counter
from contextlib import suppress
from pathlib import Path
from ipner.errors import UsageError
from ipner.tables import period_label, period_sort_key, row_label, select_metric

__all__ = ["CJK_FONT_FAMILIES", "CHART_KINDS", "LATEST", "find_cjk_font", "choose_period", "plot_metric"]

#: CJK font families looked for, in order of preference.
CJK_FONT_FAMILIES: tuple[str, ...] = (
    "Noto Sans CJK SC", "Noto Sans CJK JP", "Source Han Sans SC", "Source Han Sans CN", "Source Han Sans",
    "WenQuanYi Zen Hei", "Droid Sans Fallback", "Noto Sans SC", "PingFang SC", "Heiti SC", "Microsoft YaHei", "SimHei",
)
#: ``--period`` value of a bar chart that shows each place's own latest figure.
LATEST = "latest"
#: ``--plot-kind`` values; ``auto`` is a line chart for one place over several periods, else bars.
CHART_KINDS: tuple[str, ...] = ("auto", "bar", "line")

#: File names of the fonts above, added to matplotlib's font list when its cache does not know them.
_CJK_FILE = re.compile(r"NotoSansCJK|SourceHanSans|wqy-zenhei|DroidSansFallback|NotoSansSC|PingFang|msyh|simhei", re.I)
_KIND_AXIS = {"value": "数值", "growth": "增长", "share": "占比", "rank": "排名", "target": "目标值"}
_SCALES = ((1e8, "亿"), (1e4, "万"))
_MAX_LINES = 10
_NO_FONT = (
    "no CJK font found for the chart's Chinese labels (looked for {families}); install one, e.g. "
    "`apt-get install fonts-noto-cjk` (Debian/Ubuntu) or `dnf install google-noto-sans-cjk-fonts`, then run again"
)


def _matplotlib():
    try:
        import matplotlib
        from matplotlib import font_manager
    except ImportError:
        raise UsageError("charts need matplotlib: pip install 'ipner[plot]'") from None
    return matplotlib, font_manager


def find_cjk_font() -> tuple[str, str]:
    """``(family, file)`` of the first installed font of :data:`CJK_FONT_FAMILIES`, as matplotlib's
    font manager finds it; :class:`ipner.errors.UsageError` naming ``apt-get install fonts-noto-cjk``
    when there is none."""
    _, font_manager = _matplotlib()
    for rescan in (False, True):
        if rescan:  # matplotlib's font cache may predate the font's installation
            for path in font_manager.findSystemFonts():
                if _CJK_FILE.search(Path(path).name):
                    with suppress(Exception):
                        font_manager.fontManager.addfont(path)
        installed = {font.name for font in font_manager.fontManager.ttflist}
        for family in CJK_FONT_FAMILIES:
            if family in installed:
                properties = font_manager.FontProperties(family=family)
                return family, str(font_manager.findfont(properties, fallback_to_default=False))
    raise UsageError(_NO_FONT.format(families=", ".join(CJK_FONT_FAMILIES[:5])))


def choose_period(rows) -> str | None:
    """The period a bar chart shows: the latest stated for at least two places, else the latest."""
    periods = [p for p in rows["period"] if isinstance(p, str) and p]
    if not periods:
        return None
    counts = Counter(periods)
    shared = [p for p, n in counts.items() if n >= 2]
    return max(shared or counts, key=period_sort_key)


def _scale(values: list[float], unit: str | None) -> tuple[float, str]:
    if unit in ("%", "位", "倍"):
        return 1.0, unit or ""
    top = max((abs(v) for v in values), default=0)
    for factor, prefix in _SCALES:
        if top >= factor:
            return factor, prefix + (unit or "")
    return 1.0, unit or ""


def _number(value: float) -> str:
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def plot_metric(
    frame, metric: str, output: str | Path | None = None, chart: str = "auto", kind: str = "value", period: str | None = None
):
    """Draw one metric of the table ``frame`` (:func:`ipner.facts_table`, :func:`ipner.tabledb.read_db`)
    and save it as PNG to ``output`` (replaced only when complete); returns the matplotlib ``Figure``.

    ``metric`` is a metric id, canonical name or mention text; ``kind`` the kind of figure
    (value, growth, share, …); ``chart`` ``bar``, ``line`` or ``auto``; ``period`` the period of a
    bar chart (default :func:`choose_period`; ``"latest"``: each place's own latest figure, its
    period shown under its name). Rows in conflict are hatched."""
    matplotlib, _ = _matplotlib()
    from matplotlib.figure import Figure

    if chart not in CHART_KINDS:
        raise UsageError(f"unknown chart kind {chart!r}; choose one of {', '.join(CHART_KINDS)}")
    family, _ = find_cjk_font()
    rows = select_metric(frame, metric, kind).copy()
    rows = rows[rows["value"].notna()]
    if rows.empty:
        raise UsageError(f"the metric {metric!r} has no readable values to draw")
    # one axis, one unit: figures in another unit (a share or rate read as a value) are left out
    if rows["unit"].notna().any():
        rows = rows[rows["unit"] == rows["unit"].mode().iloc[0]]
    rows["label"] = [row_label(row) for _, row in rows.iterrows()]
    name = str(rows["metric"].iloc[0])
    if chart == "auto":
        chart = "line" if rows["label"].nunique() == 1 and rows["period"].nunique() > 1 else "bar"
    style = {
        "font.family": [family, "DejaVu Sans"],
        "axes.unicode_minus": False,
        "axes.spines.top": False,
        "axes.spines.right": False,
    }
    with matplotlib.rc_context(style):
        figure = Figure(figsize=(9, 5.2), dpi=120, layout="constrained")
        axes = figure.subplots()
        if chart == "bar":
            _bars(axes, rows, name, kind, period)
        else:
            _lines(axes, rows, name, kind)
        if output is not None:
            from ipner.files import atomic_output

            with atomic_output(output, "wb") as handle:
                figure.savefig(handle, format="png")
    return figure


def _who(rows) -> str:
    """地区 when every row is a place, else 地区或机构 (organisations, figures without a place)."""
    return "地区" if rows["place"].notna().all() else "地区或机构"


def _bars(axes, rows, name: str, kind: str, period: str | None) -> None:
    if period == LATEST:  # each place's own latest figure, its period under its name
        dated = rows[rows["period"].notna()]
        if dated.empty:
            raise UsageError(f"--period {LATEST}: the figures of {name} state no period")
        latest = dated.assign(order=[period_sort_key(p) for p in dated["period"]]).sort_values("order")
        rows = latest.groupby("label", sort=False).tail(1).copy()
        rows["label"] = [f"{label}\n{period_label(p)}" for label, p in zip(rows["label"], rows["period"])]
        heading = "各地最新数据"
    else:
        shown = period if period is not None else choose_period(rows)
        if shown is not None:
            stated = rows
            rows = rows[rows["period"] == shown]
            if rows.empty:
                periods = ", ".join(sorted(set(p for p in stated["period"] if isinstance(p, str) and p), key=period_sort_key))
                raise UsageError(f"no figures of {name} for the period {shown!r}; periods stated: {periods}")
        heading = period_label(shown)
    rows = rows.sort_values("value", ascending=False)
    factor, unit = _scale(list(rows["value"]), rows["unit"].dropna().iloc[0] if rows["unit"].notna().any() else None)
    values = [v / factor for v in rows["value"]]
    bars = axes.bar(rows["label"], values, color="#3b6ea8")
    for bar, conflict in zip(bars, rows["conflict"]):
        if conflict:
            bar.set_hatch("//")
            bar.set_edgecolor("#b03a2e")
    axes.bar_label(bars, labels=[_number(v) for v in values], padding=2, fontsize=9)
    axes.set_title(f"{name}（{heading}）")
    axes.set_xlabel(_who(rows))
    axes.set_ylabel(f"{_KIND_AXIS.get(kind, kind)}" + (f"（{unit}）" if unit else ""))
    if len(rows) > 6:
        for label in axes.get_xticklabels():
            label.set_rotation(35)
            label.set_horizontalalignment("right")
    if rows["conflict"].any():
        axes.annotate("斜线：各文档所报数值不一致", xy=(1, 1), xycoords="axes fraction", ha="right", va="bottom", fontsize=8)


def _lines(axes, rows, name: str, kind: str) -> None:
    periods = sorted(set(p for p in rows["period"] if isinstance(p, str) and p), key=period_sort_key)
    if not periods:
        raise UsageError(f"a line chart needs periods; the figures of {name} state none")
    rows = rows[rows["period"].isin(periods)]
    factor, unit = _scale(list(rows["value"]), rows["unit"].dropna().iloc[0] if rows["unit"].notna().any() else None)
    position = {period: index for index, period in enumerate(periods)}
    leading = rows.groupby("label")["period"].nunique().sort_values(ascending=False).index[:_MAX_LINES]
    for label in sorted(leading):
        line = rows[rows["label"] == label].sort_values("period", key=lambda s: s.map(period_sort_key))
        axes.plot([position[p] for p in line["period"]], [v / factor for v in line["value"]], marker="o", label=label)
    axes.set_xticks(range(len(periods)), [period_label(p) for p in periods])
    axes.set_title(f"{name}（{period_label(periods[0])}至{period_label(periods[-1])}）" if len(periods) > 1 else name)
    axes.set_xlabel("时期")
    axes.set_ylabel(f"{_KIND_AXIS.get(kind, kind)}" + (f"（{unit}）" if unit else ""))
    axes.legend(title=_who(rows), fontsize=9)
    axes.grid(axis="y", alpha=0.3)


"""Charts of a 通报: a bar or line chart of a data table, as PNG bytes that are the same on every run.

matplotlib with the Agg backend and a CJK font installed on the machine (Noto Sans CJK SC, else
FandolHei, else any Noto CJK); nothing is fetched. Fixed size and dpi, no date or software name in
the file, a fixed SVG hash salt: equal input gives byte-identical PNG.
"""

from __future__ import annotations

import io
from decimal import Decimal
from functools import lru_cache

#: Width and height in centimetres (fits the 15.6 cm text block of a GB/T 9704 page) and dots per inch.
WIDTH_CM, HEIGHT_CM, DPI = 15.0, 8.0, 200
FONT_FAMILIES = ("Noto Sans CJK SC", "FandolHei", "Noto Serif CJK SC", "FandolSong")
BAR, LINE = "柱状图", "折线图"


class ChartError(Exception):
    """No CJK font on the machine (a tool problem, not the drafter's)."""


@lru_cache(maxsize=1)
def font_path() -> str:
    from matplotlib import font_manager

    for family in FONT_FAMILIES:
        try:
            return font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
        except ValueError:
            continue
    raise ChartError("没有找到中文字体（Noto CJK 或 Fandol），无法画图。请安装 fonts-noto-cjk。")


def draw(kind: str, labels: list[str], series: list[tuple[str, list[Decimal]]], axis: str = "") -> bytes:
    """A chart of `series` (name, values per label) over `labels`, as PNG bytes."""
    import matplotlib

    matplotlib.use("Agg", force=True)
    from matplotlib import font_manager, rc_context
    from matplotlib import pyplot as plt

    path = font_path()
    font_manager.fontManager.addfont(path)
    name = font_manager.FontProperties(fname=path).get_name()
    style = {"font.family": [name], "font.size": 9, "axes.unicode_minus": False, "svg.hashsalt": "docgen",
             "path.simplify": False, "figure.dpi": DPI, "savefig.dpi": DPI}
    with rc_context(style):
        fig = plt.figure(figsize=(WIDTH_CM / 2.54, HEIGHT_CM / 2.54))
        try:
            ax = fig.add_subplot(1, 1, 1)
            xs = list(range(len(labels)))
            count = len(series)
            width = 0.8 / max(count, 1)
            for i, (label, values) in enumerate(series):
                ys = [float(v) for v in values]
                if kind == LINE:
                    ax.plot(xs, ys, marker="o", label=label)
                else:
                    offset = (i - (count - 1) / 2) * width
                    bars = ax.bar([x + offset for x in xs], ys, width=width, label=label)
                    ax.bar_label(bars, labels=[_short(v) for v in values], fontsize=7, padding=1)
            ax.set_xticks(xs, labels, rotation=30 if max((len(s) for s in labels), default=0) > 4 else 0,
                          ha="right" if max((len(s) for s in labels), default=0) > 4 else "center")
            if axis:
                ax.set_ylabel(axis)
            ax.spines[["top", "right"]].set_visible(False)
            if count > 1:
                ax.legend(frameon=False)
            fig.tight_layout()
            out = io.BytesIO()
            fig.savefig(out, format="png", metadata={"Software": None})
        finally:
            plt.close(fig)
    return out.getvalue()


def _short(value: Decimal) -> str:
    d = value.quantize(Decimal("0.1")).normalize()
    return f"{d:f}"

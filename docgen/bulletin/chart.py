"""Charts of a 通报: a bar or line chart of a data table, as PNG bytes that are the same on every run.

matplotlib with the Agg backend and a CJK font installed on the machine (Noto Sans CJK SC, else
FandolHei, else any Noto CJK); nothing is fetched. Fixed size and dpi, no date or software name in
the file, a fixed SVG hash salt: equal input gives byte-identical PNG.

Importing matplotlib and drawing cost about a second, more than the rest of a `docgen report`: a
chart drawn once is kept in the user's cache folder (`_ChartCache`) and the same chart of a later
run is read from there, without matplotlib.
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
    """A chart of `series` (name, values per label) over `labels`, as PNG bytes (the cached bytes
    when this chart was drawn before with the same matplotlib, Pillow and font)."""
    key = _CHARTS.key(kind, labels, series, axis)
    png = _CHARTS.get(key)
    if png is None:
        png = _draw(kind, labels, series, axis)
        _CHARTS.put(key, png, font_path())
    return png


def _draw(kind: str, labels: list[str], series: list[tuple[str, list[Decimal]]], axis: str = "") -> bytes:
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


class _ChartCache:
    """Charts drawn before, in ``$XDG_CACHE_HOME/docgen/charts/`` (one file per chart).

    A chart's file is named by a hash of everything its bytes depend on: the chart (kind, labels,
    series, axis), this module's source, the versions of matplotlib and Pillow (which encodes the
    PNG) and matplotlib's font list (rebuilt when fonts change); the file holds the font file it was
    drawn with (path, size, modification time), checked before use, then the PNG. A file that is
    missing, unreadable, changed or not a whole PNG is ignored and the chart drawn again; a cache
    that cannot be written is ignored (``DOCGEN_CHART_CACHE=0`` turns it off)."""

    def __init__(self):
        self._environment: str | None = None

    @staticmethod
    def folder():
        import os  # noqa: PLC0415
        from pathlib import Path  # noqa: PLC0415

        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        return Path(base) / "docgen" / "charts"

    def environment(self) -> str:
        """What the bytes depend on besides the chart (without importing matplotlib)."""
        if self._environment is None:
            import os  # noqa: PLC0415
            from importlib.metadata import PackageNotFoundError, version  # noqa: PLC0415
            from pathlib import Path  # noqa: PLC0415

            parts = []
            for package in ("matplotlib", "pillow", "numpy"):
                try:
                    parts.append(version(package))
                except PackageNotFoundError:
                    parts.append("")
            # matplotlib's font list (it picks the font from it): where matplotlib keeps it on Linux
            base = os.environ.get("MPLCONFIGDIR") or os.path.join(
                os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "matplotlib")
            try:
                for found in sorted(Path(base).glob("fontlist-*.json")):
                    stat = found.stat()
                    parts.append(f"{found.name}:{stat.st_size}:{stat.st_mtime_ns}")
            except OSError:
                parts.append("?")
            parts.append(_sha256(Path(__file__).read_bytes()))
            self._environment = "\n".join(parts)
        return self._environment

    def key(self, kind: str, labels: list[str], series, axis: str) -> str:
        import json  # noqa: PLC0415

        chart = [kind, list(labels), [[name, [str(v) for v in values]] for name, values in series], axis]
        return _sha256((self.environment() + "\n" + json.dumps(chart, ensure_ascii=False)).encode("utf-8"))

    @staticmethod
    def _enabled() -> bool:
        import os  # noqa: PLC0415

        return os.environ.get("DOCGEN_CHART_CACHE", "1") != "0"

    def get(self, key: str) -> bytes | None:
        if not self._enabled():
            return None
        import json  # noqa: PLC0415
        import os  # noqa: PLC0415

        try:
            data = (self.folder() / f"{key}.png").read_bytes()
            head, _, png = data.partition(b"\n")
            path, size, mtime = json.loads(head)
            stat = os.stat(path)
        except (OSError, ValueError, TypeError):
            return None
        if (stat.st_size, stat.st_mtime_ns) != (size, mtime) or not _whole_png(png):
            return None
        return png

    def put(self, key: str, png: bytes, font: str) -> None:
        if not self._enabled():
            return
        import json  # noqa: PLC0415
        import os  # noqa: PLC0415
        import tempfile  # noqa: PLC0415

        folder = self.folder()
        try:
            stat = os.stat(font)
            head = json.dumps([font, stat.st_size, stat.st_mtime_ns]).encode("utf-8")
            folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".chart-", dir=folder)
            with os.fdopen(fd, "wb") as out:
                out.write(head + b"\n" + png)
            os.replace(tmp, folder / f"{key}.png")
        except OSError:
            pass


def _sha256(data: bytes) -> str:
    import hashlib  # noqa: PLC0415

    return hashlib.sha256(data).hexdigest()


def _whole_png(data: bytes) -> bool:
    """A PNG from its signature to its IEND chunk (a file cut short is not used)."""
    return data.startswith(b"\x89PNG\r\n\x1a\n") and data.endswith(b"IEND\xaeB`\x82")


_CHARTS = _ChartCache()

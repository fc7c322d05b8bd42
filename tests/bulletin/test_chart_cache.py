"""A chart drawn once is kept in the user's cache folder and read from there, byte for byte, without
matplotlib; a cache file cut short, or one drawn with a font file since changed, is drawn again."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from decimal import Decimal

import pytest
from conftest import ROOT

from docgen.bulletin import chart

LABELS = ["东湖街道", "南河镇", "西岭镇", "北山镇"]
SERIES = [("本期", [Decimal(3), Decimal("4.5"), Decimal(0), Decimal(12)]), ("上年同期", [Decimal(2)] * 4)]


@pytest.fixture
def cache(tmp_path, monkeypatch):
    import matplotlib

    monkeypatch.setenv("MPLCONFIGDIR", matplotlib.get_cachedir())  # its font list stays where it is
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(chart, "_CHARTS", chart._ChartCache())
    return tmp_path / "docgen" / "charts"


def test_a_cached_chart_is_the_chart_drawn(cache, monkeypatch):
    drawn = chart._draw(chart.BAR, LABELS, SERIES, "起")
    assert chart.draw(chart.BAR, LABELS, SERIES, "起") == drawn
    assert len(list(cache.iterdir())) == 1

    def refuse(*args):
        raise AssertionError("drawn again")

    monkeypatch.setattr(chart, "_draw", refuse)
    assert chart.draw(chart.BAR, LABELS, SERIES, "起") == drawn  # from the cache
    with pytest.raises(AssertionError):  # another chart is not in it
        chart.draw(chart.LINE, LABELS, SERIES, "起")


def test_a_damaged_or_outdated_cache_file_is_drawn_again(cache, monkeypatch):
    png = chart.draw(chart.BAR, LABELS, SERIES)
    (entry,) = cache.iterdir()
    entry.write_bytes(entry.read_bytes()[:-20])  # cut short
    assert chart.draw(chart.BAR, LABELS, SERIES) == png
    _, _, body = entry.read_bytes().partition(b"\n")
    entry.write_bytes(json.dumps(["/no/such/font.otf", 1, 1]).encode() + b"\n" + body)  # a font since removed
    calls = []
    monkeypatch.setattr(chart, "_draw", lambda *args: calls.append(args) or png)
    assert chart.draw(chart.BAR, LABELS, SERIES) == png
    assert calls  # the font it names is not there: drawn again


def test_the_cache_can_be_turned_off(cache, monkeypatch):
    monkeypatch.setenv("DOCGEN_CHART_CACHE", "0")
    chart.draw(chart.BAR, LABELS, SERIES)
    assert not cache.exists()


def test_report_imports_no_spreadsheet_library_and_no_matplotlib_for_a_cached_chart():
    code = ("import sys\nimport docgen.jobs.progress, docgen.cli\n"
            "print(sorted(set(sys.modules) & {'openpyxl', 'xlsxwriter', 'numpy', 'matplotlib', 'ruamel.yaml', "
            "'jieba', 'urllib.request', 'http.client'}))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert out.stdout.strip() == "[]", out.stderr

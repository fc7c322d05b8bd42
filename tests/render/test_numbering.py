"""Heading numbers past 99: a chapter may hold hundreds of sections (issue "speed at real scale")."""

from __future__ import annotations

import pytest

from docgen.numbering import chinese

from .helpers import docx_lines, settings, write_plan


@pytest.mark.parametrize("n, text", [
    (1, "一"), (10, "十"), (11, "十一"), (20, "二十"), (99, "九十九"), (100, "一百"), (101, "一百零一"),
    (110, "一百一十"), (111, "一百一十一"), (500, "五百"), (1000, "一千"), (1010, "一千零一十"),
    (9999, "九千九百九十九"), (10001, "一万零一"), (11000, "一万一千"),
])
def test_chinese_numerals(n, text):
    assert chinese(n) == text


def test_five_hundred_sections_under_one_chapter_render(tmp_path):
    from docgen.jobs.render import render

    sections = "".join(
        f"      - 标题: 第{i}项工作\n        内容:\n          - 段落: 按要求开展第{i}项工作。\n" for i in range(1, 501))
    text = ("文种: 工作要点\n标题: 松原市2025年安全生产工作要点\n发文机关: 松原市安全生产委员会\n"
            "发文字号: 松安委〔2025〕2号\n成文日期: 2025年1月10日\n主送: [市安委会各成员单位]\n正文:\n"
            "  - 标题: 重点工作\n    内容:\n" + sections)
    path = write_plan(tmp_path, text)
    out = tmp_path / "out"
    render([path], settings(tmp_path), out, pdf=False, base=tmp_path)
    lines = docx_lines(next(out.glob("*.docx")))
    assert "（九十九）第99项工作" in lines and "（一百）第100项工作" in lines
    assert "（一百零一）第101项工作" in lines and "（五百）第500项工作" in lines

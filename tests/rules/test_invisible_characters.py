"""DG408 catches every bidirectional control and invisible format character, in plans and registries."""

from __future__ import annotations

import shutil
import unicodedata

import pytest
from conftest import REGISTRY, lint, plan_text

from docgen.textchars import BIDI, control_name

BIDI_CONTROLS = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u061c"
OTHER_INVISIBLE = "\u200b\u200c\u200d\u2060\u2061\u2062\u2063\u2064\u00ad\ufeff\u180e\ufff9\U000e0001\u034f\u3164"


@pytest.mark.parametrize("ch", list(BIDI_CONTROLS + OTHER_INVISIBLE), ids=lambda c: f"U+{ord(c):04X}")
def test_each_invisible_character_is_found_where_it_is(tmp_path, ch):
    text = plan_text(f'- 段落: "开展{ch}检查。"')
    problems = lint(tmp_path, text, select=["DG408"])
    [problem] = problems
    line = text.splitlines()[problem.location.line - 1]
    assert line[problem.location.column - 1] == ch  # the column points at the character itself
    assert f"U+{ord(ch):04X}" in problem.message
    assert ("显示顺序" in problem.message) == (ch in BIDI)


def test_every_format_character_is_caught_and_printable_text_is_not():
    for code in range(0x110000):
        ch = chr(code)
        category = unicodedata.category(ch)
        if category == "Cf" or ch in BIDI_CONTROLS:
            assert control_name(ch), f"U+{code:04X}"
        elif category[0] in "LNPS" or ch in " \u3000":
            assert control_name(ch) is None or ch in "\u115f\u1160\u17b4\u17b5\u3164\uffa0", f"U+{code:04X}"


def test_registry_names_with_a_bidi_override_are_reported(tmp_path):
    registry = tmp_path / "registry"
    shutil.copytree(REGISTRY, registry)
    target = next(p for p in sorted(registry.rglob("*.yaml")) if "松原市应急管理局" in p.read_text(encoding="utf-8"))
    original = target.read_text(encoding="utf-8")
    target.write_text(original.replace("松原市应急管理局", "松原市应急\u202e局理管", 1), encoding="utf-8")
    problems = lint(tmp_path, plan_text("- 段落: 内容。"), select=["DG408"], registry=registry)
    assert [(p.code, p.location.file.endswith(target.name)) for p in problems] == [("DG408", True)]
    assert "双向文字控制符（U+202E）" in problems[0].message

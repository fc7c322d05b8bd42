"""Fuzzing the commands after check: plausible edits of the example city plan (the deadlines, units,
figures and links a drafter changes) through `cascade`, `notify`, `render` and `diff`.

The other harnesses break a plan's text; these cases mostly stay plans, so they reach the stages
behind `check` (cascade's deadline and target split, notify's unit expansion and ledgers, the
composer and the writers). Each case: no internal error, exit 0, 1 or 2, nothing written by a
command that failed. Budget: the ``commands`` share of `harness.SHARES`.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from harness import budget, within_limits
from hypothesis import given
from hypothesis import strategies as st
from test_fuzz import files_under, invoke, logged

ROOT = Path(__file__).resolve().parents[2]
PLAN = "plans/city/three-year-plan.yaml"
BASE = (ROOT / PLAN).read_text(encoding="utf-8").split("\n")

DEADLINES = ["2025年底前", "每年", "长期坚持", "2099年12月31日前", "1900年1月1日前", "2025年2月30日前", "每季度",
             "每月", "2025年上半年", "2026年第三季度", "主汛期前", "2025年6月底前、2026年6月底前", "2025年", "立即", "",
             "2025年13月底前", "2024年1月1日至2024年1月1日", "持续推进", "2025-06-30", "9999年12月31日前",
             "2024年底前完成50%，2025年底前完成100%"]
UNITS = ["[市应急管理局]", "[各乡镇（街道）]", "[东湖街道, 东湖街道]", "[]", "[市应急管理局, 各乡镇（街道）, 市公安局]",
         "[不存在的局]", "[市委组织部]", "[清溪市]", "[市安委办]"]
FIGURES = ["0", "-1", "1", "100", "100000000", "0.5", "1e9", "33.333", "7", ".inf", "null"]
YEARS = ["2023", "2024", "2025", "2026", "2030"]


@st.composite
def edited(draw) -> str:
    """The city plan with one to six edits of the kinds a drafter makes (and some they should not)."""
    lines = list(BASE)
    for _ in range(draw(st.integers(1, 6))):
        i = draw(st.integers(0, len(lines) - 1))
        line = lines[i]
        indent = line[: len(line) - len(line.lstrip())]
        if "完成时限:" in line:
            lines[i] = f"{line.split('完成时限:')[0]}完成时限: {draw(st.sampled_from(DEADLINES))}"
        elif re.search(r"(牵头|配合): \[", line):
            lines[i] = re.sub(r"\[.*\]", draw(st.sampled_from(UNITS)), line)
        elif "目标值:" in line:
            lines[i] = f"{line.split('目标值:')[0]}目标值: {draw(st.sampled_from(FIGURES))}"
        elif re.match(r"\s+20\d\d: ", line):
            lines[i] = f"{indent}{draw(st.sampled_from(YEARS))}: {draw(st.sampled_from(FIGURES))}"
        elif re.match(r"\s+(编号|上级任务|实施期限|起|止|成文日期|印发日期):", line):
            lines[i] = ""
        elif draw(st.booleans()):  # a block repeated (a task copied and pasted, ids and all)
            end = min(len(lines), i + draw(st.integers(1, 10)))
            lines[i:i] = lines[i:end]
    return "\n".join(lines)


COMMANDS = st.sampled_from([
    ["cascade", PLAN, "--to", "东湖街道", "-o", "out", "--force"],
    ["notify", PLAN, "-o", "out", "--unit", "东湖街道", "--unit", "市应急管理局"],
    ["render", PLAN, "-o", "out"],
    ["diff", str(ROOT / PLAN), PLAN],
])


@budget("commands")
@given(text=edited(), command=COMMANDS)
def test_fuzz_commands(tmp_path_factory, text, command):
    with logged("commands"):
        work = tmp_path_factory.mktemp("commands")
        shutil.copytree(ROOT / "plans", work / "plans")
        shutil.copy(ROOT / "pyproject.toml", work / "pyproject.toml")
        (work / PLAN).write_text(text, encoding="utf-8")
        with within_limits():
            result = invoke(*command, cwd=work)
        if result.exit_code == 2 and command[0] != "diff":
            assert not files_under(work / "out"), result.output  # nothing written by a command that failed

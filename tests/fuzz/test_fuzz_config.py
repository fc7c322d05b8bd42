"""Fuzzing the configuration: ``[tool.docgen]`` in pyproject.toml (issue 26). Each case checks or
renders a valid plan under a mutated configuration: it works, or stops with exit 2 and a DG020
finding located in pyproject.toml; never exit 3, never a traceback, within its time and memory."""

from __future__ import annotations

import re

from conftest import REGISTRY, plan_text
from harness import budget, within_limits
from hypothesis import example, given
from hypothesis import strategies as st
from test_fuzz import TEXT, invoke, logged, mutated

SEEDS = [
    '[tool.docgen]\nregistry = ["registry"]\npaths = ["plan.yaml"]\n',
    '[project]\nname = "x"\n\n[tool.docgen]\nregistry = ["registry"]\npaths = ["."]\nselect = ["DG"]\n'
    'ignore = ["DG305", "wording"]\nfail-on = "warning"\nfont-set = "windows"\n\n[tool.docgen.severity]\n'
    'half-width-punctuation = "warning"\nDG409 = "info"\n',
    '[tool]\ndocgen = { registry = ["registry"], paths = ["plan.yaml"], ignore = ["DG4"] }\n',
    '[tool.docgen]\nregistry = "registry"\nseverity = { DG101 = "error" }\n',
]
#: TOML syntax, docgen's keys and values of every type and of none, paths that leave the project.
PIECES = st.sampled_from([
    "[", "]", "[[", "=", '"', "'", "'''", '"""', "\\", "\\u00", "#", ",", "{", "}", ".", "\n", " ", "\t", "\x00", "\ufeff",
    "tool.docgen", "[tool.docgen]", "[tool.docgen.severity]", "registry", "paths", "select", "ignore", "severity",
    "fail-on", "font-set", "unknown-key", '["DG"]', '["DG999", "no-such-rule"]', '"error"', '"warning"', '"info"',
    '"loud"', "1", "-1", "1e400", "inf", "nan", "true", "{}", "[]", "[[]]", "1979-05-27", "07:32:00", '"../.."',
    '"/"', '"/dev/zero"', '["plan.yaml", 1]', '["registry", "registry"]', '"gb2312"', '"windows"', '"宋体"',
])
CONFIG = st.one_of(
    st.sampled_from(SEEDS).flatmap(mutated),
    st.lists(st.one_of(PIECES, TEXT), max_size=20).map("".join),
    st.tuples(st.sampled_from(SEEDS), st.lists(PIECES, max_size=6).map("".join)).map(lambda t: t[0] + t[1]),
)
PLAN = plan_text("""
    - 任务: 开展隐患排查
      编号: W01
      内容: 全面排查。
      责任单位: {牵头: 松原市应急管理局}
      完成时限: 2025年6月底前
""")


@budget("config")
@given(config=CONFIG, command=st.sampled_from(["check", "check-all", "render", "rules"]))
@example(config='[tool.docgen]\nregistry = ["registry"]\nseverity = { DG101 = "error" }\nignore = ["DG0"]\n', command="check")
@example(config='[tool.docgen]\nregistry = ["registry"]\npaths = ["/dev/zero"]\n', command="check-all")
def test_fuzz_configuration(tmp_path_factory, config, command):
    with logged("config"):
        configured(tmp_path_factory, config, command)


def configured(tmp_path_factory, config: str, command: str) -> None:
    work = tmp_path_factory.mktemp("config")
    (work / "registry").mkdir()
    for path in REGISTRY.glob("*.yaml"):
        (work / "registry" / path.name).write_bytes(path.read_bytes())
    (work / "pyproject.toml").write_bytes(config.encode("utf-8", "surrogatepass"))
    (work / "plan.yaml").write_text(PLAN, encoding="utf-8")
    with within_limits():
        if command == "check":
            result = invoke("check", "plan.yaml", cwd=work)
        elif command == "check-all":
            result = invoke("check", cwd=work)
        elif command == "rules":
            result = invoke("rules", cwd=work)
        else:
            result = invoke("render", "plan.yaml", "-o", "out", cwd=work)
            written = [p for p in (work / "out").rglob("*") if p.is_file()] if (work / "out").exists() else []
            assert bool(written) == (result.exit_code == 0), (result.output, written)
    if "错误 DG020" in result.output:  # a configuration problem: located in the file, exit 2
        assert result.exit_code == 2, result.output
        assert re.search(r"pyproject\.toml(:\d+:\d+)?: 错误 DG020", result.output), result.output

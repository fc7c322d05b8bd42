"""Fuzzing: generated and mutated plans, registries, ledgers and Word files through the real commands.

Each case runs a docgen command as a user would (in-process, through click) and asserts:
- no internal error: no exception escapes the command (what `docgen.cli.main` reports as exit 3),
  the exit code is 0, 1 or 2, and the output shows no traceback and no 内部错误;
- bounded time: each case within `harness.DEADLINE` (hypothesis fails a slower one);
- no partial output: a command that fails writes nothing (no .docx, no progress file).

Budget: ``DOCGEN_FUZZ_EXAMPLES`` cases in all (default 200, about 0.1 s each), shared by the
targets in the proportions of `harness.SHARES`. The long mode is the same test with a larger budget:

    DOCGEN_FUZZ_EXAMPLES=10000 .venv/bin/python -m pytest tests/fuzz -q

The short mode is derandomized (the same cases every run, so `make test` is reproducible); the long
mode draws new cases each run (set ``DOCGEN_FUZZ_SEED`` to repeat one). With ``DOCGEN_FUZZ_LOG=FILE``
every case appends one line (``ok TARGET`` or ``FAIL TARGET reason``), to follow a long run.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import os
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import REGISTRY, plan_text
from harness import budget
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.utils.exceptions import IllegalCharacterError
from ruamel.yaml import YAML

from docgen.cli import cli

ROOT = Path(__file__).resolve().parents[2]
@contextlib.contextmanager
def logged(target: str):
    """Append the case's outcome to $DOCGEN_FUZZ_LOG (if set)."""
    log = os.environ.get("DOCGEN_FUZZ_LOG")
    try:
        yield
    except BaseException as exc:
        # (not hypothesis's own BaseException signals, a discarded draw; a Rust library's panic is
        # pyo3's PanicException, a BaseException too, and counts)
        if log and not type(exc).__module__.startswith("hypothesis"):
            with open(log, "a", encoding="utf-8") as f:
                cause = f" <- {type(exc.__cause__).__name__}: {str(exc.__cause__)[:200]!r}" if exc.__cause__ else ""
                f.write(f"FAIL {target} {type(exc).__name__}: {str(exc)[:300]!r}{cause}\n")
        raise
    if log:
        with open(log, "a", encoding="utf-8") as f:
            f.write(f"ok {target}\n")


def invoke(*args, cwd: Path):
    """Run the CLI like `docgen.cli.main`; fail on what main would call an internal error."""
    old = Path.cwd()
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=True)
    finally:
        os.chdir(old)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"internal error (exit 3) from docgen {' '.join(map(str, args))}") from result.exception
    assert result.exit_code in (0, 1, 2), (result.exit_code, result.output)
    assert "Traceback" not in result.output and "内部错误" not in result.output, result.output
    return result


# -- text and mutations ------------------------------------------------------------------------------

#: Characters that stress YAML, the rules and the writers: syntax, CJK, punctuation, controls, bidi.
PIECES = st.one_of(
    st.sampled_from(list(":-[]{}#&*!|>'\"%@`,? \n\t0123456789.年月日底前季度号〔〕（）“”、，。；：")),
    st.sampled_from(list("\u202e\u200b\ufeff\x00\x07\r\u2028\ud7ff\U0001f600=+")),
    st.characters(codec="utf-8"),
    st.sampled_from(["清溪市", "松原市", "市应急管理局", "东湖街道", "2025年6月底前", "长期坚持", "W01", "T01", "任务:",
                     "段落:", "标题:", "内容:", "责任单位:", "完成时限:", "*a", "&a", "!!int", "!!binary", "<<: *a",
                     "~", "null", "1e400", "-.inf", "2025-02-30", "0x_", "? ", "--- ", "...", "%YAML 1.1"]),
)
TEXT = st.lists(PIECES, max_size=12).map("".join)


@st.composite
def mutated(draw, text: str) -> str:
    """`text` with a few line- and character-level edits."""
    lines = text.split("\n")
    for _ in range(draw(st.integers(0, 4))):
        if not lines:
            lines = [""]
        kind = draw(st.sampled_from(["delete", "duplicate", "swap", "insert", "replace-value", "indent", "truncate"]))
        i = draw(st.integers(0, len(lines) - 1))
        if kind == "delete":
            del lines[i: i + draw(st.integers(1, 5))]
        elif kind == "duplicate":
            lines.insert(i, lines[i])
        elif kind == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif kind == "insert":
            col = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:col] + draw(TEXT) + lines[i][col:]
        elif kind == "replace-value" and ": " in lines[i]:
            lines[i] = lines[i].split(": ", 1)[0] + ": " + draw(TEXT)
        elif kind == "indent":
            lines[i] = " " * draw(st.integers(0, 6)) + lines[i].lstrip(" ")
        elif kind == "truncate":
            lines = lines[: i + 1]
            lines[-1] = lines[-1][: draw(st.integers(0, len(lines[-1])))]
    return "\n".join(lines)


# -- plans -------------------------------------------------------------------------------------------

CASES = YAML(typ="safe").load((ROOT / "tests/rules/cases.yaml").read_text(encoding="utf-8"))
SMALL_SEEDS = [c["plan"] if c.get("whole") else plan_text(c["body"]) for c in CASES] + [
    (ROOT / "tests/acceptance/examples/negative/street-with-seed-mistakes.yaml").read_text(encoding="utf-8")]
BIG_SEEDS = [(ROOT / p).read_text(encoding="utf-8") for p in ("plans/city/work-points-2025.yaml",
                                                             "plans/city/three-year-plan.yaml")]
BIG_REGISTRY = ROOT / "plans/registry/qingxi.yaml"

SCHEMA = json.loads((ROOT / "schemas/plan.schema.json").read_text(encoding="utf-8"))
BLOCK_KEYS = sorted({k for d in SCHEMA.get("$defs", {}).values() for k in d.get("properties", {})})
TOP_KEYS = sorted(SCHEMA["properties"])

SCALAR = st.one_of(TEXT, st.integers(-10**20, 10**20), st.booleans(), st.none(), st.floats(),
                   st.dates().map(str), st.sampled_from(["2025年3月底前", "2025年1月15日", "清安委〔2025〕1号"]))
VALUE = st.recursive(SCALAR, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(BLOCK_KEYS), inner, max_size=5)), max_leaves=25)
STRUCTURED = st.fixed_dictionaries(
    {"文种": st.sampled_from(["工作要点", "实施方案", "通知", "工作意见", "x"]), "标题": TEXT,
     "发文机关": st.sampled_from(["松原市安全生产委员会", "松原市人民政府", "x"]),
     "正文": st.lists(st.dictionaries(st.sampled_from(BLOCK_KEYS), VALUE, min_size=1, max_size=6), max_size=6)},
    optional={k: VALUE for k in TOP_KEYS if k not in ("文种", "标题", "发文机关", "正文")},
)


def dump(data) -> str:
    out = io.StringIO()
    yaml = YAML(typ="safe")
    yaml.allow_unicode = True
    yaml.dump(data, out)
    return out.getvalue()


@st.composite
def plans(draw) -> tuple[str, list[Path]]:
    """(plan text, registry paths): a mutated small or big example, or a structured random plan."""
    kind = draw(st.integers(0, 19))
    if kind == 0:
        return draw(mutated(draw(st.sampled_from(BIG_SEEDS)))), [BIG_REGISTRY]
    if kind <= 5:
        return dump(draw(STRUCTURED)), [REGISTRY]
    return draw(mutated(draw(st.sampled_from(SMALL_SEEDS)))), [REGISTRY]


def files_under(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


@budget("plans")
@given(case=plans(), command=st.sampled_from(["check", "check", "check", "render"]))
def test_fuzz_plans(tmp_path_factory, case, command):
    with logged("plans"):
        fuzz_plan(tmp_path_factory, case, command)


def fuzz_plan(tmp_path_factory, case, command):
    text, registries = case
    work = tmp_path_factory.mktemp("plan")
    path = work / "plan.yaml"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    options = [a for r in registries for a in ("--registry", r)]
    if command == "check":
        invoke("check", path, *options, cwd=work)
        return
    out = work / "out"
    result = invoke("render", path, "-o", out, *options, cwd=work)
    written = files_under(out)
    if result.exit_code:
        assert not written, (result.output, written)  # no partial output
    else:
        assert [p.name for p in written] == ["plan.docx"], written


# -- registries --------------------------------------------------------------------------------------

REGISTRY_SEEDS = [(REGISTRY / "city.yaml").read_text(encoding="utf-8")]
PLAN_FOR_REGISTRY = plan_text("""
    - 任务: 开展隐患排查
      编号: W01
      内容: 全面排查。
      责任单位: {牵头: 松原市应急管理局}
      完成时限: 2025年6月底前
""")


@budget("registries")
@given(registry=st.sampled_from(REGISTRY_SEEDS).flatmap(mutated))
def test_fuzz_registries(tmp_path_factory, registry):
    with logged("registries"):
        fuzz_registry(tmp_path_factory, registry)


def fuzz_registry(tmp_path_factory, registry):
    work = tmp_path_factory.mktemp("registry")
    (work / "registry").mkdir()
    (work / "registry/city.yaml").write_bytes(registry.encode("utf-8", "surrogatepass"))
    (work / "plan.yaml").write_text(PLAN_FOR_REGISTRY, encoding="utf-8")
    invoke("check", work / "plan.yaml", "--registry", work / "registry", cwd=work)
    invoke("check", work / "registry", "--registry", work / "registry", cwd=work)


# -- ledgers -----------------------------------------------------------------------------------------

LEDGER_PLAN = plan_text("""
    - 任务: 开展隐患排查
      编号: W01
      内容: 全面排查。
      责任单位: {牵头: 松原市应急管理局}
      完成时限: 2025年6月底前
    - 任务: 开展执法检查
      编号: W02
      内容: 严格执法。
      责任单位: {牵头: 松原市应急管理局}
      完成时限: 2025年9月底前
""")


@pytest.fixture(scope="module")
def ledger_project(tmp_path_factory) -> tuple[Path, Path]:
    """A project with a small plan and the ledger `docgen notify` wrote for one of its units."""
    work = tmp_path_factory.mktemp("ledger-project")
    shutil.copytree(REGISTRY, work / "registry")
    (work / "pyproject.toml").write_text('[tool.docgen]\nregistry = ["registry"]\npaths = ["plan.yaml"]\n',
                                         encoding="utf-8")
    (work / "plan.yaml").write_text(LEDGER_PLAN, encoding="utf-8")
    invoke("notify", "plan.yaml", "-o", "notify", cwd=work)
    [ledger] = sorted((work / "notify").glob("*-台账.xlsx"))
    ORIGINALS["ledger"] = ledger.read_bytes()
    return work, ledger


CELL_VALUE = st.one_of(TEXT, st.sampled_from(["已完成", "推进中", "未启动", "=1+1", "=HYPERLINK(\"x\")", "#N/A"]),
                       st.integers(-10**6, 10**7), st.floats(allow_nan=False, allow_infinity=False),
                       st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(2200, 1, 1)),
                       st.none())


#: Files the strategies start from, by name (kept out of the strategies' arguments, which hypothesis prints).
ORIGINALS: dict[str, bytes] = {}


@st.composite
def ledger_bytes(draw) -> bytes:
    """The ledger edited as a user (cells, merges, rows, sheets) and/or damaged at the zip level."""
    data = ORIGINALS["ledger"]
    if draw(st.booleans()):
        wb = load_workbook(io.BytesIO(data))
        for _ in range(draw(st.integers(0, 6))):
            sheet = wb[draw(st.sampled_from(wb.sheetnames))]
            row, col = draw(st.integers(1, 12)), draw(st.integers(1, 11))
            action = draw(st.sampled_from(["value", "value", "value", "merge", "delete-row", "rename", "add-sheet"]))
            if action == "value":
                value = draw(CELL_VALUE)
                try:
                    sheet.cell(row, col).value = value
                except (ValueError, AttributeError, IllegalCharacterError):  # control characters; merged cells
                    pass
            elif action == "merge":
                sheet.merge_cells(start_row=row, start_column=col, end_row=row + draw(st.integers(0, 3)),
                                  end_column=col + draw(st.integers(0, 1)))
            elif action == "delete-row":
                sheet.delete_rows(row)
            elif action == "rename":
                sheet.title = draw(st.sampled_from(["台账", "填报信息", "Sheet", "台账1"])) + str(row)
            else:
                wb.create_sheet(draw(st.sampled_from(["台账", "其他"])) + str(col))
        buffer = io.BytesIO()
        wb.save(buffer)
        data = buffer.getvalue()
    if draw(st.booleans()):
        data = damaged_zip(draw, data)
    return data


def position(draw, length: int) -> int:
    """A place in bytes whose length may vary between runs (timestamps): drawn independently of it,
    so that hypothesis replays the same choices."""
    return draw(st.integers(0, 2**20)) % (length + 1)


def damaged_zip(draw, data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as old:
        names = old.namelist()
        parts = {n: old.read(n) for n in names}
    name = draw(st.sampled_from(names))
    part = parts[name]
    kind = draw(st.sampled_from(["truncate", "insert", "replace", "doctype", "drop", "raw-truncate", "numbers"]))
    if kind == "raw-truncate":
        return data[: position(draw, len(data))]
    if kind == "drop":
        del parts[name]
    elif kind == "truncate":
        parts[name] = part[: position(draw, len(part))]
    elif kind == "insert":
        at = position(draw, len(part))
        parts[name] = part[:at] + draw(st.binary(max_size=20)) + part[at:]
    elif kind == "replace":
        at = position(draw, len(part))
        parts[name] = part[:at] + draw(TEXT).encode("utf-8", "surrogatepass") + part[at + draw(st.integers(0, 20)):]
    elif kind == "doctype":
        parts[name] = b'<!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>' + re.sub(rb"^<\?xml[^>]*\?>", b"", part)
    elif kind == "numbers":  # indexes, styles, row numbers and references: out of range or odd
        replacement = draw(st.sampled_from([b"999999", b"-1", b"0", b"1048576", b"XFD1", b"x", b"2.5"]))
        parts[name] = re.sub(rb'(s|r|t)="[^"]*"', lambda m: m.group(1) + b'="' + replacement + b'"', part,
                             count=draw(st.integers(1, 5)))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as new:
        for n, content in parts.items():
            new.writestr(n, content)
    return buffer.getvalue()


@budget("ledgers")
@given(data=st.data(), partial=st.booleans(), with_plan=st.booleans())
def test_fuzz_ledgers(ledger_project, tmp_path_factory, data, partial, with_plan):
    with logged("ledgers"):
        fuzz_ledger(ledger_project, tmp_path_factory, data, partial, with_plan)


def fuzz_ledger(ledger_project, tmp_path_factory, data, partial, with_plan):
    work, ledger = ledger_project
    folder = tmp_path_factory.mktemp("ledger")
    returned = folder / ledger.name
    returned.write_bytes(data.draw(ledger_bytes()))
    out = folder / "progress.yaml"
    args = ["collect", returned, ledger if data.draw(st.booleans()) else returned, "-o", out, "--as-of", "2025-12-31"]
    args += (["--plan", work / "plan.yaml"] if with_plan else []) + (["--partial"] if partial else [])
    result = invoke(*args, cwd=work)
    if result.exit_code == 2 or (result.exit_code == 1 and not partial):
        assert not out.exists(), result.output  # no partial output
    if out.exists():
        from docgen.progress.model import load

        load(out)  # what collect writes reads back


# -- Word files (git textconv) -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def word_file(tmp_path_factory) -> bytes:
    out = tmp_path_factory.mktemp("docx")
    invoke("render", ROOT / "tests/acceptance/examples/negative/street-with-seed-mistakes.yaml", "-o", out, cwd=ROOT)
    rendered = sorted(out.glob("*.docx"))
    if rendered:
        return rendered[0].read_bytes()
    return (ROOT / "templates/official.docx").read_bytes()


@budget("docx")
@given(data=st.data())
def test_fuzz_textconv(word_file, tmp_path_factory, data):
    with logged("docx"):
        path = tmp_path_factory.mktemp("textconv") / "file.docx"
        path.write_bytes(damaged_zip(data.draw, word_file) if data.draw(st.booleans()) else word_file)
        invoke("textconv", path, cwd=path.parent)


def test_found_by_fuzzing_an_attachment_with_a_title_only_is_a_finding(tmp_path):
    """The long run found `附件: [{标题: …}]` (no 类型, so no table) crashing render with exit 3:
    now a located DG107 finding, and nothing written."""
    text = plan_text("- 段落: 内容。") + "附件:\n  - 标题: 任务分工表\n"
    (tmp_path / "plan.yaml").write_text(text, encoding="utf-8")
    result = invoke("render", tmp_path / "plan.yaml", "-o", tmp_path / "out", "--registry", REGISTRY, cwd=tmp_path)
    assert result.exit_code == 1, result.output
    assert "plan.yaml:11:5: 错误 DG107 [attachment-empty]" in result.output and "内部错误" not in result.output
    assert not (tmp_path / "out/plan.docx").exists()

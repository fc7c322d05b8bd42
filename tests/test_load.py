"""Bad input at the load stage: each gets one clear finding with a position, never a traceback."""

from __future__ import annotations

import time

import pytest
from conftest import REGISTRY, lint


def codes(problems):
    return [(p.code, p.location.line, p.location.column) for p in problems]


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("文种: 实施方案\n标题: 清溪\n".encode("gbk"), ("DG002", 1, 1)),
        ("文种: 实施方案\n标题: x\n".encode("utf-16"), ("DG002", 1, 1)),
        (b"", ("DG003", 1, 1)),
        (b"# only a comment\n\n", ("DG003", 1, 1)),
        ("文种: 实施方案\n  标题: [x\n".encode(), ("DG001", 2, 5)),
        ("文种: 实施方案\n标题: \"未闭合\n".encode(), ("DG001", 3, 1)),
        ("文种: 实施方案\n\t标题: x\n".encode(), ("DG001", 2, 1)),
        (b"- just\n- a list\n", ("DG007", 1, 1)),
        ("名称: 既不是方案也不是单位库\n".encode(), ("DG007", 1, 1)),
        ("文种: 实施方案\n标题: x\x07\n".encode(), ("DG001", 2, 6)),
    ],
    ids=["gbk", "utf16", "empty", "comments-only", "syntax", "open-quote", "tab",
         "top-level-list", "unknown-document", "control-char"],
)
def test_bad_file_gives_one_located_finding(tmp_path, raw, expected):
    (tmp_path / "plan.yaml").write_bytes(raw)
    from docgen.config import Settings
    from docgen.jobs.check import check
    problems = check([tmp_path / "plan.yaml"], Settings(root=tmp_path), base=tmp_path).problems
    assert codes(problems) == [expected]
    assert all(p.message and not p.message.isascii() for p in problems)  # Chinese message


def test_gbk_message_names_the_encoding(tmp_path):
    problems = lint(tmp_path, "")
    (tmp_path / "plan.yaml").write_bytes("文种: 实施方案\n".encode("gbk"))
    from docgen.config import Settings
    from docgen.jobs.check import check
    problems = check([tmp_path / "plan.yaml"], Settings(root=tmp_path), base=tmp_path).problems
    assert "GBK" in problems[0].message and "UTF-8" in problems[0].message


def test_utf8_with_a_bom_is_read_like_utf8(tmp_path, run):
    """Older Notepad saves UTF-8 with a byte-order mark: the file reads as if it had none."""
    from docgen.config import Settings
    from docgen.jobs.check import check
    text = "文种: 实施方案\n标题: a\n标题: b\n"
    (tmp_path / "plan.yaml").write_bytes(b"\xef\xbb\xbf" + text.encode())
    problems = check([tmp_path / "plan.yaml"], Settings(root=tmp_path), base=tmp_path).problems
    assert ("DG004", 3, 1) in codes(problems)  # the same finding, at the same place, as without the mark
    assert "DG002" not in {p.code for p in problems}


def test_a_duplicate_key_does_not_stop_the_rest_of_the_file_being_checked(tmp_path):
    from docgen.config import Settings
    from docgen.jobs.check import check
    (tmp_path / "plan.yaml").write_text("文种: 实施方案\n标题: a\n标题: b\n", encoding="utf-8")
    problems = check([tmp_path / "plan.yaml"], Settings(root=tmp_path), base=tmp_path).problems
    assert ("DG004", 3, 1) in codes(problems)
    assert "DG012" in {p.code for p in problems}  # the schema still looked at the file: 发文机关… are missing


def test_yaml_messages_carry_no_english(tmp_path):
    """libyaml's own English ("did not find expected node content") is said in Chinese."""
    problems = lint(tmp_path, "文种: 实施方案\n标题: ]\n")
    message = problems[0].message
    assert problems[0].code == "DG001"
    assert not any(word in message for word in ("node", "content", "expected", "found", "解析器原文")), message
    problems = lint(tmp_path, "文种: 实施方案\n标题: - a\n- b\n")
    assert problems[0].code == "DG001" and "node" not in problems[0].message


def test_alias_bomb_is_rejected_quickly(tmp_path):
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i-1}'] * 10)}]" for i in range(1, 30)]
    start = time.perf_counter()
    problems = lint(tmp_path, "文种: 实施方案\n" + "\n".join(lines) + "\n")
    assert time.perf_counter() - start < 30  # a hang would never get here; not a speed assertion
    assert [(p.code, p.location.line) for p in problems] == [("DG006", 3)]


def test_fifty_megabyte_file_is_refused_without_reading(tmp_path):
    big = tmp_path / "big.yaml"
    with big.open("wb") as f:
        f.write("文种: 实施方案\n标题: ".encode())
        f.write(b"x" * (50 * 1024 * 1024))
    from docgen.config import Settings
    from docgen.jobs.check import check
    problems = check([big], Settings(root=tmp_path), base=tmp_path).problems
    assert [p.code for p in problems] == ["DG005"]
    assert "50.0 MB" in problems[0].message


def test_deep_nesting_is_a_finding_not_a_crash(tmp_path):
    problems = lint(tmp_path, "文种: 实施方案\n标题: " + "[" * 5000 + "]" * 5000 + "\n")
    assert problems and problems[0].code in ("DG001", "DG011")


def test_cli_exit_codes_and_no_traceback(tmp_path, run):
    (tmp_path / "bad.yaml").write_bytes(b"a: 1\n")
    result = run("check", tmp_path / "bad.yaml", "--registry", REGISTRY, cwd=tmp_path)
    assert result.exit_code == 1
    assert "bad.yaml:1:1" in result.stdout and "Traceback" not in result.output
    missing = run("check", tmp_path / "nope.yaml", cwd=tmp_path)
    assert missing.exit_code == 2


def test_one_broken_file_does_not_hide_findings_in_another(tmp_path):
    from docgen.config import Settings
    from docgen.jobs.check import check
    (tmp_path / "a.yaml").write_text("文种: [\n", encoding="utf-8")
    (tmp_path / "b.yaml").write_text("文种: 实施方案\n标题: x\nx: 1\n", encoding="utf-8")
    problems = check([tmp_path], Settings(root=tmp_path), base=tmp_path).problems
    assert {p.location.file for p in problems} == {"a.yaml", "b.yaml"}


# Values the YAML constructor rejects (issue "hostile input", item 10): never an internal error;
# each one is a located finding, and one such file does not stop the others from being checked.
@pytest.mark.parametrize(
    "line, expected",
    [
        ("x: 2025-02-30", ("DG010", 8, 1)),          # not a date: read as the text it is
        ("x: ._", ("DG010", 8, 1)),
        ("x: -_", ("DG010", 8, 1)),
        ("x: +_", ("DG010", 8, 1)),
        ("x: 0x_", ("DG010", 8, 1)),
        ("x: 0b_", ("DG010", 8, 1)),
        ("x: 0o_", ("DG010", 8, 1)),
        ('x: !!int ""', ("DG013", 8, 4)),
        ("x: !!bool x", ("DG013", 8, 4)),
        ("x: !!omap false", ("DG001", 8, 4)),
        ("x: !!binary aGk=", ("DG001", 8, 4)),
        ("x: !custom y", ("DG001", 8, 4)),
    ],
)
def test_values_the_constructor_rejects_are_findings(tmp_path, line, expected):
    from conftest import plan_text
    text = plan_text("- 段落: 正文。\n").replace("正文:\n", line + "\n正文:\n", 1)
    assert text.split("\n")[7] == line
    problems = lint(tmp_path, text)
    assert expected in codes(problems), codes(problems)
    assert all(p.message and not p.message.isascii() for p in problems)


@pytest.mark.parametrize("date", ["2025-02-30", "2025-13-01", "!!timestamp 2025-02-30"])
def test_impossible_document_date_is_a_located_date_finding(tmp_path, date):
    from conftest import plan_text
    text = plan_text("- 段落: 正文。\n").replace("成文日期: 2025年1月10日", f"成文日期: {date}")
    row = next(i for i, line in enumerate(text.split("\n"), 1) if line.startswith("成文日期"))
    problems = lint(tmp_path, text)
    assert [(p.location.line, p.location.column) for p in problems] == [(row, 7)], codes(problems)
    assert date.split()[-1] in problems[0].message


def test_bad_value_in_one_file_does_not_abort_the_folder(tmp_path, run):
    (tmp_path / "a.yaml").write_text('文种: 实施方案\n标题: !!int ""\n', encoding="utf-8")
    (tmp_path / "b.yaml").write_text("文种: 实施方案\n标题: x\nx: 1\n", encoding="utf-8")
    (tmp_path / "c.yaml").write_text("文种: 实施方案\n成文日期: !!omap false\n", encoding="utf-8")
    result = run("check", tmp_path, "--registry", REGISTRY, cwd=tmp_path)
    assert result.exit_code == 1 and "内部错误" not in result.output and "Traceback" not in result.output
    assert "a.yaml:2:5" in result.stdout and "c.yaml:2:7" in result.stdout and "b.yaml:3:1" in result.stdout


@pytest.mark.parametrize(("text", "words"), [
    ("文种: 实施方案\n正文: [a\n", "缺少“,”或“]”"),
    ("文种: 实施方案\n标题: x\n正文:\n  - a\n - b\n", "缺少键"),
    ("文种: 实施方案\n标题: \"x\n", "文件意外结束"),
    ("文种: 实施方案\n正文:\n  - 段落: a\n 标题: b\n", "缩进不一致"),
])
def test_yaml_syntax_errors_are_explained_in_chinese(tmp_path, text, words):
    problems = lint(tmp_path, text)
    assert problems[0].code == "DG001" and words in problems[0].message, problems[0].message
    assert not any(w in problems[0].message for w in ("expected", "found", "stream")), problems[0].message

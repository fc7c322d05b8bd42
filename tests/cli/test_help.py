"""The command line speaks Chinese: click's own words, usage lines, errors, and help wrapped by width."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from docgen.cli import cli
from docgen.clitext import display_width, wrap_text

ENGLISH = ("Usage:", "Options:", "Show this message", "Error:", "Missing option", "does not exist",
           "Commands:", "Try '")
COMMANDS = ["check", "rules", "diff", "git-setup", "render", "build", "cascade", "notify", "collect", "report",
            "remind"]


def _invoke(*args: str, width: int = 80):
    return CliRunner().invoke(cli, list(args), terminal_width=width, catch_exceptions=False)


def test_main_help_lists_each_command_once_in_chinese():
    result = _invoke("--help")
    assert result.exit_code == 0
    for word in ENGLISH:
        assert word not in result.output
    assert "用法：" in result.output and "选项" in result.output and "命令" in result.output
    for name in COMMANDS:
        assert len(re.findall(rf"^\s+{re.escape(name)}\s", result.output, re.M)) == 1, name


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("width", [80, 120])
def test_help_fits_the_terminal_and_has_no_english_boilerplate(command, width):
    result = _invoke(command, "--help", width=width)
    assert result.exit_code == 0
    for word in ENGLISH:
        assert word not in result.output, (command, word)
    for line in result.output.splitlines():
        assert display_width(line) <= width, (command, line)
    # Lines of one Chinese paragraph join without the space an English rewrap would insert.
    assert "， " not in result.output and "。 " not in result.output.replace("。 [", ""), command


def test_rewrapped_exit_codes_read_as_written():
    result = _invoke("diff", "--help", width=200)
    assert "（只给一个版本时与工作区比较，不给版本时比较 HEAD 与工作区；" in result.output


def test_every_option_has_help():
    for name in COMMANDS:
        command = cli.commands[name]
        for param in command.params:
            if param.param_type_name == "选项" and not param.hidden:
                assert param.help, f"{name} {param.opts}"


def test_usage_errors_are_chinese():
    missing = _invoke("report", "plans/city/three-year-plan.yaml")
    assert missing.exit_code == 2
    assert "错误：缺少选项 '--progress'" in missing.stderr
    nowhere = _invoke("render", "没有这个文件.yaml")
    assert nowhere.exit_code == 2 and "不存在" in nowhere.stderr
    for word in ENGLISH:
        assert word not in missing.stderr + nowhere.stderr
    unknown = _invoke("chek")
    assert unknown.exit_code == 2 and "没有命令 'chek'" in unknown.stderr and "check" in unknown.stderr


def test_wrap_joins_chinese_lines_without_spaces_and_keeps_english_words():
    text = "退出码：0 没有问题，1\n发现问题，2 用法错误。\n\nUse the --select option\nfor codes."
    wrapped = wrap_text(text, 20, preserve_paragraphs=True)
    assert "1 发现问题，2" in wrapped.replace("\n", "")
    assert "option for" in wrapped.replace("\n", " ")
    assert all(display_width(line) <= 20 for line in wrapped.splitlines())
    assert not any(line.startswith(("，", "。")) for line in wrapped.splitlines())


#: What click shows when nobody chose a Chinese word: argument names, type names, English ranges.
ENGLISH_METAVARS = re.compile(r"\b(PATHS?|PARENT|PLAN|LEDGERS|SECONDS|DATE|TEXT|INTEGER|FLOAT|RANGE|FILES?|ARGS|CODES?"
                              r"|UNIT|LEVEL|NAME|VALUE|DIR|DIRECTORY)\b|x[<>]=|[<>]=x|; ")


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_every_command_help_uses_chinese_metavars_and_ranges(command):
    """Every command, hidden ones too: no PATHS, PARENT, TEXT, INTEGER RANGE or “[默认：300; x>=1]”."""
    result = _invoke(command, "--help", width=120)
    assert result.exit_code == 0
    found = ENGLISH_METAVARS.search(result.output)
    assert found is None, (command, found and found.group(), result.output)


def test_ranges_and_defaults_read_the_chinese_way():
    assert "[默认：300；范围：至少 1]" in _invoke("render", "--help", width=200).output
    assert "[默认：1；范围：1～64]" in _invoke("notify", "--help", width=200).output

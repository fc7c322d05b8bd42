"""Reporters: show a `Result` as text (people), JSON (tools) or GitHub annotations (CI)."""

from __future__ import annotations

import json
from typing import Protocol, TextIO

from docgen.problems import Problem, Result, Severity


class Reporter(Protocol):
    def report(self, result: Result, out: TextIO) -> None: ...


class TextReporter:
    """``file:line:col: 错误 DG202 [unknown-unit] message`` per problem."""

    def report(self, result: Result, out: TextIO) -> None:
        for p in result.problems:
            out.write(f"{p.location}: {p.severity.label} {p.code} [{p.name}] {p.message}\n")
        if result.caused:
            out.write(caused_line(result) + "\n")


def caused_line(result: Result) -> str:
    return (f"另有 {result.caused} 个问题由此引起（单位库有文件读不了，其中的组织、单位和时段都不可用），"
            "未逐条列出；改正上面单位库的问题后重新检查。")


class JsonReporter:
    """A JSON list of objects with file, line, column, code, name, severity, message."""

    def report(self, result: Result, out: TextIO) -> None:
        json.dump([p.as_dict() for p in result.problems], out, ensure_ascii=False, indent=2)
        out.write("\n")


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


class GithubReporter:
    """GitHub Actions workflow commands: ``::error file=…,line=…,col=…,title=…::message``."""

    def report(self, result: Result, out: TextIO) -> None:
        for p in result.problems:
            out.write(self.line(p) + "\n")

    @staticmethod
    def line(p: Problem) -> str:
        loc = p.location
        props = (
            f"file={_escape_property(loc.file)},line={loc.line},col={loc.column},"
            f"title={_escape_property(f'{p.code} {p.name}')}"
        )
        command = "notice" if p.severity.value == "info" else p.severity.value
        return f"::{command} {props}::{_escape_data(p.message)}"


class SarifReporter:
    """SARIF 2.1.0 (GitHub code scanning, GitLab, editors): one run, docgen's rules, results with
    regions (columns counted in code points) and, where a finding has one, its fix."""

    LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}

    def report(self, result: Result, out: TextIO) -> None:
        json.dump(self.log(result), out, ensure_ascii=False, indent=2)
        out.write("\n")

    def log(self, result: Result) -> dict:
        from docgen.rules import registry

        rules = list(registry.ALL)
        index = {rule.code: i for i, rule in enumerate(rules)}
        driver = {
            "name": "docgen",
            "version": _version(),
            "rules": [{
                "id": rule.code,
                "name": rule.name,
                "shortDescription": {"text": rule.summary},
                "fullDescription": {"text": rule.doc()},
                "defaultConfiguration": {"level": self.LEVELS[rule.severity]},
            } for rule in rules],
        }
        return {
            "$schema": "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json",
            "version": "2.1.0",
            "runs": [{
                "tool": {"driver": driver},
                "columnKind": "unicodeCodePoints",
                "originalUriBaseIds": {"%SRCROOT%": {"description": {"text": "检查时的工作目录"}}},
                "results": [self.result(p, index) for p in result.problems],
            }],
        }

    def result(self, p: Problem, index: dict[str, int]) -> dict:
        artifact = {"uri": _uri(p.location.file), "uriBaseId": "%SRCROOT%"}
        physical: dict = {"artifactLocation": artifact}
        if p.location.line > 0 and not p.location.sheet:
            region = {"startLine": p.location.line, "startColumn": p.location.column}
            if p.end is not None:
                region["endLine"], region["endColumn"] = p.end
            physical["region"] = region
        out: dict = {
            "ruleId": p.code,
            "level": self.LEVELS[p.severity],
            "message": {"text": p.message},
            "locations": [{"physicalLocation": physical}],
        }
        if p.code in index:
            out["ruleIndex"] = index[p.code]
        if p.location.sheet:  # a cell of a workbook: named, as SARIF has no regions in sheets
            out["locations"][0]["logicalLocations"] = [{"name": str(p.location), "kind": "element"}]
        if p.fix is not None:
            fix = p.fix
            end_line, end_column = fix.end
            out["fixes"] = [{
                "description": {"text": fix.title},
                "artifactChanges": [{
                    "artifactLocation": artifact,
                    "replacements": [{
                        "deletedRegion": {"startLine": fix.line, "startColumn": fix.column,
                                          "endLine": end_line, "endColumn": end_column},
                        "insertedContent": {"text": fix.new},
                    }],
                }],
            }]
        return out


def _uri(path: str) -> str:
    """A relative file path as a URI reference (Chinese file names percent-encoded)."""
    from urllib.parse import quote

    return quote(path, safe="/")


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("docgen")
    except PackageNotFoundError:
        return "0"


REPORTERS: dict[str, type] = {"text": TextReporter, "json": JsonReporter, "github": GithubReporter,
                              "sarif": SarifReporter}


def failed(result: Result, fail_on: Severity = Severity.ERROR) -> bool:
    """Whether `result` fails a run that fails on `fail_on` (errors only, or warnings too).

    Info findings (提示: gaps a received plan is allowed to have) never fail a run.
    """
    if fail_on is Severity.WARNING:
        return any(p.severity in (Severity.ERROR, Severity.WARNING) for p in result.problems)
    return any(p.severity is Severity.ERROR for p in result.problems)


def summary(result: Result, fail_on: Severity = Severity.ERROR, exit_zero: bool = False) -> str:
    """One line for stderr: files checked, then errors, warnings and 提示 and the files they are in.

    Every file a finding is reported in is counted among the files checked.
    """
    files = list(dict.fromkeys([*result.files, *(p.location.file for p in result.problems)]))
    if result.caused:
        line = summary(Result(problems=result.problems, files=result.files), fail_on, exit_zero)
        return f"{line.rstrip('。')}；另有 {result.caused} 个问题由单位库的错误引起，未列出。"
    if not result.problems:
        return f"检查了 {len(files)} 个文件，没有发现问题。"
    errors = sum(1 for p in result.problems if p.severity is Severity.ERROR)
    warnings = sum(1 for p in result.problems if p.severity is Severity.WARNING)
    infos = len(result.problems) - errors - warnings
    where = len({p.location.file for p in result.problems})
    found = "、".join(part for part in (f"{errors} 个错误" if errors else "", f"{warnings} 个警告" if warnings else "",
                                        f"{infos} 条提示" if infos else "") if part)
    line = f"检查了 {len(files)} 个文件，在其中 {where} 个文件中发现 {found}。"
    if exit_zero:
        line += "（--exit-zero：不算失败）"
    elif not failed(result, fail_on):
        line += "只有提示，不算失败。" if not warnings else "只有警告和提示，不算失败（fail-on = \"warning\" 时算失败）。" if infos else "只有警告，不算失败（fail-on = \"warning\" 时算失败）。"
    return line

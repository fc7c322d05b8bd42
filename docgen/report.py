"""Reporters: show a `Result` as text (people), JSON (tools) or GitHub annotations (CI)."""

from __future__ import annotations

import json
from typing import Protocol, TextIO

from docgen.problems import Problem, Result


class Reporter(Protocol):
    def report(self, result: Result, out: TextIO) -> None: ...


class TextReporter:
    """``file:line:col: 错误 DG202 [unknown-unit] message`` per problem."""

    def report(self, result: Result, out: TextIO) -> None:
        for p in result.problems:
            out.write(f"{p.location}: {p.severity.label} {p.code} [{p.name}] {p.message}\n")


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


REPORTERS: dict[str, type] = {"text": TextReporter, "json": JsonReporter, "github": GithubReporter}


def summary(result: Result) -> str:
    """One line for stderr."""
    n_files = len(result.files)
    infos = sum(1 for p in result.problems if p.severity.value == "info")
    if not result.problems:
        return f"检查了 {n_files} 个文件，没有发现问题。"
    if result.clean:
        return f"检查了 {n_files} 个文件，没有发现错误，有 {infos} 条提示。"
    errors = sum(1 for p in result.problems if p.severity.value == "error")
    warnings = len(result.problems) - errors - infos
    files = len({p.location.file for p in result.problems})
    extra = f"，另有 {infos} 条提示" if infos else ""
    return f"检查了 {n_files} 个文件，在 {files} 个文件中发现 {errors} 个错误、{warnings} 个警告{extra}。"

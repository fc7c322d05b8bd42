"""Findings as LSP diagnostics: the client's units (UTF-16 by default), each finding on its own line."""

from __future__ import annotations

from lsprotocol import types
from pygls.workspace.position_codec import PositionCodec

from docgen.lsp import features
from docgen.lsp.server import diagnostics
from docgen.problems import Location, Problem, Severity


def _finding(line: int, start: int, end: int, code: str = "DG404") -> features.Finding:
    problem = Problem(code, "half-width-punctuation", Severity.WARNING, "有半角标点", Location("p.yaml", line + 1, start + 1))
    return features.Finding(line, start, end, problem)


def test_ranges_are_in_the_clients_units_line_by_line():
    # 😀 is one code point, two UTF-16 units: a finding after it starts one unit later for the client.
    text = "标题: 😀测试,\r\n内容: 普通,\n" + "填充: 行\n" * 3000 + "末行: 😀😀,"
    findings = [_finding(0, 7, 8), _finding(1, 6, 7), *(_finding(2 + i, 0, 2) for i in range(3000)),
                _finding(3002, 6, 7)]
    out = diagnostics(PositionCodec(types.PositionEncodingKind.Utf16), text, findings)
    assert len(out) == len(findings)
    assert (out[0].range.start.line, out[0].range.start.character, out[0].range.end.character) == (0, 8, 9)
    assert (out[1].range.start.line, out[1].range.start.character) == (1, 6)
    assert (out[-1].range.start.line, out[-1].range.start.character, out[-1].range.end.character) == (3002, 8, 9)
    assert {d.code for d in out} == {"DG404"} and out[0].severity is types.DiagnosticSeverity.Warning
    utf32 = diagnostics(PositionCodec(types.PositionEncodingKind.Utf32), text, findings[:1])
    assert utf32[0].range.start.character == 7

"""Suppression comments in plan and registry files.

- ``# docgen: disable=DG404`` at the end of a line silences those rules on that line;
- the same comment alone on a line silences them on the next line that has content;
- ``# docgen: disable-file=DG406`` anywhere silences them in the whole file.

Codes, code prefixes and rule names are accepted, separated by commas. A comment naming an unknown
rule, or one that silences nothing, is reported as DG009.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from docgen.codes.syntax import BadSuppression
from docgen.problems import Location, Problem
from docgen.rules import registry

_COMMENT = re.compile(r"#\s*docgen:\s*(disable|disable-file)\s*=\s*([A-Za-z0-9_,\- ]+)")


@dataclass
class Directive:
    codes: set[str]
    loc: Location
    whole_file: bool
    target_line: int
    used: bool = field(default=False)


def _directives(name: str, text: str) -> tuple[list[Directive], list[Problem]]:
    directives: list[Directive] = []
    problems: list[Problem] = []
    if "docgen" not in text:  # no comment can be a directive (most files)
        return directives, problems
    lines = text.split("\n")
    for i, line in enumerate(lines):
        m = _COMMENT.search(line)
        if not m:
            continue
        loc = Location(name, i + 1, m.start() + 1)
        codes: set[str] = set()
        for key in (k.strip() for k in m.group(2).split(",")):
            if not key:
                continue
            try:
                codes.update(r.code for r in registry.matching(key))
            except registry.UnknownRule:
                problems.append(BadSuppression.problem(
                    f"忽略注释中的“{key}”不是规则代码或名称。可用的规则见 `docgen rules`。", loc))
        own_line = line[: m.start()].strip() == ""
        target = i + 1
        if own_line:
            target = next((j + 1 for j in range(i + 1, len(lines))
                           if lines[j].strip() and not lines[j].lstrip().startswith("#")), i + 1)
        directives.append(Directive(codes, loc, m.group(1) == "disable-file", target))
    return directives, problems


def apply(problems: list[Problem], texts: dict[str, str]) -> list[Problem]:
    """`problems` without those silenced by comments, plus DG009 for bad or unused comments.

    `texts` maps a file's display name to its text.
    """
    kept: list[Problem] = []
    extra: list[Problem] = []
    by_file: dict[str, list[Directive]] = {}
    for name, text in texts.items():
        directives, bad = _directives(name, text)
        by_file[name] = directives
        extra.extend(bad)
    for problem in problems:
        silenced = False
        for d in by_file.get(problem.location.file, ()):
            if problem.code in d.codes and (d.whole_file or d.target_line == problem.location.line):
                d.used = True
                silenced = True
        if not silenced:
            kept.append(problem)
    for directives in by_file.values():
        for d in directives:
            if d.codes and not d.used:
                names = "、".join(sorted(d.codes))
                extra.append(BadSuppression.problem(
                    f"忽略注释（{names}）没有忽略任何问题。问题已经改正时，请删除这条注释。", d.loc))
    return kept + extra

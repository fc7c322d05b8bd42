"""The one lint runner: rules over a loaded context, then suppressions, selection and severity.

Every job that checks plans (check, render, cascade, notify, report…) goes through `run`, so a
plan that `docgen check` accepts is accepted everywhere, with the same suppression comments,
`select`/`ignore` and severity overrides of the nearest ``[tool.docgen]``.
"""

from __future__ import annotations

from collections.abc import Iterable

from docgen import suppress
from docgen.config import Settings
from docgen.context import CheckContext
from docgen.problems import Problem, Severity
from docgen.rules import registry as rules


def selected(settings: Settings, *, without: Iterable[str] = ()) -> set[str]:
    """The codes in force for `settings` (raises `rules.UnknownRule`), minus `without`."""
    return rules.selected_codes(settings.select, settings.ignore) - set(without)


def run(ctx: CheckContext, settings: Settings, *, stage_problems: Iterable[Problem] = (),
        texts: dict[str, str] | None = None, without: Iterable[str] = (),
        blocking: Iterable[Problem] = ()) -> list[Problem]:
    """Lint `ctx` and return every finding in force, sorted and unique.

    `stage_problems` are the findings of the load and schema stages (they go through the same
    suppression and selection); `texts` maps each display name to the file's text, for
    suppression comments; `without` drops codes a job must not report (cascade: DG504).
    `blocking` are the stage findings that made a file unusable (it could not be read, or it does
    not have the shape docgen needs): they are always reported, as errors, whatever `ignore`,
    `select`, severity overrides or suppression comments say, so that a file docgen cannot use
    never passes the checks (and a command never meets a plan that is not there).
    """
    codes = selected(settings, without=without)
    problems = list(stage_problems)
    for rule in rules.lint_rules(codes):
        problems.extend(rule.check(ctx))
    problems = suppress.apply(problems, texts or {})
    problems = [p.with_severity(settings.severity.get(p.code, p.severity)) for p in problems if p.code in codes]
    blocking = {p.with_severity(Severity.ERROR) for p in blocking}
    same = {(p.code, p.location, p.message) for p in blocking}
    problems = [p for p in problems if (p.code, p.location, p.message) not in same] + list(blocking)
    return sorted(set(problems), key=Problem.sort_key)

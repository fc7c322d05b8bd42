"""The one error hierarchy: every failure a user can fix is a `DocgenError`.

Stages and jobs raise these; the CLI alone maps them to exit codes (`exit_code`) and prints them.
Anything else that escapes is a bug (exit 3, "内部错误").

- `FindingsError`  the input has findings (check errors): nothing was written (exit 1)
- `UsageError`     options or arguments cannot be used as given (exit 2)
- `ConfigError`    ``[tool.docgen]`` is wrong, a configured path is missing, or none was found (exit 2)
- `InputError`     an input file or revision cannot be read (exit 2)
- `OutputError`    an output file or folder cannot be written (exit 2)
- `ToolError`      a template or LibreOffice fails (exit 2)

Stages raise their own subclasses, so that a job or the CLI may handle them by kind while anything
that escapes still exits as it should: `compose.ComposeError` and `compose.bulletin.BulletinComposeError`
(text that cannot go into a document) and `cascade.derive.DeriveError` (a child that cannot be
derived) are `FindingsError`s (exit 1); `gitutil.GitError` (a revision or repository that cannot be
read) and `untrusted.Unreadable` / `untrusted.LimitExceeded` (an untrusted file that is broken or
over a limit) are `InputError`s (exit 2).

Each carries one Chinese `message` a drafting office can act on, optionally a `location`, and
the `problems` (findings) that explain it.
"""

from __future__ import annotations

from collections.abc import Iterable

from docgen.problems import Location, Problem


class DocgenError(Exception):
    """A failure the user must fix before docgen can go on."""

    exit_code = 2

    def __init__(self, message: str = "", location: Location | str | None = None,
                 problems: Iterable[Problem] = ()):
        self.problems = list(problems)
        self.message = message or "；".join(p.message for p in self.problems)
        self.location = location
        super().__init__(self.message)

    def __str__(self) -> str:
        return f"{self.location}: {self.message}" if self.location else self.message


class FindingsError(DocgenError):
    """The input has findings that stop the job; `problems` lists them. Nothing was written."""

    exit_code = 1


class UsageError(DocgenError):
    """Options or arguments that cannot be used as given (a registry where a plan is wanted…)."""


class ConfigError(DocgenError):
    """The configuration is wrong, names a path that does not exist, or none was found."""


class InputError(DocgenError):
    """An input file, folder or revision cannot be read."""


class OutputError(DocgenError):
    """An output file or folder cannot be written; the message names it and says what to do."""


class ToolError(DocgenError):
    """A template or LibreOffice failed; the message says what to install or change."""

"""Why rendering stopped: one Chinese sentence a drafting office can act on, and where."""

from __future__ import annotations

from docgen.problems import Location


class RenderError(Exception):
    """A failure outside the plan's text: a template, the output folder, LibreOffice.

    The CLI prints ``location: message`` (or the message alone) and exits 2.
    """

    def __init__(self, message: str, location: Location | str | None = None):
        super().__init__(message)
        self.message = message
        self.location = location

    def __str__(self) -> str:
        return f"{self.location}: {self.message}" if self.location else self.message

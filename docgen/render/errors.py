"""Why writing stopped outside the plan's text: a template or LibreOffice (`ToolError`)."""

from __future__ import annotations

from docgen.errors import ToolError

#: Kept as the writer's name for `ToolError`.
RenderError = ToolError

__all__ = ["RenderError"]

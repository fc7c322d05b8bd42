"""Render stage: plans → official documents (.docx through a Word template, PDF through LibreOffice).

The only package that imports python-docx and docxtpl. `render` runs the whole pipeline;
`docx.write` fills one composed document into a template; `pdf.convert` makes PDFs.
"""

from docgen.render.errors import RenderError
from docgen.render.pipeline import PlanErrors, Rendered, render, render_plans

__all__ = ["PlanErrors", "RenderError", "Rendered", "render", "render_plans"]

"""Write stage: composed documents -> .docx (through the Word template) and PDF (through LibreOffice).

The only package that imports python-docx and docxtpl for writing. `docx.DocxWriter` fills a
composed document into a template; `pdf.convert` makes PDFs. The jobs that run it live in
`docgen.jobs`.
"""

from docgen.render.errors import RenderError

__all__ = ["RenderError"]

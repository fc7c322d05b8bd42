"""Compose stage: a checked plan and the registry → a document-neutral tree (`tree.Document`).

Numbering (一、（一）1.（1）, tasks counted across the document), sentences built from the plan's
parts, 责任单位 and 完成时限 lines, 附件说明, signature, 版记 and attachment tables. No layout.
"""

from docgen.compose.composer import ComposeError, compose

__all__ = ["ComposeError", "compose"]

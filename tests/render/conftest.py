"""Fixtures of the rendering tests: every kind of printed document rendered (with PDFs) once per
session (`gallery`), and the example plans among them with their checked plans (`examples`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from docgen.checked import prepare
from docgen.config import load_settings
from docgen.model import Plan
from docgen.render.measure import Page

from .gallery import EXAMPLES, ROOT, Printed, build

__all__ = ["EXAMPLES", "ROOT"]


@dataclass
class Example:
    name: str
    plan: Plan
    docx: Path
    pdf: Path
    pages: list[Page]


@pytest.fixture(scope="session")
def gallery(tmp_path_factory) -> dict[str, Printed]:
    """Every kind of document, made as its command makes it, PDFs measured."""
    return build(tmp_path_factory.mktemp("gallery"))


@pytest.fixture(scope="session")
def examples(gallery) -> dict[str, Example]:
    """The example plans of plans/, built like `docgen build` does, PDFs measured."""
    ctx, _ = prepare([ROOT / "plans"], load_settings(ROOT), ROOT)
    plans = {p.path.resolve().relative_to((ROOT / "plans").resolve()).with_suffix("").as_posix(): p
             for p in ctx.plans}
    return {name: Example(name, plans[name], gallery[name].docx, gallery[name].pdf, gallery[name].pages)
            for name in EXAMPLES}

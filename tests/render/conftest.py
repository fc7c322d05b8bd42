"""Fixtures of the rendering tests: the example plans rendered (with PDFs) once per session."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from docgen.jobs.check import prepare
from docgen.config import load_settings
from docgen.model import Plan
from docgen.jobs.render import render
from docgen.render.measure import Page, pages

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ("city/three-year-plan", "city/work-points-2025", "donghu/three-year-plan")


@dataclass
class Example:
    name: str
    plan: Plan
    docx: Path
    pdf: Path
    pages: list[Page]


@pytest.fixture(scope="session")
def examples(tmp_path_factory) -> dict[str, Example]:
    """The example plans of plans/, built like `docgen build` does, PDFs measured."""
    out = tmp_path_factory.mktemp("build")
    settings = load_settings(ROOT)
    rendered = render([ROOT / "plans"], settings, out, pdf=True, base=ROOT, keep_folders=True)
    built = {f.relative_to(out).with_suffix("").as_posix() for f in rendered.files}
    assert set(EXAMPLES) <= built and len(rendered.files) == 2 * len(built), rendered.files
    ctx, _ = prepare([ROOT / "plans"], settings, ROOT)
    plans = {p.path.resolve().relative_to((ROOT / "plans").resolve()).with_suffix("").as_posix(): p
             for p in ctx.plans}
    return {name: Example(name, plans[name], out / f"{name}.docx", out / f"{name}.pdf", pages(out / f"{name}.pdf"))
            for name in EXAMPLES}

"""`pip install docgen` (what the pre-commit hook installs) is light: check needs no document libraries.

The heavy libraries are extras (`docgen[documents]`, `docgen[lsp]`, `docgen[all]`); `make install`
installs them all. A command that needs one on a light install says what to install, exit 2.
"""

from __future__ import annotations

import subprocess
import sys
import tomllib

from conftest import ROOT

HEAVY = ("matplotlib", "jieba", "pdfplumber", "docx", "docxtpl", "openpyxl", "xlsxwriter", "pypdf", "pygls",
         "jinja2", "olefile", "defusedxml", "starlette", "uvicorn", "psycopg", "segno", "multipart")


def _without_heavy(*args: str) -> subprocess.CompletedProcess[str]:
    """Run docgen with the heavy libraries made unimportable, as on a light install."""
    blocker = "import sys\n" + "".join(f"sys.modules[{name!r}] = None\n" for name in HEAVY) + (
        "from docgen.cli import main\nsys.argv = ['docgen', *sys.argv[1:]]\nmain()\n")
    return subprocess.run([sys.executable, "-c", blocker, *args], cwd=ROOT, capture_output=True, text=True,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}, timeout=300)


def test_core_dependencies_leave_out_pdf_charts_and_word_segmentation():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    core = {d.split(">")[0].split("=")[0].lower() for d in project["dependencies"]}
    assert not core & {"matplotlib", "jieba", "pdfplumber", "python-docx", "docxtpl", "pypdf", "pygls", "openpyxl"}
    extras = project["optional-dependencies"]
    assert {"documents", "lsp", "all"} <= set(extras)
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "-e '.[all,test]'" in makefile  # make demo and make test still install everything
    install = makefile[makefile.index("$(VENV)/.installed: pyproject.toml"):makefile.index("python-venv:")]
    assert "安装 docgen 及其全部依赖" in install  # make demo says what it installs, and pip shows each package
    assert "--quiet -e" not in install


def test_check_runs_without_the_heavy_libraries():
    result = _without_heavy("check", "plans/")
    assert result.returncode == 0, result.stderr
    assert "没有发现问题" in result.stderr


def test_a_command_that_needs_an_extra_says_what_to_install():
    result = _without_heavy("render", "plans/city/work-points-2025.yaml", "-o", "/tmp/docgen-light-render")
    assert result.returncode == 2, result.stderr
    assert "pip install 'docgen[all]'" in result.stderr and "Traceback" not in result.stderr

"""The layers of the package, as README's 为贡献者：代码结构 draws them, held against the code's imports.

Every import counts, those inside functions too (a lazy import is still an arrow): no module
imports a job, the command line or the language server from below; the ground floor (wording,
textchars, numbering) imports nothing of docgen; no two modules import each other in a loop;
jobs find composers through `compose.kinds` and keep no module-level mutable state.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import docgen

PACKAGE = Path(docgen.__file__).parent
#: The top: what orchestrates (jobs), what a user or an editor talks to.
TOP = ("docgen.jobs", "docgen.cli", "docgen.lsp")
GROUND = ("docgen.wording", "docgen.textchars", "docgen.numbering")


def _module(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """The docgen modules `path` imports, anywhere in it (`from docgen.x import y` counts as docgen.x.y
    when docgen/x/y.py is a module, else as docgen.x)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                sub = f"{node.module}.{alias.name}"
                found.add(sub if sub in MODULES else node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
    return {m for m in found if m.startswith("docgen.") and m in MODULES}


MODULES = {_module(p): p for p in sorted(PACKAGE.rglob("*.py"))}
GRAPH = {name: _imports(path) - {name} for name, path in MODULES.items()}


def _within(module: str, prefixes) -> bool:
    return any(module == p or module.startswith(p + ".") for p in prefixes)


def test_nothing_below_imports_a_job_the_command_line_or_the_language_server():
    upward = {(m, i) for m, imported in GRAPH.items() if not _within(m, TOP)
              for i in imported if _within(i, TOP)}
    assert not upward


def test_the_stages_below_compose_never_import_it():
    """Numbers and widths are on the ground floor: the model, diff, the ledger and import use them there."""
    allowed = ("docgen.compose", "docgen.render", *TOP)
    users = {(m, i) for m, imported in GRAPH.items() if not _within(m, allowed)
             for i in imported if _within(i, ("docgen.compose",))}
    assert not users


def test_the_ground_floor_imports_nothing_of_docgen():
    for name in GROUND:
        assert not GRAPH[name], name
        loaded = subprocess.run([sys.executable, "-c", f"import sys, {name}; print(*sorted(sys.modules))"],
                                capture_output=True, text=True, check=True).stdout.split()
        assert [m for m in loaded if m.startswith("docgen")] == ["docgen", name]


def test_no_two_modules_import_each_other_in_a_loop():
    # Tarjan's strongly connected components over every import, lazy ones included.
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    loops: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in GRAPH[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                loops.append(sorted(component))

    for node in sorted(GRAPH):
        if node not in index:
            visit(node)
    assert not loops


JOBS = sorted((PACKAGE / "jobs").glob("*.py"))


@pytest.mark.parametrize("path", JOBS, ids=lambda p: p.name)
def test_jobs_find_composers_through_kinds(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    named = [a.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
             and (node.module or "").startswith("docgen.compose") for a in node.names]
    assert not [n for n in named if n.startswith("compose")], named


_MUTABLE = (ast.Dict, ast.List, ast.Set, ast.DictComp, ast.ListComp, ast.SetComp)


@pytest.mark.parametrize("path", JOBS, ids=lambda p: p.name)
def test_jobs_keep_no_module_level_mutable_state(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in tree.body:
        value = node.value if isinstance(node, (ast.Assign, ast.AnnAssign)) else None
        if value is None:
            continue
        mutable = isinstance(value, _MUTABLE) or (
            isinstance(value, ast.Call) and isinstance(value.func, ast.Name)
            and value.func.id in ("dict", "list", "set", "defaultdict", "OrderedDict", "bytearray"))
        assert not mutable, f"{path.name}:{node.lineno}"
    assert "global " not in path.read_text(encoding="utf-8")

"""The server's cache: the registry and parent plans are read again only when their files change."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from docgen import load
from docgen.checked import SourceCache
from docgen.lsp import features
from docgen.registry import Registry

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "plans", tmp_path / "plans")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


@pytest.fixture
def reads(monkeypatch) -> list[str]:
    """The names of the files the load stage reads from disk, and "registry built" for each build."""
    out: list[str] = []
    real_load, real_build = load.load, Registry.build.__func__

    def counted_load(path, name, kind=None, lenient=False):
        out.append(name)
        return real_load(path, name, kind, lenient)

    def counted_build(cls, sources):
        out.append("registry built")
        return real_build(cls, sources)

    monkeypatch.setattr(load, "load", counted_load)
    monkeypatch.setattr(Registry, "build", classmethod(counted_build))
    return out


def _shown(checked: features.Checked) -> list[tuple[str, int, int, str]]:
    return [(f.problem.code, f.line, f.start, f.problem.message) for f in checked.findings]


def _edit(path: Path, old: str, new: str) -> None:
    """Rewrite `path` with `old` replaced (same length: only the modification time tells the change)."""
    before = path.stat()
    text = path.read_text(encoding="utf-8")
    assert old in text and len(old.encode()) == len(new.encode())
    path.write_text(text.replace(old, new), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns + 1_000_000_000))
    assert path.stat().st_size == before.st_size


def test_a_second_check_of_the_buffer_reads_no_file_again(project: Path, reads: list[str]):
    plan = project / "plans" / "donghu" / "three-year-plan.yaml"
    text = plan.read_text(encoding="utf-8").replace("牵头: 街道安委办\n", "牵头: 街道安委办公\n", 1)
    cache = SourceCache()
    first = features.check_text(plan, text, cache)
    assert "registry built" in reads
    assert "plans/registry/donghu.yaml" in reads and "plans/city/three-year-plan.yaml" in reads  # its 上级方案
    reads.clear()
    second = features.check_text(plan, text + "\n", cache)
    assert reads == []  # neither the registry nor the parent plan read or built again
    assert _shown(second) == _shown(first) == _shown(features.check_text(plan, text))
    assert any(f.problem.code == "DG202" and "“街道安委办公”" in f.problem.message for f in second.findings)


def test_an_edited_registry_is_read_again(project: Path, reads: list[str]):
    plan = project / "plans" / "donghu" / "three-year-plan.yaml"
    registry = project / "plans" / "registry" / "donghu.yaml"
    text = plan.read_text(encoding="utf-8")
    cache = SourceCache()
    assert features.check_text(plan, text, cache).findings == []

    _edit(registry, "环保站", "环保所")  # the unit the plan names under 配合 is gone
    reads.clear()
    [finding] = features.check_text(plan, text, cache).findings
    assert reads.count("plans/registry/donghu.yaml") == 1 and "plans/registry/beishan.yaml" not in reads
    assert finding.problem.code == "DG202" and "“环保站”" in finding.problem.message
    assert "环保所" in finding.problem.message

    _edit(registry, "环保所", "环保站")  # registered again
    assert features.check_text(plan, text, cache).findings == []


def test_an_edited_parent_plan_is_read_again(project: Path):
    plan = project / "plans" / "donghu" / "three-year-plan.yaml"
    parent = project / "plans" / "city" / "three-year-plan.yaml"
    text = plan.read_text(encoding="utf-8")
    cache = SourceCache()
    assert features.check_text(plan, text, cache).findings == []
    _edit(parent, "编号: T01\n", "编号: T91\n")
    after = features.check_text(plan, text, cache)
    assert _shown(after) == _shown(features.check_text(plan, text))
    assert after.findings and all("T01" in f.problem.message for f in after.findings)


def test_cached_checks_find_what_uncached_ones_do(project: Path):
    """Every example file, checked twice through one cache, as the server does, and once without."""
    cache = SourceCache()
    files = sorted((project / "plans").rglob("*.yaml"))
    assert len(files) > 10
    for path in files + files:
        text = path.read_text(encoding="utf-8")
        assert _shown(features.check_text(path, text, cache)) == _shown(features.check_text(path, text)), path


def test_an_unsaved_registry_buffer_is_never_kept(project: Path):
    plan = project / "plans" / "donghu" / "three-year-plan.yaml"
    registry = project / "plans" / "registry" / "donghu.yaml"
    cache = SourceCache()
    assert features.check_text(plan, plan.read_text(encoding="utf-8"), cache).findings == []
    unsaved = registry.read_text(encoding="utf-8").replace("- 名称: 环保站", "- 名称: 自然资源所", 1)
    edited = features.check_text(registry, unsaved, cache)
    assert edited.findings and _shown(edited) == _shown(features.check_text(registry, unsaved))
    assert edited.ctx.registry.resolve(edited.ctx.registry.orgs["东湖街道"], "环保站") is None
    # the plan is still checked against the registry on disk, where 环保站 is registered
    assert features.check_text(plan, plan.read_text(encoding="utf-8"), cache).findings == []


def test_an_edited_configuration_is_read_again(project: Path):
    """The server lives long: `[tool.docgen]` edited on disk (here `ignore`) holds for the next check."""
    plan = project / "plans" / "city" / "work-points-2025.yaml"
    text = plan.read_text(encoding="utf-8").replace("研究同意，", "研究同意,")
    cache = SourceCache()
    assert "DG404" in [c for c, *_ in _shown(features.check_text(plan, text, cache))]
    config = project / "pyproject.toml"
    before = config.stat()
    config.write_text(config.read_text(encoding="utf-8").replace("[tool.docgen]\n", "[tool.docgen]\nignore = [\"DG404\"]\n", 1),
                      encoding="utf-8")
    os.utime(config, ns=(before.st_atime_ns, before.st_mtime_ns + 1_000_000_000))
    assert "DG404" not in [c for c, *_ in _shown(features.check_text(plan, text, cache))]

"""The two sides of a diff: two plan files, or every changed plan between two git revisions.

Both sides go through the check pipeline's load, schema and model stages (`check.prepare`), so a
revision that cannot be read is refused with the same findings `docgen check` gives. Lint findings
(unknown units, late deadlines…) do not stop a diff: revisions under review are often drafts.
Blobs from git are written to a temporary folder under their repository paths, so the names in
findings and in the diff are the paths the reviewer knows.
"""

from __future__ import annotations

import dataclasses
import tempfile
from pathlib import Path

from docgen import load as loader
from docgen import schema
from docgen.checked import YAML_SUFFIXES, prepare
from docgen.config import Settings
from docgen.diff.result import DiffError, DiffResult, FileDiff
from docgen.gitutil import WORKTREE, Git, GitError
from docgen.model import Plan
from docgen.problems import Location, Problem, Severity, display_path
from docgen.registry import Registry

#: How the working tree is named as a revision.
WORKTREE_LABEL = "工作区"


def _loading(settings: Settings) -> Settings:
    """Settings that run only the load and schema stages (DG0xx) and need no registry."""
    return dataclasses.replace(settings, registry=[], select=["DG0"], ignore=[], severity={})


def _relabel(problem: Problem, label: str | None) -> Problem:
    if not label:
        return problem
    return dataclasses.replace(problem, location=Location(f"{label}:{problem.location.file}",
                                                          problem.location.line, problem.location.column))


def load_files(files: list[Path], base: Path, settings: Settings, label: str | None = None) -> dict[Path, Plan | None]:
    """Each file as a plan, or None if it is valid YAML of another kind (a unit registry).

    Raises `DiffError` with the findings when a file cannot be read as a plan; `label` (a revision)
    is put in front of the file names in those findings.
    """
    ctx, result = prepare(files, _loading(settings), base)
    plans = {plan.path.resolve(): plan for plan in ctx.plans}
    for bulletin in ctx.bulletins:  # a 通报 or 挂牌督办通知 is compared as the document it is (its data aside)
        plans[bulletin.source.path.resolve()] = Plan.from_source(bulletin.source, ctx.registry)
    loaded: dict[Path, Plan | None] = {}
    for path in files:
        name = display_path(path, base)
        errors = [p for p in result.problems if p.location.file == name and p.severity is Severity.ERROR]
        plan = plans.get(path.resolve())
        if plan is None and not errors:
            plan = _registry(path, name)
        if errors:  # a duplicate key or a schema error: the plan is not whole (even if the rest was linted)
            shown = f"{label}:{name}" if label else name
            raise DiffError(f"无法比较：{shown} 有 {len(errors)} 处错误，请先改正（docgen check 可逐条查看）。",
                            [_relabel(p, label) for p in errors])
        loaded[path] = plan
    return loaded


def _registry(path: Path, name: str) -> Registry | None:
    """The file as a unit registry, when it is one (compared unit by unit: `docgen.diff.registry`)."""
    source, problems = loader.load(path, name)
    if source is None or source.kind != "registry" or problems or schema.validate(source):
        return None
    return Registry.build([source])


def load_blobs(blobs: dict[str, bytes], settings: Settings, label: str | None = None) -> dict[str, Plan | None]:
    """Like `load_files`, for contents given by repository path (written to a temporary folder)."""
    if not blobs:
        return {}
    with tempfile.TemporaryDirectory(prefix="docgen-diff-") as tmp:
        base = Path(tmp)
        paths: dict[str, Path] = {}
        for rel, data in blobs.items():
            paths[rel] = base / rel
            paths[rel].parent.mkdir(parents=True, exist_ok=True)
            paths[rel].write_bytes(data)
        loaded = load_files(list(paths.values()), base, settings, label)
        return {rel: loaded[path] for rel, path in paths.items()}


# -- two files --------------------------------------------------------------------------------------


def compare_files(old: Path, new: Path, settings: Settings, base: Path) -> DiffResult:
    """`docgen diff OLD NEW`: both must be plan files."""
    names = [display_path(old, base), display_path(new, base)]
    loaded = load_files([old, new], base, settings)
    for path, name in zip((old, new), names):
        if loaded[path] is None:
            raise DiffError(f"“{name}”不是方案或单位库文件（方案文件顶层有“文种”，单位库有“组织”），无法比较。")
    if isinstance(loaded[old], Registry) != isinstance(loaded[new], Registry):
        raise DiffError(f"“{names[0]}”和“{names[1]}”一个是方案、一个是单位库，无法比较。")
    return DiffResult(names[0], names[1], [FileDiff.build(names[0], names[1], loaded[old], loaded[new], names[1])])


# -- git revisions -----------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Revisions:
    """What to compare: commit `old` against commit `new` (None: the working tree), with labels."""

    old: str
    new: str | None
    old_label: str
    new_label: str


def resolve_revisions(git: Git, revs: list[str]) -> Revisions:
    """REV (against the working tree), REV REV2, REV..REV2, or REV...REV2 (from their merge base)."""
    def commit(rev: str) -> str:
        sha = git.resolve(rev)
        if sha is None:
            raise DiffError(f"“{rev}”不是这个仓库中的版本（提交、分支或标签）。可用 git log --oneline 查看。")
        return sha

    if len(revs) > 2:
        raise DiffError(f"最多比较两个版本，现在给了 {len(revs)} 个：{'、'.join(revs)}。文件路径请写在 -- 之后。")
    if not revs:
        return Revisions(commit("HEAD"), WORKTREE, "HEAD", WORKTREE_LABEL)
    if len(revs) == 1:
        for sep in ("...", ".."):
            if sep in revs[0]:
                a, b = (part or "HEAD" for part in revs[0].split(sep, 1))
                old = git.merge_base(commit(a), commit(b)) if sep == "..." else commit(a)
                return Revisions(old, commit(b), a, b)
        return Revisions(commit(revs[0]), WORKTREE, revs[0], WORKTREE_LABEL)
    return Revisions(commit(revs[0]), commit(revs[1]), revs[0], revs[1])


def split_arguments(git: Git, args: list[str], cwd: Path) -> tuple[list[str], list[str]]:
    """Without ``--``: leading arguments that name commits are revisions, the rest paths (as git does)."""
    revs: list[str] = []
    for i, arg in enumerate(args):
        is_range = ".." in arg and not (cwd / arg).exists()  # ../plan.yaml is a path
        if len(revs) < 2 and (is_range or git.resolve(arg)):
            revs.append(arg)
            continue
        rest = args[i:]
        for path in rest:
            rel = git.relative(cwd / path)
            if not (cwd / path).exists() and not (rel and git.exists("HEAD", rel)):
                raise DiffError(f"“{path}”既不是文件，也不是这个仓库中的版本（提交、分支或标签）。")
        return revs, rest
    return revs, []


def _pathspecs(git: Git, revisions: Revisions, paths: list[str], cwd: Path, settings: Settings) -> tuple[list[str], set[str]]:
    """Pathspecs relative to the top of the repository, and the explicitly named files among them."""
    if not paths:
        scope = [rel for p in settings.paths if (rel := git.relative(p))]
        return [f":(literal){rel}" for rel in scope] or ["."], set()
    specs: list[str] = []
    files: set[str] = set()
    for path in paths:
        rel = git.relative(cwd / path)
        if rel is None:
            raise DiffError(f"“{path}”不在仓库 {git.root} 中。")
        in_worktree = (git.root / rel).exists()
        in_revisions = git.exists(revisions.old, rel) or (revisions.new is not WORKTREE and git.exists(revisions.new, rel))
        if not in_worktree and not in_revisions:
            raise DiffError(f"“{path}”在{revisions.old_label}和{revisions.new_label}中都不存在。")
        if (git.root / rel).is_file() or (not in_worktree and Path(rel).suffix):
            if Path(rel).suffix not in YAML_SUFFIXES:
                raise DiffError(f"“{path}”不是方案文件（方案文件是 .yaml 文件），无法比较。")
            files.add(rel)
        specs.append(f":(literal){rel}")
    return specs, files


def compare_revisions(args: list[str], paths_after: list[str] | None, cwd: Path, settings: Settings) -> DiffResult:
    """`docgen diff REV [REV2] [-- PATH...]`: every plan that changed between the revisions."""
    try:
        git = Git.at(cwd)
        if paths_after is None:
            revs, paths = split_arguments(git, args, cwd)
        else:
            revs, paths = args, paths_after
        revisions = resolve_revisions(git, revs)
        specs, named = _pathspecs(git, revisions, paths, cwd, settings)
        changed = [c for c in git.changed(revisions.old, revisions.new, specs)
                   if any(p and Path(p).suffix in YAML_SUFFIXES for p in (c.old_path, c.new_path))]
        old = load_blobs({c.old_path: git.show(revisions.old, c.old_path) for c in changed if c.old_path},
                         settings, revisions.old_label)
        new = load_blobs({c.new_path: _new_blob(git, revisions, c.new_path) for c in changed if c.new_path},
                         settings, None if revisions.new is WORKTREE else revisions.new_label)
        _require_plans(git, revisions, named - {p for c in changed for p in (c.old_path, c.new_path)}, settings)
    except GitError as exc:
        raise DiffError(str(exc)) from None
    result = DiffResult(revisions.old_label, revisions.new_label)
    result.old_title = reviewer_name(git, revisions.old)
    result.new_title = reviewer_name(git, revisions.new)
    for change in changed:
        old_plan = old.get(change.old_path) if change.old_path else None
        new_plan = new.get(change.new_path) if change.new_path else None
        if old_plan is None and new_plan is None:
            if named & {change.old_path, change.new_path}:
                raise DiffError(f"“{change.new_path or change.old_path}”不是方案或单位库文件，无法比较。")
            continue  # other YAML: neither a plan nor a registry
        result.files.append(FileDiff.build(
            _name(revisions.old_label, change.old_path) if old_plan else None,
            _name(None if revisions.new is WORKTREE else revisions.new_label, change.new_path) if new_plan else None,
            old_plan, new_plan, change.new_path or change.old_path or ""))
    return result


def reviewer_name(git: Git, commit: str | None) -> str:
    """A revision as a reviewer knows it: its tag (“送审稿”, “v1.2”), else the day it was committed
    (“2025年3月5日稿”); the working tree is “修改稿”."""
    if commit is None or commit is WORKTREE:
        return "修改稿（未提交）"
    tags = git.run("tag", "--points-at", commit, check=False).stdout.decode("utf-8", "replace").split()
    if tags:
        return "、".join(sorted(tags))
    day = git.run("log", "-1", "--format=%cs", commit, check=False).stdout.decode().strip()
    if day:
        year, month, date = (int(part) for part in day.split("-"))
        return f"{year}年{month}月{date}日稿"
    return commit[:7]


def _require_plans(git: Git, revisions: Revisions, paths: set[str], settings: Settings) -> None:
    """Files named on the command line that did not change must still be plans (else: a wrong path)."""
    for path in sorted(paths):
        in_new = (git.root / path).is_file() if revisions.new is WORKTREE else git.exists(revisions.new, path)
        data = _new_blob(git, revisions, path) if in_new else git.show(revisions.old, path)
        if load_blobs({path: data}, settings, revisions.new_label if in_new else revisions.old_label)[path] is None:
            raise DiffError(f"“{path}”不是方案或单位库文件（方案文件顶层有“文种”，单位库有“组织”），无法比较。")


def _new_blob(git: Git, revisions: Revisions, path: str) -> bytes:
    if revisions.new is WORKTREE:
        return (git.root / path).read_bytes()
    return git.show(revisions.new, path)


def _name(label: str | None, path: str | None) -> str:
    return f"{label}:{path}" if label else str(path)


def compare(args: list[str], paths_after: list[str] | None, cwd: Path, settings: Settings) -> DiffResult:
    """`docgen diff`'s arguments: two existing files, else git revisions and paths."""
    if paths_after is None and len(args) == 2 and all((cwd / a).exists() and not (cwd / a).is_dir() for a in args):
        # (a device or a pipe given as a file is refused by the loader, not taken for a revision)
        return compare_files(cwd / args[0], cwd / args[1], settings, cwd)
    return compare_revisions(args, paths_after, cwd, settings)


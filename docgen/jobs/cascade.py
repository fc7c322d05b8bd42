"""The cascade job: parent plan -> child plans for sub-organisations, through as many levels as asked.

`cascade()` reads top to bottom: check the parent -> choose the organisations -> derive (or
re-derive and merge) each child, parents before children -> check every child -> write them all.
Children are built and checked in memory (schema, model, the one lint runner) and their YAML is
written once; only a child that has findings is read back from its text, to locate them exactly.
Nothing is written unless every child was derived and passes the checks.
"""

from __future__ import annotations

import difflib
import gc
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from docgen import lint, schema
from docgen.cascade.derive import DeriveError, Options, derive, version_of
from docgen.cascade.merge import Conflict, merge
from docgen.cascade.targets import SplitError
from docgen.cascade.yamltext import dump_edited, dump_new, read_for_edit
from docgen.checked import paused_gc, prepare_plans
from docgen.config import Settings
from docgen.context import CheckContext, ParentLookup
from docgen.errors import UsageError
from docgen.files import atomic_write_all, output_folder
from docgen.jobs.needs import organisation, require_plan
from docgen.load import from_data, load, load_text
from docgen.model import Plan
from docgen.outfolder import FolderLock
from docgen.problems import Location, Problem, display_path
from docgen.registry import FUNCTIONAL, LEVELS, Organisation, Registry, folder_name
from docgen.resources import schema_path
from docgen.rules.cascade import CascadeFailed, ParentFigureCopied

BASE_DIR = ".docgen"
#: Warnings about what the derivation did, shown with the children written (a draft's other
#: warnings, such as DG409 "no 发文字号 yet", are for `docgen check` once the drafter is done).
SHOWN_WARNINGS = frozenset({ParentFigureCopied.code})




@dataclass
class Child:
    """One child plan to write."""

    org: Organisation
    path: Path
    text: str
    base_text: str  # the parent's text it was derived from: kept for the next re-cascade
    plan: Plan | None = None
    merged: bool = False
    conflicts: list[tuple[Conflict, int]] = field(default_factory=list)


@dataclass
class Outcome:
    children: list[Child] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    #: Warnings on the children written (a parent's figure copied into a child's text…), located there.
    warnings: list[Problem] = field(default_factory=list)
    written: bool = False
    #: The documents rendered from the children (with `render_to`).
    rendered: list[Path] = field(default_factory=list)

    @property
    def conflicts(self) -> list[tuple[Child, Conflict, int]]:
        return [(c, conflict, line) for c in self.children for conflict, line in c.conflicts]


def base_path(child_path: Path) -> Path:
    """Where the parent's text a child was derived from is kept (for three-way merges)."""
    return child_path.parent / BASE_DIR / f"{child_path.stem}.parent.yaml"


def choose(registry: Registry, root: Organisation, to: list[str], to_level: str | None) -> list[Organisation]:
    """The organisations to write plans for, parents before children (intermediate levels included)."""
    if to_level is not None:
        if to_level not in LEVELS + FUNCTIONAL:
            raise UsageError(f"层级“{to_level}”不存在。可用的层级：{'、'.join(LEVELS + FUNCTIONAL)}。")
        if to_level in LEVELS and LEVELS.index(to_level) - 1 <= root.rank:
            raise UsageError(f"层级“{to_level}”不低于上级方案所属“{root.name}”的层级“{root.level}”。")
        wanted = [o for o in registry.descendants(root) if o.level == to_level]
        if not wanted:
            raise UsageError(f"单位库中“{root.name}”以下没有“{to_level}”一级的组织。")
    elif to:
        below = {o.name: o for o in registry.descendants(root)}
        wanted = []
        for name in to:
            if name not in below:
                close = difflib.get_close_matches(name, list(below), n=3, cutoff=0.4)
                hint = ("您是否想写：" + "、".join(f"“{c}”" for c in close) + "？") if close else ""
                raise UsageError(f"“{name}”不是单位库中“{root.name}”的下级组织。{hint}")
            wanted.append(below[name])
    else:
        wanted = list(root.children)
        if not wanted:
            raise UsageError(f"单位库中“{root.name}”没有下级组织。")
    chosen: list[Organisation] = []
    seen: set[int] = set()  # ids of `chosen`: a list membership test made this quadratic
    for org in wanted:
        chain = []
        current = org
        while current is not root:
            chain.append(current)
            current = registry.orgs[current.parent]
        for link in reversed(chain):
            if id(link) not in seen:
                seen.add(id(link))
                chosen.append(link)
    return sorted(chosen, key=lambda o: o.rank)  # stable: parents before children


def _header(child: Organisation, parent_ref: str, notes: list[str], schema_ref: str) -> str:
    lines = [
        f"yaml-language-server: $schema={schema_ref}",
        "",
        f"{child.name}的方案草稿，由 docgen cascade 根据上级方案 {parent_ref} 生成，可以直接修改。",
        "上级方案修改后再次运行 docgen cascade，会把上级的修改合并进来，并保留这里的修改；",
        "两边改了同一处时，会在该处加“docgen: 冲突”注释，处理后删除注释即可。",
        "请补上：发文字号、成文日期、印发机关、印发日期（以及需要的抄送）。",
        *notes,
    ]
    return "\n".join(lines) + "\n"


class _Job:
    def __init__(self, settings: Settings, options: Options, force: bool, base: Path,
                 progress: Callable[[int, int], None] | None, keep_plans: bool = False):
        self.keep_plans = keep_plans
        self.settings = settings
        self.options = options
        self.force = force
        self.base = base
        self.progress = progress or (lambda done, total: None)
        self.outcome = Outcome()
        self.render_to: Path | None = None
        self._names: dict[Path, str] = {}
        self._resolved: dict[tuple[Path, str], Path] = {}  # `CheckContext.resolved`, for every child

    def name(self, path: Path) -> str:
        name = self._names.get(path)
        if name is None:  # resolved on the disk: asked several times per child
            name = self._names[path] = display_path(path, self.base)
        return name

    def run(self, parent_path: Path, to: list[str], to_level: str | None, out_dir: Path | None) -> Outcome:
        ctx, result = prepare_plans([parent_path], self.settings, self.base)
        require_plan(ctx, result, parent_path, self.base)
        errors = [p for p in result.problems if p.severity.value == "error"]
        if errors or not ctx.plans:
            self.outcome.problems = errors or result.problems
            return self.outcome
        root_plan = ctx.plans[0]
        registry = ctx.registry
        root, self.outcome.problems = organisation(ctx, root_plan, "cascade")
        if root is None:
            return self.outcome
        orgs = choose(registry, root, to, to_level)
        top = output_folder(out_dir or parent_path.parent)
        unsafe = [o for o in orgs if not folder_name(o.name)]
        if unsafe:  # DG203 says so too, unless ignored: never write outside the output folder
            for org in unsafe:
                self.fail(f"组织名称“{org.name}”不能用作目录名（下级方案写在以组织名称命名的目录中，不能写到"
                          f"{display_path(top, self.base)} 以外）。请在单位库中改正这个名称。", org.loc)
            return self.outcome
        # the output folder is this run's alone: a second cascade (or build) into it waits its turn
        with FolderLock(top):
            return self._derive_all(parent_path, ctx, root_plan, root, orgs, top)

    def _derive_all(self, parent_path: Path, ctx, root_plan: Plan, root: Organisation, orgs: list[Organisation],
                    top: Path) -> Outcome:
        registry = ctx.registry
        plans: dict[str, Plan] = {root.name: root_plan}  # the plans that children are derived from
        self._by_path: dict[Path, Plan] = {root_plan.path.resolve(): root_plan}
        parents = {o.parent for o in orgs}
        dirs: dict[str, Path] = {root.name: top}
        found: list[Problem] = []
        for done, org in enumerate(orgs, start=1):
            parent_plan = plans[org.parent]
            path = dirs[org.parent] / org.name / f"{parent_path.stem}.yaml"
            dirs[org.name] = path.parent
            child = self.child(parent_plan, registry, org, path)
            self.progress(done, len(orgs))
            if child is None:
                continue
            self.outcome.children.append(child)
            if org.name in parents:
                plans[org.name] = child.plan
                self._by_path[child.path.resolve()] = child.plan
            # checked as soon as it is derived; its model is then dropped unless its own children
            # still need it, so memory holds one family of plans at a time, not every child
            for problem in self.lint(registry, child):
                (found if problem.severity.value == "error" else self.outcome.warnings).append(problem)
            if org.name not in parents and not self.keep_plans:
                child.plan.release()  # freed now, not by the (paused) cyclic collector
                child.plan = None
            if done % 64 == 0:  # the collector is paused: whatever else is cyclic (young objects only)
                gc.collect(1)
        if self.outcome.problems:
            return self.outcome
        self.outcome.problems = found
        if not self.outcome.problems:
            self.write()
            if self.render_to is not None and self.outcome.children:
                from docgen.jobs.render import render_checked  # Word and its templates: only to render

                self.outcome.rendered = render_checked(
                    [c.plan for c in self.outcome.children], registry, self.settings, self.render_to,
                    paths=[dirs[root.name]], pdf=False, keep_folders=True, reentrant=True)
        return self.outcome

    def child(self, parent: Plan, registry: Registry, org: Organisation, path: Path) -> Child | None:
        parent_ref = os.path.relpath(parent.path, path.parent)
        schema_ref = os.path.relpath(schema_path("plan"), path.parent)
        try:
            derived = derive(parent, registry, org, parent_ref, self.options)
        except (DeriveError, SplitError) as exc:
            self.fail(f"无法生成“{org.name}”的方案：{exc}", parent.issuer.loc)
            return None
        header = _header(org, parent_ref, derived.notes, schema_ref)
        child = Child(org, path, dump_new(derived.data, header), parent.source_text)
        if path.exists() and not self.force:
            if not self.remerge(child, parent, registry, parent_ref):
                return None
            source, problems = load_text(child.text, path, self.name(path), kind="plan")
        else:
            source, problems = from_data(derived.data, path, self.name(path), "plan", child.text), []
        problems = problems or schema.validate(source)
        if problems:  # the derivation cannot be written as a valid plan: say where it stops
            first = problems[0]
            self.fail(f"无法生成“{org.name}”的方案：生成的方案不符合格式（{first.message}）。"
                      "请检查上级方案中这一级的写法，例如责任单位是否只写了下级组织本身。", parent.issuer.loc)
            return None
        child.plan = Plan.from_source(source, registry)
        return child

    def remerge(self, child: Child, parent: Plan, registry: Registry, parent_ref: str) -> bool:
        """Merge the new derivation into an existing, possibly edited child file."""
        name = self.name(child.path)
        existing, problems = load(child.path, name)
        if existing is None or schema.validate(existing):
            self.fail(f"已有的下级方案 {name} 有错误，无法合并。请先运行 docgen check {name} 修正，"
                      "或用 --force 重新生成（会丢弃其中的修改）。", Location(name))
            return False
        stamp = existing.data.get("上级版本")
        base_file = base_path(child.path)
        base_text = base_file.read_text(encoding="utf-8") if base_file.is_file() else None
        if stamp is None or base_text is None or version_of(base_text) != stamp:
            why = "没有“上级版本”" if stamp is None else "找不到生成时的上级方案底稿" if base_text is None else "底稿与“上级版本”不符"
            self.fail(f"已有的下级方案 {name} {why}，无法三方合并。用 --force 重新生成（会丢弃其中的修改）。",
                      Location(name))
            return False
        base_source, problems = load_text(base_text, parent.path, self.name(parent.path), kind="plan")
        if base_source is None or schema.validate(base_source):
            self.fail(f"生成 {name} 时保存的上级方案底稿（{self.name(base_path(child.path))}）已损坏，无法三方合并。"
                      "用 --force 重新生成（会丢弃其中的修改）。", Location(name))
            return False
        try:
            base_derived = derive(Plan.from_source(base_source, registry), registry, child.org, parent_ref,
                                  self.options)
            new_derived = derive(parent, registry, child.org, parent_ref, self.options)
        except (DeriveError, SplitError) as exc:  # the base no longer derives with today's registry
            self.fail(f"已有的下级方案 {name} 无法三方合并：按生成它时的上级方案底稿（{self.name(base_file)}）"
                      f"已无法重新生成（{exc}）。用 --force 重新生成（会丢弃其中的修改）。", Location(name))
            return False
        mine = read_for_edit(child.path)  # the round-trip tree: the drafter's comments survive
        conflicts = merge(mine, base_derived.data, new_derived.data)
        child.text = dump_edited(mine)
        child.merged = True
        lines = child.text.split("\n")
        for conflict in conflicts:
            line = next((i for i, text in enumerate(lines, 1) if conflict.tag in text), 1)
            child.conflicts.append((conflict, line))
        return True

    def fail(self, message: str, loc) -> None:
        self.outcome.problems.append(CascadeFailed.problem(message, loc))

    def lint(self, registry: Registry, child: Child) -> list[Problem]:
        """A child must pass the same checks as a hand-written plan (conflict marks aside).

        A child built in memory carries no positions; when it has findings it is read back from
        its text and checked again, so that each finding names its line and column.
        """
        found = self._lint(registry, child)
        if found and not child.merged:
            source, _ = load_text(child.text, child.path, self.name(child.path), kind="plan")
            if source is not None:
                located = Plan.from_source(source, registry)
                if self._by_path.get(child.path.resolve()) is child.plan:
                    self._by_path[child.path.resolve()] = located
                child.plan = located
                found = self._lint(registry, child)
        return found

    def _lint(self, registry: Registry, child: Child) -> list[Problem]:
        by_path = self._by_path

        def loader(path: Path) -> ParentLookup:
            plan = by_path.get(path)
            return ParentLookup(plan, path, None if plan else "文件不存在")

        ctx = CheckContext([child.plan], registry, True, loader, resolved=self._resolved)
        found = lint.run(ctx, self.settings, texts={self.name(child.path): child.text}, without={"DG504"})
        return [p for p in found if p.severity.value == "error" or p.code in SHOWN_WARNINGS]

    def write(self) -> None:
        """Every child and its base at once: a full disk changes none of them (`atomic_write_all`)."""
        atomic_write_all([pair for child in self.outcome.children
                          for pair in ((child.path, child.text), (base_path(child.path), child.base_text))])
        self.outcome.written = True


def cascade(parent_path: Path, settings: Settings, *, to: list[str] = (), to_level: str | None = None,
            out_dir: Path | None = None, options: Options = Options(), force: bool = False,
            base: Path | None = None, progress: Callable[[int, int], None] | None = None,
            keep_plans: bool = False, render_to: Path | None = None) -> Outcome:
    """Write child plans of `parent_path` for the chosen sub-organisations (see module docstring).

    Each child's model (`Child.plan`) is dropped once it is checked, unless `keep_plans` or
    `render_to`: then the children (already checked in memory) are also rendered there as .docx.
    """
    job = _Job(settings, options, force, base or Path.cwd(), progress, keep_plans or render_to is not None)
    job.render_to = render_to
    with paused_gc():
        return job.run(parent_path, list(to), to_level, out_dir)

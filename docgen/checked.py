"""The one checked-plan entry: find files -> load -> schema -> build models -> lint.

`prepare(paths, settings)` reads top to bottom as the stages and is what every job runs before it
does anything with a plan (`prepare_text` for an editor's unsaved buffer, `check_files` for a job
that reads its own files). It stands below the jobs, so that a stage that needs checked plans
(diff) takes them from here and never from a job. Nothing is printed here; problems are returned
for a reporter to show.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from docgen import lint, project, schema
from docgen import load as loader
from docgen.bulletin.model import Bulletin, is_bulletin
from docgen.codes.syntax import DuplicateKey, UnknownKey
from docgen.config import Settings
from docgen.context import CheckContext, ParentLookup
from docgen.errors import UsageError
from docgen.load import Source
from docgen.model import Plan
from docgen.problems import Problem, Result, display_path, with_ends
from docgen.registry import Registry

YAML_SUFFIXES = (".yaml", ".yml")


@dataclass
class Loaded:
    """Everything the first stages produced for a set of files."""

    sources: list[Source] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)
    #: Sources that passed the schema, by resolved path.
    valid: dict[Path, Source] = field(default_factory=dict)
    failed: set[Path] = field(default_factory=set)
    #: The unit registry's files (read whatever paths were given; their findings are reported).
    registry_files: list[Path] = field(default_factory=list)
    #: Texts to read instead of the files on disk (an editor's unsaved buffers), by resolved path.
    unsaved: dict[Path, str] = field(default_factory=dict)
    #: What earlier runs of a long-running process read from disk, reused while the files are unchanged.
    cache: SourceCache | None = None
    #: Findings left out because a broken registry file causes them (`root_causes`), counted, not listed.
    caused: list[Problem] = field(default_factory=list)
    #: The findings that made a file unusable (`lint.run`'s `blocking`: never ignored or suppressed).
    blocking: set[Problem] = field(default_factory=set)

    def seen(self, path: Path) -> bool:
        """Whether `path` was read already (it is valid or failed)."""
        resolved = path.resolve()
        return resolved in self.valid or resolved in self.failed

    def forget(self, path: Path, name: str) -> None:
        """Drop a checked file's source and text (a streaming check keeps no file it is done with)."""
        source = self.valid.pop(path.resolve(), None)
        self.texts.pop(name, None)
        if source is not None:
            self.sources.remove(source)


class SourceCache:
    """Files read from disk by earlier runs, and what was built from them, kept while unchanged.

    For a process that checks the same project again and again (`docgen lsp`, on every edit): each
    file's load and schema outcome is kept under its path, its name in findings and its
    (mtime_ns, size), so an unchanged registry or parent plan is not read again and an edited one
    is. The registry built from unchanged files, and the parent plans built with that registry,
    are kept too. Unsaved texts (`Loaded.unsaved`) never go through it. The kept sources and models
    are shared by later runs, which only read them (their memos are derived from them alone); the
    server's check threads may share one cache, as entries are only ever replaced whole.
    """

    def __init__(self) -> None:
        self._files: dict[Path, tuple[tuple[int, int], str, Source | None, tuple[Problem, ...]]] = {}
        self._registry: tuple[list[Source], Registry] | None = None
        self._plans: dict[Path, tuple[Source, Registry, Plan]] = {}

    def load(self, path: Path, name: str) -> tuple[Source | None, list[Problem]]:
        """`_read(path, name)`, or its outcome from an earlier run when the file has not changed since."""
        try:
            info = path.stat()
        except OSError:  # gone or unreadable: the loader says so, nothing to keep
            return _read(path, name)
        stamp = (info.st_mtime_ns, info.st_size)  # taken before reading: a later edit changes it
        kept = self._files.get(path)
        if kept is not None and kept[0] == stamp and kept[1] == name:
            return kept[2], list(kept[3])
        source, problems = _read(path, name)
        self._files[path] = (stamp, name, source, tuple(problems))
        return source, problems

    def _kept(self, source: Source) -> bool:
        kept = self._files.get(source.path)
        return kept is not None and kept[2] is source

    def registry(self, sources: list[Source]) -> Registry:
        """The registry built from `sources`: the one built before when they are the same kept files."""
        if self._registry is not None and _same(self._registry[0], sources):
            return self._registry[1]
        registry = Registry.build(sources)
        if all(self._kept(s) for s in sources):  # an unsaved registry buffer is built afresh each time
            self._registry = (sources, registry)
        return registry

    def plan(self, source: Source, registry: Registry) -> Plan:
        """`Plan.from_source(source, registry)`, kept while the file and the registry are unchanged."""
        kept = self._plans.get(source.path)
        if kept is not None and kept[0] is source and kept[1] is registry:
            return kept[2]
        plan = Plan.from_source(source, registry)
        if self._kept(source):
            self._plans[source.path] = (source, registry, plan)
        return plan


def _same(kept: list[Source], sources: list[Source]) -> bool:
    return len(kept) == len(sources) and all(a is b for a, b in zip(kept, sources))


def _read(path: Path, name: str, text: str | None = None) -> tuple[Source | None, list[Problem]]:
    """The load and schema stages for one file (or `text` read as that file); data files are not validated."""
    if text is None:
        source, problems = loader.load(path, name, lenient=True)
    else:
        source, problems = loader.load_text(text, path, name, lenient=True)
    if source is None or source.kind == "data":
        return source, problems
    refused = schema.validate(source)
    problems = problems + refused
    if source.kind == "plan" and any(p.code != UnknownKey.code for p in refused):
        repaired = schema.repair(source)  # lint what the schema accepted: one error must not hide the rest
        if repaired is not None:
            return repaired, problems
    return source, problems


def discover(paths: list[Path]) -> list[Path]:
    """YAML files under `paths` (folders searched recursively, hidden ones skipped), sorted, unique."""
    found: dict[Path, None] = {}
    for path in paths:
        if path.is_dir():
            for f in sorted(path.rglob("*")):
                rel = f.relative_to(path).parts
                if f.suffix in YAML_SUFFIXES and f.is_file() and not any(p.startswith(".") for p in rel):
                    found.setdefault(f.resolve(), None)
        else:
            found.setdefault(path.resolve(), None)
    return list(found)


#: Findings after which the file is still whole enough to be used (its registry built, its plan modelled).
_TOLERATED = frozenset({UnknownKey.code, DuplicateKey.code})


def _load_into(loaded: Loaded, path: Path, base: Path) -> Source | None:
    resolved = path.resolve()
    if resolved in loaded.valid:
        return loaded.valid[resolved]
    if resolved in loaded.failed:
        return None
    name = display_path(path, base)
    if resolved in loaded.unsaved:
        source, problems = _read(path, name, loaded.unsaved[resolved])
    elif loaded.cache is not None:
        source, problems = loaded.cache.load(path, name)
    else:
        source, problems = _read(path, name)
    if source is not None and source.kind == "data":  # checked with the 通报 that reads it
        loaded.failed.add(resolved)
        return None
    if source is not None:
        loaded.texts[name] = source.text
    loaded.problems.extend(problems)
    # Unknown keys and duplicate keys leave the rest of the file valid, and a plan the schema refused
    # is linted in what it accepted (`schema.repair`): lint it too, so one run shows everything.
    if source is None or (not source.repaired and any(p.code not in _TOLERATED for p in problems)):
        loaded.failed.add(resolved)
        loaded.blocking.update(p for p in problems if p.code != UnknownKey.code)
        return None
    loaded.sources.append(source)
    loaded.valid[resolved] = source
    return source


@dataclass(frozen=True)
class LoadedRegistry:
    """The unit registry of a run, built from the registry files `load_registry` read."""

    registry: Registry
    #: False when a registry file failed to load: rules then skip "unit not found" findings.
    complete: bool
    #: The files that were read as unit registries (resolved paths).
    paths: frozenset[Path]


def load_registry(settings: Settings, loaded: Loaded, base: Path) -> LoadedRegistry:
    """Load the configured registry files and build the registry.

    A job that checks plans later with the same `loaded` passes the result to `check_files`
    rather than loading the registry again.
    """
    registry_files = discover([p for p in settings.registry if p.exists()])
    loaded.registry_files = registry_files
    for path in registry_files:
        _load_into(loaded, path, base)
    sources = [s for s in loaded.sources if s.kind == "registry"]
    registry = loaded.cache.registry(sources) if loaded.cache is not None else Registry.build(sources)
    return LoadedRegistry(registry, complete=not any(p in loaded.failed for p in registry_files),
                          paths=frozenset(s.path.resolve() for s in sources))


class _Reader:
    """The load -> schema -> model stages for one file at a time, with the registry they share.

    Also the context's `plan_loader`: a parent plan named in 上级方案 goes through the same stages.
    A parent plan or data file named inside a file is read only when it is in the project (`root`,
    the projects of the files `given` on the command line, or the naming file's own project) or is
    one of the files given.
    """

    def __init__(self, loaded: Loaded, base: Path, registry: LoadedRegistry, percent_places: int = 1,
                 root: Path | None = None, given: Iterable[Path] = ()):
        self.loaded, self.base, self.registry = loaded, base, registry
        self.percent_places = percent_places
        self.root, self.given = root, tuple(given)
        self._folders: list[Path] | None = None
        #: The plans read so far and still kept, by resolved path.
        self.plans: dict[Path, Plan] = {}

    def allowed(self, path: Path, named_in: Path | None = None) -> Path | None:
        """None when `path`, written inside a file (`named_in`, when known), may be read; else the
        project folder it leaves. The project: `root`, and the projects of the files given."""
        if self._folders is None:
            self._folders = ([self.root] if self.root is not None else []) + \
                [project.project_folder(folder / "_") for folder in {g.parent for g in self.given}]
        folders = self._folders + ([project.project_folder(named_in)] if named_in is not None else [])
        if not folders:
            return None
        return None if project.within(path, folders, self.given) else folders[0]

    def context(self) -> CheckContext:
        """A context with no plan yet: the registry, and this reader as the parent-plan loader."""
        return CheckContext(
            plans=[],
            registry=self.registry.registry,
            registry_complete=self.registry.complete,
            plan_loader=self.parent,
            registry_paths=self.registry.paths,
        )

    def read(self, path: Path) -> Source | None:
        """Load and schema-check one given file; its findings go to `loaded.problems`."""
        return _load_into(self.loaded, path, self.base)

    def model(self, source: Source) -> Plan | Bulletin | None:
        """The model of a schema-valid file: a plan, a 通报 (its data file read and checked), or
        None for a registry file."""
        if is_bulletin(source):
            bulletin = Bulletin.from_source(source, self.base, lambda path: self.allowed(path, source.path))
            if bulletin.data is not None:
                self.loaded.problems.extend(bulletin.data.problems)
                if bulletin.data.places is None:  # the data file's own 格式 wins over the configuration
                    bulletin.data.places = self.percent_places
            return bulletin
        if source.kind != "plan":
            return None
        plan = self.plans[source.path.resolve()] = self._plan(source)
        return plan

    def parent(self, path: Path) -> ParentLookup:
        if path in self.plans:
            return ParentLookup(self.plans[path], path)
        outside = self.allowed(path)
        if outside is not None:
            return ParentLookup(None, path, project.outside_message("", outside))
        if not path.is_file():
            return ParentLookup(None, path, "文件不存在")
        loaded = self.loaded
        before = len(loaded.problems)
        source = _load_into(loaded, path, self.base)
        if source is None or source.repaired:
            count = len(loaded.problems) - before
            del loaded.problems[before:]  # reported against the parent when it is checked itself
            return ParentLookup(None, path, f"有 {count or '若干'} 处问题，请先运行 docgen check {display_path(path, self.base)}")
        if source.kind != "plan" or is_bulletin(source):
            return ParentLookup(None, path, "不是方案文件")
        plan = self.plans[path] = self._plan(source)
        return ParentLookup(plan, path)

    def _plan(self, source: Source) -> Plan:
        if self.loaded.cache is not None:
            return self.loaded.cache.plan(source, self.registry.registry)
        return Plan.from_source(source, self.registry.registry)


def check_files(files: list[Path], settings: Settings, loaded: Loaded, base: Path,
                registry: LoadedRegistry | None = None, *, keep: bool = True,
                progress: Callable[[int, int], None] | None = None) -> tuple[CheckContext, list[Problem]]:
    """Load, validate and lint `files` one at a time; (context, findings, sorted and unique).

    The registry (`registry`, or the configured one loaded now) is linted first. Then each file is
    read, modelled and linted on its own: every rule looks at one plan and at the parent plan it
    names, so the findings are those of one run over all files. With `keep`, the context holds
    every plan and 通报 for later stages; without it, each file is dropped once linted, so memory
    stays that of the largest file however many are checked. A registry file among `files` that is
    not configured is checked on its own. `progress(bytes done, bytes in all)` is called before each
    file and once at the end.
    """
    registry = registry or load_registry(settings, loaded, base)  # before the plans: deadlines may name its 时段
    reader = _Reader(loaded, base, registry, settings.percent_places, settings.root, files)
    ctx = reader.context()
    problems = with_ends(lint.run(ctx, settings, stage_problems=loaded.problems, texts=dict(loaded.texts),
                                  blocking=[p for p in loaded.problems if p in loaded.blocking]), loaded.texts)
    sizes = [_size(path) for path in files] if progress is not None else []
    done, total = 0, sum(sizes)
    for i, path in enumerate(files):
        if progress is not None:
            progress(done, total)
            done += sizes[i]
        if not keep and gc.get_count()[0] > _LARGE_JOB and not loaded.seen(path):
            gc.collect()  # before reading another file: the last one's model held cycles
        before = len(loaded.problems)
        source = reader.read(path)
        unit = reader.model(source) if source is not None and source.kind != "registry" else None
        stage = loaded.problems[before:]  # the file's load and schema findings, a 通报's data file's
        del loaded.problems[before:]
        name = display_path(path, base)
        texts = {name: loaded.texts[name]} if name in loaded.texts else {}
        if source is not None and source.kind == "registry":
            if source.path.resolve() not in registry.paths:
                alone = LoadedRegistry(Registry.build([source]), True, frozenset({source.path.resolve()}))
                problems += with_ends(lint.run(_Reader(loaded, base, alone, settings.percent_places).context(), settings,
                                               stage_problems=stage, texts=texts,
                                               blocking=[p for p in stage if p in loaded.blocking]), texts)
            continue
        plans = [unit] if isinstance(unit, Plan) else []
        bulletins = [unit] if unit is not None and not plans else []
        one = dataclasses.replace(ctx, plans=plans, bulletins=bulletins, report_registry=False)
        found = lint.run(one, settings, stage_problems=stage, texts=texts,
                         blocking=[p for p in stage if p in loaded.blocking])
        if source is not None and source.repaired:  # a rule's finding where the schema's is: the schema's says it
            refused = {p.location.line for p in stage} | source.refused_lines
            stage_codes = {p.code for p in stage}
            found = [p for p in found if p.code in stage_codes or p.location.line not in refused]
        problems += with_ends(found, texts)
        if keep:
            ctx.plans += plans
            ctx.bulletins += bulletins
        else:
            reader.plans.pop(path.resolve(), None)
            loaded.forget(path, name)
            del source, unit, plans, bulletins, one
    if progress is not None:
        progress(total, total)
    problems, loaded.caused = root_causes(sorted(set(problems), key=Problem.sort_key), registry, loaded, base)
    return ctx, problems


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:  # reported when the file is read
        return 0


#: Rules whose findings a registry file that cannot be read may cause elsewhere: units, organisations
#: and 发文机关 not found (DG2xx), periods such as “节前” not registered (DG302), parents and shares
#: (DG5xx), a 通报's units (DG814).
_REGISTRY_DEPENDENT = ("DG2", "DG302", "DG5", "DG814")


def root_causes(problems: list[Problem], registry: LoadedRegistry, loaded: Loaded,
                base: Path) -> tuple[list[Problem], list[Problem]]:
    """(findings to list, findings left out): the registry's own findings come first (every plan
    depends on it), and what a broken registry file's absence causes in the other registry files and
    in the plans is left out (counted).

    A registry file that cannot be read takes its organisations, units and periods away from every
    plan: listing the hundred “不在单位库中” that follow would bury the one finding to fix.
    """
    names = {display_path(p, base) for p in loaded.registry_files}
    if registry.complete:
        first = [p for p in problems if p.location.file in names]
        return first + [p for p in problems if p.location.file not in names], []
    broken = {display_path(p, base) for p in loaded.registry_files if p in loaded.failed}
    first = [p for p in problems if p.location.file in broken]
    caused = [p for p in problems if p.location.file not in broken and p.code.startswith(_REGISTRY_DEPENDENT)]
    left = {id(p) for p in first} | {id(p) for p in caused}
    return first + [p for p in problems if id(p) not in left], caused


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a job builds large trees.

    Loading a big plan creates millions of objects that all stay alive; each automatic collection
    walks all of them again, which more than doubled the time of `docgen check` on a 5,000-task
    plan. When a job built that much, the objects are frozen at the end (left out of later
    automatic collections, so the caller does not pay for one full walk either); the next job
    first unfreezes and collects them, so a long-running process (the language server) still frees
    what earlier checks left behind. Small jobs simply resume collection.
    """
    was_enabled = gc.isenabled()
    if was_enabled and gc.get_freeze_count():
        collect_garbage()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            if gc.get_count()[0] > _LARGE_JOB:
                gc.freeze()
            gc.enable()


#: Objects (containers) a job must have built to be frozen rather than collected at its end.
_LARGE_JOB = 200_000


def collect_garbage() -> None:
    """Collect what earlier jobs left, frozen objects included.

    `paused_gc` does it at the start of the next job; a long-running process (the language server)
    calls it when it is idle, so that the next check does not pay for it."""
    gc.unfreeze()
    gc.collect()


def prepare(paths: list[Path], settings: Settings, base: Path | None = None, *,
            keep: bool = True, progress: Callable[[int, int], None] | None = None,
            cache: SourceCache | None = None) -> tuple[CheckContext, Result]:
    """Load, validate and lint everything under `paths` (`check_files`).

    With `keep`, the returned context holds every plan and 通报 for later stages (render,
    cascade…), which must not go on when `result` has errors. With `cache`, files (the registry)
    read by an earlier check of the same process are taken from it while unchanged.
    """
    base = base or Path.cwd()
    files = discover(paths)
    loaded = Loaded(cache=cache)
    with paused_gc():
        ctx, problems = check_files(files, settings, loaded, base, keep=keep, progress=progress)
    return ctx, Result(problems=problems, files=_checked_files(files, loaded, base), caused=len(loaded.caused))


def _checked_files(files: list[Path], loaded: Loaded, base: Path) -> list[str]:
    """The files looked at: those given, then the registry's (whose findings are reported too)."""
    names = dict.fromkeys(display_path(f, base) for f in files)
    names.update(dict.fromkeys(display_path(f, base) for f in loaded.registry_files))
    return list(names)


def prepare_text(path: Path, text: str, settings: Settings, base: Path | None = None,
                 cache: SourceCache | None = None) -> tuple[CheckContext, Result]:
    """`prepare` for one file read from `text` (an editor's unsaved buffer) instead of the disk,
    with the garbage collector paused as `prepare` pauses it.

    The registry and the parent plans are read from disk as usual (or from `text`, when `path` is
    one of the registry files), or taken from `cache` while their files are unchanged. Findings
    are those `docgen check path` would give for that text.
    """
    base = base or Path.cwd()
    loaded = Loaded(unsaved={path.resolve(): text}, cache=cache)
    with paused_gc():
        ctx, problems = check_files([path.resolve()], settings, loaded, base)
    return ctx, Result(problems=problems, files=[display_path(path, base)])


def prepare_plans(paths: list[Path], settings: Settings, base: Path | None = None,
                  cache: SourceCache | None = None) -> tuple[CheckContext, Result]:
    """`prepare` for commands that work on plans: a registry file named among `paths` is refused."""
    base = base or Path.cwd()
    ctx, result = prepare(paths, settings, base, cache=cache)
    for path in paths:
        if path.is_file() and path.resolve() in ctx.registry_paths:
            raise UsageError(f"{display_path(path, base)} 是单位库文件，不是方案。请给出方案文件（顶层有“文种”的文件）。")
    return ctx, result

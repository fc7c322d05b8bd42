"""The language server's checker: `features.check_text` in a process of its own.

A full check of a large plan keeps the interpreter busy for a second or more. In the server's own
process it would hold the lock that completion and hover need to run, and the garbage collector
would walk the whole plan's model again and again. In a process of its own it does neither: the
checker keeps its own `SourceCache` (the registry and parent plans read again only when their files
change) and the last check of each document (an edit inside one task is checked incrementally:
`docgen.lsp.incremental`), and sends back the findings alone; the server keeps for completion and hover only the
registry (`features.context`).

The process is started on the first check (a fresh interpreter: the server's threads are not
forked) and again after it died; checks go one at a time through one pipe.
"""

from __future__ import annotations

import multiprocessing
from pathlib import Path

from docgen.lsp import features


class CheckerDied(RuntimeError):
    """The checker process ended in the middle of a check twice in a row (killed, out of memory)."""


class Checker:
    """The checker process, seen from the server. `check` blocks: call it off the event loop."""

    def __init__(self) -> None:
        self._process = None
        self._conn = None

    def check(self, path: Path, text: str) -> list[features.Finding]:
        """The findings of `text` checked as the file `path` (`features.check_text`)."""
        for attempt in (1, 2):
            self._start()
            try:
                self._conn.send((path, text))
                ok, value = self._conn.recv()
            except (EOFError, OSError):  # the process died: a new one, once
                self.close()
                if attempt == 2:
                    raise CheckerDied("检查进程意外退出") from None
                continue
            if ok:
                return value
            raise RuntimeError(value)
        raise AssertionError("unreachable")

    def _start(self) -> None:
        if self._process is not None and self._process.is_alive():
            return
        self.close()
        context = multiprocessing.get_context("spawn")
        self._conn, child = context.Pipe()
        self._process = context.Process(target=serve, args=(child,), name="docgen-check", daemon=True)
        self._process.start()
        child.close()

    def close(self) -> None:
        """End the checker process (it ends by itself, too, when the server's end of the pipe closes)."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        if self._process is not None:
            self._process.join(timeout=5)
            if self._process.is_alive():
                self._process.kill()
                self._process.join()
            self._process = None


def serve(conn) -> None:
    """The checker process: check each (path, text) received; answer (True, findings) or (False, reason).

    Checks are incremental (`docgen.lsp.incremental`): an edit inside one task of a plan checked
    before re-reads and re-lints that task only."""
    from docgen.checked import collect_garbage
    from docgen.lsp.incremental import Incremental

    checks = Incremental()
    while True:
        try:
            path, text = conn.recv()
        except (EOFError, OSError):  # the server is gone
            return
        try:
            answer = (True, checks.check(path, text).findings)
        except Exception as exc:  # noqa: BLE001 - one document's failure must not end the checker
            answer = (False, f"{type(exc).__name__}: {exc}")
        conn.send(answer)
        del answer
        if checks.last == "full" and not conn.poll():  # idle: collect what the model of the whole plan
            collect_garbage()                          # left now, not at the start of the next check

"""What the fuzz harnesses of tests/fuzz share besides `test_fuzz.py`'s helpers: the budget of the
surfaces added for issue 26 (imported files, configuration, 通报 data) and a per-case check that a
command stayed within its limits.

``DOCGEN_FUZZ_EXAMPLES`` is the campaign's budget: each target takes its share of `SHARES` of it (the
language server's messages, `tests/lsp/test_lsp_hostile.py`, take their own), so a campaign runs
``DOCGEN_FUZZ_EXAMPLES * sum(SHARES.values())`` cases besides those. The short mode (``make test``) is
derandomised like the rest; ``DOCGEN_FUZZ_SEED`` repeats a long run.
"""

from __future__ import annotations

import datetime as dt
import os
import resource
import time
from contextlib import contextmanager

from hypothesis import HealthCheck, seed, settings

TOTAL = int(os.environ.get("DOCGEN_FUZZ_EXAMPLES", "200"))
LONG = "DOCGEN_FUZZ_EXAMPLES" in os.environ
#: Shares of TOTAL: plans, registries, returned ledgers, Word files for textconv (`test_fuzz.py`);
#: imported .txt, .docx and .pdf, pyproject.toml, 通报 data (YAML and workbooks), edited plans through
#: the commands after check (`test_fuzz_commands.py`).
SHARES = {"plans": 0.4, "registries": 0.15, "ledgers": 0.35, "docx": 0.10,
          "import-txt": 0.04, "import-docx": 0.04, "import-pdf": 0.04, "config": 0.1, "bulletin": 0.08,
          "commands": 0.02}
#: Every case within this time (hypothesis fails a slower one), and within `GROWTH` more memory. The
#: time is docgen's own limit on reading one file (`docgen.untrusted.Limits.time`): on a loaded machine a
#: render with charts takes seconds, so a tighter deadline would fail cases that did nothing wrong.
DEADLINE = dt.timedelta(seconds=60)
GROWTH = 512 * 1024 * 1024


def budget(target: str):
    chosen = settings(
        max_examples=max(1, round(TOTAL * SHARES[target])), deadline=DEADLINE, database=None,
        derandomize=not LONG, print_blob=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large],
    )
    if os.environ.get("DOCGEN_FUZZ_SEED"):
        return lambda f: seed(int(os.environ["DOCGEN_FUZZ_SEED"]))(chosen(f))
    return chosen


@contextmanager
def within_limits():
    """Fail a case whose peak memory (the process's maximum resident size) grew by more than
    `GROWTH`: a bomb that got through. The peak only grows, so a case is blamed once."""
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    started = time.monotonic()
    yield
    grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - before
    assert grown <= GROWTH, f"the case took {grown / 2**20:.0f} MB more memory ({time.monotonic() - started:.1f} s)"

"""Fixtures of the `docgen serve` tests: the city's three-year plan served from a temporary data
folder, a Starlette TestClient on it, and helpers that act like a unit and like the office."""

from __future__ import annotations

from pathlib import Path

import pytest
from starlette.testclient import TestClient

from docgen.jobs import serve as job
from docgen.jobs.check import settings_for
from tests.serve.helpers import PLAN, ROOT, TODAY, free_port


@pytest.fixture(scope="session")
def catalogue():
    cat, problems = job.load_catalogue([PLAN], settings_for, ROOT)
    assert not problems
    return cat


@pytest.fixture
def served(catalogue, tmp_path):
    started = job.start(catalogue, tmp_path / "data", url=None, base_url="http://testserver")
    yield started
    started.store.close()


@pytest.fixture
def client(served):
    with TestClient(job.app_for(served, today=lambda: TODAY)) as c:
        yield c


# -- PostgreSQL: a temporary cluster (Debian's postgresql), started as a non-root user ---------------

import os  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402


def _pg_bin(name: str) -> str:
    found = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    if found:
        return str(found[-1])
    path = shutil.which(name)
    assert path, f"{name} not found: apt-get install -y postgresql (Makefile SYSTEM_PACKAGES)"
    return path


@pytest.fixture(scope="session")
def postgres_url():
    """A throw-away PostgreSQL cluster on 127.0.0.1 for the session; yields a database URL."""
    root = Path(tempfile.mkdtemp(prefix="docgen-pg-"))
    data, sock = root / "data", root / "sock"
    sock.mkdir()
    as_user: list[str] = []
    if os.geteuid() == 0:  # initdb refuses to run as root
        as_user = ["runuser", "-u", "postgres", "--"]
        shutil.chown(root, "postgres")
        shutil.chown(sock, "postgres")
    port = free_port()
    subprocess.run([*as_user, _pg_bin("initdb"), "-D", str(data), "-A", "trust", "-U", "docgen", "-E", "UTF8",
                    "--locale=C.UTF-8"], check=True, capture_output=True)
    subprocess.run([*as_user, _pg_bin("pg_ctl"), "-D", str(data), "-w", "-t", "60", "-l", str(root / "log"),
                    "-o", f"-p {port} -k {sock} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=400",
                    "start"], check=True, capture_output=True)
    try:
        yield f"postgresql://docgen@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([*as_user, _pg_bin("pg_ctl"), "-D", str(data), "-m", "immediate", "stop"], capture_output=True)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def pg_database(postgres_url):
    """A fresh database in the session's cluster."""
    import psycopg

    name = f"t{os.getpid()}_{next(_COUNTER)}"
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    yield postgres_url.rsplit("/", 1)[0] + "/" + name


_COUNTER = iter(range(10**6))

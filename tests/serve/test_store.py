"""The store: migrations, history, backup, crash safety; SQLite and PostgreSQL alike."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import tarfile
import time

import pytest

from docgen.serve import evidence
from docgen.serve.store import LATEST, MIGRATIONS, Conflict, Store
from tests.serve.helpers import ROOT, free_port

VALUES = {"status": "推进中", "done_date": "", "progress": "第一版", "figures": {"x": "1"}, "reporter": "张明",
          "phone": "13800000000"}


def exercise(store: Store) -> None:
    assert store.migrate() == [v for v, _, _ in MIGRATIONS]
    assert store.migrate() == [] and store.version() == LATEST
    store.sync([("p.yaml", "方案", "/abs/p.yaml")], [("东湖街道", "清溪市东湖街道办事处")])
    store.save("p.yaml", "T1", "东湖街道", VALUES, "东湖街道", submit=False)
    entry = store.save("p.yaml", "T1", "东湖街道", {**VALUES, "progress": "第二版"}, "东湖街道", submit=True, version=1)
    assert entry.version == 2 and entry.submitted["progress"] == "第二版"
    with pytest.raises(Conflict):
        store.save("p.yaml", "T1", "东湖街道", VALUES, "东湖街道", submit=True, version=1)
    assert store.entry("p.yaml", "T1", "东湖街道").progress == "第二版"
    changes = [(h["field"], h["old"], h["new"]) for h in store.history("东湖街道")]
    assert ("进展情况", "第一版", "第二版") in changes and ("进展情况", "", "第一版") in changes
    assert ("报送", "", "已报送") in changes
    # a failed transaction leaves nothing behind
    with pytest.raises(RuntimeError), store.transaction():
        store.execute("UPDATE entries SET progress = 'half' WHERE unit = ?", ("东湖街道",))
        raise RuntimeError
    assert store.entry("p.yaml", "T1", "东湖街道").progress == "第二版"


def test_sqlite_store(tmp_path):
    store = Store(tmp_path)
    exercise(store)
    assert store.query("PRAGMA journal_mode")[0]["journal_mode"] == "wal"
    store.close()


@pytest.mark.slow
def test_postgresql_store(pg_database, tmp_path):
    store = Store(tmp_path, pg_database)
    exercise(store)
    # the server drops the connection (a restart, an administrator): the next query connects again
    import psycopg

    with psycopg.connect(pg_database, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid <> pg_backend_pid()"
                      " AND datname = current_database()")
    assert store.entry("p.yaml", "T1", "东湖街道").progress == "第二版"
    backup = tmp_path / "copy.sqlite"
    store.backup_to(backup)
    copy = Store(tmp_path)
    copy.folder = tmp_path
    rows = sqlite3.connect(backup).execute("SELECT progress FROM entries").fetchall()
    assert rows == [("第二版",)]
    store.close()


def test_migration_from_an_older_schema(tmp_path):
    store = Store(tmp_path)
    assert store.migrate(upto=1) == [1]
    store.sync([("p.yaml", "方案", "/p")], [("A", "A")])
    store.close()
    store = Store(tmp_path)
    assert store.migrate() == [2] and store.version() == 2
    names = {r["name"] for r in store.query("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert {"history_unit", "tokens_unit", "evidence_unit"} <= names
    assert store.plans() == [{"key": "p.yaml", "title": "方案", "path": "/p"}]


def test_backup_holds_database_evidence_and_links(client, served, tmp_path):
    from docgen.jobs import serve as job
    from tests.serve.helpers import fill, unit_links

    fill(client, unit_links(served)["东湖街道"], "T12", files=[("files", ("a.pdf", b"%PDF-1.4 x", "application/pdf"))])
    out = job.backup(served.links_path.parent, tmp_path / "b" / "backup.tar.gz")
    with tarfile.open(out) as tar:
        names = tar.getnames()
        assert "serve.sqlite" in names and "links.csv" in names
        assert any(n.startswith("evidence/") for n in names)
        tar.extract("serve.sqlite", tmp_path / "x", filter="data")
    rows = sqlite3.connect(tmp_path / "x" / "serve.sqlite").execute("SELECT unit, progress FROM entries").fetchall()
    assert rows == [("东湖街道", "已部署")]
    assert oct(out.stat().st_mode & 0o777) == "0o600"


def test_orphan_and_partial_uploads_are_removed_at_start(catalogue, tmp_path):
    from docgen.jobs import serve as job

    started = job.start(catalogue, tmp_path, url=None, base_url="http://x")
    files = evidence.Files(tmp_path)
    files.write("a" * 32, b"%PDF- never committed")  # killed between the rename and the commit
    files.tmp.mkdir(parents=True, exist_ok=True)
    (files.tmp / ("b" * 32 + ".part")).write_bytes(b"%PDF- half")  # killed while writing
    started.store.close()
    again = job.start(catalogue, tmp_path, url=None, base_url="http://x")
    assert again.cleaned == 2
    assert not files.path("a" * 32).exists() and not list(files.tmp.iterdir())
    again.store.close()


@pytest.mark.slow
def test_killed_in_the_middle_of_an_upload_loses_nothing_committed(tmp_path):
    """A real server (uvicorn) is killed (-9) while a large upload is being received; after a
    restart, what was submitted before is there, the database is sound and no partial file is left."""
    import httpx

    from tests.serve.helpers import csrf

    data, port = tmp_path / "data", free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}

    def start():
        proc = subprocess.Popen([sys.executable, "-m", "docgen.cli", "serve", "plans/city/three-year-plan.yaml",
                                 "--data", str(data), "--port", str(port)], cwd=ROOT, env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        for _ in range(300):
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                    return proc
            except httpx.HTTPError:
                time.sleep(0.1)
        proc.kill()
        raise AssertionError(proc.stderr.read().decode())

    proc = start()
    try:
        link = next(line.split(",", 1)[1] for line in (data / "links.csv").read_text().splitlines()[1:]
                    if line.startswith("东湖街道,"))
        with httpx.Client() as c:
            page = c.get(link)
            form = {"csrf": csrf(page.text), "plan": "plans/city/three-year-plan.yaml", "task": "T12", "version": "0",
                    "action": "submit", "status": "推进中", "progress": "已提交的进展", "reporter": "张明",
                    "phone": "13800000000"}
            assert c.post(link + "/save", data=form, follow_redirects=False).status_code == 303
            # a large upload, sent slowly; the server is killed half-way
            boundary = "b0undary"
            head = (f"--{boundary}\r\n" + "".join(
                f'Content-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n--{boundary}\r\n'
                for k, v in {**form, "version": "1", "progress": "不应保存"}.items())
                + 'Content-Disposition: form-data; name="files"; filename="big.pdf"\r\n'
                  "Content-Type: application/pdf\r\n\r\n%PDF-").encode()
            import socket

            s = socket.create_connection(("127.0.0.1", port))
            path = link.split(str(port), 1)[1] + "/save"
            cookie = "; ".join(f"{k}={v}" for k, v in c.cookies.items())
            s.sendall(f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nCookie: {cookie}\r\n"
                      f"Content-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: {len(head) + 8_000_000}"
                      f"\r\n\r\n".encode() + head + b"0" * 2_000_000)
            time.sleep(0.5)
            proc.send_signal(signal.SIGKILL)
            proc.wait(10)
            s.close()
    finally:
        if proc.poll() is None:
            proc.kill()
    proc = start()
    try:
        with httpx.Client() as c:
            page = c.get(link)
        assert "已提交的进展" in page.text and "不应保存" not in page.text
    finally:
        proc.terminate()
        proc.wait(10)
    conn = sqlite3.connect(data / "serve.sqlite")
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert conn.execute("SELECT COUNT(*) FROM evidence").fetchone() == (0,)
    leftovers = [p for p in (data / "evidence").rglob("*") if p.is_file()] if (data / "evidence").exists() else []
    assert leftovers == []


@pytest.mark.slow
def test_the_app_and_collect_on_postgresql(catalogue, pg_database, tmp_path, run):
    """The same flow as with SQLite: a unit submits, the URL is remembered in the data folder, and
    collect reads the database."""
    import yaml
    from starlette.testclient import TestClient

    from docgen.jobs import serve as job
    from tests.serve.helpers import TODAY, fill, path_of, unit_links

    data = tmp_path / "data"
    started = job.start(catalogue, data, url=pg_database, base_url="http://testserver")
    assert oct((data / "serve.json").stat().st_mode & 0o777) == "0o600"
    with TestClient(job.app_for(started, today=lambda: TODAY)) as client:
        links = unit_links(started)
        assert fill(client, links["东湖街道"], "T12", progress="PG 里的进展").status_code == 303
        assert "PG 里的进展" not in client.get(path_of(links["西岭街道"])).text
    started.store.close()
    assert not (data / "serve.sqlite").exists()
    result = run("collect", data, "-o", tmp_path / "p.yaml", "--as-of", "2025-06-30", cwd=ROOT)
    assert result.exit_code == 0, result.output
    progress = yaml.safe_load((tmp_path / "p.yaml").read_text(encoding="utf-8"))
    assert progress["进展"]["T12"]["东湖街道"]["进展情况"] == "PG 里的进展"


@pytest.mark.slow
def test_several_workers_on_postgresql(pg_database, tmp_path):
    """`--workers 2` with PostgreSQL: units submitting through either process all land in the database."""
    import csv

    import httpx

    from tests.serve.helpers import csrf

    data, port = tmp_path / "data", free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "docgen.cli", "serve", "plans/city/three-year-plan.yaml", "--data",
                             str(data), "--port", str(port), "--db", pg_database, "--workers", "2"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        for _ in range(600):
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        else:
            raise AssertionError(proc.stderr.read())
        with open(data / "links.csv", encoding="utf-8") as f:
            links = {row["单位"]: row["链接"] for row in csv.DictReader(f)}
        units = list(links)[:6]
        for unit in units:
            with httpx.Client(follow_redirects=True) as c:  # a new connection each: both processes work
                page = c.get(links[unit])
                task = page.text.split('name="task" value="', 1)[1].split('"', 1)[0]
                r = c.post(links[unit] + "/save", data={
                    "csrf": csrf(page.text), "plan": "plans/city/three-year-plan.yaml", "task": task, "version": "0",
                    "action": "submit", "status": "推进中", "progress": f"{unit}的进展"})
                assert r.status_code == 200 and "已报送" in r.text
    finally:
        proc.terminate()
        proc.wait(30)
    store = Store(data, pg_database)
    assert sorted(e.unit for e in store.entries() if e.submitted) == sorted(units)
    store.close()

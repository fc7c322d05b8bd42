"""Storage of `docgen serve`: SQLite in the data folder by default, PostgreSQL by URL (psycopg 3).

One schema for both, versioned: `MIGRATIONS` lists the steps, `Store.migrate` applies those the
database has not seen, each in one transaction, and records the version in ``schema_version``.

Nothing is overwritten without history: every change of a unit's entry (each field), every
submission, every evidence file added or removed, every token issued or revoked and every account
added is a row of ``history`` (who, when, old value, new value). Tokens and session ids are stored
as SHA-256 digests (they are 192-bit random strings, so a fast digest is enough); passwords as
scrypt hashes (`docgen.serve.security`).

Writes run in transactions (SQLite: ``BEGIN IMMEDIATE`` in WAL mode; PostgreSQL: row locks), so a
process killed in the middle of a submission leaves the last committed state, never half of one.
Each thread has its own connection.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import sqlite3
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

SQLITE_NAME = "serve.sqlite"
#: Entry fields a unit fills, with their labels in the history.
FIELDS = {"status": "完成状态", "done_date": "完成日期", "progress": "进展情况", "figures": "指标完成情况",
          "reporter": "填报人", "phone": "联系电话"}
DRAFT, SUBMITTED = "draft", "submitted"

MIGRATIONS: list[tuple[int, str, list[str]]] = [
    (1, "initial schema", [
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        "CREATE TABLE plans (key TEXT PRIMARY KEY, title TEXT NOT NULL, path TEXT NOT NULL)",
        "CREATE TABLE units (name TEXT PRIMARY KEY, full_name TEXT NOT NULL)",
        "CREATE TABLE tokens (hash TEXT PRIMARY KEY, unit TEXT NOT NULL, created_at TEXT NOT NULL, revoked_at TEXT)",
        "CREATE TABLE accounts (name TEXT PRIMARY KEY, password TEXT NOT NULL, created_at TEXT NOT NULL)",
        "CREATE TABLE sessions (hash TEXT PRIMARY KEY, account TEXT NOT NULL, created_at TEXT NOT NULL,"
        " expires_at TEXT NOT NULL)",
        "CREATE TABLE entries (plan TEXT NOT NULL, task TEXT NOT NULL, unit TEXT NOT NULL,"
        " status TEXT NOT NULL DEFAULT '', done_date TEXT NOT NULL DEFAULT '', progress TEXT NOT NULL DEFAULT '',"
        " figures TEXT NOT NULL DEFAULT '{}', reporter TEXT NOT NULL DEFAULT '', phone TEXT NOT NULL DEFAULT '',"
        " state TEXT NOT NULL DEFAULT 'draft', version INTEGER NOT NULL DEFAULT 0, updated_at TEXT NOT NULL,"
        " updated_by TEXT NOT NULL, submitted TEXT, submitted_at TEXT, PRIMARY KEY (plan, task, unit))",
        "CREATE TABLE evidence (id TEXT PRIMARY KEY, plan TEXT NOT NULL, task TEXT NOT NULL, unit TEXT NOT NULL,"
        " name TEXT NOT NULL, kind TEXT NOT NULL, size INTEGER NOT NULL, sha256 TEXT NOT NULL, at TEXT NOT NULL,"
        " actor TEXT NOT NULL, removed_at TEXT)",
        "CREATE TABLE history (id {serial} PRIMARY KEY, at TEXT NOT NULL, actor TEXT NOT NULL,"
        " unit TEXT NOT NULL, plan TEXT NOT NULL, task TEXT NOT NULL, field TEXT NOT NULL,"
        " old TEXT NOT NULL, new TEXT NOT NULL)",
    ]),
    (2, "indexes for a unit's history, tokens and evidence", [
        "CREATE INDEX history_unit ON history (unit, id)",
        "CREATE INDEX tokens_unit ON tokens (unit)",
        "CREATE INDEX evidence_unit ON evidence (unit, plan, task)",
    ]),
]
LATEST = MIGRATIONS[-1][0]
#: Tables in dependency order (for the backup of a PostgreSQL database into SQLite).
TABLES = ("meta", "plans", "units", "tokens", "accounts", "sessions", "entries", "evidence", "history")


class StoreError(Exception):
    """The database cannot be opened or used; the message is for the office (Chinese)."""


class Conflict(Exception):
    """The entry changed since the form was shown (another tab, another person)."""


def now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass
class Entry:
    """A unit's entry on one task: the draft (what the form shows) and the last submitted values."""

    plan: str
    task: str
    unit: str
    status: str = ""
    done_date: str = ""
    progress: str = ""
    figures: dict | None = None
    reporter: str = ""
    phone: str = ""
    state: str = DRAFT
    version: int = 0
    updated_at: str = ""
    updated_by: str = ""
    submitted: dict | None = None
    submitted_at: str | None = None

    def values(self) -> dict:
        return {"status": self.status, "done_date": self.done_date, "progress": self.progress,
                "figures": dict(self.figures or {}), "reporter": self.reporter, "phone": self.phone}

    @classmethod
    def of(cls, row: dict) -> Entry:
        return cls(plan=row["plan"], task=row["task"], unit=row["unit"], status=row["status"],
                   done_date=row["done_date"], progress=row["progress"], figures=json.loads(row["figures"] or "{}"),
                   reporter=row["reporter"], phone=row["phone"], state=row["state"], version=row["version"],
                   updated_at=row["updated_at"], updated_by=row["updated_by"],
                   submitted=json.loads(row["submitted"]) if row["submitted"] else None,
                   submitted_at=row["submitted_at"])


def _text(value) -> str:
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return "" if value is None else str(value)


class Store:
    """A database of one data folder (module docstring). `url` is a ``postgresql://`` URL or None
    for SQLite in `folder`."""

    def __init__(self, folder: Path, url: str | None = None):
        self.folder = folder
        self.url = url
        self.kind = "postgresql" if url else "sqlite"
        self._local = threading.local()
        self._all: list = []
        self._lock = threading.Lock()

    # -- connections -------------------------------------------------------------------------------

    @property
    def path(self) -> Path:
        return self.folder / SQLITE_NAME

    def _connect(self):
        if self.kind == "sqlite":
            conn = sqlite3.connect(self.path, isolation_level=None, timeout=30, check_same_thread=False)
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")  # WAL: a commit survives a killed process
            conn.execute("PRAGMA busy_timeout=30000")
            conn.execute("PRAGMA foreign_keys=ON")
            return conn
        import psycopg
        from psycopg.rows import dict_row

        try:
            return psycopg.connect(self.url, autocommit=True, row_factory=dict_row)
        except psycopg.Error as exc:
            raise StoreError(f"无法连接数据库：{str(exc).strip().splitlines()[0] if str(exc).strip() else exc}") from None

    def connection(self):
        conn = getattr(self._local, "conn", None)
        if conn is not None and self.kind == "postgresql" and (conn.closed or conn.broken):
            conn = None  # the server restarted or the connection dropped: connect again
        if conn is None:
            conn = self._local.conn = self._connect()
            with self._lock:
                self._all.append(conn)
        return conn

    def close(self) -> None:
        with self._lock:
            for conn in self._all:
                with contextlib.suppress(Exception):
                    conn.close()
            self._all.clear()
        self._local = threading.local()

    def _sql(self, sql: str) -> str:
        return sql.replace("?", "%s") if self.kind == "postgresql" else sql

    def query(self, sql: str, params: tuple = ()) -> list[dict]:
        try:
            cur = self.connection().execute(self._sql(sql), params)
        except Exception:
            # a PostgreSQL connection dropped under a read outside a transaction: one more try on a new one
            if self.kind != "postgresql" or getattr(self._local, "writing", False) or not self.connection_lost():
                raise
            cur = self.connection().execute(self._sql(sql), params)
        return [dict(r) for r in cur.fetchall()] if cur.description else []

    def connection_lost(self) -> bool:
        conn = getattr(self._local, "conn", None)
        return conn is not None and (conn.closed or conn.broken)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Store]:
        """One write transaction: committed when the block ends, rolled back on any exception."""
        conn = self.connection()
        if self.kind == "sqlite":
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield self
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
        else:
            self._local.writing = True
            try:
                with conn.transaction():
                    yield self
            finally:
                self._local.writing = False

    def execute(self, sql: str, params: tuple = ()) -> None:
        self.connection().execute(self._sql(sql), params)

    # -- schema ------------------------------------------------------------------------------------

    def version(self) -> int:
        try:
            rows = self.query("SELECT version FROM schema_version")
        except Exception:  # noqa: BLE001 - no table yet (sqlite3 or psycopg error; autocommit: nothing to undo)
            return 0
        return rows[0]["version"] if rows else 0

    def migrate(self, upto: int = LATEST) -> list[int]:
        """Apply the migrations after the database's version (up to `upto`); the versions applied."""
        self.folder.mkdir(parents=True, exist_ok=True)
        serial = "INTEGER" if self.kind == "sqlite" else "BIGSERIAL"
        self.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
        applied = []
        with self.transaction():
            if self.kind == "postgresql":
                self.execute("LOCK TABLE schema_version IN EXCLUSIVE MODE")
            rows = self.query("SELECT version FROM schema_version")
            current = rows[0]["version"] if rows else 0
            if current > LATEST:
                raise StoreError(f"数据库的结构版本是 {current}，比这个 docgen 认识的 {LATEST} 新，请升级 docgen。")
            for version, _, statements in MIGRATIONS:
                if current < version <= upto:
                    for statement in statements:
                        self.execute(statement.replace("{serial}", serial))
                    applied.append(version)
                    current = version
            if not rows:
                self.execute("INSERT INTO schema_version (version) VALUES (?)", (current,))
            elif applied:
                self.execute("UPDATE schema_version SET version = ?", (current,))
        return applied

    def meta(self, key: str, make=None) -> str | None:
        """A setting (the CSRF secret…); made by `make()` and stored when missing."""
        rows = self.query("SELECT value FROM meta WHERE key = ?", (key,))
        if rows or make is None:
            return rows[0]["value"] if rows else None
        with self.transaction():
            rows = self.query("SELECT value FROM meta WHERE key = ?", (key,))
            if rows:
                return rows[0]["value"]
            value = make()
            self.execute("INSERT INTO meta (key, value) VALUES (?, ?)", (key, value))
            return value

    # -- plans and units ---------------------------------------------------------------------------

    def sync(self, plans: list[tuple[str, str, str]], units: list[tuple[str, str]]) -> None:
        """Record the plans served (key, title, path) and the member units (name, full name)."""
        with self.transaction():
            for key, title, path in plans:
                if self.query("SELECT 1 FROM plans WHERE key = ?", (key,)):
                    self.execute("UPDATE plans SET title = ?, path = ? WHERE key = ?", (title, path, key))
                else:
                    self.execute("INSERT INTO plans (key, title, path) VALUES (?, ?, ?)", (key, title, path))
            for name, full in units:
                if self.query("SELECT 1 FROM units WHERE name = ?", (name,)):
                    self.execute("UPDATE units SET full_name = ? WHERE name = ?", (full, name))
                else:
                    self.execute("INSERT INTO units (name, full_name) VALUES (?, ?)", (name, full))

    def plans(self) -> list[dict]:
        return self.query("SELECT key, title, path FROM plans ORDER BY key")

    def units(self) -> list[dict]:
        return self.query("SELECT name, full_name FROM units ORDER BY name")

    # -- tokens ------------------------------------------------------------------------------------

    def add_token(self, unit: str, digest: str, actor: str) -> None:
        at = now()
        self.execute("INSERT INTO tokens (hash, unit, created_at) VALUES (?, ?, ?)", (digest, unit, at))
        self._history(at, actor, unit, "", "", "链接", "", "已发放")

    def revoke_tokens(self, unit: str, actor: str) -> int:
        at = now()
        live = self.query("SELECT hash FROM tokens WHERE unit = ? AND revoked_at IS NULL", (unit,))
        self.execute("UPDATE tokens SET revoked_at = ? WHERE unit = ? AND revoked_at IS NULL", (at, unit))
        if live:
            self._history(at, actor, unit, "", "", "链接", "有效", "已作废")
        return len(live)

    def token_unit(self, digest: str) -> str | None:
        rows = self.query("SELECT unit FROM tokens WHERE hash = ? AND revoked_at IS NULL", (digest,))
        return rows[0]["unit"] if rows else None

    def live_tokens(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for row in self.query("SELECT unit, hash FROM tokens WHERE revoked_at IS NULL"):
            out.setdefault(row["unit"], []).append(row["hash"])
        return out

    # -- accounts and sessions ---------------------------------------------------------------------

    def set_account(self, name: str, password_hash: str) -> bool:
        """Add the account or change its password; True when it is new."""
        at = now()
        with self.transaction():
            exists = self.query("SELECT 1 FROM accounts WHERE name = ?", (name,))
            if exists:
                self.execute("UPDATE accounts SET password = ? WHERE name = ?", (password_hash, name))
                self.execute("DELETE FROM sessions WHERE account = ?", (name,))
            else:
                self.execute("INSERT INTO accounts (name, password, created_at) VALUES (?, ?, ?)",
                             (name, password_hash, at))
            self._history(at, "命令行", "", "", "", "办公室账号", name if exists else "", name)
        return not exists

    def account_hash(self, name: str) -> str | None:
        rows = self.query("SELECT password FROM accounts WHERE name = ?", (name,))
        return rows[0]["password"] if rows else None

    def add_session(self, digest: str, account: str, hours: float) -> None:
        at = dt.datetime.now(dt.UTC)
        with self.transaction():
            self.execute("DELETE FROM sessions WHERE expires_at < ?", (now(),))
            self.execute("INSERT INTO sessions (hash, account, created_at, expires_at) VALUES (?, ?, ?, ?)",
                         (digest, account, now(), (at + dt.timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")))

    def session_account(self, digest: str) -> str | None:
        rows = self.query("SELECT account FROM sessions WHERE hash = ? AND expires_at > ?", (digest, now()))
        return rows[0]["account"] if rows else None

    def end_session(self, digest: str) -> None:
        with self.transaction():
            self.execute("DELETE FROM sessions WHERE hash = ?", (digest,))

    # -- entries -----------------------------------------------------------------------------------

    def entries(self, unit: str | None = None, plan: str | None = None) -> list[Entry]:
        where, params = [], []
        if unit is not None:
            where.append("unit = ?")
            params.append(unit)
        if plan is not None:
            where.append("plan = ?")
            params.append(plan)
        sql = "SELECT * FROM entries" + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY plan, task, unit"
        return [Entry.of(r) for r in self.query(sql, tuple(params))]

    def entry(self, plan: str, task: str, unit: str) -> Entry | None:
        rows = self.query("SELECT * FROM entries WHERE plan = ? AND task = ? AND unit = ?", (plan, task, unit))
        return Entry.of(rows[0]) if rows else None

    def save(self, plan: str, task: str, unit: str, values: dict, actor: str, *, submit: bool,
             version: int | None = None) -> Entry:
        """Save a unit's values on a task (a draft, or submitted with `submit`) in one transaction,
        each changed field kept in the history. `version`: the entry's version the form was made
        from; raises `Conflict` when the entry has changed since."""
        at = now()
        with self.transaction():
            lock = " FOR UPDATE" if self.kind == "postgresql" else ""
            rows = self.query("SELECT * FROM entries WHERE plan = ? AND task = ? AND unit = ?" + lock,
                              (plan, task, unit))
            old = Entry.of(rows[0]) if rows else Entry(plan, task, unit, figures={})
            if version is not None and version != old.version:
                raise Conflict()
            before = old.values()
            for key, label in FIELDS.items():
                if _text(before[key]) != _text(values[key]):
                    self._history(at, actor, unit, plan, task, label, _text(before[key]), _text(values[key]))
            new = Entry(plan, task, unit, **{k: values[k] for k in FIELDS}, state=SUBMITTED if submit else old.state,
                        version=old.version + 1, updated_at=at, updated_by=actor,
                        submitted=old.submitted, submitted_at=old.submitted_at)
            if submit:
                new.submitted = {**values, "evidence": [e["name"] for e in self.evidence(unit, plan, task)]}
                new.submitted_at = at
                self._history(at, actor, unit, plan, task, "报送", "已报送" if old.submitted else "",
                              "已报送")
            params = (new.status, new.done_date, new.progress, _text(new.figures or {}), new.reporter, new.phone,
                      new.state, new.version, at, actor,
                      json.dumps(new.submitted, ensure_ascii=False, sort_keys=True) if new.submitted else None,
                      new.submitted_at)
            if rows:
                self.execute("UPDATE entries SET status = ?, done_date = ?, progress = ?, figures = ?, reporter = ?,"
                             " phone = ?, state = ?, version = ?, updated_at = ?, updated_by = ?, submitted = ?,"
                             " submitted_at = ? WHERE plan = ? AND task = ? AND unit = ?", params + (plan, task, unit))
            else:
                self.execute("INSERT INTO entries (status, done_date, progress, figures, reporter, phone, state,"
                             " version, updated_at, updated_by, submitted, submitted_at, plan, task, unit)"
                             " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", params + (plan, task, unit))
        return new

    # -- evidence ----------------------------------------------------------------------------------

    def add_evidence(self, ident: str, plan: str, task: str, unit: str, name: str, kind: str, size: int,
                     digest: str, actor: str) -> None:
        at = now()
        with self.transaction():
            self.execute("INSERT INTO evidence (id, plan, task, unit, name, kind, size, sha256, at, actor)"
                         " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", (ident, plan, task, unit, name, kind, size, digest,
                                                                   at, actor))
            self._history(at, actor, unit, plan, task, "佐证材料", "", name)

    def remove_evidence(self, ident: str, unit: str, actor: str) -> bool:
        at = now()
        with self.transaction():
            rows = self.query("SELECT * FROM evidence WHERE id = ? AND unit = ? AND removed_at IS NULL", (ident, unit))
            if not rows:
                return False
            self.execute("UPDATE evidence SET removed_at = ? WHERE id = ?", (at, ident))
            self._history(at, actor, unit, rows[0]["plan"], rows[0]["task"], "佐证材料", rows[0]["name"], "")
        return True

    def evidence(self, unit: str | None = None, plan: str | None = None, task: str | None = None) -> list[dict]:
        where, params = ["removed_at IS NULL"], []
        for column, value in (("unit", unit), ("plan", plan), ("task", task)):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        return self.query("SELECT * FROM evidence WHERE " + " AND ".join(where) + " ORDER BY at, id", tuple(params))

    def evidence_item(self, ident: str) -> dict | None:
        rows = self.query("SELECT * FROM evidence WHERE id = ? AND removed_at IS NULL", (ident,))
        return rows[0] if rows else None

    def evidence_ids(self) -> set[str]:
        return {r["id"] for r in self.query("SELECT id FROM evidence")}

    # -- history -----------------------------------------------------------------------------------

    def _history(self, at: str, actor: str, unit: str, plan: str, task: str, label: str, old: str, new: str) -> None:
        self.execute("INSERT INTO history (at, actor, unit, plan, task, field, old, new) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                     (at, actor, unit, plan, task, label, old, new))

    def history(self, unit: str | None = None, limit: int = 500) -> list[dict]:
        if unit is None:
            return self.query("SELECT * FROM history ORDER BY id DESC LIMIT ?", (limit,))
        return self.query("SELECT * FROM history WHERE unit = ? ORDER BY id DESC LIMIT ?", (unit, limit))

    # -- backup ------------------------------------------------------------------------------------

    def backup_to(self, target: Path) -> None:
        """A consistent copy of the database as a SQLite file at `target` (which must not exist)."""
        if self.kind == "sqlite":
            dst = sqlite3.connect(target)
            try:
                self.connection().backup(dst)
            finally:
                dst.close()
            return
        copy = Store(target.parent)
        copy.folder = target.parent
        copy_path = target
        conn = sqlite3.connect(copy_path, isolation_level=None)
        conn.row_factory = sqlite3.Row
        copy._local.conn = conn
        copy._all.append(conn)
        try:
            copy.migrate()
            with self.connection().transaction():
                self.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                with copy.transaction():
                    for table in TABLES:
                        for row in self.query(f"SELECT * FROM {table}"):  # noqa: S608 - fixed table names
                            cols = list(row)
                            copy.execute(f"INSERT INTO {table} ({', '.join(cols)}) VALUES "
                                         f"({', '.join('?' for _ in cols)})", tuple(row[c] for c in cols))
        finally:
            copy.close()


_URL = re.compile(r"^postgres(ql)?://", re.I)


def is_database_url(text: str) -> bool:
    return bool(_URL.match(text or ""))


def open_store(folder: Path, url: str | None = None) -> Store:
    """The store of a data folder: `url` if given, else the URL recorded in the folder, else SQLite."""
    url = url or recorded_url(folder)
    if url and not is_database_url(url):
        raise StoreError(f"数据库地址“{url[:60]}”不是 postgresql:// 地址。")
    return Store(folder, url)


CONFIG = "serve.json"


def recorded_url(folder: Path) -> str | None:
    try:
        data = json.loads((folder / CONFIG).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data.get("database") if isinstance(data, dict) else None


def record_url(folder: Path, url: str | None) -> None:
    """Remember the PostgreSQL URL in the folder (owner-only file), so collect and the admin
    subcommands find the database; nothing for SQLite."""
    path = folder / CONFIG
    if not url:
        path.unlink(missing_ok=True)
        return
    tmp = folder / f".{CONFIG}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump({"database": url}, f)
    os.replace(tmp, path)

"""The web application of `docgen serve` (Starlette; pages from Jinja2 templates, autoescaped).

Units: ``/u/{token}`` shows the unit's own tasks only; every query is scoped to the unit the token
belongs to, whatever the request names. The office: ``/office`` after logging in.

Every form carries a CSRF field bound to a cookie; every response carries a strict
Content-Security-Policy and the other headers of `security.HEADERS`; bodies are limited in size;
wrong tokens and passwords are rate-limited per client address. A hostile or malformed request
gets a 4xx page and one log line on the ``docgen.serve`` logger, never a traceback.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import anyio.to_thread
import jinja2
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from docgen.notify.ledger import STATUSES
from docgen.progress.collect import read_date
from docgen.serve import evidence, records, security
from docgen.serve.catalogue import Catalogue, Item
from docgen.serve.store import Conflict, Store

log = logging.getLogger("docgen.serve")
HERE = Path(__file__).parent
MAX_BODY = evidence.MAX_BYTES * 3 + 256 * 1024
MAX_FILES = 3
LIMITS = {"progress": 2000, "reporter": 40, "phone": 30, "figure": 40}
SESSION_HOURS = 12
#: Worker threads (each with its own database connection) per process.
THREADS = {"sqlite": 40, "postgresql": 16}
DONE = STATUSES[-1]


@dataclass
class Config:
    catalogue: Catalogue
    store: Store
    files: evidence.Files
    today: Callable[[], dt.date] = dt.date.today
    #: Secure cookies: True, False, or None to follow the request's scheme.
    secure: bool | None = None


# -- ASGI middleware -----------------------------------------------------------------------------------


class Guard:
    """Security headers on every response; request bodies over `MAX_BODY` refused with 413."""

    def __init__(self, app, limit: int = MAX_BODY):
        self.app, self.limit = app, limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            log.warning("拒绝 413 %s %s：请求体 %s 字节超过限制", _client(scope), scope.get("path"), declared[:20])
            return await _plain(send, 413, "上传的内容太大。")
        seen = 0
        started = False

        async def limited():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise _TooLarge()
            return message

        async def guarded(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                extra = [(k.encode(), v.encode()) for k, v in security.HEADERS.items()]
                names = {k for k, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [h for h in extra if h[0] not in names]
            await send(message)

        try:
            await self.app(scope, limited, guarded)
        except _TooLarge:
            log.warning("拒绝 413 %s %s：请求体超过限制", _client(scope), scope.get("path"))
            if not started:
                await _plain(send, 413, "上传的内容太大。")


class _TooLarge(Exception):
    pass


def _client(scope) -> str:
    client = scope.get("client")
    return client[0] if client else "-"


async def _plain(send, status: int, text: str) -> None:
    body = text.encode("utf-8")
    headers = [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode())]
    headers += [(k.encode(), v.encode()) for k, v in security.HEADERS.items()]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


# -- the application ---------------------------------------------------------------------------------


def create_app(config: Config):
    store, cat = config.store, config.catalogue
    secret = store.meta("csrf_secret", make=lambda: secrets.token_hex(32))
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True,
                             trim_blocks=True, lstrip_blocks=True)
    env.filters["when"] = _when
    token_guesses = security.RateLimit(20, 60)
    password_guesses = security.RateLimit(5, 900)
    account_guesses = security.RateLimit(10, 900)
    css = (HERE / "static" / "style.css").read_bytes()

    def secure(request: Request) -> bool:
        return config.secure if config.secure is not None else request.url.scheme == "https"

    def cookie_name(request: Request, name: str) -> str:
        return f"__Host-{name}" if secure(request) else name

    def page(request: Request, name: str, context: dict, status: int = 200) -> HTMLResponse:
        cookie = request.cookies.get(cookie_name(request, "dg_csrf"))
        fresh = cookie is None or len(cookie) != 43
        if fresh:
            cookie = secrets.token_urlsafe(32)
        scope = context.get("scope", "")
        html = env.get_template(name).render(**context, csrf=security.csrf_value(secret, cookie, scope),
                                             statuses=STATUSES, accept=evidence.ACCEPT,
                                             max_mb=evidence.MAX_BYTES // (1024 * 1024))
        response = HTMLResponse(html, status_code=status)
        if fresh:
            response.set_cookie(cookie_name(request, "dg_csrf"), cookie, httponly=True, samesite="strict",
                                secure=secure(request), path="/")
        return response

    async def apage(request: Request, name: str, context: dict, status: int = 200) -> HTMLResponse:
        """`page`, rendered in a worker thread so that the event loop keeps serving other requests."""
        return await run_in_threadpool(page, request, name, context, status)

    def refuse(request: Request, status: int, why: str, shown: str) -> HTMLResponse:
        log.warning("拒绝 %d %s %s %s：%s", status, request.client.host if request.client else "-", request.method,
                    _masked(request.url.path), why)
        return HTMLResponse(env.get_template("error.html").render(status=status, message=shown), status_code=status)

    async def form_of(request: Request, scope: str, files: int = 0):
        """The posted form when its CSRF field matches; else None (the caller refuses)."""
        origin = request.headers.get("origin")
        if origin and origin != "null" and origin.rstrip("/") != f"{request.url.scheme}://{request.url.netloc}":
            return None
        form = await request.form(max_files=files, max_fields=60, max_part_size=64 * 1024)
        cookie = request.cookies.get(cookie_name(request, "dg_csrf"))
        given = form.get("csrf")
        if not isinstance(given, str) or not security.csrf_ok(secret, cookie, scope, given):
            return None
        return form

    # -- units --------------------------------------------------------------------------------------

    def unit_of(request: Request) -> str | None:
        token = request.path_params["token"]
        address = request.client.host if request.client else "-"
        if token_guesses.blocked(address):
            raise HTTPException(429)
        unit = store.token_unit(security.digest(token)) if security.looks_like_token(token) else None
        if unit is None or unit not in cat.units:
            token_guesses.fail(address)
            return None
        return unit

    def unit_context(unit_name: str, token: str, posted: dict | None = None, message: str = "") -> dict:
        unit = cat.units[unit_name]
        entries = {(e.plan, e.task): e for e in store.entries(unit=unit_name)}
        files: dict[tuple[str, str], list] = {}
        for row in store.evidence(unit=unit_name):
            files.setdefault((row["plan"], row["task"]), []).append(row)
        today = config.today()
        cards = []
        last_person = ("", "")
        for e in sorted(entries.values(), key=lambda e: e.updated_at):
            if e.reporter or e.phone:
                last_person = (e.reporter, e.phone)
        for item in unit.items:
            entry = entries.get((item.plan, item.id))
            values = entry.values() if entry else {"status": "", "done_date": "", "progress": "", "figures": {},
                                                   "reporter": last_person[0], "phone": last_person[1]}
            if posted and posted.get("key") == (item.plan, item.id):
                values = posted["values"]
            submitted = entry.submitted if entry else None
            cards.append({
                "item": item, "values": values, "entry": entry, "files": files.get((item.plan, item.id), []),
                "late": item.late(today, (submitted or {}).get("status", "")),
                "error": posted.get("error") if posted and posted.get("key") == (item.plan, item.id) else "",
                "plan_title": cat.plans[item.plan].plan.title.value,
            })
        return {"unit": unit, "cards": cards, "token": token, "scope": f"u:{security.digest(token)}",
                "message": message, "today": today}

    async def unit_page(request: Request):
        unit = await run_in_threadpool(unit_of, request)
        if unit is None:
            return refuse(request, 404, "链接无效或已作废", "链接无效或已作废。请向通知上写明的联系人索取新链接。")
        saved = request.query_params.get("saved", "")
        message = {"draft": "已保存草稿（尚未报送）。", "submit": "已报送。", "removed": "已移除佐证材料。"}.get(saved, "")
        context = await run_in_threadpool(unit_context, unit, request.path_params["token"], None, message)
        return await apage(request, "unit.html", context)

    async def unit_save(request: Request):
        token = request.path_params["token"]
        unit_name = await run_in_threadpool(unit_of, request)
        if unit_name is None:
            return refuse(request, 404, "链接无效或已作废", "链接无效或已作废。")
        form = await form_of(request, f"u:{security.digest(token)}", files=MAX_FILES)
        if form is None:
            return refuse(request, 403, "CSRF 校验失败", "页面已过期，请刷新后重新填写。")
        item = cat.units[unit_name].item(str(form.get("plan", "")), str(form.get("task", "")))
        if item is None:  # a task that is not this unit's: nothing is read or written
            return refuse(request, 404, f"任务不属于“{unit_name}”", "没有这项任务。")
        action = form.get("action") or "submit"  # a form sent without a button (Enter, script) submits
        if action not in ("draft", "submit"):
            return refuse(request, 400, "未知的操作", "请用页面上的按钮保存或报送。")
        try:
            values = read_values(form, item)
            version = int(str(form.get("version", "")))
        except _Invalid as exc:
            posted = {"key": (item.plan, item.id), "values": exc.values, "error": exc.message}
            context = await run_in_threadpool(unit_context, unit_name, token, posted, "")
            return await apage(request, "unit.html", context, status=400)
        except ValueError:
            return refuse(request, 400, "表单字段不对", "表单内容不完整，请刷新后重新填写。")
        uploads = [f for f in form.getlist("files") if isinstance(f, UploadFile) and (f.filename or f.size)]
        if action == "submit":
            problem = submit_problem(values, config.today())
            if problem:
                posted = {"key": (item.plan, item.id), "values": values, "error": problem}
                context = await run_in_threadpool(unit_context, unit_name, token, posted, "")
                return await apage(request, "unit.html", context, status=400)
        stored = []
        for upload in uploads:
            data = await upload.read(evidence.MAX_BYTES + 1)
            try:
                kind = evidence.check(upload.filename or "", data)
            except evidence.Rejected as exc:
                log.warning("拒绝上传 %s %s：%s", unit_name, item.id, exc)
                posted = {"key": (item.plan, item.id), "values": values, "error": str(exc)}
                context = await run_in_threadpool(unit_context, unit_name, token, posted, "")
                return await apage(request, "unit.html", context, status=400)
            stored.append((kind, evidence.display_name(upload.filename or "", kind), data))
        try:
            await run_in_threadpool(keep, unit_name, item, values, stored, action == "submit", version)
        except Conflict:
            posted = {"key": (item.plan, item.id), "values": values,
                      "error": "这项任务在别处已被修改（可能是另一个窗口），请核对后重新保存。"}
            context = await run_in_threadpool(unit_context, unit_name, token, posted, "")
            return await apage(request, "unit.html", context, status=409)
        return RedirectResponse(f"/u/{token}?saved={action}#t-{quote(item.plan)}-{quote(item.id)}", status_code=303)

    def keep(unit_name: str, item: Item, values: dict, stored: list, submit: bool, version: int) -> None:
        actor = f"{unit_name}（填报链接）"
        current = store.entry(item.plan, item.id, unit_name)
        if (current.version if current else 0) != version:  # before any file is kept (`save` checks again)
            raise Conflict()
        for kind, name, data in stored:
            ident = config.files.new_id()
            config.files.write(ident, data)
            try:
                store.add_evidence(ident, item.plan, item.id, unit_name, name, kind, len(data),
                                   hashlib.sha256(data).hexdigest(), actor)
            except BaseException:
                config.files.discard(ident)
                raise
        store.save(item.plan, item.id, unit_name, values, actor, submit=submit, version=version)

    async def unit_remove(request: Request):
        token = request.path_params["token"]
        unit_name = await run_in_threadpool(unit_of, request)
        if unit_name is None:
            return refuse(request, 404, "链接无效或已作废", "链接无效或已作废。")
        form = await form_of(request, f"u:{security.digest(token)}")
        if form is None:
            return refuse(request, 403, "CSRF 校验失败", "页面已过期，请刷新后重试。")
        ident = request.path_params["ident"]
        done = await run_in_threadpool(store.remove_evidence, ident, unit_name, f"{unit_name}（填报链接）")
        if not done:
            return refuse(request, 404, "佐证材料不属于该单位", "没有这份佐证材料。")
        return RedirectResponse(f"/u/{token}?saved=removed", status_code=303)

    async def unit_file(request: Request):
        unit_name = await run_in_threadpool(unit_of, request)
        if unit_name is None:
            return refuse(request, 404, "链接无效或已作废", "链接无效或已作废。")
        return await send_file(request, request.path_params["ident"], unit_name)

    async def send_file(request: Request, ident: str, unit_name: str | None):
        row = await run_in_threadpool(store.evidence_item, ident) if len(ident) == 32 else None
        if row is None or (unit_name is not None and row["unit"] != unit_name):
            return refuse(request, 404, "佐证材料不存在或不属于该单位", "没有这份佐证材料。")
        try:
            path = config.files.path(ident)
        except ValueError:
            return refuse(request, 404, "佐证材料编号不对", "没有这份佐证材料。")
        if not path.is_file():
            return refuse(request, 404, "佐证材料文件缺失", "这份佐证材料的文件已不存在。")
        ext, media = evidence.KINDS[row["kind"]]
        disposition = f"attachment; filename=\"evidence{ext}\"; filename*=UTF-8''{quote(row['name'])}"
        return FileResponse(path, media_type=media, headers={"content-disposition": disposition})

    async def unit_history(request: Request):
        unit_name = await run_in_threadpool(unit_of, request)
        if unit_name is None:
            return refuse(request, 404, "链接无效或已作废", "链接无效或已作废。")
        rows = await run_in_threadpool(store.history, unit_name)
        return await apage(request, "history.html", {"unit": cat.units[unit_name], "rows": rows,
                                              "back": f"/u/{request.path_params['token']}"})

    # -- the office ---------------------------------------------------------------------------------

    def account_of(request: Request) -> str | None:
        sid = request.cookies.get(cookie_name(request, "dg_session"))
        if not sid or len(sid) > 100:
            return None
        return store.session_account(security.digest(sid))

    async def login_page(request: Request):
        return await apage(request, "login.html", {"scope": "login", "error": ""})

    async def login(request: Request):
        address = request.client.host if request.client else "-"
        if password_guesses.blocked(address):
            return refuse(request, 429, "密码尝试过多", "尝试次数过多，请 15 分钟后再试。")
        form = await form_of(request, "login")
        if form is None:
            return refuse(request, 403, "CSRF 校验失败", "页面已过期，请刷新后重新登录。")
        name, password = str(form.get("name", ""))[:100], str(form.get("password", ""))[:200]
        if account_guesses.blocked(name):
            return refuse(request, 429, f"账号“{name}”密码尝试过多", "尝试次数过多，请 15 分钟后再试。")
        stored = await run_in_threadpool(store.account_hash, name)
        ok = await run_in_threadpool(security.check_password, password, stored)
        if not ok:
            password_guesses.fail(address)
            account_guesses.fail(name)
            log.warning("登录失败 %s 账号“%s”", address, name[:40])
            return await apage(request, "login.html", {"scope": "login", "error": "账号或密码不对。"}, status=401)
        sid = secrets.token_urlsafe(32)
        await run_in_threadpool(store.add_session, security.digest(sid), name, SESSION_HOURS)
        response = RedirectResponse("/office", status_code=303)
        response.set_cookie(cookie_name(request, "dg_session"), sid, max_age=SESSION_HOURS * 3600, httponly=True,
                            samesite="strict", secure=secure(request), path="/")
        return response

    async def logout(request: Request):
        account = await run_in_threadpool(account_of, request)
        form = await form_of(request, f"office:{account}")
        if account is None or form is None:
            return refuse(request, 403, "未登录或 CSRF 校验失败", "请重新登录。")
        sid = request.cookies.get(cookie_name(request, "dg_session"), "")
        await run_in_threadpool(store.end_session, security.digest(sid))
        response = RedirectResponse("/office/login", status_code=303)
        response.delete_cookie(cookie_name(request, "dg_session"), path="/")
        return response

    def office_required(handler):
        async def wrapped(request: Request):
            account = await run_in_threadpool(account_of, request)
            if account is None:
                if request.method == "GET" and request.url.path == "/office":
                    return RedirectResponse("/office/login", status_code=303)
                return refuse(request, 401, "未登录", "请先登录。")
            return await handler(request, account)
        return wrapped

    def dashboard_context(account: str) -> dict:
        today = config.today()
        entries = {(e.plan, e.task, e.unit): e for e in store.entries()}
        evidence_count: dict[tuple, int] = {}
        for row in store.evidence():
            key = (row["plan"], row["task"], row["unit"])
            evidence_count[key] = evidence_count.get(key, 0) + 1
        units, tasks = [], {}
        for unit in cat.units.values():
            stats = {"unit": unit, "tasks": len(unit.items), "reported": 0, "done": 0, "late": 0, "drafts": 0,
                     "last": ""}
            for item in unit.items:
                entry = entries.get((item.plan, item.id, unit.name))
                submitted = entry.submitted if entry else None
                status = (submitted or {}).get("status", "")
                row = tasks.setdefault((item.plan, item.id), {"item": item, "units": 0, "reported": 0, "done": 0,
                                                              "late": [], "missing": []})
                row["units"] += 1
                if submitted:
                    stats["reported"] += 1
                    row["reported"] += 1
                    stats["last"] = max(stats["last"], entry.submitted_at or "")
                else:
                    row["missing"].append(unit.name)
                    if entry:
                        stats["drafts"] += 1
                if status == DONE:
                    stats["done"] += 1
                    row["done"] += 1
                if item.late(today, status):
                    stats["late"] += 1
                    row["late"].append(unit.name)
            units.append(stats)
        order = {(k, t.id): i for k, sp in cat.plans.items() for i, t in enumerate(sp.plan.tasks())}
        task_rows = sorted(tasks.values(), key=lambda r: (r["item"].plan, order.get((r["item"].plan, r["item"].id), 0)))
        return {"units": units, "tasks": task_rows, "account": account, "scope": f"office:{account}",
                "today": today, "plans": cat.plans}

    async def dashboard(request: Request, account: str):
        context = await run_in_threadpool(dashboard_context, account)
        return await apage(request, "dashboard.html", context)

    def office_unit_context(unit_name: str, account: str) -> dict:
        unit = cat.units[unit_name]
        today = config.today()
        entries = {(e.plan, e.task): e for e in store.entries(unit=unit_name)}
        files: dict[tuple, list] = {}
        for row in store.evidence(unit=unit_name):
            files.setdefault((row["plan"], row["task"]), []).append(row)
        cards = []
        for item in unit.items:
            entry = entries.get((item.plan, item.id))
            submitted = entry.submitted if entry else None
            cards.append({"item": item, "entry": entry, "submitted": submitted,
                          "files": files.get((item.plan, item.id), []),
                          "late": item.late(today, (submitted or {}).get("status", ""))})
        plans = sorted({i.plan for i in unit.items})
        return {"unit": unit, "cards": cards, "account": account, "scope": f"office:{account}", "plans": plans,
                "titles": {k: cat.plans[k].plan.title.value for k in plans},
                "history": store.history(unit_name, 200)}

    async def office_unit(request: Request, account: str):
        name = request.query_params.get("name", "")
        if name not in cat.units:
            return refuse(request, 404, "没有这个单位", "没有这个单位。")
        context = await run_in_threadpool(office_unit_context, name, account)
        return await apage(request, "office_unit.html", context)

    def export_bytes(unit_name: str, plan_key: str) -> bytes:
        served = cat.plans[plan_key]
        recipient = next(r for r in served.recipients if r.name == unit_name)
        entries = store.entries(unit=unit_name, plan=plan_key)
        submitted = {e.task: e.submitted for e in entries if e.submitted}
        return records.workbook(recipient, served.plan.title.value, plan_key, submitted,
                                [e.submitted_at or "" for e in entries])

    async def export(request: Request, account: str):
        name, plan_key = request.query_params.get("name", ""), request.query_params.get("plan", "")
        unit = cat.units.get(name)
        if unit is None or plan_key not in {i.plan for i in unit.items}:
            return refuse(request, 404, "没有这个单位或方案", "没有这个单位或方案。")
        data = await run_in_threadpool(export_bytes, name, plan_key)
        from docgen.notify.names import safe_stem

        filename = f"{safe_stem(name)}-台账.xlsx"
        return Response(data, media_type=evidence.KINDS["xlsx"][1], headers={
            "content-disposition": f"attachment; filename=\"ledger.xlsx\"; filename*=UTF-8''{quote(filename)}"})

    async def office_file(request: Request, account: str):
        return await send_file(request, request.path_params["ident"], None)

    async def office_history(request: Request, account: str):
        rows = await run_in_threadpool(store.history, None, 1000)
        return await apage(request, "history.html", {"unit": None, "rows": rows, "back": "/office"})

    # -- the rest -----------------------------------------------------------------------------------

    async def home(request: Request):
        return await apage(request, "home.html", {})

    async def stylesheet(request: Request):
        return Response(css, media_type="text/css", headers={"cache-control": "public, max-age=3600"})

    async def health(request: Request):
        return Response("ok", media_type="text/plain")

    async def http_error(request: Request, exc: HTTPException):
        status = exc.status_code
        if status == 400 and "exceeded maximum size" in str(exc.detail):
            # Starlette's limit on one form field (a 进展情况 pasted from a long report)
            return refuse(request, 413, f"HTTP 400 {exc.detail}"[:200],
                          "填写的内容太长（每一栏最多约两万字），请精简后重新保存；详细材料可作为附件上传。")
        shown = {400: "请求内容不对。", 401: "请先登录。", 403: "没有权限。", 404: "没有这个页面。", 405: "不支持这种请求。",
                 413: "上传的内容太大。", 429: "尝试次数过多，请稍后再试。"}.get(status, "请求无法处理。")
        return refuse(request, status, f"HTTP {status} {exc.detail}"[:200], shown)

    async def server_error(request: Request, exc: Exception):
        log.error("内部错误 %s %s：%s: %s", request.method, _masked(request.url.path), type(exc).__name__, exc)
        return HTMLResponse(env.get_template("error.html").render(status=500, message="服务器内部错误，请稍后再试。"),
                            status_code=500)

    routes = [
        Route("/", home),
        Route("/healthz", health),
        Route("/static/style.css", stylesheet),
        Route("/u/{token}", unit_page),
        Route("/u/{token}/save", unit_save, methods=["POST"]),
        Route("/u/{token}/history", unit_history),
        Route("/u/{token}/evidence/{ident}", unit_file),
        Route("/u/{token}/evidence/{ident}/remove", unit_remove, methods=["POST"]),
        Route("/office/login", login_page),
        Route("/office/login", login, methods=["POST"]),
        Route("/office/logout", logout, methods=["POST"]),
        Route("/office", office_required(dashboard)),
        Route("/office/unit", office_required(office_unit)),
        Route("/office/ledger.xlsx", office_required(export)),
        Route("/office/evidence/{ident}", office_required(office_file)),
        Route("/office/history", office_required(office_history)),
    ]
    @contextlib.asynccontextmanager
    async def lifespan(app):
        # each worker thread holds a database connection: bound them (PostgreSQL's max_connections
        # is shared by every worker process)
        anyio.to_thread.current_default_thread_limiter().total_tokens = THREADS[store.kind]
        yield

    app = Starlette(routes=routes, exception_handlers={HTTPException: http_error, Exception: server_error},
                    lifespan=lifespan)
    return Guard(app)


class _Invalid(ValueError):
    def __init__(self, message: str, values: dict):
        super().__init__(message)
        self.message, self.values = message, values


def _field(form, name: str, limit: int) -> str:
    value = form.get(name, "")
    if not isinstance(value, str):
        raise ValueError(name)
    return value.replace("\r\n", "\n").strip()[: limit + 1]


def read_values(form, item: Item) -> dict:
    """The values posted for `item`, checked; `_Invalid` (with the values, to show again) when wrong."""
    values = {"status": _field(form, "status", 10), "done_date": _field(form, "done_date", 20),
              "progress": _field(form, "progress", LIMITS["progress"]),
              "reporter": _field(form, "reporter", LIMITS["reporter"]), "phone": _field(form, "phone", LIMITS["phone"]),
              "figures": {}}
    for n, target in enumerate(item.task.targets):
        values["figures"][target.name] = _field(form, f"figure{n}", LIMITS["figure"])
    if values["status"] and values["status"] not in STATUSES:
        raise ValueError("status")
    for key in ("progress", "reporter", "phone"):
        if len(values[key]) > LIMITS[key]:
            raise _Invalid(f"{ {'progress': '进展情况', 'reporter': '填报人', 'phone': '联系电话'}[key]}"
                           f"最多 {LIMITS[key]} 个字。", values)
    if any(ch < " " and ch != "\n" for key in ("progress", "reporter", "phone") for ch in values[key]):
        raise _Invalid("文字中有控制字符，请删除后重新填写。", values)
    if values["phone"] and not all(c.isdigit() or c in "-+ （）()转" for c in values["phone"]):
        raise _Invalid("联系电话只能写数字和“-”，例如 0571-12345678 或 13800000000。", values)
    if values["done_date"]:
        try:
            date = read_date(values["done_date"])
        except (ValueError, OverflowError):
            raise _Invalid(f"看不懂完成日期“{values['done_date'][:20]}”，请写作 2025-06-30。", values) from None
        values["done_date"] = date.isoformat()
    for name, figure in values["figures"].items():
        if figure:
            try:
                number = float(figure)
            except ValueError:
                raise _Invalid(f"“{name}”的完成数应是一个数，例如 12。", values) from None
            if not (number == number and abs(number) < 1e12):
                raise _Invalid(f"“{name}”的完成数不对。", values)
    return values


def submit_problem(values: dict, today: dt.date) -> str:
    """Why these values cannot be submitted, or "". As in the ledger, a blank status counts as 未启动
    and every other field may be blank; a completion date after today would stop `docgen collect`
    (DG604), so it is refused here, where the unit can still correct it."""
    if values["done_date"] and dt.date.fromisoformat(values["done_date"]) > today:
        return "完成日期不能晚于今天。"
    return ""


def _masked(path: str) -> str:
    """A path for the log with the unit token shortened (the log must not hold working links)."""
    parts = path.split("/")
    if len(parts) > 2 and parts[1] == "u":
        parts[2] = parts[2][:4] + "…"
    return "/".join(parts)[:200]


def _when(value: str | None) -> str:
    """A stored UTC time as the office reads it (local time, to the minute)."""
    if not value:
        return ""
    try:
        moment = dt.datetime.strptime(value[:19], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=dt.UTC)
    except ValueError:
        return value
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")

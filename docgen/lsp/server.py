"""The docgen language server (pygls): docgen's findings, completions and hovers in the editor.

Each open plan or registry is checked as the drafter types (after a short pause), with the same
load, schema and lint stages as `docgen check` and the registry and parent plans read from disk
(again only when their files changed: the checker keeps a `SourceCache`); the findings are
published as diagnostics with the same codes and Chinese messages.

Checks run one at a time in a process of their own (`checker`), so completion and hover are
answered while a large plan is checked; a check that a newer edit made stale is dropped before it
starts. An edit inside one task of a plan checked before is checked incrementally (`incremental`:
that task is read and linted again, with the same findings as a full check). The server itself keeps only the registry, for completion and hover. Whatever the client
sends, it gets an answer in JSON-RPC's terms (`_Protocol`): a request with malformed
parameters an "invalid params" error, a request before ``initialize`` "server not initialized",
a failing handler an internal error whose data holds no traceback (that goes to the log).
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from lsprotocol import types
from pygls.exceptions import (
    JsonRpcException,
    JsonRpcInvalidParams,
    JsonRpcInvalidRequest,
    JsonRpcParseError,
    JsonRpcServerNotInitialized,
)
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol
from pygls.uris import to_fs_path
from pygls.workspace.position_codec import PositionCodec, ServerTextPosition, ServerTextRange

from docgen.checked import SourceCache
from docgen.lsp import features
from docgen.lsp.checker import Checker

#: Seconds without typing before a changed document is checked again.
DEBOUNCE = 0.3

log = logging.getLogger(__name__)

_SEVERITY = {"error": types.DiagnosticSeverity.Error, "warning": types.DiagnosticSeverity.Warning}
_KINDS = {
    "unit": types.CompletionItemKind.Value,
    "group": types.CompletionItemKind.Folder,
    "suborg": types.CompletionItemKind.Module,
    "deadline": types.CompletionItemKind.Constant,
}


@dataclass(frozen=True)
class _Refused:
    """A request whose parameters could not be read: answered with `error`, never handled."""

    id: Any
    method: str
    error: JsonRpcException


def _request_id(data: dict) -> Any:
    """The id to answer `data` with: its own when JSON-RPC allows it (a string or an integer), else null."""
    msg_id = data.get("id")
    return msg_id if isinstance(msg_id, (str, int)) and not isinstance(msg_id, bool) else None


class _Protocol(LanguageServerProtocol):
    """pygls' protocol, answering every request whatever the client sends (module docstring)."""

    def structure_message(self, data: dict[str, Any]):
        if "jsonrpc" in data and "method" in data and "id" in data and _request_id(data) is None:
            return _Refused(None, "?", JsonRpcInvalidRequest("请求的 id 应是字符串或整数。"))
        try:
            return super().structure_message(data)
        except JsonRpcException as exc:
            if "jsonrpc" in data and "method" in data and "id" in data:  # a request: it must be answered
                method = data["method"] if isinstance(data["method"], str) else "?"
                error = JsonRpcInvalidParams(f"“{method}”请求的参数格式不对（如位置的行号、列号应是非负整数），已忽略。") \
                    if isinstance(exc, JsonRpcInvalidParams) else JsonRpcInvalidRequest(f"无法读取“{method}”请求。")
                return _Refused(_request_id(data), method, error)
            raise

    def handle_message(self, message) -> None:
        if isinstance(message, _Refused):
            self._send_response(message.id, error=message.error.to_response_error())
            return
        if not hasattr(message, "jsonrpc"):  # JSON, but not a JSON-RPC message (a list, a number…)
            self._send_response(None, error=JsonRpcInvalidRequest("不是 JSON-RPC 消息。").to_response_error())
            return
        method = getattr(message, "method", None)
        if self._workspace is None and method not in (types.INITIALIZE, types.EXIT):
            if hasattr(message, "id") and method is not None:  # a request; a notification is dropped
                self._send_response(message.id, error=JsonRpcServerNotInitialized(
                    "语言服务尚未初始化：请先发送 initialize 请求。").to_response_error())
            return
        super().handle_message(message)

    def _send_response(self, msg_id, result=None, error: types.ResponseError | None = None) -> None:
        if error is not None and error.data is not None:  # pygls puts the traceback there; it stays in the log
            error = types.ResponseError(code=error.code, message=error.message)
        super()._send_response(msg_id, result, error)


class DocgenServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("docgen", _version(), protocol_cls=_Protocol)
        #: The last check of each document, by URI (for completion and hover).
        self.checked: dict[str, features.Checked] = {}
        #: The latest check asked for each document, and those of them still in their debounce.
        self._latest: dict[str, asyncio.Task] = {}
        self._waiting: set[asyncio.Task] = set()
        #: One check at a time, in the checker process; the thread waits for it off the event loop.
        self._checking = asyncio.Lock()
        self.checker = Checker()
        self._waiter = ThreadPoolExecutor(max_workers=1, thread_name_prefix="docgen-check")
        #: The registry read from disk for completion and hover, kept while its files are unchanged.
        self.cache = SourceCache()

    def open_document(self, uri: str):
        """The open document `uri`, or None: the server reads no file the editor has not opened."""
        return self.workspace.text_documents.get(unquote(uri))

    async def check_later(self, uri: str, delay: float) -> None:
        """Check `uri` after `delay` seconds, cancelling a check of it still waiting."""
        latest = self._latest.get(uri)
        if latest is not None and latest in self._waiting:
            latest.cancel()
        self._latest[uri] = asyncio.ensure_future(self._check(uri, delay))

    async def _check(self, uri: str, delay: float) -> None:
        me = asyncio.current_task()
        self._waiting.add(me)
        try:
            if delay:
                await asyncio.sleep(delay)
        finally:
            self._waiting.discard(me)
        async with self._checking:
            if self._latest.get(uri) is not me:
                return  # a newer edit asked for a check of its own
            document = self.open_document(uri)
            path = _path(uri)
            if document is None or path is None:
                return
            text = document.source
            running = asyncio.get_running_loop().run_in_executor(self._waiter, self._checked, path, text)
            try:
                checked = await asyncio.shield(running)
            except asyncio.CancelledError:
                await asyncio.wait([running])  # the lock is held until the thread is done
                raise
            except Exception as exc:  # never let one document stop the server
                log.exception("check failed")
                self.window_log_message(types.LogMessageParams(types.MessageType.Error, f"docgen 检查失败：{exc}"))
                return
        current = self.open_document(uri)
        if current is None or current.source != text:
            return  # closed, or the drafter typed on: a newer check is on its way
        self.checked[uri] = checked
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
            uri=uri, version=document.version, diagnostics=diagnostics(document.position_codec, text, checked.findings)))

    def _checked(self, path: Path, text: str) -> features.Checked:
        """The findings of `text` (from the checker process) and the registry for completion and hover."""
        if not features.is_docgen(text):
            return features.Checked()
        return features.Checked(self.checker.check(path, text), features.context(path, self.cache))

    def report_server_error(self, error: Exception, source) -> None:
        """A message that is not JSON (or not UTF-8) is answered as JSON-RPC says: parse error, id null.
        Any other fault outside a request (a notification the server could not use, such as a change
        to a document never opened) goes to the editor's log, not to a pop-up in front of the drafter."""
        if isinstance(error, (json.JSONDecodeError, UnicodeDecodeError)):
            self.protocol._send_response(None, error=JsonRpcParseError("消息不是合法的 JSON。").to_response_error())
            return
        self.window_log_message(types.LogMessageParams(types.MessageType.Warning,
                                                       f"docgen 语言服务忽略了一条无法处理的消息：{error}"))


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("docgen")
    except PackageNotFoundError:
        return "0"


def _path(uri: str) -> Path | None:
    if not uri.startswith("file:"):
        return None
    fs = to_fs_path(uri)
    return Path(fs) if fs else None


def diagnostics(codec: PositionCodec, text: str, findings: list[features.Finding]) -> list[types.Diagnostic]:
    """The findings as diagnostics in the client's units: each finding converts only its own line,
    which the checker sent with it (else the text is split into lines once; pygls'
    `TextDocument.range_to_client_units` splits the whole document again on every call: findings x
    document size)."""
    if not findings:
        return []
    lines: Sequence[str] | dict[int, str]
    if all(f.text is not None and f.end <= len(f.text) for f in findings):  # (past it, the line break counts)
        lines = {f.line: f.text for f in findings}
    else:
        lines = text.splitlines(True)
    out = []
    for finding in findings:
        p = finding.problem
        server_range = ServerTextRange(ServerTextPosition(finding.line, finding.start),
                                       ServerTextPosition(finding.line, finding.end))
        out.append(types.Diagnostic(
            range=codec.range_to_client_units(lines, server_range),
            message=p.message,
            severity=_SEVERITY[p.severity.value],
            code=p.code,
            source="docgen",
            data={"name": p.name},
        ))
    return out


server = DocgenServer()


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
async def did_open(ls: DocgenServer, params: types.DidOpenTextDocumentParams) -> None:
    await ls.check_later(params.text_document.uri, 0)


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
async def did_change(ls: DocgenServer, params: types.DidChangeTextDocumentParams) -> None:
    await ls.check_later(params.text_document.uri, DEBOUNCE)


@server.feature(types.TEXT_DOCUMENT_DID_SAVE)
async def did_save(ls: DocgenServer, params: types.DidSaveTextDocumentParams) -> None:
    """Check the saved document, and every other open one: a saved registry or parent plan changes them."""
    saved = params.text_document.uri
    await ls.check_later(saved, 0)
    for uri in list(ls.checked):
        if uri != saved:
            await ls.check_later(uri, 0)


@server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
def did_close(ls: DocgenServer, params: types.DidCloseTextDocumentParams) -> None:
    uri = params.text_document.uri
    ls.checked.pop(uri, None)
    latest = ls._latest.pop(uri, None)
    if latest is not None and latest in ls._waiting:
        latest.cancel()
    ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))


async def _context(ls: DocgenServer, uri: str) -> features.Checked | None:
    """The last check of `uri` (never waiting for a newer one); checks it now if it has never been checked."""
    if uri not in ls.checked:
        task = ls._latest.get(uri)
        if task is None or task.done():
            await ls.check_later(uri, 0)
            task = ls._latest[uri]
        try:
            await asyncio.shield(task)
        except asyncio.CancelledError:  # a newer edit took its place
            pass
    return ls.checked.get(uri)


@server.feature(types.TEXT_DOCUMENT_COMPLETION, types.CompletionOptions(trigger_characters=[":", " ", "-", "[", ","]))
async def completion(ls: DocgenServer, params: types.CompletionParams) -> types.CompletionList:
    uri = params.text_document.uri
    document = ls.open_document(uri)
    if document is None:
        return types.CompletionList(is_incomplete=False, items=[])
    pos = document.position_codec.position_from_client_units(features.lines_of(document.source), params.position)
    checked = await _context(ls, uri)
    items = features.complete(document.source, pos.line, pos.character, checked.ctx if checked else None)
    return types.CompletionList(is_incomplete=False, items=[
        types.CompletionItem(
            label=c.label,
            kind=_KINDS[c.kind],
            detail=c.detail,
            documentation=types.MarkupContent(types.MarkupKind.Markdown, c.documentation) if c.documentation else None,
            sort_text=f"{i:04d}",
        )
        for i, c in enumerate(items)
    ])


@server.feature(types.TEXT_DOCUMENT_HOVER)
async def hover(ls: DocgenServer, params: types.HoverParams) -> types.Hover | None:
    uri = params.text_document.uri
    document = ls.open_document(uri)
    if document is None:
        return None
    pos = document.position_codec.position_from_client_units(features.lines_of(document.source), params.position)
    checked = await _context(ls, uri)
    text = features.hover(document.source, pos.line, pos.character, checked)
    if text is None:
        return None
    return types.Hover(contents=types.MarkupContent(types.MarkupKind.Markdown, text))


@server.feature(types.TEXT_DOCUMENT_CODE_ACTION,
                types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]))
async def code_action(ls: DocgenServer, params: types.CodeActionParams) -> list[types.CodeAction]:
    """Quick fixes: the safe fixes `docgen check --fix` applies, one per finding in the range."""
    uri = params.text_document.uri
    document = ls.workspace.get_text_document(uri)
    codec, lines = document.position_codec, features.lines_of(document.source)
    first = codec.position_from_client_units(lines, params.range.start).line
    last = codec.position_from_client_units(lines, params.range.end).line
    checked = await _context(ls, uri)
    out = []
    for fix in features.quick_fixes(checked, first, last):
        edit = types.TextEdit(range=codec.range_to_client_units(lines, ServerTextRange(
            ServerTextPosition(fix.line, fix.start), ServerTextPosition(fix.line, fix.end))), new_text=fix.new)
        out.append(types.CodeAction(
            title=fix.title, kind=types.CodeActionKind.QuickFix, is_preferred=True,
            diagnostics=diagnostics(codec, document.source, [fix.finding]),
            edit=types.WorkspaceEdit(changes={uri: [edit]})))
    return out


@server.command("docgen.schema")
def schema_command(ls: DocgenServer, *args) -> str:
    """The JSON Schema of a kind ("plan" by default), for clients that fetch it from the server
    (a plans-only repository has no schemas/ folder until `docgen schema` writes one)."""
    from docgen.jobs.schemas import schema_text

    kind = args[0] if args and isinstance(args[0], str) else "plan"
    if args and isinstance(args[0], list) and args[0]:
        kind = str(args[0][0])
    return schema_text(kind)


@server.feature(types.SHUTDOWN)
def shutdown(ls: DocgenServer, params) -> None:
    ls.checker.close()


def run() -> None:
    """Serve over stdin/stdout until the client says exit."""
    try:
        server.start_io()
    finally:
        server.checker.close()

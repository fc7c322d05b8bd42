"""The docgen language server (pygls): docgen's findings, completions and hovers in the editor.

Each open plan or registry is checked as the drafter types (after a short pause), with the same
load, schema and lint stages as `docgen check` and the registry and parent plans read from disk
(again only when their files changed: the server keeps a `SourceCache`); the findings are
published as diagnostics with the same codes and Chinese messages.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path
from pygls.workspace.position_codec import ServerTextPosition, ServerTextRange

from docgen.checked import SourceCache
from docgen.lsp import features

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


class DocgenServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("docgen", _version())
        #: The last check of each document, by URI (for completion and hover).
        self.checked: dict[str, features.Checked] = {}
        self._pending: dict[str, asyncio.Task] = {}
        #: The registry and parent plans read from disk, kept while their files are unchanged.
        self.cache = SourceCache()

    async def check_later(self, uri: str, delay: float) -> None:
        """Check `uri` after `delay` seconds, cancelling a check of it still waiting."""
        waiting = self._pending.pop(uri, None)
        if waiting is not None:
            waiting.cancel()
        task = asyncio.ensure_future(self._check(uri, delay))
        self._pending[uri] = task

    async def _check(self, uri: str, delay: float) -> None:
        if delay:
            await asyncio.sleep(delay)
        document = self.workspace.get_text_document(uri)
        path = _path(uri)
        if path is None:
            return
        text = document.source
        try:
            checked = await asyncio.to_thread(features.check_text, path, text, self.cache)
        except Exception as exc:  # never let one document stop the server
            log.exception("check failed")
            self.window_log_message(types.LogMessageParams(types.MessageType.Error, f"docgen 检查失败：{exc}"))
            return
        if self.workspace.get_text_document(uri).source != text:
            return  # the drafter typed on; a newer check is on its way
        self.checked[uri] = checked
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
            uri=uri, version=document.version, diagnostics=[_diagnostic(document, f) for f in checked.findings]))


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


def _diagnostic(document, finding: features.Finding) -> types.Diagnostic:
    p = finding.problem
    server_range = ServerTextRange(ServerTextPosition(finding.line, finding.start),
                                   ServerTextPosition(finding.line, finding.end))
    return types.Diagnostic(
        range=document.range_to_client_units(server_range),
        message=p.message,
        severity=_SEVERITY[p.severity.value],
        code=p.code,
        source="docgen",
        data={"name": p.name},
    )


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
    waiting = ls._pending.pop(uri, None)
    if waiting is not None:
        waiting.cancel()
    ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))


def _server_position(ls: DocgenServer, uri: str, position: types.Position):
    document = ls.workspace.get_text_document(uri)
    return document, document.position_from_client_units(position)


async def _context(ls: DocgenServer, uri: str) -> features.Checked | None:
    """The last check of `uri`; checks it now if it has never been checked."""
    if uri not in ls.checked:
        task = ls._pending.get(uri)
        if task is not None and not task.done():
            try:
                await task
            except asyncio.CancelledError:
                pass
        if uri not in ls.checked:
            await ls._check(uri, 0)
    return ls.checked.get(uri)


@server.feature(types.TEXT_DOCUMENT_COMPLETION, types.CompletionOptions(trigger_characters=[":", " ", "-", "[", ","]))
async def completion(ls: DocgenServer, params: types.CompletionParams) -> types.CompletionList:
    uri = params.text_document.uri
    document, pos = _server_position(ls, uri, params.position)
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
    document, pos = _server_position(ls, uri, params.position)
    checked = await _context(ls, uri)
    text = features.hover(document.source, pos.line, pos.character, checked)
    if text is None:
        return None
    return types.Hover(contents=types.MarkupContent(types.MarkupKind.Markdown, text))


def run() -> None:
    """Serve over stdin/stdout until the client says exit."""
    server.start_io()

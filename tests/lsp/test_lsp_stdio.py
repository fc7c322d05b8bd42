"""`docgen lsp` spoken to over stdio as an editor does: JSON-RPC with Content-Length frames."""

from __future__ import annotations

import json
import queue
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCGEN = Path(sys.executable).parent / "docgen"
TIMEOUT = 60


class Client:
    """A minimal LSP client: requests with ids, notifications, and a queue of server messages."""

    def __init__(self, cwd: Path):
        self.proc = subprocess.Popen([str(DOCGEN), "lsp"], cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE)
        self.messages: queue.Queue = queue.Queue()
        self.next_id = 0
        self.transcript: list[tuple[str, dict]] = []
        #: The server's log (stderr), drained as it comes: a full pipe would stop the server.
        self.log = bytearray()
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self) -> None:
        while chunk := self.proc.stderr.read1(65536):
            self.log += chunk

    def _read(self) -> None:
        stream = self.proc.stdout
        while True:
            headers = {}
            while True:
                line = stream.readline()
                if not line:
                    return
                line = line.decode("ascii").strip()
                if not line:
                    break
                name, value = line.split(":", 1)
                headers[name.lower()] = value.strip()
            body = stream.read(int(headers["content-length"]))
            self.messages.put(json.loads(body.decode("utf-8")))

    def send(self, message: dict) -> None:
        message = {"jsonrpc": "2.0", **message}
        self.transcript.append(("->", message))
        body = json.dumps(message, ensure_ascii=False).encode("utf-8")
        self.proc.stdin.write(f"Content-Length: {len(body)}\r\n\r\n".encode("ascii") + body)
        self.proc.stdin.flush()

    def notify(self, method: str, params: dict) -> None:
        self.send({"method": method, "params": params})

    def request(self, method: str, params: dict | None) -> dict:
        self.next_id += 1
        self.send({"id": self.next_id, "method": method, "params": params})
        reply = self.wait(lambda m: m.get("id") == self.next_id and "method" not in m)
        assert "error" not in reply, reply
        return reply["result"]

    def wait(self, match) -> dict:
        while True:
            try:
                message = self.messages.get(timeout=TIMEOUT)
            except queue.Empty:
                raise AssertionError("no reply from docgen lsp: " + self.log[-4000:].decode(errors="replace")) from None
            self.transcript.append(("<-", message))
            if match(message):
                return message


def _position(text: str, needle: str, after: bool = True) -> dict:
    """The LSP position just after (or at) the first `needle` in `text` (BMP text: UTF-16 = code points)."""
    offset = text.index(needle) + (len(needle) if after else 0)
    line = text.count("\n", 0, offset)
    return {"line": line, "character": offset - (text.rfind("\n", 0, offset) + 1)}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "plans", tmp_path / "plans")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_lsp_session_over_stdio(project: Path):
    plan = project / "plans" / "donghu" / "three-year-plan.yaml"
    uri = plan.as_uri()
    saved = plan.read_text(encoding="utf-8")
    # Unsaved edits: a misspelt unit and half-width punctuation, as the drafter types them.
    assert "牵头: 街道安委办\n" in saved
    text = saved.replace("牵头: 街道安委办\n", "牵头: 街道安委办公\n", 1)
    text = text.replace("立足全街道企业多、老旧小区集中", "立足全街道企业多,老旧小区集中", 1)
    assert text != saved

    client = Client(project)
    try:
        init = client.request("initialize", {"processId": None, "rootUri": project.as_uri(), "capabilities": {}})
        caps = init["capabilities"]
        assert caps["completionProvider"] and caps["hoverProvider"]
        client.notify("initialized", {})
        client.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "yaml", "version": 1, "text": text}})
        published = client.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics")["params"]
        assert published["uri"] == uri
        diagnostics = published["diagnostics"]
        by_code = {d["code"]: d for d in diagnostics}
        # Same codes and messages as `docgen check` gives for the same text on disk.
        plan.write_text(text, encoding="utf-8")
        check = subprocess.run([str(DOCGEN), "check", "--format", "json", str(plan)], cwd=project,
                               capture_output=True, text=True)
        plan.write_text(saved, encoding="utf-8")
        expected = [p for p in json.loads(check.stdout) if p["file"] == "plans/donghu/three-year-plan.yaml"]
        assert sorted((d["code"], d["range"]["start"]["line"] + 1, d["range"]["start"]["character"] + 1, d["message"])
                      for d in diagnostics) == sorted((p["code"], p["line"], p["column"], p["message"])
                                                      for p in expected)
        assert {"DG202", "DG404"} <= set(by_code)
        unit = by_code["DG202"]
        assert "“街道安委办公”" in unit["message"] and "“街道安委办”" in unit["message"]
        assert unit["severity"] == 1 and unit["source"] == "docgen"
        assert unit["range"]["start"] == _position(text, "街道安委办公", after=False)
        # Quick fix: the same fix `docgen check --fix` applies, as a code action on the finding.
        assert caps["codeActionProvider"]
        comma = by_code["DG404"]
        actions = client.request("textDocument/codeAction", {"textDocument": {"uri": uri}, "range": comma["range"],
                                                             "context": {"diagnostics": [comma]}})
        [action] = [a for a in actions if "DG404" in a["title"]]
        [edit] = action["edit"]["changes"][uri]
        assert action["kind"] == "quickfix" and edit["newText"] == "，"
        assert edit["range"]["start"] == _position(text, "企业多,", after=True) | {
            "character": _position(text, "企业多,", after=True)["character"] - 1}

        # The JSON Schema, for a plans-only repository whose editor fetches it from the server.
        assert "docgen.schema" in caps["executeCommandProvider"]["commands"]
        schema = client.request("workspace/executeCommand", {"command": "docgen.schema", "arguments": ["plan"]})
        assert json.loads(schema)["$id"] == "urn:docgen:schema:plan"

        # Completion of unit names under 牵头: the registry's units and groups of 东湖街道.
        edited = text.replace("牵头: 街道安委办公\n", "牵头: 街\n", 1)
        client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2},
                                                 "contentChanges": [{"text": edited}]})
        client.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                    and m["params"].get("version") == 2)
        line_of_unit = text.count("\n", 0, text.index("街道安委办公"))
        position = {"line": line_of_unit, "character": len(edited.splitlines()[line_of_unit])}
        items = client.request("textDocument/completion", {"textDocument": {"uri": uri}, "position": position})
        labels = [i["label"] for i in items["items"]]
        assert {"街道安委办", "派出所", "各村（社区）", "街道安委会各成员单位"} <= set(labels)
        assert "市应急管理局" not in labels  # a city unit is not a 东湖街道 unit
        # Completion of 完成时限 phrases within the plan's 实施期限 (2024—2026).
        line_of_deadline = next(i for i, line in enumerate(edited.splitlines()) if line.strip().startswith("完成时限:"))
        position = {"line": line_of_deadline, "character": edited.splitlines()[line_of_deadline].index(":") + 2}
        items = client.request("textDocument/completion", {"textDocument": {"uri": uri}, "position": position})
        phrases = [i["label"] for i in items["items"]]
        assert {"2024年底前", "2026年6月底前", "2025年上半年", "每季度", "长期坚持"} <= set(phrases)

        # Hover on a rule code explains the rule; hover on a unit shows its registry entry.
        client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 3},
                                                 "contentChanges": [{"text": saved}]})
        client.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                    and m["params"].get("version") == 3)
        unit_pos = _position(saved, "牵头: 街道安委办")
        unit_pos["character"] -= 2
        shown = client.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": unit_pos})
        assert shown["contents"]["value"].startswith("**街道安委办**（东湖街道的单位）")
        assert "单位库：plans/registry/donghu.yaml:" in shown["contents"]["value"]
        with_code = saved.replace("正文:\n", "正文:  # docgen: disable-file=DG404\n", 1)
        client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 4},
                                                 "contentChanges": [{"text": with_code}]})
        code_pos = _position(with_code, "DG40")
        shown = client.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": code_pos})
        assert shown["contents"]["value"].startswith("**DG404 half-width-punctuation**")
        assert "半角" in shown["contents"]["value"]

        assert client.request("shutdown", None) is None
        client.notify("exit", None)
        assert client.proc.wait(timeout=TIMEOUT) == 0
    finally:
        if client.proc.poll() is None:
            client.proc.kill()
        _write_transcript(client)


def _write_transcript(client: Client) -> None:
    """Keep the exchange for the record when DOCGEN_LSP_TRANSCRIPT names a file."""
    import os

    if not os.environ.get("DOCGEN_LSP_TRANSCRIPT"):
        return
    out = Path(os.environ["DOCGEN_LSP_TRANSCRIPT"])
    with out.open("w", encoding="utf-8") as f:
        for direction, message in client.transcript:
            f.write(f"{direction} {json.dumps(message, ensure_ascii=False)}\n")


def test_saving_the_registry_rechecks_open_plans(project: Path):
    plan = project / "plans" / "donghu" / "three-year-plan.yaml"
    registry = project / "plans" / "registry" / "donghu.yaml"
    client = Client(project)
    try:
        client.request("initialize", {"processId": None, "rootUri": project.as_uri(), "capabilities": {}})
        client.notify("initialized", {})
        for path in (plan, registry):
            client.notify("textDocument/didOpen", {"textDocument": {
                "uri": path.as_uri(), "languageId": "yaml", "version": 1, "text": path.read_text(encoding="utf-8")}})
            published = client.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                                    and m["params"]["uri"] == path.as_uri())
            assert published["params"]["diagnostics"] == []
        renamed = registry.read_text(encoding="utf-8").replace("环保站", "生态环境站")
        client.notify("textDocument/didChange", {"textDocument": {"uri": registry.as_uri(), "version": 2},
                                                 "contentChanges": [{"text": renamed}]})
        registry.write_text(renamed, encoding="utf-8")
        client.notify("textDocument/didSave", {"textDocument": {"uri": registry.as_uri()}})
        published = client.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                                and m["params"]["uri"] == plan.as_uri())
        [diagnostic] = published["params"]["diagnostics"]
        assert diagnostic["code"] == "DG202" and "“环保站”" in diagnostic["message"] and "生态环境站" in diagnostic["message"]
        client.request("shutdown", None)
        client.notify("exit", None)
        assert client.proc.wait(timeout=TIMEOUT) == 0
    finally:
        if client.proc.poll() is None:
            client.proc.kill()


def test_hover_is_answered_while_a_large_plan_is_checked(project: Path):
    """The check runs in the checker process: a hover sent once the check of a 3,000-task plan has
    started comes back before that check's diagnostics."""
    from docgen.lsp.server import DEBOUNCE

    plan = project / "plans" / "donghu" / "three-year-plan.yaml"
    saved = plan.read_text(encoding="utf-8")
    tasks = "".join(f"  - 标题: 第{i}组\n    内容:\n      - 任务: 开展第{i}项隐患排查\n        编号: X{i:04d}\n"
                    f"        责任单位:\n          牵头: 街道安委办\n        完成时限: 2025年底前\n" for i in range(3000))
    text = saved.replace("正文:\n", "正文:\n" + tasks, 1)
    uri = plan.as_uri()
    client = Client(project)
    try:
        client.request("initialize", {"processId": None, "rootUri": project.as_uri(), "capabilities": {}})
        client.notify("initialized", {})
        client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1,
                                                                "text": text}})
        client.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics")
        client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2},
                                                 "contentChanges": [{"text": text + " "}]})
        time.sleep(DEBOUNCE + 0.1)  # the check of version 2 has started
        position = _position(text, "牵头: 街道安")
        client.send({"id": 99, "method": "textDocument/hover", "params": {"textDocument": {"uri": uri},
                                                                         "position": position}})
        first = client.wait(lambda m: m.get("id") == 99 or (m.get("method") == "textDocument/publishDiagnostics"
                                                             and m["params"].get("version") == 2))
        assert first.get("id") == 99, "the hover waited for the check"
        assert first["result"]["contents"]["value"].startswith("**街道安委办**")
        client.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"].get("version") == 2)
    finally:
        client.proc.kill()

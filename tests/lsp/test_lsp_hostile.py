"""`docgen lsp` against hostile and malformed messages: every request answered, no traceback, still serving.

The messages are drawn from a seeded generator (deterministic, a fixed number of them; the seed is
shown when the test fails): valid
requests and notifications with one part replaced by a wrong value (a string where a line number
goes, a negative or huge number, null, a list, an object, a very long or invisible string),
parts left out, requests before ``initialize``, frames that are not JSON or not JSON-RPC. What the
server must do is JSON-RPC's: answer each request with a result or an error (invalid params,
server not initialized, parse error), never put a traceback in what it sends, and answer a
plain hover correctly at the end.
"""

from __future__ import annotations

import copy
import json
import os
import random
import shutil
from pathlib import Path

import pytest
from test_lsp_stdio import ROOT, TIMEOUT, Client

#: A fixed seed and number of cases in `make test`; a longer random campaign sets both
#: (`DOCGEN_FUZZ_SEED=N DOCGEN_FUZZ_EXAMPLES=M pytest tests/lsp/test_lsp_hostile.py`).
SEED = int(os.environ.get("DOCGEN_FUZZ_SEED", "20261207"))
#: In `make fuzz` the language server's messages are this share of the campaign's budget.
SHARE = 0.5
CASES = round(int(os.environ["DOCGEN_FUZZ_EXAMPLES"]) * SHARE) if "DOCGEN_FUZZ_EXAMPLES" in os.environ else 160
LOG = os.environ.get("DOCGEN_FUZZ_LOG")

HOSTILE = ["a", "", -1, -(2**31), 2**31, 2**63, 10**30, 1.5, None, True, [], [1, 2], {}, {"line": 0},
           "\u202e" * 3, "行" * 5000, "file:///dev/zero", "\x00"]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "plans", tmp_path / "plans")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def _leaves(value, path=()):
    """Paths to every value inside `value` (dicts and lists), itself included."""
    yield path
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from _leaves(inner, (*path, key))
    elif isinstance(value, list):
        for i, inner in enumerate(value):
            yield from _leaves(inner, (*path, i))


def _mutated(rng: random.Random, params: dict) -> dict:
    """`params` with one value replaced by a hostile one, or one key left out."""
    params = copy.deepcopy(params)
    path = rng.choice([p for p in _leaves(params) if p])
    holder = params
    for step in path[:-1]:
        holder = holder[step]
    if rng.random() < 0.2 and isinstance(holder, dict):
        del holder[path[-1]]
    else:
        holder[path[-1]] = rng.choice(HOSTILE)
    return params


def _requests(uri: str) -> list[tuple[str, dict]]:
    at = {"textDocument": {"uri": uri}, "position": {"line": 3, "character": 4}}
    return [("textDocument/hover", at), ("textDocument/completion", at)]


def _notifications(uri: str, text: str) -> list[tuple[str, dict]]:
    return [
        ("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}}),
        ("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2},
                                    "contentChanges": [{"text": text.replace("牵头", "牵头单位", 1)}]}),
        ("textDocument/didChange", {"textDocument": {"uri": uri, "version": 3}, "contentChanges": [
            {"range": {"start": {"line": 1, "character": 0}, "end": {"line": 1, "character": 2}}, "text": "x"}]}),
        ("textDocument/didSave", {"textDocument": {"uri": uri}}),
        ("textDocument/didClose", {"textDocument": {"uri": uri}}),
    ]


def _no_traceback(message: dict) -> None:
    text = json.dumps(message, ensure_ascii=False)
    assert "Traceback" not in text and 'File "' not in text and "traceback" not in text, text[:500]


def test_hostile_messages_are_answered_without_tracebacks(project: Path):
    rng = random.Random(SEED)
    print(f"seed {SEED}, {CASES} cases")  # shown by pytest when the test fails
    plan = project / "plans" / "donghu" / "three-year-plan.yaml"
    uri, text = plan.as_uri(), plan.read_text(encoding="utf-8")
    client = Client(project)
    answered = {"result": 0, "error": 0}

    def ask(msg_id, method, params) -> dict:
        client.send({"id": msg_id, "method": method, "params": params})
        reply = client.wait(lambda m: "method" not in m and m.get("id") == msg_id)
        assert ("result" in reply) != ("error" in reply), reply
        answered["error" if "error" in reply else "result"] += 1
        return reply

    try:
        # Before initialize: requests get "server not initialized", notifications are dropped.
        client.notify("textDocument/didOpen", _notifications(uri, text)[0][1])
        reply = ask(1, "textDocument/hover", _requests(uri)[0][1])
        assert reply["error"]["code"] == -32002 and "initialize" in reply["error"]["message"]
        ask(2, "initialize", {"processId": None, "rootUri": project.as_uri(), "capabilities": {}})
        client.notify("initialized", {})

        # Frames that are not JSON, or JSON that is not JSON-RPC: answered with id null.
        for body, code in ((b"{not json", -32700), (b"[1, 2]", -32600), (b'"text"', -32600),
                           ('{"jsonrpc": "2.0", "id": 3, "method": "textDocument/hover", "params": "\u8865'.encode()[:-1],
                            -32700)):
            client.proc.stdin.write(f"Content-Length: {len(body)}\r\n\r\n".encode("ascii") + body)
            client.proc.stdin.flush()
            reply = client.wait(lambda m: "method" not in m and m.get("id") is None)
            assert reply["error"]["code"] == code, (body, reply)

        msg_id = 10
        for _ in range(CASES):
            msg_id += 1
            if rng.random() < 0.6:
                method, params = rng.choice(_requests(uri))
                mutated = _mutated(rng, params)
                reply = ask(msg_id, method, mutated)
                if "error" in reply:
                    assert reply["error"]["code"] in (-32602, -32600, -32603), reply
            else:
                method, params = rng.choice(_notifications(uri, text))
                client.notify(method, _mutated(rng, params) if rng.random() < 0.7 else params)
            if rng.random() < 0.1:  # a request with an id JSON-RPC does not allow: answered with id null
                client.send({"id": rng.choice([[1], {"a": 1}, 1.5, True]), "method": "textDocument/hover",
                             "params": _requests(uri)[0][1]})
                reply = client.wait(lambda m: "method" not in m and m.get("id") is None)
                assert "error" in reply
            if LOG:  # one line per message, as the other harnesses of `make fuzz` write per case
                with open(LOG, "a", encoding="utf-8") as f:
                    f.write("ok lsp\n")

        # Still serving, and right: the plan opened afresh, a hover on a unit shows its registry entry.
        client.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
        client.notify("textDocument/didOpen", _notifications(uri, text)[0][1])
        offset = text.index("牵头: 街道安委办") + len("牵头: 街道")
        line = text.count("\n", 0, offset)
        position = {"line": line, "character": offset - (text.rfind("\n", 0, offset) + 1)}
        reply = ask(msg_id + 1, "textDocument/hover", {"textDocument": {"uri": uri}, "position": position})
        assert reply["result"]["contents"]["value"].startswith("**街道安委办**")
        assert answered["error"] > 10 and answered["result"] > 10  # both kinds were exercised
        assert client.request("shutdown", None) is None
        client.notify("exit", None)
        assert client.proc.wait(timeout=TIMEOUT) == 0
    finally:
        if client.proc.poll() is None:
            client.proc.kill()
    received = [message for direction, message in client.transcript if direction == "<-"]
    for message in received:
        _no_traceback(message)
    assert not [m for m in received if m.get("method") == "window/showMessage"]  # no pop-up for the drafter

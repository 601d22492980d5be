"""`artconv server`: a real LSP client talks JSON-RPC to the installed command over its pipes.

One server process serves the module (its start costs about half a second); the protocol's own
end (shutdown, exit code) gets short-lived processes of its own. Positions are checked in UTF-16
code units with a character outside the Basic Multilingual Plane (𠮷, two code units), where a
server that counts code points or bytes would be off.
"""

from __future__ import annotations

import json
import queue
import subprocess
import threading
import time
from pathlib import Path

import pytest

from conftest import ARTCONV, run_artconv

TIMEOUT = 20

ARTICLE = (
    "---\n"
    "title: 𠮷野家の記事\n"
    "date: 2016-06-31\n"
    "---\n"
    '<p style="color:red">𠮷野家 <font color="red">牛丼</font></p>\n'
    "<p>並盛り</p>\n"
)
FONTS_ONLY = (  # one fixable rule, twice: its quick fix is everything `lint --fix` does
    "---\n"
    "title: 𠮷\n"
    "---\n"
    '<p>𠮷 <font color="red">一</font></p>\n'
    "\n"
    "text between\n"
    "\n"
    '<p>二 <font size="2">𠮷</font></p>\n'
)


class Client:
    """A minimal LSP client: Content-Length framed JSON-RPC over the server's stdin and stdout."""

    def __init__(self, cwd: Path) -> None:
        self.process = subprocess.Popen(
            [str(ARTCONV), "server"], cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )
        self.next_id = 0
        self.responses: dict[int, queue.Queue] = {}
        self.notifications: queue.Queue = queue.Queue()
        self.received: list[dict] = []  # every notification, for what must NOT have been sent
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        stream = self.process.stdout
        while True:
            length = None
            while (line := stream.readline()) not in (b"\r\n", b""):
                name, _, value = line.decode("ascii").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            if line == b"" or length is None:
                self.notifications.put(None)  # the server closed its output
                return
            message = json.loads(stream.read(length))
            if "id" in message and "method" in message:  # a request from the server
                self._send({"jsonrpc": "2.0", "id": message["id"], "result": None})
            elif "id" in message:
                self.responses.setdefault(message["id"], queue.Queue()).put(message)
            else:
                self.received.append(message)
                self.notifications.put(message)

    def _send(self, message: dict) -> None:
        body = json.dumps(message).encode("utf-8")
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def request(self, method: str, params) -> dict:
        self.next_id += 1
        ident = self.next_id
        box = self.responses.setdefault(ident, queue.Queue())
        self._send({"jsonrpc": "2.0", "id": ident, "method": method, "params": params})
        message = box.get(timeout=TIMEOUT)
        assert "error" not in message, message
        return message["result"]

    def notify(self, method: str, params) -> None:
        self._send({"jsonrpc": "2.0", "method": method, "params": params})

    def diagnostics(self, uri: str, version: int | None = None) -> dict:
        """The next diagnostics published for `uri` (for `version`, when given)."""
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            message = self.notifications.get(timeout=max(deadline - time.monotonic(), 0.01))
            assert message is not None, "the server stopped: " + self.process.stderr.read().decode()
            params = message.get("params") or {}
            if message["method"] == "textDocument/publishDiagnostics" and params["uri"] == uri:
                if version is None or params.get("version") == version:
                    return params
        raise AssertionError(f"no diagnostics for {uri}")

    def initialize(self, root: Path, encodings: tuple[str, ...] = ("utf-16",)) -> dict:
        result = self.request("initialize", {
            "processId": None, "rootUri": root.as_uri(),
            "capabilities": {"general": {"positionEncodings": list(encodings)}},
        })
        self.notify("initialized", {})
        return result

    def open(self, path: Path, text: str | None = None, version: int = 1) -> dict:
        text = path.read_text("utf-8") if text is None else text
        self.notify("textDocument/didOpen", {"textDocument": {
            "uri": path.as_uri(), "languageId": "markdown", "version": version, "text": text}})
        return self.diagnostics(path.as_uri(), version)

    def stop(self) -> int:
        assert self.request("shutdown", None) is None
        self.notify("exit", None)
        return self.process.wait(timeout=TIMEOUT)


# -- independent helpers: UTF-16 positions and edits as a client applies them --------------------


def utf16_to_codepoints(line: str, units: int) -> int:
    return len(line.encode("utf-16-le")[: 2 * units].decode("utf-16-le"))


def codepoints_to_utf16(line: str, column: int) -> int:
    return len(line[:column].encode("utf-16-le")) // 2


def offset(text: str, position: dict) -> int:
    lines = text.split("\n")
    before = sum(len(line) + 1 for line in lines[: position["line"]])
    if position["line"] >= len(lines):
        return len(text)
    return before + utf16_to_codepoints(lines[position["line"]], position["character"])


def apply(text: str, edits: list[dict]) -> str:
    for edit in sorted(edits, key=lambda e: (e["range"]["start"]["line"], e["range"]["start"]["character"]), reverse=True):
        start, end = offset(text, edit["range"]["start"]), offset(text, edit["range"]["end"])
        text = text[:start] + edit["newText"] + text[end:]
    return text


def as_lint_json(text: str, diagnostics: list[dict]) -> list[tuple]:
    """Diagnostics in `lint --format json` terms: 1-based line, code-point column."""
    lines = text.split("\n")
    found = []
    for d in diagnostics:
        start = d["range"]["start"]
        column = utf16_to_codepoints(lines[start["line"]], start["character"]) + 1
        found.append((start["line"] + 1, column, d["code"], d["message"], d["data"]["name"], d["data"]["fix"]))
    return sorted(found)


def lint_json(path: Path) -> list[tuple]:
    result = run_artconv("lint", "--format", "json", "--no-cache", path.name, cwd=path.parent)
    return sorted((f["line"], f["column"], f["code"], f["message"], f["name"], f["fix"]) for f in json.loads(result.stdout))


def lint_fix(path: Path, text: str) -> str:
    path.write_text(text, "utf-8")
    run_artconv("lint", "--fix", "--no-cache", path.name, cwd=path.parent)
    return path.read_text("utf-8")


# -- the module's server ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("server")


@pytest.fixture(scope="module")
def client(folder):
    client = Client(folder)
    capabilities = client.initialize(folder)["capabilities"]
    assert capabilities["codeActionProvider"]["codeActionKinds"] == ["quickfix", "source.fixAll.artconv"]
    yield client
    if client.process.poll() is None:
        client.process.kill()
        client.process.wait()


def test_open_publishes_what_lint_json_reports(client, folder):
    path = folder / "C++ 𠮷野家 100%.md"  # a URI of percent escapes, answered under the same URI
    path.write_text(ARTICLE, "utf-8")
    published = client.open(path)
    assert published["version"] == 1
    expected = lint_json(path)
    assert {code for _, _, code, *_ in expected} == {"FM006", "HT101", "HT103"}
    assert as_lint_json(ARTICLE, published["diagnostics"]) == expected
    by_code = {d["code"]: d for d in published["diagnostics"]}
    assert all(d["source"] == "artconv" for d in published["diagnostics"])
    assert by_code["FM006"]["severity"] == 1 and by_code["HT103"]["severity"] == 2  # error, warning
    # `<font` stands after `<p style="color:red">𠮷野家 `: code point 25, UTF-16 unit 26
    font = by_code["HT103"]["range"]
    assert font["start"] == {"line": 4, "character": 26}
    assert font["end"] == {"line": 4, "character": 31}  # the token `<font`


def test_change_republishes_after_a_debounce_with_the_unsaved_text(client, folder):
    path = folder / "edited.md"
    path.write_text(ARTICLE, "utf-8")
    uri = path.as_uri()
    client.open(path)
    # two quick edits: the date fixed (ASCII positions), then `<center>` typed after 𠮷野家, where
    # the UTF-16 position is one more than the code-point column
    date = {"start": {"line": 2, "character": 6}, "end": {"line": 2, "character": 16}}
    client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2},
                                             "contentChanges": [{"range": date, "text": "2016-06-30"}]})
    line = ARTICLE.split("\n")[4]
    column = line.index("𠮷野家") + 3
    units = codepoints_to_utf16(line, column)
    assert units == column + 1
    insert = {"start": {"line": 4, "character": units}, "end": {"line": 4, "character": units}}
    client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 3},
                                             "contentChanges": [{"range": insert, "text": "<center>"}]})
    published = client.diagnostics(uri, 3)
    skipped = [m for m in client.received if m["params"].get("uri") == uri and m["params"].get("version") == 2]
    assert not skipped, "the first edit was checked although a second one followed within the debounce"
    edited = ARTICLE.replace("2016-06-31", "2016-06-30").replace(line, line[:column] + "<center>" + line[column:])
    assert path.read_text("utf-8") == ARTICLE  # the file on disk was never what was checked
    path.write_text(edited, "utf-8")
    assert as_lint_json(edited, published["diagnostics"]) == lint_json(path)
    codes = [d["code"] for d in published["diagnostics"]]
    assert "FM006" not in codes and codes.count("HT103") == 2


def _actions(client, uri: str, line: int, only: list[str] | None = None) -> list[dict]:
    context = {"diagnostics": [], **({"only": only} if only else {})}
    return client.request("textDocument/codeAction", {
        "textDocument": {"uri": uri}, "context": context,
        "range": {"start": {"line": line, "character": 0}, "end": {"line": line, "character": 0}},
    })


def test_quick_fix_gives_what_lint_fix_gives(client, folder):
    path = folder / "fonts.md"
    path.write_text(FONTS_ONLY, "utf-8")
    published = client.open(path)
    font = next(d for d in published["diagnostics"] if d["code"] == "HT103")
    actions = _actions(client, path.as_uri(), font["range"]["start"]["line"], ["quickfix"])
    assert [a["title"] for a in actions] == ["Fix HT103 (font-tag): all 2 in this file"]
    assert actions[0]["kind"] == "quickfix" and actions[0]["isPreferred"] is True
    edits = actions[0]["edit"]["changes"][path.as_uri()]
    fixed = apply(FONTS_ONLY, edits)
    assert fixed == lint_fix(folder / "fonts-by-lint.md", FONTS_ONLY)
    assert "<font" not in fixed and "𠮷" in fixed
    # one edit from the first changed line to the last: the front matter around it is left alone
    assert len(edits) == 1 and edits[0]["range"]["start"] == {"line": 3, "character": 0}
    assert "title" not in edits[0]["newText"]


def test_fix_all_gives_what_lint_fix_gives(client, folder):
    path = folder / "all.md"
    path.write_text(ARTICLE, "utf-8")
    client.open(path)
    actions = _actions(client, path.as_uri(), 0, ["source.fixAll"])
    assert [a["kind"] for a in actions] == ["source.fixAll.artconv"]
    fixed = apply(ARTICLE, actions[0]["edit"]["changes"][path.as_uri()])
    assert fixed == lint_fix(folder / "all-by-lint.md", ARTICLE)
    assert "style=" not in fixed and "<font" not in fixed
    # a line with no fixable finding offers no quick fix; asked without `only`, fix-all still comes
    assert [a["kind"] for a in _actions(client, path.as_uri(), 5)] == ["source.fixAll.artconv"]


def test_malformed_documents_give_diagnostics_not_a_crash(client, folder):
    broken = folder / "broken.md"
    published = client.open(broken, "---\ntitle: [unclosed\ndate: 2020-01-01\n---\n<p>本文</p>\n")
    assert [d["code"] for d in published["diagnostics"]] == ["FM001"]
    unterminated = client.open(folder / "unterminated.md", "---\ntitle: 𠮷\n<p>x</p>\n")
    assert [d["code"] for d in unterminated["diagnostics"]] == ["FM002"]
    # a lone surrogate (JSON can escape one) is checked like any text: nothing to report
    assert client.open(folder / "surrogate.md", "---\ntitle: a\n---\n<p>\ud800</p>\n")["diagnostics"] == []
    # a shape refused before parsing (an element with 1,001 attributes), as `lint` refuses it
    attributes = " ".join(f"a{i}=1" for i in range(1001))
    refused = client.open(folder / "refused.md", f"---\ntitle: 𠮷\n---\n\n<p {attributes}>x</p>\n")["diagnostics"]
    assert len(refused) == 1 and "code" not in refused[0] and refused[0]["severity"] == 1
    assert "more than 1,000 attributes" in refused[0]["message"]
    nested = folder / "bad-config"
    nested.mkdir()
    (nested / ".artconv.toml").write_text("[lint]\nselect = 3\n", "utf-8")
    configured = client.open(nested / "a.md", ARTICLE)
    assert len(configured["diagnostics"]) == 1
    assert configured["diagnostics"][0]["message"].startswith("configuration error:")
    assert client.process.poll() is None  # still serving
    assert client.open(folder / "after.md", ARTICLE)["diagnostics"]


def test_a_changed_configuration_applies_to_open_documents(client, folder):
    nested = folder / "configured"
    nested.mkdir()
    path = nested / "a.md"
    before = client.open(path, ARTICLE)
    assert "HT103" in [d["code"] for d in before["diagnostics"]]
    (nested / ".artconv.toml").write_text('[lint]\nignore = ["HT103"]\n', "utf-8")
    client.notify("workspace/didChangeWatchedFiles", {"changes": [{"uri": (nested / ".artconv.toml").as_uri(), "type": 1}]})
    after = client.diagnostics(path.as_uri(), 1)
    path.write_text(ARTICLE, "utf-8")
    assert as_lint_json(ARTICLE, after["diagnostics"]) == lint_json(path)
    assert "HT103" not in [d["code"] for d in after["diagnostics"]]


def test_close_clears_the_diagnostics(client, folder):
    path = folder / "closed.md"
    client.open(path, ARTICLE)
    client.notify("textDocument/didClose", {"textDocument": {"uri": path.as_uri()}})
    assert client.diagnostics(path.as_uri())["diagnostics"] == []


def test_shutdown_then_exit_is_exit_code_0_and_exit_alone_is_1(tmp_path):
    # this client counts columns in UTF-8 bytes, as LSP 3.17 lets a client ask: `<font` after
    # `<p style="color:red">𠮷野家 ` is at byte 32 (𠮷 four bytes, 野 and 家 three each)
    client = Client(tmp_path)
    assert client.initialize(tmp_path, ("utf-8",))["capabilities"]["positionEncoding"] == "utf-8"
    font = [d for d in client.open(tmp_path / "a.md", ARTICLE)["diagnostics"] if d["code"] == "HT103"]
    assert font[0]["range"]["start"] == {"line": 4, "character": len('<p style="color:red">𠮷野家 '.encode())}
    assert client.stop() == 0
    abrupt = Client(tmp_path)
    abrupt.initialize(tmp_path)
    abrupt.notify("exit", None)
    assert abrupt.process.wait(timeout=TIMEOUT) == 1

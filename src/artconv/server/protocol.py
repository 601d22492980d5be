"""The Language Server protocol glue (pygls): document sync, debounced checks, diagnostics in
the client's position encoding, quick fixes and "fix all".

Checks and fixes run on one worker thread, one at a time: the event loop keeps answering the
client while a long article is checked, and the lint engine never runs twice at once. A result
for a text the editor has changed since is dropped, not published: the newer check follows.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import unquote

from lsprotocol import types as lsp
from pygls import uris
from pygls.lsp.server import LanguageServer
from pygls.workspace import TextDocument

from artconv.core.version import __version__
from artconv.server.adapter import Linter, Problem, line_edit, lines_of

DEBOUNCE_SECONDS = 0.3
FIX_ALL = "source.fixAll.artconv"
CONFIG_FILES = (".artconv.toml", "pyproject.toml")
_SEVERITY = {"error": lsp.DiagnosticSeverity.Error, "warning": lsp.DiagnosticSeverity.Warning}

logger = logging.getLogger("artconv.server")


class ArtconvServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("artconv", __version__, text_document_sync_kind=lsp.TextDocumentSyncKind.Incremental)
        self.linter = Linter()
        self.worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="artconv-lint")
        self.pending: dict[str, asyncio.TimerHandle] = {}

    async def run(self, function, *args):
        return await asyncio.get_running_loop().run_in_executor(self.worker, function, *args)

    def schedule(self, uri: str, delay: float) -> None:
        """Check the document `delay` seconds from now, unless it changes again before then."""
        if (handle := self.pending.pop(unquote(uri), None)) is not None:
            handle.cancel()
        loop = asyncio.get_running_loop()
        self.pending[unquote(uri)] = loop.call_later(delay, lambda: loop.create_task(self.publish(uri)))

    async def publish(self, uri: str) -> None:
        self.pending.pop(unquote(uri), None)
        document = self.open_document(uri)
        if document is None:
            return
        text, version = document.source, document.version
        problems = await self.run(self.linter.problems, text, path_of(uri))
        if self.open_document(uri) is not document or document.version != version:
            return  # edited (or closed) while it was checked: the newer check publishes
        lines = lines_of(text)
        diagnostics = [diagnostic(problem, lines, document) for problem in problems]
        self.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(document.uri, diagnostics, version))

    def open_document(self, uri: str) -> TextDocument | None:
        # pygls reads a file from disk when asked for a document it was not given: only the
        # editor's open documents are checked, in their unsaved state. It keeps them under the
        # unquoted URI (`C%2B%2B` as `C++`), and each holds the URI the client sent.
        return self.workspace.text_documents.get(unquote(uri))

    def configuration_changed(self) -> None:
        async def again() -> None:
            await self.run(self.linter.forget)
            for document in list(self.workspace.text_documents.values()):
                self.schedule(document.uri, 0)

        asyncio.get_running_loop().create_task(again())


def path_of(uri: str) -> str:
    """The file a document stands for; an unsaved buffer (`untitled:`) is taken as a file in the
    current folder, so that the configuration found from there applies."""
    path = uris.to_fs_path(uri)
    if path and uri.startswith("file:"):
        return path
    name = uri.rsplit("/", 1)[-1].rsplit(":", 1)[-1] or "untitled.md"
    return os.path.join(os.getcwd(), name)


def diagnostic(problem: Problem, lines: Sequence[str], document: TextDocument) -> lsp.Diagnostic:
    codec = document.position_codec
    start = codec.position_to_client_units(lines, lsp.Position(problem.line, problem.start))
    end = codec.position_to_client_units(lines, lsp.Position(problem.line, problem.end))
    return lsp.Diagnostic(
        range=lsp.Range(start, end),
        message=problem.message,
        severity=_SEVERITY.get(problem.severity, lsp.DiagnosticSeverity.Warning),
        code=problem.code or None,
        source="artconv",
        data={"name": problem.name, "fix": problem.fix} if problem.code else None,
    )


def _position(lines: Sequence[str], index: int, document: TextDocument) -> lsp.Position:
    """The start of line `index`; past the last line, the end of the text."""
    if index < len(lines):
        return lsp.Position(index, 0)
    if not lines or lines[-1].endswith(("\n", "\r")):
        return lsp.Position(len(lines), 0)
    last = lines[-1]
    return document.position_codec.position_to_client_units(lines, lsp.Position(len(lines) - 1, len(last)))


def text_edit(document: TextDocument, old: str, new: str) -> lsp.TextEdit:
    edit = line_edit(old, new)
    lines = lines_of(old)
    start = _position(lines, edit.first, document)
    return lsp.TextEdit(lsp.Range(start, _position(lines, edit.last, document)), edit.text)


def _wanted(kind: str, only: Sequence[str] | None) -> bool:
    # a kind is asked for by itself or by any kind it refines: "source" and "source.fixAll" ask for FIX_ALL
    return not only or any(kind == asked or kind.startswith(asked + ".") for asked in only)


async def code_actions(server: ArtconvServer, params: lsp.CodeActionParams) -> list[lsp.CodeAction]:
    document = server.open_document(params.text_document.uri)
    if document is None:
        return []
    text, path = document.source, path_of(document.uri)
    problems = await server.run(server.linter.problems, text, path)
    fixable = [p for p in problems if p.fix == "safe"]
    actions = []
    if _wanted(lsp.CodeActionKind.QuickFix, params.context.only):
        actions.extend(await _quick_fixes(server, params, document, fixable))
    if fixable and _wanted(FIX_ALL, params.context.only):
        fixed = await server.run(server.linter.fixed, text, path)
        if fixed is not None:
            actions.append(_action("Fix all safely fixable artconv problems", FIX_ALL, document, text, fixed, []))
    return actions


async def _quick_fixes(server: ArtconvServer, params: lsp.CodeActionParams, document: TextDocument,
                       fixable: list[Problem]) -> list[lsp.CodeAction]:
    """One action per rule with a safe fix on the lines asked about. A rule's fix is its
    transformer run over the whole article, so the action fixes every finding of that rule."""
    text, path = document.source, path_of(document.uri)
    first, last = params.range.start.line, params.range.end.line
    actions = []
    for code, problem in sorted({p.code: p for p in fixable if first <= p.line <= last}.items()):
        fixed = await server.run(server.linter.fixed, text, path, code)
        if fixed is None:
            continue
        count = sum(p.code == code for p in fixable)
        title = f"Fix {code} ({problem.name})" + (f": all {count} in this file" if count > 1 else "")
        related = [d for d in params.context.diagnostics if d.source == "artconv" and d.code == code]
        actions.append(_action(title, lsp.CodeActionKind.QuickFix, document, text, fixed, related, preferred=True))
    return actions


def _action(title: str, kind: str, document: TextDocument, old: str, new: str,
            diagnostics: list[lsp.Diagnostic], preferred: bool = False) -> lsp.CodeAction:
    edit = lsp.WorkspaceEdit(changes={document.uri: [text_edit(document, old, new)]})
    return lsp.CodeAction(title=title, kind=kind, diagnostics=diagnostics or None, edit=edit,
                          is_preferred=preferred or None)


def _is_config(uri: str) -> bool:
    return uri.rsplit("/", 1)[-1] in CONFIG_FILES


def build() -> ArtconvServer:
    server = ArtconvServer()

    @server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: ArtconvServer, params: lsp.DidOpenTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri, 0)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: ArtconvServer, params: lsp.DidChangeTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri, DEBOUNCE_SECONDS)

    @server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: ArtconvServer, params: lsp.DidSaveTextDocumentParams) -> None:
        if _is_config(params.text_document.uri):
            ls.configuration_changed()

    @server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: ArtconvServer, params: lsp.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        if (handle := ls.pending.pop(unquote(uri), None)) is not None:
            handle.cancel()
        ls.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri, []))

    @server.feature(lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def did_change_watched_files(ls: ArtconvServer, params: lsp.DidChangeWatchedFilesParams) -> None:
        if any(_is_config(change.uri) for change in params.changes):
            ls.configuration_changed()

    @server.feature(lsp.INITIALIZED)
    def initialized(ls: ArtconvServer, params: lsp.InitializedParams) -> None:
        _watch_configuration(ls)

    @server.feature(
        lsp.TEXT_DOCUMENT_CODE_ACTION,
        lsp.CodeActionOptions(code_action_kinds=[lsp.CodeActionKind.QuickFix, FIX_ALL]),
    )
    async def code_action(ls: ArtconvServer, params: lsp.CodeActionParams) -> list[lsp.CodeAction]:
        return await code_actions(ls, params)

    return server


def _watch_configuration(server: ArtconvServer) -> None:
    """Ask the client to tell us about edits to configuration files made outside the editor
    (a `git pull`), where it can watch files for a server."""
    workspace = server.client_capabilities.workspace
    watched = workspace.did_change_watched_files if workspace else None
    if not (watched and watched.dynamic_registration):
        return
    watchers = [lsp.FileSystemWatcher(glob_pattern=f"**/{name}") for name in CONFIG_FILES]
    registration = lsp.Registration(
        id="artconv-configuration", method=lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES,
        register_options=lsp.DidChangeWatchedFilesRegistrationOptions(watchers=watchers),
    )
    server.client_register_capability(lsp.RegistrationParams([registration]))


def serve() -> int:
    """Serve over stdin/stdout until the client says exit; 0 after a shutdown request, else 1
    (as the protocol asks)."""
    logging.basicConfig(level=logging.WARNING, format="artconv server: %(levelname)s: %(message)s")
    server = build()
    # pygls closes the stream it writes to on exit: give it a copy of standard output, and send
    # stray prints (a plugin's) to stderr meanwhile, where they cannot corrupt the protocol
    protocol_out = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    saved, sys.stdout = sys.stdout, sys.stderr
    try:
        server.start_io(sys.stdin.buffer, protocol_out)
    finally:
        sys.stdout = saved
    return 0 if server.protocol._shutdown else 1

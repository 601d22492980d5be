"""Safe output: nothing executable comes out, output stays in its folder, YAML is loaded
safely and nothing touches the network.

The XSS vectors (fixtures/security/xss-vectors.txt, after the OWASP filter-evasion cheat sheet)
go through the installed command in three places of an article body, to every text format:

- XHTML and the JSON's `body.html` are sanitised (writers/html.py): an allow-list of elements
  and attributes; `href`/`src`/`cite` only when relative or http(s)/mailto/ftp, so no
  `javascript:`, `vbscript:` or `data:` URL, not even `data:image/` in an `<img>`;
- Markdown is rendered by markdown-it-py with raw HTML on, as a site generator would, and the
  same checks apply to that HTML: raw HTML in `--to md` output passes the same allow-list
  (writers/md_safe.py), so every vector is checked in every format.
"""

from __future__ import annotations

import ast
import html
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree
from lxml import html as lxml_html

from conftest import REPO, run_artconv

VECTOR_FILE = REPO / "fixtures" / "security" / "xss-vectors.txt"
_PLACEHOLDERS = {"[TAB]": "\t", "[NL]": "\n", "[CR]": "\r", "[NUL]": "\0", "[ESC]": "\x1b", "[FF]": "\x0c"}


def load_vectors(path: Path = VECTOR_FILE) -> list[str]:
    vectors = []
    for line in path.read_text("utf-8").splitlines():
        if not line.strip() or line == "#" or line.startswith("# "):
            continue
        for placeholder, character in _PLACEHOLDERS.items():
            line = line.replace(placeholder, character)
        vectors.append(line)
    return vectors


VECTORS = load_vectors()
MD_KNOWN_LEAKS = set(load_vectors(VECTOR_FILE.with_name("md-known-leaks.txt")))
CONTEXTS = {
    "block": "Before the vector.\n\n{vector}\n\nAfter the vector.\n",
    "inline": "Before {vector} after.\n",
    "div": "<div>\n<p>Before the vector.</p>\n{vector}\n<p>After the vector.</p>\n</div>\n",
}
FORMATS = ("xhtml", "json", "md")

# --- what counts as executable -----------------------------------------------------------------

FORBIDDEN_ELEMENTS = frozenset(
    """script iframe frame frameset object embed applet form input button select textarea isindex
    base link meta style svg math template""".split()
)
URL_ATTRIBUTES = frozenset(
    """href src action formaction background poster data codebase dynsrc lowsrc cite srcset
    longdesc usemap manifest icon profile classid archive""".split()
)
DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:")
_C0_AND_SPACE = re.compile(r"[\x00-\x20]")


def dangerous_url(value: str) -> bool:
    """As a browser reads it: entities decoded, tabs, newlines, controls and spaces gone."""
    squeezed = _C0_AND_SPACE.sub("", html.unescape(html.unescape(value))).casefold()
    return squeezed.startswith(DANGEROUS_SCHEMES)


def _local(name: str) -> str:
    """`{namespace}href` (XML) and `xlink:href` (HTML parser) are both `href`."""
    return name.rsplit("}", 1)[-1].rsplit(":", 1)[-1].lower()


def executable_parts(root: etree._Element, skip: etree._Element | None = None) -> list[str]:
    problems = []
    for node in root.iter():
        if not isinstance(node.tag, str) or node is skip or (skip is not None and skip in node.iterancestors()):
            continue
        tag = _local(node.tag)
        if tag in FORBIDDEN_ELEMENTS:
            problems.append(f"<{tag}>")
        for name, value in node.attrib.items():
            attribute = _local(name)
            if attribute.startswith("on"):
                problems.append(f"<{tag} {name}>")
            elif attribute == "style":
                problems.append(f"<{tag} style>")
            elif attribute in URL_ATTRIBUTES and dangerous_url(value):
                problems.append(f"<{tag} {name}={value!r}>")
            elif tag == "meta" and "refresh" in value.lower():
                problems.append("<meta refresh>")
    return problems


def xhtml_problems(text: str) -> list[str]:
    root = etree.fromstring(text.encode("utf-8"))
    head = root.find("{http://www.w3.org/1999/xhtml}head")
    # the document's own head: <meta charset> and <title>, nothing else
    assert [etree.QName(child).localname for child in head] == ["meta", "title"], etree.tostring(head)
    assert dict(head[0].attrib) == {"charset": "utf-8"}
    return executable_parts(root, skip=head)


def html_problems(fragment: str) -> list[str]:
    if not fragment.strip():
        return []
    return executable_parts(lxml_html.fragment_fromstring(fragment, create_parent="div"))


def json_problems(text: str) -> list[str]:
    document = json.loads(text)
    problems = html_problems(document["body"]["html"])
    urls = [link.get("href", "") if isinstance(link, dict) else link for link in document["links"]]
    urls += [image.get("src", "") if isinstance(image, dict) else image for image in document["images"]]
    problems += [f"listed URL {url!r}" for url in urls if isinstance(url, str) and dangerous_url(url)]
    return problems


def markdown_problems(text: str) -> list[str]:
    from markdown_it import MarkdownIt

    from artconv.core.article import parse_article

    body = parse_article(text).body
    return html_problems(MarkdownIt("commonmark", {"html": True}).enable("table").render(body))


CHECKS = {"xhtml": xhtml_problems, "json": json_problems, "md": markdown_problems}

# --- one CLI run per format over every vector in every context ----------------------------------


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    """{(format, context, vector index): output text, or the error line when it failed}."""
    root = tmp_path_factory.mktemp("xss")
    for context, template in CONTEXTS.items():
        (root / "in" / context).mkdir(parents=True)
        for index, vector in enumerate(VECTORS):
            article = f"---\ntitle: Vector {index}\n---\n" + template.format(vector=vector)
            (root / "in" / context / f"{index:03d}.md").write_bytes(article.encode("utf-8"))
    results = {}
    for fmt in FORMATS:
        done = run_artconv("convert", "--to", fmt, "--output", str(root / fmt), str(root / "in"))
        stderr = done.stderr.decode("utf-8", "replace")
        assert done.returncode in (0, 1), stderr
        assert "Traceback" not in stderr, stderr
        errors = {}
        for line in stderr.splitlines():
            found = re.match(r"error: .*/in/(\w+)/(\d{3})\.md(?::\d+)*: (.*)", line)
            if found:
                errors[(found.group(1), int(found.group(2)))] = found.group(3)
        for context in CONTEXTS:
            for index in range(len(VECTORS)):
                output = root / fmt / context / f"{index:03d}.{fmt}"
                if (context, index) in errors:
                    assert not output.exists()
                    results[(fmt, context, index)] = errors[(context, index)]
                else:
                    results[(fmt, context, index)] = output.read_text("utf-8")
    return results


# Refusals write nothing, so nothing can execute: a NUL byte makes a binary file, and the guard
# refuses to drop text a reader saw (`<plaintext><script>` shows the script as text).
_REFUSED = re.compile(r"cannot decode: binary file|would lose \d+ word")


def _check(converted, fmt: str, index: int) -> dict[str, list[str]]:
    found = {}
    for context in CONTEXTS:
        output = converted[(fmt, context, index)]
        if _REFUSED.match(output):
            continue  # nothing written, nothing to execute
        assert "internal error" not in output, output
        problems = CHECKS[fmt](output)
        if problems:
            found[context] = problems
    return found


@pytest.mark.parametrize("index", range(len(VECTORS)), ids=[f"v{i:03d}" for i in range(len(VECTORS))])
@pytest.mark.parametrize("fmt", ["xhtml", "json", "md"])
def test_sanitised_html_has_nothing_executable(converted, fmt, index):
    assert _problems(converted, fmt, index) == {}, VECTORS[index]


def _problems(converted, fmt: str, index: int) -> dict[str, list[str]]:
    return _check(converted, fmt, index)


@pytest.mark.parametrize("url", [
    "javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)", "jav\tascript:alert(1)",
    "java\nscript:alert(1)", "javascript\r:alert(1)", "\x01javascript:alert(1)", "\x00 javascript:alert(1)",
    "\xa0javascript:alert(1)", "vbscript:msgbox(1)", "data:text/html,<script>alert(1)</script>",
    "data:image/png;base64,iVBORw0KGgo=",
])
def test_the_sanitiser_reads_schemes_as_browsers_do(url):
    from artconv.writers.html import is_safe_url

    # WHATWG URL parsing drops tabs and newlines anywhere and C0 controls and spaces at the ends
    assert not is_safe_url(url)


@pytest.mark.parametrize("url", ["https://example.org/a", "http://x.test/?a=b", "mailto:a@example.org", "ftp://x.test/f",
                                 "/2019/post/", "page.html", "#note", "?q=1", "//cdn.example.net/x.png", ""])
def test_the_sanitiser_keeps_web_mail_and_relative_urls(url):
    from artconv.writers.html import is_safe_url

    assert is_safe_url(url)


def test_the_vector_file_is_read_whole():
    assert 80 <= len(VECTORS) <= 160
    assert any("\t" in v for v in VECTORS) and any("\0" in v for v in VECTORS)
    assert len(set(VECTORS)) == len(VECTORS)


def test_no_markdown_leak_is_left_known():
    # the file stays, header only: a vector that leaks again fails the test above, not this list
    assert MD_KNOWN_LEAKS == set()


# --- output paths never leave the output folder --------------------------------------------------

ARTICLE = "---\ntitle: x\n---\n<p style='color:red'>Hi</p>\n"


def _files(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file() or p.is_symlink()}


@pytest.fixture
def sandbox(tmp_path):
    """tmp_path/work is the current folder; everything else in tmp_path must stay as it was."""
    work = tmp_path / "work" / "deep"
    work.mkdir(parents=True)
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "victim.md").write_text("keep me\n", encoding="utf-8")
    return tmp_path, work


def _unchanged_outside(tmp_path: Path, out: Path, before: set[str]) -> None:
    after = {name for name in _files(tmp_path) if not (tmp_path / name).resolve().is_relative_to(out.resolve())}
    assert after == before
    assert (tmp_path / "outside" / "victim.md").read_text("utf-8") == "keep me\n"


@pytest.mark.parametrize("fmt", ["md", "json", "xhtml"])
def test_percent_encoded_dot_dot_names_stay_names(sandbox, artconv, fmt):
    tmp_path, work = sandbox
    source = work / "in"
    source.mkdir()
    for name in ("..%2F..%2Fx.md", "..%2f..%2foutside%2fvictim.md", "%2e%2e%2fy.md", "..\\..\\z.md"):
        (source / name).write_text(ARTICLE, encoding="utf-8")
    before = _files(tmp_path)
    out = work / "out"
    done = artconv("convert", "--to", fmt, "-q", "--output", "out", "in", cwd=work)
    assert done.returncode == 0, done.stderr.decode()
    suffix = {"md": ".md", "json": ".json", "xhtml": ".xhtml"}[fmt]
    assert _files(out) == {
        "..%2F..%2Fx" + suffix, "..%2f..%2foutside%2fvictim" + suffix, "%2e%2e%2fy" + suffix, "..\\..\\z" + suffix
    }
    _unchanged_outside(tmp_path, out, before)


def test_files_through_a_symlinked_folder_are_written_inside_the_output(sandbox, artconv):
    tmp_path, work = sandbox
    source = work / "in"
    source.mkdir()
    (source / "own.md").write_text(ARTICLE, encoding="utf-8")
    (source / "linked").symlink_to(tmp_path / "outside", target_is_directory=True)
    (source / "victim-link.md").symlink_to(tmp_path / "outside" / "victim.md")
    before = _files(tmp_path)
    out = work / "out"
    for arguments in (["in"], ["in/linked"], ["in/linked/victim.md", "in/victim-link.md"]):
        done = artconv("convert", "--to", "md", "-q", "--output", "out", *arguments, cwd=work)
        assert done.returncode == 0, done.stderr.decode()
    # os.walk does not follow the symlinked folder; named on the command line, it is the root
    assert _files(out) == {"own.md", "victim-link.md", "victim.md", "in/victim-link.md", "in/linked/victim.md"}
    assert not any(path.is_symlink() for path in out.rglob("*"))
    _unchanged_outside(tmp_path, out, before)


def test_in_place_never_writes_through_a_symlink_out_of_the_folder(sandbox, artconv):
    # a cloned content repository may hold `post.md -> ~/.bashrc`: rewriting the folder in
    # place must not rewrite what such a link points to outside it
    tmp_path, work = sandbox
    (tmp_path / "outside" / "victim.md").write_text(ARTICLE, encoding="utf-8")
    (work / "link.md").symlink_to(tmp_path / "outside" / "victim.md")
    done = artconv("convert", "--to", "md", "-q", "--in-place", str(work), cwd=work)
    assert b"Traceback" not in done.stderr
    assert (tmp_path / "outside" / "victim.md").read_text("utf-8") == ARTICLE


def test_absolute_and_dot_dot_inputs_keep_only_their_names(sandbox, artconv):
    tmp_path, work = sandbox
    (tmp_path / "outside" / "a.md").write_text(ARTICLE, encoding="utf-8")
    (work / "b.md").write_text(ARTICLE, encoding="utf-8")
    (work / "sub").mkdir()
    before = _files(tmp_path)
    out = work / "out"
    done = artconv(
        "convert", "--to", "json", "-q", "--output", "out",
        str(tmp_path / "outside" / "a.md"), "../../outside/victim.md", "sub/../b.md", str(work / "b.md"), cwd=work,
    )
    assert done.returncode == 0, done.stderr.decode()
    assert _files(out) == {"a.json", "victim.json", "b.json"}
    _unchanged_outside(tmp_path, out, before)


def test_the_output_folder_is_never_read_back_or_escaped_by_relative_names(sandbox, artconv):
    tmp_path, work = sandbox
    (work / "posts" / "2024").mkdir(parents=True)
    (work / "posts" / "2024" / "p.md").write_text(ARTICLE, encoding="utf-8")
    done = artconv("convert", "--to", "md", "-q", "--output", "posts/clean", "posts", cwd=work)
    assert done.returncode == 0, done.stderr.decode()
    again = artconv("convert", "--to", "md", "-q", "--output", "posts/clean", "posts", cwd=work)
    assert again.returncode == 0, again.stderr.decode()
    assert _files(work / "posts" / "clean") == {"2024/p.md"}


# --- YAML is only ever loaded safely ---------------------------------------------------------------

SAFE_LOADERS = {"SafeLoader", "CSafeLoader", "BaseLoader", "CBaseLoader"}
UNSAFE_NAMES = re.compile(r"\b(?:unsafe_load(?:_all)?|full_load(?:_all)?|FullLoader|UnsafeLoader|CFullLoader|CUnsafeLoader)\b|yaml\.C?Loader\b")


def _yaml_calls(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Name):
            if node.func.value.id == "yaml":
                yield node


def _safe_loader_names(tree: ast.AST) -> set[str]:
    """Names assigned only yaml.SafeLoader / yaml.CSafeLoader (the try/except import idiom)."""
    assigned: dict[str, set[str]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            value = node.value
            source = value.attr if isinstance(value, ast.Attribute) and isinstance(value.value, ast.Name) and value.value.id == "yaml" else "?"
            assigned.setdefault(node.targets[0].id, set()).add(source)
    return {name for name, sources in assigned.items() if sources <= SAFE_LOADERS}


def test_yaml_is_loaded_with_safe_loaders_only():
    problems = []
    for path in sorted((REPO / "src").rglob("*.py")):
        text = path.read_text("utf-8")
        for line_number, line in enumerate(text.splitlines(), 1):
            if UNSAFE_NAMES.search(line):
                problems.append(f"{path.name}:{line_number}: {line.strip()}")
        tree = ast.parse(text)
        safe_names = _safe_loader_names(tree) | SAFE_LOADERS
        for call in _yaml_calls(tree):
            if call.func.attr in ("safe_load", "safe_load_all", "safe_dump", "safe_dump_all", "dump", "dump_all", "YAMLError"):
                continue
            # node trees built from TOML or JSON (frontmatter/toml_json.py): data, never constructed objects
            if call.func.attr in ("ScalarNode", "MappingNode", "SequenceNode", "Mark"):
                continue
            if call.func.attr not in ("load", "load_all", "compose", "compose_all", "parse", "scan"):
                problems.append(f"{path.name}:{call.lineno}: yaml.{call.func.attr}(")
                continue
            loader = next((k.value for k in call.keywords if k.arg == "Loader"), call.args[1] if len(call.args) > 1 else None)
            name = loader.attr if isinstance(loader, ast.Attribute) else loader.id if isinstance(loader, ast.Name) else None
            if name not in safe_names:
                problems.append(f"{path.name}:{call.lineno}: yaml.{call.func.attr}( with Loader={name}")
    assert problems == []


@pytest.mark.parametrize("tag", [
    '!!python/object/apply:os.system ["touch {marker}"]',
    '!!python/object/new:os.system ["touch {marker}"]',
    '!!python/object/apply:subprocess.check_call [["touch", "{marker}"]]',
])
def test_python_tags_in_front_matter_run_nothing(tmp_path, artconv, tag):
    marker = tmp_path / "MARKER"
    (tmp_path / "in").mkdir()
    post = tmp_path / "in" / "post.md"
    post.write_text(f"---\ntitle: {tag.format(marker=marker)}\n---\n<p>Hi</p>\n", encoding="utf-8")
    runs = [("lint", "--no-cache"), ("lint", "--fix"), ("convert", "--to", "md"), ("convert", "--to", "json"),
            ("convert", "--to", "xhtml"), ("convert", "--to", "epub", "--output", str(tmp_path / "book.epub"))]
    for arguments in runs:
        done = artconv(*arguments, str(post), cwd=tmp_path)
        assert done.returncode == 1, (arguments, done.stderr.decode())
        assert b"Traceback" not in done.stderr
        assert not marker.exists(), arguments
    assert b"FM001" in artconv("lint", "--no-cache", str(post), cwd=tmp_path).stdout


# --- no network ----------------------------------------------------------------------------------

_NO_NETWORK = """
import os, sys
def refuse(event, args):
    if event.startswith(("socket.", "urllib.", "http.", "ftplib.", "smtplib.", "webbrowser.")):
        os.write(2, f"NETWORK: {event} {args!r}\\n".encode())
        os._exit(97)  # nothing can catch this and carry on
sys.addaudithook(refuse)
from artconv.entry import main
sys.argv = ["artconv", *sys.argv[1:]]
main()
"""

REMOTE_ARTICLE = """---
title: Remote things
schema: https://example.org/schema.json
---
<p>Photo: <img src="https://example.org/photo.jpg" alt="a photo"> and
<img src="//cdn.example.net/pixel.gif" width="1" height="1"></p>
<iframe src="https://www.youtube.com/embed/abc"></iframe>
<link rel="stylesheet" href="https://example.org/x.css">
<p><a href="https://example.org/?utm_source=feed">a link</a>, <a href="http://例子.测试/">an IDN</a></p>
<object data="https://example.org/x.swf"></object>

![remote](https://example.org/a.png) and <https://example.org/auto>
"""


@pytest.mark.parametrize("arguments", [
    ["lint", "--no-cache", "-j", "1"],
    ["lint", "--fix", "-j", "1"],
    ["convert", "--to", "md", "-j", "1", "--output", "out"],
    ["convert", "--to", "json", "-j", "1"],
    ["convert", "--to", "xhtml", "-j", "1", "--output", "out"],
    ["convert", "--to", "epub", "-j", "1", "--output", "book.epub"],
], ids=["lint", "lint-fix", "convert-md", "convert-json", "convert-xhtml", "convert-epub"])
def test_nothing_touches_the_network(tmp_path, arguments):
    (tmp_path / "post.md").write_text(REMOTE_ARTICLE, encoding="utf-8")
    (tmp_path / "other.md").write_text(REMOTE_ARTICLE.replace("Remote things", "Other"), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-c", _NO_NETWORK, *arguments, "post.md", "other.md"], cwd=tmp_path, capture_output=True, timeout=300,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert done.returncode != 97, done.stderr.decode()
    assert done.returncode in (0, 1), done.stderr.decode()
    assert b"Traceback" not in done.stderr


def test_the_network_guard_would_see_a_connection(tmp_path):
    code = _NO_NETWORK.replace("from artconv.entry import main", "import socket; socket.getaddrinfo('localhost', 80)")
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, timeout=60)
    assert done.returncode == 97 and b"NETWORK: socket.getaddrinfo" in done.stderr

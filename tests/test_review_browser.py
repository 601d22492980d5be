"""The review page in a real browser: headless Chromium (Debian's, installed by scripts/browser)
driven over the DevTools protocol (tests/cdp.py) opens the pages of the seeds, of 1,000 corpus
files and of the XSS vectors; checks the DOM, saves the README's screenshot, and finds that no
article ran any script."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from cdp import Browser, chromium
from artconv.review.entry import convert_entry
from artconv.review.page import ReviewPage
from conftest import CORPUS, REPO, SEEDS, run_artconv
from test_safe_output import load_vectors

SCREENSHOT = REPO / "docs" / "review-seeds.png"
CORPUS_FILES = 1000
VECTORS_PER_ARTICLE = 10
# what a vector does if it ever runs: a flag in its window, and a message to the window above it
# (a sandboxed frame's own window cannot be read from outside; a message reaches the page)
PAYLOAD = "(function(){window.__xss=1;parent.postMessage(1,String.fromCharCode(42))})"

# opens each listed file in turn and waits until both its bodies have loaded in their frames
OPEN_EVERY_FILE = """(async () => {
  const tick = () => new Promise(done => setTimeout(done, 2));
  let opened = 0;
  for (const item of document.querySelectorAll('#files li')) {
    item.click();
    while (document.body.dataset.shown !== item.dataset.i) await tick();
    const frames = () => [...document.querySelectorAll('#file iframe')];
    while (frames().some(frame => frame.dataset.loaded !== '1')) await tick();
    opened += frames().length > 0 || document.querySelector('#file .message') ? 1 : 0;
  }
  return opened;
})()"""

pytestmark = pytest.mark.skipif(chromium() is None, reason="chromium is not installed: run bash scripts/browser")


@pytest.fixture(scope="module")
def browser():
    started = Browser()
    yield started
    started.close()


def _open(browser: Browser, page: Path) -> None:
    browser.open(page)
    browser.wait_for("document.body && document.body.dataset.ready === '1' && location.href.endsWith(" + repr(page.name) + ")")


def _listed(browser: Browser) -> list[str]:
    return browser.evaluate("[...document.querySelectorAll('#files li')].map(li => li.lastChild.textContent)")


def _show_next(browser: Browser, key: str = "j") -> int:
    before = browser.evaluate("document.body.dataset.shown || ''")
    browser.key(key)
    return int(browser.wait_for(f"document.body.dataset.shown !== {before!r} && document.body.dataset.shown"))


def test_the_seeds_page_shows_files_counts_and_a_diff(browser, tmp_path):
    (tmp_path / "posts").mkdir()
    for seed in sorted(SEEDS.glob("*")):
        shutil.copyfile(seed, tmp_path / "posts" / f"{seed.stem}.md")
    done = run_artconv("convert", "--to", "md", "posts", "--output", "clean", "--report", "review.html", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    _open(browser, tmp_path / "review.html")
    assert _listed(browser) == [f"posts/{seed.stem}.md" for seed in sorted(SEEDS.glob("*"))]
    statuses = browser.evaluate("document.getElementById('statuses').innerText")
    assert re.search(r"changed\s*2", statuses) and re.search(r"failed\s*0", statuses)
    assert "boilerplate" in browser.evaluate("document.getElementById('transformers').innerText")
    assert _show_next(browser) == 0
    # the editor line went into front matter: the diff shows it removed, the table says why
    removed = browser.evaluate("[...document.querySelectorAll('#diff del')].map(d => d.textContent).join(' ')")
    assert "责任编辑" in removed
    assert "lifted into front matter" in browser.evaluate("document.getElementById('file').innerText")
    frames = browser.evaluate("[...document.querySelectorAll('#file iframe')].map(f => [f.getAttribute('sandbox'), f.srcdoc.length])")
    assert len(frames) == 2 and all(sandbox == "" and length > 1000 for sandbox, length in frames)
    assert _show_next(browser, "ArrowDown") == 1 and _show_next(browser, "k") == 0
    browser.wait_for("[...document.querySelectorAll('#file iframe')].every(frame => frame.dataset.loaded === '1')")
    browser.evaluate("new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")  # painted
    SCREENSHOT.parent.mkdir(exist_ok=True)
    browser.screenshot(SCREENSHOT)
    assert SCREENSHOT.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and SCREENSHOT.stat().st_size > 20_000
    assert "](docs/review-seeds.png)" in (REPO / "README.md").read_text("utf-8")  # shown there


def test_a_page_of_1000_corpus_files_lists_every_file(browser, corpus_md):
    # the session's conversion of the whole corpus (conftest.corpus_md) wrote this page
    folder, done = corpus_md["corpus"]
    page = folder.parent / "corpus-review.html"
    files = sorted(str(path) for path in CORPUS.rglob("*") if path.suffix in (".md", ".html", ".markdown"))
    assert len(files) >= CORPUS_FILES
    assert done.returncode == 1 and b"Traceback" not in done.stderr  # a few fail
    assert page.stat().st_size < 8 * 1024 * 1024 * len(files) / CORPUS_FILES  # a few MB per 1,000 files
    _open(browser, page)
    assert _listed(browser) == files
    counts = browser.evaluate("[...document.querySelectorAll('#statuses .chip .n')].map(n => Number(n.textContent))")
    assert sum(counts) == len(files)
    # the last file opens, and a filter leaves only its files
    browser.evaluate("document.querySelector('#files li:last-child').click()")
    assert browser.wait_for(f"document.body.dataset.shown === '{len(files) - 1}'")
    browser.evaluate("document.querySelector('#statuses [data-key=failed]').click()")
    failed = browser.evaluate("document.querySelectorAll('#files li .st-failed').length")
    assert failed == len(_listed(browser)) == counts[3] > 0


def test_a_page_of_10000_files_opens_lists_and_filters(browser, tmp_path):
    # entries made directly (converting 10,000 files would take minutes): the page, not the run
    page = ReviewPage("10,000 files", "artconv convert (made by the test)")
    statuses = ("changed", "unchanged", "refused", "failed")
    for number in range(10_000):
        page.add(convert_entry(f"posts/{number:05d}.md", statuses[number % 4], f"message {number}", None, None))
    page.write(tmp_path / "many.html")
    _open(browser, tmp_path / "many.html")
    assert browser.evaluate("document.querySelectorAll('#files li').length") == 10_000
    browser.evaluate("document.querySelector('#statuses [data-key=refused]').click()")
    assert browser.evaluate("document.querySelectorAll('#files li').length") == 2_500
    browser.evaluate("document.querySelector('#files li:last-child').click()")
    assert browser.wait_for("document.body.dataset.shown") == "9998"
    assert browser.evaluate("document.querySelector('#file .message').textContent") == "message 9998"


def test_no_article_runs_script_in_the_page(browser, tmp_path):
    posts = tmp_path / "posts"
    posts.mkdir()
    # ten vectors an article (each frame is a process of its own: 146 articles would take a
    # minute to open), a NUL byte alone in its file (the file fails as binary: no frame)
    vectors = [vector.replace("alert", PAYLOAD) for vector in load_vectors()]
    for number in range(0, len(vectors), VECTORS_PER_ARTICLE):
        body = "".join(
            f"Before vector {index}.\n\n{vector}\n\n<div>\n<p>In a div {vector} too.</p>\n</div>\n\n"
            for index, vector in enumerate(vectors[number:number + VECTORS_PER_ARTICLE], number) if "\0" not in vector
        )
        (posts / f"v{number:03d}.md").write_text(f"---\ntitle: vectors from {number}\n---\n{body}", "utf-8")
    # a file name and text that try to end the page's script elements
    (posts / "<img src=x onerror=window.__xss=1>.md").write_text(
        "---\ntitle: </script><script>window.__xss=1</script>\n---\n"
        "Text </script><script>window.__xss=1</script> <!-- <script> \u2028 and `</script><script>window.__xss=1</script>`\n",
        "utf-8",
    )
    total = len(list(posts.iterdir()))
    for command in (("convert", "--to", "xhtml", "posts", "--output", "out"), ("lint", "--diff", "--no-cache", "posts")):
        page = tmp_path / f"{command[0]}.html"
        done = run_artconv(*command, "--report", page.name, cwd=tmp_path)
        assert b"Traceback" not in done.stderr and page.exists(), done.stderr
        _open(browser, page)
        browser.evaluate("window.__messages = 0; addEventListener('message', () => { window.__messages += 1; })")
        assert len(_listed(browser)) == total
        assert browser.evaluate(OPEN_EVERY_FILE) == total
        browser.evaluate("new Promise(done => setTimeout(done, 300))")  # time for a late onload or onerror
        assert browser.evaluate("[typeof window.__xss, window.__messages]") == ["undefined", 0]
        dialogs = [event for event in browser.events if event.get("method") == "Page.javascriptDialogOpening"]
        assert dialogs == []

"""Benchmark: artconv against its peers, in ONE run, on the same files.

    bash scripts/bench            # installs what it needs, then runs this script

Measures, on ../shared/corpus and on a generated corpus of seed-like files (default 10,000):
`artconv convert --to md` and `artconv lint` (cold with the cache cleared, then warm), as the
installed command in a subprocess; markdownify alone (defaults) and html2text in this process
on the same bodies; pandoc `-f html -t gfm` as one process per file on a sample, extrapolated.
Prints files/s, ratios artconv/peer, peak RSS and start-up times. Figures on a shared 2-core
machine are noisy: compare the ratios of one run, not figures across runs.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
ARTCONV = str(Path(sys.executable).with_name("artconv"))
PANDOC_SAMPLE = 100


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=10_000, help="size of the generated corpus")
    parser.add_argument("--jobs", type=int, default=0, help="artconv --jobs (default: CPU count)")
    options = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="artconv-bench-"))
    try:
        generated = generate_corpus(work / "generated", options.files)
        corpora = {"shared/corpus": SHARED / "corpus", f"generated ({options.files} files)": generated}
        print(f"artconv benchmark — {os.cpu_count()} CPUs, Python {sys.version.split()[0]}\n")
        print_startup(work)
        for name, folder in corpora.items():
            print_corpus(name, folder, work, options.jobs)
    finally:
        shutil.rmtree(work, ignore_errors=True)


# -- the generated corpus ---------------------------------------------------------------------

def generate_corpus(folder: Path, count: int) -> Path:
    """Seed-like files: the seeds' shape and boilerplate, with paragraphs and text varied."""
    seeds = [p.read_text("utf-8") for p in sorted((SHARED / "seeds").iterdir())]
    rng = random.Random(20261123)
    pool = "".join(re.findall(r"[\u4e00-\u9fff]", "".join(seeds)))
    folder.mkdir(parents=True)
    for index in range(count):
        head, body = re.match(r"(\s*---\n.*?\n---\n)(.*)", seeds[index % len(seeds)], re.S).groups()
        paragraphs = re.findall(r'<p cms-style="font-L[^"]*">.*?</p>', body)
        rng.shuffle(paragraphs)
        varied = [_vary(p, rng, pool) for p in paragraphs[: rng.randint(2, len(paragraphs))]]
        body = re.sub(
            r'(<div>   \n)(?:<p cms-style="font-L[^"]*">.*?</p>\n?)+',
            lambda m, varied=varied: m.group(1) + "\n".join(varied),
            body,
            count=1,
            flags=re.S,
        )
        title = "".join(rng.choice(pool) for _ in range(rng.randint(8, 24)))
        head = re.sub(r"title: '[^']*'", f"title: '{title}'", head)
        (folder / f"{index:05d}.md").write_text(head + body, "utf-8")
    return folder


def _vary(paragraph: str, rng: random.Random, pool: str) -> str:
    def replace(match: re.Match[str]) -> str:
        return "".join(rng.choice(pool) if rng.random() < 0.3 else c for c in match.group())

    return re.sub(r"(?<=>)[^<]+(?=<)", replace, paragraph)


# -- measuring ---------------------------------------------------------------------------------

def run(command: list[str], cwd: Path | None = None) -> tuple[float, int, int]:
    """(seconds, peak RSS in MB, exit code) of one child process."""
    started = time.perf_counter()
    child = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    return time.perf_counter() - started, usage.ru_maxrss // 1024, child.returncode


def bodies_of(folder: Path) -> list[str]:
    texts = []
    for path in sorted(folder.rglob("*")):
        if path.suffix in (".md", ".markdown", ".html") and path.is_file():
            text = path.read_bytes().decode("utf-8", errors="replace")
            parts = re.split(r"^---[ \t]*$", text, maxsplit=2, flags=re.M)
            texts.append(parts[2] if len(parts) == 3 else text)
    return texts


def in_process(function, bodies: list[str]) -> float:
    started = time.perf_counter()
    for body in bodies:
        try:
            function(body)
        except Exception:  # a peer failing on a file still spent the time
            pass
    return time.perf_counter() - started


def print_startup(work: Path) -> None:
    one = work / "one.md"
    shutil.copy(next((SHARED / "seeds").iterdir()), one)
    print("Start-up (median of 7 runs):")
    for label, command in (
        ("artconv --version", [ARTCONV, "--version"]),
        ("artconv lint ONE.md", [ARTCONV, "lint", "--no-cache", str(one)]),
        # as in a pre-commit hook run again on a file: the first of the 7 runs fills the cache
        ("artconv lint ONE.md (cache warm)", [ARTCONV, "lint", str(one)]),
        ("artconv convert --to md ONE.md", [ARTCONV, "convert", "--to", "md", str(one)]),
    ):
        times = [run(command, cwd=work)[0] for _ in range(7)]
        print(f"  {label:<34} {statistics.median(times) * 1000:7.0f} ms")
    print()


def print_corpus(name: str, folder: Path, work: Path, jobs: int) -> None:
    bodies = bodies_of(folder)
    count = len(bodies)
    jobs_args = ["--jobs", str(jobs)] if jobs else []
    print(f"{name}: {count} files")
    rows = []
    out = work / "out"
    shutil.rmtree(out, ignore_errors=True)
    seconds, rss, _ = run([ARTCONV, "convert", "--to", "md", "-q", *jobs_args, str(folder), "--output", str(out)])
    rows.append(("artconv convert --to md", seconds, rss))
    convert_seconds = seconds
    cache_home = work / f"lint-{abs(hash(name))}"
    cache_home.mkdir(exist_ok=True)
    seconds, rss, _ = run([ARTCONV, "lint", "-q", *jobs_args, str(folder)], cwd=cache_home)
    rows.append(("artconv lint (cold)", seconds, rss))
    lint_cold = seconds
    seconds, rss, _ = run([ARTCONV, "lint", "-q", *jobs_args, str(folder)], cwd=cache_home)
    rows.append(("artconv lint (warm cache)", seconds, rss))
    lint_warm = seconds

    from markdownify import markdownify

    markdownify_seconds = in_process(markdownify, bodies)
    rows.append(("markdownify alone (1 process)", markdownify_seconds, None))
    try:
        import html2text

        html2text_seconds = in_process(html2text.html2text, bodies)
        rows.append(("html2text (1 process)", html2text_seconds, None))
    except ImportError:
        html2text_seconds = None
    pandoc_seconds = pandoc_per_file(folder, count)
    if pandoc_seconds is not None:
        rows.append((f"pandoc per file (sample of {PANDOC_SAMPLE}, extrapolated)", pandoc_seconds, None))

    for label, seconds, rss in rows:
        memory = f"{rss:6d} MB" if rss is not None else "       —"
        print(f"  {label:<48} {seconds:8.2f} s {count / seconds:10.0f} files/s  peak RSS {memory}")
    print("  ratios (higher is better for artconv):")
    print(f"    convert vs markdownify alone   {markdownify_seconds / convert_seconds:6.2f}×  (goal ≥ 2×)")
    if html2text_seconds:
        print(f"    convert vs html2text           {html2text_seconds / convert_seconds:6.2f}×")
    if pandoc_seconds:
        print(f"    convert vs pandoc per file     {pandoc_seconds / convert_seconds:6.2f}×  (goal ≥ 40×)")
    print(f"    lint cold                      {count / lint_cold:8.0f} files/s  (goal ≥ 5,000)")
    print(f"    lint warm                      {count / lint_warm:8.0f} files/s  (goal ≥ 11,000)")
    print()


def pandoc_per_file(folder: Path, count: int) -> float | None:
    pandoc = shutil.which("pandoc")
    if pandoc is None:
        print("  (pandoc is not installed: scripts/bench installs it with apt-get)")
        return None
    files = sorted(p for p in folder.rglob("*") if p.suffix in (".md", ".html") and p.is_file())
    sample = files[:: max(1, len(files) // PANDOC_SAMPLE)][:PANDOC_SAMPLE]
    started = time.perf_counter()
    for path in sample:
        subprocess.run([pandoc, "-f", "html", "-t", "gfm", str(path)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return (time.perf_counter() - started) / len(sample) * count


if __name__ == "__main__":
    main()

"""Benchmark: artconv against its peers, in ONE run, on the same files.

    bash scripts/bench                      # installs what it needs, then runs this script
    bash scripts/bench --skip-100k          # the quick run: 1k and 10k generated files only
    bash scripts/bench --baseline main      # the same figures for another commit, side by side

Measures every figure of issue 16's table:
- start-up: `artconv lint ONE.md` (wall and CPU, cold and warm), rumdl on the same file;
- ../shared/corpus: `artconv convert --to md` with default jobs (wall and CPU seconds, children
  included) against markdownify alone and html2text in one process on the same bodies (files
  per CPU-second, and wall against one markdownify process); `artconv lint` cold and warm
  against rumdl cold and warm; peak RSS of the whole process tree (sampled from /proc). Each
  side of a ratio on the corpus is a median of runs alternating with the other side's;
- generated corpora of seed-like files at 1k, 10k and 100k files: convert and lint files/s and
  the peak RSS of the process tree, and how it grows from 10k to 100k;
- `convert --dask` on a LocalCluster of 1 and 2 worker processes (files/s);
- with --baseline REF: the corpus figures of artconv at REF (its source from `git archive`,
  run by this environment's Python), and today's over it.
Figures on a shared 2-core machine are noisy: compare the ratios of one run, not figures across
runs; CPU seconds move less than wall time.
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import types
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
ARTCONV = [str(Path(sys.executable).with_name("artconv"))]
RUMDL = shutil.which("rumdl", path=str(Path(sys.executable).parent)) or shutil.which("rumdl")
PANDOC_SAMPLE = 100


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="generated corpus sizes (comma-separated)")
    parser.add_argument("--skip-100k", action="store_true", help="leave out the 100k generated files (a quick run)")
    parser.add_argument("--jobs", type=int, default=0, help="artconv --jobs (default: CPU count)")
    parser.add_argument("--baseline", metavar="REF", help="also measure artconv at this git commit")
    parser.add_argument("--no-dask", action="store_true", help="leave out the LocalCluster runs")
    options = parser.parse_args()
    sizes = [int(size) for size in options.sizes.split(",") if not (options.skip_100k and int(size) >= 100_000)]
    work = Path(tempfile.mkdtemp(prefix="artconv-bench-"))
    try:
        print(f"artconv benchmark — {os.cpu_count()} CPUs, Python {sys.version.split()[0]}, load {os.getloadavg()[0]:.1f}\n")
        print_startup(work)
        baseline = checkout(options.baseline, work) if options.baseline else None
        print_corpus(SHARED / "corpus", work, options.jobs, baseline)
        print_generated(sizes, work, options.jobs)
        if not options.no_dask:
            print_dask(SHARED / "corpus", work)
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
        # 1,000 files a folder, as a large repository spreads them
        target = folder / f"{index // 1000:03d}" / f"{index:06d}.md"
        target.parent.mkdir(exist_ok=True)
        target.write_text(head + body, "utf-8")
    return folder


def _vary(paragraph: str, rng: random.Random, pool: str) -> str:
    def replace(match: re.Match[str]) -> str:
        return "".join(rng.choice(pool) if rng.random() < 0.3 else c for c in match.group())

    return re.sub(r"(?<=>)[^<]+(?=<)", replace, paragraph)


# -- measuring ---------------------------------------------------------------------------------

class Run:
    """One child process: wall seconds, CPU seconds (its waited-for children included), peak RSS
    of its whole process tree in MB (the sum over the tree, sampled from /proc), exit code."""

    def __init__(self, command: list[str], cwd: Path | None = None, env: dict | None = None):
        started = time.perf_counter()
        child = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        peak = [0]
        sampler = threading.Thread(target=_sample_tree, args=(child.pid, peak), daemon=True)
        sampler.start()
        _, status, usage = os.wait4(child.pid, 0)
        self.wall = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        sampler.join()
        self.cpu = usage.ru_utime + usage.ru_stime
        # the sampled tree alone: a child's ru_maxrss starts at what this process held when it
        # forked (Linux keeps it across exec), so a 19 MB warm lint run read as 50 MB here
        self.rss = peak[0] // 2**20
        self.code = child.returncode


def _sample_tree(root: int, peak: list[int]) -> None:
    page = os.sysconf("SC_PAGE_SIZE")
    while os.path.exists(f"/proc/{root}"):
        parents: dict[int, int] = {}
        resident: dict[int, int] = {}
        for name in os.listdir("/proc"):
            if not name.isdigit():
                continue
            try:
                with open(f"/proc/{name}/stat", "rb") as handle:
                    fields = handle.read().rsplit(b")", 1)[1].split()
                parents[int(name)] = int(fields[1])
                resident[int(name)] = int(fields[21]) * page
            except (OSError, IndexError, ValueError):
                continue
        tree, total = {root}, 0
        for pid in sorted(parents):  # children have larger pids than their parents, mostly
            if pid in tree or parents[pid] in tree:
                tree.add(pid)
        for pid in tree:
            total += resident.get(pid, 0)
        peak[0] = max(peak[0], total)
        time.sleep(0.05)


def bodies_of(folder: Path) -> list[str]:
    texts = []
    for path in sorted(folder.rglob("*")):
        if path.suffix in (".md", ".markdown", ".html") and path.is_file():
            text = path.read_bytes().decode("utf-8", errors="replace")
            parts = re.split(r"^---[ \t]*$", text, maxsplit=2, flags=re.M)
            texts.append(parts[2] if len(parts) == 3 else text)
    return texts


def in_process(function, bodies: list[str]) -> tuple[float, float]:
    """(wall, CPU) seconds of function over every body in this process."""
    started, cpu = time.perf_counter(), time.process_time()
    for body in bodies:
        try:
            function(body)
        except Exception:  # a peer failing on a file still spent the time
            pass
    return time.perf_counter() - started, time.process_time() - cpu


def checkout(ref: str, work: Path) -> list[str]:
    """A command running artconv as it was at `ref`: its source unpacked, put first on the path."""
    folder = work / "baseline"
    folder.mkdir()
    archive = subprocess.run(["git", "archive", ref, "src"], cwd=REPO, capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    source = folder / "src"
    return ["env", f"PYTHONPATH={source}", sys.executable, "-m", "artconv"]


def print_startup(work: Path) -> None:
    one = work / "one.md"
    shutil.copy(sorted((SHARED / "seeds").iterdir())[0], one)
    print("Start-up on one seed file (median of 7 runs; CPU includes children):")
    commands = [
        ("artconv --version", [*ARTCONV, "--version"]),
        ("artconv lint ONE.md", [*ARTCONV, "lint", "--no-cache", str(one)]),
        # as in a pre-commit hook run again on a file: the first of the 7 runs fills the cache
        ("artconv lint ONE.md (cache warm)", [*ARTCONV, "lint", str(one)]),
        ("artconv convert --to md ONE.md", [*ARTCONV, "convert", "--to", "md", str(one)]),
    ]
    if RUMDL:
        commands.append(("rumdl check ONE.md", [RUMDL, "check", "--no-cache", str(one)]))
    for label, command in commands:
        runs = [Run(command, cwd=work) for _ in range(7)]
        wall = statistics.median(r.wall for r in runs) * 1000
        cpu = statistics.median(r.cpu for r in runs) * 1000
        print(f"  {label:<34} {wall:7.0f} ms wall {cpu:7.0f} ms CPU")
    print()


_runs = itertools.count()


def _convert(command: list[str], folder: Path, work: Path, jobs: int) -> Run:
    # a folder name never used before. Writing 1,541 files under the name of a tree deleted
    # seconds earlier took 1.0 s of system time here, under a fresh name 0.09 s (ext4's inode
    # allocator skips recently freed inodes): a user converting into a new output folder does
    # not pay that, nor does markdownify, which writes nothing
    out = work / f"out-{next(_runs)}"
    jobs_args = ["--jobs", str(jobs)] if jobs else []
    run = Run([*command, "convert", "--to", "md", "-q", *jobs_args, str(folder), "--output", str(out)])
    shutil.rmtree(out, ignore_errors=True)
    return run


def _lint(command: list[str], folder: Path, work: Path, jobs: int, name: str) -> tuple[Run, Run]:
    home = work / f"lint-{name}"
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir()
    jobs_args = ["--jobs", str(jobs)] if jobs else []
    cold = Run([*command, "lint", "-q", *jobs_args, str(folder)], cwd=home)
    warm = Run([*command, "lint", "-q", *jobs_args, str(folder)], cwd=home)
    return cold, warm


def _row(label: str, count: int, wall: float, cpu: float | None, rss: int | None) -> None:
    cpu_text = f"{cpu:7.2f} s CPU {count / cpu:7.0f} files/CPU-s" if cpu else " " * 31
    memory = f"peak RSS {rss:5d} MB" if rss is not None else ""
    print(f"  {label:<40} {wall:7.2f} s {count / wall:7.0f} files/s  {cpu_text}  {memory}")


REPEATS = 3


def _median_run(runs: list[Run]) -> types.SimpleNamespace:
    """Median wall and CPU seconds of the runs (each on its own), and the highest peak RSS."""
    return types.SimpleNamespace(
        wall=statistics.median(r.wall for r in runs), cpu=statistics.median(r.cpu for r in runs), rss=max(r.rss for r in runs)
    )


WARM_SAMPLES = 3


def lint_against_rumdl(folder: Path, work: Path, jobs: int) -> tuple:
    """Medians of artconv lint and rumdl check, cold and warm, run alternately: REPEATS cold runs
    each (every one with a fresh cache), each followed by WARM_SAMPLES warm runs of both, one
    after the other. A warm run takes a tenth of a second, so one sample of each, seconds
    apart, compared this machine's drift as much as the two tools."""
    colds, warms, rumdl_colds, rumdl_warms = [], [], [], []
    jobs_args = ["--jobs", str(jobs)] if jobs else []
    for repeat in range(REPEATS):
        home, rumdl_home = work / f"lint-now-{repeat}", work / f"rumdl-{repeat}"
        for fresh in (home, rumdl_home):
            shutil.rmtree(fresh, ignore_errors=True)
            fresh.mkdir()
        colds.append(Run([*ARTCONV, "lint", "-q", *jobs_args, str(folder)], cwd=home))
        if RUMDL:
            rumdl_colds.append(Run([RUMDL, "check", "--no-cache", "-q", str(folder)], cwd=rumdl_home))
            Run([RUMDL, "check", "-q", str(folder)], cwd=rumdl_home)  # fills rumdl's cache
        for _ in range(WARM_SAMPLES):
            warms.append(Run([*ARTCONV, "lint", "-q", *jobs_args, str(folder)], cwd=home))
            if RUMDL:
                rumdl_warms.append(Run([RUMDL, "check", "-q", str(folder)], cwd=rumdl_home))
    rumdl = (_median_run(rumdl_colds), _median_run(rumdl_warms)) if RUMDL else None
    return _median_run(colds), _median_run(warms), rumdl


def print_corpus(folder: Path, work: Path, jobs: int, baseline: list[str] | None) -> None:
    bodies = bodies_of(folder)
    count = len(bodies)
    print(f"shared/corpus: {count} files")
    from markdownify import markdownify

    # convert and markdownify alternate, three times each, and the medians are compared: this
    # machine's speed drifts by up to a third from one minute to the next, and a drift then hits
    # both sides alike (one sample of each, a minute apart, could differ by that much alone)
    converts, peers, base_converts = [], [], []
    for _ in range(REPEATS):
        converts.append(_convert(ARTCONV, folder, work, jobs))
        peers.append(in_process(markdownify, bodies))
        if baseline:
            base_converts.append(_convert(baseline, folder, work, jobs))
    convert = _median_run(converts)
    md_wall, md_cpu = statistics.median(w for w, _ in peers), statistics.median(c for _, c in peers)
    _row("artconv convert --to md (default jobs)", count, convert.wall, convert.cpu, convert.rss)
    cold, warm, rumdl = lint_against_rumdl(folder, work, jobs)
    _row("artconv lint (cold)", count, cold.wall, cold.cpu, cold.rss)
    _row("artconv lint (warm cache)", count, warm.wall, warm.cpu, warm.rss)
    if baseline:
        base_convert = _median_run(base_converts)
        _row("baseline convert --to md", count, base_convert.wall, base_convert.cpu, base_convert.rss)
        base_cold, base_warm = _lint(baseline, folder, work, jobs, "baseline")
        _row("baseline lint (cold)", count, base_cold.wall, base_cold.cpu, base_cold.rss)
        _row("baseline lint (warm cache)", count, base_warm.wall, base_warm.cpu, base_warm.rss)

    _row("markdownify alone (1 process)", count, md_wall, md_cpu, None)
    h2t = None
    try:
        import html2text

        h2t = in_process(html2text.html2text, bodies)
        _row("html2text (1 process)", count, h2t[0], h2t[1], None)
    except ImportError:
        pass
    if rumdl:
        _row("rumdl check (cold, --no-cache)", count, rumdl[0].wall, rumdl[0].cpu, rumdl[0].rss)
        _row("rumdl check (warm cache)", count, rumdl[1].wall, rumdl[1].cpu, rumdl[1].rss)
    pandoc = pandoc_per_file(folder, count)
    if pandoc is not None:
        _row(f"pandoc per file (sample of {PANDOC_SAMPLE}, extrapolated)", count, pandoc, None, None)

    print("  ratios (higher is better for artconv):")
    print(f"    convert wall vs one markdownify process      {md_wall / convert.wall:6.2f}×  (goal ≥ 1.2×)")
    print(f"    convert per CPU-second vs markdownify        {md_cpu / convert.cpu:6.2f}×  (goal ≥ 0.5×)")
    if h2t:
        print(f"    convert per CPU-second vs html2text          {h2t[1] / convert.cpu:6.2f}×")
    if pandoc:
        print(f"    convert wall vs pandoc per file              {pandoc / convert.wall:6.2f}×")
    if rumdl:
        print(f"    lint cold per CPU-second vs rumdl cold       {rumdl[0].cpu / cold.cpu:6.2f}×")
        print(f"    lint warm wall vs rumdl warm                 {rumdl[1].wall / warm.wall:6.2f}×  (goal ≥ 1×)")
    if baseline:
        print(f"    convert CPU vs baseline                      {base_convert.cpu / convert.cpu:6.2f}×")
        print(f"    convert wall vs baseline                     {base_convert.wall / convert.wall:6.2f}×")
        print(f"    lint cold files/s vs baseline                {base_cold.wall / cold.wall:6.2f}×  (goal ≥ 2×)")
        print(f"    lint cold CPU vs baseline                    {base_cold.cpu / cold.cpu:6.2f}×")
        print(f"    lint warm files/s vs baseline                {base_warm.wall / warm.wall:6.2f}×")
    print()


def print_generated(sizes: list[int], work: Path, jobs: int) -> None:
    print("generated seed-like corpora (peak RSS of the whole process tree):")
    peaks: dict[int, int] = {}
    for size in sizes:
        folder = generate_corpus(work / f"generated-{size}", size)
        convert = _convert(ARTCONV, folder, work, jobs)
        _row(f"{size:>7} files: convert --to md", size, convert.wall, convert.cpu, convert.rss)
        cold, _ = _lint(ARTCONV, folder, work, jobs, f"gen{size}")
        _row(f"{size:>7} files: lint (cold)", size, cold.wall, cold.cpu, cold.rss)
        peaks[size] = max(convert.rss, cold.rss)
        shutil.rmtree(folder, ignore_errors=True)
    known = sorted(peaks)
    for small, big in zip(known, known[1:]):
        print(f"  peak RSS {small} → {big} files: {peaks[small]} → {peaks[big]} MB ({peaks[big] / peaks[small]:.2f}×; goal ≤ 1.2×)")
    print()


def print_dask(folder: Path, work: Path) -> None:
    try:
        from distributed import LocalCluster
    except ImportError:
        print("(dask.distributed is not installed: no --dask figures)\n")
        return
    count = len(bodies_of(folder))
    print("convert --dask on a LocalCluster of worker processes (one thread each), shared/corpus:")
    for workers in (1, 2):
        with LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
        ) as cluster:
            out = work / "dask-out"
            shutil.rmtree(out, ignore_errors=True)
            run = Run([*ARTCONV, "convert", "--to", "md", "-q", "--dask", cluster.scheduler_address, str(folder), "--output", str(out)])
            _row(f"{workers} worker(s)", count, run.wall, None, None)
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

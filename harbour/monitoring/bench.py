"""`make bench-monitoring`: the log engine against its yardsticks, on the same data, in one run (issue #6).

    python -m harbour.monitoring.bench [--lines N] [--domains N] [--workdir DIR] [--squidguard-lines N]

Generates (once, cached under the work folder, default var/bench/) a Squid native
log and a UT1-layout category tree with bench_data.py, then runs each contender
in its own child process and prints one table: wall time, lines per second, CPU
seconds and peak memory of the whole process tree (proportional set size,
sampled from /proc, so forked workers are not double-counted).

Rows:
- engine fast path on one core (the process pinned to one CPU, workers=1) and on
  all cores (workers = CPUs); engine reference path on one core;
- ``mawk '{print $7}'``: the floor, just reading the URL field;
- the plain line-by-line Python classifier (bench_rivals.plain_classify);
- squidGuard offline (Debian package), on a prefix of the log if it is slow.

The engine rows time the scan itself (lists and keywords already loaded, as in a
long-running ingestion worker); the time to load the million-domain lists is
printed separately.  Figures are measured, never asserted: nothing here fails a
build.  On a shared machine other work inflates wall times; CPU seconds are
printed beside them for that reason.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from harbour.monitoring import bench_data, bench_rivals

FLAGGED = frozenset({"adult", "aggressive", "dating", "drogue", "gambling", "hacking", "malware", "phishing", "warez"})


# -- child side: one measured run, printing JSON ---------------------------------------------------


def _child(kind: str, log: Path, lists: Path, keywords: Path, workers: int, index: Path | None = None) -> dict:
    if workers == 1:
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    started = time.perf_counter()
    if kind in ("fast", "reference"):
        from harbour.monitoring.engine import load_categories, load_keywords, scan

        imported = time.perf_counter()
        if index is not None:
            from harbour.monitoring.engine.index import open_index

            db = open_index(index, lists_dir=lists)
        else:
            db = load_categories(lists)
        lists_ready = time.perf_counter() - imported
        kw = load_keywords(keywords)
        if kind == "fast":
            from harbour.monitoring.engine import fast_kernel

            fast_kernel.warm_up()  # compiled code is loaded (or compiled once, then cached) before timing

        loaded = time.perf_counter()
        cpu0 = _cpu()
        result = scan([str(log)], categories=db, keywords=kw, workers=workers, engine=kind, flag_categories=FLAGGED)
        done = time.perf_counter()
        return {
            "lines": result.lines,
            "load": loaded - started,
            "lists": lists_ready,
            "seconds": done - loaded,
            "cpu": _cpu() - cpu0,
            "check": [result.requests, len(result.person_day), len(result.flags)],
        }
    if kind == "plain":
        table = bench_rivals.load_plain_lists(lists)
        automaton = bench_rivals.load_plain_keywords(keywords)
        loaded = time.perf_counter()
        cpu0 = _cpu()
        out = bench_rivals.plain_classify(log, table, automaton)
        done = time.perf_counter()
        return {"lines": out["lines"], "load": loaded - started, "seconds": done - loaded, "cpu": _cpu() - cpu0}
    raise SystemExit(f"unknown child kind {kind}")


def _cpu() -> float:
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


# -- parent side -----------------------------------------------------------------------------------


class _PeakMemory(threading.Thread):
    """Samples the summed PSS (or RSS) of a process and its descendants every 20 ms."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_kb = 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            self.peak_kb = max(self.peak_kb, sum(_pss_kb(p) for p in _tree(self.pid)))
            self.done.wait(0.02)


def _tree(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(children.get(pid, []))
    return out


def _pss_kb(pid: int) -> int:
    for name, field in (("smaps_rollup", "Pss:"), ("status", "VmRSS:")):
        try:
            with open(f"/proc/{pid}/{name}", encoding="ascii") as f:
                for line in f:
                    if line.startswith(field):
                        return int(line.split()[1])
        except (OSError, ValueError):
            continue
    return 0


def _measure(cmd: list[str], *, stdin: Path | None = None, env: dict | None = None, timeout: float = 900) -> dict:
    """Run ``cmd`` with its output to a file (as ``> /dev/null`` would cost, no pipe to drain).

    Returns wall seconds, CPU seconds of the process and the children it waited for (wait4),
    peak memory (the larger of the sampled tree PSS and the process's own max RSS), and the JSON
    it printed last, if any.
    """
    with (
        open(stdin or os.devnull, "rb") as src,
        tempfile.TemporaryFile() as out,
        tempfile.TemporaryFile() as err,
    ):
        started = time.perf_counter()
        try:
            proc = subprocess.Popen(cmd, stdin=src, stdout=out, stderr=err, env=env)  # noqa: S603
        except OSError as exc:
            return {"error": f"cannot run {cmd[0]}: {exc.strerror or exc}"}
        sampler = _PeakMemory(proc.pid)
        sampler.start()
        deadline = started + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                proc.kill()
                os.wait4(proc.pid, 0)
                sampler.done.set()
                return {"error": f"stopped after {timeout:.0f} s"}
            time.sleep(0.005)
        wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        sampler.done.set()
        sampler.join()
        out.seek(0)
        err.seek(0)
        text = out.read().decode("utf-8", "replace").strip()
        problem = err.read().decode("utf-8", "replace").strip()
    res = {
        "wall": wall,
        "cpu_all": usage.ru_utime + usage.ru_stime,
        "peak_mb": max(sampler.peak_kb, usage.ru_maxrss) / 1024,
        "rc": proc.returncode,
    }
    if proc.returncode != 0:
        res["error"] = (problem.splitlines() or [f"exit status {proc.returncode}"])[-1]
        return res
    if text.startswith("{"):
        res.update(json.loads(text.splitlines()[-1]))
    return res


def _engine_cmd(kind: str, paths: dict[str, Path], workers: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "harbour.monitoring.bench",
        "--child",
        kind,
        "--workers",
        str(workers),
        "--log",
        str(paths["log"]),
        "--lists",
        str(paths["lists"]),
        "--keywords",
        str(paths["keywords"]),
    ]


def _one_core_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update({"NUMBA_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"})
    return env


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m harbour.monitoring.bench", description=__doc__.split("\n")[0])
    ap.add_argument("--lines", type=int, default=2_000_000)
    ap.add_argument("--domains", type=int, default=1_000_000)
    ap.add_argument("--workdir", type=Path, default=Path("var/bench"))
    ap.add_argument("--squidguard-lines", type=int, default=200_000, help="log prefix fed to squidGuard")
    ap.add_argument("--skip", default="", help="comma-separated rows to leave out: lists,reference,plain,squidguard")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--workers", type=int, default=1, help=argparse.SUPPRESS)
    ap.add_argument("--log", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--lists", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--keywords", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--index", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        print(json.dumps(_child(args.child, args.log, args.lists, args.keywords, args.workers, args.index)))
        return 0
    if args.lines < 1 or args.domains < 100:
        ap.error("--lines must be at least 1 and --domains at least 100")
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    t = time.perf_counter()
    paths = bench_data.ensure_data(args.workdir, args.lines, args.domains)
    cpus = len(os.sched_getaffinity(0))
    size_mb = paths["log"].stat().st_size / 2**20
    print(f"data: {paths['log']} ({args.lines:,} lines, {size_mb:.0f} MB), {args.domains:,} domains "
          f"in {paths['lists']} ({time.perf_counter() - t:.1f} s to generate or find); {cpus} CPUs")  # fmt: skip
    print(f"load average before: {_load()}")
    rows: list[tuple[str, int, dict]] = []
    one = _one_core_env()
    # Compile (or load from Numba's cache) the fast path's kernels once, untimed, so no row pays for it.
    subprocess.run(
        [sys.executable, "-c", "from harbour.monitoring.engine import fast_kernel; fast_kernel.warm_up()"], check=False
    )

    def engine(label: str, kind: str, workers: int, index: Path | None = None) -> None:
        cmd = _engine_cmd(kind, paths, workers) + (["--index", str(index)] if index else [])
        rows.append((label, args.lines, _measure(cmd, env=one if workers == 1 else None)))
        _progress(rows[-1])

    # The prebuilt index (issue #19): its build is timed like any other command.
    index = paths["log"].parent / "lists.idx"
    cli = [sys.executable, "-m", "harbour.monitoring.engine.cli"]
    build = _measure([*cli, "index", "build", "--lists", str(paths["lists"]), "--out", str(index)])
    build["seconds"] = build.get("wall", 0)
    build["cpu"] = build.get("cpu_all")
    rows.append(("index build (once per list update)", 0, build))
    _progress(rows[-1])
    if "error" not in build:
        engine("engine fast path + index, 1 core", "fast", 1, index)
        engine(f"engine fast path + index, {cpus} cores", "fast", cpus, index)
    if "lists" not in skip:
        engine("engine fast path, lists in memory, 1 core", "fast", 1)
        engine(f"engine fast path, lists in memory, {cpus} cores", "fast", cpus)
    if "reference" not in skip:
        engine("engine reference path, 1 core", "reference", 1)
    rows.append(("mawk '{print $7}' (the floor)", args.lines, _measure(["mawk", "{print $7}", str(paths["log"])])))
    _progress(rows[-1])
    if "plain" not in skip:
        rows.append(("plain Python classifier, 1 core", args.lines, _measure(_engine_cmd("plain", paths, 1), env=one)))
        _progress(rows[-1])
    if "squidguard" not in skip:
        rows.append(_squidguard(paths, args))
        _progress(rows[-1])
    _table(rows)
    return 0


def _squidguard(paths: dict[str, Path], args: argparse.Namespace) -> tuple[str, int, dict]:
    label = "squidGuard offline (-C all db), 1 core"
    binary = bench_rivals.squidguard_binary()
    if binary is None:
        return label, 0, {"error": "not installed (Debian: apt-get install squidguard)"}
    try:
        conf, build = bench_rivals.squidguard_prepare(paths["lists"], paths["log"].parent)
    except (OSError, subprocess.SubprocessError) as exc:
        return label, 0, {"error": f"could not build its database: {exc}"}
    feed = paths["log"].parent / f"squidguard-input-{args.squidguard_lines}.txt"
    lines = args.squidguard_lines
    if not feed.exists():
        lines = bench_rivals.squidguard_input(paths["log"], feed, args.squidguard_lines)
    else:
        with open(feed, "rb") as f:
            lines = sum(1 for _ in f)
    cmd = ["taskset", "-c", str(sorted(os.sched_getaffinity(0))[0]), binary, "-c", str(conf)]
    res = _measure(cmd, stdin=feed, env=bench_rivals.squidguard_env())
    res["seconds"] = res.get("wall", 0)
    res["cpu"] = res.get("cpu_all")
    res["note"] = f"first {lines:,} lines; db built once in {build:.0f} s"
    return label, lines, res


def _load() -> str:
    try:
        with open("/proc/loadavg", encoding="ascii") as f:
            return " ".join(f.read().split()[:3])
    except OSError:
        return "unknown"


def _progress(row: tuple[str, int, dict]) -> None:
    label, _lines, res = row
    state = res.get("error") or f"{res.get('seconds', res.get('wall', 0)):.2f} s"
    print(f"  measured: {label}: {state}", file=sys.stderr, flush=True)


def _cpu_of(res: dict) -> float | None:
    cpu = res.get("cpu")
    return cpu if cpu is not None else res.get("cpu_all")


def _table(rows: list[tuple[str, int, dict]]) -> None:
    mawk = next((r for label, _n, r in rows if label.startswith("mawk") and "wall" in r), None)
    floor_wall = args_lines(rows, mawk) / mawk["wall"] if mawk else None
    floor_cpu = args_lines(rows, mawk) / _cpu_of(mawk) if mawk and _cpu_of(mawk) else None
    header = (
        f"{'run':<40} {'lines':>10} {'time s':>8} {'lines/s':>11} {'CPU s':>7} {'lines/CPU-s':>12} "
        f"{'peak MB':>8} {'floor× wall':>11} {'floor× CPU':>10}"
    )
    print()
    print(header)
    print("-" * len(header))
    for label, lines, res in rows:
        if "error" in res:
            print(f"{label:<40} {'-':>10}  not measured: {res['error']}")
            continue
        if not lines:  # a step, not a scan (the index build)
            cpu, peak = res["cpu_all"], res["peak_mb"]
            print(f"{label:<40} {'-':>10} {res['wall']:8.2f} {'-':>11} {cpu:7.2f} {'-':>12} {peak:8.0f}")
            continue
        seconds = res.get("seconds", res["wall"])
        rate = lines / seconds if seconds else 0
        cpu = _cpu_of(res)
        per_cpu = lines / cpu if cpu else 0
        wall_ratio = f"{floor_wall / rate:10.1f}x" if floor_wall and rate else f"{'-':>11}"
        cpu_ratio = f"{floor_cpu / per_cpu:9.1f}x" if floor_cpu and per_cpu else f"{'-':>10}"
        cpu_text = f"{cpu:7.2f} {per_cpu:12,.0f}" if cpu else f"{'-':>7} {'-':>12}"
        print(
            f"{label:<40} {lines:>10,} {seconds:8.2f} {rate:11,.0f} {cpu_text} {res['peak_mb']:8.0f} "
            f"{wall_ratio} {cpu_ratio}"
        )
    notes = [(label, res) for label, _l, res in rows if "error" not in res]
    print()
    for label, res in notes:
        if "lists" in res:
            print(
                f"{label}: lists opened in {res['lists']:.2f} s; ready to scan after {res['load']:.2f} s "
                "(imports, lists, keywords, loading the compiled code), before the timed scan"
            )
        elif "load" in res:
            print(f"{label}: lists and keywords loaded in {res['load']:.2f} s before the timed scan")
        if "note" in res:
            print(f"{label}: {res['note']}")
    _ratios(rows)
    print(f"load average now: {_load()} (other work on this machine slows every row alike)")
    print(
        "time s = the timed work (engine: the scan; mawk and squidGuard: the whole command). "
        "CPU s = CPU time of that work, all processes.\n"
        "floor× = time per line relative to mawk '{print $7}' (1.0x = as fast as reading the URL field), "
        "by wall time and by CPU time (the CPU ratio holds on a busy machine; for the multi-core row "
        "only the wall ratio shows the speed-up)."
    )


def _ratios(rows: list[tuple[str, int, dict]]) -> None:
    """The goals of issue #19 as ratios: per core against plain Python, N cores against one, start-up."""
    found = {label: (n, r) for label, n, r in rows if "error" not in r}

    def per_cpu(prefix: str) -> float | None:
        for label, (n, r) in found.items():
            if label.startswith(prefix) and _cpu_of(r):
                return n / _cpu_of(r)
        return None

    def wall(prefix: str, cores: bool) -> float | None:
        for label, (_n, r) in found.items():
            if label.startswith(prefix) and label.endswith("cores") == cores:
                return r.get("seconds", r.get("wall"))
        return None

    plain = per_cpu("plain Python")
    for name in ("engine fast path + index", "engine fast path, lists in memory"):
        one = per_cpu(name + ", 1 core")
        if one and plain:
            print(f"{name}: {one / plain:.2f}x the plain-Python classifier per CPU-second (goal: 2x)")
        single, many = wall(name, False), wall(name, True)
        if single and many:
            print(f"{name}: {single / many:.2f}x faster on all cores than on one, by wall time (goal: 1.8x on 2)")
        start = next((r for label, (_n, r) in found.items() if label.startswith(name) and "lists" in r), None)
        if start is not None:
            print(f"{name}: lists opened in {start['lists']:.2f} s (goal with an index: under 0.5 s)")


def args_lines(rows: list[tuple[str, int, dict]], res: dict | None) -> int:
    return next((n for _label, n, r in rows if r is res), 0)


if __name__ == "__main__":
    raise SystemExit(main())

"""Kiln's benchmark suite: every kernel of test/bench/kernels/, run by the
reference (NumPy, or the plain Python source), Kiln, Numba and Pythran in
one process, each result checked before it is timed.

    /usr/bin/python3 test/bench/run.py [--size small|medium|large]
        [--filter NAME[,NAME...]] [--threads N] [--repeat R]
        [--backends kiln,numba,...] [--json FILE] [--smoke] [--isolate] [--load N]

A kernel file is the kernel source (compiled by every backend), a marker
line `# ---- harness`, then its harness: SIZES, setup(n, rng), optionally
reference(...) (a NumPy-vectorised equivalent, the timing reference for
loop kernels), TOLERANCE and optionally check(got, ref).

Loops marked `# prange` (optionally `# prange reduction(+:s)`) run in
parallel under Numba parallel=True (`range` becomes `prange`) and Pythran
-fopenmp (an `#omp parallel for` line is inserted); the other backends see
plain `range`.

--load N keeps N CPU-bound processes running beside the benchmark (a busy
machine); compare --threads 1 with the default under the same load.

--smoke (used by CI): smallest size, Kiln and the reference only, the plain
Python source checked against the reference too, no timing; exits non-zero
on a mismatch, on a crash, or when a kernel named in kernels/supported.txt
no longer compiles.
"""
import argparse
import ast
import copy
import json
import math
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
import warnings
from concurrent.futures import ThreadPoolExecutor

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
KERNELS = os.path.join(HERE, "kernels")
MARKER = "# ---- harness"
ALL_BACKENDS = ["kiln", "numba", "numba-par", "pythran", "pythran-omp", "kiln-unchecked"]
DEFAULT_BACKENDS = ALL_BACKENDS[:5]
SERIAL_PEERS = ["numba", "pythran"]
PRANGE = re.compile(r"^(\s*)(for .*\bin\s+)range(\(.*:)\s*#\s*prange\b\s*(.*)$")


class Kernel:
    """One kernel file: its compiled source and its harness."""

    def __init__(self, path):
        self.path = path
        self.name = os.path.splitext(os.path.basename(path))[0]
        text = open(path).read()
        cut = text.find(MARKER)
        if cut < 0:
            raise SystemExit("%s: no '%s' marker line" % (path, MARKER))
        self.source = text[:cut]
        exports = re.findall(r"^#pythran export (\w+)\(", self.source, re.M)
        if not exports:
            raise SystemExit("%s: no '#pythran export' line" % path)
        self.entry = exports[0]
        self.functions = [n.name for n in ast.parse(self.source).body
                          if isinstance(n, ast.FunctionDef)]

    def parallel_source(self, flavour):
        """The source with `# prange` loops made parallel for `flavour`
        ('numba' or 'openmp')."""
        out = []
        for line in self.source.splitlines():
            m = PRANGE.match(line)
            if m and flavour == "numba":
                line = "%s%sprange%s" % (m.group(1), m.group(2), m.group(3))
            elif m:
                out.append("%s#omp parallel for %s" % (m.group(1), m.group(4)))
            out.append(line)
        text = "\n".join(out) + "\n"
        if flavour == "numba":
            text = "from numba import prange\n" + text
        return text


def load(name, path):
    import importlib.util
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


def write(path, text):
    with open(path, "w") as f:
        f.write(text)
    return path


def first_diagnostic(text):
    """The first `file:line:col: error: ...` line of a compiler's output,
    without the file name, or the last line of the output."""
    for line in text.splitlines():
        m = re.search(r":(\d+):(\d+): error: (.*)$", line)
        if m:
            return "line %s:%s: %s" % m.groups()
    lines = [l for l in text.splitlines() if l.strip()]
    return lines[-1][:200] if lines else "no output"


# ---- building each backend ----------------------------------------------------

def build_kiln(k, work, opts, unchecked=False):
    tag = "kiln_unchecked" if unchecked else "kiln"
    if opts.prebuilt:
        # Modules compiled elsewhere (`--build-only DIR` there): no compiler here.
        so = os.path.join(opts.prebuilt, "%s_%s.abi3.so" % (k.name, tag))
        if not os.path.exists(so):
            return {"status": "unsupported", "error": "not in --prebuilt directory"}
        return {"status": "ok", "fn": getattr(load("%s_%s" % (k.name, tag), so), k.entry)}
    src = write(os.path.join(work, k.name + ".py"), k.source)
    so = os.path.join(work, "%s_%s.abi3.so" % (k.name, tag))
    t0 = time.perf_counter()
    flags = opts.kiln_flag + (["--unchecked"] if unchecked else [])
    r = subprocess.run([opts.kiln, "compile", src, "-O3", "-o", so] + flags,
                       capture_output=True, text=True)
    secs = time.perf_counter() - t0
    if r.returncode != 0:
        # Exit status 1 with a diagnostic is "not supported yet"; anything
        # else (a signal, an internal error) is a compiler bug.
        crashed = r.returncode != 1 or "internal compiler error" in r.stderr
        kind = "crash" if crashed else "unsupported"
        return {"status": kind, "error": first_diagnostic(r.stderr), "compile_s": secs}
    mod = load("%s_%s" % (k.name, tag), so)
    return {"status": "ok", "fn": getattr(mod, k.entry), "compile_s": secs}


def build_pythran(k, work, openmp):
    tag = "pythran_omp" if openmp else "pythran"
    d = os.path.join(work, tag)
    os.makedirs(d, exist_ok=True)
    modname = "%s_%s" % (k.name, tag)
    write(os.path.join(d, modname + ".py"),
          k.parallel_source("openmp") if openmp else k.source)
    flags = ["-O3", "-march=native"] + (["-fopenmp", "-DUSE_XSIMD"] if openmp else [])
    t0 = time.perf_counter()
    r = subprocess.run(["pythran"] + flags + [modname + ".py"], cwd=d,
                       capture_output=True, text=True)
    secs = time.perf_counter() - t0
    if r.returncode != 0:
        return {"status": "failed", "error": first_diagnostic(r.stderr + r.stdout),
                "compile_s": secs}
    return {"status": "ready", "so": [os.path.join(d, f) for f in os.listdir(d)
                                      if f.startswith(modname) and f.endswith(".so")][0],
            "module": modname, "compile_s": secs}


def build_numba(k, work, parallel):
    import numba
    tag = "numba_par" if parallel else "numba"
    modname = "%s_%s" % (k.name, tag)
    path = write(os.path.join(work, modname + ".py"),
                 k.parallel_source("numba") if parallel else k.source)
    mod = load(modname, path)
    for f in k.functions:
        setattr(mod, f, numba.njit(getattr(mod, f), parallel=parallel))
    return {"status": "ok", "fn": getattr(mod, k.entry), "lazy": True}


# ---- checking and timing ---------------------------------------------------------

def matches(harness, got, ref):
    """Whether `got` equals the reference result under the kernel's rules."""
    check = getattr(harness, "check", None)
    if check is not None:
        return bool(check(got, ref))
    tol = getattr(harness, "TOLERANCE", {"rtol": 1e-9, "atol": 1e-12})
    if isinstance(ref, tuple):
        return (isinstance(got, tuple) and len(got) == len(ref)
                and all(matches(harness, g, r) for g, r in zip(got, ref)))
    g, r = np.asarray(got), np.asarray(ref)
    return g.shape == r.shape and bool(np.allclose(g, r, equal_nan=True, **tol))


def timed_call(fn, args):
    """Seconds of one call on fresh copies of the arguments (the copy is not
    timed), and its result."""
    a = copy.deepcopy(args)
    t0 = time.perf_counter()
    r = fn(*a)
    return time.perf_counter() - t0, r


def run_kernel(k, opts, backends, work, pythran_builds):
    harness = load("%s_py" % k.name, k.path)
    size = opts.size if opts.size in harness.SIZES else list(harness.SIZES)[0]
    args = harness.setup(harness.SIZES[size], np.random.default_rng(20261127))
    has_ref = hasattr(harness, "reference")
    ref_fn = harness.reference if has_ref else getattr(harness, k.entry)
    row = {"size": size, "reference": "numpy" if has_ref else "python", "backends": {}}
    _, ref = timed_call(ref_fn, args)
    fns = {"reference": ref_fn}
    if opts.smoke and has_ref:
        # The plain source under CPython must agree with the vectorised reference.
        _, plain = timed_call(getattr(harness, k.entry), args)
        row["backends"]["python"] = {"status": "ok" if matches(harness, plain, ref) else "mismatch"}
    for b in backends:
        try:
            if b.startswith("kiln"):
                res = build_kiln(k, work, opts, unchecked=b == "kiln-unchecked")
            elif b.startswith("numba"):
                res = build_numba(k, work, b == "numba-par")
            else:
                res = pythran_builds[(k.name, b)]
                if res["status"] == "ready":
                    res = dict(res, status="ok",
                               fn=getattr(load(res["module"], res["so"]), k.entry))
            if res["status"] == "ok":
                secs, got = timed_call(res["fn"], args)
                if res.pop("lazy", False):
                    res["first_call_s"] = secs  # Numba compiles on the first call
                if not matches(harness, got, ref):
                    res["status"] = "mismatch"
                else:
                    fns[b] = res["fn"]
        except Exception as e:  # a peer's failure is a table cell, not the end of the run
            res = {"status": "failed", "error": "%s: %s" % (type(e).__name__, str(e).splitlines()[0][:150] if str(e) else "")}
            if opts.verbose:
                traceback.print_exc()
        res.pop("fn", None)
        res.pop("so", None)
        res.pop("module", None)
        row["backends"][b] = res
    # Round-robin repeats: no backend always pays first for page faults,
    # caches or the clock frequency.
    times = {b: [] for b in fns}
    for _ in range(opts.repeat):
        for b, fn in fns.items():
            times[b].append(timed_call(fn, args)[0])
    if opts.repeat:
        row["reference_best"] = min(times["reference"])
        row["reference_median"] = statistics.median(times["reference"])
        for b in fns:
            if b != "reference":
                row["backends"][b].update(best=min(times[b]), median=statistics.median(times[b]))
    return row


# ---- reporting -------------------------------------------------------------------

def cell(res):
    if res is None:
        return "-"
    if "best" in res:
        return "%.4g" % res["best"]
    return res["status"]


def geomean(xs):
    return math.exp(sum(math.log(x) for x in xs) / len(xs)) if xs else float("nan")


def report(rows, backends, opts):
    w = 13
    head = "%-18s%-8s%12s" % ("kernel", "size", "reference") + "".join(
        "%*s" % (w, b) for b in backends)
    if opts.repeat:
        head += "%12s%12s" % ("kiln/ref", "kiln/peer")
    print("\n" + head)
    speed = {b: [] for b in backends}
    for name, row in rows.items():
        ref = row.get("reference_best")
        line = "%-18s%-8s%12s" % (name, row["size"], ("%.4g" % ref) if ref else row["reference"])
        for b in backends:
            res = row["backends"].get(b)
            line += "%*s" % (w, cell(res))
            if res and "best" in res:
                res["speedup"] = ref / res["best"]
                speed[b].append(res["speedup"])
        kiln = row["backends"].get("kiln", {})
        if opts.repeat and "best" in kiln:
            peers = [row["backends"][p]["best"] for p in SERIAL_PEERS
                     if "best" in row["backends"].get(p, {})]
            line += "%11.2fx" % kiln["speedup"]
            if peers:
                kiln["vs_best_serial_peer"] = min(peers) / kiln["best"]
                line += "%11.2fx" % kiln["vs_best_serial_peer"]
            unchecked = row["backends"].get("kiln-unchecked", {})
            if "best" in unchecked:
                kiln["checked_over_unchecked"] = kiln["best"] / unchecked["best"]
                line += "  checked/unchecked %.2f" % kiln["checked_over_unchecked"]
        print(line)
    if opts.repeat:
        print("\nreference: the kernel's NumPy-vectorised reference(), or its own source under "
              "CPython; times are the best of %d (seconds); kiln/peer = best of %s / kiln"
              % (opts.repeat, " and ".join(SERIAL_PEERS)))
        print("geometric mean of speedup over the reference:")
        for b in backends:
            print("  %-12s %7.2fx  (%d of %d kernels)" % (b, geomean(speed[b]), len(speed[b]), len(rows)))
    notes = []
    for name, row in rows.items():
        for b, res in row["backends"].items():
            if res.get("status") not in ("ok", None):
                notes.append("  %-18s %-12s %s%s" % (name, b, res["status"],
                                                     ": " + res["error"] if res.get("error") else ""))
    if notes:
        print("\nnot timed:")
        print("\n".join(notes))
    comp = []
    for name, row in rows.items():
        parts = []
        for b in backends:
            res = row["backends"].get(b, {})
            if "compile_s" in res:
                parts.append("%s %.2f s" % (b, res["compile_s"]))
            if "first_call_s" in res:
                parts.append("%s first call %.2f s" % (b, res["first_call_s"]))
        if parts:
            comp.append("  %-18s %s" % (name, ", ".join(parts)))
    if comp:
        print("\ncompile times (Numba: latency of the first call, which compiles):")
        print("\n".join(comp))
    return {b: geomean(speed[b]) for b in backends if speed[b]}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--kiln", default=os.path.join(ROOT, "build", "bin", "kiln"))
    ap.add_argument("--kiln-flag", action="append", default=[],
                    help="an extra flag for kiln compile (repeatable), e.g. --kiln-flag=--unchecked")
    ap.add_argument("--size", default="large", choices=["small", "medium", "large"])
    ap.add_argument("--filter", default="", help="comma-separated kernel names (substrings)")
    ap.add_argument("--threads", type=int, default=os.cpu_count(),
                    help="threads for every parallel backend (default: all CPUs)")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--backends", default=",".join(DEFAULT_BACKENDS),
                    help="any of %s (kiln-unchecked: compiled with --unchecked, to show "
                         "what bounds checks cost)" % ",".join(ALL_BACKENDS))
    ap.add_argument("--json", default="bench-results.json", help="where to write the results")
    ap.add_argument("--smoke", action="store_true")
    ap.add_argument("--keep", help="build directory to keep (default: a temporary one)")
    ap.add_argument("--build-only", metavar="DIR",
                    help="only compile the Kiln modules into DIR (for --prebuilt on another machine)")
    ap.add_argument("--prebuilt", metavar="DIR",
                    help="load the Kiln modules from DIR instead of compiling them")
    ap.add_argument("--isolate", action="store_true",
                    help="time each backend of each kernel in its own process (no other "
                         "backend's threads or runtime beside it: for thread scaling)")
    ap.add_argument("--load", type=int, default=0, metavar="N",
                    help="run N CPU-bound processes beside the benchmark for its whole "
                         "duration (a busy machine: parallel loops must not lose to one "
                         "thread then either)")
    ap.add_argument("--only", help=argparse.SUPPRESS)  # one kernel, by exact name (--isolate's children)
    ap.add_argument("-v", "--verbose", action="store_true")
    opts = ap.parse_args()
    busy = start_load(opts.load) if opts.load and not opts.only else []
    try:
        return run_benchmark(ap, opts)
    finally:
        for p in busy:
            p.kill()
            p.wait()


def start_load(n):
    """n processes that spin on one core each until killed."""
    print("load: %d CPU-bound process(es) beside the benchmark" % n, file=sys.stderr)
    return [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(n)]


def run_benchmark(ap, opts):
    # Thread counts must be in the environment before any OpenMP runtime or
    # Numba starts.
    for var in ("OMP_NUM_THREADS", "NUMBA_NUM_THREADS", "KILN_NUM_THREADS"):
        os.environ[var] = str(opts.threads)
    sys.path.insert(0, os.path.join(ROOT, "python"))  # kiln.types, for the sources
    backends = [b for b in opts.backends.split(",") if b]
    if opts.smoke:
        opts.size, opts.repeat, backends = "small", 0, ["kiln"]
    unknown = set(backends) - set(ALL_BACKENDS)
    if unknown:
        ap.error("unknown backends: %s" % ", ".join(sorted(unknown)))
    missing = []
    if any(b.startswith("numba") for b in backends):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                import numba
            numba.set_num_threads(opts.threads)
        except ImportError:
            missing += [b for b in backends if b.startswith("numba")]
    if not shutil.which("pythran"):
        missing += [b for b in backends if b.startswith("pythran")]
    if missing:
        print("not installed, left out: %s" % ", ".join(missing))
        backends = [b for b in backends if b not in missing]

    wanted = [f for f in opts.filter.split(",") if f]
    kernels = [Kernel(os.path.join(KERNELS, f)) for f in sorted(os.listdir(KERNELS))
               if f.endswith(".py")]
    kernels = [k for k in kernels if not wanted or any(w in k.name for w in wanted)]
    if opts.only:
        kernels = [k for k in kernels if k.name == opts.only]
    if not kernels:
        ap.error("no kernel matches --filter %s" % opts.filter)
    work = opts.keep or tempfile.mkdtemp(prefix="kiln-bench-")
    os.makedirs(work, exist_ok=True)
    if opts.build_only:
        os.makedirs(opts.build_only, exist_ok=True)
        for k in kernels:
            for unchecked in (False, True):
                res = build_kiln(k, opts.build_only, opts, unchecked)
                print("%-18s %-10s %s %s" % (k.name, "unchecked" if unchecked else "checked",
                                             res["status"], res.get("error", "")))
        return 0

    if opts.isolate and not opts.build_only:
        rows = {k.name: isolated_row(k, backends, opts, work) for k in kernels}
        return finish(rows, backends, opts, work)

    # Pythran takes seconds per module: build them all first, in parallel.
    jobs = [(k, b) for k in kernels for b in backends if b.startswith("pythran")]
    with ThreadPoolExecutor(max_workers=os.cpu_count()) as pool:
        futs = {(k.name, b): pool.submit(build_pythran, k, work, b == "pythran-omp")
                for k, b in jobs}
        pythran_builds = {key: f.result() for key, f in futs.items()}

    rows = {}
    for k in kernels:
        print("%s ..." % k.name, file=sys.stderr, flush=True)
        rows[k.name] = run_kernel(k, opts, backends, work, pythran_builds)
    return finish(rows, backends, opts, work)


def isolated_row(k, backends, opts, work):
    """The row of kernel k, each backend timed by a run of this script in a
    process of its own (with the reference, whose times the first gives)."""
    print("%s ..." % k.name, file=sys.stderr, flush=True)
    row = None
    for b in backends:
        out = os.path.join(work, "%s_%s.json" % (k.name, b))
        cmd = [sys.executable, os.path.abspath(__file__), "--only", k.name, "--backends", b,
               "--size", opts.size, "--threads", str(opts.threads), "--repeat", str(opts.repeat),
               "--kiln", opts.kiln, "--json", out]
        cmd += ["--kiln-flag=" + f for f in opts.kiln_flag]
        cmd += ["--prebuilt", opts.prebuilt] if opts.prebuilt else []
        r = subprocess.run(cmd, capture_output=True, text=True)
        if r.returncode != 0 or not os.path.exists(out):
            res = {"status": "failed", "error": first_diagnostic(r.stderr or r.stdout)}
            if row is None:
                row = {"size": opts.size, "reference": "?", "backends": {}}
            row["backends"][b] = res
            continue
        child = json.loads(open(out).read())["kernels"][k.name]
        if row is None or "reference_best" not in row:
            row = dict(child, backends=dict(row["backends"]) if row else {})
        row["backends"][b] = child["backends"][b]
    return row


def finish(rows, backends, opts, work):
    means = report(rows, backends, opts)

    result = {"command": " ".join(sys.argv), "size": opts.size, "threads": opts.threads,
              "repeat": opts.repeat, "load": opts.load, "machine": platform.platform(),
              "cpus": os.cpu_count(), "numpy": np.__version__,
              "geomean_speedup": means, "kernels": rows}
    if opts.json:
        write(opts.json, json.dumps(result, indent=1, default=str) + "\n")
        print("\nresults written to %s" % opts.json)
    if not opts.keep:
        shutil.rmtree(work, ignore_errors=True)
    return smoke_verdict(rows) if opts.smoke else 0


def smoke_verdict(rows):
    """Exit status of --smoke: 1 on a mismatch, a crash, or a kernel of
    kernels/supported.txt that Kiln no longer compiles."""
    listed = os.path.join(KERNELS, "supported.txt")
    supported = set(l.split("#")[0].strip() for l in open(listed)) - {""} \
        if os.path.exists(listed) else set()
    bad = []
    for name, row in rows.items():
        for b, res in row["backends"].items():
            st = res["status"]
            if st in ("mismatch", "crash", "failed"):
                bad.append("%s: %s %s %s" % (name, b, st, res.get("error", "")))
            elif st == "unsupported" and name in supported:
                bad.append("%s: listed in supported.txt but %s" % (name, res["error"]))
            elif st == "ok" and b == "kiln" and name not in supported:
                print("note: %s now compiles; add it to kernels/supported.txt" % name)
    for line in bad:
        print("FAIL " + line)
    print("smoke: %d kernels, %s" % (len(rows), "FAILED" if bad else "all correct"))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())

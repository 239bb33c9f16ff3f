#!/usr/bin/env python3
"""Mutation testing of Kiln's passes and runtime, on demand.

Each mutant changes one operator on one line of one source file (a
comparison flipped or widened, `&&` for `||`, an off-by-one constant, a
boolean result negated: the shapes real bugs take), is built in a separate
worktree, and the tests that cover that file run against it. A mutant the
tests reject is killed; one they accept survived, and is either a missing
test or an equivalent change (argue which in the report). Mutants that do
not build are not counted.

    tools/mutate.py --per-file 8 --seed 1               # the default campaign
    tools/mutate.py --files passes/BoundsChecks.cpp --per-file 20
    tools/mutate.py --list                              # files and their tests

The worktree is /tmp/kiln-mutate (a `git worktree` of HEAD, with its own
build/), so the main checkout and build are never touched. Prints a table of
kill rates per file and every survivor's diff, and writes them to
mutation-report.md in the current directory.
"""
import argparse
import os
import random
import re
import shutil
import subprocess
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORK = "/tmp/kiln-mutate"
LIT = "/usr/lib/llvm-19/build/utils/lit/lit.py"
PY = "/usr/bin/python3"

# The files under test, and the tests that cover each: lit filters (regexes
# of test paths) and e2e test files.
TARGETS = {
    "passes/BoundsChecks.cpp": (r"bounds-checks|arrays/", [
        "test_bounds_negative.py", "test_computed_ranges.py", "test_arrays.py",
        "test_advanced_indexing.py"]),
    "passes/Parallelize.cpp": (r"parallelize|codegen/parallel", [
        "test_parallel_loops.py", "test_parallel_negative.py", "test_thread_determinism.py"]),
    "passes/FreeDeadArrays.cpp": (r"free-dead-arrays|loop-temporaries", [
        "test_array_lifetimes.py", "test_loop_memory.py", "test_fusion.py"]),
    "passes/LoopTemporaries.cpp": (r"loop-temporaries|free-dead-arrays", [
        "test_array_lifetimes.py", "test_loop_memory.py"]),
    "passes/DeferChecks.cpp": (r"defer-checks|deferred", ["test_deferred_checks.py"]),
    "passes/Counters.cpp": (r"counters", ["test_counter_arrays.py", "test_arith.py"]),
    "frontend/Promotion.cpp": (r"sized|promotion", ["test_dtype_matrix.py",
                                                     "test_parallel_negative.py", "test_npscalar.py"]),
    "frontend/ForwardSubstitute.cpp": (r"fusion", ["test_exception_order.py", "test_fusion.py",
                                                   "test_bounds_negative.py"]),
    "runtime/parallel.c": (r"codegen/parallel", ["test_parallel_loops.py",
                                                 "test_parallel_negative.py",
                                                 "test_thread_determinism.py"]),
    "runtime/interrupt.c": (r"$^", ["test_interrupt.py"]),
}

# (name, pattern, replacement): each match on a line is one mutant.
OPERATORS = [
    ("< to <=", r"(?<![<<=-])<(?![<=])", "<="),
    ("<= to <", r"<=", "<"),
    ("> to >=", r"(?<![->])>(?![>=])", ">="),
    (">= to >", r">=", ">"),
    ("== to !=", r"==", "!="),
    ("!= to ==", r"!=", "=="),
    ("&& to ||", r"&&", "||"),
    ("|| to &&", r"\|\|", "&&"),
    ("+ 1 to + 0", r"\+ 1\b", "+ 0"),
    ("- 1 to - 0", r"- 1\b", "- 0"),
    ("return true to false", r"return true;", "return false;"),
    ("return false to true", r"return false;", "return true;"),
    ("return 1 to 0", r"return 1;", "return 0;"),
]


def code_lines(text):
    """Indices of lines that are code (not comments, not includes/asserts)."""
    out, in_block = [], False
    for i, line in enumerate(text.splitlines()):
        s = line.strip()
        if in_block:
            in_block = "*/" not in s
            continue
        if s.startswith("/*") or s.startswith(" *"):
            in_block = "*/" not in s
            continue
        if (not s or s.startswith("//") or s.startswith("#") or "assert(" in s
                or s.startswith("template") or "llvm_unreachable" in s):
            continue
        out.append(i)
    return out


def mutants(path, text):
    lines = text.splitlines(keepends=True)
    found = []
    for i in code_lines(text):
        code = lines[i].split("//")[0]
        for name, pat, rep in OPERATORS:
            for m in re.finditer(pat, code):
                if "->" in code[max(0, m.start() - 1):m.end() + 1] and name.startswith(">"):
                    continue
                new = lines[i][:m.start()] + rep + lines[i][m.end():]
                found.append((i, name, lines[i], new))
    return found


def run(cmd, cwd, timeout, env=None):
    try:
        r = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=timeout,
                           env=env)
        return r.returncode, r.stdout + r.stderr
    except subprocess.TimeoutExpired:
        return -1, "timeout"


def prepare():
    if not os.path.isdir(WORK):
        subprocess.run(["git", "worktree", "add", "--detach", WORK, "HEAD"], cwd=REPO, check=True)
    else:
        subprocess.run(["git", "checkout", "--detach", "-f",
                        subprocess.run(["git", "rev-parse", "HEAD"], cwd=REPO, text=True,
                                       capture_output=True).stdout.strip()], cwd=WORK, check=True)
    subprocess.run(["cmake", "-S", ".", "-B", "build", f"-DPython3_EXECUTABLE={PY}",
                    "-DCMAKE_BUILD_TYPE=RelWithDebInfo"], cwd=WORK, check=True,
                   capture_output=True)
    subprocess.run(["cmake", "--build", "build", "-j", str(os.cpu_count())], cwd=WORK, check=True,
                   capture_output=True)


def test_mutant(target):
    lit_filter, e2e = TARGETS[target]
    rc, out = run(["cmake", "--build", "build", "-j", str(os.cpu_count()), "--target", "kiln",
                   "kiln-opt", "kilnrt", "fakemod"], WORK, 900)
    if rc != 0:
        return "stillborn", out[-400:]
    if target.startswith("runtime/"):  # the runtime's own ABI tests first
        rc, out = run(["ctest", "--test-dir", "build", "-R", "runtime-abi"], WORK, 900)
        if rc != 0:
            return "killed", "runtime-abi: " + out[-300:]
    env = dict(os.environ, KILN_BIN=f"{WORK}/build/bin/kiln", KILN_BUILD_DIR=f"{WORK}/build",
               PYTHONPATH=f"{WORK}/python")
    if lit_filter != r"$^":
        rc, out = run([PY, LIT, "-q", "--filter", lit_filter, "build/test/lit"], WORK, 900, env)
        if rc != 0:
            return "killed", "lit: " + out[-300:]
    rc, out = run([PY, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider"] +
                  [f"test/e2e/{t}" for t in e2e], WORK, 1800, env)
    if rc != 0:
        return "killed", "e2e: " + out[-300:]
    return "survived", ""


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", nargs="*", default=list(TARGETS))
    ap.add_argument("--per-file", type=int, default=8, help="mutants sampled per file")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--list", action="store_true")
    a = ap.parse_args()
    if a.list:
        for f, (lf, e2e) in TARGETS.items():
            print(f"{f}: lit /{lf}/, e2e {', '.join(e2e)}")
        return 0
    rng = random.Random(a.seed)
    prepare()
    report, rows = [], []
    for target in a.files:
        path = os.path.join(WORK, target)
        original = open(path).read()
        ms = mutants(target, original)
        rng.shuffle(ms)
        killed = survived = stillborn = 0
        for (i, name, old, new) in ms:
            if killed + survived >= a.per_file:
                break
            lines = original.splitlines(keepends=True)
            lines[i] = new
            open(path, "w").write("".join(lines))
            t0 = time.time()
            verdict, why = test_mutant(target)
            open(path, "w").write(original)
            print(f"{target}:{i + 1}: {name}: {verdict} ({time.time() - t0:.0f} s)", flush=True)
            if verdict == "stillborn":
                stillborn += 1
                continue
            if verdict == "killed":
                killed += 1
            else:
                survived += 1
                report.append(f"### {target}:{i + 1} ({name})\n```diff\n- {old.rstrip()}\n"
                              f"+ {new.rstrip()}\n```\n")
        # rebuild the original before the next file
        run(["cmake", "--build", "build", "-j", str(os.cpu_count()), "--target", "kiln",
             "kiln-opt", "kilnrt"], WORK, 900)
        n = killed + survived
        rows.append((target, n, killed, survived, stillborn))
    table = ["| file | mutants | killed | survived | kill rate |", "|---|---|---|---|---|"]
    tk = tn = 0
    for target, n, k, s, _ in rows:
        table.append(f"| {target} | {n} | {k} | {s} | {100 * k / n if n else 0:.0f}% |")
        tk += k
        tn += n
    table.append(f"| **all** | {tn} | {tk} | {tn - tk} | {100 * tk / tn if tn else 0:.0f}% |")
    text = "# Mutation campaign\n\n" + "\n".join(table) + "\n\n## Survivors\n\n" + "\n".join(report)
    open("mutation-report.md", "w").write(text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())

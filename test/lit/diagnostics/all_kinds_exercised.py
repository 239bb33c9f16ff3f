# RUN: %python %s --def %S/../../../ir/Diagnostics.def --dir %S --kiln %kiln
#
# STYLE.md item 16: "A test fails if a kind is never exercised". Every DIAG
# kind of ir/Diagnostics.def must be produced by at least one test of this
# directory, or be listed in EXEMPT below with a reason.
#
# How a kind counts as exercised:
#   - `kiln compile` runs on every fail_*.py and *warning*.py file here, and
#     on every file in Inputs/; each diagnostic it prints is classified by
#     the most specific format of Diagnostics.def that matches the whole
#     message (placeholders match any text; "most specific" = most literal
#     characters, so "`*args` parameters are not supported by Kiln yet" is
#     UnsupportedParam, not Unsupported). Those tests check, through
#     %verify-diags or FileCheck, that the diagnostics are expected; this file
#     checks that every kind shows up in them.
#     (Files whose RUN line bounds kiln with --timeout are skipped.)
#   - kinds that need a command line of their own (a missing input file) are
#     listed in BY_TEST with the test that checks them; that test must exist
#     and contain the format's first literal words.
# Severity counts too: a kind defined as Error must come out as `error`.
import argparse
import glob
import os
import re
import subprocess
import sys
import tempfile

# Kinds that no Python source can produce through `kiln compile`.
EXEMPT = {
    "IRParseError": "Kiln IR text (kiln-opt) only; tested by test/lit/ir/parse_error_*.kir",
    "IRVerifyError": "Kiln IR (kiln-opt) only; verifier rules are tested by test/lit/ir/invalid_*.kir",
}
# Kinds checked by a dedicated test rather than by running a file here.
BY_TEST = {
    "FileNotFound": "fail_file_not_found.py",
    "TupleTooLarge": "fail_tuple_too_large.py",  # a generated 1025-element tuple
}

DIAG_RE = re.compile(r'^DIAG\((\w+),\s*(\w+),\s*"((?:[^"\\]|\\.)*)"\)', re.M)
OUT_RE = re.compile(r"^(?:.+?):(?:\d+:\d+:)? (error|warning|note): (.*)$")


def format_regex(fmt):
    parts = re.split(r"\{\d+\}", fmt)
    rx = "^" + "(.+)".join(re.escape(p) for p in parts) + "$"
    literal = sum(len(p) for p in parts)
    return re.compile(rx), literal


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--def", dest="defs", required=True)
    ap.add_argument("--dir", required=True)
    ap.add_argument("--kiln", required=True)
    a = ap.parse_args()

    kinds = []
    with open(a.defs) as f:
        for name, sev, fmt in DIAG_RE.findall(f.read()):
            fmt = fmt.replace('\\"', '"')
            rx, lit = format_regex(fmt)
            kinds.append((name, sev.lower(), fmt, rx, lit))
    if len(kinds) < 10:
        print("could not read the kinds of %s" % a.defs)
        return 1
    names = {k[0] for k in kinds}
    problems = []
    for n in list(EXEMPT) + list(BY_TEST):
        if n not in names:
            problems.append("%s is listed here but is not a kind of Diagnostics.def" % n)

    # Diagnostics of the array work live beside its other tests.
    arrays = os.path.join(os.path.dirname(a.dir), "arrays")
    files = sorted(glob.glob(os.path.join(a.dir, "fail_*.py")) +
                   glob.glob(os.path.join(a.dir, "*warning*.py")) +
                   glob.glob(os.path.join(a.dir, "Inputs", "*")) +
                   glob.glob(os.path.join(arrays, "fail_*.py")))
    seen = {}
    unclassified = []
    with tempfile.TemporaryDirectory() as tmp:
        for path in files:
            # Guard tests of inputs that once hung the compiler run under
            # limits in their own RUN line; they are not needed here.
            if path.endswith(".py") and "--timeout" in open(path, errors="replace").read():
                continue
            p = subprocess.run([a.kiln, "compile", path, "-o", os.path.join(tmp, "out.abi3.so")],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               universal_newlines=True, errors="replace")
            for line in p.stderr.splitlines():
                m = OUT_RE.match(line)
                if not m or line.startswith("kiln:"):
                    continue
                sev, msg = m.group(1), m.group(2)
                best = None
                for name, ksev, fmt, rx, lit in kinds:
                    if ksev == sev and rx.match(msg) and (best is None or lit > best[1]):
                        best = (name, lit)
                if best is None:
                    unclassified.append("%s: %s: %s" % (os.path.basename(path), sev, msg))
                else:
                    seen.setdefault(best[0], os.path.basename(path))

    for name, test in BY_TEST.items():
        path = os.path.join(a.dir, test)
        fmt = next(k[2] for k in kinds if k[0] == name) if name in names else ""
        words = re.split(r"\{\d+\}", fmt)[0].strip(" `")
        if not os.path.exists(path):
            problems.append("%s: its test %s does not exist" % (name, test))
        elif words not in open(path).read():
            problems.append("%s: %s does not check for `%s`" % (name, test, words))
        else:
            seen.setdefault(name, test)

    for name, sev, fmt, rx, lit in kinds:
        if name in EXEMPT or name in seen:
            continue
        problems.append("%s (%s, \"%s\") is never exercised: add a test to test/lit/diagnostics "
                        "whose input produces it (or, if no input can, remove the kind or list "
                        "it in EXEMPT with the reason)" % (name, sev, fmt))
    for u in unclassified:
        problems.append("diagnostic matches no format of Diagnostics.def: " + u)

    if problems:
        print("%d problem(s):" % len(problems))
        for p in problems:
            print("  " + p)
        return 1
    print("all %d kinds exercised or exempt" % len(kinds))
    return 0


if __name__ == "__main__":
    sys.exit(main())

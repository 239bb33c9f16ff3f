#!/usr/bin/env python3
"""verify_diags.py - Clang `-verify` for Kiln: checks a file's diagnostics.

    verify_diags.py [--kiln PATH] [--timeout S] [--memory-mb M] FILE.py
                    [-- EXTRA KILN ARGS]

Runs `kiln compile FILE.py -o <tmpdir>/out.abi3.so` and compares the
diagnostics it prints with the ones FILE.py expects.

Expectation syntax (a Python comment; one expectation per comment line):

    # expected-error {{substring of the message}}
    # expected-warning {{...}}
    # expected-note {{...}}

  The diagnostic must be reported on the next line below the comment that is
  neither blank nor a comment-only line, with that severity, and its message
  must contain the substring.  Variants of the location:

    # expected-error@+N {{...}}     line of this comment + N  (also @-N)
    # expected-error@N {{...}}      absolute line N
    # expected-error@* {{...}}      a diagnostic with no source location
                                    (whole-file diagnostics such as
                                    "exports no function")
    # expected-error:C {{...}}      ... and at column C (1-based); a column
    # expected-error@+1:C {{...}}   can follow any line form but `@*`

  `@+N` is how to point at a comment line (an export comment) or a blank
  line.  Several expectations may name the same line; each needs its own
  diagnostic (matched in any order).

The check fails when:
  - an expected diagnostic is missing (wrong line, column, severity or text);
  - kiln prints an error, warning or note that no expectation names;
  - kiln prints anything on stderr that is not a diagnostic (a tool error,
    "internal compiler error", a crash trace);
  - errors are expected and kiln does not exit with status 1, or it writes
    the output file anyway; or no errors are expected and kiln does not
    exit with 0 or does not write the output file;
  - the file name starts with `fail_` but no error is expected, or the other
    way round (STYLE.md item 12);
  - the file has no expectation at all and no `# verify-diags: no-diagnostics`
    marker.

--timeout and --memory-mb bound the compiler run (for tests of inputs that
once made it hang or exhaust memory); hitting either limit is a failure.

The output module is named after the output file, so the temporary output is
always `out.abi3.so` (a valid module name) in a fresh directory.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile

EXPECT_RE = re.compile(
    r"#\s*expected-(error|warning|note)"
    r"(?:@(?P<star>\*)|@(?P<sign>[+-]?)(?P<num>\d+))?"
    r"(?::(?P<col>\d+))?"
    r"\s*\{\{(?P<text>.*?)\}\}")
# A malformed expectation should not pass silently.
LOOSE_RE = re.compile(r"expected-(error|warning|note)")
DIAG_RE = re.compile(
    r"^(?P<path>.+?):(?:(?P<line>\d+):(?P<col>\d+):)? (?P<sev>error|warning|note): (?P<msg>.*)$")


class Expect:
    def __init__(self, sev, line, col, text, where):
        self.sev, self.line, self.col, self.text, self.where = sev, line, col, text, where

    def describe(self):
        loc = "no location" if self.line is None else "line %d" % self.line
        if self.col is not None:
            loc += ", column %d" % self.col
        return "%s: expected-%s at %s {{%s}}" % (self.where, self.sev, loc, self.text)

    def matches(self, d):
        if d["sev"] != self.sev or self.text not in d["msg"]:
            return False
        if self.line is None:
            return d["line"] is None
        if d["line"] != self.line:
            return False
        return self.col is None or d["col"] == self.col


def is_code_line(s):
    s = s.strip()
    return s != "" and not s.startswith("#")


def parse_expectations(path, lines):
    expects, problems = [], []
    for i, raw in enumerate(lines, start=1):
        if not LOOSE_RE.search(raw):
            continue
        m = EXPECT_RE.search(raw)
        if not m:
            problems.append("%s:%d: malformed expectation: %s" % (path, i, raw.strip()))
            continue
        sev = m.group(1)
        if m.group("star"):
            if m.group("col"):
                problems.append("%s:%d: `@*` takes no column" % (path, i))
            line = None
        elif m.group("num") is not None:
            n = int(m.group("num"))
            sign = m.group("sign")
            line = i + n if sign == "+" else i - n if sign == "-" else n
        else:
            line = None
            for j in range(i + 1, len(lines) + 1):
                if is_code_line(lines[j - 1]):
                    line = j
                    break
            if line is None:
                problems.append("%s:%d: no code line follows this expectation" % (path, i))
                continue
        col = int(m.group("col")) if m.group("col") else None
        expects.append(Expect(sev, line, col, m.group("text"), "%s:%d" % (path, i)))
    return expects, problems


def parse_stderr(text):
    """Returns (diagnostics, other lines). Source excerpts and carets follow
    each located diagnostic, indented by four spaces."""
    diags, other = [], []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        l = lines[i]
        m = DIAG_RE.match(l)
        if m and not l.startswith("kiln:"):
            d = {"sev": m.group("sev"), "msg": m.group("msg"),
                 "line": int(m.group("line")) if m.group("line") else None,
                 "col": int(m.group("col")) if m.group("col") else None, "text": l}
            diags.append(d)
            i += 1
            if d["line"] is not None:
                # The source line and the caret line.
                while i < len(lines) and lines[i].startswith("    ") and not DIAG_RE.match(lines[i]):
                    i += 1
            continue
        if l.strip():
            other.append(l)
        i += 1
    return diags, other


def main(argv):
    kiln = os.environ.get("KILN", "kiln")
    args = list(argv)
    timeout, memory_mb = None, None
    while len(args) >= 2 and args[0] in ("--kiln", "--timeout", "--memory-mb"):
        if args[0] == "--kiln":
            kiln = args[1]
        elif args[0] == "--timeout":
            timeout = float(args[1])
        else:
            memory_mb = int(args[1])
        args = args[2:]
    extra = []
    if "--" in args:
        k = args.index("--")
        args, extra = args[:k], args[k + 1:]
    if len(args) != 1:
        print("usage: verify_diags.py [--kiln PATH] [--timeout S] [--memory-mb M] FILE.py "
              "[-- KILN ARGS]", file=sys.stderr)
        return 2
    path = args[0]
    with open(path, encoding="utf-8", errors="replace") as f:
        lines = f.read().split("\n")
    expects, failures = parse_expectations(path, lines)
    want_error = any(e.sev == "error" for e in expects)

    base = os.path.basename(path)
    if base.startswith("fail_") and not want_error:
        failures.append("%s: file is named fail_* but expects no error" % path)
    if not base.startswith("fail_") and want_error:
        failures.append("%s: file expects an error, so its name must start with fail_" % path)
    if not expects and not any("verify-diags: no-diagnostics" in l for l in lines):
        failures.append("%s: no expected-* comment (add `# verify-diags: no-diagnostics` "
                        "if none is intended)" % path)

    tmp = tempfile.mkdtemp(prefix="kiln-verify-")
    try:
        out = os.path.join(tmp, "out.abi3.so")
        cmd = [kiln, "compile", path, "-o", out] + extra
        def limit_memory():
            if memory_mb:
                import resource
                b = memory_mb * 1024 * 1024
                resource.setrlimit(resource.RLIMIT_AS, (b, b))
        try:
            p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               universal_newlines=True, errors="replace", timeout=timeout,
                               preexec_fn=limit_memory)
        except subprocess.TimeoutExpired:
            print("verify-diags: %s: kiln did not finish within %g s" % (path, timeout))
            print("command: " + " ".join(cmd))
            return 1
        wrote = os.path.exists(out)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    diags, other = parse_stderr(p.stderr)
    for l in other:
        failures.append("unexpected non-diagnostic output on stderr: %s" % l)

    unmatched = list(diags)
    for e in expects:
        hit = next((d for d in unmatched if e.matches(d)), None)
        if hit is None:
            failures.append("missing: %s" % e.describe())
        else:
            unmatched.remove(hit)
    for d in unmatched:
        failures.append("unexpected diagnostic: %s" % d["text"])

    if want_error:
        if p.returncode != 1:
            failures.append("expected exit status 1, got %d" % p.returncode)
        if wrote:
            failures.append("an output file was written although compilation failed")
    else:
        if p.returncode != 0:
            failures.append("expected exit status 0, got %d" % p.returncode)
        elif not wrote:
            failures.append("compilation succeeded but wrote no output file")

    if failures:
        print("verify-diags: %s: %d problem(s)" % (path, len(failures)))
        for f in failures:
            print("  " + f)
        print("command: " + " ".join(cmd))
        print("--- kiln stderr ---")
        sys.stdout.write(p.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

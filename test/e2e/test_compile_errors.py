"""The driver on bad input (RELIABILITY rows 23-26), the driver's command line,
optimisation levels and --emit kinds. Every compilation runs `kiln` in a
subprocess, so a crash is a recorded failure."""
import concurrent.futures
import os
import random
import re
import signal

import pytest

from conftest import CASES, run_kiln

DIAG_RE = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): error: (?P<msg>.+)$")


def compile_bytes(kiln, tmp_path, data, name="mod", *options):
    """Write `data` to tmp_path/NAME.py and compile it into an empty
    directory; return (process, source path, output path)."""
    if isinstance(data, str):
        data = data.encode()
    src = tmp_path / f"{name}.py"
    src.write_bytes(data)
    outdir = tmp_path / f"out_{name}"
    outdir.mkdir(exist_ok=True)
    out = outdir / f"{name}.abi3.so"
    proc = run_kiln(kiln, "compile", src, "-o", out, *options)
    return proc, src, out


def assert_no_output(out):
    assert not out.exists(), "a failed compilation left its output file"
    assert list(out.parent.iterdir()) == [], \
        f"a failed compilation left files behind: {list(out.parent.iterdir())}"


def assert_diagnostic(proc, src, out, line=None, col=None, caret=True, source_line=None):
    """Exit code 1, first line `path:line:col: error: ...`, then the source line
    and a caret under the column; no output left behind. Returns the message."""
    assert proc.returncode == 1, (proc.returncode, proc.stderr)
    assert_no_output(out)
    lines = proc.stderr.splitlines()
    assert lines, "no diagnostic printed"
    mt = DIAG_RE.match(lines[0])
    assert mt, f"first line is not `path:line:col: error: ...`: {lines[0]!r}"
    assert mt["path"] == str(src), lines[0]
    assert "``" not in mt["msg"], f"empty code span in the message: {lines[0]!r}"
    if line is not None:
        assert int(mt["line"]) == line, lines[0]
    if col is not None:
        assert int(mt["col"]) == col, lines[0]
    if caret:
        assert len(lines) >= 3, proc.stderr
        text = source_text_from(src, int(mt["line"]))
        shown, carets = lines[1], lines[2]
        want = source_line if source_line is not None else text.strip()
        assert want in shown, (shown, want)
        assert set(carets.strip()) <= set("^~") and carets.strip().startswith("^"), carets
        # `shown` is a margin followed by the source line; the caret sits under `col`
        lead = len(text) - len(text.lstrip())
        margin = shown.index(text.strip()) - lead
        assert carets.index("^") == margin + int(mt["col"]) - 1, (shown, carets)
    return mt["msg"]


def source_text_from(src, line):
    return src.read_bytes().split(b"\n")[line - 1].decode("utf-8", "replace")


# ---- row 23: malformed input ------------------------------------------------------

MALFORMED = [
    # name, bytes, line, col, words the message must contain
    ("syntax_colon", b"def f(a: int)\n    return a\n", 1, 14, ["syntax"]),
    ("syntax_eol", b"def f(a: int):\n    return a +\n", 2, 15, ["syntax"]),
    ("syntax_paren", b"def f(a: int):\n    return (a + \n", 2, 12, ["never closed"]),
    ("no_indent", b"def f(a: int):\nreturn a\n", 2, 1, ["indent"]),
    ("bad_dedent", b"def f(a: int):\n        x = 1\n    return a\n", 3, 5, ["indent"]),
    ("tabs_spaces", b"def f(a: int):\n    if a:\n\treturn 1\n    return a\n", 3, 2,
     ["tabs", "spaces"]),
    ("nul_byte", b"def f(a: int):\n    return a\x00 + 1\n", 2, 13, ["NUL"]),
    ("bad_utf8", b"def f(a: int):\n    return a # \xff\xfe\n", 2, 16, ["UTF-8"]),
    ("bad_utf8_ident", b"def f(a: int):\n    b\xc3 = a\n    return a\n", 2, 6, ["UTF-8"]),
]


@pytest.mark.parametrize("name,data,line,col,words", MALFORMED, ids=[c[0] for c in MALFORMED])
def test_malformed_source(kiln, tmp_path, name, data, line, col, words):
    proc, src, out = compile_bytes(kiln, tmp_path, data, name)
    msg = assert_diagnostic(proc, src, out, line, col, caret=False)
    for w in words:
        assert w.lower() in msg.lower(), msg
    lines = proc.stderr.splitlines()
    assert len(lines) >= 3 and "^" in lines[2], proc.stderr
    # one diagnostic, not a cascade
    assert sum(1 for ln in lines if ": error: " in ln) == 1, proc.stderr


def test_syntax_error_caret(kiln, tmp_path):
    proc, src, out = compile_bytes(kiln, tmp_path, "def f(a: int):\n    return a +\n")
    assert_diagnostic(proc, src, out, 2, 15, source_line="return a +")
    lines = proc.stderr.splitlines()
    assert lines[2].index("^") == lines[1].index("return") + len("return a +")


@pytest.mark.parametrize("data", [b"", b"   \n\n", b"\n"], ids=["empty", "blank", "newline"])
def test_empty_file(kiln, tmp_path, data):
    proc, src, out = compile_bytes(kiln, tmp_path, data, "empty")
    assert proc.returncode == 1, proc.stderr
    assert_no_output(out)
    first = proc.stderr.splitlines()[0]
    # row 23: `path:line:col: error: ...` for an empty file too
    assert first.startswith(f"{src}:1:1: error: "), first
    assert "empty" in first


def test_missing_file(kiln, tmp_path):
    src = tmp_path / "does_not_exist.py"
    out = tmp_path / "out" / "does_not_exist.abi3.so"
    out.parent.mkdir()
    proc = run_kiln(kiln, "compile", src, "-o", out)
    assert proc.returncode == 1, proc.stderr
    assert_no_output(out)
    first = proc.stderr.splitlines()[0]
    assert first.startswith(f"{src}: error: "), first
    assert "No such file" in first or "cannot read" in first


def test_directory_as_input(kiln, tmp_path):
    d = tmp_path / "adir.py"
    d.mkdir()
    out = tmp_path / "out" / "adir.abi3.so"
    out.parent.mkdir()
    proc = run_kiln(kiln, "compile", d, "-o", out)
    assert proc.returncode == 1, (proc.returncode, proc.stderr)
    assert proc.stderr.startswith(f"{d}: error: "), proc.stderr
    assert_no_output(out)


# ---- row 24: unsupported constructs, type errors, undefined names ------------------

UNSUPPORTED = [
    # name, source, line, col, regex for the construct
    ("class", "class A:\n    pass\n\ndef f(a: int):\n    return a\n", 1, 1, r"class"),
    ("lambda", "def f(a: int):\n    g = lambda x: x + 1\n    return a\n", 2, 9, r"lambda"),
    ("lambda_return", "def f(a: int):\n    return (lambda x: x)(a)\n", 2, 13, r"lambda"),
    ("yield", "def f(a: int):\n    yield a\n", 2, 5, r"yield|generator"),
    ("genexp", "def f(a: int):\n    b = (x for x in range(a))\n    return a\n", 2, 9,
     r"generator"),
    ("set_of_lists", "def f(a: int):\n    return {[x] for x in range(a)}\n", 2, 13,
     r"set items of type"),
    ("global", "Q = 1\n\ndef f(a: int):\n    global Q\n    return a\n", 4, 5, r"global"),
    ("nonlocal", "def f(a: int):\n    nonlocal a\n    return a\n", 2, 5, r"nonlocal"),
    ("with", "def f(a: int):\n    with open('x') as h:\n        pass\n    return a\n", 2, 5,
     r"with"),
    ("except_star", "def f(a: int):\n    try:\n        a = 1\n    except* ValueError:\n        pass\n"
     "    return a\n", 4, 5, r"except\*"),
    ("list_of_arrays", "import numpy as np\n\ndef f(a: int):\n"
     "    b = [np.zeros(a) for x in range(a)]\n    return a\n", 4, 10, r"lists of arrays"),
    ("fstring", "def f(a: int):\n    s = f'bad {a}'\n    return a\n", 2, 9, r"f-string"),
    ("star_args", "def f(a: int, *args: int):\n    return a\n", 1, 15, r"\*args"),
    ("star_kwargs", "def f(a: int, **kw: int):\n    return a\n", 1, 15, r"\*\*kwargs"),
    ("kwonly", "def f(a: int, *, b: int):\n    return a\n", 1, 18, r"keyword-only"),
    ("match", "def f(a: int):\n    match a:\n        case 1:\n            return 2\n    return a\n",
     2, 5, r"match"),
    ("walrus", "def f(a: int):\n    if (b := a + 1) > 2:\n        return a\n    return a\n", 2, 9,
     r":=|assignment expression"),
    ("del", "def f(a: int):\n    x = 1\n    del x\n    return a\n", 3, 9, r"del"),
    ("decorator", "def d(g):\n    return g\n\n@d\ndef f(a: int):\n    return a\n", 4, 2,
     r"decorator"),
    ("nested_def", "def f(a: int):\n    def g(b):\n        return b\n    return a\n", 2, 5,
     r"nested function"),
    ("dict_list_key", "def f(a: int):\n    x = {[1]: 2}\n    return a\n", 2, 10,
     r"dict keys"),
    ("async", "async def f(a: int):\n    return a\n", 1, 1, r"async"),
    ("string", "def f(a: int):\n    s = 'abc'\n    return a\n", 2, 9, r"string"),
    ("eval", "def f(a: int):\n    b = eval('a')\n    return a\n", 2, 9, r"eval"),
    ("eval_return", "def f(a: int):\n    return eval('a')\n", 2, 12, r"eval"),
    ("method_call", "def f(a: float):\n    return a.hex()\n", 2, 12, r"method|attribute|hex"),
]


@pytest.mark.parametrize("name,source,line,col,construct", UNSUPPORTED,
                         ids=[c[0] for c in UNSUPPORTED])
def test_unsupported_construct(kiln, tmp_path, name, source, line, col, construct):
    proc, src, out = compile_bytes(kiln, tmp_path, source, name)
    msg = assert_diagnostic(proc, src, out, line, col)
    assert "not supported" in msg, msg
    assert re.search(construct, msg, re.I), msg


UNDEFINED = [
    ("assign", "def f(a: int):\n    y = undefined_thing\n    return a\n", 2, 9),
    ("return", "def f(a: int):\n    return a + undefined_thing\n", 2, 16),
    ("call", "def f(a: int):\n    y = nofunc(a)\n    return a\n", 2, 9),
    ("call_return", "def f(a: int):\n    return nofunc(a)\n", 2, 12),
    ("condition", "def f(a: int):\n    if a > undefined_thing:\n        return 1\n    return a\n",
     2, 12),
]


@pytest.mark.parametrize("name,source,line,col", UNDEFINED, ids=[c[0] for c in UNDEFINED])
def test_undefined_name(kiln, tmp_path, name, source, line, col):
    proc, src, out = compile_bytes(kiln, tmp_path, source, "undef_" + name)
    msg = assert_diagnostic(proc, src, out, line, col)
    assert "not defined" in msg and ("undefined_thing" in msg or "nofunc" in msg), msg


@pytest.mark.parametrize("second,second_type", [("(1, 2)", "tuple[int, int]"),
                                                 ("(1, 2.0)", "tuple[int, float]")])
def test_type_conflict_has_note(kiln, tmp_path, second, second_type):
    source = f"def f(a: int):\n    x = 1\n    if a > 0:\n        x = {second}\n    return a\n"
    proc, src, out = compile_bytes(kiln, tmp_path, source, "conflict")
    msg = assert_diagnostic(proc, src, out, 4, 13)
    assert "`x`" in msg and second_type in msg and "`int`" in msg, msg
    notes = [ln for ln in proc.stderr.splitlines() if ": note: " in ln]
    assert notes and notes[0].startswith(f"{src}:2:9: note: "), proc.stderr
    assert "int" in notes[0]


ARITY = [
    ("too_few", "y = g(x)", 5, 9),
    ("too_many", "y = g(x, 1, 2)", 5, 9),
    ("unknown_kw", "y = g(x, c=1)", 5, 14),
    ("dup_kw", "y = g(x, a=1)", 5, 14),
    ("too_few_return", "return g(x)", 5, 12),
    ("annotated_callee_return", None, 5, 12),
]


@pytest.mark.parametrize("name,stmt,line,col", ARITY, ids=[c[0] for c in ARITY])
def test_wrong_arity_between_module_functions(kiln, tmp_path, name, stmt, line, col):
    if stmt is None:
        source = "def g(a: int, b: int):\n    return a + b\n\ndef f(x: int):\n    return g(x)\n"
    else:
        source = f"def g(a, b):\n    return a + b\n\ndef f(x: int):\n    {stmt}\n    return x\n"
        if stmt.startswith("return"):
            source = f"def g(a, b):\n    return a + b\n\ndef f(x: int):\n    {stmt}\n"
    proc, src, out = compile_bytes(kiln, tmp_path, source, "arity_" + name)
    msg = assert_diagnostic(proc, src, out, line, col)
    assert "`g`" in msg or "g()" in msg, msg
    if name == "dup_kw":
        assert "multiple values" in msg or "given twice" in msg, msg


def test_constant_zero_division_in_branch_compiles(compile_module):
    # row 25
    m = compile_module("def f(x: int):\n    if x > 100:\n        return 2 // 0\n    return x\n",
                       "branch_zerodiv")
    assert m.k.f(5) == 5
    with pytest.raises(ZeroDivisionError) as e:
        m.k.f(101)
    assert str(e.value) == "integer division or modulo by zero"


# ---- row 26: fuzzing ------------------------------------------------------------------

FUZZ_SEED_SOURCE = '''\
"""Seed for the fuzz test."""
import math

LIMIT = 100


def helper(x, k=2):
    return x * k


def kernel(n: int, x: float) -> float:
    s = 0.0
    for i in range(n, 0, -1):
        if i % 3 == 0:
            continue
        elif i > LIMIT:
            break
        s += math.sqrt(i) * x ** 2 - helper(i) // 7
    else:
        s = -s
    while s > 1e6 and n:
        s /= 2.0
    a, b = divmod(n, 4)
    assert a >= 0, "negative"
    return s if a < b else abs(s) + min(a, b, 3)


# kiln export other(int, int)
def other(p, q):
    if p == q:
        raise ValueError("equal", p)
    return (p - q, p > q and not q)
'''

TOKENS = [b"(", b")", b"[", b"]", b"{", b"}", b":", b";", b",", b".", b"+", b"-", b"*", b"/",
          b"%", b"=", b"<", b">", b"!", b"&", b"|", b"^", b"~", b"@", b"#", b"'", b'"', b"\\",
          b"\t", b"\n", b" ", b"    ", b"\x00", b"\xff", b"\xc3", b"\r", b"\x0c", b"0", b"1",
          b"x", b"_", b"def ", b"return ", b"lambda ", b"yield ", b"if ", b"else:", b"elif ",
          b"while ", b"for ", b" in ", b"range(", b"**", b"//", b"not ", b" and ", b" or ",
          b"True", b"None", b"1e999", b"9223372036854775808", b"0x1F", b"1_000", b"0o17",
          b"math.", b"float(", b"int(", b"abs(", b"pass", b"break", b"continue", b"raise ",
          b"assert ", b"class ", b"import ", b"global ", b"= ", b"->", b":=", b"*args", b"..."]


def mutate(data, rnd):
    lines = data.split(b"\n")
    for _ in range(rnd.randint(1, 3)):
        kind = rnd.randrange(8)
        if kind == 0 and data:  # delete a span
            i = rnd.randrange(len(data))
            data = data[:i] + data[i + rnd.randint(1, 6):]
        elif kind == 1:  # insert a token
            i = rnd.randrange(len(data) + 1)
            data = data[:i] + rnd.choice(TOKENS) + data[i:]
        elif kind == 2 and data:  # replace a byte
            i = rnd.randrange(len(data))
            data = data[:i] + bytes([rnd.randrange(256)]) + data[i + 1:]
        elif kind in (3, 4, 5, 6):  # line edits
            lines = data.split(b"\n")
            i, j = rnd.randrange(len(lines)), rnd.randrange(len(lines))
            if kind == 3:
                lines.insert(j, lines[i])
            elif kind == 4:
                del lines[i]
            elif kind == 5:
                lines[i], lines[j] = lines[j], lines[i]
            else:
                lines[i] = rnd.choice([b"    ", b"\t", b" ", b""]) + lines[i][rnd.choice([0, 1, 4]):]
            data = b"\n".join(lines)
        else:  # swap two tokens of the source itself
            words = re.findall(rb"[A-Za-z_][A-Za-z_0-9]*|\d+(?:\.\d+)?|\S", data)
            if words:
                a, b = rnd.choice(words), rnd.choice(words)
                data = data.replace(a, b, 1)
    return data


def test_fuzzed_sources_never_crash(kiln, tmp_path):
    rnd = random.Random(0xC0FFEE)
    seed = FUZZ_SEED_SOURCE.encode()
    mutants = [mutate(seed, rnd) for _ in range(300)]

    def one(i):
        d = tmp_path / f"f{i}"
        d.mkdir()
        src = d / "fz.py"
        src.write_bytes(mutants[i])
        out = d / "o" / "fz.abi3.so"
        out.parent.mkdir()
        try:
            proc = run_kiln(kiln, "compile", src, "-o", out, "-O0", timeout=60)
        except Exception as e:  # noqa: BLE001 - a hang is a failure too
            return (i, src, f"no result: {e!r}")
        rc, err = proc.returncode, proc.stderr
        if rc < 0:
            return (i, src, f"killed by signal {signal.Signals(-rc).name}: {err[-2000:]}")
        if rc not in (0, 1):
            return (i, src, f"exit code {rc}: {err[-2000:]}")
        if "internal compiler error" in err or "LLVM ERROR" in err or "Assertion" in err:
            return (i, src, f"internal error text (exit {rc}): {err[-2000:]}")
        if rc == 1:
            if not err.startswith(str(src)):
                return (i, src, f"diagnostic does not start with the path: {err[:300]!r}")
            if out.exists() or list(out.parent.iterdir()):
                return (i, src, "exit 1 but output files were left behind")
        elif not out.exists():
            return (i, src, "exit 0 but no output file")
        return None

    with concurrent.futures.ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as ex:
        bad = [r for r in ex.map(one, range(len(mutants))) if r]
    assert not bad, f"{len(bad)}/300 mutants broke the driver:\n" + "\n".join(
        f"  #{i} ({src}): {why}\n    source: {mutants[i][:400]!r}" for i, src, why in bad[:8])


# ---- the command line ----------------------------------------------------------------

def test_version(kiln):
    proc = run_kiln(kiln, "--version")
    assert proc.returncode == 0, proc.stderr
    assert re.match(r"^kiln \d+\.\d+\.\d+", proc.stdout), proc.stdout


@pytest.mark.parametrize("args", [["--help"], ["compile", "--help"]])
def test_help(kiln, args):
    proc = run_kiln(kiln, *args)
    assert proc.returncode == 0, proc.stderr
    assert "usage: kiln" in proc.stdout
    if args[0] == "compile":
        for opt in ["-o", "-O0", "--emit", "--target-cpu", "--unchecked"]:
            assert opt in proc.stdout, opt


@pytest.mark.parametrize("args,words", [
    ([], "no command"),
    (["--bogus"], "unknown command"),
    (["frobnicate"], "unknown command"),
    (["compile"], "no input file"),
    (["compile", "CASE", "--bogus"], "unknown option `--bogus`"),
    (["compile", "CASE", "-O7"], "-O7"),
    (["compile", "CASE", "--emit=bogus"], "bogus"),
    (["compile", "CASE", "-o"], "`-o` needs a file name"),
    (["compile", "CASE", "CASE"], "more than one input file"),
])
def test_usage_errors(kiln, tmp_path, args, words):
    case = str(CASES / "boundary.py")
    args = [case if a == "CASE" else a for a in args]
    proc = run_kiln(kiln, *args, cwd=tmp_path)
    assert proc.returncode == 1, (proc.returncode, proc.stderr)
    assert proc.stderr.startswith("kiln: error: "), proc.stderr
    assert words in proc.stderr, proc.stderr
    assert list(tmp_path.iterdir()) == [], "a usage error wrote files"


OPT_SOURCE = '''\
def f(n: int, x: float):
    s = 0.0
    for i in range(n):
        s += x * i - i // 3 + (i % 7) ** 2
    return (s, n // 2, -n % 5)
'''


@pytest.mark.parametrize("level", ["-O0", "-O1", "-O2", "-O3"])
def test_optimisation_levels(compile_module, level):
    m = compile_module(OPT_SOURCE, "optlevels", options=(level,))
    for n, x in [(0, 1.0), (10, 0.5), (1000, -2.25), (-4, 3.0)]:
        assert m.k.f(n, x) == m.py.f(n, x)


def test_target_cpu_and_unchecked(compile_module):
    m = compile_module(OPT_SOURCE, "optcpu", options=("--target-cpu=x86-64", "--unchecked"))
    assert m.k.f(100, 0.5) == m.py.f(100, 0.5)


EMIT_CHECKS = {
    "tokens": lambda b: b"NAME 'def'" in b,
    "ast": lambda b: b"FunctionDef" in b,
    "kir": lambda b: b"func @f" in b and b.startswith(b"module"),
    "llvm": lambda b: b"define " in b and b"source_filename" in b,
    "asm": lambda b: b".text" in b and b"f" in b,
    "obj": lambda b: b.startswith(b"\x7fELF"),
}


@pytest.mark.parametrize("kind", list(EMIT_CHECKS))
def test_emit_to_file(kiln, tmp_path, kind):
    src = tmp_path / "emitme.py"
    src.write_text(OPT_SOURCE)
    out = tmp_path / f"emitme.{kind}"
    proc = run_kiln(kiln, "compile", src, f"--emit={kind}", "-o", out)
    assert proc.returncode == 0, proc.stderr
    data = out.read_bytes()
    assert data and EMIT_CHECKS[kind](data), data[:300]


@pytest.mark.parametrize("kind", ["tokens", "ast", "kir", "llvm", "asm"])
def test_emit_text_to_stdout(kiln, tmp_path, kind):
    src = tmp_path / "emitme.py"
    src.write_text(OPT_SOURCE)
    proc = run_kiln(kiln, "compile", src, f"--emit={kind}", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert EMIT_CHECKS[kind](proc.stdout.encode()), proc.stdout[:300]


def test_default_output_name(kiln, tmp_path):
    src = tmp_path / "defname.py"
    src.write_text(OPT_SOURCE)
    proc = run_kiln(kiln, "compile", src, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "defname.abi3.so").exists()


def test_failed_compile_keeps_no_partial_output_over_old_one(kiln, tmp_path):
    # a later failing compilation must not leave a half-written module
    proc, src, out = compile_bytes(kiln, tmp_path, OPT_SOURCE, "again")
    assert proc.returncode == 0 and out.exists()
    before = out.read_bytes()
    src.write_text("def f(a: int)\n    return a\n")
    proc = run_kiln(kiln, "compile", src, "-o", out)
    assert proc.returncode == 1
    assert not out.exists() or out.read_bytes() == before
    leftovers = [p.name for p in out.parent.iterdir() if p.name != out.name]
    assert leftovers == [], leftovers

"""End-to-end tests of codegen + runtime, without the frontend.

Kiln IR text (written here) is compiled by the test helper
`kiln-codegen-driver` (test/helpers/CodegenDriver.cpp) into an extension
module linked with libkilnrt.a, imported with this interpreter, and compared
with CPython on the same inputs: results bit for bit (signed zeros, NaN) and
errors by exception type and message. Where Kiln deliberately differs from
CPython (int64 overflow, negative ** fractional), the expectation says so.

Needs KILN_BUILD_DIR (with bin/kiln-codegen-driver and lib/libkilnrt.a);
skipped otherwise.
"""
import importlib
import itertools
import math
import os
import shutil
import subprocess
import sys

import pytest

from difftest import outcome, same, same_value

BUILD = os.environ.get("KILN_BUILD_DIR", "")
DRIVER = os.path.join(BUILD, "bin", "kiln-codegen-driver")
RUNTIME = os.path.join(BUILD, "lib", "libkilnrt.a")

pytestmark = pytest.mark.skipif(
    not (BUILD and os.path.exists(DRIVER) and os.path.exists(RUNTIME)),
    reason="needs KILN_BUILD_DIR with kiln-codegen-driver and libkilnrt.a")

I64_MIN, I64_MAX = -2**63, 2**63 - 1
OVERFLOW = (OverflowError, "integer overflow: the result does not fit in int64")
INF, NAN = math.inf, math.nan

INTS = [0, 1, -1, 2, -2, 3, -3, 7, -7, 63, 64, 100, 2**32, -2**32, 10**18, -10**18,
        I64_MAX, I64_MIN, I64_MIN + 1]
FLOATS = [0.0, -0.0, 0.5, -0.5, 1.0, -1.0, 2.5, -2.5, 3.0, -3.0, 7.0, 0.1, 1e-300,
          5e-324, 1e308, -1e308, INF, -INF, NAN]


# ---- building ---------------------------------------------------------------

def fn(name, params, result, body, export=True):
    """One IR function; params is [(name, type)]; body is the op lines."""
    sig = ", ".join(f"%{n}: {t}" for n, t in params)
    attrs = ""
    if export:
        names = ",".join(n for n, _ in params)
        attrs = f' [arg_names = "{names}", export = "{name if export is True else export}"]'
    lines = "\n".join("  " + l for l in body.strip().splitlines())
    return f"func @{name}({sig}) -> {result}{attrs} {{\n{lines}\n}}\n"


def compile_module(tmp_path, name, funcs, opt="-O2"):
    text = f'module "{name}"\n\n' + "\n".join(funcs)
    kir = tmp_path / f"{name}.kir"
    kir.write_text(text)
    so = tmp_path / f"{name}.abi3.so"
    proc = subprocess.run([DRIVER, str(kir), "-o", str(so), "--runtime", RUNTIME, opt,
                           "--cpu", "x86-64-v2"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr + "\n" + text
    sys.path.insert(0, str(tmp_path))
    try:
        return importlib.import_module(name)
    finally:
        sys.path.remove(str(tmp_path))


# ---- comparing --------------------------------------------------------------

# outcome/same: the comparison rules of difftest.py (values, types, -0.0, NaN,
# exception class and message).


def check(kfn, pyfn, cases):
    bad = []
    for args in cases:
        got, want = outcome(kfn, *args), outcome(pyfn, *args)
        if not same(got, want):
            bad.append((args, got, want))
    assert not bad, "\n".join(f"{a}: got {g}, want {w}" for a, g, w in bad[:20])


def int64(f):
    """CPython's result, with Kiln's int64 overflow rule."""
    def g(*args):
        r = f(*args)
        if isinstance(r, int) and not isinstance(r, bool) and not I64_MIN <= r <= I64_MAX:
            raise OverflowError(OVERFLOW[1])
        return r
    return g


# ---- the module under test --------------------------------------------------

INT_BINOPS = {
    "add": lambda a, b: a + b, "sub": lambda a, b: a - b, "mul": lambda a, b: a * b,
    "floordiv": lambda a, b: a // b, "mod": lambda a, b: a % b,
    "shl": lambda a, b: a << b if b < 64 or a == 0 else int64(int)(2**64), "shr": lambda a, b: a >> b,
    "bitand": lambda a, b: a & b, "bitor": lambda a, b: a | b, "bitxor": lambda a, b: a ^ b,
}
FLOAT_BINOPS = {
    "add": lambda a, b: a + b, "sub": lambda a, b: a - b, "mul": lambda a, b: a * b,
    "div": lambda a, b: a / b, "floordiv": lambda a, b: a // b, "mod": lambda a, b: a % b,
}
MATH1 = ["sqrt", "exp", "log", "log10", "log2", "sin", "cos", "tan", "asin", "acos", "atan",
         "sinh", "cosh", "tanh", "fabs", "expm1", "log1p"]
MATH2 = ["atan2", "pow", "hypot", "copysign", "fmod"]
PREDS = {"lt": lambda a, b: a < b, "le": lambda a, b: a <= b, "gt": lambda a, b: a > b,
         "ge": lambda a, b: a >= b, "eq": lambda a, b: a == b, "ne": lambda a, b: a != b}


def module_functions():
    F = []
    for op in INT_BINOPS:
        F.append(fn(f"i_{op}", [("a", "int64"), ("b", "int64")], "int64",
                    f"%r = {op} %a, %b : int64\nreturn %r"))
    F.append(fn("i_pow", [("a", "int64"), ("b", "int64")], "int64",
                "%r = pow %a, %b : int64\nreturn %r"))
    for e in (0, 1, 2, 3, 5, 62, 63, 64):
        F.append(fn(f"i_pow_{e}", [("a", "int64")], "int64",
                    f"%e = const [value = {e}] : int64\n%r = pow %a, %e : int64\nreturn %r"))
    for op in FLOAT_BINOPS:
        F.append(fn(f"f_{op}", [("x", "float64"), ("y", "float64")], "float64",
                    f"%r = {op} %x, %y : float64\nreturn %r"))
    F.append(fn("f_pow", [("x", "float64"), ("y", "float64")], "float64",
                "%r = pow %x, %y : float64\nreturn %r"))
    F.append(fn("f_div_ints", [("x", "float64"), ("y", "float64")], "float64",
                '%r = div %x, %y [msg = "division by zero"] : float64\nreturn %r'))
    F.append(fn("i_neg", [("a", "int64")], "int64", "%r = neg %a : int64\nreturn %r"))
    F.append(fn("f_neg", [("x", "float64")], "float64", "%r = neg %x : float64\nreturn %r"))
    F.append(fn("i_invert", [("a", "int64")], "int64", "%r = invert %a : int64\nreturn %r"))
    F.append(fn("b_not", [("p", "bool")], "bool", "%r = not %p : bool\nreturn %r"))
    for p in PREDS:
        for t, tag in (("int64", "i"), ("float64", "f"), ("bool", "b")):
            F.append(fn(f"{tag}_cmp_{p}", [("a", t), ("b", t)], "bool",
                        f'%r = cmp %a, %b [pred = "{p}"] : bool\nreturn %r'))
    for src, dst, name in (("float64", "int64", "f2i"), ("int64", "float64", "i2f"),
                           ("float64", "bool", "f2b"), ("int64", "bool", "i2b"),
                           ("bool", "int64", "b2i"), ("bool", "float64", "b2f")):
        F.append(fn(name, [("x", src)], dst, f"%r = cast %x : {dst}\nreturn %r"))
    for m in MATH1:
        F.append(fn(f"m_{m}", [("x", "float64")], "float64",
                    f'%r = math %x [fn = "{m}"] : float64\nreturn %r'))
    for m in ("floor", "ceil", "trunc", "round"):
        F.append(fn(f"m_{m}", [("x", "float64")], "int64",
                    f'%r = math %x [fn = "{m}"] : int64\nreturn %r'))
    for m in ("isnan", "isinf", "isfinite"):
        F.append(fn(f"m_{m}", [("x", "float64")], "bool",
                    f'%r = math %x [fn = "{m}"] : bool\nreturn %r'))
    for m in MATH2:
        F.append(fn(f"m_{m}", [("x", "float64"), ("y", "float64")], "float64",
                    f'%r = math %x, %y [fn = "{m}"] : float64\nreturn %r'))
    F.append(fn("m_abs_i", [("a", "int64")], "int64", '%r = math %a [fn = "abs"] : int64\nreturn %r'))
    F.append(fn("m_abs_f", [("x", "float64")], "float64", '%r = math %x [fn = "abs"] : float64\nreturn %r'))
    for m in ("min", "max"):
        F.append(fn(f"m_{m}3", [("x", "float64"), ("y", "float64"), ("z", "float64")], "float64",
                    f'%r = math %x, %y, %z [fn = "{m}"] : float64\nreturn %r'))
        F.append(fn(f"m_{m}_i", [("a", "int64"), ("b", "int64")], "int64",
                    f'%r = math %a, %b [fn = "{m}"] : int64\nreturn %r'))
    F.append(fn("sel", [("p", "bool"), ("a", "int64"), ("b", "int64")], "int64",
                "%r = select %p, %a, %b : int64\nreturn %r"))
    return F


CONTROL = [
    # (count, last) of range(lo, hi, step)
    fn("rng", [("lo", "int64"), ("hi", "int64"), ("st", "int64")], "tuple<int64, int64>", """
%n = slot : ref<int64>
%last = slot : ref<int64>
%z = const [value = 0] : int64
store %z, %n
store %z, %last
for %lo, %hi, %st {
^(%i: int64):
  %0 = load %n : int64
  %one = const [value = 1] : int64
  %1 = add %0, %one : int64
  store %1, %n
  store %i, %last
}
%a = load %n : int64
%b = load %last : int64
%t = tuple.make %a, %b : tuple<int64, int64>
return %t
"""),
    # sum(i for i in range(n) if i % 3) stopping once i > lim: break + continue
    fn("brk", [("n", "int64"), ("lim", "int64")], "int64", """
%s = slot : ref<int64>
%z = const [value = 0] : int64
%one = const [value = 1] : int64
%three = const [value = 3] : int64
store %z, %s
for %z, %n, %one {
^(%i: int64):
  %big = cmp %i, %lim [pred = "gt"] : bool
  if %big {
    break
  } {
  }
  %m = mod %i, %three : int64
  %m0 = cmp %m, %z [pred = "eq"] : bool
  if %m0 {
    continue
  } {
  }
  %0 = load %s : int64
  %1 = add %0, %i : int64
  store %1, %s
}
%r = load %s : int64
return %r
"""),
    # collatz steps: while with if/else
    fn("collatz", [("n", "int64")], "int64", """
%x = slot : ref<int64>
%c = slot : ref<int64>
%z = const [value = 0] : int64
%one = const [value = 1] : int64
%two = const [value = 2] : int64
%three = const [value = 3] : int64
store %n, %x
store %z, %c
while {
  %0 = load %x : int64
  %ne = cmp %0, %one [pred = "ne"] : bool
  condition %ne
} {
  %1 = load %x : int64
  %m = mod %1, %two : int64
  %even = cmp %m, %z [pred = "eq"] : bool
  if %even {
    %h = floordiv %1, %two : int64
    store %h, %x
  } {
    %t = mul %1, %three : int64
    %u = add %t, %one : int64
    store %u, %x
  }
  %k = load %c : int64
  %k1 = add %k, %one : int64
  store %k1, %c
}
%r = load %c : int64
return %r
"""),
    # sign: both branches of the if return (no merge block)
    fn("sign", [("x", "float64")], "int64", """
%z = const [value = 0.0] : float64
%neg = cmp %x, %z [pred = "lt"] : bool
if %neg {
  %m = const [value = -1] : int64
  return %m
} {
  %p = const [value = 1] : int64
  return %p
}
"""),
    fn("check_positive", [("n", "int64")], "none", """
%z = const [value = 0] : int64
%bad = cmp %n, %z [pred = "lt"] : bool
if %bad {
  %s = str.const [value = "n must be >= 0, got"] : str
  %f = const [value = 1.5] : float64
  %t = const [value = true] : bool
  raise %s, %n, %f, %t [exc = "ValueError"]
} {
}
return
"""),
    fn("helper", [("a", "int64"), ("b", "int64")], "int64",
       "%r = floordiv %a, %b : int64\nreturn %r", export=False),
    fn("via_helper", [("a", "int64"), ("b", "int64")], "tuple<int64, bool>", """
%r = call %a, %b [callee = @helper] : int64
%z = const [value = 0] : int64
%p = cmp %r, %z [pred = "ge"] : bool
%t = tuple.make %r, %p : tuple<int64, bool>
return %t
"""),
    fn("ov_i", [("x", "int64")], "int64", "%r = math %x [fn = \"abs\"] : int64\nreturn %r",
       export="ov"),
    fn("ov_f", [("x", "float64")], "float64", "%r = neg %x : float64\nreturn %r", export="ov"),
    fn("nested", [("x", "float64")], "tuple<float64, tuple<int64, bool>>", """
%i = cast %x : int64
%b = cast %x : bool
%in = tuple.make %i, %b : tuple<int64, bool>
%t = tuple.make %x, %in : tuple<float64, tuple<int64, bool>>
return %t
"""),
]


@pytest.fixture(scope="module", params=["-O0", "-O2"])
def km(request, tmp_path_factory):
    """The module, built unoptimised and optimised (same answers required)."""
    opt = request.param
    return compile_module(tmp_path_factory.mktemp("cg"), f"kiln_cg_abi_{opt[1:]}",
                          module_functions() + CONTROL, opt)


# ---- tests ------------------------------------------------------------------

@pytest.mark.parametrize("op", list(INT_BINOPS))
def test_int_binary(km, op):
    check(getattr(km, f"i_{op}"), int64(INT_BINOPS[op]), itertools.product(INTS, INTS))


def kiln_int_pow(a, b):
    if b < 0:
        raise ValueError("negative exponent in `int ** int` needs a float result: "
                         "write `float(x) ** n`")
    if abs(a) > 1 and b > 64:  # CPython would build a huge int first
        raise OverflowError(OVERFLOW[1])
    return int64(pow)(a, b)


def test_int_pow(km):
    exps = [0, 1, 2, 3, 5, 31, 62, 63, 64, 65, -1, -2, I64_MAX, I64_MIN]
    check(km.i_pow, kiln_int_pow, itertools.product(INTS + [-1, 1, 0], exps))
    for e in (0, 1, 2, 3, 5, 62, 63, 64):
        check(getattr(km, f"i_pow_{e}"), lambda a, e=e: kiln_int_pow(a, e),
              [(a,) for a in INTS + [-2, 2]])


@pytest.mark.parametrize("op", list(FLOAT_BINOPS))
def test_float_binary(km, op):
    check(getattr(km, f"f_{op}"), FLOAT_BINOPS[op], itertools.product(FLOATS, FLOATS))


def kiln_float_pow(x, y):
    if x < 0 and math.isfinite(x) and math.isfinite(y) and y != math.floor(y):
        raise ValueError("negative number cannot be raised to a fractional power: "
                         "the result would be complex")
    return x ** y


def test_float_pow(km):
    ys = FLOATS + [2.0, -2.0, 0.5, 1e10, -1e10, 1023.0, 1025.0]
    check(km.f_pow, kiln_float_pow, itertools.product(FLOATS, ys))
    with pytest.raises(OverflowError) as e:
        km.f_pow(10.0, 400.0)
    assert e.value.args == (34, "Numerical result out of range")


def test_true_division_message_for_ints(km):
    with pytest.raises(ZeroDivisionError, match="^division by zero$"):
        km.f_div_ints(1.0, 0.0)
    with pytest.raises(ZeroDivisionError, match="^float division by zero$"):
        km.f_div(1.0, -0.0)


def test_unary(km):
    check(km.i_neg, int64(lambda a: -a), [(a,) for a in INTS])
    check(km.f_neg, lambda x: -x, [(x,) for x in FLOATS])
    check(km.i_invert, lambda a: ~a, [(a,) for a in INTS])
    check(km.b_not, lambda p: not p, [(True,), (False,)])
    check(km.sel, lambda p, a, b: a if p else b, [(True, 1, 2), (False, 1, 2)])


@pytest.mark.parametrize("pred", list(PREDS))
def test_compare(km, pred):
    check(getattr(km, f"i_cmp_{pred}"), PREDS[pred], itertools.product(INTS, INTS))
    check(getattr(km, f"f_cmp_{pred}"), PREDS[pred], itertools.product(FLOATS, FLOATS))
    check(getattr(km, f"b_cmp_{pred}"), PREDS[pred],
          itertools.product([False, True], [False, True]))


def test_casts(km):
    big = [9.3e18, -9.3e18, 2.0**63, -2.0**63, 9223372036854774784.0, -1.5, 1.9999]
    check(km.f2i, int64(int), [(x,) for x in FLOATS + big])
    check(km.i2f, float, [(a,) for a in INTS])
    check(km.f2b, bool, [(x,) for x in FLOATS])
    check(km.i2b, bool, [(a,) for a in INTS])
    check(km.b2i, int, [(False,), (True,)])
    check(km.b2f, float, [(False,), (True,)])


MATH_XS = FLOATS + [-2.0, 2.0, 710.0, -710.0, 1e5, 0.9999999, -1.0000001, 100.0]


@pytest.mark.parametrize("name", MATH1)
def test_math_unary(km, name):
    check(getattr(km, f"m_{name}"), getattr(math, name), [(x,) for x in MATH_XS])


@pytest.mark.parametrize("name", ["floor", "ceil", "trunc"])
def test_math_to_int(km, name):
    check(getattr(km, f"m_{name}"), int64(getattr(math, name)),
          [(x,) for x in MATH_XS + [9.3e18, -9.3e18]])


def test_round_half_even(km):
    xs = [0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 2.675, 1e15 + 0.5, 4503599627370497.0]
    check(km.m_round, int64(round), [(x,) for x in MATH_XS + xs])


def test_math_predicates(km):
    for name in ("isnan", "isinf", "isfinite"):
        check(getattr(km, f"m_{name}"), getattr(math, name), [(x,) for x in FLOATS])


@pytest.mark.parametrize("name", MATH2)
def test_math_binary(km, name):
    ys = FLOATS + [2.0, -2.0, 1000.0]
    check(getattr(km, f"m_{name}"), getattr(math, name), itertools.product(MATH_XS, ys))


def test_abs_min_max(km):
    check(km.m_abs_i, int64(abs), [(a,) for a in INTS])
    check(km.m_abs_f, abs, [(x,) for x in FLOATS])
    trio = [1.0, -1.0, NAN, 0.0, -0.0, INF]
    check(km.m_min3, min, itertools.product(trio, trio, trio))
    check(km.m_max3, max, itertools.product(trio, trio, trio))
    check(km.m_min_i, min, itertools.product(INTS, INTS))
    check(km.m_max_i, max, itertools.product(INTS, INTS))


def py_rng(lo, hi, st):
    r = range(lo, hi, st)
    return (len(r), r[-1] if len(r) else 0)


def test_for_range_semantics(km):
    cases = [(0, 10, 1), (0, 10, 3), (10, 0, -1), (10, 0, -3), (0, 0, 1), (5, 0, 1),
             (0, 5, -1), (-5, 5, 2), (I64_MAX - 2, I64_MAX, 1), (I64_MIN, I64_MIN + 3, 1),
             (I64_MIN + 2, I64_MIN, -1), (I64_MAX, I64_MAX - 5, -2),
             (0, 100, I64_MAX), (0, -100, I64_MIN), (I64_MAX - 10, I64_MAX, 4)]
    for c in cases:
        assert km.rng(*c) == py_rng(*c), c
    assert km.rng(I64_MIN, I64_MAX, 2**62) == py_rng(I64_MIN, I64_MAX, 2**62)
    check(km.rng, py_rng, [(0, 10, 0)])  # ValueError: range() arg 3 must not be zero


def test_break_continue_while_if(km):
    def brk(n, lim):
        s = 0
        for i in range(n):
            if i > lim:
                break
            if i % 3 == 0:
                continue
            s += i
        return s
    for n, lim in [(0, 5), (10, 100), (100, 50), (1000, 999)]:
        assert km.brk(n, lim) == brk(n, lim)

    def collatz(n):
        c = 0
        while n != 1:
            n = n // 2 if n % 2 == 0 else 3 * n + 1
            c += 1
        return c
    for n in (1, 2, 3, 7, 27, 97):
        assert km.collatz(n) == collatz(n)
    assert [km.sign(x) for x in (-2.0, 0.0, 3.0, NAN)] == [-1, 1, 1, 1]


def test_raise_with_arguments_and_none_result(km):
    assert km.check_positive(3) is None
    with pytest.raises(ValueError) as e:
        km.check_positive(-4)
    assert e.value.args == ("n must be >= 0, got", -4, 1.5, True)


def test_errors_propagate_through_calls(km):
    assert km.via_helper(7, 2) == (3, True)
    assert km.via_helper(-7, 2) == (-4, False)
    with pytest.raises(ZeroDivisionError, match="^integer division or modulo by zero$"):
        km.via_helper(1, 0)
    assert not hasattr(km, "helper")


def test_overloads_and_nested_tuples(km):
    assert km.ov(-3) == 3
    assert km.ov(2.5) == -2.5
    assert same_value(km.nested(-2.5), (-2.5, (-2, True)))
    assert same_value(km.nested(0.0), (0.0, (0, False)))
    with pytest.raises(ValueError, match="^cannot convert float NaN to integer$"):
        km.nested(NAN)


def test_only_pyinit_is_exported(km):
    nm = shutil.which("nm")
    if not nm:
        pytest.skip("no nm")
    out = subprocess.run([nm, "-D", "--defined-only", km.__file__], capture_output=True,
                         text=True, check=True).stdout
    names = [l.split()[-1] for l in out.splitlines() if l.strip()]
    assert names == ["PyInit_" + km.__name__]


def test_ctrl_c_interrupts_an_infinite_loop(tmp_path):
    spin = fn("spin", [], "none", """
while {
  %t = const [value = true] : bool
  condition %t
} {
}
return
""")
    compile_module(tmp_path, "kiln_cg_spin", [spin])
    script = (
        "import os, signal, sys, threading\n"
        f"sys.path.insert(0, {str(tmp_path)!r})\n"
        "import kiln_cg_spin\n"
        "threading.Timer(0.3, lambda: os.kill(os.getpid(), signal.SIGINT)).start()\n"
        "try:\n"
        "    kiln_cg_spin.spin()\n"
        "except KeyboardInterrupt:\n"
        "    print('interrupted')\n")
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=60)
    assert proc.stdout.strip() == "interrupted", proc.stderr


def test_link_error_is_reported(tmp_path):
    kir = tmp_path / "broken.kir"
    kir.write_text('module "broken"\n\n' + fn("f", [("a", "int64")], "int64", "return %a"))
    so = tmp_path / "broken.abi3.so"
    proc = subprocess.run([DRIVER, str(kir), "-o", str(so), "--runtime",
                           str(tmp_path / "nonexistent.a")], capture_output=True, text=True)
    assert proc.returncode != 0
    assert "nonexistent.a" in proc.stderr
    assert list(tmp_path.iterdir()) == [kir]

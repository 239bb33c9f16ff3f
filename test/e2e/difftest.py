"""Differential comparison of a compiled function with CPython.

An outcome is ("ok", value) or ("err", exception type, str(exception)).
Values compare by type (bool, int and float are told apart, recursively in
tuples), floats bit for bit in the sense that NaN equals NaN and -0.0 differs
from 0.0.  Kiln's documented deviations from CPython are applied to CPython's
outcome by the `kiln_*` adapters below; each one says which deviation it is.
"""
import math

I64_MIN, I64_MAX = -2**63, 2**63 - 1
INF, NAN = math.inf, math.nan

# Documented deviation: `int` is int64; a result that does not fit raises
# instead of growing into a bignum.
OVERFLOW_MSG = "integer overflow: the result does not fit in int64"
# Documented deviation: a negative exponent known only at run time in
# `int ** int` raises instead of switching to a float result.
NEG_POW_MSG = ("negative exponent in `int ** int` needs a float result: "
               "write `float(x) ** n`")
# Documented deviation: a negative float to a fractional power raises instead
# of producing a complex number.
COMPLEX_POW_MSG = ("negative number cannot be raised to a fractional power: "
                   "the result would be complex")

# Edge tables
INTS = [0, 1, -1, 2, -2, 3, -3, 7, -7, 10, -10, 63, 64, -64, 100, 12345, -12345,
        2**31, -2**31, 2**32 + 1, -(2**32) - 1, 10**18, -10**18,
        I64_MAX, I64_MIN, I64_MAX - 1, I64_MIN + 1]
SMALL_INTS = [0, 1, -1, 2, -2, 3, -3, 7, -7, 10, -10]
FLOATS = [0.0, -0.0, 0.5, -0.5, 1.0, -1.0, 1.5, -1.5, 2.5, -2.5, 3.0, -3.0, 7.0, -7.0,
          0.1, -0.1, 1e-300, 5e-324, -5e-324, 2.2250738585072014e-308, 1e308, -1e308,
          1.7976931348623157e308, 9007199254740993.0, 4503599627370495.5, INF, -INF, NAN]


def outcome(f, *args, **kwargs):
    try:
        return ("ok", f(*args, **kwargs))
    except Exception as e:  # noqa: BLE001 - every exception is compared
        return ("err", type(e), str(e))


def same_value(a, b):
    if isinstance(a, tuple) or isinstance(b, tuple):
        return (type(a) is type(b) and len(a) == len(b)
                and all(same_value(x, y) for x, y in zip(a, b)))
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        if math.isnan(a) or math.isnan(b):
            return math.isnan(a) and math.isnan(b)
        return a == b and math.copysign(1.0, a) == math.copysign(1.0, b)
    return a == b


def same(got, want):
    if got[0] != want[0]:
        return False
    if got[0] == "ok":
        return same_value(got[1], want[1])
    return got[1] is want[1] and got[2] == want[2]


def show(o):
    if o[0] == "ok":
        return f"{o[1]!r} ({type(o[1]).__name__})"
    return f"{o[1].__name__}({o[2]!r})"


def check(kfn, pyfn, cases, limit=25):
    """Run kfn and pyfn on every argument tuple in `cases`; assert identical
    outcomes; report the first `limit` differences."""
    bad = []
    n = 0
    for args in cases:
        if not isinstance(args, tuple):
            args = (args,)
        n += 1
        got, want = outcome(kfn, *args), outcome(pyfn, *args)
        if not same(got, want):
            bad.append((args, got, want))
    assert n > 0, "no cases"
    name = getattr(kfn, "__name__", "?")
    assert not bad, f"{len(bad)}/{n} cases differ for {name}:\n" + "\n".join(
        f"  {name}{a!r}: kiln {show(g)}, expected {show(w)}" for a, g, w in bad[:limit])


def fits_i64(r):
    return not isinstance(r, int) or isinstance(r, bool) or I64_MIN <= r <= I64_MAX


def _check_ints(r):
    if isinstance(r, tuple):
        for x in r:
            _check_ints(x)
    elif not fits_i64(r):
        raise OverflowError(OVERFLOW_MSG)


def kiln_int64(f):
    """CPython's result under Kiln's int64 rule (documented deviation): an int
    result outside int64 is an OverflowError."""
    def g(*args, **kw):
        r = f(*args, **kw)
        _check_ints(r)
        return r
    g.__name__ = getattr(f, "__name__", "g")
    return g


def is_complex_pow(a, b):
    """True where CPython's `a ** b` leaves the reals (negative finite base,
    finite non-integral exponent)."""
    return (isinstance(b, float) and a < 0 and math.isfinite(a) and math.isfinite(b)
            and b != math.floor(b))


def kiln_float_pow(a, b):
    """One `**` with Kiln's documented deviations (see kiln_pow)."""
    return kiln_pow(lambda x, y: x ** y)(a, b)


def kiln_pow(f):
    """CPython's `**` under Kiln's documented deviations: int64 overflow,
    runtime negative int exponent -> ValueError, negative base to fractional
    power -> ValueError instead of a complex result."""
    def g(a, b, *rest):
        if type(a) in (int, bool) and type(b) in (int, bool) and b < 0:
            raise ValueError(NEG_POW_MSG)
        if is_complex_pow(a, b):
            # CPython returns a complex (or raises OverflowError("complex
            # exponentiation") when that complex overflows).
            raise ValueError(COMPLEX_POW_MSG)
        r = f(a, b, *rest)
        _check_ints(r)
        return r
    g.__name__ = getattr(f, "__name__", "g")
    return g


def same_with_arguments(k, p, *args, check=None):
    """Calls compiled k and CPython p with deep copies of args (containers
    the functions may change): the same result and type, or the same
    exception and message, and the arguments changed the same way. `check`,
    if given, also compares the results (e.g. dict order)."""
    import copy

    ka, pa = copy.deepcopy(args), copy.deepcopy(args)
    try:
        want = p(*pa)
    except Exception as e:  # the same exception, with the same message
        try:
            k(*ka)
        except type(e) as got:
            assert str(got) == str(e), (args, str(got), str(e))
        else:
            raise AssertionError(f"{args}: expected {type(e).__name__}: {e}")
        assert ka == pa, "an argument changed differently"
        return
    got = k(*ka)
    if isinstance(want, float) and math.isnan(want):
        assert math.isnan(got)
    else:
        assert got == want, (args, got, want)
        assert type(got) is type(want)
    if check:
        check(got, want)
    assert ka == pa, "an argument changed differently"

"""The call boundary (cases/boundary.py, cases/overloads.py): RELIABILITY rows
3, 7, 8, 9 and 18 - argument types, arity, keywords, int64 range, NumPy
scalars, overload dispatch, reference counts and memory over many calls."""
import gc
import sys

import numpy as np
import pytest

from difftest import I64_MAX, I64_MIN, outcome, same

BAD_VALUES = [("str", "1"), ("NoneType", None), ("list", [1]), ("tuple", (1,)), ("dict", {}),
              ("complex", 1j), ("bytes", b"1")]


@pytest.fixture(scope="module")
def b(compile_module):
    return compile_module("boundary.py")


@pytest.fixture(scope="module")
def ov(compile_module):
    return compile_module("overloads.py")


def type_error(f, *args, **kw):
    with pytest.raises(TypeError) as e:
        f(*args, **kw)
    return str(e.value)


# ---- row 3: wrong argument types -------------------------------------------------

@pytest.mark.parametrize("tname,value", BAD_VALUES + [("float", 1.5), ("float", 2.0)])
def test_wrong_type_for_int(b, tname, value):
    assert type_error(b.k.add, value, 1) == f"add() argument 'a': expected int64, got {tname}"
    assert type_error(b.k.add, 1, value) == f"add() argument 'b': expected int64, got {tname}"
    assert type_error(b.k.add, 1, b=value) == f"add() argument 'b': expected int64, got {tname}"


@pytest.mark.parametrize("tname,value", BAD_VALUES)
def test_wrong_type_for_float(b, tname, value):
    assert type_error(b.k.fadd, 1.0, value) == \
        f"fadd() argument 'y': expected float64, got {tname}"


@pytest.mark.parametrize("tname,value", BAD_VALUES + [("int", 1), ("float", 1.0)])
def test_wrong_type_for_bool(b, tname, value):
    assert type_error(b.k.flag, value) == f"flag() argument 'p': expected bool, got {tname}"


def test_accepted_conversions(b):
    # int parameter: int, bool, anything with __index__; float: float, int, bool
    class Idx:
        def __index__(self):
            return 41
    for args, want in [((True, 2), 3), ((Idx(), 1), 42), ((np.int64(5), 1), 6),
                       ((np.int32(-5), 1), -4), ((np.uint8(200), 1), 201),
                       ((np.int64(I64_MAX), 0), I64_MAX)]:
        r = b.k.add(*args)
        assert r == want and type(r) is int, args
    for args, want in [((1, 2), 3.0), ((True, 0.5), 1.5), ((np.float32(1.5), 1.0), 2.5),
                       ((np.float64(0.25), 1), 1.25), ((2**53 + 1, 0.0), 9007199254740992.0),
                       ((-(2**63), 0.0), -2.0**63)]:
        r = b.k.fadd(*args)
        assert r == want and type(r) is float, args
    r = b.k.flag(np.bool_(True))
    assert r is False
    r = b.k.three(np.int16(3), np.float32(0.1), np.bool_(False))
    assert r == (3, float(np.float32(0.1)), False)
    assert [type(v) for v in r] == [int, float, bool]


def test_numpy_float32_exact_value(b):
    # float32 widens exactly to float64
    x = np.float32(1) / np.float32(3)
    assert b.k.identity_f(x) == float(x)


# ---- row 7: int64 range ------------------------------------------------------------

@pytest.mark.parametrize("value", [2**63, -(2**63) - 1, 2**64, 10**30, -(10**30)])
def test_int_out_of_range(b, value):
    with pytest.raises(OverflowError) as e:
        b.k.add(value, 1)
    assert "argument 'a'" in str(e.value) and str(e.value).startswith("add()")
    with pytest.raises(OverflowError) as e:
        b.k.add(1, b=value)
    assert "argument 'b'" in str(e.value)
    with pytest.raises(OverflowError) as e:
        b.k.many(1, 2, 3, 4, 5, 6, 7, value)
    assert "argument 'h'" in str(e.value)
    # no stale error indicator: the next calls are fine
    assert b.k.add(1, 2) == 3
    assert b.k.identity_f(0.5) == 0.5
    assert b.k.add(I64_MAX, 0) == I64_MAX and b.k.add(I64_MIN, 0) == I64_MIN


def test_int_too_large_for_float(b):
    with pytest.raises(OverflowError) as e:
        b.k.fadd(10**400, 1.0)
    assert "argument 'x'" in str(e.value)
    assert b.k.fadd(1.0, 2.0) == 3.0


# ---- row 8: arity and keywords -----------------------------------------------------

ARITY_CALLS = [
    ((), {}), ((1,), {}), ((1, 2, 3), {}), ((1, 2, 3, 4), {}), ((), {"a": 1}),
    ((), {"b": 1}), ((1,), {"a": 1}), ((1, 2), {"b": 3}), ((1,), {"c": 2}),
    ((), {"a": 1, "b": 2, "c": 3}), ((1, 2), {"zz": 3}), ((), {"b": 2, "a": 1}),
    ((1,), {"b": 2}), ((), {"a": 1, "b": 2}),
]


@pytest.mark.parametrize("args,kwargs", ARITY_CALLS)
def test_arity_and_keywords_like_cpython(b, args, kwargs):
    got, want = outcome(b.k.add, *args, **kwargs), outcome(b.py.add, *args, **kwargs)
    assert same(got, want), (args, kwargs, got, want)


def test_keyword_calls(b):
    assert b.k.three(x=2.5, p=True, a=7) == (7, 2.5, True)
    assert b.k.three(1, p=False, x=0.0) == (1, 0.0, False)
    assert b.k.many(8, 7, 6, 5, 4, 3, h=1, g=2) == b.py.many(8, 7, 6, 5, 4, 3, h=1, g=2)
    assert b.k.noargs() == 42
    for args, kwargs in [((1,), {}), ((), {"x": 1})]:
        got, want = outcome(b.k.noargs, *args, **kwargs), outcome(b.py.noargs, *args, **kwargs)
        assert same(got, want), (got, want)
    for args, kwargs in [((1, 2.0), {"x": 3.0}), ((1,), {"p": True}), ((), {"a": 1, "x": 1.0}),
                         ((1, 2.0, True), {"a": 1})]:
        got, want = outcome(b.k.three, *args, **kwargs), outcome(b.py.three, *args, **kwargs)
        assert same(got, want), (args, kwargs, got, want)


def test_keyword_dict_not_mutated(b):
    kw = {"a": 1, "b": 2}
    assert b.k.add(**kw) == 3 and kw == {"a": 1, "b": 2}


# ---- row 9: overloads --------------------------------------------------------------

def test_no_matching_signature(ov):
    msg = type_error(ov.k.twice, "a")
    assert msg == ("twice(): no matching signature for argument types (str); accepted: "
                   "twice(x: int64), twice(x: float64), twice(x: bool)")
    msg = type_error(ov.k.scaled, 2, 3.0)
    assert msg.startswith("scaled(): no matching signature for argument types (int, float); "
                          "accepted: ")
    assert "scaled(x: float64, n: int64)" in msg and "scaled(x: int64, n: int64)" in msg
    msg = type_error(ov.k.twice, None)
    assert "(NoneType)" in msg and "no matching signature" in msg


def test_overload_arity_errors_are_not_dispatch_errors(ov):
    for args, kwargs in [((), {}), ((1, 2), {}), ((), {"y": 1})]:
        got, want = outcome(ov.k.twice, *args, **kwargs), outcome(ov.py.twice, *args, **kwargs)
        assert same(got, want), (args, kwargs, got, want)
    assert ov.k.twice(x=2.5) == 5.0


def test_overload_body_exception_propagates_unchanged(b, ov):
    with pytest.raises(RuntimeError) as e:
        b.k.ov(-1, 2)
    assert e.value.args == ("negative", -1)
    with pytest.raises(RuntimeError) as e:
        b.k.ov(-1.5, 2.0)
    assert e.value.args == ("negative", -1.5)
    with pytest.raises(ZeroDivisionError) as e:
        b.k.ov(1, 0)
    assert str(e.value) == "integer division or modulo by zero"
    with pytest.raises(ZeroDivisionError) as e:
        b.k.ov(1.0, 0.0)
    assert str(e.value) == "float floor division by zero"
    assert b.k.ov(7, 2) == 3


def test_overload_big_int(b):
    # documented rule: the first exact match, else the first signature the
    # arguments convert to; 2**63 does not fit (int, int), it converts to
    # (float, float)
    got = outcome(b.k.ov, 2**63, 2)
    assert same(got, ("ok", 2.0**62)), got
    assert b.k.ov(7, 2) == 3


# ---- row 18: reference counts and memory ------------------------------------------

N_CALLS = 100_000


def test_refcounts_unchanged(b):
    big = 10**15 + 12345
    x = 1.2345e300
    rb, rx = sys.getrefcount(big), sys.getrefcount(x)
    add, fadd, identity_i, identity_f = b.k.add, b.k.fadd, b.k.identity_i, b.k.identity_f
    for _ in range(N_CALLS):
        add(big, 1)
        fadd(x, x)
        identity_i(a=big)
    assert sys.getrefcount(big) == rb
    assert sys.getrefcount(x) == rx
    r = identity_i(big)
    assert r == big
    r = identity_f(x)
    assert r == x


def test_refcounts_on_error_paths(b, ov):
    big = 10**15 + 54321
    s = "not a number"
    huge = 2**70
    rb, rs, rh = sys.getrefcount(big), sys.getrefcount(s), sys.getrefcount(huge)
    fails, add, twice = b.k.fails, b.k.add, ov.k.twice
    for _ in range(N_CALLS // 4):
        try:
            fails(big)          # exception in the body, holding the argument
        except ValueError as e:
            assert e.args[1] == big
        try:
            add(big, s)         # conversion failure on the second argument
        except TypeError:
            pass
        try:
            add(huge, big)      # overflow on the first argument
        except OverflowError:
            pass
        try:
            twice(s)            # failed overload dispatch
        except TypeError:
            pass
    gc.collect()
    assert sys.getrefcount(big) == rb
    assert sys.getrefcount(s) == rs
    assert sys.getrefcount(huge) == rh


def _rss_kib():
    with open("/proc/self/statm") as f:
        pages = int(f.read().split()[1])
    return pages * 4


def test_no_memory_growth(b, ov):
    fails, add, twice, three = b.k.fails, b.k.add, ov.k.twice, b.k.three

    def burst(n):
        for i in range(n):
            three(i, 0.5, True)
            try:
                fails(i + 1)
            except ValueError:
                pass
            try:
                twice("x")
            except TypeError:
                pass
            try:
                add(2**64, 1)
            except OverflowError:
                pass
    burst(20_000)  # warm up allocator pools
    gc.collect()
    before = _rss_kib()
    burst(100_000)
    gc.collect()
    grown = _rss_kib() - before
    # a leak of one small object per call would be several MiB
    assert grown < 2048, f"RSS grew by {grown} KiB over 100000 iterations"

"""NumPy arrays (cases/arrays.py), compared with NumPy running the same source:
reads and writes on every layout (C, Fortran, strided, negative and zero
strides, empty), views, attributes, creation functions, iteration, helpers,
results, IndexError, and `--unchecked` builds. RELIABILITY rows 4 and 10.

An outcome is compared by kind: arrays by type (numpy.ndarray exactly),
dtype, shape, writability and values (floats bit for bit, NaN equal to NaN);
NumPy scalars that CPython gets from a[i] count as the Python scalar they
stand for (Kiln gives float/int/bool)."""
import itertools
import math

import numpy as np
import pytest

from conftest import _load_extension, run_kiln
from difftest import I64_MAX, I64_MIN, INF, NAN, same_value

# ---- comparison -------------------------------------------------------------------------


def canon(v):
    """A comparable form of a result: arrays become a tuple of what must match."""
    if isinstance(v, np.ndarray):
        vals = v.tolist()
        return ("ndarray", type(v), v.dtype.str, v.shape, bool(v.flags.writeable),
                canon_list(vals))
    if isinstance(v, tuple):
        return tuple(canon(x) for x in v)
    if isinstance(v, np.generic):
        return v.item()
    return v


def canon_list(x):
    if isinstance(x, list):
        return tuple(canon_list(y) for y in x)
    if isinstance(x, float):
        # bit for bit, NaN == NaN
        return ("nan",) if math.isnan(x) else ("f", x, math.copysign(1.0, x))
    return (type(x).__name__, x)


def outcome(f, *args):
    try:
        return ("ok", canon(f(*args)))
    except Exception as e:  # noqa: BLE001 - every exception is compared
        return ("err", type(e), str(e))


def same(got, want):
    if got[0] != want[0]:
        return False
    if got[0] == "ok":
        return same_value(got[1], want[1])
    return got[1] is want[1] and got[2] == want[2]


def show(o):
    if o[0] == "ok":
        return repr(o[1])[:200]
    return f"{o[1].__name__}({o[2]!r})"


def check(kf, pf, cases, limit=6):
    """cases: argument tuples; each argument may be a Layout (a fresh array
    is made for each side). Compares the results and, for Layout arguments,
    the whole underlying buffer afterwards (writes included)."""
    bad, n = [], 0
    for args in cases:
        if not isinstance(args, tuple):
            args = (args,)
        n += 1
        ka, kroots = materialise(args)
        pa, proots = materialise(args)
        got, want = outcome(kf, *ka), outcome(pf, *pa)
        after_k = [canon(r) for r in kroots]
        after_p = [canon(r) for r in proots]
        if not same(got, want) or not same_value(tuple(after_k), tuple(after_p)):
            bad.append((args, got, want, after_k, after_p))
    assert n > 0, "no cases"
    name = getattr(kf, "__name__", "?")
    assert not bad, f"{len(bad)}/{n} cases differ for {name}:\n" + "\n".join(
        f"  {name}{a!r}: kiln {show(g)}, numpy {show(w)}"
        + ("" if ak == ap else f"\n    memory after: kiln {str(ak)[:160]}\n"
           f"                  numpy {str(ap)[:160]}")
        for a, g, w, ak, ap in bad[:limit])


class Layout:
    """A recipe for an array argument: make() gives (array, root), a fresh
    array on every call, and the root buffer it lies in."""

    def __init__(self, name, make):
        self.name, self.make = name, make

    def __repr__(self):
        a, _ = self.make()
        return f"<{self.name} {a.dtype}{list(a.shape)}>"


def materialise(args):
    out, roots = [], []
    for a in args:
        if isinstance(a, Layout):
            v, root = a.make()
            out.append(v)
            roots.append(root)
        else:
            out.append(a)
    return out, roots


def values(dtype, n, seed=0):
    """n distinct interesting values of dtype."""
    if dtype == np.float64:
        pool = [0.5, -1.25, 3.0, -0.0, 1e300, 7.75, -2.5e-310, 0.1, 42.0, -8.0, 2.0**60, INF,
                -3.5, 1.0]
        return np.array([pool[(i + seed) % len(pool)] + (i // len(pool)) for i in range(n)],
                        dtype=np.float64)
    if dtype == np.int64:
        pool = [3, -7, 0, 11, 2**40, -(2**33), 5, 1, -1, 123456789, 9, -100]
        return np.array([pool[(i + seed) % len(pool)] + i for i in range(n)], dtype=np.int64)
    return np.array([(i * 7 + seed) % 3 == 0 for i in range(n)], dtype=np.bool_)


def layouts1(dtype, n=7, writable_only=False):
    """1-D arrays of logical length n in every layout (and the empty one)."""
    def c():
        r = values(dtype, n)
        return r, r

    def strided():
        r = values(dtype, 2 * n + 1, seed=1)
        return r[1::2], r

    def negative():
        r = values(dtype, n, seed=2)
        return r[::-1], r

    def negative3():
        r = values(dtype, 3 * n, seed=3)
        return r[::-3], r

    def fortran_row():
        r = np.asfortranarray(values(dtype, 3 * n, seed=4).reshape(3, n))
        return r[1], r

    def zero_writable():
        r = values(dtype, 1, seed=5)
        return np.lib.stride_tricks.as_strided(r, (n,), (0,), writeable=True), r

    def broadcast():
        r = values(dtype, 1, seed=6)
        return np.broadcast_to(r, (n,)), r

    def empty():
        r = values(dtype, 0)
        return r, r

    def empty_strided():
        r = values(dtype, 4)
        return r[3:0:2], r

    out = [Layout("C", c), Layout("strided", strided), Layout("negative", negative),
           Layout("negative3", negative3), Layout("fortran-row", fortran_row),
           Layout("zero-stride-writable", zero_writable), Layout("empty", empty),
           Layout("empty-strided", empty_strided)]
    if not writable_only:
        out.append(Layout("broadcast", broadcast))
    return out


def layouts2(dtype, shape=(4, 5), writable_only=False):
    n, m = shape

    def c():
        r = values(dtype, n * m).reshape(n, m)
        return r, r

    def fortran():
        r = np.asfortranarray(values(dtype, n * m, seed=1).reshape(n, m))
        return r, r

    def strided():
        r = values(dtype, n * 3 * m, seed=2).reshape(n, 3 * m)
        return r[:, ::3], r

    def negative():
        r = values(dtype, 2 * n * m, seed=3).reshape(2 * n, m)
        return r[::-2, ::-1], r

    def transposed():
        r = values(dtype, n * m, seed=4).reshape(m, n)
        return r.T, r

    def zero_writable():
        r = values(dtype, m, seed=5)
        return np.lib.stride_tricks.as_strided(r, (n, m), (0, r.strides[0]), writeable=True), r

    def broadcast():
        r = values(dtype, m, seed=6)
        return np.broadcast_to(r, (n, m)), r

    def empty_rows():
        r = values(dtype, 0).reshape(0, m)
        return r, r

    def empty_cols():
        r = values(dtype, 0).reshape(n, 0)
        return r, r

    out = [Layout("C", c), Layout("F", fortran), Layout("strided", strided),
           Layout("negative", negative), Layout("transposed", transposed),
           Layout("zero-stride-writable", zero_writable), Layout("empty-rows", empty_rows),
           Layout("empty-cols", empty_cols)]
    if not writable_only:
        out.append(Layout("broadcast", broadcast))
    return out


def contiguous1(dtype, n=7):
    def c():
        r = values(dtype, n)
        return r, r

    def sliced():
        r = values(dtype, n + 3, seed=1)
        return r[2:2 + n], r

    def empty():
        r = values(dtype, 0)
        return r, r
    return [Layout("C", c), Layout("C-slice", sliced), Layout("empty", empty)]


def contiguous2(dtype, shape=(3, 4)):
    n, m = shape

    def c():
        r = values(dtype, n * m).reshape(n, m)
        return r, r

    def row_sliced():
        r = values(dtype, 2 * n * m, seed=1).reshape(2 * n, m)
        return r[::2], r  # rows strided, each row contiguous: not C order

    def rows():
        r = values(dtype, 2 * n * m, seed=2).reshape(2 * n, m)
        return r[1:1 + n], r
    return [Layout("C", c), Layout("C-rows", rows)]


INDICES = [0, 1, 3, 6, -1, -2, -7, 7, 8, -8, 100, -100, 10**12, -(10**12), I64_MAX, I64_MIN]
INDICES2 = [0, 2, -1, -4, -5, 4, 5, 7, 10**12, I64_MIN]
DTYPES = [np.float64, np.int64, np.bool_]


@pytest.fixture(scope="module")
def m(compile_module):
    return compile_module("arrays.py")


@pytest.fixture(scope="module")
def mu(compile_module):
    return compile_module("arrays.py", options=("--unchecked",))


def fn(mod, name):
    return getattr(mod.k, name), getattr(mod.py, name)


# ---- reads (row 4: layouts; row 10: IndexError) ----------------------------------------------

@pytest.mark.parametrize("name,dtype", [("get_f", np.float64), ("get_i", np.int64),
                                        ("get_b", np.bool_)])
def test_read_1d(m, name, dtype):
    check(*fn(m, name), itertools.product(layouts1(dtype), INDICES))


def test_read_1d_c_order(m):
    check(*fn(m, "get_fc"), itertools.product(contiguous1(np.float64), INDICES))


@pytest.mark.parametrize("name,dtype", [("get2_f", np.float64), ("get2_i", np.int64),
                                        ("get2_b", np.bool_), ("get2_pythran", np.float64),
                                        ("row_get", np.float64)])
def test_read_2d(m, name, dtype):
    check(*fn(m, name), itertools.product(layouts2(dtype), INDICES2, INDICES2))


def test_read_2d_c_order(m):
    check(*fn(m, "get2_fc"), itertools.product(contiguous2(np.float64)[:1], INDICES2, INDICES2))


def test_read_3d(m):
    def c():
        r = values(np.int64, 2 * 3 * 4).reshape(2, 3, 4)
        return r, r

    def odd():
        r = values(np.int64, 4 * 3 * 8, seed=1).reshape(4, 3, 8)
        return r[::-2, :, 1::2].transpose(0, 2, 1), r
    lays = [Layout("C", c), Layout("odd", odd)]
    check(*fn(m, "get3_i"), itertools.product(lays, [0, 1, -1, 2, 4], [0, -1, 3, -4, 4],
                                              [0, 2, -3, 3, 4]))


def test_array_like_buffers(m):
    # any buffer of the right type: memoryview, array.array
    import array
    buf = array.array("d", [1.5, 2.5, -3.0])
    assert m.k.get_f(buf, 2) == -3.0 and m.k.get_f(memoryview(buf), -3) == 1.5
    assert m.k.total(memoryview(buf)[::-2]) == -1.5
    ibuf = array.array("q", [5, 6, 7])
    assert m.k.get_i(ibuf, 1) == 6
    with pytest.raises(IndexError) as e:
        m.k.get_f(buf, 3)
    assert str(e.value) == "index 3 is out of bounds for axis 0 with size 3"


# ---- views ---------------------------------------------------------------------------------

def test_row_views(m):
    check(*fn(m, "row_of"), itertools.product(layouts2(np.float64), [0, 1, -1, 3, 4, -5]))
    check(*fn(m, "row_of_i"), itertools.product(layouts2(np.int64), [0, 2, -4]))
    check(*fn(m, "row_len"), itertools.product(layouts2(np.float64), [0, -1, 4]))

    def c3():
        r = values(np.int64, 24).reshape(2, 3, 4)
        return r, r

    def t3():
        r = values(np.int64, 24).reshape(4, 3, 2)
        return r.transpose(2, 1, 0), r
    check(*fn(m, "plane_of"), itertools.product([Layout("C", c3), Layout("T", t3)],
                                                [0, 1, -1, -2, 2]))


def test_row_view_shares_memory(m):
    a = np.arange(12.0).reshape(3, 4)
    r = m.k.row_of(a, 1)
    assert type(r) is np.ndarray and np.shares_memory(r, a)
    r[2] = -5.0
    assert a[1, 2] == -5.0
    del a
    assert r.tolist() == [4.0, 5.0, -5.0, 7.0]  # the view keeps the memory alive
    f = np.asfortranarray(np.arange(12.0).reshape(3, 4))
    r = m.k.row_of(f, -1)
    assert r.strides == f[-1].strides and r.tolist() == f[-1].tolist()


def test_view_of_read_only_argument_is_read_only(m):
    b = np.broadcast_to(np.arange(3.0), (4, 3))
    r = m.k.row_of(b, 1)
    assert r.tolist() == [0.0, 1.0, 2.0]
    assert not r.flags.writeable, "a view of a read-only argument must stay read-only"
    ro = np.arange(6.0)
    ro.flags.writeable = False
    r = m.k.return_param(ro)
    assert not r.flags.writeable and np.shares_memory(r, ro)


# ---- writes ---------------------------------------------------------------------------------

FLOAT_VALUES = [0.0, -0.0, 2.5, -1e300, NAN, INF]
INT_VALUES = [0, -1, 7, I64_MAX, I64_MIN]


@pytest.mark.parametrize("name,dtype,vals", [
    ("set_f", np.float64, FLOAT_VALUES), ("set_i", np.int64, INT_VALUES),
    ("set_b", np.bool_, [True, False]), ("set_f_from_int", np.float64, [3, -(2**53) - 1, I64_MAX]),
    ("set_i_from_bool", np.int64, [True, False]),
    ("set_b_from_int", np.bool_, [0, 5, -1]), ("set_b_from_float", np.bool_, [0.0, -0.0, 0.5, NAN]),
    ("set_i_from_float", np.int64, [2.9, -2.9, -0.0, 1e18, NAN, INF, -INF]),
    ("aug_f", np.float64, [1.5, -INF]), ("aug_i", np.int64, [3, -2]),
    ("aug_b", np.bool_, [True, False])])
def test_write_1d(m, name, dtype, vals):
    check(*fn(m, name), itertools.product(layouts1(dtype, writable_only=True),
                                          [0, 3, -1, -7, 7, -8, 10**12], vals))


@pytest.mark.parametrize("name,dtype,vals", [
    ("set2_f", np.float64, [-0.0, NAN]), ("set2_i", np.int64, [I64_MIN, 5]),
    ("set2_b", np.bool_, [True, False]), ("set_row", np.float64, [1.25]),
    ("aug2_i", np.int64, [3, -11]), ("aug2_f", np.float64, [2.0, -0.5])])
def test_write_2d(m, name, dtype, vals):
    check(*fn(m, name), itertools.product(layouts2(dtype, writable_only=True),
                                          [0, 3, -1, -4, 4], [0, 4, -5, 5], vals))


def test_write_c_order(m):
    check(*fn(m, "set_fc"), itertools.product(contiguous1(np.float64), [0, -1, 6, 7], [9.5]))


def test_write_overflow_in_aug(m):
    # element arithmetic is int64 arithmetic with Kiln's overflow rule
    a = np.array([I64_MAX, 1])
    with pytest.raises(OverflowError):
        m.k.aug_i(a, 0, 2)
    assert a.tolist() == [I64_MAX, 1]


# ---- attributes ---------------------------------------------------------------------------

def test_attributes(m):
    for name, dtype in [("attrs1", np.float64), ("attrs1_i", np.int64), ("attrs1_b", np.bool_)]:
        check(*fn(m, name), layouts1(dtype))
    check(*fn(m, "attrs2"), layouts2(np.float64) + layouts2(np.float64, (1, 9)))
    check(*fn(m, "attrs2_b"), layouts2(np.bool_))

    def c3(shape):
        def mk():
            r = np.zeros(shape, dtype=np.int64)
            return r, r
        return Layout(f"C{shape}", mk)
    check(*fn(m, "attrs3"), [c3((2, 3, 4)), c3((0, 3, 4)), c3((5, 1, 0)), c3((1, 1, 1))])


# ---- iteration --------------------------------------------------------------------------------

def test_iteration(m):
    for name in ["total", "weighted", "max_loop"]:
        check(*fn(m, name), layouts1(np.float64) + layouts1(np.float64, 40))
    for name in ["total_i", "weighted_i"]:
        check(*fn(m, name), layouts1(np.int64, 5))
    check(*fn(m, "count_true"), layouts1(np.bool_) + layouts1(np.bool_, 33))
    check(*fn(m, "find_first"), itertools.product(layouts1(np.int64), [0, 3, 14, 7, 99]))
    for name in ["total2", "total2_index"]:
        check(*fn(m, name), layouts2(np.float64) + layouts2(np.float64, (3, 17)))
    check(*fn(m, "enum_rows"), layouts2(np.int64, (3, 4)))


def test_iteration_semantics(m):
    check(*fn(m, "iter_then_rebind"),
          [(a, b) for a in layouts1(np.float64)[:3] for b in layouts1(np.float64, 2)[:2]])
    check(*fn(m, "iter_sees_writes"), layouts1(np.float64, writable_only=True))


# ---- in-place updates ---------------------------------------------------------------------

def test_in_place(m):
    check(*fn(m, "scale"), itertools.product(layouts1(np.float64, writable_only=True) +
                                             layouts1(np.float64, 37, writable_only=True),
                                             [2.0, -0.0]))
    check(*fn(m, "scale2"), itertools.product(layouts2(np.float64, writable_only=True), [3.0]))
    check(*fn(m, "rows_cumsum"), layouts2(np.int64, (3, 6), writable_only=True))
    check(*fn(m, "negate_b"), layouts1(np.bool_, 9, writable_only=True))
    check(*fn(m, "reverse_inplace"), layouts1(np.int64, 8, writable_only=True) +
          layouts1(np.int64, 9, writable_only=True))
    check(*fn(m, "fill_method"), itertools.product(layouts1(np.float64, writable_only=True),
                                                   [NAN, -0.0]))
    check(*fn(m, "fill_method_i"), itertools.product(layouts2(np.int64, writable_only=True),
                                                     [I64_MIN]))
    check(*fn(m, "fill_method_b"), itertools.product(layouts1(np.bool_, writable_only=True),
                                                     [0.0, 0.25]))


def _overlap(n, lo_in, lo_out, length):
    def mk():
        r = np.zeros(n)
        r[::3] = np.arange(len(r[::3]), dtype=np.float64)
        return r, r
    return mk, (lo_in, lo_out, length)


@pytest.mark.parametrize("name", ["shift_add", "shift_add_c", "double_into"])
def test_overlapping_arguments_are_sequential(m, name):
    # out[i] = f(a[i]) with a and out views of one buffer: each iteration
    # sees the writes of the ones before, exactly as the Python loop does
    kf, pf = fn(m, name)
    for n, lo_in, lo_out, length in [(70, 0, 1, 69), (70, 1, 0, 69), (70, 0, 4, 66),
                                     (70, 4, 0, 66), (70, 0, 0, 70), (9, 0, 1, 8), (70, 0, 2, 40)]:
        ks, ps = [], []
        for out in (ks, ps):
            r = np.zeros(n)
            r[::3] = np.arange(len(r[::3]), dtype=np.float64)
            out.append(r)
        kf(ks[0][lo_in:lo_in + length], ks[0][lo_out:lo_out + length])
        pf(ps[0][lo_in:lo_in + length], ps[0][lo_out:lo_out + length])
        assert ks[0].tolist() == ps[0].tolist(), (name, n, lo_in, lo_out, length)


def test_writes_into_zero_stride_view(m):
    # a writable view with stride 0: every a[i] is one element
    r = np.array([1.0, 100.0])
    v = np.lib.stride_tricks.as_strided(r, (50,), (0,), writeable=True)
    m.k.scale(v, 1.5)
    assert r.tolist() == [1.5 ** 50, 100.0]
    r = np.array([1.0, 100.0])
    v = np.lib.stride_tricks.as_strided(r, (60,), (0,), writeable=True)
    m.k.shift_add(v, v)
    assert r.tolist() == [61.0, 100.0]


# ---- creation ------------------------------------------------------------------------------

SIZES = [0, 1, 2, 5, 64, 1000]


def check_fresh(kf, *args):
    """A created array is a writable numpy.ndarray that owns its memory
    region: writing it leaves other results alone."""
    r = kf(*args)
    rs = r if isinstance(r, tuple) else (r,)
    for a in rs:
        if isinstance(a, np.ndarray):
            assert type(a) is np.ndarray and a.flags.writeable and a.flags.c_contiguous, a.flags
            if a.size:
                a.reshape(-1)[0] = 1  # writable for real (never a read-only buffer)


@pytest.mark.parametrize("name", ["mk_zeros", "mk_zeros_int", "mk_zeros_bool",
                                  "mk_zeros_np_float64", "mk_zeros_str_int64",
                                  "mk_zeros_positional_dtype", "mk_ones", "mk_ones_bool",
                                  "mk_ones_str_float", "mk_arange1", "mk_arange_dtype",
                                  "mk_filled_later", "via_helper_return"])
def test_create_1_arg(m, name):
    check(*fn(m, name), SIZES + [-1, -(2**62)])
    check_fresh(getattr(m.k, name), 7)


@pytest.mark.parametrize("name", ["mk_zeros2", "mk_ones2_int", "mk_negative_2d"])
def test_create_2_args(m, name):
    if name == "mk_negative_2d":
        check(*fn(m, name), [0, 3, -1, -5])
        return
    check(*fn(m, name), itertools.product([0, 1, 3, 50], [0, 2, 7, -1]))
    check_fresh(getattr(m.k, name), 3, 4)


def test_create_3d(m):
    check(*fn(m, "mk_zeros3"), itertools.product([0, 2], [3, 0], [4, -2]))


def test_create_shape_too_big(m):
    # NumPy: ValueError "array is too big; ..." when the byte count overflows
    check(*fn(m, "mk_zeros2"), [(2**62, 0), (0, 2**62), (2**31, 2**31)])
    check(*fn(m, "mk_zeros"), [(2**61,), (2**62,), (I64_MAX,)])
    check(*fn(m, "mk_zeros3"), [(2**62, 2**62, 0), (0, 2**40, 2**40)])


def test_create_empty(m):
    # np.empty: shape and dtype only, values are whatever was in memory
    for name, args, dtype, shape in [("mk_empty", (5,), "float64", (5,)),
                                     ("mk_empty", (0,), "float64", (0,)),
                                     ("mk_empty2", (2, 3), "int64", (2, 3)),
                                     ("mk_empty_b", (4,), "bool", (4,))]:
        r = getattr(m.k, name)(*args)
        assert type(r) is np.ndarray and r.dtype == dtype and r.shape == shape
        assert r.flags.writeable and r.flags.c_contiguous
        check_fresh(getattr(m.k, name), *args)
    for name, args in [("mk_empty", (-1,)), ("mk_empty2", (3, -1))]:
        check(*fn(m, name), [args])
    a = np.ones((3, 2), dtype=np.int64)
    r = m.k.mk_empty_like(a)
    assert r.dtype == np.int64 and r.shape == (3, 2) and not np.shares_memory(r, a)
    r = m.k.mk_empty_like_dtype(a)
    assert r.dtype == np.float64 and r.shape == (3, 2)
    r = m.k.mk_empty_like(np.asfortranarray(np.ones((0, 4), dtype=np.int64)))
    assert r.shape == (0, 4)


def test_create_dtype_of(m):
    check(*fn(m, "mk_zeros_dtype_of"), itertools.product(layouts1(np.int64)[:2], [0, 3]))


BOOL_SHAPE_SRC = """
import numpy as np


def mk(n: int, b: bool):
    return np.zeros((n, b))
"""


def test_create_bool_in_shape_is_refused(kiln, tmp_path):
    # NumPy refuses a bool as an extent (TypeError 'an integer is required',
    # or for np.zeros(True) 'expected a sequence of integers or a single
    # integer'); Kiln must not quietly make a (3, 1) or (3, 0) array of it.
    # Either a compile-time error at the shape, or NumPy's TypeError.
    src = tmp_path / "boolshape.py"
    src.write_text(BOOL_SHAPE_SRC)
    out = tmp_path / "boolshape.abi3.so"
    proc = run_kiln(kiln, "compile", src, "-o", out)
    if proc.returncode != 0:
        assert proc.returncode == 1 and f"{src}:6:" in proc.stderr, proc.stderr
        return
    mod = _load_extension(out, "boolshape")
    for n, flag in [(3, True), (0, False)]:
        with pytest.raises(TypeError):
            r = mod.mk(n, flag)
            pytest.fail(f"np.zeros(({n}, {flag})) gave an array of shape {r.shape}")


@pytest.mark.parametrize("name,vals", [
    ("mk_full", [0.5, -0.0, NAN, INF]), ("mk_full_int", [0, -3, I64_MIN]),
    ("mk_full_bool", [True, False]), ("mk_full_dtype", [2.75, -2.75, -0.0]),
    ("mk_full_kw", [3, -(2**62)])])
def test_full(m, name, vals):
    check(*fn(m, name), itertools.product([0, 1, 6, -1], vals))
    check_fresh(getattr(m.k, name), 3, vals[0])


def test_full_2d(m):
    check(*fn(m, "mk_full2"), itertools.product([0, 2], [3, 0, -1], [1.5, NAN]))
    check(*fn(m, "mk_full_bool_dtype"), itertools.product([0, 3], [0.0, 2.0, NAN]))


@pytest.mark.parametrize("name,lays", [
    ("mk_zeros_like", lambda: layouts2(np.float64)), ("mk_zeros_like_i", lambda: layouts1(np.int64)),
    ("mk_zeros_like_b", lambda: layouts1(np.bool_)), ("mk_ones_like", lambda: layouts1(np.float64)),
    ("mk_ones_like_b", lambda: layouts2(np.bool_)),
    ("mk_ones_like_dtype", lambda: layouts1(np.float64)),
    ("mk_copy", lambda: layouts2(np.float64)), ("mk_copy_b", lambda: layouts1(np.bool_)),
    ("mk_copy_method", lambda: layouts1(np.int64)),
    ("mk_astype_bool", lambda: layouts2(np.float64)),
    ("mk_astype_float", lambda: layouts1(np.int64)),
    ("mk_astype_from_bool", lambda: layouts1(np.bool_)),
    ("mk_astype_same", lambda: layouts1(np.float64)),
    ("copy_is_independent", lambda: layouts1(np.float64, writable_only=True)[:5])])
def test_like_copy_astype(m, name, lays):
    check(*fn(m, name), lays())
    a, _ = lays()[0].make()
    r = getattr(m.k, name)(a)
    if isinstance(r, np.ndarray):
        assert not np.shares_memory(r, a)
        check_fresh(getattr(m.k, name), a)


def test_astype_int(m):
    # float -> int truncates toward zero (finite values; NaN is a documented ValueError)
    a = np.array([2.9, -2.9, -0.0, 1e18, -1e18, 0.5])
    check(*fn(m, "mk_astype_int"), [Layout("C", lambda: (a.copy(), a)),
                                    Layout("neg", lambda: (a.copy()[::-1], a))])


@pytest.mark.parametrize("name,vals", [("mk_full_like", [0.25, NAN]),
                                       ("mk_full_like_i", [7.9, -7.9, 0.0]),
                                       ("mk_full_like_b", [0, 3]),
                                       ("mk_full_like_dtype", [1.5])])
def test_full_like(m, name, vals):
    dtype = {"mk_full_like": np.float64, "mk_full_like_b": np.bool_}.get(name, np.int64)
    lays = layouts2(dtype) if name == "mk_full_like_i" else layouts1(dtype)
    check(*fn(m, name), itertools.product(lays, vals))


def test_arange_int(m):
    check(*fn(m, "mk_arange1"), [0, 1, 10, -3])
    check(*fn(m, "mk_arange2"), itertools.product([-5, 0, 3], [-5, 0, 3, 10]))
    check(*fn(m, "mk_arange3"), itertools.product([-7, 0, 5], [-7, 0, 5, 20], [1, 2, 3, -1, -4]))
    check(*fn(m, "mk_arange3"), [(0, 5, 0), (5, 0, 0)])  # ZeroDivisionError
    check(*fn(m, "mk_arange3"), [(I64_MAX - 3, I64_MAX, 1), (I64_MIN, I64_MIN + 3, 2)])


def test_arange_float(m):
    # NumPy's values: start + i * delta with delta = (start + step) - start
    check(*fn(m, "mk_arange_f1"), [0.0, 0.5, 3.0, 3.5, -1.0, 10.25])
    check(*fn(m, "mk_arange_f3"), [(0.0, 1.0, 0.1), (1.0, 2.0, 0.1), (0.5, -3.0, -0.7),
                                   (-1.0, 1.0, 0.25), (1e16, 1e16 + 64, 3.0), (0.1, 0.9, 0.1),
                                   (5.0, 1.0, 1.0), (0.0, 1.0, -0.5), (2.0, 2.0, 0.5)])
    check(*fn(m, "mk_arange_f3"), [(0.0, 1.0, 0.0), (0.0, 1.0, -0.0)])  # ZeroDivisionError
    check(*fn(m, "mk_arange_mixed"), [(0, 2.5), (3, -1.0), (-2, 0.1)])


def test_arange_impossible_lengths(m):
    # lengths that cannot be had: NumPy's ValueError ("Maximum allowed size
    # exceeded", "arange: cannot compute length", "array is too big"); the
    # class must match, the wording may be Kiln's own
    bad = []
    for f, args in [(m.k.mk_arange3, (I64_MIN, I64_MAX, 1)), (m.k.mk_arange3, (0, 2**62, 1)),
                    (m.k.mk_arange2, (I64_MIN, I64_MAX)),
                    (m.k.mk_arange_f3, (0.0, INF, 1.0)), (m.k.mk_arange_f3, (0.0, NAN, 1.0)),
                    (m.k.mk_arange_f3, (0.0, 1e300, 1e-300)), (m.k.mk_arange_f1, (INF,))]:
        try:
            r = f(*args)
            bad.append((f.__name__, args, f"no error: {r!r}"))
        except ValueError:
            pass
        except Exception as e:  # noqa: BLE001
            bad.append((f.__name__, args, repr(e)))
    assert not bad, "\n".join(f"{n}{a}: {e}, expected ValueError" for n, a, e in bad)


def test_linspace(m):
    cases = list(itertools.product([0.0, -1.5, 1e10], [1.0, -7.25, 0.0], [0, 1, 2, 5, 50]))
    check(*fn(m, "mk_linspace"), cases)
    check(*fn(m, "mk_linspace_noend"), cases)
    check(*fn(m, "mk_linspace"), [(0.0, INF, 3), (0.0, 1.0, 1), (2.0, 2.0, 4)])
    check(*fn(m, "mk_linspace_kw"), [(0, 10, 11), (3, -3, 4)])
    check(*fn(m, "mk_linspace_default"), [()])


def test_linspace_negative_num(m):
    # NumPy: ValueError "Number of samples, -1, must be non-negative."
    check(*fn(m, "mk_linspace"), [(0.0, 1.0, -1), (0.0, 1.0, -100)])


def test_np_array(m):
    check(*fn(m, "mk_array_f"), [(1.0, -0.0, NAN), (INF, 0.5, 2.0)])
    check(*fn(m, "mk_array_i"), [(1, 2), (I64_MAX, 0)])
    check(*fn(m, "mk_array_b"), [True, False])
    check(*fn(m, "mk_array_mixed"), [(1, 2.5), (2**53 + 1, -0.0)])
    check(*fn(m, "mk_array_bool_int"), [(True, 5), (False, -1)])
    check(*fn(m, "mk_array_tuple"), [0, -9])
    check(*fn(m, "mk_array_empty"), [()])
    check(*fn(m, "mk_array_dtype"), [(1, 2**60 + 1)])
    check_fresh(m.k.mk_array_f, 1.0, 2.0, 3.0)


def test_negative_dimensions(m):
    for f, args in [(m.k.mk_zeros, (-1,)), (m.k.mk_zeros2, (3, -1)), (m.k.mk_full, (-2, 1.0)),
                    (m.k.mk_empty, (-(2**63),)), (m.k.mk_zeros3, (0, 0, -1))]:
        with pytest.raises(ValueError) as e:
            f(*args)
        assert str(e.value) == "negative dimensions are not allowed"


# ---- helpers, locals, results ------------------------------------------------------------

def test_helpers(m):
    check(*fn(m, "via_helper_sum"), layouts2(np.float64))
    check(*fn(m, "via_helper_make"), [0, 1, 9])
    check(*fn(m, "helper_view_write"), layouts2(np.int64, writable_only=True))
    check(*fn(m, "helper_writes"), itertools.product(layouts1(np.int64, writable_only=True),
                                                     [0, -1, 7]))


def test_results(m):
    check(*fn(m, "return_param"), layouts1(np.float64))
    check(*fn(m, "return_param_tuple"), itertools.product(layouts1(np.float64)[:4],
                                                          layouts2(np.int64)[:4]))
    check(*fn(m, "return_two_fresh"), [0, 3])
    check(*fn(m, "return_same_twice"), [0, 4])
    check(*fn(m, "return_row_of_local"), [0, 1, 5])
    check(*fn(m, "choose"), itertools.product(layouts1(np.float64)[:3], [True, False]))
    check(*fn(m, "local_swap"), [1, 4])
    check(*fn(m, "many_allocs"), [(1, 0), (3, 5), (1000, 50)])


def test_returned_param_shares_memory(m):
    a = np.arange(5.0)
    r = m.k.return_param(a)
    assert type(r) is np.ndarray and np.shares_memory(r, a) and r.flags.writeable
    r[0] = 9.0
    assert a[0] == 9.0
    v = a[::-2]
    r = m.k.return_param(v)
    assert r.strides == v.strides and r.tolist() == v.tolist() and np.shares_memory(r, a)
    b = np.zeros((2, 3), dtype=np.int64)
    rb, n, ra = m.k.return_param_tuple(a, b)
    assert n == 5 and np.shares_memory(rb, b) and np.shares_memory(ra, a)
    x, y = m.k.return_same_twice(3)
    x[1] = 5.0
    assert y[1] == 5.0  # one array, returned twice


def test_fresh_results_are_independent(m):
    x, y = m.k.return_two_fresh(4)
    assert x.dtype == np.int64 and y.shape == (2, 4) and not np.shares_memory(x, y)
    r = m.k.return_row_of_local(3)
    assert r.tolist() == [1.0, 2.0, 3.0] and r.flags.writeable
    r2 = m.k.return_row_of_local(3)
    assert not np.shares_memory(r, r2)
    r[:] = 0
    assert r2.tolist() == [1.0, 2.0, 3.0]


def test_exceptions_after_allocation(m):
    check(*fn(m, "alloc_then_raise"), [0, 3, 4, 100])
    check(*fn(m, "index_error_after_alloc"), [0, 5])


def test_index_errors_exact(m):
    # NumPy's message, the index as written, the axis it was for
    cases = [(m.k.oob_read, (np.arange(5.0), 5), "index 5 is out of bounds for axis 0 with size 5"),
             (m.k.oob_read, (np.arange(5.0), -6), "index -6 is out of bounds for axis 0 with size 5"),
             (m.k.oob_read, (np.arange(5.0), 10**12),
              "index 1000000000000 is out of bounds for axis 0 with size 5"),
             (m.k.oob_read, (np.arange(1.0), I64_MIN),
              f"index {I64_MIN} is out of bounds for axis 0 with size 1"),
             (m.k.oob_read, (np.arange(0.0), 0), "index 0 is out of bounds for axis 0 with size 0"),
             (m.k.oob_write, (np.zeros((2, 3), dtype=np.int64), 1, 3),
              "index 3 is out of bounds for axis 1 with size 3"),
             (m.k.oob_write, (np.zeros((2, 3), dtype=np.int64), -3, 9),
              "index -3 is out of bounds for axis 0 with size 2"),
             (m.k.oob_row, (np.zeros((2, 3)), 2), "index 2 is out of bounds for axis 0 with size 2")]
    for f, args, msg in cases:
        with pytest.raises(IndexError) as e:
            f(*args)
        assert str(e.value) == msg, (f.__name__, args)
    # nothing written on the failing path
    a = np.zeros((2, 3), dtype=np.int64)
    with pytest.raises(IndexError):
        m.k.oob_write(a, 0, -4)
    assert not a.any()


# ---- --unchecked ---------------------------------------------------------------------------

def test_unchecked_same_results_on_valid_inputs(m, mu):
    valid1 = [0, 3, 6, -1, -7]
    valid2 = [0, 3, -1, -4]
    for name, dtype in [("get_f", np.float64), ("get_i", np.int64), ("get_b", np.bool_)]:
        check(getattr(mu.k, name), getattr(m.py, name),
              itertools.product(layouts1(dtype)[:-3] + layouts1(dtype)[-1:], valid1))
    check(mu.k.get2_f, m.py.get2_f, itertools.product(layouts2(np.float64)[:6], valid2,
                                                      [0, 4, -5]))
    check(mu.k.set2_i, m.py.set2_i, itertools.product(layouts2(np.int64, writable_only=True)[:6],
                                                      valid2, [0, -5], [7]))
    check(mu.k.row_of, m.py.row_of, itertools.product(layouts2(np.float64)[:6], valid2))
    check(mu.k.aug_f, m.py.aug_f, itertools.product(layouts1(np.float64, writable_only=True)[:5],
                                                    valid1, [1.5]))
    for name in ["total", "weighted", "via_helper_sum", "scale", "total2_index"]:
        lays = layouts2(np.float64) if name in ("via_helper_sum", "total2_index") else \
            layouts1(np.float64, writable_only=(name == "scale"))
        args = [(x, 2.0) for x in lays] if name == "scale" else lays
        check(getattr(mu.k, name), getattr(m.py, name), args)
    check(mu.k.mk_arange3, m.py.mk_arange3, [(0, 10, 3), (5, -5, -2)])
    check(mu.k.mk_linspace, m.py.mk_linspace, [(0.0, 1.0, 7)])
    # no check on a bad index: nothing is raised (what is read is unspecified)
    mu.k.get_f(np.arange(5.0), 1)


def test_zip(m):
    # zip stops at the shorter array, as Python's zip does.
    check(*fn(m, "zip_dot"), [(a, b) for a in layouts1(np.float64)[:4]
                              for b in layouts1(np.float64, 5)[:3]])
    check(*fn(m, "zip_rows"), [(a, b) for a in layouts2(np.int64, (3, 4))
                               for b in layouts1(np.float64, 2)[:2]])


def test_eye_identity(m):
    check(*fn(m, "mk_eye"), [(n, k) for n in (0, 1, 3) for k in (0, 2, 3, 5)])

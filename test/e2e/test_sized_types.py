"""NumPy's sized element types (int8 ... uint64, float32): every function
below is compiled once per element type and compared with NumPy running the
same source, under NumPy 2's promotion rules (NEP 50: NumPy 1.24 has them
behind np._set_promotion_state("weak")). Results compare by dtype, shape and
value (NaN equal to NaN); exceptions by type and message."""
import contextlib
import warnings

import numpy as np
import pytest

DTYPES = ["int8", "int16", "int32", "uint8", "uint16", "uint32", "uint64", "float32"]

TEMPLATE = '''
import numpy as np
from kiln.types import DT, int8, int64, float64


def elementwise(a: DT[:], b: DT[:]):
    return (a + b, a - b, a * b, a // b, a % b, a / b, -a, a == b, a < b, a >= b,
            np.maximum(a, b), np.minimum(a, b), np.abs(a), a ** 2)


def with_python_scalars(a: DT[:], s: int, x: float):
    return a + s, a * 2, a - 1, a * x, a / 2, a > s, np.where(a > s, a, a // 2), 3 - a


def with_int64_and_float64(a: DT[:], i: int64[:], f: float64[:]):
    return a + i, a * f, a < i, np.maximum(a, f)


def scalar_loop(a: DT[:]):
    s = a[0]
    for i in range(1, a.shape[0]):
        s = s * 3 + a[i]
    t = s - a[a.shape[0] - 1]
    return s, t, s > t, s == a[0]


def reductions(a: DT[:]):
    return a.sum(), a.max(), a.min(), a.argmax(), np.argmin(a), a.prod(), np.mean(a)


def reductions_axis(m: DT[:, :]):
    return m.sum(axis=0), m.max(axis=1), np.cumsum(m, axis=1)


def creation(n: int):
    z = np.zeros(n, dtype=np.DT)
    o = np.ones((2, n), dtype="DT")
    f = np.full(n, 7, dtype=np.DT)
    r = np.arange(n).astype(np.DT)
    return z, o, f, r, np.empty_like(z).shape


def stores(a: DT[:], b: DT[:], v: int):
    out = np.empty_like(a)
    out[:] = b
    out[0] = v
    out[1:] += a[1:]
    return out


def conversions(a: DT[:], f: float64[:]):
    g = np.clip(f, -100.0, 100.0)
    return a.astype(np.float64), a.astype(np.int64), g.astype(np.DT), np.DT(5), a.copy()


def sorted_(a: DT[:]):
    return np.sort(a)


def scalar_params(x: DT, y: DT, s: int):
    return x + y, x * s, x // y if y != 0 else x, np.DT(s), x < y


def products(a: DT[:, :], b: DT[:, :], v: DT[:]):
    return a @ b, a @ v, np.dot(v, v)


def in_place(a: DT[:], b: DT[:], c: int8[:]):
    x = a.copy()
    x += b
    x *= 3
    x -= 1
    y = a.astype(np.float64)
    y -= a
    z = a.astype(np.int64)
    z += c
    return x, y, z


def layouts(m: DT[:, :]):
    s = np.DT(0)
    for i in range(m.shape[0]):
        for j in range(m.shape[1]):
            s += m[i, j]
    return m * 2 + 1, m.sum(axis=0), m[::-1, 1:].copy(), m.T @ m, s, m.max(axis=1)


def element_access(a: DT[:, :], i: int, j: int):
    x = a[i, j]
    a[j, i] = x
    return x, a[i], a
'''

FLOAT_ONLY = '''

def math(a: DT[:]):
    return np.sqrt(a), np.exp(a), np.floor(a), np.sin(a), np.isnan(a), a ** 0.5
'''


def src_for(dt):
    return TEMPLATE.replace("DT", dt) + (FLOAT_ONLY.replace("DT", dt) if dt == "float32" else "")


@contextlib.contextmanager
def numpy2_rules():
    """NumPy 2's promotion (NEP 50); NumPy's warnings silenced."""
    old = None
    if hasattr(np, "_get_promotion_state"):
        old = np._get_promotion_state()
        np._set_promotion_state("weak")
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            yield
    finally:
        if old is not None:
            np._set_promotion_state(old)


def outcome(f, *args):
    args = [a.copy() if isinstance(a, np.ndarray) else a for a in args]
    try:
        return ("ok", f(*args))
    except Exception as e:  # noqa: BLE001 - every exception is compared
        return ("err", type(e).__name__, str(e))


def same(got, want, where=""):
    if isinstance(want, tuple):
        assert isinstance(got, tuple) and len(got) == len(want), where
        for k, (g, w) in enumerate(zip(got, want)):
            same(g, w, f"{where}[{k}]")
        return
    if isinstance(want, np.generic) and want.dtype in (np.int64, np.float64, np.bool_):
        # Documented deviation: Kiln's int64, float64 and bool results are
        # Python's int, float and bool.
        want = want.item()
    if isinstance(want, (np.ndarray, np.generic)):
        g, w = np.asarray(got), np.asarray(want)
        assert type(got) is type(want) or isinstance(want, np.ndarray), \
            f"{where}: {type(got)} vs {type(want)}"
        assert g.dtype == w.dtype, f"{where}: dtype {g.dtype} vs {w.dtype}"
        assert g.shape == w.shape, f"{where}: shape {g.shape} vs {w.shape}"
        np.testing.assert_array_equal(g, w, err_msg=where)
        return
    assert type(got) is type(want) and (got == want or got != got and want != want), \
        f"{where}: {got!r} vs {want!r}"


def check(mod, name, *args):
    with numpy2_rules():
        want = outcome(getattr(mod.py, name), *args)
        got = outcome(getattr(mod.k, name), *args)
    assert got[0] == want[0], f"{name}: {got} vs {want}"
    if want[0] == "err":
        assert got[1:] == want[1:], name
    else:
        same(got[1], want[1], name)


def values(dt, n, rng):
    """Random values of dt with its extremes, zero and one mixed in."""
    t = np.dtype(dt)
    if t.kind == "f":
        v = rng.standard_normal(n).astype(dt) * 10
        edge = np.array([0.0, -0.0, 1.0, -1.5, np.inf, -np.inf, np.nan, 3.5e38], dtype=dt)
    else:
        info = np.iinfo(t)
        v = rng.integers(info.min, info.max, size=n, dtype=dt, endpoint=True)
        edge = np.array([info.min, info.max, 0, 1, info.max - 1, 2], dtype=dt)
    k = min(n, len(edge))
    v[:k] = edge[:k]
    rng.shuffle(v)
    return v


@pytest.fixture(scope="module", params=DTYPES)
def mod(request, compile_module):
    dt = request.param
    m = compile_module(src_for(dt), f"sized_{dt}", options=("-O2",))
    m.dt = dt
    return m


@pytest.mark.parametrize("seed", range(4))
def test_elementwise(mod, seed):
    rng = np.random.default_rng(seed)
    n = [1, 7, 33, 200][seed]
    a, b = values(mod.dt, n, rng), values(mod.dt, n, rng)
    b[::3] = 0  # division by zero: NumPy's 0 / inf / nan
    check(mod, "elementwise", a, b)


@pytest.mark.parametrize("s,x", [(0, 0.5), (1, -2.25), (100, 1e10), (-1, 3.0), (300, 0.1),
                                 (-129, -0.0), (2**40, 7.0)])
def test_python_scalars_are_weak(mod, s, x):
    a = values(mod.dt, 20, np.random.default_rng(s & 0xffff))
    check(mod, "with_python_scalars", a, s, x)


def test_promotion_with_int64_and_float64_arrays(mod):
    rng = np.random.default_rng(5)
    a = values(mod.dt, 40, rng)
    i = rng.integers(-2**62, 2**62, 40)
    f = rng.standard_normal(40) * 1e3
    check(mod, "with_int64_and_float64", a, i, f)


@pytest.mark.parametrize("n", [1, 2, 5, 50])
def test_scalar_loop_wraps_as_numpy(mod, n):
    check(mod, "scalar_loop", values(mod.dt, n, np.random.default_rng(n)))


@pytest.mark.parametrize("n", [1, 3, 100])
def test_reductions(mod, n):
    a = values(mod.dt, n, np.random.default_rng(n))
    if mod.dt == "float32":
        a = np.nan_to_num(a, nan=1.0, posinf=2.0, neginf=-2.0)  # sums of inf - inf
        a = np.floor(a % 4).astype(np.float32)  # small integers: sums exact in any order
    check(mod, "reductions", a)
    m = values(mod.dt, 4 * n, np.random.default_rng(n + 1)).reshape(4, n)
    if mod.dt == "float32":
        m = np.floor(np.nan_to_num(m, nan=1.0, posinf=2.0, neginf=-2.0) % 4).astype(np.float32)
    check(mod, "reductions_axis", m)


@pytest.mark.parametrize("n", [0, 1, 9])
def test_creation(mod, n):
    check(mod, "creation", n)


@pytest.mark.parametrize("v", [0, 5, -1, 127, 255, 70000, 2**31, -2**40])
def test_stores_check_python_ints(mod, v):
    rng = np.random.default_rng(v & 0xff)
    check(mod, "stores", values(mod.dt, 12, rng), values(mod.dt, 12, rng), v)


def test_conversions(mod):
    rng = np.random.default_rng(11)
    a = values(mod.dt, 30, rng)
    f = rng.standard_normal(30) * 50
    f[:3] = [0.0, -0.5, 99.9]
    if np.dtype(mod.dt).kind == "u":
        f = np.abs(f)  # negative floats into unsigned types: NumPy's result is undefined
    if mod.dt == "int8" or mod.dt == "uint8":
        f = np.clip(f, -100, 100)
    if mod.dt == "float32":
        # Documented deviation: NaN and infinities into an int64 raise
        # (NumPy stores an undefined value); test_float_to_int_raises.
        a = np.nan_to_num(a, nan=0.0, posinf=1.0, neginf=-1.0)
    check(mod, "conversions", a, f)


def test_float_to_int_raises(f32):
    a = np.array([1.0, np.nan], np.float32)
    with pytest.raises(ValueError, match="cannot convert float NaN to integer"):
        f32.k.conversions(a, np.zeros(2))
    with pytest.raises(OverflowError, match="cannot convert float infinity to integer"):
        f32.k.conversions(np.array([np.inf], np.float32), np.zeros(1))


def test_sort(mod):
    check(mod, "sorted_", values(mod.dt, 64, np.random.default_rng(2)))


@pytest.mark.parametrize("seed", range(3))
def test_scalar_parameters_and_results(mod, seed):
    v = values(mod.dt, 3, np.random.default_rng(seed))
    for s in (0, 3, -2, 200):
        check(mod, "scalar_params", v[0], v[1], s)
    # Python ints as arguments: the type's range is checked, in NumPy's words.
    if np.dtype(mod.dt).kind != "f":
        big = int(np.iinfo(mod.dt).max) + 1
        with pytest.raises(OverflowError, match=f"argument 'x': Python integer {big} out of "
                                                f"bounds for {mod.dt}"):
            mod.k.scalar_params(big, 0, 0)


def test_products(mod):
    rng = np.random.default_rng(4)
    a = values(mod.dt, 12, rng).reshape(3, 4)
    b = values(mod.dt, 20, rng).reshape(4, 5)
    v = values(mod.dt, 4, rng)
    if mod.dt == "float32":
        a, b, v = (np.round(np.nan_to_num(x, nan=1, posinf=2, neginf=-2) % 8) for x in (a, b, v))
    check(mod, "products", a, b, v)


def test_in_place_keeps_the_type(mod):
    rng = np.random.default_rng(6)
    a = values(mod.dt, 16, rng)
    if mod.dt == "float32":  # NaN into int64 raises (documented deviation)
        a = np.nan_to_num(a, nan=0.0, posinf=1.0, neginf=-1.0)
    check(mod, "in_place", a, values(mod.dt, 16, rng), values("int8", 16, rng))


def test_in_place_refuses_another_kind(kiln, tmp_path):
    # NumPy's same_kind rule: uint8 -= int64 would need a signed result.
    from conftest import run_kiln
    src = tmp_path / "same_kind.py"
    src.write_text("from kiln.types import uint8, int64, int16, float32\n\n"
                   "def f(a: uint8[:], c: int64[:], d: int16[:], e: float32[:]):\n"
                   "    a -= c\n"
                   "    d += c\n"
                   "    e *= c\n"
                   "    d += e\n")
    r = run_kiln(kiln, "compile", src, "-o", tmp_path / "same_kind.abi3.so")
    assert r.returncode == 1
    assert "same_kind.py:4:5: error: expected a result that fits the uint8 array" in r.stderr
    assert "same_kind.py:7:5: error: expected a result that fits the int16 array" in r.stderr
    assert ":5:5:" not in r.stderr and ":6:5:" not in r.stderr  # within a kind


@pytest.mark.parametrize("layout", ["C", "F", "strided", "negative", "broadcast"])
def test_layouts(mod, layout):
    base = values(mod.dt, 60, np.random.default_rng(13)).reshape(6, 10)
    if mod.dt == "float32":
        base = np.floor(np.nan_to_num(base, nan=1, posinf=2, neginf=-2) % 8)
    m = {"C": base[:4, :5].copy(), "F": np.asfortranarray(base[:4, :5]),
         "strided": base[::2, ::2][:, :5], "negative": base[::-1, ::-2][:4],
         "broadcast": np.broadcast_to(base[0, :5], (4, 5))}[layout]
    check(mod, "layouts", m)


@pytest.mark.parametrize("i,j", [(0, 0), (1, 2), (-1, -3), (3, 0), (0, 4)])
def test_element_access(mod, i, j):
    a = values(mod.dt, 12, np.random.default_rng(3)).reshape(3, 4)
    check(mod, "element_access", a, i, j)


@pytest.fixture(scope="module")
def f32(compile_module):
    m = compile_module(src_for("float32"), "sized_float32", options=("-O2",))
    m.dt = "float32"
    return m


def test_float32_math_functions(f32):
    a = values("float32", 64, np.random.default_rng(9))
    with numpy2_rules():
        got, want = f32.k.math(a), f32.py.math(a)
    for k, (g, w) in enumerate(zip(got, want)):
        assert g.dtype == w.dtype, k
        if g.dtype == np.bool_:
            np.testing.assert_array_equal(g, w)
            continue
        # libm in float64, rounded once, against NumPy's float32 kernels:
        # equal within one float32 ulp.
        np.testing.assert_array_equal(np.isnan(g), np.isnan(w))
        ok = ~np.isnan(w)
        np.testing.assert_array_max_ulp(g[ok], w[ok], maxulp=1)


def test_arguments_are_checked(mod):
    wrong = np.zeros(3, np.float64 if mod.dt != "float64" else np.float32)
    with pytest.raises(TypeError, match=f"expected ndarray\\[{mod.dt}, ndim=1\\]"):
        mod.k.sorted_(wrong)


def test_float32_sums_keep_their_digits(f32):
    # A million float32 values: accumulated in float64 and rounded once, the
    # sum is within an ulp of the exact one (a float32 running sum is not).
    x = np.random.default_rng(1).standard_normal(1 << 20).astype(np.float32)
    exact = np.sum(x.astype(np.float64))
    with numpy2_rules():
        got = f32.k.reductions(x)[0]
    assert type(got) is np.float32
    assert got == np.float32(exact)


def test_uint64_beyond_int64_is_never_wrapped(compile_module):
    # Kiln's int is 64-bit: a uint64 index or int() from 2**63 up raises
    # (documented deviation 1) instead of wrapping to a negative number.
    m = compile_module("from kiln.types import uint64, float64\n\n"
                       "def pick(a: float64[:], u: uint64[:]):\n"
                       "    return a[u[0]], int(u[1])\n", "u64_index")
    a = np.arange(5.0)
    assert m.k.pick(a, np.array([3, 2**63 - 1], np.uint64)) == (3.0, 2**63 - 1)
    for v in ([2**64 - 1, 1], [1, 2**63]):
        with pytest.raises(OverflowError, match="does not fit in int64"):
            m.k.pick(a, np.array(v, np.uint64))


@pytest.mark.parametrize("dt", ["int8", "int16", "int32"])
def test_float_to_int_at_the_lower_edge(compile_module, dt):
    # What truncates to the type's minimum fits; just below it does not.
    m = compile_module(f"import numpy as np\nfrom kiln.types import float64\n\n"
                       f"def conv(f: float64[:]):\n    return f.astype(np.{dt})\n", f"edge_{dt}")
    lo = float(np.iinfo(dt).min)
    got = m.k.conv(np.array([lo, lo - 0.5, -lo - 1, -lo - 0.5]))
    np.testing.assert_array_equal(got, np.array([lo, lo, -lo - 1, -lo - 1], dt))
    for bad in (lo - 1.0, -lo):
        with pytest.raises(OverflowError, match=f"float value out of range for {dt}"):
            m.k.conv(np.array([bad]))

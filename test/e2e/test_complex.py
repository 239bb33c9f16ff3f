"""Complex numbers: Python's complex (complex128) against CPython bit for bit,
cmath against CPython's cmath (glibc's functions: within a few ulps, the
same exceptions), and complex64/complex128 arrays against NumPy under NumPy
2's promotion rules."""
import cmath
import math
import warnings

import numpy as np
import pytest

SOURCE = '''
import cmath
import numpy as np
from kiln.types import complex128, complex64, float32, float64, int64


def ops(a: complex, b: complex):
    return (a + b, a - b, a * b, a / b, -a, +a, a == b, a != b, abs(a), a.real, a.imag,
            a.conjugate(), bool(a))


def mixed(a: complex, x: float, n: int, t: bool):
    return a * x, x * a, a + n, n - a, x / a, a / x, a * t, a == x, complex(x, n), complex(n)


def power(a: complex, b: complex, n: int, x: float):
    return a ** b, a ** n, a ** x, a ** 2, a ** -1, a ** 0.5, pow(a, 3)


def literals(x: float):
    z = 2j * x + 1
    w = 1 - 0.5j
    z += w
    z *= 1j
    return z, w.imag, (3 + 4j).conjugate()


def cm(z: complex):
    return (cmath.sqrt(z), cmath.exp(z), cmath.log(z), cmath.log10(z), cmath.sin(z),
            cmath.cos(z), cmath.tan(z), cmath.asin(z), cmath.acos(z), cmath.atan(z),
            cmath.sinh(z), cmath.cosh(z), cmath.tanh(z), cmath.asinh(z), cmath.acosh(z),
            cmath.atanh(z))


def cm_real(z: complex, r: float, phi: float):
    return (cmath.phase(z), cmath.polar(z), cmath.rect(r, phi), cmath.isnan(z),
            cmath.isinf(z), cmath.isfinite(z), cmath.sqrt(r))


def arrays(a: complex128[:], b: complex128[:], f: float64[:], s: complex):
    return (a + b, a - b, a * b, -a, a == b, a != b, np.conj(a), np.real(a),
            np.imag(a), a * f, a + 2.5, a * 2, np.multiply(a, b))


def rounded(a: complex128[:], b: complex128[:], f: float64[:], s: complex):
    return a / b, f / a, a / 2.5, np.divide(a, b), a * s


def arrays64(a: complex64[:], b: complex64[:], g: float32[:], f: float64[:]):
    return a * b, a / b, a * g, a * f, a * 1j, a + 1.5, a.real, a.imag, a == b


def reductions(a: complex128[:, :]):
    return a.sum(), a.sum(axis=0), a.prod(axis=1), np.mean(a), np.cumsum(a, axis=1)


def products(a: complex128[:, :], v: complex128[:]):
    return a @ v, np.dot(v, v), a @ a.T


def creation(n: int):
    z = np.zeros(n, dtype=np.complex128)
    o = np.ones((2, n), dtype="complex64")
    for i in range(n):
        z[i] = complex(i, -i)
    f = np.full(n, 1 - 2j)
    return z, o, f, z.astype(np.complex64), np.arange(n).astype(complex)


def views(a: complex128[:, :]):
    a.imag[0, :] = 7.0
    a.real[:, 0] += 1.0
    return a.real.sum(), a.imag * 2, a[:, ::2].real.copy(), a


def loop_sum(a: complex64[:]):
    s = 0j
    for z in a:
        s += z * z
    return s


def arr_math(a: complex128[:]):
    return (np.sqrt(a), np.exp(a), np.log(a), np.sin(a), np.isnan(a), np.isfinite(a), np.abs(a),
            np.abs(a.astype(np.complex64)))


def scalar64(z: complex64, w: complex64):
    return z * w, z + 1, z / w, abs(z), z.real
'''

VALUES = [0j, 1 + 0j, -1 + 0j, 1j, -1j, 1 + 2j, -3.5 + 0.25j, 0.5 - 4j, 1e-300 + 1e-300j,
          1e300 + 1e300j, -0.0 + 0j, complex(0.0, -0.0), complex(-0.0, -0.0), 3 + 4j,
          complex(math.inf, 1), complex(1, math.nan), complex(-math.inf, -math.inf), 2e-310 - 7j]
FINITE = [v for v in VALUES if cmath.isfinite(v)]


@pytest.fixture(scope="module")
def mod(compile_module):
    return compile_module(SOURCE, "complexes", options=("-O2",))


def outcome(f, *args):
    args = [a.copy() if isinstance(a, np.ndarray) else a for a in args]
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            return ("ok", f(*args))
    except Exception as e:  # noqa: BLE001 - every exception is compared
        return ("err", type(e).__name__, str(e))


def bits(x):
    """A float's identity: NaN equals NaN, -0.0 differs from 0.0."""
    return "nan" if x != x else repr(x)


def same_value(g, w, where, ulps=0):
    if isinstance(w, tuple):
        assert isinstance(g, tuple) and len(g) == len(w), where
        for k, (x, y) in enumerate(zip(g, w)):
            same_value(x, y, f"{where}[{k}]", ulps)
        return
    if isinstance(w, np.generic) and w.dtype in (np.float64, np.bool_, np.int64, np.complex128):
        w = w.item()  # documented deviation: Python scalars for these
    if isinstance(w, np.ndarray) or isinstance(w, np.generic):
        g2, w2 = np.asarray(g), np.asarray(w)
        assert g2.dtype == w2.dtype and g2.shape == w2.shape, f"{where}: {g2.dtype} vs {w2.dtype}"
        if ulps:
            np.testing.assert_allclose(g2, w2, rtol=ulps * np.finfo(w2.real.dtype).eps,
                                       atol=0, equal_nan=True, err_msg=where)
        else:
            np.testing.assert_array_equal(g2, w2, err_msg=where)
        return
    assert type(g) is type(w), f"{where}: {type(g)} vs {type(w)}"
    if isinstance(w, complex):
        if ulps:
            for x, y in ((g.real, w.real), (g.imag, w.imag)):
                if math.isfinite(y) and y != 0:
                    assert abs(x - y) <= ulps * abs(y) * 2.3e-16, f"{where}: {g!r} vs {w!r}"
                else:
                    assert bits(x) == bits(y) or (x == y), f"{where}: {g!r} vs {w!r}"
        else:
            assert (bits(g.real), bits(g.imag)) == (bits(w.real), bits(w.imag)), \
                f"{where}: {g!r} vs {w!r}"
    elif isinstance(w, float):
        if ulps and math.isfinite(w) and w != 0:
            assert abs(g - w) <= ulps * abs(w) * 2.3e-16, f"{where}: {g!r} vs {w!r}"
        else:
            assert bits(g) == bits(w), f"{where}: {g!r} vs {w!r}"
    else:
        assert g == w, f"{where}: {g!r} vs {w!r}"


def check(mod, name, *args, ulps=0):
    want = outcome(getattr(mod.py, name), *args)
    got = outcome(getattr(mod.k, name), *args)
    assert got[0] == want[0], f"{name}{args}: {got} vs {want}"
    if want[0] == "err":
        assert got[1:] == want[1:], f"{name}{args}"
    else:
        same_value(got[1], want[1], f"{name}{args}", ulps)


@pytest.mark.parametrize("a", VALUES)
def test_operators_as_cpython(mod, a):
    for b in VALUES:
        check(mod, "ops", a, b)


@pytest.mark.parametrize("a", VALUES)
def test_mixed_with_real_numbers(mod, a):
    for x, n, t in [(0.0, 0, False), (2.5, -3, True), (-0.0, 7, True), (math.inf, 1, False),
                    (1e-320, 2**40, True)]:
        check(mod, "mixed", a, x, n, t)


@pytest.mark.parametrize("a", VALUES)
def test_power_as_cpython(mod, a):
    for b, n, x in [(2 + 0j, 3, 0.5), (0.5 - 1j, -2, -1.5), (0j, 0, 0.0), (-1 + 0j, 100, 2.0),
                    (1j, -100, 3.25), (3 + 0j, 101, -0.0)]:
        check(mod, "power", a, b, n, x)


def test_literals(mod):
    for x in (0.0, 1.5, -2.0):
        check(mod, "literals", x)


@pytest.mark.parametrize("z", FINITE + [0.5 + 0j, 2 + 0j, -2 + 0j, 1e200 + 0j, 800 + 0j, 0.5j])
def test_cmath_functions(mod, z):
    # glibc's functions against CPython's own: a few ulps apart at most; the
    # same exception where CPython raises (log(0), exp overflow, ...). For
    # infinite and NaN arguments the special values are C99's (documented),
    # not compared here.
    check(mod, "cm", z, ulps=8)


@pytest.mark.parametrize("z", FINITE)
def test_cmath_parts(mod, z):
    for r, phi in [(1.0, 0.0), (2.0, 0.5), (0.0, 1.0), (-1.5, -2.0)]:
        check(mod, "cm_real", z, r, phi, ulps=4)


def numpy2_rules():
    if hasattr(np, "_set_promotion_state"):
        np._set_promotion_state("weak")


@pytest.fixture
def weak_promotion():
    old = np._get_promotion_state() if hasattr(np, "_get_promotion_state") else None
    numpy2_rules()
    yield
    if old is not None:
        np._set_promotion_state(old)


def cvalues(n, rng, dtype=np.complex128):
    v = (rng.standard_normal(n) + 1j * rng.standard_normal(n)) * 4
    v[: min(n, 5)] = [0j, 1j, -2 + 0j, complex(-0.0, 0.0), 3 - 4j][: min(n, 5)]
    return v.astype(dtype)


@pytest.mark.parametrize("n", [0, 1, 7, 64])
def test_complex128_arrays(mod, n, weak_promotion):
    rng = np.random.default_rng(n)
    a, b = cvalues(n, rng), cvalues(n, rng)
    b[::4] = 0  # NumPy's zero divisor: inf and nan, no exception
    f = rng.standard_normal(n)
    check(mod, "arrays", a, b, f, 1.5 - 2j)
    # NumPy's own SIMD loops (division, a product with a scalar) may use
    # fused multiply-adds: within an ulp of Kiln's, which computes NumPy's
    # formulas without them.
    check(mod, "rounded", a, b, f, 1.5 - 2j, ulps=2)


@pytest.mark.parametrize("n", [1, 9, 40])
def test_complex64_arrays(mod, n, weak_promotion):
    rng = np.random.default_rng(n + 100)
    a, b = cvalues(n, rng, np.complex64), cvalues(n, rng, np.complex64)
    check(mod, "arrays64", a, b, rng.standard_normal(n).astype(np.float32),
          rng.standard_normal(n))


def test_reductions_and_products(mod, weak_promotion):
    rng = np.random.default_rng(3)
    m = np.round(cvalues(12, rng) * 2).reshape(3, 4)  # integer parts: sums exact in any order
    check(mod, "reductions", m)
    check(mod, "products", m[:, :3].copy(), np.round(cvalues(3, rng)))


@pytest.mark.parametrize("n", [0, 1, 5])
def test_creation(mod, n, weak_promotion):
    check(mod, "creation", n)


def test_real_and_imag_are_writable_views(mod):
    a = (np.arange(12) + 1j * np.arange(12)[::-1]).reshape(3, 4)
    check(mod, "views", a)
    b = a.copy()
    mod.k.views(b)
    assert b[0, 1] == 1 + 7j  # written through the views, as NumPy does


def test_complex64_scalars_and_loops(mod, weak_promotion):
    a = cvalues(10, np.random.default_rng(8), np.complex64)
    check(mod, "loop_sum", a)
    for z, w in [(np.complex64(1 + 2j), np.complex64(3 - 1j)), (np.complex64(0.5j), np.complex64(2))]:
        check(mod, "scalar64", z, w)
    r = mod.k.scalar64(np.complex64(1 + 2j), np.complex64(1))
    assert type(r[0]) is np.complex64 and type(r[3]) is np.float32


def test_array_math_functions(mod):
    a = cvalues(30, np.random.default_rng(5))
    with np.errstate(all="ignore"):
        got, want = mod.k.arr_math(a), mod.py.arr_math(a)
    for k, (g, w) in enumerate(zip(got, want)):
        assert g.dtype == w.dtype, k
        rtol = 1e-14 if g.dtype in (np.float64, np.complex128) else 2.5e-7
        np.testing.assert_allclose(g, w, rtol=rtol, atol=1e-300, equal_nan=True, err_msg=str(k))


def test_boundary(mod):
    # complex parameters take complex, float, int and NumPy complex scalars.
    assert mod.k.ops(np.complex64(1 + 1j), 2)[0] == 3 + 1j
    assert mod.k.ops(1.5, True)[2] == 1.5 + 0j
    with pytest.raises(TypeError, match="argument 'a': expected complex"):
        mod.k.ops("1j", 1j)
    with pytest.raises(TypeError, match=r"expected ndarray\[complex128, ndim=1\], got "
                                        r"ndarray\[complex64, ndim=1\]"):
        mod.k.arrays(np.zeros(2, np.complex64), np.zeros(2, complex), np.zeros(2), 0j)
    z = mod.k.creation(3)[0]
    assert z.dtype == np.complex128 and z.flags.writeable and z.flags.c_contiguous


@pytest.mark.parametrize("body,where,what", [
    ("return a < b", "4:12", "`<`"),
    ("return a // b", "4:12", "`//`"),
    ("return float(a)", "4:18", "a real number for `float()`"),
    ("return math.sqrt(a)", "4:22", "expected `float`"),
    ("return max(a, b)", "4:16", "a real number for `max()`"),
])
def test_complex_misuse_is_a_compile_error(kiln, tmp_path, body, where, what):
    from conftest import run_kiln
    src = tmp_path / "cx.py"
    src.write_text(f"import math\n\ndef f(a: complex, b: complex):\n    {body}\n")
    r = run_kiln(kiln, "compile", src, "-o", tmp_path / "cx.abi3.so")
    assert r.returncode == 1, r.stderr
    assert f"cx.py:{where}: error:" in r.stderr and what in r.stderr, r.stderr


@pytest.mark.parametrize("body,what", [
    ("return a.max()", "`max` of complex numbers (they have no order)"),
    ("return np.argmin(a)", "`argmin` of complex numbers (they have no order)"),
    ("return np.var(a)", "`var` of complex numbers"),
    ("return np.sort(a)", "sorting complex numbers"),
    ("return np.maximum(a, a)", "no order"),
    ("return a < a", "no order"),
])
def test_complex_array_misuse_is_a_compile_error(kiln, tmp_path, body, what):
    from conftest import run_kiln
    src = tmp_path / "cxa.py"
    src.write_text("import numpy as np\nfrom kiln.types import complex128\n\n"
                   f"def f(a: complex128[:]):\n    {body}\n")
    r = run_kiln(kiln, "compile", src, "-o", tmp_path / "cxa.abi3.so")
    assert r.returncode == 1, r.stderr
    assert "cxa.py:5:" in r.stderr and what in r.stderr and "not supported by Kiln yet" in r.stderr, \
        r.stderr


def test_large_arrays_run_in_parallel_and_agree(mod, weak_promotion):
    # Above the runtime's parallel threshold: the outlined loop bodies carry
    # complex values and float32 sums.
    rng = np.random.default_rng(12)
    n = 1 << 17
    a, b = cvalues(n, rng), cvalues(n, rng)
    f = rng.standard_normal(n)
    check(mod, "arrays", a, b, f, 2 - 1j)
    m = np.round(cvalues(4 * n, rng)).reshape(4, n)
    check(mod, "reductions", m)

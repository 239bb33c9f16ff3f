"""Array statements large enough to run on several threads (more than 2**15
elements: see codegen/LowerParallel.cpp) give NumPy's results, the same bits
with 1, 2 and 4 threads, and NumPy's exceptions when an element fails on a
worker thread; `--serial` builds agree too."""
import numpy as np
import pytest

SOURCE = '''
import numpy as np
from kiln.types import float64, int64


def expr(a: float64[:, :], b: float64[:]):
    return np.sqrt(a * a + b) - np.sin(b) / 3.0


def store(out: float64[:, :], a: float64[:, :]):
    out[1:-1, :] = a[2:, :] + a[:-2, :] - 2.0 * a[1:-1, :]
    return out


def in_place(a: float64[:, :], b: float64[:, :]):
    a += b * 0.5
    return a


def row_sums(a: float64[:, :]):
    return a.sum(axis=1), np.sqrt((a * a).sum(-1)), a.max(axis=0), np.argmin(a, axis=1)


def matmul(a: float64[:, :], b: float64[:, :], v: float64[:]):
    return a @ b, a @ v


def int_pow(a: int64[:], e: int64[:]):
    return a ** e
'''


@pytest.fixture(scope="module")
def mods(compile_module):
    return (compile_module(SOURCE, "par", options=("-O2",)),
            compile_module(SOURCE, "par_serial", options=("-O2", "--serial")))


def inputs(name, rng):
    if name == "expr":
        return (rng.random((300, 257)), rng.random(257))
    if name == "store":
        return (np.zeros((400, 130)), rng.random((400, 130)))
    if name == "in_place":
        return (rng.random((300, 200)), rng.random((300, 200)))
    if name == "row_sums":
        return (rng.standard_normal((500, 300)),)
    if name == "matmul":
        return (rng.random((120, 90)), rng.random((90, 110)), rng.random(90))
    raise KeyError(name)


def call(mod, name, args):
    return getattr(mod, name)(*[a.copy() for a in args])


@pytest.mark.parametrize("name", ["expr", "store", "in_place", "row_sums", "matmul"])
def test_threads_agree_with_numpy(mods, name):
    par, serial = mods
    args = inputs(name, np.random.default_rng(5))
    want = call(par.py, name, args)
    results = []
    for threads in (1, 2, 4):
        par.k._set_num_threads(threads)
        results.append(call(par.k, name, args))
    par.k._set_num_threads(1)
    results.append(call(serial.k, name, args))
    want = want if isinstance(want, tuple) else (want,)
    for got in results:
        got = got if isinstance(got, tuple) else (got,)
        for g, w in zip(got, want):
            assert g.shape == w.shape and g.dtype == w.dtype
            np.testing.assert_allclose(g, w, rtol=1e-12, atol=1e-12)
    # Each element is computed by one thread, the same way: the same bits.
    first = results[0] if isinstance(results[0], tuple) else (results[0],)
    for other in results[1:]:
        other = other if isinstance(other, tuple) else (other,)
        for g, h in zip(first, other):
            assert g.tobytes() == h.tobytes()


def test_error_on_a_worker_thread(mods):
    par, _ = mods
    a = np.full(100_000, 3, dtype=np.int64)
    e = np.ones(100_000, dtype=np.int64)
    e[77_777] = 50  # 3 ** 50 overflows int64: Kiln's int ** int keeps Python's check
    for threads in (1, 4):
        par.k._set_num_threads(threads)
        with pytest.raises(OverflowError, match="does not fit in int64"):
            par.k.int_pow(a, e)
    par.k._set_num_threads(1)
    e[77_777] = 2
    np.testing.assert_array_equal(par.k.int_pow(a, e), a ** e)

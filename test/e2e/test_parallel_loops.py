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


# Loops written by hand: parallel where passes/Parallelize.cpp proves the
# iterations independent (private variables, writes to row i of a fresh
# array), serial otherwise; the results must not depend on which.
def escape_counts(h: int, w: int, maxit: int):
    out = np.zeros((h, w), dtype=np.int64)
    dy = 3.0 / h
    dx = 3.0 / w
    for i in range(h):
        cy = -1.5 + i * dy
        for j in range(w):
            cx = -2.0 + j * dx
            zx = 0.0
            zy = 0.0
            n = 0
            while n < maxit and zx * zx + zy * zy <= 4.0:
                t = zx * zx - zy * zy + cx
                zy = 2.0 * zx * zy + cy
                zx = t
                n += 1
            out[i, j] = n
    return out


def loop_matmul(a: float64[:, :], b: float64[:, :]):
    n = a.shape[0]
    m = b.shape[1]
    out = np.zeros((n, m))
    for i in range(n):
        for k in range(a.shape[1]):
            aik = a[i, k]
            for j in range(m):
                out[i, j] += aik * b[k, j]
    return out


def shifted_rows(a: float64[:, :]):
    # out[i] reads out[i - 1]: a recurrence, must stay serial.
    out = np.zeros((a.shape[0], a.shape[1]))
    for i in range(1, a.shape[0]):
        for j in range(a.shape[1]):
            out[i, j] = out[i - 1, j] * 0.5 + a[i, j]
    return out


def into_argument(out: float64[:, :], a: float64[:, :]):
    # out is an argument (it may be a itself): serial.
    for i in range(a.shape[0]):
        for j in range(a.shape[1]):
            out[i, j] = a[i, j] * 2.0 + a[a.shape[0] - 1 - i, j]
    return out


def double_buffer(u: float64[:, :], sweeps: int):
    # a and b are swapped, never the same array: each sweep's row loop is
    # parallel (the benchmark's Jacobi kernel)
    a = u.copy()
    b = u.copy()
    for s in range(sweeps):
        for i in range(1, u.shape[0] - 1):
            for j in range(1, u.shape[1] - 1):
                b[i, j] = 0.25 * (a[i - 1, j] + a[i + 1, j] + a[i, j - 1] + a[i, j + 1])
        a, b = b, a
    return a


def same_buffer(u: float64[:, :], sweeps: int):
    # after `b = a` both are one array: rows read what other rows wrote,
    # serial
    a = u.copy()
    b = u.copy()
    for s in range(sweeps):
        for i in range(1, u.shape[0] - 1):
            for j in range(1, u.shape[1] - 1):
                b[i, j] = 0.25 * (a[i - 1, j] + a[i + 1, j] + a[i, j - 1] + a[i, j + 1])
        a, b = b, a
        if s == 0:
            b = a
    return a


def last_value(a: float64[:, :]) -> float:
    # t outlives the loop: serial.
    t = 0.0
    for i in range(a.shape[0]):
        t = a[i, 0] + a[i, a.shape[1] - 1]
    return t
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
    if name == "loop_matmul":
        return (rng.random((100, 80)), rng.random((80, 90)))
    if name in ("shifted_rows", "last_value"):
        return (rng.random((300, 200)),)
    if name == "into_argument":
        return (np.zeros((300, 200)), rng.random((300, 200)))
    if name in ("double_buffer", "same_buffer"):
        return (rng.random((300, 200)), 4)
    raise KeyError(name)


def call(mod, name, args):
    return getattr(mod, name)(*[a.copy() if isinstance(a, np.ndarray) else a for a in args])


@pytest.mark.parametrize("name", ["expr", "store", "in_place", "row_sums", "matmul",
                                  "loop_matmul", "shifted_rows", "into_argument", "last_value",
                                  "double_buffer", "same_buffer"])
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
            g, w = np.asarray(g), np.asarray(w)
            assert g.shape == w.shape and g.dtype == w.dtype
            np.testing.assert_allclose(g, w, rtol=1e-12, atol=1e-12)
    # Each element is computed by one thread, the same way: the same bits.
    first = results[0] if isinstance(results[0], tuple) else (results[0],)
    for other in results[1:]:
        other = other if isinstance(other, tuple) else (other,)
        for g, h in zip(first, other):
            assert np.asarray(g).tobytes() == np.asarray(h).tobytes()


def test_escape_counts_on_threads(mods):
    par, serial = mods
    want = par.py.escape_counts(120, 160, 60)
    for threads in (1, 3, 4):
        par.k._set_num_threads(threads)
        np.testing.assert_array_equal(par.k.escape_counts(120, 160, 60), want)
    par.k._set_num_threads(1)
    np.testing.assert_array_equal(serial.k.escape_counts(120, 160, 60), want)


def test_which_hand_written_loops_are_parallel(kiln, tmp_path):
    from conftest import run_kiln
    src = tmp_path / "which.py"
    src.write_text(SOURCE)
    r = run_kiln(kiln, "compile", src, "--emit=kir", "-O2", "-o", "-")
    assert r.returncode == 0, r.stderr
    def loops(fn):
        body = r.stdout.split("func @" + fn + "(")[1].split("\nfunc @")[0]
        return [l.strip() for l in body.splitlines() if l.strip().startswith("for ")]
    assert "parallel" in loops("escape_counts")[-2]      # the row loop
    assert "parallel" in loops("loop_matmul")[-3]
    # the row loop carries out[i - 1] into out[i]; each row's own loop over
    # j is independent
    assert "parallel" not in loops("shifted_rows")[-2]
    assert "parallel" in loops("shifted_rows")[-1]
    assert not any("parallel" in l for l in loops("into_argument"))
    assert not any("parallel" in l for l in loops("last_value"))
    assert "parallel" in loops("double_buffer")[-2]     # each sweep's row loop
    assert not any("parallel" in l for l in loops("same_buffer")[-3:])


def test_error_on_a_worker_thread(mods):
    par, _ = mods
    a = np.full(100_000, 3, dtype=np.int64)
    e = np.ones(100_000, dtype=np.int64)
    e[77_777] = -1  # a negative integer exponent: NumPy's ValueError, raised by a worker
    for threads in (1, 4):
        par.k._set_num_threads(threads)
        with pytest.raises(ValueError, match="Integers to negative integer powers are not allowed"):
            par.k.int_pow(a, e)
    par.k._set_num_threads(1)
    e[77_777] = 2
    np.testing.assert_array_equal(par.k.int_pow(a, e), a ** e)

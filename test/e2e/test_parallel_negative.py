"""What parallel loops must not change, seen from outside:
- a loop with a `break` stays serial: a chunk-local break would write past
  the iteration where the serial loop stops;
- when several iterations of a parallel loop fail, the error raised is the
  serial loop's, the lowest failing iteration's, on every run, whatever
  chunk finished first (runtime/parallel.c keeps the lowest failing chunk);
- NumPy's promotion of float32 with int32 is float64 (not float32).
Each compares with CPython/NumPy on the same source."""
import numpy as np
import pytest

from difftest import outcome

SOURCE = '''
import numpy as np
from kiln.types import float64, int64, float32, int32


def first_marks(n: int, stop: int):
    out = np.zeros(n)
    for i in range(n):
        if i == stop:
            break
        out[i] = i * 2.0 + 1.0
    return out


def gather(x: float64[:], idx: int64[:]):
    out = np.empty(idx.shape[0])
    for i in range(idx.shape[0]):
        out[i] = x[idx[i]] * 2.0
    return out


def gather_expr(x: float64[:], idx: int64[:]):
    return x[idx] + 1.0


def mixed(a: float32[:], b: int32[:]):
    return a + b
'''


@pytest.fixture(scope="module")
def m(compile_module):
    return compile_module(SOURCE, "parneg", options=())


@pytest.mark.parametrize("stop", [0, 1, 10, 4095, 999_999])
def test_break_stays_serial(m, stop):
    n = 1_000_000
    np.testing.assert_array_equal(m.k.first_marks(n, stop), m.py.first_marks(n, stop))


@pytest.mark.parametrize("fn", ["gather", "gather_expr"])
def test_lowest_failing_iteration_wins(m, fn):
    n = 400_000
    x = np.arange(1000.0)
    idx = np.arange(n, dtype=np.int64) % 1000
    # bad indices far apart, in chunks that different threads run
    for pos, bad in [(390_000, 5003), (250_000, 5002), (123_457, 5001), (300_000, -2000)]:
        idx[pos] = bad
    fk, fp = m.pair(fn)
    want = outcome(fp, x, idx)
    assert want[0] == "err" and "5001" in want[2]
    for _ in range(10):
        assert outcome(fk, x, idx) == want


def test_float32_with_int32_is_float64(m):
    a = np.array([0.1, 1e10, -3.5], np.float32)
    b = np.array([16777217, 3, -7], np.int32)
    rk, rp = m.k.mixed(a, b), m.py.mixed(a, b)
    assert rk.dtype == rp.dtype == np.float64
    np.testing.assert_array_equal(rk, rp)

"""What parallel loops must not change, seen from outside:
- a loop with a `break` stays serial: a chunk-local break would write past
  the iteration where the serial loop stops;
- when several iterations of a parallel loop fail, the error raised is the
  serial loop's, the lowest failing iteration's, on every run, whatever
  chunk finished first (runtime/parallel.c keeps the lowest failing chunk);
- NumPy's promotion of float32 with int32 is float64 (not float32), and an
  element of a sized integer array indexes as a Python int.
These are places a mutation campaign (tools/mutate.py) found untested.
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


SIZED_INDEX = '''
import numpy as np
from kiln.types import float64, int8, uint8, int32, uint64


def at8(a: float64[:], k: int8[:]) -> float:
    return a[k[0]]


def atu8(a: float64[:], k: uint8[:]) -> float:
    return a[k[0]]


def at32(a: float64[:], k: int32[:]) -> float:
    return a[k[0]]


def atu64(a: float64[:], k: uint64[:]) -> float:
    return a[k[0]]
'''


def test_sized_int_indices(compile_module):
    # An element of a sized integer array used as an index is a Python int
    # (frontend/Promotion.cpp toPythonInt): small ones index, negative ones
    # wrap, and a uint64 from 2**63 up does not fit in int64 and raises
    # instead of wrapping to a negative index.
    m = compile_module(SIZED_INDEX, "sizedidx")
    a = np.arange(10.0) * 1.5
    for name, dt in (("at8", np.int8), ("atu8", np.uint8), ("at32", np.int32), ("atu64", np.uint64)):
        fk, fp = m.pair(name)
        for k in (0, 1, 9):
            assert fk(a, np.array([k], dt)) == fp(a, np.array([k], dt)) == a[k]
    for name, dt in (("at8", np.int8), ("at32", np.int32)):
        fk, fp = m.pair(name)
        assert fk(a, np.array([-2], dt)) == a[-2]
    with pytest.raises(OverflowError):
        m.k.atu64(a, np.array([2**63], np.uint64))

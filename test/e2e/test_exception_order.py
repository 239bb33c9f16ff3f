"""When two statements could both raise, the first one's error comes out,
as in CPython, even where Kiln fuses a temporary into the statement that
reads it (frontend/ForwardSubstitute.cpp, rule 5). Found by the array
program fuzzer (test_fuzz_arrays.py); compared with CPython on inputs that
make both statements fail."""
import numpy as np
import pytest

from difftest import outcome

SOURCE = '''
import numpy as np
from kiln.types import float64


def view_then_scalar(a: float64[:, :], k: int, m: int):
    v = a[5]
    v[:] = k % m
    return a


def div_then_index(y: float64[:], n: int):
    s = 10 // n
    r = y[0] - s
    return r


def index_then_index(x: float64[:], y: float64[:], n: int):
    s = x[n]
    r = y[0] - s
    return r


def still_fused(x: float64[:], y: float64[:]):
    d = x - y
    return np.sum(d * d)
'''


@pytest.fixture(scope="module")
def m(compile_module):
    return compile_module(SOURCE, "excorder", options=())


@pytest.mark.parametrize("name,args", [
    ("view_then_scalar", (np.zeros((1, 3)), 1, 0)),
    ("view_then_scalar", (np.zeros((7, 3)), 1, 0)),
    ("view_then_scalar", (np.zeros((7, 3)), 5, 3)),
    ("div_then_index", (np.zeros(0), 0)),
    ("div_then_index", (np.zeros(0), 3)),
    ("div_then_index", (np.ones(2), 0)),
    ("index_then_index", (np.zeros(0), np.zeros(0), 5)),
    ("index_then_index", (np.ones(6), np.zeros(0), 5)),
    ("index_then_index", (np.ones(6), np.ones(1), 5)),
])
def test_first_error_wins(m, name, args):
    fk, fp = m.pair(name)
    got, want = outcome(fk, *[a.copy() if hasattr(a, "copy") else a for a in args]), \
        outcome(fp, *[a.copy() if hasattr(a, "copy") else a for a in args])
    if got[0] == "ok":
        np.testing.assert_array_equal(got[1], want[1])
    else:
        assert got == want


def test_fusion_kept_where_nothing_raises_first(m):
    # `d` is still fused into the sum: no temporary array is allocated.
    x, y = np.arange(1000.0), np.ones(1000)
    before = m.k._allocations()
    assert m.k.still_fused(x, y) == m.py.still_fused(x, y)
    assert m.k._allocations() == before


MORE = '''
import numpy as np
from kiln.types import float64, int64


def step_then_index(x: float64[:], y: float64[:], s: int, n: int):
    v = y[::s]
    r = x[n] + v
    return r


def gather_then_gather(x: float64[:], i: int64[:], j: int64[:]):
    v = x[i]
    return v + x[j]
'''


@pytest.mark.parametrize("name,args", [
    ("step_then_index", (np.ones(3), np.ones(3), 0, 7)),
    ("step_then_index", (np.ones(3), np.ones(3), 1, 7)),
    ("step_then_index", (np.ones(3), np.ones(3), 2, 1)),
    ("gather_then_gather", (np.arange(4.0), np.array([0, 1, 2, 3, 4, 9]), np.array([9, 0, 1, 2, 3, 0]))),
    ("gather_then_gather", (np.arange(4.0), np.array([0, 1, 2, 3, 3, 1]), np.array([9, 0, 1, 2, 3, 0]))),
    ("gather_then_gather", (np.arange(4.0), np.array([0, 1, 2, 3]), np.array([3, 2, 1, 0]))),
])
def test_first_error_wins_per_element(compile_module, name, args):
    # A zero step raises before the other operand's IndexError; two gathers
    # fused into one loop would interleave their checks element by element.
    m = compile_module(MORE, "excorder2", options=())
    fk, fp = m.pair(name)
    got, want = outcome(fk, *args), outcome(fp, *args)
    if got[0] == "ok":
        np.testing.assert_array_equal(got[1], want[1])
    else:
        assert got == want

"""Loops whose one array write is a scatter, `h[k] += 1` or `out[k] = v`,
split by passes/DeferChecks.cpp and codegen/LowerDeferred.cpp: chunk by
chunk, a vectorised loop computes and records each iteration's index and
value with its checks only flagged, then a second loop does the scatter. A
chunk whose flag is set, or whose largest index is out of bounds, runs again
from its first iteration, as written.

Whatever runs, the outcome must be CPython's: the exception of the first
failing iteration, with its message, and the target array exactly as the
loop leaves it when it raises (the scatters of every earlier iteration
done, none of later ones), across chunk boundaries (512 iterations). The
same source is also compiled for AVX2, where histogram loops are not split
(no vector float-to-int64 conversion), and with --unchecked."""
import math
from pathlib import Path

import numpy as np
import pytest

from arraydiff import outcome

# The benchmark's histogram kernel itself (its source, without the harness).
HISTOGRAM = (Path(__file__).resolve().parents[1] / "bench" / "kernels" / "histogram.py"
             ).read_text().split("# ---- harness")[0]

SRC = HISTOGRAM + '''
import math
import numpy as np
from kiln.types import float64, int64


def hist_into(h: int64[:], x: float64[:], lo: float, width: float):
    # no clamp: values past the last bin are an IndexError; h is a
    # parameter, so h[k] += 1 keeps its overflow check (in the second loop)
    for i in range(x.shape[0]):
        v = float(x[i])   # (a Python float: / 0.0 raises in CPython too)
        if v >= lo:
            h[int((v - lo) / width)] += 1


def hist_steps(h: int64[:], x: float64[:], lo: float, width: float,
               start: int, stop: int, step: int):
    for i in range(start, stop, step):
        h[int((x[i] - lo) / width)] += 1


def weighted(h: float64[:], k: int64[:], w: float64[:]):
    for i in range(k.shape[0]):
        h[k[i]] += math.sqrt(w[i])


def put(out: float64[:], idx: int64[:], x: float64[:]):
    # a plain store: of repeated indices, the last write wins
    for i in range(idx.shape[0]):
        out[idx[i]] = 1.0 / float(x[i])


def put_math(out: float64[:], k: int64[:], x: float64[:]):
    # Python's math functions are libm's, bit for bit, also in the
    # vectorised first loop (glibc's vector variants differ in the last bit)
    for i in range(x.shape[0]):
        out[k[i]] = math.log(1.0 / x[i]) + math.exp(-x[i]) + math.sin(x[i])


def put_position(out: int64[:], x: float64[:]):
    # the loop's variable itself is the stored value
    for i in range(x.shape[0]):
        out[int(x[i])] = i


def grid(h: int64[:, :], x: float64[:], y: float64[:], inv: float):
    for i in range(x.shape[0]):
        h[int(x[i] * inv), int(y[i] * inv)] += 1


def last_bin(h: int64[:], x: float64[:], lo: float, width: float) -> int:
    # a variable the loop leaves behind
    k = -7
    for i in range(x.shape[0]):
        k = int((x[i] - lo) / width)
        h[k] += 1
    return k


def scatter_from(h: float64[:], x: float64[:], width: float):
    # x may be h itself, or a view of it: then nothing is split
    for i in range(x.shape[0]):
        h[int(x[i] / width)] += 1.0
'''

N = [0, 1, 7, 511, 512, 513, 1024, 1500]


@pytest.fixture(scope="module", params=["native", "avx2", "unchecked"])
def m(request, compile_module):
    options = {"native": ("-O2",), "avx2": ("-O2", "--target-cpu=x86-64-v3"),
               "unchecked": ("-O2", "--unchecked")}[request.param]
    mod = compile_module(SRC, "scatter_split", options=options)
    mod.unchecked = request.param == "unchecked"
    return mod


def same(m, name, *args):
    """Compares the outcome and every array argument afterwards."""
    want, got = outcome(getattr(m.py, name), *args), outcome(getattr(m.k, name), *args)
    assert got[0] == want[0], (name, got[:3], want[:3])
    if want[0] == "err":
        assert got[1:3] == want[1:3], name
    elif isinstance(want[1], np.ndarray):
        assert got[1].dtype == want[1].dtype
        np.testing.assert_array_equal(got[1], want[1], err_msg=name)
    else:
        assert got[1] == want[1], name
    for k, (g, w) in enumerate(zip(got[-1], want[-1])):
        if isinstance(w, np.ndarray):
            np.testing.assert_array_equal(g, w, err_msg=f"{name}: argument {k} afterwards")
    return want[0]


def data(rng, n, bins=16):
    # values in [0, bins), a tenth of them below 0 (skipped)
    x = rng.random(n) * bins
    x[rng.random(n) < 0.1] -= bins
    return x


def test_histograms(m):
    rng = np.random.default_rng(81)
    for n in N:
        x = data(rng, n)
        assert same(m, "hist_into", np.zeros(16, np.int64), x, 0.0, 1.0) == "ok"
        assert same(m, "last_bin", np.zeros(16, np.int64), np.abs(x), 0.0, 1.0) == "ok"
        assert same(m, "histogram", rng.standard_normal(n), 64, -3.0, 3.0) == "ok"
        # strided and reversed data
        assert same(m, "hist_into", np.zeros(16, np.int64), data(rng, 2 * n)[::2], 0.0, 1.0) == "ok"
        assert same(m, "hist_into", np.zeros(16, np.int64), x[::-1], 0.0, 1.0) == "ok"
    # NaN and the edges: NaN >= lo is false; the upper edge is clamped
    x = np.array([np.nan, -3.0, 3.0, 2.9999999, -np.inf, np.inf, 0.0] * 100)
    assert same(m, "histogram", x, 7, -3.0, 3.0) == "ok"


def test_steps(m):
    rng = np.random.default_rng(82)
    x = data(rng, 2000)
    x[x < 0] = 0.5
    for start, stop, step in [(0, 2000, 1), (5, 1999, 3), (1999, -1, -1), (1500, 3, -7),
                              (0, 0, 1), (3, 1000, 1000)]:
        assert same(m, "hist_steps", np.zeros(16, np.int64), x, 0.0, 1.0,
                    start, stop, step) == "ok"


def test_weights_plain_stores_and_2d(m):
    rng = np.random.default_rng(83)
    for n in N:
        k = rng.integers(-16, 16, size=n)        # negative indices wrap
        assert same(m, "weighted", np.zeros(16), k, rng.random(n)) == "ok"
        idx = rng.integers(0, 8, size=n)          # many repeats
        assert same(m, "put", np.zeros(8), idx, rng.random(n) + 0.5) == "ok"
        assert same(m, "put_position", np.zeros(8, np.int64), rng.random(n) * 8) == "ok"
        assert same(m, "put_math", np.zeros(n), rng.permutation(n), rng.random(n) + 0.01) == "ok"
        assert same(m, "grid", np.zeros((4, 5), np.int64), rng.random(n) * 3.9,
                    rng.random(n) * 4.9, 1.0) == "ok"


@pytest.mark.parametrize("n", [1, 513, 1500])
def test_first_failure_wins(m, n):
    # A failure in the first loop (int() of inf, a zero divisor, sqrt of a
    # negative) or in the scatter (an index past the end, an int64
    # overflow), at chunk edges: CPython's error, and h as CPython leaves it.
    if m.unchecked:
        pytest.skip("out-of-bounds indices are undefined with --unchecked")
    rng = np.random.default_rng(84)
    for at in sorted({0, n // 2, 510, 511, 512, n - 1} & set(range(n))):
        x = data(rng, n)
        bad = x.copy()
        bad[at] = np.inf                                   # OverflowError in int()
        assert same(m, "hist_into", np.zeros(16, np.int64), bad, 0.0, 1.0) == "err"
        bad[at] = 16.5                                     # IndexError in the scatter
        assert same(m, "hist_into", np.zeros(16, np.int64), bad, 0.0, 1.0) == "err"
        bad[at] = -1.0e6                                   # skipped: no error
        assert same(m, "hist_into", np.zeros(16, np.int64), bad, 0.0, 1.0) == "ok"
        overflow_at(m, x, at)
        w = rng.random(n)
        w[at] = -1.0                                       # math domain error
        assert same(m, "weighted", np.zeros(16), rng.integers(0, 16, size=n), w) == "err"
        y = rng.random(n) + 0.5
        y[at] = 0.0                                        # float division by zero
        assert same(m, "put", np.zeros(8), rng.integers(0, 8, size=n), y) == "err"
        k = rng.integers(0, 16, size=n)
        k[at] = -17                                        # IndexError, wrapped index
        assert same(m, "weighted", np.zeros(16), k, rng.random(n)) == "err"
        gx = rng.random(n) * 3.9
        gx[at] = 4.2                                       # IndexError on axis 0
        assert same(m, "grid", np.zeros((4, 5), np.int64), gx, rng.random(n) * 4.9, 1.0) == "err"
    assert same(m, "hist_into", np.zeros(16, np.int64), data(rng, n), 0.0, 0.0) == "err"


def overflow_at(m, x, at):
    # h[k] += 1 reaching 2**63 at iteration `at`: Kiln's int64 elements are
    # Python ints (OverflowError), where NumPy's wrap. The oracle is CPython
    # on the iterations before it.
    x = np.abs(x)
    b = int(x[at])
    x[:at][x[:at].astype(np.int64) == b] = (b + 1) % 16   # `at` is the first in bin b
    h = np.zeros(16, np.int64)
    h[b] = 2**63 - 1
    want = h.copy()
    m.py.hist_into(want, x[:at], 0.0, 1.0)
    with pytest.raises(OverflowError, match="does not fit in int64"):
        m.k.hist_into(h, x, 0.0, 1.0)
    np.testing.assert_array_equal(h, want)


def test_overlapping_target(m):
    # The scatter's target and an array the loop reads share memory: each
    # read must see every earlier iteration's scatter, as in CPython.
    for n in [5, 600]:
        for view in [lambda b: b, lambda b: b[::2], lambda b: b[::-1]]:
            base_k = np.arange(n, dtype=np.float64) % 5
            base_p = base_k.copy()
            m.k.scatter_from(base_k, view(base_k), 1.0)   # (not through outcome(),
            m.py.scatter_from(base_p, view(base_p), 1.0)  # which copies arguments)
            np.testing.assert_array_equal(base_k, base_p)
            assert not np.array_equal(base_p, np.arange(n, dtype=np.float64) % 5)

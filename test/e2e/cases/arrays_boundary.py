"""Array parameters at the call boundary (e2e case): dtype, rank, layout,
byte order, alignment, read-only arrays, and which parameters a function
writes (directly, through views, slots, loops, methods and helpers)."""
import numpy as np
from kiln.types import bool_, float64, int64


def read_f(a: float64[:], i: int) -> float:
    return a[i]


def read_i(a: int64[:], i: int) -> int:
    return a[i]


def read_b(a: bool_[:], i: int) -> bool:
    return a[i]


def read2(a: float64[:, :]) -> float:
    s = 0.0
    for i in range(a.shape[0]):
        for j in range(a.shape[1]):
            s += a[i, j]
    return s


def read_c(a: "float64[::1]") -> float:
    s = 0.0
    for x in a:
        s += x
    return s


def read2_c(a: "float64[:, ::1]") -> float:
    return a[a.shape[0] - 1, a.shape[1] - 1]


def read_then_view(a: float64[:, :]):
    return a[0]


def read_helper(a: float64[:]) -> float:
    return _total(a)


def _total(a):
    s = 0.0
    for x in a:
        s += x
    return s


def scalar_f(x: float) -> float:
    return x


def scalar_i(n: int) -> int:
    return n


def scalar_b(p: bool) -> bool:
    return p


def mixed(n: int, a: float64[:], x: float) -> float:
    return a[n] * x


# ---- functions that write their parameters, each by another route ---------------------------


def w_direct(a: float64[:]):
    a[0] = 1.0


def w_aug(a: float64[:]):
    a[0] += 1.0


def w_row(a: float64[:, :]):
    r = a[0]
    r[0] = 1.0


def w_slot(a: float64[:], flag: bool):
    b = np.zeros(3)
    if flag:
        b = a
    b[0] = 1.0


def w_loop_rows(a: float64[:, :]):
    for r in a:
        r[0] = 1.0


def w_enumerate_rows(a: float64[:, :]):
    for i, r in enumerate(a):
        r[0] = i * 1.0


def w_fill(a: float64[:]):
    a.fill(2.0)


def _store(a, v):
    a[0] = v


def _pass_on(a, v):
    _store(a, v)


def _view(a):
    return a[0]


def w_helper(a: float64[:]):
    _store(a, 3.0)


def w_helper_chain(a: float64[:]):
    _pass_on(a, 3.0)


def w_helper_view(a: float64[:, :]):
    v = _view(a)
    v[1] = 4.0


def w_helper_given_view(a: float64[:, :]):
    _store(a[1], 5.0)


def w_tuple(a: float64[:], b: float64[:]):
    t = (b, a)
    u = t[1]
    u[0] = 6.0


def w_second(a: float64[:], b: float64[:]):
    # writes b only
    x = a[0]
    b[0] = x


def w_never_runs(a: float64[:], n: int):
    # written on a path that may not run: still a writing function
    for i in range(n):
        a[i] = 0.0


def w_both_after_work(a: float64[:], b: float64[:]):
    a[0] = 7.0
    b[0] = 7.0


# ---- overloads by array element type ---------------------------------------------------------

# kiln export kind(float64[:])
# kiln export kind(int64[:])
# kiln export kind(bool[:])
# kiln export kind(float64[:, :])
def kind(a):
    return a.ndim * 10 + len(a)

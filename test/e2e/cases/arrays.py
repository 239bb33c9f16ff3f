"""NumPy arrays (e2e case): element reads and writes, views, attributes,
creation functions, iteration, helpers and results. The same source runs
under CPython with NumPy, which is what the compiled module is compared
with (test_arrays.py)."""
import numpy as np
from kiln.types import bool_, float64, int64

# ---- element reads ------------------------------------------------------------------


def get_f(a: float64[:], i: int) -> float:
    return a[i]


def get_i(a: int64[:], i: int) -> int:
    return a[i]


def get_b(a: bool_[:], i: int) -> bool:
    return a[i]


def get_fc(a: "float64[::1]", i: int) -> float:
    return a[i]


def get2_f(a: float64[:, :], i: int, j: int) -> float:
    return a[i, j]


def get2_i(a: "int64[:, :]", i: int, j: int) -> int:
    return a[i, j]


def get2_b(a: "bool[:, :]", i: int, j: int) -> bool:
    return a[i, j]


def get2_fc(a: "float64[:, ::1]", i: int, j: int) -> float:
    return a[i, j]


# kiln export get2_pythran(float64[][], int, int)
def get2_pythran(a, i, j):
    return a[i, j]


def get3_i(a: int64[:, :, :], i: int, j: int, k: int) -> int:
    return a[i, j, k]


def row_get(a: float64[:, :], i: int, j: int) -> float:
    # a[i] is a view (row i); indexing it reads a
    r = a[i]
    return r[j]


def row_of(a: float64[:, :], i: int):
    return a[i]


def row_of_i(a: int64[:, :], i: int):
    return a[i]


def plane_of(a: int64[:, :, :], i: int):
    return a[i]


def row_len(a: float64[:, :], i: int) -> int:
    return len(a[i])


# ---- element writes -------------------------------------------------------------------


def set_f(a: float64[:], i: int, v: float):
    a[i] = v


def set_i(a: int64[:], i: int, v: int):
    a[i] = v


def set_b(a: bool_[:], i: int, v: bool):
    a[i] = v


def set_i_from_float(a: int64[:], i: int, v: float):
    a[i] = v


def set_b_from_int(a: bool_[:], i: int, v: int):
    a[i] = v


def set_b_from_float(a: bool_[:], i: int, v: float):
    a[i] = v


def set_f_from_int(a: float64[:], i: int, v: int):
    a[i] = v


def set_i_from_bool(a: int64[:], i: int, v: bool):
    a[i] = v


def set2_f(a: float64[:, :], i: int, j: int, v: float):
    a[i, j] = v


def set2_i(a: int64[:, :], i: int, j: int, v: int):
    a[i, j] = v


def set2_b(a: "bool[:, :]", i: int, j: int, v: bool):
    a[i, j] = v


def set_row(a: float64[:, :], i: int, j: int, v: float):
    r = a[i]
    r[j] = v


def set_fc(a: "float64[::1]", i: int, v: float):
    a[i] = v


def aug_f(a: float64[:], i: int, v: float):
    a[i] += v


def aug_i(a: int64[:], i: int, v: int):
    a[i] *= v


def aug2_i(a: int64[:, :], i: int, j: int, v: int):
    a[i, j] -= v
    a[i, j] //= 2


def aug2_f(a: float64[:, :], i: int, j: int, v: float):
    a[i, j] /= v
    a[i, j] *= v + 1.0


def aug_b(a: bool_[:], i: int, v: bool):
    a[i] |= v
    a[-1] ^= v


# ---- attributes -------------------------------------------------------------------------


def attrs1(a: float64[:]):
    return a.shape, a.ndim, a.size, len(a)


def attrs1_i(a: int64[:]):
    return a.shape, a.ndim, a.size, len(a)


def attrs1_b(a: bool_[:]):
    return a.shape, a.ndim, a.size, len(a)


def attrs2(a: float64[:, :]):
    return a.shape, a.ndim, a.size, len(a), a.shape[0], a.shape[1]


def attrs2_b(a: "bool[:, :]"):
    return a.shape, a.ndim, a.size, len(a)


def attrs3(a: int64[:, :, :]):
    return a.shape, a.ndim, a.size, len(a)


# ---- iteration and reductions written as loops --------------------------------------------


def total(a: float64[:]) -> float:
    s = 0.0
    for x in a:
        s += x
    return s


def total_i(a: int64[:]) -> int:
    s = 0
    for x in a:
        s += x
    return s


def count_true(a: bool_[:]) -> int:
    n = 0
    for x in a:
        if x:
            n += 1
    return n


def weighted(a: float64[:]) -> float:
    s = 0.0
    for i, x in enumerate(a):
        s += i * x
    return s


def weighted_i(a: int64[:]) -> int:
    s = 0
    for i, x in enumerate(a):
        s += (i + 1) * x
    return s


def total2(a: float64[:, :]) -> float:
    s = 0.0
    for r in a:
        for x in r:
            s += x
    return s


def total2_index(a: float64[:, :]) -> float:
    s = 0.0
    for i in range(a.shape[0]):
        for j in range(a.shape[1]):
            s += a[i, j] * (i + 1) - j
    return s


def enum_rows(a: int64[:, :]) -> int:
    s = 0
    for i, r in enumerate(a):
        for j, x in enumerate(r):
            s += (i * 7 + j) * x
    return s


def iter_then_rebind(a: float64[:], b: float64[:]) -> float:
    # the loop goes over the array `a` named when it started
    s = 0.0
    for x in a:
        s += x
        a = b
    return s + a[0]


def iter_sees_writes(a: float64[:]) -> float:
    # writes ahead of the loop position are seen, as in NumPy
    s = 0.0
    for i, x in enumerate(a):
        if i + 1 < len(a):
            a[i + 1] += x
        s += x
    return s


def find_first(a: int64[:], v: int) -> int:
    for i, x in enumerate(a):
        if x == v:
            return i
    return -1


def max_loop(a: float64[:]) -> float:
    m = a[0]
    for x in a:
        if x > m:
            m = x
    return m


# ---- in-place updates -----------------------------------------------------------------


def scale(a: float64[:], k: float):
    for i in range(len(a)):
        a[i] *= k


def scale2(a: float64[:, :], k: float):
    for i in range(a.shape[0]):
        for j in range(a.shape[1]):
            a[i, j] = a[i, j] * k + j


def rows_cumsum(a: int64[:, :]):
    for r in a:
        for j in range(1, len(r)):
            r[j] += r[j - 1]


def negate_b(a: bool_[:]):
    for i in range(len(a)):
        a[i] = not a[i]


def shift_add(a: float64[:], out: float64[:]):
    # sequential semantics, also when a and out overlap
    for i in range(len(a)):
        out[i] = a[i] + 1.0


def shift_add_c(a: "float64[::1]", out: "float64[::1]"):
    for i in range(len(a)):
        out[i] = a[i] + 1.0


def double_into(a: "float64[::1]", out: "float64[::1]"):
    for i in range(len(a)):
        out[i] = a[i] * 2.0


def fill_method(a: float64[:], v: float):
    a.fill(v)


def fill_method_i(a: int64[:, :], v: int):
    a.fill(v)


def fill_method_b(a: bool_[:], v: float):
    a.fill(v)


def reverse_inplace(a: int64[:]):
    n = len(a)
    for i in range(n // 2):
        t = a[i]
        a[i] = a[n - 1 - i]
        a[n - 1 - i] = t


# ---- creation -------------------------------------------------------------------------------


def mk_empty(n: int):
    return np.empty(n)


def mk_empty2(n: int, m: int):
    return np.empty((n, m), dtype=np.int64)


def mk_empty_b(n: int):
    return np.empty(n, bool)


def mk_zeros(n: int):
    return np.zeros(n)


def mk_zeros2(n: int, m: int):
    return np.zeros((n, m))


def mk_zeros3(n: int, m: int, k: int):
    return np.zeros((n, m, k), dtype=int)


def mk_zeros_int(n: int):
    return np.zeros(n, dtype=int)


def mk_zeros_bool(n: int):
    return np.zeros(n, dtype=bool)


def mk_zeros_np_float64(n: int):
    return np.zeros(n, dtype=np.float64)


def mk_zeros_str_int64(n: int):
    return np.zeros(n, dtype="int64")


def mk_zeros_positional_dtype(n: int):
    return np.zeros(n, np.int64)


def mk_zeros_dtype_of(a: int64[:], n: int):
    return np.zeros((n, 2), dtype=a.dtype)


def mk_ones(n: int):
    return np.ones(n)


def mk_ones2_int(n: int, m: int):
    return np.ones((n, m), dtype=np.int64)


def mk_ones_bool(n: int):
    return np.ones(n, dtype=np.bool_)


def mk_ones_str_float(n: int):
    return np.ones(n, dtype="float64")


def mk_full(n: int, v: float):
    return np.full(n, v)


def mk_full_int(n: int, v: int):
    return np.full(n, v)


def mk_full_bool(n: int, v: bool):
    return np.full(n, v)


def mk_full2(n: int, m: int, v: float):
    return np.full((n, m), v)


def mk_full_dtype(n: int, v: float):
    return np.full(n, v, dtype=int)


def mk_full_kw(n: int, v: int):
    return np.full(n, fill_value=v, dtype=np.float64)


def mk_full_bool_dtype(n: int, v: float):
    return np.full((n, 2), v, dtype=bool)


def mk_zeros_like(a: float64[:, :]):
    return np.zeros_like(a)


def mk_zeros_like_i(a: int64[:]):
    return np.zeros_like(a)


def mk_zeros_like_b(a: bool_[:]):
    return np.zeros_like(a)


def mk_ones_like(a: float64[:]):
    return np.ones_like(a)


def mk_ones_like_b(a: "bool[:, :]"):
    return np.ones_like(a)


def mk_ones_like_dtype(a: float64[:]):
    return np.ones_like(a, dtype=int)


def mk_empty_like(a: int64[:, :]):
    return np.empty_like(a)


def mk_empty_like_dtype(a: int64[:, :]):
    return np.empty_like(a, dtype=np.float64)


def mk_full_like(a: float64[:], v: float):
    return np.full_like(a, v)


def mk_full_like_i(a: int64[:, :], v: float):
    # the fill value converts to the element type (truncated)
    return np.full_like(a, v)


def mk_full_like_b(a: bool_[:], v: int):
    return np.full_like(a, v)


def mk_full_like_dtype(a: int64[:], v: float):
    return np.full_like(a, v, dtype=float)


def mk_arange1(n: int):
    return np.arange(n)


def mk_arange2(a: int, b: int):
    return np.arange(a, b)


def mk_arange3(a: int, b: int, s: int):
    return np.arange(a, b, s)


def mk_arange_f1(x: float):
    return np.arange(x)


def mk_arange_f3(a: float, b: float, s: float):
    return np.arange(a, b, s)


def mk_arange_mixed(a: int, b: float):
    return np.arange(a, b)


def mk_arange_dtype(n: int):
    return np.arange(n, dtype=float)


def mk_linspace(a: float, b: float, n: int):
    return np.linspace(a, b, n)


def mk_linspace_noend(a: float, b: float, n: int):
    return np.linspace(a, b, n, endpoint=False)


# kiln export mk_linspace_default()
def mk_linspace_default():
    return np.linspace(0.0, 1.0)


def mk_linspace_kw(a: int, b: int, n: int):
    return np.linspace(a, b, num=n, endpoint=True)


def mk_array_f(x: float, y: float, z: float):
    return np.array([x, y, z])


def mk_array_i(x: int, y: int):
    return np.array([x, y, x - y, 0])


def mk_array_b(p: bool):
    return np.array([p, not p])


def mk_array_mixed(x: int, y: float):
    return np.array([x, y])


def mk_array_bool_int(p: bool, x: int):
    return np.array([p, x])


def mk_array_tuple(x: int):
    return np.array((x, x + 1))


# kiln export mk_array_empty()
def mk_array_empty():
    return np.array([])


def mk_array_dtype(x: int, y: int):
    return np.array([x, y], dtype=float)


def mk_copy(a: float64[:, :]):
    return np.copy(a)


def mk_copy_b(a: bool_[:]):
    return np.copy(a)


def mk_copy_method(a: int64[:]):
    return a.copy()


def copy_is_independent(a: float64[:]) -> float:
    b = a.copy()
    b[0] = -1.0
    return a[0]


def mk_astype_int(a: float64[:]):
    return a.astype(int)


def mk_astype_bool(a: float64[:, :]):
    return a.astype(bool)


def mk_astype_float(a: int64[:]):
    return a.astype(np.float64)


def mk_astype_from_bool(a: bool_[:]):
    return a.astype("int64")


def mk_astype_same(a: float64[:]):
    # astype copies, even to the same type
    return a.astype(a.dtype)


def mk_negative_2d(n: int):
    return np.zeros((3, n))


def mk_filled_later(n: int):
    a = np.empty((n, 3))
    for i in range(n):
        for j in range(3):
            a[i, j] = i * 10 + j
    return a


# ---- arrays through helpers, locals and results ---------------------------------------------


def _sum_helper(a: float64[:]) -> float:
    s = 0.0
    for x in a:
        s += x
    return s


def _make_helper(n: int):
    r = np.zeros(n)
    for i in range(n):
        r[i] = i * 0.5
    return r


def _first_row(a):
    return a[0]


def _bump(a, i):
    a[i] += 1


def via_helper_sum(a: float64[:, :]) -> float:
    s = 0.0
    for i in range(a.shape[0]):
        s += _sum_helper(a[i])
    return s


def via_helper_make(n: int) -> float:
    r = _make_helper(n)
    return _sum_helper(r)


def via_helper_return(n: int):
    return _make_helper(n)


def helper_view_write(a: int64[:, :]):
    r = _first_row(a)
    r[0] = 99


def helper_writes(a: int64[:], i: int):
    _bump(a, i)
    _bump(a, i)


def return_param(a: float64[:]):
    return a


def return_param_tuple(a: float64[:], b: int64[:, :]):
    return b, len(a), a


def return_two_fresh(n: int):
    x = np.arange(n)
    y = np.zeros((2, n))
    return x, y


def return_same_twice(n: int):
    x = np.ones(n)
    return x, x


def return_row_of_local(n: int):
    b = np.zeros((3, n))
    for j in range(n):
        b[1, j] = j + 1.0
    return b[1]


def choose(a: float64[:], flag: bool):
    if flag:
        b = a
    else:
        b = np.zeros(len(a))
    return b


def local_swap(n: int) -> float:
    a = np.ones(n)
    b = np.zeros(n)
    for i in range(3):
        a, b = b, a
    return a[0] + 2.0 * b[0]


def many_allocs(n: int, k: int) -> float:
    s = 0.0
    for i in range(k):
        t = np.full(n, i * 1.0)
        s += t[n - 1]
    return s


def alloc_then_raise(n: int) -> float:
    a = np.ones(n)
    if n > 3:
        raise ValueError("too big", n)
    return a[0]


def mk_big_touched(n: int):
    # a fresh array of n elements, written at both ends and in the middle
    a = np.empty(n)
    a[0] = 1.0
    a[n // 2] = 2.0
    a[n - 1] = 3.0
    return a


def index_error_after_alloc(n: int) -> float:
    a = np.zeros(n)
    return a[n]


def oob_read(a: float64[:], i: int) -> float:
    x = a[0]
    return a[i] + x


def oob_write(a: int64[:, :], i: int, j: int):
    a[i, j] = 1


def oob_row(a: float64[:, :], i: int):
    return a[i]


# ---- zip, eye, identity ---------------------------------------------------------------

def zip_dot(a: float64[:], b: float64[:]) -> float:
    s = 0.0
    for x, y in zip(a, b):
        s += x * y
    return s


def zip_rows(a: int64[:, :], b: float64[:]) -> float:
    s = 0.0
    for row, w in zip(a, b):
        s += row[0] * w
    return s


def mk_eye(n: int, m: int):
    return np.eye(n, m), np.identity(n), np.eye(n, dtype=np.int64), np.eye(n, dtype=bool)

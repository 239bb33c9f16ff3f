"""Small programs on Python lists, as scientists write them (test_lists.py
runs each compiled and in CPython and compares)."""
import math

import numpy as np


def primes_upto(n: int) -> list[int]:
    is_p = [True] * (n + 1)
    is_p[0] = False
    if n >= 1:
        is_p[1] = False
    i = 2
    while i * i <= n:
        if is_p[i]:
            for j in range(i * i, n + 1, i):
                is_p[j] = False
        i += 1
    return [k for k in range(n + 1) if is_p[k]]


def _partition(a: list[float], lo: int, hi: int) -> int:
    pivot = a[hi]
    i = lo - 1
    for j in range(lo, hi):
        if a[j] <= pivot:
            i += 1
            a[i], a[j] = a[j], a[i]
    a[i + 1], a[hi] = a[hi], a[i + 1]
    return i + 1


def _qsort(a: list[float], lo: int, hi: int):
    if lo < hi:
        p = _partition(a, lo, hi)
        _qsort(a, lo, p - 1)
        _qsort(a, p + 1, hi)


def quicksort(a: list[float]) -> None:
    """Sorts a in place (the caller's list changes, as in Python)."""
    _qsort(a, 0, len(a) - 1)


def solve(m: list[list[float]], b: list[float]) -> list[float]:
    """Gaussian elimination with partial pivoting on lists of lists."""
    n = len(b)
    a = [row[:] + [b[i]] for i, row in enumerate(m)]
    for col in range(n):
        piv = col
        best = abs(a[col][col])
        for r in range(col + 1, n):
            if abs(a[r][col]) > best:
                best = abs(a[r][col])
                piv = r
        a[col], a[piv] = a[piv], a[col]
        for r in range(col + 1, n):
            f = a[r][col] / a[col][col]
            for c in range(col, n + 1):
                a[r][c] -= f * a[col][c]
    x = [0.0] * n
    for i in range(n - 1, -1, -1):
        s = a[i][n]
        for j in range(i + 1, n):
            s -= a[i][j] * x[j]
        x[i] = s / a[i][i]
    return x


def queens(n: int) -> int:
    """Number of ways to place n queens (iterative backtracking on a list)."""
    cols = [-1] * n
    count = 0
    row = 0
    while row >= 0:
        cols[row] += 1
        while cols[row] < n:
            ok = True
            for r in range(row):
                c = cols[r]
                if c == cols[row] or abs(c - cols[row]) == row - r:
                    ok = False
                    break
            if ok:
                break
            cols[row] += 1
        if cols[row] < n:
            if row == n - 1:
                count += 1
            else:
                row += 1
                cols[row] = -1
        else:
            row -= 1
    return count


def histogram(xs: list[float], nbins: int, lo: float, hi: float) -> list[int]:
    counts = [0] * nbins
    width = (hi - lo) / nbins
    for x in xs:
        if lo <= x < hi:
            counts[int((x - lo) / width)] += 1
    return counts


def moving_average(xs: list[float], w: int) -> list[float]:
    out = []
    s = 0.0
    for i, x in enumerate(xs):
        s += x
        if i >= w:
            s -= xs[i - w]
        if i >= w - 1:
            out.append(s / w)
    return out


def stats(xs: list[float]) -> tuple[float, float, float, float]:
    n = len(xs)
    mean = sum(xs) / n
    var = sum((x - mean) ** 2 for x in xs) / n
    return mean, math.sqrt(var), min(xs), max(xs)


def matmul(a: list[list[float]], b: list[list[float]]) -> list[list[float]]:
    return [[sum(a[i][k] * b[k][j] for k in range(len(b))) for j in range(len(b[0]))]
            for i in range(len(a))]


def flatten_evens(rows: list[list[int]]) -> list[int]:
    return [x for row in rows for x in row if x % 2 == 0]


def dedupe_sorted(xs: list[int]) -> list[int]:
    ys = sorted(xs)
    out = []
    for y in ys:
        if not out or out[-1] != y:
            out.append(y)
    return out


def edit_list(xs: list[int]) -> int:
    """Methods that change the caller's list."""
    xs.append(7)
    xs.insert(0, -1)
    xs.insert(-1, 99)
    xs.insert(100, 5)
    last = xs.pop()
    first = xs.pop(0)
    if 3 in xs:
        xs.remove(3)
    xs.reverse()
    xs += [last, first]
    xs.extend(range(2))
    return xs.count(7) + len(xs)


def aliases(n: int) -> list[int]:
    a = []
    b = a
    for i in range(n):
        b.append(i * i)
    c = a * 2
    return c + b[1:]


def slices(xs: list[int], lo: int, hi: int, step: int) -> list[int]:
    return xs[lo:hi:step]


def pair_sums(xs: list[int], ys: list[float]) -> list[float]:
    return [x + y for x, y in zip(xs, ys)]


def index_of(xs: list[float], v: float) -> int:
    return xs.index(v)


def nth(xs: list[int], i: int) -> int:
    return xs[i]


def pop_at(xs: list[int], i: int) -> int:
    return xs.pop(i)


def any_all(xs: list[int]) -> tuple[bool, bool, bool, bool]:
    return any(xs), all(xs), any(x > 2 for x in xs), all(x > 0 for x in xs)


def grid(n: int, m: int) -> list[list[int]]:
    g = [[0] * m for _ in range(n)]
    for i in range(n):
        for j in range(m):
            g[i][j] = i * m + j
    return g


def mutate_rows(g: list[list[int]]) -> int:
    """Each inner list of g is written (a list met twice stays one list)."""
    for row in g:
        row[0] += 1
    return len(g)


def scope(n: int) -> int:
    x = -5
    squares = [x * x for x in range(n)]
    return x + sum(squares)


def sort_both(xs: list[float]) -> list[float]:
    ys = xs.copy()
    ys.sort(reverse=True)
    xs.sort()
    return ys


def _fill(xs: list[float]) -> None:
    xs.append(0.5)
    xs.append(2.0)


def filled_by_helper() -> float:
    out = []
    _fill(out)
    return sum(out) + len(out)


def lazy_any(xs: list[int]) -> bool:
    return any(10 // x > 0 for x in xs)


def lazy_index(xs: list[int]) -> bool:
    return any(xs[i] > 0 for i in range(10))


def lazy_for(xs: list[int]) -> int:
    for v in (10 // x for x in xs):
        return v
    return -1


def break_out_of_generator(n: int) -> int:
    c = 0
    for p in (i * j for i in range(n) for j in range(n) if j > i):
        if p > 20:
            break
        c += 1
    return c


def all_nested(n: int) -> bool:
    return all(i * j < 30 for i in range(n) for j in range(i))


def copy_before_pop(xs: list[int]) -> int:
    v = xs[:]
    return xs.pop() + len(v)


def sum_start() -> int:
    return sum([], start=5) + sum([1, 2], 10)


def shared_rows(n: int) -> list[list[int]]:
    return [[0] * n] * 3


def two_types(xs: list[int], ys: list[float]) -> float:
    return ys[0]


def small_ints(xs: list["int8"]) -> list["int8"]:
    xs.sort()
    return xs


def to_array(n: int, m: int):
    grid = [[i * m + j for j in range(m)] for i in range(n)]
    return np.array(grid) * 2


def points_to_array(pts: list[tuple[float, float]]):
    return np.array(pts)


def rows_as_float(g: list[list[int]]):
    return np.array(g, dtype=np.float64)


def flat_to_array(n: int):
    return np.array([i * 0.5 for i in range(n)])


def neighbours(g: list[list[int]], i: int, j: int) -> int:
    s = 0
    for dx, dy in ((0, 1), (1, 0), (0, -1), (-1, 0)):
        x, y = i + dx, j + dy
        if 0 <= x < len(g) and 0 <= y < len(g[0]):
            s += g[x][y]
    return s


def tuple_pick(k: int) -> float:
    t = (1.0, 2.5, 4.0)
    return t[k]


def small_prime(x: int) -> bool:
    return x in (2, 3, 5, 7) and x not in (4, 6)


def weighted(n: int) -> int:
    s = 0
    for i, v in enumerate((10, 20, 30)):
        s += i * v * n
    return s


def tuple_args(p: tuple[float, float], q: tuple[float, float]) -> float:
    return math.hypot(p[0] - q[0], p[1] - q[1])


def tuple_with_list(t: tuple[tuple[int, int], list[int]]) -> int:
    (a, b), xs = t
    xs.append(a + b)
    return sum(xs)


def by_second(xs: list[tuple[int, float]]) -> list[tuple[int, float]]:
    return sorted(xs, key=lambda t: t[1])


def by_distance(xs: list[int], c: int) -> list[int]:
    xs.sort(key=lambda v: abs(v - c), reverse=True)
    return xs


def closest_to_zero(xs: list[float]) -> float:
    return max(xs, key=lambda x: -abs(x))


def cheapest(prices: dict[int, float]) -> int:
    return min(prices, key=lambda k: prices[k])


def _grow(xs: list[int], x: int) -> int:
    xs.append(0)
    return -x


def key_changes_list(xs: list[int]) -> list[int]:
    xs.sort(key=lambda x: _grow(xs, x))
    return xs


def argmax_pair(xs: list[float]) -> tuple[int, float]:
    return max(enumerate(xs), key=lambda t: t[1])


def order_unsigned(a: "uint64[:]") -> list[int]:
    return sorted(range(len(a)), key=lambda i: a[i])


def deletions(xs: list[int], i: int, a: int, b: int) -> list[int]:
    ys = xs.copy()
    del ys[i]
    del ys[a:b]
    return ys


def drop_keys(d: dict[int, float], k: int) -> int:
    del d[k]
    return len(d)


def numbered(xs: list[int]) -> list[tuple[int, int]]:
    return [(i, x) for i, x in enumerate(xs, 1)]


def weighted_from(xs: list[float], k: int) -> float:
    s = 0.0
    for i, x in enumerate(xs, start=k):
        s += i * x
    return s

"""Fusion, seen from outside: a whole array statement makes no temporary
arrays. Each compiled module counts its allocations (`module._allocations()`,
every kiln_alloc since it was loaded); each case checks how many one call
makes, and that its result equals NumPy's on the same source."""
import numpy as np
import pytest

SOURCE = '''
import numpy as np
from kiln.types import float64


def expr(a: float64[:], b: float64[:], c: float64[:]):
    return a * b + np.sin(c) / 2


def sum_sq(x: float64[:], y: float64[:]) -> float:
    return np.sum((x - y) ** 2)


def pairwise(x: float64[:, :]):
    return np.sqrt(((x[:, None, :] - x[None, :, :]) ** 2).sum(-1))


def heat(u: float64[:, :], alpha: float):
    v = u.copy()
    v[1:-1, 1:-1] = u[1:-1, 1:-1] + alpha * (u[2:, 1:-1] + u[:-2, 1:-1] + u[1:-1, 2:]
                                             + u[1:-1, :-2] - 4.0 * u[1:-1, 1:-1])
    return v


def shift_add(a: float64[:]):
    a[1:] += a[:-1]
    return a


def in_place(a: float64[:], b: float64[:]):
    a += 2.0 * b
    return a


def views(a: float64[:, :]):
    return a[1:, ::2].T


def softmax(x: float64[:, :]):
    e = np.exp(x - x.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def matvec(m: float64[:, :], v: float64[:]):
    return m @ v + 1.0


# Forward substitution: a variable read only by the next statement is
# computed inside it (frontend/ForwardSubstitute.cpp).
def nearest(x: float64[:, :], c: float64[:, :]):
    n = x.shape[0]
    k = c.shape[0]
    d = x.shape[1]
    diff = x.reshape((n, 1, d)) - c.reshape((1, k, d))
    dist2 = np.sum(diff * diff, axis=2)
    return dist2


def reversed_into(a: float64[:]):
    v = a[::-1] * 1.0
    a[:] = v          # overlaps a: read through a copy, as without substitution
    return a


def doubled_in_place(a: float64[:]):
    v = a * 2.0
    a += v
    return a


def bump(a):
    a[0] = 100.0
    return 1.0


def call_between(a: float64[:]):
    v = a * 2.0
    r = bump(a) + v   # v is a * 2.0 from before the call: not substituted
    return r


def used_twice(a: float64[:]):
    v = a * 2.0
    w = v + 1.0
    return w + v


# Named temporaries read by a later statement (not the next one): the
# statements between bind names to pure array expressions, so the
# temporaries move into the statement that reads them.
def rosenbrock(x: float64[:]) -> float:
    t0 = 100.0 * (x[1:] - x[:-1] ** 2) ** 2
    t1 = (1.0 - x[:-1]) ** 2
    return np.sum(t0 + t1)


def two_named(x: float64[:]):
    a = np.sin(x) * 2.0
    b = np.cos(x)
    return a + b


# `a + b` may raise (broadcasting) before `c` is read, and so may `x * y`:
# CPython raises c's error first, so c is computed where it stands, and
# so are a and b, which may not move past it.
def three_named(x: float64[:], y: float64[:]):
    a = np.sin(x) * 2.0
    b = np.cos(y)
    c = x * y
    return a + b - c


# A statement between that writes elements of an array the temporary reads
# (through another name: both parameters may be one array): not moved.
def element_write_between(x: float64[:], y: float64[:]):
    t = x * 2.0
    y[0] = 100.0
    return t + y


# A statement between rebinds a name the temporary reads: not moved.
def rebind_between(x: float64[:], y: float64[:]):
    t = x * 2.0
    x = y
    return t + x


# `out[i] = expr` on a 2-D array: computed straight into the row.
def row_softmax(x: float64[:, :]):
    out = np.empty_like(x)
    for i in range(x.shape[0]):
        e = np.exp(x[i] - np.max(x[i]))
        out[i] = e / np.sum(e)
    return out


def rows_scaled(x: float64[:, :], s: float64[:]):
    out = np.zeros((x.shape[0], x.shape[1]))
    for i in range(x.shape[0]):
        out[i] = x[i] * s[i] + 1.0
    return out
'''

# name -> (arguments, allocations one call makes)
CASES = {
    # the result only
    "expr": (lambda r: (r.random(50), r.random(50), r.random(50)), 1),
    # nothing at all: the sum runs in the loop nest of the expression
    "sum_sq": (lambda r: (r.random(50), r.random(50)), 0),
    # the (n, n) result, never the (n, n, 3) difference
    "pairwise": (lambda r: (r.random((20, 3)),), 1),
    # the copy; the stencil is computed straight into v's interior
    "heat": (lambda r: (r.random((12, 9)), 0.1), 1),
    # a[1:] and a[:-1] overlap: NumPy's answer needs one temporary
    "shift_add": (lambda r: (r.random(40),), 1),
    # in place, no temporary (a is read and written at the same index)
    "in_place": (lambda r: (r.random(40), r.random(40)), 0),
    # views only
    "views": (lambda r: (r.random((6, 7)),), 0),
    # row maxima, e, row sums, the result: no temporary for x - max or e / sum
    "softmax": (lambda r: (r.random((8, 5)),), 4),
    # the product; `+ 1.0` is a second statement-level expression over it
    "matvec": (lambda r: (r.random((6, 4)), r.random(4)), 2),
    # the (n, k) distances only, never the (n, k, d) differences
    "nearest": (lambda r: (r.random((30, 4)), r.random((5, 4))), 1),
    # the copy NumPy's overlap rule needs
    "reversed_into": (lambda r: (r.random(9),), 1),
    "doubled_in_place": (lambda r: (r.random(9),), 0),
    # v (before the call), then the sum
    "call_between": (lambda r: (r.random(9),), 2),
    # v is read by two statements, so it is made; w is read only by the
    # return, so it is fused into it: v and the result
    "used_twice": (lambda r: (r.random(9),), 2),
    # the result, and e for each of the 6 rows; e / sum goes into the row
    "row_softmax": (lambda r: (r.random((6, 5)),), 7),
    # the result only
    "rows_scaled": (lambda r: (r.random((6, 5)), r.random(6)), 1),
    # nothing: t0 and t1 both fuse into the sum
    "rosenbrock": (lambda r: (r.random(50) * 2,), 0),
    # the result only: a and b fuse into the return
    "two_named": (lambda r: (r.random(20),), 1),
    # a, b, c and the result
    "three_named": (lambda r: (r.random(20), r.random(20)), 4),
    # t (made before the write), then the result
    "element_write_between": (lambda r: (r.random(9), r.random(9)), 2),
    "rebind_between": (lambda r: (r.random(9), r.random(9)), 2),
}


def test_out_keyword_between_is_a_write(compile_module):
    """`np.multiply(y, 3.0, out=x)` between writes x: t (read from x
    before it) is computed where it stands."""
    src = '''
import numpy as np
from kiln.types import float64

def out_between(x: float64[:], y: float64[:]):
    t = x * 2.0
    u = np.multiply(y, 3.0, out=x)
    return t + u

# out= in the statement itself: NumPy computes x * 2.0 before the call
# writes x, with or without a temporary.
def out_in_use(x: float64[:], y: float64[:]):
    v = x * 2.0
    return v + np.add(y, 1.0, out=x)

def out_in_use_later(x: float64[:], y: float64[:]):
    v = x * 2.0
    w = y * 3.0
    return v + np.add(w, 1.0, out=x)

def out_in_expression(x: float64[:], y: float64[:]):
    return x * 2.0 + np.add(y, 1.0, out=x)

def out_reduction(x: float64[:, :], o: float64[:]):
    v = o * 2.0
    w = x * 1.0
    return v + np.sum(w, axis=0, out=o)
'''
    m = compile_module(src, "fusion_out", options=("-O2",))
    for name in ("out_between", "out_in_use", "out_in_use_later", "out_in_expression"):
        a, b = np.arange(3.0), np.ones(3)
        np.testing.assert_array_equal(getattr(m.k, name)(a.copy(), b.copy()),
                                      getattr(m.py, name)(a, b), err_msg=name)
    x, o = np.ones((2, 3)), np.arange(3.0)
    np.testing.assert_array_equal(m.k.out_reduction(x.copy(), o.copy()), m.py.out_reduction(x, o))


def test_write_between_sees_old_values(mod):
    """The same array for both parameters: t holds x * 2 from before y[0]
    is written, as in CPython."""
    a = np.arange(5.0)
    b = np.arange(5.0)
    np.testing.assert_array_equal(mod.k.element_write_between(a, a),
                                  mod.py.element_write_between(b, b))


def test_error_order_of_moved_temporaries(compile_module):
    """Both temporaries may raise; CPython raises the first statement's
    error. Read in the other order by the return, the first may not move
    past the second."""
    src = '''
from kiln.types import float64

def second_first(x: float64[:], y: float64[:], z: float64[:]):
    t0 = x + y
    t1 = x + z
    return t1 + t0

def first_first(x: float64[:], y: float64[:], z: float64[:]):
    t0 = x + y
    t1 = x + z
    return t0 + t1
'''
    m = compile_module(src, "fusion_order", options=("-O2",))
    x, y, z = np.ones(5), np.ones(4), np.ones(3)
    for name in ("second_first", "first_first"):
        with pytest.raises(ValueError) as k:
            getattr(m.k, name)(x, y, z)
        with pytest.raises(ValueError) as p:
            getattr(m.py, name)(x, y, z)
        assert str(k.value) == str(p.value), name
        assert "(5,) (4,)" in str(k.value)
        ok = np.ones(5)
        np.testing.assert_array_equal(getattr(m.k, name)(ok, ok, ok), 4 * ok)


@pytest.fixture(scope="module")
def mod(compile_module):
    return compile_module(SOURCE, "fusion", options=("-O2",))


@pytest.mark.parametrize("name", sorted(CASES))
def test_allocations_per_call(mod, name):
    make_args, expected = CASES[name]
    args = make_args(np.random.default_rng(7))
    k_args = [a.copy() if isinstance(a, np.ndarray) else a for a in args]
    p_args = [a.copy() if isinstance(a, np.ndarray) else a for a in args]
    before = mod.k._allocations()
    got = getattr(mod.k, name)(*k_args)
    made = mod.k._allocations() - before
    want = getattr(mod.py, name)(*p_args)
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-14)
    assert made == expected, "%s made %d allocations, expected %d" % (name, made, expected)


def test_view_result_shares_memory(mod):
    a = np.random.default_rng(1).random((6, 7))
    v = mod.k.views(a)
    assert np.shares_memory(v, a)
    np.testing.assert_array_equal(v, a[1:, ::2].T)

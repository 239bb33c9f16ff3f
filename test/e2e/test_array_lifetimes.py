"""Arrays rebound inside loops, at the default optimisation level: the passes
that free or reuse array memory (free-dead-arrays, loop-temporaries) must
never free an array that is still read, nor free one twice.

The first case is the pressure Poisson loop of the lid-driven cavity
benchmark (CFD Python's step 11), which Kiln once computed wrongly from its
third iteration on: the loop's arena release freed the previous iteration's
`pn`, and free-dead-arrays then freed `pn`'s old value again, which by then
was the memory of the new copy. The others are its siblings: rebinding in
loops, views of rebound arrays, in-place slice writes, swaps and returns.
Each runs under Kiln and CPython on the same inputs and the results (and
the arguments written in place) must be identical."""
import numpy as np
import pytest

SOURCE = '''
import numpy as np

# pythran export pressure_poisson(int64, float64[:,:], float64, float64, float64[:,:])
def pressure_poisson(nit, p, dx, dy, b):
    pn = np.empty_like(p)
    pn = p.copy()
    for q in range(nit):
        pn = p.copy()
        p[1:-1, 1:-1] = (((pn[1:-1, 2:] + pn[1:-1, 0:-2]) * dy**2 +
                          (pn[2:, 1:-1] + pn[0:-2, 1:-1]) * dx**2) /
                         (2 * (dx**2 + dy**2)) - dx**2 * dy**2 /
                         (2 * (dx**2 + dy**2)) * b[1:-1, 1:-1])
        p[:, -1] = p[:, -2]
        p[0, :] = p[1, :]
        p[:, 0] = p[:, 1]
        p[-1, :] = 0
    return p

# pythran export rebind_twice(float64[:], int64)
def rebind_twice(x, n):
    y = x.copy()
    for i in range(n):
        y = y * 0.5 + x
        z = y[1:] - y[:-1]
        y = y + 1.0
        y[1:] = y[1:] + z
    return y

# pythran export view_of_rebound(float64[:], int64)
def view_of_rebound(x, n):
    a = x.copy()
    s = 0.0
    for i in range(n):
        v = a[::2]
        a = a + 1.0
        a[::2] += v
        s += v[0] - v[-1]
    return a, s

# pythran export swap_buffers(float64[:,:], int64)
def swap_buffers(u, n):
    a = u.copy()
    b = np.zeros_like(u)
    for k in range(n):
        b[1:-1, 1:-1] = 0.25 * (a[2:, 1:-1] + a[:-2, 1:-1] + a[1:-1, 2:] + a[1:-1, :-2])
        a, b = b, a
    return a

# pythran export keep_first(float64[:], int64)
def keep_first(x, n):
    y = x * 2.0
    first = y
    for i in range(n):
        y = y + x
        y[0] = first[0] + i
    return first, y

# pythran export nested_rebind(float64[:], int64, int64)
def nested_rebind(x, n, m):
    acc = np.zeros_like(x)
    for i in range(n):
        t = x.copy()
        for j in range(m):
            t = t * 0.5
            t[1:] += t[:-1]
        acc = acc + t
    return acc
'''


@pytest.fixture(scope="module")
def mod(compile_module):
    return compile_module(SOURCE, "lifetimes", options=())


def _same(a, b):
    if isinstance(a, tuple):
        assert len(a) == len(b)
        for x, y in zip(a, b):
            _same(x, y)
    else:
        np.testing.assert_array_equal(np.asarray(a), np.asarray(b))


@pytest.mark.parametrize("shape", [(3, 3), (7, 9), (41, 41), (200, 300)])
@pytest.mark.parametrize("nit", [0, 1, 2, 3, 7])
def test_pressure_poisson(mod, shape, nit):
    rng = np.random.default_rng(nit * 1000 + shape[0])
    p0, b = rng.random(shape), rng.random(shape)
    pk, pp = p0.copy(), p0.copy()
    rk = mod.k.pressure_poisson(nit, pk, 0.1, 0.2, b)
    rp = mod.py.pressure_poisson(nit, pp, 0.1, 0.2, b)
    _same(rk, rp)
    _same(pk, pp)


@pytest.mark.parametrize("n", [0, 1, 2, 5, 17])
@pytest.mark.parametrize("size", [1, 2, 33, 5000])
def test_rebinding_1d(mod, n, size):
    x = np.random.default_rng(size + n).random(size)
    for name in ("rebind_twice", "view_of_rebound", "keep_first"):
        fk, fp = mod.pair(name)
        _same(fk(x, n), fp(x, n))
    fk, fp = mod.pair("nested_rebind")
    _same(fk(x, n, 3), fp(x, n, 3))


@pytest.mark.parametrize("shape,n", [((4, 4), 1), ((30, 20), 2), ((64, 64), 3), ((100, 80), 8)])
def test_swap_buffers(mod, shape, n):
    u = np.random.default_rng(n).random(shape)
    fk, fp = mod.pair("swap_buffers")
    _same(fk(u, n), fp(u, n))


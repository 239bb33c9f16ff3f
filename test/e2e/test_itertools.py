"""itertools.product in compiled loops, comprehensions and generator
expressions (cases/itertools_product.py), compared with CPython."""
import numpy as np
import pytest


@pytest.fixture(scope="module")
def m(compile_module):
    return compile_module("itertools_product.py")


def test_grid_search(m):
    for xs, ys in [([0.0, 1.0, 2.0], [-1.0, 0.0]), ([], [1.0]), ([3.0], [])]:
        assert m.k.best_pair(xs, ys) == m.py.best_pair(xs, ys)


def test_repeat(m):
    for n in [0, 1, 4]:
        assert m.k.lattice(n) == m.py.lattice(n)
    for k in [0, 1, 5]:
        assert m.k.bits(k) == m.py.bits(k)


def test_arrays(m):
    a = np.linspace(-2, 2, 9)
    for t in [-1.0, 0.0, 1.5]:
        assert m.k.pairs_above(a, t) == m.py.pairs_above(a, t)

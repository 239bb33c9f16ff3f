"""The random streams of compiled code (cases/random_streams.py) match
CPython's random and NumPy's legacy np.random bit for bit for the same seed,
and raise their errors with their messages."""
import numpy as np
import pytest


@pytest.fixture(scope="module")
def m(compile_module):
    return compile_module("random_streams.py")


@pytest.mark.parametrize("seed", [0, 1, 42, 2 ** 33 + 5, -7, 2 ** 62])
def test_python_random(m, seed):
    assert m.k.py_draws(seed, 40) == m.py.py_draws(seed, 40)
    assert m.k.deal(seed, 30) == m.py.deal(seed, 30)


def test_monte_carlo(m):
    assert m.k.monte_carlo_pi(3, 20000) == m.py.monte_carlo_pi(3, 20000)


@pytest.mark.parametrize("seed", [0, 1, 42, 2 ** 32 - 1])
def test_numpy_legacy(m, seed):
    assert m.k.np_draws(seed, 40) == m.py.np_draws(seed, 40)
    np.testing.assert_array_equal(m.k.np_arrays(seed), m.py.np_arrays(seed))
    np.testing.assert_array_equal(m.k.random_walk(seed, 200), m.py.random_walk(seed, 200))


def test_errors_as_the_libraries_raise_them(m):
    for which in range(6):
        got = want = None
        try:
            m.k.bad_calls(which)
        except Exception as e:  # noqa: BLE001 - compared with CPython's
            got = (type(e).__name__, str(e))
        try:
            m.py.bad_calls(which)
        except Exception as e:  # noqa: BLE001
            want = (type(e).__name__, str(e))
        assert got == want, which


def test_streams_are_not_the_interpreters(m):
    # Seeding inside compiled code leaves Python's own generators alone.
    import random
    random.seed(5)
    a = random.random()
    random.seed(5)
    m.k.py_draws(123, 3)
    assert random.random() == a

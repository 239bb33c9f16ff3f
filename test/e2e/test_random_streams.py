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


def test_wide_ranges(m):
    for hi in [10, 2 ** 40, 2 ** 62, 2 ** 63 - 1]:
        assert m.k.wide_ranges(3, hi) == m.py.wide_ranges(3, hi)


def test_numpy_argument_checks(m):
    for which, x in [(0, 0.0), (0, -1.0), (1, float("inf")), (1, float("nan")), (2, -0.0),
                     (2, -1.0), (2, 0.0)]:
        got = want = None
        try:
            got = ("ok", m.k.np_checks(which, x))
        except Exception as e:  # noqa: BLE001
            got = (type(e).__name__, str(e))
        try:
            want = ("ok", m.py.np_checks(which, x))
        except Exception as e:  # noqa: BLE001
            want = (type(e).__name__, str(e))
        assert got[0] == want[0] and (got[0] == "ok" or got == want), (which, x, got, want)


def test_fork_reseeds_python_random(m):
    # As CPython reseeds `random` in a forked child, so does compiled code:
    # two children and the parent draw three different numbers.
    import os
    m.k.seed_only(1)
    values = []
    for _ in range(2):
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.write(w, repr(m.k.draw()).encode())
            os._exit(0)
        os.waitpid(pid, 0)
        values.append(float(os.read(r, 100)))
        os.close(r)
        os.close(w)
    values.append(m.k.draw())
    assert len(set(values)) == 3, values


def test_numpy_shuffle_permutation_choice(m):
    for seed in [0, 3, 42]:
        for n in [1, 2, 17, 1000]:
            np.testing.assert_array_equal(m.k.np_shuffles(seed, n), m.py.np_shuffles(seed, n))
    with pytest.raises(ValueError, match="a must be greater than 0"):
        m.k.np_shuffles(1, 0)

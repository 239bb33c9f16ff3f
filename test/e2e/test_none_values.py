"""Differential tests of None (cases/none_values.py): optional parameters,
`is None` tests decided by types, helpers called with None, and an unbound
None variable (UnboundLocalError, as CPython)."""
import numpy as np
import pytest


@pytest.fixture(scope="module")
def m(compile_module):
    return compile_module("none_values.py")


def outcome(f, *args):
    args = [a.copy() if isinstance(a, np.ndarray) else a for a in args]
    try:
        return "ok", f(*args), args
    except Exception as e:  # noqa: BLE001 - compared with CPython's
        return "err", type(e).__name__, str(e)


def same(m, name, *args):
    got, want = outcome(getattr(m.k, name), *args), outcome(getattr(m.py, name), *args)
    assert got[0] == want[0], (name, got, want)
    if want[0] == "err":
        assert got[1:] == want[1:]
        return
    np.testing.assert_allclose(got[1], want[1], rtol=1e-15)
    for g, w in zip(got[2], want[2]):
        np.testing.assert_array_equal(g, w)


RNG = np.random.default_rng(11)


def test_optional_weights_and_outputs(m):
    x = RNG.random(6) + 0.1
    same(m, "weighted_mean", x)
    same(m, "weighted_mean", x, RNG.random(6))
    same(m, "weighted_mean", x, RNG.random(5))  # ValueError with the message
    same(m, "normalise", x)
    same(m, "normalise", x, np.zeros(6))
    same(m, "pipeline", x)


def test_none_tests_in_expressions(m):
    for n, k in [(1, 0), (-1, 3)]:
        same(m, "pick", n, k)


def test_unbound_none_variable(m):
    same(m, "maybe_unbound", 1)
    same(m, "maybe_unbound", 0)  # UnboundLocalError

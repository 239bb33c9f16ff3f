"""np.round with decimals and out= on reductions, against NumPy (NEP 50
rules, so a float32 array rounds in float32)."""
import numpy as np
import pytest

SOURCE = '''
import numpy as np
from kiln.types import float64, float32, int64


def rnd(x: float64[:], y: float32[:], i: int64[:]):
    return (np.round(x, 2), np.around(x, decimals=-1), np.round(y, 3), np.round(i, 2),
            np.round(x, 0), np.round(2.5678, 2), np.round(x * 2, 1))


def outs(m: float64[:, :], o: float64[:], o2: float64[:, :]):
    np.sum(m, axis=0, out=o)
    m.max(axis=1, keepdims=True, out=o2)
    r = np.mean(m, axis=0, out=o)
    return o, o2, r
'''


@pytest.fixture(scope="module")
def mod(compile_module):
    return compile_module(SOURCE, "round_out", options=("-O2",))


@pytest.fixture
def weak():
    old = np._get_promotion_state() if hasattr(np, "_get_promotion_state") else None
    if old is not None:
        np._set_promotion_state("weak")
    yield
    if old is not None:
        np._set_promotion_state(old)


@pytest.mark.parametrize("seed", range(3))
def test_round_with_decimals(mod, seed, weak):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(200) * 10 ** seed
    x[:6] = [0.125, -0.125, 2.675, 1e300, np.nan, -np.inf]
    i = rng.integers(-1000, 1000, 20)
    got, want = mod.k.rnd(x, x.astype(np.float32), i), mod.py.rnd(x, x.astype(np.float32), i)
    for k, (g, w) in enumerate(zip(got, want)):
        g, w = np.asarray(g), np.asarray(w)
        assert g.dtype == w.dtype, k
        np.testing.assert_array_equal(g, w, err_msg=str(k))


def test_reductions_into_out(mod):
    m = np.random.default_rng(4).random((3, 4))
    o, o2 = np.zeros(4), np.zeros((3, 1))
    r = mod.k.outs(m, o, o2)
    np.testing.assert_array_equal(o, m.mean(axis=0))
    np.testing.assert_array_equal(o2, m.max(axis=1, keepdims=True))
    assert np.shares_memory(r[2], o)  # np.mean(..., out=o) returns o itself
    with pytest.raises(ValueError, match="output parameter for reduction operation sum has "
                                         "the wrong shape: axis 0 is 5, expected 4"):
        mod.k.outs(m, np.zeros(5), o2)

"""Differential comparison of compiled functions that take and return
NumPy arrays: the outcome (results or exception type and message) and the
argument arrays afterwards must equal those of CPython running the same
source on copies of the same arguments."""
import numpy as np


def outcome(f, *args):
    """("ok", result, args afterwards) or ("err", type name, message, args)."""
    args = [a.copy() if isinstance(a, np.ndarray) else a for a in args]
    try:
        return ("ok", f(*args), args)
    except Exception as e:  # noqa: BLE001 - every exception is compared
        return ("err", type(e).__name__, str(e), args)


def check(mod, name, *args):
    """Compares mod.k.<name> with mod.py.<name>; returns "ok" or "err"."""
    want, got = outcome(getattr(mod.py, name), *args), outcome(getattr(mod.k, name), *args)
    assert got[0] == want[0], f"{name}: {got[:3]} vs {want[:3]}"
    if want[0] == "err":
        assert got[1:3] == want[1:3], name
    else:
        results = want[1] if isinstance(want[1], tuple) else (want[1],)
        gots = got[1] if isinstance(got[1], tuple) else (got[1],)
        for k, (g, w) in enumerate(zip(gots, results)):
            if w is None:
                assert g is None
                continue
            assert g.dtype == w.dtype and g.shape == w.shape, (name, k, g.shape, w.shape)
            np.testing.assert_array_equal(g, w, err_msg=f"{name}[{k}]")
    for k, (g, w) in enumerate(zip(got[-1], want[-1])):  # arguments, after the call
        if isinstance(w, np.ndarray):
            np.testing.assert_array_equal(g, w, err_msg=f"{name}: argument {k} afterwards")
    return want[0]

"""None as scientists use it: optional outputs and weights, helpers called
with and without them, tests for None that decide which code runs."""
import numpy as np

#pythran export weighted_mean(float64[:], float64[:]?)
#pythran export normalise(float64[:], float64[:]?)
#pythran export pipeline(float64[:])
#pythran export pick(int, int)
#pythran export maybe_unbound(int)


def weighted_mean(x, w=None):
    if w is None:
        return x.mean()
    if not (w is not None and w.shape[0] == x.shape[0]):
        raise ValueError("weights must match the data")
    return (x * w).sum() / w.sum()


def normalise(x, out=None):
    s = x.sum()
    if out is None:
        return x / s
    out[:] = x / s
    return out


def pipeline(x):
    # The same helper, with and without its optional argument.
    a = normalise(x)
    b = normalise(x, None)
    c = normalise(x, np.empty_like(x))
    return a.sum() + b.sum() + c.sum() + weighted_mean(x) + weighted_mean(x, x)


def pick(n, k):
    best = None if n < 0 else None
    found = best is not None and best > k
    return 1 if found else 0


def maybe_unbound(n):
    if n > 0:
        marker = None
    return marker is None

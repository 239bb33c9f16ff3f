"""Export comments in Pythran's full language, as Pythran users write them:
several functions per comment, comments continued over lines, `or`
alternatives, optional `T?` parameters, parameters left to their defaults,
order(C)/order(F), fixed extents and container types."""
import numpy as np

#pythran export norm2(float64[]), dot3(float64[3], float64[3])
#pythran export scale(int or float, float?)
#pythran export blend(float64[:, :],
#                     float64[:, :],
#                     float)
#pythran export trace(float64[:, :] order(C))
#pythran export colsum(float64[:, :] order(F))
#pythran export rowsum(float64[][])
#pythran export first_col(float64[:, 2])
#pythran export clip(float[], float, float?, bool?)
#pythran export smooth(float64[], int)
#pythran export histogram(int list, int:int dict)
#pythran export pair_sum((int, float) list)
#pythran export uniq(int set)
#pythran export fill(float64[:], float64[:]?)


def norm2(v):
    return np.sqrt(np.sum(v * v))


def dot3(a, b):
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]


def scale(x, factor=2.0):
    return x * factor


def blend(a, b, t):
    return (1 - t) * a + t * b


def trace(m):
    s = 0.0
    for i in range(min(m.shape[0], m.shape[1])):
        s += m[i, i]
    return s


def colsum(m):
    return m.sum(axis=0)


def rowsum(m):
    return m.sum(axis=1)


def first_col(m):
    return m[:, 0].copy()


def clip(v, lo, hi=1.0, inplace=False):
    out = v if inplace else v.copy()
    for i in range(out.shape[0]):
        if out[i] < lo:
            out[i] = lo
        elif out[i] > hi:
            out[i] = hi
    return out


def smooth(v, width=3, mode=None):
    # `mode` is left out of the export: it is bound to its default, None.
    n = v.shape[0]
    out = np.zeros(n)
    h = width // 2
    for i in range(n):
        lo = max(0, i - h)
        hi = min(n, i + h + 1)
        out[i] = v[lo:hi].mean()
    if mode is not None:
        out = out * 2
    return out


def histogram(xs, counts):
    for x in xs:
        counts[x] = counts.get(x, 0) + 1
    return len(counts)


def pair_sum(ps):
    return sum(a * b for a, b in ps)


def uniq(s):
    return len(s)


def fill(a, out=None):
    if out is None:
        return a * 2.0
    out[:] = a * 2.0
    return out

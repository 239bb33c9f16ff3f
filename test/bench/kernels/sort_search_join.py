"""Sort-and-search join: for each query key, the position of an equal key in an unsorted key array, or -1 (np.argsort, np.searchsorted, gathers)."""
import numpy as np

#pythran export sort_search_join(int64[:], int64[:])


def sort_search_join(keys, queries):
    order = np.argsort(keys, kind="mergesort")
    ordered = keys[order]
    pos = np.searchsorted(ordered, queries)
    pos = np.minimum(pos, ordered.shape[0] - 1)
    found = ordered[pos] == queries
    return np.where(found, order[pos], -1)

# ---- harness (not compiled: the runner splits the file here) ----
SIZES = {"small": 1000, "medium": 200_000, "large": 2_000_000}


def setup(n, rng):
    """Arguments of the entry function for size parameter n; rng is np.random.default_rng(seed)."""
    keys = rng.permutation(4 * n)[:n].astype(np.int64)
    queries = rng.integers(0, 4 * n, n).astype(np.int64)
    return (keys, queries)


TOLERANCE = {"rtol": 0, "atol": 0}

"""Many processes: Kiln functions pickle by reference (module name and
function name), so multiprocessing and joblib send them to their workers,
which import the module themselves: it must be importable by name there
(on sys.path, or installed). One Kiln thread per worker process keeps
the machine from being oversubscribed (joblib's loky backend does that by
itself through OMP_NUM_THREADS)."""
import multiprocessing as mp

import numpy as np
from joblib import Parallel, delayed

import heat
from common import hot_spot, solve_numpy


def one_thread():
    import kiln
    kiln.set_num_threads(1)


def run(seed):
    return heat.energy(heat.solve(hot_spot(120, seed), 0.2, 30))


if __name__ == "__main__":
    want = [np.sum(solve_numpy(hot_spot(120, s), 0.2, 30) ** 2) for s in range(6)]
    with mp.get_context("spawn").Pool(2, initializer=one_thread) as pool:
        got = pool.map(run, range(6))
    np.testing.assert_allclose(got, want, rtol=1e-12)
    got = Parallel(n_jobs=2)(delayed(run)(s) for s in range(6))
    np.testing.assert_allclose(got, want, rtol=1e-12)
    print("ok")

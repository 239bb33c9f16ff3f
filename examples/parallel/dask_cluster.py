"""A cluster with Dask: a distributed LocalCluster here, the same code on a
real one. Blocks travel to worker processes and back through Dask's
serialisation (arrays may arrive not aligned to their item size: Kiln runs
those on an aligned copy); each worker's nanny sets OMP_NUM_THREADS=1, which
Kiln honours, so workers do not oversubscribe their machine."""
import dask.array as da
import numpy as np
from distributed import Client, LocalCluster

import heat
from common import hot_spot, step_numpy

if __name__ == "__main__":
    with LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster, \
            Client(cluster):
        u = hot_spot(300)
        d = da.from_array(u, chunks=(100, 100))
        # one heat step per block, with a one-cell halo from the neighbours
        got = d.map_overlap(lambda b: heat.step(b, 0.2), depth=1, boundary="none").compute()
        np.testing.assert_allclose(got, step_numpy(u, 0.2), rtol=1e-12)
        total = d.map_blocks(lambda b: np.array([[heat.energy(b)]]), chunks=(1, 1)).sum()
        np.testing.assert_allclose(total.compute(), np.sum(u * u), rtol=1e-12)
    print("ok")

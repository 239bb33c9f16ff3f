"""MPI: each rank owns a band of rows and computes on it; a reduction
combines the ranks' results. Run with

    mpiexec -n 2 python3 examples/parallel/mpi_ranks.py
"""
import numpy as np
from mpi4py import MPI

import heat
from common import hot_spot

comm = MPI.COMM_WORLD
rank, size = comm.Get_rank(), comm.Get_size()
u = hot_spot(256)                        # every rank makes the same field
rows = np.array_split(np.arange(u.shape[0]), size)[rank]
band = np.ascontiguousarray(u[rows[0]:rows[-1] + 1])
total = comm.allreduce(heat.energy(band), op=MPI.SUM)
if rank == 0:
    np.testing.assert_allclose(total, np.sum(u * u), rtol=1e-12)
    print("ok", size)

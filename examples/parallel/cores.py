"""From one core to all cores: the same call, with Kiln's thread count set
process-wide (kiln.set_num_threads, or for a block, kiln.num_threads)."""
import time

import kiln
import numpy as np

import heat
from common import hot_spot, solve_numpy

assert heat.__file__.endswith(".so"), "compile heat.py first (docs/parallel-python.md)"
u0 = hot_spot(400)
want = solve_numpy(u0, 0.2, 50)
heat.solve(u0, 0.2, 50)  # the first call pays for memory the next ones reuse
for n in (1, kiln.get_num_threads()):
    with kiln.num_threads(n):
        t0 = time.perf_counter()
        got = heat.solve(u0, 0.2, 50)
        print(f"{n} thread(s): {time.perf_counter() - t0:.4f} s")
    np.testing.assert_allclose(got, want, rtol=1e-12)
print("ok")

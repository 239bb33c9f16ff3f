"""Many Python threads: a compiled call releases the GIL while it computes,
so a thread pool runs kernels side by side. Each call still uses Kiln's
thread count for its own parallel loops; with as many Python threads as
cores, one thread per call is usually best."""
from concurrent.futures import ThreadPoolExecutor

import kiln
import numpy as np

import heat
from common import hot_spot, solve_numpy

fields = [hot_spot(200, seed) for seed in range(8)]
kiln.set_num_threads(1)
with ThreadPoolExecutor(max_workers=4) as pool:
    results = list(pool.map(lambda u: heat.solve(u, 0.2, 20), fields))
for u, got in zip(fields, results):
    np.testing.assert_allclose(got, solve_numpy(u, 0.2, 20), rtol=1e-12)
print("ok")

"""N-body: gravitational accelerations of N softened point masses (explicit i, j loops, sqrt)."""
import math

import numpy as np

#pythran export nbody(float64[:,:], float64[:], float)


def nbody(pos, mass, eps):
    n = pos.shape[0]
    acc = np.zeros((n, 3))
    eps2 = eps * eps
    for i in range(n):  # prange
        xi = pos[i, 0]
        yi = pos[i, 1]
        zi = pos[i, 2]
        ax = 0.0
        ay = 0.0
        az = 0.0
        for j in range(n):
            dx = pos[j, 0] - xi
            dy = pos[j, 1] - yi
            dz = pos[j, 2] - zi
            r2 = dx * dx + dy * dy + dz * dz + eps2
            s = mass[j] / (r2 * math.sqrt(r2))
            ax += s * dx
            ay += s * dy
            az += s * dz
        acc[i, 0] = ax
        acc[i, 1] = ay
        acc[i, 2] = az
    return acc

# ---- harness (not compiled: the runner splits the file here) ----
SIZES = {"small": 64, "medium": 500, "large": 4000}


def setup(n, rng):
    """Arguments of the entry function for size parameter n; rng is np.random.default_rng(seed)."""
    pos = rng.random((n, 3))
    mass = (0.5 + rng.random(n)) / n
    return (pos, mass, 0.01)


def reference(pos, mass, eps):
    """Broadcast over blocks of rows (a full N x N x 3 temporary is too big at large N)."""
    n = pos.shape[0]
    acc = np.empty((n, 3))
    for b in range(0, n, 256):
        d = pos[None, :, :] - pos[b:b + 256, None, :]
        r2 = np.sum(d * d, axis=2) + eps * eps
        s = mass[None, :] / (r2 * np.sqrt(r2))
        acc[b:b + 256] = np.einsum("ij,ijk->ik", s, d)
    return acc


TOLERANCE = {"rtol": 1e-8, "atol": 1e-8}

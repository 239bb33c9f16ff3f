# RUN: %verify-diags %s
# A NumPy function missing a required argument given neither by position nor
# by keyword.
import numpy as np
from kiln.types import float64


def f(x: float64[:, :]):
    # expected-error:12 {{`np.swapaxes` missing required argument `axis1`}}
    return np.swapaxes(x, axis2=0)

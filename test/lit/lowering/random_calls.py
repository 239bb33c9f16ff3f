# RUN: %kiln compile %s --emit=kir -O0 | %FileCheck %s
# random and np.random calls are draws of the runtime's streams with the
# library's own arithmetic around them: randint(a, b) is a + below(b + 1 - a),
# np.random.normal(loc, scale) is loc + scale * gauss.
import random
import numpy as np


def f(a: int, b: int) -> float:
    random.seed(a)
    k = random.randint(a, b)
    return np.random.normal(1.0, 2.0) + k

# CHECK-LABEL: func @f
# CHECK:       random.seed %{{.+}} [gen = "py"]
# CHECK:       %[[W:.+]] = sub
# CHECK:       random.draw %[[W]] [gen = "py", kind = "below"] : int64
# CHECK:       random.draw [gen = "np", kind = "gauss"] : float64
# CHECK:       mul
# CHECK:       add

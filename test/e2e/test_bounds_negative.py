"""Indices that loop bounds do NOT prove in range keep Python's behaviour:
IndexError past either end, and negative indices wrapping to the end. Each
function (test/lit/passes/bounds-checks/must_not_prove.py, where the kept
checks are seen in the IR) runs under Kiln and CPython on arrays of several
lengths, and the outcomes (value or exception and message) must agree.
These kill mutations of the range proof that a run of the proving cases
alone could not tell apart."""
from pathlib import Path

import numpy as np
import pytest

from difftest import outcome

SRC = Path(__file__).resolve().parents[1] / "lit" / "passes" / "bounds-checks" / "must_not_prove.py"


@pytest.fixture(scope="module")
def m(compile_module):
    return compile_module(SRC)


@pytest.mark.parametrize("n", [0, 1, 2, 5, 6, 7, 40])
@pytest.mark.parametrize("name", ["one_past_end", "one_before_start", "negative_step"])
def test_against_cpython(m, name, n):
    x = np.arange(1.0, n + 1.0)
    fk, fp = m.pair(name)
    assert outcome(fk, x) == outcome(fp, x)


@pytest.mark.parametrize("n", [0, 1, 2, 3, 8])
@pytest.mark.parametrize("reps", [0, 1, 3])
def test_negative_factor(m, n, reps):
    x = np.arange(1.0, n + 1.0)
    fk, fp = m.pair("negative_factor")
    assert outcome(fk, x, reps) == outcome(fp, x, reps)


SLOTS = '''
import numpy as np


def two_sizes(n: int, m: int) -> float:
    a = np.zeros(n) + 1.0
    s = 0.0
    for r in range(2):
        for i in range(n):
            s += a[i]
        a = np.zeros(m) + 2.0
    return s


def lazy_use(x: "float64[:]", c: bool) -> float:
    v = x[5]
    r = v if c else 0.0
    return r
'''


@pytest.mark.parametrize("n,m", [(10, 5), (5, 10), (4, 4), (0, 3)])
def test_variable_given_arrays_of_two_sizes(compile_module, n, m):
    # A variable holding arrays of different extents keeps the check of an
    # index proven only against the first (the slot-extent lattice must move
    # from Known to Mixed; a mutation that kept it Known survived).
    mod = compile_module(SLOTS, "slotsizes")
    fk, fp = mod.pair("two_sizes")
    assert outcome(fk, n, m) == outcome(fp, n, m)


@pytest.mark.parametrize("c", [False, True])
def test_no_substitution_into_a_branch(compile_module, c):
    # `v` is only read in one branch of `v if c else 0.0`: its index error
    # must not be raised when that branch is not taken.
    mod = compile_module(SLOTS, "slotsizes")
    fk, fp = mod.pair("lazy_use")
    x = np.arange(3.0)
    assert outcome(fk, x, c) == outcome(fp, x, c)

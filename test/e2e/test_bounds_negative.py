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

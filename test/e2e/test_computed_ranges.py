"""Loops over ranges with computed starts and steps (passes/BoundsChecks.cpp
proves `range(i * i, n, i)` in bounds when i only counts up from 2): the
results, and the errors where the bounds are not proven, are CPython's."""
from pathlib import Path

import pytest

from arraydiff import outcome

# The functions of the lit test that checks which of these loops keep their
# bounds checks: the sieve's `range(i * i, n, i)` (none), computed starts
# and steps that may be negative (kept).
SRC = (Path(__file__).resolve().parents[1] / "lit" / "passes" / "bounds-checks" /
       "computed_ranges.py").read_text()


@pytest.fixture(scope="module")
def m(compile_module):
    return compile_module(SRC, "computed_ranges", options=("-O2",))


def same(m, name, *args):
    want, got = outcome(getattr(m.py, name), *args), outcome(getattr(m.k, name), *args)
    assert got[:3] == want[:3], (name, args, got[:3], want[:3])
    return want[0]


def test_sieve(m):
    for n in [0, 1, 2, 3, 4, 5, 10, 97, 100, 1000, 10007]:
        assert same(m, "sieve", n) == "ok"
    assert m.k.sieve(1000) == 168


def test_unproven_ranges_keep_their_checks(m):
    # stops past the end, negative starts (which wrap), negative steps
    for n, start, s in [(10, 0, 1), (10, 0, 3), (10, 9, -1), (10, -5, 2), (10, -20, 1),
                        (10, 12, -4), (10, 0, 0), (0, 0, 1)]:
        same(m, "any_step", n, start, s)
    assert same(m, "any_step", 10, 0, 1) == "err"          # j = 10: IndexError
    for n, s in [(50, 3), (50, -1), (50, 0), (50, 60), (5, 2)]:
        same(m, "sometimes_argument", n, s)

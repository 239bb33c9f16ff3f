"""Loops over ranges with computed starts and steps (passes/BoundsChecks.cpp
proves `range(i * i, n, i)` in bounds when i only counts up from 2): the
results, and the errors where the bounds are not proven, are CPython's."""
import pytest

from arraydiff import outcome

SRC = '''
import numpy as np


def sieve(n: int) -> int:
    flags = np.full(n, True)
    i = 2
    while i * i < n:
        if flags[i]:
            for j in range(i * i, n, i):
                flags[j] = False
        i += 1
    return int(np.sum(flags[2:]))


def any_step(n: int, start: int, s: int) -> int:
    flags = np.full(n, True)
    for j in range(start, n + 3, s):
        flags[j] = False
    return int(np.sum(flags))


def sometimes_argument(n: int, s: int) -> int:
    flags = np.full(n, True)
    k = 1
    for r in range(3):
        for j in range(k * k, n, k):
            flags[j] = False
        k = k + 1
        if r == 1:
            k = s
    return int(np.sum(flags))
'''


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

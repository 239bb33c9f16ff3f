"""Differential tests of cases/calls.py: recursion, mutual recursion, helpers
specialised per call-site types, keyword arguments and defaults, tuples."""
import itertools
import random

import pytest

from difftest import FLOATS, I64_MAX, I64_MIN, INTS, SMALL_INTS, check, kiln_int64

rng = random.Random(99)


@pytest.fixture(scope="module")
def m(compile_module):
    return compile_module("calls.py")


def test_fib(m):
    check(m.k.fib, m.py.fib, [(n,) for n in range(-3, 21)])
    assert m.k.fib(30) == 832040
    # fib(92) is the last that fits; the loop computes fib(n + 1) too
    check(m.k.fib_iter, kiln_int64(m.py.fib_iter), [(n,) for n in range(-1, 92)])
    assert m.k.fib_iter(91) == 4660046610375530309


def test_ackermann(m):
    check(m.k.ackermann, m.py.ackermann,
          [(a, b) for a in range(0, 3) for b in range(0, 6)] + [(3, 3), (3, 4)])
    assert m.k.ackermann(3, 4) == 125


def test_mutual_recursion(m):
    check(m.k.is_even, m.py.is_even, [(n,) for n in range(0, 60)])
    check(m.k.is_odd, m.py.is_odd, [(n,) for n in range(0, 60)])
    assert m.k.is_even(901) is False and m.k.is_odd(901) is True


def test_factorial_and_gcd(m):
    check(m.k.fact, kiln_int64(m.py.fact), [(n,) for n in range(-2, 25)])
    pairs = list(itertools.product(INTS, [0, 1, -1, 6, -6, 36, 97, I64_MAX, I64_MIN]))
    pairs += [(rng.randint(-10**12, 10**12), rng.randint(-10**6, 10**6)) for _ in range(60)]
    check(m.k.gcd, m.py.gcd, pairs)
    check(m.k.gcd_rec, m.py.gcd_rec, pairs)


def test_helpers_specialised_per_call_site(m):
    fl = [0.0, -0.0, 1.5, -2.25, 1e200, float("nan"), float("inf")]
    ints = [0, -3, 7, 3037000499, 3037000500, I64_MIN]
    check(m.k.use_square, kiln_int64(m.py.use_square), itertools.product(ints, fl))
    check(m.k.use_scale, kiln_int64(m.py.use_scale), itertools.product(ints, fl))
    check(m.k.use_half, m.py.use_half, itertools.product(INTS, fl))
    check(m.k.deep_helpers, kiln_int64(m.py.deep_helpers),
          itertools.product([0, -3, 7, 3037000499, -3037000499], fl))
    # types come from each call site: int stays int, float stays float
    r = m.k.use_square(3, 1.5)
    assert r == (9, 2.25, 11.25) and type(r[0]) is int and type(r[1]) is float


def test_keywords_and_defaults(m):
    check(m.k.use_clamp, m.py.use_clamp, [(x,) for x in range(-8, 14)] + [(I64_MIN,), (I64_MAX,)])
    check(m.k.call_defaults, m.py.call_defaults, [(a,) for a in SMALL_INTS])
    check(m.k.kw_only_order, m.py.kw_only_order, itertools.product(SMALL_INTS, SMALL_INTS))
    assert m.k.kw_only_order(10, 3) == -7


def test_exported_function_defaults(m):
    # literal defaults of an exported function, called from Python
    check(m.k.defaults, m.py.defaults, [(1,), (1, 2), (1, 2, 3.5), (1, 2, 3.5, False)])
    assert m.k.defaults(5, d=False, c=1) == (5, 10, 1.0, False)
    check(lambda **kw: m.k.defaults(**kw), lambda **kw: m.py.defaults(**kw), [()])


def test_tuples(m):
    pairs = list(itertools.product(INTS, [1, -1, 7, -7, 0, I64_MIN]))
    check(m.k.divmod_pair, kiln_int64(m.py.divmod_pair), pairs)
    # q * b + r must not overflow on the way: keep b small
    check(m.k.use_tuple, kiln_int64(m.py.use_tuple), [p for p in pairs if abs(p[1]) < 10 and abs(p[0]) < 2**62])
    check(m.k.tuple_index, kiln_int64(m.py.tuple_index), pairs)
    check(m.k.minmax, m.py.minmax, itertools.product(FLOATS, FLOATS))
    check(m.k.nested_tuple, kiln_int64(m.py.nested_tuple), [(a,) for a in INTS])
    check(m.k.unpack_nested, m.py.unpack_nested, [(a,) for a in INTS if abs(a) < 2**61])
    check(m.k.swap, m.py.swap, pairs)
    check(m.k.swap_f, m.py.swap_f, itertools.product(FLOATS, FLOATS))
    check(m.k.rotate, m.py.rotate, [(1, 2, 3), (I64_MIN, 0, I64_MAX)])
    check(m.k.accumulate_pairs, m.py.accumulate_pairs, [(n,) for n in range(0, 60)])
    check(m.k.tuple_of_calls, kiln_int64(m.py.tuple_of_calls), [(n,) for n in range(0, 21)])
    r = m.k.nested_tuple(4)
    assert r == (4, (8, 4.0), True) and type(r[1][1]) is float and type(r[2]) is bool


def test_recursion_with_floats(m):
    check(m.k.recursive_sum, m.py.recursive_sum, [(n,) for n in [0, 1, 2, 10, 300]])


POSONLY = '''
def po(x: int, y: int, /, z: int = 3) -> int:
    return x * 100 + y * 10 + z
'''


def test_positional_only_parameters(compile_module):
    # RELIABILITY row 8: `def f(x, /, y)` refuses x= with CPython's message.
    m = compile_module(POSONLY, "posonly")
    for args, kw in [((1, 2), {}), ((1, 2, 4), {}), ((1, 2), {"z": 5}),
                     ((1,), {"y": 2}), ((), {"x": 1, "y": 2}), ((1,), {"x": 1, "y": 2, "z": 0}),
                     ((1, 2), {"q": 1})]:
        outcomes = []
        for f in (m.k.po, m.py.po):
            try:
                outcomes.append(("ok", f(*args, **kw)))
            except TypeError as e:
                outcomes.append(("TypeError", str(e)))
        assert outcomes[0] == outcomes[1], (args, kw, outcomes)

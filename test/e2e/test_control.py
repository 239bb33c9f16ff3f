"""Differential tests of cases/control.py and cases/misc.py: branches, loops
(with else, break, continue, negative steps, extreme bounds), early returns,
augmented assignment, documented type widening."""
import itertools
import random

import pytest

from difftest import FLOATS, I64_MAX, I64_MIN, INTS, NAN, check, kiln_int64

rng = random.Random(7)


@pytest.fixture(scope="module")
def m(compile_module):
    return compile_module("control.py")


@pytest.fixture(scope="module")
def misc(compile_module):
    return compile_module("misc.py")


def test_if_elif_else(m):
    check(m.k.sign, m.py.sign, [(x,) for x in FLOATS])
    check(m.k.classify, m.py.classify, [(a,) for a in INTS + list(range(-31, 31))])


def test_range_one_and_two_args(m):
    check(m.k.range1, m.py.range1, [(n,) for n in range(-3, 40)] + [(-10**18,), (I64_MIN,)])
    check(m.k.range2, m.py.range2, itertools.product(range(-6, 7), range(-6, 7)))


STEPS = [-7, -3, -2, -1, 1, 2, 3, 7]


def test_range_three_args(m):
    cases = list(itertools.product(range(-9, 10, 2), range(-9, 10, 3), STEPS))
    # extreme bounds: the induction variable must not overflow at the end
    cases += [(I64_MAX - 3, I64_MAX, 1), (I64_MAX - 10, I64_MAX, 3), (I64_MAX - 1, I64_MAX, 7),
              (I64_MIN + 3, I64_MIN, -1), (I64_MIN + 10, I64_MIN, -3), (I64_MIN + 1, I64_MIN, -7),
              (0, 10, I64_MAX), (10, 0, I64_MIN), (I64_MIN, I64_MAX, I64_MAX),
              (I64_MAX, I64_MIN, I64_MIN), (I64_MAX, I64_MIN, -I64_MAX),
              (I64_MIN, I64_MIN + 5, 2), (-5, 5, 0), (5, -5, 0)]
    check(m.k.range3, m.py.range3, cases)
    assert m.k.range3(I64_MIN, I64_MAX, I64_MAX) == (3, I64_MIN, I64_MAX - 1)


def test_range_zero_step(m):
    with pytest.raises(ValueError) as e:
        m.k.range_zero_step(0)
    assert str(e.value) == "range() arg 3 must not be zero"
    check(m.k.range_zero_step, m.py.range_zero_step, [(n,) for n in [-3, -1, 0, 1, 2, 11]])


def test_negative_steps(m):
    check(m.k.range_neg_step, kiln_int64(m.py.range_neg_step), [(n,) for n in range(-3, 40)])
    cases = [(a, b, s) for a, b, s in itertools.product([-20, -1, 0, 5, 17], [-20, 0, 3, 20],
                                                        [-5, -2, -1, 1, 4])]
    check(m.k.range_step_var, m.py.range_step_var, cases)


def test_loop_variable(m):
    check(m.k.loop_var_after, m.py.loop_var_after, [(n,) for n in range(-2, 8)])
    check(m.k.loop_var_assign_inside, m.py.loop_var_assign_inside, [(n,) for n in range(-2, 8)])
    check(m.k.range_bounds_evaluated_once, m.py.range_bounds_evaluated_once,
          [(n,) for n in range(-2, 12)])


def test_for_else(m):
    check(m.k.for_else, m.py.for_else, itertools.product(range(-1, 8), range(-1, 8)))
    check(m.k.for_else_continue, m.py.for_else_continue, [(n,) for n in range(-1, 15)])


def test_while(m):
    check(m.k.while_basic, m.py.while_basic, [(n,) for n in range(-3, 30)])
    check(m.k.while_else, m.py.while_else, itertools.product(range(-1, 7), range(-1, 7)))
    pairs = [(rng.randint(-250, 250), rng.randint(-250, 250)) for _ in range(150)]
    check(m.k.while_complex, m.py.while_complex, pairs + [(0, 0), (-101, 7), (-101, 8), (5, 5)])
    check(m.k.collatz, m.py.collatz, [(n,) for n in range(1, 300)] + [(837799,), (2**40,)])
    check(m.k.while_true_break, m.py.while_true_break, [(n,) for n in range(-5, 20)])
    check(m.k.bool_loop_cond, m.py.bool_loop_cond, [(n,) for n in range(-5, 200, 7)])
    check(m.k.truthy_int_cond, m.py.truthy_int_cond, [(n,) for n in [0, 1, 2, 3, 80, I64_MAX]])
    check(m.k.truthy_float_cond, m.py.truthy_float_cond, [(x,) for x in FLOATS])


def test_nested_loops(m):
    check(m.k.nested_loops, m.py.nested_loops, itertools.product(range(0, 12), range(0, 9)))
    check(m.k.nested_break_outer, m.py.nested_break_outer,
          itertools.product([0, 1, 5, 10], [-1, 0, 6, 12, 81, 1000]))
    check(m.k.primes_below, m.py.primes_below, [(n,) for n in [0, 2, 3, 10, 100, 541, 1000]])
    assert m.k.primes_below(1000) == 168


def test_early_return(m):
    check(m.k.early_return, m.py.early_return, [(n,) for n in range(-2, 60)])
    check(m.k.early_return_while, m.py.early_return_while,
          [(x,) for x in FLOATS + [3.0, 100.0, 1000.0, 1e6]])


def test_pass_and_augmented(m):
    check(m.k.pass_stmt, kiln_int64(m.py.pass_stmt), [(a,) for a in INTS])
    pairs = list(itertools.product([-9, -1, 0, 1, 4, 1000], [-3, -1, 0, 2, 7]))
    check(m.k.aug_assign, m.py.aug_assign, pairs)
    fpairs = [(rng.uniform(-100, 100), rng.uniform(-100, 100)) for _ in range(50)]
    check(m.k.aug_assign_f, m.py.aug_assign_f,
          fpairs + list(itertools.product([0.0, -0.0, 1.5, NAN, 1e300], [0.0, 2.0, -1e300])))


def test_float_loops(m):
    check(m.k.fsum_loop, m.py.fsum_loop, [(n,) for n in [0, 1, 2, 10, 1000, 10000]])
    check(m.k.countdown_float, m.py.countdown_float,
          [(x,) for x in [0.0, -1.0, 0.05, 0.1, 1.0, 2.35, 5.0]])


def test_documented_widening(m):
    # Documented deviation 2: a variable assigned an int and a float is a
    # float variable, so Kiln returns floats where CPython may return ints.
    for n in [1, 2, 7]:
        assert m.k.widen_int_to_float(n) == m.py.widen_int_to_float(n) == n * 0.5
        assert type(m.k.widen_int_to_float(n)) is float
    r = m.k.widen_int_to_float(0)
    assert type(m.py.widen_int_to_float(0)) is int
    assert r == 0.0 and type(r) is float  # CPython: 0 (int)
    assert m.k.widen_branch(True) == 2.5
    r = m.k.widen_branch(False)
    assert r == 1.0 and type(r) is float  # CPython: 1 (int)


# ---- misc.py ------------------------------------------------------------------

def test_module_constants_and_docstring(misc):
    check(misc.k.use_constants, misc.py.use_constants, [(x,) for x in FLOATS])
    assert misc.k.use_constants(1.0) == 15.5


def test_chained_and_annotated_assignment(misc):
    check(misc.k.chained_assign, kiln_int64(misc.py.chained_assign), [(a,) for a in INTS])
    check(misc.k.annotated_int, misc.py.annotated_int, [(a,) for a in INTS])
    # documented: `x: float = 0` fixes the type to float (CPython keeps an int)
    for n in [0, 1, 5, 100]:
        r = misc.k.annotated_float(n)
        assert type(m_py := misc.py.annotated_float(n)) is int
        assert r == float(m_py) and type(r) is float


def test_tuple_operations(misc):
    check(misc.k.tuple_eq, misc.py.tuple_eq, itertools.product([-1, 0, 3], [-1, 0, 3]))
    check(misc.k.tuple_len_concat, kiln_int64(misc.py.tuple_len_concat),
          itertools.product(INTS[:12], FLOATS))


def test_float_constructor_specials(misc):
    check(misc.k.float_specials, misc.py.float_specials, [()])
    check(misc.k.inf_compare, misc.py.inf_compare, [(x,) for x in FLOATS])


def test_falls_off_end(misc):
    assert misc.k.falls_off(3) == 3
    # Documented deviation 5: CPython returns None here; Kiln raises TypeError.
    assert misc.py.falls_off(-1) is None
    with pytest.raises(TypeError):
        misc.k.falls_off(-1)


def test_long_arith(misc):
    cases = [(rng.randint(-10**6, 10**6), rng.randint(0, 10**6), rng.uniform(-10, 10))
             for _ in range(100)]
    check(misc.k.long_arith, misc.py.long_arith, cases)

"""Review findings: differential cases where a compiled function must behave
as CPython runs the same source (each test asserts CPython's behaviour)."""
import numpy as np
import pytest

from difftest import check

# --- definite assignment: assignments in a loop's `else` are not definite
# --- when the loop can `break` (frontend/LowerFunction.cpp DefiniteAssignment)

LOOP_ELSE_SRC = '''
def for_else_assign(n: int, stop: int) -> int:
    for i in range(n):
        if i == stop:
            break
    else:
        y = 100
    return y

def while_else_assign(n: int, stop: int) -> int:
    i = 0
    while i < n:
        if i == stop:
            break
        i += 1
    else:
        y = 7
    return y

def for_else_assign_both(n: int, stop: int) -> int:
    for i in range(n):
        if i == stop:
            break
        y = i
    else:
        y = -1
    return y
'''


@pytest.fixture(scope="module")
def loop_else(compile_module):
    return compile_module(LOOP_ELSE_SRC, "review_loop_else")


@pytest.mark.parametrize("fname", ["for_else_assign", "while_else_assign",
                                   "for_else_assign_both"])
def test_loop_else_assignment_not_definite_after_break(loop_else, fname):
    k, py = loop_else.pair(fname)
    check(k, py, [(n, s) for n in range(4) for s in range(-1, 4)])


# --- definite assignment: names read inside a subscript that is an element
# --- of a tuple target (`a[j], k = ...`) get no UnboundLocalError flag

TUPLE_TARGET_SRC = '''
from kiln.types import float64

def tuple_target_subscript(c: bool, a: float64[:]) -> float:
    if c:
        j = 1
    a[j], k = 5.0, 2
    return a[0] + a[1] + k
'''


def test_tuple_target_subscript_unbound_index(compile_module):
    m = compile_module(TUPLE_TARGET_SRC, "review_tuple_target")
    for c in (True, False):
        a_k, a_py = np.zeros(3), np.zeros(3)
        check(lambda c: m.k.tuple_target_subscript(c, a_k),
              lambda c: m.py.tuple_target_subscript(c, a_py), [(c,)])
        assert np.array_equal(a_k, a_py), (c, a_k, a_py)


# --- calls: a helper's default is evaluated in the caller's scope, where a
# --- local can shadow the module constant (frontend/LowerCall.cpp bindCallArgs)

DEFAULT_SCOPE_SRC = '''
SCALE = 2.0
N = 10

def _h(x, s=SCALE):
    return x * s

def default_shadowed_by_local(x: float) -> float:
    SCALE = 3.0
    return _h(x) + SCALE

def _g(x, n=N):
    return x + n

def default_shadowed_by_param(N: int) -> int:
    return _g(1)
'''


def test_helper_default_not_evaluated_in_caller_scope(compile_module):
    m = compile_module(DEFAULT_SCOPE_SRC, "review_default_scope")
    check(m.k.default_shadowed_by_local, m.py.default_shadowed_by_local, [(1.0,), (2.5,)])
    check(m.k.default_shadowed_by_param, m.py.default_shadowed_by_param, [(1,), (5,)])


# --- calls: keyword arguments are evaluated in parameter order instead of
# --- source order (frontend/LowerCall.cpp bindCallArgs)

KW_ORDER_SRC = '''
from kiln.types import float64, int64

def _push(a, v):
    a[0] = a[0] * 10 + v
    return v

def _pair(p, q):
    return p * 100 + q

def kw_order_side_effects(a: int64[:]) -> int:
    r = _pair(q=_push(a, 1), p=_push(a, 2))
    return a[0] * 10000 + r

def _add(p, q):
    return p + q

def kw_order_exception(a: float64[:], i: int, z: int) -> float:
    return _add(q=1 // z, p=a[i])
'''


def test_keyword_arguments_evaluated_in_source_order(compile_module):
    m = compile_module(KW_ORDER_SRC, "review_kw_order")
    a_k, a_py = np.zeros(1, dtype=np.int64), np.zeros(1, dtype=np.int64)
    assert m.k.kw_order_side_effects(a_k) == m.py.kw_order_side_effects(a_py)
    assert a_k[0] == a_py[0] == 12
    check(m.k.kw_order_exception, m.py.kw_order_exception,
          [(np.zeros(2), 5, 0), (np.zeros(2), 1, 1), (np.zeros(2), 5, 1)])

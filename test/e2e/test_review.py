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
    return float(a[0] + a[1] + k)
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
    # CPython's result is a NumPy float64 (a[i] + 1): compare as a float.
    def py_exc(a, i, z):
        return float(m.py.kw_order_exception(a, i, z))
    py_exc.__name__ = "kw_order_exception"
    check(m.k.kw_order_exception, py_exc,
          [(np.zeros(2), 5, 0), (np.zeros(2), 1, 1), (np.zeros(2), 5, 1)])


# --- module constants defined by expressions are lowered in the *function's*
# --- scope, so a local or parameter of the same name as a name they use
# --- changes their value (frontend/LowerExpr.cpp lowerGlobal)

GLOBAL_EXPR_SRC = '''
N = 10
TWO_N = N * 2

def global_expr_param_shadow(N: int) -> int:
    return TWO_N + N

def global_expr_local_shadow(x: int) -> int:
    N = x
    return TWO_N + N

def global_expr_local_assigned_later(x: int) -> int:
    r = TWO_N
    N = x
    return r + N
'''


def test_module_constant_expression_uses_module_scope(compile_module):
    m = compile_module(GLOBAL_EXPR_SRC, "review_global_expr")
    for f in ("global_expr_param_shadow", "global_expr_local_shadow",
              "global_expr_local_assigned_later"):
        check(*m.pair(f), [(1,), (5,)])


# --- array indexing: all indices of `a[i, j]` are evaluated before any is
# --- bounds-checked (CPython builds the tuple first); Kiln checks axis 0
# --- before evaluating the second index (frontend/LowerArray.cpp lowerIndices)

INDEX_ORDER_SRC = '''
from kiln.types import float64

def index_then_raise(a: float64[:, :], i: int, z: int) -> float:
    return float(a[i, 1 // z])

def store_index_then_raise(a: float64[:, :], i: int, z: int):
    a[i, 1 // z] = 1.0
'''


def test_all_indices_evaluated_before_bounds_check(compile_module):
    m = compile_module(INDEX_ORDER_SRC, "review_index_order")
    for f in ("index_then_raise", "store_index_then_raise"):
        check(*m.pair(f), [(np.zeros((2, 2)), 5, 0), (np.zeros((2, 2)), 1, 1),
                           (np.zeros((2, 2)), 5, 1)])


# --- tuple equality: CPython compares tuple items with an identity shortcut,
# --- so a tuple holding the same NaN object equals itself (low priority)

TUPLE_NAN_SRC = '''
def tuple_self_eq(x: float) -> bool:
    t = (x, 1)
    return t == t

def tuple_same_var_eq(x: float) -> bool:
    return (x, 1) == (x, 1)
'''


def test_tuple_equality_identity_shortcut(compile_module):
    # Documented deviation (docs/language.md): compiled values have no object
    # identity, so a NaN inside a tuple never equals itself, while CPython's
    # tuple == finds the same float object equal. Without NaN both agree.
    m = compile_module(TUPLE_NAN_SRC, "review_tuple_nan")
    check(*m.pair("tuple_self_eq"), [(1.0,), (-0.0,)])
    check(*m.pair("tuple_same_var_eq"), [(1.0,), (-0.0,)])
    nan = float("nan")
    assert m.py.tuple_self_eq(nan) is True and m.k.tuple_self_eq(nan) is False
    assert m.py.tuple_same_var_eq(nan) is True and m.k.tuple_same_var_eq(nan) is False


# --- np.arange: NumPy's length is 1 when (stop - start) / step underflows or
# --- divides by an infinite step to +0.0 (runtime kiln_arange_len_f)

ARANGE_SRC = '''
import numpy as np

def arange_f(a: float, b: float, s: float):
    return np.arange(a, b, s)
'''


def test_arange_length_underflow_and_infinite_step(compile_module):
    m = compile_module(ARANGE_SRC, "review_arange")
    for args in [(0.0, 1.0, float("inf")), (0.0, 1e-300, 1e300), (1.0, 0.0, float("-inf")),
                 (0.0, 1.0, 0.25)]:
        got, want = m.k.arange_f(*args), m.py.arange_f(*args)
        assert got.dtype == want.dtype and np.array_equal(got, want), (args, got, want)


# --- `while True:` whose only `break` sits in the `else` clause of an inner
# --- loop (that break belongs to the `while`): the code after the `while` is
# --- dropped and the call ends in SystemError (frontend/LowerStmt.cpp
# --- hasOwnBreak does not look into inner loops' `else` clauses)

WHILE_TRUE_ELSE_BREAK_SRC = '''
def first_nonsquare(n: int) -> int:
    i = 0
    while True:
        i += 1
        for j in range(n):
            if j * j == i:
                break
        else:
            break
    return i * 10

def while_else_break(n: int) -> int:
    k = 0
    while 1:
        k += 1
        while k < n:
            k += 2
        else:
            break
    return k * 10
'''


def test_while_true_broken_from_inner_loop_else(compile_module):
    m = compile_module(WHILE_TRUE_ELSE_BREAK_SRC, "review_while_true_else_break")
    check(*m.pair("first_nonsquare"), [(1,), (5,), (10,)])
    check(*m.pair("while_else_break"), [(0,), (5,)])


# The same blind spot in hasOwnBreak feeds the definite-assignment fix for
# loop `else` clauses: the outer loop below can break (from the inner loop's
# `else`), so `y` may be unbound after it.
ELSE_BREAK_DEFINITE_SRC = '''
def outer_else_assign(n: int, m: int) -> int:
    for i in range(n):
        for j in range(m):
            if j == i:
                break
        else:
            break
    else:
        y = 100
    return y
'''


def test_loop_else_assignment_after_break_from_inner_else(compile_module):
    m = compile_module(ELSE_BREAK_DEFINITE_SRC, "review_else_break_definite")
    check(*m.pair("outer_else_assign"), [(n, k) for n in range(4) for k in range(4)])

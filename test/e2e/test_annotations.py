"""The three spellings of a signature (cases/annotations.py, cases/overloads.py):
kiln.types objects, string annotations, export comments in Kiln's and
Pythran's spelling; return annotations convert the result."""
import itertools

import pytest

from difftest import FLOATS, I64_MAX, INTS, SMALL_INTS, check, kiln_int64, same_value

BOOLS = [False, True]


@pytest.fixture(scope="module")
def a(compile_module):
    return compile_module("annotations.py")


@pytest.fixture(scope="module")
def ov(compile_module):
    return compile_module("overloads.py")


def test_kiln_types_objects(a):
    check(a.k.obj_types, kiln_int64(a.py.obj_types), itertools.product(INTS, FLOATS[:8], BOOLS))
    check(a.k.module_attr_types, a.py.module_attr_types, itertools.product(INTS, FLOATS))
    check(a.k.alias_types, a.py.alias_types, itertools.product(INTS, FLOATS))


def test_string_annotations(a):
    check(a.k.string_types, kiln_int64(a.py.string_types),
          itertools.product(INTS, FLOATS[:8], BOOLS))
    check(a.k.string_kiln_types, a.py.string_kiln_types, itertools.product(SMALL_INTS, FLOATS))


def test_return_annotation_converts(a):
    # `-> float` on an int computation returns a float (CPython returns the int)
    for name, f in [("ret_float", lambda n: float(n * 2)), ("ret_float_str", lambda n: float(n // 3)),
                    ("ret_float_obj", lambda n: float(-n))]:
        check(getattr(a.k, name), f, [(n,) for n in SMALL_INTS + [2**40, -(2**40)]])
    r = a.k.ret_float(3)
    assert r == 6.0 and type(r) is float
    assert type(a.py.ret_float(3)) is int  # CPython does not convert
    check(a.k.ret_int, kiln_int64(a.py.ret_int), [(n,) for n in INTS])
    check(a.k.ret_bool, a.py.ret_bool, [(n,) for n in INTS])
    check(a.k.ret_tuple, a.py.ret_tuple, itertools.product(SMALL_INTS, FLOATS))


def test_none_results(a):
    for name in ["ret_none", "no_return", "bare_return"]:
        check(getattr(a.k, name), getattr(a.py, name), [(n,) for n in [-3, 0, 5]])
        assert getattr(a.k, name)(1) is None


def test_signature_visible(a):
    assert a.k.obj_types.__name__ == "obj_types"
    doc = a.k.string_types.__doc__ or ""
    assert doc.startswith("string_types(") and "a: int64" in doc, doc


# ---- overloads.py -------------------------------------------------------------

def test_overloads_dispatch_by_type(ov):
    k = ov.k
    r = k.twice(3)
    assert r == 6 and type(r) is int
    r = k.twice(1.5)
    assert r == 3.0 and type(r) is float
    r = k.twice(True)
    assert r == 2 and type(r) is int
    check(k.twice, ov.py.twice, [(x,) for x in INTS[:20] + FLOATS + BOOLS])
    check(k.scaled, kiln_int64(ov.py.scaled),
          itertools.product(SMALL_INTS + FLOATS[:10], SMALL_INTS + [I64_MAX]))
    assert type(k.scaled(2, 3)) is int and type(k.scaled(2.0, 3)) is float


def test_exact_match_wins_over_conversion(ov):
    # floordiv_ov(int, int) is listed first and floats do not convert to int;
    # ints match it exactly even though they would convert to (float, float)
    r = ov.k.floordiv_ov(7, 2)
    assert r == 3 and type(r) is int
    r = ov.k.floordiv_ov(7.0, 2.0)
    assert r == 3.0 and type(r) is float
    check(ov.k.floordiv_ov, ov.py.floordiv_ov,
          list(itertools.product(SMALL_INTS, SMALL_INTS)) +
          list(itertools.product(FLOATS, [2.0, -0.0, -3.5])))


def test_overload_body_exceptions(ov):
    for args in [(1, 0), (2.5, 0.0), (7, 2), (7.0, 2.0)]:
        check(ov.k.checked_div, ov.py.checked_div, [args])
    with pytest.raises(ValueError) as e:
        ov.k.checked_div(4, 0)
    assert e.value.args == ("division by zero requested", 4)


def test_export_comments(ov):
    check(ov.k.hyp, ov.py.hyp, itertools.product(FLOATS, FLOATS))
    check(ov.k.describe, ov.py.describe, [(x,) for x in SMALL_INTS + FLOATS])
    check(ov.k.uses_hidden, ov.py.uses_hidden, [(n,) for n in SMALL_INTS])
    check(ov.k.spaced, lambda x, y: ov.py.spaced(x, float(y)),
          itertools.product(SMALL_INTS, FLOATS[:6] + [2]))
    assert not hasattr(ov.k, "hidden")


def test_module_imports_under_cpython(a, ov):
    # the case files themselves run under CPython (kiln.types are real objects)
    assert a.py.obj_types(2, 1.0, True) == (4, 0.5, False)
    assert same_value(ov.py.twice(2.5), 5.0)

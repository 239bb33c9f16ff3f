"""Differential tests of dicts and sets (cases/dicts_.py): every function
compiled and in CPython on the same inputs, including empty containers,
KeyError, changes during iteration and arguments the function changes."""
import random

import pytest

from difftest import same_with_arguments


@pytest.fixture(scope="module")
def m(compile_module):
    return compile_module("dicts_.py")


def _order(got, want):
    if isinstance(want, dict):
        assert list(got) == list(want), "insertion order"


def same(k, p, *args):
    same_with_arguments(k, p, *args, check=_order)


RNG = random.Random(7)


def test_counting(m):
    for n in [0, 1, 10, 200]:
        xs = [RNG.randint(0, 9) for _ in range(n)]
        same(m.k.word_counts, m.py.word_counts, xs)
        same(m.k.most_common, m.py.most_common, xs)


def test_graph_search(m):
    edges = [(0, 1), (1, 2), (0, 3), (3, 4), (5, 6)]
    for s in [0, 2, 5, 9]:
        same(m.k.bfs, m.py.bfs, edges, s)
    same(m.k.bfs, m.py.bfs, [], 0)


def test_memo_with_tuple_keys(m):
    for n in [1, 2, 5, 9]:
        same(m.k.grid_paths, m.py.grid_paths, n)
    for n in [0, 1, 5]:
        same(m.k.pair_keys, m.py.pair_keys, n)


def test_sets(m):
    same(m.k.set_ops, m.py.set_ops, [1, 2, 2, 3], [2, 3, 4])
    same(m.k.set_ops, m.py.set_ops, [], [])
    same(m.k.float_keys, m.py.float_keys, [0.0, -0.0, 1.5, 1.5, 2.0])


def test_arguments_and_results(m):
    same(m.k.invert, m.py.invert, {1: 2.5, 2: 3.5})
    same(m.k.invert, m.py.invert, {})
    d, s = {1: 0.5, 2: 1.0}, {1, 2}
    assert m.k.update_in_place(d, s) == 4
    assert d == {2: 1.0, 99: 1.5} and s == {2, 7}
    same(m.k.values_and_keys, m.py.values_and_keys, {3: 1.0, 1: 2.0})
    with pytest.raises(TypeError, match="expected dict"):
        m.k.lookup({1: "a"}, 1)
    with pytest.raises(TypeError):
        m.k.lookup([1.0], 0)


def test_errors(m):
    same(m.k.lookup, m.py.lookup, {1: 2.0}, 1)
    same(m.k.lookup, m.py.lookup, {1: 2.0}, 3)
    same(m.k.pop_missing, m.py.pop_missing, {1: 2.0}, 3)
    same(m.k.pop_missing, m.py.pop_missing, {1: 2.0}, 1)
    same(m.k.remove_missing, m.py.remove_missing, {1, 2}, 3)
    same(m.k.remove_missing, m.py.remove_missing, {1, 2}, 2)
    same(m.k.changed_while_iterating, m.py.changed_while_iterating, 3)
    same(m.k.changed_while_iterating, m.py.changed_while_iterating, 0)
    same(m.k.values_and_keys, m.py.values_and_keys, {})


def test_review_regressions(m):
    d = {1: 1}
    with pytest.raises(TypeError, match="two different types"):
        m.k.two_types(d, d)
    assert d == {1: 1}
    for n in [1, 5, 100]:  # RuntimeError (CPython raises here too, not for every n)
        same(m.k.readd_while_iterating, m.py.readd_while_iterating, n)
    same(m.k.readd_while_iterating, m.py.readd_while_iterating, 0)
    same(m.k.tuple_key_error, m.py.tuple_key_error, 1, 2.5)
    same(m.k.tuple_key_error, m.py.tuple_key_error, 1, float("inf"))  # KeyError, not Overflow
    same(m.k.set_remove_tuple, m.py.set_remove_tuple, 1, 2.0)
    with pytest.raises(KeyError):
        m.k.set_remove_tuple(1, 3.0)
    for n in [0, 1, 4]:
        same(m.k.enumerate_dict, m.py.enumerate_dict, n)
        same(m.k.nested_comp_values, m.py.nested_comp_values, n)
    with pytest.raises(TypeError, match="expected set"):
        m.k.add_to_set(frozenset({1, 2}))


def test_container_equality(m):
    for a, b in [([], []), ([1, 2], [1, 2]), ([1, 2], [2, 1]), ([1], [1, 1]), ([3], [])]:
        same(m.k.equalities, m.py.equalities, a, b)


def test_int_keys_in_float_containers(m):
    for k in [2**53, 2**53 + 1, 1, -(2**63)]:
        same(m.k.big_int_in_float_set, m.py.big_int_in_float_set, k)


def test_set_operators(m):
    for a, b in [([1, 2, 2, 3], [2, 3, 4]), ([], []), ([5], []), ([], [5])]:
        same(m.k.set_operators, m.py.set_operators, a, b)

"""Differential tests of Python lists (cases/lists_.py): every function
compiled and in CPython on the same inputs, including empty lists, negative
indices, errors, aliasing and arguments the function changes."""
import math
import random

import pytest

from difftest import same_with_arguments


@pytest.fixture(scope="module")
def m(compile_module):
    return compile_module("lists_.py")


def same(k, p, *args):
    same_with_arguments(k, p, *args)


RNG = random.Random(1234)


def floats(n):
    return [RNG.uniform(-10, 10) for _ in range(n)]


def test_sieve(m):
    for n in [0, 1, 2, 3, 10, 97, 1000]:
        same(m.k.primes_upto, m.py.primes_upto, n)


def test_quicksort_in_place(m):
    for n in [0, 1, 2, 5, 50, 300]:
        xs = floats(n) + [1.5, 1.5]
        same(m.k.quicksort, m.py.quicksort, xs)
    xs = [3.0, 1.0, 2.0]
    assert m.k.quicksort(xs) is None and xs == [1.0, 2.0, 3.0]


def test_gaussian_elimination(m):
    for n in [1, 2, 5, 12]:
        a = [floats(n) for _ in range(n)]
        for i in range(n):
            a[i][i] += 30.0
        b = floats(n)
        same(m.k.solve, m.py.solve, a, b)


def test_queens(m):
    for n in range(1, 8):
        same(m.k.queens, m.py.queens, n)


def test_histogram_and_moving_average(m):
    xs = floats(500)
    same(m.k.histogram, m.py.histogram, xs, 7, -5.0, 5.0)
    same(m.k.histogram, m.py.histogram, [], 3, 0.0, 1.0)
    for w in [1, 3, 10]:
        same(m.k.moving_average, m.py.moving_average, xs[:40], w)
    same(m.k.moving_average, m.py.moving_average, [], 2)


def test_stats(m):
    same(m.k.stats, m.py.stats, floats(30))
    same(m.k.stats, m.py.stats, [2.0])
    same(m.k.stats, m.py.stats, [-1.0, 1.0])


def test_nested(m):
    a = [floats(3) for _ in range(4)]
    b = [floats(5) for _ in range(3)]
    same(m.k.matmul, m.py.matmul, a, b)
    same(m.k.flatten_evens, m.py.flatten_evens, [[1, 2, 3], [], [4, 6, 7]])
    same(m.k.grid, m.py.grid, 3, 4)
    same(m.k.grid, m.py.grid, 0, 4)


def test_methods(m):
    for xs in [[], [3], [1, 2, 3, 7], [7, 7, 3, 3]]:
        same(m.k.edit_list, m.py.edit_list, xs)
    same(m.k.dedupe_sorted, m.py.dedupe_sorted, [5, 1, 5, 2, 1, 9])
    same(m.k.sort_both, m.py.sort_both, [2.5, -1.0, 2.5, 0.0])


def test_empty_literal_and_aliases(m):
    for n in [0, 1, 5]:
        same(m.k.aliases, m.py.aliases, n)


def test_slices(m):
    xs = list(range(10))
    for lo in [-12, -3, 0, 2, 9, 15]:
        for hi in [-12, -1, 0, 5, 20]:
            for step in [-3, -1, 1, 2]:
                same(m.k.slices, m.py.slices, xs, lo, hi, step)
    same(m.k.slices, m.py.slices, xs, 0, 5, 0)  # ValueError


def test_errors_and_indices(m):
    xs = [10, 20, 30]
    for i in [-4, -3, -1, 0, 2, 3]:
        same(m.k.nth, m.py.nth, xs, i)
        same(m.k.pop_at, m.py.pop_at, xs, i)
    same(m.k.pop_at, m.py.pop_at, [], 0)
    same(m.k.index_of, m.py.index_of, [1.0, 2.0, 2.0], 2.0)
    same(m.k.index_of, m.py.index_of, [1.0], 3.0)


def test_zip_any_all_scope(m):
    same(m.k.pair_sums, m.py.pair_sums, [1, 2, 3], [0.5, 0.25])
    for xs in [[], [0], [1, 2, 3], [3, 0, 5]]:
        same(m.k.any_all, m.py.any_all, xs)
    for n in [0, 4]:
        same(m.k.scope, m.py.scope, n)


def test_shared_inner_lists(m):
    # [[0] * 2] * 3 holds one inner list three times: CPython adds 1 to it
    # three times, and so must the compiled function.
    g = [[0] * 2] * 3
    want = [[0] * 2] * 3
    m.py.mutate_rows(want)
    m.k.mutate_rows(g)
    assert g == want and g[0] is g[1]


def test_argument_checks(m):
    with pytest.raises(TypeError, match=r"item 1 of the list: a str"):
        m.k.stats([1.0, "a"])
    with pytest.raises(TypeError, match="expected list"):
        m.k.stats((1.0, 2.0))
    # bools and ints convert to float items, as float() would
    assert m.k.stats([1, True]) == m.py.stats([1.0, 1.0])


def test_result_is_a_new_list_and_argument_written_back(m):
    xs = [4, 2]
    n = m.k.edit_list(xs)
    ys = [4, 2]
    assert n == m.py.edit_list(ys) and xs == ys


def test_review_regressions(m):
    same(m.k.filled_by_helper, m.py.filled_by_helper)
    for xs in [[1, 0], [0, 1], [], [-1, 5]]:
        same(m.k.lazy_any, m.py.lazy_any, xs)
        same(m.k.lazy_for, m.py.lazy_for, xs)
    same(m.k.lazy_index, m.py.lazy_index, [1, 2, 3])
    same(m.k.lazy_index, m.py.lazy_index, [0, 0, 0])  # IndexError as CPython
    for n in [0, 3, 8]:
        same(m.k.break_out_of_generator, m.py.break_out_of_generator, n)
        same(m.k.all_nested, m.py.all_nested, n)
    same(m.k.copy_before_pop, m.py.copy_before_pop, [1, 2, 3])
    same(m.k.sum_start, m.py.sum_start)


def test_result_lists_stay_shared(m):
    r = m.k.shared_rows(2)
    assert r == m.py.shared_rows(2)
    r[0][0] = 1
    assert r[1][0] == 1 and r[2][0] == 1


def test_one_list_two_item_types(m):
    a = [1, 2]
    with pytest.raises(TypeError, match="the same list is passed"):
        m.k.two_types(a, a)
    assert a == [1, 2]


def test_sized_items_come_back_as_python_ints(m):
    xs = [3, -1, 2]
    assert m.k.small_ints(xs) == [-1, 2, 3]
    assert xs == [-1, 2, 3] and all(type(x) is int for x in xs)


def test_np_array_of_lists(m):
    import numpy as np

    def same_array(k, p, *args):
        try:
            want = p(*args)
        except ValueError as e:
            with pytest.raises(ValueError) as info:
                k(*args)
            assert str(info.value) == str(e)
            return
        got = k(*args)
        assert got.dtype == want.dtype and got.shape == want.shape
        np.testing.assert_array_equal(got, want)

    same_array(m.k.to_array, m.py.to_array, 3, 4)
    same_array(m.k.to_array, m.py.to_array, 1, 1)
    same_array(m.k.points_to_array, m.py.points_to_array, [(1.0, 2.0), (3.0, -4.5)])
    same_array(m.k.rows_as_float, m.py.rows_as_float, [[1, 2], [3, 4], [5, 6]])
    same_array(m.k.rows_as_float, m.py.rows_as_float, [[1, 2], [3]])  # ragged: ValueError
    for n in [0, 1, 5]:
        same_array(m.k.flat_to_array, m.py.flat_to_array, n)


def test_tuples_as_sequences(m):
    g = [[1, 2, 3], [4, 5, 6]]
    for i in range(2):
        for j in range(3):
            same(m.k.neighbours, m.py.neighbours, g, i, j)
    for k in [-4, -3, -1, 0, 2, 3]:
        same(m.k.tuple_pick, m.py.tuple_pick, k)
    for x in range(10):
        same(m.k.small_prime, m.py.small_prime, x)
    same(m.k.weighted, m.py.weighted, 3)


def test_tuple_parameters(m):
    same(m.k.tuple_args, m.py.tuple_args, (0.0, 0.0), (3.0, 4.0))
    same(m.k.tuple_args, m.py.tuple_args, (1, 2), (True, 0.5))
    ys = [1, 2]
    assert m.k.tuple_with_list(((3, 4), ys)) == 10 and ys == [1, 2, 7]
    with pytest.raises(TypeError, match=r"expected tuple<float64, float64>, got tuple"):
        m.k.tuple_args((1.0,), (1.0, 2.0))
    with pytest.raises(TypeError, match=r"item 1 of the tuple: a str"):
        m.k.tuple_args((1.0, "a"), (1.0, 2.0))
    with pytest.raises(TypeError):
        m.k.tuple_args([1.0, 2.0], (1.0, 2.0))  # a list is not a tuple


def test_key_functions(m):
    rng = random.Random(11)
    for n in [0, 1, 5, 40]:
        xs = [(rng.randint(0, 5), rng.choice([0.5, 1.5, -2.0])) for _ in range(n)]
        same(m.k.by_second, m.py.by_second, xs)  # stable: equal keys keep their order
        ys = [rng.randint(-5, 9) for _ in range(n)]
        same(m.k.by_distance, m.py.by_distance, ys, 3)
        fs = [rng.uniform(-3, 3) for _ in range(n)]
        same(m.k.closest_to_zero, m.py.closest_to_zero, fs)  # ValueError when empty
        d = {i: rng.choice([1.0, 2.0, 0.5]) for i in range(n)}
        same(m.k.cheapest, m.py.cheapest, d)


def test_key_review_regressions(m):
    import numpy as np
    with pytest.raises(ValueError, match="list modified during sort"):
        m.k.key_changes_list(list(range(10)))
    same(m.k.argmax_pair, m.py.argmax_pair, [1.0, 3.0, 3.0, -1.0])
    a = np.array([2**63 + 5, 1, 2**64 - 1, 0], np.uint64)
    assert m.k.order_unsigned(a) == m.py.order_unsigned(a)


def test_del(m):
    xs = list(range(10))
    for i in [-11, -10, -1, 0, 5, 9, 10]:
        for a, b in [(0, 0), (2, 5), (-3, 100), (5, 2), (-100, -5)]:
            same(m.k.deletions, m.py.deletions, xs, i, a, b)
    same(m.k.drop_keys, m.py.drop_keys, {1: 1.0, 2: 2.0}, 2)
    same(m.k.drop_keys, m.py.drop_keys, {1: 1.0}, 3)  # KeyError: 3


def test_enumerate_start(m):
    for xs in [[], [5, 6, 7]]:
        same(m.k.numbered, m.py.numbered, xs)
    for k in [-3, 0, 10]:
        same(m.k.weighted_from, m.py.weighted_from, [1.0, 2.0, 0.5], k)

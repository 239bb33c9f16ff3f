"""Small programs on dicts and sets, as scientists write them (test_dicts.py
runs each compiled and in CPython and compares)."""


def word_counts(xs: list[int]) -> dict[int, int]:
    c = {}
    for x in xs:
        c[x] = c.get(x, 0) + 1
    return c


def most_common(xs: list[int]) -> tuple[int, int]:
    c = {}
    for x in xs:
        if x in c:
            c[x] += 1
        else:
            c[x] = 1
    best, n = -1, 0
    for k, v in c.items():
        if v > n:
            best, n = k, v
    return best, n


def bfs(edges: list[tuple[int, int]], start: int) -> list[int]:
    """Breadth-first order over an undirected graph given as edge pairs."""
    adj = {}
    for a, b in edges:
        if a not in adj:
            adj[a] = [b]
        else:
            adj[a].append(b)
        if b not in adj:
            adj[b] = [a]
        else:
            adj[b].append(a)
    seen = {start}
    order = [start]
    i = 0
    while i < len(order):
        for nb in sorted(adj.get(order[i], [])):
            if nb not in seen:
                seen.add(nb)
                order.append(nb)
        i += 1
    return order


def grid_paths(n: int) -> int:
    memo = {(0, 0): 1}
    for i in range(n):
        for j in range(n):
            if (i, j) != (0, 0):
                memo[(i, j)] = memo.get((i - 1, j), 0) + memo.get((i, j - 1), 0)
    return memo[(n - 1, n - 1)]


def set_ops(a: list[int], b: list[int]) -> tuple[list[int], list[int], list[int], int]:
    sa = set(a)
    sb = {x for x in b}
    return (sorted(sa.union(sb)), sorted(sa.intersection(sb)), sorted(sa.difference(sb)),
            len(sa))


def invert(d: dict[int, float]) -> dict[float, int]:
    return {v: k for k, v in d.items()}


def update_in_place(d: dict[int, float], s: set[int]) -> int:
    d[99] = 1.5
    d.pop(1, 0.0)
    s.add(7)
    s.discard(1)
    return len(d) + len(s)


def lookup(d: dict[int, float], k: int) -> float:
    return d[k]


def pop_missing(d: dict[int, float], k: int) -> float:
    return d.pop(k)


def remove_missing(s: set[int], k: int) -> int:
    s.remove(k)
    return len(s)


def changed_while_iterating(n: int) -> int:
    d = {i: i for i in range(n)}
    for k in d:
        d[k + 100] = 1
    return len(d)


def values_and_keys(d: dict[int, float]) -> tuple[float, int, list[int]]:
    return sum(d.values()), max(d), list(d.keys())


def pair_keys(n: int) -> dict[tuple[int, int], int]:
    return {(i, j): i * j for i in range(n) for j in range(i)}


def float_keys(xs: list[float]) -> int:
    s = set()
    for x in xs:
        s.add(x)
    return len(s)


def two_types(a: dict[int, int], b: dict[int, float]) -> float:
    b[2] = 0.5
    return b[1] + a[2]


def readd_while_iterating(n: int) -> int:
    d = {i: i for i in range(n)}
    c = 0
    for k in d:
        v = d.pop(k)
        d[k] = v + 1
        c += 1
    return c


def tuple_key_error(a: int, b: float) -> float:
    d = {(1, 2.5): 1.0}
    return d[(a, b)]


def set_remove_tuple(a: int, b: float) -> int:
    s = {(1, 2.0)}
    s.remove((a, b))
    return len(s)


def enumerate_dict(n: int) -> list[tuple[int, int]]:
    d = {i * 10: i for i in range(n)}
    return [(i, k) for i, k in enumerate(d)] + [(k, v) for k, v in zip(d, d.values())]


def nested_comp_values(n: int) -> dict[int, list[int]]:
    return {i: [j for j in range(i)] for i in range(n)}


def add_to_set(s: set[int]) -> int:
    s.add(3)
    return len(s)


def equalities(a: list[int], b: list[int]) -> tuple[bool, bool, bool, bool]:
    sa, sb = set(a), set(b)
    da = {x: x * 2 for x in a}
    db = {x: x * 2 for x in b}
    return a == b, sa == sb, da == db, [a, b] != [b, a]


def big_int_in_float_set(k: int) -> tuple[bool, bool]:
    s = {2.0**53, 1.5}
    d = {2.0**53: 1}
    return k in s, k in d


def set_operators(a: list[int], b: list[int]) -> tuple[list[int], list[int], list[int], int]:
    sa, sb = set(a), set(b)
    both = {x for x in a} | {0}
    return sorted(sa | sb), sorted(sa & sb), sorted(sa - sb), len(both - sb)

"""Builtins: abs, min, max, int, float, bool, round, divmod, pow
(e2e differential case)."""


def abs_i(a: int):
    return abs(a)


def abs_f(x: float):
    return abs(x)


def abs_b(p: bool):
    return abs(p)


def min_ii(a: int, b: int):
    return min(a, b)


def max_ii(a: int, b: int):
    return max(a, b)


def min_ff(x: float, y: float):
    return min(x, y)


def max_ff(x: float, y: float):
    return max(x, y)


def min3_f(x: float, y: float, z: float):
    return min(x, y, z)


def max3_f(x: float, y: float, z: float):
    return max(x, y, z)


def min4_i(a: int, b: int, c: int, d: int):
    return min(a, b, c, d)


def max4_i(a: int, b: int, c: int, d: int):
    return max(a, b, c, d)


def min_if(a: int, y: float):
    return min(a, y)


def max_if(a: int, y: float):
    return max(a, y)


def int_f(x: float):
    return int(x)


def int_i(a: int):
    return int(a)


def int_b(p: bool):
    return int(p)


def float_i(a: int):
    return float(a)


def float_f(x: float):
    return float(x)


def float_b(p: bool):
    return float(p)


def bool_i(a: int):
    return bool(a)


def bool_f(x: float):
    return bool(x)


def bool_b(p: bool):
    return bool(p)


def round_f(x: float):
    return round(x)


def round_i(a: int):
    return round(a)


def divmod_ii(a: int, b: int):
    return divmod(a, b)


def divmod_ff(x: float, y: float):
    return divmod(x, y)


def divmod_if(a: int, y: float):
    return divmod(a, y)


def pow_ii(a: int, b: int):
    return pow(a, b)


def pow_ff(x: float, y: float):
    return pow(x, y)


def pow_fi(x: float, b: int):
    return pow(x, b)


def pow_neg_const(a: int):
    return pow(a, -1)


def nested_builtins(x: float, a: int):
    return max(abs(x), float(a), min(round(x), a))


def int_of_expr(x: float, y: float):
    return int(x / y) + int(x) % 7

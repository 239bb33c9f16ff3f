"""Every arithmetic and comparison operator on two ints, two floats, mixed
and bool operands (e2e differential case: runs unchanged under CPython)."""

# ---- int (op) int

def add_ii(a: int, b: int):
    return a + b

def sub_ii(a: int, b: int):
    return a - b

def mul_ii(a: int, b: int):
    return a * b

def truediv_ii(a: int, b: int):
    return a / b

def floordiv_ii(a: int, b: int):
    return a // b

def mod_ii(a: int, b: int):
    return a % b

def pow_ii(a: int, b: int):
    return a ** b

# ---- float (op) float

def add_ff(a: float, b: float):
    return a + b

def sub_ff(a: float, b: float):
    return a - b

def mul_ff(a: float, b: float):
    return a * b

def truediv_ff(a: float, b: float):
    return a / b

def floordiv_ff(a: float, b: float):
    return a // b

def mod_ff(a: float, b: float):
    return a % b

def pow_ff(a: float, b: float):
    return a ** b

# ---- int (op) float

def add_if(a: int, b: float):
    return a + b

def sub_if(a: int, b: float):
    return a - b

def mul_if(a: int, b: float):
    return a * b

def truediv_if(a: int, b: float):
    return a / b

def floordiv_if(a: int, b: float):
    return a // b

def mod_if(a: int, b: float):
    return a % b

def pow_if(a: int, b: float):
    return a ** b

# ---- float (op) int

def add_fi(a: float, b: int):
    return a + b

def sub_fi(a: float, b: int):
    return a - b

def mul_fi(a: float, b: int):
    return a * b

def truediv_fi(a: float, b: int):
    return a / b

def floordiv_fi(a: float, b: int):
    return a // b

def mod_fi(a: float, b: int):
    return a % b

def pow_fi(a: float, b: int):
    return a ** b

# ---- bool (op) bool

def add_bb(a: bool, b: bool):
    return a + b

def sub_bb(a: bool, b: bool):
    return a - b

def mul_bb(a: bool, b: bool):
    return a * b

def truediv_bb(a: bool, b: bool):
    return a / b

def floordiv_bb(a: bool, b: bool):
    return a // b

def mod_bb(a: bool, b: bool):
    return a % b

def pow_bb(a: bool, b: bool):
    return a ** b

# ---- bool (op) int

def add_bi(a: bool, b: int):
    return a + b

def sub_bi(a: bool, b: int):
    return a - b

def mul_bi(a: bool, b: int):
    return a * b

def truediv_bi(a: bool, b: int):
    return a / b

def floordiv_bi(a: bool, b: int):
    return a // b

def mod_bi(a: bool, b: int):
    return a % b

def pow_bi(a: bool, b: int):
    return a ** b

# ---- bool (op) float

def add_bf(a: bool, b: float):
    return a + b

def sub_bf(a: bool, b: float):
    return a - b

def mul_bf(a: bool, b: float):
    return a * b

def truediv_bf(a: bool, b: float):
    return a / b

def floordiv_bf(a: bool, b: float):
    return a // b

def mod_bf(a: bool, b: float):
    return a % b

def pow_bf(a: bool, b: float):
    return a ** b

# ---- comparisons int int

def lt_ii(a: int, b: int):
    return a < b

def le_ii(a: int, b: int):
    return a <= b

def eq_ii(a: int, b: int):
    return a == b

def ne_ii(a: int, b: int):
    return a != b

def gt_ii(a: int, b: int):
    return a > b

def ge_ii(a: int, b: int):
    return a >= b

# ---- comparisons float float

def lt_ff(a: float, b: float):
    return a < b

def le_ff(a: float, b: float):
    return a <= b

def eq_ff(a: float, b: float):
    return a == b

def ne_ff(a: float, b: float):
    return a != b

def gt_ff(a: float, b: float):
    return a > b

def ge_ff(a: float, b: float):
    return a >= b

# ---- comparisons int float

def lt_if(a: int, b: float):
    return a < b

def le_if(a: int, b: float):
    return a <= b

def eq_if(a: int, b: float):
    return a == b

def ne_if(a: int, b: float):
    return a != b

def gt_if(a: int, b: float):
    return a > b

def ge_if(a: int, b: float):
    return a >= b

# ---- comparisons bool bool

def lt_bb(a: bool, b: bool):
    return a < b

def le_bb(a: bool, b: bool):
    return a <= b

def eq_bb(a: bool, b: bool):
    return a == b

def ne_bb(a: bool, b: bool):
    return a != b

def gt_bb(a: bool, b: bool):
    return a > b

def ge_bb(a: bool, b: bool):
    return a >= b

# ---- unary


def neg_i(a: int):
    return -a


def neg_f(a: float):
    return -a


def pos_i(a: int):
    return +a


def pos_f(a: float):
    return +a


def neg_b(a: bool):
    return -a


def not_i(a: int):
    return not a


def not_f(a: float):
    return not a


def not_b(a: bool):
    return not a


# ---- chained comparisons, boolean operators, conditional expressions


def chain3(a: int, b: int, c: int):
    return a < b < c


def chain4(a: float, b: float, c: float, d: float):
    return a <= b < c != d


def chain_mixed(a: int, b: float, c: int):
    return a == b <= c


def and_ii(a: int, b: int):
    return a and b


def or_ii(a: int, b: int):
    return a or b


def and_ff(a: float, b: float):
    return a and b


def or_ff(a: float, b: float):
    return a or b


def and_bb(a: bool, b: bool):
    return a and b


def or_bb(a: bool, b: bool):
    return a or b


def bool_expr(a: int, b: int, c: int):
    return (a > 0 and b > 0) or (not c and a != b)


def short_circuit_div(a: int, b: int):
    # the division is evaluated only when b != 0
    return b != 0 and a // b > 1


def short_circuit_or(a: int, b: int):
    return b == 0 or a % b == 0


def cond_expr(a: int, b: int):
    return a if a > b else b


def cond_expr_f(a: float, b: float):
    return a - b if a > b else b - a


def cond_nested(x: int):
    return -1 if x < 0 else (0 if x == 0 else 1)


# ---- constant folding must agree with run-time evaluation


# kiln export const_floordiv()
def const_floordiv():
    return (-7 // 2, 7 // -2, -7 // -2, -7 % 2, 7 % -2, -7 % -2, -3 % -4)


# kiln export const_float_mod()
def const_float_mod():
    return (-7.5 % 2.0, 7.5 % -2.0, -0.0 % 5.0, 0.0 % -5.0, -7.5 // 2.0)


# kiln export const_pow()
def const_pow():
    return (2 ** -1, 2 ** 10, (-2) ** 3, 0 ** 0, 2.0 ** -2, 10 ** -2, (-2) ** -3)


# kiln export const_true_div()
def const_true_div():
    return (7 / 2, -7 / 2, 1 / 3, 6 / 3)


# kiln export const_big()
def const_big():
    return 2 ** 62 + (2 ** 62 - 1)


def const_overflow_folded(x: int):
    # 2**62 * 4 does not fit int64: must raise, never wrap to 0
    if x > 0:
        return 2 ** 62 * 4
    return x


def mul_overflow(a: int):
    return a * 4


# ---- expression mixes


def poly(x: float):
    return 3.0 * x ** 3 - 2.0 * x ** 2 + x / 7.0 - 1.0


def ipoly(x: int):
    return 3 * x ** 3 - 2 * x ** 2 + x // 7 - x % 5


def mixed_expr(a: int, b: float):
    return a * b + a // 3 - b / 2 + a % 4


def precedence(a: int, b: int, c: int):
    return a + b * c - a // (c if c != 0 else 1) ** 2 % 7 - -b


def unary_pow(a: int):
    return -a ** 2


def pow_const_exps(a: int):
    return (a ** 0, a ** 1, a ** 2, a ** 3)


def pow_neg_const_exp(a: int):
    return a ** -2


def pow_float_const(x: float):
    return (x ** 0.5, x ** -1, x ** 2)


# ---- bitwise operators (ints)


def and_bits(a: int, b: int):
    return a & b


def or_bits(a: int, b: int):
    return a | b


def xor_bits(a: int, b: int):
    return a ^ b


def lshift(a: int, b: int):
    return a << b


def rshift(a: int, b: int):
    return a >> b


def invert(a: int):
    return ~a


def invert_b(p: bool):
    return ~p


def bits_bb(p: bool, q: bool):
    return (p & q, p | q, p ^ q)


# ---- int/float comparisons are exact, as in CPython


def exact_cmp(a: int, x: float):
    return (a < x, a <= x, a == x, a != x, a > x, a >= x)

"""The math module: every supported function and constant
(e2e differential case)."""
import math
from math import sqrt as root


def sqrt(x: float):
    return math.sqrt(x)


def exp(x: float):
    return math.exp(x)


def log(x: float):
    return math.log(x)


def log_base(x: float, b: float):
    return math.log(x, b)


def log10(x: float):
    return math.log10(x)


def log2(x: float):
    return math.log2(x)


def sin(x: float):
    return math.sin(x)


def cos(x: float):
    return math.cos(x)


def tan(x: float):
    return math.tan(x)


def asin(x: float):
    return math.asin(x)


def acos(x: float):
    return math.acos(x)


def atan(x: float):
    return math.atan(x)


def atan2(y: float, x: float):
    return math.atan2(y, x)


def sinh(x: float):
    return math.sinh(x)


def cosh(x: float):
    return math.cosh(x)


def tanh(x: float):
    return math.tanh(x)


def pow_(x: float, y: float):
    return math.pow(x, y)


def fabs(x: float):
    return math.fabs(x)


def floor(x: float):
    return math.floor(x)


def ceil(x: float):
    return math.ceil(x)


def trunc(x: float):
    return math.trunc(x)


def floor_i(n: int):
    return math.floor(n)


def ceil_i(n: int):
    return math.ceil(n)


def hypot(x: float, y: float):
    return math.hypot(x, y)


def copysign(x: float, y: float):
    return math.copysign(x, y)


def isnan(x: float):
    return math.isnan(x)


def isinf(x: float):
    return math.isinf(x)


def isfinite(x: float):
    return math.isfinite(x)


def fmod(x: float, y: float):
    return math.fmod(x, y)


def expm1(x: float):
    return math.expm1(x)


def log1p(x: float):
    return math.log1p(x)


# kiln export constants()
def constants():
    return (math.pi, math.e, math.inf, -math.inf, math.tau)


# kiln export nan_const()
def nan_const():
    return math.nan


# int arguments are converted to float, as CPython does

def sqrt_i(n: int):
    return math.sqrt(n)


def exp_i(n: int):
    return math.exp(n)


def log_i(n: int):
    return math.log(n)


def log_base_i(n: int, b: int):
    return math.log(n, b)


def atan2_i(a: int, b: int):
    return math.atan2(a, b)


def fabs_i(n: int):
    return math.fabs(n)


def isnan_i(n: int):
    return math.isnan(n)


def hypot_mixed(a: int, y: float):
    return math.hypot(a, y)


def from_import(x: float):
    return root(x) + 1.0


def formula(x: float, y: float):
    return math.sqrt(x * x + y * y) * math.cos(math.atan2(y, x)) - math.exp(-x) * math.log1p(abs(y))


def gaussian(x: float, mu: float, sigma: float):
    return math.exp(-0.5 * ((x - mu) / sigma) ** 2) / (sigma * math.sqrt(2.0 * math.pi))


def exp2(x: float):
    return math.exp2(x)


def asinh(x: float):
    return math.asinh(x)


def acosh(x: float):
    return math.acosh(x)


def atanh(x: float):
    return math.atanh(x)


def erf(x: float):
    return math.erf(x)


def erfc(x: float):
    return math.erfc(x)


def cbrt(x: float):
    return math.cbrt(x)


def degrees(x: float):
    return math.degrees(x)


def radians(x: float):
    return math.radians(x)


def gcd(a: int, b: int):
    return math.gcd(a, b)


def lcm(a: int, b: int):
    return math.lcm(a, b)


def factorial(n: int):
    return math.factorial(n)


def isqrt(n: int):
    return math.isqrt(n)


def comb(n: int, k: int):
    return math.comb(n, k)


def perm(n: int, k: int):
    return math.perm(n, k)


def perm1(n: int):
    return math.perm(n)

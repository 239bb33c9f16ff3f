"""The three annotation spellings: kiln.types objects, string annotations,
plain builtins; return annotations convert (e2e differential case)."""
from kiln.types import float64, int64, bool_
import kiln.types as kt


def obj_types(a: int64, x: float64, p: bool_):
    return (a * 2, x / 2, not p)


def module_attr_types(a: kt.int64, x: kt.float64):
    return a + x


def alias_types(a: kt.intp, x: kt.double):
    return a - x


def string_types(a: "int", x: "float", p: "bool"):
    return (a + 1, x * 3, p and a > 0)


def string_kiln_types(a: "int64", x: "float64"):
    return a * x


def ret_float(a: int) -> float:
    # the return annotation converts the int result to float
    return a * 2


def ret_float_str(a: int) -> "float64":
    return a // 3


def ret_float_obj(a: int64) -> float64:
    return -a


def ret_int(a: int) -> int:
    return a + 1


def ret_bool(a: int) -> bool:
    return a > 0


def ret_tuple(a: int, x: float) -> tuple[int, float]:
    return (a, x)


def ret_none(a: int) -> None:
    a = a + 1


def no_return(a: int):
    a = a * 2


def bare_return(a: int):
    if a > 0:
        return
    a += 1

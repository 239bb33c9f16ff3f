# RUN: %kiln compile %s --emit=pyi -o - | %FileCheck %s --strict-whitespace
# RUN: rm -rf %t && mkdir -p %t && cd %t && %kiln compile %s --emit=pyi
# RUN: %FileCheck %s --strict-whitespace --input-file %t/emit_pyi.pyi
# RUN: %kiln compile %s --emit=pyi -o %t/other.pyi
# RUN: %FileCheck %s --strict-whitespace --input-file %t/other.pyi
# --emit=pyi writes a type stub of the exported functions: int64 -> int,
# float64 -> float, bool -> bool, none -> None, tuple<...> -> tuple[...];
# defaults become `= ...`; several exports of one name are @overload stubs.
# Helpers that are not exported do not appear.

# CHECK:      # Type stub of the Kiln module `emit_pyi`, compiled from emit_pyi.py.
# CHECK:      from typing import overload
# CHECK-EMPTY:
# CHECK-NEXT: def gcd(a: int, b: int) -> int: ...
def gcd(a: int, b: int) -> int:
    while b != 0:
        a, b = b, a % b
    return a


def helper(x):
    return x + 1


# CHECK-EMPTY:
# CHECK-NEXT: def scale(x: float, k: float = ..., flip: bool = ...) -> float: ...
def scale(x: float, k: float = 2, flip: bool = False) -> float:
    return -x * k if flip else x * helper(k)


# CHECK-EMPTY:
# CHECK-NEXT: def pair(n: int) -> tuple[int, tuple[float, bool]]: ...
def pair(n: int):
    return n, (n / 2, n > 0)


# CHECK-EMPTY:
# CHECK-NEXT: def nothing(n: int) -> None: ...
def nothing(n: int) -> None:
    pass


# CHECK-EMPTY:
# CHECK-NEXT: @overload
# CHECK-NEXT: def twice(v: int) -> int: ...
# CHECK-NEXT: @overload
# CHECK-NEXT: def twice(v: float) -> float: ...
# CHECK-NOT:  def
# kiln export twice(int)
# kiln export twice(float)
def twice(v):
    return v * 2

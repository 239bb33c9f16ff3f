# RUN: %kiln compile %s --emit=kir -O0 | %FileCheck %s
# math.gcd is Euclid's loop on the absolute values; factorial a counted loop
# of checked multiplications.
import math


def f(a: int, b: int) -> int:
    return math.gcd(a, b) + math.factorial(b)

# CHECK-LABEL: func @f
# CHECK:       math %{{.+}} [fn = "abs"]
# CHECK:       while {
# CHECK:         cmp %{{.+}}, %{{.+}} [pred = "ne"]
# CHECK:       } {
# CHECK:         mod
# CHECK:       for
# CHECK:         mul

# RUN: %kiln compile %s --emit=kir -O0 | %FileCheck %s
# Pythran's postfix `list` and list[...] annotations give list parameters.

# CHECK: func @total(%xs: list<float64>) -> float64
#pythran export total(float list)
def total(xs):
    return sum(xs)

# CHECK: func @nested(%g: list<list<int64>>) -> list<int64>
#pythran export nested(int list list)
def nested(g):
    return [sum(r) for r in g]

# CHECK: func @pairs(%ps: list<tuple<int64, float64>>) -> float64
#pythran export pairs((int, float) list)
def pairs(ps):
    return sum(a * b for a, b in ps)

# CHECK: func @ann(%xs: list<float64>) -> float64
def ann(xs: "list[float]") -> float:
    return max(xs)

# CHECK: func @ann2(%xs: list<bool>) -> int64
def ann2(xs: list[bool]) -> int:
    return len(xs)

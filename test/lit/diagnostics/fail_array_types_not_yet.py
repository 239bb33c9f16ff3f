# RUN: %verify-diags %s

# expected-error:14 {{array type `float64[:]` is not supported by Kiln yet}}
def total(a: float64[:]) -> float:
    return 0.0

# RUN: %verify-diags %s
# Lambdas are key functions only, for now.

def f(x: int) -> int:
    # expected-error:9 {{lambdas outside `key=` of `sort`, `sorted`, `min` and `max` are not supported by Kiln yet}}
    g = lambda y: y + 1
    return x

# RUN: %verify-diags %s
# `y` is local (it is assigned here) but its only assignment reads it first,
# so it never has a value. (A read before a later assignment is a run-time
# UnboundLocalError instead: see lowering/unbound_local_flag.py.)

def f(x: int) -> int:
    # expected-error:9 {{local variable `y` may be used before it is assigned}}
    y = y + 1
    return x

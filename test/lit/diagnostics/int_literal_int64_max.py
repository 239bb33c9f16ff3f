# RUN: %verify-diags %s
# verify-diags: no-diagnostics
# The largest int64 literal is fine; so is -9223372036854775808 written as
# a negation of (2**63 - 1) - 1.

def f(x: int) -> int:
    return x + 9223372036854775807

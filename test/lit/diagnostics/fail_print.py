# RUN: %verify-diags %s
# print's keywords: sep and end as string literals, flush as a bool literal;
# file= is not supported yet.
import sys


def f(x: float, s: bool) -> float:
    # expected-error@+1 {{`print(file=...)` other than a string literal (sep, end) or a bool literal (flush) is not supported by Kiln yet}}
    print(x, file=sys.stderr)
    # expected-error@+1 {{`print` got an unexpected keyword argument `stream`}}
    print(x, stream=1)
    # expected-error@+1 {{`print(flush=...)` other than a string literal (sep, end) or a bool literal (flush) is not supported by Kiln yet}}
    print(x, flush=s)
    return x

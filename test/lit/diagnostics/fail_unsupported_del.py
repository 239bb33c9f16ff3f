# RUN: %verify-diags %s
# `del` of list items and dict keys works; of variables not yet.

def f(n: int) -> int:
    m = n
    # expected-error:9 {{`del` of anything but a list item or slice, or a dict key is not supported by Kiln yet}}
    del m
    xs = [1, 2, 3]
    # expected-error:12 {{`del` of a slice with a step is not supported by Kiln yet}}
    del xs[::2]
    del xs[0], xs[-1]
    return n

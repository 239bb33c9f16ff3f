# RUN: %kiln compile %s --emit=tokens | %FileCheck %s
# String tokens keep their quotes and prefixes as written.

def f(x: int) -> int:
    if x < 0:
        # CHECK: STRING '"double"'
        raise ValueError("double")
    if x < 1:
        # CHECK: STRING '\'single\''
        raise ValueError('single')
    if x < 2:
        # CHECK: STRING '"tab\\tand \\"quote\\""'
        raise ValueError("tab\tand \"quote\"")
    if x < 3:
        # CHECK: STRING 'r"raw\\d"'
        raise ValueError(r"raw\d")
    # A triple-quoted string spans lines; the token starts at its first line
    # and the next token is on the line after its end.
    # CHECK:      [[#@LINE+2]]:5 STRING '"""two\nlines"""'
    # CHECK-NEXT: [[#@LINE+2]]:9 NEWLINE
    """two
lines"""
    return x

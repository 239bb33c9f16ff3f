# RUN: %kiln compile %s --emit=tokens | %FileCheck %s
# A backslash at the end of a line joins it with the next: no NEWLINE and no
# INDENT for the continuation line.

def f(a: int, b: int) -> int:
    # CHECK:      [[#@LINE+1]]:5 NAME 'return'
    return a + \
        b
# CHECK-NEXT: NAME 'a'
# CHECK-NEXT: OP '+'
# CHECK-NEXT: [[#@LINE-3]]:9 NAME 'b'
# CHECK-NEXT: NEWLINE
# CHECK-NEXT: DEDENT

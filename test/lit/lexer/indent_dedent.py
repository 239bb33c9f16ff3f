# RUN: %kiln compile %s --emit=tokens | %FileCheck %s
# One INDENT per deeper block; leaving two blocks at once gives two DEDENTs
# at the first token of the outer line; the end of the file closes the rest.

# CHECK:      [[#@LINE+1]]:1 NAME 'def'
def f(x: int) -> int:
    # CHECK:      [[#@LINE+2]]:5 INDENT
    # CHECK-NEXT: [[#@LINE+1]]:5 NAME 'if'
    if x:
        # CHECK:      [[#@LINE+2]]:9 INDENT
        # CHECK-NEXT: [[#@LINE+1]]:9 NAME 'x'
        x = 1
    # CHECK:      NEWLINE
    # CHECK-NEXT: [[#@LINE+2]]:5 DEDENT
    # CHECK-NEXT: [[#@LINE+1]]:5 NAME 'return'
    return x
# CHECK:      [[#@LINE+2]]:1 DEDENT
# CHECK-NEXT: [[#@LINE+1]]:1 NAME 'def'
def g(y: int) -> int:
    while y:
        if y:
            # CHECK:      [[#@LINE+1]]:13 NAME 'y'
            y = 0
# Two blocks and the function end together at the end of the file.
# CHECK:      NEWLINE
# CHECK-NEXT: DEDENT
# CHECK-NEXT: DEDENT
# CHECK-NEXT: DEDENT
# CHECK-NEXT: ENDMARKER

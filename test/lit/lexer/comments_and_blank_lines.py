# RUN: %kiln compile %s --emit=tokens | %FileCheck %s
# Comments, blank lines and comment-only lines with any indentation produce
# no tokens, and in particular no NEWLINE, INDENT or DEDENT.

# CHECK:      [[#@LINE+1]]:1 NAME 'def'
def f(x: int) -> int:  # a trailing comment
    # CHECK:      [[#@LINE-1]]:44 NEWLINE
    # CHECK-NEXT: [[#@LINE+4]]:5 INDENT

  # a comment indented less than the block

    y = x
        # a comment indented more than the block
    # CHECK:      NAME 'y'
    # CHECK-NOT:  INDENT
    # CHECK-NOT:  DEDENT
    # CHECK:      [[#@LINE+1]]:5 NAME 'return'
    return y

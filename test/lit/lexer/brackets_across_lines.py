# RUN: %kiln compile %s --emit=tokens | %FileCheck %s
# Inside (), [] and {} line breaks and indentation are not tokens.

def f(a: int, b: int) -> int:
    # CHECK:      [[#@LINE+1]]:5 NAME 'return'
    return max(a,
               # CHECK-NEXT: [[#@LINE-1]]:12 NAME 'max'
               # CHECK-NEXT: OP '('
               # CHECK-NEXT: [[#@LINE-3]]:16 NAME 'a'
               # CHECK-NEXT: [[#@LINE-4]]:17 OP ','
               # CHECK-NEXT: [[#@LINE+1]]:16 NAME 'b'
               b
        # CHECK-NEXT: [[#@LINE+2]]:9 OP ')'
        # CHECK-NEXT: [[#@LINE+1]]:10 NEWLINE
        )
# CHECK-NEXT: DEDENT

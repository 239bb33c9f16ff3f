# RUN: %kiln compile %s --emit=tokens | %FileCheck %s
# Number tokens keep their spelling; the value is decoded later.

def f() -> float:
    # CHECK:      NAME 'a'
    # CHECK-NEXT: OP '='
    # CHECK-NEXT: NUMBER '0x1F'
    # CHECK-NEXT: OP '+'
    # CHECK-NEXT: NUMBER '0o17'
    # CHECK-NEXT: OP '+'
    # CHECK-NEXT: NUMBER '0b101'
    # CHECK-NEXT: OP '+'
    # CHECK-NEXT: NUMBER '1_000_000'
    a = 0x1F + 0o17 + 0b101 + 1_000_000
    # CHECK:      NUMBER '1.5e-3'
    # CHECK-NEXT: OP '+'
    # CHECK-NEXT: NUMBER '2.'
    # CHECK-NEXT: OP '+'
    # CHECK-NEXT: NUMBER '.5'
    # CHECK-NEXT: OP '+'
    # CHECK-NEXT: NUMBER '1E10'
    b = 1.5e-3 + 2. + .5 + 1E10
    # A minus sign is an operator, not part of the number.
    # CHECK:      OP '-'
    # CHECK-NEXT: NUMBER '7'
    c = -7
    return a + b + c

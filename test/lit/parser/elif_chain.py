# RUN: %kiln compile %s --emit=ast | %FileCheck %s
# `elif` is an If nested in the else branch of the previous one; the final
# `else` belongs to the innermost If.

def f(a: int) -> int:
    # CHECK-LABEL: If
    # CHECK-NEXT:    test: Compare <
    # CHECK:         then:
    # CHECK-NEXT:      Return
    # CHECK-NEXT:        IntLit 1
    # CHECK-NEXT:    else:
    # CHECK-NEXT:      If
    # CHECK-NEXT:        test: Compare ==
    # CHECK:             then:
    # CHECK-NEXT:          Return
    # CHECK-NEXT:            IntLit 2
    # CHECK-NEXT:        else:
    # CHECK-NEXT:          If
    # CHECK-NEXT:            test: Compare >
    # CHECK:                 then:
    # CHECK-NEXT:              Return
    # CHECK-NEXT:                IntLit 3
    # CHECK-NEXT:            else:
    # CHECK-NEXT:              Return
    # CHECK-NEXT:                IntLit 4
    if a < 0:
        return 1
    elif a == 0:
        return 2
    elif a > 10:
        return 3
    else:
        return 4

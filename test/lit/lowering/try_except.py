# RUN: %kiln compile %s --emit=kir -O0 | %FileCheck %s
# A try statement is one `try` op: the body, the except clauses as `catch`
# ops (class names joined by commas, "" for a bare except), else and
# finally; a bare `raise` in a handler is `reraise`.


def f(a: int, b: int) -> int:
    try:
        r = a // b
    except (ZeroDivisionError, OverflowError):
        r = 0
    except:
        raise
    else:
        r += 1
    finally:
        a = 0
    return r

# CHECK-LABEL: func @f
# CHECK:       try {
# CHECK:         floordiv
# CHECK:       } {
# CHECK-NEXT:    catch [exc = "ZeroDivisionError,OverflowError"] {
# CHECK:         } loc(10:5)
# CHECK-NEXT:    catch [exc = ""] {
# CHECK-NEXT:      reraise
# CHECK:       } {
# CHECK:         add
# CHECK:       } {
# CHECK:         store
# CHECK:       } loc(8:5)

# RUN: %kiln compile %s --emit=ast | %FileCheck %s
# An f-string is a str.format template (its own braces doubled) and its
# fields, parsed with their true locations; implicit concatenation joins
# plain and f-string parts.


def f(n, x):
    print(f"n = {n + 1:>4} {x!r}" " {plain} " f"{{lit}} {n}")

# CHECK:      arg: FString 'n = {:>4} {!r} {{[{][{]}}plain}} {{[{][{]}}lit}} {}' <8:11-8:61>
# CHECK-NEXT:   field: BinOp + <8:18-8:23>
# CHECK-NEXT:     Name n <8:18-8:19>
# CHECK-NEXT:     IntLit 1 <8:22-8:23>
# CHECK-NEXT:   field: Name x <8:29-8:30>
# CHECK-NEXT:   field: Name n <8:58-8:59>

# RUN: %kiln compile %s --emit=ast | %FileCheck %s
# `# kiln export` and `# pythran export` comments are collected with the
# position of the text after the prefix; other comments are not.

# kiln export f(int, float)
# pythran export f(float, float)
#   kiln export   g(int)
# not an export: kiln export h(int)


def f(a, b):
    return a


def g(a):
    return a

# The comments come after the statements, in file order.
# CHECK:      FunctionDef g
# CHECK:      Export 'f(int, float)' at 5:15 <5:1-5:28>
# CHECK-NEXT: Export 'f(float, float)' at 6:18 <6:1-6:33>
# CHECK-NEXT: Export 'g(int)' at 7:19 <7:1-7:25>
# CHECK-NOT:  Export

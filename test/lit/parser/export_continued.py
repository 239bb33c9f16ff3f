# RUN: %kiln compile %s --emit=ast | %FileCheck %s
# An export comment with an open parenthesis continues on the comment lines
# right after it (Pythran's multi-line exports); the texts are joined with
# a space. A comment after a closed one, or after a blank line, does not.

#pythran export river_boa(int,
#                         float,
#                         bool)
# not part of it
#pythran export f(int,

#  float)


def river_boa(a, b, c):
    return a


def f(a):
    return a

# CHECK:      Export 'river_boa(int, float, bool)' at 6:17 <6:1-8:32>
# CHECK-NEXT: Export 'f(int,' at 10:17
# CHECK-NOT:  Export

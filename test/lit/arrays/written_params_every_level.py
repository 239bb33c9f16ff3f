# RUN: %kiln compile %s --emit=kir -O0 -o - | %FileCheck %s
# RUN: %kiln compile %s --emit=kir -O2 -o - | %FileCheck %s
# The driver runs --written-params at every -O level (the runtime relies on
# it to refuse read-only arrays): the writing parameter is marked, through a
# helper and a row view, and the read-only one is not.
from kiln.types import float64


def _put(r, v):
    r[0] = v


# CHECK-LABEL: func @copy_first(%src: array<float64, 2>, %dst: array<float64, 2>) -> none
# CHECK-SAME:  [arg_names = "src,dst", export = "copy_first", written.1] loc(
def copy_first(src: float64[:, :], dst: float64[:, :]):
    _put(dst[0], src[0, 0])

# RUN: %kiln compile %s --emit=pyi -o - | %FileCheck %s
# Array parameters are NumPy arrays of their element type in the stub.

# CHECK:      import numpy
# CHECK-NEXT: import numpy.typing
# CHECK:      def total(a: numpy.typing.NDArray[numpy.float64], m: numpy.typing.NDArray[numpy.int64]) -> float: ...
def total(a: "float64[:]", m: "int64[:, :]") -> float:
    s = 0.0
    for x in a:
        s += x
    return s

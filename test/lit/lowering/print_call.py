# RUN: %kiln compile %s --emit=kir -O0 | %FileCheck %s
# print() is one `print` op: string literals as str constants, None as the
# text "None", sep/end/flush as attributes.


def f(x: float, n: int) -> int:
    print("x =", x, None, sep=", ", end="", flush=True)
    return n

# CHECK-LABEL: func @f
# CHECK-DAG:   %[[S:.+]] = str.const [value = "x ="] : str
# CHECK-DAG:   %[[N:.+]] = str.const [value = "None"] : str
# CHECK:       print %[[S]], %{{.+}}, %[[N]] [end = "", flush, sep = ", "]

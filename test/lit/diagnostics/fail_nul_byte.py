# RUN: %not %kiln compile %S/Inputs/nul_byte.py -o %t.abi3.so 2>&1 | %FileCheck %s

# CHECK: {{.*}}nul_byte.py:2:13: error: source file contains a NUL byte
# CHECK-NOT: error

# RUN: %not %kiln compile %S/Inputs/invalid_utf8.py -o %t.abi3.so 2>&1 | %FileCheck %s
# A Latin-1 byte in a comment: the error points at the byte.

# CHECK: {{.*}}invalid_utf8.py:2:20: error: invalid UTF-8 byte 0xE9 in source file
# CHECK-NOT: error

# RUN: %not %kiln compile %S/Inputs/empty.py -o %t.abi3.so 2>&1 | %FileCheck %s
# RUN: %not %kiln compile %S/Inputs/blank.py -o %t.abi3.so 2>&1 | %FileCheck %s --check-prefix=BLANK
# A file with nothing (or only white space) in it: the error has no line.
# (The inputs live in Inputs/ because this file itself is not empty.)

# CHECK: {{.*}}empty.py:{{[0-9:]*}} error: `{{.*}}empty.py` is empty: there is nothing to compile
# CHECK-NOT: error
# BLANK: {{.*}}blank.py:{{[0-9:]*}} error: `{{.*}}blank.py` is empty: there is nothing to compile

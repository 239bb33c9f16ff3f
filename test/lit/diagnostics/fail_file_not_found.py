# RUN: rm -rf %t && mkdir -p %t
# RUN: %not %kiln compile %t/missing.py -o %t/out.abi3.so 2>&1 | %FileCheck %s
# RUN: not test -e %t/out.abi3.so

# CHECK: error: cannot read `{{.*}}missing.py`: {{[Nn]}}o such file or directory

# RUN: rm -rf %t && mkdir -p %t && cp %s %t/src.py
# An output that would overwrite the source is refused before any work, with
# exit code 1, and the source is left as it was.
# RUN: %not %kiln compile %t/src.py -o %t/src.py 2>&1 | %FileCheck %s --check-prefix=SAME
# RUN: %not %kiln compile %t/src.py -o %t/./src.py 2>&1 | %FileCheck %s --check-prefix=SAME
# RUN: %not %kiln compile %t/src.py --pyi=%t/src.py 2>&1 | %FileCheck %s --check-prefix=SAME
# RUN: %not %kiln compile %t/src.py -MD -MF %t/src.py 2>&1 | %FileCheck %s --check-prefix=SAME
# RUN: cmp %s %t/src.py
# SAME: kiln: error: output file `{{.*}}src.py` is the source file; it would be overwritten
#
# A directory that does not exist is named.
# RUN: %not %kiln compile %t/src.py -o %t/missing/dir/m.abi3.so 2>&1 | %FileCheck %s --check-prefix=DIR
# DIR: kiln: error: cannot write `{{.*}}/missing/dir/m.abi3.so`: directory `{{.*}}/missing/dir` does not exist
# RUN: test ! -e %t/missing

def f(x: int) -> int:
    return x + 1

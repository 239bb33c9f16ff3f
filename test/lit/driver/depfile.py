# RUN: rm -rf %t && mkdir -p %t
# -MD writes NAME.d next to the output; the module (and its stub, with
# --pyi) depend on the source and on the runtime library linked in.
# RUN: %kiln compile %s -o %t/depfile.abi3.so --pyi=%t/depfile.pyi -MD
# RUN: %FileCheck %s --check-prefix=MD --input-file %t/depfile.d
# MD:      {{^}}[[OUT:.*]]/depfile.abi3.so [[OUT]]/depfile.pyi: [[SRC:.*]]depfile.py [[RT:.*]]libkilnrt.a{{$}}
# MD-NEXT: {{^}}[[SRC]]depfile.py:{{$}}
# MD-NEXT: {{^}}[[RT]]libkilnrt.a:{{$}}
#
# -MF names the file; spaces in paths are escaped as Make expects.
# RUN: mkdir -p "%t/a dir"
# RUN: %kiln compile %s -o "%t/a dir/depfile.abi3.so" -MD -MF %t/deps.mk
# RUN: %FileCheck %s --check-prefix=MF --input-file %t/deps.mk
# MF: {{^.*}}/a\ dir/depfile.abi3.so: {{.*}}depfile.py {{.*}}libkilnrt.a{{$}}
#
# --emit=pyi alone: the stub depends on the source only.
# RUN: %kiln compile %s --emit=pyi -o %t/stub.pyi -MD -MF %t/stub.d
# RUN: %FileCheck %s --check-prefix=PYI --input-file %t/stub.d
# PYI:      {{^.*}}/stub.pyi: {{.*}}depfile.py{{$}}
# PYI-NEXT: {{^.*}}depfile.py:{{$}}
#
# A failed compilation writes no dependency file.
# RUN: rm -f %t/depfile.d
# RUN: %not %kiln compile %S/Inputs/bad.py -o %t/bad.abi3.so -MD
# RUN: %not ls %t/bad.d

def f(n: int) -> int:
    return n + 1

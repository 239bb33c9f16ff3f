# UNSUPPORTED: asan
# RUN: rm -rf %t && mkdir -p %t
# RUN: %python -c "print('def f(x: float) -> float:'); print('    s = x'); [print('    s = s * 0.5 + %%d.0' %% (i %% 7)) for i in range(100000)]; print('    return s')" > %t/big.py
# Running out of memory is a diagnostic with exit code 1, not an internal
# compiler error, and leaves no output file (RELIABILITY.md row 36).
# RUN: %not %python %S/Inputs/with_memory_limit.py 400 %kiln compile %t/big.py -o %t/big.abi3.so 2>&1 | %FileCheck %s
# RUN: test ! -e %t/big.abi3.so
# CHECK: kiln: error: out of memory while compiling {{.*}}big.py; the input is too large
# CHECK-NOT: internal compiler error
# CHECK: [exit 1]
#
# With the address space limited, a small module still compiles (the
# compiler's large stack shrinks to fit).
# RUN: %python %S/Inputs/with_memory_limit.py 600 %kiln compile %s -o %t/small.abi3.so
# RUN: test -e %t/small.abi3.so

def g(x: float) -> float:
    return x + 1.0

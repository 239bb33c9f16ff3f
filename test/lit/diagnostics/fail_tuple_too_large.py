# RUN: rm -rf %t && mkdir -p %t
# RUN: %python -c "print('def f(x: float):'); print('    return (' + ', '.join('x + %%d.0' %% i for i in range(1025)) + ')')" > %t/big.py
# RUN: %not %kiln compile %t/big.py -o %t/big.abi3.so 2>&1 | %FileCheck %s
# RUN: test ! -e %t/big.abi3.so
# A tuple is a value in registers: past 1024 elements it is refused with a
# diagnostic (LLVM's aggregate handling is quadratic in the size), instead of
# minutes of compile time. 1024 elements compile.
# CHECK: big.py:2:12: error: a tuple of 1025 elements is too large for Kiln (at most 1024); use an array
# RUN: %python -c "print('def f(x: float):'); print('    return (' + ', '.join('x + %%d.0' %% i for i in range(1024)) + ')')" > %t/ok.py
# RUN: %kiln compile %t/ok.py -o %t/ok.abi3.so

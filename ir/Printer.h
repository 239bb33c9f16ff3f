//===- Printer.h - Text form of Kiln IR --------------------------*- C++ -*-===//
//
// The text form prints and parses back to the same text:
//
//   func @gcd(%a: int64, %b: int64) -> int64 [arg_names = "a,b", export = "gcd"] {
//     %a.addr = slot : ref<int64>
//     store %a, %a.addr
//     while {
//       %0 = load %b.addr : int64
//       %1 = const [value = 0] : int64
//       %2 = cmp %0, %1 [pred = "ne"] : bool
//       condition %2
//     } {
//       ...
//     }
//   }
//
// Every op is printed in one generic syntax:
//   [%r, ... =] name [%operand, ...] [[attr = value, ...]] [: type, ...] [{region}...] [loc(L:C)]
// A region with arguments starts with `^(%i: int64):`.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_IR_PRINTER_H
#define KILN_IR_PRINTER_H

#include "ir/IR.h"
#include "llvm/Support/raw_ostream.h"

namespace kiln {
namespace ir {

struct PrintOptions {
  bool PrintLocs = true; ///< append loc(L:C) to ops that have a location
};

void print(const Module &M, llvm::raw_ostream &OS, PrintOptions Opts = {});
void print(const Function &F, llvm::raw_ostream &OS, PrintOptions Opts = {});

} // namespace ir
} // namespace kiln

#endif

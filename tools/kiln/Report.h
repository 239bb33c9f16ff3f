//===- Report.h - `kiln compile --report`: what the passes did per loop --*- C++ -*-===//
#ifndef KILN_TOOLS_REPORT_H
#define KILN_TOOLS_REPORT_H

#include "ir/IR.h"
#include "llvm/Support/raw_ostream.h"

namespace kiln {

/// Prints one line per loop with something to say, tied to its Python
/// line: bounds checks removed and kept, float sums that may vectorise,
/// per-iteration arrays freed, and calls left in the loop. Remarks are read
/// off the attributes the passes set, so they say what really happened.
void printLoopReport(const ir::Module &M, llvm::StringRef Path, llvm::raw_ostream &OS);

} // namespace kiln

#endif

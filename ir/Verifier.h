//===- Verifier.h - Structural and type checks of Kiln IR --------*- C++ -*-===//
//
// Checks operand/result/region counts against Ops.def, operand types for
// each op, that values are defined before use and visible (dominance in the
// structured sense), that terminators end their regions, that `break` and
// `continue` sit inside a loop, `condition` ends a while's condition region,
// calls name existing functions with matching types, and returns match the
// function's result type. Broken IR is a compiler bug, never a user error.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_IR_VERIFIER_H
#define KILN_IR_VERIFIER_H

#include "ir/IR.h"
#include <string>
#include <vector>

namespace kiln {
namespace ir {

/// Returns the problems found (empty when \p M is well formed).
std::vector<std::string> verify(const Module &M);

} // namespace ir
} // namespace kiln

#endif

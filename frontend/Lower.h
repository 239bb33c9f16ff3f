//===- Lower.h - Typed lowering of the AST to Kiln IR ------------*- C++ -*-===//
//
// Turns a parsed ast::Module into an ir::Module. This is where Python's
// semantics are decided: name resolution, type inference, specialisation of
// helpers per argument types, implicit conversions and the checks that
// Python performs at run time.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_FRONTEND_LOWER_H
#define KILN_FRONTEND_LOWER_H

#include "frontend/AST.h"
#include "ir/Diagnostics.h"
#include "ir/IR.h"
#include <memory>

namespace kiln {

/// Lowers \p M (parsed from \p File) to Kiln IR. Returns null after
/// reporting at least one error.
std::unique_ptr<ir::Module> lowerModule(const ast::Module &M,
                                        const SourceFile &File,
                                        llvm::StringRef ModuleName,
                                        DiagnosticEngine &Diags);

} // namespace kiln

#endif

//===- Stub.h - Python type stubs (.pyi) for a compiled module ---*- C++ -*-===//
#ifndef KILN_TOOLS_STUB_H
#define KILN_TOOLS_STUB_H

#include "llvm/Support/raw_ostream.h"

namespace kiln {
namespace ir {
class Module;
}

/// Writes a `.pyi` stub declaring every exported function of \p M (the
/// module as lowered, before any pass) with its Python signature. Several IR
/// functions exported under one Python name are overloads and become
/// `@overload` stubs.
void writeStub(const ir::Module &M, llvm::raw_ostream &OS);

} // namespace kiln

#endif

//===- Parser.h - Reads the text form of Kiln IR -----------------*- C++ -*-===//
#ifndef KILN_IR_PARSER_H
#define KILN_IR_PARSER_H

#include "ir/IR.h"
#include <memory>

namespace kiln {
namespace ir {

/// Parses the text form (see Printer.h). Errors are reported through
/// \p Diags with the line and column in \p F; returns null on error.
std::unique_ptr<Module> parseIR(const SourceFile &F, DiagnosticEngine &Diags);

} // namespace ir
} // namespace kiln

#endif

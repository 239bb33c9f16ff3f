//===- ASTBuilder.h - ANTLR parse tree to Kiln's AST (internal) --*- C++ -*-===//
//
// Internal to the parser: includes ANTLR's generated parser. Only
// frontend/Parser.cpp uses it.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_FRONTEND_ASTBUILDER_H
#define KILN_FRONTEND_ASTBUILDER_H

#include "frontend/AST.h"
#include "frontend/Lexer.h"

#include "KilnParser.h"

#include <memory>

namespace kiln {
namespace frontend {

/// Builds the AST of a successfully parsed file. Checks CPython reports as
/// syntax errors after parsing (parameter order, assignment targets, string
/// escapes, ...); the first such error is reported and null returned.
std::unique_ptr<ast::Module> buildModule(KilnParser::File_inputContext *Tree,
                                         antlr4::TokenStream &Tokens,
                                         const LocMap &Locs,
                                         DiagnosticEngine &Diags);

} // namespace frontend
} // namespace kiln

#endif // KILN_FRONTEND_ASTBUILDER_H

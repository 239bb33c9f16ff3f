//===- Parser.h - Python source to Kiln's AST --------------------*- C++ -*-===//
//
// The public face of the ANTLR-based parser. Nothing in this header mentions
// ANTLR: callers hand in a SourceFile and get back an ast::Module, with
// syntax errors reported through the DiagnosticEngine.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_FRONTEND_PARSER_H
#define KILN_FRONTEND_PARSER_H

#include "frontend/AST.h"
#include "ir/Diagnostics.h"
#include <memory>
#include <optional>
#include <string>

namespace kiln {

/// The source text as UTF-8: \p Bytes as read, decoded from the encoding a
/// PEP 263 declaration in its first two lines names (`# -*- coding: latin-1
/// -*-`). UTF-8 and Latin-1 are understood; another declared encoding is
/// reported (located in \p F, the undecoded file) and gives nullopt.
std::optional<std::string> decodeSource(const std::string &Bytes, const SourceFile &F,
                                        DiagnosticEngine &Diags);

/// Checks the raw bytes of \p F (NUL bytes, invalid UTF-8, empty file) and
/// reports problems. Returns false if the file cannot be parsed.
bool checkSourceBytes(const SourceFile &F, DiagnosticEngine &Diags);

/// Parses \p F. Returns null after reporting at least one error.
std::unique_ptr<ast::Module> parseModule(const SourceFile &F,
                                         DiagnosticEngine &Diags);

/// Adds the exports of a Pythran spec file \p F (`mod.pythran` beside
/// `mod.py`: lines `export f(int, float)`, possibly continued on the next
/// lines, and `#` comments) to \p M. Returns false after reporting a line
/// that is neither.
bool readExportFile(const SourceFile &F, ast::Module &M, DiagnosticEngine &Diags);

/// Parses the expression at bytes [Begin, End) of \p F (a replacement
/// field of an f-string) with its true source locations; null after a
/// report.
ast::ExprPtr parseFieldExpression(const SourceFile &F, size_t Begin, size_t End,
                                  DiagnosticEngine &Diags);

/// Writes one line per token (`kiln compile --emit=tokens`), e.g.
/// `3:5 NAME 'x'`, `4:5 INDENT`. Returns false on a lexical error.
bool dumpTokens(const SourceFile &F, DiagnosticEngine &Diags,
                llvm::raw_ostream &OS);

} // namespace kiln

#endif // KILN_FRONTEND_PARSER_H

//===- Lexer.h - Python's logical token stream (internal) ---------*- C++ -*-===//
//
// Internal to the parser: this header includes ANTLR and must only be used
// by frontend/Parser.cpp and frontend/ASTBuilder.cpp. Everything else talks
// to the parser through frontend/Parser.h.
//
// IndentingLexer wraps the generated KilnLexer and turns its raw tokens into
// the token stream CPython's tokenizer produces:
//   * NEWLINE only at the end of a logical line: none inside brackets, none
//     for blank or comment-only lines, and one synthesised at end of file
//     if the last line has none;
//   * INDENT/DEDENT from the indentation stack (tabs to multiples of 8),
//     with CPython's TabError rule for ambiguous mixes of tabs and spaces;
//   * comments dropped, but `# kiln export ...` / `# pythran export ...`
//     comments collected as ast::ExportComment.
// The first lexical error is recorded (not reported) and ends the stream,
// so the parser can decide whether a syntax error came first.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_FRONTEND_LEXER_H
#define KILN_FRONTEND_LEXER_H

#include "frontend/AST.h"
#include "ir/Diagnostics.h"

#include "KilnLexer.h"
#include "antlr4-runtime.h"

#include <deque>
#include <memory>
#include <string>
#include <vector>

namespace kiln {
namespace frontend {

/// Maps ANTLR's code-point indices to Kiln's 1-based line and byte column.
class LocMap {
public:
  /// \p Text must be valid UTF-8.
  explicit LocMap(const std::string &Text);

  /// The location of the byte at offset \p Byte (or one past the end).
  SourceLoc locOfByte(size_t Byte) const;
  /// The byte offset of code point \p Cp (ANTLR's character index).
  size_t byteOfCp(size_t Cp) const {
    Cp += CpSkipped;
    if (CpToByte.empty())
      return Cp < Size ? Cp : Size;
    return Cp < CpToByte.size() ? CpToByte[Cp] : Size;
  }
  SourceLoc locOfCp(size_t Cp) const { return locOfByte(byteOfCp(Cp)); }
  /// Where \p T starts, and one past its last character.
  SourceLoc beginOf(const antlr4::Token *T) const;
  SourceLoc endOf(const antlr4::Token *T) const;
  SourceRange rangeOf(const antlr4::Token *T) const {
    return {beginOf(T), endOf(T)};
  }

private:
  size_t Size;
  /// ANTLR's input stream drops a leading byte-order mark; its indices start
  /// after it.
  size_t CpSkipped = 0;
  std::vector<size_t> CpToByte; ///< Empty when the text is pure ASCII.
  std::vector<size_t> LineStarts;
};

/// A lexical error, recorded so the caller can order it against syntax
/// errors; at most one per file.
struct LexError {
  DiagID ID = DiagID::SyntaxError;
  SourceRange Range;              ///< Where the diagnostic points.
  SourceLoc OrderLoc;             ///< Where the token stream was cut off.
  std::vector<std::string> Args;
};

/// The generated lexer plus Python's layout rules (see the file comment).
class IndentingLexer : public KilnLexer {
public:
  IndentingLexer(antlr4::CharStream *Input, const std::string &Text,
                 const LocMap &Locs);

  std::unique_ptr<antlr4::Token> nextToken() override;

  /// The first lexical error, if any.
  const LexError *error() const { return Error ? &*Error : nullptr; }
  std::vector<ast::ExportComment> takeExports() { return std::move(Exports); }

  /// CPython's limits: deeper nesting is a syntax error, not a stack overflow.
  static constexpr unsigned MaxBracketDepth = 200;
  static constexpr unsigned MaxIndentDepth = 100;

private:
  std::unique_ptr<antlr4::Token> makeToken(size_t Type, size_t StartCp,
                                           size_t StopCp,
                                           const std::string &Text);
  void setError(DiagID ID, SourceRange R, std::vector<std::string> Args = {},
                SourceLoc OrderLoc = {});
  /// Ends the stream: final NEWLINE, DEDENTs, then EOF at \p AtCp.
  void finish(size_t AtCp);
  /// Handles the first token of a logical line: pushes INDENT or DEDENTs.
  void handleIndentation(const antlr4::Token &First);
  /// Replaces a NAME token's text by its NFKC form (Python's identifier rule).
  void normalizeName(antlr4::Token &T);
  void collectExport(const antlr4::Token &Comment);

  const std::string &Text;
  const LocMap &Locs;
  std::deque<std::unique_ptr<antlr4::Token>> Pending;
  std::vector<unsigned> Indents{0};    ///< Columns, tabs to multiples of 8.
  std::vector<unsigned> AltIndents{0}; ///< Columns, tabs as one column.
  /// Open brackets: the bracket character and where it is.
  std::vector<std::pair<char, SourceRange>> Brackets;
  bool AtLineStart = true;
  bool Finished = false;
  std::unique_ptr<LexError> Error;
  std::vector<ast::ExportComment> Exports;
  /// The last export comment has an unclosed `(` or `[`: comments on the
  /// lines right after it continue it.
  bool ExportOpen = false;
  unsigned ExportLine = 0;
};

} // namespace frontend
} // namespace kiln

#endif // KILN_FRONTEND_LEXER_H

//===- Parser.cpp - Python source to Kiln's AST ----------------------------===//
//
// Drives the ANTLR lexer and parser (see Parser.h for the interface):
//   1. the raw bytes are checked (NUL, UTF-8), so ANTLR only sees valid text;
//   2. IndentingLexer produces Python's logical token stream;
//   3. the parser runs with SLL prediction and a bail-out strategy, which is
//      fast and right for every valid file; only when it fails does the
//      parser run again with full LL prediction, stopping at the first error;
//   4. the first error (lexical or syntactic, whichever comes first in the
//      file) becomes exactly one diagnostic;
//   5. ASTBuilder turns the parse tree into ast::Module.
//
//===----------------------------------------------------------------------===//

#include "frontend/Parser.h"
#include "frontend/ASTBuilder.h"
#include "frontend/Lexer.h"

#include "KilnLexer.h"
#include "KilnParser.h"
#include "antlr4-runtime.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <optional>

using namespace kiln;
using namespace kiln::frontend;

//===----------------------------------------------------------------------===//
// Raw bytes
//===----------------------------------------------------------------------===//

namespace {
/// The first problem with a file's bytes.
struct ByteProblem {
  DiagID ID;
  size_t Offset;    ///< Byte offset; unused for EmptyFile.
  std::string Arg;
};

/// Makes \p F the engine's current file while alive, so diagnostics carry
/// its path and source line whatever the caller set.
class SourceScope {
public:
  SourceScope(DiagnosticEngine &D, const SourceFile &F) : D(D), Old(D.source()) {
    D.setSource(&F);
  }
  ~SourceScope() { D.setSource(Old); }

private:
  DiagnosticEngine &D;
  const SourceFile *Old;
};
} // namespace

/// Length of the valid UTF-8 sequence at \p I, or 0 if it is malformed
/// (overlong forms, surrogates and code points above U+10FFFF included).
static size_t utf8SequenceLength(const std::string &T, size_t I) {
  auto Byte = [&](size_t K) -> unsigned {
    return K < T.size() ? static_cast<unsigned char>(T[K]) : 0x100;
  };
  unsigned C = Byte(I);
  auto Cont = [&](size_t K, unsigned Lo = 0x80, unsigned Hi = 0xBF) {
    unsigned B = Byte(K);
    return B >= Lo && B <= Hi;
  };
  if (C < 0x80)
    return 1;
  if (C >= 0xC2 && C <= 0xDF)
    return Cont(I + 1) ? 2 : 0;
  if (C >= 0xE0 && C <= 0xEF) {
    unsigned Lo = C == 0xE0 ? 0xA0 : 0x80, Hi = C == 0xED ? 0x9F : 0xBF;
    return Cont(I + 1, Lo, Hi) && Cont(I + 2) ? 3 : 0;
  }
  if (C >= 0xF0 && C <= 0xF4) {
    unsigned Lo = C == 0xF0 ? 0x90 : 0x80, Hi = C == 0xF4 ? 0x8F : 0xBF;
    return Cont(I + 1, Lo, Hi) && Cont(I + 2) && Cont(I + 3) ? 4 : 0;
  }
  return 0;
}

static std::optional<ByteProblem> findByteProblem(const std::string &T) {
  bool Blank = true;
  for (size_t I = 0; I < T.size();) {
    unsigned char C = T[I];
    if (C == 0)
      return ByteProblem{DiagID::NulByte, I, ""};
    size_t Len = utf8SequenceLength(T, I);
    if (Len == 0) {
      char Hex[4];
      std::snprintf(Hex, sizeof(Hex), "%02X", C);
      return ByteProblem{DiagID::InvalidUTF8, I, Hex};
    }
    if (!(C == ' ' || C == '\t' || C == '\n' || C == '\r' || C == '\f'))
      Blank = false;
    I += Len;
  }
  if (Blank)
    return ByteProblem{DiagID::EmptyFile, 0, ""};
  return std::nullopt;
}

std::optional<std::string> kiln::decodeSource(const std::string &Bytes, const SourceFile &F,
                                              DiagnosticEngine &Diags) {
  // PEP 263: `coding[:=]\s*([-\w.]+)` in a comment on line 1 or 2 (line 2
  // only if line 1 is a comment or blank).
  size_t LineStart = 0;
  for (unsigned Line = 1; Line <= 2 && LineStart < Bytes.size(); ++Line) {
    size_t End = Bytes.find('\n', LineStart);
    if (End == std::string::npos)
      End = Bytes.size();
    llvm::StringRef L = llvm::StringRef(Bytes).slice(LineStart, End);
    llvm::StringRef T = L.ltrim(" \t\f");
    if (!T.starts_with("#")) {
      if (!T.rtrim("\r").empty())
        break; // code: no declaration can follow
      LineStart = End + 1;
      continue;
    }
    size_t C = T.find("coding");
    while (C != llvm::StringRef::npos &&
           (C + 6 >= T.size() || (T[C + 6] != ':' && T[C + 6] != '=')))
      C = T.find("coding", C + 1);
    if (C == llvm::StringRef::npos) {
      LineStart = End + 1;
      continue;
    }
    llvm::StringRef Name = T.drop_front(C + 7).ltrim(" \t");
    Name = Name.take_while([](char Ch) { return isalnum((unsigned char)Ch) || Ch == '-' ||
                                                Ch == '_' || Ch == '.'; });
    std::string N = Name.lower();
    std::replace(N.begin(), N.end(), '_', '-');
    if (N == "utf-8" || N == "utf8" || N == "utf-8-sig" || N.rfind("utf-8-", 0) == 0 ||
        N == "ascii" || N == "us-ascii")
      return Bytes;
    if (N == "latin-1" || N == "latin1" || N == "iso-8859-1" || N == "iso8859-1" ||
        N == "l1" || N == "iso-latin-1" || N.rfind("latin-1-", 0) == 0 ||
        N.rfind("iso-8859-1-", 0) == 0) {
      std::string Out;
      Out.reserve(Bytes.size() + Bytes.size() / 8);
      for (unsigned char Ch : Bytes) {
        if (Ch < 0x80) {
          Out += (char)Ch;
        } else { // U+0080..U+00FF in two bytes
          Out += (char)(0xC0 | (Ch >> 6));
          Out += (char)(0x80 | (Ch & 0x3F));
        }
      }
      return Out;
    }
    SourceScope Scope(Diags, F);
    uint32_t Col = (uint32_t)(Name.data() - L.data()) + 1;
    Diags.report(DiagID::UnsupportedEncoding,
                 SourceRange(SourceLoc{Line, Col}, SourceLoc{Line, Col + (uint32_t)Name.size()}),
                 {Name.str()});
    return std::nullopt;
  }
  return Bytes;
}

bool kiln::checkSourceBytes(const SourceFile &F, DiagnosticEngine &Diags) {
  std::optional<ByteProblem> P = findByteProblem(F.text());
  if (!P)
    return true;
  SourceScope Scope(Diags, F);
  if (P->ID == DiagID::EmptyFile) {
    Diags.report(DiagID::EmptyFile, SourceRange(SourceLoc{1, 1}), {F.path()});
    return false;
  }
  // Locate the byte by hand: the text is not valid UTF-8, so no LocMap.
  SourceLoc L;
  L.Line = 1;
  size_t LineStart = 0;
  for (size_t I = 0; I < P->Offset; ++I)
    if (F.text()[I] == '\n') {
      ++L.Line;
      LineStart = I + 1;
    }
  L.Col = static_cast<uint32_t>(P->Offset - LineStart + 1);
  SourceLoc E = L;
  ++E.Col;
  Diags.report(P->ID, SourceRange(L, E),
               P->Arg.empty() ? std::vector<std::string>{}
                              : std::vector<std::string>{P->Arg});
  return false;
}

/// True when \p F is something ANTLR can read (valid UTF-8, no NUL); an
/// empty file is fine for the parser itself.
static bool bytesReadable(const SourceFile &F) {
  std::optional<ByteProblem> P = findByteProblem(F.text());
  return !P || P->ID == DiagID::EmptyFile;
}

//===----------------------------------------------------------------------===//
// Syntax errors
//===----------------------------------------------------------------------===//

namespace {

/// How a token reads in a message: "`)`", "end of line", "a name".
std::string describeToken(const antlr4::Token *T) {
  switch (T->getType()) {
  case antlr4::Token::EOF:
    return "end of file";
  case KilnLexer::NEWLINE:
    return "end of line";
  case KilnLexer::INDENT:
    return "indent";
  case KilnLexer::DEDENT:
    return "end of indented block";
  default:
    break;
  }
  std::string Text = T->getText();
  if (Text.size() > 24)
    Text = Text.substr(0, 20) + "...";
  return "`" + Text + "`";
}

/// How an expected token type reads: "`:`", "a name", "end of line".
std::string describeExpected(size_t Type, const antlr4::dfa::Vocabulary &V) {
  switch (Type) {
  case antlr4::Token::EOF:
    return "end of file";
  case KilnLexer::NEWLINE:
    return "end of line";
  case KilnLexer::NAME:
    return "a name";
  case KilnLexer::STRING:
    return "a string";
  case KilnLexer::INTEGER:
  case KilnLexer::FLOAT_NUMBER:
  case KilnLexer::IMAG_NUMBER:
    return "a number";
  default:
    break;
  }
  std::string Lit = V.getLiteralName(Type);
  if (Lit.size() >= 2 && Lit.front() == '\'' && Lit.back() == '\'')
    return "`" + Lit.substr(1, Lit.size() - 2) + "`";
  return V.getDisplayName(Type);
}

/// Builds Kiln's message for a parse error and hands it to the listeners.
/// Recovery is never attempted: the first error ends the parse.
class FirstErrorStrategy : public antlr4::DefaultErrorStrategy {
public:
  void recover(antlr4::Parser *, std::exception_ptr) override {
    throw antlr4::ParseCancellationException();
  }
  antlr4::Token *recoverInline(antlr4::Parser *P) override {
    antlr4::InputMismatchException E(P);
    reportError(P, E);
    throw antlr4::ParseCancellationException();
  }
  void sync(antlr4::Parser *) override {}

protected:
  void reportNoViableAlternative(antlr4::Parser *P,
                                 const antlr4::NoViableAltException &E) override {
    antlr4::Token *T = E.getOffendingToken();
    P->notifyErrorListeners(T, "unexpected " + describeToken(T), nullptr);
  }
  void reportInputMismatch(antlr4::Parser *P,
                           const antlr4::InputMismatchException &E) override {
    antlr4::Token *T = E.getOffendingToken();
    antlr4::misc::IntervalSet Expected = E.getExpectedTokens();
    if (Expected.size() == 1) {
      size_t Want = Expected.getMinElement();
      if (Want == KilnLexer::INDENT) {
        P->notifyErrorListeners(T, "@expected-indent", nullptr);
        return;
      }
      P->notifyErrorListeners(
          T, "expected " + describeExpected(Want, P->getVocabulary()), nullptr);
      return;
    }
    P->notifyErrorListeners(T, "unexpected " + describeToken(T), nullptr);
  }
  void reportFailedPredicate(antlr4::Parser *P,
                             const antlr4::FailedPredicateException &E) override {
    antlr4::Token *T = E.getOffendingToken();
    P->notifyErrorListeners(T, "unexpected " + describeToken(T), nullptr);
  }
};

/// Records the first syntax error only.
class FirstErrorListener : public antlr4::BaseErrorListener {
public:
  void syntaxError(antlr4::Recognizer *, antlr4::Token *Offending, size_t,
                   size_t, const std::string &Msg,
                   std::exception_ptr) override {
    if (Token)
      return;
    Token = Offending;
    Message = Msg;
  }
  antlr4::Token *Token = nullptr;
  std::string Message;
};

/// The generated parser with a limit on rule nesting, so that absurdly
/// nested input (`-----...x`, `not not ...`) is an error, not a stack
/// overflow.
class GuardedParser : public KilnParser {
public:
  explicit GuardedParser(antlr4::TokenStream *Input) : KilnParser(Input) {}
  static constexpr size_t MaxRuleDepth = 4000;
  bool TooDeep = false;

  void enterRule(antlr4::ParserRuleContext *Ctx, size_t State,
                 size_t RuleIndex) override {
    if ((++Entries & 15) == 0 && static_cast<size_t>(Ctx->depth()) > MaxRuleDepth) {
      TooDeep = true;
      throw antlr4::ParseCancellationException();
    }
    KilnParser::enterRule(Ctx, State, RuleIndex);
  }

private:
  size_t Entries = 0;
};

/// Lexes and parses one file; owns everything ANTLR allocates for it.
class ParseSession {
public:
  ParseSession(const SourceFile &F)
      : F(F), Locs(F.text()), Input(F.text()), Lexer(&Input, F.text(), Locs),
        Tokens(&Lexer) {
    Lexer.removeErrorListeners();
    Tokens.fill();
  }

  /// Parses; on failure reports one diagnostic and returns null.
  KilnParser::File_inputContext *parse(DiagnosticEngine &Diags);

  const SourceFile &F;
  LocMap Locs;
  antlr4::ANTLRInputStream Input;
  IndentingLexer Lexer;
  antlr4::CommonTokenStream Tokens;
  std::unique_ptr<GuardedParser> Parser;

private:
  void reportParseError(DiagnosticEngine &Diags, antlr4::Token *T,
                        const std::string &Msg);
  /// The token before index \p I on the default channel, or null.
  antlr4::Token *previous(size_t I) {
    while (I > 0) {
      antlr4::Token *T = Tokens.get(--I);
      if (T->getChannel() == antlr4::Token::DEFAULT_CHANNEL)
        return T;
    }
    return nullptr;
  }
  /// The end of the last real (non-layout) token before index \p I.
  SourceLoc endOfLastRealToken(size_t I) {
    while (antlr4::Token *T = previous(I)) {
      size_t Ty = T->getType();
      if (Ty != KilnLexer::NEWLINE && Ty != KilnLexer::INDENT &&
          Ty != KilnLexer::DEDENT)
        return Locs.endOf(T);
      I = T->getTokenIndex();
    }
    return Locs.locOfByte(0);
  }
};

} // namespace

void ParseSession::reportParseError(DiagnosticEngine &Diags, antlr4::Token *T,
                                    const std::string &Msg) {
  SourceRange R = Locs.rangeOf(T);
  size_t Ty = T->getType();
  // Layout tokens at end of file point past the last line; show the end of
  // the last real token instead.
  bool Synthetic = Ty == antlr4::Token::EOF || Ty == KilnLexer::DEDENT ||
                   (Ty == KilnLexer::NEWLINE && T->getStopIndex() + 1 <= T->getStartIndex());
  if (Synthetic || R.Begin.Line > F.numLines())
    R = SourceRange(endOfLastRealToken(T->getTokenIndex()));

  if (Ty == KilnLexer::INDENT) {
    Diags.report(DiagID::UnexpectedIndent, R);
    return;
  }
  // After `:` NEWLINE, anything but INDENT means a missing block.
  antlr4::Token *Prev = previous(T->getTokenIndex());
  antlr4::Token *Prev2 = Prev ? previous(Prev->getTokenIndex()) : nullptr;
  if (Msg == "@expected-indent" ||
      (Prev && Prev->getType() == KilnLexer::NEWLINE && Prev2 &&
       Prev2->getType() == KilnLexer::COLON)) {
    Diags.report(DiagID::ExpectedIndent, R);
    return;
  }
  Diags.report(DiagID::SyntaxError, R, {Msg});
}

KilnParser::File_inputContext *ParseSession::parse(DiagnosticEngine &Diags) {
  Parser = std::make_unique<GuardedParser>(&Tokens);
  Parser->removeErrorListeners();

  // Pass 1: SLL prediction, bail out on the first problem.
  Parser->getInterpreter<antlr4::atn::ParserATNSimulator>()->setPredictionMode(
      antlr4::atn::PredictionMode::SLL);
  Parser->setErrorHandler(std::make_shared<antlr4::BailErrorStrategy>());
  KilnParser::File_inputContext *Tree = nullptr;
  try {
    Tree = Parser->file_input();
  } catch (antlr4::ParseCancellationException &) {
    Tree = nullptr;
  }

  // Pass 2: full LL, stopping at (and recording) the first error.
  FirstErrorListener Listener;
  if (!Tree && !Parser->TooDeep) {
    Tokens.seek(0);
    Parser->reset();
    Parser->getInterpreter<antlr4::atn::ParserATNSimulator>()
        ->setPredictionMode(antlr4::atn::PredictionMode::LL);
    Parser->setErrorHandler(std::make_shared<FirstErrorStrategy>());
    Parser->addErrorListener(&Listener);
    try {
      Tree = Parser->file_input();
    } catch (antlr4::ParseCancellationException &) {
      Tree = nullptr;
    }
    Parser->removeErrorListeners();
    if (Tree && Listener.Token)
      Tree = nullptr; // an error the strategy did not turn into an abort
  }

  const LexError *LE = Lexer.error();
  if (Tree && !LE)
    return Tree;

  if (!Tree && Parser->TooDeep) {
    antlr4::Token *T = Parser->getCurrentToken();
    Diags.report(DiagID::SyntaxError, Locs.rangeOf(T),
                 {"expression is nested too deeply"});
    return nullptr;
  }
  // Whichever error comes first in the file wins.
  if (!Tree && Listener.Token &&
      (!LE || Locs.beginOf(Listener.Token) < LE->OrderLoc)) {
    reportParseError(Diags, Listener.Token, Listener.Message);
    return nullptr;
  }
  if (LE) {
    Diags.report(LE->ID, LE->Range, LE->Args);
    return nullptr;
  }
  // The SLL pass failed but the LL pass found nothing to report: cannot
  // happen for a correct runtime, but never fail silently.
  Diags.report(DiagID::SyntaxError, SourceRange(Locs.locOfByte(0)),
               {"the parser failed without a reason"});
  return nullptr;
}

std::unique_ptr<ast::Module> kiln::parseModule(const SourceFile &F,
                                               DiagnosticEngine &Diags) {
  if (!bytesReadable(F)) {
    checkSourceBytes(F, Diags);
    return nullptr;
  }
  SourceScope Scope(Diags, F);
  ParseSession S(F);
  KilnParser::File_inputContext *Tree = S.parse(Diags);
  if (!Tree)
    return nullptr;
  std::unique_ptr<ast::Module> M = buildModule(Tree, S.Tokens, S.Locs, Diags);
  if (M)
    M->Exports = S.Lexer.takeExports();
  return M;
}

ast::ExprPtr kiln::parseFieldExpression(const SourceFile &F, size_t Begin, size_t End,
                                        DiagnosticEngine &Diags) {
  // The file with everything but the expression blanked, one space per
  // character (columns stay), lines kept, and the expression parenthesised
  // (its line's first character becomes `(`): parsed as a module of one
  // expression statement, its nodes carry the file's lines and columns.
  const std::string &T = F.text();
  size_t LineStart = T.rfind('\n', Begin == 0 ? 0 : Begin - 1);
  LineStart = LineStart == std::string::npos ? 0 : LineStart + 1;
  if (LineStart == Begin || End >= T.size() || T.find('\n', Begin) < End)
    return nullptr; // at a line's start or over several lines: not supported
  // Lines before the expression's are empty (only their count matters),
  // and nothing after its line is needed: linear in the line, not the file.
  size_t LineEnd = T.find('\n', Begin);
  if (LineEnd == std::string::npos)
    LineEnd = T.size();
  std::string Sub(std::count(T.begin(), T.begin() + LineStart, '\n'), '\n');
  Sub.reserve(Sub.size() + (LineEnd - LineStart) + 2);
  for (size_t I = LineStart; I < LineEnd;) {
    size_t Len = 1;
    unsigned char C = T[I];
    if (C >= 0xC0)
      Len = C >= 0xF0 ? 4 : C >= 0xE0 ? 3 : 2;
    if (I >= Begin && I < End) {
      Sub += T[I];
      I += 1;
      continue;
    }
    if (I == LineStart)
      Sub += '(';
    else if (I == End)
      Sub += ')';
    else
      Sub += ' ';
    I += Len;
  }
  SourceFile SubFile(F.path(), Sub);
  std::unique_ptr<ast::Module> M = parseModule(SubFile, Diags);
  if (!M || M->Stmts.size() != 1)
    return nullptr;
  auto *ES = dynamic_cast<ast::ExprStmt *>(M->Stmts[0].get());
  return ES ? std::move(ES->Value) : nullptr;
}

bool kiln::readExportFile(const SourceFile &F, ast::Module &M, DiagnosticEngine &Diags) {
  SourceScope Scope(Diags, F);
  size_t Open = SIZE_MAX; // the export that a continuation line extends
  bool Ok = true;
  for (uint32_t L = 1; L <= F.numLines(); ++L) {
    std::string Line = F.line(L);
    llvm::StringRef T = llvm::StringRef(Line).rtrim(" \t\r");
    size_t Indent = T.size() - T.ltrim(" \t").size();
    T = T.ltrim(" \t");
    if (T.empty())
      continue;
    // `#pythran export ...` lines are accepted too, as in a module.
    llvm::StringRef Body = T;
    if (Body.consume_front("#")) {
      Body = Body.ltrim(" \t");
      if (!Body.consume_front("pythran"))
        continue; // a comment
      Body = Body.ltrim(" \t");
    }
    SourceLoc At{L, (uint32_t)(Indent + (T.size() - Body.size()) + 1)};
    if (Body.consume_front("export") && (Body.empty() || Body[0] == ' ' || Body[0] == '\t')) {
      size_t Lead = Body.size() - Body.ltrim(" \t").size();
      Body = Body.ltrim(" \t");
      ast::ExportComment EC;
      EC.TextLoc = At;
      EC.TextLoc.Col += 6 + Lead;
      EC.Range = SourceRange(SourceLoc{L, (uint32_t)Indent + 1},
                             SourceLoc{L, (uint32_t)(Indent + T.size() + 1)});
      EC.Text = Body.str();
      EC.File = &F;
      M.Exports.push_back(std::move(EC));
      Open = M.Exports.size() - 1;
      continue;
    }
    if (Open == SIZE_MAX || Body != T) {
      Diags.report(DiagID::BadExportComment, SourceRange(At),
                   {"expected `export name(types)` in a `.pythran` file, found `" + T.str() + "`"});
      Ok = false;
      Open = SIZE_MAX;
      continue;
    }
    // A continuation of the export above.
    ast::ExportComment &EC = M.Exports[Open];
    EC.Text += ' ';
    EC.Lines.push_back({EC.Text.size(), At});
    EC.Text += T.str();
    EC.Range.End = SourceLoc{L, (uint32_t)(Indent + T.size() + 1)};
  }
  return Ok;
}

//===----------------------------------------------------------------------===//
// Token dump
//===----------------------------------------------------------------------===//

/// CPython's `tokenize` kinds: NAME covers keywords too, OP all operators.
static const char *tokenKind(size_t Type) {
  switch (Type) {
  case antlr4::Token::EOF: return "ENDMARKER";
  case KilnLexer::NEWLINE: return "NEWLINE";
  case KilnLexer::INDENT: return "INDENT";
  case KilnLexer::DEDENT: return "DEDENT";
  case KilnLexer::STRING: return "STRING";
  case KilnLexer::INTEGER:
  case KilnLexer::FLOAT_NUMBER:
  case KilnLexer::IMAG_NUMBER: return "NUMBER";
  case KilnLexer::NAME: return "NAME";
  default:
    break;
  }
  if (Type >= KilnLexer::FALSE && Type <= KilnLexer::CASE)
    return "NAME";
  return "OP";
}

static void writeQuoted(llvm::raw_ostream &OS, const std::string &S) {
  OS << '\'';
  for (unsigned char C : S) {
    switch (C) {
    case '\n': OS << "\\n"; break;
    case '\r': OS << "\\r"; break;
    case '\t': OS << "\\t"; break;
    case '\\': OS << "\\\\"; break;
    case '\'': OS << "\\'"; break;
    default:
      if (C < 0x20 || C == 0x7f) {
        char Buf[8];
        std::snprintf(Buf, sizeof(Buf), "\\x%02x", C);
        OS << Buf;
      } else {
        OS << static_cast<char>(C);
      }
    }
  }
  OS << '\'';
}

bool kiln::dumpTokens(const SourceFile &F, DiagnosticEngine &Diags,
                      llvm::raw_ostream &OS) {
  if (!bytesReadable(F)) {
    checkSourceBytes(F, Diags);
    return false;
  }
  SourceScope Scope(Diags, F);
  ParseSession S(F);
  for (antlr4::Token *T : S.Tokens.getTokens()) {
    if (T->getChannel() != antlr4::Token::DEFAULT_CHANNEL)
      continue;
    SourceLoc L = S.Locs.beginOf(T);
    size_t Ty = T->getType();
    OS << L.Line << ":" << L.Col << " " << tokenKind(Ty);
    if (Ty != antlr4::Token::EOF && Ty != KilnLexer::NEWLINE &&
        Ty != KilnLexer::INDENT && Ty != KilnLexer::DEDENT) {
      OS << " ";
      writeQuoted(OS, T->getText());
    }
    OS << "\n";
  }
  if (const LexError *LE = S.Lexer.error()) {
    Diags.report(LE->ID, LE->Range, LE->Args);
    return false;
  }
  return true;
}

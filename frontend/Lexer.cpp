//===- Lexer.cpp - Python's logical token stream ---------------------------===//
//
// Implements IndentingLexer (see Lexer.h): CPython's layout rules on top of
// the generated KilnLexer, following CPython's Parser/tokenizer.c for the
// indentation stack and its TabError check.
//
//===----------------------------------------------------------------------===//

#include "frontend/Lexer.h"
#include "llvm/ADT/StringRef.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <utf8proc.h>

using namespace kiln;
using namespace kiln::frontend;

//===----------------------------------------------------------------------===//
// LocMap
//===----------------------------------------------------------------------===//

LocMap::LocMap(const std::string &Text) : Size(Text.size()) {
  LineStarts.push_back(0);
  bool Ascii = true;
  for (size_t I = 0; I < Text.size(); ++I) {
    unsigned char C = Text[I];
    if (C == '\n')
      LineStarts.push_back(I + 1);
    if (C >= 0x80)
      Ascii = false;
  }
  if (Ascii)
    return;
  if (Text.compare(0, 3, "\xEF\xBB\xBF") == 0)
    CpSkipped = 1;
  // One entry per code point (ANTLR's index), plus one for the end.
  for (size_t I = 0; I < Text.size(); ++I)
    if ((static_cast<unsigned char>(Text[I]) & 0xC0) != 0x80)
      CpToByte.push_back(I);
  CpToByte.push_back(Text.size());
}

SourceLoc LocMap::locOfByte(size_t Byte) const {
  Byte = std::min(Byte, Size);
  auto It = std::upper_bound(LineStarts.begin(), LineStarts.end(), Byte);
  size_t Line = It - LineStarts.begin(); // 1-based: It points past the line.
  SourceLoc L;
  L.Line = static_cast<uint32_t>(Line);
  L.Col = static_cast<uint32_t>(Byte - LineStarts[Line - 1] + 1);
  return L;
}

SourceLoc LocMap::beginOf(const antlr4::Token *T) const {
  return locOfCp(T->getStartIndex());
}

SourceLoc LocMap::endOf(const antlr4::Token *T) const {
  size_t Start = T->getStartIndex(), Stop = T->getStopIndex();
  // Zero-width tokens (synthetic ones, EOF) have Stop == Start - 1.
  if (Stop + 1 <= Start)
    return locOfCp(Start);
  return locOfCp(Stop + 1);
}

//===----------------------------------------------------------------------===//
// IndentingLexer
//===----------------------------------------------------------------------===//

IndentingLexer::IndentingLexer(antlr4::CharStream *Input,
                               const std::string &Text, const LocMap &Locs)
    : KilnLexer(Input), Text(Text), Locs(Locs) {}

std::unique_ptr<antlr4::Token>
IndentingLexer::makeToken(size_t Type, size_t StartCp, size_t StopCp,
                          const std::string &TokText) {
  auto T = std::make_unique<antlr4::CommonToken>(
      std::make_pair(static_cast<antlr4::TokenSource *>(this), _input), Type,
      antlr4::Token::DEFAULT_CHANNEL, StartCp, StopCp);
  SourceLoc L = Locs.locOfCp(StartCp);
  T->setLine(L.Line);
  T->setCharPositionInLine(L.Col - 1);
  T->setText(TokText);
  return T;
}

void IndentingLexer::setError(DiagID ID, SourceRange R,
                              std::vector<std::string> Args,
                              SourceLoc OrderLoc) {
  if (Error)
    return;
  Error = std::make_unique<LexError>();
  Error->ID = ID;
  Error->Range = R;
  Error->OrderLoc = OrderLoc.isValid() ? OrderLoc : R.Begin;
  Error->Args = std::move(Args);
}

void IndentingLexer::finish(size_t AtCp) {
  size_t Stop = AtCp - 1; // zero width (wraps for AtCp == 0, as ANTLR does)
  if (!AtLineStart)
    Pending.push_back(makeToken(NEWLINE, AtCp, Stop, "<NEWLINE>"));
  AtLineStart = true;
  while (Indents.size() > 1) {
    Indents.pop_back();
    AltIndents.pop_back();
    Pending.push_back(makeToken(DEDENT, AtCp, Stop, "<DEDENT>"));
  }
  Pending.push_back(makeToken(antlr4::Token::EOF, AtCp, Stop, "<EOF>"));
  Finished = true;
}

void IndentingLexer::handleIndentation(const antlr4::Token &First) {
  size_t Byte = Locs.byteOfCp(First.getStartIndex());
  size_t LineStart = Byte;
  while (LineStart > 0 && Text[LineStart - 1] != '\n' &&
         Text[LineStart - 1] != '\r')
    --LineStart;
  // CPython: tabs advance to the next multiple of 8 (Col) and count as one
  // column (AltCol); a form feed resets both.
  unsigned Col = 0, AltCol = 0;
  for (size_t I = LineStart; I < Byte; ++I) {
    char C = Text[I];
    if (C == ' ') {
      ++Col;
      ++AltCol;
    } else if (C == '\t') {
      Col = (Col / 8 + 1) * 8;
      ++AltCol;
    } else if (C == '\f') {
      Col = AltCol = 0;
    } else {
      break; // only after a line continuation; measure what we have
    }
  }
  size_t Start = First.getStartIndex();
  SourceRange Where(Locs.beginOf(&First), Locs.endOf(&First));
  if (Col == Indents.back()) {
    if (AltCol != AltIndents.back())
      setError(DiagID::MixedTabsSpaces, Where);
  } else if (Col > Indents.back()) {
    if (Indents.size() > MaxIndentDepth)
      setError(DiagID::SyntaxError, Where, {"too many levels of indentation"});
    else if (AltCol <= AltIndents.back())
      setError(DiagID::MixedTabsSpaces, Where);
    Indents.push_back(Col);
    AltIndents.push_back(AltCol);
    Pending.push_back(makeToken(INDENT, Start, Start - 1, "<INDENT>"));
  } else {
    while (Indents.size() > 1 && Col < Indents.back()) {
      Indents.pop_back();
      AltIndents.pop_back();
      Pending.push_back(makeToken(DEDENT, Start, Start - 1, "<DEDENT>"));
    }
    if (Col != Indents.back())
      setError(DiagID::BadIndent, Where);
    else if (AltCol != AltIndents.back())
      setError(DiagID::MixedTabsSpaces, Where);
  }
}

/// Whether \p S opens more brackets than it closes.
static bool hasOpenBracket(llvm::StringRef S) {
  int Depth = 0;
  for (char C : S)
    Depth += (C == '(' || C == '[') - (C == ')' || C == ']');
  return Depth > 0;
}

void IndentingLexer::collectExport(const antlr4::Token &Comment) {
  size_t Begin = Locs.byteOfCp(Comment.getStartIndex());
  size_t End = Locs.byteOfCp(Comment.getStopIndex() + 1);
  if (End <= Begin || Text[Begin] != '#')
    return;
  auto Trimmed = [&](size_t B, size_t E) {
    while (B < E && (Text[B] == ' ' || Text[B] == '\t'))
      ++B;
    while (E > B && (Text[E - 1] == ' ' || Text[E - 1] == '\t' || Text[E - 1] == '\r'))
      --E;
    return std::make_pair(B, E);
  };
  size_t I = Trimmed(Begin + 1, End).first;
  unsigned Line = Locs.locOfByte(Begin).Line;
  // `# kiln export` or `#pythran export`, any blanks between the words.
  auto Word = [&](size_t At, llvm::StringRef W) -> size_t {
    if (End - At < W.size() || Text.compare(At, W.size(), W.data(), W.size()) != 0)
      return 0;
    size_t After = At + W.size(), J = After;
    while (J < End && (Text[J] == ' ' || Text[J] == '\t'))
      ++J;
    return J > After ? J : 0; // a blank must follow
  };
  size_t AfterTool = Word(I, "kiln");
  if (!AfterTool)
    AfterTool = Word(I, "pythran");
  size_t AfterExport = AfterTool ? Word(AfterTool, "export") : 0;
  // A comment after code may hold an export, but never continues one.
  size_t LineStart = Begin;
  while (LineStart > 0 && Text[LineStart - 1] != '\n')
    --LineStart;
  bool OwnLine = Text.find_first_not_of(" \t\f", LineStart) == Begin;
  if (AfterExport) {
    auto [TextBegin, TextEnd] = Trimmed(AfterExport, End);
    ast::ExportComment EC;
    EC.Range = SourceRange(Locs.locOfByte(Begin), Locs.locOfByte(End));
    EC.Text = Text.substr(TextBegin, TextEnd - TextBegin);
    EC.TextLoc = Locs.locOfByte(TextBegin);
    ExportOpen = hasOpenBracket(EC.Text);
    ExportLine = Line;
    Exports.push_back(std::move(EC));
    return;
  }
  // `#pythran export f(int,` continued by `#                  float)`.
  if (!ExportOpen || Line != ExportLine + 1 || !OwnLine) {
    ExportOpen = false;
    return;
  }
  auto [TextBegin, TextEnd] = Trimmed(Begin + 1, End);
  ast::ExportComment &EC = Exports.back();
  EC.Text += ' ';
  EC.Lines.push_back({EC.Text.size(), Locs.locOfByte(TextBegin)});
  EC.Text += Text.substr(TextBegin, TextEnd - TextBegin);
  EC.Range.End = Locs.locOfByte(End);
  ExportOpen = hasOpenBracket(EC.Text);
  ExportLine = Line;
}

/// Shows a character inside a diagnostic: printable as is, else escaped.
static std::string displayChar(const std::string &S) {
  if (S.size() == 1) {
    unsigned char C = S[0];
    if (C < 0x20 || C == 0x7f) {
      char Buf[8];
      std::snprintf(Buf, sizeof(Buf), "\\x%02x", C);
      return Buf;
    }
  }
  return S;
}

static char closerFor(char Open) {
  return Open == '(' ? ')' : Open == '[' ? ']' : '}';
}

void IndentingLexer::normalizeName(antlr4::Token &T) {
  // Python compares identifiers after NFKC normalisation (PEP 3131): `ﬁ`
  // and `fi` are one name. ASCII names are already normal.
  std::string S = T.getText();
  if (std::all_of(S.begin(), S.end(), [](char C) { return (unsigned char)C < 0x80; }))
    return;
  utf8proc_uint8_t *N = utf8proc_NFKC(reinterpret_cast<const utf8proc_uint8_t *>(S.c_str()));
  if (!N)
    return; // invalid UTF-8 is reported before names are lexed
  std::string Norm(reinterpret_cast<char *>(N));
  std::free(N);
  if (Norm != S)
    if (auto *CT = dynamic_cast<antlr4::CommonToken *>(&T))
      CT->setText(Norm);
}

std::unique_ptr<antlr4::Token> IndentingLexer::nextToken() {
  while (true) {
    if (!Pending.empty()) {
      std::unique_ptr<antlr4::Token> T = std::move(Pending.front());
      Pending.pop_front();
      return T;
    }
    if (Finished) {
      size_t End = _input->size();
      return makeToken(antlr4::Token::EOF, End, End - 1, "<EOF>");
    }

    std::unique_ptr<antlr4::Token> T = KilnLexer::nextToken();
    size_t Type = T->getType();
    SourceRange R = Locs.rangeOf(T.get());
    size_t Start = T->getStartIndex();

    if (Type == antlr4::Token::EOF) {
      if (!Brackets.empty()) {
        auto &[C, BR] = Brackets.back();
        setError(DiagID::SyntaxError, BR,
                 {std::string("`") + C + "` was never closed"}, R.Begin);
      }
      finish(Start);
      continue;
    }
    switch (Type) {
    case COMMENT:
      collectExport(*T);
      continue;
    case NEWLINE:
      if (!Brackets.empty() || AtLineStart)
        continue;
      AtLineStart = true;
      return T;
    case ERRORCHAR: {
      std::string S = T->getText();
      if (Start == 0 && S == "\xEF\xBB\xBF")
        continue; // a UTF-8 byte-order mark
      if (S == "\\")
        setError(DiagID::SyntaxError, R,
                 {"unexpected character after line continuation character"});
      else
        setError(DiagID::BadToken, R, {displayChar(S)});
      finish(Start);
      continue;
    }
    case UNTERMINATED_STRING:
      setError(DiagID::UnterminatedString, R);
      finish(Start);
      continue;
    case STRING: {
      // `'''abc` with no closing `'''` lexes as the empty string `''`
      // followed by more text: report it as the unterminated string it is.
      std::string S = T->getText();
      size_t Q = S.find_first_of("'\"");
      if (Q != std::string::npos && S.size() - Q == 2 &&
          _input->LA(1) == static_cast<size_t>(S[Q])) {
        setError(DiagID::UnterminatedString, R);
        finish(Start);
        continue;
      }
      break;
    }
    case NAME:
      normalizeName(*T);
      break;
    default:
      break;
    }

    if (AtLineStart) {
      AtLineStart = false;
      handleIndentation(*T);
      if (Error) {
        finish(Start);
        continue;
      }
    }

    if (Type == OPEN_PAREN || Type == OPEN_BRACK || Type == OPEN_BRACE) {
      if (Brackets.size() >= MaxBracketDepth) {
        setError(DiagID::SyntaxError, R, {"too many nested parentheses"});
        finish(Start);
        continue;
      }
      Brackets.push_back({T->getText()[0], R});
    } else if (Type == CLOSE_PAREN || Type == CLOSE_BRACK ||
               Type == CLOSE_BRACE) {
      char Close = T->getText()[0];
      if (!Brackets.empty()) {
        char Open = Brackets.back().first;
        if (closerFor(Open) != Close) {
          setError(DiagID::SyntaxError, R,
                   {std::string("closing parenthesis `") + Close +
                    "` does not match opening parenthesis `" + Open + "`"});
          finish(Start);
          continue;
        }
        Brackets.pop_back();
      }
      // An unmatched closer is left to the parser ("unexpected `)`").
    }
    Pending.push_back(std::move(T));
  }
}

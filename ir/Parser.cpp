//===- Parser.cpp - Reads the text form of Kiln IR -------------------------===//
//
// A recursive-descent parser over characters for the grammar in Printer.h:
//
//   module  := 'module' STRING ['source' STRING] func*
//   func    := 'func' SYM '(' [arg (',' arg)*] ')' '->' type [attrs] [loc] region
//   region  := '{' ['^' '(' arg (',' arg)* ')' ':'] op* '}'
//   op      := [VAL (',' VAL)* '='] NAME [VAL (',' VAL)*] [attrs]
//              [':' type (',' type)*] region* [loc]
//   attrs   := '[' IDENT ['=' value] (',' IDENT ['=' value])* ']'
//   value   := INT | FLOAT | 'true' | 'false' | STRING | 'type' '<' type '>' | SYM
//   loc     := 'loc' '(' INT ':' INT ')'
//
// Values must be defined before they are used, in text order.
//
//===----------------------------------------------------------------------===//

#include "ir/Parser.h"
#include "llvm/ADT/StringMap.h"
#include <cmath>

using namespace kiln;
using namespace kiln::ir;

namespace {

class IRParser {
public:
  IRParser(const SourceFile &F, DiagnosticEngine &D) : Src(F.text()), Diags(D) {}

  std::unique_ptr<Module> parseModule() {
    auto M = std::make_unique<Module>();
    skipSpace();
    if (!expectWord("module"))
      return nullptr;
    if (!parseString(M->Name))
      return nullptr;
    skipSpace();
    if (peekWord() == "source") {
      expectWord("source");
      if (!parseString(M->SourcePath))
        return nullptr;
    }
    while (true) {
      skipSpace();
      if (peekWord() != "global")
        break;
      takeWord();
      std::string Name;
      AttrValue V;
      if (!parseString(Name) || !expect('=') || !parseAttrValue(V))
        return nullptr;
      M->Globals.push_back({Name, V});
    }
    while (true) {
      skipSpace();
      if (Pos >= Src.size())
        break;
      if (!parseFunction(*M))
        return nullptr;
    }
    return M;
  }

private:
  llvm::StringRef Src;
  DiagnosticEngine &Diags;
  size_t Pos = 0;
  bool Failed = false;
  Function *F = nullptr;
  llvm::StringMap<ValueId> Values;

  SourceLoc locAt(size_t P) const {
    SourceLoc L{1, 1};
    for (size_t I = 0; I < P && I < Src.size(); ++I) {
      if (Src[I] == '\n') {
        ++L.Line;
        L.Col = 1;
      } else {
        ++L.Col;
      }
    }
    return L;
  }

  bool error(const std::string &Msg) {
    if (!Failed)
      Diags.report(DiagID::IRParseError, SourceRange(locAt(Pos)), {Msg});
    Failed = true;
    return false;
  }

  void skipSpace() {
    while (Pos < Src.size()) {
      char C = Src[Pos];
      if (C == ' ' || C == '\t' || C == '\n' || C == '\r') {
        ++Pos;
      } else if (C == '/' && Pos + 1 < Src.size() && Src[Pos + 1] == '/') {
        // Comments run to the end of the line (lit RUN lines live here).
        while (Pos < Src.size() && Src[Pos] != '\n')
          ++Pos;
      } else if (C == '#') {
        while (Pos < Src.size() && Src[Pos] != '\n')
          ++Pos;
      } else {
        break;
      }
    }
  }

  bool peekChar(char C) {
    skipSpace();
    return Pos < Src.size() && Src[Pos] == C;
  }

  /// Like peekChar, but only looks at the rest of the current line: an op's
  /// operands are on its own line, so `%x` on the next line starts a new op.
  bool peekCharOnLine(char C) {
    size_t P = Pos;
    while (P < Src.size() && (Src[P] == ' ' || Src[P] == '\t'))
      ++P;
    if (P < Src.size() && Src[P] == C) {
      Pos = P;
      return true;
    }
    return false;
  }

  /// Reports \p Msg at byte offset \p At instead of the current position.
  bool errorAt(size_t At, const std::string &Msg) {
    Pos = At;
    return error(Msg);
  }

  bool consume(char C) {
    if (!peekChar(C))
      return false;
    ++Pos;
    return true;
  }

  bool consumeStr(llvm::StringRef S) {
    skipSpace();
    if (!Src.substr(Pos).starts_with(S))
      return false;
    Pos += S.size();
    return true;
  }

  bool expect(char C) {
    if (consume(C))
      return true;
    return error(std::string("expected `") + C + "`");
  }

  static bool isIdentChar(char C) {
    return isalnum((unsigned char)C) || C == '_' || C == '.';
  }

  llvm::StringRef peekWord() {
    skipSpace();
    size_t E = Pos;
    while (E < Src.size() && isIdentChar(Src[E]))
      ++E;
    return Src.slice(Pos, E);
  }

  llvm::StringRef takeWord() {
    llvm::StringRef W = peekWord();
    Pos += W.size();
    return W;
  }

  bool expectWord(llvm::StringRef W) {
    if (peekWord() == W) {
      Pos += W.size();
      return true;
    }
    return error("expected `" + W.str() + "`");
  }

  bool parseString(std::string &Out) {
    if (!consume('"'))
      return error("expected a string");
    Out.clear();
    while (Pos < Src.size() && Src[Pos] != '"') {
      char C = Src[Pos++];
      if (C != '\\') {
        Out += C;
        continue;
      }
      if (Pos >= Src.size())
        break;
      char E = Src[Pos++];
      if (E == 'n')
        Out += '\n';
      else if (E == 't')
        Out += '\t';
      else if (E == 'x' && Pos + 2 <= Src.size()) {
        Out += static_cast<char>(std::stoi(Src.substr(Pos, 2).str(), nullptr, 16));
        Pos += 2;
      } else
        Out += E;
    }
    if (Pos >= Src.size())
      return error("unterminated string");
    ++Pos;
    return true;
  }

  bool parseSymbol(std::string &Out) {
    if (!consume('@'))
      return error("expected a symbol `@name`");
    if (Pos < Src.size() && Src[Pos] == '"')
      return parseString(Out);
    Out = takeWord().str();
    if (Out.empty())
      return error("expected a symbol name");
    return true;
  }

  bool parseType(Type &T) {
    skipSpace();
    llvm::StringRef Rest = Src.substr(Pos);
    size_t Before = Rest.size();
    T = Type::parsePrefix(Rest);
    if (!T.isValid())
      return error("expected a type");
    Pos += Before - Rest.size();
    return true;
  }

  /// `%name` as written (without the %).
  bool parseValueName(std::string &Out) {
    if (!consume('%'))
      return error("expected a value `%name`");
    size_t B = Pos;
    while (Pos < Src.size() && isIdentChar(Src[Pos]))
      ++Pos;
    Out = Src.slice(B, Pos).str();
    if (Out.empty())
      return error("expected a value name after `%`");
    return true;
  }

  bool parseValueUse(ValueId &V) {
    size_t At = Pos;
    std::string N;
    if (!parseValueName(N))
      return false;
    auto It = Values.find(N);
    if (It == Values.end()) {
      Pos = At;
      skipSpace();
      return error("use of undefined value `%" + N + "`");
    }
    V = It->second;
    return true;
  }

  /// Defines %N; a redefinition is reported at byte offset \p At.
  bool defineValue(const std::string &N, ValueId V, size_t At = SIZE_MAX) {
    if (!Values.insert({N, V}).second)
      return errorAt(At == SIZE_MAX ? Pos : At, "redefinition of value `%" + N + "`");
    // Purely numeric names carry no hint; the printer renumbers them.
    if (!std::all_of(N.begin(), N.end(), ::isdigit))
      F->value(V).Name = N;
    return true;
  }

  bool parseNumber(AttrValue &V) {
    skipSpace();
    size_t B = Pos;
    if (Pos < Src.size() && (Src[Pos] == '-' || Src[Pos] == '+'))
      ++Pos;
    while (Pos < Src.size() &&
           (isalnum((unsigned char)Src[Pos]) || Src[Pos] == '.' ||
            ((Src[Pos] == '-' || Src[Pos] == '+') &&
             (Src[Pos - 1] == 'e' || Src[Pos - 1] == 'E'))))
      ++Pos;
    std::string Text = Src.slice(B, Pos).str();
    llvm::StringRef T(Text);
    llvm::StringRef Mag = T.ltrim("-+");
    if (Mag == "inf" || Mag == "nan") {
      double D = Mag == "inf" ? INFINITY : NAN;
      V = T.starts_with("-") ? -D : D;
      return true;
    }
    if (T.find_first_of(".eE") != llvm::StringRef::npos) {
      char *End = nullptr;
      double D = strtod(Text.c_str(), &End);
      if (End != Text.c_str() + Text.size())
        return error("malformed number `" + Text + "`");
      V = D;
      return true;
    }
    int64_t I;
    if (T.getAsInteger(10, I))
      return error("malformed integer `" + Text + "`");
    V = I;
    return true;
  }

  bool parseAttrValue(AttrValue &V) {
    skipSpace();
    if (Pos >= Src.size())
      return error("expected an attribute value");
    char C = Src[Pos];
    if (C == '"') {
      std::string S;
      if (!parseString(S))
        return false;
      V = S;
      return true;
    }
    if (C == '@') {
      std::string S;
      if (!parseSymbol(S))
        return false;
      V = SymbolRef{S};
      return true;
    }
    llvm::StringRef W = peekWord();
    if (W == "true" || W == "false") {
      takeWord();
      V = W == "true";
      return true;
    }
    if (W == "type") {
      takeWord();
      Type T;
      if (!expect('<') || !parseType(T) || !expect('>'))
        return false;
      V = T;
      return true;
    }
    return parseNumber(V);
  }

  bool parseAttrs(AttrList &A) {
    if (!consume('['))
      return true;
    while (true) {
      llvm::StringRef N = takeWord();
      if (N.empty())
        return error("expected an attribute name");
      AttrValue V = true;
      if (consume('=') && !parseAttrValue(V))
        return false;
      A.set(N, V);
      if (consume(','))
        continue;
      return expect(']');
    }
  }

  bool parseLoc(SourceLoc &L) {
    if (peekWord() != "loc")
      return true;
    takeWord();
    AttrValue Line, Col;
    if (!expect('(') || !parseNumber(Line) || !expect(':') || !parseNumber(Col) ||
        !expect(')'))
      return false;
    if (!std::holds_alternative<int64_t>(Line) || !std::holds_alternative<int64_t>(Col))
      return error("malformed location");
    L.Line = std::get<int64_t>(Line);
    L.Col = std::get<int64_t>(Col);
    return true;
  }

  bool parseFunction(Module &M) {
    if (!expectWord("func"))
      return false;
    std::string Name;
    if (!parseSymbol(Name))
      return false;
    if (M.lookup(Name))
      return error("redefinition of function `@" + Name + "`");
    if (!expect('('))
      return false;
    std::vector<std::string> ArgNames;
    std::vector<Type> ArgTypes;
    if (!consume(')')) {
      while (true) {
        std::string N;
        Type T;
        if (!parseValueName(N) || !expect(':') || !parseType(T))
          return false;
        ArgNames.push_back(N);
        ArgTypes.push_back(T);
        if (consume(','))
          continue;
        if (!expect(')'))
          return false;
        break;
      }
    }
    Type Result;
    if (!consumeStr("->"))
      return error("expected `->`");
    if (!parseType(Result))
      return false;
    auto Fn = std::make_unique<Function>(Name, std::vector<Type>{},
                                         std::vector<std::string>{}, Result);
    F = Fn.get();
    Values.clear();
    for (size_t I = 0; I < ArgNames.size(); ++I) {
      ValueId V = F->addRegionArg(F->body(), ArgTypes[I]);
      if (!defineValue(ArgNames[I], V))
        return false;
    }
    if (!parseAttrs(F->attrs()))
      return false;
    SourceLoc L;
    if (!parseLoc(L))
      return false;
    F->setLoc(L);
    if (!parseRegion(F->body(), /*AllowArgs=*/false))
      return false;
    M.addFunction(std::move(Fn));
    return true;
  }

  bool parseRegion(RegionId R, bool AllowArgs) {
    if (!expect('{'))
      return false;
    if (peekChar('^')) {
      if (!AllowArgs)
        return error("this region takes no arguments");
      ++Pos;
      if (!expect('('))
        return false;
      while (true) {
        std::string N;
        Type T;
        if (!parseValueName(N) || !expect(':') || !parseType(T))
          return false;
        if (!defineValue(N, F->addRegionArg(R, T)))
          return false;
        if (consume(','))
          continue;
        if (!expect(')') || !expect(':'))
          return false;
        break;
      }
    }
    while (!consume('}')) {
      if (Pos >= Src.size())
        return error("expected `}`");
      if (!parseOp(R))
        return false;
    }
    return true;
  }

  bool parseOp(RegionId R) {
    skipSpace();
    size_t OpStart = Pos;
    std::vector<std::string> ResultNames;
    if (peekChar('%')) {
      while (true) {
        std::string N;
        if (!parseValueName(N))
          return false;
        ResultNames.push_back(N);
        if (consume(','))
          continue;
        if (!expect('='))
          return false;
        break;
      }
    }
    skipSpace();
    size_t NameAt = Pos;
    llvm::StringRef OpName = takeWord();
    auto Kind = opKindByName(OpName);
    if (!Kind) {
      Pos = NameAt;
      skipSpace();
      return error("unknown op `" + OpName.str() + "`");
    }
    std::vector<ValueId> Operands;
    if (peekCharOnLine('%')) {
      while (true) {
        ValueId V;
        if (!parseValueUse(V))
          return false;
        Operands.push_back(V);
        if (consume(','))
          continue;
        break;
      }
    }
    AttrList Attrs;
    if (!parseAttrs(Attrs))
      return false;
    std::vector<Type> Types;
    if (consume(':')) {
      while (true) {
        Type T;
        if (!parseType(T))
          return false;
        Types.push_back(T);
        if (consume(','))
          continue;
        break;
      }
    }
    if (Types.size() != ResultNames.size())
      return errorAt(NameAt, "op `" + OpName.str() + "` has " +
                   std::to_string(ResultNames.size()) + " result(s) but " +
                   std::to_string(Types.size()) + " type(s)");
    OpId O = F->createOp(*Kind, Operands, Types);
    F->op(O).Attrs = std::move(Attrs);
    F->appendOp(R, O);
    while (peekChar('{')) {
      RegionId Sub = F->newRegion();
      F->region(Sub).ParentOp = O;
      F->op(O).Regions.push_back(Sub);
      if (!parseRegion(Sub, /*AllowArgs=*/true))
        return false;
    }
    SourceLoc L;
    if (!parseLoc(L))
      return false;
    F->op(O).Loc = L;
    for (size_t I = 0; I < ResultNames.size(); ++I)
      if (!defineValue(ResultNames[I], F->op(O).Results[I], OpStart))
        return false;
    return true;
  }
};

} // namespace

std::unique_ptr<Module> ir::parseIR(const SourceFile &F, DiagnosticEngine &Diags) {
  IRParser P(F, Diags);
  return P.parseModule();
}

//===- LowerModule.cpp - Exports, specialisation and the fixpoint ----------===//
//
// Collects the module's functions, imports and constants; works out what is
// exported and with which types (annotations, string annotations, `# kiln
// export` and `#pythran export` comments); then runs type inference to a
// fixpoint over every specialisation and emits the reachable ones.
//
//===----------------------------------------------------------------------===//

#include "frontend/LowerImpl.h"
#include "llvm/Support/Casting.h"
#include <deque>

using namespace kiln;
using namespace kiln::lower;
using llvm::dyn_cast;
using llvm::isa;

//===----------------------------------------------------------------------===//
// Types
//===----------------------------------------------------------------------===//

Type lower::joinTypes(Type A, Type B) {
  if (!A.isValid())
    return B;
  if (!B.isValid())
    return A;
  if (A == B)
    return A;
  if (A.isScalar() && B.isScalar())
    return promoteTypes(A, isWeak(A), B, isWeak(B));
  // A C-order array is also an array of any strides: joining forgets C order.
  if (A.isArray() && B.isArray() && A.elementType() == B.elementType() &&
      A.ndim() == B.ndim())
    return Type::array(A.elementType(), A.ndim(), A.isCOrder() && B.isCOrder());
  // Empty dicts and sets take the other's types.
  if ((A.isDict() && B.isDict()) || (A.isSet() && B.isSet())) {
    if (A.keyType().isNone())
      return B;
    if (B.keyType().isNone())
      return A;
    return A == B ? A : Type();
  }
  // An empty literal's list<none> takes the other list's element type.
  if (A.isList() && B.isList()) {
    if (A.elementType().isNone())
      return B;
    if (B.elementType().isNone())
      return A;
    Type J = joinTypes(A.elementType(), B.elementType());
    return J.isValid() ? Type::list(J) : Type();
  }
  if (A.isTuple() && B.isTuple() && A.elements().size() == B.elements().size()) {
    std::vector<Type> Elts;
    for (size_t I = 0; I < A.elements().size(); ++I) {
      Type J = joinTypes(A.elements()[I], B.elements()[I]);
      if (!J.isValid())
        return Type();
      Elts.push_back(J);
    }
    return Type::tuple(Elts);
  }
  return Type();
}

std::string lower::pyTypeName(Type T) {
  if (!T.isValid())
    return "unknown";
  if (T.isSized()) // NumPy's types: numpy.int8, numpy.complex64, ...
    return "numpy." + T.str();
  switch (T.kind()) {
  case TypeKind::None:
    return "None";
  case TypeKind::Bool:
    return "bool";
  case TypeKind::Int64:
    return "int";
  case TypeKind::Float64:
    return "float";
  case TypeKind::Str:
    return "str";
  case TypeKind::Complex128:
    return "complex";
  case TypeKind::List:
    return T.elementType().isNone() ? "list" : "list[" + pyTypeName(T.elementType()) + "]";
  case TypeKind::Dict:
    return T.keyType().isNone() ? "dict"
                                : "dict[" + pyTypeName(T.keyType()) + ", " +
                                      pyTypeName(T.valueType()) + "]";
  case TypeKind::Set:
    return T.keyType().isNone() ? "set" : "set[" + pyTypeName(T.keyType()) + "]";
  case TypeKind::Array:
    return "ndarray[" + T.elementType().str() + ", ndim=" + std::to_string(T.ndim()) +
           (T.isCOrder() ? ", C order]" : "]");
  case TypeKind::Tuple: {
    std::string S = "tuple[";
    for (size_t I = 0; I < T.elements().size(); ++I)
      S += (I ? ", " : "") + pyTypeName(T.elements()[I]);
    return S + "]";
  }
  default:
    return T.str();
  }
}

//===----------------------------------------------------------------------===//
// Type specs: annotations and export comments
//===----------------------------------------------------------------------===//

/// Maps a scalar type name (last component of a dotted name) to a type.
static Type scalarTypeByName(llvm::StringRef N, bool &KnownButUnsupported) {
  KnownButUnsupported = false;
  if (N == "int" || N == "int64" || N == "int_" || N == "intp")
    return Type::int64();
  if (N == "float" || N == "float64" || N == "double" || N == "float_")
    return Type::float64();
  if (N == "bool" || N == "bool_")
    return Type::boolean();
  if (N == "single")
    return Type::scalar(TypeKind::Float32);
  if (N == "complex")
    return Type::scalar(TypeKind::Complex128);
  if (Type T = Type::fromNumPyName(N); T.isValid())
    return T;
  static const char *Later[] = {"float16", "half", "clongdouble", "longdouble",
                                "uint", "str", "list", "dict"};
  for (const char *L : Later)
    if (N == L)
      KnownButUnsupported = true;
  return Type();
}

static std::string exprText(const ast::Expr &E, const SourceFile *F) {
  if (!F || E.Range.Begin.Line != E.Range.End.Line)
    return "<type>";
  std::string L = F->line(E.Range.Begin.Line);
  size_t B = E.Range.Begin.Col - 1, End = E.Range.End.Col - 1;
  if (B >= L.size() || End > L.size() || End <= B)
    return "<type>";
  return L.substr(B, End - B);
}

/// An array type from its element name and the text of each axis (`:`,
/// `::1`, or empty for Pythran's `[]`). Reports and returns invalid when it
/// is not one Kiln supports.
static Type arrayType(llvm::StringRef ElemName, const std::vector<std::string> &Axes,
                      llvm::StringRef Text, SourceRange R, DiagnosticEngine &Diags) {
  bool Later;
  Type Elem = scalarTypeByName(ElemName, Later);
  if (!Elem.isValid()) {
    if (Later)
      Diags.report(DiagID::ArrayElemNotYet, R, {ElemName.str()});
    else
      Diags.report(DiagID::BadTypeSpec, R, {ElemName.str()});
    return Type();
  }
  if (Axes.empty() || Axes.size() > 32) {
    Diags.report(DiagID::BadArrayType, R, {Text.str()});
    return Type();
  }
  for (const std::string &A : Axes) {
    llvm::StringRef S = llvm::StringRef(A).trim();
    if (!(S.empty() || S == ":" || S == "::1" || S == "::")) {
      Diags.report(DiagID::BadArrayType, R, {Text.str()});
      return Type();
    }
  }
  // `::1` on the last axis (and only there) promises C order; Fortran
  // order (`::1` first) is accepted as a strided array.
  bool COrder = llvm::StringRef(Axes.back()).trim() == "::1";
  for (size_t I = 0; I + 1 < Axes.size(); ++I)
    if (llvm::StringRef(Axes[I]).trim() == "::1")
      COrder = false;
  return Type::array(Elem, Axes.size(), COrder);
}

/// The text of a slice in an annotation: ":" or "::1"; "?" otherwise.
static std::string sliceText(const ast::Expr &E) {
  auto *S = dyn_cast<ast::SliceExpr>(&E);
  if (!S || S->Lower || S->Upper)
    return "?";
  if (!S->Step)
    return ":";
  auto *I = dyn_cast<ast::IntLitExpr>(S->Step.get());
  return I && I->FitsInt64 && I->Value == 1 ? "::1" : "?";
}

Type lower::resolveTypeExpr(const ast::Expr &E, DiagnosticEngine &Diags) {
  auto Unknown = [&](llvm::StringRef Text) {
    Diags.report(DiagID::BadTypeSpec, E.Range, {Text.str()});
    return Type();
  };
  if (auto *S = dyn_cast<ast::StrLitExpr>(&E)) {
    SourceLoc At = E.Range.Begin;
    At.Col += 1; // skip the quote
    return resolveTypeText(S->Value, At, Diags);
  }
  if (isa<ast::NoneLitExpr>(&E))
    return Type::none();
  std::string Name;
  if (auto *N = dyn_cast<ast::NameExpr>(&E))
    Name = N->Id;
  else if (auto *A = dyn_cast<ast::AttributeExpr>(&E))
    Name = A->Attr;
  if (!Name.empty()) {
    bool Later;
    Type T = scalarTypeByName(Name, Later);
    if (T.isValid())
      return T;
    if (Later) {
      Diags.report(DiagID::Unsupported, E.Range, {"type `" + Name + "`", "is"});
      return Type();
    }
    return Unknown(Name);
  }
  if (auto *Sub = dyn_cast<ast::SubscriptExpr>(&E)) {
    std::string Base;
    if (auto *N = dyn_cast<ast::NameExpr>(Sub->Value.get()))
      Base = N->Id;
    else if (auto *A = dyn_cast<ast::AttributeExpr>(Sub->Value.get()))
      Base = A->Attr;
    if (Base == "dict" || Base == "Dict") {
      auto *KV = dyn_cast<ast::TupleExpr>(Sub->Index.get());
      if (!KV || KV->Elts.size() != 2)
        return Unknown(exprText(E, Diags.source()));
      Type K = resolveTypeExpr(*KV->Elts[0], Diags), V = resolveTypeExpr(*KV->Elts[1], Diags);
      if (!K.isValid() || !V.isValid())
        return Type();
      return Type::dict(K, V);
    }
    if (Base == "set" || Base == "Set") {
      Type K = resolveTypeExpr(*Sub->Index, Diags);
      return K.isValid() ? Type::set(K) : Type();
    }
    if (Base == "list" || Base == "List") {
      Type ET = resolveTypeExpr(*Sub->Index, Diags);
      if (!ET.isValid())
        return Type();
      if (ET.isArray() || ET.isNone()) {
        Diags.report(DiagID::Unsupported, Sub->Index->Range,
                     {ET.isArray() ? "lists of arrays" : "lists of None", "are"});
        return Type();
      }
      return Type::list(ET);
    }
    if (Base == "tuple" || Base == "Tuple") {
      if (isa<ast::TupleExpr>(Sub->Index.get()))
        return resolveTypeExpr(*Sub->Index, Diags); // tuple[int, float]
      Type ET = resolveTypeExpr(*Sub->Index, Diags); // tuple[int]
      return ET.isValid() ? Type::tuple({ET}) : Type();
    }
    std::vector<std::string> Axes;
    if (auto *T = dyn_cast<ast::TupleExpr>(Sub->Index.get()))
      for (auto &X : T->Elts)
        Axes.push_back(sliceText(*X));
    else
      Axes.push_back(sliceText(*Sub->Index));
    return arrayType(Base, Axes, exprText(E, Diags.source()), E.Range, Diags);
  }
  if (auto *T = dyn_cast<ast::TupleExpr>(&E)) {
    std::vector<Type> Elts;
    for (auto &X : T->Elts) {
      Type ET = resolveTypeExpr(*X, Diags);
      if (!ET.isValid())
        return Type();
      Elts.push_back(ET);
    }
    return Type::tuple(Elts);
  }
  return Unknown(exprText(E, Diags.source()));
}

namespace {
/// A tiny recursive-descent parser for type text: `float64`, `np.int64`,
/// `float64[:, ::1]`, `(int, float)`, `tuple[int, float]`.
class TypeTextParser {
public:
  TypeTextParser(llvm::StringRef T, SourceLoc At, DiagnosticEngine &D)
      : Text(T), At(At), Diags(D) {}

  Type parseAll() {
    Type T = parse();
    skip();
    if (T.isValid() && Pos != Text.size()) {
      error(DiagID::BadTypeSpec, Pos, Text.size(), Text.substr(Pos).str());
      return Type();
    }
    return T;
  }

  /// A type, then Pythran's postfix `list` (`float list`, `int list list`).
  Type parse() {
    size_t Start = (skip(), Pos);
    Type T = parseOne();
    while (T.isValid()) {
      skip();
      llvm::StringRef Rest = Text.substr(Pos);
      auto Word = [&](llvm::StringRef W) {
        return Rest.starts_with(W) &&
               (Rest.size() == W.size() ||
                !(isalnum((unsigned char)Rest[W.size()]) || Rest[W.size()] == '_'));
      };
      if (Word("list")) {
        Pos += 4;
        if (T.isArray()) {
          error(DiagID::Unsupported, Start, Pos, "lists of arrays", "are");
          return Type();
        }
        T = Type::list(T);
        continue;
      }
      if (Word("set")) {
        Pos += 3;
        T = Type::set(T);
        continue;
      }
      // `K:V dict`: a key type, a colon, then the value type.
      skip();
      if (Pos < Text.size() && Text[Pos] == ':') {
        ++Pos;
        Type V = parseOne();
        skip();
        if (!V.isValid())
          return Type();
        llvm::StringRef R2 = Text.substr(Pos);
        if (!R2.starts_with("dict")) {
          error(DiagID::BadTypeSpec, Start, Pos, Text.substr(Start, Pos - Start).str());
          return Type();
        }
        Pos += 4;
        T = Type::dict(T, V);
        continue;
      }
      break;
    }
    return T;
  }

  Type parseOne() {
    skip();
    size_t Start = Pos;
    if (eat('('))
      return eat(')') ? Type::tuple({}) : parseTupleRest(Start, ')');
    while (Pos < Text.size() && (isalnum((unsigned char)Text[Pos]) || Text[Pos] == '_' || Text[Pos] == '.'))
      ++Pos;
    llvm::StringRef Dotted = Text.slice(Start, Pos);
    llvm::StringRef Name = Dotted.rsplit('.').second.empty() ? Dotted : Dotted.rsplit('.').second;
    if (Name.empty()) {
      error(DiagID::BadTypeSpec, Start, Start + 1, Text.substr(Start, 1).str());
      return Type();
    }
    skip();
    if (Pos < Text.size() && Text[Pos] == '[') {
      if (Name == "tuple" || Name == "Tuple") {
        ++Pos;
        return parseTupleRest(Start, ']');
      }
      if (Name == "list" || Name == "List") { // list[float]
        ++Pos;
        Type E = parse();
        if (!E.isValid())
          return Type();
        if (!eat(']')) {
          error(DiagID::BadTypeSpec, Start, Pos, Text.substr(Start, Pos - Start).str());
          return Type();
        }
        if (E.isArray()) {
          error(DiagID::Unsupported, Start, Pos, "lists of arrays", "are");
          return Type();
        }
        return Type::list(E);
      }
      // An array type: `T[:, ::1]`, or Pythran's `T[][]`.
      std::vector<std::string> Axes;
      while (Pos < Text.size() && Text[Pos] == '[') {
        size_t Close = Text.find(']', Pos);
        if (Close == llvm::StringRef::npos)
          Close = Text.size();
        llvm::SmallVector<llvm::StringRef, 4> Parts;
        Text.slice(Pos + 1, Close).split(Parts, ',');
        for (llvm::StringRef P : Parts)
          Axes.push_back(P.str());
        Pos = std::min(Close + 1, Text.size());
        skip();
      }
      SourceLoc L1 = At, L2 = At;
      L1.Col += Start;
      L2.Col += Pos;
      return arrayType(Name, Axes, Text.slice(Start, Pos), SourceRange(L1, L2), Diags);
    }
    bool Later;
    Type T = scalarTypeByName(Name, Later);
    if (!T.isValid()) {
      if (Later)
        error(DiagID::Unsupported, Start, Pos, "type `" + Name.str() + "`", "is");
      else
        error(DiagID::BadTypeSpec, Start, Pos, Dotted.str());
    }
    return T;
  }

  /// Element types separated by commas up to \p Close, as a tuple type.
  Type parseTupleRest(size_t Start, char Close) {
    std::vector<Type> Elts;
    do {
      Type E = parse();
      if (!E.isValid())
        return Type();
      Elts.push_back(E);
    } while (eat(','));
    if (!eat(Close)) {
      error(DiagID::BadTypeSpec, Start, Pos, Text.substr(Start, Pos - Start).str());
      return Type();
    }
    return Type::tuple(Elts);
  }

  void error(DiagID ID, size_t B, size_t E, std::string A0, std::string A1 = "") {
    SourceLoc L1 = At, L2 = At;
    L1.Col += B;
    L2.Col += std::max(E, B + 1);
    std::vector<std::string> Args{A0};
    if (!A1.empty())
      Args.push_back(A1);
    Diags.report(ID, SourceRange(L1, L2), Args);
  }

  size_t Pos = 0;
  llvm::StringRef Text;

private:
  SourceLoc At;
  DiagnosticEngine &Diags;
  void skip() {
    while (Pos < Text.size() && (Text[Pos] == ' ' || Text[Pos] == '\t'))
      ++Pos;
  }
  bool eat(char C) {
    skip();
    if (Pos < Text.size() && Text[Pos] == C) {
      ++Pos;
      return true;
    }
    return false;
  }
};
} // namespace

Type lower::resolveTypeText(llvm::StringRef Text, SourceLoc At, DiagnosticEngine &Diags) {
  return TypeTextParser(Text, At, Diags).parseAll();
}

//===----------------------------------------------------------------------===//
// ModuleLowerer
//===----------------------------------------------------------------------===//

ModuleLowerer::ModuleLowerer(const ast::Module &M, const SourceFile &F,
                             llvm::StringRef Name, DiagnosticEngine &D)
    : Diags(D), File(F), AST(M), ModName(Name.str()) {}

const ast::FunctionDefStmt *ModuleLowerer::lookupFunction(const std::string &N) const {
  auto It = Functions.find(N);
  return It == Functions.end() ? nullptr : It->second;
}

std::string ModuleLowerer::moduleAlias(const std::string &N) const {
  auto It = ModuleAliases.find(N);
  return It == ModuleAliases.end() ? "" : It->second;
}

const std::pair<std::string, std::string> *
ModuleLowerer::fromImport(const std::string &N) const {
  auto It = FromImports.find(N);
  return It == FromImports.end() ? nullptr : &It->second;
}

const ast::Expr *ModuleLowerer::globalConstant(const std::string &N) const {
  auto It = Globals.find(N);
  return It == Globals.end() ? nullptr : It->second;
}

static bool isKnownModule(llvm::StringRef M) {
  return M == "math" || M == "cmath" || M == "numpy" || M == "kiln" || M == "kiln.types" ||
         M == "__future__" || M == "typing";
}

/// True for `if __name__ == "__main__":`.
static bool isMainGuard(const ast::Stmt &S) {
  auto *If = dyn_cast<ast::IfStmt>(&S);
  if (!If)
    return false;
  auto *C = dyn_cast<ast::CompareExpr>(If->Test.get());
  if (!C || C->Ops.size() != 1)
    return false;
  auto *N = dyn_cast<ast::NameExpr>(C->Left.get());
  return N && N->Id == "__name__";
}

void ModuleLowerer::collectTopLevel() {
  // A module-level name has one binding at a time, the latest in the file,
  // as in Python: `def sqrt` then `from math import sqrt` calls math.sqrt.
  auto Rebind = [&](const std::string &N) {
    Functions.erase(N);
    Globals.erase(N);
    FromImports.erase(N);
    ModuleAliases.erase(N);
    UnknownImports.erase(N);
  };
  for (const ast::StmtPtr &SP : AST.Stmts) {
    const ast::Stmt &S = *SP;
    if (auto *FD = dyn_cast<ast::FunctionDefStmt>(&S)) {
      Rebind(FD->Name);
      Functions[FD->Name] = FD;
      continue;
    }
    if (auto *I = dyn_cast<ast::ImportStmt>(&S)) {
      for (const ast::Alias &A : I->Names) {
        std::string Top = llvm::StringRef(A.Name).split('.').first.str();
        std::string Bound = A.AsName.empty() ? Top : A.AsName;
        // `import numpy.linalg` binds `numpy`, a module Kiln knows.
        if (!isKnownModule(A.Name) && A.AsName.empty() && isKnownModule(Top)) {
          Rebind(Bound);
          ModuleAliases[Bound] = Top;
          continue;
        }
        Rebind(Bound);
        if (!isKnownModule(A.Name)) {
          UnknownImports[Bound] = A.AsName.empty() ? Top : A.Name;
          continue;
        }
        ModuleAliases[Bound] = A.AsName.empty() ? Top : A.Name;
      }
      continue;
    }
    if (auto *I = dyn_cast<ast::ImportFromStmt>(&S)) {
      if (I->Level != 0 || !isKnownModule(I->Module)) {
        std::string Mod = std::string(I->Level, '.') + I->Module;
        for (const ast::Alias &A : I->Names) {
          if (A.Name == "*") {
            Diags.report(DiagID::UnsupportedModule, S.Range, {Mod});
            break;
          }
          std::string Bound = A.AsName.empty() ? A.Name : A.AsName;
          Rebind(Bound);
          UnknownImports[Bound] = Mod;
        }
        continue;
      }
      for (const ast::Alias &A : I->Names) {
        if (A.Name == "*") {
          Diags.report(DiagID::Unsupported, A.Range, {"star imports", "are"});
          continue;
        }
        std::string Bound = A.AsName.empty() ? A.Name : A.AsName;
        Rebind(Bound);
        FromImports[Bound] = {I->Module, A.Name};
      }
      continue;
    }
    if (auto *A = dyn_cast<ast::AssignStmt>(&S)) {
      bool Simple = A->Targets.size() == 1 && isa<ast::NameExpr>(A->Targets[0].get());
      if (Simple) {
        auto *N = dyn_cast<ast::NameExpr>(A->Targets[0].get());
        Rebind(N->Id);
        Globals[N->Id] = A->Value.get();
        continue;
      }
    }
    if (auto *A = dyn_cast<ast::AnnAssignStmt>(&S)) {
      if (auto *N = dyn_cast<ast::NameExpr>(A->Target.get()); N && A->Value) {
        Rebind(N->Id);
        Globals[N->Id] = A->Value.get();
        continue;
      }
    }
    if (auto *E = dyn_cast<ast::ExprStmt>(&S); E && isa<ast::StrLitExpr>(E->Value.get()))
      continue; // the module docstring
    if (isa<ast::PassStmt>(&S) || isMainGuard(S))
      continue;
    if (isa<ast::ReturnStmt>(&S)) {
      Diags.report(DiagID::ReturnOutsideFunction, S.Range);
      continue;
    }
    if (isa<ast::BreakStmt>(&S) || isa<ast::ContinueStmt>(&S)) {
      Diags.report(DiagID::BreakOutsideLoop, S.Range,
                   {isa<ast::BreakStmt>(&S) ? "break" : "continue"});
      continue;
    }
    if (auto *U = dyn_cast<ast::UnsupportedStmt>(&S)) {
      Diags.report(DiagID::Unsupported, S.Range, {U->What, U->Verb});
      continue;
    }
    Diags.report(DiagID::TopLevelIgnored, S.Range);
  }
}

bool ModuleLowerer::addExport(const ast::FunctionDefStmt &Def, std::vector<Type> Params,
                              Type Ret, bool RetFixed, SourceRange Site) {
  for (auto &S : Specs)
    if (S->Def == &Def && !S->ExportName.empty() && S->ArgTypes == Params) {
      Diags.report(DiagID::DuplicateExport, Site, {Def.Name});
      return false;
    }
  auto S = std::make_unique<Spec>();
  S->Def = &Def;
  S->ArgTypes = std::move(Params);
  S->ExportName = Def.Name;
  if (RetFixed) {
    S->Ret = Ret;
    S->RetFixed = true;
  }
  Specs.push_back(std::move(S));
  return true;
}

/// A tuple parameter holding an array (tuples of numbers and lists cross
/// the boundary item by item; arrays only alone).
static bool holdsArrayInTuple(Type T) {
  if (!T.isTuple())
    return false;
  for (Type E : T.elements())
    if (E.isArray() || holdsArrayInTuple(E))
      return true;
  return false;
}

/// Checks parameters for forms Kiln cannot export (*args, **kwargs, ...).
static bool checkParams(const ast::FunctionDefStmt &Def, DiagnosticEngine &Diags) {
  for (const ast::Param &P : Def.Params) {
    const char *What = nullptr;
    switch (P.PKind) {
    case ast::Param::VarArgs:
      What = "`*args` parameters";
      break;
    case ast::Param::VarKw:
      What = "`**kwargs` parameters";
      break;
    case ast::Param::KwOnly:
      What = "keyword-only parameters";
      break;
    case ast::Param::PosOnly:
    case ast::Param::Normal:
      break;
    }
    if (What) {
      Diags.report(DiagID::UnsupportedParam, P.Range, {What});
      return false;
    }
  }
  return true;
}

void ModuleLowerer::collectExports() {
  std::set<const ast::FunctionDefStmt *> ByComment;
  for (const ast::ExportComment &C : AST.Exports) {
    llvm::StringRef T = llvm::StringRef(C.Text).rtrim();
    size_t Open = T.find('(');
    if (Open == llvm::StringRef::npos || !T.ends_with(")")) {
      Diags.report(DiagID::BadExportComment, C.Range,
                   {"expected `name(type, ...)`, found `" + T.str() + "`"});
      continue;
    }
    std::string FName = T.take_front(Open).trim().str();
    const ast::FunctionDefStmt *Def = lookupFunction(FName);
    SourceLoc NameLoc = C.TextLoc;
    if (!Def) {
      SourceLoc E = NameLoc;
      E.Col += FName.size();
      Diags.report(DiagID::ExportUnknownFunction, SourceRange(NameLoc, E), {FName});
      continue;
    }
    if (!checkParams(*Def, Diags))
      continue;
    // Split the parameter list at top-level commas.
    llvm::StringRef Inner = T.slice(Open + 1, T.size() - 1);
    std::vector<std::pair<llvm::StringRef, size_t>> Pieces;
    int Depth = 0;
    size_t Start = 0;
    for (size_t I = 0; I <= Inner.size(); ++I) {
      char Ch = I < Inner.size() ? Inner[I] : ',';
      if (Ch == '(' || Ch == '[')
        ++Depth;
      else if (Ch == ')' || Ch == ']')
        --Depth;
      else if (Ch == ',' && Depth == 0) {
        llvm::StringRef P = Inner.slice(Start, I);
        if (!P.trim().empty() || I < Inner.size())
          Pieces.push_back({P, Open + 1 + Start});
        Start = I + 1;
      }
    }
    std::vector<Type> Params;
    bool Ok = true;
    for (auto &[P, Off] : Pieces) {
      SourceLoc At = C.TextLoc;
      size_t Lead = P.size() - P.ltrim().size();
      At.Col += Off + Lead;
      Type Ty = resolveTypeText(P.trim(), At, Diags);
      if (!Ty.isValid()) {
        Ok = false;
        break;
      }
      if (holdsArrayInTuple(Ty)) {
        Diags.report(DiagID::UnsupportedParam, SourceRange(At), {"arrays inside tuple parameters"});
        Ok = false;
        break;
      }
      Params.push_back(Ty);
    }
    if (!Ok)
      continue;
    if (Params.size() != Def->Params.size()) {
      Diags.report(DiagID::ExportArity, C.Range,
                   {FName, std::to_string(Params.size()), std::to_string(Def->Params.size())});
      continue;
    }
    ByComment.insert(Def);
    Type Ret;
    bool RetFixed = false;
    if (Def->Returns) {
      Ret = resolveTypeExpr(*Def->Returns, Diags);
      RetFixed = Ret.isValid();
    }
    addExport(*Def, Params, Ret, RetFixed, C.Range);
  }

  // Fully annotated top-level functions are exported too.
  for (const ast::StmtPtr &SP : AST.Stmts) {
    auto *Def = dyn_cast<ast::FunctionDefStmt>(SP.get());
    if (!Def || ByComment.count(Def) || lookupFunction(Def->Name) != Def)
      continue;
    bool AllAnnotated = !Def->Params.empty() || Def->Returns;
    const ast::Param *Missing = nullptr;
    for (const ast::Param &P : Def->Params)
      if (!P.Annotation && !Missing)
        Missing = &P;
    AllAnnotated &= Missing == nullptr;
    // Some parameters annotated, some not: probably meant to be exported.
    bool SomeAnnotated = std::any_of(Def->Params.begin(), Def->Params.end(),
                                     [](const ast::Param &P) { return P.Annotation != nullptr; });
    if (Missing && SomeAnnotated)
      Diags.report(DiagID::MissingAnnotation, Missing->Range, {Missing->Name, Def->Name});
    if (!AllAnnotated)
      continue;
    if (!checkParams(*Def, Diags))
      continue;
    std::vector<Type> Params;
    bool Ok = true;
    for (const ast::Param &P : Def->Params) {
      Type T = resolveTypeExpr(*P.Annotation, Diags);
      if (T.isValid() && holdsArrayInTuple(T)) {
        Diags.report(DiagID::UnsupportedParam, P.Annotation->Range,
                     {"arrays inside tuple parameters"});
        T = Type();
      }
      Ok &= T.isValid();
      Params.push_back(T);
    }
    Type Ret;
    bool RetFixed = false;
    if (Def->Returns) {
      Ret = resolveTypeExpr(*Def->Returns, Diags);
      Ok &= Ret.isValid();
      RetFixed = true;
    }
    if (Ok)
      addExport(*Def, Params, Ret, RetFixed, Def->NameRange);
  }
}

/// Number of type nodes in \p T (a tuple counts itself and its elements).
static unsigned typeSize(Type T) {
  unsigned N = 1;
  if (T.isTuple())
    for (Type E : T.elements())
      N += typeSize(E);
  return N;
}

Spec *ModuleLowerer::getSpec(const ast::FunctionDefStmt &Def,
                             const std::vector<Type> &ArgTypes, Mode M, bool &Created) {
  Created = false;
  // Recursion that grows its argument types (`g((x, x))`) would otherwise
  // create ever larger specialisations.
  for (Type T : ArgTypes)
    if (typeSize(T) > 64)
      return nullptr;
  Spec *Found = nullptr;
  unsigned Count = 0;
  for (auto &S : Specs) {
    if (S->Def != &Def)
      continue;
    ++Count;
    if (S->ArgTypes == ArgTypes)
      Found = S.get();
  }
  if (!Found) {
    if (Count >= 32)
      return nullptr;
    auto S = std::make_unique<Spec>();
    S->Def = &Def;
    S->ArgTypes = ArgTypes;
    Found = S.get();
    Specs.push_back(std::move(S));
    Created = true;
  }
  if (M == Mode::Emit && !Found->Queued) {
    Found->Queued = true;
    EmitQueue.push_back(Found);
  }
  return Found;
}

std::vector<Spec *> ModuleLowerer::exportedSpecs(const ast::FunctionDefStmt &Def) {
  std::vector<Spec *> R;
  for (auto &S : Specs)
    if (S->Def == &Def && !S->ExportName.empty())
      R.push_back(S.get());
  return R;
}

/// A name for a specialisation: `f` for the only export, `f[int64, float64]`
/// otherwise, so IR and LLVM symbols say which types they were made for.
static std::string specName(const Spec &S, bool Unique) {
  if (Unique)
    return S.Def->Name;
  std::string N = S.Def->Name + "[";
  for (size_t I = 0; I < S.ArgTypes.size(); ++I)
    N += (I ? ", " : "") + S.ArgTypes[I].str();
  return N + "]";
}

std::unique_ptr<ir::Module> ModuleLowerer::run() {
  collectTopLevel();
  collectExports();
  if (Diags.hasErrors())
    return nullptr;
  if (Specs.empty()) {
    Diags.report(DiagID::NoExports, SourceRange(), {File.path()});
    return nullptr;
  }

  // Type inference: a worklist of specs. A spec runs again when its own
  // types widened, and so does every spec that called it (its return type
  // may have widened); new specs join the list. Types only widen (a finite
  // lattice), so this terminates, in a number of runs proportional to the
  // call graph, however long its chains; the cap is a guard against bugs.
  std::deque<Spec *> Work;
  auto Push = [&](Spec *X) {
    if (!X->InWork) {
      X->InWork = true;
      Work.push_back(X);
    }
  };
  for (auto &S : Specs)
    Push(S.get());
  for (size_t Runs = 0; !Work.empty() && Runs < 64 * (Specs.size() + 16); ++Runs) {
    Spec *X = Work.front();
    Work.pop_front();
    X->InWork = false;
    size_t Before = Specs.size();
    bool First = !X->Inferred;
    FunctionLowerer FL(*this, *X, Mode::Infer);
    FL.run();
    X->Inferred = true;
    for (size_t I = Before; I < Specs.size(); ++I)
      Push(Specs[I].get());
    // After its first run, whether X returns a value at all is known: its
    // callers may now type a call that returns None.
    if (FL.changed() || First) {
      Push(X);
      for (Spec *C : X->Callers)
        Push(C);
    }
  }

  // Emission: exported specs first (overloads of one name stay together),
  // then every helper spec they reach.
  for (auto &S : Specs)
    if (!S->ExportName.empty() && !S->Queued) {
      for (auto &O : Specs)
        if (O->ExportName == S->ExportName && !O->Queued) {
          O->Queued = true;
          EmitQueue.push_back(O.get());
        }
    }
  // Names are fixed before emission so calls can refer to them.
  std::map<const ast::FunctionDefStmt *, unsigned> PerDef;
  for (auto &S : Specs)
    ++PerDef[S->Def];
  for (auto &S : Specs)
    S->IRName = specName(*S, PerDef[S->Def] == 1);

  auto Out = std::make_unique<ir::Module>();
  Out->Name = ModName;
  Out->SourcePath = File.path();
  for (size_t I = 0; I < EmitQueue.size(); ++I) {
    Spec &S = *EmitQueue[I];
    FunctionLowerer FL(*this, S, Mode::Emit);
    std::unique_ptr<ir::Function> Fn = FL.run();
    S.Emitted = true;
    if (Fn)
      Out->addFunction(std::move(Fn));
  }
  if (Diags.hasErrors())
    return nullptr;
  return Out;
}

std::unique_ptr<ir::Module> kiln::lowerModule(const ast::Module &M, const SourceFile &File,
                                              llvm::StringRef ModuleName,
                                              DiagnosticEngine &Diags) {
  return ModuleLowerer(M, File, ModuleName, Diags).run();
}

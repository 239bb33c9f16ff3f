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
#include <cmath>
#include <algorithm>
#include <deque>
#include <functional>
#include <optional>
#include <set>

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
         M == "__future__" || M == "typing" || M == "random" || M == "numpy.random" ||
         M == "itertools";
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

/// `N = expr` at module level: the value is computed with the bindings so
/// far (before \p Rebind forgets N's old one), as Python runs the module.
void ModuleLowerer::bindConstant(const std::string &N, const ast::Expr &Value,
                                 const std::function<void(const std::string &)> &Rebind) {
  std::optional<ir::AttrValue> V = constantValue(Value);
  Rebind(N);
  Globals[N] = &Value;
  if (V) {
    ConstValues[N] = *V;
    ConstOrder.push_back(N);
  }
}

void ModuleLowerer::collectTopLevel() {
  // A module-level name has one binding at a time, the latest in the file,
  // as in Python: `def sqrt` then `from math import sqrt` calls math.sqrt.
  std::set<std::string> Bound;
  auto Rebind = [&](const std::string &N) {
    if (!Bound.insert(N).second)
      Rebound.insert(N);
    ConstValues.erase(N);
    ConstOrder.erase(std::remove(ConstOrder.begin(), ConstOrder.end(), N), ConstOrder.end());
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
        bindConstant(llvm::cast<ast::NameExpr>(A->Targets[0].get())->Id, *A->Value, Rebind);
        continue;
      }
    }
    if (auto *A = dyn_cast<ast::AnnAssignStmt>(&S)) {
      if (auto *N = dyn_cast<ast::NameExpr>(A->Target.get()); N && A->Value) {
        bindConstant(N->Id, *A->Value, Rebind);
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
                              Type Ret, bool RetFixed, SourceRange Site,
                              std::vector<std::vector<int64_t>> Extents, bool Speculative) {
  for (auto &S : Specs)
    if (S->Def == &Def && !S->ExportName.empty() && S->ArgTypes == Params) {
      Diags.report(DiagID::DuplicateExport, Site, {Def.Name});
      return false;
    }
  auto S = std::make_unique<Spec>();
  S->Def = &Def;
  S->ArgTypes = std::move(Params);
  S->ArgExtents = std::move(Extents);
  S->ExportName = Def.Name;
  S->Speculative = Speculative;
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

const ast::FunctionDefStmt *ModuleLowerer::exportFromComment(const ExportItem &It,
                                                             const ast::ExportComment &C) {
  if (!It.IsFunction) {
    // `#pythran export N`: a module constant, an attribute of the module.
    if (lookupFunction(It.Name)) {
      Diags.report(DiagID::BadExportComment, It.NameRange,
                   {"`" + It.Name + "` is a function: give its parameter types, `" + It.Name +
                    "(int, float)`"});
      return nullptr;
    }
    if (!globalConstant(It.Name)) {
      Diags.report(DiagID::ExportUnknownName, It.NameRange, {It.Name});
      return nullptr;
    }
    ExportedGlobals.push_back({It.Name, It.NameRange});
    return nullptr;
  }
  const ast::FunctionDefStmt *Def = lookupFunction(It.Name);
  if (!Def) {
    Diags.report(DiagID::ExportUnknownFunction, It.NameRange, {It.Name});
    return nullptr;
  }
  if (!checkParams(*Def, Diags))
    return nullptr;
  Type Ret;
  bool RetFixed = false;
  if (Def->Returns) {
    Ret = resolveTypeExpr(*Def->Returns, Diags);
    RetFixed = Ret.isValid();
  }
  for (size_t K = 0; K < It.Sigs.size(); ++K) {
    const std::vector<ExportParam> &Sig = It.Sigs[K];
    // `int or int` expands twice into one signature: once is enough.
    auto Same = [&](const std::vector<ExportParam> &O) {
      return O.size() == Sig.size() &&
             std::equal(O.begin(), O.end(), Sig.begin(), [](const ExportParam &A, const ExportParam &B) {
               return A.Ty == B.Ty && A.Extents == B.Extents;
             });
    };
    if (std::any_of(It.Sigs.begin(), It.Sigs.begin() + K, Same))
      continue;
    std::vector<Type> Params;
    std::vector<std::vector<int64_t>> Extents;
    for (const ExportParam &P : Sig) {
      if (holdsArrayInTuple(P.Ty) || P.Ty.isNone()) {
        Diags.report(DiagID::UnsupportedParam, It.NameRange,
                     {P.Ty.isNone() ? "parameters of type None" : "arrays inside tuple parameters"});
        return nullptr;
      }
      Params.push_back(P.Ty);
      Extents.push_back(P.Extents);
    }
    // Trailing parameters left out of the export take their defaults, as
    // in Pythran: callers from Python cannot pass them.
    size_t N = Params.size();
    if (N > Def->Params.size() || (N < Def->Params.size() && !Def->Params[N].Default)) {
      Diags.report(DiagID::ExportArity, C.Range,
                   {It.Name, std::to_string(N), std::to_string(Def->Params.size())});
      return nullptr;
    }
    addExport(*Def, Params, Ret, RetFixed, C.Range, std::move(Extents));
  }
  return Def;
}

void ModuleLowerer::collectExports() {
  std::set<const ast::FunctionDefStmt *> ByComment;
  for (const ast::ExportComment &C : AST.Exports) {
    // Exports from a `.pythran` file are located in that file.
    const SourceFile *Saved = Diags.source();
    if (C.File)
      Diags.setSource(C.File);
    std::vector<ExportItem> Items;
    if (parseExportComment(C, Items, Diags))
      for (ExportItem &It : Items)
        if (const ast::FunctionDefStmt *Def = exportFromComment(It, C))
          ByComment.insert(Def);
    Diags.setSource(Saved);
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
    // Each parameter's alternatives (`int | float`, `np.ndarray`), then one
    // overload per combination.
    std::vector<std::vector<Type>> Alts;
    bool Ok = true, Guessed = false;
    for (const ast::Param &P : Def->Params) {
      std::vector<Type> A = resolveTypeAlternatives(*P.Annotation, Diags, Guessed);
      for (Type T : A)
        if (holdsArrayInTuple(T) || T.isNone()) {
          Diags.report(DiagID::UnsupportedParam, P.Annotation->Range,
                       {T.isNone() ? "parameters that may be None (`T | None`, `x: None`)"
                                   : "arrays inside tuple parameters"});
          A.clear();
          break;
        }
      Ok &= !A.empty();
      Alts.push_back(std::move(A));
    }
    Type Ret;
    bool RetFixed = false;
    // `-> np.ndarray` gives no rank: the result's type is inferred.
    bool RetGuessed = false;
    if (Def->Returns) {
      std::vector<Type> RA = resolveTypeAlternatives(*Def->Returns, Diags, RetGuessed);
      Ok &= !RA.empty();
      if (RA.size() > 1 && !RetGuessed) {
        Diags.report(DiagID::Unsupported, Def->Returns->Range,
                     {"return annotations with alternatives (`int | float`)", "are"});
        Ok = false;
      }
      if (RA.size() == 1 && !RetGuessed) {
        Ret = RA[0];
        RetFixed = true;
      }
    }
    if (!Ok)
      continue;
    std::vector<std::vector<Type>> Sigs{{}};
    for (const std::vector<Type> &A : Alts) {
      std::vector<std::vector<Type>> Next;
      for (const auto &Sg : Sigs)
        for (Type T : A) {
          Next.push_back(Sg);
          Next.back().push_back(T);
        }
      Sigs = std::move(Next);
    }
    if (Sigs.size() > 64) {
      Diags.report(DiagID::TooManyOverloads, Def->NameRange,
                   {Def->Name, std::to_string(Sigs.size())});
      continue;
    }
    for (const auto &Sg : Sigs)
      addExport(*Def, Sg, Ret, RetFixed, Def->NameRange, {}, Guessed);
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

/// Folds a module constant's expression to a value when that is exact:
/// number, bool and str literals, other constants, `math.pi`-like module
/// constants, unary `-`/`+`/`not`, and `+ - * / // % **` on numbers where
/// the result is certain to be CPython's (int overflow, division by zero
/// and float `//`, `%`, `**` give up).
std::optional<ir::AttrValue> ModuleLowerer::constantValue(const ast::Expr &E) const {
  using V = std::optional<ir::AttrValue>;
  if (auto *I = dyn_cast<ast::IntLitExpr>(&E))
    return I->FitsInt64 ? V(I->Value) : std::nullopt;
  if (auto *F = dyn_cast<ast::FloatLitExpr>(&E))
    return V(F->Value);
  if (auto *B = dyn_cast<ast::BoolLitExpr>(&E))
    return V(B->Value);
  if (auto *S = dyn_cast<ast::StrLitExpr>(&E)) {
    if (S->IsBytes || S->Value.find('\0') != std::string::npos)
      return std::nullopt;
    return V(S->Value);
  }
  auto Known = [](llvm::StringRef Mod, llvm::StringRef N) -> V {
    if (Mod != "math" && Mod != "numpy" && Mod != "cmath")
      return std::nullopt;
    if (N == "pi")
      return V(M_PI);
    if (N == "e")
      return V(M_E);
    if (N == "tau" && Mod != "numpy")
      return V(2 * M_PI);
    return std::nullopt;
  };
  if (auto *N = dyn_cast<ast::NameExpr>(&E)) {
    if (const ir::AttrValue *C = constValue(N->Id))
      return V(*C);
    if (const auto *FI = fromImport(N->Id))
      return Known(FI->first, FI->second);
    return std::nullopt;
  }
  if (auto *A = dyn_cast<ast::AttributeExpr>(&E)) {
    if (auto *Base = dyn_cast<ast::NameExpr>(A->Value.get()))
      return Known(moduleAlias(Base->Id), A->Attr);
    return std::nullopt;
  }
  auto IsNum = [](const V &X) {
    return X && (std::holds_alternative<int64_t>(*X) || std::holds_alternative<double>(*X) ||
                 std::holds_alternative<bool>(*X));
  };
  auto AsInt = [](const ir::AttrValue &X) {
    return std::holds_alternative<bool>(X) ? (int64_t)std::get<bool>(X) : std::get<int64_t>(X);
  };
  auto AsDouble = [&](const ir::AttrValue &X) {
    return std::holds_alternative<double>(X) ? std::get<double>(X) : (double)AsInt(X);
  };
  if (auto *U = dyn_cast<ast::UnaryExpr>(&E)) {
    V X = constantValue(*U->Operand);
    if (U->Op == ast::UnaryOpKind::Not && X && !std::holds_alternative<std::string>(*X) &&
        IsNum(X))
      return V(std::holds_alternative<double>(*X) ? std::get<double>(*X) == 0.0 : AsInt(*X) == 0);
    if (!IsNum(X) || (U->Op != ast::UnaryOpKind::Neg && U->Op != ast::UnaryOpKind::Pos))
      return std::nullopt;
    bool Neg = U->Op == ast::UnaryOpKind::Neg;
    if (std::holds_alternative<double>(*X))
      return V(Neg ? -std::get<double>(*X) : std::get<double>(*X));
    int64_t I = AsInt(*X);
    if (Neg && I == INT64_MIN)
      return std::nullopt;
    return V(Neg ? -I : I);
  }
  auto *Bin = dyn_cast<ast::BinOpExpr>(&E);
  if (!Bin)
    return std::nullopt;
  V L = constantValue(*Bin->LHS), R = constantValue(*Bin->RHS);
  if (!IsNum(L) || !IsNum(R))
    return std::nullopt;
  bool Float = std::holds_alternative<double>(*L) || std::holds_alternative<double>(*R);
  if (Bin->Op == ast::BinOpKind::Div) {
    double D = AsDouble(*R);
    if (D == 0.0 || (!Float && (std::llabs(AsInt(*L)) > (1LL << 53) ||
                                std::llabs(AsInt(*R)) > (1LL << 53))))
      return std::nullopt; // CPython divides big ints exactly
    return V(AsDouble(*L) / D);
  }
  if (Float) {
    double A = AsDouble(*L), B = AsDouble(*R);
    switch (Bin->Op) {
    case ast::BinOpKind::Add: return V(A + B);
    case ast::BinOpKind::Sub: return V(A - B);
    case ast::BinOpKind::Mul: return V(A * B);
    default: return std::nullopt;
    }
  }
  int64_t A = AsInt(*L), B = AsInt(*R), Out;
  switch (Bin->Op) {
  case ast::BinOpKind::Add:
    return __builtin_add_overflow(A, B, &Out) ? std::nullopt : V(Out);
  case ast::BinOpKind::Sub:
    return __builtin_sub_overflow(A, B, &Out) ? std::nullopt : V(Out);
  case ast::BinOpKind::Mul:
    return __builtin_mul_overflow(A, B, &Out) ? std::nullopt : V(Out);
  case ast::BinOpKind::FloorDiv:
  case ast::BinOpKind::Mod: {
    if (B == 0 || (A == INT64_MIN && B == -1))
      return std::nullopt;
    int64_t Q = A / B, Rm = A % B;
    if (Rm != 0 && ((Rm < 0) != (B < 0))) {
      --Q;
      Rm += B;
    }
    return V(Bin->Op == ast::BinOpKind::FloorDiv ? Q : Rm);
  }
  case ast::BinOpKind::Pow: {
    if (B < 0)
      return std::nullopt; // a float in CPython
    if (A == 0 || A == 1)
      return V(B == 0 ? int64_t(1) : A);
    if (A == -1)
      return V(B % 2 ? int64_t(-1) : int64_t(1));
    int64_t P = 1; // |A| >= 2: overflows within 64 steps
    for (int64_t K = 0; K < B; ++K)
      if (__builtin_mul_overflow(P, A, &P))
        return std::nullopt;
    return V(P);
  }
  default:
    return std::nullopt;
  }
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
  addModuleConstants(*Out);
  // Guessed overloads (np.ndarray parameters): per function, whether one
  // compiled, else the errors of the first that did not.
  std::vector<std::pair<const Spec *, DiagnosticEngine::TrialResult>> Failures;
  std::set<const ast::FunctionDefStmt *> GuessCompiled;
  for (size_t I = 0; I < EmitQueue.size(); ++I) {
    Spec &S = *EmitQueue[I];
    if (S.Emitted)
      continue; // emitted in a trial
    if (!S.Speculative) {
      if (std::unique_ptr<ir::Function> Fn = emitSpec(S))
        Out->addFunction(std::move(Fn));
      continue;
    }
    // A trial: the overload and every helper it newly needs compile with
    // their diagnostics held back; on an error all of them are dropped.
    Diags.beginTrial();
    size_t Mark = EmitQueue.size();
    std::vector<std::unique_ptr<ir::Function>> Fns;
    bool Failed = false;
    auto Try = [&](Spec &X) {
      std::unique_ptr<ir::Function> Fn = emitSpec(X);
      Failed |= !Fn;
      if (Fn)
        Fns.push_back(std::move(Fn));
    };
    Try(S);
    for (size_t J = Mark; J < EmitQueue.size(); ++J)
      if (!EmitQueue[J]->Emitted)
        Try(*EmitQueue[J]);
    DiagnosticEngine::TrialResult R = Diags.endTrial();
    if (!Failed && R.Errors == 0) {
      for (auto &Fn : Fns)
        Out->addFunction(std::move(Fn));
      GuessCompiled.insert(S.Def);
      continue;
    }
    for (size_t J = Mark; J < EmitQueue.size(); ++J)
      EmitQueue[J]->Queued = EmitQueue[J]->Emitted = false;
    EmitQueue.resize(Mark);
    if (std::none_of(Failures.begin(), Failures.end(),
                     [&](const auto &F) { return F.first->Def == S.Def; }))
      Failures.push_back({&S, std::move(R)});
  }
  dropCallsToFailedGuesses(*Out);
  // Which functions kept a guessed overload after that.
  GuessCompiled.clear();
  for (auto &S : Specs)
    if (S->Speculative && Out->lookup(S->IRName))
      GuessCompiled.insert(S->Def);
  for (auto &S : Specs)
    if (S->Speculative && !GuessCompiled.count(S->Def) &&
        std::none_of(Failures.begin(), Failures.end(),
                     [&](const auto &F) { return F.first->Def == S->Def; })) {
      Diags.report(DiagID::Unsupported, S->Def->NameRange,
                   {"`" + S->Def->Name + "` with parameters without a rank, whose every guessed "
                                         "overload calls one that does not compile,",
                    "is"});
      GuessCompiled.insert(S->Def); // reported
    }
  for (auto &[S, R] : Failures) {
    if (GuessCompiled.count(S->Def))
      continue;
    Diags.replay(R);
    std::string Types;
    for (size_t I = 0; I < S->ArgTypes.size(); ++I)
      Types += (I ? ", " : "") + pyTypeName(S->ArgTypes[I]);
    Diags.report(DiagID::NoGuessedOverload, S->Def->NameRange, {S->Def->Name, "(" + Types + ")"});
  }
  if (Diags.hasErrors())
    return nullptr;
  return Out;
}

/// A guessed overload that compiled may call one that did not (`use(x:
/// np.ndarray)` calling `idx(x: np.ndarray)` for a rank idx cannot take):
/// drop it too, repeatedly; a function Kiln did not guess that makes such a
/// call is an error at the call.
void ModuleLowerer::dropCallsToFailedGuesses(ir::Module &Out) {
  std::map<std::string, const Spec *> ByIR;
  for (auto &S : Specs)
    ByIR[S->IRName] = S.get();
  for (bool Changed = true; Changed;) {
    Changed = false;
    for (auto &FP : Out.functions()) {
      std::string Missing;
      FP->walk([&](ir::OpId O) {
        const ir::OpData &D = FP->op(O);
        if (D.Kind != ir::OpKind::Call || !Missing.empty())
          return;
        const ir::AttrValue *C = D.Attrs.get("callee");
        if (auto *Sym = C ? std::get_if<ir::SymbolRef>(C) : nullptr; Sym && !Out.lookup(Sym->Name))
          Missing = Sym->Name;
      });
      if (Missing.empty())
        continue;
      auto It = ByIR.find(FP->name());
      const Spec *S = It == ByIR.end() ? nullptr : It->second;
      if (S && S->Speculative) {
        Out.eraseFunction(FP->name());
        Changed = true;
        break; // the list changed
      }
      Diags.report(DiagID::Unsupported, S ? S->Def->NameRange : SourceRange(),
                   {"calling `" + Missing + "`, a guessed overload that does not compile,", "is"});
      return;
    }
  }
}

std::unique_ptr<ir::Function> ModuleLowerer::emitSpec(Spec &S) {
  FunctionLowerer FL(*this, S, Mode::Emit);
  std::unique_ptr<ir::Function> Fn = FL.run();
  S.Emitted = true;
  return Fn;
}

/// Module-level constants become attributes of the compiled module, as in
/// Python: those whose value constantValue knows, in the order of their
/// last binding. `#pythran export N` of another is an error.
void ModuleLowerer::addModuleConstants(ir::Module &Out) {
  for (const std::string &N : ConstOrder)
    if (!lookupFunction(N))
      Out.Globals.push_back({N, ConstValues.at(N)});
  for (const auto &[Name, Site] : ExportedGlobals)
    if (!ConstValues.count(Name))
      Diags.report(DiagID::Unsupported, Site,
                   {"exporting `" + Name +
                        "`, whose value is not a number, bool or string constant,",
                    "is"});
}

std::unique_ptr<ir::Module> kiln::lowerModule(const ast::Module &M, const SourceFile &File,
                                              llvm::StringRef ModuleName,
                                              DiagnosticEngine &Diags) {
  return ModuleLowerer(M, File, ModuleName, Diags).run();
}

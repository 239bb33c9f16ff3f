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
                              Type Ret, bool RetFixed, SourceRange Site,
                              std::vector<std::vector<int64_t>> Extents) {
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
  for (const std::vector<ExportParam> &Sig : It.Sigs) {
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

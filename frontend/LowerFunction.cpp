//===- LowerFunction.cpp - One specialisation: variables and conversions ---===//
//
// Sets up a function's IR (parameters, slots for variables), finds which
// variables may be read before they are assigned (those get a run-time flag
// and raise UnboundLocalError like CPython), and implements the implicit
// conversions Python performs (bool -> int -> float, truthiness).
//
//===----------------------------------------------------------------------===//

#include "frontend/LowerImpl.h"
#include "llvm/Support/Casting.h"

using namespace kiln;
using namespace kiln::lower;
using llvm::dyn_cast;
using llvm::isa;

namespace {

/// Collects every name a function body binds (assignment targets, loop
/// variables), which makes it local for the whole body as in Python.
void collectTargets(const ast::Expr &E, std::set<std::string> &Out) {
  if (auto *N = dyn_cast<ast::NameExpr>(&E))
    Out.insert(N->Id);
  else if (auto *T = dyn_cast<ast::TupleExpr>(&E))
    for (auto &X : T->Elts)
      collectTargets(*X, Out);
  else if (auto *L = dyn_cast<ast::ListExpr>(&E))
    for (auto &X : L->Elts)
      collectTargets(*X, Out);
}

void collectLocals(const ast::Body &Body, std::set<std::string> &Out) {
  for (const ast::StmtPtr &SP : Body) {
    const ast::Stmt &S = *SP;
    if (auto *A = dyn_cast<ast::AssignStmt>(&S)) {
      for (auto &T : A->Targets)
        collectTargets(*T, Out);
    } else if (auto *A = dyn_cast<ast::AugAssignStmt>(&S)) {
      collectTargets(*A->Target, Out);
    } else if (auto *A = dyn_cast<ast::AnnAssignStmt>(&S)) {
      collectTargets(*A->Target, Out);
    } else if (auto *I = dyn_cast<ast::IfStmt>(&S)) {
      collectLocals(I->Then, Out);
      collectLocals(I->OrElse, Out);
    } else if (auto *W = dyn_cast<ast::WhileStmt>(&S)) {
      collectLocals(W->Loop, Out);
      collectLocals(W->OrElse, Out);
    } else if (auto *F = dyn_cast<ast::ForStmt>(&S)) {
      collectTargets(*F->Target, Out);
      collectLocals(F->Loop, Out);
      collectLocals(F->OrElse, Out);
    } else if (auto *T = dyn_cast<ast::TryStmt>(&S)) {
      collectLocals(T->Stmts, Out);
      for (const ast::TryStmt::Handler &H : T->Handlers) {
        if (!H.Name.empty())
          Out.insert(H.Name);
        collectLocals(H.Stmts, Out);
      }
      collectLocals(T->OrElse, Out);
      collectLocals(T->Finally, Out);
    }
  }
}

/// Definite assignment: walks the body in order with the set of locals
/// certainly assigned, and records every read of a local outside that set.
class DefiniteAssignment {
public:
  DefiniteAssignment(const std::set<std::string> &Locals, std::set<std::string> &Need)
      : Locals(Locals), Need(Need) {}

  struct State {
    std::set<std::string> Assigned;
    bool Dead = false; ///< control never reaches here
  };

  State body(const ast::Body &Body, State In) {
    for (const ast::StmtPtr &S : Body) {
      if (In.Dead)
        break;
      In = stmt(*S, std::move(In));
    }
    return In;
  }

private:
  const std::set<std::string> &Locals;
  std::set<std::string> &Need;

  static State meet(const State &A, const State &B) {
    if (A.Dead)
      return B;
    if (B.Dead)
      return A;
    State R;
    for (const std::string &N : A.Assigned)
      if (B.Assigned.count(N))
        R.Assigned.insert(N);
    return R;
  }

  void reads(const ast::Expr *E, const State &St) {
    if (!E)
      return;
    switch (E->Kind) {
    case ast::ExprKind::Name: {
      auto *N = static_cast<const ast::NameExpr *>(E);
      if (Locals.count(N->Id) && !St.Assigned.count(N->Id))
        Need.insert(N->Id);
      return;
    }
    case ast::ExprKind::BinOp: {
      auto *B = static_cast<const ast::BinOpExpr *>(E);
      reads(B->LHS.get(), St);
      reads(B->RHS.get(), St);
      return;
    }
    case ast::ExprKind::Unary:
      reads(static_cast<const ast::UnaryExpr *>(E)->Operand.get(), St);
      return;
    case ast::ExprKind::BoolOp:
      for (auto &V : static_cast<const ast::BoolOpExpr *>(E)->Values)
        reads(V.get(), St);
      return;
    case ast::ExprKind::Compare: {
      auto *C = static_cast<const ast::CompareExpr *>(E);
      reads(C->Left.get(), St);
      for (auto &V : C->Comparators)
        reads(V.get(), St);
      return;
    }
    case ast::ExprKind::IfExp: {
      auto *I = static_cast<const ast::IfExpExpr *>(E);
      reads(I->Test.get(), St);
      reads(I->Body.get(), St);
      reads(I->OrElse.get(), St);
      return;
    }
    case ast::ExprKind::Call: {
      auto *C = static_cast<const ast::CallExpr *>(E);
      reads(C->Func.get(), St);
      for (auto &A : C->Args)
        reads(A.get(), St);
      for (auto &K : C->Keywords)
        reads(K.Value.get(), St);
      return;
    }
    case ast::ExprKind::Attribute:
      reads(static_cast<const ast::AttributeExpr *>(E)->Value.get(), St);
      return;
    case ast::ExprKind::Subscript: {
      auto *S = static_cast<const ast::SubscriptExpr *>(E);
      reads(S->Value.get(), St);
      reads(S->Index.get(), St);
      return;
    }
    case ast::ExprKind::Slice: {
      auto *S = static_cast<const ast::SliceExpr *>(E);
      reads(S->Lower.get(), St);
      reads(S->Upper.get(), St);
      reads(S->Step.get(), St);
      return;
    }
    case ast::ExprKind::Tuple:
      for (auto &V : static_cast<const ast::TupleExpr *>(E)->Elts)
        reads(V.get(), St);
      return;
    case ast::ExprKind::List:
      for (auto &V : static_cast<const ast::ListExpr *>(E)->Elts)
        reads(V.get(), St);
      return;
    case ast::ExprKind::Comp: {
      // The comprehension's targets are its own variables, bound before
      // the reads that follow them.
      auto *C = static_cast<const ast::CompExpr *>(E);
      State In = St;
      for (const ast::CompExpr::Clause &Cl : C->Clauses) {
        reads(Cl.Iter.get(), In);
        ast::forEachTargetName(*Cl.Target, [&](const std::string &N) { In.Assigned.insert(N); });
        for (auto &If : Cl.Ifs)
          reads(If.get(), In);
      }
      reads(C->Elt.get(), In);
      reads(C->Value.get(), In);
      return;
    }
    case ast::ExprKind::Dict: {
      auto *Dc = static_cast<const ast::DictExpr *>(E);
      for (size_t I = 0; I < Dc->Keys.size(); ++I) {
        reads(Dc->Keys[I].get(), St);
        reads(Dc->Values[I].get(), St);
      }
      return;
    }
    case ast::ExprKind::Set:
      for (auto &V : static_cast<const ast::SetExpr *>(E)->Elts)
        reads(V.get(), St);
      return;
    case ast::ExprKind::FString:
      for (auto &V : static_cast<const ast::FStringExpr *>(E)->Fields)
        reads(V.get(), St);
      return;
    case ast::ExprKind::Lambda: {
      auto *Lm = static_cast<const ast::LambdaExpr *>(E);
      State In = St;
      for (const std::string &P : Lm->Params)
        In.Assigned.insert(P);
      reads(Lm->Body.get(), In);
      return;
    }
    case ast::ExprKind::IntLit:
    case ast::ExprKind::FloatLit:
    case ast::ExprKind::ImagLit:
    case ast::ExprKind::StrLit:
    case ast::ExprKind::BoolLit:
    case ast::ExprKind::NoneLit:
    case ast::ExprKind::Ellipsis:
    case ast::ExprKind::Unsupported:
      return;
    }
  }

  /// The state after a loop: the `else` clause runs unless a `break` left
  /// the loop, so with a break only what held on entry is certain.
  State afterLoop(const ast::Body &Loop, const ast::Body &OrElse, const State &In) {
    State Out = body(OrElse, In);
    if (Out.Dead || hasOwnBreak(Loop))
      return In;
    return Out;
  }

  /// What assigning to target \p T reads: a name reads nothing; `a[i]` and
  /// `a.x` read `a` and `i`, also inside tuple targets.
  void targetReads(const ast::Expr &T, const State &St) {
    if (isa<ast::NameExpr>(&T))
      return;
    if (auto *Tu = dyn_cast<ast::TupleExpr>(&T)) {
      for (auto &X : Tu->Elts)
        targetReads(*X, St);
      return;
    }
    if (auto *L = dyn_cast<ast::ListExpr>(&T)) {
      for (auto &X : L->Elts)
        targetReads(*X, St);
      return;
    }
    reads(&T, St);
  }

  static void assign(const ast::Expr &T, State &St) {
    std::set<std::string> Names;
    collectTargets(T, Names);
    St.Assigned.insert(Names.begin(), Names.end());
  }

  State stmt(const ast::Stmt &S, State In) {
    switch (S.Kind) {
    case ast::StmtKind::Expr:
      reads(static_cast<const ast::ExprStmt &>(S).Value.get(), In);
      return In;
    case ast::StmtKind::Assign: {
      auto &A = static_cast<const ast::AssignStmt &>(S);
      reads(A.Value.get(), In);
      for (auto &T : A.Targets) {
        targetReads(*T, In);
        assign(*T, In);
      }
      return In;
    }
    case ast::StmtKind::AugAssign: {
      auto &A = static_cast<const ast::AugAssignStmt &>(S);
      reads(A.Target.get(), In);
      reads(A.Value.get(), In);
      assign(*A.Target, In);
      return In;
    }
    case ast::StmtKind::AnnAssign: {
      auto &A = static_cast<const ast::AnnAssignStmt &>(S);
      if (A.Value) {
        reads(A.Value.get(), In);
        assign(*A.Target, In);
      }
      return In;
    }
    case ast::StmtKind::Return:
      reads(static_cast<const ast::ReturnStmt &>(S).Value.get(), In);
      In.Dead = true;
      return In;
    case ast::StmtKind::Raise:
      reads(static_cast<const ast::RaiseStmt &>(S).Exc.get(), In);
      In.Dead = true;
      return In;
    case ast::StmtKind::Assert: {
      auto &A = static_cast<const ast::AssertStmt &>(S);
      reads(A.Test.get(), In);
      reads(A.Msg.get(), In);
      return In;
    }
    case ast::StmtKind::Break:
    case ast::StmtKind::Continue:
      In.Dead = true;
      return In;
    case ast::StmtKind::If: {
      auto &I = static_cast<const ast::IfStmt &>(S);
      reads(I.Test.get(), In);
      return meet(body(I.Then, In), body(I.OrElse, In));
    }
    case ast::StmtKind::While: {
      auto &W = static_cast<const ast::WhileStmt &>(S);
      reads(W.Test.get(), In);
      // Reads in the body are judged against the loop entry state: the body
      // may run zero times, and an iteration cannot count on a later one.
      body(W.Loop, In);
      return afterLoop(W.Loop, W.OrElse, In);
    }
    case ast::StmtKind::For: {
      auto &F = static_cast<const ast::ForStmt &>(S);
      reads(F.Iter.get(), In);
      State Body = In;
      assign(*F.Target, Body);
      body(F.Loop, Body);
      return afterLoop(F.Loop, F.OrElse, In);
    }
    case ast::StmtKind::Del:
      for (const ast::ExprPtr &T : static_cast<const ast::DelStmt &>(S).Targets)
        reads(T.get(), In);
      return In;
    case ast::StmtKind::Try: {
      // A handler (and finally) may start anywhere in the body: only what
      // held on entry is certain there.
      auto &T = static_cast<const ast::TryStmt &>(S);
      State Out = body(T.OrElse, body(T.Stmts, In));
      for (const ast::TryStmt::Handler &H : T.Handlers) {
        State HIn = In;
        if (!H.Name.empty())
          HIn.Assigned.insert(H.Name);
        State HOut = body(H.Stmts, HIn);
        HOut.Assigned.erase(H.Name); // deleted at the end of the clause
        Out = meet(Out, HOut);
      }
      if (T.Finally.empty())
        return Out;
      body(T.Finally, In); // its reads, judged against the entry state
      if (Out.Dead) {
        // Every path raised or returned: finally runs, then they go on.
        State F = body(T.Finally, In);
        F.Dead = true;
        return F;
      }
      return body(T.Finally, Out);
    }
    case ast::StmtKind::Pass:
    case ast::StmtKind::FunctionDef:
    case ast::StmtKind::Import:
    case ast::StmtKind::ImportFrom:
    case ast::StmtKind::Unsupported:
      return In;
    }
    return In;
  }
};

} // namespace

/// The IR function for \p S: its parameters, and its return type as far as
/// inference knows it (none while unknown).
static std::unique_ptr<ir::Function> makeFunction(const Spec &S) {
  // Parameters that are None have no IR parameter.
  std::vector<std::string> ParamNames;
  std::vector<Type> ParamTypes;
  for (size_t I = 0; I < S.ArgTypes.size(); ++I)
    if (!S.ArgTypes[I].isNone()) {
      ParamNames.push_back(S.Def->Params[I].Name);
      ParamTypes.push_back(S.ArgTypes[I]);
    }
  return std::make_unique<ir::Function>(S.IRName, ParamTypes, ParamNames,
                                        S.Ret.isValid() ? S.Ret : Type::none());
}

FunctionLowerer::FunctionLowerer(ModuleLowerer &ML, Spec &S, Mode M)
    : ML(ML), S(S), M(M), F(makeFunction(S)), B(*F) {}

DiagnosticEngine &FunctionLowerer::diags() {
  if (emitting())
    return ML.Diags;
  Muted.setSource(&ML.File);
  return Muted;
}

void FunctionLowerer::diag(DiagID ID, SourceRange R, std::vector<std::string> Args) {
  if (!emitting())
    return;
  ML.Diags.report(ID, R, std::move(Args));
  // Errors in a helper depend on the argument types it was called with:
  // say which call made this specialisation, once.
  if (DiagnosticEngine::severityOf(ID) == Severity::Error && S.ExportName.empty() &&
      S.CallSite.isValid() && !S.NotedCaller && S.Caller != S.Def->Name) {
    S.NotedCaller = true;
    std::string Types;
    for (size_t I = 0; I < S.ArgTypes.size(); ++I)
      Types += (I ? ", " : "") + pyTypeName(S.ArgTypes[I]);
    if (Types.size() > 80)
      Types = Types.substr(0, 77) + "...";
    ML.Diags.report(DiagID::NoteCalledFrom, S.CallSite, {S.Def->Name, Types});
  }
}

std::unique_ptr<ir::Function> FunctionLowerer::run() {
  const ast::FunctionDefStmt &Def = *S.Def;
  Type Ret = F->resultType();
  // Returns whose type never became known: lower the body anyway, so that
  // the error that made them unknown is the one reported.
  bool RetUnknown = emitting() && !S.Ret.isValid() && S.HasValueReturn;
  unsigned ErrorsBefore = ML.Diags.errorCount();
  F->setLoc(Def.Range.Begin);
  if (!S.ExportName.empty()) {
    F->attrs().set("export", S.ExportName);
    std::string Names;
    int64_t PosOnly = 0;
    for (size_t I = 0; I < S.ArgTypes.size(); ++I) {
      Names += (I ? "," : "") + Def.Params[I].Name;
      if (Def.Params[I].PKind == ast::Param::PosOnly)
        PosOnly = (int64_t)I + 1;
    }
    F->attrs().set("arg_names", Names);
    if (PosOnly) // `def f(x, /, y)`: x cannot be passed as a keyword
      F->attrs().set("posonly", PosOnly);
  }
  if (S.IRName != Def.Name)
    F->attrs().set("source_name", Def.Name);
  if (!S.ExportName.empty() && emitting())
    recordDefaults();
  B.setInsertionPointToEnd(F->body());
  B.setLoc(Def.Range.Begin);

  for (const auto &Dec : Def.Decorators)
    diag(DiagID::Unsupported, Dec->Range, {"decorators", "are"});

  // Locals: parameters and every name the body binds.
  for (const ast::Param &P : Def.Params)
    Locals.insert(P.Name);
  collectLocals(Def.Body_, Locals);
  DefiniteAssignment::State Entry;
  for (const ast::Param &P : Def.Params)
    Entry.Assigned.insert(P.Name);
  DefiniteAssignment(Locals, NeedFlags).body(Def.Body_, Entry);

  // Parameters are variables whose first assignment is the argument.
  for (size_t I = 0, K = 0; I < S.ArgTypes.size(); ++I) {
    const ast::Param &P = Def.Params[I];
    VarInfo &VI = S.Vars[P.Name];
    VI.IsParam = true;
    if (!VI.FirstSite.isValid())
      VI.FirstSite = P.Range;
    if (!VI.Ty.isValid())
      VI.Ty = S.ArgTypes[I];
    ir::ValueId PV = S.ArgTypes[I].isNone() ? ir::ValueId() : F->params()[K++];
    assignVar(P.Name, {PV, S.ArgTypes[I]}, P.Range);
  }
  // Parameters an export leaves out are bound to their defaults, which are
  // module-level expressions.
  for (size_t I = S.ArgTypes.size(); I < Def.Params.size(); ++I) {
    const ast::Param &P = Def.Params[I];
    bool Saved = ModuleScope;
    ModuleScope = true;
    TypedValue V = lowerExpr(*P.Default);
    ModuleScope = Saved;
    if (V.ok() && !checkSharedDefault(V, *P.Default))
      continue;
    if (V.ok())
      assignVar(P.Name, V, P.Range);
  }
  checkFixedExtents();

  planSubstitutions(Def.Body_);
  lowerBody(Def.Body_);
  if (RetUnknown) {
    if (ML.Diags.errorCount() == ErrorsBefore)
      diag(DiagID::CannotInferReturn, Def.NameRange, {Def.Name});
    return nullptr;
  }

  if (!Terminated) {
    B.setLoc(Def.Range.End);
    if (Ret.isNone()) {
      B.create(ir::OpKind::Return, {}, {});
    } else if (emitting()) {
      // Python would return None here; a compiled function has one result
      // type, so reaching the end is an error rather than a wrong type.
      emitRaiseMsg("TypeError", "function `" + Def.Name +
                                    "` reached its end without `return`, but its "
                                    "compiled version returns `" +
                                    pyTypeName(Ret) + "`");
    }
  }
  return std::move(F);
}

/// Python evaluates a default once, when `def` runs, and every call shares
/// that object; compiled code evaluates it per call, which is the same only
/// for values nothing can change (numbers, None, tuples of them).
bool FunctionLowerer::checkSharedDefault(TypedValue V, const ast::Expr &Default) {
  if (!V.Ty.isList() && !V.Ty.isDict() && !V.Ty.isSet() && !V.Ty.isArray())
    return true;
  diag(DiagID::Unsupported, Default.Range,
       {"defaults that are lists, dicts, sets or arrays (Python shares one object between "
        "calls); use None and create it in the function",
        "are"});
  return false;
}

/// Pythran's fixed extents (`float64[:, 3]`): TypeError on entry when an
/// array argument's extent differs.
void FunctionLowerer::checkFixedExtents() {
  for (size_t I = 0; I < S.ArgExtents.size() && I < S.ArgTypes.size(); ++I)
    for (size_t Axis = 0; Axis < S.ArgExtents[I].size(); ++Axis) {
      int64_t N = S.ArgExtents[I][Axis];
      if (N < 0 || !S.ArgTypes[I].isArray())
        continue;
      ir::ValueId D = arrayDim(F->params()[I], Axis);
      raiseFmtIf(B.cmp("ne", D, B.constInt(N)), "TypeError",
                 S.Def->Name + "() argument '" + S.Def->Params[I].Name + "': expected extent " +
                     std::to_string(N) + " on axis " + std::to_string(Axis) +
                     " (the export fixes it), got {}",
                 {D});
    }
}

void FunctionLowerer::recordDefaults() {
  const ast::FunctionDefStmt &Def = *S.Def;
  for (size_t I = 0; I < S.ArgTypes.size(); ++I) {
    const ast::Expr *D = Def.Params[I].Default.get();
    if (!D)
      continue;
    std::optional<ir::AttrValue> V = ML.constantValue(*D);
    if (V && std::holds_alternative<std::string>(*V))
      V.reset();
    // `#pythran export f(float[], float[]?)` for `def f(a, out=None)`: the
    // signature without `out` binds the default, so this one needs none.
    bool Shorter = false;
    for (Spec *X : ML.exportedSpecs(Def))
      Shorter |= X->ArgTypes.size() <= I;
    if (!V && Shorter)
      continue;
    if (!V) {
      diag(DiagID::Unsupported, D->Range,
           {"defaults of exported functions other than number and bool literals", "are"});
      continue;
    }
    // Convert to the parameter's type the way an argument would be.
    Type PT = S.ArgTypes[I];
    ir::AttrValue Out = *V;
    Type VT = std::holds_alternative<int64_t>(*V)  ? Type::int64()
              : std::holds_alternative<double>(*V) ? Type::float64()
                                                   : Type::boolean();
    if (joinTypes(VT, PT) != PT) {
      diag(DiagID::TypeMismatch, D->Range,
           {"`" + pyTypeName(PT) + "` for the default of `" + Def.Params[I].Name + "`",
            pyTypeName(VT)});
      continue;
    }
    if (PT.isComplex()) { // two slots across the boundary
      diag(DiagID::Unsupported, D->Range, {"defaults of complex parameters", "are"});
      continue;
    }
    if (PT.isFloating() && !VT.isFloat())
      Out = VT.isInt() ? (double)std::get<int64_t>(*V) : (std::get<bool>(*V) ? 1.0 : 0.0);
    else if (PT.isInteger() && VT.isBool())
      Out = (int64_t)std::get<bool>(*V);
    if (PT.isSized() && PT.isInteger()) {
      // As an argument would: the value must fit the type.
      int64_t X = std::get<int64_t>(Out);
      auto [Lo, Hi] = int64RangeOf(PT);
      if (X < Lo || X > Hi) {
        diag(DiagID::TypeMismatch, D->Range,
             {"a default that fits `" + PT.str() + "` for `" + Def.Params[I].Name + "`",
              std::to_string(X)});
        continue;
      }
    }
    F->attrs().set("default." + std::to_string(I), Out);
  }
}

//===----------------------------------------------------------------------===//
// Variables
//===----------------------------------------------------------------------===//

ir::ValueId FunctionLowerer::entrySlot(Type T, llvm::StringRef Name) {
  ir::OpId O = F->createOp(ir::OpKind::Slot, {}, {Type::ref(T)}, B.loc());
  F->insertOp(F->body(), EntryPos++, O);
  ir::ValueId V = F->op(O).Results[0];
  F->value(V).Name = Name.str();
  return V;
}

void FunctionLowerer::ensureFlag(const std::string &Name) {
  if (!NeedFlags.count(Name) || FlagSlots.count(Name))
    return;
  // `x.set` tracks whether `x` holds a value yet.
  ir::ValueId Flag = entrySlot(Type::boolean(), Name + ".set");
  ir::OpId C = F->createOp(ir::OpKind::Const, {}, {Type::boolean()});
  F->op(C).Attrs.set("value", false);
  F->insertOp(F->body(), EntryPos++, C);
  ir::OpId St = F->createOp(ir::OpKind::Store, {F->op(C).Results[0], Flag}, {});
  F->insertOp(F->body(), EntryPos++, St);
  FlagSlots[Name] = Flag;
}

ir::ValueId FunctionLowerer::slotFor(const std::string &Name, Type T) {
  auto It = Slots.find(Name);
  if (It != Slots.end())
    return It->second;
  ir::ValueId S = entrySlot(T, Name);
  Slots[Name] = S;
  ensureFlag(Name);
  return S;
}

bool FunctionLowerer::declareVar(const std::string &Name, Type T, SourceRange Site) {
  VarInfo &VI = S.Vars[Name];
  if (VI.DeclaredTy.isValid() && VI.DeclaredTy != T) {
    diag(DiagID::TypeConflict, Site, {Name, pyTypeName(T), pyTypeName(VI.DeclaredTy)});
    diag(DiagID::NoteAssignedHere, VI.FirstSite, {Name, pyTypeName(VI.DeclaredTy)});
    return false;
  }
  if (!VI.DeclaredTy.isValid()) {
    VI.DeclaredTy = T;
    if (VI.Ty != T) {
      VI.Ty = T;
      Changed = true;
    }
    if (!VI.FirstSite.isValid())
      VI.FirstSite = Site;
  }
  return true;
}

void FunctionLowerer::assignVar(const std::string &Name, TypedValue V, SourceRange Site) {
  if (!V.ok())
    return;
  VarInfo &VI = S.Vars[Name];
  if (V.Ty.isNone()) {
    // A variable that only ever holds None (`out=None` left at its
    // default) needs no storage: `x is None` is then known statically.
    if (VI.DeclaredTy.isValid() || (VI.Ty.isValid() && !VI.Ty.isNone())) {
      diag(DiagID::TypeConflict, Site, {Name, "None", pyTypeName(VI.DeclaredTy.isValid() ? VI.DeclaredTy : VI.Ty)});
      if (VI.FirstSite.isValid())
        diag(DiagID::NoteAssignedHere, VI.FirstSite,
             {Name, pyTypeName(VI.DeclaredTy.isValid() ? VI.DeclaredTy : VI.Ty)});
      return;
    }
    if (!VI.Ty.isValid()) {
      VI.Ty = Type::none();
      Changed = true;
    }
    if (!VI.FirstSite.isValid())
      VI.FirstSite = Site;
    ensureFlag(Name);
    if (auto FIt = FlagSlots.find(Name); FIt != FlagSlots.end())
      B.store(B.constBool(true), FIt->second);
    return;
  }
  Type Target = VI.Ty;
  if (VI.DeclaredTy.isValid()) {
    Target = VI.DeclaredTy;
  } else {
    Type J = joinTypes(VI.Ty, V.Ty);
    if (!J.isValid()) {
      if (emitting()) {
        diag(DiagID::TypeConflict, Site, {Name, pyTypeName(V.Ty), pyTypeName(VI.Ty)});
        diag(DiagID::NoteAssignedHere, VI.FirstSite, {Name, pyTypeName(VI.Ty)});
      }
      return;
    }
    if (J != VI.Ty) {
      if (emitting()) {
        // Inference reached a fixpoint, so this cannot widen any more.
        assert(false && "variable type widened during emission");
      }
      VI.Ty = J;
      Changed = true;
    }
    // Names of one list keep one type (`b = a`, then `b.append(1.5)`).
    if (J.isList())
      for (const std::string &P : S.ListAliases[Name]) {
        VarInfo &PI = S.Vars[P];
        Type PJ = joinTypes(PI.Ty, J);
        if (PJ.isValid() && PJ != PI.Ty && !PI.DeclaredTy.isValid() && !emitting()) {
          PI.Ty = PJ;
          Changed = true;
        }
      }
    if (!VI.FirstSite.isValid())
      VI.FirstSite = Site;
    Target = J;
  }
  TypedValue C = convert(V, Target, Site, "`" + Name + "`");
  if (!C.ok())
    return;
  ir::ValueId Slot = slotFor(Name, Target);
  B.store(C.V, Slot);
  auto FIt = FlagSlots.find(Name);
  if (FIt != FlagSlots.end())
    B.store(B.constBool(true), FIt->second);
}

TypedValue FunctionLowerer::readVar(const std::string &Name, SourceRange Site) {
  auto VIt = S.Vars.find(Name);
  if (VIt == S.Vars.end() || !VIt->second.Ty.isValid()) {
    // Never assigned a value of known type: either it is assigned only
    // after this read on every path, or its assignments failed to type.
    if (emitting() && !ML.Diags.hasErrors())
      diag(DiagID::UnboundLocal, Site, {Name});
    return bad();
  }
  Type T = VIt->second.Ty;
  if (T.isNone())
    ensureFlag(Name); // None needs no slot, but may still be unbound here
  else
    slotFor(Name, T);
  auto FIt = FlagSlots.find(Name);
  if (FIt != FlagSlots.end()) {
    ir::ValueId IsSet = B.load(FIt->second);
    ir::ValueId NotSet = B.create1(ir::OpKind::Not, {IsSet}, Type::boolean());
    ir::OpId If = B.create(ir::OpKind::If, {NotSet}, {}, 2);
    inRegion(F->op(If).Regions[0], [&] {
      emitRaiseMsg("UnboundLocalError", "cannot access local variable '" + Name +
                                            "' where it is not associated with a value");
    });
  }
  if (T.isNone())
    return {ir::ValueId(), T};
  return {B.load(slotFor(Name, T)), T};
}

//===----------------------------------------------------------------------===//
// Conversions
//===----------------------------------------------------------------------===//

TypedValue FunctionLowerer::truthy(TypedValue V, SourceRange Site) {
  if (!V.ok())
    return bad();
  if (V.Ty.isBool())
    return V;
  if (V.Ty.isNumeric())
    return {B.cast(V.V, Type::boolean()), Type::boolean()};
  if (V.Ty.isNone())
    return constBool(false);
  if (V.Ty.isTuple())
    return constBool(!V.Ty.elements().empty());
  if (V.Ty.isList())
    return {B.cmp("gt", listLen(V), B.constInt(0)), Type::boolean()};
  if (V.Ty.isDict() || V.Ty.isSet())
    return {B.cmp("gt", B.create1(ir::OpKind::DictLen, {V.V}, Type::int64()), B.constInt(0)),
            Type::boolean()};
  if (V.Ty.isStr())
    return constBool(true);
  if (V.Ty.isArray()) {
    diag(DiagID::Unsupported, Site,
         {"the truth value of an array (use `a.size > 0`, or `a[i]` for one element)", "is"});
    return bad();
  }
  diag(DiagID::TypeMismatch, Site, {"a condition", pyTypeName(V.Ty)});
  return bad();
}

TypedValue FunctionLowerer::convert(TypedValue V, Type To, SourceRange Site,
                                    llvm::StringRef What) {
  if (!V.ok() || !To.isValid())
    return bad();
  if (V.Ty == To)
    return V;
  if (V.Ty.isNone()) {
    diag(DiagID::TypeMismatch, Site, {"a value of type `" + pyTypeName(To) + "`", "None"});
    return bad();
  }
  // NumPy's sized types convert among integers, among floats, and upwards
  // (integer to float, real to complex), as NumPy converts them (a Python
  // int must fit: castScalar); never implicitly from a float to an integer
  // or from a complex to a real number.
  auto Rank = [](Type T) { return T.isComplex() ? 3 : T.isFloating() ? 2 : 1; };
  if (V.Ty.isScalar() && To.isScalar() &&
      (joinTypes(V.Ty, To) == To ||
       ((V.Ty.isSized() || To.isSized()) && !To.isBool() && Rank(V.Ty) <= Rank(To))))
    return castScalar(V, To, Site);
  if (V.Ty.isList() && To.isList())
    return convertList(V, To, Site, What);
  if ((V.Ty.isDict() && To.isDict()) || (V.Ty.isSet() && To.isSet())) {
    // Only an empty literal becomes another type (a dict may be shared).
    bool Empty = V.Ty.keyType().isNone();
    if (Empty && V.V == FreshList)
      return {B.cast(V.V, To), To};
    diag(DiagID::TypeMismatch, Site,
         {"`" + pyTypeName(To) + "` for " + What.str() +
              (Empty ? " (annotate the empty one where it is made: `d: " + pyTypeName(To) +
                           " = {}`)"
                     : " (a dict or set may be shared, so it is never converted)"),
          pyTypeName(V.Ty)});
    return bad();
  }
  // A C-order array is a valid array of any strides: same value.
  if (V.Ty.isArray() && To.isArray() && joinTypes(V.Ty, To) == To)
    return {B.cast(V.V, To), To};
  if (V.Ty.isTuple() && To.isTuple() && V.Ty.elements().size() == To.elements().size()) {
    std::vector<ir::ValueId> Elts;
    for (size_t I = 0; I < To.elements().size(); ++I) {
      ir::ValueId E = B.create1(ir::OpKind::TupleGet, {V.V}, V.Ty.elements()[I]);
      F->op(F->definingOp(E)).Attrs.set("index", (int64_t)I);
      TypedValue C = convert({E, V.Ty.elements()[I]}, To.elements()[I], Site, What);
      if (!C.ok())
        return bad();
      Elts.push_back(C.V);
    }
    return {B.create1(ir::OpKind::TupleMake, Elts, To), To};
  }
  diag(DiagID::TypeMismatch, Site,
       {"`" + pyTypeName(To) + "` for " + What.str(), pyTypeName(V.Ty)});
  return bad();
}

std::optional<int64_t> FunctionLowerer::constIntValue(const ast::Expr &E) {
  if (auto *I = dyn_cast<ast::IntLitExpr>(&E))
    return I->FitsInt64 ? std::optional<int64_t>(I->Value) : std::nullopt;
  if (auto *U = dyn_cast<ast::UnaryExpr>(&E)) {
    auto V = constIntValue(*U->Operand);
    if (!V)
      return std::nullopt;
    if (U->Op == ast::UnaryOpKind::Neg && *V != INT64_MIN)
      return -*V;
    if (U->Op == ast::UnaryOpKind::Pos)
      return V;
    return std::nullopt;
  }
  if (auto *N = dyn_cast<ast::NameExpr>(&E)) {
    if (isLocal(N->Id))
      return std::nullopt;
    if (const ast::Expr *G = ML.globalConstant(N->Id)) {
      if (ML.GlobalDepth > 16)
        return std::nullopt;
      ++ML.GlobalDepth;
      auto V = constIntValue(*G);
      --ML.GlobalDepth;
      return V;
    }
  }
  return std::nullopt;
}

TypedValue FunctionLowerer::branchValue(ir::ValueId Cond,
                                        const std::function<TypedValue()> &Then,
                                        const std::function<TypedValue()> &Else,
                                        SourceRange Site) {
  ir::OpId If = B.create(ir::OpKind::If, {Cond}, {}, 2);
  ir::RegionId R0 = F->op(If).Regions[0], R1 = F->op(If).Regions[1];
  ir::RegionId Saved = B.insertionRegion();
  B.setInsertionPointToEnd(R0);
  TypedValue A = Then();
  B.setInsertionPointToEnd(R1);
  TypedValue C = Else();
  B.setInsertionPointToEnd(Saved);
  if (!A.ok() || !C.ok())
    return bad();
  if (A.Ty.isNone() && C.Ty.isNone())
    return A; // None either way
  Type T = joinTypes(A.Ty, C.Ty);
  if (!T.isValid() || T.isNone()) {
    diag(DiagID::TypeMismatch, Site, {"`" + pyTypeName(A.Ty) + "` on both sides",
                                      pyTypeName(C.Ty)});
    return bad();
  }
  ir::ValueId Tmp = entrySlot(T, "");
  B.setInsertionPointToEnd(R0);
  B.store(convert(A, T, Site, "the result").V, Tmp);
  B.setInsertionPointToEnd(R1);
  B.store(convert(C, T, Site, "the result").V, Tmp);
  B.setInsertionPointToEnd(Saved);
  return {B.load(Tmp), T};
}

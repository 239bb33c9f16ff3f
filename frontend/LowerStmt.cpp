//===- LowerStmt.cpp - Statements to structured Kiln IR --------------------===//

#include "frontend/LowerImpl.h"
#include "llvm/Support/Casting.h"

using namespace kiln;
using namespace kiln::lower;
using llvm::dyn_cast;
using llvm::dyn_cast_or_null;
using llvm::isa;

/// Built-in exception classes a compiled function may raise.
/// Whether \p N is one of Python's builtin exceptions (kiln/exceptions.def).
bool lower::isBuiltinException(llvm::StringRef N) {
  static const char *Names[] = {
#define EXC(Name, Parent) #Name,
#include "kiln/exceptions.def"
  };
  for (const char *X : Names)
    if (N == X)
      return true;
  return false;
}

void FunctionLowerer::lowerRegion(ir::RegionId R, const ast::Body &Body) {
  inRegion(R, [&] { lowerBody(Body); });
}

void FunctionLowerer::lowerBody(const ast::Body &Body) {
  for (const ast::StmtPtr &S : Body) {
    // Statements after return/raise/break/continue never run.
    if (Terminated)
      return;
    if (Substitutable.count(S.get()))
      continue; // lowered where it is used (ForwardSubstitute.cpp)
    B.setLoc(S->Range.Begin);
    SubstitutedTrees.clear();
    lowerStmt(*S);
    SubstitutedTrees.clear();
  }
}

void FunctionLowerer::emitRaise(llvm::StringRef Exc, llvm::ArrayRef<ir::ValueId> Args) {
  ir::OpId O = B.create(ir::OpKind::Raise, Args, {});
  F->op(O).Attrs.set("exc", Exc.str());
  Terminated = true;
}

void FunctionLowerer::raiseIf(ir::ValueId Cond, llvm::StringRef Exc, llvm::StringRef Msg) {
  ir::OpId If = B.create(ir::OpKind::If, {Cond}, {}, 2);
  inRegion(F->op(If).Regions[0], [&] { emitRaiseMsg(Exc, Msg); });
}

void FunctionLowerer::raiseFmtIf(ir::ValueId Cond, llvm::StringRef Exc, const std::string &Fmt,
                                 llvm::ArrayRef<ir::ValueId> Args) {
  ir::OpId If = B.create(ir::OpKind::If, {Cond}, {}, 2);
  inRegion(F->op(If).Regions[0], [&] {
    emitRaise(Exc, Args);
    F->op(F->region(F->op(If).Regions[0]).Ops.back()).Attrs.set("fmt", Fmt);
  });
}

ir::ValueId FunctionLowerer::mathOp(llvm::StringRef Fn, llvm::ArrayRef<ir::ValueId> Operands,
                                    Type T) {
  ir::ValueId R = B.create1(ir::OpKind::Math, Operands, T);
  F->op(F->definingOp(R)).Attrs.set("fn", Fn.str());
  return R;
}

void FunctionLowerer::emitRaiseMsg(llvm::StringRef Exc, llvm::StringRef Msg) {
  ir::ValueId M = B.constStr(Msg);
  emitRaise(Exc, {M});
}

void FunctionLowerer::lowerStmt(const ast::Stmt &St) {
  switch (St.Kind) {
  case ast::StmtKind::Expr: {
    auto &E = static_cast<const ast::ExprStmt &>(St);
    if (isa<ast::StrLitExpr>(E.Value.get()))
      return; // a docstring
    lowerExpr(*E.Value);
    return;
  }
  case ast::StmtKind::Assign:
    return lowerAssign(static_cast<const ast::AssignStmt &>(St));
  case ast::StmtKind::AugAssign:
    return lowerAugAssign(static_cast<const ast::AugAssignStmt &>(St));
  case ast::StmtKind::AnnAssign:
    return lowerAnnAssign(static_cast<const ast::AnnAssignStmt &>(St));
  case ast::StmtKind::Return:
    return lowerReturn(static_cast<const ast::ReturnStmt &>(St));
  case ast::StmtKind::If:
    return lowerIf(static_cast<const ast::IfStmt &>(St));
  case ast::StmtKind::While:
    return lowerWhile(static_cast<const ast::WhileStmt &>(St));
  case ast::StmtKind::For:
    return lowerFor(static_cast<const ast::ForStmt &>(St));
  case ast::StmtKind::Break:
  case ast::StmtKind::Continue: {
    bool IsBreak = St.Kind == ast::StmtKind::Break;
    if (Loops.empty()) {
      diag(DiagID::BreakOutsideLoop, St.Range, {IsBreak ? "break" : "continue"});
      return;
    }
    if (IsBreak && Loops.back().BrokeFlag.isValid())
      B.store(B.constBool(true), Loops.back().BrokeFlag);
    if (IsBreak && Loops.back().StopFlag.isValid()) // leaves every loop of a generator
      B.store(B.constBool(true), Loops.back().StopFlag);
    B.create(IsBreak ? ir::OpKind::Break : ir::OpKind::Continue, {}, {});
    Terminated = true;
    return;
  }
  case ast::StmtKind::Del:
    for (const ast::ExprPtr &T : static_cast<const ast::DelStmt &>(St).Targets)
      lowerDel(*T);
    return;
  case ast::StmtKind::Pass:
    return;
  case ast::StmtKind::Raise:
    return lowerRaise(static_cast<const ast::RaiseStmt &>(St));
  case ast::StmtKind::Try:
    return lowerTry(static_cast<const ast::TryStmt &>(St));
  case ast::StmtKind::Assert:
    return lowerAssert(static_cast<const ast::AssertStmt &>(St));
  case ast::StmtKind::FunctionDef:
    diag(DiagID::Unsupported, St.Range, {"nested functions", "are"});
    return;
  case ast::StmtKind::Import:
  case ast::StmtKind::ImportFrom:
    diag(DiagID::Unsupported, St.Range, {"imports inside functions", "are"});
    return;
  case ast::StmtKind::Unsupported: {
    auto &U = static_cast<const ast::UnsupportedStmt &>(St);
    diag(DiagID::Unsupported, St.Range, {U.What, U.Verb});
    return;
  }
  }
}

void FunctionLowerer::assignTarget(const ast::Expr &Target, TypedValue V, SourceRange Site) {
  if (auto *N = dyn_cast<ast::NameExpr>(&Target)) {
    // Type errors point at the value assigned.
    assignVar(scopedName(N->Id), V, Site);
    return;
  }
  const std::vector<ast::ExprPtr> *Elts = nullptr;
  if (auto *T = dyn_cast<ast::TupleExpr>(&Target))
    Elts = &T->Elts;
  else if (auto *L = dyn_cast<ast::ListExpr>(&Target))
    Elts = &L->Elts;
  if (Elts) {
    if (!V.ok())
      return;
    if (!V.Ty.isTuple()) {
      diag(DiagID::TypeMismatch, Site, {"a tuple to unpack", pyTypeName(V.Ty)});
      return;
    }
    if (V.Ty.elements().size() != Elts->size()) {
      diag(DiagID::TupleArity, Site,
           {std::to_string(V.Ty.elements().size()), std::to_string(Elts->size())});
      return;
    }
    // Extract every element before assigning any, as Python does.
    std::vector<TypedValue> Parts;
    for (size_t I = 0; I < Elts->size(); ++I) {
      Type ET = V.Ty.elements()[I];
      ir::ValueId E = B.create1(ir::OpKind::TupleGet, {V.V}, ET);
      F->op(F->definingOp(E)).Attrs.set("index", (int64_t)I);
      Parts.push_back({E, ET});
    }
    for (size_t I = 0; I < Elts->size(); ++I)
      assignTarget(*(*Elts)[I], Parts[I], (*Elts)[I]->Range);
    return;
  }
  if (auto *Sub = dyn_cast<ast::SubscriptExpr>(&Target)) {
    if (staticListType(*Sub->Value).isValid())
      return assignListItem(*Sub, V, Site);
    if (staticDictType(*Sub->Value).isValid())
      return assignDictItem(*Sub, V, Site);
    assignSubscript(*Sub, V, Site);
    return;
  }
  if (isa<ast::AttributeExpr>(&Target)) {
    diag(DiagID::Unsupported, Target.Range, {"assignment to attributes", "is"});
    return;
  }
  diag(DiagID::BadAssignTarget, Target.Range, {"this expression"});
}

void FunctionLowerer::lowerAssign(const ast::AssignStmt &S) {
  // `a, b = b, a % b`: evaluate the right side's elements first, then assign
  // them in order, without building a tuple.
  const ast::TupleExpr *RT = dyn_cast<ast::TupleExpr>(S.Value.get());
  if (RT && S.Targets.size() == 1) {
    const std::vector<ast::ExprPtr> *LElts = nullptr;
    if (auto *LT = dyn_cast<ast::TupleExpr>(S.Targets[0].get()))
      LElts = &LT->Elts;
    else if (auto *LL = dyn_cast<ast::ListExpr>(S.Targets[0].get()))
      LElts = &LL->Elts;
    if (LElts && LElts->size() == RT->Elts.size()) {
      std::vector<TypedValue> Vals;
      for (auto &E : RT->Elts)
        Vals.push_back(lowerExpr(*E));
      for (size_t I = 0; I < Vals.size(); ++I)
        assignTarget(*(*LElts)[I], Vals[I], RT->Elts[I]->Range);
      return;
    }
  }
  if (S.Targets.size() == 1)
    if (auto *Sub = dyn_cast<ast::SubscriptExpr>(S.Targets[0].get());
        Sub && !staticListType(*Sub->Value).isValid() && !staticDictType(*Sub->Value).isValid()) {
      if (isArrayTarget(*Sub))
        // `a[1:-1] = expr`: computed straight into the view.
        return assignArraySubscript(*Sub, *S.Value, nullptr, S.Value->Range);
      if (isRowTarget(*Sub)) {
        // `out[i] = expr` on a 2-D array: computed straight into the row.
        if (ArrayExprPtr X = buildArrayExpr(*S.Value))
          assignSubscript(*Sub, *X, S.Value->Range);
        return;
      }
    }
  TypedValue V = lowerExpr(*S.Value);
  if (V.ok() && V.Ty.isList()) {
    // `b = a` and `b = a = []`: one list under several names, so one type.
    std::vector<std::string> Names;
    if (auto *From = dyn_cast<ast::NameExpr>(S.Value.get()))
      Names.push_back(scopedName(From->Id));
    for (auto &T : S.Targets)
      if (auto *To = dyn_cast<ast::NameExpr>(T.get()))
        Names.push_back(scopedName(To->Id));
    for (const std::string &A : Names)
      for (const std::string &Bn : Names)
        if (A != Bn)
          this->S.ListAliases[A].insert(Bn);
    if (S.Targets.size() > 1)
      FreshList = ir::ValueId(); // shared at once: never converted to a copy
  }
  for (auto &T : S.Targets)
    assignTarget(*T, V, S.Value->Range);
}

void FunctionLowerer::lowerAugAssign(const ast::AugAssignStmt &S) {
  auto *N = dyn_cast<ast::NameExpr>(S.Target.get());
  if (!N) {
    if (auto *Sub = dyn_cast<ast::SubscriptExpr>(S.Target.get());
        Sub && staticListType(*Sub->Value).isValid())
      augAssignListItem(S, *Sub);
    else if (auto *Sub = dyn_cast<ast::SubscriptExpr>(S.Target.get());
             Sub && staticDictType(*Sub->Value).isValid())
      augAssignDictItem(S, *Sub);
    else if (auto *Sub = dyn_cast<ast::SubscriptExpr>(S.Target.get()))
      augAssignSubscript(S, *Sub);
    else if (isa<ast::AttributeExpr>(S.Target.get()))
      diag(DiagID::Unsupported, S.Target->Range, {"assignment to attributes", "is"});
    else
      diag(DiagID::BadAssignTarget, S.Target->Range, {"this expression"});
    return;
  }
  TypedValue Cur = readVar(scopedName(N->Id), N->Range);
  if (Cur.ok() && Cur.Ty.isList() && S.Op == ast::BinOpKind::Add) {
    extendList(Cur, *N, *S.Value); // `xs += ys` extends xs in place
    return;
  }
  if (Cur.ok() && Cur.Ty.isArray()) {
    // `a += x` updates the array in place (the variable keeps it).
    return inPlaceOp(Cur, S.Op, *S.Value, N->Range, S.Range);
  }
  TypedValue R = lowerExpr(*S.Value);
  TypedValue V = binaryOp(S.Op, Cur, R, S.Value.get(), S.Range);
  assignVar(scopedName(N->Id), V, S.Range);
}

void FunctionLowerer::lowerAnnAssign(const ast::AnnAssignStmt &S) {
  auto *N = dyn_cast<ast::NameExpr>(S.Target.get());
  if (!N) {
    diag(DiagID::BadAssignTarget, S.Target->Range, {"this expression"});
    return;
  }
  Type T = resolveTypeExpr(*S.Annotation, diags());
  if (!T.isValid())
    return;
  if (!declareVar(N->Id, T, N->Range))
    return;
  if (S.Value)
    assignVar(N->Id, lowerExpr(*S.Value), S.Value->Range);
}

void FunctionLowerer::emitReturn(TypedValue V, SourceRange Site) {
  // A `return` ends its block whether or not its value is right: code after
  // it is skipped in both phases alike (emission lowering code inference
  // never saw widened its variables: found by fuzzing).
  emitReturnValue(V, Site);
  Terminated = true;
}

void FunctionLowerer::emitReturnValue(TypedValue V, SourceRange Site) {
  if (!V.ok())
    return;
  if (!S.RetFixed) {
    Type J = joinTypes(S.Ret, V.Ty);
    if (!J.isValid()) {
      if (emitting()) {
        diag(DiagID::ReturnTypeConflict, Site,
             {S.Def->Name, pyTypeName(V.Ty), pyTypeName(S.Ret)});
        diag(DiagID::NoteReturnedHere, S.RetSite, {pyTypeName(S.Ret)});
      }
      return;
    }
    if (J != S.Ret) {
      assert(!emitting() && "return type widened during emission");
      S.Ret = J;
      Changed = true;
    }
    if (!S.RetSite.isValid())
      S.RetSite = Site;
  }
  Type Ret = F->resultType();
  if (!emitting()) {
    B.create(ir::OpKind::Return, {}, {});
    return;
  }
  if (Ret.isNone()) {
    if (!V.Ty.isNone()) {
      diag(DiagID::TypeMismatch, Site, {"no return value", pyTypeName(V.Ty)});
      return;
    }
    B.create(ir::OpKind::Return, {}, {});
  } else {
    TypedValue C = convert(V, Ret, Site, "the return value");
    if (!C.ok())
      return;
    B.create(ir::OpKind::Return, {C.V}, {});
  }
}

void FunctionLowerer::lowerReturn(const ast::ReturnStmt &St) {
  if (!St.Value) {
    emitReturn({ir::ValueId(), Type::none()}, St.Range);
    return;
  }
  // Known before the value's type is: a recursive call may not be typed yet.
  if (!llvm::isa<ast::NoneLitExpr>(St.Value.get()))
    S.HasValueReturn = true;
  unsigned Errors = ML.Diags.errorCount();
  TypedValue V = lowerExpr(*St.Value);
  bool ValueOk = ML.Diags.errorCount() == Errors;
  emitReturn(V, St.Value->Range);
  if (!emitting() || !ValueOk || ML.Diags.errorCount() == Errors || !S.Def->Returns ||
      !S.RetFixed)
    return;
  // The value does not fit the declared return type: say where each type
  // came from. (Without an annotation, the conflict's note names the other
  // return.)
  noteTypeOrigins(*St.Value);
  diag(DiagID::NoteReturnTypeDeclared, S.Def->Returns->Range, {pyTypeName(S.Ret)});
}

void FunctionLowerer::noteTypeOrigins(const ast::Expr &E) {
  if (auto *N = dyn_cast<ast::NameExpr>(&E)) {
    auto It = S.Vars.find(N->Id);
    if (It != S.Vars.end() && It->second.FirstSite.isValid() && It->second.Ty.isValid())
      diag(DiagID::NoteAssignedHere, It->second.FirstSite, {N->Id, pyTypeName(It->second.Ty)});
    return;
  }
  if (auto *BO = dyn_cast<ast::BinOpExpr>(&E)) {
    noteTypeOrigins(*BO->LHS);
    noteTypeOrigins(*BO->RHS);
  }
}

void FunctionLowerer::lowerIf(const ast::IfStmt &St) {
  if (std::optional<bool> K = staticTruth(*St.Test)) {
    lowerBody(*K ? St.Then : St.OrElse);
    return;
  }
  TypedValue C = truthy(lowerExpr(*St.Test), St.Test->Range);
  // `if out is None:` is decided by types: only the branch that can run is
  // compiled (the other may use the variable as another type).
  if (std::optional<bool> K = staticCondition(*St.Test, C)) {
    lowerBody(*K ? St.Then : St.OrElse);
    return;
  }
  if (!C.ok())
    C = constBool(true); // keep lowering both branches to find more errors
  ir::OpId If = B.create(ir::OpKind::If, {C.V}, {}, 2);
  bool ThenTerm = false, ElseTerm = false;
  inRegion(F->op(If).Regions[0], [&] {
    lowerBody(St.Then);
    ThenTerm = Terminated;
  });
  inRegion(F->op(If).Regions[1], [&] {
    lowerBody(St.OrElse);
    ElseTerm = Terminated;
  });
  Terminated = ThenTerm && ElseTerm;
}

bool lower::hasOwnBreak(const ast::Body &Body) {
  for (const ast::StmtPtr &S : Body) {
    if (isa<ast::BreakStmt>(S.get()))
      return true;
    if (auto *I = dyn_cast<ast::IfStmt>(S.get()))
      if (hasOwnBreak(I->Then) || hasOwnBreak(I->OrElse))
        return true;
    // A nested loop's body breaks that loop, but its `else` clause runs
    // after it, in this loop.
    if (auto *W = dyn_cast<ast::WhileStmt>(S.get()); W && hasOwnBreak(W->OrElse))
      return true;
    if (auto *F = dyn_cast<ast::ForStmt>(S.get()); F && hasOwnBreak(F->OrElse))
      return true;
    if (auto *T = dyn_cast<ast::TryStmt>(S.get())) {
      if (hasOwnBreak(T->Stmts) || hasOwnBreak(T->OrElse) || hasOwnBreak(T->Finally))
        return true;
      for (const ast::TryStmt::Handler &H : T->Handlers)
        if (hasOwnBreak(H.Stmts))
          return true;
    }
  }
  return false;
}

static bool isConstTrue(const ast::Expr &E) {
  if (auto *B = dyn_cast<ast::BoolLitExpr>(&E))
    return B->Value;
  if (auto *I = dyn_cast<ast::IntLitExpr>(&E))
    return I->FitsInt64 && I->Value != 0;
  return false;
}

void FunctionLowerer::lowerWhile(const ast::WhileStmt &St) {
  LoopCtx Ctx;
  if (!St.OrElse.empty()) {
    Ctx.BrokeFlag = entrySlot(Type::boolean(), "broke");
    B.store(B.constBool(false), Ctx.BrokeFlag);
  }
  ir::OpId W = B.create(ir::OpKind::While, {}, {}, 2);
  inRegion(F->op(W).Regions[0], [&] {
    TypedValue C = truthy(lowerExpr(*St.Test), St.Test->Range);
    if (!C.ok())
      C = constBool(false);
    B.create(ir::OpKind::Condition, {C.V}, {});
  });
  Loops.push_back(Ctx);
  lowerRegion(F->op(W).Regions[1], St.Loop);
  Loops.pop_back();
  // `while True:` without a `break` only leaves through return or raise.
  if (isConstTrue(*St.Test) && !hasOwnBreak(St.Loop)) {
    Terminated = true;
    return;
  }
  if (!St.OrElse.empty()) {
    ir::ValueId Broke = B.load(Ctx.BrokeFlag);
    ir::ValueId NotBroke = B.create1(ir::OpKind::Not, {Broke}, Type::boolean());
    ir::OpId If = B.create(ir::OpKind::If, {NotBroke}, {}, 2);
    lowerRegion(F->op(If).Regions[0], St.OrElse);
  }
}

void FunctionLowerer::lowerFor(const ast::ForStmt &St) {
  auto *Call = dyn_cast<ast::CallExpr>(St.Iter.get());
  auto *Callee = Call ? dyn_cast<ast::NameExpr>(Call->Func.get()) : nullptr;
  // (A name imported from an unknown module shadows the builtin: lowered as
  // a call below, which reports the module.)
  bool IsRange = Callee && Callee->Id == "range" && !Locals.count("range") &&
                 !ML.lookupFunction("range") && !ML.unknownImport("range");
  bool IsEnumerate = Callee && Callee->Id == "enumerate" && !Locals.count("enumerate") &&
                     !ML.lookupFunction("enumerate") && !ML.unknownImport("enumerate") &&
                     Call->Args.size() == 1 && Call->Keywords.empty();
  bool IsZip = Callee && Callee->Id == "zip" && !Locals.count("zip") &&
               !ML.lookupFunction("zip") && !ML.unknownImport("zip") && Call->Args.size() >= 2 &&
               Call->Keywords.empty();
  if (auto *A = Call ? dyn_cast<ast::AttributeExpr>(Call->Func.get()) : nullptr;
      isa<ast::CompExpr>(St.Iter.get()) ||
      (A && (A->Attr == "items" || A->Attr == "keys" || A->Attr == "values") &&
       staticDictType(*A->Value).isValid())) { // a comprehension, a generator, d.items()
    if (auto Src = itemSource(*St.Iter))
      lowerForItems(St, *Src);
    return;
  }
  if ((IsZip || IsEnumerate) &&
      llvm::any_of(Call->Args, [&](const ast::ExprPtr &A) { return isListOperand(*A); })) {
    if (auto Src = itemSource(*St.Iter))
      lowerForItems(St, *Src);
    return;
  }
  if (IsZip) {
    // `for x, y in zip(a, b)`: the shortest array's length, as zip stops.
    auto *T = dyn_cast<ast::TupleExpr>(St.Target.get());
    if (!T || T->Elts.size() != Call->Args.size()) {
      diag(DiagID::Unsupported, St.Target->Range,
           {"`zip` targets other than one name per array", "are"});
      return;
    }
    std::vector<TypedValue> Arrays;
    for (auto &A : Call->Args) {
      TypedValue V = lowerExpr(*A);
      if (!V.ok())
        return;
      if (!V.Ty.isArray()) {
        diag(DiagID::BadForIter, A->Range, {"`zip` of anything but arrays"});
        return;
      }
      Arrays.push_back(V);
    }
    ir::ValueId N = arrayDim(Arrays[0].V, 0);
    for (size_t I = 1; I < Arrays.size(); ++I) {
      ir::ValueId D = arrayDim(Arrays[I].V, 0);
      N = B.create1(ir::OpKind::Select, {B.cmp("lt", D, N), D, N}, Type::int64());
    }
    emitForLoop(St, B.constInt(0), N, B.constInt(1), "i", [&](ir::ValueId IV) {
      for (size_t I = 0; I < Arrays.size(); ++I)
        assignTarget(*T->Elts[I], arrayElementOrView(Arrays[I], {IV}), T->Elts[I]->Range);
    });
    return;
  }
  if (Call && numpyCallee(*Call) == "ndindex") {
    // `for i, j in np.ndindex(n, m)` / `np.ndindex(a.shape)`: one loop over
    // the flat C-order position, each index taken from it (so that `break`
    // leaves the whole iteration, as in Python).
    std::vector<ir::ValueId> Dims;
    if (Call->Args.size() == 1) {
      auto D = shapeArg(*Call->Args[0]);
      if (!D)
        return;
      Dims = *D;
    } else {
      for (auto &A : Call->Args) {
        TypedValue V = lowerExpr(*A);
        if (V.ok() && !V.Ty.isInt()) {
          diag(DiagID::TypeMismatch, A->Range, {"an int extent", pyTypeName(V.Ty)});
          return;
        }
        if (!V.ok())
          return;
        Dims.push_back(V.V);
      }
    }
    if (Dims.empty() || !Call->Keywords.empty()) {
      diag(DiagID::Unsupported, Call->Range, {"this form of `np.ndindex`", "is"});
      return;
    }
    ir::ValueId Total = B.constInt(1);
    for (ir::ValueId D : Dims) {
      raiseIf(B.cmp("lt", D, B.constInt(0)), "ValueError", "negative dimensions are not allowed");
      Total = B.create1(ir::OpKind::Mul, {Total, D}, Type::int64());
    }
    emitForLoop(St, B.constInt(0), Total, B.constInt(1), "flat", [&](ir::ValueId IV) {
      std::vector<ir::ValueId> Idx(Dims.size());
      ir::ValueId Rem = IV;
      for (size_t K = Dims.size(); K-- > 0;) {
        ir::ValueId Q = B.create1(ir::OpKind::FloorDiv, {Rem, Dims[K]}, Type::int64());
        F->op(F->definingOp(Q)).Attrs.set("numpy", true);
        ir::ValueId Sub = B.create1(ir::OpKind::Mul, {Q, Dims[K]}, Type::int64());
        F->op(F->definingOp(Sub)).Attrs.set("numpy", true);
        Idx[K] = B.create1(ir::OpKind::Sub, {Rem, Sub}, Type::int64());
        F->op(F->definingOp(Idx[K])).Attrs.set("numpy", true);
        Rem = Q;
      }
      std::vector<Type> Tys(Dims.size(), Type::int64());
      Type TT = Type::tuple(Tys);
      assignTarget(*St.Target, {B.create1(ir::OpKind::TupleMake, Idx, TT), TT}, St.Target->Range);
    });
    return;
  }
  if (IsEnumerate || !Call) {
    // `for x in a` and `for i, x in enumerate(a)` over arrays.
    const ast::Expr &IterE = IsEnumerate ? *Call->Args[0] : *St.Iter;
    TypedValue It = lowerExpr(IterE);
    if (!It.ok())
      return;
    if (It.Ty.isTuple()) { // `for d in (1, 2, 4)`, `for dx, dy in ((0, 1), (1, 0))`
      TypedValue L = tupleAsList(It, IterE.Range);
      if (!L.ok())
        return;
      if (!IsEnumerate)
        return lowerForItems(St, *sourceOf(L));
      ItemSource S = *sourceOf(L);
      Type T = Type::tuple({Type::int64(), S.ItemType});
      ItemSource E = S;
      E.ItemType = T;
      E.Get = [this, S, T](ir::ValueId I) {
        return TypedValue{B.create1(ir::OpKind::TupleMake, {I, S.Get(I).V}, T), T};
      };
      return lowerForItems(St, E);
    }
    if ((It.Ty.isList() || It.Ty.isDict() || It.Ty.isSet()) && !IsEnumerate) {
      lowerForItems(St, *sourceOf(It));
      return;
    }
    if (It.Ty.isArray()) {
      if (!IsEnumerate) {
        lowerForArray(St, It, nullptr, *St.Target);
        return;
      }
      auto *T = dyn_cast<ast::TupleExpr>(St.Target.get());
      if (T && T->Elts.size() == 2) {
        lowerForArray(St, It, T->Elts[0].get(), *T->Elts[1]);
        return;
      }
      diag(DiagID::Unsupported, St.Target->Range,
           {"`enumerate` targets other than `i, x`", "are"});
      return;
    }
  }
  bool Shadowed = Callee &&
                  (Callee->Id == "range" || Callee->Id == "enumerate" || Callee->Id == "zip") &&
                  (ML.lookupFunction(Callee->Id) || ML.unknownImport(Callee->Id));
  if (Call && !IsRange && !IsEnumerate && !IsZip && !Shadowed &&
      !(Callee && Callee->Id == "range")) {
    // `for x in sorted(xs)`, `for k in d.keys()`, `for row in f(a)`: any
    // call whose value can be iterated.
    if (auto Src = itemSource(*St.Iter))
      lowerForItems(St, *Src);
    return;
  }
  if (!IsRange) {
    std::string What = "this kind of value";
    const ast::FunctionDefStmt *Shadow =
        Callee && (Callee->Id == "range" || Callee->Id == "enumerate" || Callee->Id == "zip")
            ? ML.lookupFunction(Callee->Id)
            : nullptr;
    if (Shadow)
      What = "the result of `" + Callee->Id + "(...)`, a call of this module's own `" +
             Callee->Id + "`,";
    else if (Callee)
      What = "`" + Callee->Id + "(...)`";
    else if (isa<ast::ListExpr>(St.Iter.get()))
      What = "lists";
    else if (isa<ast::TupleExpr>(St.Iter.get()))
      What = "tuples";
    else if (isa<ast::NameExpr>(St.Iter.get()))
      What = "`" + static_cast<const ast::NameExpr *>(St.Iter.get())->Id + "`";
    diag(DiagID::BadForIter, St.Iter->Range, {What});
    if (Shadow)
      diag(DiagID::NoteShadowsBuiltin, Shadow->NameRange, {Callee->Id});
    return;
  }
  auto *Target = dyn_cast<ast::NameExpr>(St.Target.get());
  if (!Target) {
    diag(DiagID::Unsupported, St.Target->Range, {"loop targets other than a single name", "are"});
    return;
  }
  if (!Call->Keywords.empty()) {
    diag(DiagID::BadKeyword, Call->Keywords[0].Range, {"range", Call->Keywords[0].Name});
    return;
  }
  size_t N = Call->Args.size();
  if (N < 1 || N > 3) {
    diag(DiagID::WrongArity, Call->Range, {"range", "1 to 3", std::to_string(N)});
    return;
  }
  std::vector<TypedValue> Args;
  for (auto &A : Call->Args) {
    TypedValue V = asIndex(lowerExpr(*A));
    if (V.ok() && !(V.Ty.isInt() || V.Ty.isBool())) {
      diag(DiagID::BadRangeArg, A->Range, {pyTypeName(V.Ty)});
      return;
    }
    Args.push_back(convert(V, Type::int64(), A->Range, "a `range()` argument"));
  }
  for (auto &A : Args)
    if (!A.ok())
      return;
  TypedValue Lo = N == 1 ? constInt(0) : Args[0];
  TypedValue Hi = N == 1 ? Args[0] : Args[1];
  TypedValue Step = N == 3 ? Args[2] : constInt(1);
  if (N == 3) {
    std::optional<int64_t> K = constIntValue(*Call->Args[2]);
    if (!K || *K == 0) {
      // range() with a zero step raises when it is called.
      raiseIf(B.cmp("eq", Step.V, B.constInt(0)), "ValueError", "range() arg 3 must not be zero");
    }
  }
  emitForLoop(St, Lo.V, Hi.V, Step.V, Target->Id, [&](ir::ValueId IV) {
    assignVar(Target->Id, {IV, Type::int64()}, Target->Range);
  });
}

void FunctionLowerer::emitForLoop(const ast::ForStmt &St, ir::ValueId Lo, ir::ValueId Hi,
                                  ir::ValueId Step, llvm::StringRef IVName,
                                  const std::function<void(ir::ValueId)> &Prologue) {
  LoopCtx Ctx;
  if (!St.OrElse.empty()) {
    Ctx.BrokeFlag = entrySlot(Type::boolean(), "broke");
    B.store(B.constBool(false), Ctx.BrokeFlag);
  }
  ir::OpId For = B.create(ir::OpKind::For, {Lo, Hi, Step}, {}, 1);
  ir::RegionId Body = F->op(For).Regions[0];
  ir::ValueId IV = F->addRegionArg(Body, Type::int64(), IVName.str());
  Loops.push_back(Ctx);
  inRegion(Body, [&] {
    Prologue(IV);
    lowerBody(St.Loop);
  });
  Loops.pop_back();
  lowerLoopElse(Ctx, St.OrElse);
}

void FunctionLowerer::lowerLoopElse(const LoopCtx &Ctx, const ast::Body &OrElse) {
  if (OrElse.empty())
    return;
  ir::ValueId Broke = B.load(Ctx.BrokeFlag);
  ir::ValueId NotBroke = B.create1(ir::OpKind::Not, {Broke}, Type::boolean());
  ir::OpId If = B.create(ir::OpKind::If, {NotBroke}, {}, 2);
  lowerRegion(F->op(If).Regions[0], OrElse);
}

void FunctionLowerer::lowerForArray(const ast::ForStmt &St, TypedValue A,
                                    const ast::Expr *IndexTarget, const ast::Expr &ElemTarget) {
  // Iterates over the first axis: elements of a 1-D array, rows otherwise.
  // The extent is read once, as NumPy's iterator does.
  ir::ValueId N = arrayDim(A.V, 0);
  emitForLoop(St, B.constInt(0), N, B.constInt(1), "i", [&](ir::ValueId IV) {
    if (IndexTarget)
      assignTarget(*IndexTarget, {IV, Type::int64()}, IndexTarget->Range);
    assignTarget(ElemTarget, arrayElementOrView(A, {IV}), ElemTarget.Range);
  });
}

/// The first `return`, `break` or `continue` in \p Body that would leave
/// a `try` statement around it (a loop nested in Body keeps its own break
/// and continue), or null.
static const ast::Stmt *leavesTry(const ast::Body &Body, bool InLoop = false) {
  for (const ast::StmtPtr &SP : Body) {
    const ast::Stmt *S = SP.get();
    if (isa<ast::ReturnStmt>(S) ||
        (!InLoop && (isa<ast::BreakStmt>(S) || isa<ast::ContinueStmt>(S))))
      return S;
    const ast::Stmt *Found = nullptr;
    if (auto *I = dyn_cast<ast::IfStmt>(S)) {
      if (!(Found = leavesTry(I->Then, InLoop)))
        Found = leavesTry(I->OrElse, InLoop);
    } else if (auto *W = dyn_cast<ast::WhileStmt>(S)) {
      if (!(Found = leavesTry(W->Loop, true)))
        Found = leavesTry(W->OrElse, InLoop);
    } else if (auto *F = dyn_cast<ast::ForStmt>(S)) {
      if (!(Found = leavesTry(F->Loop, true)))
        Found = leavesTry(F->OrElse, InLoop);
    } else if (auto *T = dyn_cast<ast::TryStmt>(S)) {
      Found = leavesTry(T->Stmts, InLoop);
      for (const ast::TryStmt::Handler &H : T->Handlers)
        if (!Found)
          Found = leavesTry(H.Stmts, InLoop);
      if (!Found)
        Found = leavesTry(T->OrElse, InLoop);
      if (!Found)
        Found = leavesTry(T->Finally, InLoop);
    }
    if (Found)
      return Found;
  }
  return nullptr;
}

/// The exception class names an `except` clause names (`E`, `(E1, E2)`),
/// joined by commas, "" for a bare `except:`; nullopt after a report.
std::optional<std::string> FunctionLowerer::exceptNames(const ast::Expr *Type) {
  if (!Type)
    return std::string();
  std::vector<const ast::Expr *> Parts;
  if (auto *T = dyn_cast<ast::TupleExpr>(Type)) {
    if (T->Elts.empty())
      return std::string("()"); // `except ():` catches nothing
    for (const ast::ExprPtr &X : T->Elts)
      Parts.push_back(X.get());
  } else {
    Parts.push_back(Type);
  }
  std::string Names;
  for (const ast::Expr *P : Parts) {
    auto *N = dyn_cast<ast::NameExpr>(P);
    if (!N || !isBuiltinException(N->Id) || Locals.count(N->Id)) {
      diag(DiagID::Unsupported, P->Range,
           {"catching this (compiled code raises Python's builtin exceptions: name them, "
            "e.g. `except (ValueError, ZeroDivisionError):`)",
            "is"});
      return std::nullopt;
    }
    Names += (Names.empty() ? "" : ",") + N->Id;
  }
  return Names;
}

bool FunctionLowerer::isCaughtName(const std::string &Name) const {
  return std::find(CaughtNames.begin(), CaughtNames.end(), Name) != CaughtNames.end();
}

void FunctionLowerer::lowerTry(const ast::TryStmt &St) {
  // `finally` runs on every way out; compiled code runs it on the normal
  // and the exceptional ones, not yet on return/break/continue.
  if (!St.Finally.empty()) {
    const ast::Stmt *Leave = leavesTry(St.Stmts);
    for (const ast::TryStmt::Handler &H : St.Handlers)
      if (!Leave)
        Leave = leavesTry(H.Stmts);
    if (!Leave)
      Leave = leavesTry(St.OrElse);
    if (Leave) {
      diag(DiagID::Unsupported, Leave->Range,
           {"`return`, `break` and `continue` out of a `try` that has a `finally`", "are"});
      return;
    }
  }
  ir::OpId T = B.create(ir::OpKind::Try, {}, {}, 4);
  std::vector<ir::RegionId> R = F->op(T).Regions;
  bool BodyTerm = false, AllHandlersTerm = true, FinallyTerm = false;
  inRegion(R[0], [&] {
    lowerBody(St.Stmts);
    BodyTerm = Terminated;
  });
  // `else` runs when the body completes.
  inRegion(R[2], [&] {
    if (!BodyTerm) {
      lowerBody(St.OrElse);
      BodyTerm = Terminated;
    }
  });
  inRegion(R[1], [&] {
    for (size_t HI = 0; HI < St.Handlers.size(); ++HI) {
      const ast::TryStmt::Handler &H = St.Handlers[HI];
      if (!H.Type && HI + 1 < St.Handlers.size()) {
        diag(DiagID::SyntaxError, H.Range, {"default 'except:' must be last"});
        continue;
      }
      std::optional<std::string> Names = exceptNames(H.Type.get());
      if (!Names)
        continue;
      B.setLoc(H.Range.Begin);
      ir::OpId C = B.create(ir::OpKind::Catch, {}, {}, 1);
      F->op(C).Attrs.set("exc", *Names);
      inRegion(F->op(C).Regions[0], [&] {
        CaughtNames.push_back(H.Name); // "" for a clause without `as`
        lowerBody(H.Stmts);
        CaughtNames.pop_back();
        AllHandlersTerm &= Terminated;
        // Python deletes `name` at the end of `except E as name:`.
        if (!Terminated && !H.Name.empty()) {
          ensureFlag(H.Name);
          if (auto FIt = FlagSlots.find(H.Name); FIt != FlagSlots.end())
            B.store(B.constBool(false), FIt->second);
        }
      });
    }
  });
  inRegion(R[3], [&] {
    ++FinallyDepth;
    lowerBody(St.Finally);
    --FinallyDepth;
    FinallyTerm = Terminated;
  });
  Terminated = FinallyTerm || (BodyTerm && AllHandlersTerm);
}

void FunctionLowerer::lowerRaise(const ast::RaiseStmt &St) {
  // `raise` in an `except` clause, or `raise e` for `except E as e`: the
  // exception being handled, again.
  auto *AsName = dyn_cast_or_null<ast::NameExpr>(St.Exc.get());
  if (!St.Exc || (AsName && isCaughtName(AsName->Id))) {
    if (FinallyDepth > 0 && !St.Exc) {
      diag(DiagID::Unsupported, St.Range,
           {"a bare `raise` inside a `finally` block (name the exception: `except E as e:` "
            "... `raise e`)",
            "is"});
      return;
    }
    if (CaughtNames.empty()) {
      diag(DiagID::Unsupported, St.Range,
           {"a bare `raise` outside an `except` clause (CPython: RuntimeError: No active "
            "exception to reraise)",
            "is"});
      return;
    }
    if (St.Cause) {
      diag(DiagID::Unsupported, St.Cause->Range, {"`raise ... from ...`", "is"});
      return;
    }
    // `raise e` names the exception of its clause, maybe an outer one.
    int64_t Depth = 0;
    if (St.Exc)
      while (CaughtNames[CaughtNames.size() - 1 - Depth] != AsName->Id)
        ++Depth;
    ir::OpId R = B.create(ir::OpKind::Reraise, {}, {});
    if (Depth)
      F->op(R).Attrs.set("depth", Depth);
    Terminated = true;
    return;
  }
  const ast::Expr *ExcE = St.Exc.get();
  const ast::CallExpr *Call = dyn_cast<ast::CallExpr>(ExcE);
  const ast::Expr *ClassE = Call ? Call->Func.get() : ExcE;
  auto *Name = dyn_cast<ast::NameExpr>(ClassE);
  if (!Name || !isBuiltinException(Name->Id) || Locals.count(Name->Id)) {
    diag(DiagID::BadRaise, ClassE->Range, {"this expression"});
    return;
  }
  std::vector<ir::ValueId> Args;
  if (Call) {
    if (!Call->Keywords.empty()) {
      diag(DiagID::BadKeyword, Call->Keywords[0].Range, {Name->Id, Call->Keywords[0].Name});
      return;
    }
    // raise E(f"bad value {x}"): one message from a template of numbers.
    if (Call->Args.size() == 1)
      if (auto *FS = dyn_cast<ast::FStringExpr>(Call->Args[0].get())) {
        std::optional<std::string> Fmt = raiseTemplate(*FS);
        if (!Fmt)
          return;
        std::vector<ir::ValueId> Vals;
        for (const ast::ExprPtr &X : FS->Fields) {
          TypedValue V = lowerExpr(*X);
          if (!V.ok())
            return;
          if (!V.Ty.isScalar() || V.Ty.isComplex() || V.Ty.isFloat32() ||
              V.Ty.kind() == TypeKind::UInt64) {
            diag(DiagID::Unsupported, X->Range,
                 {"f-string fields in exception messages other than int, float and bool (and "
                  "NumPy integers below 2**63)",
                  "are"});
            return;
          }
          if (V.Ty.isInteger() && V.Ty.isSized())
            V = castScalar(V, Type::int64(), X->Range);
          Vals.push_back(V.V);
        }
        emitRaise(Name->Id, Vals);
        F->op(F->region(B.insertionRegion()).Ops.back()).Attrs.set("fmt", *Fmt);
        return;
      }
    for (auto &A : Call->Args) {
      if (auto *S = dyn_cast<ast::StrLitExpr>(A.get())) {
        Args.push_back(B.constStr(S->Value));
        continue;
      }
      TypedValue V = lowerExpr(*A);
      if (!V.ok())
        return;
      if (!V.Ty.isScalar()) {
        diag(DiagID::BadExceptionArg, A->Range, {pyTypeName(V.Ty)});
        return;
      }
      Args.push_back(V.V);
    }
  }
  emitRaise(Name->Id, Args);
}

/// The runtime's message template for an f-string in `raise E(f"...")`:
/// fields as `{}` (a number's str is its repr), when it has no format spec
/// and its text no brace; nullopt after a report.
std::optional<std::string> FunctionLowerer::raiseTemplate(const ast::FStringExpr &FS) {
  std::string Out;
  const std::string &T = FS.Template;
  for (size_t I = 0; I < T.size(); ++I) {
    if (T[I] == '{' && I + 1 < T.size() && T[I + 1] != '{') {
      size_t Close = T.find('}', I);
      llvm::StringRef Field = llvm::StringRef(T).slice(I + 1, Close);
      if (!(Field.empty() || Field == "!r" || Field == "!s")) {
        diag(DiagID::Unsupported, FS.Range,
             {"format specs (`{x:.3f}`) in exception messages", "are"});
        return std::nullopt;
      }
      Out += "{}";
      I = Close;
      continue;
    }
    if (T[I] == '{' || T[I] == '}') {
      diag(DiagID::Unsupported, FS.Range, {"braces in the text of exception messages", "are"});
      return std::nullopt;
    }
    Out += T[I];
  }
  return Out;
}

void FunctionLowerer::lowerAssert(const ast::AssertStmt &St) {
  TypedValue C = truthy(lowerExpr(*St.Test), St.Test->Range);
  if (!C.ok())
    return;
  ir::ValueId Fails = B.create1(ir::OpKind::Not, {C.V}, Type::boolean());
  ir::OpId If = B.create(ir::OpKind::If, {Fails}, {}, 2);
  inRegion(F->op(If).Regions[0], [&] {
    std::vector<ir::ValueId> Args;
    if (St.Msg) {
      if (auto *S = dyn_cast<ast::StrLitExpr>(St.Msg.get())) {
        Args.push_back(B.constStr(S->Value));
      } else {
        TypedValue V = lowerExpr(*St.Msg);
        if (V.ok() && !V.Ty.isScalar()) {
          diag(DiagID::BadExceptionArg, St.Msg->Range, {pyTypeName(V.Ty)});
          return;
        }
        if (V.ok())
          Args.push_back(V.V);
      }
    }
    emitRaise("AssertionError", Args);
  });
}

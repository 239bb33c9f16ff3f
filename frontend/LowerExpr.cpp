//===- LowerExpr.cpp - Expressions to Kiln IR, with Python's typing rules --===//
//
// Each expression is lowered bottom-up and gets a type:
//   - arithmetic promotes bool -> int64 -> float64; `/` always gives float64;
//   - `int ** int` is int64 unless the exponent is a negative constant (then
//     float64, as `2 ** -1 == 0.5`); a negative exponent only known at run
//     time raises ValueError instead of silently changing type;
//   - `and`/`or` and conditional expressions evaluate lazily and give the
//     join of their operands' types;
//   - comparisons chain (`a < b < c` evaluates `b` once).
//
//===----------------------------------------------------------------------===//

#include "frontend/LowerImpl.h"
#include "llvm/Support/Casting.h"
#include <cmath>

using namespace kiln;
using namespace kiln::lower;
using llvm::dyn_cast;
using llvm::isa;

TypedValue FunctionLowerer::lowerExpr(const ast::Expr &E) {
  SourceLoc Saved = B.loc();
  B.setLoc(E.Range.Begin);
  TypedValue R;
  switch (E.Kind) {
  case ast::ExprKind::Name:
    R = lowerName(static_cast<const ast::NameExpr &>(E));
    break;
  case ast::ExprKind::IntLit:
    R = lowerIntLit(static_cast<const ast::IntLitExpr &>(E));
    break;
  case ast::ExprKind::FloatLit:
    R = constFloat(static_cast<const ast::FloatLitExpr &>(E).Value);
    break;
  case ast::ExprKind::BoolLit:
    R = constBool(static_cast<const ast::BoolLitExpr &>(E).Value);
    break;
  case ast::ExprKind::NoneLit:
    R = {ir::ValueId(), Type::none()};
    break;
  case ast::ExprKind::StrLit:
    diag(DiagID::Unsupported, E.Range, {"strings outside `raise`, `assert` and `print`", "are"});
    R = bad();
    break;
  case ast::ExprKind::FString:
    diag(DiagID::Unsupported, E.Range,
         {"f-strings outside `print()` and `raise E(...)` messages", "are"});
    R = bad();
    break;
  case ast::ExprKind::ImagLit:
    R = makeComplex(constFloat(0.0), constFloat(static_cast<const ast::ImagLitExpr &>(E).Imag),
                    E.Range);
    break;
  case ast::ExprKind::Ellipsis:
    diag(DiagID::Unsupported, E.Range, {"`...` outside subscripts", "is"});
    R = bad();
    break;
  case ast::ExprKind::BinOp:
    // Operators may involve arrays: lowered as element-wise expressions
    // (LowerArrayExpr.cpp), which fold scalar-only operands at once.
    if (auto &BE = static_cast<const ast::BinOpExpr &>(E);
        (BE.Op == ast::BinOpKind::Add || BE.Op == ast::BinOpKind::Mul) &&
        (isListOperand(*BE.LHS) || isListOperand(*BE.RHS)))
      R = lowerListBinOp(BE);
    else if ((BE.Op == ast::BinOpKind::BitOr || BE.Op == ast::BinOpKind::BitAnd ||
              BE.Op == ast::BinOpKind::Sub) &&
             (staticDictType(*BE.LHS).isSet() || isa<ast::SetExpr>(BE.LHS.get()) ||
              (isa<ast::CompExpr>(BE.LHS.get()) &&
               static_cast<const ast::CompExpr &>(*BE.LHS).IsSet)))
      R = lowerSetOperator(BE);
    else if (static_cast<const ast::BinOpExpr &>(E).Op == ast::BinOpKind::MatMul)
      R = lowerBinOp(static_cast<const ast::BinOpExpr &>(E));
    else
      R = lowerElementwise(E);
    break;
  case ast::ExprKind::Unary:
    if (static_cast<const ast::UnaryExpr &>(E).Op == ast::UnaryOpKind::Not)
      R = lowerUnary(static_cast<const ast::UnaryExpr &>(E));
    else
      R = lowerElementwise(E);
    break;
  case ast::ExprKind::BoolOp:
    R = lowerBoolOp(static_cast<const ast::BoolOpExpr &>(E));
    break;
  case ast::ExprKind::Compare:
    if (auto &CE = static_cast<const ast::CompareExpr &>(E);
        CE.Ops.size() == 1 && CE.Ops[0] != ast::CmpOpKind::In && CE.Ops[0] != ast::CmpOpKind::NotIn)
      R = lowerElementwise(E);
    else
      R = lowerCompare(static_cast<const ast::CompareExpr &>(E));
    break;
  case ast::ExprKind::IfExp:
    R = lowerIfExp(static_cast<const ast::IfExpExpr &>(E));
    break;
  case ast::ExprKind::Call: {
    // (np.outer takes exactly two arrays: any other call of it is lowered
    // as a call, which reports it, instead of recursing without end.)
    const auto &C = static_cast<const ast::CallExpr &>(E);
    std::string Fn = numpyCallee(C);
    if (Fn == "where" && C.Args.size() == 1 && C.Keywords.empty()) {
      // np.where(cond): np.nonzero(cond).
      TypedValue V = lowerArrayArg(*C.Args[0]);
      R = V.ok() ? nonzeroOf(V, "nonzero", E.Range) : bad();
    } else if (isPartCall(C)) {
      TypedValue V = lowerExpr(*C.Args[0]);
      R = V.ok() ? partOf(V, Fn == "imag", E.Range) : bad();
    } else if (isElementwiseFn(Fn) || (Fn == "outer" && C.Args.size() == 2 && C.Keywords.empty()) ||
        Fn == "linalg.norm" || Fn == "average" || isOrderStatistic(Fn) ||
        !ufuncMethod(C).first.empty() || Fn == "allclose" || Fn == "divmod" || Fn == "modf")
      R = lowerElementwise(E);
    else
      R = lowerCall(C);
    break;
  }
  case ast::ExprKind::Attribute:
    R = lowerAttribute(static_cast<const ast::AttributeExpr &>(E));
    break;
  case ast::ExprKind::Subscript:
    R = lowerSubscript(static_cast<const ast::SubscriptExpr &>(E));
    break;
  case ast::ExprKind::Tuple:
    R = lowerTuple(static_cast<const ast::TupleExpr &>(E));
    break;
  case ast::ExprKind::List:
    R = lowerListLiteral(static_cast<const ast::ListExpr &>(E));
    break;
  case ast::ExprKind::Comp:
    R = lowerComp(static_cast<const ast::CompExpr &>(E));
    break;
  case ast::ExprKind::Dict:
    R = lowerDictLiteral(static_cast<const ast::DictExpr &>(E));
    break;
  case ast::ExprKind::Lambda:
    diag(DiagID::Unsupported, E.Range,
         {"lambdas outside `key=` of `sort`, `sorted`, `min` and `max`", "are"});
    R = bad();
    break;
  case ast::ExprKind::Set:
    R = lowerSetLiteral(static_cast<const ast::SetExpr &>(E));
    break;
  case ast::ExprKind::Slice:
    diag(DiagID::Unsupported, E.Range, {"slices", "are"});
    R = bad();
    break;
  case ast::ExprKind::Unsupported: {
    auto &U = static_cast<const ast::UnsupportedExpr &>(E);
    diag(DiagID::Unsupported, E.Range, {U.What, U.Verb});
    R = bad();
    break;
  }
  }
  B.setLoc(Saved);
  return R;
}

TypedValue FunctionLowerer::lowerIntLit(const ast::IntLitExpr &E) {
  if (!E.FitsInt64) {
    diag(DiagID::IntLiteralTooLarge, E.Range, {E.Text});
    return bad();
  }
  return constInt(E.Value);
}

TypedValue FunctionLowerer::lowerName(const ast::NameExpr &E) {
  if (isCaughtName(E.Id)) {
    diag(DiagID::Unsupported, E.Range,
         {"using the exception object `" + E.Id + "` other than in `raise " + E.Id + "`", "is"});
    return bad();
  }
  if (std::string Id = scopedName(E.Id); Id != E.Id)
    return readVar(Id, E.Range); // a comprehension's variable
  if (auto It = SubstituteFor.find(E.Id); It != SubstituteFor.end() && isLocal(E.Id))
    return lowerExpr(*It->second);
  if (isLocal(E.Id))
    return readVar(E.Id, E.Range);
  return lowerGlobal(E.Id, E.Range);
}

TypedValue FunctionLowerer::lowerGlobal(const std::string &Name, SourceRange Site) {
  if (const std::string *Mod = ML.unknownImport(Name)) {
    diag(DiagID::UnsupportedModule, Site, {*Mod});
    return bad();
  }
  // A constant whose value is known is that value, computed as Python ran
  // the module (`DX = 1.0 / N` before `N` is bound again).
  if (const ir::AttrValue *C = ML.constValue(Name)) {
    if (auto *I = std::get_if<int64_t>(C))
      return constInt(*I);
    if (auto *D = std::get_if<double>(C))
      return constFloat(*D);
    if (auto *Bo = std::get_if<bool>(C))
      return constBool(*Bo);
  }
  if (const ast::Expr *G = ML.globalConstant(Name)) {
    // Otherwise the expression is compiled where it is used, which sees
    // the last binding of every name: wrong for one bound again later.
    std::string Again;
    walkExpr(G, [&](const ast::Expr &X) {
      if (auto *N = dyn_cast<ast::NameExpr>(&X); N && Again.empty() && ML.isRebound(N->Id))
        Again = N->Id;
    });
    if (!Again.empty()) {
      diag(DiagID::Unsupported, Site,
           {"module constants computed from a name the module binds twice (`" + Again +
                "`); give the two values different names",
            "are"});
      return bad();
    }
    if (ML.GlobalDepth > 16) {
      diag(DiagID::UndefinedName, Site, {Name});
      return bad();
    }
    if (isa<ast::ListExpr>(G) || isa<ast::CompExpr>(G) ||
        (isa<ast::BinOpExpr>(G) && (isa<ast::ListExpr>(static_cast<const ast::BinOpExpr *>(G)->LHS.get()) ||
                                    isa<ast::ListExpr>(static_cast<const ast::BinOpExpr *>(G)->RHS.get())))) {
      // One list shared by every call is module state, which compiled code
      // does not have yet.
      diag(DiagID::Unsupported, Site,
           {"module-level lists (use a tuple for constants, or pass the list as an argument)",
            "are"});
      return bad();
    }
    // A module constant's expression sees module names, not this function's.
    ++ML.GlobalDepth;
    bool Saved = ModuleScope;
    ModuleScope = true;
    TypedValue V = lowerExpr(*G);
    ModuleScope = Saved;
    --ML.GlobalDepth;
    if (V.ok() && (V.Ty.isList() || V.Ty.isDict() || V.Ty.isSet())) {
      // One container shared by every call is module state, which compiled
      // code does not have yet (it would be rebuilt at each read).
      diag(DiagID::Unsupported, Site,
           {"module-level lists, dicts and sets (use a tuple for constants, or pass it as an "
            "argument)",
            "are"});
      return bad();
    }
    return V;
  }
  if (auto *Imp = ML.fromImport(Name)) {
    if (Imp->first == "math" || Imp->first == "numpy") {
      const std::string &A = Imp->second;
      if (A == "pi")
        return constFloat(M_PI);
      if (A == "e")
        return constFloat(M_E);
      if (A == "tau")
        return constFloat(2 * M_PI);
      if (A == "inf")
        return constFloat(INFINITY);
      if (A == "nan")
        return constFloat(NAN);
    }
  }
  if (ML.lookupFunction(Name) || ML.fromImport(Name) || !ML.moduleAlias(Name).empty()) {
    diag(DiagID::Unsupported, Site, {"functions and modules as values", "are"});
    return bad();
  }
  diag(DiagID::UndefinedName, Site, {Name});
  return bad();
}

TypedValue FunctionLowerer::lowerAttribute(const ast::AttributeExpr &E) {
  if (auto *N = dyn_cast<ast::NameExpr>(E.Value.get()); N && !isLocal(N->Id)) {
    std::string Mod = ML.moduleAlias(N->Id);
    if (Mod == "math" || Mod == "numpy") {
      if (E.Attr == "pi")
        return constFloat(M_PI);
      if (E.Attr == "e")
        return constFloat(M_E);
      if (E.Attr == "tau" && Mod == "math")
        return constFloat(2 * M_PI);
      if (E.Attr == "inf")
        return constFloat(INFINITY);
      if (E.Attr == "nan")
        return constFloat(NAN);
    }
    if (!Mod.empty()) {
      diag(DiagID::Unsupported, E.Range, {"`" + N->Id + "." + E.Attr + "`", "is"});
      return bad();
    }
  }
  TypedValue V = lowerExpr(*E.Value);
  if (!V.ok())
    return bad();
  if (V.Ty.isArray())
    return lowerArrayAttribute(V, E);
  if (V.Ty.isScalar() && (E.Attr == "real" || E.Attr == "imag"))
    return partOf(V, E.Attr == "imag", E.Range);
  diag(DiagID::Unsupported, E.Range,
       {"attribute `." + E.Attr + "` of `" + pyTypeName(V.Ty) + "`", "is"});
  return bad();
}

TypedValue FunctionLowerer::lowerSubscript(const ast::SubscriptExpr &E) {
  TypedValue V = lowerExpr(*E.Value);
  if (!V.ok())
    return bad();
  if (V.Ty.isArray())
    return lowerArraySubscript(V, E);
  if (V.Ty.isList())
    return listSubscript(V, E);
  if (V.Ty.isDict() || V.Ty.isSet())
    return dictSubscript(V, E);
  if (!V.Ty.isTuple()) {
    diag(DiagID::Unsupported, E.Range, {"subscripts of `" + pyTypeName(V.Ty) + "`", "are"});
    return bad();
  }
  int64_t N = V.Ty.elements().size();
  std::optional<int64_t> K = constIntValue(*E.Index);
  if (!K && !isa<ast::SliceExpr>(E.Index.get())) {
    // `t[i]` of a tuple of one item type: its items as a list.
    TypedValue L = tupleAsList(V, E.Value->Range);
    if (!L.ok())
      return bad();
    ir::ValueId I = listIndex(L, *E.Index, "tuple index out of range");
    if (!I.isValid())
      return bad();
    return listItem(L, I);
  }
  if (!K || *K < -N || *K >= N) {
    diag(DiagID::TupleIndex, E.Index->Range, {std::to_string(-N), std::to_string(N - 1)});
    return bad();
  }
  int64_t I = *K < 0 ? *K + N : *K;
  ir::ValueId R = B.create1(ir::OpKind::TupleGet, {V.V}, V.Ty.elements()[I]);
  F->op(F->definingOp(R)).Attrs.set("index", I);
  return {R, V.Ty.elements()[I]};
}

TypedValue FunctionLowerer::lowerTuple(const ast::TupleExpr &E) {
  // A tuple is a value in registers, passed and returned whole: LLVM's
  // aggregate handling grows quadratically with its size (4000 elements took
  // two minutes and 3 GB to compile).
  if (E.Elts.size() > MaxTupleElements) {
    diag(DiagID::TupleTooLarge, E.Range,
         {std::to_string(E.Elts.size()), std::to_string(MaxTupleElements)});
    return bad();
  }
  std::vector<ir::ValueId> Vals;
  std::vector<Type> Tys;
  bool Ok = true;
  for (auto &X : E.Elts) {
    TypedValue V = lowerExpr(*X);
    if (V.ok() && V.Ty.isNone()) {
      diag(DiagID::TypeMismatch, X->Range, {"a value", "None"});
      Ok = false;
      continue;
    }
    Ok &= V.ok();
    Vals.push_back(V.V);
    Tys.push_back(V.Ty);
  }
  if (!Ok)
    return bad();
  Type T = Type::tuple(Tys);
  return {B.create1(ir::OpKind::TupleMake, Vals, T), T};
}

//===----------------------------------------------------------------------===//
// Operators
//===----------------------------------------------------------------------===//

TypedValue FunctionLowerer::lowerBinOp(const ast::BinOpExpr &E) {
  TypedValue L = lowerExpr(*E.LHS);
  TypedValue R = lowerExpr(*E.RHS);
  return binaryOp(E.Op, L, R, E.RHS.get(), E.Range);
}

ir::OpKind lower::arithKind(ast::BinOpKind Op) {
  switch (Op) {
  case ast::BinOpKind::Add:
    return ir::OpKind::Add;
  case ast::BinOpKind::Sub:
    return ir::OpKind::Sub;
  case ast::BinOpKind::Mul:
    return ir::OpKind::Mul;
  case ast::BinOpKind::Div:
    return ir::OpKind::Div;
  case ast::BinOpKind::FloorDiv:
    return ir::OpKind::FloorDiv;
  case ast::BinOpKind::Mod:
    return ir::OpKind::Mod;
  case ast::BinOpKind::Pow:
    return ir::OpKind::Pow;
  case ast::BinOpKind::BitAnd:
    return ir::OpKind::BitAnd;
  case ast::BinOpKind::BitOr:
    return ir::OpKind::BitOr;
  case ast::BinOpKind::BitXor:
    return ir::OpKind::BitXor;
  case ast::BinOpKind::LShift:
    return ir::OpKind::Shl;
  case ast::BinOpKind::RShift:
    return ir::OpKind::Shr;
  case ast::BinOpKind::MatMul:
    break;
  }
  return ir::OpKind::Add;
}

TypedValue FunctionLowerer::binaryOp(ast::BinOpKind Op, TypedValue L, TypedValue R,
                                     const ast::Expr *RHSExpr, SourceRange Site) {
  if (!L.ok() || !R.ok())
    return bad();
  auto Bad = [&] {
    diag(DiagID::BadOperandTypes, Site, {ast::spelling(Op), pyTypeName(L.Ty), pyTypeName(R.Ty)});
    return bad();
  };
  if (Op == ast::BinOpKind::MatMul)
    return lowerMatMul(L, R, Site, /*IsDot=*/false);
  // Tuple concatenation.
  if (Op == ast::BinOpKind::Add && L.Ty.isTuple() && R.Ty.isTuple()) {
    std::vector<ir::ValueId> Vals;
    std::vector<Type> Tys;
    for (TypedValue T : {L, R})
      for (size_t I = 0; I < T.Ty.elements().size(); ++I) {
        ir::ValueId E = B.create1(ir::OpKind::TupleGet, {T.V}, T.Ty.elements()[I]);
        F->op(F->definingOp(E)).Attrs.set("index", (int64_t)I);
        Vals.push_back(E);
        Tys.push_back(T.Ty.elements()[I]);
      }
    Type TT = Type::tuple(Tys);
    return {B.create1(ir::OpKind::TupleMake, Vals, TT), TT};
  }
  if (!L.Ty.isScalar() || !R.Ty.isScalar())
    return Bad();
  if (L.Ty.isSized() || R.Ty.isSized())
    return sizedBinaryOp(Op, L, R, Site);
  if (L.Ty.isComplex() || R.Ty.isComplex())
    return complexBinaryOp(Op, L, R, Site);
  Type Joined = joinTypes(L.Ty, R.Ty);
  Type Num = Joined.isBool() ? Type::int64() : Joined; // arithmetic on bools gives ints
  switch (Op) {
  case ast::BinOpKind::Add:
  case ast::BinOpKind::Sub:
  case ast::BinOpKind::Mul:
  case ast::BinOpKind::FloorDiv:
  case ast::BinOpKind::Mod: {
    TypedValue A = convert(L, Num, Site, "an operand"), C = convert(R, Num, Site, "an operand");
    return {B.create1(arithKind(Op), {A.V, C.V}, Num), Num};
  }
  case ast::BinOpKind::Div: {
    Type F64 = Type::float64();
    if (!L.Ty.isFloat() && !R.Ty.isFloat()) {
      // int / int is rounded once from the exact quotient, as in CPython
      // (converting operands above 2**53 to float first would round twice).
      TypedValue A = convert(L, Type::int64(), Site, "an operand");
      TypedValue C = convert(R, Type::int64(), Site, "an operand");
      raiseIf(B.cmp("eq", C.V, B.constInt(0)), "ZeroDivisionError", "division by zero");
      return {mathOp("int_truediv", {A.V, C.V}, F64), F64};
    }
    TypedValue A = convert(L, F64, Site, "an operand"), C = convert(R, F64, Site, "an operand");
    return {B.create1(ir::OpKind::Div, {A.V, C.V}, F64), F64};
  }
  case ast::BinOpKind::Pow: {
    Type T = Num;
    if (T.isInt()) {
      std::optional<int64_t> K = RHSExpr ? constIntValue(*RHSExpr) : std::nullopt;
      if (K && *K < 0)
        T = Type::float64(); // 2 ** -1 == 0.5
    }
    TypedValue A = convert(L, T, Site, "an operand"), C = convert(R, T, Site, "an operand");
    return {B.create1(ir::OpKind::Pow, {A.V, C.V}, T), T};
  }
  case ast::BinOpKind::BitAnd:
  case ast::BinOpKind::BitOr:
  case ast::BinOpKind::BitXor: {
    if (Joined.isFloat())
      return Bad();
    TypedValue A = convert(L, Joined, Site, "an operand"), C = convert(R, Joined, Site, "an operand");
    return {B.create1(arithKind(Op), {A.V, C.V}, Joined), Joined};
  }
  case ast::BinOpKind::LShift:
  case ast::BinOpKind::RShift: {
    if (Joined.isFloat())
      return Bad();
    TypedValue A = convert(L, Type::int64(), Site, "an operand"),
               C = convert(R, Type::int64(), Site, "an operand");
    return {B.create1(arithKind(Op), {A.V, C.V}, Type::int64()), Type::int64()};
  }
  case ast::BinOpKind::MatMul:
    break;
  }
  return Bad();
}

TypedValue FunctionLowerer::lowerUnary(const ast::UnaryExpr &E) {
  TypedValue V = lowerExpr(*E.Operand);
  if (!V.ok())
    return bad();
  if (E.Op == ast::UnaryOpKind::Not) {
    TypedValue C = truthy(V, E.Operand->Range);
    if (!C.ok())
      return bad();
    return {B.create1(ir::OpKind::Not, {C.V}, Type::boolean()), Type::boolean()};
  }
  return unaryOp(E.Op, V, E.Range);
}

TypedValue FunctionLowerer::unaryOp(ast::UnaryOpKind Op, TypedValue V, SourceRange Site) {
  if (!V.ok())
    return bad();
  if (!V.Ty.isScalar()) {
    diag(DiagID::BadUnaryOperand, Site, {ast::spelling(Op), pyTypeName(V.Ty)});
    return bad();
  }
  Type Num = V.Ty.isBool() ? Type::int64() : V.Ty;
  TypedValue N = convert(V, Num, Site, "the operand");
  switch (Op) {
  case ast::UnaryOpKind::Pos:
    return N;
  case ast::UnaryOpKind::Neg: {
    ir::ValueId R = B.create1(ir::OpKind::Neg, {N.V}, Num);
    if (Num.isSized()) // NumPy's negative wraps
      F->op(F->definingOp(R)).Attrs.set("numpy", true);
    return {R, Num};
  }
  case ast::UnaryOpKind::Invert:
    if (Num.isFloating() || Num.isComplex()) {
      diag(DiagID::BadUnaryOperand, Site, {"~", pyTypeName(V.Ty)});
      return bad();
    }
    return {B.create1(ir::OpKind::Invert, {N.V}, Num), Num};
  case ast::UnaryOpKind::Not:
    break;
  }
  return bad();
}

TypedValue FunctionLowerer::lowerAndOr(const ast::BoolOpExpr &E, size_t I) {
  // `x is not None and x > 0` for a None `x`: the rest never runs, so it is
  // not compiled (it may use `x` as a number).
  if (std::optional<bool> K = staticTruth(*E.Values[I]); K && I + 1 < E.Values.size()) {
    if (*K != E.IsAnd)
      return constBool(*K);
    return lowerAndOr(E, I + 1);
  }
  TypedValue V = lowerExpr(*E.Values[I]);
  if (I + 1 == E.Values.size() || !V.ok())
    return V;
  TypedValue C = truthy(V, E.Values[I]->Range);
  if (!C.ok())
    return bad();
  auto Rest = [&] { return lowerAndOr(E, I + 1); };
  auto Self = [&] { return V; };
  // `a and b` is `b if a else a`; `a or b` is `a if a else b`.
  if (E.IsAnd)
    return branchValue(C.V, Rest, Self, E.Range);
  return branchValue(C.V, Self, Rest, E.Range);
}

TypedValue FunctionLowerer::lowerBoolOp(const ast::BoolOpExpr &E) {
  return lowerAndOr(E, 0);
}

static const char *predName(ast::CmpOpKind Op) {
  switch (Op) {
  case ast::CmpOpKind::Lt:
    return "lt";
  case ast::CmpOpKind::Le:
    return "le";
  case ast::CmpOpKind::Gt:
    return "gt";
  case ast::CmpOpKind::Ge:
    return "ge";
  case ast::CmpOpKind::Eq:
    return "eq";
  case ast::CmpOpKind::Ne:
    return "ne";
  case ast::CmpOpKind::In:
  case ast::CmpOpKind::NotIn:
  case ast::CmpOpKind::Is:
  case ast::CmpOpKind::IsNot:
    break;
  }
  return nullptr;
}

TypedValue FunctionLowerer::compare(ast::CmpOpKind Op, TypedValue L, TypedValue R,
                                    SourceRange Site) {
  if (!L.ok() || !R.ok())
    return bad();
  if ((Op == ast::CmpOpKind::Eq || Op == ast::CmpOpKind::Ne) &&
      ((L.Ty.isList() && R.Ty.isList()) || (L.Ty.isSet() && R.Ty.isSet()) ||
       (L.Ty.isDict() && R.Ty.isDict()))) {
    TypedValue Same = containersEqual(L, R, Site);
    if (!Same.ok() || Op == ast::CmpOpKind::Eq)
      return Same;
    return {B.create1(ir::OpKind::Not, {Same.V}, Type::boolean()), Type::boolean()};
  }
  if ((R.Ty.isList() || R.Ty.isTuple() || R.Ty.isDict() || R.Ty.isSet()) &&
      (Op == ast::CmpOpKind::In || Op == ast::CmpOpKind::NotIn)) {
    TypedValue Found = R.Ty.isList()    ? listContains(L, R, Site)
                       : R.Ty.isTuple() ? tupleContains(L, R, Site)
                                        : dictContains(L, R, Site);
    if (!Found.ok() || Op == ast::CmpOpKind::In)
      return Found;
    return {B.create1(ir::OpKind::Not, {Found.V}, Type::boolean()), Type::boolean()};
  }
  if (Op == ast::CmpOpKind::Is || Op == ast::CmpOpKind::IsNot) {
    // Only None has identity here, and a value's type says whether it is
    // None: known at compile time.
    if (L.Ty.isNone() || R.Ty.isNone())
      return constBool((L.Ty.isNone() && R.Ty.isNone()) == (Op == ast::CmpOpKind::Is));
    diag(DiagID::Unsupported, Site,
         {std::string("`") + ast::spelling(Op) + "` between values other than None (compare "
                                                  "numbers with `==`)",
          "is"});
    return bad();
  }
  const char *Pred = predName(Op);
  if (!Pred) {
    diag(DiagID::Unsupported, Site, {std::string("`") + ast::spelling(Op) + "` comparisons", "are"});
    return bad();
  }
  if (L.Ty.isTuple() && R.Ty.isTuple() && (Op == ast::CmpOpKind::Eq || Op == ast::CmpOpKind::Ne)) {
    bool Eq = Op == ast::CmpOpKind::Eq;
    if (L.Ty.elements().size() != R.Ty.elements().size())
      return constBool(!Eq);
    TypedValue All = constBool(true);
    for (size_t I = 0; I < L.Ty.elements().size(); ++I) {
      ir::ValueId A = B.create1(ir::OpKind::TupleGet, {L.V}, L.Ty.elements()[I]);
      F->op(F->definingOp(A)).Attrs.set("index", (int64_t)I);
      ir::ValueId C = B.create1(ir::OpKind::TupleGet, {R.V}, R.Ty.elements()[I]);
      F->op(F->definingOp(C)).Attrs.set("index", (int64_t)I);
      TypedValue E = compare(ast::CmpOpKind::Eq, {A, L.Ty.elements()[I]},
                             {C, R.Ty.elements()[I]}, Site);
      if (!E.ok())
        return bad();
      All = {B.create1(ir::OpKind::BitAnd, {All.V, E.V}, Type::boolean()), Type::boolean()};
    }
    if (Eq)
      return All;
    return {B.create1(ir::OpKind::Not, {All.V}, Type::boolean()), Type::boolean()};
  }
  if (!L.Ty.isScalar() || !R.Ty.isScalar()) {
    diag(DiagID::BadOperandTypes, Site, {ast::spelling(Op), pyTypeName(L.Ty), pyTypeName(R.Ty)});
    return bad();
  }
  if ((L.Ty.isComplex() || R.Ty.isComplex()) && Op != ast::CmpOpKind::Eq &&
      Op != ast::CmpOpKind::Ne) {
    diag(DiagID::BadOperandTypes, Site, {ast::spelling(Op), pyTypeName(L.Ty), pyTypeName(R.Ty)});
    return bad();
  }
  if (L.Ty.isSized() || R.Ty.isSized() || L.Ty.isComplex() || R.Ty.isComplex())
    return sizedCompare(Pred, L, R, Site);
  if (L.Ty.isInt() && R.Ty.isFloat() && !isSmallIntConst(L.V))
    return compareIntFloat(Pred, L.V, R.V, /*Swapped=*/false);
  if (L.Ty.isFloat() && R.Ty.isInt() && !isSmallIntConst(R.V))
    return compareIntFloat(Pred, R.V, L.V, /*Swapped=*/true);
  Type T = joinTypes(L.Ty, R.Ty);
  TypedValue A = convert(L, T, Site, "an operand"), C = convert(R, T, Site, "an operand");
  return {B.cmp(Pred, A.V, C.V), Type::boolean()};
}

bool FunctionLowerer::isSmallIntConst(ir::ValueId V) {
  ir::OpId D = F->definingOp(V);
  if (!D.isValid() || F->op(D).Kind != ir::OpKind::Const)
    return false;
  int64_t C = F->op(D).Attrs.getInt("value");
  return C >= -(int64_t(1) << 53) && C <= (int64_t(1) << 53);
}

/// Compares int64 \p I with float64 \p X exactly, as CPython does: converting
/// I to float64 may round (above 2**53), so when the rounded value equals X,
/// the comparison is redone on integers.
TypedValue FunctionLowerer::compareIntFloat(llvm::StringRef Pred, ir::ValueId I, ir::ValueId X,
                                            bool Swapped) {
  // With the operands swapped, `x < i` is `i > x`.
  std::string P = Pred.str();
  if (Swapped)
    P = P == "lt" ? "gt" : P == "gt" ? "lt" : P == "le" ? "ge" : P == "ge" ? "le" : P;
  ir::ValueId IF = B.cast(I, Type::float64());
  ir::ValueId Same = B.cmp("eq", IF, X);
  return branchValue(
      Same,
      [&]() -> TypedValue {
        // X is integral here. 2**63 is the only such value outside int64.
        ir::ValueId Big = B.cmp("ge", X, B.constFloat(9223372036854775808.0));
        bool IfBig = P == "lt" || P == "le" || P == "ne";
        return branchValue(
            Big, [&] { return constBool(IfBig); },
            [&]() -> TypedValue {
              return {B.cmp(P, I, B.cast(X, Type::int64())), Type::boolean()};
            },
            SourceRange());
      },
      [&]() -> TypedValue { return {B.cmp(P, IF, X), Type::boolean()}; }, SourceRange());
}

TypedValue FunctionLowerer::lowerChain(const ast::CompareExpr &E, size_t I, TypedValue Left) {
  TypedValue Right = lowerExpr(*E.Comparators[I]);
  TypedValue C = compare(E.Ops[I], Left, Right, E.Range);
  if (I + 1 == E.Ops.size() || !C.ok())
    return C;
  // `a < b < c` is `a < b and b < c`, evaluating `b` once.
  return branchValue(
      C.V, [&] { return lowerChain(E, I + 1, Right); }, [&] { return constBool(false); },
      E.Range);
}

TypedValue FunctionLowerer::lowerCompare(const ast::CompareExpr &E) {
  return lowerChain(E, 0, lowerExpr(*E.Left));
}

/// Whether \p E tests for None (`x is None`, `not (y is not None)`, and
/// `and`/`or` of such tests): conditions that types decide.
static bool testsForNone(const ast::Expr &E) {
  if (auto *C = dyn_cast<ast::CompareExpr>(&E))
    return std::any_of(C->Ops.begin(), C->Ops.end(), [](ast::CmpOpKind K) {
      return K == ast::CmpOpKind::Is || K == ast::CmpOpKind::IsNot;
    });
  if (auto *U = dyn_cast<ast::UnaryExpr>(&E))
    return U->Op == ast::UnaryOpKind::Not && testsForNone(*U->Operand);
  if (auto *BO = dyn_cast<ast::BoolOpExpr>(&E))
    return std::all_of(BO->Values.begin(), BO->Values.end(),
                       [](const ast::ExprPtr &V) { return testsForNone(*V); });
  return false;
}

std::optional<bool> FunctionLowerer::staticTruth(const ast::Expr &E) {
  if (auto *C = dyn_cast<ast::CompareExpr>(&E)) {
    if (C->Ops.size() != 1 ||
        (C->Ops[0] != ast::CmpOpKind::Is && C->Ops[0] != ast::CmpOpKind::IsNot))
      return std::nullopt;
    // Whether an operand is None, when its type says so without lowering
    // it: the None literal, or a local variable that is surely bound.
    auto IsNone = [&](const ast::Expr &X) -> std::optional<bool> {
      if (isa<ast::NoneLitExpr>(&X))
        return true;
      auto *N = dyn_cast<ast::NameExpr>(&X);
      if (!N)
        return std::nullopt;
      std::string Id = scopedName(N->Id);
      if ((Id == N->Id && !isLocal(N->Id)) || NeedFlags.count(Id))
        return std::nullopt;
      auto It = S.Vars.find(Id);
      if (It == S.Vars.end() || !It->second.Ty.isValid())
        return std::nullopt;
      return It->second.Ty.isNone();
    };
    std::optional<bool> L = IsNone(*C->Left), R = IsNone(*C->Comparators[0]);
    if (!L || !R || (!*L && !*R))
      return std::nullopt;
    return (*L && *R) == (C->Ops[0] == ast::CmpOpKind::Is);
  }
  if (auto *U = dyn_cast<ast::UnaryExpr>(&E); U && U->Op == ast::UnaryOpKind::Not) {
    std::optional<bool> K = staticTruth(*U->Operand);
    return K ? std::optional<bool>(!*K) : std::nullopt;
  }
  if (auto *BO = dyn_cast<ast::BoolOpExpr>(&E)) {
    // `and` is false at its first false operand, `or` true at its first
    // true one; an operand known only at run time before that decides.
    for (const ast::ExprPtr &V : BO->Values) {
      std::optional<bool> K = staticTruth(*V);
      if (!K)
        return std::nullopt;
      if (*K != BO->IsAnd)
        return *K;
    }
    return BO->IsAnd;
  }
  return std::nullopt;
}

std::optional<bool> FunctionLowerer::staticCondition(const ast::Expr &Test, TypedValue C) {
  if (!C.ok() || !C.V.isValid() || !testsForNone(Test))
    return std::nullopt;
  ir::OpId Def = F->definingOp(C.V);
  if (!Def.isValid())
    return std::nullopt; // a parameter
  const auto &O = F->op(Def);
  if (O.Kind != ir::OpKind::Const)
    return std::nullopt;
  const ir::AttrValue *V = O.Attrs.get("value");
  if (!V || !std::holds_alternative<bool>(*V))
    return std::nullopt;
  return std::get<bool>(*V);
}

TypedValue FunctionLowerer::lowerIfExp(const ast::IfExpExpr &E) {
  if (std::optional<bool> K = staticTruth(*E.Test))
    return lowerExpr(*K ? *E.Body : *E.OrElse);
  TypedValue C = truthy(lowerExpr(*E.Test), E.Test->Range);
  if (!C.ok())
    return bad();
  // `x if y is None else z`: only the branch that can run is compiled.
  if (std::optional<bool> K = staticCondition(*E.Test, C))
    return lowerExpr(*K ? *E.Body : *E.OrElse);
  return branchValue(
      C.V, [&] { return lowerExpr(*E.Body); }, [&] { return lowerExpr(*E.OrElse); }, E.Range);
}

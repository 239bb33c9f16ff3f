//===- LowerArrayFunctions.cpp - NumPy functions that move elements -------===//
//
// np.cumsum, np.cumprod (and ufunc.accumulate), np.diff, np.concatenate,
// np.stack, np.hstack, np.vstack, np.roll, np.tile, np.repeat and np.sort:
// new arrays filled through views of their operands, in loops written here.
//
//===----------------------------------------------------------------------===//

#include "frontend/ArrayHelpers.h"
#include "llvm/Support/Casting.h"

using namespace kiln;
using namespace kiln::lower;
using llvm::dyn_cast;
using llvm::isa;
using Kind = ArrayExpr::Kind;

//===----------------------------------------------------------------------===//
// Array functions that move elements: cumsum, diff, concatenate, roll...
//===----------------------------------------------------------------------===//

std::optional<unsigned> FunctionLowerer::axisArg(const ast::Expr *AxisE, unsigned N) {
  std::optional<int64_t> K = constIntValue(*AxisE);
  if (!K) {
    diag(DiagID::AxisNotConstant, AxisE->Range);
    return std::nullopt;
  }
  if (*K < -(int64_t)N || *K >= (int64_t)N) {
    diag(DiagID::AxisOutOfRange, AxisE->Range, {std::to_string(*K), std::to_string(N)});
    return std::nullopt;
  }
  return (unsigned)(*K < 0 ? *K + N : *K);
}

/// A view of \p A with axis \p Axis cut to [Start, Start + Len).
static ir::ValueId axisWindow(ir::Builder &B, ir::Function &F, TypedValue A, unsigned Axis,
                              ir::ValueId Start, ir::ValueId Len, bool KeepC) {
  IntOps I{B, F};
  std::vector<ir::ValueId> Ext, Str;
  for (unsigned K = 0; K < A.Ty.ndim(); ++K) {
    Ext.push_back(K == Axis ? Len : I.dim(A.V, K));
    Str.push_back(I.stride(A.V, K));
  }
  ir::ValueId Off = I.mul(Start, Str[Axis]);
  return makeView(B, A.V, Off, Ext, Str,
                  Type::array(A.Ty.elementType(), A.Ty.ndim(), KeepC && A.Ty.isCOrder()));
}

TypedValue FunctionLowerer::lowerArrayFunction(llvm::StringRef Fn, const ast::CallExpr &E) {
  IntOps I{B, *F};
  std::string Name = "np." + Fn.str();
  auto Kw = [&](llvm::StringRef K) -> const ast::Expr * {
    for (const ast::Keyword &W : E.Keywords)
      if (W.Name == K)
        return W.Value.get();
    return nullptr;
  };
  // The keywords a function takes; from \p FirstPos on, they may also come
  // by position (np.cumsum(a, 0) is axis=0), but not both ways at once.
  auto Allowed = [&](std::initializer_list<const char *> Names, size_t FirstPos = SIZE_MAX) {
    for (const ast::Keyword &W : E.Keywords) {
      size_t Pos = FirstPos;
      bool Ok = false;
      for (const char *N : Names) {
        if (W.Name == N) {
          Ok = true;
          break;
        }
        Pos = Pos == SIZE_MAX ? Pos : Pos + 1;
      }
      if (!Ok) {
        diag(DiagID::BadKeyword, W.Range, {Name, W.Name});
        return false;
      }
      if (Pos != SIZE_MAX && E.Args.size() > Pos) {
        diag(DiagID::MultipleValues, W.Range, {Name, W.Name});
        return false;
      }
    }
    return true;
  };
  auto Arity = [&](size_t Lo, size_t Hi) {
    if (E.Args.size() >= Lo && E.Args.size() <= Hi)
      return true;
    diag(DiagID::WrongArity, E.Range,
         {Name, Lo == Hi ? std::to_string(Lo) : std::to_string(Lo) + " to " + std::to_string(Hi),
          std::to_string(E.Args.size())});
    return false;
  };
  auto ArrayOperand = [&](const ast::Expr &X) -> TypedValue {
    ArrayExprPtr T = buildArrayExpr(X);
    if (!T)
      return bad();
    TypedValue V = materialize(*T);
    if (V.ok() && !V.Ty.isArray()) {
      diag(DiagID::TypeMismatch, X.Range, {"an array", pyTypeName(V.Ty)});
      return bad();
    }
    return V;
  };

  if (Fn == "cumsum" || Fn == "cumprod") {
    if (!Allowed({"axis"}, 1) || !Arity(1, 2))
      return bad();
    const ast::Expr *AxisE = E.Args.size() == 2 ? E.Args[1].get() : Kw("axis");
    return cumulative(Fn == "cumprod" ? "multiply" : "add", buildArrayExpr(*E.Args[0]), AxisE,
                      E.Args[0]->Range);
  }

  if (Fn == "diff") {
    if (!Allowed({"n", "axis"}) || !Arity(1, 1))
      return bad();
    int64_t Times = 1;
    if (const ast::Expr *NE = Kw("n")) {
      std::optional<int64_t> C = constIntValue(*NE);
      if (!C || *C < 0) {
        diag(DiagID::Unsupported, NE->Range, {"`n` other than a non-negative int constant", "is"});
        return bad();
      }
      Times = *C;
    }
    TypedValue A = ArrayOperand(*E.Args[0]);
    if (!A.ok())
      return bad();
    unsigned Axis = A.Ty.ndim() - 1;
    if (const ast::Expr *AxisE = Kw("axis")) {
      auto K = axisArg(AxisE, A.Ty.ndim());
      if (!K)
        return bad();
      Axis = *K;
    }
    // a[1:] - a[:-1] along the axis, n times (bool arrays: !=, as NumPy).
    for (int64_t T = 0; T < Times; ++T) {
      ir::ValueId Len = I.max(I.sub(I.dim(A.V, Axis), I.c(1)), I.c(0));
      ir::ValueId Hi =
          axisWindow(B, *F, A, Axis, I.sel(B.cmp("gt", Len, I.c(0)), I.c(1), I.c(0)), Len, true);
      ir::ValueId Lo = axisWindow(B, *F, A, Axis, I.c(0), Len, true);
      Type VT = F->typeOf(Hi);
      std::vector<ArrayExprPtr> Kids;
      Kids.push_back(leafExpr({Hi, VT}, E.Range));
      Kids.push_back(leafExpr({Lo, VT}, E.Range));
      ArrayExprPtr X =
          A.Ty.elementType().isBool()
              ? combine(Kind::Compare, (int)ast::CmpOpKind::Ne, "", std::move(Kids), E.Range)
              : combine(Kind::Binary, (int)ast::BinOpKind::Sub, "", std::move(Kids), E.Range);
      if (!X)
        return bad();
      A = materialize(*X);
    }
    return A;
  }

  if (Fn == "concatenate" || Fn == "stack" || Fn == "hstack" || Fn == "vstack") {
    if (!Allowed({"axis"}, 1) || !Arity(1, 2))
      return bad();
    if (Fn.ends_with("hstack") || Fn.ends_with("vstack"))
      if (!E.Keywords.empty() || E.Args.size() != 1)
        return Arity(1, 1), bad();
    const ast::Expr *Seq = E.Args[0].get();
    const std::vector<ast::ExprPtr> *Elts = nullptr;
    if (auto *T = dyn_cast<ast::TupleExpr>(Seq))
      Elts = &T->Elts;
    else if (auto *L = dyn_cast<ast::ListExpr>(Seq))
      Elts = &L->Elts;
    if (!Elts || Elts->empty()) {
      diag(DiagID::Unsupported, Seq->Range,
           {"`" + Name + "` of anything but a tuple or list written out, `(a, b)`", "is"});
      return bad();
    }
    std::vector<TypedValue> Parts;
    for (auto &X : *Elts) {
      Parts.push_back(ArrayOperand(*X));
      if (!Parts.back().ok())
        return bad();
    }
    unsigned N = Parts[0].Ty.ndim();
    Type Elem = Parts[0].Ty.elementType();
    for (auto &P : Parts) {
      Elem = promoteTypes(Elem, false, P.Ty.elementType(), false);
      if (P.Ty.ndim() != N) {
        diag(DiagID::Unsupported, Seq->Range,
             {"`" + Name + "` of arrays of different ranks", "is"});
        return bad();
      }
    }
    bool Stack = Fn == "stack" || (Fn == "vstack" && N == 1);
    unsigned Axis = Fn == "hstack" ? (N == 1 ? 0 : 1) : 0;
    unsigned OutN = Stack ? N + 1 : N;
    const ast::Expr *AxisE = E.Args.size() == 2 ? E.Args[1].get() : Kw("axis");
    if (AxisE) {
      auto K = axisArg(AxisE, OutN);
      if (!K)
        return bad();
      Axis = *K;
    }
    // Every extent but the joined axis must agree (all of them, to stack).
    for (size_t P = 1; P < Parts.size(); ++P)
      for (unsigned K = 0; K < N; ++K) {
        if (!Stack && K == Axis)
          continue;
        ir::ValueId E0 = I.dim(Parts[0].V, K), EP = I.dim(Parts[P].V, K);
        ir::ValueId Differ = B.cmp("ne", E0, EP);
        if (Stack)
          raiseIf(Differ, "ValueError", "all input arrays must have the same shape");
        else
          raiseFmtIf(Differ, "ValueError",
                     "all the input array dimensions except for the concatenation axis must "
                     "match exactly, but along dimension " +
                         std::to_string(K) +
                         ", the array at index 0 has size {} and the array at "
                         "index " +
                         std::to_string(P) + " has size {}",
                     {E0, EP});
      }
    std::vector<ir::ValueId> Shape;
    for (unsigned K = 0; K < N; ++K)
      Shape.push_back(I.dim(Parts[0].V, K));
    if (Stack) {
      Shape.insert(Shape.begin() + Axis, I.c(Parts.size()));
    } else {
      ir::ValueId Sum = I.c(0);
      for (auto &P : Parts)
        Sum = I.add(Sum, I.dim(P.V, Axis));
      Shape[Axis] = Sum;
    }
    TypedValue Out = allocArray(Elem, Shape);
    ir::ValueId At = I.c(0);
    for (auto &P : Parts) {
      ir::ValueId Len = Stack ? I.c(1) : I.dim(P.V, Axis);
      ir::ValueId W = axisWindow(B, *F, Out, Axis, At, Len, true);
      TypedValue Dst{W, F->typeOf(W)};
      if (Stack) {
        // The window has a length-1 axis where P has none: drop it.
        std::vector<ir::ValueId> Ext, Str;
        for (unsigned K = 0; K < OutN; ++K)
          if (K != Axis) {
            Ext.push_back(I.dim(W, K));
            Str.push_back(I.stride(W, K));
          }
        Type VT = Type::array(Elem, N, false);
        Dst = {makeView(B, W, I.c(0), Ext, Str, VT), VT};
      }
      if (ArrayExprPtr X = leafExpr(P, E.Range))
        storeInto(Dst, *X, E.Range);
      At = I.add(At, Len);
    }
    return Out;
  }

  if (Fn == "roll") {
    if (!Allowed({"axis"}, 2) || !Arity(2, 3))
      return bad();
    TypedValue A = ArrayOperand(*E.Args[0]);
    TypedValue S = lowerExpr(*E.Args[1]);
    if (!A.ok() || !S.ok())
      return bad();
    if (!S.Ty.isInt()) {
      diag(DiagID::TypeMismatch, E.Args[1]->Range, {"an int shift", pyTypeName(S.Ty)});
      return bad();
    }
    const ast::Expr *AxisE = E.Args.size() == 3 ? E.Args[2].get() : Kw("axis");
    TypedValue Src = A;
    bool Flat = !AxisE || isa<ast::NoneLitExpr>(AxisE);
    unsigned Axis = 0;
    if (Flat) {
      // Rolled as the flattened array, then given its shape back.
      Src = copyArray(A, A.Ty.elementType());
      ir::ValueId Size = I.c(1);
      for (unsigned K = 0; K < A.Ty.ndim(); ++K)
        Size = I.mul(Size, I.dim(A.V, K));
      Type VT = Type::array(A.Ty.elementType(), 1, true);
      Src = {makeView(B, Src.V, I.c(0), {Size}, {I.c(1)}, VT), VT};
    } else {
      auto K = axisArg(AxisE, A.Ty.ndim());
      if (!K)
        return bad();
      Axis = *K;
    }
    ir::ValueId Len = I.dim(Src.V, Axis);
    // s = shift mod len (0 for an empty axis); out[s:] = a[:len-s], out[:s] = a[len-s:].
    ir::ValueId SafeLen = I.sel(B.cmp("eq", Len, I.c(0)), I.c(1), Len);
    ir::ValueId M = B.create1(ir::OpKind::Mod, {S.V, SafeLen}, Type::int64());
    F->op(F->definingOp(M)).Attrs.set("numpy", true);
    std::vector<ir::ValueId> Shape;
    for (unsigned K = 0; K < Src.Ty.ndim(); ++K)
      Shape.push_back(I.dim(Src.V, K));
    TypedValue Out = allocArray(Src.Ty.elementType(), Shape);
    ir::ValueId Keep = I.sub(Len, M);
    auto Copy = [&](ir::ValueId DstStart, ir::ValueId SrcStart, ir::ValueId N) {
      ir::ValueId D = axisWindow(B, *F, Out, Axis, DstStart, N, true);
      ir::ValueId Sv = axisWindow(B, *F, Src, Axis, SrcStart, N, true);
      if (ArrayExprPtr X = leafExpr({Sv, F->typeOf(Sv)}, E.Range))
        storeInto({D, F->typeOf(D)}, *X, E.Range);
    };
    Copy(M, I.c(0), Keep);
    Copy(I.c(0), Keep, M);
    if (!Flat)
      return Out;
    std::vector<ir::ValueId> Ext, Str(A.Ty.ndim());
    ir::ValueId Stride = I.c(1);
    for (unsigned K = A.Ty.ndim(); K-- > 0;) {
      Str[K] = Stride;
      Stride = I.mul(Stride, I.dim(A.V, K));
    }
    for (unsigned K = 0; K < A.Ty.ndim(); ++K)
      Ext.push_back(I.dim(A.V, K));
    Type VT = Type::array(A.Ty.elementType(), A.Ty.ndim(), true);
    return {makeView(B, Out.V, I.c(0), Ext, Str, VT), VT};
  }

  if (Fn == "tile" || Fn == "repeat") {
    if (!E.Keywords.empty() || !Arity(2, 2))
      return bad();
    TypedValue A = ArrayOperand(*E.Args[0]);
    TypedValue R = lowerExpr(*E.Args[1]);
    if (!A.ok() || !R.ok())
      return bad();
    if (!R.Ty.isInt()) {
      diag(DiagID::Unsupported, E.Args[1]->Range,
           {"`" + Name + "` with repetitions other than one int", "is"});
      return bad();
    }
    if (Fn == "tile" && A.Ty.ndim() != 1) {
      diag(DiagID::Unsupported, E.Args[0]->Range,
           {"`np.tile` of arrays of more than one axis", "is"});
      return bad();
    }
    raiseIf(B.cmp("lt", R.V, I.c(0)), "ValueError", "negative dimensions are not allowed");
    // The elements in C order, each k times (repeat) or the whole k times (tile).
    TypedValue Src = A;
    ir::ValueId Size = I.c(1);
    for (unsigned K = 0; K < A.Ty.ndim(); ++K)
      Size = I.mul(Size, I.dim(A.V, K));
    if (A.Ty.ndim() != 1) {
      Src = copyArray(A, A.Ty.elementType());
      Type VT = Type::array(A.Ty.elementType(), 1, true);
      Src = {makeView(B, Src.V, I.c(0), {Size}, {I.c(1)}, VT), VT};
    }
    TypedValue Out = allocArray(A.Ty.elementType(), {I.mul(Size, R.V)});
    emitLoopNest({Size, R.V}, [&](const std::vector<ir::ValueId> &IJ) {
      ir::ValueId V = B.create1(ir::OpKind::ArrayLoad, {Src.V, IJ[0]}, A.Ty.elementType());
      ir::ValueId At =
          Fn == "repeat" ? I.add(I.mul(IJ[0], R.V), IJ[1]) : I.add(I.mul(IJ[1], Size), IJ[0]);
      B.create(ir::OpKind::ArrayStore, {V, Out.V, At}, {});
    });
    return Out;
  }
  if (Fn == "sort") {
    if (!Allowed({"axis"}, 1) || !Arity(1, 2))
      return bad();
    TypedValue A = ArrayOperand(*E.Args[0]);
    if (!A.ok())
      return bad();
    const ast::Expr *AxisE = E.Args.size() == 2 ? E.Args[1].get() : Kw("axis");
    TypedValue C = copyArray(A, A.Ty.elementType());
    if (AxisE && isa<ast::NoneLitExpr>(AxisE)) {
      // axis=None sorts the flattened array.
      ir::ValueId Size = I.c(1);
      for (unsigned K = 0; K < A.Ty.ndim(); ++K)
        Size = I.mul(Size, I.dim(A.V, K));
      Type VT = Type::array(A.Ty.elementType(), 1, true);
      C = {makeView(B, C.V, I.c(0), {Size}, {I.c(1)}, VT), VT};
      sortInPlace(C, nullptr, E.Range);
      return C;
    }
    sortInPlace(C, AxisE, E.Range);
    return C;
  }
  diag(DiagID::UnsupportedCall, E.Func->Range, {Name});
  return bad();
}

void FunctionLowerer::sortInPlace(TypedValue A, const ast::Expr *AxisE, SourceRange Site) {
  IntOps I{B, *F};
  unsigned N = A.Ty.ndim(), Axis = N - 1;
  if (A.Ty.elementType().isComplex()) {
    diag(DiagID::Unsupported, Site,
         {"sorting complex numbers (NumPy's lexicographic order)", "is"});
    return;
  }
  if (AxisE) {
    auto K = axisArg(AxisE, N);
    if (!K)
      return;
    Axis = *K;
  }
  // A view with the sorted axis last; each of its rows is sorted.
  std::vector<ir::ValueId> Ext, Str, Outer;
  for (unsigned K = 0; K < N; ++K)
    if (K != Axis) {
      Ext.push_back(I.dim(A.V, K));
      Str.push_back(I.stride(A.V, K));
    }
  Outer = Ext;
  Ext.push_back(I.dim(A.V, Axis));
  Str.push_back(I.stride(A.V, Axis));
  Type VT = Type::array(A.Ty.elementType(), N, false);
  ir::ValueId V = makeView(B, A.V, I.c(0), Ext, Str, VT);
  emitLoopNest(Outer, [&](const std::vector<ir::ValueId> &Idx) {
    ir::ValueId Row = V;
    if (!Idx.empty()) {
      std::vector<ir::ValueId> Ops{V};
      Ops.insert(Ops.end(), Idx.begin(), Idx.end());
      Row = B.create1(ir::OpKind::ArraySub, Ops, Type::array(A.Ty.elementType(), 1, false));
    }
    B.create(ir::OpKind::ArraySort, {Row}, {});
  });
}

/// np.cumsum / np.cumprod, and the accumulate method of np.add, np.multiply,
/// np.maximum and np.minimum: the running value along \p AxisE, or over the
/// flattened elements when it is null or None.
TypedValue FunctionLowerer::cumulative(llvm::StringRef Op, ArrayExprPtr X, const ast::Expr *AxisE,
                                       SourceRange Site) {
  IntOps I{B, *F};
  if (!X)
    return bad();
  if (!X->isArray()) {
    diag(DiagID::TypeMismatch, Site, {"an array", pyTypeName(X->Elem)});
    return bad();
  }
  bool Extreme = Op == "maximum" || Op == "minimum";
  if (Extreme && X->Elem.isComplex()) {
    diag(DiagID::Unsupported, Site,
         {"this operation on complex numbers (they have no order)", "is"});
    return bad();
  }
  Type T = Extreme ? X->Elem : sumType(X->Elem);
  bool Prod = Op == "multiply";
  ir::ValueId Acc = entrySlot(T, "acc");
  auto Step = [&](const std::vector<ir::ValueId> &Idx) {
    TypedValue V = emitElement(*X, Idx);
    ir::ValueId E = B.cast(V.V, T), R;
    if (Extreme) {
      // np.maximum(acc, e): the larger, NaN propagating, e on ties.
      ir::ValueId Cur = B.load(Acc);
      ir::ValueId Pick = B.cmp(Op == "maximum" ? "gt" : "lt", Cur, E);
      if (T.isFloating())
        Pick = B.create1(ir::OpKind::BitOr, {Pick, B.cmp("ne", Cur, Cur)}, Type::boolean());
      R = B.create1(ir::OpKind::Select, {Pick, Cur, E}, T);
    } else {
      R = B.create1(Prod ? ir::OpKind::Mul : ir::OpKind::Add, {B.load(Acc), E}, T);
      F->op(F->definingOp(R)).Attrs.set("numpy", true);
    }
    B.store(R, Acc);
    return R;
  };
  // The identity, or the value every element beats or equals.
  // (A float sum starts from -0.0, which adds nothing, so that a leading
  // -0.0 stays -0.0 as in NumPy, which starts from the first element.)
  ir::ValueId Init =
      Extreme ? reduceInit(Op == "maximum" ? "max" : "min", T)
      : Prod  ? typedConst(T, 1)
      : T.isComplex()
          ? mathOp("complex",
                   {typedConst(T.complexPart(), -0.0), typedConst(T.complexPart(), -0.0)}, T)
          : typedConst(T, T.isFloating() ? -0.0 : 0);
  if (!AxisE || isa<ast::NoneLitExpr>(AxisE)) {
    // The running value over the flattened (C-order) elements.
    ir::ValueId N = I.c(1);
    for (ir::ValueId D : X->Shape)
      N = I.mul(N, D);
    TypedValue Out = allocArray(T, {N});
    ir::ValueId At = entrySlot(Type::int64(), "at");
    B.store(I.c(0), At);
    B.store(Init, Acc);
    bindLeaves(*X, X->Shape);
    emitLoopNest(X->Shape, [&](const std::vector<ir::ValueId> &Idx) {
      ir::ValueId K = B.load(At);
      B.create(ir::OpKind::ArrayStore, {Step(Idx), Out.V, K}, {});
      B.store(I.add(K, I.c(1)), At);
    });
    return Out;
  }
  auto Axis = axisArg(AxisE, X->Shape.size());
  if (!Axis)
    return bad();
  TypedValue Out = allocArray(T, X->Shape);
  std::vector<ir::ValueId> Outer = X->Shape;
  Outer.erase(Outer.begin() + *Axis);
  bindLeaves(*X, X->Shape);
  emitLoopNest(Outer, [&](const std::vector<ir::ValueId> &OIdx) {
    B.store(Init, Acc);
    emitLoopNest({X->Shape[*Axis]}, [&](const std::vector<ir::ValueId> &In) {
      std::vector<ir::ValueId> Idx = OIdx;
      Idx.insert(Idx.begin() + *Axis, In[0]);
      std::vector<ir::ValueId> St{Step(Idx), Out.V};
      St.insert(St.end(), Idx.begin(), Idx.end());
      B.create(ir::OpKind::ArrayStore, St, {});
    });
  });
  return Out;
}

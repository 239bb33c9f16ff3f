//===- LowerArrayExpr.cpp - Array expressions, views, reductions ----------===//
//
// NumPy-style array programming, lowered to loop nests that make no
// temporary arrays:
//
//  * Element-wise expressions (`a * b + np.sin(c) / 2`) are built into an
//    ArrayExpr tree while they are lowered: leaves are lowered in Python's
//    order and each operator's broadcast check (NumPy's ValueError) is
//    emitted as soon as its operands' shapes are known. The elements are
//    then computed in ONE loop nest over the result's shape: the whole
//    statement is fused. Leaves are read through broadcast views (stride 0
//    on broadcast axes), so the nest indexes every leaf alike.
//  * The tree is consumed by whatever needs it: a new array (materialize),
//    a slice being assigned (storeInto, through a temporary only when the
//    target may overlap a source, as NumPy guarantees), or a reduction
//    (np.sum(x * y) accumulates in the nest, no array at all).
//  * Slices, `None` axes, `.T` and broadcasts are `array.view`s: no copy.
//
// Elements follow NumPy's semantics (the ops carry the `numpy` attribute):
// int64 arithmetic wraps, division by zero gives inf/NaN, and a Python
// scalar meeting an array element takes the array's type unless it is of
// a higher kind (NEP 50: int64 array + 1.5 is float64, int64 array + 1 is
// int64).
//
//===----------------------------------------------------------------------===//

#include "frontend/ArrayHelpers.h"
#include "llvm/Support/Casting.h"
#include <cmath>
#include <limits>

using namespace kiln;
using namespace kiln::lower;
using llvm::dyn_cast;
using llvm::isa;
using Kind = ArrayExpr::Kind;

namespace {
/// The NumPy functions computed element by element (NumpyElementwise.def).
struct EwFn {
  const char *Name;
  unsigned Arity;
  const char *MathFn; ///< the `math` op's fn, or null for special cases
  bool Pred;          ///< gives bool
  ArrayExpr::Kind Kind = ArrayExpr::Kind::Func;
  int OpKind = -1;    ///< >= 0: the operator this function is (np.add is +)
  const char *Optional = ""; ///< the optional parameters' names, comma-separated
};
const EwFn EwFns[] = {
#define NP_MATH(Name, MathFn, Arity) {#Name, Arity, #MathFn, false},
#define NP_MATH_PRED(Name, MathFn) {#Name, 1, #MathFn, true},
#define NP_FUNC(Name, Arity, Optional, Pred)                                                       \
  {#Name, Arity, nullptr, Pred, ArrayExpr::Kind::Func, -1, Optional},
#define NP_BINOP(Name, Op) {#Name, 2, nullptr, false, ArrayExpr::Kind::Binary, (int)ast::BinOpKind::Op},
#define NP_CMPOP(Name, Op) {#Name, 2, nullptr, true, ArrayExpr::Kind::Compare, (int)ast::CmpOpKind::Op},
#define NP_UNOP(Name, Op)                                                                          \
  {#Name, 1, nullptr, false, ArrayExpr::Kind::Unary, (int)ast::UnaryOpKind::Op},
#include "frontend/NumpyElementwise.def"
};

/// The names of \p F's optional parameters.
llvm::SmallVector<llvm::StringRef, 4> optionalParams(const EwFn &F) {
  llvm::SmallVector<llvm::StringRef, 4> Names;
  if (*F.Optional)
    llvm::StringRef(F.Optional).split(Names, ',');
  return Names;
}

const EwFn *findEw(llvm::StringRef Name) {
  for (const EwFn &F : EwFns)
    if (Name == F.Name)
      return &F;
  return nullptr;
}

const char *const ReductionFns[] = {
    "sum",     "prod",   "mean",      "var",       "std",       "min",           "max",
    "amin",    "amax",   "argmin",    "argmax",    "any",       "all",           "ptp",
    "nansum",  "nanprod", "nanmean",  "nanvar",    "nanstd",    "nanmin",        "nanmax",
    "nanargmin", "nanargmax", "count_nonzero"};


} // namespace

bool FunctionLowerer::isElementwiseFn(llvm::StringRef Fn) { return findEw(Fn) != nullptr; }

/// `np.real(v)` / `np.imag(v)`: NumPy gives `v.real` / `v.imag`, views of an
/// array's parts that a write goes through, whatever `v` is (a variable, a
/// transpose, a reshape, a call's result). Of an element-wise computation
/// the parts are computed element-wise instead: nothing else can see that
/// temporary, and the computation stays fused.
bool FunctionLowerer::isPartCall(const ast::CallExpr &C) {
  std::string Fn = numpyCallee(C);
  if ((Fn != "real" && Fn != "imag") || C.Args.size() != 1 || !C.Keywords.empty())
    return false;
  const ast::Expr &A = *C.Args[0];
  if (isa<ast::BinOpExpr>(A) || isa<ast::UnaryExpr>(A) || isa<ast::CompareExpr>(A))
    return false;
  auto *Call = dyn_cast<ast::CallExpr>(&A);
  return !Call || !isElementwiseFn(numpyCallee(*Call));
}

bool FunctionLowerer::isArrayFunction(llvm::StringRef Fn) {
  static const char *const Fns[] = {"cumsum", "cumprod", "diff", "concatenate", "stack", "hstack",
                                    "vstack", "roll",    "tile", "repeat",      "sort"};
  for (const char *N : Fns)
    if (Fn == N)
      return true;
  return false;
}

/// Reductions NumPy has as functions only (no ndarray method).
bool FunctionLowerer::isReductionMethod(llvm::StringRef Fn) {
  return isReductionFn(Fn) && Fn != "amin" && Fn != "amax" && !Fn.starts_with("nan") &&
         Fn != "count_nonzero";
}

bool FunctionLowerer::isReductionFn(llvm::StringRef Fn) {
  for (const char *R : ReductionFns)
    if (Fn == R)
      return true;
  return false;
}

std::string FunctionLowerer::numpyCallee(const ast::CallExpr &E) {
  if (auto *N = dyn_cast<ast::NameExpr>(E.Func.get())) {
    if (isLocal(N->Id) || ML.lookupFunction(N->Id))
      return "";
    if (auto *Imp = ML.fromImport(N->Id); Imp && Imp->first == "numpy")
      return Imp->second;
    return "";
  }
  if (auto *A = dyn_cast<ast::AttributeExpr>(E.Func.get())) {
    if (auto *N = dyn_cast<ast::NameExpr>(A->Value.get()); N && !isLocal(N->Id))
      if (ML.moduleAlias(N->Id) == "numpy")
        return A->Attr;
    // np.linalg.norm
    if (auto *Sub = dyn_cast<ast::AttributeExpr>(A->Value.get()); Sub && Sub->Attr == "linalg")
      if (auto *N = dyn_cast<ast::NameExpr>(Sub->Value.get()); N && !isLocal(N->Id))
        if (ML.moduleAlias(N->Id) == "numpy")
          return "linalg." + A->Attr;
  }
  return "";
}

// Small integer helpers and makeView: frontend/ArrayHelpers.h.



//===----------------------------------------------------------------------===//
// Views: slices, None, .T, broadcasts
//===----------------------------------------------------------------------===//

bool FunctionLowerer::lowerIndexParts(TypedValue A, const std::vector<const ast::Expr *> &Parts,
                                      std::vector<IndexPart> &Ps) {
  unsigned N = A.Ty.ndim();
  unsigned Consumed = 0, Ellipses = 0;
  for (const ast::Expr *P : Parts) {
    if (isa<ast::EllipsisExpr>(P))
      ++Ellipses;
    else if (!isNewAxis(*P))
      ++Consumed;
  }
  if (Ellipses > 1) {
    diag(DiagID::Unsupported, Parts[0]->Range, {"more than one `...` in an index", "is"});
    return false;
  }
  if (Consumed > N) {
    diag(DiagID::TooManyIndices, Parts.back()->Range, {std::to_string(N), std::to_string(Consumed)});
    return false;
  }
  // Python evaluates every index and slice bound before NumPy looks at them.
  auto IntArg = [&](const ast::Expr *X) -> std::optional<ir::ValueId> {
    if (!X || isa<ast::NoneLitExpr>(X))
      return ir::ValueId();
    TypedValue V = asIndex(lowerExpr(*X));
    if (!V.ok())
      return std::nullopt;
    if (!V.Ty.isInt() && !V.Ty.isBool()) {
      diag(DiagID::BadSliceIndex, X->Range, {pyTypeName(V.Ty)});
      return std::nullopt;
    }
    return B.cast(V.V, Type::int64());
  };
  for (const ast::Expr *P : Parts) {
    IndexPart Q;
    if (auto *S = dyn_cast<ast::SliceExpr>(P)) {
      auto Lo = IntArg(S->Lower.get()), Hi = IntArg(S->Upper.get()), St = IntArg(S->Step.get());
      if (!Lo || !Hi || !St)
        return false;
      Q.K = IndexPart::Slice;
      Q.Lo = *Lo, Q.Hi = *Hi, Q.Step = *St;
      Q.ConstStep = S->Step ? constIntValue(*S->Step) : std::optional<int64_t>(1);
      if (S->Step && isa<ast::NoneLitExpr>(S->Step.get()))
        Q.ConstStep = 1;
    } else if (isNewAxis(*P)) {
      Q.K = IndexPart::NewAxis;
    } else if (isa<ast::EllipsisExpr>(P)) {
      Q.K = IndexPart::Ellipsis;
    } else if (!lowerIndexValue(asIndex(lowerExpr(*P)), P, Q)) {
      return false;
    }
    Ps.push_back(Q);
  }
  return true;
}

bool FunctionLowerer::lowerIndexValue(TypedValue V, const ast::Expr *P, IndexPart &Q) {
  if (!V.ok())
    return false;
  if (V.Ty.isArray()) {
    if (!V.Ty.elementType().isInteger()) {
      // (A mask alone is a[m]; among other indices NumPy would read it as
      // its nonzero() indices.)
      diag(DiagID::Unsupported, P->Range,
           {V.Ty.elementType().isBool() ? "a boolean mask among other indices"
                                        : "an index array of " + V.Ty.elementType().str(),
            "is"});
      return false;
    }
    Q.K = IndexPart::Array;
    Q.Arr = V;
    return true;
  }
  if (!V.Ty.isInt()) {
    diag(DiagID::BadArrayIndex, P->Range, {pyTypeName(V.Ty)});
    return false;
  }
  Q.K = IndexPart::Int;
  Q.Idx = V.V;
  return true;
}

TypedValue FunctionLowerer::indexView(TypedValue A, std::vector<IndexPart> &Ps,
                                      AdvancedIndex &Adv) {
  IntOps I{B, *F};
  unsigned N = A.Ty.ndim(), Consumed = 0;
  for (IndexPart &Q : Ps)
    Consumed += Q.K != IndexPart::NewAxis && Q.K != IndexPart::Ellipsis;
  ir::ValueId Offset = I.c(0);
  std::vector<ir::ValueId> Ext, Str;
  unsigned Axis = 0;
  bool LastUnit = false; // the view's last axis is the base's last, unit step
  auto FullAxis = [&] {
    Ext.push_back(I.dim(A.V, Axis));
    Str.push_back(I.stride(A.V, Axis));
    LastUnit = Axis + 1 == N;
    ++Axis;
  };
  for (IndexPart &Q : Ps) {
    if (Q.K == IndexPart::Ellipsis) {
      for (unsigned K = 0; K < N - Consumed; ++K)
        FullAxis();
      continue;
    }
    if (Q.K == IndexPart::NewAxis) {
      Ext.push_back(I.c(1));
      Str.push_back(I.c(0));
      LastUnit = false;
      continue;
    }
    if (Q.K == IndexPart::Array) { // the whole axis in the view; indexed below
      Adv.ViewAxes.push_back(Ext.size());
      Adv.BaseAxes.push_back(Axis);
      Adv.Arrays.push_back(Q.Arr);
      FullAxis();
      continue;
    }
    ir::ValueId E = I.dim(A.V, Axis), S = I.stride(A.V, Axis);
    if (Q.K == IndexPart::Int) {
      ir::ValueId K = B.create1(ir::OpKind::ArrayIndex, {A.V, Q.Idx}, Type::int64());
      F->op(F->definingOp(K)).Attrs.set("axis", (int64_t)Axis);
      Offset = I.add(Offset, I.mul(K, S));
      ++Axis;
      LastUnit = false;
      continue;
    }
    // Python's slice.indices(): clamp start and stop into the axis.
    ir::ValueId Step = Q.Step ? Q.Step : I.c(1);
    if (Q.ConstStep && *Q.ConstStep == 0)
      Q.ConstStep.reset(); // raises below, as Python does
    if (!Q.ConstStep)
      raiseIf(B.cmp("eq", Step, I.c(0)), "ValueError", "slice step cannot be zero");
    auto Clamp = [&](ir::ValueId V, ir::ValueId Lo, ir::ValueId Hi) {
      // V < 0 counts from the end; then clamp to [Lo, Hi].
      ir::ValueId W = I.sel(B.cmp("lt", V, I.c(0)), I.add(V, E), V);
      return I.min(I.max(W, Lo), Hi);
    };
    ir::ValueId PosStart = Q.Lo ? Clamp(Q.Lo, I.c(0), E) : I.c(0);
    ir::ValueId PosStop = Q.Hi ? Clamp(Q.Hi, I.c(0), E) : E;
    ir::ValueId First, Len;
    ir::ValueId PosLen = I.max(I.sub(PosStop, PosStart), I.c(0));
    if (Q.ConstStep && *Q.ConstStep == 1) {
      First = PosStart;
      Len = PosLen;
    } else {
      ir::ValueId Em1 = I.sub(E, I.c(1));
      ir::ValueId NegStart = Q.Lo ? Clamp(Q.Lo, I.c(-1), Em1) : Em1;
      ir::ValueId NegStop = Q.Hi ? Clamp(Q.Hi, I.c(-1), Em1) : I.c(-1);
      auto CeilDiv = [&](ir::ValueId Span, ir::ValueId D) {
        // ceil(Span / D) for Span >= 0, D > 0, as (Span - 1) // D + 1 (no
        // overflow for steps near 2**63).
        ir::ValueId Q2 = B.create1(ir::OpKind::FloorDiv, {I.sub(Span, I.c(1)), D}, Type::int64());
        F->op(F->definingOp(Q2)).Attrs.set("numpy", true);
        return I.sel(B.cmp("eq", Span, I.c(0)), I.c(0), I.add(Q2, I.c(1)));
      };
      ir::ValueId AbsStep = I.sel(B.cmp("lt", Step, I.c(0)), I.sub(I.c(0), Step), Step);
      ir::ValueId PLen = CeilDiv(PosLen, AbsStep);
      ir::ValueId NLen = CeilDiv(I.max(I.sub(NegStart, NegStop), I.c(0)), AbsStep);
      ir::ValueId Neg = B.cmp("lt", Step, I.c(0));
      if (Q.ConstStep) {
        bool IsNeg = *Q.ConstStep < 0;
        First = IsNeg ? NegStart : PosStart;
        Len = IsNeg ? NLen : PLen;
      } else {
        First = I.sel(Neg, NegStart, PosStart);
        Len = I.sel(Neg, NLen, PLen);
      }
    }
    // An empty slice keeps its start inside the array's memory.
    Offset = I.add(Offset, I.mul(I.sel(B.cmp("gt", Len, I.c(0)), First, I.c(0)), S));
    Ext.push_back(Len);
    // (With at most one element the stride is never used: keep the base's,
    // which cannot overflow as step * stride can for huge steps.)
    Str.push_back(Q.ConstStep && *Q.ConstStep == 1
                      ? S
                      : I.sel(B.cmp("gt", Len, I.c(1)), I.mul(S, Step), S));
    LastUnit = Axis + 1 == N && Q.ConstStep && *Q.ConstStep == 1;
    ++Axis;
  }
  while (Axis < N)
    FullAxis();
  if (Ext.empty()) {
    // Every axis got an integer: an element (a[1, 2] written with a[..., 2]
    // and friends).
    std::vector<ir::ValueId> Ops{makeView(B, A.V, Offset, {I.c(1)}, {I.c(1)},
                                          Type::array(A.Ty.elementType(), 1, false)),
                                 I.c(0)};
    Type ET = A.Ty.elementType();
    return {B.create1(ir::OpKind::ArrayLoad, Ops, ET), ET};
  }
  Type VT = Type::array(A.Ty.elementType(), Ext.size(), A.Ty.isCOrder() && LastUnit);
  TypedValue View{makeView(B, A.V, Offset, Ext, Str, VT), VT};
  if (!Adv.active())
    return View;
  // NumPy's advanced indexing: the index arrays broadcast together to one
  // shape, which takes the place of their axes in the result when the
  // advanced indices (integers count too) are side by side, and comes
  // first otherwise (c[1, :, idx] has shape (len(idx), 5)).
  Adv.Base = A;
  Adv.View = View;
  std::vector<std::vector<ir::ValueId>> Shapes;
  for (TypedValue &X : Adv.Arrays) {
    Shapes.emplace_back();
    for (unsigned K = 0; K < X.Ty.ndim(); ++K)
      Shapes.back().push_back(I.dim(X.V, K));
  }
  Adv.BS = broadcastShapes(Shapes, "IndexError",
                           "shape mismatch: indexing arrays could not be broadcast together "
                           "with shapes ");
  int First = -1, Last = -1, Count = 0;
  for (size_t K = 0; K < Ps.size(); ++K)
    if (Ps[K].K == IndexPart::Int || Ps[K].K == IndexPart::Array) {
      First = First < 0 ? (int)K : First;
      Last = (int)K;
      ++Count;
    }
  Adv.OutAxis = Last - First + 1 == Count ? Adv.ViewAxes[0] : 0;
  for (unsigned K = 0; K < Ext.size(); ++K)
    if (!llvm::is_contained(Adv.ViewAxes, K))
      Adv.OutShape.push_back(Ext[K]);
  Adv.OutShape.insert(Adv.OutShape.begin() + Adv.OutAxis, Adv.BS.begin(), Adv.BS.end());
  return View;
}

void FunctionLowerer::bindAdvanced(AdvancedIndex &Adv) {
  Adv.Views.clear();
  for (TypedValue &X : Adv.Arrays)
    Adv.Views.push_back(broadcastView(X, Adv.BS));
}

void FunctionLowerer::forEachAdvanced(AdvancedIndex &Adv, const AdvancedBody &Body) {
  // The index arrays' elements are loaded and checked once per position of
  // the broadcast axes, in the loops down to them; the loops of the
  // result's trailing axes only read or write.
  size_t Split = Adv.OutAxis + Adv.BS.size();
  std::vector<ir::ValueId> Outer(Adv.OutShape.begin(), Adv.OutShape.begin() + Split),
      Inner(Adv.OutShape.begin() + Split, Adv.OutShape.end());
  emitLoopNest(Outer, [&](const std::vector<ir::ValueId> &J1) {
    std::vector<ir::ValueId> Bi(J1.begin() + Adv.OutAxis, J1.end()), Picked;
    for (size_t A = 0; A < Adv.Arrays.size(); ++A)
      Picked.push_back(advancedIndex(Adv, A, Bi));
    emitLoopNest(Inner, [&](const std::vector<ir::ValueId> &J2) {
      // J: an index of the result. Its BS part picks one element of each
      // index array; the rest are the view's other axes, in order.
      std::vector<ir::ValueId> J = J1, Rest(J1.begin(), J1.begin() + Adv.OutAxis);
      J.insert(J.end(), J2.begin(), J2.end());
      Rest.insert(Rest.end(), J2.begin(), J2.end());
      unsigned NV = Adv.View.Ty.ndim();
      std::vector<ir::ValueId> Src(NV);
      for (unsigned K = 0, R = 0; K < NV; ++K) {
        auto It = llvm::find(Adv.ViewAxes, K);
        Src[K] = It == Adv.ViewAxes.end() ? Rest[R++] : Picked[It - Adv.ViewAxes.begin()];
      }
      Body(J, Src);
    });
  });
}

ir::ValueId FunctionLowerer::advancedIndex(AdvancedIndex &Adv, size_t A,
                                           const std::vector<ir::ValueId> &Bi) {
  std::vector<ir::ValueId> Ld{Adv.Views[A]};
  Ld.insert(Ld.end(), Bi.begin(), Bi.end());
  Type ET = Adv.Arrays[A].Ty.elementType();
  ir::ValueId Raw = B.create1(ir::OpKind::ArrayLoad, Ld, ET);
  // Checked against the base array's axis (the same extent), so that the
  // message names that axis, as NumPy's does.
  ir::ValueId K =
      B.create1(ir::OpKind::ArrayIndex, {Adv.Base.V, asIndex({Raw, ET}).V}, Type::int64());
  F->op(F->definingOp(K)).Attrs.set("axis", (int64_t)Adv.BaseAxes[A]);
  return K;
}

TypedValue FunctionLowerer::gatherAdvanced(AdvancedIndex &Adv) {
  Type Elem = Adv.View.Ty.elementType();
  TypedValue Out = allocArray(Elem, Adv.OutShape);
  bindAdvanced(Adv);
  forEachAdvanced(Adv, [&](const std::vector<ir::ValueId> &J, const std::vector<ir::ValueId> &Src) {
    std::vector<ir::ValueId> Ld{Adv.View.V};
    Ld.insert(Ld.end(), Src.begin(), Src.end());
    std::vector<ir::ValueId> St{B.create1(ir::OpKind::ArrayLoad, Ld, Elem), Out.V};
    St.insert(St.end(), J.begin(), J.end());
    B.create(ir::OpKind::ArrayStore, St, {});
  });
  return Out;
}

void FunctionLowerer::scatterAdvanced(AdvancedIndex &Adv, ArrayExpr &X, SourceRange Site) {
  bindAdvanced(Adv);
  // NumPy checks every index before it writes anything.
  emitLoopNest(Adv.BS, [&](const std::vector<ir::ValueId> &Bi) {
    for (size_t A = 0; A < Adv.Arrays.size(); ++A)
      advancedIndex(Adv, A, Bi);
  });
  // The value, broadcast to the shape of the indexing result.
  const std::vector<ir::ValueId> &Target = Adv.OutShape;
  if (!bindSetitemValue(X, Target, Site))
    return;
  Type Elem = Adv.View.Ty.elementType();
  forEachAdvanced(Adv, [&](const std::vector<ir::ValueId> &J, const std::vector<ir::ValueId> &Src) {
    TypedValue E = emitElement(X, J);
    if (!E.ok())
      return;
    std::vector<ir::ValueId> St{castScalar(E, Elem, Site).V, Adv.View.V};
    St.insert(St.end(), Src.begin(), Src.end());
    B.create(ir::OpKind::ArrayStore, St, {});
  });
}

bool FunctionLowerer::bindSetitemValue(ArrayExpr &X, const std::vector<ir::ValueId> &Target,
                                       SourceRange Site) {
  if (!X.isArray())
    return true;
  if (X.Shape.size() > Target.size()) {
    diag(DiagID::Unsupported, Site,
         {"assigning an array of more dimensions than the indexed result", "is"});
    return false;
  }
  const std::vector<ir::ValueId> &Got = X.Shape;
  IntOps I{B, *F};
  std::vector<ir::ValueId> Tail(Target.end() - Got.size(), Target.end());
  ir::ValueId Bad = B.constBool(false);
  for (unsigned K = 0; K < Got.size(); ++K)
    Bad = B.create1(ir::OpKind::BitOr,
                    {Bad, B.create1(ir::OpKind::BitAnd,
                                    {B.cmp("ne", Got[K], Tail[K]), B.cmp("ne", Got[K], I.c(1))},
                                    Type::boolean())},
                    Type::boolean());
  std::vector<ir::ValueId> Args = Got;
  Args.insert(Args.end(), Target.begin(), Target.end());
  raiseFmtIf(Bad, "ValueError",
             "shape mismatch: value array of shape " + shapeFmt(Got.size()) +
                 " could not be broadcast to indexing result of shape " + shapeFmt(Target.size()),
             Args);
  bindLeaves(X, Target);
  return true;
}

TypedValue FunctionLowerer::sliceView(TypedValue A, const std::vector<const ast::Expr *> &Parts) {
  std::vector<IndexPart> Ps;
  if (!lowerIndexParts(A, Parts, Ps))
    return bad();
  AdvancedIndex Adv;
  TypedValue View = indexView(A, Ps, Adv);
  return Adv.active() ? gatherAdvanced(Adv) : View;
}

TypedValue FunctionLowerer::transposeView(TypedValue A) {
  IntOps I{B, *F};
  unsigned N = A.Ty.ndim();
  std::vector<ir::ValueId> Ext, Str;
  for (unsigned K = N; K-- > 0;) {
    Ext.push_back(I.dim(A.V, K));
    Str.push_back(I.stride(A.V, K));
  }
  Type VT = Type::array(A.Ty.elementType(), N, N == 1 && A.Ty.isCOrder());
  return {makeView(B, A.V, I.c(0), Ext, Str, VT), VT};
}

/// Whether arrays \p X and \p Y are provably one: one value, or two loads of
/// a variable's slot with no store to it between them (`a * a`).
bool FunctionLowerer::sameArray(ir::ValueId X, ir::ValueId Y) {
  if (X == Y)
    return true;
  ir::OpId DX = F->definingOp(X), DY = F->definingOp(Y);
  if (!DX.isValid() || !DY.isValid())
    return false;
  const ir::OpData &LX = F->op(DX), &LY = F->op(DY);
  if (LX.Kind != ir::OpKind::Load || LY.Kind != ir::OpKind::Load ||
      LX.Operands[0] != LY.Operands[0] || LX.Parent != LY.Parent || !LX.Parent.isValid())
    return false;
  bool Between = false;
  for (ir::OpId O : F->region(LX.Parent).Ops) {
    if (O == DX || O == DY) {
      if (Between)
        return true;
      Between = true;
      continue;
    }
    const ir::OpData &D = F->op(O);
    if (Between && (!D.Regions.empty() || D.Kind == ir::OpKind::Call ||
                    (D.Kind == ir::OpKind::Store && D.Operands[1] == LX.Operands[0])))
      return false;
  }
  return false;
}

/// Whether extents \p X and \p Y are provably equal: one value, or the same
/// axis of one array, read twice.
bool FunctionLowerer::sameExtent(ir::ValueId X, ir::ValueId Y) {
  if (X == Y)
    return true;
  ir::OpId DX = F->definingOp(X), DY = F->definingOp(Y);
  if (!DX.isValid() || !DY.isValid())
    return false;
  const ir::OpData &OX = F->op(DX), &OY = F->op(DY);
  return OX.Kind == ir::OpKind::ArrayDim && OY.Kind == ir::OpKind::ArrayDim &&
         OX.Attrs.getInt("axis") == OY.Attrs.getInt("axis") &&
         sameArray(OX.Operands[0], OY.Operands[0]);
}

ir::ValueId FunctionLowerer::broadcastView(TypedValue A, const std::vector<ir::ValueId> &Shape,
                                           bool AssumeEqual, ExtentPairs *Unproven) {
  IntOps I{B, *F};
  unsigned N = Shape.size(), R = A.Ty.ndim();
  std::vector<ir::ValueId> Str;
  bool Same = R == N, LastOwn = R > 0;
  for (unsigned D = 0; D < N; ++D) {
    if (D < N - R) {
      Str.push_back(I.c(0));
      continue;
    }
    unsigned K = D - (N - R);
    ir::ValueId E = I.dim(A.V, K);
    if (sameExtent(E, Shape[D]) || AssumeEqual) {
      Str.push_back(I.stride(A.V, K));
      continue;
    }
    Same = LastOwn = false;
    if (Unproven)
      Unproven->push_back({E, Shape[D]});
    // A length-1 axis repeats its one element: stride 0.
    Str.push_back(I.sel(B.cmp("eq", E, I.c(1)), I.c(0), I.stride(A.V, K)));
  }
  if (Same)
    return A.V; // the loop's shape already
  // The last axis keeps its own stride (1 for a C-order array) unless it
  // may broadcast.
  Type VT = Type::array(A.Ty.elementType(), N, LastOwn && A.Ty.isCOrder());
  return makeView(B, A.V, I.c(0), Shape, Str, VT);
}

void FunctionLowerer::withLeavesBound(ArrayExpr &X, const std::vector<ir::ValueId> &Shape,
                                      llvm::StringRef Into, const std::function<void()> &Emit) {
  // (Binding may compute a reduction into an array first, with its own
  // loop and note: the statement's note is for its own loop, and counts
  // that reduction as an operand.)
  std::string Note = PendingFusionNote;
  bool Independent = PendingIndependent;
  ExtentPairs Unproven;
  bindLeaves(X, Shape, /*AssumeEqual=*/false, &Unproven);
  PendingFusionNote = Into.empty() ? Note : fusionNote(X, Into);
  PendingIndependent = Independent;
  if (Unproven.empty())
    return Emit();
  // Operands whose extents are not provably the loop's may broadcast (a
  // length-1 axis read with stride 0). When none does, which is the common
  // case, a copy of the loop reads them with their own strides, so a unit
  // stride stays visible and LLVM vectorises without gathers.
  ir::ValueId Equal;
  for (auto &[E, S] : Unproven) {
    ir::ValueId Eq = B.cmp("eq", E, S);
    Equal = Equal ? B.create1(ir::OpKind::BitAnd, {Equal, Eq}, Type::boolean()) : Eq;
  }
  ir::OpId If = B.create(ir::OpKind::If, {Equal}, {}, 2);
  inRegion(F->op(If).Regions[0], [&] {
    bindLeaves(X, Shape, /*AssumeEqual=*/true);
    Emit();
  });
  inRegion(F->op(If).Regions[1], [&] {
    PendingFusionNote.clear(); // --report tells of the statement once
    PendingIndependent = Independent;
    bindLeaves(X, Shape);
    Emit();
  });
}

//===----------------------------------------------------------------------===//
// Building element-wise expressions
//===----------------------------------------------------------------------===//


std::vector<ir::ValueId>
FunctionLowerer::broadcastShapes(const std::vector<std::vector<ir::ValueId>> &Shapes,
                                 llvm::StringRef Exc, llvm::StringRef What) {
  IntOps I{B, *F};
  size_t N = 0;
  for (auto &S : Shapes)
    N = std::max(N, S.size());
  std::vector<ir::ValueId> Out(N);
  ir::ValueId Bad;
  for (size_t D = 0; D < N; ++D) {
    for (auto &S : Shapes) {
      if (D < N - S.size())
        continue;
      ir::ValueId E = S[D - (N - S.size())];
      if (!Out[D]) {
        Out[D] = E;
        continue;
      }
      if (sameExtent(Out[D], E))
        continue;
      // Compatible when equal or either is 1; the result is the other.
      ir::ValueId Ok = B.create1(
          ir::OpKind::BitOr,
          {B.cmp("eq", Out[D], E),
           B.create1(ir::OpKind::BitOr, {B.cmp("eq", Out[D], I.c(1)), B.cmp("eq", E, I.c(1))},
                     Type::boolean())},
          Type::boolean());
      ir::ValueId NotOk = B.create1(ir::OpKind::Not, {Ok}, Type::boolean());
      Bad = Bad ? B.create1(ir::OpKind::BitOr, {Bad, NotOk}, Type::boolean()) : NotOk;
      Out[D] = I.sel(B.cmp("eq", Out[D], I.c(1)), E, Out[D]);
    }
  }
  std::vector<std::vector<ir::ValueId>> Named = Shapes;
  if (InPlaceTarget) // NumPy names the output operand too
    Named.push_back(*InPlaceTarget);
  if (Bad) {
    std::string Fmt = What.str();
    std::vector<ir::ValueId> Args;
    for (auto &S : Named) {
      Fmt += shapeFmt(S.size()) + " ";
      Args.insert(Args.end(), S.begin(), S.end());
    }
    raiseFmtIf(Bad, Exc, Fmt, Args);
  }
  if (InPlaceTarget && *InPlaceTarget != Out) {
    // The result would not fit the output: `a += b` with a (3,1), b (4,).
    const std::vector<ir::ValueId> &T = *InPlaceTarget;
    ir::ValueId Grows = B.constBool(T.size() != Out.size());
    for (size_t D = 0; T.size() == Out.size() && D < Out.size(); ++D)
      if (T[D] != Out[D])
        Grows = B.create1(ir::OpKind::BitOr, {Grows, B.cmp("ne", T[D], Out[D])}, Type::boolean());
    std::vector<ir::ValueId> Args = T;
    Args.insert(Args.end(), Out.begin(), Out.end());
    raiseFmtIf(Grows, "ValueError",
               "non-broadcastable output operand with shape " + shapeFmt(T.size()) +
                   " doesn't match the broadcast shape " + shapeFmt(Out.size()),
               Args);
  }
  return Out;
}

ArrayExprPtr FunctionLowerer::leafExpr(TypedValue V, SourceRange Site) {
  if (!V.ok())
    return nullptr;
  auto X = std::make_unique<ArrayExpr>();
  X->Site = Site;
  X->Val = V;
  if (V.Ty.isArray()) {
    X->K = Kind::Array;
    X->Elem = V.Ty.elementType();
    IntOps I{B, *F};
    for (unsigned K = 0; K < V.Ty.ndim(); ++K)
      X->Shape.push_back(I.dim(V.V, K));
  } else {
    X->Elem = V.Ty;
  }
  return X;
}

Type FunctionLowerer::elementResultType(Kind K, int Op, llvm::StringRef Fn,
                                        const std::vector<ArrayExprPtr> &Kids, SourceRange Site) {
  // NumPy's promotion; a scalar operand that is a Python int or float is
  // weak (NEP 50).
  Type Join;
  bool JoinWeak = false;
  const EwFn *Info = K == Kind::Func ? findEw(Fn) : nullptr;
  for (auto &Kid : Kids) {
    if (Info && &Kid - &Kids[0] >= (ptrdiff_t)Info->Arity) {
      // An optional parameter: a number, or absent (none).
      if (!Kid->Elem.isNone() && (!Kid->Elem.isScalar() || Kid->isArray())) {
        diag(DiagID::TypeMismatch, Kid->Site, {"a number", pyTypeName(Kid->Elem)});
        return Type();
      }
      continue;
    }
    if (!Kid->Elem.isScalar()) {
      diag(DiagID::TypeMismatch, Kid->Site, {"a number or an array of numbers", pyTypeName(Kid->Elem)});
      return Type();
    }
    // `where`'s condition does not take part in the result's type, nor do
    // the optional parameters (above) or ldexp's exponent.
    if (K == Kind::Func && Fn == "where" && &Kid == &Kids[0])
      continue;
    if (K == Kind::Func && Fn == "ldexp" && &Kid == &Kids[1]) {
      if ((!Kid->Elem.isInteger() && !Kid->Elem.isBool()) ||
          Kid->Elem.kind() == TypeKind::UInt64) { // (NumPy: no safe cast to int64)
        diag(DiagID::TypeMismatch, Kid->Site,
             {"an integer exponent for `np.ldexp`", pyTypeName(Kid->Elem)});
        return Type();
      }
      continue;
    }
    bool Weak = !Kid->isArray() && isWeak(Kid->Elem);
    if (!Join.isValid()) {
      Join = Kid->Elem;
      JoinWeak = Weak;
    } else {
      Join = promoteTypes(Join, JoinWeak, Kid->Elem, Weak);
      JoinWeak = JoinWeak && Weak;
    }
  }
  // NumPy's float result of a math function of this type: the float type
  // itself, float32 for 16-bit ints, else float64 (8-bit ints give
  // float16, which Kiln does not have).
  auto FloatOf = [&](Type T) -> Type {
    if (T.isFloating() || T.isComplex())
      return T;
    if (T.isSized() && T.bitWidth() == 16)
      return Type::scalar(TypeKind::Float32);
    if ((T.isSized() && T.bitWidth() == 8) || T.isBool()) {
      diag(DiagID::Unsupported, Site,
           {"`np." + Fn.str() + "` of " + T.str() +
                " values (NumPy gives float16; convert first, e.g. `.astype(np.float32)`)",
            "is"});
      return Type();
    }
    return Type::float64();
  };
  auto NoBoolArith = [&](const char *What) {
    if (Join.isBool()) {
      diag(DiagID::Unsupported, Site, {std::string(What) + " on bool arrays", "is"});
      return Type();
    }
    return Join;
  };
  // Complex numbers have no order, and no floor, sign or clip.
  if (Join.isComplex()) {
    bool Ordered = (K == Kind::Compare && (ast::CmpOpKind)Op != ast::CmpOpKind::Eq &&
                    (ast::CmpOpKind)Op != ast::CmpOpKind::Ne) ||
                   (K == Kind::Binary && ((ast::BinOpKind)Op == ast::BinOpKind::FloorDiv ||
                                          (ast::BinOpKind)Op == ast::BinOpKind::Mod)) ||
                   (K == Kind::Func && (Fn == "minimum" || Fn == "maximum" || Fn == "fmin" ||
                                        Fn == "fmax" || Fn == "clip" || Fn == "sign" ||
                                        Fn == "round" || Fn == "around" || Fn == "floor" ||
                                        Fn == "ceil" || Fn == "trunc" || Fn == "rint" ||
                                        Fn == "fabs" || Fn == "arctan2" || Fn == "hypot" ||
                                        Fn == "copysign" || Fn == "log2" || Fn == "expm1" ||
                                        Fn == "log1p" || Fn == "fmod" || Fn == "fix" ||
                                        Fn == "heaviside" || Fn == "nextafter" ||
                                        Fn == "spacing" || Fn == "signbit" ||
                                        Fn == "isposinf" || Fn == "isneginf"));
    // Defined for complex numbers by NumPy, not yet by Kiln.
    bool NotYet = K == Kind::Func && (Fn == "cbrt" || Fn == "exp2" || Fn == "ldexp" ||
                                      Fn == "deg2rad" || Fn == "radians" || Fn == "rad2deg" ||
                                      Fn == "degrees" || Fn == "sinc" || Fn == "logaddexp" ||
                                      Fn == "logaddexp2" || Fn == "isclose" ||
                                      Fn == "nan_to_num");
    if (NotYet) {
      diag(DiagID::Unsupported, Site, {"`np." + Fn.str() + "` of complex numbers", "is"});
      return Type();
    }
    if (Ordered) {
      diag(DiagID::Unsupported, Site,
           {"this operation on complex numbers (they have no order)", "is"});
      return Type();
    }
    if (K == Kind::Func && (Fn == "abs" || Fn == "absolute" || Fn == "real" || Fn == "imag"))
      return Join.complexPart();
  }
  switch (K) {
  case Kind::Compare:
    return Type::boolean();
  case Kind::Unary:
    if ((ast::UnaryOpKind)Op == ast::UnaryOpKind::Invert)
      return Join.isFloating()
                 ? (diag(DiagID::BadUnaryOperand, Site, {"~", Join.str() + " array"}), Type())
                 : Join;
    return NoBoolArith("`-`");
  case Kind::Binary:
    switch ((ast::BinOpKind)Op) {
    case ast::BinOpKind::Div:
      return Join.isFloating() || Join.isComplex() ? Join : Type::float64();
    case ast::BinOpKind::BitAnd:
    case ast::BinOpKind::BitOr:
    case ast::BinOpKind::BitXor:
    case ast::BinOpKind::LShift:
    case ast::BinOpKind::RShift:
      if (Join.isFloating()) {
        diag(DiagID::BadOperandTypes, Site,
             {ast::spelling((ast::BinOpKind)Op), Join.str(), Join.str()});
        return Type();
      }
      return Join;
    case ast::BinOpKind::Add:
    case ast::BinOpKind::Mul:
      // NumPy: bool + bool is `or`, bool * bool is `and`, still bool.
      return Join;
    case ast::BinOpKind::Sub:
      if (Join.isBool()) {
        diag(DiagID::Unsupported, Site,
             {"`-` between bool arrays (NumPy refuses it too: use `^` or np.logical_xor)", "is"});
        return Type();
      }
      return Join;
    default:
      return NoBoolArith("arithmetic");
    }
  case Kind::Func: {
    const EwFn *E = findEw(Fn);
    if (E->Pred)
      return Type::boolean();
    if ((Fn == "conj" || Fn == "conjugate") && Join.isBool())
      return Type::scalar(TypeKind::Int8); // NumPy's conjugate of bools
    if (Fn == "abs" || Fn == "absolute" || Fn == "minimum" || Fn == "maximum" || Fn == "fmin" ||
        Fn == "fmax" || Fn == "where" || Fn == "conj" || Fn == "conjugate" || Fn == "real" ||
        Fn == "imag")
      return Join;
    if (Fn == "clip")
      return Join.isBool() ? Type::int64() : Join;
    if ((Fn == "round" || Fn == "around") && Join.isBool())
      return FloatOf(Join); // float16 in NumPy: reported
    if (Fn == "round" || Fn == "around")
      return Join;
    if (Fn == "reciprocal") {
      if (!Join.isFloating())
        diag(DiagID::Unsupported, Site, {"`np.reciprocal` of integers", "is"});
      return Join.isFloating() ? Join : Type();
    }
    if (Fn == "square" || Fn == "negative" || Fn == "sign" || Fn == "power" || Fn == "fmod")
      return NoBoolArith(("np." + Fn.str()).c_str());
    if (Fn == "nan_to_num")
      return Join.isBool() ? Join : NoBoolArith("`np.nan_to_num`");
    if (Fn == "gcd" || Fn == "lcm") {
      if (!Join.isInteger()) {
        diag(DiagID::Unsupported, Site,
             {"`np." + Fn.str() + "` of " + Join.str() + " values (NumPy takes integers only)", "is"});
        return Type();
      }
      return Join;
    }
    if (Fn == "float_power")
      return Join.isComplex() ? Type::scalar(TypeKind::Complex128) : Type::float64();
    if (Fn == "angle" && Join.isComplex())
      return Join.complexPart();
    if (Fn == "ldexp") // the mantissa's float type
      return FloatOf(Kids[0]->Elem);
    if (JoinWeak)
      return Type::float64();
    return FloatOf(Join);
  }
  case Kind::Scalar:
  case Kind::Array:
  case Kind::Reduce:
    break;
  }
  return Join;
}

ArrayExprPtr FunctionLowerer::combine(Kind K, int Op, llvm::StringRef Fn,
                                      std::vector<ArrayExprPtr> Kids, SourceRange Site) {
  for (auto &Kid : Kids)
    if (!Kid)
      return nullptr;
  bool AnyArray = false;
  for (auto &Kid : Kids)
    AnyArray |= Kid->isArray();
  if (!AnyArray) {
    // Scalars only: Python's scalar semantics, computed here and now.
    std::vector<TypedValue> Args;
    for (auto &Kid : Kids)
      Args.push_back(Kid->Val);
    // np.sqrt(x), np.add(x, y) of scalars: NumPy's semantics.
    bool NumPy = K == Kind::Func || !Fn.empty();
    ArrayExpr Node;
    Node.K = K, Node.Op = Op, Node.Fn = Fn.str(), Node.Site = Site;
    if (NumPy) {
      Node.Elem = elementResultType(K, Op, Fn, Kids, Site);
      if (!Node.Elem.isValid())
        return nullptr;
    }
    return leafExpr(elementOp(Node, Args, NumPy), Site);
  }
  auto X = std::make_unique<ArrayExpr>();
  X->K = K, X->Op = Op, X->Fn = Fn.str(), X->Site = Site;
  X->Elem = elementResultType(K, Op, Fn, Kids, Site);
  if (!X->Elem.isValid())
    return nullptr;
  std::vector<std::vector<ir::ValueId>> Shapes;
  for (auto &Kid : Kids)
    Shapes.push_back(Kid->Shape);
  X->Shape = broadcastShapes(Shapes);
  X->Kids = std::move(Kids);
  return X;
}

bool FunctionLowerer::callsUserFunction(const ast::Expr &E) {
  auto Any = [&](const std::vector<ast::ExprPtr> &Xs) {
    for (auto &X : Xs)
      if (X && callsUserFunction(*X))
        return true;
    return false;
  };
  if (auto *C = dyn_cast<ast::CallExpr>(&E)) {
    if (auto *N = dyn_cast<ast::NameExpr>(C->Func.get()); N && ML.lookupFunction(N->Id))
      return true;
    for (const ast::Keyword &K : C->Keywords)
      if (K.Name == "out" || (K.Value && callsUserFunction(*K.Value)))
        return true; // (`out=` writes an array, as a function of the module may)
    return callsUserFunction(*C->Func) || Any(C->Args);
  }
  if (auto *X = dyn_cast<ast::BinOpExpr>(&E))
    return callsUserFunction(*X->LHS) || callsUserFunction(*X->RHS);
  if (auto *X = dyn_cast<ast::UnaryExpr>(&E))
    return callsUserFunction(*X->Operand);
  if (auto *X = dyn_cast<ast::CompareExpr>(&E))
    return callsUserFunction(*X->Left) || Any(X->Comparators);
  if (auto *X = dyn_cast<ast::BoolOpExpr>(&E))
    return Any(X->Values);
  if (auto *X = dyn_cast<ast::IfExpExpr>(&E))
    return callsUserFunction(*X->Test) || callsUserFunction(*X->Body) ||
           callsUserFunction(*X->OrElse);
  if (auto *X = dyn_cast<ast::SubscriptExpr>(&E))
    return callsUserFunction(*X->Value) || callsUserFunction(*X->Index);
  if (auto *X = dyn_cast<ast::AttributeExpr>(&E))
    return callsUserFunction(*X->Value);
  if (auto *X = dyn_cast<ast::TupleExpr>(&E))
    return Any(X->Elts);
  if (auto *X = dyn_cast<ast::ListExpr>(&E))
    return Any(X->Elts);
  if (auto *X = dyn_cast<ast::SliceExpr>(&E))
    return (X->Lower && callsUserFunction(*X->Lower)) || (X->Upper && callsUserFunction(*X->Upper)) ||
           (X->Step && callsUserFunction(*X->Step));
  return false;
}

void FunctionLowerer::settleBeforeCalls(ArrayExprPtr &Kid, const ast::Expr &Later) {
  // NumPy computes `a * 2.0` before evaluating `f(a)` in `a * 2.0 + f(a)`;
  // if f may write `a`, the fused loop would read it too late. So an
  // operand that is already a computation is computed now.
  if (Kid && Kid->isArray() && Kid->K != Kind::Array && callsUserFunction(Later))
    Kid = leafExpr(materialize(*Kid), Kid->Site);
}

ArrayExprPtr FunctionLowerer::cloneExpr(const ArrayExpr &X) {
  auto C = std::make_unique<ArrayExpr>();
  C->K = X.K;
  C->Val = X.Val;
  C->Elem = X.Elem;
  C->Shape = X.Shape;
  for (const ArrayExprPtr &Kid : X.Kids)
    C->Kids.push_back(cloneExpr(*Kid));
  C->Op = X.Op;
  C->Fn = X.Fn;
  C->Axis = X.Axis;
  C->KeepDims = X.KeepDims;
  C->Ddof = X.Ddof;
  C->Site = X.Site;
  return C; // (unbound: View is set when a loop binds the leaves)
}

/// np.allclose, np.divmod and np.modf: compositions of element-wise
/// functions (a reduction of isclose; two results from one set of operands).
ArrayExprPtr FunctionLowerer::buildComposite(llvm::StringRef Fn, const ast::CallExpr &Call) {
  if (Fn == "allclose") { // bool(np.all(np.isclose(...)))
    ArrayExprPtr C = buildUfuncCall(Call, "isclose");
    if (C && !C->isArray())
      return C;
    return C ? reduceNode("all", std::move(C), nullptr, false, Call.Range) : nullptr;
  }
  auto Got = bindNumpyArgs(Call, "np." + Fn.str(),
                           Fn == "divmod" ? std::vector<llvm::StringRef>{"x1", "x2"}
                                          : std::vector<llvm::StringRef>{"x"},
                           Fn == "divmod" ? 2 : 1);
  if (!Got)
    return nullptr;
  auto Node = [&](Kind K, int Op, llvm::StringRef Name, std::vector<ArrayExprPtr> Kids) {
    for (auto &Kid : Kids)
      if (!Kid)
        return ArrayExprPtr();
    return combine(K, Op, Name, std::move(Kids), Call.Range);
  };
  auto Vec = [](ArrayExprPtr X, ArrayExprPtr Y = nullptr, ArrayExprPtr Z = nullptr) {
    std::vector<ArrayExprPtr> V;
    for (ArrayExprPtr *P : {&X, &Y, &Z})
      if (*P)
        V.push_back(std::move(*P));
    return V;
  };
  ArrayExprPtr First, Second;
  if (Fn == "divmod") { // (x1 // x2, x1 % x2), NumPy's floor_divide and mod
    ArrayExprPtr X = buildArrayExpr(*Got->at("x1"));
    if (X)
      settleBeforeCalls(X, *Got->at("x2"));
    ArrayExprPtr Y = buildArrayExpr(*Got->at("x2"));
    if (!X || !Y)
      return nullptr;
    First = Node(Kind::Binary, (int)ast::BinOpKind::FloorDiv, "floor_divide",
                 Vec(cloneExpr(*X), cloneExpr(*Y)));
    Second = Node(Kind::Binary, (int)ast::BinOpKind::Mod, "mod", Vec(std::move(X), std::move(Y)));
  } else { // modf: (fraction, integral part), both with x's sign, as C's modf
    ArrayExprPtr X = buildArrayExpr(*Got->at("x"));
    if (!X)
      return nullptr;
    if (X->Elem.isComplex()) {
      diag(DiagID::Unsupported, Call.Range, {"`np.modf` of complex numbers", "is"});
      return nullptr;
    }
    Second = Node(Kind::Func, 0, "trunc", Vec(cloneExpr(*X)));
    ArrayExprPtr Diff = Node(Kind::Binary, (int)ast::BinOpKind::Sub, "subtract",
                             Vec(cloneExpr(*X), Node(Kind::Func, 0, "trunc", Vec(cloneExpr(*X)))));
    ArrayExprPtr Frac = Node(Kind::Func, 0, "where",
                             Vec(Node(Kind::Func, 0, "isinf", Vec(cloneExpr(*X))),
                                 leafExpr(constFloat(0.0), Call.Range), std::move(Diff)));
    First = Node(Kind::Func, 0, "copysign", Vec(std::move(Frac), std::move(X)));
  }
  if (!First || !Second)
    return nullptr;
  TypedValue A = materialize(*First), C = materialize(*Second);
  if (!A.ok() || !C.ok())
    return nullptr;
  Type TT = Type::tuple({A.Ty, C.Ty});
  return leafExpr({B.create1(ir::OpKind::TupleMake, {A.V, C.V}, TT), TT}, Call.Range);
}

/// np.f(...) of an element-wise function \p Fn with \p Call's arguments
/// (positional, optional by position or keyword, `out=`); null after a
/// diagnostic.
ArrayExprPtr FunctionLowerer::buildUfuncCall(const ast::CallExpr &Call, llvm::StringRef FnRef) {
  std::string Fn = FnRef.str();
  ArrayExprPtr R;
  const EwFn *Info = findEw(Fn);
  auto Optional = optionalParams(*Info);
  // The optional parameters, by position or keyword; null: absent.
  std::vector<const ast::Expr *> Opt(Optional.size(), nullptr);
  const ast::Expr *Out = nullptr;
  bool KwOk = true;
  for (const ast::Keyword &K : Call.Keywords) {
    auto It = llvm::find(Optional, K.Name);
    // (NumPy's functions that are not ufuncs have no `out=`.)
    bool TakesOut = Fn != "where" && Fn != "real" && Fn != "imag" && Fn != "angle" &&
                    Fn != "sinc" && Fn != "nan_to_num" && Fn != "isclose";
    if (K.Name == "out" && !Out && TakesOut) {
      Out = K.Value.get();
    } else if (It != Optional.end() && !Opt[It - Optional.begin()]) {
      Opt[It - Optional.begin()] = K.Value.get();
    } else {
      diag(DiagID::BadKeyword, K.Range, {"np." + Fn, K.Name});
      KwOk = false;
    }
  }
  size_t NArgs = Call.Args.size();
  if (!KwOk) {
    // reported above
  } else if (NArgs < Info->Arity || NArgs > Info->Arity + Optional.size()) {
    diag(DiagID::WrongArity, Call.Range,
         {"np." + Fn,
          Optional.empty() ? std::to_string(Info->Arity)
                           : std::to_string(Info->Arity) + " to " +
                                 std::to_string(Info->Arity + Optional.size()),
          std::to_string(NArgs)});
  } else {
    bool Ok = true;
    for (size_t K = Info->Arity; K < NArgs; ++K) {
      const ast::Expr *&Slot = Opt[K - Info->Arity];
      if (Slot) {
        diag(DiagID::MultipleValues, Call.Args[K]->Range,
             {"np." + Fn, Optional[K - Info->Arity].str()});
        Ok = false;
      }
      Slot = Call.Args[K].get();
    }
    // Built in source order (positional, then keywords as written), each
    // into its parameter's place; absent ones take NumPy's default in
    // elementOp.
    std::vector<const ast::Expr *> Params;
    for (size_t K = 0; K < Info->Arity; ++K)
      Params.push_back(Call.Args[K].get());
    Params.insert(Params.end(), Opt.begin(), Opt.end());
    std::vector<const ast::Expr *> Order;
    for (const ast::ExprPtr &A : Call.Args)
      Order.push_back(A.get());
    for (const ast::Keyword &Kw : Call.Keywords)
      if (llvm::is_contained(Opt, Kw.Value.get()))
        Order.push_back(Kw.Value.get());
    std::vector<ArrayExprPtr> Kids(Params.size());
    for (const ast::Expr *A : Order) {
      if (!Ok)
        break;
      for (auto &Prev : Kids)
        settleBeforeCalls(Prev, *A);
      auto &Slot = Kids[llvm::find(Params, A) - Params.begin()];
      Slot = buildArrayExpr(*A);
      Ok = Slot != nullptr;
    }
    for (auto &Kid : Kids)
      if (Ok && !Kid)
        Kid = leafExpr({ir::ValueId(), Type::none()}, Call.Range);
    // np.nan_to_num(x, copy=False) replaces in x itself.
    bool Itself = false;
    if (Ok && Fn == "nan_to_num" && Opt[0]) {
      auto *Copy = dyn_cast<ast::BoolLitExpr>(Opt[0]);
      if (!Copy) {
        diag(DiagID::Unsupported, Opt[0]->Range, {"a `copy=` that is not True or False", "is"});
        Ok = false;
      } else if (!Copy->Value && Kids[0]->K == Kind::Array && !Kids[0]->Elem.isFloating()) {
        Itself = true; // nothing to replace: the array itself, as NumPy
      } else if (!Copy->Value && Kids[0]->K == Kind::Array &&
                 Kids[0]->Elem.isFloating()) {
        const ast::Expr *X0 = Call.Args[0].get();
        if (isa<ast::NameExpr>(X0) || isa<ast::AttributeExpr>(X0) ||
            isa<ast::SubscriptExpr>(X0))
          Out = X0;
        else {
          diag(DiagID::Unsupported, Opt[0]->Range,
               {"`copy=False` of anything but a variable, attribute or subscript", "is"});
          Ok = false;
        }
      }
    }
    // NumPy's operator functions (np.add, np.less, ...) are the operators.
    Kind K = Kind::Func;
    int Op = 0;
    if (Info->OpKind >= 0)
      K = Info->Kind, Op = Info->OpKind;
    // np.round of an integer array (no decimals) is the array itself.
    if (Ok && !Out && (Fn == "round" || Fn == "around") && Kids.size() == 1 &&
        Kids[0]->K == Kind::Array && Kids[0]->Elem.isInteger() && !Kids[0]->Elem.isBool())
      Itself = true;
    if (Ok && Itself)
      R = std::move(Kids[0]);
    else if (Ok)
      R = combine(K, Op, Fn, std::move(Kids), Call.Range);
    if (R && Out) {
      // out=: computed into that array, which is the call's value.
      TypedValue O = lowerExpr(*Out);
      if (O.ok() && !O.Ty.isArray()) {
        diag(DiagID::TypeMismatch, Out->Range, {"an array for `out=`", pyTypeName(O.Ty)});
        O = bad();
      }
      if (!O.ok() || !checkInPlaceType(R->Elem, O.Ty.elementType(), Out->Range,
                                       "`out=` arrays"))
        R = nullptr;
      else {
        storeInto(O, *R, Call.Range);
        R = leafExpr(O, Call.Range);
      }
    }
  }
  return R;
}

ArrayExprPtr FunctionLowerer::buildArrayExpr(const ast::Expr &E) {
  SourceLoc Saved = B.loc();
  B.setLoc(E.Range.Begin);
  ArrayExprPtr R;
  if (auto *Bin = dyn_cast<ast::BinOpExpr>(&E); Bin && Bin->Op != ast::BinOpKind::MatMul) {
    // Both sides are lowered even after an error, to report both.
    ArrayExprPtr L = buildArrayExpr(*Bin->LHS);
    settleBeforeCalls(L, *Bin->RHS);
    ArrayExprPtr Rt = buildArrayExpr(*Bin->RHS);
    if (!L || !Rt) {
      R = nullptr;
    } else if (!L->isArray() && !Rt->isArray()) {
      R = leafExpr(binaryOp(Bin->Op, L->Val, Rt->Val, Bin->RHS.get(), E.Range), E.Range);
    } else {
      std::vector<ArrayExprPtr> Kids;
      Kids.push_back(std::move(L));
      Kids.push_back(std::move(Rt));
      R = combine(Kind::Binary, (int)Bin->Op, "", std::move(Kids), E.Range);
    }
  } else if (auto *U = dyn_cast<ast::UnaryExpr>(&E); U && U->Op != ast::UnaryOpKind::Not) {
    ArrayExprPtr V = buildArrayExpr(*U->Operand);
    if (V && !V->isArray()) {
      R = leafExpr(unaryOp(U->Op, V->Val, E.Range), E.Range);
    } else if (V) {
      std::vector<ArrayExprPtr> Kids;
      Kids.push_back(std::move(V));
      R = combine(Kind::Unary, (int)U->Op, "", std::move(Kids), E.Range);
    }
  } else if (auto *C = dyn_cast<ast::CompareExpr>(&E); C && C->Ops.size() == 1) {
    ArrayExprPtr L = buildArrayExpr(*C->Left);
    settleBeforeCalls(L, *C->Comparators[0]);
    ArrayExprPtr Rt = buildArrayExpr(*C->Comparators[0]);
    bool IsOp = C->Ops[0] == ast::CmpOpKind::Is || C->Ops[0] == ast::CmpOpKind::IsNot;
    if (L && Rt && !L->isArray() && !Rt->isArray()) {
      R = leafExpr(compare(C->Ops[0], L->Val, Rt->Val, E.Range), E.Range);
    } else if (L && Rt && IsOp &&
               ((!L->isArray() && L->Val.Ty.isNone()) || (!Rt->isArray() && Rt->Val.Ty.isNone()))) {
      // `a is None` for an array `a`: known to be false.
      R = leafExpr(constBool(C->Ops[0] == ast::CmpOpKind::IsNot), E.Range);
    } else if (L && Rt) {
      if (C->Ops[0] > ast::CmpOpKind::Ne) {
        diag(DiagID::Unsupported, E.Range,
             {std::string("`") + ast::spelling(C->Ops[0]) + "` on arrays", "is"});
      } else {
        std::vector<ArrayExprPtr> Kids;
        Kids.push_back(std::move(L));
        Kids.push_back(std::move(Rt));
        R = combine(Kind::Compare, (int)C->Ops[0], "", std::move(Kids), E.Range);
      }
    }
  } else if (auto *Call = dyn_cast<ast::CallExpr>(&E);
             Call && (numpyCallee(*Call) == "linalg.norm" || numpyCallee(*Call) == "average")) {
    R = buildNormOrAverage(numpyCallee(*Call), *Call);
  } else if (auto *Call = dyn_cast<ast::CallExpr>(&E);
             Call && isOrderStatistic(numpyCallee(*Call))) {
    R = buildOrderStatistic(numpyCallee(*Call), *Call);
  } else if (auto *Call = dyn_cast<ast::CallExpr>(&E); Call && reductionCallee(*Call)) {
    // A reduction inside an expression: computed in the consumer's loop
    // nest when the consumer reads each of its elements once.
    auto [Fn, Obj] = *reductionCallee(*Call);
    R = buildReduction(Fn, *Call, Obj);
  } else if (auto *Call = dyn_cast<ast::CallExpr>(&E);
             Call && numpyCallee(*Call) == "outer" && Call->Args.size() == 2 &&
             Call->Keywords.empty()) {
    // np.outer(a, b) = a[:, None] * b[None, :] of 1-D a and b.
    std::vector<ArrayExprPtr> Kids;
    for (unsigned K = 0; K < 2; ++K) {
      TypedValue V = lowerExpr(*Call->Args[K]);
      if (V.ok() && (!V.Ty.isArray() || V.Ty.ndim() != 1)) {
        diag(DiagID::Unsupported, Call->Args[K]->Range, {"`np.outer` of anything but 1-D arrays", "is"});
        V = bad();
      }
      if (V.ok()) {
        IntOps I{B, *F};
        std::vector<ir::ValueId> Ext{I.dim(V.V, 0), I.c(1)}, Str{I.stride(V.V, 0), I.c(0)};
        if (K == 1)
          std::swap(Ext[0], Ext[1]), std::swap(Str[0], Str[1]);
        Type VT = Type::array(V.Ty.elementType(), 2, false);
        V = {makeView(B, V.V, I.c(0), Ext, Str, VT), VT};
      }
      Kids.push_back(leafExpr(V, Call->Args[K]->Range));
    }
    R = combine(Kind::Binary, (int)ast::BinOpKind::Mul, "", std::move(Kids), E.Range);
  } else if (auto *Call = dyn_cast<ast::CallExpr>(&E);
             Call && (numpyCallee(*Call) == "round" || numpyCallee(*Call) == "around") &&
             (Call->Args.size() == 2 ||
              (Call->Keywords.size() == 1 && Call->Keywords[0].Name == "decimals"))) {
    R = buildRoundDecimals(*Call);
  } else if (auto *Call = dyn_cast<ast::CallExpr>(&E);
             Call && (numpyCallee(*Call) == "allclose" || numpyCallee(*Call) == "divmod" ||
                      numpyCallee(*Call) == "modf")) {
    R = buildComposite(numpyCallee(*Call), *Call);
  } else if (auto *Call = dyn_cast<ast::CallExpr>(&E); Call && !ufuncMethod(*Call).first.empty()) {
    R = buildUfuncMethod(*Call);
  } else if (auto *Call = dyn_cast<ast::CallExpr>(&E);
             Call && numpyCallee(*Call) == "where" && Call->Args.size() == 1) {
    R = leafExpr(lowerExpr(E), E.Range); // np.where(cond): indices, not elements
  } else if (auto *Call = dyn_cast<ast::CallExpr>(&E); Call && isPartCall(*Call)) {
    // np.real(a) is a.real: a view, read as such.
    TypedValue V = lowerExpr(*Call->Args[0]);
    R = V.ok() ? leafExpr(partOf(V, numpyCallee(*Call) == "imag", E.Range), E.Range) : nullptr;
  } else if (auto *Call = dyn_cast<ast::CallExpr>(&E);
             Call && isElementwiseFn(numpyCallee(*Call))) {
    R = buildUfuncCall(*Call, numpyCallee(*Call));
  } else if (auto *N = dyn_cast<ast::NameExpr>(&E);
             N && SubstituteFor.count(N->Id) && isLocal(N->Id)) {
    // Fused into this statement. A second read in the statement shares the
    // first one's operands (one reshape view, not two), so that LLVM sees
    // the same loads and computes `diff * diff` from one `diff`.
    auto It = SubstitutedTrees.find(N->Id);
    if (It != SubstitutedTrees.end()) {
      R = cloneExpr(*It->second);
    } else {
      R = buildArrayExpr(*SubstituteFor[N->Id]);
      if (R)
        SubstitutedTrees[N->Id] = cloneExpr(*R);
    }
  } else {
    R = leafExpr(lowerExpr(E), E.Range);
  }
  B.setLoc(Saved);
  return R;
}

//===----------------------------------------------------------------------===//
// Element computation
//===----------------------------------------------------------------------===//

TypedValue FunctionLowerer::elementOp(const ArrayExpr &X, std::vector<TypedValue> Args,
                                      bool NumPy) {
  for (auto &A : Args)
    if (!A.ok())
      return bad();
  auto Mark = [&](ir::ValueId V) {
    if (NumPy)
      F->op(F->definingOp(V)).Attrs.set("numpy", true);
    return V;
  };
  auto Conv = [&](TypedValue V, Type T) { return convert(V, T, X.Site, "an operand").V; };
  switch (X.K) {
  case Kind::Binary: {
    auto Op = (ast::BinOpKind)X.Op;
    if (!NumPy)
      return binaryOp(Op, Args[0], Args[1], nullptr, X.Site);
    Type T = X.Elem;
    switch (Op) {
    case ast::BinOpKind::Add:
    case ast::BinOpKind::Sub:
    case ast::BinOpKind::Mul:
    case ast::BinOpKind::Div:
    case ast::BinOpKind::FloorDiv:
    case ast::BinOpKind::Mod: {
      if (T.isBool() && (Op == ast::BinOpKind::Add || Op == ast::BinOpKind::Mul))
        return {B.create1(Op == ast::BinOpKind::Add ? ir::OpKind::BitOr : ir::OpKind::BitAnd,
                          {Args[0].V, Args[1].V}, T),
                T};
      return {Mark(B.create1(arithKind(Op), {Conv(Args[0], T), Conv(Args[1], T)}, T)), T};
    }
    case ast::BinOpKind::Pow: {
      // NumPy's fast scalar powers: an array ** 2, 0.5, -1, 1 or 0 (a
      // constant scalar exponent) is a square, sqrt, reciprocal, copy or one.
      if (X.Kids.size() == 2 && !X.Kids[1]->isArray() && X.Kids[0]->isArray()) {
        ir::OpId C = F->definingOp(Args[1].V);
        if (C.isValid() && F->op(C).Kind == ir::OpKind::Const) {
          const ir::AttrValue *V = F->op(C).Attrs.get("value");
          std::optional<double> K;
          if (auto *I = std::get_if<int64_t>(V))
            K = (double)*I;
          else if (auto *D = std::get_if<double>(V))
            K = *D;
          ir::ValueId A = Conv(Args[0], T);
          if (K && *K == 2.0)
            return {Mark(B.create1(ir::OpKind::Mul, {A, A}, T)), T};
          if (K && *K == 1.0)
            return {A, T};
          if (K && *K == 0.0)
            return {typedConst(T, 1), T};
          if (K && *K == 0.5 && T.isFloating())
            return {Mark(mathOp("sqrt", {A}, T)), T};
          if (K && *K == -1.0 && T.isFloating())
            return {Mark(B.create1(ir::OpKind::Div, {typedConst(T, 1), A}, T)), T};
        }
        if (T.isFloating()) {
          // A scalar exponent known at run time: NumPy looks at its value
          // (0.5 is sqrt, 2 a square, -1 a reciprocal).
          ir::ValueId A = Conv(Args[0], T), E = Conv(Args[1], T);
          ir::ValueId R = Mark(B.create1(ir::OpKind::Pow, {A, E}, T));
          auto Case = [&](double V, ir::ValueId Then) {
            R = B.create1(ir::OpKind::Select, {B.cmp("eq", E, typedConst(T, V)), Then, R}, T);
          };
          Case(-1.0, Mark(B.create1(ir::OpKind::Div, {typedConst(T, 1), A}, T)));
          Case(2.0, Mark(B.create1(ir::OpKind::Mul, {A, A}, T)));
          Case(0.5, Mark(mathOp("sqrt", {A}, T)));
          return {R, T};
        }
      }
      // Integers wrap, and a negative integer exponent raises NumPy's
      // ValueError.
      return {Mark(B.create1(ir::OpKind::Pow, {Conv(Args[0], T), Conv(Args[1], T)}, T)), T};
    }
    default:
      return binaryOp(Op, Args[0], Args[1], nullptr, X.Site);
    }
  }
  case Kind::Unary: {
    auto Op = (ast::UnaryOpKind)X.Op;
    if (NumPy && Op == ast::UnaryOpKind::Neg)
      return {Mark(B.create1(ir::OpKind::Neg, {Conv(Args[0], X.Elem)}, X.Elem)), X.Elem};
    if (NumPy && Op == ast::UnaryOpKind::Invert && Args[0].Ty.isBool())
      return {B.create1(ir::OpKind::Not, {Args[0].V}, Type::boolean()), Type::boolean()};
    return unaryOp(Op, Args[0], X.Site);
  }
  case Kind::Compare: {
    if (!NumPy)
      return compare((ast::CmpOpKind)X.Op, Args[0], Args[1], X.Site);
    static const char *const CmpPreds[] = {"lt", "le", "gt", "ge", "eq", "ne"};
    if (Args[0].Ty.isSized() || Args[1].Ty.isSized())
      return sizedCompare(CmpPreds[X.Op], Args[0], Args[1], X.Site);
    // NumPy compares an int64 with a float64 after converting it to float64.
    Type T = joinTypes(Args[0].Ty, Args[1].Ty);
    static const char *const Preds[] = {"lt", "le", "gt", "ge", "eq", "ne"};
    return {B.cmp(Preds[X.Op], Conv(Args[0], T), Conv(Args[1], T)), Type::boolean()};
  }
  case Kind::Func: {
    llvm::StringRef Fn = X.Fn;
    const EwFn *Info = findEw(Fn);
    Type F64 = Type::float64();
    if (Info->MathFn) {
      // Computed in the result's float type (float32 for float32 inputs).
      Type FT = !Info->Pred && X.Elem.isValid() && (X.Elem.isFloating() || X.Elem.isComplex())
                    ? X.Elem
                    : F64;
      std::vector<ir::ValueId> Ops;
      for (auto &A : Args)
        Ops.push_back(Info->Pred && (A.Ty.isFloating() || A.Ty.isComplex()) ? A.V : Conv(A, FT));
      Type RT = Info->Pred ? Type::boolean() : FT;
      return {Mark(mathOp(Info->MathFn, Ops, RT)), RT};
    }
    Type T = X.Elem;
    if (!T.isValid()) {
      // Folding scalars: the type as elementResultType would give it.
      std::vector<ArrayExprPtr> Kids;
      for (auto &A : Args) {
        Kids.push_back(std::make_unique<ArrayExpr>());
        Kids.back()->Elem = A.Ty;
      }
      T = elementResultType(Kind::Func, 0, Fn, Kids, X.Site);
      if (!T.isValid())
        return bad();
    }
    if (Args[0].Ty.isComplex() && (Fn == "abs" || Fn == "absolute" || Fn == "real" ||
                                   Fn == "imag" || Fn == "conj" || Fn == "conjugate")) {
      llvm::StringRef M = Fn == "absolute" ? "abs" : Fn == "conjugate" ? "conj" : Fn;
      return {Mark(mathOp(M, {Args[0].V}, T)), T};
    }
    ir::ValueId Zero = typedConst(T, 0);
    if (Fn == "abs" || Fn == "absolute") {
      if (T.isBool())
        return Args[0];
      if (T.isFloating())
        return {Mark(mathOp("fabs", {Conv(Args[0], T)}, T)), T};
      ir::ValueId V = Conv(Args[0], T);
      ir::ValueId N = Mark(B.create1(ir::OpKind::Neg, {V}, T)); // wraps at INT64_MIN, as NumPy
      return {B.create1(ir::OpKind::Select, {B.cmp("lt", V, Zero), N, V}, T), T};
    }
    if (Fn == "negative")
      return {Mark(B.create1(ir::OpKind::Neg, {Conv(Args[0], T)}, T)), T};
    if (Fn == "conj" || Fn == "conjugate" || Fn == "real")
      return {Conv(Args[0], T), T}; // real numbers
    if (Fn == "imag") // of a real number
      return {T.isBool() ? B.constBool(false) : Zero, T};
    if (Fn == "round" || Fn == "around") {
      if (!T.isFloating())
        return {Conv(Args[0], T), T};
      return {Mark(mathOp("round", {Conv(Args[0], T)}, T)), T}; // half to even
    }
    if (Fn == "reciprocal")
      return {Mark(B.create1(ir::OpKind::Div, {typedConst(T, 1), Conv(Args[0], T)}, T)), T};
    if (Fn == "clip") {
      // NumPy's _NPY_CLIP: min(max(a, lo), hi) where max(a, b) is a if a is
      // NaN, else (a > b ? a : b) (so b on ties: clip(-0.0, 0.0, 1.0) is
      // 0.0), and min likewise with <. A NaN bound is no bound, as NumPy's
      // (deprecated) reading of a NaN scalar.
      ir::ValueId A = Conv(Args[0], T), Lo = Conv(Args[1], T), Hi = Conv(Args[2], T);
      auto Pick = [&](const char *Pred, ir::ValueId X, ir::ValueId Y) {
        ir::ValueId C = B.cmp(Pred, X, Y);
        if (T.isFloating())
          C = B.create1(ir::OpKind::BitOr,
                        {C, B.create1(ir::OpKind::BitOr, {B.cmp("ne", X, X), B.cmp("ne", Y, Y)},
                                      Type::boolean())},
                        Type::boolean());
        return B.create1(ir::OpKind::Select, {C, X, Y}, T);
      };
      return {Pick("lt", Pick("gt", A, Lo), Hi), T};
    }
    if (Fn == "square") {
      ir::ValueId V = Conv(Args[0], T);
      return {Mark(B.create1(ir::OpKind::Mul, {V, V}, T)), T};
    }
    if (Fn == "power") {
      ir::ValueId R = B.create1(ir::OpKind::Pow, {Conv(Args[0], T), Conv(Args[1], T)}, T);
      return {Mark(R), T};
    }
    if (Fn == "sign") {
      ir::ValueId V = Conv(Args[0], T);
      ir::ValueId One = typedConst(T, 1);
      ir::ValueId MOne = typedConst(T, -1);
      ir::ValueId R = B.create1(ir::OpKind::Select,
                                {B.cmp("gt", V, Zero), One,
                                 B.create1(ir::OpKind::Select, {B.cmp("lt", V, Zero), MOne, Zero}, T)},
                                T);
      if (T.isFloating()) // sign(nan) is nan
        R = B.create1(ir::OpKind::Select, {B.cmp("ne", V, V), V, R}, T);
      return {R, T};
    }
    if (Fn == "minimum" || Fn == "maximum" || Fn == "fmin" || Fn == "fmax") {
      ir::ValueId A = Conv(Args[0], T), C = Conv(Args[1], T);
      bool Min = Fn == "minimum" || Fn == "fmin";
      ir::ValueId Pick = B.cmp(Min ? "lt" : "gt", A, C); // c on ties (-0.0 vs 0.0), as NumPy
      if (T.isFloating()) {
        // minimum/maximum propagate NaN; fmin/fmax ignore it.
        bool Propagate = Fn == "minimum" || Fn == "maximum";
        ir::ValueId ANan = B.cmp("ne", A, A), CNan = B.cmp("ne", C, C);
        ir::ValueId Take = Propagate ? ANan : CNan;
        Pick = B.create1(ir::OpKind::BitOr, {Pick, Take}, Type::boolean());
      }
      return {B.create1(ir::OpKind::Select, {Pick, A, C}, T), T};
    }
    if (Fn == "where") {
      TypedValue Cond = truthy(Args[0], X.Site);
      return {B.create1(ir::OpKind::Select, {Cond.V, Conv(Args[1], T), Conv(Args[2], T)}, T), T};
    }
    // NumPy's other element-wise functions, computed as NumPy's C loops do.
    auto Sel = [&](ir::ValueId C, ir::ValueId A, ir::ValueId D, Type RT) {
      return B.create1(ir::OpKind::Select, {C, A, D}, RT);
    };
    auto Arith = [&](ir::OpKind Op, ir::ValueId A, ir::ValueId C, Type RT) {
      return Mark(B.create1(Op, {A, C}, RT));
    };
    auto And = [&](ir::ValueId A, ir::ValueId C) {
      return B.create1(ir::OpKind::BitAnd, {A, C}, Type::boolean());
    };
    auto Given = [&](size_t K) { return K < Args.size() && !Args[K].Ty.isNone(); };
    // A float constant as NumPy's float32 loops have it (rounded to float).
    auto FConst = [&](Type FT, double V64, float V32) {
      return typedConst(FT, FT.isFloat32() ? (double)V32 : V64);
    };
    const float PiF = (float)M_PI;
    if (Fn == "deg2rad" || Fn == "radians")
      return {Arith(ir::OpKind::Mul, Conv(Args[0], T), FConst(T, M_PI / 180.0, PiF / 180.0f), T), T};
    if (Fn == "rad2deg" || Fn == "degrees")
      return {Arith(ir::OpKind::Mul, Conv(Args[0], T), FConst(T, 180.0 / M_PI, 180.0f / PiF), T), T};
    if (Fn == "sinc") { // y = pi * where(x == 0, 1e-20, x); sin(y) / y
      ir::ValueId V = Conv(Args[0], T);
      ir::ValueId Y = Sel(B.cmp("eq", V, typedConst(T, 0)), typedConst(T, 1.0e-20), V, T);
      Y = Arith(ir::OpKind::Mul, FConst(T, M_PI, PiF), Y, T);
      return {Arith(ir::OpKind::Div, Mark(mathOp("sin", {Y}, T)), Y, T), T};
    }
    if (Fn == "heaviside") { // 0 below zero, h0 at zero, 1 above, NaN for NaN
      ir::ValueId V = Conv(Args[0], T), H0 = Conv(Args[1], T);
      ir::ValueId R = Sel(B.cmp("lt", V, typedConst(T, 0)), typedConst(T, 0), typedConst(T, 1), T);
      R = Sel(B.cmp("eq", V, typedConst(T, 0)), H0, R, T);
      return {Sel(B.cmp("ne", V, V), V, R, T), T};
    }
    if (Fn == "fmod") {
      ir::ValueId A = Conv(Args[0], T), D = Conv(Args[1], T);
      if (T.isFloating())
        return {Mark(mathOp("fmod", {A, D}, T)), T};
      // C's remainder (the dividend's sign) from the floor one; 0 for a
      // zero divisor, as NumPy's loop gives.
      ir::ValueId Zero = typedConst(T, 0);
      ir::ValueId DZero = B.cmp("eq", D, Zero);
      ir::ValueId Safe = Sel(DZero, typedConst(T, 1), D, T);
      ir::ValueId R = Arith(ir::OpKind::Mod, A, Safe, T);
      ir::ValueId Fix = And(B.cmp("ne", R, Zero),
                            B.cmp("ne", B.cmp("lt", R, Zero), B.cmp("lt", A, Zero)));
      R = Sel(Fix, Arith(ir::OpKind::Sub, R, Safe, T), R, T);
      return {Sel(DZero, Zero, R, T), T};
    }
    if (Fn == "spacing") { // the step to the next float away from zero; NaN for inf
      ir::ValueId V = Conv(Args[0], T);
      ir::ValueId Inf = typedConst(T, INFINITY);
      ir::ValueId Next = Mark(mathOp("nextafter", {V, Mark(mathOp("copysign", {Inf, V}, T))}, T));
      ir::ValueId R = Arith(ir::OpKind::Sub, Next, V, T);
      R = Sel(B.cmp("eq", V, typedConst(T, 0)),
              FConst(T, std::numeric_limits<double>::denorm_min(),
                     std::numeric_limits<float>::denorm_min()),
              R, T);
      return {Sel(Mark(mathOp("isinf", {V}, Type::boolean())), typedConst(T, NAN), R, T), T};
    }
    if (Fn == "logaddexp" || Fn == "logaddexp2") {
      // NumPy's npy_logaddexp(2): equal inputs (infinities too) give
      // x + log(2) (x + 1); otherwise the larger plus log1p of the rest.
      bool Two = Fn == "logaddexp2";
      ir::ValueId X0 = Conv(Args[0], T), Y0 = Conv(Args[1], T);
      ir::ValueId Tmp = Arith(ir::OpKind::Sub, X0, Y0, T);
      auto Tail = [&](ir::ValueId D) { // log1p(exp(D)), or log2(1 + exp2(D))
        ir::ValueId E = Mark(mathOp(Two ? "exp2" : "exp", {D}, T));
        ir::ValueId L = Mark(mathOp("log1p", {E}, T));
        return Two ? Arith(ir::OpKind::Mul, FConst(T, M_LOG2E, (float)M_LOG2E), L, T) : L;
      };
      ir::ValueId NegTmp = Mark(B.create1(ir::OpKind::Neg, {Tmp}, T));
      ir::ValueId Pos = Arith(ir::OpKind::Add, X0, Tail(NegTmp), T);
      ir::ValueId Neg = Arith(ir::OpKind::Add, Y0, Tail(Tmp), T);
      ir::ValueId R = Sel(B.cmp("le", Tmp, typedConst(T, 0)), Neg, Tmp, T);
      R = Sel(B.cmp("gt", Tmp, typedConst(T, 0)), Pos, R, T);
      ir::ValueId Same =
          Arith(ir::OpKind::Add, X0, Two ? typedConst(T, 1) : FConst(T, M_LN2, (float)M_LN2), T);
      return {Sel(B.cmp("eq", X0, Y0), Same, R, T), T};
    }
    if (Fn == "float_power")
      return {Mark(B.create1(ir::OpKind::Pow, {Conv(Args[0], T), Conv(Args[1], T)}, T)), T};
    if (Fn == "ldexp")
      return {Mark(mathOp("ldexp", {Conv(Args[0], T), Args[1].V}, T)), T};
    if (Fn == "gcd" || Fn == "lcm")
      return {Mark(mathOp(Fn, {Conv(Args[0], T), Conv(Args[1], T)}, T)), T};
    if (Fn == "angle") { // atan2(imag, real), in degrees if deg
      ir::ValueId R = Args[0].Ty.isComplex()
                          ? Mark(mathOp("phase", {Args[0].V}, T))
                          : Mark(mathOp("atan2", {typedConst(T, 0), Conv(Args[0], T)}, T));
      if (Given(1))
        R = Sel(truthy(Args[1], X.Site).V, Arith(ir::OpKind::Mul, R, typedConst(T, 180.0 / M_PI), T),
                R, T);
      return {R, T};
    }
    if (Fn == "nan_to_num") {
      ir::ValueId V = Conv(Args[0], T);
      if (!T.isFloating())
        return {V, T};
      double Max = T.isFloat32() ? (double)std::numeric_limits<float>::max()
                                 : std::numeric_limits<double>::max();
      ir::ValueId Nan = Given(2) ? Conv(Args[2], T) : typedConst(T, 0);
      ir::ValueId PInf = Given(3) ? Conv(Args[3], T) : typedConst(T, Max);
      ir::ValueId NInf = Given(4) ? Conv(Args[4], T) : typedConst(T, -Max);
      ir::ValueId R = Sel(B.cmp("eq", V, typedConst(T, -INFINITY)), NInf, V, T);
      R = Sel(B.cmp("eq", V, typedConst(T, INFINITY)), PInf, R, T);
      return {Sel(B.cmp("ne", V, V), Nan, R, T), T};
    }
    if (Fn == "signbit" || Fn == "isposinf" || Fn == "isneginf") {
      Type AT = Args[0].Ty, Bool = Type::boolean();
      if (!AT.isFloating()) // integers: signbit is x < 0; never infinite
        return {Fn == "signbit" && !AT.isBool() && !AT.isUnsigned()
                    ? B.cmp("lt", Args[0].V, typedConst(AT, 0))
                    : B.constBool(false),
                Bool};
      if (Fn == "signbit")
        return {B.cmp("lt", Mark(mathOp("copysign", {typedConst(AT, 1), Args[0].V}, AT)),
                      typedConst(AT, 0)),
                Bool};
      return {B.cmp("eq", Args[0].V, typedConst(AT, Fn == "isposinf" ? INFINITY : -INFINITY)),
              Bool};
    }
    if (Fn == "isclose") {
      // NumPy 1.x: |x - y| <= atol + rtol * |y| where both are finite, x == y
      // where not; equal_nan also takes two NaNs as close. Computed in the
      // operands' float type (float32 stays float32, as NumPy).
      Type J;
      bool JWeak = false;
      for (size_t K = 0; K < 2; ++K) {
        bool Weak = K < X.Kids.size() ? !X.Kids[K]->isArray() && isWeak(Args[K].Ty)
                                      : isWeak(Args[K].Ty);
        J = K == 0 ? Args[K].Ty : promoteTypes(J, JWeak, Args[K].Ty, Weak);
        JWeak = K == 0 ? Weak : JWeak && Weak;
      }
      Type FT = J.isFloating() ? J : Type::float64();
      ir::ValueId XV = Conv(Args[0], FT), YV = Conv(Args[1], FT);
      ir::ValueId RTol = Given(2) ? Conv(Args[2], FT) : typedConst(FT, 1e-05);
      ir::ValueId ATol = Given(3) ? Conv(Args[3], FT) : typedConst(FT, 1e-08);
      ir::ValueId Diff = Mark(mathOp("fabs", {Arith(ir::OpKind::Sub, XV, YV, FT)}, FT));
      ir::ValueId Tol = Arith(ir::OpKind::Add, ATol,
                              Arith(ir::OpKind::Mul, RTol, Mark(mathOp("fabs", {YV}, FT)), FT), FT);
      ir::ValueId Finite = And(Mark(mathOp("isfinite", {XV}, Type::boolean())),
                               Mark(mathOp("isfinite", {YV}, Type::boolean())));
      // (Infinities compare in the operands' own types: a float32 inf is not
      // a float64 1e40 that would round to it.)
      Type ET = promoteTypes(promoteTypes(Args[0].Ty, false, Args[1].Ty, false), false, FT, false);
      ir::ValueId Same = B.cmp("eq", Conv(Args[0], ET), Conv(Args[1], ET));
      ir::ValueId R = Sel(Finite, B.cmp("le", Diff, Tol), Same, Type::boolean());
      if (Given(4)) {
        ir::ValueId BothNan = And(B.cmp("ne", XV, XV), B.cmp("ne", YV, YV));
        R = B.create1(ir::OpKind::BitOr, {R, And(BothNan, truthy(Args[4], X.Site).V)},
                      Type::boolean());
      }
      return {R, Type::boolean()};
    }
    if (Fn.starts_with("logical_")) {
      std::vector<ir::ValueId> Bs;
      for (auto &A : Args)
        Bs.push_back(truthy(A, X.Site).V);
      if (Fn == "logical_not")
        return {B.create1(ir::OpKind::Not, {Bs[0]}, Type::boolean()), Type::boolean()};
      ir::OpKind K = Fn == "logical_and"  ? ir::OpKind::BitAnd
                     : Fn == "logical_or" ? ir::OpKind::BitOr
                                          : ir::OpKind::BitXor;
      return {B.create1(K, {Bs[0], Bs[1]}, Type::boolean()), Type::boolean()};
    }
    break;
  }
  case Kind::Scalar:
  case Kind::Array:
  case Kind::Reduce:
    break;
  }
  return bad();
}

void FunctionLowerer::hoistBroadcastReductions(ArrayExpr &X, const std::vector<ir::ValueId> &Shape) {
  if (X.K == Kind::Reduce) {
    if (X.Shape == Shape)
      hoistBroadcastReductions(*X.Kids[0], X.Kids[0]->Shape);
    else
      bindLeaves(X, Shape); // materializes it into a leaf
    return;
  }
  for (auto &Kid : X.Kids)
    hoistBroadcastReductions(*Kid, Shape);
}

void FunctionLowerer::bindLeaves(ArrayExpr &X, const std::vector<ir::ValueId> &Shape,
                                 bool AssumeEqual, ExtentPairs *Unproven) {
  if (X.K == Kind::Reduce) {
    if (X.Shape == Shape) {
      // Inlined: its operand is read over the operand's own index space.
      bindLeaves(*X.Kids[0], X.Kids[0]->Shape, AssumeEqual, Unproven);
      return;
    }
    // Broadcast into the loop (`x - x.max(axis=1, keepdims=True)`): each
    // element would be recomputed, so it is computed once, before.
    TypedValue M = materialize(X);
    PendingFusionNote.clear();
    if (ir::OpId Last = lastLoop(); Last.isValid())
      F->op(Last).Attrs.set("fusion", "`" + X.Fn + "` along axis " + std::to_string(X.Axis) +
                                          " computed into an array first (not fused): the "
                                          "expression that uses it reads each result many times");
    X.K = Kind::Array;
    X.Val = M;
    X.Kids.clear();
  }
  if (X.K == Kind::Array)
    X.View = broadcastView(X.Val, Shape, AssumeEqual, Unproven);
  for (auto &Kid : X.Kids)
    bindLeaves(*Kid, Shape, AssumeEqual, Unproven);
}

TypedValue FunctionLowerer::emitElement(ArrayExpr &X, const std::vector<ir::ValueId> &Idx) {
  switch (X.K) {
  case Kind::Scalar:
    return X.Val;
  case Kind::Array: {
    std::vector<ir::ValueId> Ops{X.View};
    Ops.insert(Ops.end(), Idx.begin(), Idx.end());
    return {B.create1(ir::OpKind::ArrayLoad, Ops, X.Elem), X.Elem};
  }
  case Kind::Reduce:
    return inlineReduce(X, Idx);
  default: {
    std::vector<TypedValue> Args;
    for (auto &Kid : X.Kids)
      Args.push_back(emitElement(*Kid, Idx));
    return elementOp(X, Args, /*NumPy=*/true);
  }
  }
}

ir::OpId FunctionLowerer::lastLoop() {
  const auto &Ops = F->region(B.insertionRegion()).Ops;
  for (size_t K = Ops.size(); K-- > 0;)
    if (F->op(Ops[K]).Kind == ir::OpKind::For)
      return Ops[K];
  return ir::OpId();
}

void FunctionLowerer::emitLoopNest(
    const std::vector<ir::ValueId> &Extents,
    const std::function<void(const std::vector<ir::ValueId> &)> &Body) {
  std::vector<ir::ValueId> Idx;
  std::function<void(unsigned)> Level = [&](unsigned Axis) {
    if (Axis == Extents.size()) {
      Body(Idx);
      return;
    }
    ir::OpId For = B.create(ir::OpKind::For, {B.constInt(0), Extents[Axis], B.constInt(1)}, {}, 1);
    if (!PendingFusionNote.empty()) {
      // What `kiln compile --report` says of this statement's loop nest.
      F->op(For).Attrs.set("fusion", PendingFusionNote);
      PendingFusionNote.clear();
    }
    if (PendingIndependent) {
      // Iterations write disjoint elements (passes/Parallelize.cpp).
      F->op(For).Attrs.set("independent", true);
      PendingIndependent = false;
    }
    ir::RegionId R = F->op(For).Regions[0];
    Idx.push_back(F->addRegionArg(R, Type::int64(), "i" + std::to_string(Axis)));
    inRegion(R, [&] { Level(Axis + 1); });
    Idx.pop_back();
  };
  Level(0);
}

/// Counts the arrays, element operations and inlined reductions of \p X.
static void census(const ArrayExpr &X, unsigned &Arrays, unsigned &Ops, unsigned &Reductions) {
  Arrays += X.K == Kind::Array;
  Ops += X.K == Kind::Binary || X.K == Kind::Unary || X.K == Kind::Compare || X.K == Kind::Func;
  Reductions += X.K == Kind::Reduce;
  for (auto &Kid : X.Kids)
    census(*Kid, Arrays, Ops, Reductions);
}

std::string FunctionLowerer::fusionNote(const ArrayExpr &X, llvm::StringRef Into) {
  unsigned Arrays = 0, Ops = 0, Reductions = 0;
  census(X, Arrays, Ops, Reductions);
  std::string S = "array statement fused into one loop nest: " + std::to_string(Ops) +
                  " element operation(s)";
  if (Reductions)
    S += " and " + std::to_string(Reductions) + " reduction(s)";
  S += " over " + std::to_string(Arrays) + " array operand(s), " + Into.str() +
       ", no temporary arrays";
  return S;
}

TypedValue FunctionLowerer::materialize(ArrayExpr &X, const std::string &Note) {
  if (!X.isArray())
    return X.Val;
  if (X.K == Kind::Array)
    return X.Val;
  TypedValue Out = allocArray(X.Elem, X.Shape);
  PendingFusionNote = Note;
  PendingIndependent = true; // each iteration writes its own elements of Out
  withLeavesBound(X, X.Shape, Note.empty() ? "computed into its result" : "", [&] {
    auto ByElement = [&] {
      emitLoopNest(X.Shape, [&](const std::vector<ir::ValueId> &Idx) {
        TypedValue V = emitElement(X, Idx);
        if (!V.ok())
          return;
        std::vector<ir::ValueId> Ops{B.cast(V.V, X.Elem), Out.V};
        Ops.insert(Ops.end(), Idx.begin(), Idx.end());
        B.create(ir::OpKind::ArrayStore, Ops, {});
      });
    };
    ir::ValueId RowOrder = rowOrderCondition(X);
    if (!RowOrder.isValid())
      return ByElement();
    // Rows in order when the operand's last axis is its contiguous one,
    // one result element at a time (a walk along the reduced axis) when
    // the reduced axis is (`x.T.sum(axis=0)`).
    std::string StatementNote = PendingFusionNote;
    ir::OpId If = B.create(ir::OpKind::If, {RowOrder}, {}, 2);
    inRegion(F->op(If).Regions[0], [&] { accumulateRows(X, Out); });
    inRegion(F->op(If).Regions[1], [&] {
      PendingFusionNote = StatementNote;
      PendingIndependent = true;
      ByElement();
    });
  });
  return Out;
}

static std::pair<Type, Type> reduceTypes(llvm::StringRef Fn, Type Elem);

/// Whether \p X has no reduction in it.
static bool noReduction(const ArrayExpr &X) {
  if (X.K == Kind::Reduce)
    return false;
  for (auto &Kid : X.Kids)
    if (!noReduction(*Kid))
      return false;
  return true;
}

/// The first array operand of \p X, or null.
static ArrayExpr *firstArrayLeaf(ArrayExpr &X) {
  if (X.K == Kind::Array)
    return &X;
  for (auto &Kid : X.Kids)
    if (ArrayExpr *L = firstArrayLeaf(*Kid))
      return L;
  return nullptr;
}

ir::ValueId FunctionLowerer::rowOrderCondition(ArrayExpr &X) {
  // sum, prod, min, max, any, all, mean, and float64 var and std, along an
  // axis other than the last, of an element-wise expression, accumulated in
  // the result's own type (not float32 sums, which add up in float64).
  if (X.K != Kind::Reduce || !noReduction(*X.Kids[0]))
    return ir::ValueId();
  ArrayExpr &Kid = *X.Kids[0];
  llvm::StringRef Fn = X.Fn;
  if (X.Axis + 1 >= Kid.Shape.size() || X.Elem.isComplex() ||
      !(Fn == "sum" || Fn == "prod" || Fn == "min" || Fn == "max" || Fn == "any" ||
        Fn == "all" || Fn == "mean" || Fn == "var" || Fn == "std") ||
      reduceTypes(Fn, Kid.Elem).first != X.Elem ||
      ((Fn == "var" || Fn == "std") && !X.Elem.isFloat()))
    return ir::ValueId();
  ArrayExpr *Lead = firstArrayLeaf(Kid);
  if (!Lead || !Lead->View.isValid())
    return ir::ValueId();
  // |stride of the last axis| <= |stride of the reduced axis|, on the first
  // operand as the loop reads it.
  IntOps I{B, *F};
  auto Abs = [&](ir::ValueId V) {
    ir::ValueId Neg = B.create1(ir::OpKind::Sub, {I.c(0), V}, Type::int64());
    F->op(F->definingOp(Neg)).Attrs.set("no_overflow", true); // a stride, never INT64_MIN
    return B.create1(ir::OpKind::Select, {B.cmp("lt", V, I.c(0)), Neg, V}, Type::int64());
  };
  return B.cmp("le", Abs(I.stride(Lead->View, (unsigned)Kid.Shape.size() - 1)),
               Abs(I.stride(Lead->View, X.Axis)));
}

void FunctionLowerer::accumulateRows(ArrayExpr &X, TypedValue Out) {
  ArrayExpr &Kid = *X.Kids[0];
  Type T = X.Elem;
  bool Moments = X.Fn == "var" || X.Fn == "std";
  std::string Note = PendingFusionNote;
  PendingFusionNote.clear();
  PendingIndependent = false;
  auto Load = [&](TypedValue A, const std::vector<ir::ValueId> &Idx) {
    std::vector<ir::ValueId> Ops{A.V};
    Ops.insert(Ops.end(), Idx.begin(), Idx.end());
    return B.create1(ir::OpKind::ArrayLoad, Ops, T);
  };
  auto Store = [&](ir::ValueId V, TypedValue A, const std::vector<ir::ValueId> &Idx) {
    std::vector<ir::ValueId> Ops{V, A.V};
    Ops.insert(Ops.end(), Idx.begin(), Idx.end());
    B.create(ir::OpKind::ArrayStore, Ops, {});
  };
  // Every element of the operand, in memory order, combined by Step into
  // its slot At of Acc (which starts at Step's identity).
  using StepFn = std::function<ir::ValueId(ir::ValueId Cur, TypedValue V,
                                           const std::vector<ir::ValueId> &At)>;
  auto Rows = [&](TypedValue Acc, ir::ValueId Init, const StepFn &Step) {
    fillArray(Acc, {Init, T});
    if (!Note.empty())
      PendingFusionNote = Note + "; `" + X.Fn + "` along axis " + std::to_string(X.Axis) +
                          " accumulates whole rows in memory order";
    Note.clear();
    // The outer loop writes its own part of Acc unless it is the reduced axis.
    PendingIndependent = X.Axis != 0;
    emitLoopNest(Kid.Shape, [&](const std::vector<ir::ValueId> &Idx) {
      TypedValue V = emitElement(Kid, Idx);
      if (!V.ok())
        return;
      std::vector<ir::ValueId> At(Idx);
      if (X.KeepDims)
        At[X.Axis] = B.constInt(0);
      else
        At.erase(At.begin() + X.Axis);
      Store(Step(Load(Acc, At), V, At), Acc, At);
    });
    PendingIndependent = false;
  };
  // Each element of Out set to Value of its index.
  auto Finish = [&](const std::function<ir::ValueId(const std::vector<ir::ValueId> &)> &Value) {
    PendingIndependent = true;
    emitLoopNest(X.Shape, [&](const std::vector<ir::ValueId> &Idx) { Store(Value(Idx), Out, Idx); });
    PendingIndependent = false;
  };
  // The reduction itself; var and std start with the sum for the mean.
  llvm::StringRef First = Moments ? "sum" : llvm::StringRef(X.Fn);
  Rows(Out, reduceInit(First, T), [&](ir::ValueId Cur, TypedValue V, const std::vector<ir::ValueId> &) {
    return reduceStep(First, T, Cur, V, X.Site);
  });
  if (X.Fn != "mean" && !Moments)
    return;
  // The mean.
  ir::ValueId Count = Kid.Shape[X.Axis];
  Finish([&](const std::vector<ir::ValueId> &Idx) {
    return numpyOp(ir::OpKind::Div, {Load(Out, Idx), B.cast(Count, T)}, T);
  });
  if (!Moments)
    return;
  // var and std: then, as NumPy, the mean squared deviation from it (into
  // Squares), over max(Count - ddof, 0).
  TypedValue Squares = allocArray(T, X.Shape);
  Rows(Squares, typedConst(T, 0),
       [&](ir::ValueId Cur, TypedValue V, const std::vector<ir::ValueId> &At) {
         return squaredDeviationStep(Cur, V, Load(Out, At), T);
       });
  Finish([&](const std::vector<ir::ValueId> &Idx) {
    return varianceOf(X.Fn, Load(Squares, Idx), Count, X.Ddof, T);
  });
}

TypedValue FunctionLowerer::lowerElementwise(const ast::Expr &E) {
  ArrayExprPtr X = buildArrayExpr(E);
  if (!X)
    return bad();
  return materialize(*X);
}

//===----------------------------------------------------------------------===//
// Assignment to slices
//===----------------------------------------------------------------------===//

static void collectLeaves(ArrayExpr &X, std::vector<ArrayExpr *> &Out) {
  if (X.K == Kind::Array)
    Out.push_back(&X);
  for (auto &Kid : X.Kids)
    collectLeaves(*Kid, Out);
}

void FunctionLowerer::storeInto(TypedValue Target, ArrayExpr &X, SourceRange Site) {
  IntOps I{B, *F};
  // NumPy casts on assignment (`a[:] = x` truncates floats), as storeElement.
  Type Elem = Target.Ty.elementType();
  std::vector<ir::ValueId> Shape;
  for (unsigned K = 0; K < Target.Ty.ndim(); ++K)
    Shape.push_back(I.dim(Target.V, K));
  if (X.isArray()) {
    if (X.Shape.size() > Shape.size()) {
      diag(DiagID::Unsupported, Site,
           {"assigning a " + std::to_string(X.Shape.size()) + "-D value to a " +
                std::to_string(Shape.size()) + "-D target",
            "is"});
      return;
    }
    // The value must broadcast to the target's shape (which stays).
    ir::ValueId Bad;
    for (size_t K = 0; K < X.Shape.size(); ++K) {
      ir::ValueId T = Shape[Shape.size() - X.Shape.size() + K], V = X.Shape[K];
      if (T == V)
        continue;
      ir::ValueId Ok = B.create1(ir::OpKind::BitOr, {B.cmp("eq", T, V), B.cmp("eq", V, I.c(1))},
                                 Type::boolean());
      ir::ValueId NotOk = B.create1(ir::OpKind::Not, {Ok}, Type::boolean());
      Bad = Bad ? B.create1(ir::OpKind::BitOr, {Bad, NotOk}, Type::boolean()) : NotOk;
    }
    if (Bad) {
      std::string Fmt = "could not broadcast input array from shape " + shapeFmt(X.Shape.size()) +
                        " into shape " + shapeFmt(Shape.size());
      std::vector<ir::ValueId> Args = X.Shape;
      Args.insert(Args.end(), Shape.begin(), Shape.end());
      raiseFmtIf(Bad, "ValueError", Fmt, Args);
    }
  }
  auto Loop = [&](TypedValue Dst, ArrayExpr &Src) {
    withLeavesBound(Src, Shape, "", [&] {
      emitLoopNest(Shape, [&](const std::vector<ir::ValueId> &Idx) {
        TypedValue V = emitElement(Src, Idx);
        if (!V.ok())
          return;
        std::vector<ir::ValueId> Ops{B.cast(V.V, Elem), Dst.V};
        Ops.insert(Ops.end(), Idx.begin(), Idx.end());
        B.create(ir::OpKind::ArrayStore, Ops, {});
      });
    });
  };
  // Reductions broadcast into the target are computed now, outside the
  // branches below (each branch binds the same tree).
  hoistBroadcastReductions(X, Shape);
  // A source that shares memory with the target (other than the target
  // itself, read at the same index) is read through a copy, as NumPy does.
  std::vector<ArrayExpr *> Leaves;
  collectLeaves(X, Leaves);
  // (A reduction's operand is a source as well: collectLeaves walks into it.)
  ir::ValueId Overlap;
  for (ArrayExpr *L : Leaves) {
    if (L->Val.V == Target.V)
      continue;
    ir::ValueId O = B.create1(ir::OpKind::ArrayOverlaps, {Target.V, L->Val.V}, Type::boolean());
    Overlap = Overlap ? B.create1(ir::OpKind::BitOr, {Overlap, O}, Type::boolean()) : O;
  }
  std::string Note = fusionNote(X, "computed straight into the target");
  if (!Overlap) {
    PendingFusionNote = Note;
    PendingIndependent = true;
    Loop(Target, X);
    return;
  }
  ir::OpId If = B.create(ir::OpKind::If, {Overlap}, {}, 2);
  inRegion(F->op(If).Regions[0], [&] {
    // (A bare array, `a[1:] = a[:-1]`, is copied too.)
    std::string Why = "a source may share memory with the target (checked at run time): when "
                      "it does, the value is computed into a temporary first";
    TypedValue Tmp;
    if (X.K == Kind::Array) {
      Tmp = copyArray(X.Val, X.Elem);
      if (ir::OpId Last = lastLoop(); Last.isValid())
        F->op(Last).Attrs.set("fusion", Why);
    } else {
      Tmp = materialize(X, Why);
    }
    PendingFusionNote.clear();
    ArrayExprPtr Copy = leafExpr(Tmp, Site);
    Loop(Target, *Copy);
  });
  inRegion(F->op(If).Regions[1], [&] {
    PendingFusionNote = Note;
    PendingIndependent = true; // the sources do not overlap the target
    Loop(Target, X);
  });
}

bool FunctionLowerer::checkInPlaceType(Type Result, Type Target, SourceRange Site,
                                       llvm::StringRef Keeper) {
  // NumPy's same_kind casting: into the same kind or a later one of bool,
  // unsigned, signed, float, complex (int16 into int8, uint8 into int8,
  // float64 into float32; not float into int, nor complex into float).
  auto KindOf = [](Type T) {
    return T.isBool() ? 0 : T.isUnsigned() ? 1 : T.isInteger() ? 2 : T.isComplex() ? 4 : 3;
  };
  if (KindOf(Result) <= KindOf(Target))
    return true;
  diag(DiagID::TypeMismatch, Site,
       {"a result that fits the " + Target.str() + " array (" + Keeper.str() + " keep the type)",
        Result.str()});
  return false;
}

bool FunctionLowerer::isArrayTarget(const ast::SubscriptExpr &T) {
  for (const ast::Expr *P : indexParts(*T.Index))
    if (isa<ast::SliceExpr>(P) || isa<ast::EllipsisExpr>(P) || isNewAxis(*P))
      return true;
  return false;
}

bool FunctionLowerer::isNewAxis(const ast::Expr &E) {
  if (isa<ast::NoneLitExpr>(&E))
    return true;
  auto *A = dyn_cast<ast::AttributeExpr>(&E);
  auto *N = A ? dyn_cast<ast::NameExpr>(A->Value.get()) : nullptr;
  return N && A->Attr == "newaxis" && !isLocal(N->Id) && ML.moduleAlias(N->Id) == "numpy";
}

TypedValue FunctionLowerer::reshapeView(TypedValue A,
                                        const std::vector<const ast::Expr *> &ShapeArgs,
                                        SourceRange Site) {
  IntOps I{B, *F};
  // The new extents: one shape argument (an int or a tuple), or several
  // ints.
  std::vector<const ast::Expr *> Parts = ShapeArgs;
  if (Parts.size() == 1)
    if (auto *T = dyn_cast<ast::TupleExpr>(Parts[0])) {
      Parts.clear();
      for (auto &X : T->Elts)
        Parts.push_back(X.get());
    }
  // Any negative extent is the one inferred from the size (NumPy 1.x; NumPy
  // refuses two). A literal one is known here; an extent computed at run
  // time may turn out negative, so it is checked there.
  std::vector<ir::ValueId> Dims;
  std::vector<char> Kinds; // 'k': known >= 0, 'u': literal negative, 'd': run time
  if (Parts.size() == 1 && !constIntValue(*Parts[0])) {
    auto D = shapeArg(*Parts[0]); // a tuple-valued variable
    if (!D)
      return bad();
    Dims = *D;
    Kinds.assign(Dims.size(), 'd');
  } else {
    for (size_t K = 0; K < Parts.size(); ++K) {
      std::optional<int64_t> C = constIntValue(*Parts[K]);
      Kinds.push_back(!C ? 'd' : *C < 0 ? 'u' : 'k');
      TypedValue D = lowerExpr(*Parts[K]);
      if (!D.ok())
        return bad();
      if (!D.Ty.isInt()) {
        diag(DiagID::TypeMismatch, Parts[K]->Range, {"an int extent", pyTypeName(D.Ty)});
        return bad();
      }
      Dims.push_back(D.V);
    }
  }
  if (llvm::count(Kinds, 'u') > 1) {
    diag(DiagID::Unsupported, Site,
         {"more than one negative (unknown) extent in a shape (NumPy refuses it too)", "is"});
    return bad();
  }
  if (Dims.empty() || Dims.size() > 32) {
    diag(DiagID::Unsupported, Site, {"reshaping to " + std::to_string(Dims.size()) + " axes", "is"});
    return bad();
  }
  ir::ValueId Size = I.c(1);
  for (unsigned K = 0; K < A.Ty.ndim(); ++K)
    Size = I.mul(Size, I.dim(A.V, K));
  // Neg[K]: extent K is the unknown one (a constant or a run-time test).
  std::vector<ir::ValueId> Neg(Dims.size());
  ir::ValueId AnyNeg = B.constBool(false), Count = I.c(0);
  ir::ValueId Known = I.c(1);
  for (size_t K = 0; K < Dims.size(); ++K) {
    Neg[K] = Kinds[K] == 'd' ? B.cmp("lt", Dims[K], I.c(0)) : B.constBool(Kinds[K] == 'u');
    if (Kinds[K] == 'k')
      Known = I.mul(Known, Dims[K]);
    else {
      AnyNeg = B.create1(ir::OpKind::BitOr, {AnyNeg, Neg[K]}, Type::boolean());
      Count = I.add(Count, B.cast(Neg[K], Type::int64()));
      Known = I.mul(Known, Kinds[K] == 'u' ? I.c(1) : I.sel(Neg[K], I.c(1), Dims[K]));
    }
  }
  if (llvm::count(Kinds, 'd') + llvm::count(Kinds, 'u') > 1)
    raiseIf(B.cmp("gt", Count, I.c(1)), "ValueError", "can only specify one unknown dimension");
  ir::ValueId Safe = I.sel(B.cmp("eq", Known, I.c(0)), I.c(1), Known);
  ir::ValueId Q = B.create1(ir::OpKind::FloorDiv, {Size, Safe}, Type::int64());
  F->op(F->definingOp(Q)).Attrs.set("numpy", true);
  std::vector<ir::ValueId> Shape = Dims;
  for (size_t K = 0; K < Dims.size(); ++K)
    if (Kinds[K] != 'k')
      Shape[K] = Kinds[K] == 'u' ? Q : I.sel(Neg[K], Q, Dims[K]);
  // With an unknown extent the known ones must divide the size (and not be
  // zero: NumPy refuses (0, -1) even for an empty array).
  ir::ValueId BadUnknown = B.create1(
      ir::OpKind::BitOr, {B.cmp("eq", Known, I.c(0)), B.cmp("ne", I.mul(Q, Known), Size)},
      Type::boolean());
  ir::ValueId BadShape =
      B.create1(ir::OpKind::Select, {AnyNeg, BadUnknown, B.cmp("ne", Known, Size)}, Type::boolean());
  // NumPy's message names the unknown extent `newaxis`; which one it is may
  // be known only at run time, so there is one message per candidate.
  auto Raise = [&](std::optional<size_t> Unknown, ir::ValueId When) {
    // (NumPy drops a leading unknown extent from the message.)
    std::string Shape;
    std::vector<ir::ValueId> Args{Size};
    for (size_t K = 0; K < Dims.size(); ++K) {
      if (Unknown == K && K == 0)
        continue;
      Shape += Shape.empty() ? "" : ",";
      if (Unknown == K) {
        Shape += "newaxis";
        continue;
      }
      Shape += "{}";
      Args.push_back(Dims[K]);
    }
    Shape = Dims.size() == 1 && !Shape.empty() ? "(" + Shape + ",)" : "(" + Shape + ")";
    raiseFmtIf(When, "ValueError", "cannot reshape array of size {} into shape " + Shape, Args);
  };
  auto And = [&](ir::ValueId X, ir::ValueId Y) {
    return B.create1(ir::OpKind::BitAnd, {X, Y}, Type::boolean());
  };
  if (llvm::is_contained(Kinds, 'u')) {
    Raise(size_t(llvm::find(Kinds, 'u') - Kinds.begin()), BadShape);
  } else {
    Raise(std::nullopt, And(BadShape, B.create1(ir::OpKind::Not, {AnyNeg}, Type::boolean())));
    for (size_t K = 0; K < Dims.size(); ++K)
      if (Kinds[K] == 'd')
        Raise(K, And(BadShape, Neg[K]));
  }
  // A C-contiguous array is reshaped in place (a view); any other is copied
  // into C order first, as NumPy does.
  TypedValue Src = A;
  if (A.Ty.ndim() > 1 || !A.Ty.isCOrder()) {
    ir::ValueId Contig = B.constBool(true), Expect = I.c(1);
    for (unsigned K = A.Ty.ndim(); K-- > 0;) {
      ir::ValueId E = I.dim(A.V, K);
      ir::ValueId Ok = B.create1(ir::OpKind::BitOr,
                                 {B.cmp("eq", I.stride(A.V, K), Expect), B.cmp("le", E, I.c(1))},
                                 Type::boolean());
      Contig = B.create1(ir::OpKind::BitAnd, {Contig, Ok}, Type::boolean());
      Expect = I.mul(Expect, E);
    }
    Src = branchValue(
        Contig, [&] { return A; }, [&] { return copyArray(A, A.Ty.elementType()); }, Site);
    if (!Src.ok())
      return bad();
  }
  std::vector<ir::ValueId> Strides(Shape.size());
  ir::ValueId Stride = I.c(1);
  for (size_t K = Shape.size(); K-- > 0;) {
    Strides[K] = Stride;
    Stride = I.mul(Stride, Shape[K]);
  }
  Type VT = Type::array(A.Ty.elementType(), Shape.size(), true);
  return {makeView(B, Src.V, I.c(0), Shape, Strides, VT), VT};
}

TypedValue FunctionLowerer::lowerSliceTarget(const ast::SubscriptExpr &T, AdvancedIndex &Adv) {
  TypedValue A = lowerExpr(*T.Value);
  if (!A.ok())
    return bad();
  if (!A.Ty.isArray()) {
    diag(DiagID::Unsupported, T.Range, {"slice assignment to `" + pyTypeName(A.Ty) + "`", "is"});
    return bad();
  }
  std::vector<IndexPart> Ps;
  if (!lowerIndexParts(A, indexParts(*T.Index), Ps))
    return bad();
  TypedValue View = indexView(A, Ps, Adv);
  if (View.ok() && !View.Ty.isArray()) {
    diag(DiagID::Unsupported, T.Range, {"this form of element assignment", "is"});
    return bad();
  }
  return View;
}

void FunctionLowerer::assignArraySubscript(const ast::SubscriptExpr &T, const ast::Expr &Value,
                                           const ast::BinOpKind *AugOp, SourceRange Site) {
  // Python evaluates the value first (for `=`), then the target.
  ArrayExprPtr X;
  if (!AugOp) {
    X = buildArrayExpr(Value);
    if (!X)
      return;
    if (!X->isArray() && X->Val.Ty.isNone()) { // NumPy would store NaN or fail
      diag(DiagID::TypeMismatch, Value.Range, {"a number or an array", "None"});
      return;
    }
  }
  AdvancedIndex Adv;
  TypedValue View = lowerSliceTarget(T, Adv);
  if (!View.ok())
    return;
  if (Adv.active()) {
    if (AugOp)
      return augAssignAdvanced(Adv, *AugOp, Value, Site);
    return assignAdvanced(Adv, *X, Site);
  }
  if (AugOp) // `t[s] op= v`: t[s] = t[s] op v, computed in place.
    return inPlaceOp(View, *AugOp, Value, T.Range, Site);
  storeInto(View, *X, Site);
}

void FunctionLowerer::assignAdvanced(AdvancedIndex &Adv, ArrayExpr &X, SourceRange Site) {
  // An expression is computed whole before anything is written. (An array
  // that shares memory with the target is read as it is written, in the
  // result's C order, as NumPy's own assignment loop does.)
  if (X.K == Kind::Array || !X.isArray())
    return scatterAdvanced(Adv, X, Site);
  if (ArrayExprPtr L = leafExpr(materialize(X), Site))
    scatterAdvanced(Adv, *L, Site);
}

void FunctionLowerer::augAssignAdvanced(AdvancedIndex &Adv, ast::BinOpKind Op,
                                        const ast::Expr &Value, SourceRange Site) {
  // NumPy's a[idx] = a[idx] op v: an index that repeats is written once.
  std::vector<ArrayExprPtr> Kids;
  Kids.push_back(leafExpr(gatherAdvanced(Adv), Site));
  Kids.push_back(buildArrayExpr(Value));
  if (!Kids[0] || !Kids[1])
    return;
  ArrayExprPtr X = combine(Kind::Binary, (int)Op, "", std::move(Kids), Site);
  if (!X || !checkInPlaceType(X->Elem, Adv.View.Ty.elementType(), Site))
    return;
  assignAdvanced(Adv, *X, Site);
}

void FunctionLowerer::inPlaceOp(TypedValue Target, ast::BinOpKind Op, const ast::Expr &Value,
                                SourceRange TargetSite, SourceRange Site) {
  std::vector<ArrayExprPtr> Kids;
  Kids.push_back(leafExpr(Target, TargetSite));
  Kids.push_back(buildArrayExpr(Value));
  if (!Kids[0] || !Kids[1])
    return;
  // NumPy's ufunc with out=: the target's shape takes part in the messages.
  std::vector<ir::ValueId> Out = Kids[0]->Shape;
  InPlaceTarget = &Out;
  ArrayExprPtr X = combine(Kind::Binary, (int)Op, "", std::move(Kids), Site);
  InPlaceTarget = nullptr;
  // NumPy refuses to store a float result into an integer array.
  if (X && checkInPlaceType(X->Elem, Target.Ty.elementType(), Site))
    storeInto(Target, *X, Site);
}

//===----------------------------------------------------------------------===//
// Boolean masks and integer indices
//===----------------------------------------------------------------------===//

ir::ValueId FunctionLowerer::checkMaskAndCount(TypedValue A, ArrayExpr &M, SourceRange Site) {
  IntOps I{B, *F};
  // The mask covers the leading axes of A (all of them, or fewer).
  std::vector<ir::ValueId> Shape;
  for (unsigned K = 0; K < M.Shape.size(); ++K)
    Shape.push_back(I.dim(A.V, K));
  for (unsigned K = 0; K < Shape.size(); ++K) {
    if (M.Shape[K] == Shape[K])
      continue;
    raiseFmtIf(B.cmp("ne", M.Shape[K], Shape[K]), "IndexError",
               "boolean index did not match indexed array along dimension " + std::to_string(K) +
                   "; dimension is {} but corresponding boolean dimension is {}",
               {Shape[K], M.Shape[K]});
  }
  bindLeaves(M, Shape);
  ir::ValueId Count = entrySlot(Type::int64(), "count");
  B.store(I.c(0), Count);
  emitLoopNest(Shape, [&](const std::vector<ir::ValueId> &Idx) {
    TypedValue Sel = emitElement(M, Idx);
    if (!Sel.ok())
      return;
    B.store(I.add(B.load(Count), B.cast(Sel.V, Type::int64())), Count);
  });
  return B.load(Count);
}

TypedValue FunctionLowerer::indexWithArray(TypedValue A, ArrayExpr &Index, SourceRange Site) {
  IntOps I{B, *F};
  Type Elem = A.Ty.elementType();
  if (Index.Elem.isBool()) {
    // a[m]: the elements (or, for a mask of the leading axes, the
    // sub-arrays) where m is true, in C order: shape (count, rest...).
    unsigned KM = Index.Shape.size();
    if (KM > A.Ty.ndim()) {
      diag(DiagID::TypeMismatch, Site,
           {"a boolean mask of at most " + std::to_string(A.Ty.ndim()) + " dimension(s)",
            std::to_string(KM) + " dimensions"});
      return bad();
    }
    ir::ValueId N = checkMaskAndCount(A, Index, Site);
    std::vector<ir::ValueId> Shape, Rest;
    for (unsigned K = 0; K < A.Ty.ndim(); ++K)
      (K < KM ? Shape : Rest).push_back(I.dim(A.V, K));
    std::vector<ir::ValueId> OutShape{N};
    OutShape.insert(OutShape.end(), Rest.begin(), Rest.end());
    TypedValue Out = allocArray(Elem, OutShape);
    forEachSelected(Index, Shape, Rest, [&](const SelectedAt &At) {
      std::vector<ir::ValueId> Ld{A.V};
      Ld.insert(Ld.end(), At.Lead.begin(), At.Lead.end());
      Ld.insert(Ld.end(), At.Rest.begin(), At.Rest.end());
      std::vector<ir::ValueId> St{B.create1(ir::OpKind::ArrayLoad, Ld, Elem), Out.V, At.K};
      St.insert(St.end(), At.Rest.begin(), At.Rest.end());
      B.create(ir::OpKind::ArrayStore, St, {});
    });
    return Out;
  }
  if (!Index.Elem.isInteger()) {
    diag(DiagID::BadArrayIndex, Site, {"array of " + Index.Elem.str()});
    return bad();
  }
  // a[idx]: out[j..., rest...] = a[idx[j...], rest...]; each index checked
  // (and wrapped when negative) as a[i] would be.
  AdvancedIndex Adv = axisZeroIndex(A, Index);
  return Adv.active() ? gatherAdvanced(Adv) : bad();
}

FunctionLowerer::AdvancedIndex FunctionLowerer::axisZeroIndex(TypedValue A, ArrayExpr &Index) {
  // An index expression is computed into an array first: it is read twice.
  std::vector<IndexPart> Ps(1);
  Ps[0].K = IndexPart::Array;
  Ps[0].Arr = Index.K == Kind::Array ? Index.Val : materialize(Index);
  AdvancedIndex Adv;
  if (Ps[0].Arr.ok())
    indexView(A, Ps, Adv);
  return Adv;
}

void FunctionLowerer::maskAssign(TypedValue A, ArrayExpr &Mask, TypedValue V, SourceRange Site) {
  IntOps I{B, *F};
  if (!V.ok())
    return;
  if (!Mask.Elem.isBool())
    return scatterAssign(A, Mask, V, Site);
  if (Mask.Shape.size() > A.Ty.ndim()) {
    diag(DiagID::TypeMismatch, Site,
         {"a boolean mask of at most " + std::to_string(A.Ty.ndim()) + " dimension(s)",
          std::to_string(Mask.Shape.size()) + " dimensions"});
    return;
  }
  if (Mask.Shape.size() < A.Ty.ndim())
    return maskAssignRows(A, Mask, V, Site);
  if (V.Ty.isArray() && V.Ty.ndim() != 1) {
    diag(DiagID::Unsupported, Site, {"assigning a multi-dimensional array through a mask", "is"});
    return;
  }
  if (!V.Ty.isArray() && !V.Ty.isScalar()) {
    diag(DiagID::TypeMismatch, Site, {"a number or a 1-D array", pyTypeName(V.Ty)});
    return;
  }
  Type Elem = A.Ty.elementType();
  ir::ValueId N = checkMaskAndCount(A, Mask, Site);
  if (V.Ty.isArray()) {
    // One value per selected element (or one value for all).
    ir::ValueId Len = I.dim(V.V, 0);
    ir::ValueId Bad = B.create1(ir::OpKind::BitAnd, {B.cmp("ne", Len, N), B.cmp("ne", Len, I.c(1))},
                                Type::boolean());
    raiseFmtIf(Bad, "ValueError",
               "NumPy boolean array indexing assignment cannot assign {} input values to the {} "
               "output values where the mask is true",
               {Len, N});
  }
  ir::ValueId At = entrySlot(Type::int64(), "at");
  B.store(I.c(0), At);
  std::vector<ir::ValueId> Shape;
  for (unsigned K = 0; K < A.Ty.ndim(); ++K)
    Shape.push_back(I.dim(A.V, K));
  ir::ValueId Step = V.Ty.isArray() ? I.sel(B.cmp("eq", I.dim(V.V, 0), I.c(1)), I.c(0), I.c(1))
                                    : ir::ValueId();
  emitLoopNest(Shape, [&](const std::vector<ir::ValueId> &Idx) {
    TypedValue Sel = emitElement(Mask, Idx);
    if (!Sel.ok())
      return;
    ir::OpId If = B.create(ir::OpKind::If, {Sel.V}, {}, 2);
    inRegion(F->op(If).Regions[0], [&] {
      ir::ValueId X = V.V;
      if (V.Ty.isArray()) {
        ir::ValueId K = B.load(At);
        X = B.create1(ir::OpKind::ArrayLoad, {V.V, K}, V.Ty.elementType());
        B.store(I.add(K, Step), At);
      }
      Type XT = V.Ty.isArray() ? V.Ty.elementType() : V.Ty;
      std::vector<ir::ValueId> St{castScalar({X, XT}, Elem, Site).V, A.V};
      St.insert(St.end(), Idx.begin(), Idx.end());
      B.create(ir::OpKind::ArrayStore, St, {});
    });
  });
}

void FunctionLowerer::maskAssignRows(TypedValue A, ArrayExpr &Mask, TypedValue V,
                                     SourceRange Site) {
  // a[m] = v with m over the leading axes: a[m] has shape (count, rest...),
  // and v broadcasts to it (NumPy's "shape mismatch" otherwise).
  IntOps I{B, *F};
  if (!V.Ty.isArray() && !V.Ty.isScalar()) {
    diag(DiagID::TypeMismatch, Site, {"a number or an array", pyTypeName(V.Ty)});
    return;
  }
  unsigned KM = Mask.Shape.size();
  ArrayExprPtr X = leafExpr(V, Site);
  if (!X)
    return;
  ir::ValueId N = checkMaskAndCount(A, Mask, Site);
  std::vector<ir::ValueId> Lead, Rest;
  for (unsigned K = 0; K < A.Ty.ndim(); ++K)
    (K < KM ? Lead : Rest).push_back(I.dim(A.V, K));
  std::vector<ir::ValueId> Target{N};
  Target.insert(Target.end(), Rest.begin(), Rest.end());
  if (!bindSetitemValue(*X, Target, Site))
    return;
  Type Elem = A.Ty.elementType();
  forEachSelected(Mask, Lead, Rest, [&](const SelectedAt &At) {
    std::vector<ir::ValueId> XI{At.K};
    XI.insert(XI.end(), At.Rest.begin(), At.Rest.end());
    TypedValue E = emitElement(*X, XI);
    if (!E.ok())
      return;
    std::vector<ir::ValueId> St{castScalar(E, Elem, Site).V, A.V};
    St.insert(St.end(), At.Lead.begin(), At.Lead.end());
    St.insert(St.end(), At.Rest.begin(), At.Rest.end());
    B.create(ir::OpKind::ArrayStore, St, {});
  });
}

void FunctionLowerer::forEachSelected(ArrayExpr &Mask, const std::vector<ir::ValueId> &Lead,
                                      const std::vector<ir::ValueId> &Rest,
                                      const std::function<void(const SelectedAt &)> &Body) {
  IntOps I{B, *F};
  ir::ValueId Count = entrySlot(Type::int64(), "at");
  B.store(I.c(0), Count);
  emitLoopNest(Lead, [&](const std::vector<ir::ValueId> &Idx) {
    TypedValue Sel = emitElement(Mask, Idx);
    if (!Sel.ok())
      return;
    ir::OpId If = B.create(ir::OpKind::If, {Sel.V}, {}, 2);
    inRegion(F->op(If).Regions[0], [&] {
      ir::ValueId K = B.load(Count);
      emitLoopNest(Rest, [&](const std::vector<ir::ValueId> &R) { Body({Idx, K, R}); });
      B.store(I.add(K, I.c(1)), Count);
    });
  });
}

void FunctionLowerer::scatterAssign(TypedValue A, ArrayExpr &Index, TypedValue V,
                                    SourceRange Site) {
  if (!Index.Elem.isInteger()) {
    diag(DiagID::BadArrayIndex, Site, {"array of " + Index.Elem.str()});
    return;
  }
  if (!V.Ty.isArray() && !V.Ty.isScalar()) {
    diag(DiagID::TypeMismatch, Site, {"a number or an array", pyTypeName(V.Ty)});
    return;
  }
  AdvancedIndex Adv = axisZeroIndex(A, Index);
  if (!Adv.active())
    return;
  if (ArrayExprPtr X = leafExpr(V, Site))
    assignAdvanced(Adv, *X, Site);
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//


/// The accumulator of a sum of \p T: float32 (complex64) values add up in
/// float64 (complex128) and are rounded once, where NumPy sums pairwise; a
/// sequential float32 sum of a million values would lose digits.
static Type wideSum(Type T) {
  if (T.isFloat32())
    return Type::float64();
  if (T.kind() == TypeKind::Complex64)
    return Type::scalar(TypeKind::Complex128);
  return T;
}

/// The accumulator and result types of reduction \p Fn of \p Elem values.
static std::pair<Type, Type> reduceTypes(llvm::StringRef Fn, Type Elem) {
  if (Fn == "any" || Fn == "all")
    return {Type::boolean(), Type::boolean()};
  if (Fn == "mean" || Fn == "var" || Fn == "std") {
    // float32 and complex types stay; everything else is averaged in float64.
    Type T = Elem.isFloat32() || Elem.isComplex() ? Elem : Type::float64();
    return {Fn == "mean" ? wideSum(T) : T, T};
  }
  if (Fn == "argmin" || Fn == "argmax")
    return {Elem, Type::int64()};
  if (Fn == "min" || Fn == "max" || Fn == "fmin" || Fn == "fmax")
    return {Elem, Elem};
  Type T = sumType(Elem); // sum, prod
  return {Fn == "sum" ? wideSum(T) : T, T};
}

/// The least (\p Least) or greatest value of integer type \p T, as the
/// bit pattern of a constant.
static int64_t intLimit(Type T, bool Least) {
  auto [Lo, Hi] = int64RangeOf(T);
  if (Least)
    return Lo;
  return T.isUnsigned() && T.bitWidth() == 64 ? -1 : Hi; // uint64's max: all ones
}

static llvm::StringRef canonicalReduction(llvm::StringRef Fn) {
  return Fn == "amin" ? "min" : Fn == "amax" ? "max" : Fn;
}

void FunctionLowerer::checkReductionNotEmpty(llvm::StringRef Fn, ir::ValueId Count,
                                             llvm::StringRef EmptyName) {
  IntOps I{B, *F};
  if (Fn == "min" || Fn == "max" || Fn == "fmin" || Fn == "fmax")
    raiseIf(B.cmp("eq", Count, I.c(0)), "ValueError",
            "zero-size array to reduction operation " +
                (!EmptyName.empty()   ? EmptyName.str()
                 : Fn.starts_with("f") ? Fn.str()
                 : Fn == "min"         ? "minimum"
                                       : "maximum") +
                " which has no identity");
  if (Fn == "argmin" || Fn == "argmax")
    raiseIf(B.cmp("eq", Count, I.c(0)), "ValueError",
            "attempt to get " + Fn.str() + " of an empty sequence");
}

ir::ValueId FunctionLowerer::numpyOp(ir::OpKind K, llvm::ArrayRef<ir::ValueId> Ops, Type T) {
  ir::ValueId R = B.create1(K, Ops, T);
  F->op(F->definingOp(R)).Attrs.set("numpy", true);
  return R;
}

ir::ValueId FunctionLowerer::squaredDeviationStep(ir::ValueId Acc, TypedValue V, ir::ValueId Mean,
                                                  Type T) {
  ir::ValueId D = numpyOp(ir::OpKind::Sub, {B.cast(V.V, T), Mean}, T);
  return numpyOp(ir::OpKind::Add, {Acc, numpyOp(ir::OpKind::Mul, {D, D}, T)}, T);
}

ir::ValueId FunctionLowerer::varianceOf(llvm::StringRef Fn, ir::ValueId SumSq, ir::ValueId Count,
                                        ir::ValueId Ddof, Type T) {
  // NumPy divides by max(Count - ddof, 0): inf or NaN when ddof >= Count.
  ir::ValueId N = B.cast(Count, T);
  if (Ddof.isValid()) {
    ir::ValueId D = B.create1(ir::OpKind::Sub, {N, B.cast(Ddof, T)}, T);
    ir::ValueId Zero = typedConst(T, 0);
    N = B.create1(ir::OpKind::Select, {B.cmp("gt", D, Zero), D, Zero}, T);
  }
  ir::ValueId R = numpyOp(ir::OpKind::Div, {SumSq, N}, T);
  if (Fn != "std")
    return R;
  R = mathOp("sqrt", {R}, T);
  F->op(F->definingOp(R)).Attrs.set("numpy", true);
  return R;
}

ir::ValueId FunctionLowerer::reduceInit(llvm::StringRef Fn, Type AccT) {
  // The identity of the operation; min/max/argmin/argmax start from that
  // of their comparison (they never see it: empty reductions raise first).
  bool IsMin = Fn == "min" || Fn == "argmin";
  if (Fn == "sum" || Fn == "mean")
    return typedConst(AccT, 0);
  if (Fn == "prod")
    return typedConst(AccT, 1);
  if (Fn == "any" || Fn == "all")
    return B.constBool(Fn == "all");
  if (Fn == "fmin" || Fn == "fmax") // NaN until a number comes
    return typedConst(AccT, NAN);
  if (AccT.isFloating())
    return typedConst(AccT, IsMin ? INFINITY : -INFINITY);
  if (AccT.isBool())
    return B.constBool(IsMin);
  ir::ValueId Init = B.create1(ir::OpKind::Const, {}, AccT);
  F->op(F->definingOp(Init)).Attrs.set("value", intLimit(AccT, /*Least=*/!IsMin));
  return Init;
}

ir::ValueId FunctionLowerer::reduceStep(llvm::StringRef Fn, Type AccT, ir::ValueId Cur,
                                        TypedValue V, SourceRange Site, ir::ValueId First,
                                        ir::ValueId *Took) {
  if (Fn == "sum" || Fn == "mean" || Fn == "prod")
    return numpyOp(Fn == "prod" ? ir::OpKind::Mul : ir::OpKind::Add, {Cur, B.cast(V.V, AccT)},
                   AccT);
  if (Fn == "any" || Fn == "all")
    return B.create1(Fn == "any" ? ir::OpKind::BitOr : ir::OpKind::BitAnd,
                     {Cur, truthy(V, Site).V}, Type::boolean());
  if (Fn == "fmin" || Fn == "fmax") {
    // np.fmin.reduce: NaN elements are skipped, and the first of equal
    // elements stays (np.nanmax([0.0, -0.0]) is 0.0).
    ir::ValueId E = V.V;
    ir::ValueId Beats = B.cmp(Fn == "fmin" ? "lt" : "gt", E, Cur);
    ir::ValueId Better = B.create1(
        ir::OpKind::BitAnd,
        {B.cmp("eq", E, E),
         B.create1(ir::OpKind::BitOr, {B.cmp("ne", Cur, Cur), Beats}, Type::boolean())},
        Type::boolean());
    return B.create1(ir::OpKind::Select, {Better, E, Cur}, AccT);
  }
  // min/max, argmin/argmax: take the element when it beats the current
  // value, or when it is the first NaN (NaN wins and stays). min/max take a
  // later equal element (NumPy's np.min([0.0, -0.0]) is -0.0);
  // argmin/argmax keep the first index.
  bool IsArg = Fn == "argmin" || Fn == "argmax";
  bool IsMin = Fn == "min" || Fn == "argmin";
  ir::ValueId E = V.V;
  ir::ValueId Better = B.cmp(IsArg ? (IsMin ? "lt" : "gt") : (IsMin ? "le" : "ge"), E, Cur);
  if (AccT.isFloating()) {
    ir::ValueId FirstNan =
        B.create1(ir::OpKind::BitAnd, {B.cmp("ne", E, E), B.cmp("eq", Cur, Cur)}, Type::boolean());
    Better = B.create1(ir::OpKind::BitOr, {Better, FirstNan}, Type::boolean());
  }
  if (First.isValid())
    Better = B.create1(ir::OpKind::BitOr, {Better, First}, Type::boolean());
  if (Took)
    *Took = Better;
  return B.create1(ir::OpKind::Select, {Better, E, Cur}, AccT);
}

ir::ValueId FunctionLowerer::emitReduce(llvm::StringRef Fn, ArrayExpr &X, ir::ValueId Count,
                                        const ReduceLoops &Loops, SourceRange Site,
                                        ir::ValueId Ddof) {
  IntOps I{B, *F};
  auto [AccT, ResT] = reduceTypes(Fn, X.Elem);
  bool IsArg = Fn == "argmin" || Fn == "argmax";
  bool IsMin = Fn == "min" || Fn == "argmin";
  if (Fn == "var" || Fn == "std") {
    // Two passes, as NumPy: the mean, then the mean squared deviation from
    // it, divided by max(Count - ddof, 0).
    ir::ValueId Mean = B.cast(emitReduce("mean", X, Count, Loops, Site), Type::float64());
    ir::ValueId Acc = entrySlot(Type::float64(), "acc");
    B.store(B.constFloat(0), Acc);
    Loops([&](const std::vector<ir::ValueId> &Idx, ir::ValueId) {
      TypedValue V = emitElement(X, Idx);
      if (V.ok())
        B.store(squaredDeviationStep(B.load(Acc), V, Mean, Type::float64()), Acc);
    });
    return B.cast(varianceOf(Fn, B.load(Acc), Count, Ddof, Type::float64()), ResT);
  }
  if (AccT.isFloating() && (Fn == "min" || Fn == "max"))
    return B.cast(floatMinMax(IsMin, X, Loops), ResT);
  ir::ValueId Acc = entrySlot(AccT, "acc");
  ir::ValueId Where = IsArg ? entrySlot(Type::int64(), "at") : ir::ValueId();
  ir::ValueId Seen = IsArg ? entrySlot(Type::boolean(), "seen") : ir::ValueId();
  B.store(reduceInit(Fn, AccT), Acc);
  if (IsArg) {
    B.store(I.c(0), Where);
    B.store(B.constBool(false), Seen);
  }
  Loops([&](const std::vector<ir::ValueId> &Idx, ir::ValueId Pos) {
    TypedValue V = emitElement(X, Idx);
    if (!V.ok())
      return;
    ir::ValueId Cur = B.load(Acc), First, Took;
    // The first element always counts (an all-inf array's argmin is 0).
    if (IsArg)
      First = B.create1(ir::OpKind::Not, {B.load(Seen)}, Type::boolean());
    ir::ValueId Next = reduceStep(Fn, AccT, Cur, V, Site, First, &Took);
    if (IsArg) {
      B.store(B.constBool(true), Seen);
      B.store(B.create1(ir::OpKind::Select, {Took, Pos, B.load(Where)}, Type::int64()), Where);
    }
    B.store(Next, Acc);
  });
  if (IsArg)
    return B.load(Where);
  ir::ValueId R = B.load(Acc);
  if (Fn == "mean") {
    R = B.create1(ir::OpKind::Div, {R, B.cast(Count, AccT)}, AccT);
    F->op(F->definingOp(R)).Attrs.set("numpy", true);
  }
  return B.cast(R, ResT);
}

/// min/max of floats in a form LLVM vectorises: minnum/maxnum (which skip
/// NaN and may pick either zero) with a separate NaN flag, so NaN wins as in
/// NumPy. When the result is a zero, a second pass finds its sign as the
/// ordered loop would: the last element equal to it (np.max([0.0, -0.0])
/// is -0.0).
ir::ValueId FunctionLowerer::floatMinMax(bool IsMin, ArrayExpr &X, const ReduceLoops &Loops) {
  Type T = X.Elem;
  ir::ValueId Acc = entrySlot(T, "acc"), Nan = entrySlot(Type::boolean(), "nan");
  B.store(typedConst(T, IsMin ? INFINITY : -INFINITY), Acc);
  B.store(B.constBool(false), Nan);
  Loops([&](const std::vector<ir::ValueId> &Idx, ir::ValueId) {
    TypedValue V = emitElement(X, Idx);
    if (!V.ok())
      return;
    ir::ValueId E = B.cast(V.V, T);
    B.store(mathOp(IsMin ? "minnum" : "maxnum", {B.load(Acc), E}, T), Acc);
    B.store(B.create1(ir::OpKind::BitOr, {B.load(Nan), B.cmp("ne", E, E)}, Type::boolean()), Nan);
  });
  ir::ValueId IsNan = B.load(Nan);
  B.store(B.create1(ir::OpKind::Select, {IsNan, typedConst(T, NAN), B.load(Acc)}, T), Acc);
  ir::ValueId Zero = typedConst(T, 0);
  ir::OpId If = B.create(ir::OpKind::If,
                         {B.create1(ir::OpKind::BitAnd,
                                    {B.create1(ir::OpKind::Not, {IsNan}, Type::boolean()),
                                     B.cmp("eq", B.load(Acc), Zero)},
                                    Type::boolean())},
                         {}, 2);
  inRegion(F->op(If).Regions[0], [&] {
    Loops([&](const std::vector<ir::ValueId> &Idx, ir::ValueId) {
      TypedValue V = emitElement(X, Idx);
      if (!V.ok())
        return;
      ir::ValueId E = B.cast(V.V, T);
      B.store(B.create1(ir::OpKind::Select, {B.cmp("eq", E, Zero), E, B.load(Acc)}, T), Acc);
    });
  });
  return B.load(Acc);
}

ArrayExprPtr FunctionLowerer::reduceNode(llvm::StringRef Fn, ArrayExprPtr X,
                                         const ast::Expr *AxisE, bool KeepDims,
                                         SourceRange Site, ir::ValueId Ddof,
                                         llvm::StringRef EmptyName) {
  IntOps I{B, *F};
  if (!X)
    return nullptr;
  if (!X->isArray()) {
    diag(DiagID::TypeMismatch, X->Site, {"an array", pyTypeName(X->Elem)});
    return nullptr;
  }
  Fn = canonicalReduction(Fn);
  if (X->Elem.isComplex() && Fn != "sum" && Fn != "prod" && Fn != "mean" && Fn != "any" &&
      Fn != "all") {
    bool Order = Fn == "min" || Fn == "max" || Fn == "argmin" || Fn == "argmax";
    diag(DiagID::Unsupported, Site,
         {"`" + Fn.str() + "` of complex numbers" +
              (Order ? " (they have no order)" : ""),
          "is"});
    return nullptr;
  }
  unsigned N = X->Shape.size();
  std::optional<unsigned> Axis;
  if (AxisE && !isa<ast::NoneLitExpr>(AxisE)) {
    std::optional<int64_t> K = constIntValue(*AxisE);
    if (!K) {
      diag(DiagID::AxisNotConstant, AxisE->Range);
      return nullptr;
    }
    if (*K < -(int64_t)N || *K >= (int64_t)N) {
      diag(DiagID::AxisOutOfRange, AxisE->Range, {std::to_string(*K), std::to_string(N)});
      return nullptr;
    }
    Axis = (unsigned)(*K < 0 ? *K + N : *K);
  }
  bool IsArg = Fn == "argmin" || Fn == "argmax";
  if (Axis && N == 1 && !KeepDims)
    Axis.reset(); // np.sum(a, axis=0) of a 1-D array is a scalar
  if (!Axis) {
    // A scalar: computed here, before the expression that uses it.
    ir::ValueId Count = I.c(1);
    for (ir::ValueId D : X->Shape)
      Count = I.mul(Count, D);
    checkReductionNotEmpty(Fn, Count, EmptyName);
    bindLeaves(*X, X->Shape);
    PendingFusionNote = fusionNote(*X, "reduced by `" + Fn.str() + "` as it is computed");
    std::vector<ir::ValueId> Shape = X->Shape;
    ir::ValueId R = emitReduce(Fn, *X, Count, [&](const ReduceBody &Body) {
      emitLoopNest(Shape, [&](const std::vector<ir::ValueId> &Idx) {
        ir::ValueId Flat;
        if (IsArg) {
          // The C-order flat index, as NumPy's argmin(axis=None) gives.
          Flat = Idx[0];
          for (unsigned K = 1; K < Shape.size(); ++K)
            Flat = I.add(I.mul(Flat, Shape[K]), Idx[K]);
        }
        Body(Idx, Flat);
      });
    }, Site, Ddof);
    Type ResT = reduceTypes(Fn, X->Elem).second;
    if (!KeepDims)
      return leafExpr({R, ResT}, Site);
    if (IsArg) {
      diag(DiagID::Unsupported, Site, {"`keepdims` with `axis=None` here", "is"});
      return nullptr;
    }
    TypedValue Out = allocArray(ResT, std::vector<ir::ValueId>(N, I.c(1)));
    std::vector<ir::ValueId> Ops{R, Out.V};
    Ops.insert(Ops.end(), N, I.c(0));
    B.create(ir::OpKind::ArrayStore, Ops, {});
    return leafExpr(Out, Site);
  }
  checkReductionNotEmpty(Fn, X->Shape[*Axis], EmptyName);
  auto R = std::make_unique<ArrayExpr>();
  R->K = Kind::Reduce;
  R->Fn = Fn.str();
  R->Axis = *Axis;
  R->KeepDims = KeepDims;
  R->Ddof = Ddof;
  R->Site = Site;
  R->Elem = reduceTypes(Fn, X->Elem).second;
  for (unsigned K = 0; K < N; ++K)
    if (K != *Axis || KeepDims)
      R->Shape.push_back(K == *Axis ? I.c(1) : X->Shape[K]);
  R->Kids.push_back(std::move(X));
  return R;
}

/// Reductions along fewer elements than this use one vector, not four.
static constexpr int64_t ShortAxis = 32;

TypedValue FunctionLowerer::inlineReduce(ArrayExpr &X, const std::vector<ir::ValueId> &Idx) {
  ArrayExpr &Kid = *X.Kids[0];
  unsigned Axis = X.Axis;
  ir::ValueId Extent = Kid.Shape[Axis];
  auto Loop = [&](const ReduceBody &Body, bool Short) {
    emitLoopNest({Extent}, [&](const std::vector<ir::ValueId> &In) {
      std::vector<ir::ValueId> Full(Idx.begin(), Idx.end());
      if (X.KeepDims)
        Full[Axis] = In[0];
      else
        Full.insert(Full.begin() + Axis, In[0]);
      Body(Full, In[0]);
    });
    // A short axis (the 8 coordinates of a point) fits one vector: LLVM's
    // default of four interleaved vectors would leave it all to the scalar
    // remainder loop.
    if (ir::OpId L = lastLoop(); Short && L.isValid())
      F->op(L).Attrs.set("interleave", (int64_t)1);
  };
  ir::ValueId R = emitReduce(X.Fn, Kid, Extent, [&](const ReduceBody &Body) {
    if (auto C = ir::constIntOf(*F, Extent))
      return Loop(Body, *C < ShortAxis);
    ir::OpId If = B.create(ir::OpKind::If, {B.cmp("lt", Extent, B.constInt(ShortAxis))}, {}, 2);
    inRegion(F->op(If).Regions[0], [&] { Loop(Body, true); });
    inRegion(F->op(If).Regions[1], [&] { Loop(Body, false); });
  }, X.Site, X.Ddof);
  return {R, X.Elem};
}

ArrayExprPtr FunctionLowerer::composedReduction(llvm::StringRef Fn, ArrayExprPtr X,
                                                const ast::Expr *AxisE, bool KeepDims,
                                                SourceRange Site, ir::ValueId Ddof) {
  if (!X)
    return nullptr;
  bool Nan = Fn.starts_with("nan");
  if (!Nan && Fn != "ptp" && Fn != "count_nonzero")
    return reduceNode(Fn, std::move(X), AxisE, KeepDims, Site, Ddof);
  if (!X->isArray()) {
    diag(DiagID::TypeMismatch, X->Site, {"an array", pyTypeName(X->Elem)});
    return nullptr;
  }
  auto Node = [&](Kind K, int Op, llvm::StringRef Name, ArrayExprPtr A, ArrayExprPtr C = nullptr,
                  ArrayExprPtr D = nullptr) {
    std::vector<ArrayExprPtr> Kids;
    for (ArrayExprPtr *P : {&A, &C, &D})
      if (*P)
        Kids.push_back(std::move(*P));
    return combine(K, Op, Name, std::move(Kids), Site);
  };
  auto Func = [&](llvm::StringRef Name, ArrayExprPtr A, ArrayExprPtr C = nullptr,
                  ArrayExprPtr D = nullptr) {
    return Node(Kind::Func, 0, Name, std::move(A), std::move(C), std::move(D));
  };
  // (Named as NumPy's functions: scalars compute as NumPy's, 0 / 0 is NaN.)
  auto Bin = [&](ast::BinOpKind Op, ArrayExprPtr A, ArrayExprPtr C) {
    llvm::StringRef Name = Op == ast::BinOpKind::Sub   ? "subtract"
                           : Op == ast::BinOpKind::Mul ? "multiply"
                                                       : "divide";
    assert((Op == ast::BinOpKind::Sub || Op == ast::BinOpKind::Mul ||
            Op == ast::BinOpKind::Div) && "an operator composedReduction does not use");
    return Node(Kind::Binary, (int)Op, Name, std::move(A), std::move(C));
  };
  auto Num = [&](double V) { return leafExpr(constFloat(V), Site); };
  auto Reduce = [&](llvm::StringRef R, ArrayExprPtr A, bool Keep, llvm::StringRef Empty = "") {
    return reduceNode(R, std::move(A), AxisE, Keep, Site, ir::ValueId(), Empty);
  };
  if (Fn == "count_nonzero") { // the number of true elements, as int64
    Type T = X->Elem;
    ArrayExprPtr NZ = T.isBool() ? std::move(X)
                                 : Node(Kind::Compare, (int)ast::CmpOpKind::Ne, "not_equal",
                                        std::move(X), leafExpr(constInt(0), Site));
    return Reduce("sum", std::move(NZ), KeepDims);
  }
  if (Fn == "ptp") { // max - min, each propagating NaN
    if (X->Elem.isBool()) {
      diag(DiagID::Unsupported, Site, {"`ptp` of bool values (NumPy refuses it too)", "is"});
      return nullptr;
    }
    ArrayExprPtr Copy = cloneExpr(*X);
    ArrayExprPtr Max = Reduce("max", std::move(X), KeepDims);
    ArrayExprPtr Min = Reduce("min", std::move(Copy), KeepDims);
    if (!Max || !Min)
      return nullptr;
    return Bin(ast::BinOpKind::Sub, std::move(Max), std::move(Min));
  }
  // The nan reductions: NaN elements are left out. Without floats there is
  // no NaN, and they are the plain reductions.
  llvm::StringRef Base = Fn.drop_front(3);
  if (!X->Elem.isFloating()) {
    if (X->Elem.isComplex()) {
      diag(DiagID::Unsupported, Site, {"`" + Fn.str() + "` of complex numbers", "is"});
      return nullptr;
    }
    return reduceNode(Base, std::move(X), AxisE, KeepDims, Site, Ddof,
                      Base == "min" ? "fmin" : Base == "max" ? "fmax" : "");
  }
  auto IsNan = [&](const ArrayExpr &A) { return Func("isnan", cloneExpr(A)); };
  // x with its NaNs replaced by V (NumPy's _replace_nan).
  auto Replaced = [&](const ArrayExpr &A, double V) {
    return Func("where", IsNan(A), Num(V), cloneExpr(A));
  };
  if (Base == "sum" || Base == "prod")
    return Reduce(Base, Replaced(*X, Base == "sum" ? 0.0 : 1.0), KeepDims);
  if (Base == "min" || Base == "max") // np.fmin.reduce: NaN only where all are
    return Reduce(Base == "min" ? "fmin" : "fmax", std::move(X), KeepDims);
  if (Base == "argmin" || Base == "argmax") {
    // A slice of NaNs only (an empty one too) has no answer.
    ArrayExprPtr AllNan = Reduce("all", IsNan(*X), false);
    if (AllNan && AllNan->K == Kind::Reduce)
      AllNan = reduceNode("any", std::move(AllNan), nullptr, false, Site);
    if (!AllNan)
      return nullptr;
    raiseIf(AllNan->Val.V, "ValueError", "All-NaN slice encountered");
    return Reduce(Base, Replaced(*X, Base == "argmin" ? INFINITY : -INFINITY), false);
  }
  // nanmean, nanvar, nanstd: sums over the elements that are not NaN,
  // divided by their count (NaN for none, as NumPy's 0 / 0).
  if (X->Elem.isFloat32()) {
    // (NumPy divides a float32 sum by the count in float64, then rounds.)
    diag(DiagID::Unsupported, Site, {"`" + Fn.str() + "` of float32 values", "is"});
    return nullptr;
  }
  auto Count = [&](bool Keep) {
    return Reduce("sum", Node(Kind::Unary, (int)ast::UnaryOpKind::Invert, "invert", IsNan(*X)),
                  Keep);
  };
  auto Mean = [&](bool Keep) {
    ArrayExprPtr Sum = Reduce("sum", Replaced(*X, 0.0), Keep);
    ArrayExprPtr N = Count(Keep);
    if (!Sum || !N)
      return ArrayExprPtr();
    return Bin(ast::BinOpKind::Div, std::move(Sum), std::move(N));
  };
  if (Base == "mean")
    return Mean(KeepDims);
  assert((Base == "var" || Base == "std") && "a nan reduction Kiln does not know");
  // NumPy's nanvar: the squared deviations from the nan-mean where not NaN,
  // summed, divided by count - ddof; NaN where that is not positive.
  ArrayExprPtr M = Mean(AxisE != nullptr && !isa<ast::NoneLitExpr>(AxisE));
  if (!M)
    return nullptr;
  ArrayExprPtr Dev = Bin(ast::BinOpKind::Sub, cloneExpr(*X), std::move(M));
  if (!Dev)
    return nullptr;
  ArrayExprPtr DevCopy = cloneExpr(*Dev);
  ArrayExprPtr Sq = Bin(ast::BinOpKind::Mul, std::move(Dev), std::move(DevCopy));
  ArrayExprPtr SumSq = Reduce("sum", Func("where", IsNan(*X), Num(0.0), std::move(Sq)), KeepDims);
  ArrayExprPtr Dof = Count(KeepDims);
  if (!SumSq || !Dof)
    return nullptr;
  if (Ddof.isValid())
    Dof = Bin(ast::BinOpKind::Sub, std::move(Dof), leafExpr({Ddof, Type::int64()}, Site));
  if (!Dof)
    return nullptr;
  ArrayExprPtr DofCopy = cloneExpr(*Dof);
  ArrayExprPtr Var = Bin(ast::BinOpKind::Div, std::move(SumSq), std::move(Dof));
  ArrayExprPtr Bad = Node(Kind::Compare, (int)ast::CmpOpKind::Le, "less_equal",
                          std::move(DofCopy), leafExpr(constInt(0), Site));
  Var = Func("where", std::move(Bad), Num(NAN), std::move(Var));
  return Base == "std" ? Func("sqrt", std::move(Var)) : std::move(Var);
}

std::pair<std::string, std::string> FunctionLowerer::ufuncMethod(const ast::CallExpr &E) {
  auto *M = dyn_cast<ast::AttributeExpr>(E.Func.get());
  if (!M || (M->Attr != "reduce" && M->Attr != "accumulate" && M->Attr != "outer"))
    return {};
  auto *U = dyn_cast<ast::AttributeExpr>(M->Value.get());
  if (!U)
    return {};
  auto *N = dyn_cast<ast::NameExpr>(U->Value.get());
  if (!N || isLocal(N->Id) || ML.moduleAlias(N->Id) != "numpy")
    return {};
  const EwFn *Info = findEw(U->Attr);
  if (!Info || Info->Arity != 2 || *Info->Optional || U->Attr == "where")
    return {};
  return {U->Attr, M->Attr};
}

ArrayExprPtr FunctionLowerer::buildUfuncMethod(const ast::CallExpr &E) {
  auto [Ufunc, Method] = ufuncMethod(E);
  std::string Name = "np." + Ufunc + "." + Method;
  const EwFn *Info = findEw(Ufunc);
  if (Method == "outer") {
    // a.shape + b.shape: a along the first axes, b along the last.
    auto Got = bindNumpyArgs(E, Name, {"A", "B"}, 2);
    if (!Got)
      return nullptr;
    TypedValue A = lowerExpr(*Got->at("A")), C = lowerExpr(*Got->at("B"));
    if (!A.ok() || !C.ok())
      return nullptr;
    unsigned NA = A.Ty.isArray() ? A.Ty.ndim() : 0, NC = C.Ty.isArray() ? C.Ty.ndim() : 0;
    if (NA + NC > 32) {
      diag(DiagID::Unsupported, E.Range, {"an outer product of more than 32 axes", "is"});
      return nullptr;
    }
    auto Spread = [&](TypedValue V, unsigned Before, unsigned After) {
      if (!V.Ty.isArray())
        return V;
      std::vector<ir::ValueId> Ext(Before, B.constInt(1)), Str(Before, B.constInt(0));
      for (unsigned K = 0; K < V.Ty.ndim(); ++K) {
        Ext.push_back(arrayDim(V.V, K));
        Str.push_back(arrayStride(V.V, K));
      }
      Ext.insert(Ext.end(), After, B.constInt(1));
      Str.insert(Str.end(), After, B.constInt(0));
      return viewOf(V, B.constInt(0), Ext, Str);
    };
    std::vector<ArrayExprPtr> Kids;
    Kids.push_back(leafExpr(Spread(A, 0, NC), E.Range));
    Kids.push_back(leafExpr(Spread(C, NA, 0), E.Range));
    Kind K = Info->OpKind >= 0 ? Info->Kind : Kind::Func;
    return combine(K, Info->OpKind >= 0 ? Info->OpKind : 0, Ufunc, std::move(Kids), E.Range);
  }
  // reduce / accumulate: along axis 0 unless told (NumPy's default).
  auto Got = bindNumpyArgs(E, Name, {"array", "axis", "dtype", "out"}, 1,
                           Method == "reduce" ? std::vector<llvm::StringRef>{"keepdims"}
                                              : std::vector<llvm::StringRef>{});
  if (!Got)
    return nullptr;
  for (const char *P : {"dtype", "out"})
    if (Got->count(P) && !isa<ast::NoneLitExpr>(Got->at(P))) {
      diag(DiagID::Unsupported, Got->at(P)->Range, {"`" + std::string(P) + "=` of " + Name, "is"});
      return nullptr;
    }
  ast::IntLitExpr Zero(E.Range);
  Zero.Value = 0;
  const ast::Expr *AxisE = Got->count("axis") ? Got->at("axis") : &Zero;
  if (Method == "accumulate") {
    if (Ufunc != "add" && Ufunc != "multiply" && Ufunc != "maximum" && Ufunc != "minimum") {
      diag(DiagID::Unsupported, E.Range, {"`" + Name + "`", "is"});
      return nullptr;
    }
    ArrayExprPtr X = buildArrayExpr(*Got->at("array"));
    if (X && X->isArray() && isa<ast::NoneLitExpr>(AxisE) && X->Shape.size() > 1) {
      diag(DiagID::Unsupported, AxisE->Range, {"`axis=None` of " + Name + " (NumPy refuses it)", "is"});
      return nullptr;
    }
    return leafExpr(cumulative(Ufunc, std::move(X), AxisE, E.Range), E.Range);
  }
  static const std::pair<const char *, const char *> Reductions[] = {
      {"add", "sum"},  {"multiply", "prod"}, {"maximum", "max"},    {"minimum", "min"},
      {"fmax", "fmax"}, {"fmin", "fmin"},    {"logical_and", "all"}, {"logical_or", "any"}};
  const char *R = nullptr;
  for (auto &P : Reductions)
    if (Ufunc == P.first)
      R = P.second;
  if (!R) {
    diag(DiagID::Unsupported, E.Range, {"`" + Name + "`", "is"});
    return nullptr;
  }
  bool Keep = false;
  if (Got->count("keepdims")) {
    auto *BL = dyn_cast<ast::BoolLitExpr>(Got->at("keepdims"));
    if (!BL) {
      diag(DiagID::Unsupported, Got->at("keepdims")->Range,
           {"`keepdims` other than `True` or `False`", "is"});
      return nullptr;
    }
    Keep = BL->Value;
  }
  return reduceNode(R, buildArrayExpr(*Got->at("array")), AxisE, Keep, E.Range);
}

ArrayExprPtr FunctionLowerer::buildReduction(llvm::StringRef Fn, const ast::CallExpr &E,
                                             const ast::Expr *Obj) {
  std::string Name = (Obj ? "." : "np.") + Fn.str();
  std::vector<const ast::Expr *> Pos;
  if (Obj)
    Pos.push_back(Obj);
  for (auto &A : E.Args)
    Pos.push_back(A.get());
  const ast::Expr *AxisE = nullptr, *KeepE = nullptr, *DdofE = nullptr, *OutE = nullptr;
  for (const ast::Keyword &K : E.Keywords) {
    if (K.Name == "axis" && Pos.size() < 2)
      AxisE = K.Value.get();
    else if (K.Name == "out" && Fn != "count_nonzero")
      OutE = K.Value.get();
    else if (K.Name == "keepdims" && !Fn.ends_with("argmin") && !Fn.ends_with("argmax"))
      KeepE = K.Value.get();
    else if (K.Name == "ddof" && (Fn == "var" || Fn == "std" || Fn == "nanvar" || Fn == "nanstd"))
      DdofE = K.Value.get();
    else {
      diag(DiagID::BadKeyword, K.Range, {Name, K.Name});
      return nullptr;
    }
  }
  if (Pos.empty() || Pos.size() > 2) {
    diag(DiagID::WrongArity, E.Range,
         {Name, Obj ? "0 or 1" : "1 or 2", std::to_string(E.Args.size())});
    return nullptr;
  }
  if (Pos.size() == 2)
    AxisE = Pos[1];
  bool Keep = false;
  if (KeepE) {
    auto *BL = dyn_cast<ast::BoolLitExpr>(KeepE);
    if (!BL) {
      diag(DiagID::Unsupported, KeepE->Range, {"`keepdims` other than `True` or `False`", "is"});
      return nullptr;
    }
    Keep = BL->Value;
  }
  ArrayExprPtr X = buildArrayExpr(*Pos[0]);
  ir::ValueId Ddof;
  if (DdofE) {
    TypedValue D = lowerExpr(*DdofE);
    if (!D.ok())
      return nullptr;
    if (!D.Ty.isInt() && !D.Ty.isBool()) {
      diag(DiagID::TypeMismatch, DdofE->Range, {"an int `ddof`", pyTypeName(D.Ty)});
      return nullptr;
    }
    Ddof = B.cast(D.V, Type::int64());
  }
  ArrayExprPtr R = composedReduction(Fn, std::move(X), AxisE, Keep, E.Range, Ddof);
  if (!R || !OutE)
    return R;
  // out=: the result is computed into that array (of the result's shape
  // exactly, as NumPy requires), which is the call's value.
  TypedValue O = lowerExpr(*OutE);
  if (!O.ok())
    return nullptr;
  if (!R->isArray()) {
    diag(DiagID::Unsupported, OutE->Range, {"`out=` for a reduction to a single number", "is"});
    return nullptr;
  }
  if (!O.Ty.isArray() || O.Ty.ndim() != R->Shape.size()) {
    diag(DiagID::TypeMismatch, OutE->Range,
         {"an array of " + std::to_string(R->Shape.size()) + " dimension(s) for `out=`",
          pyTypeName(O.Ty)});
    return nullptr;
  }
  // NumPy accumulates sums, means and indices in the `out=` array's own
  // type when it differs; Kiln writes the result it computed, so only that
  // type (min, max, any and all give the same values either way).
  bool Exact = !(Fn == "min" || Fn == "max" || Fn == "amin" || Fn == "amax" || Fn == "nanmin" ||
                 Fn == "nanmax" || Fn == "any" || Fn == "all");
  if (Exact && O.Ty.elementType() != R->Elem) {
    diag(DiagID::Unsupported, OutE->Range,
         {"`out=` of another type than the result's (" + R->Elem.str() + ") for `" + Fn.str() +
              "`",
          "is"});
    return nullptr;
  }
  if (!checkInPlaceType(R->Elem, O.Ty.elementType(), OutE->Range, "`out=` arrays"))
    return nullptr;
  IntOps I{B, *F};
  for (unsigned K = 0; K < R->Shape.size(); ++K)
    raiseFmtIf(B.cmp("ne", I.dim(O.V, K), R->Shape[K]), "ValueError",
               "output parameter for reduction operation " + Fn.str() +
                   " has the wrong shape: axis " + std::to_string(K) + " is {}, expected {}",
               {I.dim(O.V, K), R->Shape[K]});
  storeInto(O, *R, E.Range);
  return leafExpr(O, E.Range);
}

ArrayExprPtr FunctionLowerer::buildRoundDecimals(const ast::CallExpr &E) {
  const ast::Expr *DecE =
      E.Args.size() == 2 ? E.Args[1].get() : E.Keywords.empty() ? nullptr : E.Keywords[0].Value.get();
  if (E.Args.size() != (E.Keywords.empty() ? 2u : 1u) || !DecE) {
    diag(DiagID::WrongArity, E.Range, {"np.round", "1 or 2", std::to_string(E.Args.size())});
    return nullptr;
  }
  std::optional<int64_t> D = constIntValue(*DecE);
  if (!D) {
    diag(DiagID::Unsupported, DecE->Range, {"`decimals` that is not an int constant", "is"});
    return nullptr;
  }
  ArrayExprPtr X = buildArrayExpr(*E.Args[0]);
  if (!X)
    return nullptr;
  auto Unary = [&](ArrayExprPtr A) {
    std::vector<ArrayExprPtr> Kids;
    Kids.push_back(std::move(A));
    return combine(Kind::Func, 0, "round", std::move(Kids), E.Range);
  };
  if (*D == 0)
    return Unary(std::move(X));
  if (!X->Elem.isFloating()) {
    if (*D > 0 && (X->Elem.isInteger() || X->Elem.isBool()))
      return X; // integers have no decimals
    diag(DiagID::Unsupported, E.Range,
         {"`np.round` with decimals of " + X->Elem.str() + " values", "is"});
    return nullptr;
  }
  // NumPy: rint(x * 10**d) / 10**d, or rint(x / 10**-d) * 10**-d, with the
  // factor a Python float (weak: float32 stays float32).
  auto Bin = [&](ast::BinOpKind Op, ArrayExprPtr A, double F) {
    std::vector<ArrayExprPtr> Kids;
    Kids.push_back(std::move(A));
    Kids.push_back(leafExpr(constFloat(F), E.Range));
    return combine(Kind::Binary, (int)Op, "", std::move(Kids), E.Range);
  };
  double F = std::pow(10.0, (double)(*D > 0 ? *D : -*D));
  if (*D > 0)
    return Bin(ast::BinOpKind::Div, Unary(Bin(ast::BinOpKind::Mul, std::move(X), F)), F);
  return Bin(ast::BinOpKind::Mul, Unary(Bin(ast::BinOpKind::Div, std::move(X), F)), F);
}

ArrayExprPtr FunctionLowerer::buildNormOrAverage(llvm::StringRef Fn, const ast::CallExpr &E) {
  std::string Name = "np." + Fn.str();
  const ast::Expr *AxisE = nullptr, *WeightsE = nullptr;
  for (const ast::Keyword &K : E.Keywords) {
    if (Fn == "average" && K.Name == "axis")
      AxisE = K.Value.get();
    else if (Fn == "average" && K.Name == "weights")
      WeightsE = K.Value.get();
    else {
      diag(DiagID::BadKeyword, K.Range, {Name, K.Name});
      return nullptr;
    }
  }
  if (E.Args.size() != 1) {
    diag(DiagID::WrongArity, E.Range, {Name, "1", std::to_string(E.Args.size())});
    return nullptr;
  }
  auto Make = [&](Kind K, int Op, llvm::StringRef F2, ArrayExprPtr A, ArrayExprPtr C = nullptr) {
    std::vector<ArrayExprPtr> Kids;
    Kids.push_back(std::move(A));
    if (C)
      Kids.push_back(std::move(C));
    return combine(K, Op, F2, std::move(Kids), E.Range);
  };
  if (Fn == "linalg.norm") {
    // The 2-norm of a vector, the Frobenius norm of a matrix: computed in
    // float64, as NumPy does.
    // |x| of complex numbers is their modulus.
    ArrayExprPtr A = buildArrayExpr(*E.Args[0]);
    llvm::StringRef Abs = A && A->Elem.isComplex() ? "absolute" : "fabs";
    ArrayExprPtr X = Make(Kind::Func, 0, "square", Make(Kind::Func, 0, Abs, std::move(A)));
    return Make(Kind::Func, 0, "sqrt", reduceNode("sum", std::move(X), nullptr, false, E.Range));
  }
  // np.average: the mean, or sum(a * w) / sum(w) along the axis.
  if (!WeightsE)
    return reduceNode("mean", buildArrayExpr(*E.Args[0]), AxisE, false, E.Range);
  // As NumPy's: computed in the operands' type, float64 for ints; weights
  // of another shape must be 1-D along `axis`; weights that sum to zero
  // raise.
  ArrayExprPtr A = buildArrayExpr(*E.Args[0]);
  ArrayExprPtr W = buildArrayExpr(*WeightsE);
  if (!A || !W)
    return nullptr;
  if (!A->isArray() || !W->isArray() || A->Elem.isComplex() || W->Elem.isComplex()) {
    diag(DiagID::Unsupported, E.Range,
         {"`np.average` with weights of anything but real arrays", "is"});
    return nullptr;
  }
  Type RT = promoteTypes(A->Elem, false, W->Elem, false);
  if (!A->Elem.isFloating())
    RT = promoteTypes(RT, false, Type::float64(), false);
  TypedValue AV = materialize(*A), WV = materialize(*W);
  if (AV.Ty.elementType() != RT)
    AV = copyArray(AV, RT);
  if (WV.Ty.elementType() != RT)
    WV = copyArray(WV, RT);
  IntOps I{B, *F};
  unsigned NA = AV.Ty.ndim(), NW = WV.Ty.ndim();
  std::optional<unsigned> Axis;
  if (AxisE && !isa<ast::NoneLitExpr>(AxisE) && !(Axis = axisArg(AxisE, NA)))
    return nullptr;
  ir::ValueId SameShape = B.constBool(NA == NW);
  for (unsigned K = 0; K < NA && NA == NW; ++K)
    SameShape = B.create1(ir::OpKind::BitAnd,
                          {SameShape, B.cmp("eq", I.dim(AV.V, K), I.dim(WV.V, K))},
                          Type::boolean());
  ir::ValueId Differ = B.create1(ir::OpKind::Not, {SameShape}, Type::boolean());
  if (!Axis) {
    raiseIf(Differ, "TypeError", "Axis must be specified when shapes of a and weights differ.");
  } else if (NW != 1) {
    raiseIf(Differ, "TypeError", "1D weights expected when shapes of a and weights differ.");
  } else {
    raiseIf(B.cmp("ne", I.dim(WV.V, 0), I.dim(AV.V, *Axis)), "ValueError",
            "Length of weights not compatible with specified axis.");
  }
  if (Axis && NW == 1 && NA != 1) {
    // 1-D weights along the axis: a view with a's shape, stride 0 elsewhere.
    std::vector<ir::ValueId> Ext, Str;
    for (unsigned K = 0; K < NA; ++K) {
      Ext.push_back(I.dim(AV.V, K));
      Str.push_back(K == *Axis ? I.stride(WV.V, 0) : I.c(0));
    }
    Type VT = Type::array(RT, NA, false);
    WV = {makeView(B, WV.V, I.c(0), Ext, Str, VT), VT};
  }
  ArrayExprPtr Den = reduceNode("sum", leafExpr(WV, E.Range), AxisE, false, E.Range);
  if (!Den)
    return nullptr;
  TypedValue Scl = materialize(*Den);
  ArrayExprPtr Zero = Make(Kind::Compare, (int)ast::CmpOpKind::Eq, "equal", leafExpr(Scl, E.Range),
                           leafExpr(constFloat(0.0), E.Range));
  if (Zero && Zero->isArray())
    Zero = reduceNode("any", std::move(Zero), nullptr, false, E.Range);
  if (!Zero)
    return nullptr;
  raiseIf(Zero->Val.V, "ZeroDivisionError", "Weights sum to zero, can't be normalized");
  ArrayExprPtr Num = reduceNode("sum", Make(Kind::Binary, (int)ast::BinOpKind::Mul, "multiply",
                                            leafExpr(AV, E.Range), leafExpr(WV, E.Range)),
                                AxisE, false, E.Range);
  return Make(Kind::Binary, (int)ast::BinOpKind::Div, "divide", std::move(Num),
              leafExpr(Scl, E.Range));
}

TypedValue FunctionLowerer::lowerReductionCall(llvm::StringRef Fn, const ast::CallExpr &E,
                                               const ast::Expr *Obj) {
  ArrayExprPtr X = buildReduction(Fn, E, Obj);
  return X ? materialize(*X) : bad();
}

std::optional<std::pair<std::string, const ast::Expr *>>
FunctionLowerer::reductionCallee(const ast::CallExpr &E) {
  std::string Fn = numpyCallee(E);
  if (!Fn.empty())
    return isReductionFn(Fn) ? std::optional(std::make_pair(Fn, (const ast::Expr *)nullptr))
                             : std::nullopt;
  auto *A = dyn_cast<ast::AttributeExpr>(E.Func.get());
  if (!A || !isReductionMethod(A->Attr))
    return std::nullopt;
  if (auto *N = dyn_cast<ast::NameExpr>(A->Value.get());
      N && !isLocal(N->Id) && !ML.moduleAlias(N->Id).empty())
    return std::nullopt; // math.sum, say: not a method
  return std::make_pair(A->Attr, A->Value.get());
}

//===- LowerOrderStats.cpp - np.median, np.percentile, np.quantile --------===//
//
// Order statistics as NumPy 1.x computes them. The operand is copied and
// sorted along the axis (NaN last, as np.sort), then
//  - median: the middle element, or the mean of the two middle ones;
//  - percentile / quantile (NumPy's default `linear` method): the elements
//    around the virtual index (n - 1) * q, interpolated by NumPy's _lerp
//    (from the lower one below t = 0.5, from the upper one above), with
//    NumPy's index and gamma rules at the upper end;
// and a slice holding a NaN gives NaN. The result is an element-wise
// expression over views of the sorted copy, so it fuses into what uses it.
//
//===----------------------------------------------------------------------===//

#include "frontend/LowerImpl.h"
#include "llvm/Support/Casting.h"
#include <cmath>

using namespace kiln;
using namespace kiln::lower;
using llvm::dyn_cast;
using llvm::isa;
using Kind = ArrayExpr::Kind;

bool FunctionLowerer::isOrderStatistic(llvm::StringRef Fn) {
  return Fn == "median" || Fn == "percentile" || Fn == "quantile";
}

TypedValue FunctionLowerer::axisSlice(TypedValue A, unsigned Axis, ir::ValueId Index, bool Keep) {
  std::vector<ir::ValueId> Ops{A.V, ir::ValueId()}, Ext, Str;
  ir::ValueId Offset;
  for (unsigned K = 0; K < A.Ty.ndim(); ++K) {
    ir::ValueId S = B.create1(ir::OpKind::ArrayStride, {A.V}, Type::int64());
    F->op(F->definingOp(S)).Attrs.set("axis", (int64_t)K);
    if (K == Axis) {
      Offset = B.create1(ir::OpKind::Mul, {Index, S}, Type::int64());
      F->op(F->definingOp(Offset)).Attrs.set("no_overflow", true);
      if (!Keep)
        continue;
      Ext.push_back(B.constInt(1));
    } else {
      Ext.push_back(arrayDim(A.V, K));
    }
    Str.push_back(S);
  }
  Ops[1] = Offset;
  Ops.insert(Ops.end(), Ext.begin(), Ext.end());
  Ops.insert(Ops.end(), Str.begin(), Str.end());
  Type VT = Type::array(A.Ty.elementType(), Ext.size(), false);
  return {B.create1(ir::OpKind::ArrayView, Ops, VT), VT};
}

ArrayExprPtr FunctionLowerer::buildOrderStatistic(llvm::StringRef Fn, const ast::CallExpr &E) {
  std::string Name = "np." + Fn.str();
  bool Median = Fn == "median";
  // Parameters: (a, axis) for median, (a, q, axis) for the others; then
  // keywords. overwrite_input= only permits changing the input: a copy is
  // sorted either way.
  std::vector<llvm::StringRef> Params = Median ? std::vector<llvm::StringRef>{"a", "axis"}
                                               : std::vector<llvm::StringRef>{"a", "q", "axis"};
  auto Bound = bindNumpyArgs(E, Name, Params, Median ? 1 : 2, {"keepdims", "overwrite_input"});
  if (!Bound)
    return nullptr;
  BoundArgs &Got = *Bound;
  bool KeepDims = false;
  for (const char *Flag : {"keepdims", "overwrite_input"})
    if (const ast::Expr *X = Got.count(Flag) ? Got[Flag] : nullptr) {
      auto *BL = dyn_cast<ast::BoolLitExpr>(X);
      if (!BL) {
        diag(DiagID::Unsupported, X->Range,
             {"`" + std::string(Flag) + "` other than True or False", "is"});
        return nullptr;
      }
      if (std::string(Flag) == "keepdims")
        KeepDims = BL->Value;
    }

  ArrayExprPtr X = buildArrayExpr(*Got["a"]);
  if (!X)
    return nullptr;
  TypedValue A = materialize(*X);
  if (!A.ok())
    return nullptr;
  if (!A.Ty.isArray()) {
    diag(DiagID::TypeMismatch, Got["a"]->Range, {"an array", pyTypeName(A.Ty)});
    return nullptr;
  }
  Type T = A.Ty.elementType();
  if (T.isComplex() || T.isFloat32() || (T.isSized() && T.isFloating())) {
    diag(DiagID::Unsupported, E.Range, {"`" + Name + "` of " + T.str() + " values", "is"});
    return nullptr;
  }
  const ast::Expr *AxisE = Got.count("axis") ? Got["axis"] : nullptr;
  if (AxisE && isa<ast::NoneLitExpr>(AxisE))
    AxisE = nullptr;
  std::optional<unsigned> Axis;
  if (AxisE && !(Axis = axisArg(AxisE, A.Ty.ndim())))
    return nullptr;
  if (!Axis && KeepDims) {
    diag(DiagID::Unsupported, E.Range, {"`keepdims=True` without an axis here", "is"});
    return nullptr;
  }

  // q: a number (an array of them is not supported yet), checked as NumPy.
  ir::ValueId Q;
  bool IntQ = false; // np.quantile(a, 0 or 1): an element, of a's type
  if (!Median) {
    TypedValue QV = lowerExpr(*Got["q"]);
    IntQ = Fn == "quantile" && QV.ok() && (QV.Ty.isInteger() || QV.Ty.isBool());
    if (!QV.ok())
      return nullptr;
    if (!QV.Ty.isScalar() || QV.Ty.isComplex()) {
      diag(DiagID::Unsupported, Got["q"]->Range,
           {"`q` other than one number (an array of them)", "is"});
      return nullptr;
    }
    Q = convert(QV, Type::float64(), E.Range, "q").V;
    if (Fn == "percentile")
      Q = numpyOp(ir::OpKind::Div, {Q, B.constFloat(100.0)}, Type::float64());
    ir::ValueId Bad =
        B.create1(ir::OpKind::Not,
                  {B.create1(ir::OpKind::BitAnd,
                             {B.cmp("le", B.constFloat(0.0), Q), B.cmp("le", Q, B.constFloat(1.0))},
                             Type::boolean())},
                  Type::boolean());
    raiseIf(Bad, "ValueError",
            Fn == "percentile" ? "Percentiles must be in the range [0, 100]"
                               : "Quantiles must be in the range [0, 1]");
  }

  // The sorted copy: flattened for axis=None.
  TypedValue S = copyArray(A, T);
  unsigned Ax = 0;
  if (!Axis) {
    S = flatView(S, E.Range);
    if (!S.ok())
      return nullptr;
    sortInPlace(S, nullptr, E.Range);
  } else {
    Ax = *Axis;
    sortInPlace(S, AxisE, E.Range);
  }
  ir::ValueId N = arrayDim(S.V, Ax);
  Type F64 = Type::float64();
  bool Scalar = !Axis;

  // The element of each slice at position Index along the axis: a scalar
  // for axis=None, else a view without (or, keepdims, with a unit) axis.
  auto At = [&](ir::ValueId Index) -> ArrayExprPtr {
    if (Scalar)
      return leafExpr({B.create1(ir::OpKind::ArrayLoad, {S.V, Index}, T), T}, E.Range);
    return leafExpr(axisSlice(S, Ax, Index, KeepDims), E.Range);
  };
  auto Node = [&](Kind K, int Op, llvm::StringRef F2, std::vector<ArrayExprPtr> Kids) {
    for (auto &Kid : Kids)
      if (!Kid)
        return ArrayExprPtr();
    return combine(K, Op, F2, std::move(Kids), E.Range);
  };
  auto Vec = [](ArrayExprPtr A1, ArrayExprPtr A2 = nullptr, ArrayExprPtr A3 = nullptr) {
    std::vector<ArrayExprPtr> V;
    for (ArrayExprPtr *P : {&A1, &A2, &A3})
      if (*P)
        V.push_back(std::move(*P));
    return V;
  };
  auto Num = [&](double V) { return leafExpr(constFloat(V), E.Range); };
  auto Bin = [&](ast::BinOpKind Op, llvm::StringRef F2, ArrayExprPtr L, ArrayExprPtr R) {
    return Node(Kind::Binary, (int)Op, F2, Vec(std::move(L), std::move(R)));
  };
  auto ToFloat = [&](ArrayExprPtr V) { // an int converts as NumPy's mean does
    return T.isFloating() ? std::move(V) : Bin(ast::BinOpKind::Add, "add", std::move(V), Num(0.0));
  };

  ir::ValueId Zero = B.constInt(0), OneI = B.constInt(1);
  ir::ValueId Last = B.create1(ir::OpKind::Sub, {N, OneI}, Type::int64());
  // An empty axis: NumPy's median is NaN (the mean of nothing), computed
  // without reading the sorted copy; its percentile raises IndexError.
  ir::ValueId Empty = B.cmp("eq", N, Zero);
  if (!Median)
    raiseIf(Empty, "IndexError", "cannot do a non-empty take from an empty axes.");
  auto Clamp = [&](ir::ValueId I) {
    return B.create1(ir::OpKind::Select, {B.cmp("lt", I, Zero), Zero, I}, Type::int64());
  };
  auto Compute = [&]() -> ArrayExprPtr {
    ArrayExprPtr R;
    if (Median) {
      // mean(part[lo:hi + 1]): x itself for odd n, (x + y) / 2 for even n.
      ir::ValueId Lo = Clamp(B.create1(ir::OpKind::FloorDiv, {Last, B.constInt(2)}, Type::int64()));
      ir::ValueId Hi = Clamp(B.create1(ir::OpKind::FloorDiv, {N, B.constInt(2)}, Type::int64()));
      ir::ValueId Odd =
          B.cmp("eq", B.create1(ir::OpKind::Mod, {N, B.constInt(2)}, Type::int64()), OneI);
      ArrayExprPtr Mid =
          Bin(ast::BinOpKind::Div, "divide",
              Bin(ast::BinOpKind::Add, "add", ToFloat(At(Lo)), ToFloat(At(Hi))), Num(2.0));
      R = Node(Kind::Func, 0, "where",
               Vec(leafExpr({Odd, Type::boolean()}, E.Range), ToFloat(At(Lo)), std::move(Mid)));
    } else if (IntQ) {
      // NumPy: an integer virtual index takes the element itself.
      R = At(B.create1(ir::OpKind::Select, {B.cmp("ge", Q, B.constFloat(1.0)), Clamp(Last), Zero},
                       Type::int64()));
    } else {
      // NumPy's _get_indexes, _get_gamma and _lerp for method="linear".
      ir::ValueId V = numpyOp(ir::OpKind::Mul, {B.cast(Last, F64), Q}, F64);
      ir::ValueId Prev = mathOp("floor", {V}, F64);
      ir::ValueId Above = B.cmp("ge", V, B.cast(Last, F64));
      ir::ValueId PrevI =
          B.create1(ir::OpKind::Select, {Above, Last, B.cast(Prev, Type::int64())}, Type::int64());
      ir::ValueId NextI = B.create1(
          ir::OpKind::Select,
          {Above, Last, B.create1(ir::OpKind::Add, {PrevI, OneI}, Type::int64())}, Type::int64());
      // gamma = virtual - previous, with previous -1 at the upper end.
      ir::ValueId PrevF = B.create1(ir::OpKind::Select, {Above, B.constFloat(-1.0), Prev}, F64);
      ir::ValueId Gamma = numpyOp(ir::OpKind::Sub, {V, PrevF}, F64);
      ArrayExprPtr Lo = At(Clamp(PrevI)), Hi = At(Clamp(NextI));
      ArrayExprPtr Diff = Bin(ast::BinOpKind::Sub, "subtract", cloneExpr(*Hi), cloneExpr(*Lo));
      ArrayExprPtr G = leafExpr({Gamma, F64}, E.Range);
      ArrayExprPtr Below =
          Bin(ast::BinOpKind::Add, "add", std::move(Lo),
              Bin(ast::BinOpKind::Mul, "multiply", cloneExpr(*Diff), cloneExpr(*G)));
      ArrayExprPtr AboveV = Bin(ast::BinOpKind::Sub, "subtract", std::move(Hi),
                                Bin(ast::BinOpKind::Mul, "multiply", std::move(Diff),
                                    Bin(ast::BinOpKind::Sub, "subtract", Num(1.0), std::move(G))));
      ir::ValueId Upper = B.cmp("ge", Gamma, B.constFloat(0.5));
      R = Node(
          Kind::Func, 0, "where",
          Vec(leafExpr({Upper, Type::boolean()}, E.Range), std::move(AboveV), std::move(Below)));
    }
    // A slice with a NaN (sorted last) gives NaN.
    if (R && T.isFloating())
      R = Node(Kind::Func, 0, "where",
               Vec(Node(Kind::Func, 0, "isnan", Vec(At(Clamp(Last)))), Num(NAN), std::move(R)));
    return R;
  };
  if (!Median)
    return Compute();
  TypedValue Res = branchValue(
      Empty,
      [&]() -> TypedValue {
        if (Scalar)
          return constFloat(NAN);
        std::vector<ir::ValueId> Dims;
        for (unsigned K = 0; K < S.Ty.ndim(); ++K)
          if (K != Ax || KeepDims)
            Dims.push_back(K == Ax ? OneI : arrayDim(S.V, K));
        TypedValue Nan = allocArray(F64, Dims);
        fillArray(Nan, constFloat(NAN));
        return Nan;
      },
      [&]() -> TypedValue {
        ArrayExprPtr R = Compute();
        return R ? materialize(*R) : bad();
      },
      E.Range);
  return Res.ok() ? leafExpr(Res, E.Range) : nullptr;
}

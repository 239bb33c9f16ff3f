//===- LowerShapes.cpp - NumPy's shape functions: views and small copies --===//
//
// The functions that rearrange an array without computing on its elements,
// with NumPy's view-or-copy behaviour: views (a write through them reaches
// the array) for expand_dims, squeeze(axis=), flip, fliplr, flipud,
// swapaxes, moveaxis, transpose(axes), atleast_1d/2d/3d, ravel of a
// contiguous array and diagonal; the shape queries np.shape, np.size and
// np.ndim; and new arrays for diag, tri, tril, triu, trace and meshgrid.
// The rank of every result is known at compile time: squeeze needs its
// axis, since without one the rank would depend on the extents.
//
//===----------------------------------------------------------------------===//

#include "frontend/LowerImpl.h"
#include "llvm/Support/Casting.h"

using namespace kiln;
using namespace kiln::lower;
using llvm::dyn_cast;
using llvm::isa;

std::optional<FunctionLowerer::BoundArgs>
FunctionLowerer::bindNumpyArgs(const ast::CallExpr &E, llvm::StringRef Name,
                               llvm::ArrayRef<llvm::StringRef> Params, size_t Required,
                               llvm::ArrayRef<llvm::StringRef> KeywordOnly) {
  BoundArgs Got;
  if (E.Args.size() > Params.size()) {
    std::string Want = Required == Params.size()
                           ? std::to_string(Required)
                           : std::to_string(Required) + " to " + std::to_string(Params.size());
    diag(DiagID::WrongArity, E.Range, {Name.str(), Want, std::to_string(E.Args.size())});
    return std::nullopt;
  }
  for (size_t K = 0; K < E.Args.size(); ++K)
    Got[Params[K].str()] = E.Args[K].get();
  for (const ast::Keyword &K : E.Keywords) {
    if (!llvm::is_contained(Params, K.Name) && !llvm::is_contained(KeywordOnly, K.Name)) {
      diag(DiagID::BadKeyword, K.Range, {Name.str(), K.Name});
      return std::nullopt;
    }
    if (Got.count(K.Name)) {
      diag(DiagID::MultipleValues, K.Range, {Name.str(), K.Name});
      return std::nullopt;
    }
    Got[K.Name] = K.Value.get();
  }
  for (size_t K = 0; K < Required; ++K)
    if (!Got.count(Params[K].str())) {
      diag(DiagID::MissingArgument, E.Range, {Name.str(), Params[K].str()});
      return std::nullopt;
    }
  return Got;
}

std::optional<FunctionLowerer::BoundArgs>
FunctionLowerer::bindArrayCall(const ast::CallExpr &E, llvm::StringRef Name, TypedValue Obj,
                               llvm::ArrayRef<llvm::StringRef> Rest, size_t Required,
                               llvm::ArrayRef<llvm::StringRef> KeywordOnly, TypedValue &Array) {
  std::vector<llvm::StringRef> P;
  if (!Obj.ok())
    P.push_back("a");
  P.insert(P.end(), Rest.begin(), Rest.end());
  auto Got = bindNumpyArgs(E, Name, P, Required + (Obj.ok() ? 0 : 1), KeywordOnly);
  if (!Got)
    return std::nullopt;
  Array = Obj.ok() ? Obj : lowerArrayArg(*Got->at("a"));
  if (!Array.ok())
    return std::nullopt;
  return Got;
}

ir::ValueId FunctionLowerer::intArg(const ast::Expr &E, llvm::StringRef What) {
  TypedValue V = lowerExpr(E);
  if (!V.ok())
    return ir::ValueId();
  if (!V.Ty.isInt() && !V.Ty.isBool()) {
    diag(DiagID::TypeMismatch, E.Range, {"an int " + What.str(), pyTypeName(V.Ty)});
    return ir::ValueId();
  }
  return B.cast(V.V, Type::int64());
}

TypedValue FunctionLowerer::flatView(TypedValue A, SourceRange Site) {
  ast::IntLitExpr M1(Site);
  M1.Value = -1;
  return reshapeView(A, {&M1}, Site);
}

ir::ValueId FunctionLowerer::arrayStride(ir::ValueId A, unsigned Axis) {
  ir::ValueId S = B.create1(ir::OpKind::ArrayStride, {A}, Type::int64());
  F->op(F->definingOp(S)).Attrs.set("axis", (int64_t)Axis);
  return S;
}

TypedValue FunctionLowerer::mapElements(TypedValue X, Type InT, Type OutT,
                                        const std::function<ir::ValueId(ir::ValueId)> &Fn,
                                        SourceRange Site) {
  if (!X.Ty.isArray())
    return {Fn(castScalar(X, InT, Site).V), OutT};
  std::vector<ir::ValueId> Dims;
  for (unsigned K = 0; K < X.Ty.ndim(); ++K)
    Dims.push_back(arrayDim(X.V, K));
  TypedValue R = allocArray(OutT, Dims);
  emitLoopNest(Dims, [&](const std::vector<ir::ValueId> &Idx) {
    std::vector<ir::ValueId> LOps{X.V};
    LOps.insert(LOps.end(), Idx.begin(), Idx.end());
    ir::ValueId V = B.cast(B.create1(ir::OpKind::ArrayLoad, LOps, X.Ty.elementType()), InT);
    std::vector<ir::ValueId> SOps{Fn(V), R.V};
    SOps.insert(SOps.end(), Idx.begin(), Idx.end());
    B.create(ir::OpKind::ArrayStore, SOps, {});
  });
  return R;
}

TypedValue FunctionLowerer::viewOf(TypedValue A, ir::ValueId Offset,
                                   const std::vector<ir::ValueId> &Ext,
                                   const std::vector<ir::ValueId> &Str) {
  std::vector<ir::ValueId> Ops{A.V, Offset};
  Ops.insert(Ops.end(), Ext.begin(), Ext.end());
  Ops.insert(Ops.end(), Str.begin(), Str.end());
  Type VT = Type::array(A.Ty.elementType(), Ext.size(), false);
  return {B.create1(ir::OpKind::ArrayView, Ops, VT), VT};
}

bool FunctionLowerer::isShapeFunction(llvm::StringRef Fn) {
  static const char *const Fns[] = {
      "expand_dims",  "squeeze",   "flip",          "fliplr",     "flipud",
      "swapaxes",     "moveaxis",  "atleast_1d",    "atleast_2d", "atleast_3d",
      "ravel",        "shape",     "size",          "ndim",       "diagonal",
      "trace",        "diag",      "tri",           "tril",       "triu",
      "meshgrid",     "transpose", "asarray",       "asanyarray", "ascontiguousarray",
      "broadcast_to", "rot90",     "fill_diagonal", "append",     "take"};
  return llvm::is_contained(Fns, Fn);
}

TypedValue FunctionLowerer::lowerShapeFunction(llvm::StringRef Fn, const ast::CallExpr &E,
                                               TypedValue Obj) {
  std::string Name = (Obj.ok() ? "." : "np.") + Fn.str();
  // The parameters after the array (which is the object of a method).
  TypedValue A; // the array: the method's object or argument `a`
  auto Params = [&](std::vector<llvm::StringRef> Rest, size_t Required) {
    return bindArrayCall(E, Name, Obj, Rest, Required, {}, A);
  };
  auto Axis = [&](const ast::Expr *X, unsigned N) -> std::optional<unsigned> {
    return axisArg(X, N);
  };
  Type I64 = Type::int64();
  ir::ValueId Zero = B.constInt(0), One = B.constInt(1);
  auto Dims = [&](TypedValue A) {
    std::vector<ir::ValueId> D;
    for (unsigned K = 0; K < A.Ty.ndim(); ++K)
      D.push_back(arrayDim(A.V, K));
    return D;
  };
  auto Strides = [&](TypedValue A) {
    std::vector<ir::ValueId> S;
    for (unsigned K = 0; K < A.Ty.ndim(); ++K)
      S.push_back(arrayStride(A.V, K));
    return S;
  };
  auto Mul = [&](ir::ValueId X, ir::ValueId Y) {
    ir::ValueId R = B.create1(ir::OpKind::Mul, {X, Y}, I64);
    F->op(F->definingOp(R)).Attrs.set("no_overflow", true);
    return R;
  };
  auto Add = [&](ir::ValueId X, ir::ValueId Y) {
    ir::ValueId R = B.create1(ir::OpKind::Add, {X, Y}, I64);
    F->op(F->definingOp(R)).Attrs.set("no_overflow", true);
    return R;
  };
  auto Sel = [&](ir::ValueId C, ir::ValueId X, ir::ValueId Y) {
    return B.create1(ir::OpKind::Select, {C, X, Y}, I64);
  };

  if (Fn == "shape" || Fn == "size" || Fn == "ndim") {
    auto Got = Params({}, 0);
    if (!Got)
      return bad();
    if (Fn == "ndim")
      return constInt(A.Ty.ndim());
    std::vector<ir::ValueId> D = Dims(A);
    if (Fn == "size") {
      ir::ValueId P = One;
      for (ir::ValueId X : D)
        P = Mul(P, X);
      return {P, I64};
    }
    Type TT = Type::tuple(std::vector<Type>(D.size(), I64));
    return {B.create1(ir::OpKind::TupleMake, D, TT), TT};
  }

  if (Fn == "expand_dims") {
    auto Got = Params({"axis"}, 1);
    if (!Got)
      return bad();
    // The new axis counts in the result's rank (-1 appends).
    auto K = Axis(Got->at("axis"), A.Ty.ndim() + 1);
    if (!K)
      return bad();
    std::vector<ir::ValueId> Ext = Dims(A), Str = Strides(A);
    Ext.insert(Ext.begin() + *K, One);
    Str.insert(Str.begin() + *K, Zero);
    return viewOf(A, Zero, Ext, Str);
  }

  if (Fn == "squeeze") {
    auto Got = Params({"axis"}, 0);
    if (!Got)
      return bad();
    if (!Got->count("axis") || isa<ast::NoneLitExpr>(Got->at("axis"))) {
      diag(DiagID::Unsupported, E.Range,
           {"`" + Name + "` without `axis` (the result's rank would depend on the extents)", "is"});
      return bad();
    }
    // One axis or a tuple of them; each must have extent 1.
    std::vector<const ast::Expr *> AxisEs;
    if (auto *T = dyn_cast<ast::TupleExpr>(Got->at("axis")))
      for (auto &X : T->Elts)
        AxisEs.push_back(X.get());
    else
      AxisEs.push_back(Got->at("axis"));
    std::vector<bool> Drop(A.Ty.ndim(), false);
    for (const ast::Expr *X : AxisEs) {
      auto K = Axis(X, A.Ty.ndim());
      if (!K)
        return bad();
      if (Drop[*K]) {
        diag(DiagID::Unsupported, X->Range, {"an axis repeated in `axis`", "is"});
        return bad();
      }
      Drop[*K] = true;
    }
    if (llvm::count(Drop, true) == A.Ty.ndim()) {
      diag(DiagID::Unsupported, E.Range,
           {"squeezing out every axis (a 0-d array; index it instead: `a[0]`)", "is"});
      return bad();
    }
    std::vector<ir::ValueId> Ext, Str, D = Dims(A), S = Strides(A);
    for (unsigned K = 0; K < A.Ty.ndim(); ++K) {
      if (!Drop[K]) {
        Ext.push_back(D[K]);
        Str.push_back(S[K]);
        continue;
      }
      raiseIf(B.cmp("ne", D[K], One), "ValueError",
              "cannot select an axis to squeeze out which has size not equal to one");
    }
    return viewOf(A, Zero, Ext, Str);
  }

  if (Fn == "flip" || Fn == "fliplr" || Fn == "flipud") {
    auto Got = Params(
        Fn == "flip" ? std::vector<llvm::StringRef>{"axis"} : std::vector<llvm::StringRef>{}, 0);
    if (!Got)
      return bad();
    unsigned N = A.Ty.ndim();
    std::vector<bool> Rev(N, Fn == "flip");
    if (Fn != "flip") {
      unsigned Need = Fn == "fliplr" ? 2 : 1;
      if (N < Need) {
        diag(DiagID::TypeMismatch, E.Range,
             {"an array of at least " + std::to_string(Need) + " dimension(s)", pyTypeName(A.Ty)});
        return bad();
      }
      Rev.assign(N, false);
      Rev[Fn == "fliplr" ? 1 : 0] = true;
    } else if (Got->count("axis") && !isa<ast::NoneLitExpr>(Got->at("axis"))) {
      Rev.assign(N, false);
      std::vector<const ast::Expr *> AxisEs;
      if (auto *T = dyn_cast<ast::TupleExpr>(Got->at("axis")))
        for (auto &X : T->Elts)
          AxisEs.push_back(X.get());
      else
        AxisEs.push_back(Got->at("axis"));
      for (const ast::Expr *X : AxisEs) {
        auto K = Axis(X, N);
        if (!K)
          return bad();
        if (Rev[*K]) {
          diag(DiagID::Unsupported, X->Range, {"an axis repeated in `axis`", "is"});
          return bad();
        }
        Rev[*K] = true;
      }
    }
    return flippedView(A, Rev);
  }

  if (Fn == "swapaxes" || Fn == "moveaxis") {
    auto Got = Params(Fn == "swapaxes" ? std::vector<llvm::StringRef>{"axis1", "axis2"}
                                       : std::vector<llvm::StringRef>{"source", "destination"},
                      2);
    if (!Got)
      return bad();
    unsigned N = A.Ty.ndim();
    bool Swap = Fn == "swapaxes";
    auto K1 = Axis(Got->at(Swap ? "axis1" : "source"), N);
    auto K2 = K1 ? Axis(Got->at(Swap ? "axis2" : "destination"), N) : std::nullopt;
    if (!K1 || !K2)
      return bad();
    std::vector<unsigned> Order;
    for (unsigned K = 0; K < N; ++K)
      Order.push_back(K);
    if (Swap) {
      std::swap(Order[*K1], Order[*K2]);
    } else {
      Order.erase(Order.begin() + *K1);
      Order.insert(Order.begin() + *K2, *K1);
    }
    return permutedView(A, Order);
  }

  if (Fn == "transpose") {
    // np.transpose(a, axes), a.transpose(axes) or a.transpose(i, j, k):
    // axes as constant ints, a permutation.
    std::vector<const ast::Expr *> AxisEs;
    if (!Obj.ok()) {
      auto Got = Params({"axes"}, 0);
      if (!Got)
        return bad();
      if (Got->count("axes"))
        AxisEs.push_back(Got->at("axes"));
    } else {
      A = Obj;
      for (const ast::Keyword &K : E.Keywords) {
        diag(DiagID::BadKeyword, K.Range, {Name, K.Name});
        return bad();
      }
      for (auto &X : E.Args)
        AxisEs.push_back(X.get());
    }
    if (AxisEs.size() == 1 && isa<ast::NoneLitExpr>(AxisEs[0]))
      AxisEs.clear();
    if (AxisEs.size() == 1)
      if (auto *T = dyn_cast<ast::TupleExpr>(AxisEs[0])) {
        AxisEs.clear();
        for (auto &X : T->Elts)
          AxisEs.push_back(X.get());
      }
    if (AxisEs.empty())
      return transposeView(A);
    unsigned N = A.Ty.ndim();
    if (AxisEs.size() != N) {
      diag(DiagID::Unsupported, E.Range, {"`axes` that do not name every axis once", "are"});
      return bad();
    }
    std::vector<unsigned> Order;
    for (const ast::Expr *X : AxisEs) {
      auto K = Axis(X, N);
      if (!K)
        return bad();
      if (llvm::is_contained(Order, *K)) {
        diag(DiagID::Unsupported, X->Range, {"an axis repeated in `axes`", "is"});
        return bad();
      }
      Order.push_back(*K);
    }
    return permutedView(A, Order);
  }

  if (Fn == "asarray" || Fn == "asanyarray" || Fn == "ascontiguousarray") {
    // An array is itself (ascontiguousarray: when it is C-contiguous, else a
    // C-order copy); a list or tuple is np.array(x).
    if (!E.Args.empty() && (isa<ast::ListExpr>(*E.Args[0]) || isa<ast::TupleExpr>(*E.Args[0]) ||
                            isa<ast::CompExpr>(*E.Args[0]) || staticListType(*E.Args[0]).isValid()))
      return lowerNumpyCall("array", E);
    auto Got = Params({"dtype"}, 0);
    if (!Got)
      return bad();
    Type T = A.Ty.elementType();
    if (Got->count("dtype") && !isa<ast::NoneLitExpr>(Got->at("dtype"))) {
      auto D = dtypeArg(*Got->at("dtype"));
      if (!D)
        return bad();
      T = *D;
    }
    if (T != A.Ty.elementType())
      return copyArray(A, T);
    if (Fn != "ascontiguousarray" || A.Ty.isCOrder())
      return A;
    return contiguousOrCopy(A, E.Range);
  }

  if (Fn == "broadcast_to") {
    // A view with stride 0 along the broadcast axes (NumPy's is read-only;
    // here a write would reach every alias of the element).
    auto Got = Params({"shape", "subok"}, 1);
    if (!Got)
      return bad();
    if (Got->count("subok")) {
      diag(DiagID::Unsupported, Got->at("subok")->Range, {"`subok=`", "is"});
      return bad();
    }
    auto Shape = shapeArg(*Got->at("shape"));
    if (!Shape)
      return bad();
    unsigned N = A.Ty.ndim(), M = Shape->size();
    if (M < N) {
      diag(DiagID::Unsupported, Got->at("shape")->Range,
           {"broadcasting to fewer axes than the array has", "is"});
      return bad();
    }
    std::vector<ir::ValueId> D = Dims(A), S = Strides(A), Str(M, Zero);
    ir::ValueId Bad = B.constBool(false);
    auto Or = [&](ir::ValueId X, ir::ValueId Y) {
      return B.create1(ir::OpKind::BitOr, {X, Y}, Type::boolean());
    };
    for (unsigned K = 0; K < M; ++K) {
      Bad = Or(Bad, B.cmp("lt", (*Shape)[K], Zero));
      if (K < M - N)
        continue;
      unsigned J = K - (M - N);
      ir::ValueId Same = B.cmp("eq", D[J], (*Shape)[K]);
      Bad =
          Or(Bad, B.create1(ir::OpKind::Not, {Or(Same, B.cmp("eq", D[J], One))}, Type::boolean()));
      Str[K] = Sel(Same, S[J], Zero);
    }
    raiseIf(Bad, "ValueError", "operands could not be broadcast together with the requested shape");
    return viewOf(A, Zero, *Shape, Str);
  }

  if (Fn == "rot90") {
    // k % 4 quarter turns in the plane of axes (0, 1): flips and a
    // transpose, all views, as NumPy's.
    auto Got = Params({"k", "axes"}, 0);
    if (!Got)
      return bad();
    if (Got->count("axes")) {
      diag(DiagID::Unsupported, Got->at("axes")->Range, {"`axes=` of np.rot90", "is"});
      return bad();
    }
    if (A.Ty.ndim() < 2) {
      diag(DiagID::TypeMismatch, E.Range, {"an array of at least 2 dimensions", pyTypeName(A.Ty)});
      return bad();
    }
    int64_t K = 1;
    if (Got->count("k")) {
      std::optional<int64_t> C = constIntValue(*Got->at("k"));
      if (!C) {
        diag(DiagID::Unsupported, Got->at("k")->Range, {"a `k` that is not an int constant", "is"});
        return bad();
      }
      K = ((*C % 4) + 4) % 4;
    }
    auto Flip = [&](TypedValue V, unsigned Axis) {
      std::vector<bool> Rev(V.Ty.ndim(), false);
      Rev[Axis] = true;
      return flippedView(V, Rev);
    };
    std::vector<unsigned> Swap;
    for (unsigned J = 0; J < A.Ty.ndim(); ++J)
      Swap.push_back(J);
    std::swap(Swap[0], Swap[1]);
    if (K == 0)
      return A;
    if (K == 2)
      return Flip(Flip(A, 0), 1);
    if (K == 1) // transpose(flip(m, 1))
      return permutedView(Flip(A, 1), Swap);
    return Flip(permutedView(A, Swap), 1); // flip(transpose(m), 1)
  }

  if (Fn == "fill_diagonal") {
    // In place, on the main diagonal of a 2-D array (wrap=False); None.
    auto Got = Params({"val", "wrap"}, 1);
    if (!Got)
      return bad();
    if (Got->count("wrap")) {
      auto *BL = dyn_cast<ast::BoolLitExpr>(Got->at("wrap"));
      if (!BL || BL->Value) {
        diag(DiagID::Unsupported, Got->at("wrap")->Range, {"`wrap=True`", "is"});
        return bad();
      }
    }
    if (A.Ty.ndim() != 2) {
      diag(DiagID::Unsupported, E.Range, {"`np.fill_diagonal` of anything but a 2-D array", "is"});
      return bad();
    }
    ArrayExprPtr V = buildArrayExpr(*Got->at("val"));
    if (!V)
      return bad();
    if (V->isArray()) {
      diag(DiagID::Unsupported, Got->at("val")->Range,
           {"`np.fill_diagonal` with an array of values", "is"});
      return bad();
    }
    storeInto(diagonalView(A, Zero), *V, E.Range);
    return {ir::ValueId(), Type::none()};
  }

  if (Fn == "append") {
    // Both flattened and joined (axis=None), in their common type.
    auto Got = Params({"values", "axis"}, 1);
    if (!Got)
      return bad();
    if (Got->count("axis") && !isa<ast::NoneLitExpr>(Got->at("axis"))) {
      diag(DiagID::Unsupported, Got->at("axis")->Range,
           {"`axis=` of np.append (use np.concatenate)", "is"});
      return bad();
    }
    TypedValue V = lowerExpr(*Got->at("values"));
    if (!V.ok())
      return bad();
    Type VE = V.Ty.isArray() ? V.Ty.elementType() : V.Ty;
    if (!VE.isScalar()) {
      diag(DiagID::TypeMismatch, Got->at("values")->Range,
           {"numbers or an array", pyTypeName(V.Ty)});
      return bad();
    }
    Type T = promoteTypes(A.Ty.elementType(), false, VE, false);
    TypedValue FA = flatView(A, E.Range);
    ir::ValueId NA = arrayDim(FA.V, 0);
    TypedValue FV = V.Ty.isArray() ? flatView(V, E.Range) : TypedValue();
    ir::ValueId NV = FV.ok() ? arrayDim(FV.V, 0) : One;
    TypedValue R = allocArray(T, {Add(NA, NV)});
    storeInto(viewOf(R, Zero, {NA}, {One}), *leafExpr(FA, E.Range), E.Range);
    storeInto(viewOf(R, NA, {NV}, {One}), *leafExpr(FV.ok() ? FV : V, E.Range), E.Range);
    return R;
  }

  if (Fn == "take") {
    // Elements at flat (axis=None) indices, negative ones from the end; an
    // index out of range is IndexError, as NumPy's mode='raise'.
    auto Got = Params({"indices", "axis", "out", "mode"}, 1);
    if (!Got)
      return bad();
    for (const char *P : {"axis", "out", "mode"})
      if (Got->count(P) && !isa<ast::NoneLitExpr>(Got->at(P))) {
        diag(DiagID::Unsupported, Got->at(P)->Range,
             {"`" + std::string(P) + "=` of np.take", "is"});
        return bad();
      }
    TypedValue Ix = lowerExpr(*Got->at("indices"));
    if (!Ix.ok())
      return bad();
    Type IE = Ix.Ty.isArray() ? Ix.Ty.elementType() : Ix.Ty;
    if (!IE.isInteger() || IE.kind() == TypeKind::UInt64) { // (NumPy: no safe cast to int64)
      diag(DiagID::TypeMismatch, Got->at("indices")->Range, {"integer indices", pyTypeName(Ix.Ty)});
      return bad();
    }
    TypedValue FA = flatView(A, E.Range);
    ir::ValueId N = arrayDim(FA.V, 0);
    Type T = A.Ty.elementType();
    auto Pick = [&](ir::ValueId I) {
      I = B.cast(I, I64);
      ir::ValueId Out =
          B.create1(ir::OpKind::BitOr,
                    {B.cmp("lt", I, B.create1(ir::OpKind::Neg, {N}, I64)), B.cmp("ge", I, N)},
                    Type::boolean());
      raiseFmtIf(Out, "IndexError", "index {} is out of bounds for axis 0 with size {}", {I, N});
      ir::ValueId J = Sel(B.cmp("lt", I, Zero), Add(I, N), I);
      return B.create1(ir::OpKind::ArrayLoad, {FA.V, J}, T);
    };
    return mapElements(Ix, IE, T, Pick, E.Range);
  }

  if (Fn == "atleast_1d" || Fn == "atleast_2d" || Fn == "atleast_3d") {
    auto Got = Params({}, 0);
    if (!Got)
      return bad();
    unsigned Want = Fn[8] - '0', N = A.Ty.ndim(); // atleast_Nd
    if (N >= Want)
      return A;
    // NumPy: (n,) becomes (1, n) and, for 3-D, (1, n, 1); (m, n) becomes
    // (m, n, 1).
    std::vector<ir::ValueId> Ext = Dims(A), Str = Strides(A);
    if (N == 1) {
      Ext.insert(Ext.begin(), One);
      Str.insert(Str.begin(), Zero);
    }
    if (Want == 3) {
      Ext.push_back(One);
      Str.push_back(Zero);
    }
    return viewOf(A, Zero, Ext, Str);
  }

  if (Fn == "ravel") {
    auto Got = Params({}, 0);
    if (!Got)
      return bad();
    return flatView(A, E.Range);
  }

  if (Fn == "diagonal" || Fn == "trace") {
    auto Got = Params({"offset", "axis1", "axis2"}, 0);
    if (!Got)
      return bad();
    if (A.Ty.ndim() != 2 || Got->count("axis1") || Got->count("axis2")) {
      diag(DiagID::Unsupported, E.Range,
           {"`" + Name + "` of anything but a 2-D array's two axes", "is"});
      return bad();
    }
    ir::ValueId Off = Got->count("offset") ? intArg(*Got->at("offset"), "offset") : Zero;
    if (!Off.isValid())
      return bad();
    TypedValue V = diagonalView(A, Off);
    if (Fn == "diagonal")
      return V; // (read-only in NumPy; here a view a write would go through)
    auto R = reduceNode("sum", leafExpr(V, E.Range), nullptr, false, E.Range);
    return R ? materialize(*R) : bad();
  }

  if (Fn == "diag") {
    auto Got = Params({"k"}, 0);
    if (!Got)
      return bad();
    ir::ValueId K = Got->count("k") ? intArg(*Got->at("k"), "`k`") : Zero;
    if (!K.isValid())
      return bad();
    if (A.Ty.ndim() == 2) // the k-th diagonal: a view, as np.diagonal
      return diagonalView(A, K);
    if (A.Ty.ndim() != 1) {
      diag(DiagID::TypeMismatch, E.Range, {"a 1-D or 2-D array", pyTypeName(A.Ty)});
      return bad();
    }
    // A square array of side n + |k|, zeros but the k-th diagonal.
    ir::ValueId N = arrayDim(A.V, 0);
    ir::ValueId AbsK = Sel(B.cmp("lt", K, Zero), B.create1(ir::OpKind::Neg, {K}, I64), K);
    ir::ValueId Side = Add(N, AbsK);
    Type T = A.Ty.elementType();
    TypedValue R = allocArray(T, {Side, Side});
    fillArray(R, {typedConst(T, 0), T});
    TypedValue D = diagonalView(R, K);
    ArrayExprPtr Src = leafExpr(A, E.Range);
    storeInto(D, *Src, E.Range);
    return R;
  }

  if (Fn == "tri" || Fn == "tril" || Fn == "triu") {
    bool Tri = Fn == "tri";
    auto Got = Tri ? bindNumpyArgs(E, Name, {"N", "M", "k", "dtype"}, 1) : Params({"k"}, 0);
    if (!Got)
      return bad();
    ir::ValueId K = Got->count("k") ? intArg(*Got->at("k"), "`k`") : Zero;
    if (!K.isValid())
      return bad();
    TypedValue R;
    Type T = Type::float64();
    std::vector<ir::ValueId> Shape;
    if (Tri) {
      for (const char *P : {"N", "M"}) {
        if (!Got->count(P) || isa<ast::NoneLitExpr>(Got->at(P)))
          continue;
        ir::ValueId V = intArg(*Got->at(P), "size");
        if (!V.isValid())
          return bad();
        Shape.push_back(V);
      }
      if (Shape.size() == 1)
        Shape.push_back(Shape[0]);
      if (Got->count("dtype")) {
        auto D = dtypeArg(*Got->at("dtype"));
        if (!D)
          return bad();
        T = *D;
      }
      for (ir::ValueId &S : Shape) // a negative size is empty (NumPy's np.tri)
        S = Sel(B.cmp("lt", S, Zero), Zero, S);
    } else {
      if (A.Ty.ndim() != 2) {
        diag(DiagID::Unsupported, E.Range, {"`" + Name + "` of anything but a 2-D array", "is"});
        return bad();
      }
      T = A.Ty.elementType();
      Shape = Dims(A);
    }
    // tri: 1 where j <= i + k; tril keeps those elements, triu the others
    // (j >= i + k).
    R = allocArray(T, Shape);
    emitLoopNest(Shape, [&](const std::vector<ir::ValueId> &Idx) {
      // j - i against k (j - i cannot overflow; i + k could).
      ir::ValueId Rel = B.create1(ir::OpKind::Sub, {Idx[1], Idx[0]}, I64);
      F->op(F->definingOp(Rel)).Attrs.set("no_overflow", true);
      ir::ValueId In = B.cmp(Fn == "triu" ? "ge" : "le", Rel, K);
      ir::ValueId V;
      if (Tri) {
        V = B.create1(ir::OpKind::Select, {In, typedConst(T, 1), typedConst(T, 0)}, T);
      } else {
        ir::ValueId X = B.create1(ir::OpKind::ArrayLoad, {A.V, Idx[0], Idx[1]}, T);
        V = B.create1(ir::OpKind::Select, {In, X, typedConst(T, 0)}, T);
      }
      B.create(ir::OpKind::ArrayStore, {V, R.V, Idx[0], Idx[1]}, {});
    });
    return R;
  }

  if (Fn == "meshgrid") {
    // Two or three 1-D arrays; indexing='xy' (default) or 'ij'; copies.
    std::string Indexing = "xy";
    for (const ast::Keyword &K : E.Keywords) {
      auto *S = dyn_cast<ast::StrLitExpr>(K.Value.get());
      if (K.Name != "indexing") {
        diag(DiagID::BadKeyword, K.Range, {Name, K.Name});
        return bad();
      }
      if (!S || (S->Value != "xy" && S->Value != "ij")) {
        diag(DiagID::Unsupported, K.Value->Range, {"`indexing` other than 'xy' or 'ij'", "is"});
        return bad();
      }
      Indexing = S->Value;
    }
    size_t N = E.Args.size();
    if (N < 2 || N > 3) {
      diag(DiagID::Unsupported, E.Range,
           {"`np.meshgrid` of " + std::to_string(N) + " arrays (two or three)", "is"});
      return bad();
    }
    std::vector<TypedValue> Xs;
    for (auto &X : E.Args) {
      TypedValue V = lowerArrayArg(*X);
      if (!V.ok())
        return bad();
      if (V.Ty.ndim() != 1) {
        diag(DiagID::Unsupported, X->Range, {"`np.meshgrid` of anything but 1-D arrays", "is"});
        return bad();
      }
      Xs.push_back(V);
    }
    // Output axis of input K: its own, but 'xy' swaps the first two.
    std::vector<ir::ValueId> Shape;
    std::vector<unsigned> AxisOf(N);
    for (unsigned K = 0; K < N; ++K)
      AxisOf[K] = (Indexing == "xy" && K < 2) ? 1 - K : K;
    Shape.resize(N);
    for (unsigned K = 0; K < N; ++K)
      Shape[AxisOf[K]] = arrayDim(Xs[K].V, 0);
    std::vector<Type> Tys;
    std::vector<ir::ValueId> Outs;
    for (unsigned K = 0; K < N; ++K) {
      std::vector<ir::ValueId> Ext = Shape, Str(N, Zero);
      Str[AxisOf[K]] = arrayStride(Xs[K].V, 0);
      TypedValue V = viewOf(Xs[K], Zero, Ext, Str);
      TypedValue C = copyArray(V, Xs[K].Ty.elementType());
      Outs.push_back(C.V);
      Tys.push_back(C.Ty);
    }
    Type TT = Type::tuple(Tys);
    return {B.create1(ir::OpKind::TupleMake, Outs, TT), TT};
  }
  llvm_unreachable("not a shape function");
}

TypedValue FunctionLowerer::flippedView(TypedValue A, const std::vector<bool> &Rev) {
  // A reversed axis starts at its last element and steps backwards.
  Type I64 = Type::int64();
  ir::ValueId Zero = B.constInt(0), Off = Zero;
  std::vector<ir::ValueId> Ext, Str;
  for (unsigned K = 0; K < A.Ty.ndim(); ++K) {
    Ext.push_back(arrayDim(A.V, K));
    Str.push_back(arrayStride(A.V, K));
    if (!Rev[K])
      continue;
    ir::ValueId Last = B.create1(ir::OpKind::Sub, {Ext[K], B.constInt(1)}, I64);
    Last = B.create1(ir::OpKind::Select, {B.cmp("lt", Last, Zero), Zero, Last}, I64);
    ir::ValueId Step = B.create1(ir::OpKind::Mul, {Last, Str[K]}, I64);
    F->op(F->definingOp(Step)).Attrs.set("no_overflow", true);
    Off = B.create1(ir::OpKind::Add, {Off, Step}, I64);
    F->op(F->definingOp(Off)).Attrs.set("no_overflow", true);
    Str[K] = B.create1(ir::OpKind::Neg, {Str[K]}, I64);
  }
  return viewOf(A, Off, Ext, Str);
}

TypedValue FunctionLowerer::contiguousOrCopy(TypedValue A, SourceRange Site) {
  // C-contiguous: each stride the product of the extents after it (an
  // extent of 1 takes any stride).
  ir::ValueId Contig = B.constBool(true), Expect = B.constInt(1);
  for (unsigned K = A.Ty.ndim(); K-- > 0;) {
    ir::ValueId D = arrayDim(A.V, K);
    ir::ValueId Ok = B.create1(
        ir::OpKind::BitOr,
        {B.cmp("eq", arrayStride(A.V, K), Expect), B.cmp("le", D, B.constInt(1))}, Type::boolean());
    Contig = B.create1(ir::OpKind::BitAnd, {Contig, Ok}, Type::boolean());
    Expect = B.create1(ir::OpKind::Mul, {Expect, D}, Type::int64());
    F->op(F->definingOp(Expect)).Attrs.set("numpy", true);
  }
  return branchValue(
      Contig, [&] { return A; }, [&] { return copyArray(A, A.Ty.elementType()); }, Site);
}

TypedValue FunctionLowerer::permutedView(TypedValue A, const std::vector<unsigned> &Order) {
  std::vector<ir::ValueId> Ext, Str;
  for (unsigned K : Order) {
    Ext.push_back(arrayDim(A.V, K));
    Str.push_back(arrayStride(A.V, K));
  }
  return viewOf(A, B.constInt(0), Ext, Str);
}

/// The K-th diagonal of 2-D \p A (above the main one for K > 0): a[i, i + K]
/// or a[i - K, i], as long as both stay inside; empty beyond.
TypedValue FunctionLowerer::diagonalView(TypedValue A, ir::ValueId K) {
  Type I64 = Type::int64();
  ir::ValueId Zero = B.constInt(0);
  auto Sel = [&](ir::ValueId C, ir::ValueId X, ir::ValueId Y) {
    return B.create1(ir::OpKind::Select, {C, X, Y}, I64);
  };
  auto Op = [&](ir::OpKind Kd, ir::ValueId X, ir::ValueId Y) {
    ir::ValueId R = B.create1(Kd, {X, Y}, I64);
    F->op(F->definingOp(R)).Attrs.set("no_overflow", true);
    return R;
  };
  ir::ValueId Pos = B.cmp("ge", K, Zero);
  ir::ValueId Row0 = Sel(Pos, Zero, B.create1(ir::OpKind::Neg, {K}, I64)), Col0 = Sel(Pos, K, Zero);
  ir::ValueId Rows = B.create1(ir::OpKind::Sub, {arrayDim(A.V, 0), Row0}, I64);
  ir::ValueId Cols = B.create1(ir::OpKind::Sub, {arrayDim(A.V, 1), Col0}, I64);
  ir::ValueId Len = Sel(B.cmp("lt", Rows, Cols), Rows, Cols);
  ir::ValueId Empty = B.cmp("le", Len, Zero);
  Len = Sel(Empty, Zero, Len);
  ir::ValueId S0 = arrayStride(A.V, 0), S1 = arrayStride(A.V, 1);
  ir::ValueId Start =
      Sel(Empty, Zero,
          Op(ir::OpKind::Add, Op(ir::OpKind::Mul, Row0, S0), Op(ir::OpKind::Mul, Col0, S1)));
  return viewOf(A, Start, {Len}, {Op(ir::OpKind::Add, S0, S1)});
}

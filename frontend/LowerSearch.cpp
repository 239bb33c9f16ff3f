//===- LowerSearch.cpp - NumPy's sorting and searching functions ----------===//
//
// np.argsort, np.searchsorted, np.nonzero / np.flatnonzero / np.argwhere /
// np.where(cond), np.bincount and np.unique, as loops in Kiln IR (results
// whose length depends on the data are allocated once it is counted).
//
// argsort is a stable bottom-up merge sort of indices, so it gives NumPy's
// kind='stable' order, and kind='quicksort' (the default) wherever no two
// keys are equal: NumPy's quicksort leaves the order of equal keys
// unspecified. Keys compare in NumPy's order: NaN after every number.
//
//===----------------------------------------------------------------------===//

#include "frontend/ArrayHelpers.h"
#include "llvm/Support/Casting.h"

using namespace kiln;
using namespace kiln::lower;
using llvm::dyn_cast;
using llvm::isa;

bool FunctionLowerer::isSearchFunction(llvm::StringRef Fn) {
  static const char *const Fns[] = {"argsort",     "searchsorted", "nonzero",     "flatnonzero",
                                    "argwhere",    "bincount",     "unique",      "array_equal",
                                    "array_equiv", "digitize",     "isin",        "in1d",
                                    "histogram",   "union1d",      "intersect1d", "setdiff1d"};
  return llvm::is_contained(Fns, Fn);
}

TypedValue FunctionLowerer::argsortRow(TypedValue A) {
  LoopKit L{*this, B, *F};
  Type I64 = Type::int64();
  ir::ValueId N = arrayDim(A.V, 0), Zero = B.constInt(0), One = B.constInt(1);
  TypedValue Idx = allocArray(I64, {N}), Tmp = allocArray(I64, {N});
  L.forRange(Zero, N, One, [&](ir::ValueId I) { L.store(I, Idx.V, I); });
  // Runs of Width sorted indices are merged pairwise into Tmp, then copied
  // back, for Width = 1, 2, 4, ...
  ir::ValueId Width = entrySlot(I64, "sort.width");
  ir::ValueId PI = entrySlot(I64, "sort.i"), PJ = entrySlot(I64, "sort.j");
  B.store(One, Width);
  L.whileLoop(
      [&] { return B.cmp("lt", B.load(Width), N); },
      [&] {
        ir::ValueId W = B.load(Width), W2 = L.add(W, W);
        L.forRange(Zero, N, W2, [&](ir::ValueId Lo) {
          ir::ValueId Mid = L.min(L.add(Lo, W), N), Hi = L.min(L.add(Lo, W2), N);
          B.store(Lo, PI);
          B.store(Mid, PJ);
          L.forRange(Lo, Hi, One, [&](ir::ValueId K) {
            ir::ValueId I = B.load(PI), J = B.load(PJ);
            ir::ValueId HasI = B.cmp("lt", I, Mid), HasJ = B.cmp("lt", J, Hi);
            // (Positions past a run read its first element, never used.)
            ir::ValueId XI = L.load(Idx.V, L.sel(HasI, I, Lo));
            ir::ValueId XJ = L.load(Idx.V, L.sel(HasJ, J, Lo));
            ir::ValueId VI = L.load(A.V, XI), VJ = L.load(A.V, XJ);
            // The left run wins ties: stable.
            ir::ValueId TakeI = L.both(HasI, L.either(L.notOf(HasJ), L.notOf(L.less(VJ, VI))));
            L.store(L.sel(TakeI, XI, XJ), Tmp.V, K);
            B.store(L.sel(TakeI, L.add(I, One), I), PI);
            B.store(L.sel(TakeI, J, L.add(J, One)), PJ);
          });
        });
        L.forRange(Zero, N, One, [&](ir::ValueId K) { L.store(L.load(Tmp.V, K), Idx.V, K); });
        B.store(W2, Width);
      });
  return Idx;
}

ir::ValueId FunctionLowerer::searchSorted(TypedValue A, ir::ValueId V, bool Right) {
  // The first position whose element is not less than V (left), or that V
  // is less than (right): NumPy's binary search.
  LoopKit L{*this, B, *F};
  Type I64 = Type::int64();
  ir::ValueId Lo = entrySlot(I64, "search.lo"), Hi = entrySlot(I64, "search.hi");
  B.store(B.constInt(0), Lo);
  B.store(arrayDim(A.V, 0), Hi);
  L.whileLoop([&] { return B.cmp("lt", B.load(Lo), B.load(Hi)); },
              [&] {
                ir::ValueId LoV = B.load(Lo), HiV = B.load(Hi);
                ir::ValueId Mid = L.add(
                    LoV, B.create1(ir::OpKind::FloorDiv, {L.sub(HiV, LoV), B.constInt(2)}, I64));
                ir::ValueId X = L.load(A.V, Mid);
                ir::ValueId GoRight = Right ? L.notOf(L.less(V, X)) : L.less(X, V);
                B.store(L.sel(GoRight, L.add(Mid, B.constInt(1)), LoV), Lo);
                B.store(L.sel(GoRight, HiV, Mid), Hi);
              });
  return B.load(Lo);
}

TypedValue FunctionLowerer::lowerSearchFunction(llvm::StringRef Fn, const ast::CallExpr &E,
                                                TypedValue Obj) {
  LoopKit L{*this, B, *F};
  std::string Name = (Obj.ok() ? "." : "np.") + Fn.str();
  Type I64 = Type::int64();
  ir::ValueId Zero = B.constInt(0), One = B.constInt(1);
  TypedValue A; // the array: the method's object or argument `a`
  auto Params = [&](std::vector<llvm::StringRef> Rest, size_t Required,
                    std::vector<llvm::StringRef> KwOnly = {}) {
    return bindArrayCall(E, Name, Obj, Rest, Required, KwOnly, A);
  };
  auto Flat = [&](TypedValue X) { return flatView(X, E.Range); };
  auto NoComplex = [&](TypedValue A) {
    if (!A.Ty.elementType().isComplex())
      return true;
    diag(DiagID::Unsupported, E.Range,
         {"`" + Name + "` of complex numbers (NumPy's lexicographic order)", "is"});
    return false;
  };

  if (Fn == "argsort") {
    auto Got = Params({"axis", "kind", "order"}, 0);
    if (!Got)
      return bad();
    if (!NoComplex(A))
      return bad();
    if (Got->count("order")) {
      diag(DiagID::Unsupported, Got->at("order")->Range, {"`order=` (structured arrays)", "is"});
      return bad();
    }
    if (Got->count("kind")) { // every kind sorts; equal keys keep their order
      auto *S = dyn_cast<ast::StrLitExpr>(Got->at("kind"));
      if (!S || (S->Value != "quicksort" && S->Value != "mergesort" && S->Value != "heapsort" &&
                 S->Value != "stable")) {
        diag(DiagID::Unsupported, Got->at("kind")->Range,
             {"a `kind=` other than 'quicksort', 'mergesort', 'heapsort' or 'stable'", "is"});
        return bad();
      }
    }
    const ast::Expr *AxisE = Got->count("axis") ? Got->at("axis") : nullptr;
    if (AxisE && isa<ast::NoneLitExpr>(AxisE))
      return argsortRow(Flat(A));
    unsigned N = A.Ty.ndim(), Axis = N - 1;
    if (AxisE) {
      auto K = axisArg(AxisE, N);
      if (!K)
        return bad();
      Axis = *K;
    }
    if (N == 1)
      return argsortRow(A);
    // Each 1-D slice along the axis, into the same slice of the result.
    std::vector<ir::ValueId> Dims, Outer;
    for (unsigned K = 0; K < N; ++K)
      Dims.push_back(arrayDim(A.V, K));
    TypedValue R = allocArray(I64, Dims);
    std::vector<unsigned> Order;
    for (unsigned K = 0; K < N; ++K)
      if (K != Axis) {
        Order.push_back(K);
        Outer.push_back(Dims[K]);
      }
    Order.push_back(Axis);
    TypedValue AV = permutedView(A, Order), RV = permutedView(R, Order);
    emitLoopNest(Outer, [&](const std::vector<ir::ValueId> &Idx) {
      auto Row = [&](TypedValue X) -> TypedValue {
        std::vector<ir::ValueId> Ops{X.V};
        Ops.insert(Ops.end(), Idx.begin(), Idx.end());
        Type RT = Type::array(X.Ty.elementType(), 1, false);
        return {B.create1(ir::OpKind::ArraySub, Ops, RT), RT};
      };
      TypedValue Sorted = argsortRow(Row(AV));
      TypedValue Out = Row(RV);
      L.forRange(Zero, Dims[Axis], One,
                 [&](ir::ValueId K) { L.store(L.load(Sorted.V, K), Out.V, K); });
    });
    return R;
  }

  if (Fn == "searchsorted") {
    auto Got = Params({"v", "side", "sorter"}, 1);
    if (!Got)
      return bad();
    if (!NoComplex(A))
      return bad();
    if (A.Ty.ndim() != 1) {
      diag(DiagID::TypeMismatch, E.Range, {"a 1-D sorted array", pyTypeName(A.Ty)});
      return bad();
    }
    bool Right = false;
    if (Got->count("side")) {
      auto *S = dyn_cast<ast::StrLitExpr>(Got->at("side"));
      if (!S || (S->Value != "left" && S->Value != "right")) {
        diag(DiagID::Unsupported, Got->at("side")->Range,
             {"`side=` other than 'left' or 'right'", "is"});
        return bad();
      }
      Right = S->Value == "right";
    }
    if (Got->count("sorter") && !isa<ast::NoneLitExpr>(Got->at("sorter"))) {
      // a[sorter] is the sorted array: searched through a gathered copy.
      TypedValue S = lowerArrayArg(*Got->at("sorter"));
      if (!S.ok())
        return bad();
      if (S.Ty.ndim() != 1 || !S.Ty.elementType().isInteger()) {
        diag(DiagID::TypeMismatch, Got->at("sorter")->Range, {"a 1-D int array", pyTypeName(S.Ty)});
        return bad();
      }
      ir::ValueId N = arrayDim(A.V, 0);
      raiseIf(B.cmp("ne", arrayDim(S.V, 0), N), "ValueError", "sorter.size must equal a.size");
      TypedValue G = allocArray(A.Ty.elementType(), {N});
      L.forRange(Zero, N, One, [&](ir::ValueId K) {
        ir::ValueId P = B.cast(L.load(S.V, K), I64);
        raiseIf(L.either(B.cmp("lt", P, Zero), B.cmp("ge", P, N)), "ValueError",
                "Sorter index out of range.");
        L.store(L.load(A.V, P), G.V, K);
      });
      A = G;
    }
    // The values: NumPy compares in their common type.
    TypedValue V = lowerExpr(*Got->at("v"));
    if (!V.ok())
      return bad();
    Type VE = V.Ty.isArray() ? V.Ty.elementType() : V.Ty;
    if (!VE.isScalar() || VE.isComplex()) {
      diag(DiagID::TypeMismatch, Got->at("v")->Range,
           {"real numbers to search for", pyTypeName(V.Ty)});
      return bad();
    }
    Type CT = promoteTypes(A.Ty.elementType(), false, VE, !V.Ty.isArray() && isWeak(VE));
    if (A.Ty.elementType() != CT)
      A = copyArray(A, CT);
    return mapElements(
        V, CT, I64, [&](ir::ValueId X) { return searchSorted(A, X, Right); }, E.Range);
  }

  if (Fn == "array_equal" || Fn == "array_equiv") {
    // True when the shapes match (array_equiv: broadcast) and every element
    // is equal; equal_nan also takes two NaNs as equal.
    auto Got = bindNumpyArgs(E, Name, {"a1", "a2"}, 2,
                             Fn == "array_equal" ? std::vector<llvm::StringRef>{"equal_nan"}
                                                 : std::vector<llvm::StringRef>{});
    if (!Got)
      return bad();
    TypedValue X = lowerArrayArg(*Got->at("a1")), Y = lowerArrayArg(*Got->at("a2"));
    if (!X.ok() || !Y.ok())
      return bad();
    bool EqualNan = false;
    if (Got->count("equal_nan")) {
      auto *BL = dyn_cast<ast::BoolLitExpr>(Got->at("equal_nan"));
      if (!BL) {
        diag(DiagID::Unsupported, Got->at("equal_nan")->Range,
             {"`equal_nan` other than True or False", "is"});
        return bad();
      }
      EqualNan = BL->Value;
    }
    unsigned NX = X.Ty.ndim(), NY = Y.Ty.ndim();
    bool Equiv = Fn == "array_equiv";
    if (!Equiv && NX != NY)
      return constBool(false);
    // Shapes: equal, or (equiv) broadcastable from the last axis.
    ir::ValueId Fits = B.constBool(true);
    for (unsigned K = 1; K <= std::min(NX, NY); ++K) {
      ir::ValueId DX = arrayDim(X.V, NX - K), DY = arrayDim(Y.V, NY - K);
      ir::ValueId Ok = B.cmp("eq", DX, DY);
      if (Equiv)
        Ok = L.either(Ok, L.either(B.cmp("eq", DX, One), B.cmp("eq", DY, One)));
      Fits = L.both(Fits, Ok);
    }
    return branchValue(
        Fits,
        [&]() -> TypedValue {
          std::vector<ArrayExprPtr> Kids;
          Kids.push_back(leafExpr(X, E.Range));
          Kids.push_back(leafExpr(Y, E.Range));
          ArrayExprPtr Eq = combine(ArrayExpr::Kind::Compare, (int)ast::CmpOpKind::Eq, "equal",
                                    std::move(Kids), E.Range);
          if (Eq && EqualNan) { // (isnan of a complex number: either part)
            auto Nan = [&](TypedValue V) {
              std::vector<ArrayExprPtr> K1;
              K1.push_back(leafExpr(V, E.Range));
              return combine(ArrayExpr::Kind::Func, 0, "isnan", std::move(K1), E.Range);
            };
            std::vector<ArrayExprPtr> Both;
            Both.push_back(Nan(X));
            Both.push_back(Nan(Y));
            std::vector<ArrayExprPtr> Or;
            Or.push_back(std::move(Eq));
            Or.push_back(
                combine(ArrayExpr::Kind::Func, 0, "logical_and", std::move(Both), E.Range));
            Eq = combine(ArrayExpr::Kind::Func, 0, "logical_or", std::move(Or), E.Range);
          }
          ArrayExprPtr All =
              Eq ? reduceNode("all", std::move(Eq), nullptr, false, E.Range) : nullptr;
          return All ? materialize(*All) : bad();
        },
        [&]() -> TypedValue { return constBool(false); }, E.Range);
  }

  if (Fn == "digitize") {
    // The bin of each x: searchsorted on increasing bins (side='right', or
    // 'left' with right=True); decreasing bins count from the end.
    auto Got = bindNumpyArgs(E, Name, {"x", "bins", "right"}, 2);
    if (!Got)
      return bad();
    TypedValue Bins = lowerArrayArg(*Got->at("bins"));
    if (!Bins.ok() || !NoComplex(Bins))
      return bad();
    if (Bins.Ty.ndim() != 1) {
      diag(DiagID::TypeMismatch, Got->at("bins")->Range, {"1-D bins", pyTypeName(Bins.Ty)});
      return bad();
    }
    bool Right = false;
    if (Got->count("right")) {
      auto *BL = dyn_cast<ast::BoolLitExpr>(Got->at("right"));
      if (!BL) {
        diag(DiagID::Unsupported, Got->at("right")->Range,
             {"`right` other than True or False", "is"});
        return bad();
      }
      Right = BL->Value;
    }
    TypedValue X = lowerExpr(*Got->at("x"));
    if (!X.ok())
      return bad();
    Type XE = X.Ty.isArray() ? X.Ty.elementType() : X.Ty;
    if (!XE.isScalar() || XE.isComplex()) {
      diag(DiagID::TypeMismatch, Got->at("x")->Range, {"real numbers", pyTypeName(X.Ty)});
      return bad();
    }
    Type CT = promoteTypes(Bins.Ty.elementType(), false, XE, false);
    if (Bins.Ty.elementType() != CT)
      Bins = copyArray(Bins, CT);
    // Monotonic: increasing (+1), decreasing (-1), else NumPy's ValueError.
    ir::ValueId NB = arrayDim(Bins.V, 0);
    ir::ValueId Inc = entrySlot(Type::boolean(), "digitize.inc");
    ir::ValueId Dec = entrySlot(Type::boolean(), "digitize.dec");
    B.store(B.constBool(true), Inc);
    B.store(B.constBool(true), Dec);
    L.forRange(One, NB, One, [&](ir::ValueId K) {
      ir::ValueId P = L.load(Bins.V, L.sub(K, One)), C = L.load(Bins.V, K);
      B.store(L.both(B.load(Inc), L.notOf(L.less(C, P))), Inc);
      B.store(L.both(B.load(Dec), L.notOf(L.less(P, C))), Dec);
    });
    ir::ValueId IsInc = B.load(Inc), IsDec = B.load(Dec);
    raiseIf(L.notOf(L.either(IsInc, IsDec)), "ValueError",
            "bins must be monotonically increasing or decreasing");
    ir::ValueId BS = arrayStride(Bins.V, 0);
    TypedValue Rev =
        viewOf(Bins, L.mul(L.sub(NB, One), BS), {NB}, {B.create1(ir::OpKind::Neg, {BS}, I64)});
    auto Bin = [&](ir::ValueId V) {
      ir::ValueId Up = searchSorted(Bins, V, !Right);
      ir::ValueId Down = L.sub(NB, searchSorted(Rev, V, !Right));
      return L.sel(IsInc, Up, Down);
    };
    return mapElements(X, CT, I64, Bin, E.Range);
  }

  if (Fn == "isin" || Fn == "in1d") {
    // Whether each element is among the test elements: a search in a sorted
    // copy of them (NaN is never found, as NaN != NaN).
    auto Got = bindNumpyArgs(E, Name,
                             {Fn == "isin" ? "element" : "ar1",
                              Fn == "isin" ? "test_elements" : "ar2", "assume_unique", "invert"},
                             2);
    if (!Got)
      return bad();
    TypedValue X = lowerArrayArg(*Got->at(Fn == "isin" ? "element" : "ar1"));
    TypedValue T = lowerArrayArg(*Got->at(Fn == "isin" ? "test_elements" : "ar2"));
    if (!X.ok() || !T.ok() || !NoComplex(X) || !NoComplex(T))
      return bad();
    bool Invert = false;
    for (const char *P : {"assume_unique", "invert"})
      if (Got->count(P)) {
        auto *BL = dyn_cast<ast::BoolLitExpr>(Got->at(P));
        if (!BL) {
          diag(DiagID::Unsupported, Got->at(P)->Range,
               {"`" + std::string(P) + "` other than True or False", "is"});
          return bad();
        }
        if (std::string(P) == "invert")
          Invert = BL->Value;
      }
    Type CT = promoteTypes(X.Ty.elementType(), false, T.Ty.elementType(), false);
    TypedValue S = copyArray(flatView(T, E.Range), CT);
    sortInPlace(S, nullptr, E.Range);
    if (Fn == "in1d")
      X = flatView(X, E.Range);
    std::vector<ir::ValueId> Dims;
    for (unsigned K = 0; K < X.Ty.ndim(); ++K)
      Dims.push_back(arrayDim(X.V, K));
    TypedValue R = allocArray(Type::boolean(), Dims);
    emitLoopNest(Dims, [&](const std::vector<ir::ValueId> &Idx) {
      std::vector<ir::ValueId> LOps{X.V};
      LOps.insert(LOps.end(), Idx.begin(), Idx.end());
      ir::ValueId V = B.cast(B.create1(ir::OpKind::ArrayLoad, LOps, X.Ty.elementType()), CT);
      ir::ValueId In = inSorted(S, V);
      std::vector<ir::ValueId> SOps{Invert ? L.notOf(In) : In, R.V};
      SOps.insert(SOps.end(), Idx.begin(), Idx.end());
      B.create(ir::OpKind::ArrayStore, SOps, {});
    });
    return R;
  }

  if (Fn == "histogram") {
    // NumPy's uniform-bins path: edges linspace(lo, hi, bins + 1), each
    // value's bin from (x - lo) * bins / (hi - lo), corrected against the
    // edges; values outside [lo, hi] are left out. Returns (counts, edges).
    auto Got = Params({"bins", "range", "density", "weights"}, 0);
    if (!Got)
      return bad();
    if (!NoComplex(A))
      return bad();
    if (A.Ty.elementType().isFloat32()) { // (NumPy's edges would be float32)
      diag(DiagID::Unsupported, E.Range, {"`np.histogram` of float32 values", "is"});
      return bad();
    }
    if (Got->count("density") && !isa<ast::NoneLitExpr>(Got->at("density"))) {
      auto *BL = dyn_cast<ast::BoolLitExpr>(Got->at("density"));
      if (!BL || BL->Value) {
        diag(DiagID::Unsupported, Got->at("density")->Range, {"`density=True`", "is"});
        return bad();
      }
    }
    ir::ValueId NBins = B.constInt(10);
    if (Got->count("bins")) {
      NBins = intArg(*Got->at("bins"), "number of bins (an array of edges is not supported yet)");
      if (!NBins.isValid())
        return bad();
    }
    raiseIf(B.cmp("lt", NBins, One), "ValueError", "`bins` must be positive, when an integer");
    TypedValue Flat = flatView(A, E.Range);
    Type F64 = Type::float64();
    ir::ValueId N = arrayDim(Flat.V, 0);
    TypedValue W;
    if (Got->count("weights") && !isa<ast::NoneLitExpr>(Got->at("weights"))) {
      W = lowerArrayArg(*Got->at("weights"));
      if (!W.ok() || !NoComplex(W))
        return bad();
      ir::ValueId SameShape = B.constBool(W.Ty.ndim() == A.Ty.ndim());
      for (unsigned K = 0; K < A.Ty.ndim() && W.Ty.ndim() == A.Ty.ndim(); ++K)
        SameShape = L.both(SameShape, B.cmp("eq", arrayDim(W.V, K), arrayDim(A.V, K)));
      raiseIf(L.notOf(SameShape), "ValueError", "weights should have the same shape as a.");
      W = flatView(W, E.Range);
    }
    auto Load = [&](TypedValue V, ir::ValueId I) { return B.cast(L.load(V.V, I), F64); };
    // The range: given, or the data's min and max (NaN refused, as NumPy).
    ir::ValueId Lo = entrySlot(F64, "hist.lo"), Hi = entrySlot(F64, "hist.hi");
    if (Got->count("range") && !isa<ast::NoneLitExpr>(Got->at("range"))) {
      auto *T = dyn_cast<ast::TupleExpr>(Got->at("range"));
      if (!T || T->Elts.size() != 2) {
        diag(DiagID::Unsupported, Got->at("range")->Range,
             {"`range` other than a (lo, hi) tuple", "is"});
        return bad();
      }
      TypedValue L0 = lowerNumberArg(*T->Elts[0], "a number"),
                 H0 = lowerNumberArg(*T->Elts[1], "a number");
      if (!L0.ok() || !H0.ok())
        return bad();
      B.store(convert(L0, F64, E.Range, "range").V, Lo);
      B.store(convert(H0, F64, E.Range, "range").V, Hi);
      raiseIf(B.cmp("gt", B.load(Lo), B.load(Hi)), "ValueError",
              "max must be larger than min in range parameter.");
    } else {
      B.store(B.constFloat(0.0), Lo);
      B.store(B.constFloat(1.0), Hi);
      L.ifElse(
          B.cmp("gt", N, Zero),
          [&] {
            B.store(Load(Flat, Zero), Lo);
            B.store(Load(Flat, Zero), Hi);
            L.forRange(One, N, One, [&](ir::ValueId K) {
              ir::ValueId V = Load(Flat, K);
              B.store(L.sel(B.cmp("lt", V, B.load(Lo)), V, B.load(Lo)), Lo);
              B.store(L.sel(B.cmp("gt", V, B.load(Hi)), V, B.load(Hi)), Hi);
            });
            // (NaN never wins a comparison: look for one.)
            ir::ValueId AnyNan = entrySlot(Type::boolean(), "hist.nan");
            B.store(B.constBool(false), AnyNan);
            L.forRange(Zero, N, One, [&](ir::ValueId K) {
              ir::ValueId V = Load(Flat, K);
              B.store(L.either(B.load(AnyNan), B.cmp("ne", V, V)), AnyNan);
            });
            raiseIf(B.load(AnyNan), "ValueError", "autodetected range of [nan, nan] is not finite");
          },
          [] {});
    }
    ir::ValueId LoV = B.load(Lo), HiV = B.load(Hi);
    raiseIf(
        L.notOf(L.both(B.cmp("eq", numpyOp(ir::OpKind::Sub, {LoV, LoV}, F64), B.constFloat(0.0)),
                       B.cmp("eq", numpyOp(ir::OpKind::Sub, {HiV, HiV}, F64), B.constFloat(0.0)))),
        "ValueError", "supplied range is not finite");
    // Equal ends widen by 0.5 each way.
    ir::ValueId Same = B.cmp("eq", LoV, HiV);
    LoV = L.sel(Same, numpyOp(ir::OpKind::Sub, {LoV, B.constFloat(0.5)}, F64), LoV);
    HiV = L.sel(Same, numpyOp(ir::OpKind::Add, {HiV, B.constFloat(0.5)}, F64), HiV);
    // The edges, as np.linspace(lo, hi, bins + 1).
    ir::ValueId NE = L.add(NBins, One);
    TypedValue Edges = allocArray(F64, {NE});
    ir::ValueId Step = numpyOp(
        ir::OpKind::Div, {numpyOp(ir::OpKind::Sub, {HiV, LoV}, F64), B.cast(NBins, F64)}, F64);
    L.forRange(Zero, NE, One, [&](ir::ValueId K) {
      ir::ValueId V = numpyOp(ir::OpKind::Add,
                              {LoV, numpyOp(ir::OpKind::Mul, {B.cast(K, F64), Step}, F64)}, F64);
      L.store(L.sel(B.cmp("eq", K, NBins), HiV, V), Edges.V, K);
    });
    // Counts: int64, or weights summed in float64 (NumPy's bincount) and
    // returned in the weights' type.
    Type CT = W.ok() ? F64 : I64;
    TypedValue Counts = allocArray(CT, {NBins});
    fillArray(Counts, {typedConst(CT, 0), CT});
    ir::ValueId Norm = numpyOp(
        ir::OpKind::Div, {B.cast(NBins, F64), numpyOp(ir::OpKind::Sub, {HiV, LoV}, F64)}, F64);
    ir::ValueId LastBin = L.sub(NBins, One);
    L.forRange(Zero, N, One, [&](ir::ValueId K) {
      ir::ValueId V = Load(Flat, K);
      ir::ValueId Keep = L.both(B.cmp("ge", V, LoV), B.cmp("le", V, HiV));
      L.ifElse(
          Keep,
          [&] {
            ir::ValueId FI =
                numpyOp(ir::OpKind::Mul, {numpyOp(ir::OpKind::Sub, {V, LoV}, F64), Norm}, F64);
            ir::ValueId I = B.cast(FI, I64);
            I = L.sel(B.cmp("eq", I, NBins), LastBin, I);
            I = L.sel(B.cmp("lt", V, L.load(Edges.V, I)), L.sub(I, One), I);
            ir::ValueId Up =
                L.both(B.cmp("ge", V, L.load(Edges.V, L.add(I, One))), B.cmp("ne", I, LastBin));
            I = L.sel(Up, L.add(I, One), I);
            ir::ValueId Add = W.ok() ? B.cast(L.load(W.V, K), CT) : typedConst(CT, 1);
            L.store(numpyOp(ir::OpKind::Add, {L.load(Counts.V, I), Add}, CT), Counts.V, I);
          },
          [] {});
    });
    if (W.ok() && W.Ty.elementType() != CT)
      Counts = copyArray(Counts, W.Ty.elementType());
    Type TT = Type::tuple({Counts.Ty, Edges.Ty});
    return {B.create1(ir::OpKind::TupleMake, {Counts.V, Edges.V}, TT), TT};
  }

  if (Fn == "union1d" || Fn == "intersect1d" || Fn == "setdiff1d") {
    // On the sorted unique values of each operand (flattened), as NumPy:
    // union1d is unique(concatenate), intersect1d the values in both,
    // setdiff1d those of the first not in the second.
    auto Got = bindNumpyArgs(E, Name, {"ar1", "ar2", "assume_unique"}, 2);
    if (!Got)
      return bad();
    if (Got->count("assume_unique")) {
      auto *BL = dyn_cast<ast::BoolLitExpr>(Got->at("assume_unique"));
      if (!BL) {
        diag(DiagID::Unsupported, Got->at("assume_unique")->Range,
             {"`assume_unique` other than True or False", "is"});
        return bad();
      }
      if (BL->Value) { // (NumPy then skips the unique step: results may differ)
        diag(DiagID::Unsupported, Got->at("assume_unique")->Range, {"`assume_unique=True`", "is"});
        return bad();
      }
    }
    TypedValue X = lowerArrayArg(*Got->at("ar1")), Y = lowerArrayArg(*Got->at("ar2"));
    if (!X.ok() || !Y.ok() || !NoComplex(X) || !NoComplex(Y))
      return bad();
    Type CT = promoteTypes(X.Ty.elementType(), false, Y.Ty.elementType(), false);
    TypedValue FX = Flat(X), FY = Flat(Y);
    if (Fn == "union1d") {
      ir::ValueId NX = arrayDim(FX.V, 0), NY = arrayDim(FY.V, 0);
      TypedValue Both = allocArray(CT, {L.add(NX, NY)});
      storeInto(viewOf(Both, Zero, {NX}, {One}), *leafExpr(FX, E.Range), E.Range);
      storeInto(viewOf(Both, NX, {NY}, {One}), *leafExpr(FY, E.Range), E.Range);
      return uniqueSorted(Both);
    }
    TypedValue UX = uniqueSorted(Fn == "setdiff1d" ? FX : copyArray(FX, CT));
    TypedValue UY = uniqueSorted(copyArray(FY, Fn == "setdiff1d" ? UX.Ty.elementType() : CT));
    // Kept: in both (intersect1d) or in X only (setdiff1d).
    return compress(UX, [&](ir::ValueId K) {
      ir::ValueId In = inSorted(UY, L.load(UX.V, K));
      return Fn == "intersect1d" ? In : L.notOf(In);
    });
  }

  if (Fn == "nonzero" || Fn == "flatnonzero" || Fn == "argwhere") {
    auto Got = Params({}, 0);
    if (!Got)
      return bad();
    return nonzeroOf(A, Fn, E.Range);
  }

  if (Fn == "bincount") {
    auto Got = Params({"weights", "minlength"}, 0);
    if (!Got)
      return bad();
    TypedValue X = A;
    Type XT = X.Ty.elementType();
    if (X.Ty.ndim() != 1 || (!XT.isInteger() && !XT.isBool()) ||
        XT.kind() == TypeKind::UInt64) { // (NumPy: no safe cast to int64)
      diag(DiagID::TypeMismatch, E.Range, {"a 1-D array of non-negative ints", pyTypeName(X.Ty)});
      return bad();
    }
    ir::ValueId MinLen = Zero;
    if (Got->count("minlength") && !isa<ast::NoneLitExpr>(Got->at("minlength"))) {
      MinLen = intArg(*Got->at("minlength"), "`minlength`");
      if (!MinLen.isValid())
        return bad();
      raiseIf(B.cmp("lt", MinLen, Zero), "ValueError", "'minlength' must not be negative");
    }
    TypedValue W;
    if (Got->count("weights") && !isa<ast::NoneLitExpr>(Got->at("weights"))) {
      W = lowerArrayArg(*Got->at("weights"));
      if (!W.ok())
        return bad();
      if (W.Ty.ndim() != 1 || W.Ty.elementType().isComplex()) {
        diag(DiagID::TypeMismatch, Got->at("weights")->Range,
             {"1-D real weights", pyTypeName(W.Ty)});
        return bad();
      }
      raiseIf(B.cmp("ne", arrayDim(W.V, 0), arrayDim(X.V, 0)), "ValueError",
              "The weights and list don't have the same length.");
    }
    // The largest value (NumPy: no negative ones), then the counts.
    ir::ValueId N = arrayDim(X.V, 0);
    ir::ValueId Max = entrySlot(I64, "bincount.max");
    B.store(B.constInt(-1), Max);
    L.forRange(Zero, N, One, [&](ir::ValueId K) {
      ir::ValueId V = B.cast(L.load(X.V, K), I64);
      raiseIf(B.cmp("lt", V, Zero), "ValueError", "'list' argument must have no negative elements");
      B.store(L.sel(B.cmp("gt", V, B.load(Max)), V, B.load(Max)), Max);
    });
    ir::ValueId Len = L.add(B.load(Max), One);
    Len = L.sel(B.cmp("lt", Len, MinLen), MinLen, Len);
    Type RT = W.ok() ? Type::float64() : I64;
    TypedValue R = allocArray(RT, {Len});
    fillArray(R, {typedConst(RT, 0), RT});
    L.forRange(Zero, N, One, [&](ir::ValueId K) {
      ir::ValueId V = B.cast(L.load(X.V, K), I64);
      ir::ValueId Add = W.ok() ? B.cast(L.load(W.V, K), RT) : One;
      ir::ValueId S = numpyOp(ir::OpKind::Add, {L.load(R.V, V), Add}, RT);
      L.store(S, R.V, V);
    });
    return R;
  }

  assert(Fn == "unique" && "a search function without a lowering");
  auto Got = Params({"return_index", "return_inverse", "return_counts", "axis"}, 0, {"equal_nan"});
  if (!Got)
    return bad();
  if (!NoComplex(A))
    return bad();
  bool Flags[3] = {false, false, false};
  const char *FlagNames[3] = {"return_index", "return_inverse", "return_counts"};
  for (int K = 0; K < 3; ++K)
    if (Got->count(FlagNames[K])) {
      auto *BL = dyn_cast<ast::BoolLitExpr>(Got->at(FlagNames[K]));
      if (!BL) {
        diag(DiagID::Unsupported, Got->at(FlagNames[K])->Range,
             {"`" + std::string(FlagNames[K]) + "` other than True or False", "is"});
        return bad();
      }
      Flags[K] = BL->Value;
    }
  bool EqualNan = true;
  if (Got->count("equal_nan")) {
    auto *BL = dyn_cast<ast::BoolLitExpr>(Got->at("equal_nan"));
    if (!BL) {
      diag(DiagID::Unsupported, Got->at("equal_nan")->Range,
           {"`equal_nan` other than True or False", "is"});
      return bad();
    }
    EqualNan = BL->Value;
  }
  if (Got->count("axis") && !isa<ast::NoneLitExpr>(Got->at("axis"))) {
    diag(DiagID::Unsupported, Got->at("axis")->Range, {"`np.unique` along an axis", "is"});
    return bad();
  }
  // NumPy's _unique1d: the flattened values sorted (by a stable argsort),
  // a mask of first occurrences (all NaNs one value with equal_nan), then
  // the values, their first indices, the inverse map and the counts.
  TypedValue Ar = Flat(A);
  Type T = Ar.Ty.elementType();
  ir::ValueId N = arrayDim(Ar.V, 0);
  TypedValue Perm = argsortRow(Ar);
  TypedValue Aux = allocArray(T, {N});
  L.forRange(Zero, N, One,
             [&](ir::ValueId K) { L.store(L.load(Ar.V, L.load(Perm.V, K)), Aux.V, K); });
  TypedValue Mask = allocArray(Type::boolean(), {N});
  ir::ValueId Count = entrySlot(I64, "unique.count");
  B.store(Zero, Count);
  L.forRange(Zero, N, One, [&](ir::ValueId K) {
    ir::ValueId New = startsRun(Aux, K, EqualNan);
    L.store(New, Mask.V, K);
    B.store(L.add(B.load(Count), B.cast(New, I64)), Count);
  });
  ir::ValueId U = B.load(Count);
  TypedValue Vals = allocArray(T, {U});
  TypedValue Index = Flags[0] ? allocArray(I64, {U}) : TypedValue();
  TypedValue Inverse = Flags[1] ? allocArray(I64, {N}) : TypedValue();
  TypedValue Counts = Flags[2] ? allocArray(I64, {U}) : TypedValue();
  if (Flags[2])
    fillArray(Counts, constInt(0));
  ir::ValueId Pos = entrySlot(I64, "unique.pos");
  B.store(B.constInt(-1), Pos);
  L.forRange(Zero, N, One, [&](ir::ValueId K) {
    ir::ValueId New = L.load(Mask.V, K);
    ir::ValueId P = L.add(B.load(Pos), B.cast(New, I64));
    B.store(P, Pos);
    L.ifElse(
        New,
        [&] {
          L.store(L.load(Aux.V, K), Vals.V, P);
          if (Flags[0])
            L.store(L.load(Perm.V, K), Index.V, P);
        },
        [] {});
    if (Flags[1])
      L.store(P, Inverse.V, L.load(Perm.V, K));
    if (Flags[2])
      L.store(L.add(L.load(Counts.V, P), One), Counts.V, P);
  });
  std::vector<ir::ValueId> Outs{Vals.V};
  std::vector<Type> Tys{Vals.Ty};
  for (TypedValue X : {Index, Inverse, Counts})
    if (X.ok()) {
      Outs.push_back(X.V);
      Tys.push_back(X.Ty);
    }
  if (Outs.size() == 1)
    return Vals;
  Type TT = Type::tuple(Tys);
  return {B.create1(ir::OpKind::TupleMake, Outs, TT), TT};
}

TypedValue FunctionLowerer::uniqueSorted(TypedValue A) {
  // A sorted copy (NaN last), then each value that differs from the one
  // before it; the NaNs are one value (np.unique's equal_nan=True).
  TypedValue S = copyArray(A, A.Ty.elementType());
  sortInPlace(S, nullptr, SourceRange());
  return compress(S, [&](ir::ValueId K) { return startsRun(S, K, /*EqualNan=*/true); });
}

ir::ValueId FunctionLowerer::inSorted(TypedValue S, ir::ValueId V) {
  // V is there if the first position not below it holds it (NaN equals
  // nothing, so it is never found).
  LoopKit L{*this, B, *F};
  ir::ValueId N = arrayDim(S.V, 0), P = searchSorted(S, V, false);
  ir::ValueId Inside = B.cmp("lt", P, N);
  return L.both(Inside, B.cmp("eq", L.load(S.V, L.sel(Inside, P, B.constInt(0))), V));
}

ir::ValueId FunctionLowerer::startsRun(TypedValue S, ir::ValueId K, bool EqualNan) {
  LoopKit L{*this, B, *F};
  ir::ValueId Zero = B.constInt(0), First = B.cmp("eq", K, Zero);
  ir::ValueId Prev = L.load(S.V, L.sel(First, Zero, L.sub(K, B.constInt(1))));
  ir::ValueId New = L.either(First, B.cmp("ne", L.load(S.V, K), Prev));
  if (EqualNan && S.Ty.elementType().isFloating()) // NaNs after the first repeat it
    New = L.both(New, L.notOf(L.both(L.notOf(First), B.cmp("ne", Prev, Prev))));
  return New;
}

TypedValue FunctionLowerer::compress(TypedValue Src,
                                     const std::function<ir::ValueId(ir::ValueId)> &Keep) {
  // Counted, then written.
  LoopKit L{*this, B, *F};
  Type I64 = Type::int64();
  ir::ValueId Zero = B.constInt(0), One = B.constInt(1), N = arrayDim(Src.V, 0);
  ir::ValueId Count = entrySlot(I64, "compress.count");
  B.store(Zero, Count);
  L.forRange(Zero, N, One,
             [&](ir::ValueId K) { B.store(L.add(B.load(Count), B.cast(Keep(K), I64)), Count); });
  TypedValue R = allocArray(Src.Ty.elementType(), {B.load(Count)});
  ir::ValueId Pos = entrySlot(I64, "compress.pos");
  B.store(Zero, Pos);
  L.forRange(Zero, N, One, [&](ir::ValueId K) {
    L.ifElse(
        Keep(K),
        [&] {
          L.store(L.load(Src.V, K), R.V, B.load(Pos));
          B.store(L.add(B.load(Pos), One), Pos);
        },
        [] {});
  });
  return R;
}

TypedValue FunctionLowerer::nonzeroOf(TypedValue A, llvm::StringRef Fn, SourceRange Site) {
  // The indices of the true elements in C order: counted, then written.
  LoopKit L{*this, B, *F};
  Type I64 = Type::int64();
  ir::ValueId Zero = B.constInt(0), One = B.constInt(1);
  unsigned N = A.Ty.ndim();
  std::vector<ir::ValueId> Dims;
  for (unsigned K = 0; K < N; ++K)
    Dims.push_back(arrayDim(A.V, K));
  auto Truth = [&](const std::vector<ir::ValueId> &Idx) {
    std::vector<ir::ValueId> Ops{A.V};
    Ops.insert(Ops.end(), Idx.begin(), Idx.end());
    Type T = A.Ty.elementType();
    return truthy({B.create1(ir::OpKind::ArrayLoad, Ops, T), T}, Site).V;
  };
  ir::ValueId Count = entrySlot(I64, "nonzero.count");
  B.store(Zero, Count);
  emitLoopNest(Dims, [&](const std::vector<ir::ValueId> &Idx) {
    B.store(L.add(B.load(Count), B.cast(Truth(Idx), I64)), Count);
  });
  ir::ValueId C = B.load(Count);
  bool Argwhere = Fn == "argwhere", Flat = Fn == "flatnonzero";
  std::vector<TypedValue> Outs;
  if (Argwhere)
    Outs.push_back(allocArray(I64, {C, B.constInt(N)}));
  else
    for (unsigned K = 0; K < (Flat ? 1 : N); ++K)
      Outs.push_back(allocArray(I64, {C}));
  ir::ValueId Pos = entrySlot(I64, "nonzero.pos");
  B.store(Zero, Pos);
  emitLoopNest(Dims, [&](const std::vector<ir::ValueId> &Idx) {
    L.ifElse(
        Truth(Idx),
        [&] {
          ir::ValueId P = B.load(Pos);
          if (Flat) {
            ir::ValueId F0 = Idx.empty() ? Zero : Idx[0];
            for (unsigned K = 1; K < N; ++K)
              F0 = L.add(L.mul(F0, Dims[K]), Idx[K]);
            L.store(F0, Outs[0].V, P);
          } else {
            for (unsigned K = 0; K < N; ++K)
              if (Argwhere)
                B.create(ir::OpKind::ArrayStore, {Idx[K], Outs[0].V, P, B.constInt(K)}, {});
              else
                L.store(Idx[K], Outs[K].V, P);
          }
          B.store(L.add(P, One), Pos);
        },
        [] {});
  });
  if (Outs.size() == 1 && Fn != "nonzero")
    return Outs[0];
  std::vector<ir::ValueId> Vs;
  std::vector<Type> Tys;
  for (TypedValue &X : Outs) {
    Vs.push_back(X.V);
    Tys.push_back(X.Ty);
  }
  Type TT = Type::tuple(Tys);
  return {B.create1(ir::OpKind::TupleMake, Vs, TT), TT};
}

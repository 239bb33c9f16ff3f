//===- LowerSignal.cpp - np.interp, np.trapz, np.cross, np.convolve ... ---===//
//
// NumPy's functions on sampled signals, as NumPy computes them:
//  - interp: NumPy's C loop (the interval by binary search, the slope
//    formula and its NaN retries, left/right values);
//  - trapz: sum(d * (y[1:] + y[:-1]) / 2) along the axis, d the spacing or
//    diff(x);
//  - cross: of 3-vectors along the last axis, a1*b2 - a2*b1 ...;
//  - convolve / correlate: modes full, same and valid (NumPy swaps the
//    operands of convolve so the longer one slides);
//  - logspace: base ** linspace(start, stop);
//  - polyval: Horner's rule; gradient: of a 1-D array, uniform spacing.
// Results are element-wise expressions over views where they can be, so
// they fuse; sums add in index order.
//
//===----------------------------------------------------------------------===//

#include "frontend/ArrayHelpers.h"
#include "llvm/Support/Casting.h"

using namespace kiln;
using namespace kiln::lower;
using llvm::dyn_cast;
using llvm::isa;
using Kind = ArrayExpr::Kind;

bool FunctionLowerer::isSignalFunction(llvm::StringRef Fn) {
  static const char *const Fns[] = {"interp",    "trapz",    "cross",   "convolve",
                                    "correlate", "logspace", "polyval", "gradient"};
  return llvm::is_contained(Fns, Fn);
}

TypedValue FunctionLowerer::lowerSignalFunction(llvm::StringRef Fn, const ast::CallExpr &E) {
  LoopKit L{*this, B, *F};
  std::string Name = "np." + Fn.str();
  Type I64 = Type::int64(), F64 = Type::float64();
  ir::ValueId Zero = B.constInt(0), One = B.constInt(1);
  auto IOp = [&](ir::OpKind K, ir::ValueId X, ir::ValueId Y) {
    ir::ValueId R = B.create1(K, {X, Y}, I64);
    F->op(F->definingOp(R)).Attrs.set("no_overflow", true);
    return R;
  };
  auto Sel = [&](ir::ValueId C, ir::ValueId X, ir::ValueId Y) {
    return B.create1(ir::OpKind::Select, {C, X, Y}, F->typeOf(X));
  };
  auto RealArray = [&](const ast::Expr &X, unsigned NDim) -> TypedValue {
    TypedValue V = lowerArrayArg(X);
    if (!V.ok())
      return bad();
    if ((NDim && V.Ty.ndim() != NDim) || V.Ty.elementType().isComplex()) {
      diag(DiagID::TypeMismatch, X.Range,
           {NDim ? "a " + std::to_string(NDim) + "-D array of real numbers" : "real numbers",
            pyTypeName(V.Ty)});
      return bad();
    }
    return V;
  };
  auto Window = [&](TypedValue A, unsigned Axis, ir::ValueId Start, ir::ValueId Len) {
    std::vector<ir::ValueId> Ext, Str;
    for (unsigned K = 0; K < A.Ty.ndim(); ++K) {
      Ext.push_back(K == Axis ? Len : arrayDim(A.V, K));
      Str.push_back(arrayStride(A.V, K));
    }
    return viewOf(A, IOp(ir::OpKind::Mul, Start, Str[Axis]), Ext, Str);
  };
  auto Node = [&](ast::BinOpKind Op, llvm::StringRef Np, ArrayExprPtr L, ArrayExprPtr R) {
    if (!L || !R)
      return ArrayExprPtr();
    std::vector<ArrayExprPtr> Kids;
    Kids.push_back(std::move(L));
    Kids.push_back(std::move(R));
    return combine(Kind::Binary, (int)Op, Np, std::move(Kids), E.Range);
  };

  if (Fn == "logspace") {
    auto Got =
        bindNumpyArgs(E, Name, {"start", "stop", "num", "endpoint", "base", "dtype", "axis"}, 2);
    if (!Got)
      return bad();
    if (Got->count("axis")) {
      diag(DiagID::Unsupported, Got->at("axis")->Range, {"`axis=` of np.logspace", "is"});
      return bad();
    }
    // base ** np.linspace(start, stop, num, endpoint), then dtype.
    TypedValue Lin = linspaceOf(
        *Got->at("start"), *Got->at("stop"), Got->count("num") ? Got->at("num") : nullptr,
        Got->count("endpoint") ? Got->at("endpoint") : nullptr, nullptr, E.Range);
    if (!Lin.ok())
      return bad();
    TypedValue Base =
        Got->count("base") ? lowerNumberArg(*Got->at("base"), "a number `base`") : constFloat(10.0);
    if (!Base.ok())
      return bad();
    if (Base.Ty.isComplex()) {
      diag(DiagID::Unsupported, Got->at("base")->Range, {"a complex `base`", "is"});
      return bad();
    }
    ArrayExprPtr P =
        Node(ast::BinOpKind::Pow, "power", leafExpr(Base, E.Range), leafExpr(Lin, E.Range));
    if (!P)
      return bad();
    TypedValue R = materialize(*P);
    if (R.ok() && Got->count("dtype") && !isa<ast::NoneLitExpr>(Got->at("dtype"))) {
      auto D = dtypeArg(*Got->at("dtype"));
      if (!D)
        return bad();
      if (*D != R.Ty.elementType())
        R = copyArray(R, *D);
    }
    return R;
  }

  if (Fn == "polyval") {
    // Horner's rule as NumPy's: y = 0; for c in p: y = y * x + c.
    auto Got = bindNumpyArgs(E, Name, {"p", "x"}, 2);
    if (!Got)
      return bad();
    TypedValue P = lowerArrayArg(*Got->at("p"));
    TypedValue X = lowerExpr(*Got->at("x"));
    if (!P.ok() || !X.ok())
      return bad();
    if (P.Ty.ndim() != 1) {
      diag(DiagID::TypeMismatch, Got->at("p")->Range,
           {"a 1-D array of coefficients", pyTypeName(P.Ty)});
      return bad();
    }
    Type XE = X.Ty.isArray() ? X.Ty.elementType() : X.Ty;
    if (!XE.isScalar()) {
      diag(DiagID::TypeMismatch, Got->at("x")->Range, {"numbers", pyTypeName(X.Ty)});
      return bad();
    }
    Type RT = promoteTypes(P.Ty.elementType(), false, XE, !X.Ty.isArray() && isWeak(XE));
    if (RT.isBool()) {
      diag(DiagID::Unsupported, E.Range, {"`np.polyval` of bools", "is"});
      return bad();
    }
    ir::ValueId NP = arrayDim(P.V, 0);
    auto Horner = [&](ir::ValueId XV) {
      ir::ValueId Y = entrySlot(RT, "polyval.y");
      B.store(typedConst(RT, 0), Y);
      L.forRange(Zero, NP, One, [&](ir::ValueId K) {
        ir::ValueId C = B.cast(B.create1(ir::OpKind::ArrayLoad, {P.V, K}, P.Ty.elementType()), RT);
        ir::ValueId M = numpyOp(ir::OpKind::Mul, {B.load(Y), XV}, RT);
        B.store(numpyOp(ir::OpKind::Add, {M, C}, RT), Y);
      });
      return B.load(Y);
    };
    return mapElements(X, RT, RT, Horner, E.Range);
  }

  if (Fn == "gradient") {
    // Of a 1-D array with uniform spacing (edge_order=1): central
    // differences inside, one-sided at the ends, as NumPy computes them.
    auto Got = bindNumpyArgs(E, Name, {"f", "varargs"}, 1, {"axis", "edge_order"});
    if (!Got)
      return bad();
    if (Got->count("edge_order")) {
      std::optional<int64_t> C = constIntValue(*Got->at("edge_order"));
      if (!C || *C != 1) {
        diag(DiagID::Unsupported, Got->at("edge_order")->Range,
             {"`edge_order` other than 1", "is"});
        return bad();
      }
    }
    TypedValue Y = RealArray(*Got->at("f"), 1);
    if (!Y.ok())
      return bad();
    if (Got->count("axis")) {
      auto K = axisArg(Got->at("axis"), 1);
      if (!K)
        return bad();
    }
    TypedValue DX = Got->count("varargs") ? lowerNumberArg(*Got->at("varargs"), "a number spacing")
                                          : constFloat(1.0);
    if (!DX.ok())
      return bad();
    Type T = Y.Ty.elementType().isFloating() ? Y.Ty.elementType() : F64;
    ir::ValueId H = convert(DX, T, E.Range, "spacing").V;
    ir::ValueId N = arrayDim(Y.V, 0);
    raiseIf(B.cmp("lt", N, B.constInt(2)), "ValueError",
            "Shape of array too small to calculate a numerical gradient, at least (edge_order + 1) "
            "elements are required.");
    TypedValue R = allocArray(T, {N});
    auto Load = [&](ir::ValueId I) {
      return B.cast(B.create1(ir::OpKind::ArrayLoad, {Y.V, I}, Y.Ty.elementType()), T);
    };
    auto Num = [&](ir::OpKind K, ir::ValueId X, ir::ValueId W) { return numpyOp(K, {X, W}, T); };
    ir::ValueId Last = IOp(ir::OpKind::Sub, N, One);
    L.forRange(One, Last, One, [&](ir::ValueId K) { // (f[k+1] - f[k-1]) / (2 * h)
      ir::ValueId D = Num(ir::OpKind::Sub, Load(IOp(ir::OpKind::Add, K, One)),
                          Load(IOp(ir::OpKind::Sub, K, One)));
      ir::ValueId V = Num(ir::OpKind::Div, D, Num(ir::OpKind::Mul, typedConst(T, 2.0), H));
      B.create(ir::OpKind::ArrayStore, {V, R.V, K}, {});
    });
    ir::ValueId First = Num(ir::OpKind::Div, Num(ir::OpKind::Sub, Load(One), Load(Zero)), H);
    ir::ValueId End =
        Num(ir::OpKind::Div,
            Num(ir::OpKind::Sub, Load(Last), Load(IOp(ir::OpKind::Sub, Last, One))), H);
    B.create(ir::OpKind::ArrayStore, {First, R.V, Zero}, {});
    B.create(ir::OpKind::ArrayStore, {End, R.V, Last}, {});
    return R;
  }

  if (Fn == "interp") {
    auto Got = bindNumpyArgs(E, Name, {"x", "xp", "fp", "left", "right", "period"}, 3);
    if (!Got)
      return bad();
    if (Got->count("period") && !isa<ast::NoneLitExpr>(Got->at("period"))) {
      diag(DiagID::Unsupported, Got->at("period")->Range, {"`period=` of np.interp", "is"});
      return bad();
    }
    TypedValue X = lowerExpr(*Got->at("x"));
    TypedValue XP = RealArray(*Got->at("xp"), 1), FP = RealArray(*Got->at("fp"), 1);
    if (!X.ok() || !XP.ok() || !FP.ok())
      return bad();
    Type XE = X.Ty.isArray() ? X.Ty.elementType() : X.Ty;
    if (!XE.isScalar() || XE.isComplex()) {
      diag(DiagID::TypeMismatch, Got->at("x")->Range, {"real numbers", pyTypeName(X.Ty)});
      return bad();
    }
    // NumPy converts everything to float64 first.
    if (XP.Ty.elementType() != F64)
      XP = copyArray(XP, F64);
    if (FP.Ty.elementType() != F64)
      FP = copyArray(FP, F64);
    ir::ValueId N = arrayDim(XP.V, 0);
    raiseIf(B.cmp("eq", N, Zero), "ValueError", "array of sample points is empty");
    raiseIf(B.cmp("ne", arrayDim(FP.V, 0), N), "ValueError",
            "fp and xp are not of the same length.");
    ir::ValueId Last = IOp(ir::OpKind::Sub, N, One);
    auto Load = [&](TypedValue A, ir::ValueId I) {
      return B.create1(ir::OpKind::ArrayLoad, {A.V, I}, F64);
    };
    auto Given = [&](const char *P, ir::ValueId Default) {
      if (!Got->count(P) || isa<ast::NoneLitExpr>(Got->at(P)))
        return Default;
      TypedValue V = lowerNumberArg(*Got->at(P), "a number");
      return V.ok() ? convert(V, F64, E.Range, P).V : ir::ValueId();
    };
    ir::ValueId Left = Given("left", Load(FP, Zero)), Right = Given("right", Load(FP, Last));
    if (!Left.isValid() || !Right.isValid())
      return bad();
    auto At = [&](ir::ValueId XV) {
      // The interval j with xp[j] <= x < xp[j + 1] (the last one equal to x).
      ir::ValueId J = IOp(ir::OpKind::Sub, searchSorted(XP, XV, /*Right=*/true), One);
      ir::ValueId SafeJ = Sel(B.cmp("lt", J, Zero), Zero, J);
      ir::ValueId NextJ = Sel(B.cmp("lt", SafeJ, Last), IOp(ir::OpKind::Add, SafeJ, One), SafeJ);
      ir::ValueId X0 = Load(XP, SafeJ), X1 = Load(XP, NextJ);
      ir::ValueId Y0 = Load(FP, SafeJ), Y1 = Load(FP, NextJ);
      auto N2 = [&](ir::OpKind K, ir::ValueId P, ir::ValueId Q) { return numpyOp(K, {P, Q}, F64); };
      ir::ValueId Slope =
          N2(ir::OpKind::Div, N2(ir::OpKind::Sub, Y1, Y0), N2(ir::OpKind::Sub, X1, X0));
      ir::ValueId R =
          N2(ir::OpKind::Add, N2(ir::OpKind::Mul, Slope, N2(ir::OpKind::Sub, XV, X0)), Y0);
      // If we get NaN one way, NumPy tries the other.
      ir::ValueId R2 =
          N2(ir::OpKind::Add, N2(ir::OpKind::Mul, Slope, N2(ir::OpKind::Sub, XV, X1)), Y1);
      R2 = Sel(B.create1(ir::OpKind::BitAnd, {B.cmp("ne", R2, R2), B.cmp("eq", Y0, Y1)},
                         Type::boolean()),
               Y0, R2);
      R = Sel(B.cmp("ne", R, R), R2, R);
      R = Sel(B.cmp("eq", X0, XV), Y0, R);      // avoid a non-finite interpolation
      R = Sel(B.cmp("eq", SafeJ, Last), Y0, R); // x == xp[-1]
      R = Sel(B.cmp("lt", XV, Load(XP, Zero)), Left, R);
      R = Sel(B.cmp("gt", XV, Load(XP, Last)), Right, R);
      // NaN stays, but one sample point gives fp[0] (NumPy's own branch).
      return Sel(B.create1(ir::OpKind::BitAnd, {B.cmp("ne", XV, XV), B.cmp("ne", N, One)},
                           Type::boolean()),
                 XV, R);
    };
    return mapElements(X, F64, F64, At, E.Range);
  }

  if (Fn == "trapz") {
    auto Got = bindNumpyArgs(E, Name, {"y", "x", "dx", "axis"}, 1);
    if (!Got)
      return bad();
    TypedValue Y = RealArray(*Got->at("y"), 0);
    if (!Y.ok())
      return bad();
    unsigned N = Y.Ty.ndim(), Axis = N - 1;
    if (Got->count("axis")) {
      auto K = axisArg(Got->at("axis"), N);
      if (!K)
        return bad();
      Axis = *K;
    }
    ir::ValueId Len = arrayDim(Y.V, Axis);
    ir::ValueId M = IOp(ir::OpKind::Sub, Len, One);
    M = Sel(B.cmp("lt", M, Zero), Zero, M);
    ArrayExprPtr D;
    if (Got->count("x") && !isa<ast::NoneLitExpr>(Got->at("x"))) {
      TypedValue X = RealArray(*Got->at("x"), 0);
      if (!X.ok())
        return bad();
      if (X.Ty.ndim() != 1 && X.Ty.ndim() != N) {
        diag(DiagID::Unsupported, Got->at("x")->Range, {"`x` of another rank than 1 or y's", "is"});
        return bad();
      }
      // d = diff(x), along the axis (a 1-D x lies along it).
      unsigned XAxis = X.Ty.ndim() == 1 ? 0 : Axis;
      ir::ValueId XLen = arrayDim(X.V, XAxis);
      ir::ValueId XM = IOp(ir::OpKind::Sub, XLen, One);
      XM = Sel(B.cmp("lt", XM, Zero), Zero, XM);
      TypedValue X1 = Window(X, XAxis, One, XM), X0 = Window(X, XAxis, Zero, XM);
      if (X.Ty.ndim() == 1 && N > 1) { // shape it (1, .., m, .., 1)
        std::vector<ir::ValueId> Ext(N, One), Str(N, Zero);
        Ext[Axis] = XM;
        Str[Axis] = arrayStride(X.V, 0);
        X1 = viewOf(X1, Zero, Ext, Str);
        X0 = viewOf(X0, Zero, Ext, Str);
      }
      D = Node(ast::BinOpKind::Sub, "subtract", leafExpr(X1, E.Range), leafExpr(X0, E.Range));
    } else {
      TypedValue DX =
          Got->count("dx") ? lowerNumberArg(*Got->at("dx"), "a number `dx`") : constFloat(1.0);
      if (!DX.ok())
        return bad();
      D = leafExpr(DX, E.Range);
    }
    ArrayExprPtr Sum = Node(ast::BinOpKind::Add, "add", leafExpr(Window(Y, Axis, One, M), E.Range),
                            leafExpr(Window(Y, Axis, Zero, M), E.Range));
    ArrayExprPtr T = Node(ast::BinOpKind::Div, "divide",
                          Node(ast::BinOpKind::Mul, "multiply", std::move(D), std::move(Sum)),
                          leafExpr(constFloat(2.0), E.Range));
    if (!T)
      return bad();
    ast::IntLitExpr AxisLit(E.Range);
    AxisLit.Value = Axis;
    ArrayExprPtr R = reduceNode("sum", std::move(T), &AxisLit, false, E.Range);
    return R ? materialize(*R) : bad();
  }

  if (Fn == "cross") {
    auto Got = bindNumpyArgs(E, Name, {"a", "b", "axisa", "axisb", "axisc", "axis"}, 2);
    if (!Got)
      return bad();
    for (const char *P : {"axisa", "axisb", "axisc", "axis"})
      if (Got->count(P)) {
        diag(DiagID::Unsupported, Got->at(P)->Range,
             {"`" + std::string(P) + "=` of np.cross", "is"});
        return bad();
      }
    TypedValue A = lowerArrayArg(*Got->at("a")), C = lowerArrayArg(*Got->at("b"));
    if (!A.ok() || !C.ok())
      return bad();
    // Vectors of 3 along the last axis (2-D vectors give a lower rank,
    // which depends on the extent: not supported).
    for (TypedValue V : {A, C})
      raiseIf(B.cmp("ne", arrayDim(V.V, V.Ty.ndim() - 1), B.constInt(3)), "ValueError",
              "incompatible dimensions for cross product: Kiln supports 3-vectors only");
    auto Comp = [&](TypedValue V, int K) {
      TypedValue W = Window(V, V.Ty.ndim() - 1, B.constInt(K), One);
      return leafExpr(W, E.Range);
    };
    auto Term = [&](int I, int J) { // a_i b_j - a_j b_i
      return Node(ast::BinOpKind::Sub, "subtract",
                  Node(ast::BinOpKind::Mul, "multiply", Comp(A, I), Comp(C, J)),
                  Node(ast::BinOpKind::Mul, "multiply", Comp(A, J), Comp(C, I)));
    };
    ArrayExprPtr T0 = Term(1, 2), T1 = Term(2, 0), T2 = Term(0, 1);
    if (!T0 || !T1 || !T2)
      return bad();
    // The components into the last axis of a broadcast result.
    std::vector<ir::ValueId> Shape = T0->Shape;
    Type RT = T0->Elem;
    Shape.back() = B.constInt(3);
    TypedValue R = allocArray(RT, Shape);
    ArrayExprPtr Ts[3] = {std::move(T0), std::move(T1), std::move(T2)};
    for (int K = 0; K < 3; ++K)
      storeInto(Window(R, Shape.size() - 1, B.constInt(K), One), *Ts[K], E.Range);
    return R;
  }

  assert((Fn == "convolve" || Fn == "correlate") && "a signal function without a lowering");
  auto Got = bindNumpyArgs(E, Name, {"a", "v", "mode"}, 2);
  if (!Got)
    return bad();
  TypedValue A = RealArray(*Got->at("a"), 1), V = RealArray(*Got->at("v"), 1);
  if (!A.ok() || !V.ok())
    return bad();
  std::string Mode = Fn == "convolve" ? "full" : "valid";
  if (Got->count("mode")) {
    auto *S = dyn_cast<ast::StrLitExpr>(Got->at("mode"));
    if (!S || (S->Value != "full" && S->Value != "same" && S->Value != "valid")) {
      diag(DiagID::Unsupported, Got->at("mode")->Range,
           {"a `mode=` other than 'full', 'same' or 'valid'", "is"});
      return bad();
    }
    Mode = S->Value;
  }
  Type RT = promoteTypes(A.Ty.elementType(), false, V.Ty.elementType(), false);
  if (RT.isBool()) {
    diag(DiagID::Unsupported, E.Range, {"`" + Name + "` of bools", "is"});
    return bad();
  }
  ir::ValueId NA = arrayDim(A.V, 0), NV = arrayDim(V.V, 0);
  // (NumPy puts the longer operand first, then names an empty one.)
  raiseIf(B.create1(ir::OpKind::BitAnd, {B.cmp("eq", NA, Zero), B.cmp("eq", NV, Zero)},
                    Type::boolean()),
          "ValueError", "a cannot be empty");
  raiseIf(
      B.create1(ir::OpKind::BitOr, {B.cmp("eq", NA, Zero), B.cmp("eq", NV, Zero)}, Type::boolean()),
      "ValueError", "v cannot be empty");
  // out[i] = sum_j a[i - off + j] * v'[j] over the j that stay inside,
  // where v' is v (correlate) or v reversed (convolve); the output is the
  // full correlation shifted by NumPy's start for the mode.
  if (Fn == "convolve") {
    ir::ValueId S = arrayStride(V.V, 0);
    V = viewOf(V, IOp(ir::OpKind::Mul, IOp(ir::OpKind::Sub, NV, One), S), {NV},
               {B.create1(ir::OpKind::Neg, {S}, I64)});
  }
  ir::ValueId ALonger = B.cmp("ge", NA, NV);
  ir::ValueId Long = Sel(ALonger, NA, NV), Short = Sel(ALonger, NV, NA);
  ir::ValueId Half = B.create1(ir::OpKind::FloorDiv, {Short, B.constInt(2)}, I64);
  ir::ValueId Len, Start;
  if (Mode == "full") {
    Len = IOp(ir::OpKind::Sub, IOp(ir::OpKind::Add, NA, NV), One);
    Start = Zero;
  } else if (Mode == "same") {
    // (NumPy correlates the longer operand first, and reverses the output
    // when it swapped them; convolve swaps without reversing.)
    Len = Long;
    ir::ValueId Fwd = IOp(ir::OpKind::Sub, IOp(ir::OpKind::Sub, Short, One), Half);
    Start = Fn == "convolve" ? Fwd : Sel(ALonger, Fwd, Half);
  } else {
    Len = IOp(ir::OpKind::Add, IOp(ir::OpKind::Sub, Long, Short), One);
    Start = IOp(ir::OpKind::Sub, Short, One);
  }
  ir::ValueId Off = IOp(ir::OpKind::Sub, IOp(ir::OpKind::Sub, NV, One), Start);
  TypedValue R = allocArray(RT, {Len});
  L.forRange(Zero, Len, One, [&](ir::ValueId K) {
    // j runs over v where 0 <= k + j - off < na.
    ir::ValueId Base = IOp(ir::OpKind::Sub, K, Off);
    ir::ValueId J0 = B.create1(ir::OpKind::Neg, {Base}, I64);
    J0 = Sel(B.cmp("lt", J0, Zero), Zero, J0);
    ir::ValueId J1 = IOp(ir::OpKind::Sub, NA, Base);
    J1 = Sel(B.cmp("gt", J1, NV), NV, J1);
    ir::ValueId Acc = entrySlot(RT, "corr.acc");
    B.store(typedConst(RT, 0), Acc);
    L.forRange(J0, J1, One, [&](ir::ValueId J) {
      ir::ValueId X = B.cast(B.create1(ir::OpKind::ArrayLoad, {A.V, IOp(ir::OpKind::Add, Base, J)},
                                       A.Ty.elementType()),
                             RT);
      ir::ValueId Y = B.cast(B.create1(ir::OpKind::ArrayLoad, {V.V, J}, V.Ty.elementType()), RT);
      B.store(numpyOp(ir::OpKind::Add, {B.load(Acc), numpyOp(ir::OpKind::Mul, {X, Y}, RT)}, RT),
              Acc);
    });
    B.create(ir::OpKind::ArrayStore, {B.load(Acc), R.V, K}, {});
  });
  return R;
}

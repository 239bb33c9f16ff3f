//===- LowerRandom.cpp - random and np.random in compiled code -------------===//
//
// Calls of CPython's `random` module and NumPy's legacy `np.random`
// functions, as the same arithmetic on the draws of the runtime's
// generators (`random.seed` / `random.draw` ops, runtime/random.c), so that
// for the same seed compiled code gets the numbers CPython and NumPy give:
// each function is written here as the library writes it (random.py of
// Python 3.11, NumPy's legacy RandomState), draw for draw.
//
//===----------------------------------------------------------------------===//

#include "frontend/LowerImpl.h"
#include "llvm/Support/Casting.h"

using namespace kiln;
using namespace kiln::lower;
using llvm::dyn_cast;
using llvm::isa;

namespace {
/// A parameter of a random function: its name and whether it may be left
/// out (its default is then applied by the caller).
struct RParam {
  const char *Name;
  bool Optional;
};
} // namespace

/// Binds the arguments of a call to \p Params (positional, then keywords);
/// reports and returns false on a mismatch. Missing optional ones are null.
static bool bindArgs(FunctionLowerer &FL, const std::string &Fn, const ast::CallExpr &E,
                     llvm::ArrayRef<RParam> Params, std::vector<const ast::Expr *> &Out,
                     DiagnosticEngine &D, bool Emitting) {
  Out.assign(Params.size(), nullptr);
  auto Report = [&](DiagID ID, SourceRange R, std::vector<std::string> Args) {
    if (Emitting)
      D.report(ID, R, std::move(Args));
    return false;
  };
  size_t Required = 0;
  for (const RParam &P : Params)
    Required += !P.Optional;
  if (E.Args.size() > Params.size())
    return Report(DiagID::WrongArity, E.Range,
                  {Fn, std::to_string(Params.size()), std::to_string(E.Args.size())});
  for (size_t I = 0; I < E.Args.size(); ++I)
    Out[I] = E.Args[I].get();
  for (const ast::Keyword &K : E.Keywords) {
    size_t I = 0;
    while (I < Params.size() && K.Name != Params[I].Name)
      ++I;
    if (I == Params.size())
      return Report(DiagID::BadKeyword, K.Range, {Fn, K.Name});
    if (Out[I])
      return Report(DiagID::MultipleValues, K.Range, {Fn, K.Name});
    Out[I] = K.Value.get();
  }
  for (size_t I = 0; I < Params.size(); ++I)
    if (!Out[I] && !Params[I].Optional)
      return Report(DiagID::WrongArity, E.Range,
                    {Fn, std::to_string(Required), std::to_string(E.Args.size() + E.Keywords.size())});
  return true;
}

ir::ValueId FunctionLowerer::randomDraw(bool NumPy, llvm::StringRef Kind, ir::ValueId Bound) {
  std::vector<ir::ValueId> Ops;
  if (Bound.isValid())
    Ops.push_back(Bound);
  ir::ValueId R =
      B.create1(ir::OpKind::RandomDraw, Ops, Kind == "below" ? Type::int64() : Type::float64());
  ir::OpData &D = F->op(F->definingOp(R));
  D.Attrs.set("gen", std::string(NumPy ? "np" : "py"));
  D.Attrs.set("kind", Kind.str());
  return R;
}

TypedValue FunctionLowerer::lowerRandomCall(bool NumPy, llvm::StringRef Fn,
                                            const ast::CallExpr &E) {
  std::string Name = (NumPy ? "np.random." : "random.") + Fn.str();
  std::vector<const ast::Expr *> A;
  auto Bind = [&](std::initializer_list<RParam> Ps) {
    return bindArgs(*this, Name, E, Ps, A, ML.Diags, emitting());
  };
  auto Num = [&](const ast::Expr *X, double Default) -> TypedValue {
    if (!X)
      return constFloat(Default);
    return lowerNumberArg(*X, "a number for `" + Name + "()`");
  };
  auto Int = [&](const ast::Expr *X) -> TypedValue {
    TypedValue V = lowerExpr(*X);
    if (V.ok() && V.Ty.isBool())
      V = castScalar(V, Type::int64(), X->Range);
    if (V.ok() && !(V.Ty.isInteger())) {
      diag(DiagID::TypeMismatch, X->Range, {"an integer for `" + Name + "()`", pyTypeName(V.Ty)});
      return bad();
    }
    return V.ok() ? castScalar(V, Type::int64(), X->Range) : V;
  };
  auto Arith = [&](ast::BinOpKind Op, TypedValue L, TypedValue R) {
    return binaryOp(Op, L, R, nullptr, E.Range);
  };
  // Widths of integer ranges wrap: as unsigned they are exact up to 2**64 - 1
  // (randint(0, 2**63 - 1) works, as in CPython and NumPy).
  auto Wrapping = [&](ir::OpKind K, ir::ValueId X, ir::ValueId Y) {
    ir::ValueId R = B.create1(K, {X, Y}, Type::int64());
    F->op(F->definingOp(R)).Attrs.set("numpy", true);
    return R;
  };
  auto Double = [&] { return TypedValue{randomDraw(NumPy, "double"), Type::float64()}; };
  auto Gauss = [&] { return TypedValue{randomDraw(NumPy, "gauss"), Type::float64()}; };
  auto None = [] { return TypedValue{ir::ValueId(), Type::none()}; };

  if (Fn == "seed") {
    if (!Bind({{"seed", true}}) || !A[0]) {
      if (A.empty() || (A.size() == 1 && !A[0]))
        diag(DiagID::Unsupported, E.Range,
             {"`" + Name + "()` without a seed (compiled code seeds from the system's "
                              "entropy when nothing seeds it)",
              "is"});
      return bad();
    }
    TypedValue S = Int(A[0]);
    if (!S.ok())
      return bad();
    if (NumPy)
      raiseIf(B.create1(ir::OpKind::BitOr,
                        {B.cmp("lt", S.V, B.constInt(0)),
                         B.cmp("gt", S.V, B.constInt(0xffffffffLL))},
                        Type::boolean()),
              "ValueError", "Seed must be between 0 and 2**32 - 1");
    ir::OpId O = B.create(ir::OpKind::RandomSeed, {S.V}, {});
    F->op(O).Attrs.set("gen", std::string(NumPy ? "np" : "py"));
    return None();
  }

  if (!NumPy) {
    // CPython's random module (random.py of Python 3.11).
    if (Fn == "random") {
      if (!Bind({}))
        return bad();
      return Double();
    }
    if (Fn == "uniform") { // a + (b - a) * random()
      if (!Bind({{"a", false}, {"b", false}}))
        return bad();
      TypedValue Lo = Num(A[0], 0), Hi = Num(A[1], 0);
      if (!Lo.ok() || !Hi.ok())
        return bad();
      return Arith(ast::BinOpKind::Add, Lo,
                   Arith(ast::BinOpKind::Mul, Arith(ast::BinOpKind::Sub, Hi, Lo), Double()));
    }
    if (Fn == "gauss" || Fn == "normalvariate") { // mu + z * sigma
      if (!Bind({{"mu", true}, {"sigma", true}}))
        return bad();
      TypedValue Mu = Num(A[0], 0.0), Sigma = Num(A[1], 1.0);
      if (!Mu.ok() || !Sigma.ok())
        return bad();
      TypedValue Z = Fn == "gauss" ? Gauss() : TypedValue{randomDraw(false, "kmnormal"),
                                                           Type::float64()};
      return Arith(ast::BinOpKind::Add, Mu, Arith(ast::BinOpKind::Mul, Z, Sigma));
    }
    if (Fn == "expovariate") { // -log(1.0 - random()) / lambd
      if (!Bind({{"lambd", false}}))
        return bad();
      TypedValue L = Num(A[0], 1.0);
      if (!L.ok())
        return bad();
      ir::ValueId U = B.create1(ir::OpKind::Sub, {B.constFloat(1.0), randomDraw(false, "double")},
                                Type::float64());
      ir::ValueId Log = mathOp("log", {U}, Type::float64());
      TypedValue NegLog{B.create1(ir::OpKind::Neg, {Log}, Type::float64()), Type::float64()};
      return Arith(ast::BinOpKind::Div, NegLog, L);
    }
    if (Fn == "randint" || Fn == "randrange") {
      // randint(a, b) is randrange(a, b + 1).
      bool RandInt = Fn == "randint";
      if (RandInt ? !Bind({{"a", false}, {"b", false}})
                  : !Bind({{"start", false}, {"stop", true}, {"step", true}}))
        return bad();
      TypedValue Start = Int(A[0]);
      if (!Start.ok())
        return bad();
      if (!RandInt && !A[1]) { // randrange(stop)
        if (A[2]) {
          diag(DiagID::Unsupported, A[2]->Range, {"`step` without `stop`", "is"});
          return bad();
        }
        raiseIf(B.cmp("le", Start.V, B.constInt(0)), "ValueError", "empty range for randrange()");
        return {randomDraw(false, "below", Start.V), Type::int64()};
      }
      TypedValue Stop = Int(A[1]);
      if (!Stop.ok())
        return bad();
      // randint(a, b) is randrange(a, b + 1): empty when b < a.
      ir::ValueId Empty = RandInt ? B.cmp("lt", Stop.V, Start.V) : B.cmp("le", Stop.V, Start.V);
      ir::ValueId StopV = RandInt ? Wrapping(ir::OpKind::Add, Stop.V, B.constInt(1)) : Stop.V;
      ir::ValueId Width = Wrapping(ir::OpKind::Sub, StopV, Start.V);
      bool UnitStep = RandInt || !A[2] ||
                      (isa<ast::IntLitExpr>(A[2]) && llvm::cast<ast::IntLitExpr>(A[2])->Value == 1);
      TypedValue Step = UnitStep ? constInt(1) : Int(A[2]);
      if (!Step.ok())
        return bad();
      // CPython's message names the range when the step is 1.
      raiseFmtIf(B.create1(ir::OpKind::BitAnd, {Empty, B.cmp("eq", Step.V, B.constInt(1))},
                           Type::boolean()),
                 "ValueError", "empty range for randrange() ({}, {}, {})",
                 {Start.V, StopV, Width});
      if (UnitStep)
        return {Wrapping(ir::OpKind::Add, Start.V, randomDraw(false, "below", Width)),
                Type::int64()};
      raiseIf(B.cmp("eq", Step.V, B.constInt(0)), "ValueError", "zero step for randrange()");
      // n = (width + step - 1) // step, or (width + step + 1) // step for a
      // negative step.
      ir::ValueId Pos = B.cmp("gt", Step.V, B.constInt(0));
      ir::ValueId Adj = B.create1(ir::OpKind::Select, {Pos, B.constInt(-1), B.constInt(1)},
                                  Type::int64());
      TypedValue NumItems =
          Arith(ast::BinOpKind::FloorDiv,
                Arith(ast::BinOpKind::Add,
                      Arith(ast::BinOpKind::Add, Arith(ast::BinOpKind::Sub, Stop, Start), Step),
                      {Adj, Type::int64()}),
                Step);
      if (!NumItems.ok())
        return bad();
      raiseIf(B.cmp("le", NumItems.V, B.constInt(0)), "ValueError", "empty range for randrange()");
      return Arith(ast::BinOpKind::Add, Start,
                   Arith(ast::BinOpKind::Mul, Step,
                         {randomDraw(false, "below", NumItems.V), Type::int64()}));
    }
    if (Fn == "choice" || Fn == "shuffle") {
      if (!Bind({{Fn == "choice" ? "seq" : "x", false}}))
        return bad();
      TypedValue Seq = lowerExpr(*A[0]);
      if (!Seq.ok())
        return bad();
      if (Fn == "shuffle") {
        if (!Seq.Ty.isList()) {
          diag(DiagID::TypeMismatch, A[0]->Range, {"a list for `random.shuffle()`",
                                                    pyTypeName(Seq.Ty)});
          return bad();
        }
        // for i in reversed(range(1, len(x))): j = randbelow(i + 1); swap
        ir::ValueId Len = listLen(Seq);
        ir::ValueId Count = B.create1(ir::OpKind::Sub, {Len, B.constInt(1)}, Type::int64());
        emitCountedLoop(Count, [&](ir::ValueId K) {
          ir::ValueId I = B.create1(ir::OpKind::Sub, {Count, K}, Type::int64());
          ir::ValueId J = randomDraw(false, "below",
                                     B.create1(ir::OpKind::Add, {I, B.constInt(1)}, Type::int64()));
          TypedValue XI = listItem(Seq, I), XJ = listItem(Seq, J);
          B.create(ir::OpKind::ListSet, {XJ.V, Seq.V, I}, {});
          B.create(ir::OpKind::ListSet, {XI.V, Seq.V, J}, {});
        });
        return None();
      }
      ir::ValueId Len;
      if (Seq.Ty.isList())
        Len = listLen(Seq);
      else if (Seq.Ty.isArray())
        Len = arrayDim(Seq.V, 0);
      else {
        diag(DiagID::TypeMismatch, A[0]->Range,
             {"a list or an array for `random.choice()`", pyTypeName(Seq.Ty)});
        return bad();
      }
      raiseIf(B.cmp("eq", Len, B.constInt(0)), "IndexError", "Cannot choose from an empty sequence");
      if (Seq.Ty.isArray() && Seq.Ty.ndim() != 1) {
        diag(DiagID::Unsupported, A[0]->Range, {"`random.choice()` of a multi-dimensional array", "is"});
        return bad();
      }
      ir::ValueId K = randomDraw(false, "below", Len);
      if (Seq.Ty.isList())
        return listItem(Seq, K);
      Type Elem = Seq.Ty.elementType();
      return {B.create1(ir::OpKind::ArrayLoad, {Seq.V, K}, Elem), Elem};
    }
    diag(DiagID::UnsupportedCall, E.Func->Range, {Name});
    return bad();
  }

  // NumPy's legacy np.random (RandomState). Scalars without `size`; with
  // it (or dimensions, for rand/randn), an array filled in C order.
  auto Sized = [&](const ast::Expr *SizeE, Type Elem,
                   const std::function<TypedValue()> &One) -> TypedValue {
    if (!SizeE || llvm::isa<ast::NoneLitExpr>(SizeE))
      return One();
    std::optional<std::vector<ir::ValueId>> Dims = shapeArg(*SizeE);
    if (!Dims)
      return bad();
    for (ir::ValueId D : *Dims)
      raiseIf(B.cmp("lt", D, B.constInt(0)), "ValueError", "negative dimensions are not allowed");
    TypedValue Arr = allocArray(Elem, *Dims);
    bool Ok = true;
    emitNest(Arr.V, Arr.Ty, [&](const std::vector<ir::ValueId> &Idx) {
      TypedValue V = One();
      Ok &= V.ok();
      if (!V.ok())
        return;
      std::vector<ir::ValueId> Ops{castScalar(V, Elem, E.Range).V, Arr.V};
      Ops.insert(Ops.end(), Idx.begin(), Idx.end());
      B.create(ir::OpKind::ArrayStore, Ops, {});
    });
    return Ok ? Arr : bad();
  };
  // rand(d0, d1, ...) / randn(d0, ...): dimensions as separate arguments.
  auto DimsArgs = [&](Type Elem, const std::function<TypedValue()> &One) -> TypedValue {
    if (!E.Keywords.empty()) {
      diag(DiagID::BadKeyword, E.Keywords[0].Range, {Name, E.Keywords[0].Name});
      return bad();
    }
    if (E.Args.empty())
      return One();
    std::vector<ir::ValueId> Dims;
    for (const ast::ExprPtr &X : E.Args) {
      TypedValue D = Int(X.get());
      if (!D.ok())
        return bad();
      raiseIf(B.cmp("lt", D.V, B.constInt(0)), "ValueError", "negative dimensions are not allowed");
      Dims.push_back(D.V);
    }
    TypedValue Arr = allocArray(Elem, Dims);
    emitNest(Arr.V, Arr.Ty, [&](const std::vector<ir::ValueId> &Idx) {
      std::vector<ir::ValueId> Ops{One().V, Arr.V};
      Ops.insert(Ops.end(), Idx.begin(), Idx.end());
      B.create(ir::OpKind::ArrayStore, Ops, {});
    });
    return Arr;
  };
  if (Fn == "rand")
    return DimsArgs(Type::float64(), Double);
  if (Fn == "randn")
    return DimsArgs(Type::float64(), Gauss);
  if (Fn == "random_sample" || Fn == "random" || Fn == "sample" || Fn == "ranf") {
    if (!Bind({{"size", true}}))
      return bad();
    return Sized(A[0], Type::float64(), Double);
  }
  if (Fn == "standard_normal") {
    if (!Bind({{"size", true}}))
      return bad();
    return Sized(A[0], Type::float64(), Gauss);
  }
  if (Fn == "normal" || Fn == "uniform") {
    bool Normal = Fn == "normal";
    if (Normal ? !Bind({{"loc", true}, {"scale", true}, {"size", true}})
               : !Bind({{"low", true}, {"high", true}, {"size", true}}))
      return bad();
    TypedValue P0 = Num(A[0], 0.0), P1 = Num(A[1], 1.0);
    if (!P0.ok() || !P1.ok())
      return bad();
    P0 = castScalar(P0, Type::float64(), E.Range);
    P1 = castScalar(P1, Type::float64(), E.Range);
    if (Normal) { // loc + scale * gauss; NumPy refuses a scale with its sign bit set
      ir::ValueId Sign = mathOp("copysign", {B.constFloat(1.0), P1.V}, Type::float64());
      raiseIf(B.cmp("lt", Sign, B.constFloat(0.0)), "ValueError", "scale < 0");
      return Sized(A[2], Type::float64(), [&] {
        return Arith(ast::BinOpKind::Add, P0, Arith(ast::BinOpKind::Mul, P1, Gauss()));
      });
    }
    // low + (high - low) * random_sample, for a finite range
    TypedValue Range = Arith(ast::BinOpKind::Sub, P1, P0);
    if (!Range.ok())
      return bad();
    raiseIf(B.create1(ir::OpKind::Not, {mathOp("isfinite", {Range.V}, Type::boolean())},
                      Type::boolean()),
            "OverflowError", "Range exceeds valid bounds");
    return Sized(A[2], Type::float64(), [&] {
      return Arith(ast::BinOpKind::Add, P0, Arith(ast::BinOpKind::Mul, Range, Double()));
    });
  }
  if (Fn == "shuffle" || Fn == "permutation") {
    // RandomState's shuffle of a 1-D array: for i = n-1 .. 1, swap x[i]
    // with x[j], j drawn in [0, i]; permutation(n) shuffles arange(n),
    // permutation(x) a copy of x.
    if (!Bind({{"x", false}}))
      return bad();
    TypedValue X = lowerExpr(*A[0]);
    if (!X.ok())
      return bad();
    bool Perm = Fn == "permutation";
    if (Perm && (X.Ty.isInteger() || X.Ty.isBool())) {
      ir::ValueId N = castScalar(X, Type::int64(), A[0]->Range).V;
      raiseIf(B.cmp("lt", N, B.constInt(0)), "ValueError", "negative dimensions are not allowed");
      TypedValue R = allocArray(Type::int64(), {N});
      emitCountedLoop(N, [&](ir::ValueId I) { B.create(ir::OpKind::ArrayStore, {I, R.V, I}, {}); });
      X = R;
    } else if (!X.Ty.isArray() || X.Ty.ndim() != 1) {
      diag(DiagID::TypeMismatch, A[0]->Range,
           {"a 1-D array" + std::string(Perm ? " or an int" : "") + " for `" + Name + "()`",
            pyTypeName(X.Ty)});
      return bad();
    } else if (Perm) {
      TypedValue C = allocArray(X.Ty.elementType(), {arrayDim(X.V, 0)});
      Type Elem = X.Ty.elementType();
      emitCountedLoop(arrayDim(X.V, 0), [&](ir::ValueId I) {
        B.create(ir::OpKind::ArrayStore, {B.create1(ir::OpKind::ArrayLoad, {X.V, I}, Elem), C.V, I},
                 {});
      });
      X = C;
    }
    Type Elem = X.Ty.elementType();
    ir::ValueId N = arrayDim(X.V, 0);
    ir::ValueId Count = B.create1(ir::OpKind::Sub, {N, B.constInt(1)}, Type::int64());
    ir::OpId If = B.create(ir::OpKind::If, {B.cmp("gt", Count, B.constInt(0))}, {}, 2);
    inRegion(F->op(If).Regions[0], [&] {
      emitCountedLoop(Count, [&](ir::ValueId K) {
        ir::ValueId I = B.create1(ir::OpKind::Sub, {Count, K}, Type::int64());
        ir::ValueId J = randomDraw(true, "below",
                                   B.create1(ir::OpKind::Add, {I, B.constInt(1)}, Type::int64()));
        ir::ValueId XI = B.create1(ir::OpKind::ArrayLoad, {X.V, I}, Elem);
        ir::ValueId XJ = B.create1(ir::OpKind::ArrayLoad, {X.V, J}, Elem);
        B.create(ir::OpKind::ArrayStore, {XJ, X.V, I}, {});
        B.create(ir::OpKind::ArrayStore, {XI, X.V, J}, {});
      });
    });
    if (Perm)
      return X;
    return None();
  }
  if (Fn == "choice") { // choice(a) of an int or a 1-D array: a[randint(0, len)]
    if (!Bind({{"a", false}}))
      return bad();
    TypedValue X = lowerExpr(*A[0]);
    if (!X.ok())
      return bad();
    bool IsInt = X.Ty.isInteger() || X.Ty.isBool();
    if (!IsInt && !(X.Ty.isArray() && X.Ty.ndim() == 1)) {
      diag(DiagID::TypeMismatch, A[0]->Range,
           {"an int or a 1-D array for `np.random.choice()` (without size= or p=)",
            pyTypeName(X.Ty)});
      return bad();
    }
    ir::ValueId N = IsInt ? castScalar(X, Type::int64(), A[0]->Range).V : arrayDim(X.V, 0);
    raiseIf(B.cmp("le", N, B.constInt(0)), "ValueError",
            IsInt ? "a must be greater than 0 unless no samples are taken"
                  : "'a' cannot be empty unless no samples are taken");
    ir::ValueId K = randomDraw(true, "below", N);
    if (IsInt)
      return {K, Type::int64()};
    Type Elem = X.Ty.elementType();
    return {B.create1(ir::OpKind::ArrayLoad, {X.V, K}, Elem), Elem};
  }
  if (Fn == "randint") {
    if (!Bind({{"low", false}, {"high", true}, {"size", true}}))
      return bad();
    TypedValue Lo = Int(A[0]);
    if (!Lo.ok())
      return bad();
    TypedValue Hi = A[1] ? Int(A[1]) : Lo;
    if (!Hi.ok())
      return bad();
    if (!A[1]) {
      Lo = constInt(0);
      raiseIf(B.cmp("le", Hi.V, B.constInt(0)), "ValueError", "high <= 0");
    }
    raiseIf(B.cmp("ge", Lo.V, Hi.V), "ValueError", "low >= high");
    ir::ValueId Width = Wrapping(ir::OpKind::Sub, Hi.V, Lo.V);
    return Sized(A[2], Type::int64(), [&] {
      return TypedValue{Wrapping(ir::OpKind::Add, Lo.V, randomDraw(true, "below", Width)),
                        Type::int64()};
    });
  }
  diag(DiagID::UnsupportedCall, E.Func->Range, {Name});
  return bad();
}

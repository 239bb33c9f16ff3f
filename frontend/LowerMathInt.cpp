//===- LowerMathInt.cpp - The integer functions of Python's math module ----===//
//
// math.gcd, lcm, factorial, isqrt, comb and perm on int64, as loops of
// checked int64 arithmetic: the results are CPython's, and a result outside
// 64 bits raises OverflowError (Kiln's int, docs/language.md). Intermediate
// values never exceed the result, so no result that fits overflows.
//
//===----------------------------------------------------------------------===//

#include "frontend/LowerImpl.h"

using namespace kiln;
using namespace kiln::lower;

bool FunctionLowerer::isIntMathFn(llvm::StringRef Name) {
  return Name == "gcd" || Name == "lcm" || Name == "factorial" || Name == "isqrt" ||
         Name == "comb" || Name == "perm";
}

/// Euclid's algorithm on |A| and |B| (gcd(-2**63, 0) = 2**63 overflows).
ir::ValueId FunctionLowerer::emitGcd(ir::ValueId A, ir::ValueId B0) {
  Type I64 = Type::int64();
  ir::ValueId X = entrySlot(I64, "gcd.a"), Y = entrySlot(I64, "gcd.b");
  B.store(mathOp("abs", {A}, I64), X);
  B.store(mathOp("abs", {B0}, I64), Y);
  ir::OpId W = B.create(ir::OpKind::While, {}, {}, 2);
  inRegion(F->op(W).Regions[0], [&] {
    B.create(ir::OpKind::Condition, {B.cmp("ne", B.load(Y), B.constInt(0))}, {});
  });
  inRegion(F->op(W).Regions[1], [&] {
    ir::ValueId XV = B.load(X), YV = B.load(Y);
    B.store(YV, X);
    B.store(B.create1(ir::OpKind::Mod, {XV, YV}, I64), Y);
  });
  return B.load(X);
}

TypedValue FunctionLowerer::lowerIntMathCall(llvm::StringRef Name, const ast::CallExpr &E) {
  Type I64 = Type::int64();
  std::string Fn = "math." + Name.str();
  if (!E.Keywords.empty()) {
    diag(DiagID::BadKeyword, E.Keywords[0].Range, {Fn, E.Keywords[0].Name});
    return bad();
  }
  size_t Want = (Name == "factorial" || Name == "isqrt") ? 1 : 2;
  bool Optional2 = Name == "perm"; // perm(n) is factorial(n)
  if (E.Args.size() != Want && !(Optional2 && E.Args.size() == 1)) {
    diag(DiagID::WrongArity, E.Range,
         {Fn, Optional2 ? "1 or 2" : std::to_string(Want), std::to_string(E.Args.size())});
    return bad();
  }
  std::vector<ir::ValueId> Args;
  for (const ast::ExprPtr &A : E.Args) {
    TypedValue V = lowerExpr(*A);
    if (!V.ok())
      return bad();
    if (!V.Ty.isInteger() && !V.Ty.isBool()) { // CPython: TypeError for a float
      diag(DiagID::TypeMismatch, A->Range, {"an integer for `" + Fn + "()`", pyTypeName(V.Ty)});
      return bad();
    }
    Args.push_back(castScalar(V, I64, A->Range).V);
  }
  auto Mul = [&](ir::ValueId X, ir::ValueId Y) { return B.create1(ir::OpKind::Mul, {X, Y}, I64); };
  auto Add = [&](ir::ValueId X, ir::ValueId Y) { return B.create1(ir::OpKind::Add, {X, Y}, I64); };
  auto Sub = [&](ir::ValueId X, ir::ValueId Y) { return B.create1(ir::OpKind::Sub, {X, Y}, I64); };
  auto Div = [&](ir::ValueId X, ir::ValueId Y) {
    return B.create1(ir::OpKind::FloorDiv, {X, Y}, I64);
  };

  if (Name == "gcd")
    return {emitGcd(Args[0], Args[1]), I64};
  if (Name == "lcm") { // |a // gcd(a, b) * b|, 0 when either is 0
    ir::ValueId G = emitGcd(Args[0], Args[1]);
    ir::ValueId R = entrySlot(I64, "lcm");
    B.store(B.constInt(0), R);
    ir::OpId If = B.create(ir::OpKind::If, {B.cmp("ne", G, B.constInt(0))}, {}, 2);
    inRegion(F->op(If).Regions[0], [&] {
      B.store(mathOp("abs", {Mul(Div(Args[0], G), Args[1])}, I64), R);
    });
    return {B.load(R), I64};
  }
  if (Name == "isqrt") { // from the double's estimate, corrected without overflow
    ir::ValueId N = Args[0];
    raiseIf(B.cmp("lt", N, B.constInt(0)), "ValueError", "isqrt() argument must be nonnegative");
    ir::ValueId R = entrySlot(I64, "isqrt");
    B.store(B.cast(mathOp("sqrt", {B.cast(N, Type::float64())}, Type::float64()), I64), R);
    // while r * r > n: r -= 1   (r > n // r for r > 0)
    ir::OpId W1 = B.create(ir::OpKind::While, {}, {}, 2);
    inRegion(F->op(W1).Regions[0], [&] {
      ir::ValueId RV = B.load(R);
      ir::ValueId Pos = B.cmp("gt", RV, B.constInt(0));
      ir::ValueId Safe = B.create1(ir::OpKind::Select, {Pos, RV, B.constInt(1)}, I64);
      ir::ValueId Big = B.cmp("gt", RV, Div(N, Safe));
      B.create(ir::OpKind::Condition, {B.create1(ir::OpKind::BitAnd, {Pos, Big}, Type::boolean())},
               {});
    });
    inRegion(F->op(W1).Regions[1], [&] { B.store(Sub(B.load(R), B.constInt(1)), R); });
    // while (r + 1) * (r + 1) <= n: r += 1   (r + 1 <= n // (r + 1))
    ir::OpId W2 = B.create(ir::OpKind::While, {}, {}, 2);
    inRegion(F->op(W2).Regions[0], [&] {
      ir::ValueId R1 = Add(B.load(R), B.constInt(1));
      B.create(ir::OpKind::Condition, {B.cmp("le", R1, Div(N, R1))}, {});
    });
    inRegion(F->op(W2).Regions[1], [&] { B.store(Add(B.load(R), B.constInt(1)), R); });
    return {B.load(R), I64};
  }
  if (Name == "factorial" || (Name == "perm" && Args.size() == 1)) {
    ir::ValueId N = Args[0];
    // (perm(n) is factorial(n), message included.)
    raiseIf(B.cmp("lt", N, B.constInt(0)), "ValueError",
            "factorial() not defined for negative values");
    ir::ValueId R = entrySlot(I64, "fact");
    B.store(B.constInt(1), R);
    emitCountedLoop(N, [&](ir::ValueId I) { // r *= i + 1
      B.store(Mul(B.load(R), Add(I, B.constInt(1))), R);
    });
    return {B.load(R), I64};
  }
  // comb(n, k) and perm(n, k)
  ir::ValueId N = Args[0], K = Args[1];
  raiseIf(B.cmp("lt", N, B.constInt(0)), "ValueError", "n must be a non-negative integer");
  raiseIf(B.cmp("lt", K, B.constInt(0)), "ValueError", "k must be a non-negative integer");
  ir::ValueId R = entrySlot(I64, Name.str());
  B.store(B.constInt(0), R);
  ir::OpId If = B.create(ir::OpKind::If, {B.cmp("le", K, N)}, {}, 2);
  inRegion(F->op(If).Regions[0], [&] {
    B.store(B.constInt(1), R);
    if (Name == "perm") { // (n - k + 1) * ... * n
      ir::ValueId Base = Sub(N, K);
      emitCountedLoop(K, [&](ir::ValueId I) {
        B.store(Mul(B.load(R), Add(Base, Add(I, B.constInt(1)))), R);
      });
      return;
    }
    // comb: k = min(k, n - k); r = r * (n - k + i) / i for i = 1..k, with
    // r / g and i / g first (g = gcd(r, i)): every value is a binomial
    // coefficient no larger than the result.
    ir::ValueId NK = Sub(N, K);
    ir::ValueId KK = B.create1(ir::OpKind::Select, {B.cmp("lt", NK, K), NK, K}, I64);
    ir::ValueId Base = Sub(N, KK);
    emitCountedLoop(KK, [&](ir::ValueId I0) {
      ir::ValueId I = Add(I0, B.constInt(1));
      ir::ValueId RV = B.load(R);
      ir::ValueId G = emitGcd(RV, I);
      ir::ValueId Num = Div(Add(Base, I), Div(I, G));
      B.store(Mul(Div(RV, G), Num), R);
    });
  });
  return {B.load(R), I64};
}

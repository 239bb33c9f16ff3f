//===- LowerComplex.cpp - Complex numbers: operators, builtins, cmath -----===//
//
// Python's complex is Kiln's complex128; NumPy's complex64 is a sized type
// (Promotion.cpp gives both their place in NumPy's promotion). Operators on
// Python complex numbers keep CPython's semantics (`+ - * / **`, `==`,
// `!=`; a zero divisor raises ZeroDivisionError, ordering is a TypeError,
// reported at compile time); `abs`, `.real`, `.imag`, `.conjugate()`,
// `complex(re, im)` and the cmath functions work on them.
//
//===----------------------------------------------------------------------===//

#include "frontend/LowerImpl.h"

using namespace kiln;
using namespace kiln::lower;

TypedValue FunctionLowerer::complexBinaryOp(ast::BinOpKind Op, TypedValue L, TypedValue R,
                                            SourceRange Site) {
  switch (Op) {
  case ast::BinOpKind::Add:
  case ast::BinOpKind::Sub:
  case ast::BinOpKind::Mul:
  case ast::BinOpKind::Div:
  case ast::BinOpKind::Pow:
    break;
  default:
    diag(DiagID::BadOperandTypes, Site, {ast::spelling(Op), pyTypeName(L.Ty), pyTypeName(R.Ty)});
    return bad();
  }
  Type T = Type::scalar(TypeKind::Complex128);
  ir::ValueId A = B.cast(L.V, T), C = B.cast(R.V, T);
  return {B.create1(arithKind(Op), {A, C}, T), T};
}

TypedValue FunctionLowerer::complexAttr(TypedValue Z, llvm::StringRef Attr) {
  Type Part = Z.Ty.complexPart();
  ir::ValueId R = mathOp(Attr, {Z.V}, Part);
  return {R, Part};
}

TypedValue FunctionLowerer::makeComplex(TypedValue Re, TypedValue Im, SourceRange Site) {
  for (TypedValue *V : {&Re, &Im})
    if (!V->Ty.isReal() && !V->Ty.isBool()) {
      diag(DiagID::TypeMismatch, Site, {"real numbers for `complex()`", pyTypeName(V->Ty)});
      return bad();
    }
  Type T = Type::scalar(TypeKind::Complex128);
  return {mathOp("complex", {B.cast(Re.V, Type::float64()), B.cast(Im.V, Type::float64())}, T),
          T};
}

TypedValue FunctionLowerer::lowerCMathCall(llvm::StringRef Name, const ast::CallExpr &E) {
  static const char *Unary[] = {"sqrt", "exp",  "log",  "log10", "sin",   "cos",
                                "tan",  "asin", "acos", "atan",  "sinh",  "cosh",
                                "tanh", "asinh", "acosh", "atanh", "phase", "polar",
                                "isnan", "isinf", "isfinite"};
  bool Known = Name == "rect";
  for (const char *U : Unary)
    Known |= Name == U;
  if (!Known) {
    diag(DiagID::UnsupportedCall, E.Func->Range, {"cmath." + Name.str()});
    return bad();
  }
  if (!E.Keywords.empty()) {
    diag(DiagID::BadKeyword, E.Keywords[0].Range, {"cmath." + Name.str(), E.Keywords[0].Name});
    return bad();
  }
  size_t Want = Name == "rect" ? 2 : 1;
  if (E.Args.size() != Want) {
    diag(DiagID::WrongArity, E.Range,
         {"cmath." + Name.str(), std::to_string(Want), std::to_string(E.Args.size())});
    return bad();
  }
  auto Lowered = lowerNumberArgs(E, "cmath." + Name.str());
  if (!Lowered)
    return bad();
  std::vector<TypedValue> &Args = *Lowered;
  Type C128 = Type::scalar(TypeKind::Complex128), F64 = Type::float64();
  if (Name == "rect") {
    // r * (cos(phi) + sin(phi) j), as CPython's rect for finite arguments.
    TypedValue R = convert(Args[0], F64, E.Args[0]->Range, "the modulus");
    TypedValue Phi = convert(Args[1], F64, E.Args[1]->Range, "the phase");
    if (!R.ok() || !Phi.ok())
      return bad();
    auto Mul = [&](ir::ValueId A, ir::ValueId C) {
      return TypedValue{B.create1(ir::OpKind::Mul, {A, C}, F64), F64};
    };
    return makeComplex(Mul(R.V, mathOp("cos", {Phi.V}, F64)),
                       Mul(R.V, mathOp("sin", {Phi.V}, F64)), E.Range);
  }
  ir::ValueId Z = B.cast(Args[0].V, C128); // a real argument is z + 0j
  if (Name == "isnan" || Name == "isinf" || Name == "isfinite")
    return {mathOp(Name, {Z}, Type::boolean()), Type::boolean()};
  if (Name == "phase")
    return {mathOp("phase", {Z}, F64), F64};
  if (Name == "polar") {
    Type T = Type::tuple({F64, F64});
    return {B.create1(ir::OpKind::TupleMake, {mathOp("abs", {Z}, F64), mathOp("phase", {Z}, F64)}, T),
            T};
  }
  return {mathOp(Name, {Z}, C128), C128};
}

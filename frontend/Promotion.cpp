//===- Promotion.cpp - NumPy's sized types: promotion and scalar ops ------===//
//
// Kiln's `int`, `float` and `complex` (int64, float64, complex128) are
// Python's numbers; NumPy's sized types (int8 ... uint64, float32,
// complex64) come from arrays, from annotations and from np.int32(x)-style
// calls. Where they meet, Kiln follows NumPy 2:
//
//   * two sized (or array) types promote as np.promote_types does
//     (int8 + uint8 -> int16, int64 + uint64 -> float64, int16 + float32 ->
//     float32, int32 + float32 -> float64);
//   * a Python int, float or complex is "weak" (NEP 50): it takes the other
//     operand's type (int8 + 1 -> int8, float32 * 2.0 -> float32, float32 *
//     1j -> complex64), except that a float with an integer gives float64
//     (a complex, complex128). A Python int that does not fit the
//     type raises NumPy's OverflowError ("Python integer 300 out of bounds
//     for int8").
//
// Kiln does not tell np.int64 from int: an element of an int64 or float64
// array is weak too (docs/language.md, deviations). Arithmetic on sized
// types has NumPy's semantics: it wraps and never raises (the IR's
// `numpy` attribute).
//
//===----------------------------------------------------------------------===//

#include "frontend/LowerImpl.h"

using namespace kiln;
using namespace kiln::lower;

bool lower::isWeak(Type T) {
  return T.isInt() || T.isFloat() || T.kind() == TypeKind::Complex128;
}

/// NumPy's promote_types for two types that are not weak.
static Type promoteStrong(Type A, Type B) {
  if (A == B)
    return A;
  if (A.isBool())
    return B;
  if (B.isBool())
    return A;
  if (A.isComplex() || B.isComplex()) {
    if (A.isComplex() && B.isComplex())
      return A.bitWidth() >= B.bitWidth() ? A : B;
    // complex64 stays with what float32 absorbs (int16, float32).
    Type C = A.isComplex() ? A : B, O = A.isComplex() ? B : A;
    return Type::complexOf(promoteStrong(C.complexPart(), O));
  }
  if (A.isFloating() && B.isFloating())
    return A.bitWidth() >= B.bitWidth() ? A : B;
  if (A.isFloating() || B.isFloating()) {
    Type Fl = A.isFloating() ? A : B, In = A.isFloating() ? B : A;
    if (Fl.isFloat32() && In.bitWidth() <= 16)
      return Fl;
    return Type::float64();
  }
  if (A.isUnsigned() == B.isUnsigned())
    return A.bitWidth() >= B.bitWidth() ? A : B;
  Type S = A.isUnsigned() ? B : A, U = A.isUnsigned() ? A : B;
  if (S.bitWidth() > U.bitWidth())
    return S;
  switch (U.bitWidth()) {
  case 8:
    return Type::scalar(TypeKind::Int16);
  case 16:
    return Type::scalar(TypeKind::Int32);
  case 32:
    return Type::int64();
  default:
    return Type::float64(); // int64 with uint64
  }
}

Type lower::promoteTypes(Type A, bool WeakA, Type B, bool WeakB) {
  if (!A.isScalar() || !B.isScalar())
    return Type();
  if (WeakA && WeakB) { // Python's int, float and complex: int < float < complex
    if (A.isComplex() || B.isComplex())
      return Type::scalar(TypeKind::Complex128);
    return (A.isFloat() || B.isFloat()) ? Type::float64() : Type::int64();
  }
  if (WeakA) {
    std::swap(A, B);
    std::swap(WeakA, WeakB);
  }
  if (!WeakB)
    return promoteStrong(A, B);
  // B is Python's int, float or complex; A is not weak.
  if (B.isInt())
    return A.isBool() ? Type::int64() : A;
  if (B.isFloat())
    return A.isFloating() || A.isComplex() ? A : Type::float64();
  if (A.isComplex())
    return A;
  return A.isFloat32() ? Type::complexOf(A) : B;
}

std::pair<int64_t, int64_t> lower::int64RangeOf(Type T) {
  unsigned W = T.bitWidth();
  if (T.isUnsigned())
    return {0, W == 64 ? INT64_MAX : (int64_t(1) << W) - 1};
  return {W == 64 ? INT64_MIN : -(int64_t(1) << (W - 1)),
          W == 64 ? INT64_MAX : (int64_t(1) << (W - 1)) - 1};
}

TypedValue FunctionLowerer::castScalar(TypedValue V, Type To, SourceRange Site) {
  if (!V.ok() || V.Ty == To)
    return V;
  if (V.Ty.isNone() || !V.Ty.isScalar()) {
    diag(DiagID::TypeMismatch, Site, {"a number (`" + pyTypeName(To) + "`)", pyTypeName(V.Ty)});
    return bad();
  }
  if (V.Ty.isComplex() && !To.isComplex()) {
    // Python's TypeError; NumPy's ComplexWarning would drop the imaginary part.
    diag(DiagID::TypeMismatch, Site, {"a real number (`" + pyTypeName(To) + "`)", pyTypeName(V.Ty)});
    return bad();
  }
  if (V.Ty.isInt() && To.isInteger() && To.isSized()) {
    // NEP 50: a Python int must fit the type it takes.
    auto [Lo, Hi] = int64RangeOf(To);
    bool Known = false;
    if (ir::OpId D = F->definingOp(V.V); D.isValid() && F->op(D).Kind == ir::OpKind::Const) {
      int64_t C = F->op(D).Attrs.getInt("value");
      Known = C >= Lo && C <= Hi;
    }
    if (!Known) {
      ir::ValueId Out = B.create1(ir::OpKind::BitOr,
                                  {B.cmp("lt", V.V, B.constInt(Lo)), B.cmp("gt", V.V, B.constInt(Hi))},
                                  Type::boolean());
      raiseFmtIf(Out, "OverflowError", "Python integer {} out of bounds for " + To.str(), {V.V});
    }
  }
  return {B.cast(V.V, To), To};
}

TypedValue FunctionLowerer::asIndex(TypedValue V) {
  if (!V.ok() || V.Ty.isInt() || !V.Ty.isInteger())
    return V;
  return toPythonInt(V);
}

TypedValue FunctionLowerer::toPythonInt(TypedValue V) {
  if (V.Ty.kind() == TypeKind::UInt64) {
    // Kiln's int is 64-bit: a uint64 from 2**63 up does not fit (as an
    // int64 result that does not fit, it raises rather than wraps).
    ir::ValueId Max = B.create1(ir::OpKind::Const, {}, V.Ty);
    F->op(F->definingOp(Max)).Attrs.set("value", (int64_t)INT64_MAX);
    ir::ValueId Big = B.cmp("gt", V.V, Max);
    raiseIf(Big, "OverflowError", "integer overflow: the result does not fit in int64");
  }
  return {B.cast(V.V, Type::int64()), Type::int64()};
}

TypedValue FunctionLowerer::sizedBinaryOp(ast::BinOpKind Op, TypedValue L, TypedValue R,
                                          SourceRange Site) {
  Type T = promoteTypes(L.Ty, isWeak(L.Ty), R.Ty, isWeak(R.Ty));
  if (!T.isValid()) {
    diag(DiagID::BadOperandTypes, Site, {ast::spelling(Op), pyTypeName(L.Ty), pyTypeName(R.Ty)});
    return bad();
  }
  switch (Op) {
  case ast::BinOpKind::Div:
    if (!T.isFloating() && !T.isComplex())
      T = Type::float64(); // NumPy's true_divide of integers
    break;
  case ast::BinOpKind::FloorDiv:
  case ast::BinOpKind::Mod:
    if (T.isComplex()) {
      diag(DiagID::BadOperandTypes, Site,
           {ast::spelling(Op), pyTypeName(L.Ty), pyTypeName(R.Ty)});
      return bad();
    }
    break;
  case ast::BinOpKind::BitAnd:
  case ast::BinOpKind::BitOr:
  case ast::BinOpKind::BitXor:
  case ast::BinOpKind::LShift:
  case ast::BinOpKind::RShift:
    if (T.isFloating() || T.isComplex()) {
      diag(DiagID::BadOperandTypes, Site,
           {ast::spelling(Op), pyTypeName(L.Ty), pyTypeName(R.Ty)});
      return bad();
    }
    break;
  case ast::BinOpKind::MatMul:
    diag(DiagID::BadOperandTypes, Site, {ast::spelling(Op), pyTypeName(L.Ty), pyTypeName(R.Ty)});
    return bad();
  default:
    break;
  }
  ir::ValueId A = castScalar(L, T, Site).V, C = castScalar(R, T, Site).V;
  ir::ValueId V = B.create1(arithKind(Op), {A, C}, T);
  F->op(F->definingOp(V)).Attrs.set("numpy", true);
  return {V, T};
}

TypedValue FunctionLowerer::sizedCompare(llvm::StringRef Pred, TypedValue L, TypedValue R,
                                         SourceRange Site) {
  Type Bool = Type::boolean();
  if (L.Ty.isInteger() && R.Ty.isInteger() && L.Ty.isUnsigned() != R.Ty.isUnsigned() &&
      (L.Ty.kind() == TypeKind::UInt64 || R.Ty.kind() == TypeKind::UInt64)) {
    // uint64 against a signed integer, exactly: a negative one is smaller.
    bool SignedLeft = !L.Ty.isUnsigned();
    TypedValue S = SignedLeft ? L : R;
    ir::ValueId Neg = B.cmp("lt", B.cast(S.V, Type::int64()), B.constInt(0));
    Type U64 = Type::scalar(TypeKind::UInt64);
    ir::ValueId Cmp = B.cmp(Pred, B.cast(L.V, U64), B.cast(R.V, U64));
    // With S < 0: S < U, S <= U and S != U hold; the others do not.
    bool SLess = Pred == "lt" || Pred == "le" || Pred == "ne";
    bool SGreater = Pred == "gt" || Pred == "ge" || Pred == "ne";
    ir::ValueId IfNeg = B.constBool(SignedLeft ? SLess : SGreater);
    return {B.create1(ir::OpKind::Select, {Neg, IfNeg, Cmp}, Bool), Bool};
  }
  Type T;
  if (L.Ty.isInteger() && R.Ty.isInteger())
    // Exactly, in a type that holds both (NumPy 2 compares Python ints exactly).
    T = (L.Ty.kind() == TypeKind::UInt64 || R.Ty.kind() == TypeKind::UInt64)
            ? Type::scalar(TypeKind::UInt64) // both unsigned here
            : Type::int64();
  else
    T = promoteTypes(L.Ty, isWeak(L.Ty), R.Ty, isWeak(R.Ty));
  if (!T.isValid())
    return bad();
  (void)Site;
  return {B.cmp(Pred, B.cast(L.V, T), B.cast(R.V, T)), Bool};
}

ir::ValueId FunctionLowerer::typedConst(Type T, double V) {
  if (T.isBool())
    return B.constBool(V != 0);
  if (T.isComplex()) // V + 0j
    return mathOp("complex", {typedConst(T.complexPart(), V), typedConst(T.complexPart(), 0)}, T);
  ir::ValueId R = B.create1(ir::OpKind::Const, {}, T);
  if (T.isFloating())
    F->op(F->definingOp(R)).Attrs.set("value", V);
  else
    F->op(F->definingOp(R)).Attrs.set("value", (int64_t)V);
  return R;
}

//===- LowerComplex.cpp - Complex arithmetic and cmath to LLVM ------------===//
//
// A complex value is the struct {re, im} of two doubles (complex128,
// Python's complex) or two floats (complex64), laid out as NumPy stores
// them. Arithmetic follows CPython 3.11 bit for bit: the textbook product,
// Smith's quotient with ZeroDivisionError "complex division by zero"; with
// the `numpy` attribute, NumPy's quotient (which multiplies by a reciprocal,
// and gives inf/nan for a zero divisor). `**` and the cmath functions call
// the runtime (runtime/complex.c).
//
//===----------------------------------------------------------------------===//

#include "codegen/Lowering.h"
#include "kiln/runtime.h"

using namespace kiln;
using namespace kiln::codegen;
using namespace llvm;
using ir::OpData;
using ir::OpKind;

namespace {
struct Parts {
  Value *Re, *Im;
};
} // namespace

static Parts split(IRBuilder<> &B, Value *Z) {
  return {B.CreateExtractValue(Z, 0), B.CreateExtractValue(Z, 1)};
}

static Value *join(IRBuilder<> &B, llvm::Type *T, Value *Re, Value *Im) {
  Value *Z = PoisonValue::get(T);
  Z = B.CreateInsertValue(Z, Re, 0);
  return B.CreateInsertValue(Z, Im, 1);
}

/// A buffer of two doubles at the function's entry, for the runtime's out
/// parameters.
static Value *outPair(IRBuilder<> &B) {
  llvm::Function *Fn = B.GetInsertBlock()->getParent();
  IRBuilder<> EB(&Fn->getEntryBlock(), Fn->getEntryBlock().begin());
  return EB.CreateAlloca(ArrayType::get(B.getDoubleTy(), 2), nullptr, "cpx.out");
}

Value *FunctionLowering::toComplex(Value *V, Type From, Type To) {
  Type Part = To.complexPart();
  if (From.isComplex()) {
    Parts P = split(B, V);
    return join(B, ty(To), B.CreateFPCast(P.Re, ty(Part)), B.CreateFPCast(P.Im, ty(Part)));
  }
  return join(B, ty(To), cast(V, From, Part), ConstantFP::get(ty(Part), 0.0));
}

Value *FunctionLowering::complexBinary(OpKind K, Value *A, Value *C, Type T, bool NumPy) {
  llvm::Type *PT = ty(T.complexPart());
  Parts X = split(B, A), Y = split(B, C);
  switch (K) {
  case OpKind::Add:
    return join(B, ty(T), B.CreateFAdd(X.Re, Y.Re), B.CreateFAdd(X.Im, Y.Im));
  case OpKind::Sub:
    return join(B, ty(T), B.CreateFSub(X.Re, Y.Re), B.CreateFSub(X.Im, Y.Im));
  case OpKind::Mul:
    return join(B, ty(T), B.CreateFSub(B.CreateFMul(X.Re, Y.Re), B.CreateFMul(X.Im, Y.Im)),
                B.CreateFAdd(B.CreateFMul(X.Re, Y.Im), B.CreateFMul(X.Im, Y.Re)));
  case OpKind::Div: {
    Value *AbsR = unaryIntrinsic(Intrinsic::fabs, Y.Re);
    Value *AbsI = unaryIntrinsic(Intrinsic::fabs, Y.Im);
    Value *Zero = ConstantFP::get(PT, 0.0), *One = ConstantFP::get(PT, 1.0);
    Value *RealBig = B.CreateFCmpOGE(AbsR, AbsI);
    Value *ImagBig = B.CreateFCmpOGE(AbsI, AbsR);
    Value *Re, *Im;
    if (!NumPy) {
      // CPython's _Py_c_quot.
      raiseIf(B.CreateAnd(RealBig, B.CreateFCmpOEQ(AbsR, Zero)), "ZeroDivisionError",
              "complex division by zero");
      Value *R1 = B.CreateFDiv(Y.Im, Y.Re);
      Value *D1 = B.CreateFAdd(Y.Re, B.CreateFMul(Y.Im, R1));
      Value *Re1 = B.CreateFDiv(B.CreateFAdd(X.Re, B.CreateFMul(X.Im, R1)), D1);
      Value *Im1 = B.CreateFDiv(B.CreateFSub(X.Im, B.CreateFMul(X.Re, R1)), D1);
      Value *R2 = B.CreateFDiv(Y.Re, Y.Im);
      Value *D2 = B.CreateFAdd(B.CreateFMul(Y.Re, R2), Y.Im);
      Value *Re2 = B.CreateFDiv(B.CreateFAdd(B.CreateFMul(X.Re, R2), X.Im), D2);
      Value *Im2 = B.CreateFDiv(B.CreateFSub(B.CreateFMul(X.Im, R2), X.Re), D2);
      Value *NaN = ConstantFP::getNaN(PT);
      Re = B.CreateSelect(RealBig, Re1, B.CreateSelect(ImagBig, Re2, NaN));
      Im = B.CreateSelect(RealBig, Im1, B.CreateSelect(ImagBig, Im2, NaN));
    } else {
      // NumPy's complex divide loop.
      Value *ZeroDiv = B.CreateAnd(B.CreateFCmpOEQ(AbsR, Zero), B.CreateFCmpOEQ(AbsI, Zero));
      Value *R1 = B.CreateFDiv(Y.Im, Y.Re);
      Value *S1 = B.CreateFDiv(One, B.CreateFAdd(Y.Re, B.CreateFMul(Y.Im, R1)));
      Value *Re1 = B.CreateFMul(B.CreateFAdd(X.Re, B.CreateFMul(X.Im, R1)), S1);
      Value *Im1 = B.CreateFMul(B.CreateFSub(X.Im, B.CreateFMul(X.Re, R1)), S1);
      Re1 = B.CreateSelect(ZeroDiv, B.CreateFDiv(X.Re, AbsR), Re1);
      Im1 = B.CreateSelect(ZeroDiv, B.CreateFDiv(X.Im, AbsR), Im1);
      Value *R2 = B.CreateFDiv(Y.Re, Y.Im);
      Value *S2 = B.CreateFDiv(One, B.CreateFAdd(Y.Im, B.CreateFMul(Y.Re, R2)));
      Value *Re2 = B.CreateFMul(B.CreateFAdd(B.CreateFMul(X.Re, R2), X.Im), S2);
      Value *Im2 = B.CreateFMul(B.CreateFSub(B.CreateFMul(X.Im, R2), X.Re), S2);
      Re = B.CreateSelect(RealBig, Re1, Re2);
      Im = B.CreateSelect(RealBig, Im1, Im2);
    }
    return join(B, ty(T), Re, Im);
  }
  case OpKind::Pow: {
    FunctionCallee Pow = ML.LM.getOrInsertFunction(
        "kiln_cpow", FunctionType::get(B.getInt32Ty(),
                                       {B.getDoubleTy(), B.getDoubleTy(), B.getDoubleTy(),
                                        B.getDoubleTy(), B.getInt32Ty(), B.getPtrTy()},
                                       false));
    Value *Out = outPair(B);
    auto D = [&](Value *V) { return B.CreateFPExt(V, B.getDoubleTy()); };
    Value *St = B.CreateCall(Pow, {D(X.Re), D(X.Im), D(Y.Re), D(Y.Im), B.getInt32(NumPy), Out});
    failIf(B.CreateICmpNE(St, B.getInt32(0)));
    return fromOutPair(Out, T);
  }
  default:
    return unsupported(Twine("`") + ir::opInfo(K).Name + "` on complex numbers", ty(T));
  }
}

Value *FunctionLowering::fromOutPair(Value *Out, Type T) {
  llvm::Type *PT = ty(T.complexPart());
  Value *Re = B.CreateLoad(B.getDoubleTy(), B.CreateConstInBoundsGEP1_32(B.getDoubleTy(), Out, 0));
  Value *Im = B.CreateLoad(B.getDoubleTy(), B.CreateConstInBoundsGEP1_32(B.getDoubleTy(), Out, 1));
  return join(B, ty(T), B.CreateFPTrunc(Re, PT), B.CreateFPTrunc(Im, PT));
}

Value *FunctionLowering::complexCmp(StringRef Pred, Value *A, Value *C) {
  Parts X = split(B, A), Y = split(B, C);
  if (Pred == "eq")
    return B.CreateAnd(B.CreateFCmpOEQ(X.Re, Y.Re), B.CreateFCmpOEQ(X.Im, Y.Im));
  if (Pred == "ne")
    return B.CreateOr(B.CreateFCmpUNE(X.Re, Y.Re), B.CreateFCmpUNE(X.Im, Y.Im));
  return unsupported("ordering of complex numbers", B.getInt1Ty());
}

Value *FunctionLowering::complexMath(StringRef Fn, Type RT, ArrayRef<Value *> Ins,
                                     ArrayRef<Type> InTys, bool NumPy) {
  if (Fn == "complex") { // complex(re, im) of two real numbers
    Type Part = RT.complexPart();
    return join(B, ty(RT), cast(Ins[0], InTys[0], Part), cast(Ins[1], InTys[1], Part));
  }
  Type T = InTys[0];
  if (!T.isComplex())
    return unsupported("math `" + Fn + "` of `" + T.str() + "` giving complex", ty(RT));
  Parts Z = split(B, Ins[0]);
  Type Part = T.complexPart();
  if (Fn == "real" || Fn == "imag")
    return cast(Fn == "real" ? Z.Re : Z.Im, Part, RT);
  if (Fn == "conj")
    return join(B, ty(T), Z.Re, B.CreateFNeg(Z.Im));
  auto D = [&](Value *V) { return B.CreateFPExt(V, B.getDoubleTy()); };
  if (Fn == "abs") {
    Value *R = B.CreateCall(ML.libmFn("hypot", 2), {D(Z.Re), D(Z.Im)});
    if (!NumPy)
      raiseIf(B.CreateAnd(isInf(R), B.CreateAnd(isFinite(D(Z.Re)), isFinite(D(Z.Im)))),
              "OverflowError", "absolute value too large");
    return cast(R, Type::float64(), RT);
  }
  if (Fn == "phase")
    return cast(B.CreateCall(ML.libmFn("atan2", 2), {D(Z.Im), D(Z.Re)}), Type::float64(), RT);
  if (Fn == "isnan")
    return B.CreateOr(isNaN(Z.Re), isNaN(Z.Im));
  if (Fn == "isinf")
    return B.CreateOr(isInf(Z.Re), isInf(Z.Im));
  if (Fn == "isfinite")
    return B.CreateAnd(isFinite(Z.Re), isFinite(Z.Im));
  static const std::pair<const char *, int> CMath[] = {
      {"sqrt", KILN_CMATH_SQRT},   {"exp", KILN_CMATH_EXP},     {"log", KILN_CMATH_LOG},
      {"log10", KILN_CMATH_LOG10}, {"sin", KILN_CMATH_SIN},     {"cos", KILN_CMATH_COS},
      {"tan", KILN_CMATH_TAN},     {"asin", KILN_CMATH_ASIN},   {"acos", KILN_CMATH_ACOS},
      {"atan", KILN_CMATH_ATAN},   {"sinh", KILN_CMATH_SINH},   {"cosh", KILN_CMATH_COSH},
      {"tanh", KILN_CMATH_TANH},   {"asinh", KILN_CMATH_ASINH}, {"acosh", KILN_CMATH_ACOSH},
      {"atanh", KILN_CMATH_ATANH}};
  for (auto &[Name, Code] : CMath) {
    if (Fn != Name)
      continue;
    FunctionCallee C = ML.LM.getOrInsertFunction(
        "kiln_cmath",
        FunctionType::get(B.getInt32Ty(),
                          {B.getInt32Ty(), B.getDoubleTy(), B.getDoubleTy(), B.getInt32Ty(),
                           B.getPtrTy()},
                          false));
    Value *Out = outPair(B);
    Value *St = B.CreateCall(C, {B.getInt32(Code), D(Z.Re), D(Z.Im), B.getInt32(NumPy), Out});
    failIf(B.CreateICmpNE(St, B.getInt32(0)));
    return fromOutPair(Out, RT);
  }
  return unsupported("math `" + Fn + "` of complex numbers", ty(RT));
}

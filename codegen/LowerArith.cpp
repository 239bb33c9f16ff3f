//===- LowerArith.cpp - Kiln IR arithmetic, casts and math to LLVM --------===//
//
// Scalar ops with Python's semantics, including its exceptions:
//
//   * int64 add/sub/mul/neg/pow/shl check overflow (llvm.*.with.overflow)
//     and raise OverflowError: Kiln's ints are 64-bit, so a result CPython
//     would widen is an error, never a silent wrap;
//   * `//` and `%` floor for every sign, for ints and floats; float results
//     replicate CPython's float_divmod bit for bit (signed zeros included);
//   * float `**` follows CPython's float_pow, math functions its math_1 /
//     math_2 error rules ("math domain error", "math range error");
//   * float -> int conversions raise on NaN, infinities and out-of-range.
//
// Every check is a branch to a cold block, so the fast path stays straight
// line code; most checks are select-free compares that LLVM hoists or folds.
// LLVM intrinsics are used wherever one exists (no errno, vectorisable);
// the few libm functions without one are declared memory(none).
//
//===----------------------------------------------------------------------===//

#include "codegen/Lowering.h"
#include "llvm/IR/MDBuilder.h"
#include "llvm/IR/Intrinsics.h"
#include <cmath>
#include <cstdint>
#include <limits>

using namespace kiln;
using namespace kiln::codegen;
using namespace llvm;
using ir::OpData;
using ir::OpKind;

// CPython 3.11's long_div / long_mod messages (they differ).
static constexpr const char *IntDivZeroMsg = "integer division or modulo by zero";
static constexpr const char *IntModZeroMsg = "integer modulo by zero";

Value *FunctionLowering::lowerConst(const OpData &Op) {
  Type RT = F.typeOf(Op.Results[0]);
  const ir::AttrValue *V = Op.Attrs.get("value");
  assert(V && "const without a value");
  double D = 0;
  int64_t I = 0;
  if (auto *P = std::get_if<int64_t>(V)) {
    I = *P;
    D = static_cast<double>(*P);
  } else if (auto *P = std::get_if<double>(V)) {
    D = *P;
    I = static_cast<int64_t>(*P);
  } else if (auto *P = std::get_if<bool>(V)) {
    I = *P;
    D = *P;
  } else {
    return unsupported("const of a non-numeric attribute", ty(RT));
  }
  if (RT.isFloating())
    return ConstantFP::get(ty(RT), D);
  if (RT.isInteger())
    return ConstantInt::get(ty(RT), I, /*IsSigned=*/!RT.isUnsigned());
  if (RT.isBool())
    return B.getInt1(I != 0);
  return unsupported("const of type `" + RT.str() + "`", ty(RT));
}

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

Value *FunctionLowering::unaryIntrinsic(Intrinsic::ID ID, Value *X) {
  return B.CreateUnaryIntrinsic(ID, X);
}

Value *FunctionLowering::binaryIntrinsic(Intrinsic::ID ID, Value *X, Value *Y) {
  return B.CreateBinaryIntrinsic(ID, X, Y);
}

Value *FunctionLowering::isNaN(Value *X) { return B.CreateFCmpUNO(X, X, "isnan"); }

Value *FunctionLowering::isInf(Value *X) {
  return B.CreateFCmpOEQ(unaryIntrinsic(Intrinsic::fabs, X),
                         ConstantFP::getInfinity(X->getType()), "isinf");
}

Value *FunctionLowering::isFinite(Value *X) {
  return B.CreateFCmpOLT(unaryIntrinsic(Intrinsic::fabs, X),
                         ConstantFP::getInfinity(X->getType()), "isfinite");
}

Value *FunctionLowering::toDouble(Value *V, Type From) {
  if (From.isFloating())
    return B.CreateFPExt(V, B.getDoubleTy());
  if (From.isInteger() && !From.isUnsigned())
    return B.CreateSIToFP(V, B.getDoubleTy());
  return B.CreateUIToFP(V, B.getDoubleTy());
}

//===----------------------------------------------------------------------===//
// Dispatch
//===----------------------------------------------------------------------===//

void FunctionLowering::lowerArith(const OpData &Op) {
  Type RT = F.typeOf(Op.Results[0]);
  auto Opnd = [&](unsigned I) { return val(Op.Operands[I]); };
  auto OpTy = [&](unsigned I) { return F.typeOf(Op.Operands[I]); };
  Value *R = nullptr;
  // Complex numbers (LowerComplex.cpp).
  if (OpTy(0).isComplex() && Op.Kind != OpKind::Cast && Op.Kind != OpKind::Math) {
    bool NumPy = Op.Attrs.has("numpy");
    if (Op.Kind == OpKind::Cmp)
      R = complexCmp(Op.Attrs.getStr("pred"), Opnd(0), Opnd(1));
    else if (Op.Kind == OpKind::Neg)
      R = B.CreateInsertValue(
          B.CreateInsertValue(Opnd(0), B.CreateFNeg(B.CreateExtractValue(Opnd(0), 0)), 0),
          B.CreateFNeg(B.CreateExtractValue(Opnd(0), 1)), 1);
    else
      R = complexBinary(Op.Kind, Opnd(0), Opnd(1), RT, NumPy);
    setVal(Op.Results[0], R ? R : PoisonValue::get(ty(RT)));
    return;
  }
  // NumPy's sized types have their own rules (no Python exceptions).
  if (OpTy(0).isSized() && Op.Kind != OpKind::Cmp && Op.Kind != OpKind::Cast &&
      Op.Kind != OpKind::Math && Op.Kind != OpKind::Invert) {
    R = sizedBinary(Op.Kind, Opnd(0), Op.Operands.size() > 1 ? Opnd(1) : nullptr, OpTy(0));
    setVal(Op.Results[0], R ? R : PoisonValue::get(ty(RT)));
    return;
  }
  switch (Op.Kind) {
  case OpKind::Add:
  case OpKind::Sub:
  case OpKind::Mul:
  case OpKind::Div:
  case OpKind::FloorDiv:
  case OpKind::Mod:
  case OpKind::Pow:
  case OpKind::BitAnd:
  case OpKind::BitOr:
  case OpKind::BitXor:
  case OpKind::Shl:
  case OpKind::Shr:
    if (OpTy(0).isFloat())
      R = floatBinary(Op.Kind, Opnd(0), Opnd(1), Op.Attrs);
    else
      R = intBinary(Op.Kind, Opnd(0), Opnd(1), Op.Attrs);
    break;
  case OpKind::Neg:
    if (OpTy(0).isFloat()) {
      R = B.CreateFNeg(Opnd(0));
    } else {
      Value *X = Opnd(0);
      if (Op.Attrs.has("numpy")) {
        R = B.CreateNeg(X); // NumPy wraps
        break;
      }
      raiseIf(B.CreateICmpEQ(X, B.getInt64(std::numeric_limits<int64_t>::min())),
              "OverflowError", IntOverflowMsg);
      R = B.CreateNSWNeg(X);
    }
    break;
  case OpKind::Invert:
  case OpKind::Not:
    R = B.CreateNot(Opnd(0));
    break;
  case OpKind::Cmp:
    R = cmp(Op.Attrs.getStr("pred"), OpTy(0), Opnd(0), Opnd(1));
    break;
  case OpKind::Select:
    R = B.CreateSelect(Opnd(0), Opnd(1), Opnd(2));
    break;
  case OpKind::Cast:
    R = cast(Opnd(0), OpTy(0), RT);
    break;
  case OpKind::Math:
    R = lowerMath(Op);
    break;
  default:
    llvm_unreachable("not an arithmetic op");
  }
  setVal(Op.Results[0], R ? R : PoisonValue::get(ty(RT)));
}

//===----------------------------------------------------------------------===//
// Integer arithmetic
//===----------------------------------------------------------------------===//

Value *FunctionLowering::intBinary(OpKind K, Value *A, Value *Bv, const ir::AttrList &Attrs) {
  IntegerType *I64 = B.getInt64Ty();
  auto C = [&](int64_t V) { return ConstantInt::get(I64, V); };
  auto WithOverflow = [&](Intrinsic::ID ID) {
    Value *Pair = B.CreateBinaryIntrinsic(ID, A, Bv);
    raiseIf(B.CreateExtractValue(Pair, 1), "OverflowError", IntOverflowMsg);
    return B.CreateExtractValue(Pair, 0);
  };
  // `no_overflow`: a pass proved the result fits (passes/Counters.cpp).
  bool NoOverflow = Attrs.has("no_overflow");
  // `numpy`: an array element, with NumPy's semantics: wrap on overflow,
  // a zero divisor gives 0.
  bool NumPy = Attrs.has("numpy");
  if (NumPy && (K == OpKind::Add || K == OpKind::Sub || K == OpKind::Mul))
    return B.CreateBinOp(K == OpKind::Add   ? Instruction::Add
                         : K == OpKind::Sub ? Instruction::Sub
                                            : Instruction::Mul,
                         A, Bv);
  if (NumPy && (K == OpKind::FloorDiv || K == OpKind::Mod))
    return intNumPyDivMod(K, A, Bv);
  switch (K) {
  case OpKind::Add:
    if (NoOverflow)
      return B.CreateNSWAdd(A, Bv);
    return WithOverflow(Intrinsic::sadd_with_overflow);
  case OpKind::Sub:
    if (NoOverflow)
      return B.CreateNSWSub(A, Bv);
    return WithOverflow(Intrinsic::ssub_with_overflow);
  case OpKind::Mul:
    return WithOverflow(Intrinsic::smul_with_overflow);
  case OpKind::BitAnd:
    return B.CreateAnd(A, Bv);
  case OpKind::BitOr:
    return B.CreateOr(A, Bv);
  case OpKind::BitXor:
    return B.CreateXor(A, Bv);
  case OpKind::FloorDiv: {
    raiseIf(B.CreateICmpEQ(Bv, C(0)), "ZeroDivisionError", IntDivZeroMsg);
    raiseIf(B.CreateAnd(B.CreateICmpEQ(A, C(std::numeric_limits<int64_t>::min())),
                        B.CreateICmpEQ(Bv, C(-1))),
            "OverflowError", IntOverflowMsg);
    // C truncates; Python floors: q -= 1 when the remainder is non-zero
    // and its sign differs from the divisor's.
    Value *Q = B.CreateSDiv(A, Bv);
    Value *Rem = B.CreateSRem(A, Bv);
    Value *Adjust = B.CreateAnd(B.CreateICmpNE(Rem, C(0)),
                                B.CreateICmpSLT(B.CreateXor(Rem, Bv), C(0)));
    return B.CreateSub(Q, B.CreateZExt(Adjust, I64));
  }
  case OpKind::Mod: {
    raiseIf(B.CreateICmpEQ(Bv, C(0)), "ZeroDivisionError", IntModZeroMsg);
    // x % -1 == 0 for every x; INT64_MIN srem -1 would trap.
    Value *SafeB = B.CreateSelect(B.CreateICmpEQ(Bv, C(-1)), C(1), Bv);
    Value *Rem = B.CreateSRem(A, SafeB);
    Value *Adjust = B.CreateAnd(B.CreateICmpNE(Rem, C(0)),
                                B.CreateICmpSLT(B.CreateXor(Rem, Bv), C(0)));
    return B.CreateSelect(Adjust, B.CreateAdd(Rem, Bv), Rem);
  }
  case OpKind::Pow:
    if (NumPy) {
      raiseIf(B.CreateICmpSLT(Bv, C(0)), "ValueError",
              "Integers to negative integer powers are not allowed.");
      return wrappingPow(A, Bv);
    }
    return intPow(A, Bv);
  case OpKind::Shl: {
    raiseIf(B.CreateICmpSLT(Bv, C(0)), "ValueError", "negative shift count");
    // Shifting by 64 or more overflows unless A is 0; otherwise the shift
    // overflowed iff shifting back does not give A.
    Value *Big = B.CreateICmpSGT(Bv, C(63));
    Value *Amt = B.CreateSelect(Big, C(0), Bv);
    Value *R = B.CreateShl(A, Amt);
    Value *Ov = B.CreateSelect(Big, B.CreateICmpNE(A, C(0)),
                               B.CreateICmpNE(B.CreateAShr(R, Amt), A));
    raiseIf(Ov, "OverflowError", IntOverflowMsg);
    return R;
  }
  case OpKind::Shr: {
    raiseIf(B.CreateICmpSLT(Bv, C(0)), "ValueError", "negative shift count");
    Value *Amt = B.CreateSelect(B.CreateICmpSGT(Bv, C(63)), C(63), Bv);
    return B.CreateAShr(A, Amt);
  }
  case OpKind::Div: {
    // The frontend converts int operands of `/` to float64; accept ints anyway.
    Value *FA = B.CreateSIToFP(A, B.getDoubleTy());
    Value *FB = B.CreateSIToFP(Bv, B.getDoubleTy());
    return floatBinary(K, FA, FB, Attrs);
  }
  default:
    llvm_unreachable("not an integer binary op");
  }
}

Value *FunctionLowering::intNumPyDivMod(OpKind K, Value *A, Value *Bv) {
  auto *IT = llvm::cast<IntegerType>(A->getType());
  auto C = [&](int64_t V) { return ConstantInt::get(IT, V, /*IsSigned=*/true); };
  // MIN // -1 wraps to MIN, which is also MIN // 1.
  Value *Zero = B.CreateICmpEQ(Bv, C(0));
  Value *Wraps = B.CreateAnd(B.CreateICmpEQ(A, ConstantInt::get(IT, APInt::getSignedMinValue(
                                                                        IT->getBitWidth()))),
                             B.CreateICmpEQ(Bv, C(-1)));
  Value *SafeB = B.CreateSelect(B.CreateOr(Zero, Wraps), C(1), Bv);
  Value *Rem = B.CreateSRem(A, SafeB);
  Value *Adjust = B.CreateAnd(B.CreateICmpNE(Rem, C(0)),
                              B.CreateICmpSLT(B.CreateXor(Rem, SafeB), C(0)));
  Value *R = K == OpKind::Mod ? B.CreateSelect(Adjust, B.CreateAdd(Rem, SafeB), Rem)
                              : B.CreateSub(B.CreateSDiv(A, SafeB), B.CreateZExt(Adjust, IT));
  return B.CreateSelect(Zero, C(0), R);
}

Value *FunctionLowering::wrappingPow(Value *A, Value *Bv) {
  auto *IT = llvm::cast<IntegerType>(A->getType());
  // A small constant exponent: repeated squaring, unrolled.
  if (auto *CE = dyn_cast<ConstantInt>(Bv); CE && CE->getZExtValue() <= 64) {
    uint64_t E = CE->getZExtValue();
    Value *Result = ConstantInt::get(IT, 1);
    Value *Base = A;
    while (E) {
      if (E & 1)
        Result = B.CreateMul(Result, Base);
      E >>= 1;
      if (E)
        Base = B.CreateMul(Base, Base);
    }
    return Result;
  }
  // result = 1; while (e) { if (e & 1) result *= b; b *= b; e >>= 1; }
  BasicBlock *Entry = B.GetInsertBlock();
  BasicBlock *Loop = newBlock("wpow.loop");
  BasicBlock *Body = newBlock("wpow.body");
  BasicBlock *Done = newBlock("wpow.done");
  B.CreateBr(Loop);
  B.SetInsertPoint(Loop);
  PHINode *R = B.CreatePHI(IT, 2, "result");
  PHINode *Bs = B.CreatePHI(IT, 2, "b");
  PHINode *E = B.CreatePHI(IT, 2, "e");
  R->addIncoming(ConstantInt::get(IT, 1), Entry);
  Bs->addIncoming(A, Entry);
  E->addIncoming(Bv, Entry);
  B.CreateCondBr(B.CreateICmpEQ(E, ConstantInt::get(IT, 0)), Done, Body);
  B.SetInsertPoint(Body);
  Value *Odd = B.CreateTrunc(E, B.getInt1Ty());
  R->addIncoming(B.CreateSelect(Odd, B.CreateMul(R, Bs), R), Body);
  Bs->addIncoming(B.CreateMul(Bs, Bs), Body);
  E->addIncoming(B.CreateLShr(E, 1), Body);
  B.CreateBr(Loop);
  B.SetInsertPoint(Done);
  return R;
}

Value *FunctionLowering::sizedBinary(OpKind K, Value *A, Value *Bv, Type T) {
  if (T.isFloat32()) {
    switch (K) {
    case OpKind::Add:
      return B.CreateFAdd(A, Bv);
    case OpKind::Sub:
      return B.CreateFSub(A, Bv);
    case OpKind::Mul:
      return B.CreateFMul(A, Bv);
    case OpKind::Div:
      return B.CreateFDiv(A, Bv);
    case OpKind::Neg:
      return B.CreateFNeg(A);
    case OpKind::FloorDiv:
    case OpKind::Mod:
    case OpKind::Pow: {
      // Computed in float64 and rounded once; see docs/ir.md.
      Value *R = floatNumPyBinary(K, B.CreateFPExt(A, B.getDoubleTy()),
                                  B.CreateFPExt(Bv, B.getDoubleTy()));
      return B.CreateFPTrunc(R, A->getType());
    }
    default:
      return unsupported(Twine("`") + ir::opInfo(K).Name + "` on float32", A->getType());
    }
  }
  auto *IT = llvm::cast<IntegerType>(A->getType());
  unsigned W = IT->getBitWidth();
  bool Unsigned = T.isUnsigned();
  auto C = [&](uint64_t V) { return ConstantInt::get(IT, V); };
  switch (K) {
  case OpKind::Add:
    return B.CreateAdd(A, Bv);
  case OpKind::Sub:
    return B.CreateSub(A, Bv);
  case OpKind::Mul:
    return B.CreateMul(A, Bv);
  case OpKind::Neg:
    return B.CreateNeg(A);
  case OpKind::BitAnd:
    return B.CreateAnd(A, Bv);
  case OpKind::BitOr:
    return B.CreateOr(A, Bv);
  case OpKind::BitXor:
    return B.CreateXor(A, Bv);
  case OpKind::FloorDiv:
  case OpKind::Mod: {
    if (!Unsigned)
      return intNumPyDivMod(K, A, Bv);
    Value *Zero = B.CreateICmpEQ(Bv, C(0));
    Value *SafeB = B.CreateSelect(Zero, C(1), Bv);
    Value *R = K == OpKind::Mod ? B.CreateURem(A, SafeB) : B.CreateUDiv(A, SafeB);
    return B.CreateSelect(Zero, C(0), R);
  }
  case OpKind::Pow:
    if (!Unsigned)
      raiseIf(B.CreateICmpSLT(Bv, C(0)), "ValueError",
              "Integers to negative integer powers are not allowed.");
    return wrappingPow(A, Bv);
  case OpKind::Shl:
  case OpKind::Shr: {
    // NumPy: a shift by the width or more gives 0 (or -1 for a negative
    // value shifted right).
    Value *Big = B.CreateICmpUGE(Bv, C(W));
    Value *Amt = B.CreateSelect(Big, C(0), Bv);
    if (K == OpKind::Shl)
      return B.CreateSelect(Big, C(0), B.CreateShl(A, Amt));
    if (Unsigned)
      return B.CreateSelect(Big, C(0), B.CreateLShr(A, Amt));
    return B.CreateSelect(Big, B.CreateAShr(A, C(W - 1)), B.CreateAShr(A, Amt));
  }
  default:
    return unsupported(Twine("`") + ir::opInfo(K).Name + "` on " + T.str(), IT);
  }
}

Value *FunctionLowering::intPow(Value *A, Value *Bv) {
  raiseIf(B.CreateICmpSLT(Bv, B.getInt64(0)), "ValueError",
          "negative exponent in `int ** int` needs a float result: write `float(x) ** n`");
  // A small constant exponent is expanded by repeated squaring here, so
  // that x ** 2 is one checked multiply.
  if (auto *CE = dyn_cast<ConstantInt>(Bv); CE && CE->getSExtValue() <= 64) {
    uint64_t E = CE->getZExtValue();
    Value *Result = B.getInt64(1);
    bool HaveResult = false;
    Value *Base = A;
    while (E) {
      if (E & 1) {
        if (!HaveResult) {
          Result = Base;
          HaveResult = true;
        } else {
          Value *P = B.CreateBinaryIntrinsic(Intrinsic::smul_with_overflow, Result, Base);
          raiseIf(B.CreateExtractValue(P, 1), "OverflowError", IntOverflowMsg);
          Result = B.CreateExtractValue(P, 0);
        }
      }
      E >>= 1;
      if (E) {
        Value *P = B.CreateBinaryIntrinsic(Intrinsic::smul_with_overflow, Base, Base);
        raiseIf(B.CreateExtractValue(P, 1), "OverflowError", IntOverflowMsg);
        Base = B.CreateExtractValue(P, 0);
      }
    }
    return Result;
  }
  Value *Pair = B.CreateCall(ML.intPowHelper(), {A, Bv});
  raiseIf(B.CreateExtractValue(Pair, 1), "OverflowError", IntOverflowMsg);
  return B.CreateExtractValue(Pair, 0);
}

//===----------------------------------------------------------------------===//
// Float arithmetic
//===----------------------------------------------------------------------===//

Value *FunctionLowering::floatBinary(OpKind K, Value *A, Value *Bv, const ir::AttrList &Attrs) {
  Value *Zero = ConstantFP::get(B.getDoubleTy(), 0.0);
  // A sum passes/Reductions.cpp may reorder: LLVM's `reassoc` on it alone.
  if ((K == OpKind::Add || K == OpKind::Sub) && Attrs.has("reassociate")) {
    Value *V = K == OpKind::Add ? B.CreateFAdd(A, Bv) : B.CreateFSub(A, Bv);
    if (auto *I = dyn_cast<Instruction>(V))
      I->setHasAllowReassoc(true);
    return V;
  }
  if (Attrs.has("numpy"))
    if (Value *R = floatNumPyBinary(K, A, Bv))
      return R;
  switch (K) {
  case OpKind::Add:
    return B.CreateFAdd(A, Bv);
  case OpKind::Sub:
    return B.CreateFSub(A, Bv);
  case OpKind::Mul:
    return B.CreateFMul(A, Bv);
  case OpKind::Div: {
    const ir::AttrValue *Msg = Attrs.get("msg");
    std::string Text = Msg && std::holds_alternative<std::string>(*Msg)
                           ? std::get<std::string>(*Msg)
                           : "float division by zero";
    raiseIf(B.CreateFCmpOEQ(Bv, Zero), "ZeroDivisionError", Text);
    return B.CreateFDiv(A, Bv);
  }
  case OpKind::FloorDiv:
    raiseIf(B.CreateFCmpOEQ(Bv, Zero), "ZeroDivisionError", "float floor division by zero");
    return floatFloorDiv(A, Bv);
  case OpKind::Mod:
    raiseIf(B.CreateFCmpOEQ(Bv, Zero), "ZeroDivisionError", "float modulo");
    return floatMod(A, Bv);
  case OpKind::Pow:
    return floatPow(A, Bv);
  default:
    return unsupported(Twine("`") + ir::opInfo(K).Name + "` on float64", B.getDoubleTy());
  }
}

Value *FunctionLowering::floatNumPyBinary(OpKind K, Value *A, Value *Bv) {
  // NumPy: a zero divisor gives an infinity or NaN, pow never raises.
  Value *Zero = ConstantFP::get(A->getType(), 0.0);
  switch (K) {
  case OpKind::Div:
    return B.CreateFDiv(A, Bv);
  case OpKind::FloorDiv:
    return B.CreateSelect(B.CreateFCmpOEQ(Bv, Zero), B.CreateFDiv(A, Bv), floatFloorDiv(A, Bv));
  case OpKind::Mod:
    return B.CreateSelect(B.CreateFCmpOEQ(Bv, Zero), B.CreateFRem(A, Bv), floatMod(A, Bv));
  case OpKind::Pow:
    return libmPow(A, Bv);
  default:
    return nullptr;
  }
}

// CPython's float_rem: fmod, then give the remainder the divisor's sign;
// a zero remainder gets the divisor's sign too.
Value *FunctionLowering::floatMod(Value *A, Value *Bv) {
  llvm::Type *D = B.getDoubleTy();
  Value *Zero = ConstantFP::get(D, 0.0);
  Value *Mod = B.CreateFRem(A, Bv);
  Value *NonZero = B.CreateFCmpUNE(Mod, Zero); // C's `if (mod)`: NaN is true
  Value *SignDiffers = B.CreateXor(B.CreateFCmpOLT(Bv, Zero), B.CreateFCmpOLT(Mod, Zero));
  Value *Adjusted = B.CreateSelect(SignDiffers, B.CreateFAdd(Mod, Bv), Mod);
  return B.CreateSelect(NonZero, Adjusted, binaryIntrinsic(Intrinsic::copysign, Zero, Bv));
}

// CPython's _float_div_mod, quotient half:
//   mod = fmod(a, b); div = (a - mod) / b;
//   if (mod) { if ((b < 0) != (mod < 0)) div -= 1.0; }
//   if (div) { q = floor(div); if (div - q > 0.5) q += 1.0; }
//   else q = copysign(0.0, a / b);
Value *FunctionLowering::floatFloorDiv(Value *A, Value *Bv) {
  llvm::Type *D = B.getDoubleTy();
  Value *Zero = ConstantFP::get(D, 0.0);
  Value *One = ConstantFP::get(D, 1.0);
  Value *Mod = B.CreateFRem(A, Bv);
  Value *Div = B.CreateFDiv(B.CreateFSub(A, Mod), Bv);
  Value *SignDiffers = B.CreateXor(B.CreateFCmpOLT(Bv, Zero), B.CreateFCmpOLT(Mod, Zero));
  Value *Adjust = B.CreateAnd(B.CreateFCmpUNE(Mod, Zero), SignDiffers);
  Div = B.CreateSelect(Adjust, B.CreateFSub(Div, One), Div);
  Value *Floor = unaryIntrinsic(Intrinsic::floor, Div);
  Value *RoundUp = B.CreateFCmpOGT(B.CreateFSub(Div, Floor), ConstantFP::get(D, 0.5));
  Floor = B.CreateSelect(RoundUp, B.CreateFAdd(Floor, One), Floor);
  Value *SignedZero = binaryIntrinsic(Intrinsic::copysign, Zero, B.CreateFDiv(A, Bv));
  return B.CreateSelect(B.CreateFCmpUNE(Div, Zero), Floor, SignedZero);
}

// CPython's float_pow agrees with C99 pow except where pow's result is not
// finite: 0.0 ** negative (ZeroDivisionError), negative ** fractional
// (CPython gives a complex; Kiln raises ValueError) and overflow from
// finite operands (OverflowError(34, 'Numerical result out of range')).
/// The C library's pow(), exactly as CPython calls it. The call is marked
/// `nobuiltin`: LLVM would otherwise rewrite pow(x, 2.0) as x*x, pow(x,
/// -1.0) as 1/x and pow(x, 0.5) as sqrt(x), which are correctly rounded but
/// can differ from glibc's pow (and so from CPython) in the last bit.
Value *FunctionLowering::libmPow(Value *X, Value *Y) {
  return libmCall("pow", {X, Y}, /*Vectorisable=*/false);
}

Value *FunctionLowering::libmCall(StringRef Name, ArrayRef<Value *> Args, bool Vectorisable) {
  CallInst *C = B.CreateCall(ML.libmFn(Name, Args.size()), Args);
  if (!Vectorisable) // not recognised as the library function: no libmvec variant
    C->addFnAttr(Attribute::NoBuiltin);
  return C;
}

Value *FunctionLowering::floatPow(Value *A, Value *Bv) {
  llvm::Type *D = B.getDoubleTy();
  Value *Zero = ConstantFP::get(D, 0.0);
  Value *R = libmPow(A, Bv);
  BasicBlock *Cont;
  coldBranch(B.CreateNot(isFinite(R)), Cont, "pow.check");
  Value *FiniteA = isFinite(A), *FiniteB = isFinite(Bv);
  raiseIf(B.CreateAnd(B.CreateAnd(B.CreateFCmpOEQ(A, Zero), B.CreateFCmpOLT(Bv, Zero)), FiniteB),
          "ZeroDivisionError", "0.0 cannot be raised to a negative power");
  raiseIf(B.CreateAnd(B.CreateAnd(B.CreateFCmpOLT(A, Zero), B.CreateAnd(FiniteA, FiniteB)),
                      B.CreateFCmpUNE(unaryIntrinsic(Intrinsic::floor, Bv), Bv)),
          "ValueError",
          "negative number cannot be raised to a fractional power: the result would be complex");
  Value *Overflow = B.CreateAnd(isInf(R), B.CreateAnd(FiniteA, FiniteB));
  BasicBlock *NoOverflow = newBlock("ok");
  BasicBlock *Raise = newBlock("raise");
  B.CreateCondBr(Overflow, Raise, NoOverflow);
  {
    // OverflowError(34, 'Numerical result out of range'), as
    // PyErr_SetFromErrno(ERANGE) builds it.
    IRBuilder<> RB(Raise);
    StructType *ArgTy = ML.argType();
    StructType *StrArgTy = StructType::get(Ctx, {RB.getInt32Ty(), RB.getInt32Ty(), RB.getPtrTy()});
    Constant *Args = ConstantStruct::getAnon(
        {ConstantStruct::get(ArgTy, {RB.getInt32('i'), RB.getInt32(0), RB.getInt64(34)}),
         ConstantStruct::get(StrArgTy, {RB.getInt32('s'), RB.getInt32(0),
                                        ML.cstring("Numerical result out of range")})});
    auto *GV = new GlobalVariable(ML.LM, Args->getType(), /*isConstant=*/true,
                                  GlobalValue::PrivateLinkage, Args, "kiln.erange.args");
    GV->setUnnamedAddr(GlobalValue::UnnamedAddr::Global);
    RB.CreateCall(ML.raiseFn(), {ML.cstring("OverflowError"), RB.getInt32(2), GV});
    RB.CreateBr(FailBB);
  }
  B.SetInsertPoint(NoOverflow);
  B.CreateBr(Cont);
  B.SetInsertPoint(Cont);
  return R;
}

//===----------------------------------------------------------------------===//
// Compares and casts
//===----------------------------------------------------------------------===//

Value *FunctionLowering::cmp(StringRef Pred, Type T, Value *A, Value *Bv) {
  using P = CmpInst::Predicate;
  struct Row {
    const char *Name;
    P Signed, Unsigned, Float;
  };
  // Floats: ordered compares, except `ne` (NaN != NaN is True in Python).
  static const Row Rows[] = {
      {"lt", P::ICMP_SLT, P::ICMP_ULT, P::FCMP_OLT}, {"le", P::ICMP_SLE, P::ICMP_ULE, P::FCMP_OLE},
      {"gt", P::ICMP_SGT, P::ICMP_UGT, P::FCMP_OGT}, {"ge", P::ICMP_SGE, P::ICMP_UGE, P::FCMP_OGE},
      {"eq", P::ICMP_EQ, P::ICMP_EQ, P::FCMP_OEQ},   {"ne", P::ICMP_NE, P::ICMP_NE, P::FCMP_UNE},
  };
  if (!T.isScalar())
    return unsupported("cmp of `" + T.str() + "` values", B.getInt1Ty());
  for (const Row &R : Rows) {
    if (Pred != R.Name)
      continue;
    if (T.isFloating())
      return B.CreateFCmp(R.Float, A, Bv);
    return B.CreateICmp(T.isBool() || T.isUnsigned() ? R.Unsigned : R.Signed, A, Bv);
  }
  return unsupported("cmp predicate `" + Pred + "`", B.getInt1Ty());
}

Value *FunctionLowering::floatToInt(Value *X, Type To) {
  // Exactly the floats in [lo, hi) truncate into the type: [-2^63, 2^63)
  // for int64, (-1, 2^8) for uint8.
  X = B.CreateFPExt(X, B.getDoubleTy());
  llvm::Type *D = B.getDoubleTy();
  unsigned W = To.bitWidth();
  bool Unsigned = To.isUnsigned();
  double Hi = std::ldexp(1.0, Unsigned ? W : W - 1);
  // Signed: |x| < 2^(W-1) is one compare (false for NaN); what truncates to
  // -2^(W-1), the one other value that fits, is let through on the cold path.
  Value *InRange =
      Unsigned ? B.CreateAnd(B.CreateFCmpOGT(X, ConstantFP::get(D, -1.0)),
                             B.CreateFCmpOLT(X, ConstantFP::get(D, Hi)))
               : B.CreateFCmpOLT(unaryIntrinsic(Intrinsic::fabs, X), ConstantFP::get(D, Hi));
  BasicBlock *Cont;
  coldBranch(B.CreateNot(InRange), Cont, "toint.check");
  if (!Unsigned) {
    BasicBlock *Bad = newBlock("toint.bad");
    B.CreateCondBr(B.CreateFCmpOEQ(unaryIntrinsic(Intrinsic::trunc, X), ConstantFP::get(D, -Hi)),
                   Cont, Bad);
    B.SetInsertPoint(Bad);
  }
  raiseIf(isNaN(X), "ValueError", "cannot convert float NaN to integer");
  raiseIf(isInf(X), "OverflowError", "cannot convert float infinity to integer");
  raiseNow("OverflowError", To.isInt() ? std::string(IntOverflowMsg)
                                       : "float value out of range for " + To.str());
  B.SetInsertPoint(Cont);
  if (DeferFlag) // (the check is only flagged: keep the result defined)
    X = B.CreateSelect(InRange, X, ConstantFP::get(D, 0.0));
  return Unsigned ? B.CreateFPToUI(X, ty(To)) : B.CreateFPToSI(X, ty(To));
}

Value *FunctionLowering::cast(Value *V, Type From, Type To) {
  if ((From.isDict() && To.isDict()) || (From.isSet() && To.isSet())) {
    // An empty literal `{}` / `set()` taking its types: the same table, told
    // its key and value sizes (it has no entries yet).
    if (From != To && From.keyType().isNone())
      setDictSizes(V, To);
    return V;
  }
  if (From == To || (From.isList() && To.isList())) // list<none>: the same pointer
    return V;
  if (To.isComplex() && From.isScalar())
    return toComplex(V, From, To);
  if (From.isComplex() && To.isBool()) {
    Value *Zero = ConstantFP::get(ty(From.complexPart()), 0.0);
    return B.CreateOr(B.CreateFCmpUNE(B.CreateExtractValue(V, 0), Zero),
                      B.CreateFCmpUNE(B.CreateExtractValue(V, 1), Zero));
  }
  if (From.isComplex() && To.isScalar()) // NumPy's astype: the real part
    return cast(B.CreateExtractValue(V, 0), From.complexPart(), To);
  // A C-order array as an array of any strides: the same struct.
  if (From.isArray() && To.isArray())
    return V;
  if (!From.isScalar() || !To.isScalar())
    return unsupported("cast from `" + From.str() + "` to `" + To.str() + "`", ty(To));
  if (To.isBool()) {
    if (From.isFloating()) // NaN is truthy, as in Python
      return B.CreateFCmpUNE(V, ConstantFP::get(V->getType(), 0.0));
    return B.CreateICmpNE(V, ConstantInt::get(V->getType(), 0));
  }
  if (To.isFloating()) {
    if (From.isFloating())
      return B.CreateFPCast(V, ty(To));
    if (From.isBool() || From.isUnsigned())
      return B.CreateUIToFP(V, ty(To));
    return B.CreateSIToFP(V, ty(To));
  }
  // To an integer type: from an integer it wraps, as NumPy's astype.
  if (From.isBool())
    return B.CreateZExt(V, ty(To));
  if (From.isInteger())
    return B.CreateIntCast(V, ty(To), /*isSigned=*/!From.isUnsigned());
  return floatToInt(V, To);
}

//===----------------------------------------------------------------------===//
// Math functions
//===----------------------------------------------------------------------===//

void FunctionLowering::mathErrorCheck(Value *R, ArrayRef<Value *> Ins, bool CanOverflow) {
  BasicBlock *Cont;
  coldBranch(B.CreateNot(isFinite(R)), Cont, "math.check");
  Value *AnyNaN = B.getFalse(), *AllFinite = B.getTrue();
  for (Value *In : Ins) {
    AnyNaN = B.CreateOr(AnyNaN, isNaN(In));
    AllFinite = B.CreateAnd(AllFinite, isFinite(In));
  }
  raiseIf(B.CreateAnd(isNaN(R), B.CreateNot(AnyNaN)), "ValueError", "math domain error");
  raiseIf(B.CreateAnd(isInf(R), AllFinite), CanOverflow ? "OverflowError" : "ValueError",
          CanOverflow ? "math range error" : "math domain error");
  B.CreateBr(Cont);
  B.SetInsertPoint(Cont);
}

Value *FunctionLowering::lowerMath(const OpData &Op) {
  std::vector<Value *> Ins;
  std::vector<Type> InTys;
  for (ir::ValueId V : Op.Operands) {
    Ins.push_back(val(V));
    InTys.push_back(F.typeOf(V));
  }
  return mathOn(Op.Attrs.getStr("fn"), F.typeOf(Op.Results[0]), std::move(Ins),
                std::move(InTys), Op.Attrs.has("numpy"));
}

Value *FunctionLowering::mathOn(StringRef Fn, Type RT, std::vector<Value *> Ins,
                                std::vector<Type> InTys, bool NumPy) {
  // The step of a float min/max reduction (frontend's floatMinMax), which
  // tracks NaN itself: the result for a NaN operand is unspecified and
  // either zero may come back (`nnan nsz`, what LLVM needs to vectorise).
  if (Fn == "minnum" || Fn == "maxnum") {
    if (Ins.size() != 2 || !RT.isFloating() || InTys[0] != RT || InTys[1] != RT) {
      unsupported("math `" + Fn + "` of these operands", ty(RT));
      return nullptr;
    }
    Value *R =
        binaryIntrinsic(Fn == "minnum" ? Intrinsic::minnum : Intrinsic::maxnum, Ins[0], Ins[1]);
    if (auto *I = dyn_cast<Instruction>(R)) {
      I->setHasNoNaNs(true);
      I->setHasNoSignedZeros(true);
    }
    return R;
  }
  // The sized types go through int64 / float64 (uint64 stays: it has no
  // wider type), and the result is converted back.
  auto Widen = [](Type T) {
    if (T.isFloat32())
      return Type::float64();
    if (T.isSized() && T.isInteger() && T.kind() != TypeKind::UInt64)
      return Type::int64();
    return T;
  };
  if (RT.isComplex() || llvm::any_of(InTys, [](Type T) { return T.isComplex(); }))
    return complexMath(Fn, RT, Ins, InTys, NumPy);
  // np.nextafter of float32 steps to the next float32, which no float64
  // computation gives.
  if (Fn == "nextafter" && RT.isFloat32() && Ins.size() == 2 && InTys[0] == RT &&
      InTys[1] == RT) {
    llvm::Type *Fl = B.getFloatTy();
    FunctionCallee NextF =
        ML.LM.getOrInsertFunction("nextafterf", FunctionType::get(Fl, {Fl, Fl}, false));
    if (auto *Callee = dyn_cast<llvm::Function>(NextF.getCallee())) {
      Callee->setDoesNotAccessMemory();
      Callee->addFnAttr(Attribute::NoUnwind);
      Callee->addFnAttr(Attribute::WillReturn);
    }
    return B.CreateCall(NextF, {Ins[0], Ins[1]});
  }
  bool AnySized = RT.isSized() || llvm::any_of(InTys, [](Type T) { return T.isSized(); });
  if (!AnySized)
    return mathWide(Fn, RT, Ins, InTys, NumPy);
  for (unsigned I = 0; I < Ins.size(); ++I) {
    Type W = Widen(InTys[I]);
    Ins[I] = cast(Ins[I], InTys[I], W);
    InTys[I] = W;
  }
  Type WideRT = Widen(RT);
  Value *R = mathWide(Fn, WideRT, Ins, InTys, NumPy);
  return R ? cast(R, WideRT, RT) : nullptr;
}

Value *FunctionLowering::mathWide(StringRef Fn, Type RT, ArrayRef<Value *> Ins,
                                  ArrayRef<Type> InTys, bool NumPy) {
  unsigned N = Ins.size();
  auto Opnd = [&](unsigned I) { return Ins[I]; };
  auto OpTy = [&](unsigned I) { return InTys[I]; };
  auto FOpnd = [&](unsigned I) { return toDouble(Opnd(I), OpTy(I)); };
  auto Arity = [&](unsigned Want) {
    if (N == Want)
      return true;
    unsupported("math `" + Fn + "` with " + Twine(N) + " operands", ty(RT));
    return false;
  };

  // np.arange's length: the runtime computes it as NumPy does and raises
  // NumPy's errors (the frontend has checked the step).
  if (Fn == "arange_len") {
    if (!Arity(3))
      return nullptr;
    bool Ints = OpTy(0).isInt();
    llvm::Type *T = Ints ? (llvm::Type *)B.getInt64Ty() : B.getDoubleTy();
    FunctionCallee Len = ML.LM.getOrInsertFunction(
        Ints ? "kiln_arange_len_i" : "kiln_arange_len_f",
        FunctionType::get(B.getInt64Ty(), {T, T, T}, false));
    Value *N = B.CreateCall(Len, {Opnd(0), Opnd(1), Opnd(2)});
    failIf(B.CreateICmpSLT(N, B.getInt64(0)));
    return N;
  }

  // int64 / int64 rounded once (the frontend has checked the divisor):
  // operands within 2**53 convert exactly, so one fdiv is correctly
  // rounded; larger ones go to the runtime's exact division.
  if (Fn == "int_truediv") {
    if (!Arity(2))
      return nullptr;
    Value *A = Opnd(0), *D = Opnd(1);
    auto Small = [&](Value *V) {
      Value *Biased = B.CreateAdd(V, B.getInt64(int64_t(1) << 53));
      return B.CreateICmpULE(Biased, B.getInt64(int64_t(1) << 54));
    };
    Value *Fast = B.CreateAnd(Small(A), Small(D));
    Value *Quick = B.CreateFDiv(B.CreateSIToFP(A, B.getDoubleTy()),
                                B.CreateSIToFP(D, B.getDoubleTy()));
    FunctionCallee Exact = ML.LM.getOrInsertFunction(
        "kiln_int_truediv",
        FunctionType::get(B.getDoubleTy(), {B.getInt64Ty(), B.getInt64Ty()}, false));
    if (auto *Callee = dyn_cast<llvm::Function>(Exact.getCallee())) {
      Callee->setDoesNotAccessMemory();
      Callee->addFnAttr(Attribute::NoUnwind);
      Callee->addFnAttr(Attribute::WillReturn);
    }
    BasicBlock *Cur = B.GetInsertBlock();
    llvm::Function *Fn_ = Cur->getParent();
    BasicBlock *Slow = BasicBlock::Create(B.getContext(), "truediv.exact", Fn_);
    BasicBlock *Join = BasicBlock::Create(B.getContext(), "truediv.join", Fn_);
    B.CreateCondBr(Fast, Join, Slow);
    B.SetInsertPoint(Slow);
    Value *Precise = B.CreateCall(Exact, {A, D});
    B.CreateBr(Join);
    B.SetInsertPoint(Join);
    PHINode *Phi = B.CreatePHI(B.getDoubleTy(), 2);
    Phi->addIncoming(Quick, Cur);
    Phi->addIncoming(Precise, Slow);
    return Phi;
  }

  // One float64 operand; the intrinsic (or libm function) and whether an
  // infinite result from a finite input is an overflow (CPython's math_1).
  struct Unary {
    const char *Name;
    Intrinsic::ID ID; // not_intrinsic: libm
    bool CanOverflow;
    bool Check;
  };
  static const Unary Unaries[] = {
#define MATH1(Name, ID, CanOverflow) {#Name, Intrinsic::ID, CanOverflow, true},
#include "ir/MathFns.def"
      {"fabs", Intrinsic::fabs, false, false},  {"floor", Intrinsic::floor, false, false},
      {"ceil", Intrinsic::ceil, false, false},  {"trunc", Intrinsic::trunc, false, false},
  };
  for (const Unary &U : Unaries) {
    if (Fn != U.Name)
      continue;
    if (!Arity(1))
      return nullptr;
    bool Rounding = Fn == "floor" || Fn == "ceil" || Fn == "trunc";
    if (Rounding && !OpTy(0).isFloat()) // math.floor(int) is the int
      return cast(Opnd(0), OpTy(0), RT);
    Value *X = FOpnd(0);
    // sqrt, fabs and the roundings are exact; the other functions of
    // Python's math module are libm's, as CPython's are, in a call LLVM may
    // not replace by a vector variant (glibc's libmvec differs in the last
    // bits). NumPy's may (docs/language.md).
    bool Exact = U.ID == Intrinsic::sqrt || !U.Check;
    Value *R;
    if (U.ID != Intrinsic::not_intrinsic && (NumPy || Exact))
      R = unaryIntrinsic(U.ID, X);
    else
      R = libmCall(U.Name, {X}, /*Vectorisable=*/NumPy);
    // NumPy's functions never raise: NaN and infinities are their results.
    if (U.Check && !NumPy)
      mathErrorCheck(R, {X}, U.CanOverflow);
    return RT.isInt() ? floatToInt(R) : R;
  }

  if (Fn == "atan2" || Fn == "hypot" || Fn == "copysign" || Fn == "fmod" || Fn == "pow" ||
      Fn == "nextafter") {
    if (!Arity(2))
      return nullptr;
    Value *X = FOpnd(0), *Y = FOpnd(1);
    if (Fn == "copysign")
      return binaryIntrinsic(Intrinsic::copysign, X, Y);
    if (Fn == "nextafter")
      return libmCall("nextafter", {X, Y}, NumPy);
    if (Fn == "hypot") // math.hypot never raises: inf/nan inputs and overflow give inf/nan
      return libmCall("hypot", {X, Y}, NumPy);
    if (Fn == "atan2") // C99 atan2 is CPython's m_atan2 and never fails
      return libmCall("atan2", {X, Y}, NumPy);
    if (Fn == "fmod") {
      // fmod(x, ±inf) == x for finite x in C99 as in CPython; NaN from
      // non-NaN inputs (fmod(x, 0), fmod(inf, y)) is a domain error.
      Value *R = B.CreateFRem(X, Y);
      if (!NumPy) // np.fmod's NaN is its result
        mathErrorCheck(R, {X, Y}, /*CanOverflow=*/false);
      return R;
    }
    // math.pow: like float ** but 0.0 ** negative is a domain error and
    // overflow is "math range error".
    Value *R = libmPow(X, Y);
    BasicBlock *Cont;
    coldBranch(B.CreateNot(isFinite(R)), Cont, "pow.check");
    Value *AllFinite = B.CreateAnd(isFinite(X), isFinite(Y));
    raiseIf(B.CreateAnd(isNaN(R), B.CreateNot(B.CreateOr(isNaN(X), isNaN(Y)))), "ValueError",
            "math domain error");
    Value *InfFromFinite = B.CreateAnd(isInf(R), AllFinite);
    raiseIf(B.CreateAnd(InfFromFinite, B.CreateFCmpOEQ(X, ConstantFP::get(X->getType(), 0.0))),
            "ValueError", "math domain error");
    raiseIf(InfFromFinite, "OverflowError", "math range error");
    B.CreateBr(Cont);
    B.SetInsertPoint(Cont);
    return R;
  }

  // np.ldexp: the exponent is clamped to C's int (beyond it the result is
  // 0 or inf either way).
  if (Fn == "ldexp") {
    if (!Arity(2))
      return nullptr;
    Value *E = cast(Opnd(1), OpTy(1), Type::int64());
    E = B.CreateBinaryIntrinsic(Intrinsic::smax, E, B.getInt64(INT32_MIN));
    E = B.CreateBinaryIntrinsic(Intrinsic::smin, E, B.getInt64(INT32_MAX));
    llvm::Type *D = B.getDoubleTy();
    FunctionCallee Ldexp = ML.LM.getOrInsertFunction(
        "ldexp", FunctionType::get(D, {D, B.getInt32Ty()}, false));
    if (auto *Callee = dyn_cast<llvm::Function>(Ldexp.getCallee())) {
      Callee->setDoesNotAccessMemory();
      Callee->addFnAttr(Attribute::NoUnwind);
      Callee->addFnAttr(Attribute::WillReturn);
    }
    return B.CreateCall(Ldexp, {FOpnd(0), B.CreateTrunc(E, B.getInt32Ty())});
  }

  // np.gcd / np.lcm of integers, as NumPy's npy_gcd/npy_lcm: Euclid's
  // algorithm on the magnitudes (as unsigned: |INT64_MIN| fits); lcm is
  // |a| / gcd * |b| in unsigned arithmetic, wrapping as NumPy's, and 0 when
  // gcd is 0.
  if (Fn == "gcd" || Fn == "lcm") {
    if (!Arity(2) || !RT.isInteger())
      return Arity(2) ? unsupported("math `" + Fn + "` of non-integers", ty(RT)) : nullptr;
    bool Signed = !RT.isUnsigned();
    Value *A = cast(Opnd(0), OpTy(0), RT), *C = cast(Opnd(1), OpTy(1), RT);
    auto Abs = [&](Value *V) {
      return Signed ? B.CreateBinaryIntrinsic(Intrinsic::abs, V, B.getInt1(false)) : V;
    };
    Value *UA = Abs(A), *UC = Abs(C);
    BasicBlock *Entry = B.GetInsertBlock();
    BasicBlock *Loop = newBlock("gcd.loop"), *Done = newBlock("gcd.done");
    B.CreateBr(Loop);
    B.SetInsertPoint(Loop);
    PHINode *X = B.CreatePHI(UA->getType(), 2), *Y = B.CreatePHI(UA->getType(), 2);
    X->addIncoming(UA, Entry);
    Y->addIncoming(UC, Entry);
    Value *YZero = B.CreateICmpEQ(Y, ConstantInt::get(Y->getType(), 0));
    Value *SafeY = B.CreateSelect(YZero, ConstantInt::get(Y->getType(), 1), Y);
    Value *Rem = B.CreateURem(X, SafeY);
    X->addIncoming(Y, Loop);
    Y->addIncoming(Rem, Loop);
    B.CreateCondBr(YZero, Done, Loop);
    B.SetInsertPoint(Done);
    Value *G = X;
    if (Fn == "gcd")
      return G;
    Value *GZero = B.CreateICmpEQ(G, ConstantInt::get(G->getType(), 0));
    Value *SafeG = B.CreateSelect(GZero, ConstantInt::get(G->getType(), 1), G);
    Value *L = B.CreateMul(B.CreateUDiv(UA, SafeG), UC);
    return B.CreateSelect(GZero, ConstantInt::get(G->getType(), 0), L);
  }

  if (Fn == "isnan" || Fn == "isinf" || Fn == "isfinite") {
    if (!Arity(1))
      return nullptr;
    if (!OpTy(0).isFloat())
      return B.getInt1(Fn == "isfinite");
    Value *X = Opnd(0);
    return Fn == "isnan" ? isNaN(X) : Fn == "isinf" ? isInf(X) : isFinite(X);
  }

  if (Fn == "abs") {
    if (!Arity(1))
      return nullptr;
    if (OpTy(0).isFloat())
      return unaryIntrinsic(Intrinsic::fabs, Opnd(0));
    if (OpTy(0).isUnsigned())
      return cast(Opnd(0), OpTy(0), RT);
    Value *X = cast(Opnd(0), OpTy(0), Type::int64());
    raiseIf(B.CreateICmpEQ(X, B.getInt64(std::numeric_limits<int64_t>::min())), "OverflowError",
            IntOverflowMsg);
    // (INT64_MIN is poison once checked, but not where the check is only
    // flagged.)
    return B.CreateBinaryIntrinsic(Intrinsic::abs, X, B.getInt1(!DeferFlag));
  }

  if (Fn == "min" || Fn == "max") {
    if (N == 0)
      return unsupported("math `" + Fn + "` without operands", ty(RT));
    // Python's min keeps the first of equal (or unordered) items: an item
    // replaces the current one only if `item < current` (`>` for max).
    StringRef Pred = Fn == "min" ? "lt" : "gt";
    Value *Cur = cast(Opnd(0), OpTy(0), RT);
    for (unsigned I = 1; I < N; ++I) {
      Value *Item = cast(Opnd(I), OpTy(I), RT);
      Cur = B.CreateSelect(cmp(Pred, RT, Item, Cur), Item, Cur);
    }
    return Cur;
  }

  if (Fn == "round") {
    if (N == 2)
      // TODO: round(x, ndigits) needs CPython's correctly rounded decimal
      // algorithm (dtoa); scaling by 10**ndigits is not exact. Needs a
      // runtime entry point; the frontend rejects it until then.
      return unsupported("`round` with `ndigits` is not supported yet", ty(RT));
    if (!Arity(1))
      return nullptr;
    if (!OpTy(0).isFloat())
      return cast(Opnd(0), OpTy(0), RT);
    Value *R = unaryIntrinsic(Intrinsic::roundeven, Opnd(0)); // half to even, like round()
    return RT.isInt() ? floatToInt(R) : R;
  }

  return unsupported("unknown math function `" + Fn + "`", ty(RT));
}

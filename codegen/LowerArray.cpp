//===- LowerArray.cpp - Array ops to LLVM ------------------------------------===//
//
// An array value is the struct { ptr data, [N x i64] extents, [N x i64]
// strides } with strides counted in elements. Elements are bool (i8 in
// memory), int64 or double. For a C-order type the last stride is the
// constant 1, which is what lets LLVM vectorise unit-stride loops.
//
//===----------------------------------------------------------------------===//

#include "codegen/Lowering.h"
#include <algorithm>
#include <iterator>
#include "llvm/IR/MDBuilder.h"

using namespace kiln;
using namespace kiln::codegen;
using namespace kiln::ir;
using namespace llvm;

llvm::Type *ModuleLowering::arrayType(kiln::Type T) {
  auto *I64 = llvm::Type::getInt64Ty(Ctx);
  auto *Dims = ArrayType::get(I64, T.ndim());
  return StructType::get(Ctx, {PointerType::getUnqual(Ctx), Dims, Dims});
}

/// Bytes of one array element.
static uint64_t itemSize(kiln::Type Elem) { return Elem.isBool() ? 1 : Elem.bitWidth() / 8; }

llvm::Type *ModuleLowering::elementMemType(kiln::Type Elem) {
  if (Elem.isBool())
    return llvm::Type::getInt8Ty(Ctx);
  return lowerType(Elem);
}

FunctionCallee ModuleLowering::allocFn() {
  auto *Ptr = PointerType::getUnqual(Ctx);
  FunctionCallee C = LM.getOrInsertFunction(
      "kiln_alloc", FunctionType::get(Ptr, {llvm::Type::getInt64Ty(Ctx)}, false));
  if (auto *Fn = dyn_cast<llvm::Function>(C.getCallee())) {
    Fn->addFnAttr(Attribute::NoUnwind);
    Fn->addRetAttr(Attribute::NoAlias);
  }
  return C;
}

FunctionCallee ModuleLowering::freeFn() {
  return LM.getOrInsertFunction("kiln_free",
                                FunctionType::get(llvm::Type::getVoidTy(Ctx),
                                                  {PointerType::getUnqual(Ctx)}, false));
}

FunctionCallee ModuleLowering::parallelForFn() {
  auto *I64 = llvm::Type::getInt64Ty(Ctx);
  auto *Ptr = PointerType::getUnqual(Ctx);
  return LM.getOrInsertFunction(
      "kiln_parallel_for",
      FunctionType::get(llvm::Type::getInt32Ty(Ctx), {I64, I64, I64, Ptr, Ptr}, false));
}

FunctionCallee ModuleLowering::raiseIndexFn() {
  auto *I64 = llvm::Type::getInt64Ty(Ctx);
  FunctionCallee C = LM.getOrInsertFunction(
      "kiln_raise_index", FunctionType::get(llvm::Type::getVoidTy(Ctx), {I64, I64, I64}, false));
  if (auto *Fn = dyn_cast<llvm::Function>(C.getCallee())) {
    Fn->addFnAttr(Attribute::Cold);
    Fn->addFnAttr(Attribute::NoUnwind);
  }
  return C;
}

Value *FunctionLowering::arrayStride(Value *A, kiln::Type T, unsigned Axis) {
  if (T.isCOrder() && Axis + 1 == T.ndim())
    return B.getInt64(1);
  return B.CreateExtractValue(A, {2u, Axis});
}

Value *FunctionLowering::elementAddress(Value *A, kiln::Type T, ArrayRef<Value *> Idx) {
  Value *Off = nullptr;
  for (unsigned K = 0; K < Idx.size(); ++K) {
    Value *Term = B.CreateMul(Idx[K], arrayStride(A, T, K), "", /*HasNUW=*/false,
                              /*HasNSW=*/true);
    // The offset along an axis before the last, at the innermost loop's
    // variable (plus a constant), is frozen: LLVM then does not version
    // the loop on that axis's stride being 1, which only Fortran order
    // gives. For an N x 3 array of points (`pos[j, 0]`) the scalar copy
    // ran (nbody: 0.061 s, against 0.030 s with gathers). Offsets that do
    // not vary in the loop are left to LLVM: frozen, they cost 10% in
    // cosine_similarity and kmeans.
    if (K + 1 < T.ndim() && !Loops.empty() && Loops.back().IV && isLoopVariable(Idx[K]))
      Term = B.CreateFreeze(Term);
    Off = Off ? B.CreateAdd(Off, Term, "", false, /*HasNSW=*/true) : Term;
  }
  Value *Data = B.CreateExtractValue(A, 0);
  if (!Off)
    return Data;
  return B.CreateInBoundsGEP(ML.elementMemType(T.elementType()), Data, Off);
}

Value *FunctionLowering::arraysMeet(Value *A, kiln::Type TA, Value *Bv, kiln::Type TB) {
  // Each array spans [lowest element, highest element + itemsize) bytes.
  Value *Empty = B.getFalse();
  Value *Lo[2], *Hi[2];
  Value *Arrays[2] = {A, Bv};
  kiln::Type Types[2] = {TA, TB};
  for (unsigned K = 0; K < 2; ++K) {
    kiln::Type T = Types[K];
    Value *Down = B.getInt64(0), *Up = B.getInt64(0);
    for (unsigned D = 0; D < T.ndim(); ++D) {
      Value *E = B.CreateExtractValue(Arrays[K], {1u, D});
      Empty = B.CreateOr(Empty, B.CreateICmpSLE(E, B.getInt64(0)));
      Value *Span = B.CreateMul(B.CreateSub(E, B.getInt64(1)), arrayStride(Arrays[K], T, D));
      Down = B.CreateAdd(Down, B.CreateBinaryIntrinsic(Intrinsic::smin, Span, B.getInt64(0)));
      Up = B.CreateAdd(Up, B.CreateBinaryIntrinsic(Intrinsic::smax, Span, B.getInt64(0)));
    }
    uint64_t Item = itemSize(T.elementType());
    Value *Base = B.CreatePtrToInt(B.CreateExtractValue(Arrays[K], 0), B.getInt64Ty());
    Lo[K] = B.CreateAdd(Base, B.CreateMul(Down, B.getInt64(Item)));
    Hi[K] = B.CreateAdd(Base, B.CreateMul(B.CreateAdd(Up, B.getInt64(1)), B.getInt64(Item)));
  }
  Value *Meet = B.CreateAnd(B.CreateICmpULT(Lo[0], Hi[1]), B.CreateICmpULT(Lo[1], Hi[0]));
  return B.CreateAnd(Meet, B.CreateNot(Empty));
}

bool FunctionLowering::isLoopVariable(Value *I) const {
  Value *IV = Loops.back().IV;
  if (I == IV)
    return true;
  auto *Op = dyn_cast<BinaryOperator>(I);
  return Op && (Op->getOpcode() == Instruction::Add || Op->getOpcode() == Instruction::Sub) &&
         Op->getOperand(0) == IV && isa<ConstantInt>(Op->getOperand(1));
}

void FunctionLowering::lowerArrayOp(const OpData &Op) {
  auto Operand = [&](unsigned I) { return val(Op.Operands[I]); };
  auto OperandType = [&](unsigned I) { return F.typeOf(Op.Operands[I]); };
  switch (Op.Kind) {
  case OpKind::ArrayDim:
    setVal(Op.Results[0], B.CreateExtractValue(
                              Operand(0), {1u, static_cast<unsigned>(Op.Attrs.getInt("axis"))}));
    return;

  case OpKind::ArrayIndex: {
    unsigned Axis = static_cast<unsigned>(Op.Attrs.getInt("axis"));
    Value *I = Operand(1);
    Value *Dim = B.CreateExtractValue(Operand(0), {1u, Axis});
    // Negative indices count from the end, as in Python (unless a pass
    // proved the index non-negative).
    bool InBounds = Op.Attrs.has("in_bounds") || (DeferFlag && DeferInBounds.count(&Op));
    Value *Wrapped = InBounds || Op.Attrs.has("nonneg")
                         ? I
                         : B.CreateSelect(B.CreateICmpSLT(I, B.getInt64(0)),
                                          B.CreateAdd(I, Dim), I);
    if (!ML.Opts.Unchecked && !InBounds && Scattering && recordScatterIndex(Op, Wrapped)) {
      // An index of a split scatter's target: checked after the chunk, by
      // its maximum (LowerDeferred.cpp).
    } else if (!ML.Opts.Unchecked && !InBounds && DeferFlag) {
      // Deferred: a bad index reads element 0 (the axis has one) and sets
      // the flag; the loop then runs again, checked.
      Value *Bad = B.CreateICmpUGE(Wrapped, Dim);
      deferFail(Bad);
      Wrapped = B.CreateSelect(Bad, B.getInt64(0), Wrapped);
    } else if (!ML.Opts.Unchecked && !InBounds) {
      // One unsigned compare catches both ends.
      BasicBlock *Cont;
      coldBranch(B.CreateICmpUGE(Wrapped, Dim), Cont, "index.error");
      B.CreateCall(ML.raiseIndexFn(), {I, B.getInt64(Axis), Dim});
      B.CreateBr(FailBB);
      B.SetInsertPoint(Cont);
    }
    setVal(Op.Results[0], Wrapped);
    return;
  }

  case OpKind::ArrayLoad: {
    kiln::Type T = OperandType(0);
    SmallVector<Value *, 4> Idx;
    for (unsigned I = 1; I < Op.Operands.size(); ++I)
      Idx.push_back(Operand(I));
    Value *Addr = elementAddress(Operand(0), T, Idx);
    Value *V = B.CreateLoad(ML.elementMemType(T.elementType()), Addr);
    if (T.elementType().isBool())
      V = B.CreateICmpNE(V, B.getInt8(0));
    setVal(Op.Results[0], V);
    return;
  }

  case OpKind::ArrayStore: {
    kiln::Type T = OperandType(1);
    SmallVector<Value *, 4> Idx;
    for (unsigned I = 2; I < Op.Operands.size(); ++I)
      Idx.push_back(Operand(I));
    Value *Addr = elementAddress(Operand(1), T, Idx);
    Value *V = Operand(0);
    if (T.elementType().isBool())
      V = B.CreateZExt(V, B.getInt8Ty());
    B.CreateStore(V, Addr);
    return;
  }

  case OpKind::ArraySub: {
    kiln::Type T = OperandType(0);
    kiln::Type R = F.typeOf(Op.Results[0]);
    SmallVector<Value *, 4> Idx;
    for (unsigned I = 1; I < Op.Operands.size(); ++I)
      Idx.push_back(Operand(I));
    Value *A = Operand(0);
    Value *V = PoisonValue::get(ty(R));
    V = B.CreateInsertValue(V, elementAddress(A, T, Idx), 0);
    unsigned K = Idx.size();
    for (unsigned D = 0; D < R.ndim(); ++D) {
      V = B.CreateInsertValue(V, B.CreateExtractValue(A, {1u, K + D}), {1u, D});
      V = B.CreateInsertValue(V, arrayStride(A, T, K + D), {2u, D});
    }
    setVal(Op.Results[0], V);
    return;
  }

  case OpKind::ArrayStride:
    setVal(Op.Results[0], arrayStride(Operand(0), OperandType(0),
                                      static_cast<unsigned>(Op.Attrs.getInt("axis"))));
    return;

  case OpKind::ArrayView: {
    kiln::Type T = OperandType(0);
    kiln::Type R = F.typeOf(Op.Results[0]);
    unsigned N = R.ndim();
    // The offset counts elements of the view (parts, for a view of the
    // real or imaginary parts of a complex array).
    Value *Data = B.CreateGEP(ML.elementMemType(R.elementType()),
                              B.CreateExtractValue(Operand(0), 0), Operand(1));
    (void)T;
    Value *V = B.CreateInsertValue(PoisonValue::get(ty(R)), Data, 0);
    for (unsigned D = 0; D < N; ++D) {
      V = B.CreateInsertValue(V, Operand(2 + D), {1u, D});
      V = B.CreateInsertValue(V, Operand(2 + N + D), {2u, D});
    }
    setVal(Op.Results[0], V);
    return;
  }

  case OpKind::ArrayOverlaps: {
    Value *Meet = arraysMeet(Operand(0), OperandType(0), Operand(1), OperandType(1));
    // The very same view (data, extents and strides) does not count: an
    // element is then read and written at the same index.
    Value *Same = B.CreateICmpEQ(B.CreateExtractValue(Operand(0), 0), B.CreateExtractValue(Operand(1), 0));
    kiln::Type T0 = OperandType(0), T1 = OperandType(1);
    if (T0.ndim() != T1.ndim() || T0.elementType() != T1.elementType()) {
      Same = B.getFalse();
    } else {
      for (unsigned D = 0; D < T0.ndim(); ++D) {
        Same = B.CreateAnd(Same, B.CreateICmpEQ(B.CreateExtractValue(Operand(0), {1u, D}),
                                                B.CreateExtractValue(Operand(1), {1u, D})));
        Same = B.CreateAnd(Same, B.CreateICmpEQ(arrayStride(Operand(0), T0, D),
                                                arrayStride(Operand(1), T1, D)));
      }
    }
    setVal(Op.Results[0], B.CreateAnd(Meet, B.CreateNot(Same)));
    return;
  }

  case OpKind::ArrayFree: {
    B.CreateCall(ML.freeFn(), {B.CreateExtractValue(Operand(0), 0)});
    return;
  }

  case OpKind::ArraySort: {
    kiln::Type T = OperandType(0);
    auto *I64 = B.getInt64Ty();
    FunctionCallee Sort = ML.LM.getOrInsertFunction(
        "kiln_sort", FunctionType::get(B.getInt32Ty(), {B.getPtrTy(), I64, I64, B.getInt32Ty()}, false));
    // The runtime's KILN_SORT_* kinds.
    static const TypeKind SortKinds[] = {
        TypeKind::Float64, TypeKind::Int64,  TypeKind::UInt8,  TypeKind::Int8,
        TypeKind::Int16,   TypeKind::Int32,  TypeKind::UInt16, TypeKind::UInt32,
        TypeKind::UInt64,  TypeKind::Float32};
    TypeKind EK = T.elementType().isBool() ? TypeKind::UInt8 : T.elementType().kind();
    int Kind = std::find(std::begin(SortKinds), std::end(SortKinds), EK) - std::begin(SortKinds);
    Value *Status = B.CreateCall(
        Sort, {B.CreateExtractValue(Operand(0), 0), B.CreateExtractValue(Operand(0), {1u, 0u}),
               arrayStride(Operand(0), T, 0), B.getInt32(Kind)});
    failIf(B.CreateICmpNE(Status, B.getInt32(0)));
    return;
  }

  case OpKind::ArrayAlloc: {
    kiln::Type R = F.typeOf(Op.Results[0]);
    unsigned N = R.ndim();
    // Extents must be non-negative, and the byte count must fit.
    Value *AnyNeg = B.getFalse();
    for (unsigned D = 0; D < N; ++D)
      AnyNeg = B.CreateOr(AnyNeg, B.CreateICmpSLT(Operand(D), B.getInt64(0)));
    raiseIf(AnyNeg, "ValueError", "negative dimensions are not allowed");
    uint64_t ItemSize = itemSize(R.elementType());
    Value *Bytes = B.getInt64(ItemSize);
    Value *Overflow = B.getFalse();
    for (unsigned D = 0; D < N; ++D) {
      Value *P = B.CreateBinaryIntrinsic(Intrinsic::smul_with_overflow, Bytes, Operand(D));
      Overflow = B.CreateOr(Overflow, B.CreateExtractValue(P, 1));
      Bytes = B.CreateExtractValue(P, 0);
    }
    raiseIf(Overflow, "ValueError",
            "array is too big; `arr.size * arr.dtype.itemsize` is larger than the maximum "
            "possible size.");
    Value *Data = B.CreateCall(ML.allocFn(), {Bytes});
    failIf(B.CreateIsNull(Data));
    Value *V = PoisonValue::get(ty(R));
    V = B.CreateInsertValue(V, Data, 0);
    Value *Stride = B.getInt64(1);
    for (unsigned D = N; D-- > 0;) {
      V = B.CreateInsertValue(V, Operand(D), {1u, D});
      V = B.CreateInsertValue(V, Stride, {2u, D});
      Stride = B.CreateMul(Stride, Operand(D), "", false, /*HasNSW=*/true);
    }
    setVal(Op.Results[0], V);
    return;
  }

  default:
    break;
  }
  llvm_unreachable("not an array op");
}

//===- LowerDict.cpp - Dict and set ops to LLVM ------------------------------===//
//
// A dict or set value is a pointer to the runtime's kiln_dict (runtime.h);
// the table itself is runtime/dict.c. Each op passes its key as a blob in a
// stack slot: the key's memory layout with padding zeroed and -0.0 written
// as 0.0, so that keys Python finds equal are equal bytes. Values are
// stored like list items (bool as a byte). Inserting and removing set
// `dirty` (a dict argument is written back after the call).
//
//===----------------------------------------------------------------------===//

#include "codegen/Lowering.h"

using namespace kiln;
using namespace kiln::codegen;
using namespace kiln::ir;
using namespace llvm;

namespace {
enum DictField : unsigned { Len = 2, Dirty = 8, Mutations = 10 };
} // namespace

llvm::StructType *ModuleLowering::dictHeaderType() {
  auto *I64 = llvm::Type::getInt64Ty(Ctx);
  auto *Ptr = PointerType::getUnqual(Ctx);
  return StructType::get(Ctx, {Ptr, Ptr, I64, I64, I64, I64, I64, I64, I64, I64, I64});
}

llvm::Type *ModuleLowering::dictKeyType(kiln::Type K) {
  if (K.isTuple()) {
    SmallVector<llvm::Type *, 4> Fields;
    for (kiln::Type E : K.elements())
      Fields.push_back(dictKeyType(E));
    return StructType::get(Ctx, Fields);
  }
  return listElementType(K); // bool as a byte
}

/// Stores key \p V of type \p T at \p Addr, floats' -0.0 as 0.0.
void FunctionLowering::storeKey(Value *V, kiln::Type T, Value *Addr) {
  if (T.isTuple()) {
    auto *ST = llvm::cast<StructType>(ML.dictKeyType(T));
    for (unsigned I = 0; I < T.elements().size(); ++I)
      storeKey(B.CreateExtractValue(V, I), T.elements()[I], B.CreateStructGEP(ST, Addr, I));
    return;
  }
  if (T.isBool())
    V = B.CreateZExt(V, B.getInt8Ty());
  else if (T.isFloating())
    V = B.CreateSelect(B.CreateFCmpOEQ(V, ConstantFP::get(V->getType(), 0.0)),
                       ConstantFP::get(V->getType(), 0.0), V);
  B.CreateStore(V, Addr);
}

Value *FunctionLowering::loadKey(kiln::Type T, Value *Addr) {
  if (T.isTuple()) {
    auto *ST = llvm::cast<StructType>(ML.dictKeyType(T));
    Value *Agg = PoisonValue::get(ty(T));
    for (unsigned I = 0; I < T.elements().size(); ++I)
      Agg = B.CreateInsertValue(Agg, loadKey(T.elements()[I], B.CreateStructGEP(ST, Addr, I)), I);
    return Agg;
  }
  Value *V = B.CreateLoad(ML.listElementType(T), Addr);
  return T.isBool() ? B.CreateICmpNE(V, B.getInt8(0)) : V;
}

Value *FunctionLowering::keyBlob(Value *K, kiln::Type T) {
  llvm::Type *KT = ML.dictKeyType(T);
  uint64_t Size = ML.LM.getDataLayout().getTypeAllocSize(KT);
  AllocaB.SetInsertPoint(&LF->getEntryBlock(), LF->getEntryBlock().begin());
  AllocaInst *A = AllocaB.CreateAlloca(KT, nullptr, "key");
  B.CreateMemSet(A, B.getInt8(0), Size, A->getAlign());
  storeKey(K, T, A);
  return A;
}

void FunctionLowering::setDictSizes(Value *D, kiln::Type T) {
  uint64_t KS = ML.LM.getDataLayout().getTypeAllocSize(ML.dictKeyType(T.keyType()));
  uint64_t VS = T.isDict() && !T.valueType().isNone() ? ML.listElementSize(T.valueType()) : 0;
  B.CreateStore(B.getInt64(KS), B.CreateStructGEP(ML.dictHeaderType(), D, 6));
  B.CreateStore(B.getInt64(VS), B.CreateStructGEP(ML.dictHeaderType(), D, 7));
}

void FunctionLowering::lowerDictOp(const ir::OpData &Op) {
  auto Operand = [&](unsigned I) { return val(Op.Operands[I]); };
  kiln::Type DT = Op.Kind == OpKind::DictNew ? F.typeOf(Op.Results[0]) : F.typeOf(Op.Operands[0]);
  kiln::Type KT = DT.keyType();
  kiln::Type VT = DT.isDict() ? DT.valueType() : kiln::Type();
  auto *I64 = B.getInt64Ty(), *I32 = B.getInt32Ty();
  auto *Ptr = B.getPtrTy();
  auto Fn = [&](const char *Name, llvm::Type *Ret, ArrayRef<llvm::Type *> Params) {
    return ML.LM.getOrInsertFunction(Name, FunctionType::get(Ret, Params, false));
  };
  auto Field = [&](Value *D, unsigned F) {
    return B.CreateStructGEP(ML.dictHeaderType(), D, F);
  };
  auto MarkDirty = [&](Value *D) { B.CreateStore(B.getInt64(1), Field(D, Dirty)); };
  auto ValueSize = [&] {
    return VT.isValid() && !VT.isNone() ? ML.listElementSize(VT) : 0;
  };
  switch (Op.Kind) {
  case OpKind::DictNew: {
    uint64_t KS = ML.LM.getDataLayout().getTypeAllocSize(ML.dictKeyType(KT));
    Value *D = B.CreateCall(Fn("kiln_dict_new", Ptr, {I64, I64}),
                            {B.getInt64(KS), B.getInt64(ValueSize())});
    failIf(B.CreateIsNull(D));
    setVal(Op.Results[0], D);
    return;
  }
  case OpKind::DictLen:
    setVal(Op.Results[0], B.CreateLoad(I64, Field(Operand(0), Len)));
    return;
  case OpKind::DictVersion:
    setVal(Op.Results[0], B.CreateLoad(I64, Field(Operand(0), Mutations)));
    return;
  case OpKind::DictContains:
  case OpKind::DictGet: {
    Value *P = B.CreateCall(Fn("kiln_dict_find", Ptr, {Ptr, Ptr}),
                            {Operand(0), keyBlob(Operand(1), KT)});
    if (Op.Kind == OpKind::DictContains) {
      setVal(Op.Results[0], B.CreateIsNotNull(P));
      return;
    }
    if (Op.Operands.size() == 3) { // a default for a missing key
      AllocaB.SetInsertPoint(&LF->getEntryBlock(), LF->getEntryBlock().begin());
      AllocaInst *Dflt = AllocaB.CreateAlloca(ML.listElementType(VT), nullptr, "default");
      Value *DV = Operand(2);
      B.CreateStore(VT.isBool() ? B.CreateZExt(DV, B.getInt8Ty()) : DV, Dflt);
      P = B.CreateSelect(B.CreateIsNull(P), Dflt, P);
    }
    Value *V = B.CreateLoad(ML.listElementType(VT), P);
    setVal(Op.Results[0], VT.isBool() ? B.CreateICmpNE(V, B.getInt8(0)) : V);
    return;
  }
  case OpKind::DictInsert: {
    AllocaB.SetInsertPoint(&LF->getEntryBlock(), LF->getEntryBlock().begin());
    AllocaInst *Added = AllocaB.CreateAlloca(I32, nullptr, "added");
    Value *P = B.CreateCall(Fn("kiln_dict_slot", Ptr, {Ptr, Ptr, Ptr}),
                            {Operand(0), keyBlob(Operand(1), KT), Added});
    failIf(B.CreateIsNull(P));
    if (Op.Operands.size() == 3) {
      Value *V = Operand(2);
      B.CreateStore(VT.isBool() ? B.CreateZExt(V, B.getInt8Ty()) : V, P);
    }
    MarkDirty(Operand(0));
    return;
  }
  case OpKind::DictRemove: {
    Value *R = B.CreateCall(Fn("kiln_dict_remove", I32, {Ptr, Ptr}),
                            {Operand(0), keyBlob(Operand(1), KT)});
    MarkDirty(Operand(0));
    setVal(Op.Results[0], B.CreateICmpNE(R, B.getInt32(0)));
    return;
  }
  case OpKind::DictNext:
    setVal(Op.Results[0],
           B.CreateCall(Fn("kiln_dict_next", I64, {Ptr, I64}), {Operand(0), Operand(1)}));
    return;
  case OpKind::DictKeyAt: {
    Value *P = B.CreateCall(Fn("kiln_dict_key_at", Ptr, {Ptr, I64}), {Operand(0), Operand(1)});
    setVal(Op.Results[0], loadKey(KT, P));
    return;
  }
  case OpKind::DictValueAt: {
    Value *P = B.CreateCall(Fn("kiln_dict_val_at", Ptr, {Ptr, I64}), {Operand(0), Operand(1)});
    Value *V = B.CreateLoad(ML.listElementType(VT), P);
    setVal(Op.Results[0], VT.isBool() ? B.CreateICmpNE(V, B.getInt8(0)) : V);
    return;
  }
  default:
    break;
  }
  llvm_unreachable("not a dict op");
}

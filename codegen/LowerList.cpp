//===- LowerList.cpp - List ops to LLVM ---------------------------------------===//
//
// A list value is a pointer to the runtime's kiln_list header (see
// runtime/include/kiln/runtime.h):
//
//   { ptr data, i64 len, i64 cap, i64 dirty }
//
// Elements lie in `data` one after another, bool as i8 and every other type
// as its LLVM value (tuples as structs, lists as pointers). Blocks come from
// kiln_alloc, so they belong to the call like arrays do. Growing past `cap`
// calls kiln_list_reserve; everything else is inline. Every op that changes
// the list sets `dirty`, which tells the runtime to write a list argument
// back into the caller's Python list after the call.
//
// Header fields and items carry distinct TBAA tags: a header and an item
// block never overlap, so LLVM keeps `data` and `len` in registers across
// item stores (and sinks the `dirty` store out of a loop).
//
//===----------------------------------------------------------------------===//

#include "codegen/Lowering.h"
#include "llvm/IR/MDBuilder.h"

using namespace kiln;
using namespace kiln::codegen;
using namespace kiln::ir;
using namespace llvm;

namespace {
enum HeaderField : unsigned { Data = 0, Len = 1, Cap = 2, Dirty = 3 };
} // namespace

llvm::MDNode *ModuleLowering::listTBAA(bool Header) {
  MDBuilder MDB(Ctx);
  MDNode *Root = MDB.createTBAARoot("kiln list memory");
  MDNode *Scalar = MDB.createTBAAScalarTypeNode(Header ? "list header" : "list item", Root);
  return MDB.createTBAAStructTagNode(Scalar, Scalar, 0);
}

llvm::StructType *ModuleLowering::listHeaderType() {
  auto *I64 = llvm::Type::getInt64Ty(Ctx);
  return StructType::get(Ctx, {PointerType::getUnqual(Ctx), I64, I64, I64});
}

llvm::Type *ModuleLowering::listElementType(kiln::Type Elem) {
  if (Elem.isNone()) // the empty literal's list<none>: never read or written
    return llvm::Type::getInt8Ty(Ctx);
  return elementMemType(Elem);
}

uint64_t ModuleLowering::listElementSize(kiln::Type Elem) {
  return LM.getDataLayout().getTypeAllocSize(listElementType(Elem));
}

Value *FunctionLowering::listField(Value *L, unsigned Field) {
  return B.CreateStructGEP(ML.listHeaderType(), L, Field);
}

Value *FunctionLowering::listLoad(Value *L, unsigned Field) {
  LoadInst *V = B.CreateLoad(Field == Data ? (llvm::Type *)B.getPtrTy() : B.getInt64Ty(),
                             listField(L, Field));
  V->setMetadata(LLVMContext::MD_tbaa, ML.listTBAA(true));
  return V;
}

void FunctionLowering::listStoreField(Value *V, Value *L, unsigned Field) {
  B.CreateStore(V, listField(L, Field))->setMetadata(LLVMContext::MD_tbaa, ML.listTBAA(true));
}

Value *FunctionLowering::listSlot(Value *L, kiln::Type Elem, Value *I) {
  return B.CreateInBoundsGEP(ML.listElementType(Elem), listLoad(L, Data), I);
}

/// Ensures room for \p N elements (N >= 0) in list \p L, growing its block
/// through the runtime when it is too small.
void FunctionLowering::listReserve(Value *L, kiln::Type Elem, Value *N) {
  auto *I64 = B.getInt64Ty();
  FunctionCallee Reserve = ML.LM.getOrInsertFunction(
      "kiln_list_reserve", FunctionType::get(B.getInt32Ty(), {B.getPtrTy(), I64, I64}, false));
  BasicBlock *Cont;
  coldBranch(B.CreateICmpSGT(N, listLoad(L, Cap)), Cont, "list.grow");
  Value *Status = B.CreateCall(Reserve, {L, N, B.getInt64(ML.listElementSize(Elem))});
  failIf(B.CreateICmpNE(Status, B.getInt32(0)));
  B.CreateBr(Cont);
  B.SetInsertPoint(Cont);
}

void FunctionLowering::lowerListOp(const ir::OpData &Op) {
  auto Operand = [&](unsigned I) { return val(Op.Operands[I]); };
  auto OperandType = [&](unsigned I) { return F.typeOf(Op.Operands[I]); };
  auto MarkDirty = [&](Value *L) { listStoreField(B.getInt64(1), L, Dirty); };
  // Bools are bytes in memory.
  auto Load = [&](kiln::Type Elem, Value *Addr) -> Value * {
    LoadInst *V = B.CreateLoad(ML.listElementType(Elem), Addr);
    V->setMetadata(LLVMContext::MD_tbaa, ML.listTBAA(false));
    return Elem.isBool() ? B.CreateICmpNE(V, B.getInt8(0)) : (Value *)V;
  };
  auto Store = [&](kiln::Type Elem, Value *V, Value *Addr) {
    B.CreateStore(Elem.isBool() ? B.CreateZExt(V, B.getInt8Ty()) : V, Addr)
        ->setMetadata(LLVMContext::MD_tbaa, ML.listTBAA(false));
  };
  auto *I64 = B.getInt64Ty();
  switch (Op.Kind) {
  case OpKind::ListNew: {
    kiln::Type Elem = F.typeOf(Op.Results[0]).elementType();
    FunctionCallee New = ML.LM.getOrInsertFunction(
        "kiln_list_new", FunctionType::get(B.getPtrTy(), {I64, I64}, false));
    Value *Cap = B.CreateBinaryIntrinsic(Intrinsic::smax, Operand(0), B.getInt64(0));
    Value *L = B.CreateCall(New, {Cap, B.getInt64(ML.listElementSize(Elem))});
    failIf(B.CreateIsNull(L));
    setVal(Op.Results[0], L);
    return;
  }
  case OpKind::ListLen:
    setVal(Op.Results[0], listLoad(Operand(0), Len));
    return;
  case OpKind::ListIndex: {
    Value *I = Operand(1), *N = listLoad(Operand(0), Len);
    Value *Wrapped = B.CreateSelect(B.CreateICmpSLT(I, B.getInt64(0)), B.CreateAdd(I, N), I);
    llvm::StringRef Msg = "list index out of range";
    if (Op.Attrs.has("msg"))
      Msg = Op.Attrs.getStr("msg");
    raiseIf(B.CreateICmpUGE(Wrapped, N), "IndexError", Msg);
    setVal(Op.Results[0], Wrapped);
    return;
  }
  case OpKind::ListGet: {
    kiln::Type Elem = OperandType(0).elementType();
    setVal(Op.Results[0], Load(Elem, listSlot(Operand(0), Elem, Operand(1))));
    return;
  }
  case OpKind::ListSet: {
    kiln::Type Elem = OperandType(1).elementType();
    Store(Elem, Operand(0), listSlot(Operand(1), Elem, Operand(2)));
    MarkDirty(Operand(1));
    return;
  }
  case OpKind::ListAppend: {
    kiln::Type Elem = OperandType(0).elementType();
    Value *L = Operand(0);
    Value *N = listLoad(L, Len);
    Value *N1 = B.CreateAdd(N, B.getInt64(1), "", false, /*HasNSW=*/true);
    listReserve(L, Elem, N1);
    Store(Elem, Operand(1), listSlot(L, Elem, N));
    listStoreField(N1, L, Len);
    MarkDirty(L);
    return;
  }
  case OpKind::ListResize: {
    kiln::Type Elem = OperandType(0).elementType();
    Value *L = Operand(0), *N = Operand(1);
    listReserve(L, Elem, N);
    // New elements start as zero bytes (no stale pointers in a list of lists).
    Value *Old = listLoad(L, Len);
    Value *Grows = B.CreateICmpSGT(N, Old);
    uint64_t Size = ML.listElementSize(Elem);
    Value *From = listSlot(L, Elem, Old);
    Value *Bytes = B.CreateMul(B.CreateSub(N, Old), B.getInt64(Size));
    B.CreateMemSet(From, B.getInt8(0), B.CreateSelect(Grows, Bytes, B.getInt64(0)), MaybeAlign(1));
    listStoreField(N, L, Len);
    MarkDirty(L);
    return;
  }
  case OpKind::ListInsert: {
    kiln::Type Elem = OperandType(0).elementType();
    Value *L = Operand(0), *I = Operand(1);
    Value *N = listLoad(L, Len);
    Value *N1 = B.CreateAdd(N, B.getInt64(1), "", false, /*HasNSW=*/true);
    listReserve(L, Elem, N1);
    uint64_t Size = ML.listElementSize(Elem);
    Value *At = listSlot(L, Elem, I);
    B.CreateMemMove(listSlot(L, Elem, B.CreateAdd(I, B.getInt64(1))), MaybeAlign(1), At,
                    MaybeAlign(1), B.CreateMul(B.CreateSub(N, I), B.getInt64(Size)));
    Store(Elem, Operand(2), At);
    listStoreField(N1, L, Len);
    MarkDirty(L);
    return;
  }
  case OpKind::ListRemove: {
    kiln::Type Elem = OperandType(0).elementType();
    Value *L = Operand(0), *I = Operand(1);
    Value *N1 = B.CreateSub(listLoad(L, Len), B.getInt64(1));
    uint64_t Size = ML.listElementSize(Elem);
    Value *At = listSlot(L, Elem, I);
    setVal(Op.Results[0], Load(Elem, At));
    B.CreateMemMove(At, MaybeAlign(1), listSlot(L, Elem, B.CreateAdd(I, B.getInt64(1))),
                    MaybeAlign(1), B.CreateMul(B.CreateSub(N1, I), B.getInt64(Size)));
    listStoreField(N1, L, Len);
    MarkDirty(L);
    return;
  }
  case OpKind::ListArgsort: {
    kiln::Type Elem = OperandType(0).elementType();
    FunctionCallee Argsort = ML.LM.getOrInsertFunction(
        "kiln_list_argsort",
        FunctionType::get(B.getPtrTy(), {B.getPtrTy(), B.getInt32Ty(), B.getInt32Ty()}, false));
    int Kind = Elem.isBool() ? 0 : Elem.isFloating() ? 3 : Elem.isUnsigned() ? 2 : 1;
    int Bytes = Elem.isBool() ? 1 : Elem.bitWidth() / 8;
    Value *R = B.CreateCall(Argsort, {Operand(0), B.getInt32(Kind | Bytes << 8),
                                      B.getInt32(Op.Attrs.has("reverse") ? 1 : 0)});
    failIf(B.CreateIsNull(R));
    setVal(Op.Results[0], R);
    return;
  }
  case OpKind::ListSort: {
    kiln::Type Elem = OperandType(0).elementType();
    FunctionCallee Sort = ML.LM.getOrInsertFunction(
        "kiln_list_sort", FunctionType::get(B.getInt32Ty(), {B.getPtrTy(), B.getInt32Ty()}, false));
    // The runtime's KILN_LIST_SORT_* kinds: bool, signed, unsigned, float
    // (each with its byte size in the upper bits).
    int Kind = Elem.isBool() ? 0 : Elem.isFloating() ? 3 : Elem.isUnsigned() ? 2 : 1;
    int Bytes = Elem.isBool() ? 1 : Elem.bitWidth() / 8;
    Value *Status = B.CreateCall(Sort, {Operand(0), B.getInt32(Kind | Bytes << 8)});
    failIf(B.CreateICmpNE(Status, B.getInt32(0)));
    MarkDirty(Operand(0));
    return;
  }
  default:
    break;
  }
  llvm_unreachable("not a list op");
}

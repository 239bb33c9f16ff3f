//===- LowerDeferred.cpp - Loops whose checks are deferred ------------------===//
//
// Lowers a `for` loop marked `deferred_checks` (passes/DeferChecks.cpp):
//
//   saved = the slots the loop writes
//   if guard (every array it indexes is non-empty, indices `i + c` are in
//   bounds at the first and last iteration, no array it reads overlaps a
//   scatter's target):
//     fast: the loop with DeferFlag set: raiseIf/failIf/coldBranch OR their
//           condition into the flag, a raise skips to the next iteration
//     flag clear: done
//   checked: slots = saved; the loop as written, from the first iteration
//            the fast run did not finish
//
// Without a scatter the fast run is the whole loop (in chunks, leaving once
// the flag is set) and the checked run starts from the loop's start. With
// one, the fast run is chunked here:
//
//   for each chunk of ScatterChunk iterations:
//     saved = slots; flag = 0
//     for j in chunk: the body, its scatter's ops replaced by recording
//                     whether the store ran (take[j]) and the operands the
//                     scatter needs that the body computes (buf[j])
//     if flag: checked run from the chunk's first iteration
//     for j in chunk: if take[j]: the scatter's ops, on buf[j], checked
//
// The first inner loop has no store to memory it reads and no branch to a
// raise, so LLVM vectorises it (the histogram's division and conversion);
// the second is a short scalar loop of loads, the combining op and stores.
//
//===----------------------------------------------------------------------===//

#include "codegen/Lowering.h"
#include "llvm/IR/MDBuilder.h"

using namespace kiln;
using namespace kiln::codegen;
using namespace llvm;
using ir::OpData;
using ir::OpKind;

/// Iterations per chunk of a split scatter: the recorded operands stay in
/// the first-level cache.
static constexpr int64_t ScatterChunk = 512;

struct FunctionLowering::ScatterRun {
  std::vector<ir::OpId> Ops;        ///< the scatter's ops, in order
  std::vector<ir::ValueId> Inputs;  ///< their operands the loop body computes
  std::vector<ir::OpId> Consts;     ///< their constant operands (made again)
  std::vector<AllocaInst *> Vars;   ///< each input's value at the store
  std::vector<AllocaInst *> Bufs;   ///< [ScatterChunk x T] per input
  AllocaInst *TakeVar = nullptr;    ///< whether this iteration stored (i8)
  AllocaInst *TakeBuf = nullptr;    ///< [ScatterChunk x i8]
  /// The largest index into the target each checked array.index of it
  /// gave in the chunk (wrapped, unsigned): all are in bounds if it is.
  std::vector<std::pair<const OpData *, AllocaInst *>> IndexMax;
};

void FunctionLowering::lowerDeferredFor(const OpData &Op) {
  // The slots the body writes, the arrays it indexes with checks and the
  // loads of arrays, the values it defines and its scatter.
  std::vector<ir::ValueId> Slots;
  std::vector<const OpData *> Indexed, Loads;
  std::set<uint32_t> Defined = {F.region(Op.Regions[0]).Args[0].Index};
  ScatterRun Run;
  bool HasFloatToInt = false;
  F.walkRegion(Op.Regions[0], [&](ir::OpId O) {
    const OpData &D = F.op(O);
    if (D.Erased)
      return;
    for (ir::ValueId R : D.Results)
      Defined.insert(R.Index);
    if (D.Kind == OpKind::Store && !llvm::is_contained(Slots, D.Operands[1]))
      Slots.push_back(D.Operands[1]);
    if (D.Kind == OpKind::ArrayIndex && !D.Attrs.has("in_bounds"))
      Indexed.push_back(&D);
    if (D.Attrs.has("scatter"))
      Run.Ops.push_back(O);
    else if (D.Kind == OpKind::ArrayLoad)
      Loads.push_back(&D);
    HasFloatToInt |= D.Kind == OpKind::Cast && F.typeOf(D.Operands[0]).isFloating() &&
                     F.typeOf(D.Results[0]).isInteger();
  });
  // Without a vector float-to-int64 conversion, the first loop of a
  // histogram's split scatter converts lane by lane and loses to the loop
  // as written (0.020 s against 0.017 s with AVX2, where AVX-512 takes
  // 0.010 s).
  if (!Run.Ops.empty() && !ML.VectorFloatToInt64 && HasFloatToInt)
    return lowerSerialFor(Op, /*Hints=*/true);
  AllocaB.SetInsertPoint(&LF->getEntryBlock(), LF->getEntryBlock().begin());
  std::vector<AllocaInst *> Saved;
  for (ir::ValueId S : Slots) {
    llvm::Type *T = ty(F.typeOf(S).pointee());
    Saved.push_back(AllocaB.CreateAlloca(T, nullptr, "deferred.saved"));
    B.CreateStore(B.CreateLoad(T, val(S)), Saved.back());
  }

  // An index `i + c` of this loop's variable (unit step) is in bounds on
  // every iteration when it is at the first and the last: tested here, and
  // not checked in the loop, so its loads stay affine (vectorise without
  // gathers). Any other index that fails reads element 0 instead: its axis
  // must have one.
  ir::ValueId IV = F.region(Op.Regions[0]).Args[0];
  auto Step = ir::constIntOf(F, Op.Operands[2]);
  Value *Guard = B.getTrue();
  DeferInBounds.clear();
  for (const OpData *D : Indexed) {
    unsigned Axis = (unsigned)D->Attrs.getInt("axis");
    Value *Dim = B.CreateExtractValue(val(D->Operands[0]), {1u, Axis});
    auto [Base, C] = ir::splitOffset(F, D->Operands[1]);
    if (Step && *Step == 1 && Base == IV) {
      // lo + c >= 0 and (hi - 1) + c < dim, as lo >= -c and hi <= dim - c
      // (no overflow: 0 <= dim < 2**63 and |c| <= 2**32).
      Value *NotNeg = B.CreateICmpSGE(val(Op.Operands[0]), B.getInt64(-C));
      Value *Below = B.CreateICmpSLE(val(Op.Operands[1]), B.CreateSub(Dim, B.getInt64(C)));
      Guard = B.CreateAnd(Guard, B.CreateAnd(NotNeg, Below));
      DeferInBounds.insert(D);
      continue;
    }
    Guard = B.CreateAnd(Guard, B.CreateICmpSGT(Dim, B.getInt64(0)));
  }

  if (!Run.Ops.empty()) {
    // The scatter runs after the chunk's reads: no array read may share
    // memory with its target. (Reads through a view made in the loop are
    // reads of the view's source, defined before it.)
    const OpData &Store = F.op(Run.Ops.back());
    ir::ValueId Target = Store.Operands[1];
    std::vector<ir::ValueId> Read;
    for (const OpData *L : Loads) {
      ir::ValueId A = L->Operands[0];
      if (Defined.count(A.Index)) {
        // an array.sub of an array defined before the loop (rule 4)
        assert(F.op(F.definingOp(A)).Kind == OpKind::ArraySub && "a view made in the loop");
        A = F.op(F.definingOp(A)).Operands[0];
        assert(!Defined.count(A.Index) && "a view of a view made in the loop");
      }
      if (!llvm::is_contained(Read, A))
        Read.push_back(A);
    }
    for (ir::ValueId A : Read)
      Guard = B.CreateAnd(Guard, B.CreateNot(arraysMeet(val(A), F.typeOf(A), val(Target),
                                                         F.typeOf(Target))));
    // The scatter's operands computed in the body are recorded (constants
    // are made again).
    for (ir::OpId O : Run.Ops)
      for (ir::ValueId V : F.op(O).Operands) {
        ir::OpId Def = F.definingOp(V);
        if (!Defined.count(V.Index) || llvm::is_contained(Run.Ops, Def))
          continue;
        if (Def.isValid() && F.op(Def).Kind == OpKind::Const)
          Run.Consts.push_back(Def);
        else if (!llvm::is_contained(Run.Inputs, V))
          Run.Inputs.push_back(V);
      }
    for (ir::ValueId V : Run.Inputs) {
      llvm::Type *T = ty(F.typeOf(V));
      Run.Vars.push_back(AllocaB.CreateAlloca(T, nullptr, "scatter.var"));
      Run.Bufs.push_back(AllocaB.CreateAlloca(ArrayType::get(T, ScatterChunk), nullptr, "scatter.buf"));
    }
    for (const OpData *D : Indexed)
      if (D->Operands[0] == Target && !DeferInBounds.count(D))
        Run.IndexMax.push_back({D, AllocaB.CreateAlloca(B.getInt64Ty(), nullptr, "scatter.max")});
    Run.TakeVar = AllocaB.CreateAlloca(B.getInt8Ty(), nullptr, "scatter.take");
    Run.TakeBuf = AllocaB.CreateAlloca(ArrayType::get(B.getInt8Ty(), ScatterChunk), nullptr,
                                       "scatter.takes");
  }

  BasicBlock *Fast = newBlock("deferred.fast"), *Checked = newBlock("deferred.checked"),
             *Done = newBlock("deferred.done");
  BasicBlock *Pre = B.GetInsertBlock();
  B.CreateCondBr(Guard, Fast, Checked);
  // The checked run starts where the fast one could not go on.
  PHINode *From = PHINode::Create(B.getInt64Ty(), 2, "deferred.from", Checked);
  From->addIncoming(val(Op.Operands[0]), Pre);

  B.SetInsertPoint(Fast);
  AllocaInst *Flag = AllocaB.CreateAlloca(B.getInt8Ty(), nullptr, "deferred.flag");
  if (!Run.Ops.empty()) {
    lowerScatterChunks(Op, Run, Flag, Checked, From, Done, Slots, Saved);
  } else {
    B.CreateStore(B.getInt8(0), Flag);
    DeferFlag = Flag;
    lowerSerialFor(Op, /*Hints=*/true);
    DeferFlag = nullptr;
    Value *Failed = deferFailed(Flag);
    From->addIncoming(val(Op.Operands[0]), B.GetInsertBlock());
    B.CreateCondBr(Failed, Checked, Done, MDBuilder(Ctx).createUnlikelyBranchWeights());
  }

  // A check failed (or the loop did not start): from the saved slots, as
  // written.
  Checked->moveAfter(&LF->back());
  B.SetInsertPoint(Checked);
  for (size_t K = 0; K < Slots.size(); ++K)
    B.CreateStore(B.CreateLoad(Saved[K]->getAllocatedType(), Saved[K]), val(Slots[K]));
  lowerSerialFor(Op, /*Hints=*/true, From);
  B.CreateBr(Done);
  Done->moveAfter(&LF->back());
  B.SetInsertPoint(Done);
}

void FunctionLowering::lowerScatterChunks(const OpData &Op, ScatterRun &Run, AllocaInst *Flag,
                                          BasicBlock *Checked, PHINode *From, BasicBlock *Done,
                                          ArrayRef<ir::ValueId> Slots,
                                          ArrayRef<AllocaInst *> Saved) {
  IntegerType *I64 = B.getInt64Ty();
  Value *Lo = val(Op.Operands[0]), *Step = val(Op.Operands[2]);
  auto [NonEmpty, Trip] = tripCount(Lo, val(Op.Operands[1]), Step);
  BasicBlock *Pre = B.GetInsertBlock();
  BasicBlock *Chunk = newBlock("scatter.chunk"), *Body = newBlock("scatter.body"),
             *Latch = newBlock("scatter.latch"), *Replay = newBlock("scatter.replay"),
             *Store = newBlock("scatter.store"), *Next = newBlock("scatter.next"),
             *ChunkEnd = newBlock("scatter.chunk.end");
  B.CreateCondBr(NonEmpty, Chunk, Done);

  // A chunk: min(ScatterChunk, trip - k) iterations from i.
  B.SetInsertPoint(Chunk);
  PHINode *KC = B.CreatePHI(I64, 2, "scatter.k");
  PHINode *IC = B.CreatePHI(I64, 2, "scatter.i");
  KC->addIncoming(B.getInt64(0), Pre);
  IC->addIncoming(Lo, Pre);
  Value *Left = B.CreateSub(Trip, KC);
  Value *Len = B.CreateSelect(B.CreateICmpULT(Left, B.getInt64(ScatterChunk)), Left,
                              B.getInt64(ScatterChunk), "scatter.len");
  for (size_t K = 0; K < Slots.size(); ++K)
    B.CreateStore(B.CreateLoad(Saved[K]->getAllocatedType(), val(Slots[K])), Saved[K]);
  B.CreateStore(B.getInt8(0), Flag);
  for (auto &[Index, Max] : Run.IndexMax)
    B.CreateStore(B.getInt64(0), Max);
  B.CreateBr(Body);

  // The body, checks flagged, the scatter recorded.
  B.SetInsertPoint(Body);
  PHINode *J = B.CreatePHI(I64, 2, "scatter.j");
  PHINode *IV = B.CreatePHI(I64, 2);
  J->addIncoming(B.getInt64(0), Chunk);
  IV->addIncoming(IC, Chunk);
  setVal(F.region(Op.Regions[0]).Args[0], IV);
  // (Set each iteration, so that no value is carried from one to the next.)
  B.CreateStore(B.getInt8(0), Run.TakeVar);
  for (AllocaInst *Var : Run.Vars)
    B.CreateStore(Constant::getNullValue(Var->getAllocatedType()), Var);
  DeferFlag = Flag;
  Scattering = &Run;
  Loops.push_back({Done, Latch, nullptr, IV});
  lowerRegion(Op.Regions[0]);
  Loops.pop_back();
  Scattering = nullptr;
  DeferFlag = nullptr;
  if (live())
    B.CreateBr(Latch);
  Latch->moveAfter(&LF->back());
  B.SetInsertPoint(Latch);
  auto Slot = [&](AllocaInst *Buf, Value *Index) {
    return B.CreateInBoundsGEP(Buf->getAllocatedType(), Buf, {B.getInt64(0), Index});
  };
  for (size_t K = 0; K < Run.Inputs.size(); ++K)
    B.CreateStore(B.CreateLoad(Run.Vars[K]->getAllocatedType(), Run.Vars[K]),
                  Slot(Run.Bufs[K], J));
  B.CreateStore(B.CreateLoad(B.getInt8Ty(), Run.TakeVar), Slot(Run.TakeBuf, J));
  Value *JNext = B.CreateAdd(J, B.getInt64(1), "", /*NUW=*/true);
  Value *IVNext = B.CreateAdd(IV, Step);
  BranchInst *Back = B.CreateCondBr(B.CreateICmpNE(JNext, Len), Body, Replay);
  if (MDNode *MD = loopMetadata(Op.Attrs))
    Back->setMetadata(LLVMContext::MD_loop, MD);
  J->addIncoming(JNext, Latch);
  IV->addIncoming(IVNext, Latch);

  // A failed check: the chunk again, checked, and on to the loop's end.
  Replay->moveAfter(&LF->back());
  B.SetInsertPoint(Replay);
  From->addIncoming(IC, Replay);
  BasicBlock *Scatter = newBlock("scatter.run");
  Value *Failed = deferFailed(Flag);
  for (auto &[Index, Max] : Run.IndexMax) {
    unsigned Axis = (unsigned)Index->Attrs.getInt("axis");
    Value *Dim = B.CreateExtractValue(val(Index->Operands[0]), {1u, Axis});
    Failed = B.CreateOr(Failed, B.CreateICmpUGE(B.CreateLoad(B.getInt64Ty(), Max), Dim));
  }
  B.CreateCondBr(Failed, Checked, Scatter,
                 MDBuilder(Ctx).createUnlikelyBranchWeights());

  // The recorded scatter, in order, checked.
  Scatter->moveAfter(&LF->back());
  B.SetInsertPoint(Scatter);
  B.CreateBr(Next);
  Next->moveAfter(&LF->back());
  B.SetInsertPoint(Next);
  PHINode *S = B.CreatePHI(I64, 2, "scatter.s");
  S->addIncoming(B.getInt64(0), Scatter);
  Value *Take = B.CreateLoad(B.getInt8Ty(), Slot(Run.TakeBuf, S));
  BasicBlock *NextLatch = newBlock("scatter.next.latch");
  B.CreateCondBr(B.CreateICmpNE(Take, B.getInt8(0)), Store, NextLatch);
  Store->moveAfter(&LF->back());
  B.SetInsertPoint(Store);
  for (size_t K = 0; K < Run.Inputs.size(); ++K)
    setVal(Run.Inputs[K], B.CreateLoad(Run.Vars[K]->getAllocatedType(), Slot(Run.Bufs[K], S)));
  for (ir::OpId O : Run.Consts)
    lowerOp(O);
  for (ir::OpId O : Run.Ops)
    lowerOp(O);
  B.CreateBr(NextLatch);
  NextLatch->moveAfter(&LF->back());
  B.SetInsertPoint(NextLatch);
  Value *SNext = B.CreateAdd(S, B.getInt64(1), "", /*NUW=*/true);
  S->addIncoming(SNext, NextLatch);
  B.CreateCondBr(B.CreateICmpNE(SNext, Len), Next, ChunkEnd);

  ChunkEnd->moveAfter(&LF->back());
  B.SetInsertPoint(ChunkEnd);
  pollInterrupt();
  Value *KNext = B.CreateAdd(KC, Len, "", /*NUW=*/true);
  KC->addIncoming(KNext, B.GetInsertBlock());
  IC->addIncoming(IVNext, B.GetInsertBlock());
  B.CreateCondBr(B.CreateICmpNE(KNext, Trip), Chunk, Done);
}

void FunctionLowering::recordScatter(const OpData &Op) {
  // The load and the combining op run in the second loop; the store
  // records that it ran, with its operands as they are now.
  if (Op.Kind != OpKind::ArrayStore)
    return;
  for (size_t K = 0; K < Scattering->Inputs.size(); ++K)
    B.CreateStore(val(Scattering->Inputs[K]), Scattering->Vars[K]);
  B.CreateStore(B.getInt8(1), Scattering->TakeVar);
}

bool FunctionLowering::recordScatterIndex(const OpData &Op, Value *Wrapped) {
  for (auto &[Index, Max] : Scattering->IndexMax)
    if (Index == &Op) {
      // An index of the scatter's target: no per-element check (its value
      // is only recorded), only its running maximum, tested after the chunk.
      Value *Old = B.CreateLoad(B.getInt64Ty(), Max);
      B.CreateStore(B.CreateBinaryIntrinsic(Intrinsic::umax, Old, Wrapped), Max);
      return true;
    }
  return false;
}

//===- LowerParallel.cpp - `for [parallel]` through kiln_parallel_for -----===//
//
// A loop marked `parallel` (passes/Parallelize.cpp) becomes:
//
//   parent:   env = {every value the body uses from outside; a slot's value}
//             grain = work >= ParallelWork ? 0 (runtime's chunks) : trip (one chunk)
//             status = kiln_parallel_for(0, trip, grain, kiln.par.f.N, &env)
//             if status != 0: fail
//   kiln.par.f.N(lo, hi, env):   (i32: 0, or 1 after recording an error)
//             load the captured values; each slot gets a private copy
//             (one the body writes is reset before it is read in each
//             iteration: the frontend's promise; one it only reads holds
//             the loop's starting value)
//             for k in [lo, hi): i = start + k * step; body
//   (any start, a constant positive step)
//
// The runtime (runtime/parallel.c) runs the chunks on its pool of threads, keeps
// the error of the lowest failing chunk, polls Ctrl-C between chunks, and
// runs everything on the calling thread for one chunk, one thread or a
// nested call. Little work (fewer than ParallelWork elements, counting the
// nested loops whose bounds are known before the loop) stays one chunk, so
// small arrays pay no thread start-up; inside another loop, little work runs
// an inline copy of the loop instead, with no call at all.
//
// A loop also marked `reduction` (passes/Parallelize.cpp) with enough work
// runs its trip count in chunks of grain = ceil(trip / 256) iterations
// (rounded up to 256 for an innermost loop): kiln_parallel_for runs the
// chunk indices [0, chunks), and chunk k reduces its iterations from each
// accumulator's identity (-0.0 for sums, 1 for products, +-inf for
// minnum/maxnum, ...) into element k of a partials array in the caller's
// frame; the caller then combines the partials into the accumulator in
// chunk order. The chunks depend on the trip count alone, so the result is
// the same for every thread count and on the runtime's serial paths. With
// little work the loop runs as written. An array accumulator gets a private
// copy per chunk (from the call's arena, filled with the identity, the body
// reading and writing it in place of the array), added into the array in
// chunk order; with such arrays the chunks are fewer, so that the copies
// hold at most PrivateElements elements and each chunk has at least 4
// iterations, and with fewer than two the loop runs as written.
//
//===----------------------------------------------------------------------===//

#include "codegen/Lowering.h"
#include "llvm/IR/CFG.h"
#include <set>

using namespace kiln;
using namespace kiln::codegen;
using namespace llvm;
using ir::OpData;
using ir::OpKind;

/// Below this many elements (iterations times nested iterations) a parallel
/// loop runs as one chunk on the calling thread.
static constexpr int64_t ParallelWork = 1 << 15;
/// A reduction with enough work is cut into at most this many chunks, each
/// reduced from the identity into its own partial result: the partials live
/// in the caller's frame and are combined in chunk order.
static constexpr int64_t ReduceChunks = 256;

namespace {
/// Values a region uses but does not define, in first-use order, and the
/// slots among them that it stores into.
struct Captures {
  std::vector<ir::ValueId> Values;
  std::set<uint32_t> Stored;
};

void defined(const ir::Function &F, ir::RegionId R, std::set<uint32_t> &Out) {
  for (ir::ValueId A : F.region(R).Args)
    Out.insert(A.Index);
  for (ir::OpId O : F.region(R).Ops) {
    const OpData &D = F.op(O);
    if (D.Erased)
      continue;
    for (ir::ValueId V : D.Results)
      Out.insert(V.Index);
    for (ir::RegionId Sub : D.Regions)
      defined(F, Sub, Out);
  }
}

void uses(const ir::Function &F, ir::RegionId R, const std::set<uint32_t> &Inside,
          std::set<uint32_t> &Seen, Captures &C) {
  for (ir::OpId O : F.region(R).Ops) {
    const OpData &D = F.op(O);
    if (D.Erased)
      continue;
    for (ir::ValueId V : D.Operands)
      if (!Inside.count(V.Index) && Seen.insert(V.Index).second)
        C.Values.push_back(V);
    if (D.Kind == OpKind::Store && !Inside.count(D.Operands[1].Index))
      C.Stored.insert(D.Operands[1].Index);
    for (ir::RegionId Sub : D.Regions)
      uses(F, Sub, Inside, Seen, C);
  }
}
} // namespace

FunctionLowering::FunctionLowering(ModuleLowering &ML, const ir::Function &F,
                                   llvm::Function *Outlined)
    : ML(ML), F(F), LF(Outlined), Ctx(ML.Ctx), B(ML.Ctx), AllocaB(ML.Ctx),
      Vals(F.numValueSlots(), nullptr) {}

/// \p V computed before the loop whose body defines \p Inside: a value
/// from outside, or integer arithmetic on such values and constants; else
/// null.
Value *FunctionLowering::valueBefore(ir::ValueId V, const std::set<uint32_t> &Inside) {
  if (!Inside.count(V.Index))
    return val(V);
  ir::OpId Def = F.definingOp(V);
  if (!Def.isValid())
    return nullptr;
  const OpData &D = F.op(Def);
  if (D.Kind == OpKind::Const && F.typeOf(V).isInt())
    return lowerConst(D);
  if ((D.Kind != OpKind::Add && D.Kind != OpKind::Sub && D.Kind != OpKind::Mul) ||
      !F.typeOf(V).isInt())
    return nullptr;
  Value *X = valueBefore(D.Operands[0], Inside);
  Value *Y = X ? valueBefore(D.Operands[1], Inside) : nullptr;
  if (!Y)
    return nullptr;
  // (Wrapping: only an estimate.)
  return D.Kind == OpKind::Add ? B.CreateAdd(X, Y)
         : D.Kind == OpKind::Sub ? B.CreateSub(X, Y)
                                 : B.CreateMul(X, Y);
}

bool FunctionLowering::lowerParallelFor(const OpData &Op) {
  // range(lo, hi, step) with a constant positive step.
  auto *StepC = dyn_cast<ConstantInt>(val(Op.Operands[2]));
  if (!StepC || StepC->getSExtValue() <= 0)
    return false;

  ir::RegionId Body = Op.Regions[0];
  std::vector<ReductionAcc> Accs;
  if (Op.Attrs.has("reduction") && (Accs = reductionAccs(Op)).empty())
    return false;
  std::set<uint32_t> Inside, Seen;
  defined(F, Body, Inside);
  Captures C;
  uses(F, Body, Inside, Seen, C);
  for (ir::ValueId V : {Op.Operands[0], Op.Operands[2]}) // start and step
    if (Seen.insert(V.Index).second)
      C.Values.push_back(V);
  // Constants are rebuilt in the body, not passed: LLVM must see them
  // (a unit step, a C-order stride) to vectorise.
  std::vector<ir::ValueId> Passed;
  std::vector<std::pair<ir::ValueId, Constant *>> Consts;
  for (ir::ValueId V : C.Values) {
    if (auto *K = dyn_cast<Constant>(val(V)))
      Consts.push_back({V, K});
    else
      Passed.push_back(V);
  }
  C.Values = Passed;

  // The environment: one field per captured value; a slot's is its value
  // (its address would escape, and LLVM would keep the slot in memory in
  // this function too, reloading it after every array store).
  std::vector<llvm::Type *> Fields;
  for (ir::ValueId V : C.Values)
    Fields.push_back(F.typeOf(V).isRef() ? ty(F.typeOf(V).pointee()) : val(V)->getType());
  if (!Accs.empty()) {
    // A reduction's grain and trip count, then its partials' arrays.
    Fields.push_back(B.getInt64Ty());
    Fields.push_back(B.getInt64Ty());
    Fields.insert(Fields.end(), Accs.size(), B.getPtrTy());
  }
  StructType *EnvTy = StructType::get(Ctx, Fields);
  AllocaB.SetInsertPoint(&LF->getEntryBlock(), LF->getEntryBlock().begin());
  Value *Env = AllocaB.CreateAlloca(EnvTy, nullptr, "par.env");
  for (unsigned I = 0; I < C.Values.size(); ++I) {
    Value *V = val(C.Values[I]);
    if (F.typeOf(C.Values[I]).isRef())
      V = B.CreateLoad(Fields[I], V);
    B.CreateStore(V, B.CreateStructGEP(EnvTy, Env, I));
  }

  // The outlined body.
  auto *I64 = B.getInt64Ty();
  FunctionType *BodyTy = FunctionType::get(B.getInt32Ty(), {I64, I64, B.getPtrTy()}, false);
  llvm::Function *Fn = llvm::Function::Create(BodyTy, GlobalValue::InternalLinkage,
                                              "kiln.par." + F.name(), ML.LM);
  ML.setCommonAttrs(*Fn);
  Fn->addFnAttr(Attribute::NoUnwind);
  FunctionLowering Sub(ML, F, Fn);
  for (auto &[V, K] : Consts)
    Sub.Vals[V.Index] = K;
  Sub.lowerOutlinedBody(Op, C.Values, C.Stored, EnvTy, Accs);
  if (!Sub.Unsupported.empty() && Unsupported.empty())
    Unsupported = Sub.Unsupported;

  // Work estimate: the trip count times that of the nested loops whose
  // bounds are known out here (`range(1, m - 1)` in the body too).
  auto [NonEmpty, Count] = tripCount(val(Op.Operands[0]), val(Op.Operands[1]), StepC);
  Value *Trip = B.CreateSelect(NonEmpty, Count, B.getInt64(0), "par.trip");
  Value *Work = Trip;
  for (ir::RegionId R = Body;;) {
    const OpData *Inner = nullptr;
    for (ir::OpId O : F.region(R).Ops)
      if (!F.op(O).Erased && F.op(O).Kind == OpKind::For) {
        Inner = &F.op(O);
        break;
      }
    Value *N = Inner ? valueBefore(Inner->Operands[1], Inside) : nullptr;
    if (!N)
      break;
    Work = B.CreateMul(Work, B.CreateSelect(B.CreateICmpSGT(N, B.getInt64(1)), N, B.getInt64(1)));
    R = Inner->Regions[0];
  }
  Value *Enough = B.CreateICmpSGE(Work, B.getInt64(ParallelWork));
  if (!Accs.empty()) {
    lowerParallelReduction(Op, Accs, Trip, Enough, Fn, Env, EnvTy, C.Values.size());
    return true;
  }
  // The runtime's chunks: a multiple of 256 iterations for an innermost
  // loop (its vector steps then never straddle a chunk, whatever the thread
  // count), any number of rows for a loop over rows.
  Value *PickGrain = B.getInt64(containsLoop(Body) ? -1 : -256);
  FunctionCallee ParFor = ML.parallelForFn();
  if (Loops.empty()) {
    // Little work runs as one chunk on this thread.
    Value *OneChunk = B.CreateSelect(B.CreateICmpSGT(Trip, B.getInt64(0)), Trip, B.getInt64(1));
    Value *Grain = B.CreateSelect(Enough, PickGrain, OneChunk, "par.grain");
    Value *Status = B.CreateCall(ParFor, {B.getInt64(0), Trip, Grain, Fn, Env}, "par.status");
    failIf(B.CreateICmpNE(Status, B.getInt32(0)));
    return true;
  }
  // Inside another loop the call would be made on every outer iteration
  // (`x.T @ v`: a short row loop in a long one), so little work runs the
  // loop inline instead, where LLVM can vectorise it with the outer loop's
  // values in registers.
  BasicBlock *Call = newBlock("par.call"), *Serial = newBlock("par.serial"),
             *Join = newBlock("par.join");
  B.CreateCondBr(Enough, Call, Serial);
  B.SetInsertPoint(Serial);
  lowerSerialFor(Op, /*Hints=*/false);
  if (live())
    B.CreateBr(Join);
  Call->moveAfter(&LF->back());
  B.SetInsertPoint(Call);
  Value *Status = B.CreateCall(ParFor, {B.getInt64(0), Trip, PickGrain, Fn, Env}, "par.status");
  failIf(B.CreateICmpNE(Status, B.getInt32(0)));
  B.CreateBr(Join);
  Join->moveAfter(&LF->back());
  B.SetInsertPoint(Join);
  return true;
}

void FunctionLowering::lowerOutlinedBody(const OpData &Op, ArrayRef<ir::ValueId> Captured,
                                         const std::set<uint32_t> &Stored, StructType *EnvTy,
                                         ArrayRef<ReductionAcc> Accs) {
  BasicBlock *Entry = BasicBlock::Create(Ctx, "entry", LF);
  FailBB = BasicBlock::Create(Ctx, "fail", LF);
  B.SetInsertPoint(Entry);
  AllocaB.SetInsertPoint(Entry);
  Value *LoArg = LF->getArg(0), *HiArg = LF->getArg(1), *Env = LF->getArg(2);
  for (unsigned I = 0; I < Captured.size(); ++I) {
    ir::ValueId V = Captured[I];
    Value *Field = B.CreateStructGEP(EnvTy, Env, I);
    if (F.typeOf(V).isRef()) {
      // Each chunk gets its own slot: one the body writes is reset before
      // it is read in each iteration (the frontend's promise); one it only
      // reads starts with the value the loop starts with.
      llvm::Type *T = EnvTy->getElementType(I);
      Value *Slot = AllocaB.CreateAlloca(T, nullptr, F.value(V).Name + ".private");
      if (!Stored.count(V.Index))
        B.CreateStore(B.CreateLoad(T, Field), Slot);
      setVal(V, Slot);
      continue;
    }
    setVal(V, B.CreateLoad(EnvTy->getElementType(I), Field));
  }
  // The iterations [Lo, Hi): lo and hi, or for a reduction those of chunk
  // ChunkK, each chunk from the accumulators' identities.
  Value *Lo = LoArg, *Hi = HiArg;
  PHINode *ChunkK = nullptr;
  BasicBlock *Done = nullptr;
  if (!Accs.empty()) {
    unsigned N = Captured.size();
    Value *Grain = B.CreateLoad(B.getInt64Ty(), B.CreateStructGEP(EnvTy, Env, N), "red.grain");
    Value *Trip = B.CreateLoad(B.getInt64Ty(), B.CreateStructGEP(EnvTy, Env, N + 1), "red.trip");
    BasicBlock *Chunk = newBlock("red.chunk");
    Done = newBlock("red.done");
    // Array accumulators: their size and the array as captured.
    std::vector<Value *> Sizes(Accs.size()), Captured0(Accs.size());
    for (unsigned I = 0; I < Accs.size(); ++I)
      if (Accs[I].Array.isValid()) {
        Sizes[I] = accumulatorSize(Accs[I]);
        Captured0[I] = val(Accs[I].Array);
      }
    B.CreateCondBr(B.CreateICmpSLT(LoArg, HiArg), Chunk, Done);
    B.SetInsertPoint(Chunk);
    ChunkK = B.CreatePHI(B.getInt64Ty(), 2, "red.k");
    ChunkK->addIncoming(LoArg, Entry);
    for (unsigned I = 0; I < Accs.size(); ++I) {
      const ReductionAcc &A = Accs[I];
      if (A.Slot.isValid()) {
        B.CreateStore(reductionIdentity(A), val(A.Slot));
        continue;
      }
      // This chunk's private copy of the array, from the identity; the
      // body reads and writes it in place of the array.
      llvm::Type *MemT = ML.elementMemType(F.typeOf(A.Array).elementType());
      Value *Base =
          B.CreateLoad(B.getPtrTy(), B.CreateStructGEP(EnvTy, Env, Captured.size() + 2 + I));
      Value *Mine = B.CreateGEP(MemT, Base, B.CreateMul(ChunkK, Sizes[I]), "red.private");
      Value *Id = reductionIdentity(A);
      countedLoop(Sizes[I], "red.fill", [&](Value *E) {
        B.CreateStore(Id, B.CreateGEP(MemT, Mine, E));
      });
      setVal(A.Array, B.CreateInsertValue(Captured0[I], Mine, {0u}));
    }
    Lo = B.CreateMul(ChunkK, Grain, "red.lo", /*NUW=*/true, /*NSW=*/true);
    Hi = B.CreateBinaryIntrinsic(Intrinsic::smin, B.CreateAdd(Lo, Grain, "", true, true), Trip,
                                 nullptr, "red.hi");
  }
  BasicBlock *Pre = B.GetInsertBlock();
  BasicBlock *Body = newBlock("par.body");
  BasicBlock *Latch = newBlock("par.latch");
  BasicBlock *Exit = newBlock("par.end");
  B.CreateCondBr(B.CreateICmpSLT(Lo, Hi), Body, Exit);
  B.SetInsertPoint(Body);
  PHINode *K = B.CreatePHI(B.getInt64Ty(), 2, "par.k");
  K->addIncoming(Lo, Pre);
  // Iteration k is index lo + k * step (lo and step are captured values).
  Value *IV = B.CreateAdd(val(Op.Operands[0]), B.CreateMul(K, val(Op.Operands[2]), "", false, true),
                          "par.i", false, true);
  setVal(F.region(Op.Regions[0]).Args[0], IV);
  Loops.push_back({Exit, Latch, nullptr, IV});
  lowerRegion(Op.Regions[0]);
  Loops.pop_back();
  if (live())
    B.CreateBr(Latch);
  if (pred_empty(Latch)) {
    Latch->eraseFromParent();
  } else {
    Latch->moveAfter(&LF->back());
    B.SetInsertPoint(Latch);
    Value *Next = B.CreateAdd(K, B.getInt64(1), "par.k.next", /*NUW=*/true, /*NSW=*/true);
    // (No loop metadata: `parallel` here is about threads; LLVM decides
    // on vectorising this loop, which is often not the innermost.)
    B.CreateCondBr(B.CreateICmpNE(Next, Hi), Body, Exit);
    K->addIncoming(Next, B.GetInsertBlock());
  }
  Exit->moveAfter(&LF->back());
  B.SetInsertPoint(Exit);
  if (ChunkK) {
    // This chunk's partials, then the next chunk.
    for (unsigned I = 0; I < Accs.size(); ++I) {
      if (!Accs[I].Slot.isValid())
        continue; // (the private copy holds it)
      Value *Partials =
          B.CreateLoad(B.getPtrTy(), B.CreateStructGEP(EnvTy, Env, Captured.size() + 2 + I));
      llvm::Type *T = ty(F.typeOf(Accs[I].Slot).pointee());
      B.CreateStore(B.CreateLoad(T, val(Accs[I].Slot)), B.CreateGEP(T, Partials, ChunkK));
    }
    Value *NextK = B.CreateAdd(ChunkK, B.getInt64(1), "red.k.next", true, true);
    ChunkK->addIncoming(NextK, B.GetInsertBlock());
    B.CreateCondBr(B.CreateICmpNE(NextK, HiArg), ChunkK->getParent(), Done);
    Done->moveAfter(&LF->back());
    B.SetInsertPoint(Done);
  }
  B.CreateRet(B.getInt32(0));

  finishErrorPaths([](IRBuilder<> &FB) { FB.CreateRet(FB.getInt32(1)); });
}

std::vector<FunctionLowering::ReductionAcc>
FunctionLowering::reductionAccs(const OpData &Loop) const {
  // The one store of each combining op's result names its accumulator: a
  // variable, or an array.
  std::vector<ReductionAcc> Accs;
  F.walkRegion(Loop.Regions[0], [&](ir::OpId S) {
    const OpData &St = F.op(S);
    if (St.Kind != OpKind::Store && St.Kind != OpKind::ArrayStore)
      return;
    ir::OpId C = F.definingOp(St.Operands[0]);
    if (!C.isValid() || !F.op(C).Attrs.has("reduction"))
      return;
    if (St.Kind == OpKind::Store)
      Accs.push_back({St.Operands[1], ir::ValueId(), &F.op(C)});
    else
      Accs.push_back({ir::ValueId(), St.Operands[1], &F.op(C)});
  });
  return Accs;
}

Value *FunctionLowering::reductionIdentity(const ReductionAcc &A) {
  llvm::Type *T = ty(F.typeOf(A.Combine->Results[0]));
  bool Fp = T->isFloatingPointTy();
  switch (A.Combine->Kind) {
  case OpKind::Add:
  case OpKind::Sub:
    // -0.0: x + -0.0 is x for every x, +0.0 and -0.0 included.
    return Fp ? ConstantFP::get(T, -0.0) : Constant::getNullValue(T);
  case OpKind::Mul:
    return Fp ? ConstantFP::get(T, 1.0) : ConstantInt::get(T, 1);
  case OpKind::BitAnd:
    return Constant::getAllOnesValue(T);
  case OpKind::BitOr:
  case OpKind::BitXor:
    return Constant::getNullValue(T);
  case OpKind::Math:
    return ConstantFP::getInfinity(T, /*Negative=*/A.Combine->Attrs.getStr("fn") == "maxnum");
  default:
    llvm_unreachable("not a reduction's combining op (passes/Analysis.cpp)");
  }
}

Value *FunctionLowering::combinePartials(const ReductionAcc &A, Value *X, Value *Y) {
  bool Fp = X->getType()->isFloatingPointTy();
  switch (A.Combine->Kind) {
  case OpKind::Add:
  case OpKind::Sub: // partials of `s - x` accumulate -x
    return Fp ? B.CreateFAdd(X, Y) : B.CreateAdd(X, Y);
  case OpKind::Mul:
    return Fp ? B.CreateFMul(X, Y) : B.CreateMul(X, Y);
  case OpKind::BitAnd:
    return B.CreateAnd(X, Y);
  case OpKind::BitOr:
    return B.CreateOr(X, Y);
  case OpKind::BitXor:
    return B.CreateXor(X, Y);
  case OpKind::Math:
    return binaryIntrinsic(A.Combine->Attrs.getStr("fn") == "maxnum" ? Intrinsic::maxnum
                                                                      : Intrinsic::minnum,
                           X, Y);
  default:
    llvm_unreachable("not a reduction's combining op (passes/Analysis.cpp)");
  }
}

Value *FunctionLowering::accumulatorSize(const ReductionAcc &A) {
  Value *Arr = val(A.Array);
  Value *Size = B.getInt64(1);
  for (unsigned D = 0; D < F.typeOf(A.Array).ndim(); ++D)
    Size = B.CreateMul(Size, B.CreateExtractValue(Arr, {1u, D}), "", /*NUW=*/true, /*NSW=*/true);
  return Size;
}

void FunctionLowering::countedLoop(Value *N, const Twine &Name,
                                   const std::function<void(Value *)> &Body) {
  BasicBlock *Pre = B.GetInsertBlock();
  BasicBlock *Loop = newBlock(Name), *Done = newBlock(Name + ".end");
  B.CreateCondBr(B.CreateICmpSGT(N, B.getInt64(0)), Loop, Done);
  B.SetInsertPoint(Loop);
  PHINode *I = B.CreatePHI(B.getInt64Ty(), 2, Name + ".i");
  I->addIncoming(B.getInt64(0), Pre);
  Body(I);
  Value *Next = B.CreateAdd(I, B.getInt64(1), "", /*NUW=*/true, /*NSW=*/true);
  I->addIncoming(Next, B.GetInsertBlock());
  B.CreateCondBr(B.CreateICmpNE(Next, N), Loop, Done);
  Done->moveAfter(&LF->back());
  B.SetInsertPoint(Done);
}

/// Elements an array reduction's private copies may hold in all: with
/// more, fewer chunks (and fewer threads) share the loop.
static constexpr int64_t PrivateElements = 1 << 21;

void FunctionLowering::lowerParallelReduction(const OpData &Op, ArrayRef<ReductionAcc> Accs,
                                              Value *Trip, Value *Enough, llvm::Function *Fn,
                                              Value *Env, StructType *EnvTy, unsigned NumCaptured) {
  // At most ReduceChunks chunks, fewer when arrays are privatised: each
  // chunk has its own copy of each, within PrivateElements in all.
  Value *One = B.getInt64(1);
  Value *MaxChunks = B.getInt64(ReduceChunks);
  std::vector<Value *> Sizes(Accs.size());
  Value *Elements = B.getInt64(0);
  for (unsigned I = 0; I < Accs.size(); ++I)
    if (Accs[I].Array.isValid()) {
      Sizes[I] = accumulatorSize(Accs[I]);
      Elements = B.CreateAdd(Elements, Sizes[I], "", true, true);
    }
  if (llvm::any_of(Accs, [](const ReductionAcc &A) { return A.Array.isValid(); })) {
    Value *Fit = B.CreateUDiv(B.getInt64(PrivateElements),
                              B.CreateBinaryIntrinsic(Intrinsic::umax, Elements, One));
    MaxChunks = B.CreateBinaryIntrinsic(Intrinsic::umin, MaxChunks, Fit);
    // Each chunk fills and adds a copy as large as what one iteration may
    // write: at least 4 iterations per chunk, or the copies cost more than
    // the threads gain (x.T @ v of a 5 x 100000 x).
    MaxChunks = B.CreateBinaryIntrinsic(Intrinsic::umin, MaxChunks,
                                        B.CreateUDiv(Trip, B.getInt64(4)), nullptr,
                                        "red.maxchunks");
    Enough = B.CreateAnd(Enough, B.CreateICmpUGE(MaxChunks, B.getInt64(2)));
  }
  // Little work runs the loop as written, on this thread; enough work runs
  // in chunks fixed by the sizes alone, so the result is the same for every
  // thread count (and on the runtime's serial paths).
  BasicBlock *Call = newBlock("red.call"), *Serial = newBlock("red.serial"),
             *Join = newBlock("red.join");
  B.CreateCondBr(Enough, Call, Serial);
  B.SetInsertPoint(Serial);
  lowerSequentialFor(Op);
  if (live())
    B.CreateBr(Join);
  Call->moveAfter(&LF->back());
  B.SetInsertPoint(Call);

  // grain = ceil(trip / MaxChunks), rounded up to a multiple of 256
  // iterations for an innermost loop (vector steps never straddle chunks);
  // chunks = ceil(trip / grain) <= MaxChunks.
  auto CeilDiv = [&](Value *X, Value *Y) {
    return B.CreateUDiv(B.CreateAdd(X, B.CreateSub(Y, One)), Y);
  };
  Value *Align = B.getInt64(containsLoop(Op.Regions[0]) ? 1 : 256);
  Value *Grain = B.CreateMul(CeilDiv(CeilDiv(Trip, MaxChunks), Align), Align);
  Grain = B.CreateBinaryIntrinsic(Intrinsic::umax, Grain, One, nullptr, "red.grain");
  Value *Chunks = CeilDiv(Trip, Grain);
  B.CreateStore(Grain, B.CreateStructGEP(EnvTy, Env, NumCaptured));
  B.CreateStore(Trip, B.CreateStructGEP(EnvTy, Env, NumCaptured + 1));
  // Variables: a partial per chunk in this frame; arrays: a private copy
  // per chunk, from the call's arena.
  AllocaB.SetInsertPoint(&LF->getEntryBlock(), LF->getEntryBlock().begin());
  std::vector<Value *> Partials(Accs.size());
  for (unsigned I = 0; I < Accs.size(); ++I) {
    if (Accs[I].Slot.isValid()) {
      llvm::Type *T = ty(F.typeOf(Accs[I].Slot).pointee());
      Partials[I] = AllocaB.CreateAlloca(ArrayType::get(T, ReduceChunks), nullptr, "red.partials");
    } else {
      kiln::Type Elem = F.typeOf(Accs[I].Array).elementType();
      Value *Bytes = B.CreateMul(B.CreateMul(Chunks, Sizes[I], "", true, true),
                                 B.getInt64(ML.LM.getDataLayout().getTypeAllocSize(
                                     ML.elementMemType(Elem))),
                                 "", true, true);
      Partials[I] = B.CreateCall(ML.allocFn(), {Bytes}, "red.private");
      failIf(B.CreateICmpEQ(Partials[I], ConstantPointerNull::get(B.getPtrTy())));
    }
    B.CreateStore(Partials[I], B.CreateStructGEP(EnvTy, Env, NumCaptured + 2 + I));
  }
  Value *Status =
      B.CreateCall(ML.parallelForFn(), {B.getInt64(0), Chunks, One, Fn, Env}, "red.status");
  failIf(B.CreateICmpNE(Status, B.getInt32(0)));

  // The partials, in chunk order, into each accumulator.
  for (unsigned I = 0; I < Accs.size(); ++I) {
    const ReductionAcc &A = Accs[I];
    if (A.Slot.isValid()) {
      llvm::Type *T = ty(F.typeOf(A.Slot).pointee());
      countedLoop(Chunks, "red.combine", [&](Value *K) {
        Value *P = B.CreateLoad(T, B.CreateGEP(T, Partials[I], K));
        B.CreateStore(combinePartials(A, B.CreateLoad(T, val(A.Slot)), P), val(A.Slot));
      });
      continue;
    }
    kiln::Type Elem = F.typeOf(A.Array).elementType();
    llvm::Type *MemT = ML.elementMemType(Elem);
    Value *Data = B.CreateExtractValue(val(A.Array), {0u});
    countedLoop(Chunks, "red.combine", [&](Value *K) {
      Value *Mine = B.CreateGEP(MemT, Partials[I], B.CreateMul(K, Sizes[I], "", true, true));
      countedLoop(Sizes[I], "red.combine.elt", [&](Value *E) {
        Value *At = B.CreateGEP(MemT, Data, E);
        Value *P = B.CreateLoad(MemT, B.CreateGEP(MemT, Mine, E));
        B.CreateStore(combinePartials(A, B.CreateLoad(MemT, At), P), At);
      });
    });
    B.CreateCall(ML.freeFn(), {Partials[I]});
  }
  B.CreateBr(Join);
  Join->moveAfter(&LF->back());
  B.SetInsertPoint(Join);
}

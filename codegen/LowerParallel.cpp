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
  Sub.lowerOutlinedBody(Op, C.Values, C.Stored, EnvTy);
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
  // The runtime's chunks: a multiple of 256 iterations for an innermost
  // loop (its vector steps then never straddle a chunk, whatever the thread
  // count), any number of rows for a loop over rows.
  Value *PickGrain = B.getInt64(containsLoop(Body) ? -1 : -256);
  FunctionCallee ParFor = ML.LM.getOrInsertFunction(
      "kiln_parallel_for",
      FunctionType::get(B.getInt32Ty(), {I64, I64, I64, B.getPtrTy(), B.getPtrTy()}, false));
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
                                         const std::set<uint32_t> &Stored, StructType *EnvTy) {
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
  BasicBlock *Body = newBlock("par.body");
  BasicBlock *Latch = newBlock("par.latch");
  BasicBlock *Exit = newBlock("par.end");
  B.CreateCondBr(B.CreateICmpSLT(LoArg, HiArg), Body, Exit);
  B.SetInsertPoint(Body);
  PHINode *K = B.CreatePHI(B.getInt64Ty(), 2, "par.k");
  K->addIncoming(LoArg, Entry);
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
    B.CreateCondBr(B.CreateICmpNE(Next, HiArg), Body, Exit);
    K->addIncoming(Next, B.GetInsertBlock());
  }
  Exit->moveAfter(&LF->back());
  B.SetInsertPoint(Exit);
  B.CreateRet(B.getInt32(0));

  finishErrorPaths([](IRBuilder<> &FB) { FB.CreateRet(FB.getInt32(1)); });
}

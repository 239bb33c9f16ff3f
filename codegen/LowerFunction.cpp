//===- LowerFunction.cpp - Kiln IR functions to LLVM: control flow --------===//
//
// Lowers one IR function into its kiln.f.<name> LLVM function: the region
// tree (`if`, `while`, `for`, `break`, `continue`, `return`, `raise`),
// constants, tuples, slots, loads, stores and calls. Arithmetic, casts and
// math functions are in LowerArith.cpp.
//
// Structured control flow becomes blocks directly:
//
//   for %lo, %hi, %step {^(%i): body}   ==>   n = trip count (no overflow)
//                                             if n == 0 goto exit
//                                       body: i = phi [lo, pre], [i + step, latch]
//                                             ...
//                                      latch: k + 1 != n ? body : exit  !llvm.loop
//
// Code after a terminator in the same region is unreachable and is not
// emitted: the builder's insertion point is cleared and lowerRegion stops.
// Functions are never marked mustprogress (a Python `while True:` loop
// without side effects is legal and must not be deleted).
//
// Recursion: a function in a cycle of calls first compares the stack
// pointer with its thread's stack limit (a hidden last parameter) and raises
// RecursionError instead of running off the end of the thread's stack.
//
// Ctrl-C: every `while` iteration, and every iteration of a `for` that
// contains another loop, polls the runtime's kiln_interrupt_flag; when it
// is set, kiln_poll() runs Python's signal handlers on the main thread and
// the function fails with the exception one raised (KeyboardInterrupt), or
// goes on. Innermost `for` loops are bounded and are not polled, so they
// stay vectorisable.
//
//===----------------------------------------------------------------------===//

#include "codegen/Lowering.h"
#include "kiln/runtime.h"
#include "llvm/IR/CFG.h"
#include "llvm/IR/MDBuilder.h"

using namespace kiln;
using namespace kiln::codegen;
using namespace llvm;
using ir::OpData;
using ir::OpKind;

FunctionLowering::FunctionLowering(ModuleLowering &ML, const ir::Function &F)
    : ML(ML), F(F), LF(ML.function(F.name())), Ctx(ML.Ctx), B(ML.Ctx), AllocaB(ML.Ctx),
      Vals(F.numValueSlots(), nullptr) {}

Error FunctionLowering::run() {
  BasicBlock *Entry = BasicBlock::Create(Ctx, "entry", LF);
  FailBB = BasicBlock::Create(Ctx, "fail", LF);
  B.SetInsertPoint(Entry);
  AllocaB.SetInsertPoint(Entry);

  ArrayRef<ir::ValueId> Params = F.params();
  for (unsigned I = 0; I < Params.size(); ++I)
    setVal(Params[I], LF->getArg(I));
  if (ML.Recursive.count(F.name())) {
    StackLimit = LF->getArg(Params.size());
    StackLimit->setName("stack.limit");
    checkStackRoom();
  }

  lowerRegion(F.body());

  if (live()) {
    // Falling off the end returns None; the verifier guarantees explicit
    // returns elsewhere, so reaching here in a valued function is a bug
    // that must not become undefined behaviour.
    if (F.resultType().isNone())
      B.CreateRet(B.getFalse());
    else
      raiseNow("SystemError",
               "kiln: function `" + F.name() + "` ended without returning a value");
  }

  finishErrorPaths([&](IRBuilder<> &FB) {
    if (F.resultType().isNone())
      FB.CreateRet(FB.getTrue());
    else
      FB.CreateRet(FB.CreateInsertValue(PoisonValue::get(LF->getReturnType()),
                                        FB.getTrue(), 1));
  });

  if (!Unsupported.empty())
    return createStringError(inconvertibleErrorCode(), "in function `%s`: %s",
                             F.name().c_str(), Unsupported.c_str());
  return Error::success();
}

void FunctionLowering::finishErrorPaths(const std::function<void(IRBuilder<> &)> &ReturnFailed) {
  // Error paths go last, so the function reads top-down along its hot path.
  for (auto &KV : RaiseBlocks)
    KV.second->moveAfter(&LF->back());
  for (BasicBlock *Poll : PollBlocks)
    Poll->moveAfter(&LF->back());
  if (pred_empty(FailBB)) {
    FailBB->eraseFromParent();
  } else {
    FailBB->moveAfter(&LF->back());
    IRBuilder<> FB(FailBB);
    ReturnFailed(FB);
  }
}

Value *FunctionLowering::val(ir::ValueId V) const {
  Value *LV = Vals[V.Index];
  assert(LV && "use of a value that was not lowered (unreachable or undominated)");
  return LV;
}

void FunctionLowering::setVal(ir::ValueId V, Value *LV) {
  const std::string &Name = F.value(V).Name;
  if (!Name.empty() && !isa<Constant>(LV) && !LV->hasName())
    LV->setName(Name);
  Vals[V.Index] = LV;
}

BasicBlock *FunctionLowering::newBlock(const Twine &Name) {
  return BasicBlock::Create(Ctx, Name, LF);
}

Value *FunctionLowering::unsupported(const Twine &What, llvm::Type *Ty) {
  if (Unsupported.empty())
    Unsupported = What.str();
  return Ty->isVoidTy() ? nullptr : PoisonValue::get(Ty);
}

//===----------------------------------------------------------------------===//
// Error paths
//===----------------------------------------------------------------------===//

BasicBlock *FunctionLowering::raiseBlock(StringRef Exc, StringRef Msg) {
  BasicBlock *&BB = RaiseBlocks[{Exc.str(), Msg.str(), FailBB}];
  if (BB)
    return BB;
  BB = newBlock("raise");
  IRBuilder<> RB(BB);
  RB.CreateCall(ML.raiseMsgFn(), {ML.cstring(Exc), ML.cstring(Msg)});
  RB.CreateBr(FailBB);
  return BB;
}

void FunctionLowering::deferFail(Value *Cond) {
  // (A byte, not an i1: vectorised, an i1 flag becomes mask registers,
  // which AVX-512 code runs short of and spills.)
  Value *Old = B.CreateLoad(B.getInt8Ty(), DeferFlag);
  B.CreateStore(B.CreateOr(Old, B.CreateZExt(Cond, B.getInt8Ty())), DeferFlag);
}

Value *FunctionLowering::deferFailed(Value *Flag) {
  return B.CreateICmpNE(B.CreateLoad(B.getInt8Ty(), Flag), B.getInt8(0), "deferred.failed");
}

void FunctionLowering::raiseIf(Value *Cond, StringRef Exc, StringRef Msg) {
  if (auto *C = dyn_cast<ConstantInt>(Cond); C && C->isZero())
    return;
  if (DeferFlag)
    return deferFail(Cond);
  BasicBlock *Cont = newBlock("ok");
  B.CreateCondBr(Cond, raiseBlock(Exc, Msg), Cont,
                 MDBuilder(Ctx).createUnlikelyBranchWeights());
  B.SetInsertPoint(Cont);
}

void FunctionLowering::raiseNow(StringRef Exc, StringRef Msg) {
  if (DeferFlag)
    return deferSkip();
  B.CreateBr(raiseBlock(Exc, Msg));
  B.ClearInsertionPoint();
}

void FunctionLowering::deferSkip() {
  // The rest of the iteration is skipped: the loop runs again, checked.
  B.CreateStore(B.getInt8(1), DeferFlag);
  B.CreateBr(Loops.back().Continue);
  B.ClearInsertionPoint();
}

void FunctionLowering::checkStackRoom() {
  // The stack pointer after this function's prologue (its frame included).
  Value *SP = B.CreatePtrToInt(B.CreateStackSave("sp"), B.getInt64Ty());
  // CPython's message for the same failure.
  raiseIf(B.CreateICmpULT(SP, StackLimit), "RecursionError", "maximum recursion depth exceeded");
}

Value *FunctionLowering::stackLimit() {
  return StackLimit ? StackLimit : B.CreateCall(ML.stackLimitFn(), {}, "stack.limit");
}

void FunctionLowering::pollInterrupt() {
  LoadInst *Flag = B.CreateLoad(B.getInt32Ty(), ML.interruptFlag(), /*isVolatile=*/true,
                                "interrupt");
  BasicBlock *Poll = newBlock("poll"), *Cont = newBlock("ok");
  PollBlocks.push_back(Poll);
  B.CreateCondBr(B.CreateICmpNE(Flag, B.getInt32(0)), Poll, Cont,
                 MDBuilder(Ctx).createUnlikelyBranchWeights());
  IRBuilder<> PB(Poll);
  Value *Raised = PB.CreateICmpNE(PB.CreateCall(ML.pollFn()), PB.getInt32(0));
  PB.CreateCondBr(Raised, FailBB, Cont, MDBuilder(Ctx).createUnlikelyBranchWeights());
  B.SetInsertPoint(Cont);
}

bool FunctionLowering::containsLoop(ir::RegionId R) const {
  for (ir::OpId O : F.region(R).Ops) {
    const OpData &Op = F.op(O);
    if (Op.Erased)
      continue;
    if (Op.Kind == OpKind::For || Op.Kind == OpKind::While)
      return true;
    for (ir::RegionId Sub : Op.Regions)
      if (containsLoop(Sub))
        return true;
  }
  return false;
}

void FunctionLowering::failIf(Value *Failed) {
  if (DeferFlag)
    return deferFail(Failed);
  BasicBlock *Cont = newBlock("ok");
  B.CreateCondBr(Failed, FailBB, Cont, MDBuilder(Ctx).createUnlikelyBranchWeights());
  B.SetInsertPoint(Cont);
}

BasicBlock *FunctionLowering::coldBranch(Value *Cond, BasicBlock *&Cont, const Twine &Name) {
  BasicBlock *Cold = newBlock(Name);
  Cont = newBlock("ok");
  if (DeferFlag) {
    // Any entry into a cold path (a check's error, or a rare valid case
    // that needs the slow code) runs the loop again, checked; the cold
    // code is emitted but never reached.
    deferFail(Cond);
    B.CreateBr(Cont);
    B.SetInsertPoint(Cold);
    return Cold;
  }
  B.CreateCondBr(Cond, Cold, Cont, MDBuilder(Ctx).createUnlikelyBranchWeights());
  B.SetInsertPoint(Cold);
  return Cold;
}

//===----------------------------------------------------------------------===//
// Regions and ops
//===----------------------------------------------------------------------===//

void FunctionLowering::lowerRegion(ir::RegionId R) {
  for (ir::OpId O : F.region(R).Ops) {
    if (!live())
      return; // the rest of the region is unreachable
    if (F.op(O).Erased)
      continue;
    lowerOp(O);
  }
}

void FunctionLowering::lowerOp(ir::OpId O) {
  const OpData &Op = F.op(O);
  if (Scattering && Op.Attrs.has("scatter"))
    return recordScatter(Op); // LowerDeferred.cpp
  switch (Op.Kind) {
  case OpKind::Const:
    setVal(Op.Results[0], lowerConst(Op));
    return;
  case OpKind::StrConst:
    setVal(Op.Results[0], ML.cstring(Op.Attrs.getStr("value")));
    return;
  case OpKind::Add:
  case OpKind::Sub:
  case OpKind::Mul:
  case OpKind::Div:
  case OpKind::FloorDiv:
  case OpKind::Mod:
  case OpKind::Pow:
  case OpKind::Neg:
  case OpKind::BitAnd:
  case OpKind::BitOr:
  case OpKind::BitXor:
  case OpKind::Invert:
  case OpKind::Shl:
  case OpKind::Shr:
  case OpKind::Not:
  case OpKind::Cmp:
  case OpKind::Select:
  case OpKind::Cast:
  case OpKind::Math:
    lowerArith(Op);
    return;
  case OpKind::ArrayDim:
  case OpKind::ArrayIndex:
  case OpKind::ArrayLoad:
  case OpKind::ArrayStore:
  case OpKind::ArraySub:
  case OpKind::ArrayAlloc:
  case OpKind::ArrayStride:
  case OpKind::ArrayView:
  case OpKind::ArrayOverlaps:
  case OpKind::ArraySort:
  case OpKind::ArrayFree:
    lowerArrayOp(Op);
    return;
  case OpKind::ListNew:
  case OpKind::ListLen:
  case OpKind::ListIndex:
  case OpKind::ListGet:
  case OpKind::ListSet:
  case OpKind::ListAppend:
  case OpKind::ListResize:
  case OpKind::ListInsert:
  case OpKind::ListRemove:
  case OpKind::ListSort:
  case OpKind::ListArgsort:
    lowerListOp(Op);
    return;
  case OpKind::DictNew:
  case OpKind::DictLen:
  case OpKind::DictVersion:
  case OpKind::DictContains:
  case OpKind::DictGet:
  case OpKind::DictInsert:
  case OpKind::DictRemove:
  case OpKind::DictNext:
  case OpKind::DictKeyAt:
  case OpKind::DictValueAt:
    lowerDictOp(Op);
    return;
  case OpKind::TupleMake: {
    Value *T = PoisonValue::get(ty(F.typeOf(Op.Results[0])));
    for (unsigned I = 0; I < Op.Operands.size(); ++I)
      T = B.CreateInsertValue(T, val(Op.Operands[I]), I);
    setVal(Op.Results[0], T);
    return;
  }
  case OpKind::TupleGet:
    setVal(Op.Results[0],
           B.CreateExtractValue(val(Op.Operands[0]),
                                static_cast<unsigned>(Op.Attrs.getInt("index"))));
    return;
  case OpKind::Slot: {
    // Every slot lives in the entry block, so mem2reg promotes it.
    llvm::Type *T = ty(F.typeOf(Op.Results[0]).pointee());
    AllocaB.SetInsertPoint(&LF->getEntryBlock(), LF->getEntryBlock().begin());
    setVal(Op.Results[0], AllocaB.CreateAlloca(T, nullptr, F.value(Op.Results[0]).Name));
    return;
  }
  case OpKind::Load:
    setVal(Op.Results[0],
           B.CreateLoad(ty(F.typeOf(Op.Results[0])), val(Op.Operands[0])));
    return;
  case OpKind::Store:
    B.CreateStore(val(Op.Operands[0]), val(Op.Operands[1]));
    return;
  case OpKind::Call:
    lowerCall(Op);
    return;
  case OpKind::If:
    lowerIf(Op);
    return;
  case OpKind::For:
    lowerFor(Op);
    return;
  case OpKind::While:
    lowerWhile(Op);
    return;
  case OpKind::Condition:
    assert(!Loops.empty() && Loops.back().Body && "condition outside a while");
    B.CreateCondBr(val(Op.Operands[0]), Loops.back().Body, Loops.back().Break);
    B.ClearInsertionPoint();
    return;
  case OpKind::Break:
    assert(!Loops.empty() && "break outside a loop");
    B.CreateBr(Loops.back().Break);
    B.ClearInsertionPoint();
    return;
  case OpKind::Continue:
    assert(!Loops.empty() && "continue outside a loop");
    B.CreateBr(Loops.back().Continue);
    B.ClearInsertionPoint();
    return;
  case OpKind::Return:
    lowerReturn(Op);
    return;
  case OpKind::Raise:
    lowerRaise(Op);
    return;
  case OpKind::Try:
    lowerTry(Op);
    return;
  case OpKind::RandomSeed:
  case OpKind::RandomDraw:
    lowerRandom(Op);
    return;
  case OpKind::Print:
    lowerPrint(Op);
    return;
  case OpKind::Catch:
    llvm_unreachable("catch is lowered by its try");
  case OpKind::Reraise: {
    // [depth = k]: the exception of the k-th enclosing catch out (`raise e`
    // naming an outer clause's exception).
    size_t Depth = Op.Attrs.has("depth") ? (size_t)Op.Attrs.getInt("depth") : 0;
    assert(Depth < CaughtSlots.size() && "reraise outside a catch");
    B.CreateCall(ML.runtimeFn("kiln_exc_reraise", B.getVoidTy(), {B.getPtrTy()}),
                 {CaughtSlots[CaughtSlots.size() - 1 - Depth]});
    B.CreateBr(FailBB);
    B.ClearInsertionPoint();
    return;
  }
  }
  llvm_unreachable("unknown op kind");
}

/// random.seed / random.draw: calls into the runtime's generators.
void FunctionLowering::lowerRandom(const OpData &Op) {
  Value *Gen = B.getInt32(Op.Attrs.getStr("gen") == "np" ? KILN_RNG_NP : KILN_RNG_PY);
  auto *I32 = B.getInt32Ty(), *I64 = B.getInt64Ty();
  auto *F64 = B.getDoubleTy();
  if (Op.Kind == OpKind::RandomSeed) {
    B.CreateCall(ML.runtimeFn("kiln_random_seed", B.getVoidTy(), {I32, I64}), {Gen, val(Op.Operands[0])});
    return;
  }
  const std::string &Kind = Op.Attrs.getStr("kind");
  Value *R;
  if (Kind == "below")
    R = B.CreateCall(ML.runtimeFn("kiln_random_below", I64, {I32, I64}), {Gen, val(Op.Operands[0])});
  else if (Kind == "gauss")
    R = B.CreateCall(ML.runtimeFn("kiln_random_gauss", F64, {I32}), {Gen});
  else if (Kind == "kmnormal")
    R = B.CreateCall(ML.runtimeFn("kiln_random_normalvariate", F64, {I32}), {Gen});
  else {
    // The thread's generator, fetched once at the function's entry (loops
    // that draw stay serial: they run on the calling thread).
    int G = Op.Attrs.getStr("gen") == "np" ? 1 : 0;
    if (!RngState[G]) {
      IRBuilder<> EB(&LF->getEntryBlock(), LF->getEntryBlock().getFirstInsertionPt());
      RngState[G] = EB.CreateCall(ML.runtimeFn("kiln_random_state", B.getPtrTy(), {I32}), {Gen}, "rng");
    }
    R = B.CreateCall(ML.runtimeFn("kiln_random_double_s", F64, {B.getPtrTy()}), {RngState[G]});
  }
  setVal(Op.Results[0], R);
}

/// print: the values flattened into slots, their type texts, and
/// kiln_print, which takes the GIL and calls Python's print().
void FunctionLowering::lowerPrint(const OpData &Op) {
  auto *Ptr = B.getPtrTy();
  unsigned NSlots = 0;
  for (ir::ValueId V : Op.Operands)
    NSlots += slotCount(F.typeOf(V));
  AllocaB.SetInsertPoint(&LF->getEntryBlock(), LF->getEntryBlock().begin());
  Value *Slots = AllocaB.CreateAlloca(B.getInt64Ty(), B.getInt32(std::max(NSlots, 1u)), "print.slots");
  Value *Types =
      AllocaB.CreateAlloca(Ptr, B.getInt32(std::max<size_t>(Op.Operands.size(), 1)), "print.types");
  unsigned Slot = 0;
  for (size_t I = 0; I < Op.Operands.size(); ++I) {
    kiln::Type T = F.typeOf(Op.Operands[I]);
    flattenToSlots(B, T, val(Op.Operands[I]), Slots, Slot);
    B.CreateStore(ML.cstring(T.str()), B.CreateConstInBoundsGEP1_32(Ptr, Types, I));
  }
  FunctionCallee Print = ML.runtimeFn(
      "kiln_print", B.getInt32Ty(), {B.getInt32Ty(), Ptr, Ptr, Ptr, Ptr, Ptr, B.getInt32Ty()});
  const ir::AttrValue *Flush = Op.Attrs.get("flush");
  bool DoFlush = Flush && std::holds_alternative<bool>(*Flush) && std::get<bool>(*Flush);
  Value *Layout = Op.Attrs.has("layout") ? static_cast<Value *>(ML.cstring(Op.Attrs.getStr("layout")))
                                         : ConstantPointerNull::get(Ptr);
  Value *RC = B.CreateCall(Print, {B.getInt32(Op.Operands.size()), Types, Slots, Layout,
                                   ML.cstring(Op.Attrs.getStr("sep")),
                                   ML.cstring(Op.Attrs.getStr("end")), B.getInt32(DoFlush)});
  failIf(B.CreateICmpNE(RC, B.getInt32(0)));
}

// try {body} {handlers} {else} {finally}:
//
//   body         failures go to try.landing
//   else         (when the body completes) failures go to `escape`
//   try.landing: for each catch: kiln_exc_matches(names)? -> its handler
//                (kiln_exc_catch moves the exception into the slot; the
//                handler's failures go to `escape`); none matches -> escape
//   escape:      finally.exc when there is a finally, else the outer FailBB
//   finally:     entered from finally.normal (flag 0) or finally.exc (the
//                exception moved into the slot, flag 1); at its end, flag 1
//                raises the slot's exception again.
//
// The frontend refuses return/break/continue leaving a try that has a
// finally, so every normal exit passes through finally.normal.
void FunctionLowering::lowerTry(const OpData &Op) {
  auto *Ptr = B.getPtrTy();
  FunctionCallee Matches = ML.runtimeFn("kiln_exc_matches", B.getInt32Ty(), {Ptr});
  FunctionCallee Catch = ML.runtimeFn("kiln_exc_catch", B.getVoidTy(), {Ptr});
  FunctionCallee Reraise = ML.runtimeFn("kiln_exc_reraise", B.getVoidTy(), {Ptr});

  // One slot per nesting depth of try statements (a handler's exception
  // lives while a try nested in it runs), not one per statement: frames
  // stay small in recursive functions.
  if (ExcSlots.size() <= TryDepth) {
    AllocaB.SetInsertPoint(&LF->getEntryBlock(), LF->getEntryBlock().begin());
    AllocaInst *A = AllocaB.CreateAlloca(ArrayType::get(B.getInt8Ty(), KILN_EXC_SLOT_SIZE),
                                         nullptr, "exc.slot");
    A->setAlignment(Align(8));
    ExcSlots.push_back(A);
  }
  Value *Slot = ExcSlots[TryDepth];
  struct DepthScope {
    unsigned &D;
    explicit DepthScope(unsigned &D) : D(D) { ++D; }
    ~DepthScope() { --D; }
  } InTry(TryDepth);

  bool HasFinally = !F.region(Op.Regions[3]).Ops.empty();
  BasicBlock *Outer = FailBB;
  BasicBlock *Done = newBlock("try.end");
  BasicBlock *FinNormal = HasFinally ? newBlock("finally.normal") : nullptr;
  BasicBlock *FinExc = HasFinally ? newBlock("finally.exc") : nullptr;
  BasicBlock *Normal = HasFinally ? FinNormal : Done;
  BasicBlock *Escape = HasFinally ? FinExc : Outer;
  BasicBlock *Landing = newBlock("try.landing");

  FailBB = Landing;
  lowerRegion(Op.Regions[0]);
  FailBB = Escape;
  if (live()) {
    lowerRegion(Op.Regions[2]);
    if (live())
      B.CreateBr(Normal);
  }

  if (pred_empty(Landing)) {
    Landing->eraseFromParent(); // nothing in the body can raise
  } else {
    Landing->moveAfter(&LF->back());
    B.SetInsertPoint(Landing);
    for (ir::OpId C : F.region(Op.Regions[1]).Ops) {
      const OpData &CO = F.op(C);
      if (CO.Erased)
        continue;
      assert(CO.Kind == OpKind::Catch && "a try's handlers region holds catch ops");
      const ir::AttrValue *Names = CO.Attrs.get("exc");
      std::string N = Names && std::holds_alternative<std::string>(*Names)
                          ? std::get<std::string>(*Names)
                          : "";
      BasicBlock *Handler = newBlock("except"), *Next = newBlock("except.next");
      Value *M = B.CreateCall(Matches, {ML.cstring(N)});
      B.CreateCondBr(B.CreateICmpNE(M, B.getInt32(0)), Handler, Next);
      B.SetInsertPoint(Handler);
      B.CreateCall(Catch, {Slot});
      CaughtSlots.push_back(Slot);
      lowerRegion(CO.Regions[0]);
      CaughtSlots.pop_back();
      if (live())
        B.CreateBr(Normal);
      Next->moveAfter(&LF->back());
      B.SetInsertPoint(Next);
    }
    B.CreateBr(Escape); // no handler matches
  }
  FailBB = Outer;

  if (HasFinally) {
    Value *Flag = AllocaB.CreateAlloca(B.getInt8Ty(), nullptr, "finally.raised");
    BasicBlock *Fin = newBlock("finally");
    FinNormal->moveAfter(&LF->back());
    B.SetInsertPoint(FinNormal);
    B.CreateStore(B.getInt8(0), Flag);
    B.CreateBr(Fin);
    FinExc->moveAfter(&LF->back());
    B.SetInsertPoint(FinExc);
    B.CreateCall(Catch, {Slot});
    B.CreateStore(B.getInt8(1), Flag);
    B.CreateBr(Fin);
    Fin->moveAfter(&LF->back());
    B.SetInsertPoint(Fin);
    lowerRegion(Op.Regions[3]);
    if (live()) {
      BasicBlock *Again = newBlock("finally.reraise");
      Value *Raised = B.CreateICmpNE(B.CreateLoad(B.getInt8Ty(), Flag), B.getInt8(0));
      B.CreateCondBr(Raised, Again, Done);
      B.SetInsertPoint(Again);
      B.CreateCall(Reraise, {Slot});
      B.CreateBr(Outer);
    }
  }

  if (pred_empty(Done)) {
    Done->eraseFromParent();
    B.ClearInsertionPoint();
  } else {
    Done->moveAfter(&LF->back());
    B.SetInsertPoint(Done);
  }
}

void FunctionLowering::lowerIf(const OpData &Op) {
  bool HasElse = !F.region(Op.Regions[1]).Ops.empty();
  BasicBlock *Then = newBlock("if.then");
  BasicBlock *Else = HasElse ? newBlock("if.else") : nullptr;
  BasicBlock *Merge = newBlock("if.end");
  B.CreateCondBr(val(Op.Operands[0]), Then, HasElse ? Else : Merge);

  B.SetInsertPoint(Then);
  lowerRegion(Op.Regions[0]);
  if (live())
    B.CreateBr(Merge);
  if (HasElse) {
    B.SetInsertPoint(Else);
    lowerRegion(Op.Regions[1]);
    if (live())
      B.CreateBr(Merge);
  }
  if (pred_empty(Merge)) {
    Merge->eraseFromParent();
    B.ClearInsertionPoint();
  } else {
    Merge->moveAfter(&LF->back());
    B.SetInsertPoint(Merge);
  }
}

void FunctionLowering::lowerWhile(const OpData &Op) {
  Value *Mark = arenaMark(Op);
  BasicBlock *Cond = newBlock("while.cond");
  BasicBlock *Body = newBlock("while.body");
  BasicBlock *Exit = newBlock("while.end");
  B.CreateBr(Cond);

  Loops.push_back({Exit, Cond, Body});
  B.SetInsertPoint(Cond);
  arenaRelease(Mark);
  pollInterrupt(); // on every path around the loop, `continue` included
  lowerRegion(Op.Regions[0]);
  assert(!live() && "while condition region must end in `condition`");
  B.SetInsertPoint(Body);
  lowerRegion(Op.Regions[1]);
  if (live()) {
    BranchInst *Back = B.CreateBr(Cond);
    if (MDNode *MD = loopMetadata(Op.Attrs))
      Back->setMetadata(LLVMContext::MD_loop, MD);
  }
  Loops.pop_back();

  Exit->moveAfter(&LF->back());
  if (pred_empty(Exit)) { // `while True:` without break
    Exit->eraseFromParent();
    B.ClearInsertionPoint();
  } else {
    B.SetInsertPoint(Exit);
    arenaRelease(Mark);
  }
}

void FunctionLowering::lowerFor(const OpData &Op) {
  if (Op.Attrs.has("parallel") && lowerParallelFor(Op))
    return;
  lowerSequentialFor(Op);
}

void FunctionLowering::lowerSequentialFor(const OpData &Op) {
  if (Op.Attrs.has("deferred_checks") && !DeferFlag)
    return lowerDeferredFor(Op);
  lowerSerialFor(Op, /*Hints=*/true);
}

std::pair<Value *, Value *> FunctionLowering::tripCount(Value *Lo, Value *Hi, Value *Step) {
  IntegerType *I64 = B.getInt64Ty();
  // The frontend rejects a zero step; a variable one is still checked here
  // (folded away for constants), as range() does.
  raiseIf(B.CreateICmpEQ(Step, ConstantInt::get(I64, 0)), "ValueError",
          "range() arg 3 must not be zero");

  // Trip count as CPython's range computes it, in unsigned arithmetic so
  // that no intermediate overflows: for step > 0 and lo < hi it is
  // (hi - lo - 1) / step + 1; for step < 0 and lo > hi, (lo - hi - 1) / -step + 1.
  Value *StepPos = B.CreateICmpSGT(Step, ConstantInt::get(I64, 0), "step.pos");
  Value *NonEmpty = B.CreateSelect(StepPos, B.CreateICmpSLT(Lo, Hi), B.CreateICmpSGT(Lo, Hi),
                                   "for.nonempty");
  Value *Dist = B.CreateSelect(StepPos, B.CreateSub(Hi, Lo), B.CreateSub(Lo, Hi));
  Value *AbsStep = B.CreateSelect(StepPos, Step, B.CreateNeg(Step));
  Value *Trip = B.CreateAdd(
      B.CreateUDiv(B.CreateSub(Dist, ConstantInt::get(I64, 1)), AbsStep),
      ConstantInt::get(I64, 1), "for.trip");
  return {NonEmpty, Trip};
}

void FunctionLowering::lowerSerialFor(const OpData &Op, bool Hints, Value *From) {
  Value *Lo = From ? From : val(Op.Operands[0]);
  Value *Hi = val(Op.Operands[1]);
  Value *Step = val(Op.Operands[2]);
  IntegerType *I64 = B.getInt64Ty();
  auto [NonEmpty, Trip] = tripCount(Lo, Hi, Step);

  // An innermost loop runs in chunks of ChunkSize iterations with a Ctrl-C
  // poll between chunks, so it stays interruptible while the chunk loop
  // itself has no calls and can vectorise. Loops containing loops poll in
  // their own latch instead.
  const int64_t ChunkSize = 1 << 16;
  bool Chunked = !containsLoop(Op.Regions[0]);
  // Arrays of one iteration die with it (passes/LoopTemporaries.cpp).
  Value *Mark = arenaMark(Op);
  BasicBlock *Pre = B.GetInsertBlock();
  BasicBlock *Outer = Chunked ? newBlock("for.chunk") : nullptr;
  BasicBlock *Body = newBlock("for.body");
  BasicBlock *Latch = newBlock("for.latch");
  BasicBlock *Exit = newBlock("for.end");
  B.CreateCondBr(NonEmpty, Chunked ? Outer : Body, Exit);

  PHINode *KChunk = nullptr, *IVChunk = nullptr;
  Value *ChunkEnd = Trip;
  BasicBlock *BodyEntryPred = Pre;
  Value *KStart = ConstantInt::get(I64, 0), *IVStart = Lo;
  if (Chunked) {
    B.SetInsertPoint(Outer);
    KChunk = B.CreatePHI(I64, 2, "for.kchunk");
    IVChunk = B.CreatePHI(I64, 2, "for.ichunk");
    KChunk->addIncoming(ConstantInt::get(I64, 0), Pre);
    IVChunk->addIncoming(Lo, Pre);
    // min(kchunk + ChunkSize, trip), without overflow: trip - kchunk > 0.
    Value *Left = B.CreateSub(Trip, KChunk);
    Value *Len = B.CreateSelect(B.CreateICmpULT(Left, ConstantInt::get(I64, ChunkSize)), Left,
                                ConstantInt::get(I64, ChunkSize));
    ChunkEnd = B.CreateAdd(KChunk, Len, "for.chunk.end", /*NUW=*/true);
    B.CreateBr(Body);
    BodyEntryPred = Outer;
    KStart = KChunk;
    IVStart = IVChunk;
  }

  B.SetInsertPoint(Body);
  PHINode *K = B.CreatePHI(I64, 2, "for.k");
  PHINode *IV = B.CreatePHI(I64, 2);
  K->addIncoming(KStart, BodyEntryPred);
  IV->addIncoming(IVStart, BodyEntryPred);
  setVal(F.region(Op.Regions[0]).Args[0], IV);
  arenaRelease(Mark);

  Loops.push_back({Exit, Latch, nullptr, IV});
  lowerRegion(Op.Regions[0]);
  Loops.pop_back();
  if (live())
    B.CreateBr(Latch);

  if (pred_empty(Latch)) { // every iteration leaves the loop
    Latch->eraseFromParent();
  } else {
    Latch->moveAfter(&LF->back());
    B.SetInsertPoint(Latch);
    if (!Chunked)
      pollInterrupt();
    // i + step may wrap after the last iteration; it is never used then.
    Value *KNext = B.CreateAdd(K, ConstantInt::get(I64, 1), "for.k.next", /*NUW=*/true);
    Value *IVNext = B.CreateAdd(IV, Step, "for.i.next");
    BasicBlock *AfterBody = Chunked ? newBlock("for.chunk.latch") : Exit;
    BranchInst *Back = B.CreateCondBr(B.CreateICmpNE(KNext, ChunkEnd), Body, AfterBody);
    if (MDNode *MD = Hints ? loopMetadata(Op.Attrs) : nullptr)
      Back->setMetadata(LLVMContext::MD_loop, MD);
    K->addIncoming(KNext, B.GetInsertBlock()); // the latch, or its tail after polling
    IV->addIncoming(IVNext, B.GetInsertBlock());
    if (Chunked) {
      AfterBody->moveAfter(&LF->back());
      B.SetInsertPoint(AfterBody);
      pollInterrupt();
      Value *More = B.CreateICmpNE(ChunkEnd, Trip);
      if (DeferFlag) // a failed check: the checked run takes over now
        More = B.CreateAnd(More, B.CreateNot(deferFailed(DeferFlag)));
      B.CreateCondBr(More, Outer, Exit);
      KChunk->addIncoming(ChunkEnd, B.GetInsertBlock());
      IVChunk->addIncoming(IVNext, B.GetInsertBlock());
    }
  }
  Exit->moveAfter(&LF->back());
  B.SetInsertPoint(Exit);
  arenaRelease(Mark);
}

Value *FunctionLowering::arenaMark(const OpData &Op) {
  if (!Op.Attrs.has("frees_temporaries"))
    return nullptr;
  FunctionCallee MarkFn = ML.LM.getOrInsertFunction(
      "kiln_arena_mark", FunctionType::get(B.getInt64Ty(), false));
  return B.CreateCall(MarkFn, {}, "arena.mark");
}

void FunctionLowering::arenaRelease(Value *Mark) {
  if (!Mark || !live())
    return;
  FunctionCallee ReleaseFn = ML.LM.getOrInsertFunction(
      "kiln_arena_release", FunctionType::get(B.getVoidTy(), {B.getInt64Ty()}, false));
  B.CreateCall(ReleaseFn, {Mark});
}

MDNode *FunctionLowering::loopMetadata(const ir::AttrList &Attrs) {
  SmallVector<Metadata *, 4> Ops{nullptr}; // self reference, set below
  auto Hint = [&](StringRef Name, Metadata *V) {
    Ops.push_back(MDNode::get(Ctx, {MDString::get(Ctx, Name), V}));
  };
  auto I32 = [&](int64_t V) { return ConstantAsMetadata::get(B.getInt32(V)); };
  auto True = [&] { return ConstantAsMetadata::get(B.getTrue()); };

  bool Enable = false;
  // (A reduction's serial loop keeps its order: reordering it is for the
  // passes that say so, such as `reassociate`.)
  if (const ir::AttrValue *P = Attrs.get("parallel"); P && !Attrs.has("reduction"))
    Enable |= !std::holds_alternative<bool>(*P) || std::get<bool>(*P);
  if (const ir::AttrValue *W = Attrs.get("vector_width"); W && std::holds_alternative<int64_t>(*W)) {
    int64_t Width = std::get<int64_t>(*W);
    if (Width > 1) {
      Hint("llvm.loop.vectorize.width", I32(Width));
      Enable = true;
    }
  }
  if (Enable)
    Hint("llvm.loop.vectorize.enable", True());
  if (const ir::AttrValue *IC = Attrs.get("interleave"); IC && std::holds_alternative<int64_t>(*IC))
    Hint("llvm.loop.interleave.count", I32(std::get<int64_t>(*IC)));
  if (Ops.size() == 1)
    return nullptr;
  MDNode *N = MDNode::getDistinct(Ctx, Ops);
  N->replaceOperandWith(0, N);
  return N;
}

void FunctionLowering::lowerCall(const OpData &Op) {
  const ir::AttrValue *CalleeAttr = Op.Attrs.get("callee");
  std::string Callee;
  if (CalleeAttr && std::holds_alternative<ir::SymbolRef>(*CalleeAttr))
    Callee = std::get<ir::SymbolRef>(*CalleeAttr).Name;
  else if (CalleeAttr && std::holds_alternative<std::string>(*CalleeAttr))
    Callee = std::get<std::string>(*CalleeAttr);
  Function *Fn = ML.function(Callee);
  assert(Fn && "call to an unknown function (the verifier checks this)");

  SmallVector<Value *, 8> Args;
  for (ir::ValueId A : Op.Operands)
    Args.push_back(val(A));
  if (ML.Recursive.count(Callee))
    Args.push_back(stackLimit());
  CallInst *Call = B.CreateCall(Fn, Args);
  if (Op.Results.empty()) {
    failIf(Call);
    return;
  }
  Value *Failed = B.CreateExtractValue(Call, 1);
  Value *Result = B.CreateExtractValue(Call, 0);
  failIf(Failed);
  setVal(Op.Results[0], Result);
}

void FunctionLowering::lowerReturn(const OpData &Op) {
  if (F.resultType().isNone()) {
    B.CreateRet(B.getFalse());
  } else {
    assert(Op.Operands.size() == 1 && "return needs a value");
    Value *R = B.CreateInsertValue(PoisonValue::get(LF->getReturnType()),
                                   val(Op.Operands[0]), 0);
    B.CreateRet(B.CreateInsertValue(R, B.getFalse(), 1));
  }
  B.ClearInsertionPoint();
}

void FunctionLowering::lowerRaise(const OpData &Op) {
  if (DeferFlag)
    return deferSkip(); // the checked run raises it
  const ir::AttrValue *ExcAttr = Op.Attrs.get("exc");
  std::string Exc = ExcAttr && std::holds_alternative<std::string>(*ExcAttr)
                        ? std::get<std::string>(*ExcAttr)
                        : "RuntimeError";
  unsigned N = Op.Operands.size();
  Value *Args = ConstantPointerNull::get(B.getPtrTy());
  if (N) {
    AllocaB.SetInsertPoint(&LF->getEntryBlock(), LF->getEntryBlock().begin());
    StructType *ArgTy = ML.argType();
    Args = AllocaB.CreateAlloca(ArgTy, B.getInt32(N), "exc.args");
    for (unsigned I = 0; I < N; ++I) {
      Type ArgT = F.typeOf(Op.Operands[I]);
      Value *V = val(Op.Operands[I]);
      char Tag = 'i';
      if (ArgT.isStr())
        Tag = 's';
      else if (ArgT.isFloat())
        Tag = 'f';
      else if (ArgT.isBool()) {
        Tag = 'b';
        V = B.CreateZExt(V, B.getInt64Ty());
      } else if (!ArgT.isInt()) {
        unsupported("raise with an argument of type `" + ArgT.str() + "`", B.getVoidTy());
        continue;
      }
      Value *Elt = B.CreateConstGEP1_32(ArgTy, Args, I);
      B.CreateStore(B.getInt32(Tag), B.CreateStructGEP(ArgTy, Elt, 0));
      B.CreateStore(B.getInt32(0), B.CreateStructGEP(ArgTy, Elt, 1));
      B.CreateStore(V, B.CreateStructGEP(ArgTy, Elt, 2));
    }
  }
  if (const ir::AttrValue *Fmt = Op.Attrs.get("fmt");
      Fmt && std::holds_alternative<std::string>(*Fmt)) {
    // One message built from a template: `raise [fmt = "n = {}"] %n`.
    auto *Ptr = B.getPtrTy();
    FunctionCallee RaiseFmt = ML.LM.getOrInsertFunction(
        "kiln_raise_fmt",
        FunctionType::get(B.getVoidTy(), {Ptr, Ptr, B.getInt32Ty(), Ptr}, false));
    B.CreateCall(RaiseFmt, {ML.cstring(Exc), ML.cstring(std::get<std::string>(*Fmt)),
                            B.getInt32(N), Args});
  } else {
    B.CreateCall(ML.raiseFn(), {ML.cstring(Exc), B.getInt32(N), Args});
  }
  B.CreateBr(FailBB);
  B.ClearInsertionPoint();
}

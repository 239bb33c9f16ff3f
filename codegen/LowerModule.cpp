//===- LowerModule.cpp - Kiln IR modules to LLVM modules ------------------===//
//
// The driver of the lowering: checks the IR, sets up the LLVM module for the
// target, declares one kiln.f.<name> per IR function, lowers each body
// (LowerFunction.cpp) and adds the Python-boundary tables (ModuleABI.cpp).
// Also holds what the functions share: the type mapping, the runtime's
// declarations, string constants and the int64 power helper.
//
//===----------------------------------------------------------------------===//

#include "codegen/Lowering.h"
#include "ir/Verifier.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/IR/Intrinsics.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/Target/TargetMachine.h"

using namespace kiln;
using namespace kiln::codegen;
using namespace llvm;

ModuleLowering::ModuleLowering(const ir::Module &IRM, llvm::Module &LM, const CodegenOptions &Opts)
    : IRM(IRM), LM(LM), Ctx(LM.getContext()), Opts(Opts) {}

llvm::Type *ModuleLowering::lowerType(kiln::Type T) {
  switch (T.kind()) {
  case TypeKind::None:
    return llvm::Type::getVoidTy(Ctx);
  case TypeKind::Bool:
    return llvm::Type::getInt1Ty(Ctx);
  case TypeKind::Int64:
    return llvm::Type::getInt64Ty(Ctx);
  case TypeKind::Float64:
    return llvm::Type::getDoubleTy(Ctx);
  case TypeKind::Float32:
    return llvm::Type::getFloatTy(Ctx);
  case TypeKind::Complex64:
  case TypeKind::Complex128: {
    llvm::Type *Part = lowerType(T.complexPart());
    return StructType::get(Ctx, {Part, Part});
  }
  case TypeKind::Int8:
  case TypeKind::Int16:
  case TypeKind::Int32:
  case TypeKind::UInt8:
  case TypeKind::UInt16:
  case TypeKind::UInt32:
  case TypeKind::UInt64:
    return llvm::Type::getIntNTy(Ctx, T.bitWidth());
  case TypeKind::Str:
  case TypeKind::Ref:
  case TypeKind::List:
  case TypeKind::Dict:
  case TypeKind::Set:
    return PointerType::getUnqual(Ctx);
  case TypeKind::Array:
    return arrayType(T);
  case TypeKind::Tuple: {
    SmallVector<llvm::Type *, 4> Elts;
    for (kiln::Type E : T.elements())
      Elts.push_back(lowerType(E));
    return StructType::get(Ctx, Elts);
  }
  case TypeKind::Invalid:
    break;
  }
  llvm_unreachable("invalid Kiln type");
}

llvm::Type *ModuleLowering::returnType(kiln::Type Result) {
  if (Result.isNone())
    return llvm::Type::getInt1Ty(Ctx);
  return StructType::get(Ctx, {lowerType(Result), llvm::Type::getInt1Ty(Ctx)});
}

void ModuleLowering::setCommonAttrs(llvm::Function &F) {
  F.addFnAttr(Attribute::NoUnwind);
  if (!TargetCPU.empty())
    F.addFnAttr("target-cpu", TargetCPU);
  if (!TargetFeatures.empty())
    F.addFnAttr("target-features", TargetFeatures);
}

void ModuleLowering::declareFunctions() {
  for (const auto &F : IRM.functions()) {
    SmallVector<llvm::Type *, 8> Params;
    for (ir::ValueId P : F->params())
      Params.push_back(lowerType(F->typeOf(P)));
    if (Recursive.count(F->name()))
      Params.push_back(llvm::Type::getInt64Ty(Ctx)); // the stack limit
    auto *FT = FunctionType::get(returnType(F->resultType()), Params, false);
    auto *LF = llvm::Function::Create(FT, GlobalValue::InternalLinkage, "kiln.f." + F->name(), LM);
    setCommonAttrs(*LF);
    if (Recursive.count(F->name())) // a frame larger than a page probes each
      LF->addFnAttr("probe-stack", "inline-asm");
    for (unsigned I = 0; I < F->params().size(); ++I) {
      const std::string &N = F->value(F->params()[I]).Name;
      if (!N.empty())
        LF->getArg(I)->setName(N);
    }
    Funcs[F->name()] = LF;
  }
}

llvm::Function *ModuleLowering::function(StringRef IRName) const {
  auto It = Funcs.find(IRName);
  return It == Funcs.end() ? nullptr : It->second;
}

Constant *ModuleLowering::cstring(StringRef S) {
  Constant *&C = Strings[S];
  if (!C) {
    Constant *Init = ConstantDataArray::getString(Ctx, S);
    auto *GV = new GlobalVariable(LM, Init->getType(), /*isConstant=*/true,
                                  GlobalValue::PrivateLinkage, Init, ".str");
    GV->setUnnamedAddr(GlobalValue::UnnamedAddr::Global);
    GV->setAlignment(Align(1));
    C = GV;
  }
  return C;
}

static FunctionCallee coldRuntimeFn(llvm::Module &M, StringRef Name, FunctionType *FT) {
  FunctionCallee C = M.getOrInsertFunction(Name, FT);
  if (auto *F = dyn_cast<llvm::Function>(C.getCallee())) {
    F->addFnAttr(Attribute::Cold);
    F->addFnAttr(Attribute::NoUnwind);
  }
  return C;
}

FunctionCallee ModuleLowering::runtimeFn(StringRef Name, llvm::Type *Ret,
                                         ArrayRef<llvm::Type *> Params) {
  FunctionCallee C = LM.getOrInsertFunction(Name, FunctionType::get(Ret, Params, false));
  if (auto *F = dyn_cast<llvm::Function>(C.getCallee()))
    F->addFnAttr(Attribute::NoUnwind);
  return C;
}

FunctionCallee ModuleLowering::raiseMsgFn() {
  auto *Ptr = PointerType::getUnqual(Ctx);
  return coldRuntimeFn(LM, "kiln_raise_msg",
                       FunctionType::get(llvm::Type::getVoidTy(Ctx), {Ptr, Ptr}, false));
}

FunctionCallee ModuleLowering::raiseFn() {
  auto *Ptr = PointerType::getUnqual(Ctx);
  return coldRuntimeFn(
      LM, "kiln_raise",
      FunctionType::get(llvm::Type::getVoidTy(Ctx), {Ptr, llvm::Type::getInt32Ty(Ctx), Ptr}, false));
}

FunctionCallee ModuleLowering::moduleCreateFn() {
  auto *Ptr = PointerType::getUnqual(Ctx);
  return LM.getOrInsertFunction("kiln_module_create", FunctionType::get(Ptr, {Ptr}, false));
}

FunctionCallee ModuleLowering::pollFn() {
  return coldRuntimeFn(LM, "kiln_poll", FunctionType::get(llvm::Type::getInt32Ty(Ctx), false));
}

GlobalVariable *ModuleLowering::interruptFlag() {
  if (GlobalVariable *GV = LM.getGlobalVariable("kiln_interrupt_flag"))
    return GV;
  auto *GV = new GlobalVariable(LM, llvm::Type::getInt32Ty(Ctx), /*isConstant=*/false,
                                GlobalValue::ExternalLinkage, nullptr, "kiln_interrupt_flag");
  // Defined (hidden) in the runtime archive linked into the same module.
  GV->setVisibility(GlobalValue::HiddenVisibility);
  GV->setAlignment(Align(4));
  return GV;
}

FunctionCallee ModuleLowering::stackLimitFn() {
  FunctionCallee C = LM.getOrInsertFunction(
      "kiln_stack_limit", FunctionType::get(llvm::Type::getInt64Ty(Ctx), false));
  // A constant of the calling thread: calls may be merged and hoisted
  // within a function (whose invocation never changes threads).
  if (auto *F = dyn_cast<llvm::Function>(C.getCallee())) {
    F->setDoesNotAccessMemory();
    F->addFnAttr(Attribute::NoUnwind);
    F->addFnAttr(Attribute::WillReturn);
  }
  return C;
}

StructType *ModuleLowering::argType() {
  if (StructType *T = StructType::getTypeByName(Ctx, "kiln_arg"))
    return T;
  auto *I32 = llvm::Type::getInt32Ty(Ctx);
  return StructType::create(Ctx, {I32, I32, llvm::Type::getInt64Ty(Ctx)}, "kiln_arg");
}

FunctionCallee ModuleLowering::libmFn(StringRef Name, unsigned NumArgs) {
  auto *D = llvm::Type::getDoubleTy(Ctx);
  SmallVector<llvm::Type *, 2> Params(NumArgs, D);
  FunctionCallee C = LM.getOrInsertFunction(Name, FunctionType::get(D, Params, false));
  if (auto *F = dyn_cast<llvm::Function>(C.getCallee())) {
    F->setDoesNotAccessMemory();
    F->addFnAttr(Attribute::NoUnwind);
    F->addFnAttr(Attribute::WillReturn);
  }
  return C;
}

llvm::Function *ModuleLowering::intPowHelper() {
  if (IntPow)
    return IntPow;
  auto *I64 = llvm::Type::getInt64Ty(Ctx);
  auto *I1 = llvm::Type::getInt1Ty(Ctx);
  auto *RetTy = StructType::get(Ctx, {I64, I1});
  IntPow = llvm::Function::Create(FunctionType::get(RetTy, {I64, I64}, false),
                                  GlobalValue::InternalLinkage, "kiln.ipow", LM);
  setCommonAttrs(*IntPow);
  IntPow->setDoesNotAccessMemory();
  IntPow->addFnAttr(Attribute::WillReturn);
  llvm::Argument *Base = IntPow->getArg(0), *Exp = IntPow->getArg(1);
  Base->setName("base");
  Exp->setName("exp");

  // result = 1; while (e) { if (e & 1) result *= b; e >>= 1; if (e) b *= b; }
  // Squaring b is skipped after the last bit, so it overflows only when the
  // result itself would.
  auto *Entry = BasicBlock::Create(Ctx, "entry", IntPow);
  auto *Loop = BasicBlock::Create(Ctx, "loop", IntPow);
  auto *Body = BasicBlock::Create(Ctx, "body", IntPow);
  auto *Next = BasicBlock::Create(Ctx, "next", IntPow);
  auto *Done = BasicBlock::Create(Ctx, "done", IntPow);
  auto *Ovf = BasicBlock::Create(Ctx, "overflow", IntPow);
  IRBuilder<> B(Entry);
  B.CreateBr(Loop);

  B.SetInsertPoint(Loop);
  PHINode *R = B.CreatePHI(I64, 2, "result");
  PHINode *Bv = B.CreatePHI(I64, 2, "b");
  PHINode *E = B.CreatePHI(I64, 2, "e");
  R->addIncoming(B.getInt64(1), Entry);
  Bv->addIncoming(Base, Entry);
  E->addIncoming(Exp, Entry);
  B.CreateCondBr(B.CreateICmpEQ(E, B.getInt64(0)), Done, Body);

  B.SetInsertPoint(Body);
  Value *Odd = B.CreateTrunc(E, I1);
  Value *M = B.CreateBinaryIntrinsic(Intrinsic::smul_with_overflow, R, Bv);
  Value *NewR = B.CreateSelect(Odd, B.CreateExtractValue(M, 0), R);
  Value *Ov1 = B.CreateAnd(Odd, B.CreateExtractValue(M, 1));
  Value *NewE = B.CreateLShr(E, 1);
  Value *Sq = B.CreateBinaryIntrinsic(Intrinsic::smul_with_overflow, Bv, Bv);
  Value *Ov2 = B.CreateAnd(B.CreateICmpNE(NewE, B.getInt64(0)), B.CreateExtractValue(Sq, 1));
  B.CreateCondBr(B.CreateOr(Ov1, Ov2), Ovf, Next);

  B.SetInsertPoint(Next);
  R->addIncoming(NewR, Next);
  Bv->addIncoming(B.CreateExtractValue(Sq, 0), Next);
  E->addIncoming(NewE, Next);
  B.CreateBr(Loop);

  B.SetInsertPoint(Done);
  Value *Ok = B.CreateInsertValue(PoisonValue::get(RetTy), R, 0);
  B.CreateRet(B.CreateInsertValue(Ok, B.getFalse(), 1));
  B.SetInsertPoint(Ovf);
  Value *Bad = B.CreateInsertValue(PoisonValue::get(RetTy), B.getInt64(0), 0);
  B.CreateRet(B.CreateInsertValue(Bad, B.getTrue(), 1));
  return IntPow;
}

static bool isIdentifier(StringRef S) {
  if (S.empty() || !(isAlpha(S[0]) || S[0] == '_'))
    return false;
  return llvm::all_of(S, [](char C) { return isAlnum(C) || C == '_'; });
}

Expected<std::unique_ptr<llvm::Module>>
codegen::lowerToLLVM(const ir::Module &M, LLVMContext &Ctx, TargetMachine &TM,
                     const CodegenOptions &Opts) {
  std::vector<std::string> Problems = ir::verify(M);
  if (!Problems.empty()) {
    std::string Msg = "internal compiler error: invalid Kiln IR reached codegen:";
    for (const std::string &P : Problems)
      Msg += "\n  " + P;
    return createStringError(inconvertibleErrorCode(), Msg);
  }
  if (!isIdentifier(M.Name))
    return createStringError(inconvertibleErrorCode(),
                             "module name `%s` is not a valid Python identifier",
                             M.Name.c_str());

  auto LM = std::make_unique<llvm::Module>(M.Name, Ctx);
  if (!M.SourcePath.empty())
    LM->setSourceFileName(M.SourcePath);
  LM->setTargetTriple(TM.getTargetTriple().str());
  LM->setDataLayout(TM.createDataLayout());
  LM->setPICLevel(PICLevel::BigPIC);

  ModuleLowering ML(M, *LM, Opts);
  ML.TargetCPU = TM.getTargetCPU().str();
  ML.TargetFeatures = TM.getTargetFeatureString().str();
  ML.VectorFloatToInt64 =
      !TM.getTargetTriple().isX86() || TM.getMCSubtargetInfo()->checkFeatures("+avx512dq");
  ML.Recursive = ir::recursiveFunctions(M);
  ML.declareFunctions();
  Error Errs = Error::success();
  for (const auto &F : M.functions())
    Errs = joinErrors(std::move(Errs), FunctionLowering(ML, *F).run());
  if (Errs)
    return Errs;
  if (Error E = emitModuleABI(ML))
    return E;
  return LM;
}

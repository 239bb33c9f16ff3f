//===- Pipeline.cpp - Target machine, optimisation, emission, linking -----===//
//
// The only file of Kiln that includes LLVM's pass-builder headers (they
// cost seconds of compile time per translation unit).
//
//   createTargetMachine  host triple, host (or given) CPU, PIC
//   optimizeModule       verifier, then the new PM's default O0..O3 pipeline
//                        with glibc's libmvec as vector library
//   emitFile             legacy PM (LLVM 19 emits objects only there)
//   linkSharedModule     `cc -shared`; output via a temporary file + rename
//
//===----------------------------------------------------------------------===//

#include "codegen/Codegen.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Analysis/TargetLibraryInfo.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/IR/Verifier.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/IR/InstIterator.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Transforms/Utils/Cloning.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/Target/TargetOptions.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/Triple.h"
#include <mutex>

using namespace kiln;
using namespace kiln::codegen;
using namespace llvm;

static Error makeError(const Twine &Msg) {
  return createStringError(inconvertibleErrorCode(), Msg.str());
}

static CodeGenOptLevel codeGenOptLevel(unsigned OptLevel) {
  switch (OptLevel) {
  case 0:
    return CodeGenOptLevel::None;
  case 1:
    return CodeGenOptLevel::Less;
  case 2:
    return CodeGenOptLevel::Default;
  default:
    return CodeGenOptLevel::Aggressive;
  }
}

Expected<std::unique_ptr<TargetMachine>> codegen::createTargetMachine(const CodegenOptions &Opts) {
  static std::once_flag Once;
  std::call_once(Once, [] {
    InitializeNativeTarget();
    InitializeNativeTargetAsmPrinter();
  });

  std::string TripleStr = sys::getDefaultTargetTriple();
  std::string Err;
  const Target *T = TargetRegistry::lookupTarget(TripleStr, Err);
  if (!T)
    return makeError("cannot generate code for `" + TripleStr + "`: " + Err);

  std::string CPU = Opts.TargetCPU;
  SmallVector<std::string, 64> Features;
  if (CPU.empty() || CPU == "native") {
    CPU = sys::getHostCPUName().str();
    for (const auto &F : sys::getHostCPUFeatures())
      Features.push_back((F.second ? "+" : "-") + F.first().str());
    llvm::sort(Features); // deterministic attribute strings
  }
  if (!Opts.TargetFeatures.empty())
    Features.push_back(Opts.TargetFeatures);

  TargetOptions TO;
  std::unique_ptr<TargetMachine> TM(T->createTargetMachine(
      TripleStr, CPU, join(Features, ","), TO, Reloc::PIC_, std::nullopt,
      codeGenOptLevel(Opts.OptLevel)));
  if (!TM)
    return makeError("cannot create a target machine for `" + TripleStr + "` (CPU `" + CPU + "`)");
  return TM;
}

/// Inlines the calls of a small self-recursive function to itself, two
/// levels deep, so each call does the work of several (`fib` makes a
/// seventh of the calls). LLVM's inliner never inlines recursion; GCC
/// unrolls it like this.
static void unrollSelfRecursion(Module &M) {
  auto SelfCalls = [](llvm::Function &F) {
    SmallVector<CallBase *, 8> Calls;
    for (Instruction &I : instructions(F))
      if (auto *CB = dyn_cast<CallBase>(&I))
        if (CB->getCalledFunction() == &F)
          Calls.push_back(CB);
    return Calls;
  };
  for (llvm::Function &F : M) {
    if (F.isDeclaration() || F.getInstructionCount() > 120)
      continue;
    SmallVector<CallBase *, 8> Calls = SelfCalls(F);
    if (Calls.empty() || Calls.size() > 2)
      continue;
    // Inline a snapshot of the original body, not one already grown.
    ValueToValueMapTy VMap;
    llvm::Function *Copy = CloneFunction(&F, VMap);
    for (unsigned Level = 0; Level < 2; ++Level) {
      for (CallBase *CB : Calls) {
        CB->setCalledFunction(Copy);
        InlineFunctionInfo IFI;
        (void)InlineFunction(*CB, IFI);
      }
      Calls = SelfCalls(F); // the calls the inlined copies brought in
    }
    // The copy's calls all went to F; nothing refers to the copy now.
    Copy->eraseFromParent();
  }
}

Error codegen::optimizeModule(Module &M, TargetMachine &TM, unsigned OptLevel) {
  std::string VerifierOut;
  raw_string_ostream VOS(VerifierOut);
  if (verifyModule(M, &VOS))
    return makeError("internal compiler error: generated LLVM IR is invalid:\n" + VOS.str());
  if (OptLevel >= 2)
    unrollSelfRecursion(M);

  LoopAnalysisManager LAM;
  FunctionAnalysisManager FAM;
  CGSCCAnalysisManager CGAM;
  ModuleAnalysisManager MAM;

  PipelineTuningOptions PTO;
  PTO.LoopVectorization = OptLevel >= 2;
  PTO.SLPVectorization = OptLevel >= 2;
  PTO.LoopUnrolling = OptLevel >= 2;
  PassBuilder PB(&TM, PTO);

  // Must be registered before registerFunctionAnalyses, which would
  // otherwise install a TargetLibraryAnalysis without libmvec.
  TargetLibraryInfoImpl TLII(Triple(M.getTargetTriple()));
  TLII.addVectorizableFunctionsFromVecLib(TargetLibraryInfoImpl::LIBMVEC_X86,
                                          Triple(M.getTargetTriple()));
  FAM.registerPass([&] { return TargetLibraryAnalysis(TLII); });
  FAM.registerPass([&] { return TM.getTargetIRAnalysis(); });

  PB.registerModuleAnalyses(MAM);
  PB.registerCGSCCAnalyses(CGAM);
  PB.registerFunctionAnalyses(FAM);
  PB.registerLoopAnalyses(LAM);
  PB.crossRegisterProxies(LAM, FAM, CGAM, MAM);

  ModulePassManager MPM;
  switch (OptLevel) {
  case 0:
    MPM = PB.buildO0DefaultPipeline(OptimizationLevel::O0);
    break;
  case 1:
    MPM = PB.buildPerModuleDefaultPipeline(OptimizationLevel::O1);
    break;
  case 2:
    MPM = PB.buildPerModuleDefaultPipeline(OptimizationLevel::O2);
    break;
  default:
    MPM = PB.buildPerModuleDefaultPipeline(OptimizationLevel::O3);
    break;
  }
  MPM.run(M, MAM);
  return Error::success();
}

/// A unique temporary path next to \p Final, so that the rename that
/// publishes it stays on one file system.
static Expected<std::string> siblingTemp(StringRef Final) {
  SmallString<256> Model(sys::path::parent_path(Final));
  sys::path::append(Model, "." + sys::path::filename(Final) + ".tmp-%%%%%%");
  SmallString<256> Path;
  int FD;
  if (std::error_code EC = sys::fs::createUniqueFile(Model, FD, Path))
    return makeError("cannot create a temporary file for `" + Final + "`: " + EC.message());
  sys::Process::SafelyCloseFileDescriptor(FD);
  return std::string(Path);
}

Error codegen::emitFile(Module &M, TargetMachine &TM, StringRef Path, bool Assembly) {
  Expected<std::string> Tmp = siblingTemp(Path);
  if (!Tmp)
    return Tmp.takeError();
  {
    std::error_code EC;
    raw_fd_ostream OS(*Tmp, EC, sys::fs::OF_None);
    if (EC)
      return makeError("cannot write `" + *Tmp + "`: " + EC.message());
    {
      // The pass manager owns a formatting stream over OS that flushes when
      // the manager dies: it must die before OS is closed.
      legacy::PassManager PM;
      PM.add(new TargetLibraryInfoWrapperPass(Triple(M.getTargetTriple())));
      if (TM.addPassesToEmitFile(PM, OS, nullptr,
                                 Assembly ? CodeGenFileType::AssemblyFile
                                          : CodeGenFileType::ObjectFile)) {
        sys::fs::remove(*Tmp);
        return makeError("the target cannot emit this file type");
      }
      PM.run(M);
    }
    OS.close();
    if (OS.has_error()) {
      std::string Msg = OS.error().message();
      OS.clear_error();
      sys::fs::remove(*Tmp);
      return makeError("cannot write `" + Path + "`: " + Msg);
    }
  }
  if (std::error_code EC = sys::fs::rename(*Tmp, Path)) {
    sys::fs::remove(*Tmp);
    return makeError("cannot write `" + Path + "`: " + EC.message());
  }
  return Error::success();
}

Error codegen::linkSharedModule(ArrayRef<std::string> Objects, StringRef Output,
                                StringRef RuntimeLib) {
  ErrorOr<std::string> CC = sys::findProgramByName("cc");
  if (!CC)
    return makeError("cannot find the C compiler `cc` to link `" + Output +
                     "`: " + CC.getError().message());
  Expected<std::string> Tmp = siblingTemp(Output);
  if (!Tmp)
    return Tmp.takeError();
  SmallString<128> Log;
  if (std::error_code EC = sys::fs::createTemporaryFile("kiln-link", "log", Log)) {
    sys::fs::remove(*Tmp);
    return makeError("cannot create a temporary file: " + EC.message());
  }

  // Symbols of the runtime archive stay local to the module (two Kiln
  // modules in one process never interpose each other's runtime).
  std::vector<StringRef> Args{*CC, "-shared", "-o", *Tmp};
  for (const std::string &O : Objects)
    Args.push_back(O);
  if (!RuntimeLib.empty())
    Args.push_back(RuntimeLib);
  for (StringRef A : {"-Wl,--exclude-libs,ALL", "-Wl,-z,noexecstack", "-lm",
                      "-lpthread"})
    Args.push_back(A);

  std::optional<StringRef> Redirects[] = {std::nullopt, StringRef(Log), StringRef(Log)};
  std::string ErrMsg;
  int RC = sys::ExecuteAndWait(*CC, Args, std::nullopt, Redirects, 0, 0, &ErrMsg);

  std::string LinkerOut;
  if (auto Buf = MemoryBuffer::getFile(Log))
    LinkerOut = (*Buf)->getBuffer().trim().str();
  sys::fs::remove(Log);
  if (RC != 0) {
    sys::fs::remove(*Tmp);
    std::string Cmd = join(Args, " ");
    return makeError("linking `" + Output + "` failed" +
                     (ErrMsg.empty() ? "" : " (" + ErrMsg + ")") + "\n  command: " + Cmd +
                     (LinkerOut.empty() ? "" : "\n" + LinkerOut));
  }
  if (std::error_code EC = sys::fs::rename(*Tmp, Output)) {
    sys::fs::remove(*Tmp);
    return makeError("cannot write `" + Output + "`: " + EC.message());
  }
  return Error::success();
}

//===- KilnOpt.cpp - Runs Kiln passes over text IR -------------------------===//
//
//   kiln-opt [--<pass>...] [--print-ir-after-all] [--time-passes] [--stats]
//            [--no-verify] [--strict-fp] [--emit=kir|llvm] [--target-cpu=CPU] [-o OUT] IN.kir
//
// Passes run in command-line order; their flags come from Passes.def. With
// --emit=llvm the result goes through codegen (unoptimised), so lit tests can
// check the LLVM IR of any Kiln IR.
//
//===----------------------------------------------------------------------===//

#include "codegen/Codegen.h"
#include "ir/Parser.h"
#include "ir/Printer.h"
#include "ir/Verifier.h"
#include "passes/Pass.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Target/TargetMachine.h"

using namespace kiln;

static void printHelp() {
  llvm::outs() << "usage: kiln-opt [options] [passes] FILE.kir\n\npasses (run in the order "
                  "given):\n";
  for (const passes::PassInfo &P : passes::allPasses())
    llvm::outs() << "  --" << P.Flag << std::string(20 - std::min<size_t>(19, strlen(P.Flag)), ' ')
                 << P.Summary << "\n";
  llvm::outs() << "\noptions:\n"
                  "  --print-ir-after-all  print the IR after every pass\n"
                  "  --time-passes         print the time each pass took\n"
                  "  --stats               print pass statistics\n"
                  "  --no-verify           do not run the verifier after each pass\n"
                  "  --strict-fp           as `kiln compile --strict-fp`: float sums keep Python's order\n"
                  "  --verify-only         only parse and verify\n"
                  "  --emit=kir|llvm       output Kiln IR (default) or LLVM IR\n"
                  "  -O0..-O3              LLVM optimisation for --emit=llvm (default -O0)\n"
                  "  --target-cpu=CPU      CPU for --emit=llvm\n"
                  "  -o FILE               output file (default: standard output)\n";
}

int main(int argc, char **argv) {
  llvm::InitLLVM X(argc, argv);
  std::vector<const passes::PassInfo *> Pipeline;
  passes::PipelineOptions PO;
  bool Stats = false, EmitLLVM = false, StrictFP = false;
  unsigned OptLevel = 0;
  std::string Input, Output = "-", CPU = "x86-64-v3";
  for (int I = 1; I < argc; ++I) {
    llvm::StringRef A = argv[I];
    if (A == "--help" || A == "-h") {
      printHelp();
      return 0;
    }
    if (A == "--print-ir-after-all")
      PO.PrintAfterAll = true;
    else if (A == "--time-passes")
      PO.TimePasses = true;
    else if (A == "--stats")
      Stats = true;
    else if (A == "--no-verify")
      PO.VerifyEach = false;
    else if (A == "--strict-fp")
      StrictFP = true;
    else if (A == "--verify-only")
      ;
    else if (A == "--emit=llvm")
      EmitLLVM = true;
    else if (A == "--emit=kir")
      EmitLLVM = false;
    else if (A.starts_with("-O") && A.size() == 3)
      OptLevel = A[2] - '0';
    else if (A.consume_front("--target-cpu="))
      CPU = A.str();
    else if (A == "-o" && I + 1 < argc)
      Output = argv[++I];
    else if (A.starts_with("--")) {
      const passes::PassInfo *P = passes::findPass(A.drop_front(2));
      if (!P) {
        llvm::errs() << "kiln-opt: error: unknown option or pass `" << A << "`\n";
        return 1;
      }
      Pipeline.push_back(P);
    } else if (Input.empty())
      Input = A.str();
    else {
      llvm::errs() << "kiln-opt: error: more than one input file\n";
      return 1;
    }
  }
  if (Input.empty())
    Input = "-";
  auto Buf = llvm::MemoryBuffer::getFileOrSTDIN(Input);
  if (!Buf) {
    llvm::errs() << "kiln-opt: error: cannot read `" << Input << "`: " << Buf.getError().message()
                 << "\n";
    return 1;
  }
  SourceFile File(Input, (*Buf)->getBuffer().str());
  DiagnosticEngine Diags;
  Diags.setSource(&File);
  std::unique_ptr<ir::Module> M = ir::parseIR(File, Diags);
  if (!M)
    return 1;
  // Invalid input IR is the user's mistake; invalid IR after a pass is ours.
  std::vector<std::string> Problems;
  if (PO.VerifyEach)
    Problems = ir::verify(*M);
  for (const std::string &P : Problems)
    Diags.report(DiagID::IRVerifyError, SourceRange(), {P});
  if (!Problems.empty())
    return 1;
  passes::PassContext Ctx;
  Ctx.StrictFP = StrictFP;
  if (llvm::Error E = passes::runPipeline(*M, Pipeline, Ctx, PO)) {
    llvm::errs() << "kiln-opt: " << llvm::toString(std::move(E)) << "\n";
    return 2;
  }
  if (Stats)
    for (auto &[K, V] : Ctx.Stats)
      llvm::errs() << K << ": " << V << "\n";

  std::error_code EC;
  llvm::ToolOutputFile Out(Output, EC, llvm::sys::fs::OF_Text);
  if (EC) {
    llvm::errs() << "kiln-opt: error: cannot write `" << Output << "`: " << EC.message() << "\n";
    return 1;
  }
  if (EmitLLVM) {
    passes::runWrittenParams(*M, Ctx); // codegen needs it, as in `kiln compile`
    codegen::CodegenOptions CO;
    CO.TargetCPU = CPU;
    CO.OptLevel = OptLevel;
    auto TM = codegen::createTargetMachine(CO);
    if (!TM) {
      llvm::errs() << "kiln-opt: error: " << llvm::toString(TM.takeError()) << "\n";
      return 2;
    }
    llvm::LLVMContext LLCtx;
    auto LLM = codegen::lowerToLLVM(*M, LLCtx, **TM, CO);
    if (!LLM) {
      llvm::errs() << "kiln-opt: error: " << llvm::toString(LLM.takeError()) << "\n";
      return 2;
    }
    if (OptLevel)
      if (llvm::Error E = codegen::optimizeModule(**LLM, **TM, OptLevel)) {
        llvm::errs() << "kiln-opt: " << llvm::toString(std::move(E)) << "\n";
        return 2;
      }
    (*LLM)->print(Out.os(), nullptr);
  } else {
    ir::print(*M, Out.os());
  }
  Out.keep();
  return 0;
}

//===- CodegenDriver.cpp - Test helper: Kiln IR text -> extension module --===//
//
// Used by test/e2e/test_codegen_abi.py to exercise codegen and the runtime
// without the frontend:
//
//   kiln-codegen-driver in.kir -o out.abi3.so --runtime libkilnrt.a
//                       [-O0..-O3] [--cpu NAME] [--emit-llvm FILE]
//
// Not an installed tool: `kiln` (tools/) is the user-facing driver.
//
//===----------------------------------------------------------------------===//

#include "codegen/Codegen.h"
#include "ir/Parser.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"
#include <string>

using namespace kiln;

static int fail(const llvm::Twine &Msg) {
  llvm::errs() << "kiln-codegen-driver: error: " << Msg << "\n";
  return 1;
}

int main(int argc, char **argv) {
  std::string Input, Output, Runtime, EmitLLVM;
  codegen::CodegenOptions Opts;
  for (int I = 1; I < argc; ++I) {
    llvm::StringRef A = argv[I];
    auto Next = [&]() -> std::string { return I + 1 < argc ? argv[++I] : ""; };
    if (A == "-o")
      Output = Next();
    else if (A == "--runtime")
      Runtime = Next();
    else if (A == "--cpu")
      Opts.TargetCPU = Next();
    else if (A == "--emit-llvm")
      EmitLLVM = Next();
    else if (A.size() == 3 && A.starts_with("-O") && A[2] >= '0' && A[2] <= '3')
      Opts.OptLevel = A[2] - '0';
    else if (Input.empty() && !A.starts_with("-"))
      Input = A.str();
    else
      return fail("unknown argument `" + A + "`");
  }
  if (Input.empty() || Output.empty())
    return fail("usage: kiln-codegen-driver in.kir -o out.so --runtime libkilnrt.a [-O2]");

  auto Buf = llvm::MemoryBuffer::getFile(Input);
  if (!Buf)
    return fail("cannot read `" + Input + "`: " + Buf.getError().message());
  SourceFile SF(Input, (*Buf)->getBuffer().str());
  DiagnosticEngine Diags;
  Diags.setSource(&SF);
  auto IRM = ir::parseIR(SF, Diags);
  if (!IRM)
    return 1;

  auto TM = codegen::createTargetMachine(Opts);
  if (!TM)
    return fail(llvm::toString(TM.takeError()));
  llvm::LLVMContext Ctx;
  auto M = codegen::lowerToLLVM(*IRM, Ctx, **TM, Opts);
  if (!M)
    return fail(llvm::toString(M.takeError()));
  if (llvm::Error E = codegen::optimizeModule(**M, **TM, Opts.OptLevel))
    return fail(llvm::toString(std::move(E)));
  if (!EmitLLVM.empty()) {
    std::error_code EC;
    llvm::raw_fd_ostream OS(EmitLLVM, EC);
    if (EC)
      return fail("cannot write `" + EmitLLVM + "`: " + EC.message());
    (*M)->print(OS, nullptr);
  }
  std::string Obj = Output + ".o";
  if (llvm::Error E = codegen::emitFile(**M, **TM, Obj, /*Assembly=*/false))
    return fail(llvm::toString(std::move(E)));
  llvm::Error E = codegen::linkSharedModule({Obj}, Output, Runtime);
  llvm::sys::fs::remove(Obj);
  if (E)
    return fail(llvm::toString(std::move(E)));
  return 0;
}

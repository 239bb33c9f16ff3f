//===- Pipeline.cpp - The default pass pipeline, and running passes --------===//
//
// The default pipeline reads as a table of contents of the middle end.
//
//===----------------------------------------------------------------------===//

#include "passes/Pass.h"
#include "ir/Printer.h"
#include "ir/Verifier.h"
#include "llvm/Support/Format.h"
#include <chrono>

using namespace kiln;
using namespace kiln::passes;

const std::vector<PassInfo> &passes::allPasses() {
  static const std::vector<PassInfo> All = {
#define PASS(Id, Flag, Summary) {Flag, Summary, &run##Id},
#include "passes/Passes.def"
  };
  return All;
}

const PassInfo *passes::findPass(llvm::StringRef Flag) {
  for (const PassInfo &P : allPasses())
    if (Flag == P.Flag)
      return &P;
  return nullptr;
}

std::vector<const PassInfo *> passes::defaultPipeline(unsigned OptLevel) {
  if (OptLevel == 0)
    return {};
  return {
      findPass("canonicalize"), // fold constants so call sites and branches simplify
      findPass("inline"),       // inline small helpers into their callers
      findPass("canonicalize"), // fold what inlining exposed
      findPass("forward-slots"), // variables assigned once become plain values
      findPass("canonicalize"), // fold through them (array extents, tuples)
      findPass("bounds-checks"), // indices that loop bounds keep in range
      findPass("dce"),          // drop dead ops, write-only slots, unreachable functions
      findPass("counters"),     // `n += 1` counters cannot overflow: no check
      findPass("reductions"),   // float sums may be reassociated (not --strict-fp)
      findPass("loop-temporaries"), // a loop's per-iteration arrays die with the iteration
      findPass("free-dead-arrays"), // `y = f(y)` frees the old y
      findPass("parallelize"),  // independent loop nests run on every core
      findPass("defer-checks"), // loops with checks vectorise, checked again on failure
  };
}

llvm::Error passes::runPipeline(ir::Module &M, const std::vector<const PassInfo *> &Passes,
                                PassContext &Ctx, const PipelineOptions &Opts) {
  auto Verify = [&](llvm::StringRef After) -> llvm::Error {
    std::vector<std::string> Errs = ir::verify(M);
    if (Errs.empty())
      return llvm::Error::success();
    std::string Msg = "internal compiler error: invalid IR after " + After.str() + ":";
    for (const std::string &E : Errs)
      Msg += "\n  " + E;
    return llvm::createStringError(llvm::inconvertibleErrorCode(), Msg);
  };
  if (Opts.VerifyEach)
    if (llvm::Error E = Verify("lowering"))
      return E;
  for (const PassInfo *P : Passes) {
    auto Start = std::chrono::steady_clock::now();
    P->Run(M, Ctx);
    auto End = std::chrono::steady_clock::now();
    if (Opts.TimePasses)
      *Opts.Out << llvm::format("%-14s %8.3f ms\n", P->Flag,
                                std::chrono::duration<double, std::milli>(End - Start).count());
    if (Opts.PrintAfterAll) {
      *Opts.Out << "// -----// IR after " << P->Flag << " //----- //\n";
      ir::print(M, *Opts.Out);
    }
    if (Opts.VerifyEach)
      if (llvm::Error E = Verify(std::string("`") + P->Flag + "`"))
        return E;
  }
  return llvm::Error::success();
}

//===- Pass.h - The pass interface and the pass manager ----------*- C++ -*-===//
#ifndef KILN_PASSES_PASS_H
#define KILN_PASSES_PASS_H

#include "ir/IR.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"
#include <map>
#include <string>
#include <vector>

namespace kiln {
namespace passes {

/// Options and statistics shared by the passes of one run.
struct PassContext {
  /// Counters such as "canonicalize.folded", printed by --stats.
  std::map<std::string, unsigned> Stats;
  /// Callees with at most this many ops are inlined.
  unsigned InlineThreshold = 80;
  /// `--strict-fp`: keep Python's order of every float operation.
  bool StrictFP = false;
  /// `--serial`: no loop is parallelised.
  bool Serial = false;
};

using PassFn = bool (*)(ir::Module &, PassContext &);

struct PassInfo {
  const char *Flag;
  const char *Summary;
  PassFn Run;
};

#define PASS(Id, Flag, Summary) bool run##Id(ir::Module &M, PassContext &Ctx);
#include "passes/Passes.def"

/// Every pass, in Passes.def order.
const std::vector<PassInfo> &allPasses();
const PassInfo *findPass(llvm::StringRef Flag);

/// The passes `kiln compile -O<Level>` runs, in order (Pipeline.cpp).
std::vector<const PassInfo *> defaultPipeline(unsigned OptLevel);

struct PipelineOptions {
  bool VerifyEach = true;      ///< run the verifier after every pass
  bool PrintAfterAll = false;  ///< print the IR after every pass
  bool TimePasses = false;     ///< report wall time per pass
  llvm::raw_ostream *Out = &llvm::errs();
};

/// Runs \p Passes over \p M. A verifier failure is an internal compiler
/// error: it comes back as an llvm::Error naming the pass.
llvm::Error runPipeline(ir::Module &M, const std::vector<const PassInfo *> &Passes,
                        PassContext &Ctx, const PipelineOptions &Opts);

} // namespace passes
} // namespace kiln

#endif

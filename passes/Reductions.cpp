//===- Reductions.cpp - Let float reductions be reassociated ---------------===//
//
// Marks the accumulating `add` (or `sub` with the slot on the left) of a
// float64 variable in an innermost `for` loop with `reassociate`, when the
// only uses of that slot inside the loop are one `load` feeding that op and
// one `store` of its result. Codegen gives that one instruction LLVM's
// `reassoc` flag, which lets the vectoriser keep several partial sums and
// combine them at the end (its cost model still decides whether to).
//
// Legal by Kiln's design (docs/language.md): sums in loops may be
// reassociated, so the last bits can differ from Python's left-to-right
// order; `kiln compile --strict-fp` skips this pass and keeps that order
// exactly. NaN, infinities and signed zeros still propagate as IEEE says.
//
//   %s0 = load %s : float64                   %s0 = load %s : float64
//   %s1 = add %s0, %x : float64         =>    %s1 = add %s0, %x [reassociate] : float64
//   store %s1, %s                             store %s1, %s
//
//===----------------------------------------------------------------------===//

#include "passes/Analysis.h"
#include "passes/Pass.h"

using namespace kiln;
using namespace kiln::ir;
using kiln::passes::PassContext;

namespace {

/// The accumulating add/sub ops of float slots that are plain accumulators
/// in region \p Body.
std::vector<OpId> floatReductions(const Function &F, RegionId Body) {
  std::vector<OpId> Found;
  for (const passes::Accumulator &A : passes::findAccumulators(F, Body, F.useCounts())) {
    const OpData &D = F.op(A.Combine);
    if ((D.Kind == OpKind::Add || D.Kind == OpKind::Sub) && F.typeOf(D.Results[0]).isFloat())
      Found.push_back(A.Combine);
  }
  return Found;
}

} // namespace

bool passes::runReductions(Module &M, PassContext &Ctx) {
  if (Ctx.StrictFP)
    return false;
  bool Changed = false;
  for (auto &FP : M.functions()) {
    Function &F = *FP;
    F.walk([&](OpId O) {
      const OpData &D = F.op(O);
      if (D.Kind != OpKind::For || passes::containsLoop(F, D.Regions[0]))
        return;
      for (OpId Acc : floatReductions(F, D.Regions[0])) {
        if (F.op(Acc).Attrs.has("reassociate"))
          continue;
        F.op(Acc).Attrs.set("reassociate", true);
        ++Ctx.Stats["reductions.sums"];
        Changed = true;
      }
    });
  }
  return Changed;
}

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

#include "passes/Pass.h"
#include <map>

using namespace kiln;
using namespace kiln::ir;
using kiln::passes::PassContext;

namespace {

bool containsLoop(const Function &F, RegionId R) {
  bool Found = false;
  F.walkRegion(R, [&](OpId O) {
    Found |= F.op(O).Kind == OpKind::For || F.op(O).Kind == OpKind::While;
  });
  return Found;
}

/// The accumulating ops of float64 slots that are plain accumulators in
/// region \p Body.
std::vector<OpId> floatReductions(const Function &F, RegionId Body) {
  std::vector<OpId> Found;
  // Per slot: loads and stores inside the body.
  std::map<uint32_t, std::vector<OpId>> Loads, Stores;
  std::vector<unsigned> Uses = F.useCounts();
  F.walkRegion(Body, [&](OpId O) {
    const OpData &D = F.op(O);
    if (D.Kind == OpKind::Load && F.typeOf(D.Results[0]).isFloat())
      Loads[D.Operands[0].Index].push_back(O);
    else if (D.Kind == OpKind::Store && F.typeOf(D.Operands[0]).isFloat())
      Stores[D.Operands[1].Index].push_back(O);
  });
  for (auto &[Slot, St] : Stores) {
    auto L = Loads.find(Slot);
    if (St.size() != 1 || L == Loads.end() || L->second.size() != 1)
      continue;
    ValueId Loaded = F.op(L->second[0]).Results[0];
    OpId Acc = F.definingOp(F.op(St[0]).Operands[0]);
    if (!Acc.isValid() || Uses[Loaded.Index] != 1)
      continue;
    const OpData &A = F.op(Acc);
    bool IsAdd = A.Kind == OpKind::Add &&
                 (A.Operands[0] == Loaded || A.Operands[1] == Loaded);
    bool IsSub = A.Kind == OpKind::Sub && A.Operands[0] == Loaded;
    if ((IsAdd || IsSub) && Uses[A.Results[0].Index] == 1)
      Found.push_back(Acc);
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
      if (D.Kind != OpKind::For || containsLoop(F, D.Regions[0]))
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

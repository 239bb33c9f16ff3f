//===- ForwardSlots.cpp - Forward single-store slots to their loads -------===//
//
// Replaces `load %s` by %v when the slot %s is stored exactly once
// (`store %v, %s`) and that store dominates the load: the store comes first
// in a region that contains the load, directly or nested. This is mem2reg for
// the common case of a variable assigned once (`n = a.shape[0]`, a loop
// variable in its body), done on Kiln IR so that later passes see the
// values themselves (bounds-check elimination compares loop bounds with
// array extents).
//
// Legal because: with one store, every load it dominates reads exactly the
// stored value; a load the store does not dominate (it may run before the
// store, or on another path) is left alone.
//
//   %n = slot : ref<int64>                  %n = slot : ref<int64>
//   store %d, %n                      =>    store %d, %n
//   %x = load %n : int64                    (uses of %x now use %d)
//
//===----------------------------------------------------------------------===//

#include "passes/Analysis.h"
#include "passes/Pass.h"
#include <map>

using namespace kiln;
using namespace kiln::ir;
using kiln::passes::PassContext;
using kiln::passes::dominates;

bool passes::runForwardSlots(Module &M, PassContext &Ctx) {
  bool Changed = false;
  for (auto &FP : M.functions()) {
    Function &F = *FP;
    std::map<uint32_t, std::vector<OpId>> Stores, Loads;
    F.walk([&](OpId O) {
      const OpData &D = F.op(O);
      if (D.Kind == OpKind::Store)
        Stores[D.Operands[1].Index].push_back(O);
      else if (D.Kind == OpKind::Load)
        Loads[D.Operands[0].Index].push_back(O);
    });
    // Every query first, then one rewrite: linear in the function, however
    // many loads a long expression makes (`x + x + ... + x`).
    std::vector<uint32_t> Pos = F.positions();
    std::unordered_map<uint32_t, ValueId> Forward;
    std::vector<OpId> Dead;
    for (auto &[Slot, St] : Stores) {
      if (St.size() != 1)
        continue;
      OpId Store = St[0];
      RegionId R = F.op(Store).Parent;
      size_t P = Pos[Store.Index];
      ValueId V = F.op(Store).Operands[0];
      for (OpId L : Loads[Slot]) {
        if (!dominates(F, Pos, R, P, L))
          continue;
        Forward[F.op(L).Results[0].Index] = V;
        Dead.push_back(L);
        ++Ctx.Stats["forward-slots.loads"];
        Changed = true;
      }
    }
    F.replaceAllUsesWith(Forward);
    F.eraseOps(Dead);
  }
  return Changed;
}

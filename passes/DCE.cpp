//===- DCE.cpp - Dead-code elimination -------------------------------------===//
//
// Removes, until nothing changes:
//   1. ops after a terminator in the same region (they can never run);
//   2. pure ops (OPF_Pure in Ops.def) whose results are unused;
//   3. slots that are never loaded, with the stores into them;
//   4. `if` ops whose two regions are empty;
//   5. functions that no exported function can reach through calls.
//
// Legal because: pure ops have no effect but their results; a slot that is
// never loaded cannot affect anything; exported functions are the only entry
// points of a module.
//
//   %x = slot : ref<int64>                 (nothing)
//   store %v, %x                    =>
//   %u = add %a, %b : int64   // unused, but may raise: kept
//
//===----------------------------------------------------------------------===//

#include "passes/Pass.h"
#include <set>

using namespace kiln;
using namespace kiln::ir;
using kiln::passes::PassContext;

namespace {

bool removeAfterTerminators(Function &F, RegionId R, PassContext &Ctx) {
  bool Changed = false;
  std::vector<OpId> &Ops = F.region(R).Ops;
  for (size_t I = 0; I < Ops.size(); ++I) {
    if (opInfo(F.op(Ops[I]).Kind).Flags & OPF_Terminator) {
      while (Ops.size() > I + 1) {
        F.eraseOp(Ops.back());
        ++Ctx.Stats["dce.unreachable"];
        Changed = true;
      }
      break;
    }
  }
  for (OpId O : std::vector<OpId>(Ops))
    for (RegionId Sub : F.op(O).Regions)
      Changed |= removeAfterTerminators(F, Sub, Ctx);
  return Changed;
}

bool removeDeadOps(Function &F, PassContext &Ctx) {
  bool Any = false;
  for (unsigned Sweep = 0; Sweep < 16; ++Sweep) {
    bool Changed = false;
    std::vector<unsigned> Uses = F.useCounts();
    // Slots used only as the target of stores.
    std::vector<unsigned> LoadUses(F.numValueSlots(), 0);
    F.walk([&](OpId O) {
      const OpData &D = F.op(O);
      for (size_t I = 0; I < D.Operands.size(); ++I)
        if (!(D.Kind == OpKind::Store && I == 1))
          ++LoadUses[D.Operands[I].Index];
    });
    F.walk([&](OpId O) {
      OpData &D = F.op(O);
      if (D.Erased)
        return;
      if (D.Kind == OpKind::Store && LoadUses[D.Operands[1].Index] == 0) {
        F.eraseOp(O);
        Changed = true;
        ++Ctx.Stats["dce.stores"];
        return;
      }
      if (D.Kind == OpKind::If && F.region(D.Regions[0]).Ops.empty() &&
          F.region(D.Regions[1]).Ops.empty()) {
        F.eraseOp(O);
        Changed = true;
        return;
      }
      if (!(opInfo(D.Kind).Flags & OPF_Pure))
        return;
      for (ValueId R : D.Results)
        if (Uses[R.Index] != 0)
          return;
      F.eraseOp(O);
      Changed = true;
      ++Ctx.Stats["dce.ops"];
    });
    Any |= Changed;
    if (!Changed)
      break;
  }
  return Any;
}

} // namespace

bool passes::runDCE(Module &M, PassContext &Ctx) {
  bool Changed = false;
  for (auto &F : M.functions()) {
    Changed |= removeAfterTerminators(*F, F->body(), Ctx);
    Changed |= removeDeadOps(*F, Ctx);
  }
  // Functions reachable from the exports.
  std::set<std::string> Live;
  std::vector<const Function *> Work;
  for (auto &F : M.functions())
    if (F->attrs().has("export")) {
      Live.insert(F->name());
      Work.push_back(F.get());
    }
  while (!Work.empty()) {
    const Function *F = Work.back();
    Work.pop_back();
    F->walk([&](OpId O) {
      if (F->op(O).Kind != OpKind::Call)
        return;
      const std::string &Callee = F->op(O).Attrs.getSym("callee").Name;
      if (Live.insert(Callee).second)
        if (const Function *C = M.lookup(Callee))
          Work.push_back(C);
    });
  }
  std::vector<std::string> Dead;
  for (auto &F : M.functions())
    if (!Live.count(F->name()))
      Dead.push_back(F->name());
  for (const std::string &N : Dead) {
    M.eraseFunction(N);
    ++Ctx.Stats["dce.functions"];
    Changed = true;
  }
  return Changed;
}

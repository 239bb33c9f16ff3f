//===- Counters.cpp - Overflow checks of unit-step counters ----------------===//
//
// Marks `add`/`sub` ops that step an int64 counter by one with the unit
// attribute `no_overflow`, so codegen emits a plain add instead of an
// overflow check (which keeps `if c: n += 1` branch-free and loops
// vectorisable).
//
// A slot S is a counter when every store into S stores either
//   1. a constant with |c| <= 2**32, or
//   2. `add (load S), 1`, `add 1, (load S)` or `sub (load S), 1`.
// Legal because: then |S| <= 2**32 + (number of executed increments), and
// reaching 2**63 would take more than 2**62 increments, over a century at
// one increment per nanosecond; the check can never fire.
//
//   %0 = load %n : int64                    %0 = load %n : int64
//   %1 = const [value = 1] : int64    =>    %1 = const [value = 1] : int64
//   %2 = add %0, %1 : int64                 %2 = add %0, %1 [no_overflow] : int64
//   store %2, %n                            store %2, %n
//
//===----------------------------------------------------------------------===//

#include "passes/Analysis.h"
#include "passes/Pass.h"
#include <map>

using namespace kiln;
using namespace kiln::ir;
using kiln::passes::PassContext;
using kiln::passes::constIntOf;

namespace {

/// True if \p V is `load Slot`.
bool isLoadOf(const Function &F, ValueId V, ValueId Slot) {
  OpId D = F.definingOp(V);
  return D.isValid() && F.op(D).Kind == OpKind::Load && F.op(D).Operands[0] == Slot;
}

/// The add/sub op if \p V steps \p Slot by one, else invalid.
OpId unitStepOf(const Function &F, ValueId V, ValueId Slot) {
  OpId D = F.definingOp(V);
  if (!D.isValid() || !F.typeOf(V).isInt())
    return OpId();
  const OpData &Op = F.op(D);
  if (Op.Kind == OpKind::Add) {
    auto A = constIntOf(F, Op.Operands[0]), B = constIntOf(F, Op.Operands[1]);
    if ((B && *B == 1 && isLoadOf(F, Op.Operands[0], Slot)) ||
        (A && *A == 1 && isLoadOf(F, Op.Operands[1], Slot)))
      return D;
  }
  if (Op.Kind == OpKind::Sub) {
    auto B = constIntOf(F, Op.Operands[1]);
    if (B && *B == 1 && isLoadOf(F, Op.Operands[0], Slot))
      return D;
  }
  return OpId();
}

} // namespace

bool passes::runCounters(Module &M, PassContext &Ctx) {
  bool Changed = false;
  for (auto &FP : M.functions()) {
    Function &F = *FP;
    // Per slot: the unit steps stored into it, or disqualified.
    std::map<uint32_t, std::vector<OpId>> Steps;
    std::map<uint32_t, bool> Bad;
    F.walk([&](OpId O) {
      const OpData &D = F.op(O);
      if (D.Kind != OpKind::Store || !F.typeOf(D.Operands[0]).isInt())
        return;
      ValueId V = D.Operands[0], Slot = D.Operands[1];
      if (auto C = constIntOf(F, V); C && *C >= -(int64_t(1) << 32) && *C <= (int64_t(1) << 32))
        return;
      if (OpId Step = unitStepOf(F, V, Slot); Step.isValid()) {
        Steps[Slot.Index].push_back(Step);
        return;
      }
      Bad[Slot.Index] = true;
    });
    // A slot passed anywhere but load/store (it never is today) is not
    // tracked; be safe anyway.
    F.walk([&](OpId O) {
      const OpData &D = F.op(O);
      for (size_t I = 0; I < D.Operands.size(); ++I)
        if (F.typeOf(D.Operands[I]).isRef() &&
            !(D.Kind == OpKind::Load || (D.Kind == OpKind::Store && I == 1)))
          Bad[D.Operands[I].Index] = true;
    });
    for (auto &[Slot, Ops] : Steps) {
      if (Bad[Slot])
        continue;
      for (OpId O : Ops)
        if (!F.op(O).Attrs.has("no_overflow")) {
          F.op(O).Attrs.set("no_overflow", true);
          ++Ctx.Stats["counters.unchecked"];
          Changed = true;
        }
    }
  }
  return Changed;
}

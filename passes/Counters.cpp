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
// The same holds for the elements of a counter array (`h[k] += 1` in a
// histogram): an int64 `array.alloc` A that
//   1. is filled with a constant |c| <= 2**32 right after it is made (the
//      loop nest of np.zeros/np.ones/np.full: every element, before any
//      other use of A);
//   2. is only stored into with such a constant, or with
//      `add (array.load A, i...), 1` (or 1 + it, or minus 1) at the very
//      same indices i...;
//   3. is otherwise only read (elements, extents, strides) or returned:
//      no view, call or variable can write to it behind the pass's back.
//
// And for the variable of a loop that starts at a constant |lo| <= 2**32
// and steps up by one: it plus or minus a constant |c| <= 2**32
// (`a[i + 1]`) cannot overflow either, the variable being a counter of
// iterations.
//
//   %0 = load %n : int64                    %0 = load %n : int64
//   %1 = const [value = 1] : int64    =>    %1 = const [value = 1] : int64
//   %2 = add %0, %1 : int64                 %2 = add %0, %1 [no_overflow] : int64
//   store %2, %n                            store %2, %n
//
//===----------------------------------------------------------------------===//

#include "passes/Analysis.h"
#include "passes/Pass.h"
#include <algorithm>
#include <map>

using namespace kiln;
using namespace kiln::ir;
using kiln::passes::PassContext;
using kiln::ir::constIntOf;

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

/// The step op if \p V is element I of array \p A plus or minus one, for
/// the store \p St (`array.store V, A, I...`), else invalid.
OpId elementStepOf(const Function &F, const OpData &St, ValueId A) {
  OpId D = F.definingOp(St.Operands[0]);
  if (!D.isValid() || !F.typeOf(St.Operands[0]).isInt())
    return OpId();
  const OpData &Op = F.op(D);
  if (Op.Kind != OpKind::Add && Op.Kind != OpKind::Sub)
    return OpId();
  auto C0 = constIntOf(F, Op.Operands[0]), C1 = constIntOf(F, Op.Operands[1]);
  ValueId Elem;
  if (C1 && *C1 == 1)
    Elem = Op.Operands[0];
  else if (Op.Kind == OpKind::Add && C0 && *C0 == 1)
    Elem = Op.Operands[1];
  else
    return OpId();
  OpId L = F.definingOp(Elem);
  if (!L.isValid() || F.op(L).Kind != OpKind::ArrayLoad || F.op(L).Operands[0] != A)
    return OpId();
  // The same element: the load's indices are the store's.
  const std::vector<ValueId> &LI = F.op(L).Operands;
  if (LI.size() + 1 != St.Operands.size() ||
      !std::equal(LI.begin() + 1, LI.end(), St.Operands.begin() + 2))
    return OpId();
  return D;
}

bool smallConst(const Function &F, ValueId V) { return ir::smallConstOf(F, V).has_value(); }

/// True if \p Loop is a loop nest over every element of the array that
/// \p Alloc makes, storing one small constant (the fill of np.zeros).
bool isConstFill(const Function &F, const OpData &Alloc, OpId Loop) {
  ValueId A = Alloc.Results[0];
  std::vector<ValueId> IVs;
  for (size_t K = 0; K < Alloc.Operands.size(); ++K) {
    const OpData &L = F.op(Loop);
    if (L.Kind != OpKind::For)
      return false;
    auto Lo = constIntOf(F, L.Operands[0]), Step = constIntOf(F, L.Operands[2]);
    if (!Lo || *Lo != 0 || !Step || *Step != 1 || L.Operands[1] != Alloc.Operands[K])
      return false;
    const RegionData &Body = F.region(L.Regions[0]);
    IVs.push_back(Body.Args[0]);
    std::vector<OpId> Ops;
    for (OpId O : Body.Ops)
      if (!F.op(O).Erased)
        Ops.push_back(O);
    if (Ops.size() != 1)
      return false;
    Loop = Ops[0];
  }
  const OpData &St = F.op(Loop);
  if (St.Kind != OpKind::ArrayStore || St.Operands[1] != A || !smallConst(F, St.Operands[0]))
    return false;
  return std::equal(IVs.begin(), IVs.end(), St.Operands.begin() + 2, St.Operands.end());
}

/// The element steps of counter array \p Alloc (rules 1-3 above), or none.
std::vector<OpId> counterArraySteps(const Function &F, OpId Alloc) {
  const OpData &AD = F.op(Alloc);
  ValueId A = AD.Results[0];
  if (!F.typeOf(A).elementType().isInt() || AD.Operands.empty())
    return {};
  // 1. The first op after the alloc that uses A is the fill.
  bool Filled = false;
  const auto &Ops = F.region(AD.Parent).Ops;
  for (size_t K = F.indexInParent(Alloc) + 1; K < Ops.size() && !Filled; ++K) {
    bool Uses = false;
    auto Check = [&](OpId O) { Uses |= llvm::is_contained(F.op(O).Operands, A); };
    Check(Ops[K]);
    for (RegionId R : F.op(Ops[K]).Regions)
      F.walkRegion(R, Check);
    if (!Uses)
      continue;
    if (!isConstFill(F, AD, Ops[K]))
      return {};
    Filled = true;
  }
  if (!Filled)
    return {};
  // 2. and 3.
  std::vector<OpId> Steps;
  bool Ok = true;
  F.walk([&](OpId O) {
    const OpData &D = F.op(O);
    for (size_t I = 0; I < D.Operands.size(); ++I) {
      if (D.Operands[I] != A)
        continue;
      switch (D.Kind) {
      case OpKind::ArrayDim:
      case OpKind::ArrayStride:
      case OpKind::ArrayOverlaps:
      case OpKind::Return:
        break;
      case OpKind::ArrayIndex:
      case OpKind::ArrayLoad:
        Ok &= I == 0;
        break;
      case OpKind::ArrayStore:
        if (I != 1 || smallConst(F, D.Operands[0]))
          Ok &= I == 1;
        else if (OpId Step = elementStepOf(F, D, A); Step.isValid())
          Steps.push_back(Step);
        else
          Ok = false;
        break;
      default:
        Ok = false; // a view, a call, a variable, a tuple: not followed
      }
    }
  });
  return Ok ? Steps : std::vector<OpId>();
}

/// True if \p V is the variable of a loop counting up by one from a small
/// constant, and \p C a small constant.
bool countingOffset(const Function &F, ValueId V, ValueId C) {
  if (!smallConst(F, C) || F.definingOp(V).isValid() || !F.value(V).ArgOf.isValid())
    return false;
  OpId L = F.parentOp(F.value(V).ArgOf);
  if (!L.isValid() || F.op(L).Kind != OpKind::For)
    return false;
  auto Step = constIntOf(F, F.op(L).Operands[2]);
  return smallConst(F, F.op(L).Operands[0]) && Step && *Step == 1;
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
      if (smallConst(F, V))
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
    auto Unchecked = [&](OpId O) {
      if (!F.op(O).Attrs.has("no_overflow")) {
        F.op(O).Attrs.set("no_overflow", true);
        ++Ctx.Stats["counters.unchecked"];
        Changed = true;
      }
    };
    for (auto &[Slot, Ops] : Steps)
      if (!Bad[Slot])
        llvm::for_each(Ops, Unchecked);
    std::vector<OpId> Allocs;
    F.walk([&](OpId O) {
      if (F.op(O).Kind == OpKind::ArrayAlloc)
        Allocs.push_back(O);
    });
    for (OpId O : Allocs)
      llvm::for_each(counterArraySteps(F, O), Unchecked);
    F.walk([&](OpId O) {
      const OpData &D = F.op(O);
      if ((D.Kind == OpKind::Add || D.Kind == OpKind::Sub) && F.typeOf(D.Results[0]).isInt() &&
          (countingOffset(F, D.Operands[0], D.Operands[1]) ||
           (D.Kind == OpKind::Add && countingOffset(F, D.Operands[1], D.Operands[0]))))
        Unchecked(O);
    });
  }
  return Changed;
}

//===- FreeDeadArrays.cpp - Free an array when its only variable moves on -===//
//
// In `y = full(...); for c in coeffs: y = y * x + c`, every iteration makes
// a new array and the old one is dead, but arrays live until the call
// returns: the loop would hold all of them (and touch fresh pages for each).
// This pass frees the old array right after the store that replaces it:
//
//   %new = array.alloc ...                %old = load %y
//   ... fill %new ...               =>    %new = array.alloc ...
//   store %new, %y                        ... fill %new ...
//                                         store %new, %y
//                                         array.free %old
//
// Legal for an array slot S when:
//   1. every value stored into S is a fresh `array.alloc` (never an
//      argument, a view, or a call's result), so S's array is nobody
//      else's;
//   2. no value loaded from S escapes: each load is used only to read or
//      write elements, extents and strides (array.load/store/index/dim/
//      stride/overlaps/sort), through views that are used the same way, or
//      by `return` (which ends the call, so nothing is freed after it);
//      never stored to another slot, passed to a call, put in a tuple or
//      selected;
//   3. the store is not S's first: another store into S dominates it, so
//      S holds an array when the old value is loaded.
// Then, at a later store, nothing can still refer to the old array.
//
//===----------------------------------------------------------------------===//

#include "passes/Analysis.h"
#include "passes/Pass.h"
#include <map>

using namespace kiln;
using namespace kiln::ir;
using kiln::passes::PassContext;

namespace {

/// Whether every use of \p V only reads or writes through it.
bool usedInPlace(const Function &F, ValueId V,
                 const std::map<uint32_t, std::vector<std::pair<OpId, unsigned>>> &Uses) {
  auto It = Uses.find(V.Index);
  if (It == Uses.end())
    return true;
  for (auto [O, Idx] : It->second) {
    const OpData &D = F.op(O);
    switch (D.Kind) {
    case OpKind::ArrayDim:
    case OpKind::ArrayStride:
    case OpKind::ArrayIndex:
    case OpKind::ArrayLoad:
    case OpKind::ArrayOverlaps:
    case OpKind::ArraySort:
    case OpKind::Return:
      break;
    case OpKind::ArrayStore:
      if (Idx == 0) // the stored value is an element, never an array
        return false;
      break;
    case OpKind::ArrayView:
    case OpKind::ArraySub:
      if (Idx != 0 || !usedInPlace(F, D.Results[0], Uses))
        return false;
      break;
    default:
      return false;
    }
  }
  return true;
}

} // namespace

bool passes::runFreeDeadArrays(Module &M, PassContext &Ctx) {
  bool Changed = false;
  for (auto &FP : M.functions()) {
    Function &F = *FP;
    std::map<uint32_t, std::vector<std::pair<OpId, unsigned>>> Uses;
    std::map<uint32_t, std::vector<OpId>> Stores, Loads;
    std::vector<ValueId> Slots;
    F.walk([&](OpId O) {
      const OpData &D = F.op(O);
      for (unsigned I = 0; I < D.Operands.size(); ++I)
        Uses[D.Operands[I].Index].push_back({O, I});
      if (D.Kind == OpKind::Slot && F.typeOf(D.Results[0]).pointee().isArray())
        Slots.push_back(D.Results[0]);
      if (D.Kind == OpKind::Store)
        Stores[D.Operands[1].Index].push_back(O);
      if (D.Kind == OpKind::Load)
        Loads[D.Operands[0].Index].push_back(O);
    });
    for (ValueId S : Slots) {
      // Only loads and stores may use the slot itself.
      bool Ok = true;
      for (auto [O, Idx] : Uses[S.Index])
        Ok &= (F.op(O).Kind == OpKind::Load) || (F.op(O).Kind == OpKind::Store && Idx == 1);
      for (OpId St : Stores[S.Index]) {
        OpId Def = F.definingOp(F.op(St).Operands[0]);
        Ok &= Def.isValid() && F.op(Def).Kind == OpKind::ArrayAlloc;
      }
      for (OpId L : Loads[S.Index])
        Ok &= usedInPlace(F, F.op(L).Results[0], Uses);
      if (!Ok)
        continue;
      for (OpId St : Stores[S.Index]) {
        bool Dominated = false;
        for (OpId Other : Stores[S.Index])
          if (Other != St && passes::dominates(F, F.op(Other).Parent,
                                               F.indexInParent(Other), St))
            Dominated = true;
        if (!Dominated)
          continue;
        RegionId R = F.op(St).Parent;
        Type AT = F.typeOf(S).pointee();
        // The old array, loaded before the new value is computed: its
        // allocation is this store's operand, which may come long before.
        OpId NewDef = F.definingOp(F.op(St).Operands[0]);
        if (F.op(NewDef).Parent != R)
          continue;
        // No other store into S may run in between (it would free the old
        // array itself).
        size_t From = F.indexInParent(NewDef), To = F.indexInParent(St);
        bool Between = false;
        for (OpId Other : Stores[S.Index]) {
          OpId A = Other;
          while (F.op(A).Parent.isValid() && F.op(A).Parent != R) {
            OpId P = F.parentOp(F.op(A).Parent);
            if (!P.isValid())
              break;
            A = P;
          }
          if (A != St && F.op(A).Parent == R && F.indexInParent(A) >= From &&
              F.indexInParent(A) < To)
            Between = true;
        }
        if (Between)
          continue;
        OpId Load = F.createOp(OpKind::Load, {S}, {AT}, F.op(St).Loc);
        F.insertOp(R, F.indexInParent(NewDef), Load);
        OpId Free = F.createOp(OpKind::ArrayFree, {F.op(Load).Results[0]}, {}, F.op(St).Loc);
        F.insertOp(R, F.indexInParent(St) + 1, Free);
        ++Ctx.Stats["free-dead-arrays.freed"];
        Changed = true;
      }
    }
  }
  return Changed;
}

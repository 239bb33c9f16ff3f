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
// Also, a fresh array that no variable holds (a temporary the frontend
// made, or a variable assigned once, which is a plain value by now) is
// freed after the op that contains its last use, when no use keeps it.
//
// Legal for an array slot S when:
//   1. every value stored into S is a fresh `array.alloc` (never an
//      argument, a view, or a call's result) used by nothing but that
//      store, so S's array is nobody else's;
//   2. no value loaded from S escapes: each load is used only to read or
//      write elements, extents and strides (array.load/store/index/dim/
//      stride/overlaps/sort), through views that are used the same way, or
//      by `return` (which ends the call, so nothing is freed after it);
//      never stored to another slot, passed to a call, put in a tuple or
//      selected;
//   3. every use of a value loaded from S (through views too, a `return`
//      included) comes before the next store into S in the load's region: nothing still reads an
//      old array once it is replaced (`prev = y; y = f(y); d = y - prev`
//      keeps its arrays);
//   4. the store is not S's first: another store into S dominates it, so
//      S holds an array when the old value is loaded;
//   5. for every enclosing loop marked `frees_temporaries`, a store into S
//      inside that loop dominates the new load: otherwise the load could
//      read the array of the previous iteration, which the loop's arena
//      release has already freed (and whose memory the new allocation may
//      reuse, so that freeing the stale value would free the new array).
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

bool inPlaceUses(const Function &F, ValueId V,
                 const std::map<uint32_t, std::vector<std::pair<OpId, unsigned>>> &Uses,
                 std::vector<OpId> &Out, bool AllowReturn);

/// Whether every use of \p V only reads or writes through it (or returns
/// it: the call ends there).
bool usedInPlace(const Function &F, ValueId V,
                 const std::map<uint32_t, std::vector<std::pair<OpId, unsigned>>> &Uses) {
  std::vector<OpId> Ignored;
  return inPlaceUses(F, V, Uses, Ignored, /*AllowReturn=*/true);
}

/// The op of region \p R that is, or contains, \p O; invalid if O is not
/// inside R.
OpId ancestorIn(const Function &F, OpId O, RegionId R) {
  for (OpId Cur = O; Cur.isValid();) {
    if (F.op(Cur).Parent == R)
      return Cur;
    OpId P = F.parentOp(F.op(Cur).Parent);
    if (!P.isValid())
      return OpId();
    Cur = P;
  }
  return OpId();
}

/// A use of a fresh array that only fills or reads it (its elements,
/// extents, strides, or a view used the same way), not one that keeps it.
bool isFillUse(const Function &F, OpId U, unsigned Idx) {
  switch (F.op(U).Kind) {
  case OpKind::ArrayDim:
  case OpKind::ArrayStride:
  case OpKind::ArrayIndex:
  case OpKind::ArrayLoad:
  case OpKind::ArrayOverlaps:
    return true;
  case OpKind::ArrayStore:
    return Idx == 1;
  default:
    return false; // a view of it, a tuple, another variable...: kept
  }
}

/// Rule 5: the old value loaded just before \p At (an op of the store's
/// region) is never an array freed by an enclosing `frees_temporaries`
/// loop's release, because within each such loop a store into the slot
/// dominates \p At.
bool oldValueOutlivesReleases(const Function &F, OpId At, const std::vector<OpId> &SlotStores) {
  for (OpId Loop = F.parentOp(F.op(At).Parent); Loop.isValid();
       Loop = F.parentOp(F.op(Loop).Parent)) {
    if (!F.op(Loop).Attrs.has("frees_temporaries"))
      continue;
    bool Covered = false;
    for (OpId S : SlotStores)
      for (RegionId R : F.op(Loop).Regions)
        Covered |= passes::isInside(F, S, R) &&
                   passes::dominates(F, F.op(S).Parent, F.indexInParent(S), At);
    if (!Covered)
      return false;
  }
  return true;
}

bool containsStoreTo(const Function &F, OpId O, ValueId Slot) {
  bool Found = false;
  const OpData &D = F.op(O);
  if (D.Kind == OpKind::Store && D.Operands[1] == Slot)
    return true;
  for (RegionId R : D.Regions)
    F.walkRegion(R, [&](OpId X) {
      Found |= F.op(X).Kind == OpKind::Store && F.op(X).Operands[1] == Slot;
    });
  return Found;
}

/// Every (transitive, through views) use of load \p L comes after L and
/// before the next op of L's region that stores into \p Slot.
bool usesEndBeforeNextStore(const Function &F, OpId L, ValueId Slot,
                            const std::map<uint32_t, std::vector<std::pair<OpId, unsigned>>> &Uses) {
  RegionId R = F.op(L).Parent;
  const auto &Ops = F.region(R).Ops;
  size_t From = F.indexInParent(L), To = Ops.size();
  for (size_t K = From + 1; K < Ops.size(); ++K)
    if (!F.op(Ops[K]).Erased && containsStoreTo(F, Ops[K], Slot)) {
      To = K;
      break;
    }
  std::vector<ValueId> Work{F.op(L).Results[0]};
  while (!Work.empty()) {
    ValueId V = Work.back();
    Work.pop_back();
    auto It = Uses.find(V.Index);
    if (It == Uses.end())
      continue;
    for (auto [U, Idx] : It->second) {
      // A `return` counts like any use: one after the next store returns the
      // old array, which must then not be freed (`v = x; x = p + 1;
      // return v`: found by the array program fuzzer).
      OpId A = ancestorIn(F, U, R);
      if (!A.isValid() || F.indexInParent(A) <= From || F.indexInParent(A) >= To)
        return false;
      if (F.op(U).Kind == OpKind::ArrayView || F.op(U).Kind == OpKind::ArraySub)
        Work.push_back(F.op(U).Results[0]);
    }
  }
  return true;
}

/// Collects \p V's uses and those of the views made of it; false if one
/// keeps the array (stored in a variable, returned, passed to a call, put
/// in a tuple...).
bool inPlaceUses(const Function &F, ValueId V,
                 const std::map<uint32_t, std::vector<std::pair<OpId, unsigned>>> &Uses,
                 std::vector<OpId> &Out, bool AllowReturn) {
  auto It = Uses.find(V.Index);
  if (It == Uses.end())
    return true;
  for (auto [U, Idx] : It->second) {
    Out.push_back(U);
    if (isFillUse(F, U, Idx) || F.op(U).Kind == OpKind::ArraySort)
      continue;
    switch (F.op(U).Kind) {
    case OpKind::Return:
      if (!AllowReturn)
        return false;
      break;
    case OpKind::ArrayView:
    case OpKind::ArraySub:
    case OpKind::Cast:
      if (Idx != 0 || !inPlaceUses(F, F.op(U).Results[0], Uses, Out, AllowReturn))
        return false;
      break;
    default:
      return false;
    }
  }
  return true;
}

/// A fresh array held in no variable (`t = a * b` assigned once, a
/// temporary of a statement that is not fused) is freed right after its
/// last use, when no use keeps it (`inPlaceUses`): the op of its own region
/// that contains the last use, so a use inside a loop frees after the loop.
void freeAtLastUse(Function &F,
                   const std::map<uint32_t, std::vector<std::pair<OpId, unsigned>>> &Uses,
                   PassContext &Ctx, bool &Changed) {
  std::vector<OpId> Allocs;
  F.walk([&](OpId O) {
    if (F.op(O).Kind == OpKind::ArrayAlloc)
      Allocs.push_back(O);
  });
  for (OpId A : Allocs) {
    ValueId V = F.op(A).Results[0];
    std::vector<OpId> Users;
    if (!inPlaceUses(F, V, Uses, Users, /*AllowReturn=*/false) || Users.empty())
      continue;
    RegionId R = F.op(A).Parent;
    size_t Last = F.indexInParent(A);
    bool Ok = true;
    for (OpId U : Users) {
      OpId Anc = ancestorIn(F, U, R);
      if (!Anc.isValid()) {
        Ok = false;
        break;
      }
      Last = std::max(Last, F.indexInParent(Anc));
    }
    if (!Ok)
      continue;
    // Not after a terminator: the region ends there (the array dies with
    // the call, or its loop iteration, anyway).
    if (opInfo(F.op(F.region(R).Ops[Last]).Kind).Flags & OPF_Terminator)
      continue;
    OpId Free = F.createOp(OpKind::ArrayFree, {V}, {}, F.op(A).Loc);
    F.insertOp(R, Last + 1, Free);
    ++Ctx.Stats["free-dead-arrays.freed"];
    Changed = true;
  }
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
        ValueId V = F.op(St).Operands[0];
        OpId Def = F.definingOp(V);
        Ok &= Def.isValid() && F.op(Def).Kind == OpKind::ArrayAlloc;
        // ...whose only uses are this store and filling it before.
        for (auto [U, Idx] : Uses[V.Index]) {
          if (U == St)
            continue;
          OpId A = ancestorIn(F, U, F.op(St).Parent);
          Ok &= isFillUse(F, U, Idx) && A.isValid() &&
                F.indexInParent(A) < F.indexInParent(St);
        }
      }
      for (OpId L : Loads[S.Index])
        Ok &= usedInPlace(F, F.op(L).Results[0], Uses) &&
              usesEndBeforeNextStore(F, L, S, Uses);
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
        if (Between || !oldValueOutlivesReleases(F, NewDef, Stores[S.Index]))
          continue;
        OpId Load = F.createOp(OpKind::Load, {S}, {AT}, F.op(St).Loc);
        F.insertOp(R, F.indexInParent(NewDef), Load);
        OpId Free = F.createOp(OpKind::ArrayFree, {F.op(Load).Results[0]}, {}, F.op(St).Loc);
        F.insertOp(R, F.indexInParent(St) + 1, Free);
        ++Ctx.Stats["free-dead-arrays.freed"];
        Changed = true;
      }
    }
    freeAtLastUse(F, Uses, Ctx, Changed);
  }
  return Changed;
}

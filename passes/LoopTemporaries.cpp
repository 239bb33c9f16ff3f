//===- LoopTemporaries.cpp - Free each iteration's arrays -------------------===//
//
// Marks a `for` or `while` op with `frees_temporaries` when every array it
// allocates (at any depth) is dead by the end of the iteration that made
// it. Codegen then takes an arena mark before the loop and releases back to
// it at the start of every iteration and after the loop, so a loop that
// builds a temporary array per iteration runs in constant memory instead of
// keeping every temporary until the call returns.
//
// Legal when, for the loop L:
//   1. L (at any depth) allocates arrays: there is something to free;
//   2. no `return` inside L returns a value containing an array;
//   3. every slot holding arrays or lists (alone or in tuples) that is
//      stored inside L is only loaded inside L, and each such load is
//      dominated by a store inside L: a value can reach a later iteration,
//      or the code after L, only through a slot, and then only from the
//      iteration that stored it;
//   4. L makes or grows no list, dict or set (list.new, append, resize,
//      insert, dict.new, dict.insert), and
//      calls no function with a list among its arguments or results: a
//      list's block may outlive the iteration through a list made before L,
//      without any slot being stored.
// (Arrays allocated before L are below the mark and never released by it.)
//
//   for %lo, %hi, %st {                      for %lo, %hi, %st [frees_temporaries] {
//     %t = array.alloc %n : ...        =>      %t = array.alloc %n : ...
//     store %t, %tmp   ...                     store %t, %tmp   ...
//
//===----------------------------------------------------------------------===//

#include "passes/Analysis.h"
#include "passes/Pass.h"
#include <map>

using namespace kiln;
using namespace kiln::ir;
using kiln::passes::PassContext;
using kiln::passes::dominates;
using kiln::passes::isInside;

namespace {

/// Whether \p T is, or is a tuple holding, a type \p Is accepts.
template <typename Pred> bool holds(Type T, Pred Is) {
  if (Is(T))
    return true;
  if (T.isTuple())
    for (Type E : T.elements())
      if (holds(E, Is))
        return true;
  return false;
}

/// A container whose block lives in the arena: a list, dict or set.
bool holdsList(Type T) {
  return holds(T, [](Type X) { return X.isList() || X.isDict() || X.isSet(); });
}

/// Arrays, and containers (a slot holding either must keep it alive).
bool holdsArray(Type T) {
  return holds(T, [](Type X) { return X.isArray() || X.isList() || X.isDict() || X.isSet(); });
}

class LoopTemporaries {
public:
  explicit LoopTemporaries(const Function &F) : F(F) {
    F.walk([&](OpId O) {
      const OpData &D = F.op(O);
      if (D.Kind == OpKind::Store && holdsArray(F.typeOf(D.Operands[0])))
        Stores[D.Operands[1].Index].push_back(O);
      else if (D.Kind == OpKind::Load && holdsArray(F.typeOf(D.Results[0])))
        Loads[D.Operands[0].Index].push_back(O);
    });
  }

  bool safe(OpId Loop) {
    bool Allocates = false, ReturnsArray = false, GrowsList = false;
    auto InLoop = [&](OpId O) {
      for (RegionId R : F.op(Loop).Regions)
        if (isInside(F, O, R))
          return true;
      return false;
    };
    for (RegionId R : F.op(Loop).Regions)
      F.walkRegion(R, [&](OpId O) {
        const OpData &D = F.op(O);
        Allocates |= D.Kind == OpKind::ArrayAlloc || D.Kind == OpKind::Call;
        GrowsList |= D.Kind == OpKind::ListNew || D.Kind == OpKind::ListAppend ||
                     D.Kind == OpKind::ListResize || D.Kind == OpKind::ListInsert ||
                     D.Kind == OpKind::ListArgsort ||
                     D.Kind == OpKind::DictNew || D.Kind == OpKind::DictInsert;
        if (D.Kind == OpKind::Call) {
          for (ValueId V : D.Operands)
            GrowsList |= holdsList(F.typeOf(V));
          for (ValueId V : D.Results)
            GrowsList |= holdsList(F.typeOf(V));
        }
        if (D.Kind == OpKind::Return)
          for (ValueId V : D.Operands)
            ReturnsArray |= holdsArray(F.typeOf(V));
      });
    if (!Allocates || ReturnsArray || GrowsList)
      return false;
    for (auto &[Slot, St] : Stores) {
      std::vector<OpId> Inner;
      for (OpId S : St)
        if (InLoop(S))
          Inner.push_back(S);
      if (Inner.empty())
        continue;
      for (OpId L : Loads[Slot]) {
        if (!InLoop(L))
          return false;
        bool Dominated = false;
        for (OpId S : Inner)
          Dominated |= dominates(F, F.op(S).Parent, F.indexInParent(S), L);
        if (!Dominated)
          return false;
      }
    }
    return true;
  }

private:
  const Function &F;
  std::map<uint32_t, std::vector<OpId>> Stores, Loads;
};

} // namespace

bool passes::runLoopTemporaries(Module &M, PassContext &Ctx) {
  bool Changed = false;
  for (auto &FP : M.functions()) {
    Function &F = *FP;
    LoopTemporaries LT(F);
    F.walk([&](OpId O) {
      OpData &D = F.op(O);
      if ((D.Kind != OpKind::For && D.Kind != OpKind::While) || D.Attrs.has("frees_temporaries"))
        return;
      if (!LT.safe(O))
        return;
      D.Attrs.set("frees_temporaries", true);
      ++Ctx.Stats["loop-temporaries.loops"];
      Changed = true;
    });
  }
  return Changed;
}

//===- Analysis.cpp - Small queries the passes share -----------------------===//

#include "passes/Analysis.h"
#include <algorithm>
#include <map>
#include <set>

using namespace kiln;
using namespace kiln::ir;

/// The ancestor of \p L (or L) that sits in region \p R, or invalid.
static OpId ancestorInRegion(const Function &F, RegionId R, OpId L) {
  for (OpId Cur = L; Cur.isValid();) {
    RegionId Parent = F.op(Cur).Parent;
    if (Parent == R)
      return Cur;
    Cur = F.parentOp(Parent);
  }
  return OpId();
}

bool passes::dominates(const Function &F, RegionId R, size_t P, OpId L) {
  OpId A = ancestorInRegion(F, R, L);
  return A.isValid() && F.indexInParent(A) > P;
}

bool passes::dominates(const Function &F, const std::vector<uint32_t> &Pos, RegionId R,
                       size_t P, OpId L) {
  OpId A = ancestorInRegion(F, R, L);
  return A.isValid() && Pos[A.Index] > P;
}

bool passes::isInside(const Function &F, OpId O, RegionId R) {
  for (RegionId Cur = F.op(O).Parent; Cur.isValid();) {
    if (Cur == R)
      return true;
    OpId P = F.parentOp(Cur);
    if (!P.isValid())
      return false;
    Cur = F.op(P).Parent;
  }
  return false;
}

std::vector<passes::Accumulator> passes::findAccumulators(const Function &F, RegionId Body,
                                                          const std::vector<unsigned> &Uses) {
  std::vector<Accumulator> Found;
  // Per slot: its loads and stores inside the body, in order of slot.
  std::map<uint32_t, std::pair<std::vector<OpId>, std::vector<OpId>>> Seen;
  F.walkRegion(Body, [&](OpId O) {
    const OpData &D = F.op(O);
    if (D.Kind == OpKind::Load)
      Seen[D.Operands[0].Index].first.push_back(O);
    else if (D.Kind == OpKind::Store)
      Seen[D.Operands[1].Index].second.push_back(O);
  });
  for (auto &[Slot, LS] : Seen) {
    auto &[Loads, Stores] = LS;
    if (Loads.size() != 1 || Stores.size() != 1)
      continue;
    ValueId Loaded = F.op(Loads[0]).Results[0];
    OpId Acc = F.definingOp(F.op(Stores[0]).Operands[0]);
    if (!Acc.isValid() || Uses[Loaded.Index] != 1)
      continue;
    const OpData &A = F.op(Acc);
    if (A.Results.size() == 1 && Uses[A.Results[0].Index] == 1 && combinesInto(F, A, Loaded))
      Found.push_back({ValueId(Slot), Acc});
  }
  return Found;
}

bool passes::combinesInto(const Function &F, const OpData &A, ValueId Acc) {
  if (A.Operands.size() != 2 || A.Results.size() != 1)
    return false;
  bool Uses0 = A.Operands[0] == Acc, Uses1 = A.Operands[1] == Acc;
  switch (A.Kind) {
  case OpKind::Add:
  case OpKind::Mul:
  case OpKind::BitAnd:
  case OpKind::BitOr:
  case OpKind::BitXor:
    return Uses0 != Uses1;
  case OpKind::Sub:
    return Uses0 && !Uses1;
  case OpKind::Math: {
    const AttrValue *Fn = A.Attrs.get("fn");
    return Uses0 != Uses1 && Fn && std::holds_alternative<std::string>(*Fn) &&
           (std::get<std::string>(*Fn) == "minnum" || std::get<std::string>(*Fn) == "maxnum");
  }
  default:
    return false;
  }
}

/// Whether indices \p X and \p Y are the same: one value, or two
/// `array.index` ops of the same array, index, axis and proofs (`b[j] =
/// b[j] - x` checks j twice).
static bool sameIndex(const Function &F, ValueId X, ValueId Y) {
  if (X == Y)
    return true;
  OpId DX = F.definingOp(X), DY = F.definingOp(Y);
  if (!DX.isValid() || !DY.isValid())
    return false;
  const OpData &A = F.op(DX), &B = F.op(DY);
  if (A.Kind != OpKind::ArrayIndex || B.Kind != OpKind::ArrayIndex || A.Operands != B.Operands)
    return false;
  return A.Attrs.getInt("axis") == B.Attrs.getInt("axis") &&
         A.Attrs.has("in_bounds") == B.Attrs.has("in_bounds") &&
         A.Attrs.has("nonneg") == B.Attrs.has("nonneg");
}

/// Values that may be array \p A other than A itself: views, casts,
/// tuples, selects of it, variables it is stored in and their loads, and
/// so on, to a fixed point.
static std::set<uint32_t> derivedValues(const Function &F, ValueId A) {
  std::set<uint32_t> Set{A.Index};
  for (bool Grew = true; Grew;) {
    Grew = false;
    F.walk([&](OpId O) {
      const OpData &D = F.op(O);
      bool Uses = false;
      for (ValueId V : D.Operands)
        Uses |= Set.count(V.Index) != 0;
      if (!Uses)
        return;
      switch (D.Kind) {
      case OpKind::ArrayLoad:
      case OpKind::ArrayStore:
      case OpKind::ArrayDim:
      case OpKind::ArrayStride:
      case OpKind::ArrayIndex:
      case OpKind::ArrayFree:
      case OpKind::ArrayOverlaps:
      case OpKind::Return:
        return; // reads or writes elements, or nothing: no new alias
      case OpKind::Store: // a variable holding it: its loads are it
        if (Set.count(D.Operands[0].Index))
          Grew |= Set.insert(D.Operands[1].Index).second;
        return;
      default:
        for (ValueId R : D.Results)
          Grew |= Set.insert(R.Index).second;
        return;
      }
    });
  }
  Set.erase(A.Index);
  return Set;
}

std::vector<passes::ArrayAccumulator>
passes::findArrayAccumulators(const Function &F, OpId Loop, const std::vector<unsigned> &Uses) {
  RegionId Body = F.op(Loop).Regions[0];
  // Per array defined outside the loop: its uses inside, and whether each
  // is part of a load-combine-store pair.
  std::map<uint32_t, std::vector<OpId>> UsesOf;
  F.walkRegion(Body, [&](OpId O) {
    const OpData &D = F.op(O);
    for (ValueId V : D.Operands) {
      OpId Def = F.definingOp(V);
      if (F.typeOf(V).isArray() && Def.isValid() && !isInside(F, Def, Body))
        UsesOf[V.Index].push_back(O);
    }
  });
  std::vector<ArrayAccumulator> Found;
  for (auto &[Arr, Users] : UsesOf) {
    ValueId A(Arr);
    ArrayAccumulator Acc{A, {}};
    bool Ok = true;
    unsigned Loads = 0, Stores = 0;
    for (OpId U : Users) {
      const OpData &D = F.op(U);
      if (D.Kind == OpKind::ArrayDim || D.Kind == OpKind::ArrayStride ||
          D.Kind == OpKind::ArrayIndex)
        continue;
      if (D.Kind == OpKind::ArrayStore && D.Operands[1] == A) {
        ++Stores;
        // The stored value: a combination of a load of the same element.
        OpId C = F.definingOp(D.Operands[0]);
        const OpData *Comb = C.isValid() ? &F.op(C) : nullptr;
        bool Pair = false;
        if (Comb && Uses[D.Operands[0].Index] == 1)
          for (ValueId In : Comb->Operands) {
            OpId L = F.definingOp(In);
            if (!L.isValid() || F.op(L).Kind != OpKind::ArrayLoad || Uses[In.Index] != 1)
              continue;
            const OpData &LD = F.op(L);
            Pair |= LD.Operands[0] == A &&
                    std::equal(LD.Operands.begin() + 1, LD.Operands.end(),
                               D.Operands.begin() + 2, D.Operands.end(),
                               [&](ValueId X, ValueId Y) { return sameIndex(F, X, Y); }) &&
                    LD.Parent == D.Parent && combinesInto(F, *Comb, In);
          }
        Ok &= Pair;
        if (Pair)
          Acc.Combines.push_back(C);
        continue;
      }
      if (D.Kind == OpKind::ArrayLoad && D.Operands[0] == A) {
        ++Loads;
        continue; // checked from its store
      }
      Ok = false; // a view, a call, the value stored somewhere...
    }
    // One pair: two interleaved on one element would lose an update.
    if (!Ok || Stores != 1 || Loads != 1)
      continue;
    // Nothing in the loop may reach the array another way: a view, a cast,
    // a variable holding it (each chunk works on a private copy). (Asked
    // last: it walks the whole function.)
    std::set<uint32_t> Other = derivedValues(F, A);
    bool Reached = false;
    F.walkRegion(Body, [&](OpId O) {
      for (ValueId V : F.op(O).Operands)
        Reached |= Other.count(V.Index) != 0;
    });
    if (!Reached)
      Found.push_back(std::move(Acc));
  }
  return Found;
}

bool passes::containsLoop(const Function &F, RegionId R) {
  bool Found = false;
  F.walkRegion(R, [&](OpId O) {
    Found |= F.op(O).Kind == OpKind::For || F.op(O).Kind == OpKind::While;
  });
  return Found;
}

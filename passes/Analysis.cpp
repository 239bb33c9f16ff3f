//===- Analysis.cpp - Small queries the passes share -----------------------===//

#include "passes/Analysis.h"
#include <map>

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
    if (A.Results.size() != 1 || Uses[A.Results[0].Index] != 1 || A.Operands.size() != 2)
      continue;
    bool Uses0 = A.Operands[0] == Loaded, Uses1 = A.Operands[1] == Loaded;
    bool Ok = false;
    switch (A.Kind) {
    case OpKind::Add:
    case OpKind::Mul:
    case OpKind::BitAnd:
    case OpKind::BitOr:
    case OpKind::BitXor:
      Ok = Uses0 || Uses1;
      break;
    case OpKind::Sub:
      Ok = Uses0;
      break;
    case OpKind::Math: {
      const AttrValue *Fn = A.Attrs.get("fn");
      Ok = (Uses0 || Uses1) && Fn && std::holds_alternative<std::string>(*Fn) &&
           (std::get<std::string>(*Fn) == "minnum" || std::get<std::string>(*Fn) == "maxnum");
      break;
    }
    default:
      break;
    }
    if (Ok)
      Found.push_back({ValueId(Slot), Loads[0], Acc, Stores[0]});
  }
  return Found;
}

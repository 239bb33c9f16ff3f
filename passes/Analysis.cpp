//===- Analysis.cpp - Small queries the passes share -----------------------===//

#include "passes/Analysis.h"

using namespace kiln;
using namespace kiln::ir;

std::optional<int64_t> passes::constIntOf(const Function &F, ValueId V) {
  OpId D = F.definingOp(V);
  if (!D.isValid() || F.op(D).Kind != OpKind::Const)
    return std::nullopt;
  const AttrValue *A = F.op(D).Attrs.get("value");
  if (!A || !std::holds_alternative<int64_t>(*A))
    return std::nullopt;
  return std::get<int64_t>(*A);
}

bool passes::dominates(const Function &F, RegionId R, size_t P, OpId L) {
  for (OpId Cur = L; Cur.isValid();) {
    RegionId Parent = F.op(Cur).Parent;
    if (Parent == R)
      return F.indexInParent(Cur) > P;
    Cur = F.parentOp(Parent);
  }
  return false;
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

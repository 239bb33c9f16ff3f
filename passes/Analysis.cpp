//===- Analysis.cpp - Small queries the passes share -----------------------===//

#include "passes/Analysis.h"

using namespace kiln;
using namespace kiln::ir;

bool passes::dominates(const Function &F, RegionId R, size_t P, OpId L) {
  for (OpId Cur = L; Cur.isValid();) {
    RegionId Parent = F.op(Cur).Parent;
    if (Parent == R)
      return F.indexInParent(Cur) > P;
    Cur = F.parentOp(Parent);
  }
  return false;
}

bool passes::dominates(const Function &F, const std::vector<uint32_t> &Pos, RegionId R,
                       size_t P, OpId L) {
  for (OpId Cur = L; Cur.isValid();) {
    RegionId Parent = F.op(Cur).Parent;
    if (Parent == R)
      return Pos[Cur.Index] > P;
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

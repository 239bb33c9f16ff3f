//===- Analysis.cpp - Small queries the passes share -----------------------===//

#include "passes/Analysis.h"

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

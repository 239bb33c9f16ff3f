//===- Parallelize.cpp - Run independent loop nests on every core ---------===//
//
// Marks `for` loops `parallel`; codegen then outlines the loop body and runs
// its iterations through the runtime's kiln_parallel_for (chunks on an
// OpenMP team, the error of the lowest failing chunk kept), when the loop
// has enough work (codegen/LowerParallel.cpp).
//
// Legal when the loop carries the unit attribute `independent` — the
// frontend's promise that iterations write disjoint memory, read nothing
// another iteration writes, and reset every slot they write before reading
// it (the loop nests of array statements: LowerArrayExpr.cpp) — and:
//   1. it is not nested in another independent loop (that one is
//      parallelised instead, and has the most work per chunk); inside an
//      ordinary loop (`for step in range(n): u = ...`) it is fine;
//   2. its body calls no function, allocates no array, and has no `return`,
//      `break` or `while` (calls and allocations use per-call state; a
//      `break` would end only the chunk);
//   3. it does not free temporaries per iteration (loop-temporaries'
//      arena marks are per thread of control).
//
//   for %c0, %n, %c1 [independent] {...}   =>   for %c0, %n, %c1 [independent, parallel] {...}
//
//===----------------------------------------------------------------------===//

#include "passes/Pass.h"

using namespace kiln;
using namespace kiln::ir;
using kiln::passes::PassContext;

namespace {

bool bodyAllowsParallel(const Function &F, RegionId R) {
  for (OpId O : F.region(R).Ops) {
    const OpData &D = F.op(O);
    if (D.Erased)
      continue;
    switch (D.Kind) {
    case OpKind::Call:
    case OpKind::ArrayAlloc:
    case OpKind::Return:
    case OpKind::Break:
    case OpKind::While:
      return false;
    default:
      break;
    }
    if (D.Attrs.has("frees_temporaries"))
      return false;
    for (RegionId Sub : D.Regions)
      if (!bodyAllowsParallel(F, Sub))
        return false;
  }
  return true;
}

void visit(Function &F, RegionId R, bool InIndependent, PassContext &Ctx, bool &Changed) {
  for (OpId O : F.region(R).Ops) {
    OpData &D = F.op(O);
    if (D.Erased)
      continue;
    bool Independent = D.Kind == OpKind::For && D.Attrs.has("independent");
    if (Independent && !InIndependent &&
        !D.Attrs.has("parallel") && !D.Attrs.has("frees_temporaries") &&
        bodyAllowsParallel(F, D.Regions[0])) {
      D.Attrs.set("parallel", true);
      ++Ctx.Stats["parallelize.loops"];
      Changed = true;
    }
    for (RegionId Sub : D.Regions)
      visit(F, Sub, InIndependent || Independent, Ctx, Changed);
  }
}

} // namespace

bool passes::runParallelize(Module &M, PassContext &Ctx) {
  bool Changed = false;
  if (Ctx.Serial)
    return false;
  for (auto &F : M.functions())
    visit(*F, F->body(), false, Ctx, Changed);
  return Changed;
}

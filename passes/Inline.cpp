//===- Inline.cpp - Inline small functions into their callers --------------===//
//
// Replaces `call @g(args)` by a copy of g's body when:
//   1. g is not recursive (g cannot reach itself through calls);
//   2. g's only `return` is the last op of its body region (no early
//      returns nested in `if` or loops, which would need a jump out);
//   3. g has at most PassContext::InlineThreshold ops.
// Exported functions may be inlined into other functions; they stay in the
// module for Python to call.
//
// Legal because: errors propagate by status, so a `raise` inside the copy
// leaves the caller exactly as it would have left through the callee; and
// g's slots become fresh slots of the caller.
//
//   func @sq(%x: int64) -> int64 { %r = mul %x, %x : int64  return %r }
//   %y = call %a [callee = @sq] : int64   =>   %y = mul %a, %a : int64
//
//===----------------------------------------------------------------------===//

#include "passes/Pass.h"
#include <map>
#include <set>

using namespace kiln;
using namespace kiln::ir;
using kiln::passes::PassContext;

namespace {

unsigned countOps(const Function &F) {
  unsigned N = 0;
  F.walk([&](OpId) { ++N; });
  return N;
}

/// True if the function's only return is the last op of its body.
bool hasSingleTrailingReturn(const Function &F) {
  const auto &Body = F.region(F.body()).Ops;
  if (Body.empty() || F.op(Body.back()).Kind != OpKind::Return)
    return false;
  unsigned Returns = 0;
  F.walk([&](OpId O) { Returns += F.op(O).Kind == OpKind::Return; });
  return Returns == 1;
}

/// Copies the ops of \p Src's region \p From into \p Dst's region \p To at
/// \p Pos, mapping values through \p Map. Returns the new position.
size_t cloneOps(Function &Dst, const Function &Src, RegionId From, RegionId To, size_t Pos,
                std::map<uint32_t, ValueId> &Map, SourceLoc CallLoc) {
  for (OpId O : Src.region(From).Ops) {
    const OpData &D = Src.op(O);
    std::vector<ValueId> Operands;
    for (ValueId V : D.Operands) {
      auto It = Map.find(V.Index);
      assert(It != Map.end() && "operand not mapped while inlining");
      Operands.push_back(It->second);
    }
    std::vector<Type> Types;
    for (ValueId R : D.Results)
      Types.push_back(Src.typeOf(R));
    OpId N = Dst.createOp(D.Kind, Operands, Types, D.Loc.isValid() ? D.Loc : CallLoc,
                          D.Regions.size());
    Dst.op(N).Attrs = D.Attrs;
    for (size_t I = 0; I < D.Results.size(); ++I) {
      ValueId NR = Dst.op(N).Results[I];
      Dst.value(NR).Name = Src.value(D.Results[I]).Name;
      Map[D.Results[I].Index] = NR;
    }
    for (size_t I = 0; I < D.Regions.size(); ++I) {
      RegionId SR = D.Regions[I], DR = Dst.op(N).Regions[I];
      for (ValueId A : Src.region(SR).Args)
        Map[A.Index] = Dst.addRegionArg(DR, Src.typeOf(A), Src.value(A).Name);
      cloneOps(Dst, Src, SR, DR, 0, Map, CallLoc);
    }
    Dst.insertOp(To, Pos++, N);
  }
  return Pos;
}

} // namespace

/// One sweep over every call site of the module.
static bool inlineOnce(Module &M, PassContext &Ctx, const std::set<std::string> &Rec) {
  bool Changed = false;
  for (auto &Caller : M.functions()) {
    std::vector<OpId> Calls;
    Caller->walk([&](OpId O) {
      if (Caller->op(O).Kind == OpKind::Call)
        Calls.push_back(O);
    });
    for (OpId Call : Calls) {
      const std::string &Name = Caller->op(Call).Attrs.getSym("callee").Name;
      const Function *Callee = M.lookup(Name);
      if (!Callee || Callee == Caller.get() || Rec.count(Name) ||
          !hasSingleTrailingReturn(*Callee) || countOps(*Callee) > Ctx.InlineThreshold)
        continue;
      std::map<uint32_t, ValueId> Map;
      for (size_t I = 0; I < Callee->params().size(); ++I)
        Map[Callee->params()[I].Index] = Caller->op(Call).Operands[I];
      // Clone everything but the trailing return, then forward its value.
      RegionId Scratch = Caller->newRegion();
      cloneOps(*Caller, *Callee, Callee->body(), Scratch, 0, Map, Caller->op(Call).Loc);
      std::vector<OpId> &New = Caller->region(Scratch).Ops;
      OpId Ret = New.back();
      RegionId Parent = Caller->op(Call).Parent;
      size_t Pos = Caller->indexInParent(Call);
      for (OpId O : std::vector<OpId>(New.begin(), New.end() - 1)) {
        Caller->detachOp(O);
        Caller->insertOp(Parent, Pos++, O);
      }
      if (!Caller->op(Call).Results.empty())
        Caller->replaceAllUsesWith(Caller->op(Call).Results[0], Caller->op(Ret).Operands[0]);
      Caller->eraseOp(Ret);
      Caller->eraseOp(Call);
      ++Ctx.Stats["inline.calls"];
      Changed = true;
    }
  }
  return Changed;
}

bool passes::runInline(Module &M, PassContext &Ctx) {
  // Inlining can only bring in calls to non-recursive functions, so chains
  // shrink each sweep; the cap bounds the work on long chains.
  std::set<std::string> Rec = ir::recursiveFunctions(M);
  bool Changed = false;
  for (unsigned Sweep = 0; Sweep < 8 && inlineOnce(M, Ctx, Rec); ++Sweep)
    Changed = true;
  return Changed;
}

//===- WrittenParams.cpp - Which array parameters a function may write -----===//
//
// Marks parameter i of a function with the unit attribute `written.<i>` when
// the function, or a function it calls, may store into the memory of that
// array parameter. The runtime then asks the buffer protocol for a writable
// buffer for exactly those parameters: a read-only array passed where the
// function writes is refused with NumPy's ValueError before any work, and a
// read-only array passed to a function that only reads is fine.
//
// The analysis is a may-alias over-approximation: every value gets the set
// of parameters its memory may come from (views, slots, tuples, call
// results all propagate; a call result may be any array argument). It only
// adds attributes, so it is always legal; it must run before codegen at
// every -O level (the driver runs it after the pipeline).
//
//   func @f(%a: array<float64, 1>, %b: array<float64, 1>) ...     func @f(...) [written.1]
//     array.store %x, %b, %i                                  =>
//
//===----------------------------------------------------------------------===//

#include "passes/Pass.h"
#include <map>

using namespace kiln;
using namespace kiln::ir;
using kiln::passes::PassContext;

namespace {

using Mask = uint64_t; // bit i: may come from parameter i (all bits: unknown)

/// Parameters each function may write, by name.
using WrittenMap = std::map<std::string, Mask>;

Mask paramBit(unsigned I) { return I < 64 ? Mask(1) << I : ~Mask(0); }

/// One function: the parameters it may write, given its callees'.
Mask analyse(const Function &F, const WrittenMap &Callees) {
  std::vector<Mask> Origin(F.numValueSlots(), 0);
  for (unsigned I = 0; I < F.params().size(); ++I)
    if (F.typeOf(F.params()[I]).isArray())
      Origin[F.params()[I].Index] = paramBit(I);
  Mask Written = 0;
  // Slots and loops make origins flow backwards: iterate to a fixpoint
  // (origins only grow; each sweep adds a bit or stops).
  for (unsigned Sweep = 0; Sweep < 66; ++Sweep) {
    bool Changed = false;
    auto Join = [&](ValueId Dst, Mask M) {
      Mask &D = Origin[Dst.Index];
      if ((D | M) != D) {
        D |= M;
        Changed = true;
      }
    };
    F.walk([&](OpId O) {
      const OpData &D = F.op(O);
      Mask In = 0;
      for (ValueId V : D.Operands)
        In |= Origin[V.Index];
      switch (D.Kind) {
      case OpKind::ArraySub:
      case OpKind::ArrayView:
      case OpKind::Cast:
      case OpKind::TupleMake:
      case OpKind::TupleGet:
      case OpKind::Load:
      case OpKind::Select:
      case OpKind::Call:
        for (ValueId R : D.Results)
          Join(R, In);
        break;
      case OpKind::Store:
        Join(D.Operands[1], Origin[D.Operands[0].Index]); // the slot holds it
        break;
      default:
        break;
      }
      if (D.Kind == OpKind::ArrayStore)
        Written |= Origin[D.Operands[1].Index];
      if (D.Kind == OpKind::ArraySort)
        Written |= Origin[D.Operands[0].Index];
      if (D.Kind == OpKind::Call) {
        auto It = Callees.find(D.Attrs.getSym("callee").Name);
        Mask CalleeWrites = It == Callees.end() ? ~Mask(0) : It->second;
        for (unsigned J = 0; J < D.Operands.size(); ++J)
          if (CalleeWrites & paramBit(J))
            Written |= Origin[D.Operands[J].Index];
      }
    });
    if (!Changed)
      break;
  }
  return Written;
}

} // namespace

bool passes::runWrittenParams(Module &M, PassContext &Ctx) {
  WrittenMap Written;
  for (const auto &F : M.functions())
    Written[F->name()] = 0;
  // Callers learn from callees: iterate over the call graph to a fixpoint.
  for (unsigned Round = 0; Round < 64; ++Round) {
    bool Changed = false;
    for (const auto &F : M.functions()) {
      Mask W = analyse(*F, Written);
      if (W != Written[F->name()]) {
        Written[F->name()] |= W;
        Changed = true;
      }
    }
    if (!Changed)
      break;
  }
  bool Changed = false;
  for (auto &F : M.functions())
    for (unsigned I = 0; I < F->params().size(); ++I) {
      std::string Attr = "written." + std::to_string(I);
      if (F->typeOf(F->params()[I]).isArray() && (Written[F->name()] & paramBit(I)) &&
          !F->attrs().has(Attr)) {
        F->attrs().set(Attr, true);
        ++Ctx.Stats["written-params.marked"];
        Changed = true;
      }
    }
  return Changed;
}

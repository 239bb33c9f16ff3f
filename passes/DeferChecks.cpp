//===- DeferChecks.cpp - Vectorisable loops whose checks run afterwards ----===//
//
// Python's checks (a zero divisor, math.sqrt of a negative, an index out of
// bounds, int64 overflow) are branches to a `raise`, and a loop with such
// exits does not vectorise. This pass marks an innermost `for` loop
// `deferred_checks` when it can run twice; codegen then emits
//
//   saved = the slots the loop writes
//   if every array it indexes is non-empty, and every index `i + c` of the
//   loop's variable is in bounds at the loop's first and last iteration:
//     the loop, each failing check OR-ed into a flag instead of raising (an
//     index `i + c` is not checked; another that fails reads element 0
//     instead; a float that does not convert to int converts 0; an
//     explicit `raise` skips the rest of the iteration), leaving at the end
//     of a chunk of iterations once the flag is set
//     if the flag is clear: done
//   slots = saved; the loop again, as written (it raises where Python does)
//
// A loop whose one array write is a scatter, `h[k] = v` or `h[k] = h[k] op
// v` (a histogram's `h[k] += 1`), is split instead: its ops but the
// scatter's are deferred as above, chunk by chunk, and record each
// iteration's index and value; the scatter then runs over the recorded
// chunk. The scatter's own ops (the load of h[k], `op`, the store) are
// marked `scatter`. A chunk whose flag is set runs again from its first
// iteration, as written. Codegen also tests at run time that no array the
// loop reads overlaps h.
//
// Legal when the loop body
//   1. writes nothing but scalar slots (and the scatter): no other array
//      store, call, allocation, free or sort, so running it once more from
//      the saved slots is running it for the first time;
//   2. has no nested loop, `break`, `continue` or `return`, and the loop
//      is not `parallel` or `frees_temporaries`;
//   3. uses only ops whose checks codegen routes through its raise helpers
//      and whose results stay defined when a check fails (arithmetic but
//      `pow`, Python's int `//` and `%`, and int64 ops that may overflow on
//      operands that vary in the loop;
//      comparisons, casts of scalars, the math functions of the list below,
//      slot and array reads, `if` and `raise`), on scalars that are not
//      complex; the scatter's `op` may be any scalar operation (it runs
//      checked, in order);
//   4. indexes only arrays defined before the loop (their extents are
//      tested before it);
//   5. for a scatter: h is defined before the loop and read by no other op
//      (its extents and index computations aside); the load and `op` have
//      no other use; some index is neither the loop's variable plus a
//      constant nor loop-invariant (a store at `[i0, i + c]` stays in the
//      loop: split, its contiguous writes would become a copy loop).
// It is worth it when the body has a check: an index that is not
// `in_bounds`, a division, a float-to-int cast, a checked math function or
// a `raise` (for a scatter, besides the checks of h's own index: splitting
// `h[a[i]] += 1` only adds work). int64 arithmetic that may overflow, on
// operands that vary in the loop, keeps the loop as it is: LLVM does not
// vectorise overflow intrinsics.
//
//   for %c0, %n, %c1 {...}   =>   for %c0, %n, %c1 [deferred_checks] {...}
//
//===----------------------------------------------------------------------===//

#include "passes/Analysis.h"
#include "passes/Pass.h"
#include "llvm/ADT/StringSet.h"

using namespace kiln;
using namespace kiln::ir;
using kiln::passes::PassContext;

namespace {

/// Math functions whose lowering raises only through the raise helpers.
bool deferrableMath(llvm::StringRef Fn) {
  static const llvm::StringSet<> Fns = {
#define MATH1(Name, ID, CanOverflow) #Name,
#include "ir/MathFns.def"
      "fabs",  "floor", "ceil",   "trunc", "abs",   "min",   "max",   "minnum", "maxnum",
      "atan2", "hypot", "copysign", "isnan", "isinf", "isfinite"};
  return Fns.contains(Fn);
}

class Candidate {
public:
  /// \p Uses: F.useCounts(), for every loop of F (the pass changes
  /// attributes only).
  Candidate(const Function &F, const std::vector<unsigned> &Uses, OpId Loop)
      : F(F), Uses(Uses), Loop(Loop) {}

  bool legal() {
    const OpData &L = F.op(Loop);
    if (L.Attrs.has("parallel") || L.Attrs.has("frees_temporaries") ||
        L.Attrs.has("deferred_checks") || !findScatter())
      return false;
    Ok = true;
    F.walkRegion(L.Regions[0], [&](OpId O) {
      if (!llvm::is_contained(Scatter, O))
        visit(O);
    });
    return Ok && HasCheck;
  }

  /// The scatter's ops, in order ([load, op,] store); empty if none.
  std::vector<OpId> Scatter;

private:
  const Function &F;
  const std::vector<unsigned> &Uses;
  OpId Loop;
  bool Ok = true, HasCheck = false;
  ValueId Target; ///< the scattered-into array, if any

  /// Finds the body's one array store and the ops of its scatter; false if
  /// there is more than one, or it is not a scatter (rule 5).
  bool findScatter() {
    std::vector<OpId> Stores;
    F.walkRegion(F.op(Loop).Regions[0], [&](OpId O) {
      if (F.op(O).Kind == OpKind::ArrayStore)
        Stores.push_back(O);
    });
    if (Stores.empty())
      return true;
    if (Stores.size() > 1)
      return false;
    const OpData &S = F.op(Stores[0]);
    Target = S.Operands[1];
    if (!definedBeforeLoop(Target) || !scalar(S.Operands[0]))
      return false;
    // A store at indices `i + c` and loop-invariant ones is not a
    // scatter: the split would make its contiguous writes a copy loop
    // (`o[i] = x[i] / y[i]`: 5.4 -> 8.7 ms; matmul's `c[i, j] += ...`).
    if (llvm::all_of(llvm::ArrayRef(S.Operands).drop_front(2), [&](ValueId I) {
          OpId D = F.definingOp(I);
          ValueId Raw = D.isValid() && F.op(D).Kind == OpKind::ArrayIndex ? F.op(D).Operands[1] : I;
          return affine(Raw) || definedBeforeLoop(Raw);
        }))
      return false;
    auto OnlyUse = [&](ValueId V, RegionId R) {
      OpId D = F.definingOp(V);
      return D.isValid() && F.op(D).Parent == R && F.op(D).Results.size() == 1 &&
             Uses[V.Index] == 1 ? D : OpId();
    };
    // h[k] = h[k] op v: the load of the very element stored, feeding `op`.
    if (OpId Comb = OnlyUse(S.Operands[0], S.Parent); Comb.isValid() && combiner(F.op(Comb)))
      for (ValueId X : F.op(Comb).Operands)
        if (OpId Ld = OnlyUse(X, S.Parent); Ld.isValid()) {
          const OpData &LD = F.op(Ld);
          if (LD.Kind == OpKind::ArrayLoad && LD.Operands[0] == Target &&
              llvm::ArrayRef(LD.Operands).drop_front() ==
                  llvm::ArrayRef(S.Operands).drop_front(2)) {
            Scatter = {Ld, Comb};
            break;
          }
        }
    Scatter.push_back(Stores[0]);
    // Nothing else reads h (its extents and indices aside).
    bool Alone = true;
    F.walkRegion(F.op(Loop).Regions[0], [&](OpId O) {
      const OpData &D = F.op(O);
      if (llvm::is_contained(Scatter, O) || D.Kind == OpKind::ArrayIndex ||
          D.Kind == OpKind::ArrayDim || D.Kind == OpKind::ArrayStride)
        return;
      Alone &= !llvm::is_contained(D.Operands, Target);
    });
    return Alone;
  }

  /// The loop's variable, or it plus or minus a constant.
  bool affine(ValueId I) {
    return splitOffset(F, I).first == F.region(F.op(Loop).Regions[0]).Args[0];
  }

  /// Ops that may combine the old element with a value (run checked).
  static bool combiner(const OpData &D) {
    switch (D.Kind) {
    case OpKind::Add:
    case OpKind::Sub:
    case OpKind::Mul:
    case OpKind::BitAnd:
    case OpKind::BitOr:
    case OpKind::BitXor:
    case OpKind::Math:
      return D.Regions.empty() && D.Operands.size() == 2;
    default:
      return false;
    }
  }

  bool scalar(ValueId V) {
    Type T = F.typeOf(V);
    return T.isScalar() && !T.isComplex();
  }

  bool definedBeforeLoop(ValueId V) {
    OpId D = F.definingOp(V);
    RegionId R = D.isValid() ? F.op(D).Parent : F.value(V).ArgOf;
    for (; R.isValid();) {
      OpId P = F.parentOp(R);
      if (P == Loop)
        return false;
      if (!P.isValid())
        return true;
      R = F.op(P).Parent;
    }
    return true;
  }

  /// Defined before the loop, or a constant.
  bool invariant(ValueId V) {
    OpId D = F.definingOp(V);
    return definedBeforeLoop(V) || (D.isValid() && F.op(D).Kind == OpKind::Const);
  }

  void visit(OpId O) {
    const OpData &D = F.op(O);
    if (D.Erased)
      return;
    bool AllScalar = llvm::all_of(D.Results, [&](ValueId V) { return scalar(V); });
    switch (D.Kind) {
    case OpKind::Const:
    case OpKind::StrConst:
    case OpKind::Cmp:
    case OpKind::Select:
    case OpKind::Not:
    case OpKind::BitAnd:
    case OpKind::BitOr:
    case OpKind::BitXor:
    case OpKind::Invert:
    case OpKind::ArrayDim:
    case OpKind::ArrayStride:
    case OpKind::ArrayLoad:
    case OpKind::If:
      Ok &= D.Kind == OpKind::StrConst || AllScalar || D.Kind == OpKind::If;
      return;
    case OpKind::Add:
    case OpKind::Sub:
    case OpKind::Mul:
    case OpKind::Neg:
      // int64 arithmetic that may overflow keeps the loop as it is: LLVM
      // does not vectorise its overflow intrinsics, and OR-ing their flags
      // costs more than branches that are never taken.
      // (Unless its operands are loop-invariant: LLVM hoists it then.)
      Ok &= AllScalar && (!F.typeOf(D.Results[0]).isInt() || D.Attrs.has("no_overflow") ||
                          llvm::all_of(D.Operands, [&](ValueId V) { return invariant(V); }));
      return;
    case OpKind::Div:
    case OpKind::FloorDiv:
    case OpKind::Mod:
      // (Python's int `//` and `%` would still divide by the zero they
      // flag, a hardware trap: they keep the loop as it is.)
      Ok &= AllScalar &&
            !(F.typeOf(D.Results[0]).isInteger() && D.Kind != OpKind::Div && !D.Attrs.has("numpy"));
      HasCheck |= !D.Attrs.has("numpy");
      return;
    case OpKind::Cast:
      Ok &= AllScalar && scalar(D.Operands[0]);
      HasCheck |= F.typeOf(D.Operands[0]).isFloating() && F.typeOf(D.Results[0]).isInteger();
      return;
    case OpKind::Math:
      Ok &= AllScalar && deferrableMath(D.Attrs.getStr("fn")) &&
            llvm::all_of(D.Operands, [&](ValueId V) { return scalar(V); });
      HasCheck |= !D.Attrs.has("numpy");
      return;
    case OpKind::Load:
      Ok &= AllScalar;
      return;
    case OpKind::Store:
      Ok &= scalar(D.Operands[0]);
      return;
    case OpKind::ArraySub:
      Ok &= definedBeforeLoop(D.Operands[0]);
      return;
    case OpKind::ArrayIndex:
      Ok &= definedBeforeLoop(D.Operands[0]);
      HasCheck |= !D.Attrs.has("in_bounds") && D.Operands[0] != Target;
      return;
    case OpKind::Raise:
      HasCheck = true;
      return;
    default:
      Ok = false; // loops, calls, array stores and allocations, break...
    }
  }
};

} // namespace

bool passes::runDeferChecks(Module &M, PassContext &Ctx) {
  bool Changed = false;
  for (auto &FP : M.functions()) {
    Function &F = *FP;
    std::vector<OpId> Loops;
    F.walk([&](OpId O) {
      if (F.op(O).Kind == OpKind::For)
        Loops.push_back(O);
    });
    std::vector<unsigned> Uses = F.useCounts();
    for (OpId L : Loops) {
      Candidate C(F, Uses, L);
      if (!C.legal())
        continue;
      F.op(L).Attrs.set("deferred_checks", true);
      for (OpId O : C.Scatter)
        F.op(O).Attrs.set("scatter", true);
      ++Ctx.Stats[C.Scatter.empty() ? "defer-checks.loops" : "defer-checks.scatters"];
      Changed = true;
    }
  }
  return Changed;
}

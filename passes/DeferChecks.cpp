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
// Legal when the loop body
//   1. writes nothing but scalar slots: no array store, call, allocation,
//      free or sort, so running it once more from the saved slots is
//      running it for the first time;
//   2. has no nested loop, `break`, `continue` or `return`, and the loop
//      is not `parallel` or `frees_temporaries`;
//   3. uses only ops whose checks codegen routes through its raise helpers
//      and whose results stay defined when a check fails (arithmetic but
//      `pow`, Python's int `//` and `%`, and int64 ops that may overflow;
//      comparisons, casts of scalars, the math functions of the list below,
//      slot and array reads, `if` and `raise`), on scalars that are not
//      complex;
//   4. indexes only arrays defined before the loop (their extents are
//      tested before it).
// It is worth it when the body has a check: an index that is not
// `in_bounds`, a division, a float-to-int cast, a checked math function or
// a `raise`. (int64 arithmetic that may overflow keeps the loop as it is:
// LLVM does not vectorise overflow intrinsics.)
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
      "sqrt",  "exp",   "log",    "log10", "log2",  "expm1", "log1p",    "sin",   "cos",
      "tan",   "asin",  "acos",   "atan",  "sinh",  "cosh",  "tanh",     "fabs",  "floor",
      "ceil",  "trunc", "abs",    "min",   "max",   "minnum", "maxnum",  "atan2", "hypot",
      "copysign", "isnan", "isinf", "isfinite"};
  return Fns.contains(Fn);
}

class Candidate {
public:
  Candidate(const Function &F, OpId Loop) : F(F), Loop(Loop) {}

  bool legal() {
    const OpData &L = F.op(Loop);
    if (L.Attrs.has("parallel") || L.Attrs.has("frees_temporaries") ||
        L.Attrs.has("deferred_checks"))
      return false;
    Ok = true;
    F.walkRegion(L.Regions[0], [&](OpId O) { visit(O); });
    return Ok && HasCheck;
  }

private:
  const Function &F;
  OpId Loop;
  bool Ok = true, HasCheck = false;

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
      Ok &= AllScalar && !(F.typeOf(D.Results[0]).isInt() && !D.Attrs.has("no_overflow"));
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
      HasCheck |= !D.Attrs.has("in_bounds");
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
    for (OpId L : Loops)
      if (Candidate(F, L).legal()) {
        F.op(L).Attrs.set("deferred_checks", true);
        ++Ctx.Stats["defer-checks.loops"];
        Changed = true;
      }
  }
  return Changed;
}

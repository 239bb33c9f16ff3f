//===- BoundsChecks.cpp - Remove bounds checks that cannot fail ------------===//
//
// Marks `array.index %a, %i [axis = k]` with `in_bounds` when %i is provably
// within [0, extent of axis k of %a), and with `nonneg` when only i >= 0 is
// proven (then no wrap-around is needed, only the upper check). Proven today: %i = %iv + c, where %iv
// is the induction variable of an enclosing `for %lo, %hi, %step` with a
// positive %step and lo + c >= 0 (constants, or values shown >= 0 / >= 1:
// constants, extents, Python int `+` and `*` of such, variables only ever
// given such: the sieve's `range(i * i, n, i)` with i = 2, 3, ...),
// %hi = E + d for an extent E of that same axis of that same array (or of
// an array allocated with E as that extent), and d + c <= 0.
//
// Legal because: the loop runs %iv through lo, lo+step, ... < E + d, so
// lo + c <= %i <= E + d - 1 + c < E. Checked code then runs exactly like
// unchecked code (`--unchecked` removes every check instead).
//
//   for %c0, %n, %c1 {                          for %c0, %n, %c1 {
//   ^(%i: int64):                               ^(%i: int64):
//     %j = array.index %a, %i [axis = 0]   =>     %j = array.index %a, %i [axis = 0, in_bounds]
//
// (%n = array.dim %a [axis = 0]). Run after forward-slots, so that loop
// variables and `n = a.shape[0]` are values, not slot loads.
//
//===----------------------------------------------------------------------===//

#include "passes/Analysis.h"
#include "passes/Pass.h"
#include <map>
#include <set>
#include <tuple>

using namespace kiln;
using namespace kiln::ir;
using kiln::passes::PassContext;
using kiln::ir::constIntOf;
using kiln::ir::splitOffset;

namespace {

class BoundsChecks {
public:
  enum class Proof { None, NonNegative, InBounds };
  BoundsChecks(const Function &F) : F(F) { computeSlotExtents(); }

  /// What can be proven of index \p I on axis \p Axis of \p A.
  Proof prove(ValueId A, unsigned Axis, ValueId I) {
    if (auto C = constIntOf(F, I))
      return *C >= 0 ? Proof::NonNegative : Proof::None;
    auto [IV, C] = splitOffset(F, I);
    OpId Loop = loopOf(IV);
    if (!Loop.isValid())
      return Proof::None;
    const OpData &L = F.op(Loop);
    // A positive step, and a start that keeps i >= 0: constants, or values
    // proven so (the sieve's `range(i * i, n, i)`).
    auto Lo = constIntOf(F, L.Operands[0]), Step = constIntOf(F, L.Operands[2]);
    std::set<std::pair<uint32_t, int64_t>> Assumed, Assumed2;
    bool StepPositive = Step ? *Step > 0 : atLeast(L.Operands[2], 1, Assumed, 0);
    bool StartOk = Lo ? *Lo + C >= 0 : C >= 0 && atLeast(L.Operands[0], 0, Assumed2, 0);
    if (!StepPositive || !StartOk)
      return Proof::None;
    auto [Hi, D] = splitOffset(F, L.Operands[1]);
    if (D + C <= 0 && extentKey(Hi) == axisKey(A, Axis))
      return Proof::InBounds;
    return Proof::NonNegative;
  }

private:
  const Function &F;

  /// Whether \p V >= \p Min (0 or 1) whenever it is computed: a constant;
  /// an array extent; Python's int `+` or `*` of such values (exact: an
  /// overflow raises); a variable every store into which stores such a
  /// value. (A variable is read only after a store into it, else
  /// UnboundLocalError; so a store of `i + 1` keeps i >= 1 when the other
  /// stores do, which is assumed while they are checked.)
  bool atLeast(ValueId V, int64_t Min, std::set<std::pair<uint32_t, int64_t>> &Assumed,
               unsigned Depth) {
    if (auto C = constIntOf(F, V))
      return *C >= Min;
    OpId D = F.definingOp(V);
    if (!D.isValid() || Depth > 8 || !F.typeOf(V).isInt())
      return false;
    const OpData &Op = F.op(D);
    switch (Op.Kind) {
    case OpKind::ArrayDim:
      return Min <= 0;
    case OpKind::Add:
    case OpKind::Mul: {
      if (Op.Attrs.has("numpy")) // wraps
        return false;
      // x + y >= Min when one is >= Min and the other >= 0; x * y >= Min
      // when both are (Min is 0 or 1).
      bool Ge0[2], GeMin[2];
      for (unsigned K = 0; K < 2; ++K) {
        GeMin[K] = atLeast(Op.Operands[K], Min, Assumed, Depth + 1);
        Ge0[K] = Min <= 0 ? GeMin[K] : GeMin[K] || atLeast(Op.Operands[K], 0, Assumed, Depth + 1);
      }
      if (Op.Kind == OpKind::Mul)
        return GeMin[0] && GeMin[1];
      return (GeMin[0] && Ge0[1]) || (Ge0[0] && GeMin[1]);
    }
    case OpKind::Load: {
      ValueId Slot = Op.Operands[0];
      if (Assumed.count({Slot.Index, Min}))
        return true;
      auto Before = Assumed; // what a failed check assumed must go too
      Assumed.insert({Slot.Index, Min});
      bool All = true;
      F.walk([&](OpId O) {
        const OpData &S = F.op(O);
        if (All && S.Kind == OpKind::Store && S.Operands[1] == Slot)
          All = atLeast(S.Operands[0], Min, Assumed, Depth + 1);
      });
      if (!All)
        Assumed = std::move(Before);
      return All;
    }
    default:
      return false;
    }
  }

  /// What an extent is: (array value, axis) for `array.dim`, or (value, -1)
  /// for a plain value.
  using Key = std::pair<uint32_t, int64_t>;

  /// The `for` op whose induction variable \p V is, or invalid.
  OpId loopOf(ValueId V) {
    const ValueData &VD = F.value(V);
    if (VD.Def.isValid() || !VD.ArgOf.isValid())
      return OpId();
    OpId P = F.parentOp(VD.ArgOf);
    return P.isValid() && F.op(P).Kind == OpKind::For ? P : OpId();
  }

  /// Strips casts (C order to any strides) from an array value.
  ValueId stripCasts(ValueId A) {
    for (OpId D = F.definingOp(A); D.isValid() && F.op(D).Kind == OpKind::Cast;
         D = F.definingOp(A))
      A = F.op(D).Operands[0];
    return A;
  }

  Key axisKey(ValueId A, int64_t Axis) {
    A = stripCasts(A);
    OpId D = F.definingOp(A);
    if (D.isValid() && F.op(D).Kind == OpKind::ArrayAlloc)
      return extentKey(F.op(D).Operands[Axis]);
    if (D.isValid() && F.op(D).Kind == OpKind::ArraySub)
      return axisKey(F.op(D).Operands[0], Axis + F.op(D).Operands.size() - 1);
    // A variable that only ever holds arrays of one extent on this axis
    // (double buffers: `a, b = b, a` over two copies of `u`).
    if (D.isValid() && F.op(D).Kind == OpKind::Load) {
      auto It = SlotExtents.find({F.op(D).Operands[0].Index, Axis});
      if (It != SlotExtents.end() && It->second.State == SlotExtent::Known)
        return It->second.K;
    }
    return {A.Index, Axis};
  }

  /// The extent every array stored into a slot has on one axis: unknown
  /// until a store says, then one key, or Mixed. Found optimistically, so
  /// slots that feed each other (a swap) agree when their other stores do.
  struct SlotExtent {
    enum { Unset, Known, Mixed } State = Unset;
    Key K;
  };
  std::map<std::pair<uint32_t, int64_t>, SlotExtent> SlotExtents;

  void computeSlotExtents() {
    std::map<uint32_t, std::vector<ValueId>> Stored;
    F.walk([&](OpId O) {
      const OpData &D = F.op(O);
      if (D.Kind == OpKind::Store && F.typeOf(D.Operands[0]).isArray())
        Stored[D.Operands[1].Index].push_back(D.Operands[0]);
    });
    // Each (slot, axis) moves down Unset -> Known -> Mixed at most twice, so
    // this many rounds always reach the fixpoint.
    size_t Entries = 0;
    for (auto &[Slot, Values] : Stored)
      Entries += F.typeOf(Values[0]).ndim();
    bool Stable = false;
    for (size_t Round = 0; Round <= 2 * Entries + 1 && !Stable; ++Round) {
      bool Changed = false;
      for (auto &[Slot, Values] : Stored) {
        unsigned NDim = F.typeOf(Values[0]).ndim();
        for (unsigned Axis = 0; Axis < NDim; ++Axis) {
          SlotExtent New;
          for (ValueId V : Values) {
            // A load of a slot not known yet constrains nothing (optimism).
            OpId D = F.definingOp(stripCasts(V));
            if (D.isValid() && F.op(D).Kind == OpKind::Load) {
              auto It = SlotExtents.find({F.op(D).Operands[0].Index, Axis});
              if (It == SlotExtents.end() || It->second.State == SlotExtent::Unset)
                continue;
              if (It->second.State == SlotExtent::Mixed) {
                New.State = SlotExtent::Mixed;
                break;
              }
            }
            Key K = axisKey(V, Axis);
            // A key must mean the same extent whenever the slot is read: a
            // value computed inside a loop differs between iterations.
            if (!outsideLoops(ValueId(K.first))) {
              New.State = SlotExtent::Mixed;
              break;
            }
            if (New.State == SlotExtent::Unset) {
              New.State = SlotExtent::Known;
              New.K = K;
            } else if (New.K != K) {
              New.State = SlotExtent::Mixed;
              break;
            }
          }
          SlotExtent &Old = SlotExtents[{Slot, Axis}];
          if (Old.State != New.State || (New.State == SlotExtent::Known && Old.K != New.K)) {
            // Only move down the lattice (Unset -> Known -> Mixed).
            if (Old.State == SlotExtent::Mixed)
              continue;
            if (Old.State == SlotExtent::Known && New.State == SlotExtent::Known)
              New.State = SlotExtent::Mixed;
            Old = New;
            Changed = true;
          }
        }
      }
      Stable = !Changed;
    }
    // Slots that only ever receive each other's values never got a key; and
    // should the fixpoint not have been reached, nothing optimistic stays.
    for (auto &[K, E] : SlotExtents)
      if (E.State == SlotExtent::Unset || !Stable)
        E.State = SlotExtent::Mixed;
  }

  /// True if \p V is defined outside every loop (a parameter, or an op not
  /// nested in a `for` or `while`): one value for the whole call.
  bool outsideLoops(ValueId V) {
    const ValueData &VD = F.value(V);
    RegionId R = VD.Def.isValid() ? F.op(VD.Def).Parent : VD.ArgOf;
    while (R.isValid()) {
      OpId P = F.parentOp(R);
      if (!P.isValid())
        return true; // the function body
      if (F.op(P).Kind == OpKind::For || F.op(P).Kind == OpKind::While)
        return false;
      R = F.op(P).Parent;
    }
    return false;
  }

  Key extentKey(ValueId V) {
    OpId D = F.definingOp(V);
    if (D.isValid() && F.op(D).Kind == OpKind::ArrayDim)
      return axisKey(F.op(D).Operands[0], F.op(D).Attrs.getInt("axis"));
    return {V.Index, -1};
  }
};

} // namespace

bool passes::runBoundsChecks(Module &M, PassContext &Ctx) {
  bool Changed = false;
  for (auto &FP : M.functions()) {
    Function &F = *FP;
    BoundsChecks BC(F);
    F.walk([&](OpId O) {
      OpData &D = F.op(O);
      if (D.Kind != OpKind::ArrayIndex || D.Attrs.has("in_bounds"))
        return;
      switch (BC.prove(D.Operands[0], D.Attrs.getInt("axis"), D.Operands[1])) {
      case BoundsChecks::Proof::None:
        ++Ctx.Stats["bounds-checks.kept"];
        return;
      case BoundsChecks::Proof::NonNegative:
        ++Ctx.Stats["bounds-checks.kept"];
        if (!D.Attrs.has("nonneg")) {
          D.Attrs.set("nonneg", true);
          Changed = true;
        }
        return;
      case BoundsChecks::Proof::InBounds:
        D.Attrs.erase("nonneg");
        D.Attrs.set("in_bounds", true);
        ++Ctx.Stats["bounds-checks.removed"];
        Changed = true;
        return;
      }
    });
  }
  return Changed;
}

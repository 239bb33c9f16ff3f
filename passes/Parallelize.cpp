//===- Parallelize.cpp - Run independent loop nests on every core ---------===//
//
// Marks `for` loops `parallel`; codegen then outlines the loop body and runs
// its iterations through the runtime's kiln_parallel_for (chunks on the
// runtime's pool of threads, the error of the lowest failing chunk kept), when the loop
// has enough work (codegen/LowerParallel.cpp).
//
// A loop is independent when the frontend says so (attribute `independent`
// on the loop nests of array statements: LowerArrayExpr.cpp), or when this
// pass proves it for a loop written by hand (`for i in range(n):
// out[i, j] = ...`):
//   a. every slot the body writes is used only inside the loop, and each of
//      its loads comes after a store in the same iteration (a private
//      variable, such as `s = 0.0` before an inner sum);
//   b. every array the body writes is a fresh array of this function (an
//      `array.alloc`, directly or through a variable that only ever holds
//      fresh arrays and is not written in the loop), so no argument can
//      alias it; and every access to it, or to any array that may be it,
//      indexes one same axis with the loop's index itself (`out[i, j]`,
//      with the bounds check proven: no negative index wraps). Two
//      variables only ever given fresh arrays and swapped (`a, b = b, a`,
//      a double buffer) never hold the same array;
//   c. the body has no `break` of this loop.
// A fresh array written by the loop is invisible to the caller until the
// call returns, so an error raised in one iteration while others run is
// harmless.
//
// A reduction: a loop for which a. to c. hold but for accumulators
// (passes/Analysis.h: a slot loaded once and stored once in the body, the
// load feeding only the op whose result is stored) is marked `parallel`
// and `reduction`, and so is each accumulating op, when every one is
// reorderable: bool and int bit operations, NumPy's wrapping int (or
// proven) add/sub/mul, float minnum/maxnum, and float add/sub unless
// --strict-fp (Kiln's rule for float sums, docs/language.md); not float
// products, whose partials could be 0 and inf. Codegen then
// reduces chunks fixed by the trip count from each op's identity and
// combines the partials in chunk order, so the result does not depend on
// the thread count. An array can be an accumulator too (Analysis.h,
// ArrayAccumulator: `out[j] = out[j] + x` as one load-combine-store pair
// and no other access in the loop), when it is a new C-order array of the
// function (no argument is it) and not of bools: each chunk gets a private
// copy, added in chunk order. An innermost reduction whose body may raise
// stays serial (DeferChecks can still vectorise it there); over a nest it is
// fine (the error is the lowest failing chunk's, the serial loop's first,
// and the partials are dropped with it). Loops carrying a value any other
// way stay serial (recurrences, argmin-style `if v < best` updates, Python
// int sums).
//
// Then, in both cases, it is parallelised when:
//   1. it is not nested in another independent loop (that one is
//      parallelised instead, and has the most work per chunk); inside an
//      ordinary loop (`for step in range(n): u = ...`) it is fine;
//   2. its body calls no function, allocates or frees no array, and has no
//      `return` (calls and allocations use per-call state) nor a `break`
//      of this loop (it would end only its chunk);
//   4. it does not both contain a `while` loop and an op that may raise:
//      iterations after a failing one may already be running on other
//      threads, and one that the serial loop never reaches could then run
//      a `while` that never ends;
//   3. it does not free temporaries per iteration (loop-temporaries'
//      arena marks are per thread of control).
//
//   for %c0, %n, %c1 [independent] {...}   =>   for %c0, %n, %c1 [independent, parallel] {...}
//   for %c0, %n, %c1 {... %s1 = add %s0, %x ...}
//     =>   for %c0, %n, %c1 [parallel, reduction] {... %s1 = add %s0, %x [reduction] ...}
//
//===----------------------------------------------------------------------===//

#include "passes/Analysis.h"
#include "passes/Pass.h"
#include <map>
#include <optional>
#include <set>

using namespace kiln;
using namespace kiln::ir;
using kiln::passes::PassContext;

namespace {

/// The proof of a. to c. above for a loop without `independent`.
class LoopProof {
public:
  /// \p Accumulators: slots the loop only accumulates into (reduced per
  /// chunk and combined afterwards), exempt from rule a.
  /// \p AccArrays: arrays it only accumulates into, element by element
  /// (privatised per chunk), exempt from rule b.
  LoopProof(const Function &F, OpId Loop, std::set<uint32_t> Accumulators = {},
            std::set<uint32_t> AccArrays = {})
      : F(F), Loop(Loop), Body(F.op(Loop).Regions[0]), Accumulators(std::move(Accumulators)),
        AccArrays(std::move(AccArrays)) {
    IV = F.region(Body).Args[0];
  }

  bool run() {
    bool Ok = true;
    F.walkRegion(Body, [&](OpId O) {
      const OpData &D = F.op(O);
      switch (D.Kind) {
      case OpKind::Store:
        StoredSlots.insert(D.Operands[1].Index);
        break;
      case OpKind::Break:
        Ok &= enclosingLoop(O) != Loop;
        break;
      case OpKind::ArrayStore:
        if (!AccArrays.count(D.Operands[1].Index))
          Writes.push_back(O);
        break;
      case OpKind::ArraySort:
      case OpKind::ArrayFree:
        Ok = false;
        break;
      default:
        break;
      }
    });
    if (!Ok)
      return false;
    // a. Private slots.
    std::map<uint32_t, std::vector<OpId>> SlotUses;
    F.walk([&](OpId O) {
      const OpData &D = F.op(O);
      if ((D.Kind == OpKind::Load && StoredSlots.count(D.Operands[0].Index)) ||
          (D.Kind == OpKind::Store && StoredSlots.count(D.Operands[1].Index)))
        SlotUses[D.Kind == OpKind::Load ? D.Operands[0].Index : D.Operands[1].Index].push_back(O);
    });
    for (auto &[Slot, Uses] : SlotUses)
      for (OpId U : Uses) {
        if (Accumulators.count(Slot))
          break;
        if (!passes::isInside(F, U, Body))
          return false; // used before or after the loop
        if (F.op(U).Kind == OpKind::Load && !storedBefore(U, ValueId(Slot)))
          return false;
      }
    // b. Written arrays.
    for (OpId W : Writes) {
      Access A = access(W);
      if (!A.Fresh)
        return false;
      if (!checkKey(A))
        return false;
    }
    return true;
  }

private:
  const Function &F;
  OpId Loop;
  RegionId Body;
  ValueId IV;
  std::set<uint32_t> Accumulators, AccArrays;
  std::set<uint32_t> StoredSlots;
  std::vector<OpId> Writes;

  /// An element access: what array it reaches (a key: the alloc op or the
  /// slot), whether that is fresh, and its indices on the root array.
  struct Access {
    uint32_t Key = 0;
    bool KeyIsSlot = false;
    bool Fresh = false;
    bool Param = false;  ///< the root is an argument of the function
    bool Unknown = false; ///< the root is anything else: may be any array
    bool Known = true; ///< the indices are known (no slice views)
    std::vector<ValueId> Idx;
  };

  /// Whether op \p O, when it runs, always stores into \p Slot: a store,
  /// or an `if` storing on both branches.
  bool alwaysStores(OpId O, ValueId Slot) const {
    const OpData &D = F.op(O);
    if (D.Erased)
      return false;
    if (D.Kind == OpKind::Store)
      return D.Operands[1] == Slot;
    return D.Kind == OpKind::If && storesOnAllPaths(D.Regions[0], Slot) &&
           storesOnAllPaths(D.Regions[1], Slot);
  }

  /// Whether every path through region \p R stores into \p Slot.
  bool storesOnAllPaths(RegionId R, ValueId Slot) const {
    for (OpId O : F.region(R).Ops)
      if (alwaysStores(O, Slot))
        return true;
    return false;
  }

  /// Whether, in the same iteration of the loop, \p Slot is always stored
  /// before load \p L runs (a store, or an `if` storing on both branches,
  /// earlier in a region enclosing L inside the loop body).
  bool storedBefore(OpId L, ValueId Slot) const {
    for (OpId Cur = L; Cur.isValid();) {
      RegionId R = F.op(Cur).Parent;
      size_t At = F.indexInParent(Cur);
      const auto &Ops = F.region(R).Ops;
      for (size_t K = 0; K < At; ++K)
        if (alwaysStores(Ops[K], Slot))
          return true;
      if (R == Body)
        return false;
      Cur = F.parentOp(R);
    }
    return false;
  }

  OpId enclosingLoop(OpId O) const {
    for (RegionId R = F.op(O).Parent; R.isValid();) {
      OpId P = F.parentOp(R);
      if (!P.isValid())
        return OpId();
      if (F.op(P).Kind == OpKind::For || F.op(P).Kind == OpKind::While)
        return P;
      R = F.op(P).Parent;
    }
    return OpId();
  }

  /// The allocs a slot may hold, if it only ever holds fresh arrays (each
  /// store into it is of an `array.alloc`, or of a load of another such
  /// slot: `a, b = b, a`) and this loop stores into none of these slots.
  std::optional<std::set<uint32_t>> slotAllocs(ValueId Slot) const {
    std::set<uint32_t> Allocs, Seen;
    std::vector<ValueId> Work{Slot};
    while (!Work.empty()) {
      ValueId S = Work.back();
      Work.pop_back();
      if (!Seen.insert(S.Index).second)
        continue;
      if (StoredSlots.count(S.Index))
        return std::nullopt;
      bool Ok = true;
      F.walk([&](OpId O) {
        const OpData &D = F.op(O);
        if (D.Kind != OpKind::Store || D.Operands[1] != S)
          return;
        OpId Def = F.definingOp(D.Operands[0]);
        if (Def.isValid() && F.op(Def).Kind == OpKind::ArrayAlloc)
          Allocs.insert(Def.Index);
        else if (Def.isValid() && F.op(Def).Kind == OpKind::Load)
          Work.push_back(F.op(Def).Operands[0]);
        else
          Ok = false;
      });
      if (!Ok)
        return std::nullopt;
    }
    return Allocs;
  }

  /// Whether slots \p A and \p B never hold the same array: each store
  /// into either is of an `array.alloc` stored nowhere else, or one half of
  /// a swap `a, b = b, a` (two loads, then two stores, side by side). Then
  /// the two hold different arrays from their first stores on: a double
  /// buffer.
  bool neverSame(ValueId A, ValueId B) const {
    bool Ok = true;
    F.walk([&](OpId O) {
      const OpData &D = F.op(O);
      if (D.Kind != OpKind::Store || (D.Operands[1] != A && D.Operands[1] != B))
        return;
      OpId Def = F.definingOp(D.Operands[0]);
      if (Def.isValid() && F.op(Def).Kind == OpKind::ArrayAlloc)
        Ok &= storesOf(D.Operands[0]) == 1;
      else
        Ok &= Def.isValid() && F.op(Def).Kind == OpKind::Load && swapHalf(O, A, B);
    });
    return Ok;
  }

  unsigned storesOf(ValueId V) const {
    unsigned N = 0;
    F.walk([&](OpId O) {
      N += F.op(O).Kind == OpKind::Store && F.op(O).Operands[0] == V;
    });
    return N;
  }

  /// Whether store \p St is one of `t = a; u = b; a = u; b = t` (four ops
  /// side by side, in any order of the loads and of the stores).
  bool swapHalf(OpId St, ValueId A, ValueId B) const {
    RegionId R = F.op(St).Parent;
    size_t P = F.indexInParent(St);
    const auto &Ops = F.region(R).Ops;
    for (size_t First = P >= 3 ? P - 3 : 0; First <= P && First + 3 < Ops.size(); ++First) {
      const OpData *Q[4];
      for (size_t K = 0; K < 4; ++K)
        Q[K] = &F.op(Ops[First + K]);
      auto IsLoad = [&](const OpData *D, ValueId S) {
        return D->Kind == OpKind::Load && D->Operands[0] == S;
      };
      auto IsStore = [&](const OpData *D, const OpData *L, ValueId S) {
        return D->Kind == OpKind::Store && D->Operands[1] == S && D->Operands[0] == L->Results[0];
      };
      for (int Swap = 0; Swap < 2; ++Swap) {
        const OpData *LA = Q[Swap], *LB = Q[1 - Swap];
        if (!IsLoad(LA, A) || !IsLoad(LB, B))
          continue;
        if ((IsStore(Q[2], LB, A) && IsStore(Q[3], LA, B)) ||
            (IsStore(Q[2], LA, B) && IsStore(Q[3], LB, A)))
          return true;
      }
    }
    return false;
  }

  Access access(OpId O) const {
    const OpData &D = F.op(O);
    bool IsStore = D.Kind == OpKind::ArrayStore;
    Access A;
    ValueId Arr = D.Operands[IsStore ? 1 : 0];
    A.Idx.assign(D.Operands.begin() + (IsStore ? 2 : 1), D.Operands.end());
    // Through row views and casts to the root array.
    for (;;) {
      OpId Def = F.definingOp(Arr);
      if (Def.isValid() && F.op(Def).Kind == OpKind::ArraySub) {
        const OpData &S = F.op(Def);
        A.Idx.insert(A.Idx.begin(), S.Operands.begin() + 1, S.Operands.end());
        Arr = S.Operands[0];
        continue;
      }
      if (Def.isValid() && F.op(Def).Kind == OpKind::Cast) {
        Arr = F.op(Def).Operands[0];
        continue;
      }
      if (Def.isValid() && F.op(Def).Kind == OpKind::ArrayView) {
        A.Known = false; // a slice or broadcast: its indices are not the root's
        Arr = F.op(Def).Operands[0];
        continue;
      }
      if (Def.isValid() && F.op(Def).Kind == OpKind::ArrayAlloc) {
        A.Key = Def.Index;
        A.Fresh = true;
      } else if (Def.isValid() && F.op(Def).Kind == OpKind::Load &&
                 slotAllocs(F.op(Def).Operands[0]).has_value()) {
        A.Key = F.op(Def).Operands[0].Index;
        A.KeyIsSlot = true;
        A.Fresh = true;
      } else if (!Def.isValid() && F.value(Arr).ArgOf == F.body()) {
        A.Key = Arr.Index;
        A.Param = true;
      } else {
        // A variable holding views or other arrays, a tuple element, a
        // call's result...: it may be any array, laid out in any way.
        A.Key = Arr.Index;
        A.Unknown = true;
        A.Known = false;
      }
      return A;
    }
  }

  /// Whether two accesses may reach the same array.
  bool mayAlias(const Access &X, const Access &Y) const {
    if (X.Unknown || Y.Unknown)
      return true;
    if (X.Key == Y.Key && X.KeyIsSlot == Y.KeyIsSlot)
      return true;
    if (X.KeyIsSlot && Y.KeyIsSlot && neverSame(ValueId(X.Key), ValueId(Y.Key)))
      return false;
    if (X.Param || Y.Param) // fresh memory is never an argument's
      return X.Param && Y.Param;
    auto Allocs = [&](const Access &A) {
      if (!A.KeyIsSlot)
        return std::set<uint32_t>{A.Key};
      ValueId Slot(A.Key);
      return *slotAllocs(Slot);
    };
    std::set<uint32_t> SX = Allocs(X), SY = Allocs(Y);
    for (uint32_t K : SX)
      if (SY.count(K))
        return true;
    return false;
  }

  /// Whether \p V is the loop index itself, as an index that cannot wrap.
  bool isIndexIV(ValueId V) const {
    if (V == IV)
      return true;
    OpId Def = F.definingOp(V);
    if (!Def.isValid() || F.op(Def).Kind != OpKind::ArrayIndex)
      return false;
    const OpData &D = F.op(Def);
    return D.Operands[1] == IV && (D.Attrs.has("in_bounds") || D.Attrs.has("nonneg"));
  }

  /// Every access that may reach the array written by \p W indexes one
  /// axis with the loop index.
  bool checkKey(const Access &W) const {
    if (!W.Known)
      return false;
    std::vector<Access> Related;
    F.walkRegion(Body, [&](OpId O) {
      const OpData &D = F.op(O);
      if (D.Kind != OpKind::ArrayLoad && D.Kind != OpKind::ArrayStore)
        return;
      Access A = access(O);
      if (mayAlias(A, W))
        Related.push_back(A);
    });
    if (Related.empty())
      return false;
    size_t N = W.Idx.size();
    for (size_t K = 0; K < N; ++K) {
      bool All = true;
      for (const Access &A : Related)
        All &= A.Known && A.Idx.size() == N && isIndexIV(A.Idx[K]);
      if (All)
        return true;
    }
    return false;
  }
};

bool bodyAllowsParallel(const Function &F, RegionId R) {
  for (OpId O : F.region(R).Ops) {
    const OpData &D = F.op(O);
    if (D.Erased)
      continue;
    switch (D.Kind) {
    case OpKind::Call:
    case OpKind::ArrayAlloc:
    case OpKind::ArrayFree:
    case OpKind::Return:
    case OpKind::Reraise: // the caught exception is the caller's
      return false;
    default:
      break;
    }
    // Lists, dicts and sets are shared, growable blocks, and a random
    // stream is drawn in order: their loops stay serial.
    if (D.Attrs.has("frees_temporaries") ||
        (opInfo(D.Kind).Flags & (OPF_Container | OPF_Stateful)))
      return false;
    for (RegionId Sub : D.Regions)
      if (!bodyAllowsParallel(F, Sub))
        return false;
  }
  return true;
}

/// Whether op \p O may raise, given what passes proved (attributes).
bool mayRaise(const Function &F, const OpData &D) {
  auto IsInt = [&] { return !D.Results.empty() && F.typeOf(D.Results[0]).isInt(); };
  bool NumPy = D.Attrs.has("numpy");
  switch (D.Kind) {
  case OpKind::Add:
  case OpKind::Sub:
  case OpKind::Mul:
  case OpKind::Neg:
    return IsInt() && !NumPy && !D.Attrs.has("no_overflow");
  case OpKind::ArrayIndex:
    return !D.Attrs.has("in_bounds");
  case OpKind::Div: // NumPy's gives inf or NaN
    return !NumPy;
  case OpKind::Math: // NumPy's give NaN or inf; minnum/maxnum never raise
    return !NumPy && D.Attrs.getStr("fn") != "minnum" && D.Attrs.getStr("fn") != "maxnum";
  case OpKind::Cast: // float -> any int: NaN, infinities, out of range
    return !D.Results.empty() && F.typeOf(D.Results[0]).isInteger() &&
           F.typeOf(D.Operands[0]).isFloating();
  case OpKind::For:
    return !ir::constIntOf(F, D.Operands[2]).has_value();
  default:
    return (opInfo(D.Kind).Flags & OPF_MayRaise) || D.Kind == OpKind::Raise ||
           D.Kind == OpKind::Reraise;
  }
}

/// Whether region \p R lies (at any depth) in the body of a `try`, where a
/// handler would see what iterations after a failing one wrote.
bool inTryBody(const Function &F, RegionId R) {
  for (OpId P = F.parentOp(R); P.isValid(); P = F.parentOp(R)) {
    const OpData &PD = F.op(P);
    if (PD.Kind == OpKind::Try && PD.Regions[0] == R)
      return true;
    R = PD.Parent;
  }
  return false;
}

/// Whether region \p R has a `while` loop, and an op that may raise.
void scanRisk(const Function &F, RegionId R, bool &HasWhile, bool &MayRaise) {
  for (OpId O : F.region(R).Ops) {
    const OpData &D = F.op(O);
    if (D.Erased)
      continue;
    HasWhile |= D.Kind == OpKind::While;
    MayRaise |= mayRaise(F, D);
    for (RegionId Sub : D.Regions)
      scanRisk(F, Sub, HasWhile, MayRaise);
  }
}

/// Whether accumulating op \p D may combine partial results in another
/// order: exact ones (bool and int bit operations, wrapping or proven int
/// add/sub/mul, float minnum/maxnum), and float sums where the order of a
/// loop's float accumulation may change (not with --strict-fp). Not float
/// products: partials that underflow to 0 in one chunk and overflow to inf
/// in another give 0 * inf = NaN where the loop's order gives 0.
bool reorderable(const Function &F, const OpData &D, const PassContext &Ctx) {
  Type T = F.typeOf(D.Results[0]);
  bool ExactInt = T.isInteger() && (D.Attrs.has("numpy") || D.Attrs.has("no_overflow"));
  switch (D.Kind) {
  case OpKind::Add:
  case OpKind::Sub:
    return T.isFloating() ? !Ctx.StrictFP : ExactInt;
  case OpKind::Mul:
    return ExactInt;
  case OpKind::BitAnd:
  case OpKind::BitOr:
  case OpKind::BitXor:
    return T.isBool() || T.isInteger();
  case OpKind::Math:
    return T.isFloating(); // minnum / maxnum
  default:
    return false;
  }
}

/// The accumulators of loop body \p Body that reorderable() allows.
std::vector<passes::Accumulator> reorderableAccumulators(const Function &F, RegionId Body,
                                                         const PassContext &Ctx) {
  std::vector<passes::Accumulator> Found;
  for (const passes::Accumulator &A : passes::findAccumulators(F, Body, F.useCounts()))
    if (reorderable(F, F.op(A.Combine), Ctx))
      Found.push_back(A);
  return Found;
}

/// The arrays loop \p Loop only accumulates into whose partial arrays may
/// be combined in another order: new C-order arrays of this function (no
/// argument can alias them), not of bools, combined as slots are.
std::vector<passes::ArrayAccumulator> reorderableArrays(const Function &F, OpId Loop,
                                                       const PassContext &Ctx) {
  std::vector<passes::ArrayAccumulator> Found;
  for (passes::ArrayAccumulator &A : passes::findArrayAccumulators(F, Loop, F.useCounts())) {
    OpId Def = F.definingOp(A.Array);
    Type T = F.typeOf(A.Array);
    bool Ok = F.op(Def).Kind == OpKind::ArrayAlloc && T.isCOrder() && !T.elementType().isBool();
    for (OpId C : A.Combines)
      Ok &= reorderable(F, F.op(C), Ctx);
    if (Ok)
      Found.push_back(std::move(A));
  }
  return Found;
}

void visit(Function &F, RegionId R, bool InIndependent, PassContext &Ctx, bool &Changed) {
  for (OpId O : F.region(R).Ops) {
    OpData &D = F.op(O);
    if (D.Erased)
      continue;
    bool Independent = D.Kind == OpKind::For && D.Attrs.has("independent");
    // A reduction: independent but for accumulators (sums, products,
    // min/max, any/all), reduced per chunk and combined in chunk order.
    std::vector<passes::Accumulator> Accs;
    std::vector<passes::ArrayAccumulator> ArrayAccs;
    if (D.Kind == OpKind::For && !Independent && !InIndependent) {
      if (LoopProof(F, O).run()) {
        D.Attrs.set("independent", true); // proven here
        Independent = true;
        ++Ctx.Stats["parallelize.proven"];
      } else if (!D.Attrs.has("reduction")) {
        Accs = reorderableAccumulators(F, D.Regions[0], Ctx);
        ArrayAccs = reorderableArrays(F, O, Ctx);
        std::set<uint32_t> Slots, Arrays;
        for (const passes::Accumulator &A : Accs)
          Slots.insert(A.Slot.Index);
        for (const passes::ArrayAccumulator &A : ArrayAccs)
          Arrays.insert(A.Array.Index);
        if ((Accs.empty() && ArrayAccs.empty()) || !LoopProof(F, O, Slots, Arrays).run()) {
          Accs.clear();
          ArrayAccs.clear();
        }
      }
    }
    bool Reduction = !Accs.empty() || !ArrayAccs.empty();
    bool HasWhile = false, MayRaise = false;
    if (Independent || Reduction)
      scanRisk(F, D.Regions[0], HasWhile, MayRaise);
    // An innermost reduction whose body may raise stays serial, where
    // DeferChecks can still vectorise it; its chunks would run the checks in
    // place. (Over a nest, the error raised is the lowest failing chunk's,
    // the serial loop's first, and the partials are dropped with it.)
    if (MayRaise && !passes::containsLoop(F, D.Regions[0]))
      Reduction = false;
    // (Codegen runs loops with a constant positive step in parallel.)
    auto Step = D.Kind == OpKind::For ? ir::constIntOf(F, D.Operands[2]) : std::nullopt;
    bool Forward = Step && *Step > 0;
    // In a try body a handler would see the writes of iterations after a
    // failing one (a parallel loop runs them): keep it serial there.
    if (MayRaise && inTryBody(F, D.Parent))
      Independent = Reduction = false;
    if ((Independent || Reduction) && Forward && !InIndependent && !(HasWhile && MayRaise) &&
        !D.Attrs.has("parallel") && !D.Attrs.has("frees_temporaries") &&
        bodyAllowsParallel(F, D.Regions[0])) {
      D.Attrs.set("parallel", true);
      ++Ctx.Stats["parallelize.loops"];
      if (Reduction && !Independent) {
        D.Attrs.set("reduction", true);
        for (const passes::Accumulator &A : Accs)
          F.op(A.Combine).Attrs.set("reduction", true);
        for (const passes::ArrayAccumulator &A : ArrayAccs)
          for (OpId C : A.Combines)
            F.op(C).Attrs.set("reduction", true);
        ++Ctx.Stats["parallelize.reductions"];
      }
      Changed = true;
    }
    for (RegionId Sub : D.Regions)
      visit(F, Sub, InIndependent || Independent || D.Attrs.has("reduction"), Ctx, Changed);
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

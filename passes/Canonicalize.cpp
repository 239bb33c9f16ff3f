//===- Canonicalize.cpp - Constant folding and local simplification -------===//
//
// Rewrites, applied until nothing changes (at most 8 sweeps):
//   1. Folds ops whose operands are all constants into a `const`, when the
//      result is exactly what the op computes at run time and the op cannot
//      raise for these operands (`7 // 0` is left alone: it must raise when
//      and if it runs, RELIABILITY 25).
//   2. Simplifies identities that hold for every value: `x + 0`, `x - 0`,
//      `x * 1` on int64, `x * 1.0` on float64, `not not b`, `select` with a
//      constant condition.
//   3. Replaces an `if` with a constant condition by the ops of the branch
//      taken, and drops a `for` whose constant bounds run zero iterations.
//
// Legal because: folded values are computed with the same semantics as
// codegen (Python's floor division and modulo, checked overflow), and
// nothing that may raise is folded unless its operands prove it cannot.
//
//   %a = const [value = 6] : int64            %c = const [value = 42] : int64
//   %b = const [value = 7] : int64     =>
//   %c = mul %a, %b : int64
//
//===----------------------------------------------------------------------===//

#include "passes/Pass.h"
#include <cmath>
#include <optional>

using namespace kiln;
using namespace kiln::ir;
using kiln::passes::PassContext;

namespace {

class Canonicalizer {
public:
  Canonicalizer(Function &F, PassContext &Ctx) : F(F), Ctx(Ctx) {}

  bool run() {
    bool Any = false;
    for (unsigned Sweep = 0; Sweep < 8; ++Sweep) {
      bool Changed = false;
      F.walk([&](OpId O) { Changed |= visit(O); });
      Any |= Changed;
      if (!Changed)
        break;
    }
    return Any;
  }

private:
  Function &F;
  PassContext &Ctx;

  const AttrValue *constOf(ValueId V) {
    OpId D = F.definingOp(V);
    if (!D.isValid() || F.op(D).Erased || F.op(D).Kind != OpKind::Const)
      return nullptr;
    return F.op(D).Attrs.get("value");
  }
  std::optional<int64_t> intOf(ValueId V) {
    const AttrValue *A = constOf(V);
    if (A && std::holds_alternative<int64_t>(*A))
      return std::get<int64_t>(*A);
    return std::nullopt;
  }
  std::optional<double> floatOf(ValueId V) {
    const AttrValue *A = constOf(V);
    if (A && std::holds_alternative<double>(*A))
      return std::get<double>(*A);
    return std::nullopt;
  }
  std::optional<bool> boolOf(ValueId V) {
    const AttrValue *A = constOf(V);
    if (A && std::holds_alternative<bool>(*A))
      return std::get<bool>(*A);
    return std::nullopt;
  }

  /// Replaces op \p O (single result) by a constant.
  bool replaceByConst(OpId O, AttrValue V) {
    // (No reference into the op store across createOp: it may grow.)
    ValueId Old = F.op(O).Results[0];
    RegionId Parent = F.op(O).Parent;
    OpId C = F.createOp(OpKind::Const, {}, {F.typeOf(Old)}, F.op(O).Loc);
    F.op(C).Attrs.set("value", V);
    F.insertOp(Parent, F.indexInParent(O), C);
    F.replaceAllUsesWith(Old, F.op(C).Results[0]);
    F.eraseOp(O);
    ++Ctx.Stats["canonicalize.folded"];
    return true;
  }

  bool replaceByValue(OpId O, ValueId V) {
    F.replaceAllUsesWith(F.op(O).Results[0], V);
    F.eraseOp(O);
    ++Ctx.Stats["canonicalize.simplified"];
    return true;
  }

  /// Moves the ops of region \p R in front of \p O, then erases \p O.
  bool inlineRegion(OpId O, RegionId R) {
    RegionId Parent = F.op(O).Parent;
    size_t Pos = F.indexInParent(O);
    std::vector<OpId> Ops = F.region(R).Ops;
    for (OpId I : Ops) {
      F.detachOp(I);
      F.insertOp(Parent, Pos++, I);
    }
    F.eraseOp(O);
    // A terminator moved into the parent makes what follows it dead.
    if (!Ops.empty() && (opInfo(F.op(Ops.back()).Kind).Flags & OPF_Terminator)) {
      std::vector<OpId> &List = F.region(Parent).Ops;
      while (List.size() > Pos)
        F.eraseOp(List.back());
    }
    ++Ctx.Stats["canonicalize.branches"];
    return true;
  }

  static bool addOverflows(int64_t A, int64_t B, int64_t &R) { return __builtin_add_overflow(A, B, &R); }
  static bool subOverflows(int64_t A, int64_t B, int64_t &R) { return __builtin_sub_overflow(A, B, &R); }
  static bool mulOverflows(int64_t A, int64_t B, int64_t &R) { return __builtin_mul_overflow(A, B, &R); }

  bool foldInt(OpId O, int64_t A, int64_t B) {
    int64_t R;
    switch (F.op(O).Kind) {
    case OpKind::Add:
      return !addOverflows(A, B, R) && replaceByConst(O, R);
    case OpKind::Sub:
      return !subOverflows(A, B, R) && replaceByConst(O, R);
    case OpKind::Mul:
      return !mulOverflows(A, B, R) && replaceByConst(O, R);
    case OpKind::FloorDiv:
    case OpKind::Mod: {
      if (B == 0 || (A == INT64_MIN && B == -1))
        return false; // raises at run time
      int64_t Q = A / B, Rem = A % B;
      if (Rem != 0 && ((Rem < 0) != (B < 0))) {
        Q -= 1;
        Rem += B;
      }
      return replaceByConst(O, F.op(O).Kind == OpKind::FloorDiv ? Q : Rem);
    }
    case OpKind::Pow: {
      if (B < 0)
        return false;
      int64_t Acc = 1, Base = A;
      for (int64_t E = B; E > 0; E >>= 1) {
        if ((E & 1) && mulOverflows(Acc, Base, Acc))
          return false;
        if ((E >> 1) && mulOverflows(Base, Base, Base))
          return false;
      }
      return replaceByConst(O, Acc);
    }
    case OpKind::BitAnd:
      return replaceByConst(O, A & B);
    case OpKind::BitOr:
      return replaceByConst(O, A | B);
    case OpKind::BitXor:
      return replaceByConst(O, A ^ B);
    default:
      return false;
    }
  }

  bool foldFloat(OpId O, double A, double B) {
    switch (F.op(O).Kind) {
    case OpKind::Add:
      return replaceByConst(O, A + B);
    case OpKind::Sub:
      return replaceByConst(O, A - B);
    case OpKind::Mul:
      return replaceByConst(O, A * B);
    case OpKind::Div:
      return B != 0 && replaceByConst(O, A / B);
    default:
      return false;
    }
  }

  template <typename T> static bool cmpPred(const std::string &P, T A, T B) {
    if (P == "lt")
      return A < B;
    if (P == "le")
      return A <= B;
    if (P == "gt")
      return A > B;
    if (P == "ge")
      return A >= B;
    if (P == "eq")
      return A == B;
    return !(A == B); // "ne": true for NaN, as in Python
  }

  bool foldCast(OpId O) {
    ValueId In = F.op(O).Operands[0];
    Type To = F.typeOf(F.op(O).Results[0]);
    if (auto I = intOf(In)) {
      if (To.isFloat())
        return replaceByConst(O, (double)*I);
      if (To.isBool())
        return replaceByConst(O, *I != 0);
      if (To.isInt())
        return replaceByConst(O, *I);
    }
    if (auto B = boolOf(In)) {
      if (To.isFloat())
        return replaceByConst(O, *B ? 1.0 : 0.0);
      if (To.isInt())
        return replaceByConst(O, (int64_t)*B);
      if (To.isBool())
        return replaceByConst(O, *B);
    }
    if (auto D = floatOf(In)) {
      if (To.isBool())
        return replaceByConst(O, *D != 0.0);
      if (To.isFloat())
        return replaceByConst(O, *D);
      // float -> int: only when it cannot raise.
      if (To.isInt() && std::isfinite(*D) && *D > -9.2233720368547758e18 &&
          *D < 9.2233720368547758e18)
        return replaceByConst(O, (int64_t)std::trunc(*D));
    }
    return false;
  }

  bool visit(OpId O) {
    OpData &D = F.op(O);
    if (D.Erased)
      return false;
    const auto &Ops = D.Operands;
    switch (D.Kind) {
    case OpKind::Add:
    case OpKind::Sub:
    case OpKind::Mul:
    case OpKind::Div:
    case OpKind::FloorDiv:
    case OpKind::Mod:
    case OpKind::Pow:
    case OpKind::BitAnd:
    case OpKind::BitOr:
    case OpKind::BitXor: {
      if (auto A = intOf(Ops[0]))
        if (auto B = intOf(Ops[1]))
          return foldInt(O, *A, *B);
      if (auto A = floatOf(Ops[0]))
        if (auto B = floatOf(Ops[1]))
          return foldFloat(O, *A, *B);
      if (auto A = boolOf(Ops[0]))
        if (auto B = boolOf(Ops[1])) {
          if (D.Kind == OpKind::BitAnd)
            return replaceByConst(O, *A && *B);
          if (D.Kind == OpKind::BitOr)
            return replaceByConst(O, *A || *B);
          if (D.Kind == OpKind::BitXor)
            return replaceByConst(O, *A != *B);
        }
      // Identities.
      auto RI = intOf(Ops[1]);
      if (RI && *RI == 0 && (D.Kind == OpKind::Add || D.Kind == OpKind::Sub))
        return replaceByValue(O, Ops[0]);
      if (RI && *RI == 1 && D.Kind == OpKind::Mul)
        return replaceByValue(O, Ops[0]);
      auto LI = intOf(Ops[0]);
      if (LI && *LI == 0 && D.Kind == OpKind::Add)
        return replaceByValue(O, Ops[1]);
      if (LI && *LI == 1 && D.Kind == OpKind::Mul)
        return replaceByValue(O, Ops[1]);
      auto RF = floatOf(Ops[1]);
      if (RF && *RF == 1.0 && D.Kind == OpKind::Mul)
        return replaceByValue(O, Ops[0]);
      return false;
    }
    case OpKind::Neg:
      if (auto A = intOf(Ops[0]))
        return *A != INT64_MIN && replaceByConst(O, -*A);
      if (auto A = floatOf(Ops[0]))
        return replaceByConst(O, -*A);
      return false;
    case OpKind::Invert:
      if (auto A = intOf(Ops[0]))
        return replaceByConst(O, ~*A);
      return false;
    case OpKind::Not: {
      if (auto A = boolOf(Ops[0]))
        return replaceByConst(O, !*A);
      OpId Inner = F.definingOp(Ops[0]);
      if (Inner.isValid() && F.op(Inner).Kind == OpKind::Not)
        return replaceByValue(O, F.op(Inner).Operands[0]);
      return false;
    }
    case OpKind::Cmp: {
      const std::string &P = D.Attrs.getStr("pred");
      if (auto A = intOf(Ops[0]))
        if (auto B = intOf(Ops[1]))
          return replaceByConst(O, cmpPred(P, *A, *B));
      if (auto A = floatOf(Ops[0]))
        if (auto B = floatOf(Ops[1]))
          return replaceByConst(O, cmpPred(P, *A, *B));
      if (auto A = boolOf(Ops[0]))
        if (auto B = boolOf(Ops[1]))
          return replaceByConst(O, cmpPred(P, (int)*A, (int)*B));
      return false;
    }
    case OpKind::Select:
      if (auto C = boolOf(Ops[0]))
        return replaceByValue(O, *C ? Ops[1] : Ops[2]);
      if (Ops[1] == Ops[2])
        return replaceByValue(O, Ops[1]);
      return false;
    case OpKind::Cast:
      if (F.typeOf(Ops[0]) == F.typeOf(D.Results[0]))
        return replaceByValue(O, Ops[0]);
      return foldCast(O);
    case OpKind::TupleGet: {
      OpId Make = F.definingOp(Ops[0]);
      if (Make.isValid() && F.op(Make).Kind == OpKind::TupleMake)
        return replaceByValue(O, F.op(Make).Operands[D.Attrs.getInt("index")]);
      return false;
    }
    case OpKind::If:
      if (auto C = boolOf(Ops[0]))
        return inlineRegion(O, D.Regions[*C ? 0 : 1]);
      return false;
    case OpKind::For: {
      auto Lo = intOf(Ops[0]), Hi = intOf(Ops[1]), St = intOf(Ops[2]);
      if (Lo && Hi && St && *St != 0 && (*St > 0 ? *Lo >= *Hi : *Lo <= *Hi)) {
        F.eraseOp(O);
        ++Ctx.Stats["canonicalize.branches"];
        return true;
      }
      return false;
    }
    case OpKind::ArrayDim: {
      // The extent of a new array is the size it was allocated with; a
      // view's extents are its base's trailing ones.
      OpId Src = F.definingOp(Ops[0]);
      if (!Src.isValid())
        return false;
      int64_t Axis = D.Attrs.getInt("axis");
      if (F.op(Src).Kind == OpKind::ArrayAlloc)
        return replaceByValue(O, F.op(Src).Operands[Axis]);
      if (F.op(Src).Kind == OpKind::ArrayView)
        return replaceByValue(O, F.op(Src).Operands[2 + Axis]);
      if (F.op(Src).Kind == OpKind::Cast || F.op(Src).Kind == OpKind::ArraySub) {
        int64_t Shift = F.op(Src).Kind == OpKind::ArraySub ? F.op(Src).Operands.size() - 1 : 0;
        D.Operands[0] = F.op(Src).Operands[0];
        D.Attrs.set("axis", Axis + Shift);
        ++Ctx.Stats["canonicalize.simplified"];
        return true;
      }
      return false;
    }
    case OpKind::ArrayIndex:
    case OpKind::ArrayLoad:
    case OpKind::ArrayStore:
    case OpKind::ArraySub:
    case OpKind::ArrayAlloc:
    case OpKind::ArrayStride:
    case OpKind::ArrayView:
    case OpKind::ArrayOverlaps:
    case OpKind::ArraySort:
    case OpKind::ArrayFree:
    case OpKind::ListNew:
    case OpKind::ListLen:
    case OpKind::ListIndex:
    case OpKind::ListGet:
    case OpKind::ListSet:
    case OpKind::ListAppend:
    case OpKind::ListResize:
    case OpKind::ListInsert:
    case OpKind::ListRemove:
    case OpKind::ListSort:
    case OpKind::ListArgsort:
    case OpKind::DictNew:
    case OpKind::DictLen:
    case OpKind::DictVersion:
    case OpKind::DictContains:
    case OpKind::DictGet:
    case OpKind::DictInsert:
    case OpKind::DictRemove:
    case OpKind::DictNext:
    case OpKind::DictKeyAt:
    case OpKind::DictValueAt:
    case OpKind::Const:
    case OpKind::StrConst:
    case OpKind::Shl:
    case OpKind::Shr:
    case OpKind::Math:
    case OpKind::TupleMake:
    case OpKind::Slot:
    case OpKind::Load:
    case OpKind::Store:
    case OpKind::Call:
    case OpKind::While:
    case OpKind::Condition:
    case OpKind::Break:
    case OpKind::Continue:
    case OpKind::Return:
    case OpKind::Raise:
    case OpKind::Try:
    case OpKind::Catch:
    case OpKind::Reraise:
    case OpKind::RandomSeed:
    case OpKind::RandomDraw:
    case OpKind::Print:
      return false;
    }
    return false;
  }
};

} // namespace

bool passes::runCanonicalize(Module &M, PassContext &Ctx) {
  bool Changed = false;
  for (auto &F : M.functions())
    Changed |= Canonicalizer(*F, Ctx).run();
  return Changed;
}

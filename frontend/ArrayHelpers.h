//===- ArrayHelpers.h - Small helpers of the array lowering -----*- C++ -*-===//
//
// Shared by the files that lower NumPy-style array code (LowerArrayExpr.cpp,
// LowerArrayFunctions.cpp): int64 arithmetic on extents and strides, views,
// NumPy's accumulation type of sums and products, its shape text, and
// LoopKit: structured loops and branches in Kiln IR. Internal to the
// frontend.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_FRONTEND_ARRAYHELPERS_H
#define KILN_FRONTEND_ARRAYHELPERS_H

#include "frontend/LowerImpl.h"

namespace kiln::lower {

//===----------------------------------------------------------------------===//
// Small integer helpers (extents and strides never overflow: they describe
// memory that exists)
//===----------------------------------------------------------------------===//

struct IntOps {
  ir::Builder &B;
  ir::Function &F;
  ir::ValueId op(ir::OpKind K, ir::ValueId A, ir::ValueId C) {
    ir::ValueId R = B.create1(K, {A, C}, Type::int64());
    F.op(F.definingOp(R)).Attrs.set("no_overflow", true);
    return R;
  }
  ir::ValueId add(ir::ValueId A, ir::ValueId C) { return op(ir::OpKind::Add, A, C); }
  ir::ValueId sub(ir::ValueId A, ir::ValueId C) { return op(ir::OpKind::Sub, A, C); }
  ir::ValueId mul(ir::ValueId A, ir::ValueId C) {
    ir::ValueId R = B.create1(ir::OpKind::Mul, {A, C}, Type::int64());
    F.op(F.definingOp(R)).Attrs.set("numpy", true);
    return R;
  }
  ir::ValueId sel(ir::ValueId C, ir::ValueId A, ir::ValueId D) {
    return B.create1(ir::OpKind::Select, {C, A, D}, Type::int64());
  }
  ir::ValueId min(ir::ValueId A, ir::ValueId C) { return sel(B.cmp("lt", A, C), A, C); }
  ir::ValueId max(ir::ValueId A, ir::ValueId C) { return sel(B.cmp("gt", A, C), A, C); }
  ir::ValueId c(int64_t V) { return B.constInt(V); }
  ir::ValueId dim(ir::ValueId A, unsigned Axis) {
    // The extent an alloc or view was made with, as canonicalize would fold
    // it: then broadcastView sees that an operand already has the loop's
    // shape (and keeps its unit stride).
    if (ir::OpId Def = F.definingOp(A); Def.isValid()) {
      const ir::OpData &D = F.op(Def);
      if (D.Kind == ir::OpKind::ArrayAlloc)
        return D.Operands[Axis];
      if (D.Kind == ir::OpKind::ArrayView)
        return D.Operands[2 + Axis];
    }
    ir::ValueId D = B.create1(ir::OpKind::ArrayDim, {A}, Type::int64());
    F.op(F.definingOp(D)).Attrs.set("axis", (int64_t)Axis);
    return D;
  }
  ir::ValueId stride(ir::ValueId A, unsigned Axis) {
    ir::ValueId D = B.create1(ir::OpKind::ArrayStride, {A}, Type::int64());
    F.op(F.definingOp(D)).Attrs.set("axis", (int64_t)Axis);
    return D;
  }
};

inline ir::ValueId makeView(ir::Builder &B, ir::ValueId Base, ir::ValueId Offset,
                            const std::vector<ir::ValueId> &Extents,
                            const std::vector<ir::ValueId> &Strides, Type VT) {
  std::vector<ir::ValueId> Ops{Base, Offset};
  Ops.insert(Ops.end(), Extents.begin(), Extents.end());
  Ops.insert(Ops.end(), Strides.begin(), Strides.end());
  return B.create1(ir::OpKind::ArrayView, Ops, VT);
}

/// NumPy's type for sum, prod, cumsum and cumprod of \p Elem: bool and
/// the signed integers add up in int64, the unsigned ones in uint64.
inline Type sumType(Type Elem) {
  if (Elem.isBool() || (Elem.isInteger() && !Elem.isUnsigned()))
    return Type::int64();
  if (Elem.isUnsigned())
    return Type::scalar(TypeKind::UInt64);
  return Elem;
}

/// NumPy's shape text of an operand, as `(3,)`, `(2,3)` or `()`, with `{}`
/// for each extent (filled in by the `raise` op's fmt).
inline std::string shapeFmt(size_t N) {
  std::string S = "(";
  for (size_t K = 0; K < N; ++K)
    S += K ? ",{}" : "{}";
  return S + (N == 1 ? ",)" : ")");
}

/// Structured loops and branches on a FunctionLowerer's builder.
struct FunctionLowerer::LoopKit {
  FunctionLowerer &L;
  ir::Builder &B;
  ir::Function &F;
  /// for I in range(Lo, Hi, Step): Body(I)
  template <typename Fn> void forRange(ir::ValueId Lo, ir::ValueId Hi, ir::ValueId Step, Fn Body) {
    ir::OpId For = B.create(ir::OpKind::For, {Lo, Hi, Step}, {}, 1);
    ir::RegionId R = F.op(For).Regions[0];
    ir::ValueId I = F.addRegionArg(R, Type::int64(), "i");
    L.inRegion(R, [&] { Body(I); });
  }
  /// while Cond(): Body()
  template <typename C, typename Fn> void whileLoop(C Cond, Fn Body) {
    ir::OpId W = B.create(ir::OpKind::While, {}, {}, 2);
    L.inRegion(F.op(W).Regions[0], [&] { B.create(ir::OpKind::Condition, {Cond()}, {}); });
    L.inRegion(F.op(W).Regions[1], [&] { Body(); });
  }
  /// if Cond: Then() else: Else()
  template <typename T, typename E> void ifElse(ir::ValueId Cond, T Then, E Else) {
    ir::OpId If = B.create(ir::OpKind::If, {Cond}, {}, 2);
    L.inRegion(F.op(If).Regions[0], [&] { Then(); });
    L.inRegion(F.op(If).Regions[1], [&] { Else(); });
  }
  ir::ValueId add(ir::ValueId X, ir::ValueId Y) { return num(ir::OpKind::Add, X, Y); }
  ir::ValueId sub(ir::ValueId X, ir::ValueId Y) { return num(ir::OpKind::Sub, X, Y); }
  ir::ValueId mul(ir::ValueId X, ir::ValueId Y) { return num(ir::OpKind::Mul, X, Y); }
  ir::ValueId num(ir::OpKind K, ir::ValueId X, ir::ValueId Y) {
    ir::ValueId R = B.create1(K, {X, Y}, Type::int64());
    F.op(F.definingOp(R)).Attrs.set("no_overflow", true);
    return R;
  }
  ir::ValueId sel(ir::ValueId C, ir::ValueId X, ir::ValueId Y) {
    return B.create1(ir::OpKind::Select, {C, X, Y}, F.typeOf(X));
  }
  ir::ValueId min(ir::ValueId X, ir::ValueId Y) { return sel(B.cmp("lt", X, Y), X, Y); }
  ir::ValueId both(ir::ValueId X, ir::ValueId Y) {
    return B.create1(ir::OpKind::BitAnd, {X, Y}, Type::boolean());
  }
  ir::ValueId either(ir::ValueId X, ir::ValueId Y) {
    return B.create1(ir::OpKind::BitOr, {X, Y}, Type::boolean());
  }
  ir::ValueId notOf(ir::ValueId X) { return B.create1(ir::OpKind::Not, {X}, Type::boolean()); }
  ir::ValueId load(ir::ValueId A, ir::ValueId I) {
    Type T = F.typeOf(A).elementType();
    return B.create1(ir::OpKind::ArrayLoad, {A, I}, T);
  }
  void store(ir::ValueId V, ir::ValueId A, ir::ValueId I) {
    B.create(ir::OpKind::ArrayStore, {V, A, I}, {});
  }
  /// NumPy's sort order: X < Y, with NaN after every number.
  ir::ValueId less(ir::ValueId X, ir::ValueId Y) {
    Type T = F.typeOf(X);
    if (T.isBool()) // False < True
      return both(notOf(X), Y);
    ir::ValueId Lt = B.cmp("lt", X, Y);
    if (!T.isFloating())
      return Lt;
    return either(Lt, both(B.cmp("ne", Y, Y), B.cmp("eq", X, X)));
  }
};

} // namespace kiln::lower

#endif // KILN_FRONTEND_ARRAYHELPERS_H

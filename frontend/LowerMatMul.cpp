//===- LowerMatMul.cpp - Matrix products: @, np.dot, np.matmul -----------===//
//
// The products of vectors and matrices, as loops the passes and LLVM can
// vectorise, with NumPy's shape errors.
//
//===----------------------------------------------------------------------===//

#include "frontend/ArrayHelpers.h"
#include "llvm/Support/Casting.h"

using namespace kiln;
using namespace kiln::lower;
using llvm::dyn_cast;
using llvm::isa;

/// The transpose of 2-D \p A as a C-order view, for code under a run-time
/// check that A's axis 0 has unit stride (a transposed C array).
TypedValue FunctionLowerer::transposedCView(TypedValue A) {
  IntOps I{B, *F};
  Type VT = Type::array(A.Ty.elementType(), 2, /*COrder=*/true);
  return {makeView(B, A.V, I.c(0), {I.dim(A.V, 1), I.dim(A.V, 0)}, {I.stride(A.V, 1), I.c(1)}, VT),
          VT};
}

TypedValue FunctionLowerer::lowerMatMul(TypedValue A, TypedValue C, SourceRange Site, bool IsDot) {
  IntOps I{B, *F};
  if (!A.ok() || !C.ok())
    return bad();
  if (!A.Ty.isArray() || !C.Ty.isArray() || A.Ty.ndim() > 2 || C.Ty.ndim() > 2 ||
      !A.Ty.elementType().isNumeric() || !C.Ty.elementType().isNumeric()) {
    if (IsDot && A.Ty.isScalar() && C.Ty.isScalar())
      return binaryOp(ast::BinOpKind::Mul, A, C, nullptr, Site);
    diag(DiagID::Unsupported, Site,
         {std::string(IsDot ? "`np.dot`" : "`@`") + " of `" + pyTypeName(A.Ty) + "` and `" +
              pyTypeName(C.Ty) + "` (only 1-D and 2-D int64/float64 arrays)",
          "is"});
    return bad();
  }
  Type T = promoteTypes(A.Ty.elementType(), false, C.Ty.elementType(), false);
  unsigned NA = A.Ty.ndim(), NC = C.Ty.ndim();
  ir::ValueId KA = I.dim(A.V, NA - 1), KC = I.dim(C.V, NC == 2 ? 0 : 0);
  // NumPy's messages for mismatched inner dimensions.
  {
    std::string Fmt;
    std::vector<ir::ValueId> Args;
    if (IsDot) {
      Fmt = "shapes " + shapeFmt(NA) + " and " + shapeFmt(NC) + " not aligned: {} (dim " +
            std::to_string(NA - 1) + ") != {} (dim 0)";
      for (unsigned K = 0; K < NA; ++K)
        Args.push_back(I.dim(A.V, K));
      for (unsigned K = 0; K < NC; ++K)
        Args.push_back(I.dim(C.V, K));
      Args.push_back(KA);
      Args.push_back(KC);
    } else {
      Fmt = "matmul: Input operand 1 has a mismatch in its core dimension 0, with gufunc "
            "signature (n?,k),(k,m?)->(n?,m?) (size {} is different from {})";
      Args = {KC, KA};
    }
    raiseFmtIf(B.cmp("ne", KA, KC), "ValueError", Fmt, Args);
  }
  auto Load = [&](TypedValue X, std::vector<ir::ValueId> Idx) {
    std::vector<ir::ValueId> Ops{X.V};
    Ops.insert(Ops.end(), Idx.begin(), Idx.end());
    return B.cast(B.create1(ir::OpKind::ArrayLoad, Ops, X.Ty.elementType()), T);
  };
  auto MulAdd = [&](ir::ValueId Acc, ir::ValueId X, ir::ValueId Y) {
    ir::ValueId P = B.create1(ir::OpKind::Mul, {X, Y}, T);
    F->op(F->definingOp(P)).Attrs.set("numpy", true);
    ir::ValueId S = B.create1(ir::OpKind::Add, {Acc, P}, T);
    F->op(F->definingOp(S)).Attrs.set("numpy", true);
    return S;
  };
  ir::ValueId Zero = typedConst(T, 0);
  if (NA == 1 && NC == 1) {
    ir::ValueId Acc = entrySlot(T, "dot");
    B.store(Zero, Acc);
    emitLoopNest({KA}, [&](const std::vector<ir::ValueId> &Idx) {
      B.store(MulAdd(B.load(Acc), Load(A, {Idx[0]}), Load(C, {Idx[0]})), Acc);
    });
    return {B.load(Acc), T};
  }
  // Which loop order reads memory in order depends on the strides, known
  // at run time: `x.T @ v` walks columns of a C array.
  auto UnitStride = [&](TypedValue X, unsigned Axis) {
    return B.create1(
        ir::OpKind::BitOr,
        {B.cmp("eq", I.stride(X.V, Axis), I.c(1)), B.cmp("le", I.dim(X.V, Axis), I.c(1))},
        Type::boolean());
  };
  auto Branch = [&](ir::ValueId Cond, const std::function<void()> &Then,
                    const std::function<void()> &Else) {
    ir::OpId If = B.create(ir::OpKind::If, {Cond}, {}, 2);
    inRegion(F->op(If).Regions[0], Then);
    inRegion(F->op(If).Regions[1], Else);
  };
  auto Store = [&](TypedValue Out, ir::ValueId V, std::vector<ir::ValueId> Idx) {
    std::vector<ir::ValueId> St{V, Out.V};
    St.insert(St.end(), Idx.begin(), Idx.end());
    B.create(ir::OpKind::ArrayStore, St, {});
  };
  auto LoadOut = [&](TypedValue Out, std::vector<ir::ValueId> Idx) {
    std::vector<ir::ValueId> Ops{Out.V};
    Ops.insert(Ops.end(), Idx.begin(), Idx.end());
    return B.create1(ir::OpKind::ArrayLoad, Ops, T);
  };
  if (NA == 2 && NC == 1) {
    ir::ValueId Rows = I.dim(A.V, 0);
    TypedValue Out = allocArray(T, {Rows});
    Branch(
        UnitStride(A, 1),
        [&] {
          // Rows of a in order: each row's dot product, in a scalar.
          ir::ValueId Acc = entrySlot(T, "dot");
          PendingIndependent = true; // one row each
          emitLoopNest({Rows}, [&](const std::vector<ir::ValueId> &Row) {
            B.store(Zero, Acc);
            emitLoopNest({KA}, [&](const std::vector<ir::ValueId> &K) {
              B.store(MulAdd(B.load(Acc), Load(A, {Row[0], K[0]}), Load(C, {K[0]})), Acc);
            });
            Store(Out, B.load(Acc), {Row[0]});
          });
        },
        [&] {
          // Columns of a in order: out += a[:, k] * v[k].
          fillArray(Out, {Zero, T});
          auto Columns = [&](TypedValue M, bool Transposed) {
            emitLoopNest({KA}, [&](const std::vector<ir::ValueId> &K) {
              ir::ValueId Vk = Load(C, {K[0]});
              emitLoopNest({Rows}, [&](const std::vector<ir::ValueId> &Row) {
                ir::ValueId Ark = Transposed ? Load(M, {K[0], Row[0]}) : Load(M, {Row[0], K[0]});
                Store(Out, MulAdd(LoadOut(Out, {Row[0]}), Ark, Vk), {Row[0]});
              });
            });
          };
          // `x.T @ v` of a C array: its columns are contiguous, and a
          // transposed C-order view says so, so the row loop vectorises.
          Branch(
              UnitStride(A, 0), [&] { Columns(transposedCView(A), true); },
              [&] { Columns(A, false); });
        });
    return Out;
  }
  // (n, k) @ (k, m) and (k,) @ (k, m).
  bool VecA = NA == 1;
  ir::ValueId Rows = VecA ? I.c(1) : I.dim(A.V, 0), Cols = I.dim(C.V, 1);
  std::vector<ir::ValueId> OutShape =
      VecA ? std::vector<ir::ValueId>{Cols} : std::vector<ir::ValueId>{Rows, Cols};
  TypedValue Out = allocArray(T, OutShape);
  auto OutIdx = [&](ir::ValueId Row, ir::ValueId Col) {
    return VecA ? std::vector<ir::ValueId>{Col} : std::vector<ir::ValueId>{Row, Col};
  };
  auto AElem = [&](ir::ValueId Row, ir::ValueId K) {
    return VecA ? Load(A, {K}) : Load(A, {Row, K});
  };
  Branch(
      UnitStride(C, 1),
      [&] {
        // Rows of c in order (i-k-j): out[i, :] += a[i, k] * c[k, :].
        fillArray(Out, {Zero, T});
        PendingIndependent = true; // row i of the result only
        emitLoopNest({Rows, KA}, [&](const std::vector<ir::ValueId> &IK) {
          ir::ValueId Aik = AElem(IK[0], IK[1]);
          emitLoopNest({Cols}, [&](const std::vector<ir::ValueId> &J) {
            std::vector<ir::ValueId> O = OutIdx(IK[0], J[0]);
            Store(Out, MulAdd(LoadOut(Out, O), Aik, Load(C, {IK[1], J[0]})), O);
          });
        });
      },
      [&] {
        // Columns of c in order (`y @ x.T`): one dot product per element.
        auto Dots = [&](TypedValue M, bool Transposed) {
          ir::ValueId Acc = entrySlot(T, "dot");
          PendingIndependent = true;
          emitLoopNest({Rows, Cols}, [&](const std::vector<ir::ValueId> &IJ) {
            B.store(Zero, Acc);
            emitLoopNest({KA}, [&](const std::vector<ir::ValueId> &K) {
              ir::ValueId Ckj = Transposed ? Load(M, {IJ[1], K[0]}) : Load(M, {K[0], IJ[1]});
              B.store(MulAdd(B.load(Acc), AElem(IJ[0], K[0]), Ckj), Acc);
            });
            Store(Out, B.load(Acc), OutIdx(IJ[0], IJ[1]));
          });
        };
        Branch(
            UnitStride(C, 0), [&] { Dots(transposedCView(C), true); }, [&] { Dots(C, false); });
      });
  return Out;
}

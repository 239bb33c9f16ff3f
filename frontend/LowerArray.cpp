//===- LowerArray.cpp - NumPy arrays: indexing, attributes, creation -------===//
//
// Arrays are NumPy views: an element type (bool, int64, float64), a rank, a
// data address, extents and strides. Indexing follows NumPy: negative
// indices count from the end, an out-of-bounds index raises IndexError
// (`array.index` checks; `kiln compile --unchecked` drops the check), and
// fewer indices than axes give a view, never a copy.
//
// Creation functions (np.zeros, np.arange, ...) allocate with `array.alloc`
// and fill with ordinary `for` loop nests, so later passes see plain loops.
//
//===----------------------------------------------------------------------===//

#include "frontend/LowerImpl.h"
#include "llvm/Support/Casting.h"
#include <cmath>

using namespace kiln;
using namespace kiln::lower;
using llvm::dyn_cast;
using llvm::isa;

ir::ValueId FunctionLowerer::arrayDim(ir::ValueId A, unsigned Axis) {
  ir::ValueId D = B.create1(ir::OpKind::ArrayDim, {A}, Type::int64());
  F->op(F->definingOp(D)).Attrs.set("axis", (int64_t)Axis);
  return D;
}

void FunctionLowerer::emitNest(ir::ValueId A, Type AT,
                               const std::function<void(const std::vector<ir::ValueId> &)> &Body) {
  std::vector<ir::ValueId> Idx;
  std::function<void(unsigned)> Level = [&](unsigned Axis) {
    if (Axis == AT.ndim()) {
      Body(Idx);
      return;
    }
    ir::ValueId Hi = arrayDim(A, Axis);
    ir::OpId For = B.create(ir::OpKind::For, {B.constInt(0), Hi, B.constInt(1)}, {}, 1);
    ir::RegionId R = F->op(For).Regions[0];
    Idx.push_back(F->addRegionArg(R, Type::int64(), "i" + std::to_string(Axis)));
    inRegion(R, [&] { Level(Axis + 1); });
    Idx.pop_back();
  };
  Level(0);
}

std::vector<const ast::Expr *> lower::indexParts(const ast::Expr &Index) {
  std::vector<const ast::Expr *> Parts;
  if (auto *T = dyn_cast<ast::TupleExpr>(&Index))
    for (auto &X : T->Elts)
      Parts.push_back(X.get());
  else
    Parts.push_back(&Index);
  return Parts;
}

std::optional<std::vector<ir::ValueId>>
FunctionLowerer::lowerIndices(TypedValue A, const ast::Expr &Index, ArrayExprPtr *ArrayIndex,
                              AdvancedIndex *Adv) {
  std::vector<const ast::Expr *> Parts = indexParts(Index);
  for (const ast::Expr *P : Parts)
    if (isa<ast::SliceExpr>(P) || isa<ast::EllipsisExpr>(P) || isa<ast::NoneLitExpr>(P)) {
      diag(DiagID::Unsupported, P->Range, {"slices, `...` and `None` in array indices", "are"});
      return std::nullopt;
    }
  if (Parts.size() > A.Ty.ndim()) {
    diag(DiagID::TooManyIndices,
         SourceRange(Parts[A.Ty.ndim()]->Range.Begin, Parts.back()->Range.End),
         {std::to_string(A.Ty.ndim()), std::to_string(Parts.size())});
    return std::nullopt;
  }
  // Python evaluates every index before NumPy checks any of them.
  std::vector<TypedValue> Lowered;
  for (size_t K = 0; K < Parts.size(); ++K) {
    TypedValue I;
    if (ArrayIndex && Parts.size() == 1) {
      // One index that may be an array: a boolean mask or integer indices
      // (LowerArrayExpr.cpp); a mask expression is not computed into an array.
      ArrayExprPtr X = buildArrayExpr(*Parts[K]);
      if (!X)
        return std::nullopt;
      if (X->isArray()) {
        *ArrayIndex = std::move(X);
        return std::vector<ir::ValueId>();
      }
      I = X->Val;
    } else {
      I = lowerExpr(*Parts[K]);
    }
    I = asIndex(I);
    if (!I.ok())
      return std::nullopt;
    Lowered.push_back(I);
  }
  if (Adv && llvm::any_of(Lowered, [](const TypedValue &V) { return V.Ty.isArray(); })) {
    // `a[i_arr, j_arr]`, `a[i, j_arr]`: NumPy's advanced indexing.
    std::vector<IndexPart> Ps(Parts.size());
    for (size_t K = 0; K < Parts.size(); ++K)
      if (!lowerIndexValue(Lowered[K], Parts[K], Ps[K]))
        return std::nullopt;
    indexView(A, Ps, *Adv);
    return std::vector<ir::ValueId>();
  }
  std::vector<ir::ValueId> Values;
  for (size_t K = 0; K < Parts.size(); ++K) {
    if (!Lowered[K].Ty.isInt()) {
      // NumPy reads a bool index as a mask, and refuses floats.
      diag(DiagID::BadArrayIndex, Parts[K]->Range, {pyTypeName(Lowered[K].Ty)});
      return std::nullopt;
    }
    Values.push_back(Lowered[K].V);
  }
  std::vector<ir::ValueId> Out;
  for (size_t K = 0; K < Values.size(); ++K) {
    ir::ValueId N = B.create1(ir::OpKind::ArrayIndex, {A.V, Values[K]}, Type::int64());
    F->op(F->definingOp(N)).Attrs.set("axis", (int64_t)K);
    Out.push_back(N);
  }
  return Out;
}

TypedValue FunctionLowerer::arrayElementOrView(TypedValue A, const std::vector<ir::ValueId> &Idx) {
  Type T = A.Ty;
  if (Idx.size() == T.ndim()) {
    std::vector<ir::ValueId> Ops{A.V};
    Ops.insert(Ops.end(), Idx.begin(), Idx.end());
    return {B.create1(ir::OpKind::ArrayLoad, Ops, T.elementType()), T.elementType()};
  }
  Type VT = Type::array(T.elementType(), T.ndim() - Idx.size(), T.isCOrder());
  std::vector<ir::ValueId> Ops{A.V};
  Ops.insert(Ops.end(), Idx.begin(), Idx.end());
  return {B.create1(ir::OpKind::ArraySub, Ops, VT), VT};
}

TypedValue FunctionLowerer::lowerArraySubscript(TypedValue A, const ast::SubscriptExpr &E) {
  if (isArrayTarget(E)) // slices, `None` and `...`: a view (LowerArrayExpr.cpp)
    return sliceView(A, indexParts(*E.Index));
  ArrayExprPtr ArrayIndex;
  AdvancedIndex Adv;
  auto Idx = lowerIndices(A, *E.Index, &ArrayIndex, &Adv);
  if (!Idx)
    return bad();
  if (ArrayIndex)
    return indexWithArray(A, *ArrayIndex, E.Index->Range);
  if (Adv.active())
    return gatherAdvanced(Adv);
  return arrayElementOrView(A, *Idx);
}

void FunctionLowerer::storeElement(TypedValue A, const std::vector<ir::ValueId> &Idx,
                                   TypedValue V, SourceRange Site) {
  if (!V.ok())
    return;
  if (Idx.size() != A.Ty.ndim()) {
    // a[i] = v on a 2-D array: v is broadcast into the row.
    TypedValue Row = arrayElementOrView(A, Idx);
    if (ArrayExprPtr X = leafExpr(V, Site))
      storeInto(Row, *X, Site);
    return;
  }
  Type Elem = A.Ty.elementType();
  TypedValue C;
  if (!V.Ty.isScalar()) {
    diag(DiagID::TypeMismatch, Site, {"a number to store in the array", pyTypeName(V.Ty)});
    return;
  }
  // NumPy converts a stored value to the element type, truncating floats
  // into integer arrays (with Python's errors for NaN and infinities).
  C = castScalar(V, Elem, Site);
  std::vector<ir::ValueId> Ops{C.V, A.V};
  Ops.insert(Ops.end(), Idx.begin(), Idx.end());
  B.create(ir::OpKind::ArrayStore, Ops, {});
}

bool FunctionLowerer::isRowTarget(const ast::SubscriptExpr &T) {
  // A local array variable with fewer integers than axes (and no slices):
  // the integers' types are known once lowered, so an index array there is
  // still told apart by lowerIndices.
  auto *N = dyn_cast<ast::NameExpr>(T.Value.get());
  if (!N || !isLocal(N->Id))
    return false;
  auto It = S.Vars.find(N->Id);
  if (It == S.Vars.end() || !It->second.Ty.isValid() || !It->second.Ty.isArray())
    return false;
  // The value's elements are computed after the target's indices: an index
  // that calls a function (which could write the value's arrays) keeps the
  // value computed first.
  bool Calls = false;
  std::function<void(const ast::Expr &)> Walk = [&](const ast::Expr &E) {
    if (isa<ast::CallExpr>(&E))
      Calls = true;
    else if (auto *Bin = dyn_cast<ast::BinOpExpr>(&E))
      Walk(*Bin->LHS), Walk(*Bin->RHS);
    else if (auto *U = dyn_cast<ast::UnaryExpr>(&E))
      Walk(*U->Operand);
    else if (auto *Tup = dyn_cast<ast::TupleExpr>(&E))
      for (auto &X : Tup->Elts)
        Walk(*X);
    else if (!isa<ast::NameExpr>(&E) && !isa<ast::IntLitExpr>(&E))
      Calls = true; // anything else: the safe way
  };
  Walk(*T.Index);
  size_t Parts = indexParts(*T.Index).size();
  return !Calls && Parts < It->second.Ty.ndim() && !isArrayTarget(T);
}

std::optional<FunctionLowerer::SubscriptTarget>
FunctionLowerer::lowerSubscriptTarget(const ast::SubscriptExpr &T, llvm::StringRef What) {
  SubscriptTarget Tg;
  Tg.A = lowerExpr(*T.Value);
  if (!Tg.A.ok())
    return std::nullopt;
  if (!Tg.A.Ty.isArray()) {
    diag(DiagID::Unsupported, T.Range,
         {What.str() + " to subscripts of `" + pyTypeName(Tg.A.Ty) + "`", "is"});
    return std::nullopt;
  }
  auto Idx = lowerIndices(Tg.A, *T.Index, &Tg.ArrayIndex, &Tg.Adv);
  if (!Idx)
    return std::nullopt;
  Tg.Idx = std::move(*Idx);
  return Tg;
}

void FunctionLowerer::assignSubscript(const ast::SubscriptExpr &T, ArrayExpr &X, SourceRange Site) {
  // The value is evaluated (its operands lowered) before the target, as in
  // Python; an array value is computed only once the target is known.
  auto Tg = lowerSubscriptTarget(T, "assignment");
  if (!Tg)
    return;
  TypedValue A = Tg->A;
  if (Tg->Adv.active())
    return assignAdvanced(Tg->Adv, X, Site);
  if (!Tg->ArrayIndex && X.isArray() && Tg->Idx.size() != A.Ty.ndim())
    return storeInto(arrayElementOrView(A, Tg->Idx), X, Site);
  TypedValue V = materialize(X);
  if (Tg->ArrayIndex)
    return maskAssign(A, *Tg->ArrayIndex, V, T.Index->Range);
  storeElement(A, Tg->Idx, V, Site);
}

void FunctionLowerer::assignSubscript(const ast::SubscriptExpr &T, TypedValue V, SourceRange Site) {
  // An already computed value (`a[1:], b = x, y`).
  ArrayExprPtr X = V.ok() ? leafExpr(V, Site) : nullptr;
  if (!X)
    return;
  if (!isArrayTarget(T))
    return assignSubscript(T, *X, Site);
  AdvancedIndex Adv;
  TypedValue View = lowerSliceTarget(T, Adv);
  if (View.ok())
    Adv.active() ? assignAdvanced(Adv, *X, Site) : storeInto(View, *X, Site);
}

void FunctionLowerer::augAssignSubscript(const ast::AugAssignStmt &S,
                                         const ast::SubscriptExpr &T) {
  if (isArrayTarget(T))
    return assignArraySubscript(T, *S.Value, &S.Op, S.Range);
  // a[i] += v evaluates a and i once.
  auto Tg = lowerSubscriptTarget(T, "augmented assignment");
  if (!Tg)
    return;
  TypedValue A = Tg->A;
  if (Tg->ArrayIndex && Tg->ArrayIndex->Elem.isInteger())
    // a[idx] += v: NumPy's a[idx] = a[idx] + v, an advanced index.
    Tg->Adv = axisZeroIndex(A, *Tg->ArrayIndex);
  if (Tg->Adv.active())
    return augAssignAdvanced(Tg->Adv, S.Op, *S.Value, S.Range);
  if (Tg->ArrayIndex) {
    // a[m] += v: NumPy's a[m] = a[m] + v. The mask is computed once.
    TypedValue MaskArr = Tg->ArrayIndex->K == ArrayExpr::Kind::Array
                             ? Tg->ArrayIndex->Val
                             : materialize(*Tg->ArrayIndex);
    ArrayExprPtr Gather = leafExpr(MaskArr, T.Index->Range);
    if (!Gather)
      return;
    std::vector<ArrayExprPtr> Kids;
    Kids.push_back(leafExpr(indexWithArray(A, *Gather, T.Index->Range), T.Range));
    Kids.push_back(buildArrayExpr(*S.Value));
    ArrayExprPtr X = combine(ArrayExpr::Kind::Binary, (int)S.Op, "", std::move(Kids), S.Range);
    if (!X || !checkInPlaceType(X->Elem, A.Ty.elementType(), S.Range))
      return;
    TypedValue New = materialize(*X);
    if (ArrayExprPtr Scatter = leafExpr(MaskArr, T.Index->Range))
      maskAssign(A, *Scatter, New, T.Index->Range);
    return;
  }
  const std::vector<ir::ValueId> &Idx = Tg->Idx;
  if (Idx.size() != A.Ty.ndim()) {
    // a[i] += v on a 2-D array: in place, element by element.
    return inPlaceOp(arrayElementOrView(A, Idx), S.Op, *S.Value, T.Range, S.Range);
  }
  TypedValue Cur = arrayElementOrView(A, Idx);
  TypedValue R = lowerExpr(*S.Value);
  storeElement(A, Idx, binaryOp(S.Op, Cur, R, S.Value.get(), S.Range), S.Range);
}

/// `v.real` / `v.imag` (and np.real / np.imag): of an array, NumPy's view
/// of the parts (writable) or, for a real array, the array itself and a new
/// zero array; of a number, its part.
TypedValue FunctionLowerer::partOf(TypedValue V, bool Imag, SourceRange Site) {
  if (V.Ty.isComplex())
    return complexAttr(V, Imag ? "imag" : "real");
  if (V.Ty.isScalar()) {
    if (Imag) {
      Type T = V.Ty.isBool() ? Type::int64() : V.Ty;
      return {typedConst(T, 0), T};
    }
    return V.Ty.isBool() ? convert(V, Type::int64(), Site, "`.real`") : V;
  }
  assert(V.Ty.isArray() && "part of a value that is neither a number nor an array");
  TypedValue A = V;
  Type T = A.Ty;
  Type Elem = T.elementType();
  if (!Elem.isComplex()) {
    if (!Imag)
      return A; // a real array is its own real part
    std::vector<ir::ValueId> Dims;
    for (unsigned K = 0; K < T.ndim(); ++K)
      Dims.push_back(arrayDim(A.V, K));
    TypedValue Z = allocArray(Elem, Dims); // zeros, as NumPy's (read-only) a.imag
    fillArray(Z, {typedConst(Elem, 0), Elem});
    return Z;
  }
  // A view of the parts: NumPy's a.real and a.imag, writable.
  std::vector<ir::ValueId> Ops{A.V, B.constInt(Imag)};
  std::vector<ir::ValueId> Strides;
  for (unsigned K = 0; K < T.ndim(); ++K) {
    Ops.push_back(arrayDim(A.V, K));
    ir::ValueId S = B.create1(ir::OpKind::ArrayStride, {A.V}, Type::int64());
    F->op(F->definingOp(S)).Attrs.set("axis", (int64_t)K);
    ir::ValueId S2 = B.create1(ir::OpKind::Mul, {S, B.constInt(2)}, Type::int64());
    F->op(F->definingOp(S2)).Attrs.set("no_overflow", true);
    Strides.push_back(S2);
  }
  Ops.insert(Ops.end(), Strides.begin(), Strides.end());
  Type VT = Type::array(Elem.complexPart(), T.ndim(), false);
  return {B.create1(ir::OpKind::ArrayView, Ops, VT), VT};
}

TypedValue FunctionLowerer::lowerArrayAttribute(TypedValue A, const ast::AttributeExpr &E) {
  Type T = A.Ty;
  if (E.Attr == "ndim")
    return constInt(T.ndim());
  if (E.Attr == "T")
    return transposeView(A);
  if (E.Attr == "shape") {
    std::vector<ir::ValueId> Dims;
    for (unsigned K = 0; K < T.ndim(); ++K)
      Dims.push_back(arrayDim(A.V, K));
    Type TT = Type::tuple(std::vector<Type>(T.ndim(), Type::int64()));
    return {B.create1(ir::OpKind::TupleMake, Dims, TT), TT};
  }
  if (E.Attr == "size") {
    // The product cannot overflow: the array exists.
    ir::ValueId P = arrayDim(A.V, 0);
    for (unsigned K = 1; K < T.ndim(); ++K) {
      P = B.create1(ir::OpKind::Mul, {P, arrayDim(A.V, K)}, Type::int64());
      F->op(F->definingOp(P)).Attrs.set("no_overflow", true);
    }
    return {P, Type::int64()};
  }
  if (E.Attr == "real" || E.Attr == "imag")
    return partOf(A, E.Attr == "imag", E.Range);
  if (E.Attr == "itemsize" || E.Attr == "nbytes") {
    Type Elem = T.elementType();
    int64_t Item = Elem.isBool() ? 1
                   : Elem.isComplex() ? (Elem.kind() == TypeKind::Complex64 ? 8 : 16)
                   : Elem.isSized()   ? Elem.bitWidth() / 8
                                      : 8;
    if (E.Attr == "itemsize")
      return constInt(Item);
    ir::ValueId P = B.constInt(Item);
    for (unsigned K = 0; K < T.ndim(); ++K) {
      P = B.create1(ir::OpKind::Mul, {P, arrayDim(A.V, K)}, Type::int64());
      F->op(F->definingOp(P)).Attrs.set("no_overflow", true);
    }
    return {P, Type::int64()};
  }
  if (E.Attr == "dtype") {
    diag(DiagID::Unsupported, E.Range, {"`.dtype` outside a `dtype=` argument", "is"});
    return bad();
  }
  diag(DiagID::Unsupported, E.Range, {"attribute `." + E.Attr + "` of arrays", "is"});
  return bad();
}

/// NumPy's scalar types by name, as functions and dtypes: np.float32, "f4",
/// "uint8", ...; std::nullopt for other names.
static std::optional<Type> scalarTypeFn(llvm::StringRef Name) {
  if (Name == "float" || Name == "float64" || Name == "double" || Name == "float_" ||
      Name == "f8" || Name == "d")
    return Type::float64();
  if (Name == "int" || Name == "int64" || Name == "int_" || Name == "intp" || Name == "i8")
    return Type::int64();
  if (Name == "bool" || Name == "bool_" || Name == "?")
    return Type::boolean();
  if (Name == "single" || Name == "f4" || Name == "f")
    return Type::scalar(TypeKind::Float32);
  if (Name == "complex" || Name == "complex_" || Name == "cdouble" || Name == "c16" ||
      Name == "D")
    return Type::scalar(TypeKind::Complex128);
  if (Name == "csingle" || Name == "c8" || Name == "F")
    return Type::scalar(TypeKind::Complex64);
  static const std::pair<const char *, const char *> Codes[] = {
      {"i1", "int8"},  {"i2", "int16"},  {"i4", "int32"},  {"u1", "uint8"},
      {"u2", "uint16"}, {"u4", "uint32"}, {"u8", "uint64"}, {"ubyte", "uint8"},
      {"byte", "int8"}, {"short", "int16"}, {"ushort", "uint16"}, {"intc", "int32"},
      {"uintc", "uint32"}};
  for (auto &C : Codes)
    if (Name == C.first)
      return Type::fromNumPyName(C.second);
  if (Type T = Type::fromNumPyName(Name); T.isValid())
    return T;
  return std::nullopt;
}

std::optional<Type> FunctionLowerer::dtypeArg(const ast::Expr &E) {
  // `a.dtype`: the element type of an array.
  if (auto *A = dyn_cast<ast::AttributeExpr>(&E); A && A->Attr == "dtype") {
    TypedValue V = lowerExpr(*A->Value);
    if (V.ok() && V.Ty.isArray())
      return V.Ty.elementType();
  }
  std::string Name;
  if (auto *S = dyn_cast<ast::StrLitExpr>(&E))
    Name = S->Value;
  else if (auto *N = dyn_cast<ast::NameExpr>(&E))
    Name = N->Id;
  else if (auto *A = dyn_cast<ast::AttributeExpr>(&E))
    Name = A->Attr;
  if (std::optional<Type> T = scalarTypeFn(Name))
    return T;
  if (!Name.empty())
    diag(DiagID::ArrayElemNotYet, E.Range, {Name});
  else
    diag(DiagID::Unsupported, E.Range, {"this `dtype=` argument", "is"});
  return std::nullopt;
}

std::optional<std::vector<ir::ValueId>> FunctionLowerer::shapeArg(const ast::Expr &E) {
  TypedValue S = lowerExpr(E);
  if (!S.ok())
    return std::nullopt;
  std::vector<ir::ValueId> Dims;
  // NumPy takes integers only: a bool in a shape is a TypeError.
  if (S.Ty.isInt()) {
    Dims.push_back(S.V);
    return Dims;
  }
  if (S.Ty.isTuple() && !S.Ty.elements().empty() && S.Ty.elements().size() <= 32) {
    for (size_t I = 0; I < S.Ty.elements().size(); ++I) {
      Type ET = S.Ty.elements()[I];
      if (!ET.isInt())
        break;
      ir::ValueId D = B.create1(ir::OpKind::TupleGet, {S.V}, ET);
      F->op(F->definingOp(D)).Attrs.set("index", (int64_t)I);
      Dims.push_back(B.cast(D, Type::int64()));
    }
    if (Dims.size() == S.Ty.elements().size())
      return Dims;
  }
  diag(DiagID::TypeMismatch, E.Range, {"a shape (an int or a tuple of ints)", pyTypeName(S.Ty)});
  return std::nullopt;
}

TypedValue FunctionLowerer::lowerArrayArg(const ast::Expr &E) {
  TypedValue V = lowerExpr(E);
  if (V.ok() && !V.Ty.isArray()) {
    diag(DiagID::TypeMismatch, E.Range, {"an array", pyTypeName(V.Ty)});
    return bad();
  }
  return V;
}

TypedValue FunctionLowerer::lowerNumberArg(const ast::Expr &E, llvm::StringRef What) {
  TypedValue V = lowerExpr(E);
  if (V.ok() && !V.Ty.isScalar()) {
    diag(DiagID::TypeMismatch, E.Range, {What.str(), pyTypeName(V.Ty)});
    return bad();
  }
  return V;
}

TypedValue FunctionLowerer::allocArray(Type Elem, const std::vector<ir::ValueId> &Dims) {
  Type T = Type::array(Elem, Dims.size(), /*COrder=*/true);
  return {B.create1(ir::OpKind::ArrayAlloc, Dims, T), T};
}

void FunctionLowerer::fillArray(TypedValue A, TypedValue V) {
  ir::ValueId X = castScalar(V, A.Ty.elementType(), SourceRange()).V;
  emitNest(A.V, A.Ty, [&](const std::vector<ir::ValueId> &Idx) {
    std::vector<ir::ValueId> Ops{X, A.V};
    Ops.insert(Ops.end(), Idx.begin(), Idx.end());
    B.create(ir::OpKind::ArrayStore, Ops, {});
  });
}

TypedValue FunctionLowerer::copyArray(TypedValue Src, Type Elem) {
  std::vector<ir::ValueId> Dims;
  for (unsigned K = 0; K < Src.Ty.ndim(); ++K)
    Dims.push_back(arrayDim(Src.V, K));
  TypedValue Dst = allocArray(Elem, Dims);
  emitNest(Src.V, Src.Ty, [&](const std::vector<ir::ValueId> &Idx) {
    std::vector<ir::ValueId> LOps{Src.V};
    LOps.insert(LOps.end(), Idx.begin(), Idx.end());
    ir::ValueId X = B.create1(ir::OpKind::ArrayLoad, LOps, Src.Ty.elementType());
    std::vector<ir::ValueId> SOps{B.cast(X, Elem), Dst.V};
    SOps.insert(SOps.end(), Idx.begin(), Idx.end());
    B.create(ir::OpKind::ArrayStore, SOps, {});
  });
  return Dst;
}

/// Finds keyword \p Name in a call, or null.
static const ast::Expr *keywordArg(const ast::CallExpr &E, llvm::StringRef Name) {
  for (const ast::Keyword &K : E.Keywords)
    if (K.Name == Name)
      return K.Value.get();
  return nullptr;
}

TypedValue FunctionLowerer::lowerNumpyCall(llvm::StringRef Fn, const ast::CallExpr &E) {
  size_t N = E.Args.size();
  if (isReductionFn(Fn))
    return lowerReductionCall(Fn, E, nullptr);
  if (isArrayFunction(Fn))
    return lowerArrayFunction(Fn, E);
  if (Fn == "reshape" && N == 2 && E.Keywords.empty()) {
    TypedValue A = lowerArrayArg(*E.Args[0]);
    return A.ok() ? reshapeView(A, {E.Args[1].get()}, E.Range) : bad();
  }
  if (isShapeFunction(Fn))
    return lowerShapeFunction(Fn, E, bad());
  if (isSearchFunction(Fn))
    return lowerSearchFunction(Fn, E, bad());
  if (isSignalFunction(Fn))
    return lowerSignalFunction(Fn, E);
  if ((Fn == "inner" || Fn == "vdot") && N == 2 && E.Keywords.empty()) {
    // Of 1-D arrays: the dot product (vdot flattens first; complex numbers
    // are not supported yet, as vdot conjugates its first operand).
    TypedValue A = lowerArrayArg(*E.Args[0]), C = lowerArrayArg(*E.Args[1]);
    if (!A.ok() || !C.ok())
      return bad();
    if (Fn == "vdot") {
      A = flatView(A, E.Range);
      C = flatView(C, E.Range);
    }
    if (A.Ty.ndim() != 1 || C.Ty.ndim() != 1 || A.Ty.elementType().isComplex() ||
        C.Ty.elementType().isComplex()) {
      diag(DiagID::Unsupported, E.Range,
           {"`np." + Fn.str() + "` of anything but real 1-D arrays", "is"});
      return bad();
    }
    return lowerMatMul(A, C, E.Range, /*IsDot=*/true);
  }
  if ((Fn == "dot" || Fn == "matmul") && E.Keywords.empty()) {
    size_t Want = 2;
    if (N != Want) {
      diag(DiagID::WrongArity, E.Range, {"np." + Fn.str(), std::to_string(Want), std::to_string(N)});
      return bad();
    }
    TypedValue A = lowerExpr(*E.Args[0]);
    TypedValue C = lowerExpr(*E.Args[1]);
    return lowerMatMul(A, C, E.Range, Fn == "dot");
  }
  auto Arity = [&](const char *Want) {
    diag(DiagID::WrongArity, E.Range, {"np." + Fn.str(), Want, std::to_string(N)});
    return bad();
  };
  // Each function's keywords; any other is refused, never ignored.
  bool TakesDtype = Fn == "empty" || Fn == "zeros" || Fn == "ones" || Fn == "full" ||
                    Fn == "empty_like" || Fn == "zeros_like" || Fn == "ones_like" ||
                    Fn == "full_like" || Fn == "arange" || Fn == "linspace" || Fn == "array" ||
                    Fn == "eye" || Fn == "identity";
  for (const ast::Keyword &K : E.Keywords) {
    bool Known = (TakesDtype && K.Name == "dtype") || (Fn == "full" && K.Name == "fill_value") ||
                 ((Fn == "linspace") && (K.Name == "num" || K.Name == "endpoint"));
    if (!Known) {
      diag(DiagID::BadKeyword, K.Range, {"np." + Fn.str(), K.Name});
      return bad();
    }
  }
  const ast::Expr *DtypeE = keywordArg(E, "dtype");

  if (Fn == "empty" || Fn == "zeros" || Fn == "ones" || Fn == "full") {
    size_t Want = Fn == "full" ? 2 : 1;
    if (Fn == "full" && N >= 2 && keywordArg(E, "fill_value")) {
      diag(DiagID::MultipleValues, E.Range, {"np.full", "fill_value"});
      return bad();
    }
    if (N == Want + 1 && DtypeE) {
      diag(DiagID::MultipleValues, E.Range, {"np." + Fn.str(), "dtype"});
      return bad();
    }
    if (N == Want + 1) // np.zeros(3, np.int64)
      DtypeE = E.Args[Want].get();
    else if (N != Want && !(Fn == "full" && N == 1 && keywordArg(E, "fill_value")))
      return Arity(Fn == "full" ? "2" : "1");
    auto Dims = shapeArg(*E.Args[0]);
    if (!Dims)
      return bad();
    TypedValue Fill;
    if (Fn == "full") {
      const ast::Expr *FE = N >= 2 ? E.Args[1].get() : keywordArg(E, "fill_value");
      Fill = lowerNumberArg(*FE, "a number to fill with");
      if (!Fill.ok())
        return bad();
    }
    Type Elem = Type::float64();
    if (DtypeE) {
      auto D = dtypeArg(*DtypeE);
      if (!D)
        return bad();
      Elem = *D;
    } else if (Fn == "full") {
      Elem = Fill.Ty; // np.full(3, 7) is an int64 array
    }
    TypedValue A = allocArray(Elem, *Dims);
    if (Fn == "zeros")
      fillArray(A, {typedConst(Elem, 0), Elem});
    else if (Fn == "ones")
      fillArray(A, {typedConst(Elem, 1), Elem});
    else if (Fn == "full")
      fillArray(A, Fill);
    return A;
  }

  if (Fn == "empty_like" || Fn == "zeros_like" || Fn == "ones_like" || Fn == "full_like") {
    size_t Want = Fn == "full_like" ? 2 : 1;
    if (N != Want)
      return Arity(Fn == "full_like" ? "2" : "1");
    TypedValue Src = lowerArrayArg(*E.Args[0]);
    if (!Src.ok())
      return bad();
    Type Elem = Src.Ty.elementType();
    if (DtypeE) {
      auto D = dtypeArg(*DtypeE);
      if (!D)
        return bad();
      Elem = *D;
    }
    std::vector<ir::ValueId> Dims;
    for (unsigned K = 0; K < Src.Ty.ndim(); ++K)
      Dims.push_back(arrayDim(Src.V, K));
    TypedValue A = allocArray(Elem, Dims);
    if (Fn == "zeros_like")
      fillArray(A, constInt(0));
    else if (Fn == "ones_like")
      fillArray(A, constInt(1));
    else if (Fn == "full_like") {
      // (A non-number used to be dropped without a diagnostic.)
      TypedValue Fill = lowerNumberArg(*E.Args[1], "a number to fill with");
      if (!Fill.ok())
        return bad();
      fillArray(A, Fill);
    }
    return A;
  }

  if (Fn == "arange") {
    if (N < 1 || N > 3)
      return Arity("1 to 3");
    std::vector<TypedValue> Args;
    Type T = Type::int64();
    for (auto &A : E.Args) {
      TypedValue V = lowerNumberArg(*A, "a number for `np.arange`");
      if (!V.ok())
        return bad();
      if (V.Ty.isFloat())
        T = Type::float64();
      Args.push_back(V);
    }
    if (DtypeE) {
      auto D = dtypeArg(*DtypeE);
      if (!D)
        return bad();
      if (D->isBool() || D->isComplex()) {
        diag(DiagID::Unsupported, DtypeE->Range,
             {"`np.arange(..., dtype=" + D->str() + ")`", "is"});
        return bad();
      }
      T = *D;
    }
    TypedValue Start = N == 1 ? constInt(0) : Args[0];
    TypedValue Stop = N == 1 ? Args[0] : Args[1];
    TypedValue Step = N == 3 ? Args[2] : constInt(1);
    // Integer operands count in int64; any float makes the whole range float
    // (NumPy computes in the operands' type, then casts to dtype).
    bool Ints = !Start.Ty.isFloat() && !Stop.Ty.isFloat() && !Step.Ty.isFloat();
    Type D = Ints ? Type::int64() : Type::float64();
    ir::ValueId S0 = convert(Start, D, E.Range, "start").V;
    ir::ValueId S1 = convert(Stop, D, E.Range, "stop").V;
    ir::ValueId St = convert(Step, D, E.Range, "step").V;
    raiseIf(B.cmp("eq", St, Ints ? B.constInt(0) : B.constFloat(0.0)), "ZeroDivisionError",
            Ints ? "division by zero" : "float division by zero");
    ir::ValueId Len = mathOp("arange_len", {S0, S1, St}, Type::int64());
    TypedValue A = allocArray(T, {Len});
    // NumPy fills with start + i * delta, where for floats delta is the step
    // as represented next to start: (start + step) - start.
    ir::ValueId Delta =
        Ints ? St : B.create1(ir::OpKind::Sub, {B.create1(ir::OpKind::Add, {S0, St}, D), S0}, D);
    // With another dtype, NumPy converts the first two values to it and
    // fills on in that type: start' + i * (second' - start'), wrapping for
    // ints (np.arange(-3, 3, 1.5, dtype=int) is [-3, -1, 1, 3]).
    ir::ValueId Start0 = S0;
    Type C = D;
    if (T != D) {
      Start0 = B.cast(S0, T);
      ir::ValueId Second = B.cast(B.create1(ir::OpKind::Add, {S0, St}, D), T);
      Delta = numpyOp(ir::OpKind::Sub, {Second, Start0}, T);
      C = T;
    }
    ir::OpId For = B.create(ir::OpKind::For, {B.constInt(0), Len, B.constInt(1)}, {}, 1);
    ir::RegionId R = F->op(For).Regions[0];
    ir::ValueId I = F->addRegionArg(R, Type::int64(), "i");
    inRegion(R, [&] {
      ir::ValueId Off = numpyOp(ir::OpKind::Mul, {B.cast(I, C), Delta}, C);
      ir::ValueId V = numpyOp(ir::OpKind::Add, {Start0, Off}, C);
      // The first element is start itself (0 * inf would be NaN).
      if (C.isFloating())
        V = B.create1(ir::OpKind::Select, {B.cmp("eq", I, B.constInt(0)), Start0, V}, C);
      B.create(ir::OpKind::ArrayStore, {B.cast(V, T), A.V, I}, {});
    });
    return A;
  }

  if (Fn == "linspace") {
    if (N < 2 || N > 3)
      return Arity("2 or 3");
    if (N == 3 && keywordArg(E, "num")) {
      diag(DiagID::MultipleValues, E.Range, {"np.linspace", "num"});
      return bad();
    }
    return linspaceOf(*E.Args[0], *E.Args[1], N == 3 ? E.Args[2].get() : keywordArg(E, "num"),
                      keywordArg(E, "endpoint"), DtypeE, E.Range);
  }

  if (Fn == "array") {
    if (N != 1)
      return Arity("1");
    auto *L = dyn_cast<ast::ListExpr>(E.Args[0].get());
    auto *TE = dyn_cast<ast::TupleExpr>(E.Args[0].get());
    const std::vector<ast::ExprPtr> *Elts = L ? &L->Elts : TE ? &TE->Elts : nullptr;
    // A list value, or a literal of lists or tuples: through a list.
    bool Nested = Elts && llvm::any_of(*Elts, [](const ast::ExprPtr &X) {
                    return isa<ast::ListExpr>(X.get()) || isa<ast::TupleExpr>(X.get()) ||
                           isa<ast::CompExpr>(X.get());
                  });
    if (!Elts || (L && Nested)) {
      TypedValue V = lowerExpr(*E.Args[0]);
      if (!V.ok())
        return bad();
      if (!V.Ty.isList()) {
        diag(DiagID::Unsupported, E.Args[0]->Range,
             {"`np.array()` of anything but numbers, lists and lists of lists", "is"});
        return bad();
      }
      std::optional<Type> D;
      if (DtypeE && !(D = dtypeArg(*DtypeE)))
        return bad();
      return listToArray(V, D, E.Range);
    }
    std::vector<TypedValue> Vals;
    Type Elem;
    for (auto &X : *Elts) {
      TypedValue V = lowerExpr(*X);
      if (!V.ok())
        return bad();
      if (!V.Ty.isScalar()) {
        diag(DiagID::Unsupported, X->Range, {"nested lists in `np.array()`", "are"});
        return bad();
      }
      Elem = joinTypes(Elem, V.Ty);
      Vals.push_back(V);
    }
    if (!Elem.isValid())
      Elem = Type::float64(); // np.array([]) is float64
    if (DtypeE) {
      auto D = dtypeArg(*DtypeE);
      if (!D)
        return bad();
      Elem = *D;
    }
    TypedValue A = allocArray(Elem, {B.constInt(Vals.size())});
    for (size_t I = 0; I < Vals.size(); ++I)
      B.create(ir::OpKind::ArrayStore,
               {castScalar(Vals[I], Elem, E.Range).V, A.V, B.constInt(I)}, {});
    return A;
  }

  // NumPy's element-wise functions (np.sqrt, np.where, ...) of scalars
  // and arrays are lowered by LowerArrayExpr.cpp before reaching here.
  // Scalar types as functions: np.float64(x), np.int64(x), np.bool_(x).
  // The sized ones too (np.float32(x), np.uint8(x)): a Python int must fit.
  if (std::optional<Type> T = scalarTypeFn(Fn)) {
    if (N != 1)
      return Arity("1");
    TypedValue V = lowerNumberArg(*E.Args[0], "a number");
    if (!V.ok())
      return bad();
    if (T->isBool())
      return truthy(V, E.Range);
    return castScalar(V, *T, E.Range);
  }

  if (Fn == "eye" || Fn == "identity") {
    // np.eye(n[, m]) and np.identity(n): ones on the main diagonal.
    if (N < 1 || N > (Fn == "eye" ? 2u : 1u))
      return Arity(Fn == "eye" ? "1 or 2" : "1");
    std::vector<ir::ValueId> Dims;
    for (size_t I = 0; I < N; ++I) {
      TypedValue D = lowerExpr(*E.Args[I]);
      if (!D.ok())
        return bad();
      if (!D.Ty.isInt()) {
        diag(DiagID::TypeMismatch, E.Args[I]->Range, {"an int size", pyTypeName(D.Ty)});
        return bad();
      }
      Dims.push_back(D.V);
    }
    if (Dims.size() == 1)
      Dims.push_back(Dims[0]);
    Type Elem = Type::float64();
    if (DtypeE) {
      auto D = dtypeArg(*DtypeE);
      if (!D)
        return bad();
      Elem = *D;
    }
    TypedValue A = allocArray(Elem, Dims);
    fillArray(A, constInt(0));
    // for i in range(min(n, m)): a[i, i] = 1
    ir::ValueId Less = B.cmp("lt", Dims[0], Dims[1]);
    ir::ValueId Diag = B.create1(ir::OpKind::Select, {Less, Dims[0], Dims[1]}, Type::int64());
    ir::OpId For = B.create(ir::OpKind::For, {B.constInt(0), Diag, B.constInt(1)}, {}, 1);
    ir::RegionId R = F->op(For).Regions[0];
    ir::ValueId I = F->addRegionArg(R, Type::int64(), "i");
    inRegion(R, [&] {
      B.create(ir::OpKind::ArrayStore, {B.cast(B.constInt(1), Elem), A.V, I, I}, {});
    });
    return A;
  }

  if (Fn == "copy") {
    if (N != 1)
      return Arity("1");
    TypedValue Src = lowerArrayArg(*E.Args[0]);
    if (!Src.ok())
      return bad();
    return copyArray(Src, Src.Ty.elementType());
  }

  diag(DiagID::UnsupportedCall, E.Func->Range, {"np." + Fn.str()});
  return bad();
}

TypedValue FunctionLowerer::lowerArrayMethod(TypedValue A, llvm::StringRef Name,
                                             const ast::CallExpr &E) {
  size_t N = E.Args.size();
  if (Name == "copy" && N == 0 && E.Keywords.empty())
    return copyArray(A, A.Ty.elementType());
  if (Name == "astype" && N == 1) {
    // copy=False: the array itself when it already has the type.
    bool Copy = true;
    for (const ast::Keyword &K : E.Keywords) {
      auto *BL = dyn_cast<ast::BoolLitExpr>(K.Value.get());
      if (K.Name != "copy") {
        diag(DiagID::BadKeyword, K.Range, {".astype", K.Name});
        return bad();
      }
      if (!BL) {
        diag(DiagID::Unsupported, K.Value->Range, {"a `copy=` that is not True or False", "is"});
        return bad();
      }
      Copy = BL->Value;
    }
    auto D = dtypeArg(*E.Args[0]);
    if (!D)
      return bad();
    if (!Copy && *D == A.Ty.elementType())
      return A;
    return copyArray(A, *D);
  }
  if (Name == "reshape" && N >= 1 && E.Keywords.empty()) {
    std::vector<const ast::Expr *> Args;
    for (auto &X : E.Args)
      Args.push_back(X.get());
    return reshapeView(A, Args, E.Range);
  }
  if ((Name == "ravel" || Name == "flatten") && N == 0 && E.Keywords.empty()) {
    // ravel: a view when it can be; flatten: always a copy.
    ast::IntLitExpr M1(E.Range);
    M1.Value = -1;
    return reshapeView(Name == "flatten" ? copyArray(A, A.Ty.elementType()) : A, {&M1}, E.Range);
  }
  if (Name == "sort" && N == 1 && E.Keywords.size() == 1 && E.Keywords[0].Name == "axis") {
    diag(DiagID::MultipleValues, E.Keywords[0].Range, {".sort", "axis"});
    return bad();
  }
  if (Name == "sort" && N + E.Keywords.size() <= 1 &&
      (E.Keywords.empty() || E.Keywords[0].Name == "axis")) {
    sortInPlace(A, N == 1 ? E.Args[0].get() : E.Keywords.empty() ? nullptr : E.Keywords[0].Value.get(),
                E.Range);
    return {ir::ValueId(), Type::none()};
  }
  if (Name == "transpose" || Name == "squeeze" || Name == "swapaxes" || Name == "diagonal" ||
      Name == "trace")
    return lowerShapeFunction(Name, E, A);
  if (Name == "argsort" || Name == "searchsorted" || Name == "nonzero")
    return lowerSearchFunction(Name, E, A);
  if (Name == "cumsum" || Name == "cumprod") {
    auto Got = bindNumpyArgs(E, "." + Name.str(), {"axis", "dtype", "out"}, 0);
    if (!Got)
      return bad();
    for (const char *P : {"dtype", "out"})
      if (Got->count(P) && !isa<ast::NoneLitExpr>(Got->at(P))) {
        diag(DiagID::Unsupported, Got->at(P)->Range, {"`" + std::string(P) + "=` of ." + Name.str(), "is"});
        return bad();
      }
    return cumulative(Name == "cumprod" ? "multiply" : "add", leafExpr(A, E.Range),
                      Got->count("axis") ? Got->at("axis") : nullptr, E.Range);
  }
  if ((Name == "conj" || Name == "conjugate") && N == 0 && E.Keywords.empty() &&
      !A.Ty.elementType().isComplex())
    return A; // NumPy's method gives a real array itself
  if (Name == "clip" || Name == "conj" || Name == "conjugate" || (Name == "round" && N == 0)) {
    // The element-wise function of the array and the arguments.
    auto Got = Name == "clip" ? bindNumpyArgs(E, ".clip", {"min", "max"}, 2)
                              : bindNumpyArgs(E, "." + Name.str(), {}, 0);
    if (!Got)
      return bad();
    std::vector<ArrayExprPtr> Kids;
    Kids.push_back(leafExpr(A, E.Range));
    if (Name == "clip")
      for (const char *P : {"min", "max"}) {
        Kids.push_back(buildArrayExpr(*Got->at(P)));
        if (!Kids.back())
          return bad();
      }
    ArrayExprPtr R = combine(ArrayExpr::Kind::Func, 0, Name == "conjugate" ? "conj" : Name,
                             std::move(Kids), E.Range);
    return R ? materialize(*R) : bad();
  }
  if (Name == "item") {
    // The one element of a size-1 array, or the element at a flat index, as
    // a Python number.
    for (const ast::Keyword &K : E.Keywords) { // (positional only)
      diag(DiagID::BadKeyword, K.Range, {".item", K.Name});
      return bad();
    }
    auto Got = bindNumpyArgs(E, ".item", {"index"}, 0);
    if (!Got)
      return bad();
    TypedValue Flat = flatView(A, E.Range);
    ir::ValueId N0 = arrayDim(Flat.V, 0);
    ir::ValueId I = B.constInt(0);
    if (Got->count("index")) {
      I = intArg(*Got->at("index"), "index");
      if (!I.isValid())
        return bad();
      ir::ValueId Out = B.create1(ir::OpKind::BitOr,
                                  {B.cmp("lt", I, B.create1(ir::OpKind::Neg, {N0}, Type::int64())),
                                   B.cmp("ge", I, N0)},
                                  Type::boolean());
      raiseFmtIf(Out, "IndexError", "index {} is out of bounds for size {}", {I, N0});
      I = B.create1(ir::OpKind::Select,
                    {B.cmp("lt", I, B.constInt(0)),
                     B.create1(ir::OpKind::Add, {I, N0}, Type::int64()), I},
                    Type::int64());
    } else {
      raiseIf(B.cmp("ne", N0, B.constInt(1)), "ValueError",
              "can only convert an array of size 1 to a Python scalar");
    }
    Type T = A.Ty.elementType();
    // (A Python number: NumPy's sized types widen to float, int, complex.)
    Type PT = T.isBool()      ? T
              : T.isComplex() ? Type::scalar(TypeKind::Complex128)
              : T.isFloating() ? Type::float64()
                               : Type::int64();
    ir::ValueId V = B.create1(ir::OpKind::ArrayLoad, {Flat.V, I}, T);
    if (T.kind() == TypeKind::UInt64) {
      diag(DiagID::Unsupported, E.Range, {"`.item()` of uint64 values", "is"});
      return bad();
    }
    return {B.cast(V, PT), PT};
  }
  if (Name == "dot" && N == 1 && E.Keywords.empty())
    return lowerMatMul(A, lowerExpr(*E.Args[0]), E.Range, /*IsDot=*/true);
  if (Name == "fill" && N == 1) {
    TypedValue V = lowerNumberArg(*E.Args[0], "a number to fill with");
    if (!V.ok())
      return bad();
    fillArray(A, V);
    return {ir::ValueId(), Type::none()};
  }
  diag(DiagID::Unsupported, E.Func->Range, {"the array method `." + Name.str() + "()`", "is"});
  return bad();
}

/// np.linspace(start, stop, num=50, endpoint=True, dtype=None), as NumPy
/// computes it.
TypedValue FunctionLowerer::linspaceOf(const ast::Expr &StartE, const ast::Expr &StopE,
                                     const ast::Expr *NumE, const ast::Expr *EndpointE,
                                     const ast::Expr *DtypeE, SourceRange Site) {
  TypedValue Start = lowerExpr(StartE), Stop = lowerExpr(StopE);
  TypedValue Num = NumE ? lowerExpr(*NumE) : constInt(50);
  if (!Start.ok() || !Stop.ok() || !Num.ok())
    return bad();
  bool Endpoint = true;
  if (const ast::Expr *EP = EndpointE) {
    auto *BL = dyn_cast<ast::BoolLitExpr>(EP);
    if (!BL) {
      diag(DiagID::Unsupported, EP->Range, {"a non-constant `endpoint=`", "is"});
      return bad();
    }
    Endpoint = BL->Value;
  }
  Type F64 = Type::float64();
  // dtype=: the float64 samples converted as `astype` does, after NumPy's
  // floor for an integer type.
  Type Elem = F64;
  if (DtypeE) {
    auto D = dtypeArg(*DtypeE);
    if (!D)
      return bad();
    Elem = *D;
  }
  ir::ValueId S0 = convert(Start, F64, Site, "start").V;
  ir::ValueId S1 = convert(Stop, F64, Site, "stop").V;
  ir::ValueId Cnt = convert(Num, Type::int64(), Site, "num").V;
  ir::ValueId IsNeg = B.cmp("lt", Cnt, B.constInt(0));
  raiseFmtIf(IsNeg, "ValueError", "Number of samples, {}, must be non-negative.", {Cnt});
  TypedValue A = allocArray(Elem, {Cnt});
  auto Sample = [&](ir::ValueId X) {
    if (Elem.isInteger() && !Elem.isBool())
      X = mathOp("floor", {X}, F64);
    return B.cast(X, Elem);
  };
  // NumPy: step = (stop - start) / div, div = num - 1 (endpoint) or num;
  // y[i] = start + i * step, and the last value is exactly stop.
  ir::ValueId Div = Endpoint ? B.create1(ir::OpKind::Sub, {Cnt, B.constInt(1)}, Type::int64()) : Cnt;
  ir::ValueId DivF = B.cast(Div, F64);
  ir::ValueId Delta = B.create1(ir::OpKind::Sub, {S1, S0}, F64);
  ir::ValueId HasDiv = B.cmp("gt", Div, B.constInt(0));
  ir::OpId ForOp = B.create(ir::OpKind::For, {B.constInt(0), Cnt, B.constInt(1)}, {}, 1);
  ir::RegionId R = F->op(ForOp).Regions[0];
  ir::ValueId I = F->addRegionArg(R, Type::int64(), "i");
  inRegion(R, [&] {
    TypedValue V = branchValue(
        HasDiv,
        [&]() -> TypedValue {
          ir::ValueId Step = B.create1(ir::OpKind::Div, {Delta, DivF}, F64);
          ir::ValueId X = B.create1(ir::OpKind::Mul, {B.cast(I, F64), Step}, F64);
          return {B.create1(ir::OpKind::Add, {S0, X}, F64), F64};
        },
        [&]() -> TypedValue {
          ir::ValueId X = B.create1(ir::OpKind::Mul, {B.cast(I, F64), Delta}, F64);
          return {B.create1(ir::OpKind::Add, {S0, X}, F64), F64};
        },
        Site);
    B.create(ir::OpKind::ArrayStore, {Sample(V.V), A.V, I}, {});
  });
  if (Endpoint) {
    ir::ValueId HasLast = B.cmp("gt", Cnt, B.constInt(1));
    ir::OpId If2 = B.create(ir::OpKind::If, {HasLast}, {}, 2);
    inRegion(F->op(If2).Regions[0], [&] {
      B.create(ir::OpKind::ArrayStore, {Sample(S1), A.V, Div}, {});
    });
  }
  return A;
}

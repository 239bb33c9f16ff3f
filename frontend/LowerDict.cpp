//===- LowerDict.cpp - Python dicts and sets -------------------------------===//
//
// dict<K, V> and set<K> are references, like lists (LowerList.cpp), with
// keys that are numbers (not complex) or tuples of numbers. An empty `{}`
// or `set()` is dict<none, none> / set<none> until something is stored:
// `d[k] = v`, `d.setdefault(k, v)`, `s.add(x)` on a variable widen its type,
// as `xs.append(v)` does for lists.
//
// Iteration follows insertion order, and a dict or set that changes size
// while a loop runs over it raises CPython's RuntimeError when the loop
// asks for the next item.
//
//===----------------------------------------------------------------------===//

#include "frontend/LowerImpl.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/Casting.h"

using namespace kiln;
using namespace kiln::lower;
using llvm::dyn_cast;
using llvm::isa;

namespace {
bool isMapping(Type T) { return T.isDict() || T.isSet(); }
} // namespace

bool FunctionLowerer::keyTypeOk(Type K, SourceRange Site) {
  bool Ok = (K.isScalar() && !K.isComplex()) ||
            (K.isTuple() && llvm::all_of(K.elements(), [](Type E) {
               return E.isScalar() && !E.isComplex();
             }));
  if (!Ok)
    diag(DiagID::Unsupported, Site,
         {"dict keys and set items of type `" + pyTypeName(K) +
              "` (numbers and tuples of numbers are)",
          "are"});
  return Ok;
}

Type FunctionLowerer::staticDictType(const ast::Expr &E) {
  if (auto *N = dyn_cast<ast::NameExpr>(&E)) {
    std::string Id = scopedName(N->Id);
    if (!isLocal(Id))
      return Type();
    auto It = S.Vars.find(Id);
    return It != S.Vars.end() && It->second.Ty.isValid() && isMapping(It->second.Ty)
               ? It->second.Ty
               : Type();
  }
  if (auto *Sub = dyn_cast<ast::SubscriptExpr>(&E)) {
    Type L = staticListType(*Sub->Value);
    if (!L.isValid())
      L = staticDictType(*Sub->Value);
    Type Item = L.isList() ? L.elementType() : L.isDict() ? L.valueType() : Type();
    return Item.isValid() && isMapping(Item) ? Item : Type();
  }
  return Type();
}

void FunctionLowerer::widenDictVar(const ast::Expr &Base, Type K, Type V) {
  auto *N = dyn_cast<ast::NameExpr>(&Base);
  if (!N || emitting())
    return;
  auto It = S.Vars.find(scopedName(N->Id));
  if (It == S.Vars.end() || !It->second.Ty.isValid() || !isMapping(It->second.Ty) ||
      It->second.DeclaredTy.isValid())
    return;
  Type T = It->second.Ty;
  auto Join = [](Type Old, Type New) {
    return Old.isNone() ? New : New.isNone() ? Old : joinTypes(Old, New);
  };
  Type NK = Join(T.keyType(), K);
  Type NT = T.isDict() ? Type::dict(NK, V.isValid() ? Join(T.valueType(), V) : T.valueType())
                       : Type::set(NK);
  if (NK.isValid() && (!T.isDict() || NT.valueType().isValid()) && NT != T) {
    It->second.Ty = NT;
    Changed = true;
  }
}

TypedValue FunctionLowerer::toKey(TypedValue K, TypedValue D, SourceRange Site) {
  if (!K.ok())
    return bad();
  Type KT = D.Ty.keyType();
  if (KT.isNone()) {
    if (emitting())
      diag(DiagID::Unsupported, Site,
           {"a dict or set whose key type Kiln cannot tell here (annotate it: "
            "`d: dict[int, float] = {}`)",
            "is"});
    return bad();
  }
  if (!keyTypeOk(K.Ty, Site))
    return bad();
  // A key never narrows (a float64 looked up in a float32 dict would find
  // the wrong entry).
  if (K.Ty != KT && K.Ty.isScalar() && KT.isScalar() && joinTypes(K.Ty, KT) != KT &&
      !(K.Ty.isInt() && KT.isInteger())) {
    diag(DiagID::Unsupported, Site,
         {"a `" + pyTypeName(K.Ty) + "` key in a `" + pyTypeName(D.Ty) + "`", "is"});
    return bad();
  }
  return convert(K, KT, Site, "a key of a `" + pyTypeName(D.Ty) + "`");
}

TypedValue FunctionLowerer::toValue(TypedValue V, TypedValue D, SourceRange Site) {
  if (!V.ok())
    return bad();
  Type VT = D.Ty.valueType();
  if (VT.isNone()) {
    if (emitting())
      diag(DiagID::Unsupported, Site,
           {"a dict whose value type Kiln cannot tell here (annotate it: "
            "`d: dict[int, float] = {}`)",
            "is"});
    return bad();
  }
  if (!listElementOk(V.Ty, Site))
    return bad();
  return convert(V, VT, Site, "a value of a `" + pyTypeName(D.Ty) + "`");
}

TypedValue FunctionLowerer::newDict(Type T) {
  ir::ValueId D = B.create1(ir::OpKind::DictNew, {}, T);
  FreshList = D;
  return {D, T};
}

TypedValue FunctionLowerer::lowerDictLiteral(const ast::DictExpr &E) {
  std::vector<TypedValue> Ks, Vs;
  Type KT = Type::none(), VT = Type::none();
  for (size_t I = 0; I < E.Keys.size(); ++I) {
    TypedValue K = lowerExpr(*E.Keys[I]);
    TypedValue V = lowerExpr(*E.Values[I]);
    if (!K.ok() || !V.ok() || !keyTypeOk(K.Ty, E.Keys[I]->Range) ||
        !listElementOk(V.Ty, E.Values[I]->Range))
      return bad();
    KT = I ? joinTypes(KT, K.Ty) : K.Ty;
    VT = I ? joinTypes(VT, V.Ty) : V.Ty;
    if (!KT.isValid() || !VT.isValid()) {
      diag(DiagID::TypeMismatch, (KT.isValid() ? E.Values[I] : E.Keys[I])->Range,
           {"keys of one type and values of one type in a dict", pyTypeName(K.Ty)});
      return bad();
    }
    Ks.push_back(K);
    Vs.push_back(V);
  }
  TypedValue D = newDict(Type::dict(KT, VT));
  for (size_t I = 0; I < Ks.size(); ++I) {
    TypedValue K = convert(Ks[I], KT, E.Keys[I]->Range, "a key");
    TypedValue V = convert(Vs[I], VT, E.Values[I]->Range, "a value");
    if (!K.ok() || !V.ok())
      return bad();
    B.create(ir::OpKind::DictInsert, {D.V, K.V, V.V}, {});
  }
  FreshList = D.V;
  return D;
}

TypedValue FunctionLowerer::lowerSetLiteral(const ast::SetExpr &E) {
  std::vector<TypedValue> Ks;
  Type KT;
  for (auto &X : E.Elts) {
    TypedValue K = lowerExpr(*X);
    if (!K.ok() || !keyTypeOk(K.Ty, X->Range))
      return bad();
    KT = KT.isValid() ? joinTypes(KT, K.Ty) : K.Ty;
    if (!KT.isValid()) {
      diag(DiagID::TypeMismatch, X->Range, {"items of one type in a set", pyTypeName(K.Ty)});
      return bad();
    }
    Ks.push_back(K);
  }
  TypedValue D = newDict(Type::set(KT));
  for (size_t I = 0; I < Ks.size(); ++I) {
    TypedValue K = convert(Ks[I], KT, E.Elts[I]->Range, "a set item");
    if (!K.ok())
      return bad();
    B.create(ir::OpKind::DictInsert, {D.V, K.V}, {});
  }
  FreshList = D.V;
  return D;
}

TypedValue FunctionLowerer::lowerMappingComp(const ast::CompExpr &C) {
  // As lowerComp: the type is what inference settled on for this one.
  Type &KT = S.CompTypes[&C];
  Type &VT = S.CompTypes[&C.Value]; // (C.Value.get() is the value's own key)
  Type T = C.IsDict ? Type::dict(KT.isValid() ? KT : Type::none(), VT.isValid() ? VT : Type::none())
                    : Type::set(KT.isValid() ? KT : Type::none());
  ir::ValueId D = B.create1(ir::OpKind::DictNew, {}, T);
  bool Ok = true;
  forEachCompItem(C, 0, [&] {
    TypedValue K = lowerExpr(*C.Elt);
    TypedValue V = C.IsDict ? lowerExpr(*C.Value) : TypedValue{ir::ValueId(), Type::none()};
    if (!K.ok() || (C.IsDict && !V.ok()) || !keyTypeOk(K.Ty, C.Elt->Range) ||
        (C.IsDict && !listElementOk(V.Ty, C.Value->Range))) {
      Ok = false;
      return;
    }
    auto Widen = [&](Type &Slot, Type New, const ast::Expr &At) {
      Type J = Slot.isValid() ? joinTypes(Slot, New) : New;
      if (!J.isValid()) {
        diag(DiagID::TypeMismatch, At.Range,
             {"items of one type (`" + pyTypeName(Slot) + "` elsewhere)", pyTypeName(New)});
        Ok = false;
        return;
      }
      if (J != Slot) {
        assert(!emitting() && "comprehension type widened during emission");
        Slot = J;
        Changed = true;
      }
    };
    Widen(KT, K.Ty, *C.Elt);
    if (C.IsDict)
      Widen(VT, V.Ty, *C.Value);
    if (!Ok || T.keyType().isNone() || (C.IsDict && T.valueType().isNone()))
      return; // inference: the types are not known yet
    TypedValue CK = convert(K, T.keyType(), C.Elt->Range, "a key");
    if (!CK.ok())
      return;
    if (!C.IsDict) {
      B.create(ir::OpKind::DictInsert, {D, CK.V}, {});
      return;
    }
    TypedValue CV = convert(V, T.valueType(), C.Value->Range, "a value");
    if (CV.ok())
      B.create(ir::OpKind::DictInsert, {D, CK.V, CV.V}, {});
  }, Ok);
  if (!Ok)
    return bad();
  FreshList = D;
  return {D, T};
}

//===----------------------------------------------------------------------===//
// Items
//===----------------------------------------------------------------------===//

TypedValue FunctionLowerer::dictValue(TypedValue D, TypedValue K, SourceRange Site) {
  // d[k]: KeyError(k) when k is not a key.
  ir::ValueId Has = B.create1(ir::OpKind::DictContains, {D.V, K.V}, Type::boolean());
  ir::OpId If = B.create(ir::OpKind::If, {B.create1(ir::OpKind::Not, {Has}, Type::boolean())}, {}, 2);
  inRegion(F->op(If).Regions[0], [&] { raiseKeyError(K); });
  Type VT = D.Ty.valueType();
  return {B.create1(ir::OpKind::DictGet, {D.V, K.V}, VT), VT};
}

void FunctionLowerer::raiseKeyError(TypedValue K) {
  // KeyError(k); for a tuple key its items (str(KeyError(1, 2.5)) is
  // str(KeyError((1, 2.5))): "(1, 2.5)").
  auto Arg = [&](TypedValue X) {
    if (X.Ty.isInteger() && X.Ty.isSized())
      return B.cast(X.V, Type::int64());
    return X.Ty.isFloat32() ? B.cast(X.V, Type::float64()) : X.V;
  };
  std::vector<ir::ValueId> Args;
  if (K.Ty.isTuple())
    for (size_t I = 0; I < K.Ty.elements().size(); ++I) {
      ir::ValueId X = B.create1(ir::OpKind::TupleGet, {K.V}, K.Ty.elements()[I]);
      F->op(F->definingOp(X)).Attrs.set("index", (int64_t)I);
      Args.push_back(Arg({X, K.Ty.elements()[I]}));
    }
  else
    Args.push_back(Arg(K));
  emitRaise("KeyError", Args);
}

TypedValue FunctionLowerer::dictSubscript(TypedValue D, const ast::SubscriptExpr &E) {
  if (!D.Ty.isDict()) {
    diag(DiagID::Unsupported, E.Range, {"subscripts of a set", "are"});
    return bad();
  }
  TypedValue K = toKey(lowerExpr(*E.Index), D, E.Index->Range);
  if (!K.ok())
    return bad();
  if (D.Ty.valueType().isNone()) {
    diag(DiagID::Unsupported, E.Range,
         {"reading a dict whose value type Kiln cannot tell (annotate it: "
          "`d: dict[int, float] = {}`)",
          "is"});
    return bad();
  }
  return dictValue(D, K, E.Range);
}

void FunctionLowerer::assignDictItem(const ast::SubscriptExpr &T, TypedValue V, SourceRange Site) {
  TypedValue D = lowerExpr(*T.Value);
  if (!D.ok() || !V.ok())
    return;
  if (!D.Ty.isDict()) {
    diag(DiagID::Unsupported, T.Range, {"item assignment to a set", "is"});
    return;
  }
  TypedValue K0 = lowerExpr(*T.Index);
  if (!K0.ok())
    return;
  widenDictVar(*T.Value, K0.Ty, V.Ty);
  TypedValue K = toKey(K0, D, T.Index->Range);
  TypedValue X = toValue(V, D, Site);
  if (K.ok() && X.ok())
    B.create(ir::OpKind::DictInsert, {D.V, K.V, X.V}, {});
}

void FunctionLowerer::augAssignDictItem(const ast::AugAssignStmt &St, const ast::SubscriptExpr &T) {
  TypedValue D = lowerExpr(*T.Value);
  if (!D.ok())
    return;
  if (!D.Ty.isDict()) {
    diag(DiagID::Unsupported, T.Range, {"item assignment to a set", "is"});
    return;
  }
  TypedValue K = toKey(lowerExpr(*T.Index), D, T.Index->Range);
  if (!K.ok() || D.Ty.valueType().isNone())
    return (void)(K.ok() && toValue(K, D, T.Range).ok());
  TypedValue Cur = dictValue(D, K, T.Range);
  TypedValue V = binaryOp(St.Op, Cur, lowerExpr(*St.Value), St.Value.get(), St.Range);
  if (!V.ok())
    return;
  widenDictVar(*T.Value, K.Ty, V.Ty);
  TypedValue X = toValue(V, D, St.Range);
  if (X.ok())
    B.create(ir::OpKind::DictInsert, {D.V, K.V, X.V}, {});
}

TypedValue FunctionLowerer::dictContains(TypedValue K, TypedValue D, SourceRange Site) {
  if (D.Ty.keyType().isNone())
    return constBool(false); // nothing was ever stored
  // A key of another type (a float looked up in a dict of int) is found
  // when it equals one: compared after converting where that is exact.
  Type KT = D.Ty.keyType();
  if (K.Ty != KT && K.Ty.isScalar() && KT.isScalar() && joinTypes(K.Ty, KT) != KT) {
    diag(DiagID::Unsupported, Site,
         {"looking up a `" + pyTypeName(K.Ty) + "` in a `" + pyTypeName(D.Ty) + "`", "is"});
    return bad();
  }
  TypedValue CK = toKey(K, D, Site);
  if (!CK.ok())
    return bad();
  ir::ValueId In = B.create1(ir::OpKind::DictContains, {D.V, CK.V}, Type::boolean());
  if (K.Ty.isInt() && KT.isFloat()) {
    // An int is a float key only when it equals it exactly (2**53 + 1 is
    // not 2.0**53).
    TypedValue Exact = compareIntFloat("eq", K.V, CK.V, false);
    In = B.create1(ir::OpKind::BitAnd, {In, Exact.V}, Type::boolean());
  }
  return {In, Type::boolean()};
}

//===----------------------------------------------------------------------===//
// Methods
//===----------------------------------------------------------------------===//

TypedValue FunctionLowerer::lowerDictMethod(TypedValue D, const ast::Expr &Base,
                                            llvm::StringRef Name, const ast::CallExpr &E) {
  size_t N = E.Args.size();
  std::string Who = (D.Ty.isDict() ? "dict." : "set.") + Name.str();
  auto Arity = [&](const char *Want) {
    diag(DiagID::WrongArity, E.Range, {Who, Want, std::to_string(N)});
    return bad();
  };
  if (!E.Keywords.empty()) {
    diag(DiagID::BadKeyword, E.Keywords[0].Range, {Who, E.Keywords[0].Name});
    return bad();
  }
  TypedValue None{ir::ValueId(), Type::none()};
  bool IsDict = D.Ty.isDict();
  if (IsDict && (Name == "get" || Name == "setdefault" || Name == "pop")) {
    if (N < 1 || N > 2)
      return Arity("1 or 2");
    if (N == 1 && Name != "pop") {
      diag(DiagID::Unsupported, E.Range,
           {"`" + Who + "(k)` without a default (it may return None; give one: `d." +
                Name.str() + "(k, 0)`)",
            "is"});
      return bad();
    }
    TypedValue K0 = lowerExpr(*E.Args[0]);
    TypedValue Dflt = N == 2 ? lowerExpr(*E.Args[1]) : TypedValue{ir::ValueId(), Type()};
    if (!K0.ok() || (N == 2 && !Dflt.ok()))
      return bad();
    if (Name == "setdefault")
      widenDictVar(Base, K0.Ty, Dflt.Ty);
    if (D.Ty.keyType().isNone() && Name != "setdefault") {
      if (N == 2)
        return Dflt;
      raiseKeyError(K0);
      return bad();
    }
    TypedValue K = toKey(K0, D, E.Args[0]->Range);
    if (!K.ok())
      return bad();
    Type VT = D.Ty.valueType();
    if (VT.isNone())
      return Name == "setdefault" ? bad() : Dflt;
    if (N == 1) { // pop(k): KeyError when absent
      TypedValue V = dictValue(D, K, E.Range);
      B.create1(ir::OpKind::DictRemove, {D.V, K.V}, Type::boolean());
      return V;
    }
    TypedValue Dv = toValue(Dflt, D, E.Args[1]->Range);
    if (!Dv.ok())
      return bad();
    if (Name == "get") // one lookup: the value, or the default
      return {B.create1(ir::OpKind::DictGet, {D.V, K.V, Dv.V}, VT), VT};
    ir::ValueId Has = B.create1(ir::OpKind::DictContains, {D.V, K.V}, Type::boolean());
    TypedValue R = branchValue(
        Has, [&] { return TypedValue{B.create1(ir::OpKind::DictGet, {D.V, K.V}, VT), VT}; },
        [&] {
          if (Name == "setdefault")
            B.create(ir::OpKind::DictInsert, {D.V, K.V, Dv.V}, {});
          return Dv;
        },
        E.Range);
    if (Name == "pop")
      B.create1(ir::OpKind::DictRemove, {D.V, K.V}, Type::boolean());
    return R;
  }
  if (!IsDict && (Name == "add" || Name == "discard" || Name == "remove")) {
    if (N != 1)
      return Arity("1");
    TypedValue K0 = lowerExpr(*E.Args[0]);
    if (!K0.ok())
      return bad();
    if (Name == "add")
      widenDictVar(Base, K0.Ty, Type());
    if (D.Ty.keyType().isNone() && Name != "add") {
      if (Name == "remove")
        raiseKeyError(K0);
      return None;
    }
    TypedValue K = toKey(K0, D, E.Args[0]->Range);
    if (!K.ok())
      return bad();
    if (Name == "add") {
      B.create(ir::OpKind::DictInsert, {D.V, K.V}, {});
      return None;
    }
    ir::ValueId Was = B.create1(ir::OpKind::DictRemove, {D.V, K.V}, Type::boolean());
    if (Name == "remove") {
      ir::OpId If = B.create(ir::OpKind::If, {B.create1(ir::OpKind::Not, {Was}, Type::boolean())}, {}, 2);
      inRegion(F->op(If).Regions[0], [&] { raiseKeyError(K); });
    }
    return None;
  }
  if (Name == "update") {
    if (N != 1)
      return Arity("1");
    std::optional<ItemSource> Src = itemSource(*E.Args[0]);
    if (!Src)
      return bad();
    Type IT = Src->ItemType;
    if (IsDict && Src->DictV.isValid() && Src->DictMode == 0) {
      // d.update(other_dict): its items, not just its keys.
      ItemSource Items = *Src;
      Items.DictMode = 2;
      Items.ItemType = Type::tuple({F->typeOf(Src->DictV).keyType(), F->typeOf(Src->DictV).valueType()});
      Src = Items;
      IT = Items.ItemType;
    }
    if (IT.isNone())
      return None;
    if (IsDict && !(IT.isTuple() && IT.elements().size() == 2)) {
      diag(DiagID::Unsupported, E.Args[0]->Range, {"`dict.update` of anything but a dict or pairs", "is"});
      return bad();
    }
    if (IsDict)
      widenDictVar(Base, IT.elements()[0], IT.elements()[1]);
    else
      widenDictVar(Base, IT, Type());
    bool Ok = true;
    emitItemLoop(*Src, [&](TypedValue X) {
      if (!IsDict) {
        TypedValue K = toKey(X, D, E.Args[0]->Range);
        if (K.ok())
          B.create(ir::OpKind::DictInsert, {D.V, K.V}, {});
        Ok &= K.ok();
        return;
      }
      ir::ValueId K0 = B.create1(ir::OpKind::TupleGet, {X.V}, IT.elements()[0]);
      F->op(F->definingOp(K0)).Attrs.set("index", (int64_t)0);
      ir::ValueId V0 = B.create1(ir::OpKind::TupleGet, {X.V}, IT.elements()[1]);
      F->op(F->definingOp(V0)).Attrs.set("index", (int64_t)1);
      TypedValue K = toKey({K0, IT.elements()[0]}, D, E.Args[0]->Range);
      TypedValue V = toValue({V0, IT.elements()[1]}, D, E.Args[0]->Range);
      if (K.ok() && V.ok())
        B.create(ir::OpKind::DictInsert, {D.V, K.V, V.V}, {});
      Ok &= K.ok() && V.ok();
    });
    return Ok ? None : bad();
  }
  if (Name == "copy" || (!IsDict && (Name == "union" || Name == "intersection" ||
                                     Name == "difference"))) {
    if (Name == "copy" ? N != 0 : N != 1)
      return Arity(Name == "copy" ? "0" : "1");
    return setAlgebra(D, Name, N ? E.Args[0].get() : nullptr, E.Range);
  }
  if (Name == "clear") {
    if (N != 0)
      return Arity("0");
    // Remove every key, in order.
    ItemSource Keys = *sourceOf(D);
    TypedValue Tmp = newList(D.Ty.keyType().isNone() ? Type::none() : D.Ty.keyType(), B.constInt(0));
    if (!D.Ty.keyType().isNone()) {
      emitItemLoop(Keys, [&](TypedValue K) { B.create(ir::OpKind::ListAppend, {Tmp.V, K.V}, {}); });
      emitCountedLoop(listLen(Tmp), [&](ir::ValueId I) {
        B.create1(ir::OpKind::DictRemove, {D.V, listItem(Tmp, I).V}, Type::boolean());
      });
    }
    return None;
  }
  if (IsDict && (Name == "keys" || Name == "values" || Name == "items")) {
    diag(DiagID::Unsupported, E.Range,
         {"`d." + Name.str() + "()` outside a loop, a comprehension or `list(...)`", "is"});
    return bad();
  }
  diag(DiagID::Unsupported, E.Func->Range,
       {"the " + std::string(IsDict ? "dict" : "set") + " method `" + Name.str() + "`", "is"});
  return bad();
}

TypedValue FunctionLowerer::setAlgebra(TypedValue A, llvm::StringRef Op, const ast::Expr *Other,
                                       SourceRange Site) {
  // copy / union / intersection / difference: a new one, in A's order, then
  // the other's new items (union).
  std::optional<ItemSource> OSrc;
  TypedValue OSet;
  if (Other) {
    OSrc = itemSource(*Other);
    if (!OSrc)
      return bad();
    if (Op != "union") {
      // Membership tests need a set of the other's items.
      OSet = newDict(Type::set(OSrc->ItemType.isNone() ? A.Ty.keyType() : OSrc->ItemType));
      if (!OSrc->ItemType.isNone() && !OSet.Ty.keyType().isNone())
        emitItemLoop(*OSrc, [&](TypedValue X) { B.create(ir::OpKind::DictInsert, {OSet.V, X.V}, {}); });
    }
  }
  Type KT = A.Ty.keyType();
  if (Op == "union" && KT.isNone())
    KT = OSrc->ItemType;
  else if (Op == "union" && !OSrc->ItemType.isNone())
    KT = joinTypes(KT, OSrc->ItemType);
  if (!KT.isValid()) {
    diag(DiagID::TypeMismatch, Site, {"items of one type", pyTypeName(OSrc->ItemType)});
    return bad();
  }
  Type RT = A.Ty.isDict() ? A.Ty : Type::set(KT);
  TypedValue R = newDict(RT);
  if (!A.Ty.keyType().isNone() && !KT.isNone()) {
    bool Ok = true;
    ItemSource Src = *sourceOf(A);
    if (A.Ty.isDict()) {
      Src.DictMode = 2;
      Src.ItemType = Type::tuple({A.Ty.keyType(), A.Ty.valueType()});
    }
    emitItemLoop(Src, [&](TypedValue X) {
      if (A.Ty.isDict()) {
        ir::ValueId K = B.create1(ir::OpKind::TupleGet, {X.V}, A.Ty.keyType());
        F->op(F->definingOp(K)).Attrs.set("index", (int64_t)0);
        ir::ValueId V = B.create1(ir::OpKind::TupleGet, {X.V}, A.Ty.valueType());
        F->op(F->definingOp(V)).Attrs.set("index", (int64_t)1);
        if (!A.Ty.valueType().isNone())
          B.create(ir::OpKind::DictInsert, {R.V, K, V}, {});
        return;
      }
      TypedValue K = convert(X, KT, Site, "a set item");
      if (!K.ok()) {
        Ok = false;
        return;
      }
      if (Op == "intersection" || Op == "difference") {
        TypedValue In = dictContains(X, OSet, Site);
        if (!In.ok()) {
          Ok = false;
          return;
        }
        ir::ValueId Keep = Op == "intersection" ? In.V
                                                : B.create1(ir::OpKind::Not, {In.V}, Type::boolean());
        ir::OpId If = B.create(ir::OpKind::If, {Keep}, {}, 2);
        inRegion(F->op(If).Regions[0], [&] { B.create(ir::OpKind::DictInsert, {R.V, K.V}, {}); });
        return;
      }
      B.create(ir::OpKind::DictInsert, {R.V, K.V}, {});
    });
    if (!Ok)
      return bad();
  }
  if (Op == "union" && !OSrc->ItemType.isNone()) {
    bool Ok = true;
    emitItemLoop(*OSrc, [&](TypedValue X) {
      TypedValue K = convert(X, KT, Site, "a set item");
      if (K.ok())
        B.create(ir::OpKind::DictInsert, {R.V, K.V}, {});
      Ok &= K.ok();
    });
    if (!Ok)
      return bad();
  }
  FreshList = R.V;
  return R;
}

TypedValue FunctionLowerer::lowerSetOperator(const ast::BinOpExpr &E) {
  // a | b, a & b, a - b of sets: union, intersection, difference (the
  // right side must be a set too, as in Python).
  TypedValue A = lowerExpr(*E.LHS);
  if (!A.ok())
    return bad();
  Type RT = staticDictType(*E.RHS);
  if (!(RT.isSet() || isa<ast::SetExpr>(E.RHS.get()) ||
        (isa<ast::CompExpr>(E.RHS.get()) && static_cast<const ast::CompExpr &>(*E.RHS).IsSet) ||
        isa<ast::CallExpr>(E.RHS.get()))) {
    diag(DiagID::Unsupported, E.RHS->Range,
         {std::string("`") + ast::spelling(E.Op) + "` of a set and this value", "is"});
    return bad();
  }
  llvm::StringRef Op = E.Op == ast::BinOpKind::BitOr    ? "union"
                       : E.Op == ast::BinOpKind::BitAnd ? "intersection"
                                                        : "difference";
  return setAlgebra(A, Op, E.RHS.get(), E.Range);
}

//===- LowerList.cpp - Python lists, comprehensions and iteration ---------===//
//
// A list is typed list<T>: one element type, joined over everything stored
// into it. An empty literal `[]` is list<none> until something is stored:
// `xs.append(v)`, `xs[i] = v` and `xs.insert(i, v)` on a variable widen the
// variable's type (type inference runs to a fixpoint, so the list is made
// with its final element type). A list value is a reference: `b = a` makes
// both names one list, and their types are kept equal (Spec::ListAliases).
// A list of one element type becomes a list of another only where it is
// fresh (a literal, a comprehension, a copy): anywhere else it may be
// shared, and converting would silently split it.
//
// Iteration (`for` over lists, comprehensions) goes through an ItemSource:
// range(...), a list, an array's first axis, enumerate(...) and zip(...) of
// those. A list is iterated as CPython's list iterator does: the length is
// read again before every item, so a loop that changes the list never reads
// past its end.
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
bool isBuiltinName(const std::string &N, const std::set<std::string> &Locals,
                   const ModuleLowerer &ML, llvm::StringRef Want) {
  return N == Want && !Locals.count(N) && !ML.lookupFunction(N) && !ML.unknownImport(N);
}
} // namespace

//===----------------------------------------------------------------------===//
// Types and values
//===----------------------------------------------------------------------===//

bool FunctionLowerer::listElementOk(Type Elem, SourceRange Site) {
  if (Elem.isNone()) {
    diag(DiagID::Unsupported, Site, {"lists of None", "are"});
    return false;
  }
  if (Elem.isArray() || (Elem.isTuple() && llvm::any_of(Elem.elements(), [](Type T) {
                           return T.isArray();
                         }))) {
    diag(DiagID::Unsupported, Site, {"lists of arrays (use a 2-D array, or np.array(...))", "are"});
    return false;
  }
  if (Elem.isStr()) {
    diag(DiagID::Unsupported, Site, {"lists of strings", "are"});
    return false;
  }
  return true;
}

Type FunctionLowerer::staticListType(const ast::Expr &E) {
  if (auto *N = dyn_cast<ast::NameExpr>(&E)) {
    std::string Id = scopedName(N->Id);
    if (!isLocal(Id))
      return Type();
    auto It = S.Vars.find(Id);
    return It != S.Vars.end() && It->second.Ty.isValid() && It->second.Ty.isList()
               ? It->second.Ty
               : Type();
  }
  if (auto *Sub = dyn_cast<ast::SubscriptExpr>(&E)) {
    if (isa<ast::SliceExpr>(Sub->Index.get()))
      return staticListType(*Sub->Value);
    Type L = staticListType(*Sub->Value);
    return L.isValid() && L.elementType().isList() ? L.elementType() : Type();
  }
  if (isa<ast::ListExpr>(&E))
    return Type::list(Type::none()); // the element type does not matter here
  if (auto *C = dyn_cast<ast::CallExpr>(&E)) {
    // sorted(...), list(...), xs.copy(): new lists.
    if (auto *N = dyn_cast<ast::NameExpr>(C->Func.get());
        N && (isBuiltinName(N->Id, Locals, ML, "sorted") || isBuiltinName(N->Id, Locals, ML, "list")))
      return Type::list(Type::none());
    if (auto *A = dyn_cast<ast::AttributeExpr>(C->Func.get());
        A && A->Attr == "copy" && staticListType(*A->Value).isValid())
      return staticListType(*A->Value);
  }
  if (auto *BE = dyn_cast<ast::BinOpExpr>(&E);
      BE && (BE->Op == ast::BinOpKind::Add || BE->Op == ast::BinOpKind::Mul) &&
      (staticListType(*BE->LHS).isValid() || staticListType(*BE->RHS).isValid()))
    return Type::list(Type::none()); // xs + ys, xs * 2
  if (auto *C = dyn_cast<ast::CompExpr>(&E); C && !C->IsGenerator)
    return Type::list(Type::none());
  return Type();
}

TypedValue FunctionLowerer::newList(Type Elem, ir::ValueId Cap) {
  Type LT = Type::list(Elem);
  ir::ValueId L = B.create1(ir::OpKind::ListNew, {Cap}, LT);
  FreshList = L;
  return {L, LT};
}

TypedValue FunctionLowerer::listItem(TypedValue L, ir::ValueId I) {
  Type E = L.Ty.elementType();
  return {B.create1(ir::OpKind::ListGet, {L.V, I}, E), E};
}

ir::ValueId FunctionLowerer::listLen(TypedValue L) {
  return B.create1(ir::OpKind::ListLen, {L.V}, Type::int64());
}

bool FunctionLowerer::knownElements(TypedValue L, SourceRange Site) {
  if (!L.Ty.elementType().isNone())
    return true;
  diag(DiagID::Unsupported, Site,
       {"reading an empty list whose element type Kiln cannot tell (annotate it: "
        "`xs: list[float] = []`)",
        "is"});
  return false;
}

void FunctionLowerer::widenListVar(const ast::Expr &Base, Type Elem) {
  auto *N = dyn_cast<ast::NameExpr>(&Base);
  if (!N || emitting())
    return;
  std::string Id = scopedName(N->Id);
  auto It = S.Vars.find(Id);
  if (It == S.Vars.end() || !It->second.Ty.isValid() || !It->second.Ty.isList() ||
      It->second.DeclaredTy.isValid())
    return;
  Type Old = It->second.Ty.elementType();
  Type J = Old.isNone() ? Elem : Elem.isNone() ? Old : joinTypes(Old, Elem);
  if (J.isValid() && J != Old) {
    It->second.Ty = Type::list(J);
    Changed = true;
  }
}

TypedValue FunctionLowerer::toElement(TypedValue V, TypedValue L, SourceRange Site) {
  if (!V.ok())
    return bad();
  Type E = L.Ty.elementType();
  if (E.isNone()) {
    if (emitting())
      diag(DiagID::Unsupported, Site,
           {"storing into a list whose element type Kiln cannot tell (annotate it: "
            "`xs: list[float] = []`)",
            "is"});
    return bad();
  }
  if (!listElementOk(V.Ty, Site))
    return bad();
  return convert(V, E, Site, "an item of a `" + pyTypeName(L.Ty) + "`");
}

TypedValue FunctionLowerer::convertList(TypedValue V, Type To, SourceRange Site,
                                        llvm::StringRef What) {
  Type From = V.Ty.elementType();
  if (From.isNone() && V.V == FreshList) // an empty literal: no item to convert
    return {B.cast(V.V, To), To};
  if (From.isNone()) {
    // A list whose item type this function never learned may hold items
    // by now (another function filled it): reading it as another type
    // would lose them.
    diag(DiagID::Unsupported, Site,
         {"passing on an empty list whose item type Kiln cannot tell here (annotate it where "
          "it is made: `xs: list[float] = []`)",
          "is"});
    return bad();
  }
  if (V.V != FreshList) {
    diag(DiagID::TypeMismatch, Site,
         {"`" + pyTypeName(To) + "` for " + What.str() +
              " (a list may be shared, so it is never converted in place; make a new "
              "one, e.g. `[float(x) for x in xs]`)",
          pyTypeName(V.Ty)});
    return bad();
  }
  // A fresh list: a converted copy.
  ir::ValueId N = listLen(V);
  TypedValue R = newList(To.elementType(), N);
  bool Ok = true;
  emitCountedLoop(N, [&](ir::ValueId I) {
    TypedValue X = convert(listItem(V, I), To.elementType(), Site, What);
    if (!X.ok()) {
      Ok = false;
      return;
    }
    B.create(ir::OpKind::ListAppend, {R.V, X.V}, {});
  });
  if (!Ok)
    return bad();
  FreshList = R.V;
  return R;
}

void FunctionLowerer::emitCountedLoop(ir::ValueId N,
                                      const std::function<void(ir::ValueId)> &Body) {
  StopSlots.push_back(ir::ValueId());
  struct Pop {
    std::vector<ir::ValueId> &V;
    ~Pop() { V.pop_back(); }
  } PopStop{StopSlots};
  ir::OpId For = B.create(ir::OpKind::For, {B.constInt(0), N, B.constInt(1)}, {}, 1);
  ir::RegionId R = F->op(For).Regions[0];
  ir::ValueId IV = F->addRegionArg(R, Type::int64(), "k");
  inRegion(R, [&] { Body(IV); });
}

//===----------------------------------------------------------------------===//
// Literals, operators, subscripts
//===----------------------------------------------------------------------===//

TypedValue FunctionLowerer::lowerListLiteral(const ast::ListExpr &E) {
  std::vector<TypedValue> Items;
  Type Elem = Type::none();
  for (auto &X : E.Elts) {
    TypedValue V = lowerExpr(*X);
    if (!V.ok())
      return bad();
    if (!listElementOk(V.Ty, X->Range))
      return bad();
    Type J = Items.empty() ? V.Ty : joinTypes(Elem, V.Ty);
    if (!J.isValid()) {
      diag(DiagID::TypeMismatch, X->Range,
           {"items of one type in a list (`" + pyTypeName(Elem) + "` so far)", pyTypeName(V.Ty)});
      return bad();
    }
    Elem = J;
    Items.push_back(V);
  }
  TypedValue L = newList(Elem, B.constInt(Items.size()));
  for (size_t I = 0; I < Items.size(); ++I) {
    TypedValue C = convert(Items[I], Elem, E.Elts[I]->Range, "a list item");
    if (!C.ok())
      return bad();
    B.create(ir::OpKind::ListAppend, {L.V, C.V}, {});
  }
  FreshList = L.V;
  return L;
}

bool FunctionLowerer::isListOperand(const ast::Expr &E) {
  return staticListType(E).isValid();
}

TypedValue FunctionLowerer::lowerListBinOp(const ast::BinOpExpr &E) {
  TypedValue L = lowerExpr(*E.LHS);
  TypedValue R = lowerExpr(*E.RHS);
  if (!L.ok() || !R.ok())
    return bad();
  if (E.Op == ast::BinOpKind::Add && L.Ty.isList() && R.Ty.isList()) {
    Type Elem = L.Ty.elementType().isNone()   ? R.Ty.elementType()
                : R.Ty.elementType().isNone() ? L.Ty.elementType()
                                              : joinTypes(L.Ty.elementType(), R.Ty.elementType());
    if (!Elem.isValid()) {
      diag(DiagID::TypeMismatch, E.RHS->Range, {"`" + pyTypeName(L.Ty) + "`", pyTypeName(R.Ty)});
      return bad();
    }
    ir::ValueId NL = listLen(L), NR = listLen(R);
    TypedValue Out = newList(Elem, B.create1(ir::OpKind::Add, {NL, NR}, Type::int64()));
    for (TypedValue Src : {L, R}) {
      if (Src.Ty.elementType().isNone())
        continue;
      emitCountedLoop(listLen(Src), [&](ir::ValueId I) {
        TypedValue X = convert(listItem(Src, I), Elem, E.Range, "a list item");
        if (X.ok())
          B.create(ir::OpKind::ListAppend, {Out.V, X.V}, {});
      });
    }
    FreshList = Out.V;
    return Out;
  }
  if (E.Op == ast::BinOpKind::Mul && (L.Ty.isList() != R.Ty.isList())) {
    TypedValue Lst = L.Ty.isList() ? L : R;
    TypedValue N = asIndex(L.Ty.isList() ? R : L);
    if (!(N.Ty.isInt() || N.Ty.isBool())) {
      diag(DiagID::TypeMismatch, (L.Ty.isList() ? E.RHS : E.LHS)->Range,
           {"an int to repeat a list by", pyTypeName(N.Ty)});
      return bad();
    }
    ir::ValueId Times = convert(N, Type::int64(), E.Range, "the count").V;
    Times = B.create1(ir::OpKind::Select,
                      {B.cmp("lt", Times, B.constInt(0)), B.constInt(0), Times}, Type::int64());
    ir::ValueId Len = listLen(Lst);
    ir::ValueId Total = B.create1(ir::OpKind::Mul, {Len, Times}, Type::int64());
    TypedValue Out = newList(Lst.Ty.elementType(), Total);
    if (!Lst.Ty.elementType().isNone())
      emitCountedLoop(Times, [&](ir::ValueId) {
        emitCountedLoop(Len, [&](ir::ValueId I) {
          B.create(ir::OpKind::ListAppend, {Out.V, listItem(Lst, I).V}, {});
        });
      });
    FreshList = Out.V;
    return Out;
  }
  diag(DiagID::Unsupported, E.Range,
       {std::string("`") + ast::spelling(E.Op) + "` of `" + pyTypeName(L.Ty) + "` and `" +
            pyTypeName(R.Ty) + "`",
        "is"});
  return bad();
}

/// Python's index \p Idx into list \p L, made non-negative and checked.
ir::ValueId FunctionLowerer::listIndex(TypedValue L, const ast::Expr &Idx,
                                       llvm::StringRef Msg) {
  TypedValue I = asIndex(lowerExpr(Idx));
  if (!I.ok())
    return {};
  if (!(I.Ty.isInt() || I.Ty.isBool())) {
    diag(DiagID::TypeMismatch, Idx.Range, {"an int list index", pyTypeName(I.Ty)});
    return {};
  }
  ir::ValueId V = convert(I, Type::int64(), Idx.Range, "a list index").V;
  ir::ValueId R = B.create1(ir::OpKind::ListIndex, {L.V, V}, Type::int64());
  if (!Msg.empty())
    F->op(F->definingOp(R)).Attrs.set("msg", Msg.str());
  return R;
}

std::optional<FunctionLowerer::SliceBounds>
FunctionLowerer::sliceIndices(TypedValue L, const ast::SliceExpr &Sl) {
  // Python's slice.indices(len): each bound evaluated once, in order.
  auto Part = [&](const ast::ExprPtr &P) -> std::optional<ir::ValueId> {
    if (!P)
      return ir::ValueId();
    TypedValue V = asIndex(lowerExpr(*P));
    if (!V.ok())
      return std::nullopt;
    if (!(V.Ty.isInt() || V.Ty.isBool())) {
      diag(DiagID::TypeMismatch, P->Range, {"an int in a slice", pyTypeName(V.Ty)});
      return std::nullopt;
    }
    return convert(V, Type::int64(), P->Range, "a slice bound").V;
  };
  auto Lo = Part(Sl.Lower), Hi = Part(Sl.Upper), St = Part(Sl.Step);
  if (!Lo || !Hi || !St)
    return std::nullopt;
  ir::ValueId N = listLen(L);
  ir::ValueId Step = St->isValid() ? *St : B.constInt(1);
  if (St->isValid())
    raiseIf(B.cmp("eq", Step, B.constInt(0)), "ValueError", "slice step cannot be zero");
  ir::ValueId Neg = B.cmp("lt", Step, B.constInt(0));
  auto Sel = [&](ir::ValueId C, ir::ValueId A, ir::ValueId Bv) {
    return B.create1(ir::OpKind::Select, {C, A, Bv}, Type::int64());
  };
  auto Add = [&](ir::ValueId A, ir::ValueId Bv) { // wraps: used only when it cannot
    ir::ValueId R = B.create1(ir::OpKind::Add, {A, Bv}, Type::int64());
    F->op(F->definingOp(R)).Attrs.set("numpy", true);
    return R;
  };
  ir::ValueId MinusOne = B.constInt(-1), Zero = B.constInt(0);
  // Clamp a bound as slice.indices does: below 0 after adding len, it is 0
  // (-1 for a negative step); above len, len (len - 1).
  auto Clamp = [&](ir::ValueId X) {
    ir::ValueId W = Sel(B.cmp("lt", X, Zero), Add(X, N), X);
    ir::ValueId Low = Sel(Neg, MinusOne, Zero);
    ir::ValueId High = Sel(Neg, Add(N, MinusOne), N);
    W = Sel(B.cmp("lt", W, Zero), Low, W);
    return Sel(B.cmp("gt", W, High), High, W);
  };
  ir::ValueId Start = Lo->isValid() ? Clamp(*Lo) : Sel(Neg, Add(N, MinusOne), Zero);
  ir::ValueId Stop = Hi->isValid() ? Clamp(*Hi) : Sel(Neg, MinusOne, N);
  return SliceBounds{Start, Stop, Step};
}

TypedValue FunctionLowerer::listSlice(TypedValue L, const ast::SliceExpr &Sl) {
  // The items slice.indices(len) selects, copied.
  std::optional<SliceBounds> S = sliceIndices(L, Sl);
  if (!S)
    return bad();
  TypedValue Out = newList(L.Ty.elementType(), B.constInt(0));
  if (!L.Ty.elementType().isNone()) {
    ir::OpId For = B.create(ir::OpKind::For, {S->Start, S->Stop, S->Step}, {}, 1);
    ir::RegionId R = F->op(For).Regions[0];
    ir::ValueId IV = F->addRegionArg(R, Type::int64(), "k");
    inRegion(R, [&] { B.create(ir::OpKind::ListAppend, {Out.V, listItem(L, IV).V}, {}); });
  }
  FreshList = Out.V;
  return Out;
}

TypedValue FunctionLowerer::listSubscript(TypedValue L, const ast::SubscriptExpr &E) {
  if (auto *Sl = dyn_cast<ast::SliceExpr>(E.Index.get()))
    return listSlice(L, *Sl);
  if (isa<ast::TupleExpr>(E.Index.get())) {
    diag(DiagID::TypeMismatch, E.Index->Range, {"one int list index", "tuple"});
    return bad();
  }
  ir::ValueId I = listIndex(L, *E.Index);
  if (!I.isValid() || !knownElements(L, E.Range))
    return bad();
  return listItem(L, I);
}

void FunctionLowerer::assignListItem(const ast::SubscriptExpr &T, TypedValue V, SourceRange Site) {
  TypedValue L = lowerExpr(*T.Value);
  if (!L.ok() || !V.ok())
    return;
  if (isa<ast::SliceExpr>(T.Index.get())) {
    diag(DiagID::Unsupported, T.Range, {"assignment to a slice of a list", "is"});
    return;
  }
  ir::ValueId I = listIndex(L, *T.Index, "list assignment index out of range");
  if (!I.isValid())
    return;
  widenListVar(*T.Value, V.Ty);
  TypedValue X = toElement(V, L, Site);
  if (X.ok())
    B.create(ir::OpKind::ListSet, {X.V, L.V, I}, {});
}

void FunctionLowerer::augAssignListItem(const ast::AugAssignStmt &St, const ast::SubscriptExpr &T) {
  // `xs[i] += v`: xs and i once, then the item, v, and the store.
  TypedValue L = lowerExpr(*T.Value);
  if (!L.ok())
    return;
  if (isa<ast::SliceExpr>(T.Index.get())) {
    diag(DiagID::Unsupported, T.Range, {"augmented assignment to a slice of a list", "is"});
    return;
  }
  ir::ValueId I = listIndex(L, *T.Index);
  if (!I.isValid() || !knownElements(L, T.Range))
    return;
  TypedValue Cur = listItem(L, I);
  TypedValue R = lowerExpr(*St.Value);
  TypedValue V = binaryOp(St.Op, Cur, R, St.Value.get(), St.Range);
  if (!V.ok())
    return;
  widenListVar(*T.Value, V.Ty);
  TypedValue X = toElement(V, L, St.Range);
  if (X.ok())
    B.create(ir::OpKind::ListSet, {X.V, L.V, I}, {});
}

TypedValue FunctionLowerer::tupleAsList(TypedValue T, SourceRange Site) {
  // Items of exactly one type: joining (2**53 + 1, 0.5) to floats would
  // change the int.
  Type Elem;
  for (Type E : T.Ty.elements()) {
    Elem = !Elem.isValid() ? E : Elem == E ? Elem : Type();
    if (!Elem.isValid())
      break;
  }
  if (!Elem.isValid() || !T.Ty.elements().size()) {
    if (T.Ty.elements().empty())
      return newList(Type::none(), B.constInt(0));
    diag(DiagID::Unsupported, Site,
         {"indexing with a variable or iterating a tuple whose items differ in type (`" +
              pyTypeName(T.Ty) + "`)",
          "is"});
    return bad();
  }
  if (!listElementOk(Elem, Site))
    return bad();
  TypedValue L = newList(Elem, B.constInt(T.Ty.elements().size()));
  for (size_t I = 0; I < T.Ty.elements().size(); ++I) {
    ir::ValueId X = B.create1(ir::OpKind::TupleGet, {T.V}, T.Ty.elements()[I]);
    F->op(F->definingOp(X)).Attrs.set("index", (int64_t)I);
    TypedValue C = convert({X, T.Ty.elements()[I]}, Elem, Site, "a tuple item");
    if (!C.ok())
      return bad();
    B.create(ir::OpKind::ListAppend, {L.V, C.V}, {});
  }
  return L;
}

TypedValue FunctionLowerer::tupleContains(TypedValue Item, TypedValue T, SourceRange Site) {
  // `x in (a, b, c)`: x == a or x == b or ..., each compared in turn.
  TypedValue Found = constBool(false);
  for (size_t I = 0; I < T.Ty.elements().size(); ++I) {
    ir::ValueId X = B.create1(ir::OpKind::TupleGet, {T.V}, T.Ty.elements()[I]);
    F->op(F->definingOp(X)).Attrs.set("index", (int64_t)I);
    TypedValue Eq = compare(ast::CmpOpKind::Eq, Item, {X, T.Ty.elements()[I]}, Site);
    if (!Eq.ok())
      return bad();
    Found = {B.create1(ir::OpKind::BitOr, {Found.V, Eq.V}, Type::boolean()), Type::boolean()};
  }
  return Found;
}

TypedValue FunctionLowerer::listContains(TypedValue Item, TypedValue L, SourceRange Site) {
  // Any item equal to Item (==, so NaN is never found).
  ir::ValueId Found = entrySlot(Type::boolean(), "found");
  B.store(B.constBool(false), Found);
  if (L.Ty.elementType().isNone())
    return {B.load(Found), Type::boolean()};
  bool Ok = true;
  emitItemLoop(*sourceOf(L), [&](TypedValue X) {
    TypedValue Eq = compare(ast::CmpOpKind::Eq, X, Item, Site);
    if (!Eq.ok()) {
      Ok = false;
      return;
    }
    setAndBreakIf(Eq.V, Found, true);
  });
  if (!Ok)
    return bad();
  return {B.load(Found), Type::boolean()};
}

//===----------------------------------------------------------------------===//
// Methods and builtins
//===----------------------------------------------------------------------===//

TypedValue FunctionLowerer::lowerListMethod(TypedValue L, const ast::Expr &Base,
                                            llvm::StringRef Name, const ast::CallExpr &E) {
  size_t N = E.Args.size();
  auto Arity = [&](const char *Want) {
    diag(DiagID::WrongArity, E.Range, {"list." + Name.str(), Want, std::to_string(N)});
    return bad();
  };
  if (!E.Keywords.empty() && Name != "sort") {
    diag(DiagID::BadKeyword, E.Keywords[0].Range, {"list." + Name.str(), E.Keywords[0].Name});
    return bad();
  }
  TypedValue None{ir::ValueId(), Type::none()};
  if (Name == "append") {
    if (N != 1)
      return Arity("1");
    TypedValue V = lowerExpr(*E.Args[0]);
    if (!V.ok())
      return bad();
    widenListVar(Base, V.Ty);
    TypedValue X = toElement(V, L, E.Args[0]->Range);
    if (!X.ok())
      return bad();
    B.create(ir::OpKind::ListAppend, {L.V, X.V}, {});
    return None;
  }
  if (Name == "extend") {
    if (N != 1)
      return Arity("1");
    return extendList(L, Base, *E.Args[0]) ? None : bad();
  }
  if (Name == "insert") {
    if (N != 2)
      return Arity("2");
    TypedValue I = asIndex(lowerExpr(*E.Args[0]));
    TypedValue V = lowerExpr(*E.Args[1]);
    if (!I.ok() || !V.ok())
      return bad();
    if (!(I.Ty.isInt() || I.Ty.isBool())) {
      diag(DiagID::TypeMismatch, E.Args[0]->Range, {"an int position", pyTypeName(I.Ty)});
      return bad();
    }
    widenListVar(Base, V.Ty);
    TypedValue X = toElement(V, L, E.Args[1]->Range);
    if (!X.ok())
      return bad();
    // Clamped as CPython does: i < 0 counts from the end, then [0, len].
    ir::ValueId Len = listLen(L);
    ir::ValueId At = convert(I, Type::int64(), E.Range, "the position").V;
    auto Sel = [&](ir::ValueId C, ir::ValueId A, ir::ValueId Bv) {
      return B.create1(ir::OpKind::Select, {C, A, Bv}, Type::int64());
    };
    At = Sel(B.cmp("lt", At, B.constInt(0)),
             B.create1(ir::OpKind::Add, {At, Len}, Type::int64()), At);
    At = Sel(B.cmp("lt", At, B.constInt(0)), B.constInt(0), At);
    At = Sel(B.cmp("gt", At, Len), Len, At);
    B.create(ir::OpKind::ListInsert, {L.V, At, X.V}, {});
    return None;
  }
  if (Name == "pop") {
    if (N > 1)
      return Arity("0 or 1");
    if (!knownElements(L, E.Range))
      return bad();
    ir::ValueId Len = listLen(L);
    raiseIf(B.cmp("eq", Len, B.constInt(0)), "IndexError", "pop from empty list");
    ir::ValueId I = N ? listIndex(L, *E.Args[0], "pop index out of range")
                      : B.create1(ir::OpKind::Sub, {Len, B.constInt(1)}, Type::int64());
    if (!I.isValid())
      return bad();
    Type Elem = L.Ty.elementType();
    return {B.create1(ir::OpKind::ListRemove, {L.V, I}, Elem), Elem};
  }
  if (Name == "clear") {
    if (N != 0)
      return Arity("0");
    B.create(ir::OpKind::ListResize, {L.V, B.constInt(0)}, {});
    return None;
  }
  if (Name == "copy") {
    if (N != 0)
      return Arity("0");
    ast::SliceExpr All(E.Range);
    return listSlice(L, All);
  }
  if (Name == "reverse") {
    if (N != 0)
      return Arity("0");
    if (!L.Ty.elementType().isNone())
      reverseList(L);
    return None;
  }
  if (Name == "index" || Name == "count" || Name == "remove") {
    if (N != 1)
      return Arity("1");
    TypedValue V = lowerExpr(*E.Args[0]);
    if (!V.ok())
      return bad();
    ir::ValueId Acc = entrySlot(Type::int64(), Name);
    B.store(B.constInt(Name == "count" ? 0 : -1), Acc);
    if (!L.Ty.elementType().isNone()) {
      ir::ValueId Len = listLen(L);
      bool Ok = true;
      emitCountedLoop(Len, [&](ir::ValueId I) {
        TypedValue Eq = compare(ast::CmpOpKind::Eq, listItem(L, I), V, E.Range);
        if (!Eq.ok()) {
          Ok = false;
          return;
        }
        ir::OpId If = B.create(ir::OpKind::If, {Eq.V}, {}, 2);
        inRegion(F->op(If).Regions[0], [&] {
          if (Name == "count") {
            B.store(B.create1(ir::OpKind::Add, {B.load(Acc), B.constInt(1)}, Type::int64()), Acc);
            return;
          }
          B.store(I, Acc);
          B.create(ir::OpKind::Break, {}, {});
        });
      });
      if (!Ok)
        return bad();
    }
    ir::ValueId R = B.load(Acc);
    if (Name == "count")
      return {R, Type::int64()};
    ir::ValueId Missing = B.cmp("lt", R, B.constInt(0));
    if (Name == "index") {
      if (V.Ty.isScalar() && !V.Ty.isComplex())
        raiseFmtIf(Missing, "ValueError", "{} is not in list", {V.V});
      else
        raiseIf(Missing, "ValueError", "list.index(x): x not in list");
      return {R, Type::int64()};
    }
    raiseIf(Missing, "ValueError", "list.remove(x): x not in list");
    B.create1(ir::OpKind::ListRemove, {L.V, R}, L.Ty.elementType());
    return None;
  }
  if (Name == "sort") {
    if (N != 0) {
      diag(DiagID::Unsupported, E.Range, {"positional arguments of `list.sort`", "are"});
      return bad();
    }
    bool Reverse = false;
    const ast::Expr *Key = nullptr;
    for (const ast::Keyword &K : E.Keywords) {
      if (K.Name == "reverse") {
        auto *BL = dyn_cast<ast::BoolLitExpr>(K.Value.get());
        if (!BL) {
          diag(DiagID::Unsupported, K.Value->Range, {"`reverse=` other than True or False", "is"});
          return bad();
        }
        Reverse = BL->Value;
        continue;
      }
      if (K.Name == "key") {
        Key = K.Value.get();
        continue;
      }
      diag(DiagID::BadKeyword, K.Range, {"list.sort", K.Name});
      return bad();
    }
    if (Key && !isa<ast::NoneLitExpr>(Key)) {
      if (L.Ty.elementType().isNone())
        return None;
      ir::ValueId N = listLen(L);
      TypedValue Sorted = sortedByKey(L, *Key, Reverse, E.Range);
      if (!Sorted.ok())
        return bad();
      // A key that changed the list: CPython's ValueError (its list is
      // empty while keys are computed; here the list is left as it is).
      raiseIf(B.cmp("ne", listLen(L), N), "ValueError", "list modified during sort");
      // In place: the sorted items back into the list.
      emitCountedLoop(N, [&](ir::ValueId I) {
        B.create(ir::OpKind::ListSet, {listItem(Sorted, I).V, L.V, I}, {});
      });
      return None;
    }
    sortList(L, Reverse, E.Range);
    return None;
  }
  diag(DiagID::Unsupported, E.Func->Range, {"the list method `" + Name.str() + "`", "is"});
  return bad();
}

bool FunctionLowerer::extendList(TypedValue L, const ast::Expr &Base, const ast::Expr &Items) {
  std::optional<ItemSource> Src = itemSource(Items);
  if (!Src)
    return false;
  widenListVar(Base, Src->ItemType);
  if (Src->ItemType.isNone())
    return true;
  // Items first, then appended (`xs.extend(xs)` doubles xs once).
  TypedValue Tmp = newList(Src->ItemType, B.constInt(0));
  emitItemLoop(*Src, [&](TypedValue X) { B.create(ir::OpKind::ListAppend, {Tmp.V, X.V}, {}); });
  bool Ok = true;
  emitCountedLoop(listLen(Tmp), [&](ir::ValueId I) {
    TypedValue X = toElement(listItem(Tmp, I), L, Items.Range);
    if (!X.ok()) {
      Ok = false;
      return;
    }
    B.create(ir::OpKind::ListAppend, {L.V, X.V}, {});
  });
  return Ok;
}

bool FunctionLowerer::sortList(TypedValue L, bool Reverse, SourceRange Site) {
  Type Elem = L.Ty.elementType();
  if (Elem.isNone())
    return true;
  if (!(Elem.isReal() || Elem.isBool())) {
    diag(DiagID::Unsupported, Site, {"sorting lists of `" + pyTypeName(Elem) + "`", "is"});
    return false;
  }
  if (!Reverse) {
    B.create(ir::OpKind::ListSort, {L.V}, {});
    return true;
  }
  // reverse=True keeps equal items in their order, as CPython: reverse,
  // sort stably, reverse again.
  for (int K = 0; K < 3; ++K) {
    if (K == 1)
      B.create(ir::OpKind::ListSort, {L.V}, {});
    else
      reverseList(L);
  }
  return true;
}

void FunctionLowerer::reverseList(TypedValue L) {
  // Swaps items i and len - 1 - i for i < len // 2.
    ir::ValueId Len = listLen(L);
    ir::ValueId Half = B.create1(ir::OpKind::FloorDiv, {Len, B.constInt(2)}, Type::int64());
    emitCountedLoop(Half, [&](ir::ValueId I) {
      ir::ValueId J = B.create1(
          ir::OpKind::Sub, {B.create1(ir::OpKind::Sub, {Len, B.constInt(1)}, Type::int64()), I},
          Type::int64());
      TypedValue A = listItem(L, I), C = listItem(L, J);
      B.create(ir::OpKind::ListSet, {C.V, L.V, I}, {});
      B.create(ir::OpKind::ListSet, {A.V, L.V, J}, {});
    });
}

std::optional<TypedValue> FunctionLowerer::lowerIterableBuiltin(llvm::StringRef Name,
                                                                const ast::CallExpr &E) {
  // sum/min/max/any/all/sorted/list of one iterable: a list, a comprehension
  // or generator (its items computed in the loop, no list built), range,
  // enumerate, zip.
  // (min(a, b) of numbers stays lowerBuiltinCall's.)
  size_t N = E.Args.size();
  if (N == 0 && Name == "list")
    return newList(Type::none(), B.constInt(0));
  if (N == 0 && (Name == "set" || Name == "dict") && E.Keywords.empty())
    return newDict(Name == "set" ? Type::set(Type::none()) : Type::dict(Type::none(), Type::none()));
  if (N != 1 && !(Name == "sum" && N == 2))
    return std::nullopt;
  const ast::Expr &It = *E.Args[0];
  const ast::Expr *Key = nullptr;
  for (const ast::Keyword &K : E.Keywords) {
    if (K.Name == "key" && (Name == "sorted" || Name == "min" || Name == "max")) {
      Key = isa<ast::NoneLitExpr>(K.Value.get()) ? nullptr : K.Value.get();
      continue;
    }
    if (!(Name == "sorted" && K.Name == "reverse") && !(Name == "sum" && K.Name == "start")) {
      diag(DiagID::BadKeyword, K.Range, {Name.str(), K.Name});
      return bad();
    }
  }
  std::optional<ItemSource> Src = itemSource(It);
  if (!Src)
    return bad();
  Type T = Src->ItemType;
  if (Name == "set" || Name == "dict") {
    // set(iterable); dict(pairs), e.g. dict(zip(keys, values)).
    if (T.isNone())
      return newDict(Name == "set" ? Type::set(Type::none()) : Type::dict(Type::none(), Type::none()));
    bool Pairs = T.isTuple() && T.elements().size() == 2;
    if (Name == "dict" && !Pairs) {
      diag(DiagID::Unsupported, It.Range, {"`dict()` of anything but pairs", "is"});
      return bad();
    }
    Type KT = Name == "set" ? T : T.elements()[0];
    if (!keyTypeOk(KT, It.Range) || (Name == "dict" && !listElementOk(T.elements()[1], It.Range)))
      return bad();
    TypedValue D = newDict(Name == "set" ? Type::set(KT) : Type::dict(KT, T.elements()[1]));
    emitItemLoop(*Src, [&](TypedValue X) {
      if (Name == "set") {
        B.create(ir::OpKind::DictInsert, {D.V, X.V}, {});
        return;
      }
      ir::ValueId K = B.create1(ir::OpKind::TupleGet, {X.V}, KT);
      F->op(F->definingOp(K)).Attrs.set("index", (int64_t)0);
      ir::ValueId V = B.create1(ir::OpKind::TupleGet, {X.V}, T.elements()[1]);
      F->op(F->definingOp(V)).Attrs.set("index", (int64_t)1);
      B.create(ir::OpKind::DictInsert, {D.V, K, V}, {});
    });
    FreshList = D.V;
    return D;
  }
  if (Name == "list" || Name == "sorted") {
    TypedValue Out = newList(T, B.constInt(0));
    if (!T.isNone()) {
      if (!listElementOk(T, It.Range))
        return bad();
      emitItemLoop(*Src, [&](TypedValue X) { B.create(ir::OpKind::ListAppend, {Out.V, X.V}, {}); });
    }
    if (Name == "sorted") {
      bool Reverse = false;
      for (const ast::Keyword &K : E.Keywords) {
        if (K.Name == "key")
          continue;
        auto *BL = dyn_cast<ast::BoolLitExpr>(K.Value.get());
        if (!BL) {
          diag(DiagID::Unsupported, K.Value->Range, {"`reverse=` other than True or False", "is"});
          return bad();
        }
        Reverse = BL->Value;
      }
      if (Key) {
        TypedValue Sorted = sortedByKey(Out, *Key, Reverse, E.Range);
        if (!Sorted.ok())
          return bad();
        FreshList = Sorted.V;
        return Sorted;
      }
      if (!sortList(Out, Reverse, E.Range))
        return bad();
    }
    FreshList = Out.V;
    return Out;
  }
  if (Name == "any" || Name == "all") {
    bool Any = Name == "any";
    ir::ValueId Acc = entrySlot(Type::boolean(), Name);
    B.store(B.constBool(!Any), Acc);
    bool Ok = true;
    if (!T.isNone())
      emitItemLoop(*Src, [&](TypedValue X) {
        TypedValue C = truthy(X, It.Range);
        if (!C.ok()) {
          Ok = false;
          return;
        }
        ir::ValueId Hit = Any ? C.V : B.create1(ir::OpKind::Not, {C.V}, Type::boolean());
        setAndBreakIf(Hit, Acc, Any);
      });
    if (!Ok)
      return bad();
    return TypedValue{B.load(Acc), Type::boolean()};
  }
  if (T.isNone()) {
    if (Name == "sum") {
      if (N == 2)
        return lowerExpr(*E.Args[1]);
      for (const ast::Keyword &K : E.Keywords)
        return lowerExpr(*K.Value); // start=
      return constInt(0);
    }
    emitRaiseMsg("ValueError", Name.str() + "() arg is an empty sequence");
    return bad();
  }
  if (Key) // any items: only their keys are compared
    return minMaxByKey(Name, *Src, *Key, E.Range);
  if (!T.isScalar() || (T.isComplex() && Name != "sum")) {
    diag(DiagID::TypeMismatch, It.Range,
         {"numbers for `" + Name.str() + "()`", "items of type " + pyTypeName(T)});
    return bad();
  }
  if (Name == "sum") {
    // Python's sum: start (0) + items, left to right; bools count as ints.
    TypedValue Start = constInt(0);
    for (const ast::Keyword &K : E.Keywords)
      Start = lowerExpr(*K.Value);
    if (N == 2)
      Start = lowerExpr(*E.Args[1]);
    if (!Start.ok())
      return bad();
    Type AccT = joinTypes(T.isBool() ? Type::int64() : T, Start.Ty);
    if (!AccT.isValid() || !AccT.isScalar()) {
      diag(DiagID::TypeMismatch, It.Range, {"numbers for `sum()`", pyTypeName(T)});
      return bad();
    }
    ir::ValueId Acc = entrySlot(AccT, "sum");
    B.store(convert(Start, AccT, E.Range, "the start").V, Acc);
    bool Ok = true;
    emitItemLoop(*Src, [&](TypedValue X) {
      TypedValue S2 = binaryOp(ast::BinOpKind::Add, {B.load(Acc), AccT}, X, nullptr, E.Range);
      TypedValue C = convert(S2, AccT, E.Range, "the sum");
      if (!C.ok()) {
        Ok = false;
        return;
      }
      B.store(C.V, Acc);
    });
    if (!Ok)
      return bad();
    return TypedValue{B.load(Acc), AccT};
  }
  if (Key)
    return minMaxByKey(Name, *Src, *Key, E.Range);
  // min / max: the first item, then each strictly smaller (larger) one, as
  // CPython compares; ValueError when there is none.
  Type AccT = T;
  ir::ValueId Acc = entrySlot(AccT, Name);
  ir::ValueId Have = entrySlot(Type::boolean(), "have");
  B.store(B.constBool(false), Have);
  B.store(typedConst(AccT, 0), Acc);
  bool Ok = true;
  ast::CmpOpKind Better = Name == "min" ? ast::CmpOpKind::Lt : ast::CmpOpKind::Gt;
  emitItemLoop(*Src, [&](TypedValue X) {
    TypedValue Take = compare(Better, X, {B.load(Acc), AccT}, E.Range);
    if (!Take.ok()) {
      Ok = false;
      return;
    }
    ir::ValueId First = B.create1(ir::OpKind::Not, {B.load(Have)}, Type::boolean());
    ir::ValueId Use = B.create1(ir::OpKind::BitOr, {First, Take.V}, Type::boolean());
    B.store(B.create1(ir::OpKind::Select, {Use, X.V, B.load(Acc)}, AccT), Acc);
    B.store(B.constBool(true), Have);
  });
  if (!Ok)
    return bad();
  raiseIf(B.create1(ir::OpKind::Not, {B.load(Have)}, Type::boolean()), "ValueError",
          Name.str() + "() arg is an empty sequence");
  return TypedValue{B.load(Acc), AccT};
}

//===----------------------------------------------------------------------===//
// Iteration
//===----------------------------------------------------------------------===//

std::optional<FunctionLowerer::ItemSource> FunctionLowerer::sourceOf(TypedValue V) {
  ItemSource S;
  if (V.Ty.isDict() || V.Ty.isSet()) { // its keys, in insertion order
    S.DictV = V.V;
    S.Fixed = false;
    S.ItemType = V.Ty.keyType();
    return S;
  }
  if (V.Ty.isList()) {
    S.ItemType = V.Ty.elementType();
    S.Fixed = false;
    S.Len = [this, V] { return listLen(V); };
    S.Get = [this, V](ir::ValueId I) { return listItem(V, I); };
    return S;
  }
  if (V.Ty.isArray()) {
    ir::ValueId N = arrayDim(V.V, 0);
    S.Len = [N] { return N; };
    S.Get = [this, V](ir::ValueId I) { return arrayElementOrView(V, {I}); };
    S.ItemType = V.Ty.ndim() == 1 ? V.Ty.elementType()
                                  : Type::array(V.Ty.elementType(), V.Ty.ndim() - 1,
                                                V.Ty.isCOrder());
    return S;
  }
  return std::nullopt;
}

std::optional<FunctionLowerer::ItemSource> FunctionLowerer::indexedSource(const ast::Expr &E) {
  auto P = itemSource(E);
  if (!P || !(P->Gen || P->DictV.isValid()))
    return P;
  // Items without an index (a generator, a dict): collected into a list first.
  if (P->ItemType.isNone() || !listElementOk(P->ItemType, E.Range))
    return std::nullopt;
  TypedValue Tmp = newList(P->ItemType, B.constInt(0));
  emitItemLoop(*P, [&](TypedValue X) { B.create(ir::OpKind::ListAppend, {Tmp.V, X.V}, {}); });
  return sourceOf(Tmp);
}

std::optional<FunctionLowerer::ItemSource> FunctionLowerer::itemSource(const ast::Expr &E) {
  auto *Call = dyn_cast<ast::CallExpr>(&E);
  auto *Callee = Call ? dyn_cast<ast::NameExpr>(Call->Func.get()) : nullptr;
  std::string Fn = Callee ? Callee->Id : "";
  if (Call && isBuiltinName(Fn, Locals, ML, "range")) {
    size_t N = Call->Args.size();
    if (N < 1 || N > 3 || !Call->Keywords.empty()) {
      diag(DiagID::WrongArity, Call->Range, {"range", "1 to 3", std::to_string(N)});
      return std::nullopt;
    }
    std::vector<ir::ValueId> Args;
    for (auto &A : Call->Args) {
      TypedValue V = asIndex(lowerExpr(*A));
      if (!V.ok())
        return std::nullopt;
      if (!(V.Ty.isInt() || V.Ty.isBool())) {
        diag(DiagID::BadRangeArg, A->Range, {pyTypeName(V.Ty)});
        return std::nullopt;
      }
      Args.push_back(convert(V, Type::int64(), A->Range, "a range bound").V);
    }
    ItemSource S;
    S.IsRange = true;
    S.Lo = N == 1 ? B.constInt(0) : Args[0];
    S.Hi = N == 1 ? Args[0] : Args[1];
    S.Step = N == 3 ? Args[2] : B.constInt(1);
    if (N == 3)
      raiseIf(B.cmp("eq", S.Step, B.constInt(0)), "ValueError", "range() arg 3 must not be zero");
    // The number of items, for zip and enumerate: max(0, ceil((hi - lo) / step)).
    ir::ValueId Lo = S.Lo, Hi = S.Hi, Step = S.Step;
    ir::ValueId Count = B.create1(ir::OpKind::FloorDiv,
                                  {B.create1(ir::OpKind::Add,
                                             {B.create1(ir::OpKind::Sub, {Hi, Lo}, Type::int64()),
                                              B.create1(ir::OpKind::Sub,
                                                        {Step,
                                                         B.create1(ir::OpKind::Select,
                                                                   {B.cmp("gt", Step,
                                                                          B.constInt(0)),
                                                                    B.constInt(1),
                                                                    B.constInt(-1)},
                                                                   Type::int64())},
                                                        Type::int64())},
                                             Type::int64()),
                                   Step},
                                  Type::int64());
    Count = B.create1(ir::OpKind::Select,
                      {B.cmp("lt", Count, B.constInt(0)), B.constInt(0), Count}, Type::int64());
    S.Len = [Count] { return Count; };
    S.Get = [this, Lo, Step](ir::ValueId I) {
      ir::ValueId X = B.create1(ir::OpKind::Add,
                                {Lo, B.create1(ir::OpKind::Mul, {I, Step}, Type::int64())},
                                Type::int64());
      return TypedValue{X, Type::int64()};
    };
    S.ItemType = Type::int64();
    return S;
  }
  // itertools.product(a, b, ..., repeat=k): item I is the tuple of each
  // iterable's item at I's digit in the mixed radix of their lengths (the
  // last iterable fastest, as itertools orders them).
  bool IsProduct = false;
  if (Call && Callee && !isLocal(Fn))
    if (const auto *Imp = ML.fromImport(Fn); Imp && Imp->first == "itertools" && Imp->second == "product")
      IsProduct = true;
  if (auto *A = Call ? dyn_cast<ast::AttributeExpr>(Call->Func.get()) : nullptr; A && A->Attr == "product")
    if (auto *N = dyn_cast<ast::NameExpr>(A->Value.get());
        N && !isLocal(N->Id) && ML.moduleAlias(N->Id) == "itertools")
      IsProduct = true;
  if (IsProduct) {
    int64_t Repeat = 1;
    for (const ast::Keyword &K : Call->Keywords) {
      auto *I = K.Name == "repeat" ? dyn_cast<ast::IntLitExpr>(K.Value.get()) : nullptr;
      if (!I || !I->FitsInt64 || I->Value < 0 || I->Value > 16) {
        diag(DiagID::Unsupported, K.Range,
             {"`product(...)` keywords other than `repeat=` with an integer literal (0 to 16)",
              "are"});
        return std::nullopt;
      }
      Repeat = I->Value;
    }
    std::vector<ItemSource> Parts;
    for (const ast::ExprPtr &A : Call->Args) {
      auto P = indexedSource(*A);
      if (!P)
        return std::nullopt;
      Parts.push_back(std::move(*P));
    }
    std::vector<ItemSource> All;
    for (int64_t R = 0; R < Repeat; ++R)
      All.insert(All.end(), Parts.begin(), Parts.end());
    ItemSource S;
    std::vector<Type> Tys;
    for (ItemSource &P : All) {
      S.Fixed &= P.Fixed;
      Tys.push_back(P.ItemType);
    }
    S.ItemType = Type::tuple(Tys);
    S.Len = [this, All] {
      ir::ValueId N = B.constInt(1);
      for (const ItemSource &P : All)
        N = B.create1(ir::OpKind::Mul, {N, P.Len()}, Type::int64());
      return N;
    };
    S.Get = [this, All, T = S.ItemType](ir::ValueId I) {
      std::vector<ir::ValueId> Items(All.size());
      ir::ValueId Rest = I;
      for (size_t K = All.size(); K-- > 0;) {
        ir::ValueId L = All[K].Len();
        Items[K] = All[K].Get(B.create1(ir::OpKind::Mod, {Rest, L}, Type::int64())).V;
        Rest = B.create1(ir::OpKind::FloorDiv, {Rest, L}, Type::int64());
      }
      return TypedValue{B.create1(ir::OpKind::TupleMake, Items, T), T};
    };
    return S;
  }
  if (Call && (isBuiltinName(Fn, Locals, ML, "enumerate") || isBuiltinName(Fn, Locals, ML, "zip"))) {
    bool Enum = Fn == "enumerate";
    // enumerate(it, start) / enumerate(it, start=k); zip of iterables.
    const ast::Expr *StartE = nullptr;
    if (Enum && Call->Args.size() == 2 && Call->Keywords.empty())
      StartE = Call->Args[1].get();
    else if (Enum && Call->Args.size() == 1 && Call->Keywords.size() == 1 &&
             Call->Keywords[0].Name == "start")
      StartE = Call->Keywords[0].Value.get();
    bool Plain = Call->Keywords.empty() && !Call->Args.empty() &&
                 (!Enum || Call->Args.size() == 1);
    if (!Plain && !StartE) {
      diag(DiagID::Unsupported, Call->Range, {"this form of `" + Fn + "`", "is"});
      return std::nullopt;
    }
    std::vector<ItemSource> Parts;
    for (size_t AI = 0; AI < (Enum ? 1 : Call->Args.size()); ++AI) {
      const ast::ExprPtr &A = Call->Args[AI];
      auto P = indexedSource(*A);
      if (!P)
        return std::nullopt;
      Parts.push_back(std::move(*P));
    }
    ir::ValueId Start;
    if (StartE) {
      TypedValue V = asIndex(lowerExpr(*StartE));
      if (!V.ok())
        return std::nullopt;
      if (!(V.Ty.isInt() || V.Ty.isBool())) {
        diag(DiagID::TypeMismatch, StartE->Range, {"an int for `start`", pyTypeName(V.Ty)});
        return std::nullopt;
      }
      Start = convert(V, Type::int64(), StartE->Range, "start").V;
    }
    ItemSource S;
    std::vector<Type> Tys;
    if (Enum)
      Tys.push_back(Type::int64());
    for (ItemSource &P : Parts) {
      S.Fixed &= P.Fixed;
      Tys.push_back(P.ItemType);
    }
    S.ItemType = Type::tuple(Tys);
    S.Len = [this, Parts] {
      ir::ValueId N = Parts[0].Len();
      for (size_t K = 1; K < Parts.size(); ++K) {
        ir::ValueId M = Parts[K].Len();
        N = B.create1(ir::OpKind::Select, {B.cmp("lt", M, N), M, N}, Type::int64());
      }
      return N;
    };
    S.Get = [this, Parts, Enum, Start, T = S.ItemType](ir::ValueId I) {
      std::vector<ir::ValueId> Items;
      if (Enum)
        Items.push_back(Start.isValid() ? B.create1(ir::OpKind::Add, {I, Start}, Type::int64()) : I);
      for (const ItemSource &P : Parts)
        Items.push_back(P.Get(I).V);
      return TypedValue{B.create1(ir::OpKind::TupleMake, Items, T), T};
    };
    return S;
  }
  if (auto *A = Call ? dyn_cast<ast::AttributeExpr>(Call->Func.get()) : nullptr;
      A && Call->Args.empty() && Call->Keywords.empty() &&
      (A->Attr == "keys" || A->Attr == "values" || A->Attr == "items")) {
    // d.keys(), d.values(), d.items() of a dict.
    Type DT = staticDictType(*A->Value);
    if (DT.isDict() || !DT.isValid()) {
      TypedValue D = lowerExpr(*A->Value);
      if (!D.ok())
        return std::nullopt;
      if (D.Ty.isDict()) {
        ItemSource S = *sourceOf(D);
        S.DictMode = A->Attr == "keys" ? 0 : A->Attr == "values" ? 1 : 2;
        S.ItemType = S.DictMode == 0   ? D.Ty.keyType()
                     : S.DictMode == 1 ? D.Ty.valueType()
                                       : Type::tuple({D.Ty.keyType(), D.Ty.valueType()});
        if (D.Ty.keyType().isNone() || D.Ty.valueType().isNone())
          S.ItemType = Type::none(); // nothing was ever stored
        return S;
      }
      diag(DiagID::Unsupported, Call->Range, {"`." + A->Attr + "()` of this value", "is"});
      return std::nullopt;
    }
  }
  if (auto *C = dyn_cast<ast::CompExpr>(&E); C && C->IsGenerator) {
    // A generator: each item computed when the loop consuming it needs it,
    // so `any(...)` stops at the first true item, as in Python.
    ItemSource S;
    S.Gen = C;
    S.Fixed = false;
    S.ItemType = generatorItemType(*C);
    if (!S.ItemType.isValid() && emitting())
      return std::nullopt;
    if (!S.ItemType.isValid())
      S.ItemType = Type::none(); // not known yet: inference comes back
    return S;
  }
  TypedValue V = lowerExpr(E);
  if (!V.ok())
    return std::nullopt;
  if (V.Ty.isTuple()) { // a tuple of one item type
    V = tupleAsList(V, E.Range);
    if (!V.ok())
      return std::nullopt;
  }
  if (auto S = sourceOf(V))
    return S;
  diag(DiagID::BadForIter, E.Range, {"a value of type `" + pyTypeName(V.Ty) + "`"});
  return std::nullopt;
}

Type FunctionLowerer::generatorItemType(const ast::CompExpr &C) {
  Type &T = S.CompTypes[&C];
  if (!T.isValid()) {
    // Inference: lower the generator once (the IR is thrown away) to learn
    // its items' type. (When emitting, only an error can get here, and
    // this reports it.)
    bool Ok = true;
    forEachCompItem(C, 0, [&] {
      TypedValue V = lowerExpr(*C.Elt);
      if (!V.ok() || !listElementOk(V.Ty, C.Elt->Range)) {
        Ok = false;
        return;
      }
      Type J = T.isValid() ? joinTypes(T, V.Ty) : V.Ty;
      if (J.isValid() && J != T) {
        T = J;
        Changed = true;
      }
    }, Ok);
  }
  return T;
}

void FunctionLowerer::setAndBreakIf(ir::ValueId Cond, ir::ValueId Flag, bool Value) {
  ir::OpId If = B.create(ir::OpKind::If, {Cond}, {}, 2);
  inRegion(F->op(If).Regions[0], [&] {
    B.store(B.constBool(Value), Flag);
    emitLoopBreak();
  });
}

void FunctionLowerer::emitLoopBreak() {
  if (!StopSlots.empty() && StopSlots.back().isValid())
    B.store(B.constBool(true), StopSlots.back());
  B.create(ir::OpKind::Break, {}, {});
}

void FunctionLowerer::emitItemLoop(const ItemSource &S,
                                   const std::function<void(TypedValue)> &Body) {
  if (S.Gen) {
    const ast::CompExpr &C = *S.Gen;
    // One stop flag for the consumer and every generator feeding it: a
    // break leaves all their loops.
    ir::ValueId Stop = S.InheritedStop;
    if (!Stop.isValid()) {
      Stop = entrySlot(Type::boolean(), "stop");
      B.store(B.constBool(false), Stop);
    }
    bool Ok = true;
    forEachCompItem(C, 0, [&] {
      TypedValue V = lowerExpr(*C.Elt);
      if (!V.ok() || S.ItemType.isNone())
        return;
      Type &T = this->S.CompTypes[&C];
      Type J = T.isValid() ? joinTypes(T, V.Ty) : V.Ty;
      if (J.isValid() && J != T) {
        assert(!emitting() && "generator type widened during emission");
        T = J;
        Changed = true;
      }
      TypedValue X = convert(V, S.ItemType, C.Elt->Range, "an item");
      if (!X.ok())
        return;
      StopSlots.push_back(Stop);
      Body(X);
      StopSlots.pop_back();
    }, Ok, Stop);
    return;
  }
  // A break in the body leaves this loop alone.
  StopSlots.push_back(ir::ValueId());
  if (S.DictV.isValid()) {
    // Entries in insertion order; a size change is CPython's RuntimeError at
    // the next item.
    Type DT = F->typeOf(S.DictV);
    ir::ValueId Start = B.create1(ir::OpKind::DictLen, {S.DictV}, Type::int64());
    ir::ValueId StartVersion = B.create1(ir::OpKind::DictVersion, {S.DictV}, Type::int64());
    ir::ValueId Rekeyed = entrySlot(Type::boolean(), "rekeyed");
    B.store(B.constBool(false), Rekeyed);
    ir::ValueId Pos = entrySlot(Type::int64(), "pos");
    ir::ValueId Changed_ = entrySlot(Type::boolean(), "changed");
    B.store(B.constInt(0), Pos);
    B.store(B.constBool(false), Changed_);
    ir::OpId W = B.create(ir::OpKind::While, {}, {}, 2);
    inRegion(F->op(W).Regions[0], [&] {
      ir::ValueId Ch = B.cmp("ne", B.create1(ir::OpKind::DictLen, {S.DictV}, Type::int64()), Start);
      B.store(Ch, Changed_);
      // Keys removed and added back (the same size): CPython's dict raises;
      // here its entries moved, so sets raise too (docs/language.md).
      ir::ValueId Rk = B.cmp("ne", B.create1(ir::OpKind::DictVersion, {S.DictV}, Type::int64()),
                             StartVersion);
      B.store(Rk, Rekeyed);
      Ch = B.create1(ir::OpKind::BitOr, {Ch, Rk}, Type::boolean());
      ir::ValueId P = B.create1(ir::OpKind::DictNext, {S.DictV, B.load(Pos)}, Type::int64());
      ir::ValueId More = B.create1(ir::OpKind::BitAnd,
                                   {B.cmp("ge", P, B.constInt(0)),
                                    B.create1(ir::OpKind::Not, {Ch}, Type::boolean())},
                                   Type::boolean());
      B.create(ir::OpKind::Condition, {More}, {});
    });
    inRegion(F->op(W).Regions[1], [&] {
      ir::ValueId P = B.create1(ir::OpKind::DictNext, {S.DictV, B.load(Pos)}, Type::int64());
      B.store(B.create1(ir::OpKind::Add, {P, B.constInt(1)}, Type::int64()), Pos);
      if (S.ItemType.isNone())
        return;
      auto Key = [&] { return B.create1(ir::OpKind::DictKeyAt, {S.DictV, P}, DT.keyType()); };
      auto Val = [&] { return B.create1(ir::OpKind::DictValueAt, {S.DictV, P}, DT.valueType()); };
      if (S.DictMode == 0)
        Body({Key(), DT.keyType()});
      else if (S.DictMode == 1)
        Body({Val(), DT.valueType()});
      else
        Body({B.create1(ir::OpKind::TupleMake, {Key(), Val()}, S.ItemType), S.ItemType});
    });
    ir::OpId If = B.create(ir::OpKind::If, {B.load(Changed_)}, {}, 2);
    inRegion(F->op(If).Regions[0], [&] {
      emitRaiseMsg("RuntimeError", DT.isDict() ? "dictionary changed size during iteration"
                                               : "Set changed size during iteration");
    });
    ir::OpId If2 = B.create(ir::OpKind::If, {B.load(Rekeyed)}, {}, 2);
    inRegion(F->op(If2).Regions[0], [&] {
      emitRaiseMsg("RuntimeError", DT.isDict() ? "dictionary keys changed during iteration"
                                               : "Set changed during iteration");
    });
    StopSlots.pop_back();
    return;
  }
  struct Pop {
    std::vector<ir::ValueId> &V;
    ~Pop() { V.pop_back(); }
  } PopStop{StopSlots};
  if (S.IsRange) {
    ir::OpId For = B.create(ir::OpKind::For, {S.Lo, S.Hi, S.Step}, {}, 1);
    ir::RegionId R = F->op(For).Regions[0];
    ir::ValueId IV = F->addRegionArg(R, Type::int64(), "i");
    inRegion(R, [&] { Body({IV, Type::int64()}); });
    return;
  }
  if (S.Fixed) {
    ir::ValueId N = S.Len();
    ir::OpId For = B.create(ir::OpKind::For, {B.constInt(0), N, B.constInt(1)}, {}, 1);
    ir::RegionId R = F->op(For).Regions[0];
    ir::ValueId IV = F->addRegionArg(R, Type::int64(), "i");
    inRegion(R, [&] { Body(S.Get(IV)); });
    return;
  }
  // A list: its length read again before each item (CPython's iterator).
  ir::ValueId Pos = entrySlot(Type::int64(), "pos");
  B.store(B.constInt(0), Pos);
  ir::OpId W = B.create(ir::OpKind::While, {}, {}, 2);
  inRegion(F->op(W).Regions[0], [&] {
    ir::ValueId More = B.cmp("lt", B.load(Pos), S.Len());
    B.create(ir::OpKind::Condition, {More}, {});
  });
  inRegion(F->op(W).Regions[1], [&] {
    ir::ValueId I = B.load(Pos);
    ir::ValueId Next = B.create1(ir::OpKind::Add, {I, B.constInt(1)}, Type::int64());
    F->op(F->definingOp(Next)).Attrs.set("no_overflow", true);
    B.store(Next, Pos);
    Body(S.Get(I));
  });
}

void FunctionLowerer::lowerForItems(const ast::ForStmt &St, const ItemSource &S) {
  LoopCtx Ctx;
  if (!St.OrElse.empty()) {
    Ctx.BrokeFlag = entrySlot(Type::boolean(), "broke");
    B.store(B.constBool(false), Ctx.BrokeFlag);
  }
  if (S.ItemType.isNone() && !S.Gen) {
    // Over an empty list or tuple of unknown item type: the body never runs.
    if (!St.OrElse.empty())
      lowerBody(St.OrElse);
    return;
  }
  Loops.push_back(Ctx);
  emitItemLoop(S, [&](TypedValue X) {
    Loops.back().StopFlag = StopSlots.empty() ? ir::ValueId() : StopSlots.back();
    assignTarget(*St.Target, X, St.Target->Range);
    lowerBody(St.Loop);
  });
  Loops.pop_back();
  lowerLoopElse(Ctx, St.OrElse);
}

//===----------------------------------------------------------------------===//
// Comprehensions
//===----------------------------------------------------------------------===//

std::string FunctionLowerer::scopedName(const std::string &Name) const {
  for (auto It = CompScopes.rbegin(); It != CompScopes.rend(); ++It)
    if (auto F = It->find(Name); F != It->end())
      return F->second;
  return Name;
}

void FunctionLowerer::forEachCompItem(const ast::CompExpr &C, size_t K,
                                      const std::function<void()> &Body, bool &Ok,
                                      ir::ValueId Stop) {
  if (K == C.Clauses.size()) {
    Body();
    return;
  }
  const ast::CompExpr::Clause &Cl = C.Clauses[K];
  // The first clause's iterable is evaluated outside the comprehension's
  // scope, the others inside it (Python's rule).
  std::optional<ItemSource> Src = itemSource(*Cl.Iter);
  if (!Src) {
    Ok = false;
    return;
  }
  if (Src->Gen && Stop.isValid())
    Src->InheritedStop = Stop; // a generator feeding this one stops with it
  // The clause's targets: variables of the comprehension alone.
  std::map<std::string, std::string> Scope;
  ast::forEachTargetName(*Cl.Target, [&](const std::string &N) {
    std::string Id = N + "." + std::to_string(CompCounter) + "comp";
    Scope[N] = Id;
    Locals.insert(Id);
  });
  ++CompCounter;
  CompScopes.push_back(Scope);
  emitItemLoop(*Src, [&](TypedValue X) {
    assignTarget(*Cl.Target, X, Cl.Target->Range);
    std::function<void(size_t)> Filter = [&](size_t I) {
      if (I == Cl.Ifs.size()) {
        forEachCompItem(C, K + 1, Body, Ok, Stop);
        return;
      }
      TypedValue Cond = truthy(lowerExpr(*Cl.Ifs[I]), Cl.Ifs[I]->Range);
      if (!Cond.ok()) {
        Ok = false;
        return;
      }
      ir::OpId If = B.create(ir::OpKind::If, {Cond.V}, {}, 2);
      inRegion(F->op(If).Regions[0], [&] { Filter(I + 1); });
    };
    Filter(0);
    if (Stop.isValid() && !Terminated) {
      // A break out of an inner level leaves this one too.
      ir::OpId If = B.create(ir::OpKind::If, {B.load(Stop)}, {}, 2);
      inRegion(F->op(If).Regions[0], [&] { B.create(ir::OpKind::Break, {}, {}); });
    }
  });
  CompScopes.pop_back();
}

TypedValue FunctionLowerer::lowerComp(const ast::CompExpr &C, bool AsList) {
  if (C.IsDict || C.IsSet)
    return lowerMappingComp(C);
  if (C.IsGenerator && !AsList) {
    diag(DiagID::Unsupported, C.Range,
         {"generator expressions outside `sum`, `min`, `max`, `any`, `all`, `sorted`, `list` "
          "and `for`",
          "are"});
    return bad();
  }
  // The element type is known once the loop is lowered: the list is made
  // with the type inference settled on for this comprehension.
  Type &Elem = S.CompTypes[&C];
  Type LT = Type::list(Elem.isValid() ? Elem : Type::none());
  ir::ValueId L = B.create1(ir::OpKind::ListNew, {B.constInt(0)}, LT);
  TypedValue Out{L, LT};
  bool Ok = true;
  forEachCompItem(C, 0, [&] {
    TypedValue V = lowerExpr(*C.Elt);
    if (!V.ok() || !listElementOk(V.Ty, C.Elt->Range)) {
      Ok = false;
      return;
    }
    Type J = Elem.isValid() ? joinTypes(Elem, V.Ty) : V.Ty;
    if (!J.isValid()) {
      diag(DiagID::TypeMismatch, C.Elt->Range,
           {"items of one type (`" + pyTypeName(Elem) + "` elsewhere)", pyTypeName(V.Ty)});
      Ok = false;
      return;
    }
    if (J != Elem) {
      assert(!emitting() && "comprehension type widened during emission");
      Elem = J;
      Changed = true;
    }
    if (LT.elementType().isNone())
      return; // inference: the type is not known yet
    TypedValue X = convert(V, LT.elementType(), C.Elt->Range, "a list item");
    if (X.ok())
      B.create(ir::OpKind::ListAppend, {L, X.V}, {});
  }, Ok);
  if (!Ok)
    return bad();
  FreshList = L;
  return Out;
}

//===----------------------------------------------------------------------===//
// np.array of lists
//===----------------------------------------------------------------------===//

TypedValue FunctionLowerer::listToArray(TypedValue L, std::optional<Type> Dtype, SourceRange Site) {
  Type Item = L.Ty.elementType();
  // An item type inference is still learning (a comprehension lowered for
  // the first time): wait for it rather than guess a shape.
  bool Unknown = Item.isNone() || (Item.isList() && Item.elementType().isNone());
  if (Unknown && !emitting() && Changed)
    return bad();
  ir::ValueId N = listLen(L);
  if (Item.isNone() || Item.isScalar()) {
    // A list of numbers: one axis (np.array([]) is float64).
    Type Elem = Dtype ? *Dtype : Item.isNone() ? Type::float64() : Item;
    TypedValue A = allocArray(Elem, {N});
    if (!Item.isNone())
      emitCountedLoop(N, [&](ir::ValueId I) {
        B.create(ir::OpKind::ArrayStore, {castScalar(listItem(L, I), Elem, Site).V, A.V, I}, {});
      });
    return A;
  }
  // Rows: lists or tuples of numbers, all of one length (NumPy's
  // ValueError for ragged rows).
  bool Tuples = Item.isTuple();
  Type RowElem;
  if (Tuples) {
    bool AllNumbers = true;
    for (Type T : Item.elements()) {
      AllNumbers &= T.isScalar();
      RowElem = !AllNumbers ? Type() : RowElem.isValid() ? joinTypes(RowElem, T) : T;
      if (!RowElem.isValid())
        break;
    }
  } else if (Item.isList() && (Item.elementType().isScalar() || Item.elementType().isNone())) {
    RowElem = Item.elementType().isNone() ? Type::float64() : Item.elementType();
  }
  if (!RowElem.isValid()) {
    diag(DiagID::Unsupported, Site,
         {"`np.array()` of a `" + pyTypeName(L.Ty) + "` (deeper than two levels, or mixed)",
          "is"});
    return bad();
  }
  Type Elem = Dtype ? *Dtype : RowElem;
  ir::ValueId Cols;
  if (Tuples) {
    Cols = B.constInt(Item.elements().size());
  } else {
    // The first row's length (0 rows: 0 columns).
    ir::ValueId C = entrySlot(Type::int64(), "cols");
    B.store(B.constInt(0), C);
    ir::OpId If = B.create(ir::OpKind::If, {B.cmp("gt", N, B.constInt(0))}, {}, 2);
    inRegion(F->op(If).Regions[0],
             [&] { B.store(listLen(listItem(L, B.constInt(0))), C); });
    Cols = B.load(C);
    emitCountedLoop(N, [&](ir::ValueId I) {
      raiseFmtIf(B.cmp("ne", listLen(listItem(L, I)), Cols), "ValueError",
                 "setting an array element with a sequence. The requested array has an "
                 "inhomogeneous shape after 1 dimensions. The detected shape was ({},) + "
                 "inhomogeneous part.",
                 {N});
    });
  }
  TypedValue A = allocArray(Elem, {N, Cols});
  emitCountedLoop(N, [&](ir::ValueId I) {
    TypedValue Row = listItem(L, I);
    if (Tuples) {
      for (size_t K = 0; K < Item.elements().size(); ++K) {
        ir::ValueId X = B.create1(ir::OpKind::TupleGet, {Row.V}, Item.elements()[K]);
        F->op(F->definingOp(X)).Attrs.set("index", (int64_t)K);
        B.create(ir::OpKind::ArrayStore,
                 {castScalar({X, Item.elements()[K]}, Elem, Site).V, A.V, I, B.constInt(K)}, {});
      }
      return;
    }
    if (Item.elementType().isNone())
      return;
    emitCountedLoop(Cols, [&](ir::ValueId J) {
      B.create(ir::OpKind::ArrayStore, {castScalar(listItem(Row, J), Elem, Site).V, A.V, I, J},
               {});
    });
  });
  return A;
}

//===----------------------------------------------------------------------===//
// key= functions
//===----------------------------------------------------------------------===//

TypedValue FunctionLowerer::applyKey(const ast::Expr &Key, TypedValue Item) {
  auto *Lam = dyn_cast<ast::LambdaExpr>(&Key);
  if (!Lam || Lam->Params.size() != 1) {
    diag(DiagID::Unsupported, Key.Range,
         {"`key=` other than a one-parameter lambda (`key=lambda t: t[1]`)", "is"});
    return bad();
  }
  // The parameter is the lambda's own variable, like a comprehension's.
  std::string Id = Lam->Params[0] + "." + std::to_string(CompCounter++) + "lambda";
  Locals.insert(Id);
  CompScopes.push_back({{Lam->Params[0], Id}});
  assignVar(Id, Item, Key.Range);
  TypedValue K = lowerExpr(*Lam->Body);
  CompScopes.pop_back();
  return K;
}

TypedValue FunctionLowerer::sortedByKey(TypedValue L, const ast::Expr &Key, bool Reverse,
                                        SourceRange Site) {
  // Keys first (each item's, in order), then the indices that sort them
  // stably, then the items in that order: as list.sort(key=...) does.
  Type Item = L.Ty.elementType();
  if (Item.isNone())
    return newList(Type::none(), B.constInt(0));
  Type &KT = S.CompTypes[&Key];
  ir::ValueId N = listLen(L);
  TypedValue Keys = newList(KT.isValid() ? KT : Type::none(), N);
  bool Ok = true;
  emitCountedLoop(N, [&](ir::ValueId I) {
    TypedValue K = applyKey(Key, listItem(L, I));
    if (!K.ok()) {
      Ok = false;
      return;
    }
    if (!(K.Ty.isReal() || K.Ty.isBool())) {
      diag(DiagID::Unsupported, Key.Range,
           {"sorting by keys of type `" + pyTypeName(K.Ty) + "` (numbers are)", "is"});
      Ok = false;
      return;
    }
    Type J = KT.isValid() ? joinTypes(KT, K.Ty) : K.Ty;
    if (J != KT) {
      assert(!emitting() && "key type widened during emission");
      KT = J;
      Changed = true;
    }
    if (!Keys.Ty.elementType().isNone())
      B.create(ir::OpKind::ListAppend, {Keys.V, convert(K, KT, Site, "a key").V}, {});
  });
  if (!Ok || Keys.Ty.elementType().isNone())
    return Ok ? newList(Item, B.constInt(0)) : bad();
  TypedValue Perm{B.create1(ir::OpKind::ListArgsort, {Keys.V}, Type::list(Type::int64())),
                  Type::list(Type::int64())};
  if (Reverse)
    F->op(F->definingOp(Perm.V)).Attrs.set("reverse", true);
  TypedValue Out = newList(Item, N);
  emitCountedLoop(N, [&](ir::ValueId I) {
    B.create(ir::OpKind::ListAppend, {Out.V, listItem(L, listItem(Perm, I).V).V}, {});
  });
  FreshList = Out.V;
  return Out;
}

TypedValue FunctionLowerer::minMaxByKey(llvm::StringRef Name, const ItemSource &Src,
                                        const ast::Expr &Key, SourceRange Site) {
  // The first item whose key is smallest (largest), as CPython.
  Type T = Src.ItemType;
  if (T.isNone()) {
    emitRaiseMsg("ValueError", Name.str() + "() arg is an empty sequence");
    return bad();
  }
  Type &KT = S.CompTypes[&Key];
  ir::ValueId Best = entrySlot(T, Name);
  ir::ValueId BestKey = KT.isValid() ? entrySlot(KT, "key") : ir::ValueId();
  ir::ValueId Have = entrySlot(Type::boolean(), "have");
  B.store(B.constBool(false), Have);
  bool Ok = true;
  ast::CmpOpKind Better = Name == "min" ? ast::CmpOpKind::Lt : ast::CmpOpKind::Gt;
  emitItemLoop(Src, [&](TypedValue X) {
    TypedValue K = applyKey(Key, X);
    if (!K.ok()) {
      Ok = false;
      return;
    }
    Type J = KT.isValid() ? joinTypes(KT, K.Ty) : K.Ty;
    if (!J.isValid()) {
      diag(DiagID::TypeMismatch, Key.Range, {"keys of one type", pyTypeName(K.Ty)});
      Ok = false;
      return;
    }
    if (J != KT) {
      assert(!emitting() && "key type widened during emission");
      KT = J;
      Changed = true;
    }
    if (!BestKey.isValid())
      return; // inference: the key type is learned now
    TypedValue CK = convert(K, KT, Site, "a key");
    TypedValue Take = compare(Better, CK, {B.load(BestKey), KT}, Site);
    if (!CK.ok() || !Take.ok()) {
      Ok = false;
      return;
    }
    ir::ValueId First = B.create1(ir::OpKind::Not, {B.load(Have)}, Type::boolean());
    ir::ValueId Use = B.create1(ir::OpKind::BitOr, {First, Take.V}, Type::boolean());
    ir::OpId If = B.create(ir::OpKind::If, {Use}, {}, 2);
    inRegion(F->op(If).Regions[0], [&] {
      B.store(X.V, Best);
      B.store(CK.V, BestKey);
    });
    B.store(B.constBool(true), Have);
  });
  if (!Ok || !BestKey.isValid())
    return bad();
  raiseIf(B.create1(ir::OpKind::Not, {B.load(Have)}, Type::boolean()), "ValueError",
          Name.str() + "() arg is an empty sequence");
  return {B.load(Best), T};
}

//===----------------------------------------------------------------------===//
// Equality of containers
//===----------------------------------------------------------------------===//

TypedValue FunctionLowerer::containersEqual(TypedValue A, TypedValue Bv, SourceRange Site) {
  ir::ValueId Same = entrySlot(Type::boolean(), "same");
  bool IsList = A.Ty.isList();
  Type AE = IsList ? A.Ty.elementType() : A.Ty.keyType();
  Type BE = IsList ? Bv.Ty.elementType() : Bv.Ty.keyType();
  ir::ValueId NA = IsList ? listLen(A) : B.create1(ir::OpKind::DictLen, {A.V}, Type::int64());
  ir::ValueId NB = IsList ? listLen(Bv) : B.create1(ir::OpKind::DictLen, {Bv.V}, Type::int64());
  B.store(B.cmp("eq", NA, NB), Same);
  if (AE.isNone() || BE.isNone()) // one of them is empty by type: equal iff both are
    return {B.load(Same), Type::boolean()};
  bool Ok = true;
  ir::OpId If = B.create(ir::OpKind::If, {B.load(Same)}, {}, 2);
  inRegion(F->op(If).Regions[0], [&] {
    if (IsList) {
      emitCountedLoop(NA, [&](ir::ValueId I) {
        TypedValue Eq = compare(ast::CmpOpKind::Eq, listItem(A, I), listItem(Bv, I), Site);
        if (!Eq.ok()) {
          Ok = false;
          return;
        }
        setAndBreakIf(B.create1(ir::OpKind::Not, {Eq.V}, Type::boolean()), Same, false);
      });
      return;
    }
    // Every key of A in B (sizes are equal), and for dicts equal values.
    ItemSource Keys = *sourceOf(A);
    emitItemLoop(Keys, [&](TypedValue K) {
      TypedValue In = dictContains(K, Bv, Site);
      if (!In.ok()) {
        Ok = false;
        return;
      }
      ir::ValueId Miss = B.create1(ir::OpKind::Not, {In.V}, Type::boolean());
      if (A.Ty.isDict()) {
        // (Only when the key is there: the value of a missing key is not read.)
        TypedValue Eq = branchValue(
            In.V,
            [&] {
              Type VB = Bv.Ty.valueType();
              TypedValue Other{B.create1(ir::OpKind::DictGet, {Bv.V, convert(K, Bv.Ty.keyType(), Site, "a key").V}, VB), VB};
              Type VA = A.Ty.valueType();
              TypedValue Mine{B.create1(ir::OpKind::DictGet, {A.V, K.V}, VA), VA};
              return compare(ast::CmpOpKind::Eq, Mine, Other, Site);
            },
            [&] { return constBool(false); }, Site);
        if (!Eq.ok()) {
          Ok = false;
          return;
        }
        Miss = B.create1(ir::OpKind::Not, {Eq.V}, Type::boolean());
      }
      setAndBreakIf(Miss, Same, false);
    });
  });
  if (!Ok)
    return bad();
  return {B.load(Same), Type::boolean()};
}

//===----------------------------------------------------------------------===//
// del
//===----------------------------------------------------------------------===//

void FunctionLowerer::lowerDel(const ast::Expr &Target) {
  auto *Sub = dyn_cast<ast::SubscriptExpr>(&Target);
  if (!Sub) {
    diag(DiagID::Unsupported, Target.Range,
         {"`del` of anything but a list item or slice, or a dict key", "is"});
    return;
  }
  TypedValue C = lowerExpr(*Sub->Value);
  if (!C.ok())
    return;
  if (C.Ty.isDict()) {
    TypedValue K = toKey(lowerExpr(*Sub->Index), C, Sub->Index->Range);
    if (!K.ok())
      return;
    ir::ValueId Was = B.create1(ir::OpKind::DictRemove, {C.V, K.V}, Type::boolean());
    ir::OpId If = B.create(ir::OpKind::If, {B.create1(ir::OpKind::Not, {Was}, Type::boolean())}, {}, 2);
    inRegion(F->op(If).Regions[0], [&] { raiseKeyError(K); });
    return;
  }
  if (!C.Ty.isList()) {
    diag(DiagID::Unsupported, Target.Range,
         {"`del` of an item of a `" + pyTypeName(C.Ty) + "`", "is"});
    return;
  }
  if (auto *Sl = dyn_cast<ast::SliceExpr>(Sub->Index.get())) {
    // del xs[a:b] (step 1): the items of slice.indices removed in order.
    if (Sl->Step) {
      diag(DiagID::Unsupported, Sl->Range, {"`del` of a slice with a step", "is"});
      return;
    }
    std::optional<SliceBounds> S = sliceIndices(C, *Sl);
    if (!S || C.Ty.elementType().isNone())
      return;
    // Step 1: the items from Start up to Stop (none when Stop <= Start).
    ir::ValueId Count = B.create1(ir::OpKind::Sub, {S->Stop, S->Start}, Type::int64());
    Count = B.create1(ir::OpKind::Select, {B.cmp("lt", Count, B.constInt(0)), B.constInt(0), Count},
                      Type::int64());
    emitCountedLoop(Count, [&](ir::ValueId) {
      B.create1(ir::OpKind::ListRemove, {C.V, S->Start}, C.Ty.elementType());
    });
    return;
  }
  ir::ValueId I = listIndex(C, *Sub->Index, "list assignment index out of range");
  if (!I.isValid() || !knownElements(C, Target.Range))
    return;
  B.create1(ir::OpKind::ListRemove, {C.V, I}, C.Ty.elementType());
}

//===- ForwardSubstitute.cpp - Fuse an array temporary into its one use ---===//
//
//   diff = points.reshape((n, 1, d)) - centroids.reshape((1, k, d))
//   dist2 = np.sum(diff * diff, axis=2)
//
// computes `diff`, an (n, k, d) array, only to read it in the next
// statement. When that is its only use, the next statement is lowered with
// `diff` replaced by its expression, so both fuse into one loop nest and the
// temporary is never made (LowerArrayExpr.cpp does the fusing).
//
// The same holds for a temporary read by a later statement of the block,
// when the statements between let E move past them (rule 7): named
// temporaries, as NumPy code writes them (`t0 = ...; t1 = ...; return
// np.sum(t0 + t1)`), fuse into one loop nest too.
//
// Legal when, for `v = E` followed by statement S in one block, directly
// or after statements M1..Mk (S calls no function of the module, which
// could change what E reads):
//   1. v is assigned nowhere else in the function, and read nowhere but in
//      S (so nothing sees that v was never assigned);
//   2. E is pure and cheap to repeat: names, constants, attributes,
//      subscripts of names (views), operators, NumPy's element-wise
//      functions and `.reshape`/`.T` — no call of a module function, no
//      reduction (S may read v several times, and each read evaluates E);
//   3. S is an assignment, augmented assignment, `return` or expression
//      statement with no conditional evaluation (`x if c else y`, `and`,
//      `or`, chained comparisons), so E is evaluated in S exactly when and
//      as often as S reads v, right after the point where v was assigned;
//   4. S assigns none of the names E reads before E is evaluated: S's
//      right side is evaluated before its targets are assigned, and a
//      subscript target only writes elements (the arrays E reads are the
//      same objects; overlap with the target is handled as for any
//      statement);
//   5. if E may raise (an index, a division, broadcasting, a slice with a
//      computed step), nothing S evaluates before it reads v may raise:
//      otherwise S's error would come out where CPython raises E's
//      (`s = 10 // n; r = y[0] - s` with n = 0 and y empty is a
//      ZeroDivisionError, not an IndexError; so is `v = a[5]; v[:] = k % m`
//      with m = 0 an IndexError). And if E indexes elements (`v = x[i]`
//      with an index array), S indexes none: in the fused loop the checks
//      of both would interleave element by element;
//   6. S keeps at most one read of v as an object (a result, an element of
//      a result tuple, or a view of v in such a place): each read evaluates
//      E again, so `return v, v[1:]` would give two arrays that do not share
//      memory, where CPython's do;
//   7. each Mi binds one name, which E (with the temporaries it reads
//      expanded) does not read, to a pure array expression (rule 2: no
//      call that could write what E reads, no element written); S is
//      lowered where it stands (not itself moved); and if E may raise,
//      CPython raises E's error before any of theirs, so each Mi raises
//      nothing, or is itself moved into S and read there after v (rule 5
//      counts reading it as raising).
// Definitions read by the next statement are planned first, in order; then
// those read later, last first, so that the statements between are settled.
//
//===----------------------------------------------------------------------===//

#include "frontend/LowerImpl.h"
#include "llvm/Support/Casting.h"
#include <set>

using namespace kiln;
using namespace kiln::lower;
using llvm::dyn_cast;
using llvm::isa;

void lower::walkExpr(const ast::Expr *E, const std::function<void(const ast::Expr &)> &Fn) {
  if (!E)
    return;
  Fn(*E);
  auto All = [&](const std::vector<ast::ExprPtr> &Xs) {
    for (auto &X : Xs)
      walkExpr(X.get(), Fn);
  };
  if (auto *X = dyn_cast<ast::BinOpExpr>(E))
    walkExpr(X->LHS.get(), Fn), walkExpr(X->RHS.get(), Fn);
  else if (auto *X = dyn_cast<ast::UnaryExpr>(E))
    walkExpr(X->Operand.get(), Fn);
  else if (auto *X = dyn_cast<ast::BoolOpExpr>(E))
    All(X->Values);
  else if (auto *X = dyn_cast<ast::CompareExpr>(E))
    walkExpr(X->Left.get(), Fn), All(X->Comparators);
  else if (auto *X = dyn_cast<ast::IfExpExpr>(E))
    walkExpr(X->Test.get(), Fn), walkExpr(X->Body.get(), Fn), walkExpr(X->OrElse.get(), Fn);
  else if (auto *X = dyn_cast<ast::CallExpr>(E)) {
    walkExpr(X->Func.get(), Fn);
    All(X->Args);
    for (const ast::Keyword &K : X->Keywords)
      walkExpr(K.Value.get(), Fn);
  } else if (auto *X = dyn_cast<ast::AttributeExpr>(E))
    walkExpr(X->Value.get(), Fn);
  else if (auto *X = dyn_cast<ast::SubscriptExpr>(E))
    walkExpr(X->Value.get(), Fn), walkExpr(X->Index.get(), Fn);
  else if (auto *X = dyn_cast<ast::SliceExpr>(E))
    walkExpr(X->Lower.get(), Fn), walkExpr(X->Upper.get(), Fn), walkExpr(X->Step.get(), Fn);
  else if (auto *X = dyn_cast<ast::TupleExpr>(E))
    All(X->Elts);
  else if (auto *X = dyn_cast<ast::ListExpr>(E))
    All(X->Elts);
  else if (auto *X = dyn_cast<ast::DictExpr>(E))
    All(X->Keys), All(X->Values);
  else if (auto *X = dyn_cast<ast::SetExpr>(E))
    All(X->Elts);
  else if (auto *X = dyn_cast<ast::FStringExpr>(E))
    All(X->Fields);
  else if (auto *X = dyn_cast<ast::LambdaExpr>(E))
    walkExpr(X->Body.get(), Fn);
  else if (auto *X = dyn_cast<ast::CompExpr>(E)) {
    walkExpr(X->Elt.get(), Fn);
    walkExpr(X->Value.get(), Fn);
    for (const ast::CompExpr::Clause &C : X->Clauses) {
      walkExpr(C.Target.get(), Fn), walkExpr(C.Iter.get(), Fn);
      All(C.Ifs);
    }
  }
}

namespace {

/// Calls \p OnExpr on every expression and \p OnTarget on every assigned
/// target expression of the statements of \p Body, nested ones included.
void walkBody(const ast::Body &Body, const std::function<void(const ast::Expr &)> &OnExpr,
              const std::function<void(const ast::Expr &)> &OnTarget);

/// walkBody for one statement.
void walkStmt(const ast::Stmt *S, const std::function<void(const ast::Expr &)> &OnExpr,
              const std::function<void(const ast::Expr &)> &OnTarget) {
  if (auto *X = dyn_cast<ast::ExprStmt>(S))
    walkExpr(X->Value.get(), OnExpr);
  else if (auto *X = dyn_cast<ast::AssignStmt>(S)) {
    for (auto &T : X->Targets)
      OnTarget(*T), walkExpr(T.get(), OnExpr);
    walkExpr(X->Value.get(), OnExpr);
  } else if (auto *X = dyn_cast<ast::AugAssignStmt>(S))
    OnTarget(*X->Target), walkExpr(X->Target.get(), OnExpr), walkExpr(X->Value.get(), OnExpr);
  else if (auto *X = dyn_cast<ast::AnnAssignStmt>(S))
    OnTarget(*X->Target), walkExpr(X->Target.get(), OnExpr), walkExpr(X->Value.get(), OnExpr);
  else if (auto *X = dyn_cast<ast::ReturnStmt>(S))
    walkExpr(X->Value.get(), OnExpr);
  else if (auto *X = dyn_cast<ast::IfStmt>(S)) {
    walkExpr(X->Test.get(), OnExpr);
    walkBody(X->Then, OnExpr, OnTarget);
    walkBody(X->OrElse, OnExpr, OnTarget);
  } else if (auto *X = dyn_cast<ast::WhileStmt>(S)) {
    walkExpr(X->Test.get(), OnExpr);
    walkBody(X->Loop, OnExpr, OnTarget);
    walkBody(X->OrElse, OnExpr, OnTarget);
  } else if (auto *X = dyn_cast<ast::ForStmt>(S)) {
    OnTarget(*X->Target);
    walkExpr(X->Target.get(), OnExpr);
    walkExpr(X->Iter.get(), OnExpr);
    walkBody(X->Loop, OnExpr, OnTarget);
    walkBody(X->OrElse, OnExpr, OnTarget);
  } else if (auto *X = dyn_cast<ast::TryStmt>(S)) {
    walkBody(X->Stmts, OnExpr, OnTarget);
    for (const ast::TryStmt::Handler &H : X->Handlers) {
      walkExpr(H.Type.get(), OnExpr);
      walkBody(H.Stmts, OnExpr, OnTarget);
    }
    walkBody(X->OrElse, OnExpr, OnTarget);
    walkBody(X->Finally, OnExpr, OnTarget);
  } else if (auto *X = dyn_cast<ast::RaiseStmt>(S))
    walkExpr(X->Exc.get(), OnExpr), walkExpr(X->Cause.get(), OnExpr);
  else if (auto *X = dyn_cast<ast::AssertStmt>(S))
    walkExpr(X->Test.get(), OnExpr), walkExpr(X->Msg.get(), OnExpr);
  else if (auto *X = dyn_cast<ast::DelStmt>(S))
    for (auto &T : X->Targets)
      OnTarget(*T), walkExpr(T.get(), OnExpr);
}

void walkBody(const ast::Body &Body, const std::function<void(const ast::Expr &)> &OnExpr,
              const std::function<void(const ast::Expr &)> &OnTarget) {
  for (const ast::StmtPtr &SP : Body)
    walkStmt(SP.get(), OnExpr, OnTarget);
}

/// Whether one part of a subscript's index can raise: an index, or a slice
/// whose step is not a literal (a zero step raises); `:`, `1:-1:2`,
/// `None` and `...` cannot.
bool indexPartMayRaise(const ast::Expr &I) {
  if (isa<ast::NoneLitExpr>(&I) || isa<ast::EllipsisExpr>(&I))
    return false;
  auto *S = dyn_cast<ast::SliceExpr>(&I);
  if (!S)
    return true; // an integer or an index array: checked element by element
  const ast::Expr *Step = S->Step.get();
  if (auto *U = llvm::dyn_cast_or_null<ast::UnaryExpr>(Step))
    Step = U->Operand.get();
  return Step && !isa<ast::IntLitExpr>(Step);
}

/// Whether subscript \p X indexes elements (or may raise) rather than only
/// taking a view.
bool indexMayRaise(const ast::SubscriptExpr &X) {
  if (auto *T = dyn_cast<ast::TupleExpr>(X.Index.get())) {
    for (auto &Elt : T->Elts)
      if (indexPartMayRaise(*Elt))
        return true;
    return false;
  }
  return indexPartMayRaise(*X.Index);
}

/// Whether \p E reads elements through an index (`a[i]`, `x[idx]`): such
/// checks run element by element inside a fused loop.
bool indexesElements(const ast::Expr &E) {
  bool Any = false;
  walkExpr(&E, [&](const ast::Expr &X) {
    if (auto *S = dyn_cast<ast::SubscriptExpr>(&X))
      Any |= indexMayRaise(*S);
  });
  return Any;
}

/// Names, literals and attributes: they neither compute nor raise.
bool isInertLeaf(ast::ExprKind K) {
  switch (K) {
  case ast::ExprKind::Name:
  case ast::ExprKind::IntLit:
  case ast::ExprKind::FloatLit:
  case ast::ExprKind::BoolLit:
  case ast::ExprKind::NoneLit:
  case ast::ExprKind::Ellipsis:
  case ast::ExprKind::Attribute:
    return true;
  default:
    return false;
  }
}

/// False only for expressions that certainly raise nothing: names,
/// literals, attributes and views made by slices with literal steps
/// (`a[1:, ::2]`, `x[:, None]`).
bool mayRaise(const ast::Expr &E) {
  bool May = false;
  walkExpr(&E, [&](const ast::Expr &X) {
    if (isInertLeaf(X.Kind))
      return;
    switch (X.Kind) {
    case ast::ExprKind::Slice:
    case ast::ExprKind::Tuple:
      return;
    case ast::ExprKind::Subscript:
      May |= indexMayRaise(static_cast<const ast::SubscriptExpr &>(X));
      return;
    default:
      May = true;
      return;
    }
  });
  return May;
}

/// Whether \p E reads one of \p Names.
bool readsAnyOf(const ast::Expr &E, const std::set<std::string> &Names) {
  bool Found = false;
  if (!Names.empty())
    walkExpr(&E, [&](const ast::Expr &X) {
      if (auto *N = dyn_cast<ast::NameExpr>(&X))
        Found |= Names.count(N->Id) != 0;
    });
  return Found;
}

/// Walks \p E in Python's evaluation order up to the first read of \p V.
/// Returns true once V is found; sets \p Raises if a subexpression that is
/// complete before that read may raise.
bool readAfterRaising(const ast::Expr *E, const std::string &V, bool &Raises,
                      const std::set<std::string> &RaisingNames) {
  if (!E)
    return false;
  if (auto *N = dyn_cast<ast::NameExpr>(E))
    return N->Id == V;
  auto Child = [&](const ast::Expr *C) {
    if (readAfterRaising(C, V, Raises, RaisingNames))
      return true;
    Raises |= C && (mayRaise(*C) || readsAnyOf(*C, RaisingNames));
    return false;
  };
  auto Children = [&](const std::vector<ast::ExprPtr> &Xs) {
    for (auto &X : Xs)
      if (Child(X.get()))
        return true;
    return false;
  };
  if (auto *X = dyn_cast<ast::BinOpExpr>(E))
    return Child(X->LHS.get()) || Child(X->RHS.get());
  if (auto *X = dyn_cast<ast::UnaryExpr>(E))
    return Child(X->Operand.get());
  if (auto *X = dyn_cast<ast::CompareExpr>(E))
    return Child(X->Left.get()) || Children(X->Comparators);
  if (auto *X = dyn_cast<ast::CallExpr>(E)) {
    if (Child(X->Func.get()) || Children(X->Args))
      return true;
    for (const ast::Keyword &K : X->Keywords)
      if (Child(K.Value.get()))
        return true;
    return false;
  }
  if (auto *X = dyn_cast<ast::AttributeExpr>(E))
    return Child(X->Value.get());
  if (auto *X = dyn_cast<ast::SubscriptExpr>(E))
    return Child(X->Value.get()) || Child(X->Index.get());
  if (auto *X = dyn_cast<ast::SliceExpr>(E))
    return Child(X->Lower.get()) || Child(X->Upper.get()) || Child(X->Step.get());
  if (auto *X = dyn_cast<ast::TupleExpr>(E))
    return Children(X->Elts);
  if (auto *X = dyn_cast<ast::ListExpr>(E))
    return Children(X->Elts);
  if (auto *X = dyn_cast<ast::DictExpr>(E))
    return Children(X->Keys) || Children(X->Values);
  if (auto *X = dyn_cast<ast::SetExpr>(E))
    return Children(X->Elts);
  if (auto *X = dyn_cast<ast::CompExpr>(E)) {
    if (Child(X->Elt.get()) || Child(X->Value.get()))
      return true;
    for (const ast::CompExpr::Clause &C : X->Clauses)
      if (Child(C.Iter.get()) || Children(C.Ifs))
        return true;
    return false;
  }
  return false;
}

/// Rule 5: whether statement \p S may raise before it reads \p V. An
/// assignment evaluates its value, then its targets; an augmented one loads
/// its target first. Reading one of \p RaisingNames (temporaries whose
/// expressions are computed where they are read, and may raise) counts as
/// raising.
bool raisesBeforeReading(const ast::Stmt &S, const std::string &V,
                         const std::set<std::string> &RaisingNames = {}) {
  bool Raises = false;
  auto Part = [&](const ast::Expr *E) {
    if (readAfterRaising(E, V, Raises, RaisingNames))
      return true;
    Raises |= E && (mayRaise(*E) || readsAnyOf(*E, RaisingNames));
    return false;
  };
  if (auto *A = dyn_cast<ast::AssignStmt>(&S)) {
    if (!Part(A->Value.get()))
      for (auto &T : A->Targets)
        if (Part(T.get()))
          break;
  } else if (auto *A = dyn_cast<ast::AugAssignStmt>(&S)) {
    if (!Part(A->Target.get()))
      Part(A->Value.get());
  } else if (auto *R = dyn_cast<ast::ReturnStmt>(&S)) {
    Part(R->Value.get());
  } else if (auto *X = dyn_cast<ast::ExprStmt>(&S)) {
    Part(X->Value.get());
  }
  return Raises;
}

/// The names a target expression binds (`a`, `a, b`), not subscripts.
void boundNames(const ast::Expr &T, std::vector<std::string> &Out) {
  if (auto *N = dyn_cast<ast::NameExpr>(&T))
    Out.push_back(N->Id);
  else if (auto *Tu = dyn_cast<ast::TupleExpr>(&T))
    for (auto &X : Tu->Elts)
      boundNames(*X, Out);
  else if (auto *L = dyn_cast<ast::ListExpr>(&T))
    for (auto &X : L->Elts)
      boundNames(*X, Out);
}

/// How many reads of \p Name in \p E, an expression whose value is kept as
/// an object (a result or a bound value), may keep v's array itself: v as
/// is, in a tuple or list, or through a view of it (a subscript, an
/// attribute, a method such as `.reshape`, or any call taking it, since
/// `np.transpose(v)` and `np.reshape(v, s)` are views too).
unsigned keptReads(const ast::Expr *E, const std::string &Name) {
  if (!E)
    return 0;
  if (auto *N = dyn_cast<ast::NameExpr>(E))
    return N->Id == Name;
  unsigned Count = 0;
  if (auto *Tu = dyn_cast<ast::TupleExpr>(E)) {
    for (auto &X : Tu->Elts)
      Count += keptReads(X.get(), Name);
  } else if (auto *L = dyn_cast<ast::ListExpr>(E)) {
    for (auto &X : L->Elts)
      Count += keptReads(X.get(), Name);
  } else if (isa<ast::CompExpr>(E) || isa<ast::DictExpr>(E) || isa<ast::SetExpr>(E) ||
             isa<ast::LambdaExpr>(E)) {
    // Read in a loop, or kept in a container: every read counts as kept
    // (never substituted).
    walkExpr(E, [&](const ast::Expr &X) {
      if (auto *N = dyn_cast<ast::NameExpr>(&X); N && N->Id == Name)
        Count += 2;
    });
  } else if (auto *S = dyn_cast<ast::SubscriptExpr>(E)) {
    Count = keptReads(S->Value.get(), Name);
  } else if (auto *A = dyn_cast<ast::AttributeExpr>(E)) {
    Count = keptReads(A->Value.get(), Name);
  } else if (auto *C = dyn_cast<ast::CallExpr>(E)) {
    if (auto *A = dyn_cast<ast::AttributeExpr>(C->Func.get()))
      Count = keptReads(A->Value.get(), Name);
    for (auto &X : C->Args)
      Count += keptReads(X.get(), Name);
    for (const ast::Keyword &K : C->Keywords)
      Count += keptReads(K.Value.get(), Name);
  }
  return Count;
}

} // namespace

bool FunctionLowerer::pureArrayExpr(const ast::Expr &E) {
  bool Ok = true;
  walkExpr(&E, [&](const ast::Expr &X) {
    // A list's slices and items are copies taken when the statement runs
    // (`v = xs[:]; xs.pop()`): never moved.
    if (X.Kind == ast::ExprKind::Name && staticListType(X).isValid())
      Ok = false;
    if (isInertLeaf(X.Kind))
      return;
    switch (X.Kind) {
    case ast::ExprKind::BinOp:
    case ast::ExprKind::Unary:
    case ast::ExprKind::Subscript:
    case ast::ExprKind::Slice:
    case ast::ExprKind::Tuple:
      return;
    case ast::ExprKind::Compare:
      Ok &= static_cast<const ast::CompareExpr &>(X).Ops.size() == 1;
      return;
    case ast::ExprKind::Call: {
      auto &C = static_cast<const ast::CallExpr &>(X);
      std::string Fn = numpyCallee(C);
      auto *A = dyn_cast<ast::AttributeExpr>(C.Func.get());
      bool Reshape = Fn.empty() && A && A->Attr == "reshape";
      Ok &= isElementwiseFn(Fn) || Reshape;
      // `out=` writes an array: not pure (np.multiply(y, 3, out=x)).
      for (const ast::Keyword &K : C.Keywords)
        Ok &= K.Name != "out";
      return;
    }
    default:
      Ok = false;
      return;
    }
  });
  return Ok;
}

void FunctionLowerer::planSubstitutions(const ast::Body &Whole) {
  // How often each name is read and assigned in the whole function.
  std::map<std::string, unsigned> Reads, Writes;
  walkBody(
      Whole,
      [&](const ast::Expr &E) {
        if (auto *N = dyn_cast<ast::NameExpr>(&E))
          ++Reads[N->Id];
      },
      [&](const ast::Expr &T) {
        std::vector<std::string> Names;
        boundNames(T, Names);
        for (auto &N : Names) {
          ++Writes[N];
          --Reads[N]; // the target itself was counted as a read above
        }
      });
  // The statement each substituted definition is lowered in.
  std::map<const ast::Stmt *, const ast::Stmt *> ReaderOf;
  // Properties of an expression once the temporaries it reads are replaced
  // by their expressions (as they will be when it is lowered).
  std::function<void(const ast::Expr &, std::set<std::string> &)> Expand =
      [&](const ast::Expr &E, std::set<std::string> &Names) {
        walkExpr(&E, [&](const ast::Expr &X) {
          if (auto *N = dyn_cast<ast::NameExpr>(&X))
            if (Names.insert(N->Id).second)
              if (auto It = SubstituteFor.find(N->Id); It != SubstituteFor.end())
                Expand(*It->second, Names);
        });
      };
  auto Expanded = [&](const ast::Expr &E, const std::function<bool(const ast::Expr &)> &Pred) {
    if (Pred(E))
      return true;
    std::set<std::string> Names;
    Expand(E, Names);
    for (const std::string &N : Names)
      if (auto It = SubstituteFor.find(N); It != SubstituteFor.end() && Pred(*It->second))
        return true;
    return false;
  };
  auto MayRaise = [&](const ast::Expr &E) {
    return Expanded(E, [](const ast::Expr &X) { return mayRaise(X); });
  };
  auto IndexesElements = [&](const ast::Expr &E) {
    return Expanded(E, [](const ast::Expr &X) { return indexesElements(X); });
  };

  // Whether definition Body[I], `v = E`, may be lowered in Body[J], the one
  // statement reading v; the statements between must let E move past them.
  auto Check = [&](const ast::Body &Body, size_t I, size_t J) {
    auto *Def = dyn_cast<ast::AssignStmt>(Body[I].get());
    const ast::Stmt *Use = Body[J].get();
    if (!Def || Def->Targets.size() != 1)
      return false;
    auto *V = dyn_cast<ast::NameExpr>(Def->Targets[0].get());
    if (!V || Writes[V->Id] != 1 || !pureArrayExpr(*Def->Value))
      return false;
    // 3. The statement using v: a plain one, reading v, with no lazy parts.
    const ast::Expr *UseExpr = nullptr;
    std::vector<const ast::Expr *> UseTargets;
    if (auto *A = dyn_cast<ast::AssignStmt>(Use)) {
      UseExpr = A->Value.get();
      for (auto &T : A->Targets)
        UseTargets.push_back(T.get());
    } else if (auto *A = dyn_cast<ast::AugAssignStmt>(Use)) {
      UseExpr = A->Value.get();
      UseTargets.push_back(A->Target.get());
    } else if (auto *R = dyn_cast<ast::ReturnStmt>(Use)) {
      UseExpr = R->Value.get();
    } else if (auto *X = dyn_cast<ast::ExprStmt>(Use)) {
      UseExpr = X->Value.get();
    }
    if (!UseExpr)
      return false;
    unsigned ReadsInUse = 0;
    bool Lazy = false;
    auto Scan = [&](const ast::Expr &E) {
      if (auto *N = dyn_cast<ast::NameExpr>(&E))
        ReadsInUse += N->Id == V->Id;
      Lazy |= isa<ast::IfExpExpr>(&E) || isa<ast::BoolOpExpr>(&E) ||
              (isa<ast::CompareExpr>(&E) && static_cast<const ast::CompareExpr &>(E).Ops.size() > 1);
    };
    walkExpr(UseExpr, Scan);
    for (const ast::Expr *T : UseTargets)
      if (!isa<ast::NameExpr>(T)) // a subscript target's base and index are read too
        walkExpr(T, Scan);
    // 1. v is read only here; and no call in S may change what E reads
    // before S reads v.
    if (Lazy || ReadsInUse == 0 || (int)ReadsInUse != (int)Reads[V->Id] ||
        callsUserFunction(*UseExpr))
      return false;
    for (const ast::Expr *T : UseTargets)
      if (callsUserFunction(*T))
        return false;
    // 7. Statements between (`t0 = E0; t1 = E1; return np.sum(t0 + t1)`):
    // each binds one name, that E does not read, to a pure array expression
    // (no call that could write what E reads, no element written). If E may
    // raise, CPython raises its error before theirs: each of them raises
    // nothing, or is itself lowered in S, read there after v.
    bool EMayRaise = MayRaise(*Def->Value);
    std::set<std::string> RaisingNames;
    if (J > I + 1) {
      if (Substitutable.count(Use))
        return false; // S must be lowered where it stands
      std::set<std::string> Names;
      Expand(*Def->Value, Names);
      for (size_t K = I + 1; K < J; ++K) {
        auto *Mid = dyn_cast<ast::AssignStmt>(Body[K].get());
        auto *W = Mid && Mid->Targets.size() == 1
                      ? dyn_cast<ast::NameExpr>(Mid->Targets[0].get())
                      : nullptr;
        if (!W || Names.count(W->Id) || !pureArrayExpr(*Mid->Value))
          return false;
        if (!EMayRaise || !MayRaise(*Mid->Value))
          continue;
        auto It = ReaderOf.find(Mid);
        if (It == ReaderOf.end() || It->second != Use)
          return false;
        RaisingNames.insert(W->Id);
      }
    }
    // 5. E's error, if any, comes first, as in CPython: nothing S
    // evaluates before reading v may raise, and, since a fused loop checks
    // indices element by element, E and S do not both index elements.
    if (EMayRaise && raisesBeforeReading(*Use, V->Id, RaisingNames))
      return false;
    if (IndexesElements(*Def->Value)) {
      bool Other = IndexesElements(*UseExpr);
      for (const ast::Expr *T : UseTargets)
        Other |= indexesElements(*T);
      if (Other)
        return false;
    }
    // 6. At most one read keeps v's array as an object.
    if ((isa<ast::ReturnStmt>(Use) || isa<ast::AssignStmt>(Use)) &&
        keptReads(UseExpr, V->Id) > 1)
      return false;
    // 4. A subscript target `x[...]` of a name E reads: its indices are
    // evaluated after E; fine. A name target is assigned after E. Only a
    // target that is v itself would matter, and v is assigned once.
    Substitutable[Def] = true;
    SubstituteFor[V->Id] = Def->Value.get();
    ReaderOf[Def] = Use;
    return true;
  };

  std::function<void(const ast::Body &)> Visit = [&](const ast::Body &Body) {
    // Definitions read by the very next statement, then, last first (so
    // that the statements between are settled), those read later.
    for (size_t I = 0; I + 1 < Body.size(); ++I)
      Check(Body, I, I + 1);
    // (NextReader: per name, the first statement after I that reads it.)
    std::map<std::string, size_t> NextReader;
    for (size_t I = Body.size(); I-- > 0;) {
      auto *Def = dyn_cast<ast::AssignStmt>(Body[I].get());
      auto *V = Def && Def->Targets.size() == 1 ? dyn_cast<ast::NameExpr>(Def->Targets[0].get())
                                                : nullptr;
      if (V && !Substitutable.count(Def))
        if (auto It = NextReader.find(V->Id); It != NextReader.end() && It->second > I + 1)
          Check(Body, I, It->second);
      walkStmt(
          Body[I].get(),
          [&](const ast::Expr &E) {
            if (auto *N = dyn_cast<ast::NameExpr>(&E))
              NextReader[N->Id] = I;
          },
          [](const ast::Expr &) {});
    }
    for (const ast::StmtPtr &S : Body) {
      if (auto *X = dyn_cast<ast::IfStmt>(S.get()))
        Visit(X->Then), Visit(X->OrElse);
      else if (auto *X = dyn_cast<ast::WhileStmt>(S.get()))
        Visit(X->Loop), Visit(X->OrElse);
      else if (auto *X = dyn_cast<ast::ForStmt>(S.get()))
        Visit(X->Loop), Visit(X->OrElse);
      else if (auto *X = dyn_cast<ast::TryStmt>(S.get())) {
        Visit(X->Stmts), Visit(X->OrElse), Visit(X->Finally);
        for (const ast::TryStmt::Handler &H : X->Handlers)
          Visit(H.Stmts);
      }
    }
  };
  Visit(Whole);
}

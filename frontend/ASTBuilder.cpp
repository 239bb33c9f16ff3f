//===- ASTBuilder.cpp - ANTLR parse tree to Kiln's AST --------------------===//
//
// Walks the parse tree of KilnParser.g4 and builds ast::Module. Constructs
// Kiln does not compile become UnsupportedStmt/UnsupportedExpr with the
// range of the whole construct and a plural noun phrase ("classes",
// "lambda expressions"), so Sema can report them precisely.
//
// It also performs the checks CPython makes after parsing proper and
// reports as SyntaxError: parameter order, assignment targets, keyword
// arguments, string escapes, and mixing bytes with str literals. The first
// one is reported and building stops.
//
//===----------------------------------------------------------------------===//

#include "frontend/ASTBuilder.h"
#include "frontend/Parser.h"

#include <cassert>
#include <cstdlib>
#include <set>

using namespace kiln;
using namespace kiln::frontend;
using namespace kiln::ast;
using KP = KilnParser;
using antlr4::ParserRuleContext;
using antlr4::tree::ParseTree;
using antlr4::tree::TerminalNode;

namespace {

/// Thrown after the first error has been reported, to stop building.
struct BuildAborted {};

class ASTBuilder {
public:
  ASTBuilder(antlr4::TokenStream &Tokens, const LocMap &Locs,
             DiagnosticEngine &Diags)
      : Tokens(Tokens), Locs(Locs), Diags(Diags) {}

  std::unique_ptr<Module> build(KP::File_inputContext *C);

private:
  //===--- Locations ------------------------------------------------------===//
  SourceLoc beginOf(ParserRuleContext *C) { return Locs.beginOf(C->getStart()); }
  SourceLoc beginOf(TerminalNode *T) { return Locs.beginOf(T->getSymbol()); }
  /// One past the last character of \p C, ignoring layout tokens.
  SourceLoc endOf(ParserRuleContext *C);
  SourceLoc endOf(TerminalNode *T) { return Locs.endOf(T->getSymbol()); }
  SourceRange rangeOf(ParserRuleContext *C) { return {beginOf(C), endOf(C)}; }
  SourceRange rangeOf(TerminalNode *T) { return Locs.rangeOf(T->getSymbol()); }

  [[noreturn]] void syntaxError(SourceRange R, const std::string &Msg) {
    Diags.report(DiagID::SyntaxError, R, {Msg});
    throw BuildAborted();
  }

  static ExprPtr unsupported(const char *What, SourceRange R,
                             const char *Verb = "are") {
    auto E = std::make_unique<UnsupportedExpr>(What, R);
    E->Verb = Verb;
    return E;
  }
  static StmtPtr unsupportedStmt(const char *What, SourceRange R) {
    return std::make_unique<UnsupportedStmt>(What, R);
  }

  //===--- Statements -----------------------------------------------------===//
  void buildStmt(KP::StmtContext *C, Body &Out);
  void buildBlock(KP::BlockContext *C, Body &Out);
  StmtPtr buildSmall(KP::Small_stmtContext *C);
  StmtPtr buildExprStmt(KP::Expr_stmtContext *C);
  StmtPtr buildFlow(KP::Flow_stmtContext *C);
  StmtPtr buildImport(KP::Import_stmtContext *C);
  StmtPtr buildCompound(KP::Compound_stmtContext *C);
  StmtPtr buildIf(KP::If_stmtContext *C, size_t Clause);
  StmtPtr buildFuncDef(KP::FuncdefContext *C, std::vector<ExprPtr> Decorators);
  void buildParams(KP::TypedargslistContext *C, std::vector<Param> &Out);
  void checkTarget(const Expr &E, const char *Usage);

  //===--- Expressions ----------------------------------------------------===//
  ExprPtr buildNamedExpr(KP::Namedexpr_testContext *C);
  ExprPtr buildTest(KP::TestContext *C);
  ExprPtr buildOrTest(KP::Or_testContext *C);
  /// `[Elt for ... in ... if ...]` / `(Elt for ...)`.
  ExprPtr buildComp(antlr4::tree::ParseTree *Elt, KP::Comp_forContext *For, bool Generator,
                    SourceRange R);
  ExprPtr buildAndTest(KP::And_testContext *C);
  ExprPtr buildNotTest(KP::Not_testContext *C);
  ExprPtr buildComparison(KP::ComparisonContext *C);
  /// expr, xor_expr, ..., term: a left-associative chain of binary operators.
  ExprPtr buildBinaryChain(ParserRuleContext *C);
  ExprPtr buildOperand(ParseTree *T);
  ExprPtr buildFactor(KP::FactorContext *C);
  ExprPtr buildPower(KP::PowerContext *C);
  ExprPtr buildAtomExpr(KP::Atom_exprContext *C);
  ExprPtr buildAtom(KP::AtomContext *C);
  ExprPtr buildStarExpr(KP::Star_exprContext *C) {
    return unsupported("starred expressions", rangeOf(C));
  }
  ExprPtr buildYield(KP::Yield_exprContext *C) {
    return unsupported("`yield` expressions", rangeOf(C));
  }
  ExprPtr buildNumber(KP::NumberContext *C);
  ExprPtr buildStrings(const std::vector<TerminalNode *> &Parts);
  std::string parseFString(const std::string &Body, size_t BodyByte, bool Raw, FStringExpr &F);
  /// A comma-separated list (testlist, exprlist, testlist_star_expr,
  /// testlist_comp without `for`): the element itself when there is one
  /// and no comma, otherwise a tuple with range \p R.
  ExprPtr buildList(ParserRuleContext *C, SourceRange R, bool AsList = false);
  ExprPtr buildElement(ParseTree *T);
  ExprPtr buildSubscripts(KP::SubscriptlistContext *C);
  ExprPtr buildSubscript(KP::SubscriptContext *C);
  ExprPtr buildCall(ExprPtr Func, KP::CallTrailerContext *C, SourceRange R);

  antlr4::TokenStream &Tokens;
  const LocMap &Locs;
  DiagnosticEngine &Diags;
};

} // namespace

SourceLoc ASTBuilder::endOf(ParserRuleContext *C) {
  antlr4::Token *Stop = C->getStop();
  antlr4::Token *Start = C->getStart();
  if (!Stop || Stop->getTokenIndex() < Start->getTokenIndex())
    return beginOf(C);
  size_t I = Stop->getTokenIndex();
  while (I > Start->getTokenIndex()) {
    size_t Ty = Tokens.get(I)->getType();
    if (Ty != KP::NEWLINE && Ty != KP::INDENT && Ty != KP::DEDENT &&
        Ty != antlr4::Token::EOF)
      break;
    --I;
  }
  return Locs.endOf(Tokens.get(I));
}

//===----------------------------------------------------------------------===//
// Statements
//===----------------------------------------------------------------------===//

std::unique_ptr<Module> ASTBuilder::build(KP::File_inputContext *C) {
  auto M = std::make_unique<Module>();
  try {
    for (KP::StmtContext *S : C->stmt())
      buildStmt(S, M->Stmts);
  } catch (BuildAborted &) {
    return nullptr;
  }
  return M;
}

void ASTBuilder::buildStmt(KP::StmtContext *C, Body &Out) {
  if (KP::Simple_stmtsContext *S = C->simple_stmts()) {
    for (KP::Small_stmtContext *Small : S->small_stmt())
      Out.push_back(buildSmall(Small));
    return;
  }
  Out.push_back(buildCompound(C->compound_stmt()));
}

void ASTBuilder::buildBlock(KP::BlockContext *C, Body &Out) {
  if (KP::Simple_stmtsContext *S = C->simple_stmts()) {
    for (KP::Small_stmtContext *Small : S->small_stmt())
      Out.push_back(buildSmall(Small));
    return;
  }
  for (KP::StmtContext *S : C->stmt())
    buildStmt(S, Out);
}

StmtPtr ASTBuilder::buildSmall(KP::Small_stmtContext *C) {
  SourceRange R = rangeOf(C);
  if (auto *E = C->expr_stmt())
    return buildExprStmt(E);
  if (KP::Del_stmtContext *D = C->del_stmt()) {
    auto Del = std::make_unique<DelStmt>(R);
    ExprPtr T = buildList(D->exprlist(), rangeOf(D->exprlist()));
    if (T->Kind == ExprKind::Tuple)
      for (ExprPtr &X : static_cast<TupleExpr &>(*T).Elts)
        Del->Targets.push_back(std::move(X));
    else
      Del->Targets.push_back(std::move(T));
    return Del;
  }
  if (C->pass_stmt())
    return std::make_unique<PassStmt>(R);
  if (auto *F = C->flow_stmt())
    return buildFlow(F);
  if (auto *I = C->import_stmt())
    return buildImport(I);
  if (C->global_stmt())
    return unsupportedStmt("`global` declarations", R);
  if (C->nonlocal_stmt())
    return unsupportedStmt("`nonlocal` declarations", R);
  KP::Assert_stmtContext *A = C->assert_stmt();
  assert(A && "unhandled small_stmt alternative");
  auto S = std::make_unique<AssertStmt>(R);
  S->Test = buildTest(A->test(0));
  if (A->test().size() > 1)
    S->Msg = buildTest(A->test(1));
  return S;
}

/// What an expression is, for "cannot assign to ..." messages.
static const char *describe(const Expr &E) {
  switch (E.Kind) {
  case ExprKind::IntLit:
  case ExprKind::FloatLit:
  case ExprKind::ImagLit:
  case ExprKind::StrLit:
  case ExprKind::Ellipsis:
    return "literal";
  case ExprKind::BoolLit:
    return static_cast<const BoolLitExpr &>(E).Value ? "True" : "False";
  case ExprKind::NoneLit:
    return "None";
  case ExprKind::Compare:
    return "comparison";
  case ExprKind::IfExp:
    return "conditional expression";
  case ExprKind::Call:
    return "function call";
  case ExprKind::Comp: {
    const auto &C = static_cast<const CompExpr &>(E);
    return C.IsGenerator ? "generator expression"
           : C.IsDict    ? "dict comprehension"
           : C.IsSet     ? "set comprehension"
                         : "list comprehension";
  }
  case ExprKind::Dict:
    return "dict literal";
  case ExprKind::Lambda:
    return "lambda";
  case ExprKind::Set:
    return "set display";
  case ExprKind::FString:
    return "f-string expression";
  case ExprKind::Name:
  case ExprKind::BinOp:
  case ExprKind::Unary:
  case ExprKind::BoolOp:
  case ExprKind::Attribute:
  case ExprKind::Subscript:
  case ExprKind::Slice:
  case ExprKind::Tuple:
  case ExprKind::List:
  case ExprKind::Unsupported:
    return "expression";
  }
  return "expression";
}

static bool isStarred(const Expr &E) {
  return E.Kind == ExprKind::Unsupported &&
         static_cast<const UnsupportedExpr &>(E).What == "starred expressions";
}

/// Checks that \p E can be assigned to; \p Usage is "assignment",
/// "augmented assignment", "annotated assignment" or "`for` target".
void ASTBuilder::checkTarget(const Expr &E, const char *Usage) {
  std::string U = Usage;
  switch (E.Kind) {
  case ExprKind::Name:
  case ExprKind::Attribute:
  case ExprKind::Subscript:
    return;
  case ExprKind::Tuple:
  case ExprKind::List: {
    if (U == "augmented assignment")
      syntaxError(E.Range, std::string("'") +
                               (E.Kind == ExprKind::Tuple ? "tuple" : "list") +
                               "' is an illegal expression for augmented "
                               "assignment");
    if (U == "annotated assignment")
      syntaxError(E.Range, std::string("only single target (not ") +
                               (E.Kind == ExprKind::Tuple ? "tuple" : "list") +
                               ") can be annotated");
    const auto &Elts = E.Kind == ExprKind::Tuple
                           ? static_cast<const TupleExpr &>(E).Elts
                           : static_cast<const ListExpr &>(E).Elts;
    for (const ExprPtr &Elt : Elts)
      checkTarget(*Elt, Usage);
    return;
  }
  default:
    if (isStarred(E) && U != "augmented assignment" &&
        U != "annotated assignment")
      return;
    if (U == "augmented assignment")
      syntaxError(E.Range, std::string("'") + describe(E) +
                               "' is an illegal expression for augmented "
                               "assignment");
    if (U == "annotated assignment")
      syntaxError(E.Range, "illegal target for annotation");
    syntaxError(E.Range, std::string("cannot assign to ") + describe(E));
  }
}

StmtPtr ASTBuilder::buildExprStmt(KP::Expr_stmtContext *C) {
  SourceRange R = rangeOf(C);
  KP::Testlist_star_exprContext *First = C->testlist_star_expr(0);
  ExprPtr Head = buildList(First, rangeOf(First));

  if (KP::AnnassignContext *A = C->annassign()) {
    checkTarget(*Head, "annotated assignment");
    auto S = std::make_unique<AnnAssignStmt>(R);
    S->Target = std::move(Head);
    S->Annotation = buildTest(A->test());
    if (auto *Y = A->yield_expr())
      S->Value = buildYield(Y);
    else if (auto *V = A->testlist_star_expr())
      S->Value = buildList(V, rangeOf(V));
    return S;
  }

  if (KP::AugassignContext *A = C->augassign()) {
    checkTarget(*Head, "augmented assignment");
    auto S = std::make_unique<AugAssignStmt>(R);
    S->Target = std::move(Head);
    switch (A->getStart()->getType()) {
    case KP::ADD_ASSIGN: S->Op = BinOpKind::Add; break;
    case KP::SUB_ASSIGN: S->Op = BinOpKind::Sub; break;
    case KP::MULT_ASSIGN: S->Op = BinOpKind::Mul; break;
    case KP::AT_ASSIGN: S->Op = BinOpKind::MatMul; break;
    case KP::DIV_ASSIGN: S->Op = BinOpKind::Div; break;
    case KP::MOD_ASSIGN: S->Op = BinOpKind::Mod; break;
    case KP::AND_ASSIGN: S->Op = BinOpKind::BitAnd; break;
    case KP::OR_ASSIGN: S->Op = BinOpKind::BitOr; break;
    case KP::XOR_ASSIGN: S->Op = BinOpKind::BitXor; break;
    case KP::LEFT_SHIFT_ASSIGN: S->Op = BinOpKind::LShift; break;
    case KP::RIGHT_SHIFT_ASSIGN: S->Op = BinOpKind::RShift; break;
    case KP::POWER_ASSIGN: S->Op = BinOpKind::Pow; break;
    case KP::IDIV_ASSIGN: S->Op = BinOpKind::FloorDiv; break;
    default:
      assert(false && "unknown augmented assignment operator");
    }
    if (auto *Y = C->yield_expr(0))
      S->Value = buildYield(Y);
    else
      S->Value = buildList(C->testlist_star_expr(1), rangeOf(C->testlist_star_expr(1)));
    return S;
  }

  if (C->ASSIGN().empty())
    return std::make_unique<ExprStmt>(std::move(Head), R);

  // a = b = value: every part but the last is a target.
  std::vector<ExprPtr> Parts;
  Parts.push_back(std::move(Head));
  for (size_t I = 1; I < C->children.size(); ++I) {
    ParseTree *Child = C->children[I];
    if (auto *T = dynamic_cast<KP::Testlist_star_exprContext *>(Child))
      Parts.push_back(buildList(T, rangeOf(T)));
    else if (auto *Y = dynamic_cast<KP::Yield_exprContext *>(Child)) {
      if (I + 1 != C->children.size())
        syntaxError(rangeOf(Y), "assignment to yield expression not possible");
      Parts.push_back(buildYield(Y));
    }
  }
  auto S = std::make_unique<AssignStmt>(R);
  S->Value = std::move(Parts.back());
  Parts.pop_back();
  for (ExprPtr &T : Parts) {
    checkTarget(*T, "assignment");
    S->Targets.push_back(std::move(T));
  }
  return S;
}

StmtPtr ASTBuilder::buildFlow(KP::Flow_stmtContext *C) {
  SourceRange R = rangeOf(C);
  if (C->break_stmt())
    return std::make_unique<BreakStmt>(R);
  if (C->continue_stmt())
    return std::make_unique<ContinueStmt>(R);
  if (KP::Return_stmtContext *Ret = C->return_stmt()) {
    auto S = std::make_unique<ReturnStmt>(R);
    if (auto *V = Ret->testlist_star_expr())
      S->Value = buildList(V, rangeOf(V));
    return S;
  }
  if (KP::Raise_stmtContext *Raise = C->raise_stmt()) {
    auto S = std::make_unique<RaiseStmt>(R);
    std::vector<KP::TestContext *> Tests = Raise->test();
    if (!Tests.empty())
      S->Exc = buildTest(Tests[0]);
    if (Tests.size() > 1)
      S->Cause = buildTest(Tests[1]);
    return S;
  }
  KP::Yield_stmtContext *Y = C->yield_stmt();
  assert(Y && "unhandled flow_stmt alternative");
  return std::make_unique<ExprStmt>(buildYield(Y->yield_expr()), R);
}

StmtPtr ASTBuilder::buildImport(KP::Import_stmtContext *C) {
  SourceRange R = rangeOf(C);
  if (KP::Import_nameContext *I = C->import_name()) {
    auto S = std::make_unique<ImportStmt>(R);
    for (KP::Dotted_as_nameContext *D : I->dotted_as_names()->dotted_as_name()) {
      Alias A;
      A.Name = D->dotted_name()->getText();
      if (KP::NameContext *As = D->name())
        A.AsName = As->getText();
      A.Range = rangeOf(D);
      S->Names.push_back(std::move(A));
    }
    return S;
  }
  KP::Import_fromContext *I = C->import_from();
  auto S = std::make_unique<ImportFromStmt>(R);
  for (ParseTree *Child : I->children) {
    auto *T = dynamic_cast<TerminalNode *>(Child);
    if (!T)
      continue;
    size_t Ty = T->getSymbol()->getType();
    if (Ty == KP::IMPORT)
      break;
    if (Ty == KP::DOT)
      S->Level += 1;
    else if (Ty == KP::ELLIPSIS)
      S->Level += 3;
  }
  if (KP::Dotted_nameContext *D = I->dotted_name())
    S->Module = D->getText();
  if (TerminalNode *Star = I->STAR()) {
    Alias A;
    A.Name = "*";
    A.Range = rangeOf(Star);
    S->Names.push_back(std::move(A));
    return S;
  }
  for (KP::Import_as_nameContext *N : I->import_as_names()->import_as_name()) {
    Alias A;
    A.Name = N->name(0)->getText();
    if (N->name().size() > 1)
      A.AsName = N->name(1)->getText();
    A.Range = rangeOf(N);
    S->Names.push_back(std::move(A));
  }
  return S;
}

StmtPtr ASTBuilder::buildCompound(KP::Compound_stmtContext *C) {
  SourceRange R = rangeOf(C);
  if (auto *I = C->if_stmt())
    return buildIf(I, 0);
  if (KP::While_stmtContext *W = C->while_stmt()) {
    auto S = std::make_unique<WhileStmt>(R);
    S->Test = buildNamedExpr(W->namedexpr_test());
    buildBlock(W->block(0), S->Loop);
    if (W->block().size() > 1)
      buildBlock(W->block(1), S->OrElse);
    return S;
  }
  if (KP::For_stmtContext *F = C->for_stmt()) {
    auto S = std::make_unique<ForStmt>(R);
    S->Target = buildList(F->exprlist(), rangeOf(F->exprlist()));
    checkTarget(*S->Target, "`for` target");
    S->Iter = buildList(F->testlist_star_expr(), rangeOf(F->testlist_star_expr()));
    buildBlock(F->block(0), S->Loop);
    if (F->block().size() > 1)
      buildBlock(F->block(1), S->OrElse);
    return S;
  }
  if (KP::Try_stmtContext *T = C->try_stmt()) {
    auto S = std::make_unique<TryStmt>(R);
    std::vector<KP::BlockContext *> Blocks = T->block();
    size_t Next = 0;
    buildBlock(Blocks[Next++], S->Stmts);
    for (KP::Except_clauseContext *EC : T->except_clause()) {
      TryStmt::Handler H;
      H.Range = rangeOf(EC);
      if (EC->STAR()) // except* (exception groups)
        return unsupportedStmt("`except*` clauses", rangeOf(EC));
      if (KP::TestContext *Ty = EC->test())
        H.Type = buildTest(Ty);
      if (KP::NameContext *N = EC->name()) {
        H.Name = N->getText();
        H.NameRange = rangeOf(N);
      }
      buildBlock(Blocks[Next++], H.Stmts);
      S->Handlers.push_back(std::move(H));
    }
    if (T->ELSE())
      buildBlock(Blocks[Next++], S->OrElse);
    if (T->FINALLY())
      buildBlock(Blocks[Next++], S->Finally);
    return S;
  }
  if (C->with_stmt())
    return unsupportedStmt("`with` statements", R);
  if (auto *F = C->funcdef())
    return buildFuncDef(F, {});
  if (C->classdef())
    return unsupportedStmt("classes", R);
  if (KP::DecoratedContext *D = C->decorated()) {
    if (D->classdef())
      return unsupportedStmt("classes", R);
    if (D->async_funcdef())
      return unsupportedStmt("`async` functions", R);
    std::vector<ExprPtr> Decorators;
    for (KP::DecoratorContext *Dec : D->decorators()->decorator())
      Decorators.push_back(buildNamedExpr(Dec->namedexpr_test()));
    return buildFuncDef(D->funcdef(), std::move(Decorators));
  }
  if (KP::Async_stmtContext *A = C->async_stmt()) {
    if (A->funcdef())
      return unsupportedStmt("`async` functions", R);
    if (A->with_stmt())
      return unsupportedStmt("`async with` statements", R);
    return unsupportedStmt("`async for` loops", R);
  }
  assert(C->match_stmt() && "unhandled compound_stmt alternative");
  return unsupportedStmt("`match` statements", R);
}

/// Builds clause \p Clause (0 for `if`, N for the N-th `elif`) of \p C;
/// the following clauses go into OrElse.
StmtPtr ASTBuilder::buildIf(KP::If_stmtContext *C, size_t Clause) {
  SourceLoc Begin = Clause == 0 ? beginOf(C) : beginOf(C->ELIF(Clause - 1));
  auto S = std::make_unique<IfStmt>(SourceRange(Begin, endOf(C)));
  std::vector<KP::Namedexpr_testContext *> Tests = C->namedexpr_test();
  S->Test = buildNamedExpr(Tests[Clause]);
  buildBlock(C->block(Clause), S->Then);
  if (Clause + 1 < Tests.size())
    S->OrElse.push_back(buildIf(C, Clause + 1));
  else if (C->ELSE())
    buildBlock(C->block(Tests.size()), S->OrElse);
  return S;
}

StmtPtr ASTBuilder::buildFuncDef(KP::FuncdefContext *C,
                                 std::vector<ExprPtr> Decorators) {
  auto F = std::make_unique<FunctionDefStmt>(rangeOf(C));
  F->Name = C->name()->getText();
  F->NameRange = rangeOf(C->name());
  F->Decorators = std::move(Decorators);
  if (KP::TypedargslistContext *Params = C->parameters()->typedargslist())
    buildParams(Params, F->Params);
  if (KP::TestContext *Ret = C->test())
    F->Returns = buildTest(Ret);
  buildBlock(C->block(), F->Body_);
  return F;
}

/// Builds parameters and checks their order as CPython does.
void ASTBuilder::buildParams(KP::TypedargslistContext *C,
                             std::vector<Param> &Out) {
  bool SeenSlash = false, SeenStar = false, SeenVarKw = false;
  bool SeenDefault = false;
  SourceRange BareStar;       // valid while a bare `*` awaits a named param
  std::set<std::string> Names;
  for (KP::TparamContext *P : C->tparam()) {
    SourceRange R = rangeOf(P);
    if (SeenVarKw)
      syntaxError(R, "arguments cannot follow var-keyword argument");
    Param Out1;
    Out1.Range = R;
    KP::TfpdefContext *Def = nullptr;
    if (auto *Plain = dynamic_cast<KP::PlainParamContext *>(P)) {
      Def = Plain->tfpdef();
      Out1.PKind = SeenStar ? Param::KwOnly : Param::Normal;
      if (KP::TestContext *D = Plain->test()) {
        Out1.Default = buildTest(D);
        if (!SeenStar)
          SeenDefault = true;
      } else if (SeenDefault && !SeenStar) {
        syntaxError(R, "non-default argument follows default argument");
      }
      BareStar = SourceRange();
    } else if (auto *Star = dynamic_cast<KP::StarParamContext *>(P)) {
      if (SeenStar)
        syntaxError(R, "* argument may appear only once");
      SeenStar = true;
      Def = Star->tfpdef();
      if (!Def) {
        BareStar = R;
        continue;
      }
      Out1.PKind = Param::VarArgs;
    } else if (auto *DStar = dynamic_cast<KP::DoubleStarParamContext *>(P)) {
      if (BareStar.isValid())
        syntaxError(BareStar, "named arguments must follow bare *");
      SeenVarKw = true;
      Def = DStar->tfpdef();
      Out1.PKind = Param::VarKw;
    } else {
      if (SeenSlash)
        syntaxError(R, "/ may appear only once");
      if (SeenStar)
        syntaxError(R, "/ must be ahead of *");
      if (Out.empty())
        syntaxError(R, "at least one argument must precede /");
      SeenSlash = true;
      for (Param &Prev : Out)
        Prev.PKind = Param::PosOnly;
      continue;
    }
    Out1.Name = Def->name()->getText();
    if (!Names.insert(Out1.Name).second)
      syntaxError(rangeOf(Def->name()), "duplicate argument '" + Out1.Name +
                                            "' in function definition");
    if (KP::TestContext *Ann = Def->test())
      Out1.Annotation = buildTest(Ann);
    Out.push_back(std::move(Out1));
  }
  if (BareStar.isValid())
    syntaxError(BareStar, "named arguments must follow bare *");
}

//===----------------------------------------------------------------------===//
// Expressions
//===----------------------------------------------------------------------===//

ExprPtr ASTBuilder::buildNamedExpr(KP::Namedexpr_testContext *C) {
  if (!C->WALRUS())
    return buildTest(C->test(0));
  ExprPtr Target = buildTest(C->test(0));
  if (Target->Kind != ExprKind::Name)
    syntaxError(Target->Range, std::string("cannot use assignment expressions "
                                           "with ") + describe(*Target));
  return unsupported("assignment expressions (`:=`)", rangeOf(C));
}

ExprPtr ASTBuilder::buildTest(KP::TestContext *C) {
  if (KP::LambdefContext *L = C->lambdef()) {
    auto Lam = std::make_unique<LambdaExpr>(rangeOf(C));
    if (KP::VarargslistContext *V = L->varargslist())
      for (KP::VparamContext *P : V->vparam()) {
        if (!P->name() || P->test() || P->getText().rfind("*", 0) == 0)
          return unsupported("lambdas with defaults, `*` or `/` parameters", rangeOf(C), "are");
        Lam->Params.push_back(P->name()->getText());
      }
    Lam->Body = buildTest(L->test());
    return Lam;
  }
  std::vector<KP::Or_testContext *> Ors = C->or_test();
  if (Ors.size() == 1)
    return buildOrTest(Ors[0]);
  auto E = std::make_unique<IfExpExpr>(rangeOf(C));
  E->Body = buildOrTest(Ors[0]);
  E->Test = buildOrTest(Ors[1]);
  E->OrElse = buildTest(C->test());
  return E;
}

ExprPtr ASTBuilder::buildOrTest(KP::Or_testContext *C) {
  std::vector<KP::And_testContext *> Parts = C->and_test();
  if (Parts.size() == 1)
    return buildAndTest(Parts[0]);
  auto E = std::make_unique<BoolOpExpr>(/*IsAnd=*/false, rangeOf(C));
  for (KP::And_testContext *P : Parts)
    E->Values.push_back(buildAndTest(P));
  return E;
}

ExprPtr ASTBuilder::buildAndTest(KP::And_testContext *C) {
  std::vector<KP::Not_testContext *> Parts = C->not_test();
  if (Parts.size() == 1)
    return buildNotTest(Parts[0]);
  auto E = std::make_unique<BoolOpExpr>(/*IsAnd=*/true, rangeOf(C));
  for (KP::Not_testContext *P : Parts)
    E->Values.push_back(buildNotTest(P));
  return E;
}

ExprPtr ASTBuilder::buildNotTest(KP::Not_testContext *C) {
  if (KP::Not_testContext *Inner = C->not_test())
    return std::make_unique<UnaryExpr>(UnaryOpKind::Not, buildNotTest(Inner),
                                       rangeOf(C));
  return buildComparison(C->comparison());
}

ExprPtr ASTBuilder::buildComparison(KP::ComparisonContext *C) {
  std::vector<KP::ExprContext *> Operands = C->expr();
  if (Operands.size() == 1)
    return buildBinaryChain(Operands[0]);
  auto E = std::make_unique<CompareExpr>(rangeOf(C));
  E->Left = buildBinaryChain(Operands[0]);
  std::vector<KP::Comp_opContext *> Ops = C->comp_op();
  for (size_t I = 0; I < Ops.size(); ++I) {
    KP::Comp_opContext *Op = Ops[I];
    CmpOpKind K;
    switch (Op->getStart()->getType()) {
    case KP::LESS_THAN: K = CmpOpKind::Lt; break;
    case KP::GREATER_THAN: K = CmpOpKind::Gt; break;
    case KP::EQUALS: K = CmpOpKind::Eq; break;
    case KP::GT_EQ: K = CmpOpKind::Ge; break;
    case KP::LT_EQ: K = CmpOpKind::Le; break;
    case KP::NOT_EQ: K = CmpOpKind::Ne; break;
    case KP::IN: K = CmpOpKind::In; break;
    case KP::NOT: K = CmpOpKind::NotIn; break;
    default:
      K = Op->children.size() == 2 ? CmpOpKind::IsNot : CmpOpKind::Is;
      break;
    }
    E->Ops.push_back(K);
    E->Comparators.push_back(buildBinaryChain(Operands[I + 1]));
  }
  return E;
}

static BinOpKind binOpFor(size_t TokenType) {
  switch (TokenType) {
  case KP::OR_OP: return BinOpKind::BitOr;
  case KP::XOR: return BinOpKind::BitXor;
  case KP::AND_OP: return BinOpKind::BitAnd;
  case KP::LEFT_SHIFT: return BinOpKind::LShift;
  case KP::RIGHT_SHIFT: return BinOpKind::RShift;
  case KP::ADD: return BinOpKind::Add;
  case KP::MINUS: return BinOpKind::Sub;
  case KP::STAR: return BinOpKind::Mul;
  case KP::AT: return BinOpKind::MatMul;
  case KP::DIV: return BinOpKind::Div;
  case KP::MOD: return BinOpKind::Mod;
  case KP::IDIV: return BinOpKind::FloorDiv;
  case KP::POWER: return BinOpKind::Pow;
  default:
    assert(false && "not a binary operator token");
    return BinOpKind::Add;
  }
}

ExprPtr ASTBuilder::buildBinaryChain(ParserRuleContext *C) {
  ExprPtr LHS;
  TerminalNode *Op = nullptr;
  for (ParseTree *Child : C->children) {
    if (auto *T = dynamic_cast<TerminalNode *>(Child)) {
      Op = T;
      continue;
    }
    ExprPtr Operand = buildOperand(Child);
    if (!LHS) {
      LHS = std::move(Operand);
      continue;
    }
    assert(Op && "operand without an operator");
    SourceRange R(LHS->Range.Begin, Operand->Range.End);
    // A parenthesised left operand starts at its parenthesis.
    R.Begin = beginOf(C);
    auto E = std::make_unique<BinOpExpr>(binOpFor(Op->getSymbol()->getType()),
                                         std::move(LHS), std::move(Operand), R);
    E->OpRange = rangeOf(Op);
    E->Range.End = endOf(static_cast<ParserRuleContext *>(Child));
    LHS = std::move(E);
  }
  return LHS;
}

ExprPtr ASTBuilder::buildOperand(ParseTree *T) {
  if (auto *F = dynamic_cast<KP::FactorContext *>(T))
    return buildFactor(F);
  return buildBinaryChain(static_cast<ParserRuleContext *>(T));
}

ExprPtr ASTBuilder::buildFactor(KP::FactorContext *C) {
  if (KP::FactorContext *Inner = C->factor()) {
    UnaryOpKind K;
    switch (C->getStart()->getType()) {
    case KP::ADD: K = UnaryOpKind::Pos; break;
    case KP::MINUS: K = UnaryOpKind::Neg; break;
    default: K = UnaryOpKind::Invert; break;
    }
    return std::make_unique<UnaryExpr>(K, buildFactor(Inner), rangeOf(C));
  }
  return buildPower(C->power());
}

ExprPtr ASTBuilder::buildPower(KP::PowerContext *C) {
  ExprPtr Base = buildAtomExpr(C->atom_expr());
  KP::FactorContext *Exp = C->factor();
  if (!Exp)
    return Base;
  auto E = std::make_unique<BinOpExpr>(BinOpKind::Pow, std::move(Base),
                                       buildFactor(Exp), rangeOf(C));
  E->OpRange = rangeOf(C->POWER());
  return E;
}

ExprPtr ASTBuilder::buildAtomExpr(KP::Atom_exprContext *C) {
  if (C->AWAIT())
    return unsupported("`await` expressions", rangeOf(C));
  ExprPtr E = buildAtom(C->atom());
  SourceLoc Begin = beginOf(C);
  for (KP::TrailerContext *T : C->trailer()) {
    SourceRange R(Begin, endOf(T));
    if (auto *Call = dynamic_cast<KP::CallTrailerContext *>(T)) {
      E = buildCall(std::move(E), Call, R);
    } else if (auto *Sub = dynamic_cast<KP::SubscriptTrailerContext *>(T)) {
      auto S = std::make_unique<SubscriptExpr>(R);
      S->Value = std::move(E);
      S->Index = buildSubscripts(Sub->subscriptlist());
      E = std::move(S);
    } else {
      auto *Attr = static_cast<KP::AttrTrailerContext *>(T);
      auto A = std::make_unique<AttributeExpr>(std::move(E),
                                               Attr->name()->getText(), R);
      A->AttrRange = rangeOf(Attr->name());
      E = std::move(A);
    }
  }
  return E;
}

ExprPtr ASTBuilder::buildCall(ExprPtr Func, KP::CallTrailerContext *C,
                              SourceRange R) {
  auto Call = std::make_unique<CallExpr>(R);
  Call->Func = std::move(Func);
  KP::ArglistContext *Args = C->arglist();
  if (!Args)
    return Call;
  std::vector<KP::ArgumentContext *> List = Args->argument();
  bool SeenKeyword = false, SeenKwUnpack = false;
  std::set<std::string> KeywordNames;
  for (KP::ArgumentContext *A : List) {
    SourceRange AR = rangeOf(A);
    if (auto *Pos = dynamic_cast<KP::PositionalArgContext *>(A)) {
      if (SeenKwUnpack)
        syntaxError(AR, "positional argument follows keyword argument unpacking");
      if (SeenKeyword)
        syntaxError(AR, "positional argument follows keyword argument");
      if (Pos->comp_for()) {
        if (List.size() > 1)
          syntaxError(AR, "generator expression must be parenthesized");
        Call->Args.push_back(buildComp(Pos->namedexpr_test(), Pos->comp_for(), true, AR));
        continue;
      }
      Call->Args.push_back(buildNamedExpr(Pos->namedexpr_test()));
    } else if (auto *Kw = dynamic_cast<KP::KeywordArgContext *>(A)) {
      ExprPtr Name = buildTest(Kw->test(0));
      if (Name->Kind != ExprKind::Name)
        syntaxError(Name->Range, "expression cannot contain assignment, "
                                 "perhaps you meant \"==\"?");
      Keyword K;
      K.Name = static_cast<NameExpr &>(*Name).Id;
      if (!KeywordNames.insert(K.Name).second)
        syntaxError(Name->Range, "keyword argument repeated: " + K.Name);
      K.Value = buildTest(Kw->test(1));
      K.Range = AR;
      Call->Keywords.push_back(std::move(K));
      SeenKeyword = true;
    } else if (auto *DStar = dynamic_cast<KP::DoubleStarArgContext *>(A)) {
      Keyword K;
      K.Value = buildTest(DStar->test());
      K.Range = AR;
      Call->Keywords.push_back(std::move(K));
      SeenKwUnpack = true;
    } else {
      if (SeenKwUnpack)
        syntaxError(AR, "iterable argument unpacking follows keyword argument "
                        "unpacking");
      Call->Args.push_back(unsupported("argument unpacking (`*args`)", AR, "is"));
    }
  }
  return Call;
}

ExprPtr ASTBuilder::buildAtom(KP::AtomContext *C) {
  SourceRange R = rangeOf(C);
  if (auto *P = dynamic_cast<KP::ParenAtomContext *>(C)) {
    if (P->yield_expr())
      return unsupported("`yield` expressions", R);
    KP::Testlist_compContext *TC = P->testlist_comp();
    if (!TC)
      return std::make_unique<TupleExpr>(R);
    if (TC->comp_for())
      return buildComp(TC->children[0], TC->comp_for(), true, R);
    return buildList(TC, R);
  }
  if (auto *L = dynamic_cast<KP::ListAtomContext *>(C)) {
    KP::Testlist_compContext *TC = L->testlist_comp();
    if (!TC)
      return std::make_unique<ListExpr>(R);
    if (TC->comp_for())
      return buildComp(TC->children[0], TC->comp_for(), false, R);
    return buildList(TC, R, /*AsList=*/true);
  }
  if (auto *B = dynamic_cast<KP::BraceAtomContext *>(C)) {
    KP::DictorsetmakerContext *M = B->dictorsetmaker();
    if (!M)
      return std::make_unique<DictExpr>(R); // {}
    if (auto *D = dynamic_cast<KP::DictMakerContext *>(M)) {
      std::vector<KP::Dict_itemContext *> Items = D->dict_item();
      for (KP::Dict_itemContext *I : Items)
        if (I->test().size() != 2)
          return unsupported("`**` in dict displays", R, "is");
      if (D->comp_for()) {
        ExprPtr C = buildComp(Items[0]->test(0), D->comp_for(), false, R);
        if (C->Kind == ExprKind::Comp) {
          auto *CE = static_cast<CompExpr *>(C.get());
          CE->IsDict = true;
          CE->Value = buildTest(Items[0]->test(1));
        }
        return C;
      }
      auto Dict = std::make_unique<DictExpr>(R);
      for (KP::Dict_itemContext *I : Items) {
        Dict->Keys.push_back(buildTest(I->test(0)));
        Dict->Values.push_back(buildTest(I->test(1)));
      }
      return Dict;
    }
    auto *S = static_cast<KP::SetMakerContext *>(M);
    if (S->comp_for()) {
      ExprPtr C = buildComp(S->children[0], S->comp_for(), false, R);
      if (C->Kind == ExprKind::Comp)
        static_cast<CompExpr *>(C.get())->IsSet = true;
      return C;
    }
    auto Set = std::make_unique<SetExpr>(R);
    for (ParseTree *Child : S->children)
      if (!dynamic_cast<TerminalNode *>(Child))
        Set->Elts.push_back(buildElement(Child));
    return Set;
  }
  if (auto *N = dynamic_cast<KP::NameAtomContext *>(C))
    return std::make_unique<NameExpr>(N->name()->getText(), R);
  if (auto *N = dynamic_cast<KP::NumberAtomContext *>(C))
    return buildNumber(N->number());
  if (auto *S = dynamic_cast<KP::StringAtomContext *>(C))
    return buildStrings(S->STRING());
  if (dynamic_cast<KP::EllipsisAtomContext *>(C))
    return std::make_unique<EllipsisExpr>(R);
  if (dynamic_cast<KP::NoneAtomContext *>(C))
    return std::make_unique<NoneLitExpr>(R);
  if (dynamic_cast<KP::TrueAtomContext *>(C))
    return std::make_unique<BoolLitExpr>(true, R);
  assert(dynamic_cast<KP::FalseAtomContext *>(C) && "unhandled atom");
  return std::make_unique<BoolLitExpr>(false, R);
}

ExprPtr ASTBuilder::buildElement(ParseTree *T) {
  if (auto *N = dynamic_cast<KP::Namedexpr_testContext *>(T))
    return buildNamedExpr(N);
  if (auto *S = dynamic_cast<KP::Star_exprContext *>(T))
    return buildStarExpr(S);
  if (auto *Te = dynamic_cast<KP::TestContext *>(T))
    return buildTest(Te);
  auto *E = dynamic_cast<KP::ExprContext *>(T);
  assert(E && "unexpected list element");
  return buildBinaryChain(E);
}

ExprPtr ASTBuilder::buildComp(ParseTree *Elt, KP::Comp_forContext *For, bool Generator,
                              SourceRange R) {
  auto C = std::make_unique<CompExpr>(Generator, R);
  C->Elt = buildElement(Elt);
  while (For) {
    if (For->ASYNC())
      return unsupported("asynchronous comprehensions", R, "are");
    CompExpr::Clause Cl;
    Cl.Target = buildList(For->exprlist(), rangeOf(For->exprlist()));
    Cl.Iter = buildOrTest(For->or_test());
    KP::Comp_iterContext *It = For->comp_iter();
    For = nullptr;
    while (It) {
      if (KP::Comp_ifContext *If = It->comp_if()) {
        KP::Test_nocondContext *T = If->test_nocond();
        if (T->or_test())
          Cl.Ifs.push_back(buildOrTest(T->or_test()));
        else
          Cl.Ifs.push_back(unsupported("lambdas", rangeOf(T)));
        It = If->comp_iter();
        continue;
      }
      For = It->comp_for();
      break;
    }
    C->Clauses.push_back(std::move(Cl));
  }
  return C;
}

ExprPtr ASTBuilder::buildList(ParserRuleContext *C, SourceRange R, bool AsList) {
  std::vector<ExprPtr> Elts;
  bool SawComma = false;
  for (ParseTree *Child : C->children) {
    if (auto *T = dynamic_cast<TerminalNode *>(Child)) {
      SawComma |= T->getSymbol()->getType() == KP::COMMA;
      continue;
    }
    Elts.push_back(buildElement(Child));
  }
  if (AsList) {
    auto L = std::make_unique<ListExpr>(R);
    L->Elts = std::move(Elts);
    return L;
  }
  if (Elts.size() == 1 && !SawComma)
    return std::move(Elts[0]);
  auto Tup = std::make_unique<TupleExpr>(R);
  Tup->Elts = std::move(Elts);
  return Tup;
}

ExprPtr ASTBuilder::buildSubscripts(KP::SubscriptlistContext *C) {
  std::vector<KP::SubscriptContext *> Subs = C->subscript();
  if (Subs.size() == 1 && C->COMMA().empty())
    return buildSubscript(Subs[0]);
  auto Tup = std::make_unique<TupleExpr>(rangeOf(C));
  for (KP::SubscriptContext *S : Subs)
    Tup->Elts.push_back(buildSubscript(S));
  return Tup;
}

ExprPtr ASTBuilder::buildSubscript(KP::SubscriptContext *C) {
  if (auto *I = dynamic_cast<KP::IndexSubscriptContext *>(C))
    return buildNamedExpr(I->namedexpr_test());
  if (auto *S = dynamic_cast<KP::StarSubscriptContext *>(C))
    return buildStarExpr(S->star_expr());
  auto Slice = std::make_unique<SliceExpr>(rangeOf(C));
  unsigned Colons = 0;
  for (ParseTree *Child : C->children) {
    if (dynamic_cast<TerminalNode *>(Child)) {
      ++Colons;
      continue;
    }
    ExprPtr E = buildTest(static_cast<KP::TestContext *>(Child));
    (Colons == 0 ? Slice->Lower : Colons == 1 ? Slice->Upper : Slice->Step) =
        std::move(E);
  }
  return Slice;
}

//===----------------------------------------------------------------------===//
// Literals
//===----------------------------------------------------------------------===//

ExprPtr ASTBuilder::buildNumber(KP::NumberContext *C) {
  SourceRange R = rangeOf(C);
  std::string Text = C->getText();
  std::string Digits;
  for (char Ch : Text)
    if (Ch != '_')
      Digits += Ch;
  size_t Type = C->getStart()->getType();
  if (Type == KP::INTEGER) {
    auto E = std::make_unique<IntLitExpr>(R);
    E->Text = Text;
    unsigned Base = 10;
    size_t I = 0;
    if (Digits.size() > 1 && Digits[0] == '0' && std::isalpha(Digits[1])) {
      char P = std::tolower(Digits[1]);
      Base = P == 'x' ? 16 : P == 'o' ? 8 : 2;
      I = 2;
    }
    uint64_t V = 0;
    const uint64_t Max = static_cast<uint64_t>(INT64_MAX);
    for (; I < Digits.size(); ++I) {
      char Ch = std::tolower(Digits[I]);
      unsigned D = Ch >= 'a' ? Ch - 'a' + 10 : Ch - '0';
      if (V > (Max - D) / Base) {
        E->FitsInt64 = false;
        V = 0;
        break;
      }
      V = V * Base + D;
    }
    E->Value = static_cast<int64_t>(V);
    return E;
  }
  if (Type == KP::FLOAT_NUMBER) {
    auto E = std::make_unique<FloatLitExpr>(std::strtod(Digits.c_str(), nullptr), R);
    E->Text = Text;
    return E;
  }
  Digits.pop_back(); // the `j`
  return std::make_unique<ImagLitExpr>(std::strtod(Digits.c_str(), nullptr), R);
}

static void appendUTF8(std::string &Out, uint32_t CP) {
  if (CP < 0x80) {
    Out += static_cast<char>(CP);
  } else if (CP < 0x800) {
    Out += static_cast<char>(0xC0 | (CP >> 6));
    Out += static_cast<char>(0x80 | (CP & 0x3F));
  } else if (CP < 0x10000) {
    Out += static_cast<char>(0xE0 | (CP >> 12));
    Out += static_cast<char>(0x80 | ((CP >> 6) & 0x3F));
    Out += static_cast<char>(0x80 | (CP & 0x3F));
  } else {
    Out += static_cast<char>(0xF0 | (CP >> 18));
    Out += static_cast<char>(0x80 | ((CP >> 12) & 0x3F));
    Out += static_cast<char>(0x80 | ((CP >> 6) & 0x3F));
    Out += static_cast<char>(0x80 | (CP & 0x3F));
  }
}

namespace {
/// The outcome of decoding one literal's body.
enum class DecodeResult { Ok, NamedEscape };
} // namespace

/// Decodes the escapes of one string literal body (without quotes) into
/// \p Out; on a malformed escape, sets \p Error and returns.
static DecodeResult decodeBody(const std::string &Body, bool Raw, bool Bytes,
                               std::string &Out, std::string &Error) {
  // Source newlines are normalised to `\n`, as CPython reads files.
  std::string B;
  for (size_t I = 0; I < Body.size(); ++I) {
    if (Body[I] == '\r') {
      B += '\n';
      if (I + 1 < Body.size() && Body[I + 1] == '\n')
        ++I;
    } else {
      B += Body[I];
    }
  }
  auto isHex = [](char C) { return std::isxdigit(static_cast<unsigned char>(C)); };
  for (size_t I = 0; I < B.size(); ++I) {
    unsigned char C = B[I];
    if (Bytes && C >= 0x80) {
      Error = "bytes can only contain ASCII literal characters";
      return DecodeResult::Ok;
    }
    if (C != '\\' || Raw || I + 1 >= B.size()) {
      Out += static_cast<char>(C);
      continue;
    }
    char E = B[++I];
    switch (E) {
    case '\n': break; // line continuation inside the literal
    case '\\': case '\'': case '"': Out += E; break;
    case 'a': Out += '\a'; break;
    case 'b': Out += '\b'; break;
    case 'f': Out += '\f'; break;
    case 'n': Out += '\n'; break;
    case 'r': Out += '\r'; break;
    case 't': Out += '\t'; break;
    case 'v': Out += '\v'; break;
    case '0': case '1': case '2': case '3':
    case '4': case '5': case '6': case '7': {
      uint32_t V = E - '0';
      for (int K = 0; K < 2 && I + 1 < B.size() && B[I + 1] >= '0' && B[I + 1] <= '7'; ++K)
        V = V * 8 + (B[++I] - '0');
      if (Bytes)
        Out += static_cast<char>(V & 0xFF);
      else
        appendUTF8(Out, V);
      break;
    }
    case 'x':
    case 'u':
    case 'U': {
      if (Bytes && E != 'x') {
        Out += '\\';
        Out += E;
        break;
      }
      unsigned N = E == 'x' ? 2 : E == 'u' ? 4 : 8;
      uint32_t V = 0;
      for (unsigned K = 0; K < N; ++K) {
        if (I + 1 >= B.size() || !isHex(B[I + 1])) {
          Error = std::string("(unicode error) truncated \\") + E +
                  std::string(N, 'X') + " escape";
          return DecodeResult::Ok;
        }
        char H = std::tolower(B[++I]);
        V = V * 16 + (H >= 'a' ? H - 'a' + 10 : H - '0');
      }
      if (Bytes) {
        Out += static_cast<char>(V);
      } else {
        if (V > 0x10FFFF) {
          Error = "(unicode error) illegal Unicode character";
          return DecodeResult::Ok;
        }
        appendUTF8(Out, V);
      }
      break;
    }
    case 'N':
      if (!Bytes)
        return DecodeResult::NamedEscape;
      Out += "\\N";
      break;
    default: // unknown escapes are kept, backslash included
      Out += '\\';
      Out += E;
      break;
    }
  }
  return DecodeResult::Ok;
}

/// The replacement fields of an f-string token's body (at byte \p BodyByte
/// of the file), appended to \p F's template and fields. Returns an error
/// message, or "" when every field is one Kiln takes.
std::string ASTBuilder::parseFString(const std::string &Body, size_t BodyByte, bool Raw,
                                     FStringExpr &F) {
  std::string Lit;
  auto FlushLit = [&]() -> std::string {
    std::string Decoded, Error;
    if (decodeBody(Lit, Raw, false, Decoded, Error) == DecodeResult::NamedEscape)
      return "`\\N{...}` escapes in f-strings";
    if (!Error.empty())
      return Error;
    for (char C : Decoded) {
      F.Template += C;
      if (C == '{' || C == '}')
        F.Template += C; // str.format's literal braces
    }
    Lit.clear();
    return "";
  };
  for (size_t I = 0; I < Body.size(); ++I) {
    char C = Body[I];
    if ((C == '{' || C == '}') && I + 1 < Body.size() && Body[I + 1] == C) {
      Lit += C; // `{{` and `}}`: one brace of text (decoded as is)
      ++I;
      continue;
    }
    if (C == '}')
      return "f-string: single '}' is not allowed";
    if (C != '{') {
      Lit += C;
      continue;
    }
    if (std::string E = FlushLit(); !E.empty())
      return E;
    // The expression runs to a top-level `!`, `:` or `}`.
    size_t Start = I + 1, J = Start;
    int Depth = 0;
    char Quote = 0;
    for (; J < Body.size(); ++J) {
      char D = Body[J];
      if (Quote) {
        if (D == Quote)
          Quote = 0;
        continue;
      }
      if (D == '\'' || D == '"')
        Quote = D;
      else if (D == '(' || D == '[' || D == '{')
        ++Depth;
      else if ((D == ')' || D == ']' || D == '}') && Depth > 0)
        --Depth;
      else if (Depth == 0 && (D == '}' || D == ':' || (D == '!' && J + 1 < Body.size() &&
                                                      Body[J + 1] != '=')))
        break;
      else if (Depth == 0 && D == '=' && J > Start && !strchr("=!<>", Body[J - 1]) &&
               J + 1 < Body.size() && Body[J + 1] != '=') {
        // `{x=}`, `{x = }`, `{x=!r}`, `{x=:.2f}`: the self-documenting form.
        size_t K = J + 1;
        while (K < Body.size() && Body[K] == ' ')
          ++K;
        if (K < Body.size() && (Body[K] == '}' || Body[K] == ':' ||
                                (Body[K] == '!' && K + 1 < Body.size() && Body[K + 1] != '=')))
          return "the `{x=}` form of f-strings";
      }
    }
    if (J >= Body.size())
      return "f-string: expecting '}'";
    size_t ExprEnd = J;
    std::string Field = "{";
    if (Body[J] == '!') {
      if (J + 2 >= Body.size() || !strchr("rsa", Body[J + 1]))
        return "f-string: invalid conversion character: expected 's', 'r', or 'a'";
      Field += Body.substr(J, 2);
      J += 2;
    }
    if (J < Body.size() && Body[J] == ':') {
      size_t K = J + 1;
      while (K < Body.size() && Body[K] != '}' && Body[K] != '{')
        ++K;
      if (K >= Body.size() || Body[K] == '{')
        return "nested replacement fields in f-string format specs";
      Field += Body.substr(J, K - J);
      J = K;
    }
    if (J >= Body.size() || Body[J] != '}')
      return "f-string: expecting '}'";
    if (llvm::StringRef(Body).slice(Start, ExprEnd).trim().empty())
      return "f-string: empty expression not allowed";
    unsigned ErrorsBefore = Diags.errorCount();
    ExprPtr X = parseFieldExpression(*Diags.source(), BodyByte + Start, BodyByte + ExprEnd, Diags);
    if (!X && Diags.errorCount() > ErrorsBefore)
      throw BuildAborted(); // the field's syntax error is reported
    if (!X)
      return "f-string fields that span lines or start a line";
    F.Fields.push_back(std::move(X));
    F.Template += Field + "}";
    I = J;
  }
  return FlushLit();
}

ExprPtr ASTBuilder::buildStrings(const std::vector<TerminalNode *> &Parts) {
  SourceRange R(beginOf(Parts.front()), endOf(Parts.back()));
  std::string Value;
  bool AnyBytes = false, AnyText = false, AnyF = false, AnyNamed = false;
  auto FS = std::make_unique<FStringExpr>(R);
  std::string FError;
  for (TerminalNode *P : Parts) {
    std::string Tok = P->getSymbol()->getText();
    size_t Q = Tok.find_first_of("'\"");
    bool Raw = false, Bytes = false, F = false;
    for (size_t I = 0; I < Q; ++I) {
      char Ch = std::tolower(Tok[I]);
      Raw |= Ch == 'r';
      Bytes |= Ch == 'b';
      F |= Ch == 'f';
    }
    (Bytes ? AnyBytes : AnyText) = true;
    AnyF |= F;
    size_t QLen = Tok.compare(Q, 3, std::string(3, Tok[Q])) == 0 &&
                          Tok.size() - Q >= 6
                      ? 3
                      : 1;
    std::string Body = Tok.substr(Q + QLen, Tok.size() - Q - 2 * QLen);
    if (F) {
      // The literal pieces before it join the template as text.
      for (char C : Value)
        FS->Template += (C == '{' || C == '}') ? std::string(2, C) : std::string(1, C);
      Value.clear();
      size_t BodyByte = Locs.byteOfCp(P->getSymbol()->getStartIndex()) + Q + QLen;
      if (FError.empty())
        FError = parseFString(Body, BodyByte, Raw, *FS);
      continue;
    }
    std::string Error;
    if (decodeBody(Body, Raw, Bytes, Value, Error) == DecodeResult::NamedEscape)
      AnyNamed = true;
    if (!Error.empty())
      syntaxError(rangeOf(P), Error);
  }
  if (AnyBytes && AnyText)
    syntaxError(R, "cannot mix bytes and nonbytes literals");
  if (AnyF && AnyNamed)
    return unsupported("`\\N{...}` escapes in strings", R);
  if (AnyF) {
    for (char C : Value) // text after the last f-string part
      FS->Template += (C == '{' || C == '}') ? std::string(2, C) : std::string(1, C);
    if (llvm::StringRef(FError).starts_with("f-string: ")) {
      syntaxError(R, FError);
      return unsupported("f-strings", R);
    }
    if (!FError.empty())
      return unsupported(FError.c_str(), R, "are");
    return FS;
  }
  if (AnyNamed)
    return unsupported("`\\N{...}` escapes in strings", R);
  auto S = std::make_unique<StrLitExpr>(std::move(Value), R);
  S->IsBytes = AnyBytes;
  return S;
}

std::unique_ptr<Module> kiln::frontend::buildModule(
    KilnParser::File_inputContext *Tree, antlr4::TokenStream &Tokens,
    const LocMap &Locs, DiagnosticEngine &Diags) {
  return ASTBuilder(Tokens, Locs, Diags).build(Tree);
}

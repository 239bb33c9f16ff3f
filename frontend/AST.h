//===- AST.h - Kiln's own abstract syntax tree for Python ---------*- C++ -*-===//
//
// The parser (ANTLR, confined to frontend/) produces this tree; nothing after
// it sees ANTLR types. The tree covers all of Python 3's expression and
// statement syntax: constructs Kiln does not compile become Unsupported
// nodes carrying a description, so that Sema can report them precisely
// instead of the parser mis-reading them.
//
// Ownership: every node owns its children through std::unique_ptr. Nodes use
// LLVM-style RTTI (a Kind field plus classof), so llvm::isa/dyn_cast work.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_FRONTEND_AST_H
#define KILN_FRONTEND_AST_H

#include "ir/Diagnostics.h"
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace kiln {
namespace ast {

//===----------------------------------------------------------------------===//
// Expressions
//===----------------------------------------------------------------------===//

enum class ExprKind : uint8_t {
  Name,      // x
  IntLit,    // 42, 0x2a, 1_000
  FloatLit,  // 1.5, 1e3
  ImagLit,   // 2j
  StrLit,    // "abc" (adjacent literals already concatenated)
  BoolLit,   // True, False
  NoneLit,   // None
  Ellipsis,  // ...
  BinOp,     // a + b
  Unary,     // -a, +a, ~a, not a
  BoolOp,    // a and b and c
  Compare,   // a < b <= c
  IfExp,     // a if c else b
  Call,      // f(a, k=b)
  Attribute, // a.b
  Subscript, // a[i], a[i, j], a[1:2]
  Slice,     // lo:hi:step (only inside a subscript)
  Tuple,     // (a, b) or a, b
  List,      // [a, b]
  Comp,      // [e for x in it if c], (e for x in it), {e for ...}, {k: v for ...}
  Dict,      // {k: v, ...}
  Lambda,    // lambda x, y: e
  Set,       // {a, b}
  FString,   // f"x = {x:.3f}"
  Unsupported, // lambda, comprehension, dict, set, f-string, yield, await, walrus, starred...
};

enum class BinOpKind : uint8_t {
  Add, Sub, Mul, Div, FloorDiv, Mod, Pow, MatMul,
  LShift, RShift, BitOr, BitXor, BitAnd,
};
enum class UnaryOpKind : uint8_t { Neg, Pos, Not, Invert };
enum class CmpOpKind : uint8_t { Lt, Le, Gt, Ge, Eq, Ne, In, NotIn, Is, IsNot };

/// Python spelling of an operator, e.g. "//" or "not in".
const char *spelling(BinOpKind K);
const char *spelling(UnaryOpKind K);
const char *spelling(CmpOpKind K);

struct Expr {
  const ExprKind Kind;
  SourceRange Range;
  explicit Expr(ExprKind K, SourceRange R = {}) : Kind(K), Range(R) {}
  virtual ~Expr() = default;
};
using ExprPtr = std::unique_ptr<Expr>;

struct NameExpr : Expr {
  std::string Id;
  NameExpr(std::string Id, SourceRange R) : Expr(ExprKind::Name, R), Id(std::move(Id)) {}
  static bool classof(const Expr *E) { return E->Kind == ExprKind::Name; }
};

struct IntLitExpr : Expr {
  std::string Text;   // as written, e.g. "0x_ff"
  int64_t Value = 0;  // valid when FitsInt64
  bool FitsInt64 = true;
  IntLitExpr(SourceRange R) : Expr(ExprKind::IntLit, R) {}
  static bool classof(const Expr *E) { return E->Kind == ExprKind::IntLit; }
};

struct FloatLitExpr : Expr {
  double Value = 0;
  std::string Text;
  FloatLitExpr(double V, SourceRange R) : Expr(ExprKind::FloatLit, R), Value(V) {}
  static bool classof(const Expr *E) { return E->Kind == ExprKind::FloatLit; }
};

struct ImagLitExpr : Expr {
  double Imag = 0;
  ImagLitExpr(double V, SourceRange R) : Expr(ExprKind::ImagLit, R), Imag(V) {}
  static bool classof(const Expr *E) { return E->Kind == ExprKind::ImagLit; }
};

struct StrLitExpr : Expr {
  std::string Value;  // decoded (escapes processed), UTF-8
  bool IsBytes = false;
  StrLitExpr(std::string V, SourceRange R) : Expr(ExprKind::StrLit, R), Value(std::move(V)) {}
  static bool classof(const Expr *E) { return E->Kind == ExprKind::StrLit; }
};

struct BoolLitExpr : Expr {
  bool Value;
  BoolLitExpr(bool V, SourceRange R) : Expr(ExprKind::BoolLit, R), Value(V) {}
  static bool classof(const Expr *E) { return E->Kind == ExprKind::BoolLit; }
};

struct NoneLitExpr : Expr {
  NoneLitExpr(SourceRange R) : Expr(ExprKind::NoneLit, R) {}
  static bool classof(const Expr *E) { return E->Kind == ExprKind::NoneLit; }
};

struct EllipsisExpr : Expr {
  EllipsisExpr(SourceRange R) : Expr(ExprKind::Ellipsis, R) {}
  static bool classof(const Expr *E) { return E->Kind == ExprKind::Ellipsis; }
};

struct BinOpExpr : Expr {
  BinOpKind Op;
  ExprPtr LHS, RHS;
  SourceRange OpRange; // the operator token
  BinOpExpr(BinOpKind Op, ExprPtr L, ExprPtr R, SourceRange Rg)
      : Expr(ExprKind::BinOp, Rg), Op(Op), LHS(std::move(L)), RHS(std::move(R)) {}
  static bool classof(const Expr *E) { return E->Kind == ExprKind::BinOp; }
};

struct UnaryExpr : Expr {
  UnaryOpKind Op;
  ExprPtr Operand;
  UnaryExpr(UnaryOpKind Op, ExprPtr O, SourceRange R)
      : Expr(ExprKind::Unary, R), Op(Op), Operand(std::move(O)) {}
  static bool classof(const Expr *E) { return E->Kind == ExprKind::Unary; }
};

/// A list comprehension or a generator expression: Elt computed for each
/// binding of the `for` clauses, left to right (outermost first), where all
/// of a clause's `if`s hold.
struct CompExpr : Expr {
  struct Clause {
    ExprPtr Target, Iter;
    std::vector<ExprPtr> Ifs;
  };
  bool IsGenerator = false;
  bool IsSet = false, IsDict = false; ///< {e for ...} / {Elt: Value for ...}
  ExprPtr Elt, Value;
  std::vector<Clause> Clauses;
  CompExpr(bool Gen, SourceRange R) : Expr(ExprKind::Comp, R), IsGenerator(Gen) {}
  static bool classof(const Expr *E) { return E->Kind == ExprKind::Comp; }
};

/// `lambda a, b: Body` (plain parameters only).
struct LambdaExpr : Expr {
  std::vector<std::string> Params;
  ExprPtr Body;
  LambdaExpr(SourceRange R) : Expr(ExprKind::Lambda, R) {}
  static bool classof(const Expr *E) { return E->Kind == ExprKind::Lambda; }
};

struct DictExpr : Expr {
  std::vector<ExprPtr> Keys, Values;
  DictExpr(SourceRange R) : Expr(ExprKind::Dict, R) {}
  static bool classof(const Expr *E) { return E->Kind == ExprKind::Dict; }
};

struct SetExpr : Expr {
  std::vector<ExprPtr> Elts;
  SetExpr(SourceRange R) : Expr(ExprKind::Set, R) {}
  static bool classof(const Expr *E) { return E->Kind == ExprKind::Set; }
};

/// Calls \p Fn with every name a target (`x`, `i, (a, b)`) binds.
template <typename FnT> void forEachTargetName(const Expr &T, FnT &&Fn);

struct BoolOpExpr : Expr {
  bool IsAnd;
  std::vector<ExprPtr> Values; // two or more
  BoolOpExpr(bool IsAnd, SourceRange R) : Expr(ExprKind::BoolOp, R), IsAnd(IsAnd) {}
  static bool classof(const Expr *E) { return E->Kind == ExprKind::BoolOp; }
};

struct CompareExpr : Expr {
  ExprPtr Left;
  std::vector<CmpOpKind> Ops;
  std::vector<ExprPtr> Comparators; // same length as Ops
  CompareExpr(SourceRange R) : Expr(ExprKind::Compare, R) {}
  static bool classof(const Expr *E) { return E->Kind == ExprKind::Compare; }
};

struct IfExpExpr : Expr {
  ExprPtr Test, Body, OrElse; // Body if Test else OrElse
  IfExpExpr(SourceRange R) : Expr(ExprKind::IfExp, R) {}
  static bool classof(const Expr *E) { return E->Kind == ExprKind::IfExp; }
};

struct Keyword {
  std::string Name; // empty for **kwargs (reported as unsupported)
  ExprPtr Value;
  SourceRange Range;
};

struct CallExpr : Expr {
  ExprPtr Func;
  std::vector<ExprPtr> Args;       // positional; *args become Unsupported
  std::vector<Keyword> Keywords;
  CallExpr(SourceRange R) : Expr(ExprKind::Call, R) {}
  static bool classof(const Expr *E) { return E->Kind == ExprKind::Call; }
};

struct AttributeExpr : Expr {
  ExprPtr Value;
  std::string Attr;
  SourceRange AttrRange;
  AttributeExpr(ExprPtr V, std::string A, SourceRange R)
      : Expr(ExprKind::Attribute, R), Value(std::move(V)), Attr(std::move(A)) {}
  static bool classof(const Expr *E) { return E->Kind == ExprKind::Attribute; }
};

struct SubscriptExpr : Expr {
  ExprPtr Value;
  ExprPtr Index; // a TupleExpr for a[i, j]; SliceExpr for a[1:2]
  SubscriptExpr(SourceRange R) : Expr(ExprKind::Subscript, R) {}
  static bool classof(const Expr *E) { return E->Kind == ExprKind::Subscript; }
};

struct SliceExpr : Expr {
  ExprPtr Lower, Upper, Step; // each may be null
  SliceExpr(SourceRange R) : Expr(ExprKind::Slice, R) {}
  static bool classof(const Expr *E) { return E->Kind == ExprKind::Slice; }
};

struct TupleExpr : Expr {
  std::vector<ExprPtr> Elts;
  TupleExpr(SourceRange R) : Expr(ExprKind::Tuple, R) {}
  static bool classof(const Expr *E) { return E->Kind == ExprKind::Tuple; }
};

struct ListExpr : Expr {
  std::vector<ExprPtr> Elts;
  ListExpr(SourceRange R) : Expr(ExprKind::List, R) {}
  static bool classof(const Expr *E) { return E->Kind == ExprKind::List; }
};

template <typename FnT> void forEachTargetName(const Expr &T, FnT &&Fn) {
  if (T.Kind == ExprKind::Name)
    Fn(static_cast<const NameExpr &>(T).Id);
  else if (T.Kind == ExprKind::Tuple)
    for (const ExprPtr &X : static_cast<const TupleExpr &>(T).Elts)
      forEachTargetName(*X, Fn);
  else if (T.Kind == ExprKind::List)
    for (const ExprPtr &X : static_cast<const ListExpr &>(T).Elts)
      forEachTargetName(*X, Fn);
}

/// A construct the parser recognised but Kiln does not compile.
/// What is a noun phrase with its verb agreement: e.g. What="lambda
/// expressions", Verb="are" gives "lambda expressions are not supported".
/// An f-string as a str.format template: the text with each replacement
/// field as `{}`, `{!r}`, `{:.3f}` (the text's own braces doubled), and the
/// fields' expressions in order. Nested fields in a format spec and the
/// `{x=}` form are refused while parsing.
struct FStringExpr : Expr {
  std::string Template;
  std::vector<ExprPtr> Fields;
  FStringExpr(SourceRange R) : Expr(ExprKind::FString, R) {}
  static bool classof(const Expr *E) { return E->Kind == ExprKind::FString; }
};

struct UnsupportedExpr : Expr {
  std::string What;
  std::string Verb = "are";
  UnsupportedExpr(std::string W, SourceRange R) : Expr(ExprKind::Unsupported, R), What(std::move(W)) {}
  static bool classof(const Expr *E) { return E->Kind == ExprKind::Unsupported; }
};

//===----------------------------------------------------------------------===//
// Statements
//===----------------------------------------------------------------------===//

enum class StmtKind : uint8_t {
  Expr, Assign, AugAssign, AnnAssign, Return, If, While, For, Break, Continue,
  Pass, Raise, Assert, FunctionDef, Import, ImportFrom, Del, Try, Unsupported,
};

struct Stmt {
  const StmtKind Kind;
  SourceRange Range;
  explicit Stmt(StmtKind K, SourceRange R = {}) : Kind(K), Range(R) {}
  virtual ~Stmt() = default;
};
using StmtPtr = std::unique_ptr<Stmt>;
using Body = std::vector<StmtPtr>;

struct ExprStmt : Stmt {
  ExprPtr Value;
  ExprStmt(ExprPtr V, SourceRange R) : Stmt(StmtKind::Expr, R), Value(std::move(V)) {}
  static bool classof(const Stmt *S) { return S->Kind == StmtKind::Expr; }
};

/// a = b = value; each target may be a Name, Tuple/List of targets,
/// Subscript or Attribute.
struct AssignStmt : Stmt {
  std::vector<ExprPtr> Targets;
  ExprPtr Value;
  AssignStmt(SourceRange R) : Stmt(StmtKind::Assign, R) {}
  static bool classof(const Stmt *S) { return S->Kind == StmtKind::Assign; }
};

struct AugAssignStmt : Stmt {
  ExprPtr Target;
  BinOpKind Op;
  ExprPtr Value;
  AugAssignStmt(SourceRange R) : Stmt(StmtKind::AugAssign, R) {}
  static bool classof(const Stmt *S) { return S->Kind == StmtKind::AugAssign; }
};

struct AnnAssignStmt : Stmt {
  ExprPtr Target;
  ExprPtr Annotation;
  ExprPtr Value; // may be null
  AnnAssignStmt(SourceRange R) : Stmt(StmtKind::AnnAssign, R) {}
  static bool classof(const Stmt *S) { return S->Kind == StmtKind::AnnAssign; }
};

struct ReturnStmt : Stmt {
  ExprPtr Value; // may be null
  ReturnStmt(SourceRange R) : Stmt(StmtKind::Return, R) {}
  static bool classof(const Stmt *S) { return S->Kind == StmtKind::Return; }
};

/// `elif` chains are nested IfStmts in OrElse.
struct IfStmt : Stmt {
  ExprPtr Test;
  Body Then, OrElse;
  IfStmt(SourceRange R) : Stmt(StmtKind::If, R) {}
  static bool classof(const Stmt *S) { return S->Kind == StmtKind::If; }
};

struct WhileStmt : Stmt {
  ExprPtr Test;
  Body Loop, OrElse;
  WhileStmt(SourceRange R) : Stmt(StmtKind::While, R) {}
  static bool classof(const Stmt *S) { return S->Kind == StmtKind::While; }
};

struct ForStmt : Stmt {
  ExprPtr Target, Iter;
  Body Loop, OrElse;
  ForStmt(SourceRange R) : Stmt(StmtKind::For, R) {}
  static bool classof(const Stmt *S) { return S->Kind == StmtKind::For; }
};

struct BreakStmt : Stmt {
  BreakStmt(SourceRange R) : Stmt(StmtKind::Break, R) {}
  static bool classof(const Stmt *S) { return S->Kind == StmtKind::Break; }
};
struct ContinueStmt : Stmt {
  ContinueStmt(SourceRange R) : Stmt(StmtKind::Continue, R) {}
  static bool classof(const Stmt *S) { return S->Kind == StmtKind::Continue; }
};
/// `del a[i], d[k]`.
struct DelStmt : Stmt {
  std::vector<ExprPtr> Targets;
  DelStmt(SourceRange R) : Stmt(StmtKind::Del, R) {}
  static bool classof(const Stmt *S) { return S->Kind == StmtKind::Del; }
};

struct PassStmt : Stmt {
  PassStmt(SourceRange R) : Stmt(StmtKind::Pass, R) {}
  static bool classof(const Stmt *S) { return S->Kind == StmtKind::Pass; }
};

struct RaiseStmt : Stmt {
  ExprPtr Exc;   // may be null (bare `raise`)
  ExprPtr Cause; // `from X`, may be null
  RaiseStmt(SourceRange R) : Stmt(StmtKind::Raise, R) {}
  static bool classof(const Stmt *S) { return S->Kind == StmtKind::Raise; }
};

/// `try:` with `except` clauses, `else:` and `finally:`.
struct TryStmt : Stmt {
  struct Handler {
    ExprPtr Type;          // null for a bare `except:`; a name, attribute or tuple
    std::string Name;      // `except E as name`, or empty
    SourceRange NameRange;
    Body Stmts;
    SourceRange Range;     // the `except ...` clause
  };
  Body Stmts;
  std::vector<Handler> Handlers;
  Body OrElse, Finally;
  TryStmt(SourceRange R) : Stmt(StmtKind::Try, R) {}
  static bool classof(const Stmt *S) { return S->Kind == StmtKind::Try; }
};

struct AssertStmt : Stmt {
  ExprPtr Test;
  ExprPtr Msg; // may be null
  AssertStmt(SourceRange R) : Stmt(StmtKind::Assert, R) {}
  static bool classof(const Stmt *S) { return S->Kind == StmtKind::Assert; }
};

struct Param {
  enum ParamKind : uint8_t { Normal, PosOnly, KwOnly, VarArgs, VarKw };
  std::string Name;
  ExprPtr Annotation; // may be null
  ExprPtr Default;    // may be null
  ParamKind PKind = Normal;
  SourceRange Range;
};

struct FunctionDefStmt : Stmt {
  std::string Name;
  SourceRange NameRange;
  std::vector<Param> Params;
  ExprPtr Returns; // may be null
  std::vector<ExprPtr> Decorators;
  bool IsAsync = false;
  Body Body_;
  FunctionDefStmt(SourceRange R) : Stmt(StmtKind::FunctionDef, R) {}
  static bool classof(const Stmt *S) { return S->Kind == StmtKind::FunctionDef; }
};

struct Alias {
  std::string Name;   // dotted, e.g. "numpy" or "os.path"; "*" for star imports
  std::string AsName; // empty when absent
  SourceRange Range;
};

struct ImportStmt : Stmt {
  std::vector<Alias> Names;
  ImportStmt(SourceRange R) : Stmt(StmtKind::Import, R) {}
  static bool classof(const Stmt *S) { return S->Kind == StmtKind::Import; }
};

struct ImportFromStmt : Stmt {
  std::string Module; // dotted; empty for `from . import x`
  int Level = 0;      // number of leading dots
  std::vector<Alias> Names;
  ImportFromStmt(SourceRange R) : Stmt(StmtKind::ImportFrom, R) {}
  static bool classof(const Stmt *S) { return S->Kind == StmtKind::ImportFrom; }
};

/// class, with, try, global, nonlocal, del, async, match, type aliases...
struct UnsupportedStmt : Stmt {
  std::string What;
  std::string Verb = "are";
  UnsupportedStmt(std::string W, SourceRange R) : Stmt(StmtKind::Unsupported, R), What(std::move(W)) {}
  static bool classof(const Stmt *S) { return S->Kind == StmtKind::Unsupported; }
};

/// `# kiln export f(int, float64[:])` or `#pythran export f(...)`.
/// A comment continued over several lines (`#pythran export f(int,` then
/// `#     float)`) joins their texts with a space; Lines says where each
/// continuation starts in Text and in the file. Exports read from a
/// `.pythran` file beside the module have File set.
struct ExportComment {
  SourceRange Range;        // the whole comment
  std::string Text;         // the comment text after `export`, e.g. "f(int, float)"
  SourceLoc TextLoc;        // where Text starts
  std::vector<std::pair<size_t, SourceLoc>> Lines;
  const SourceFile *File = nullptr;

  /// The source location of offset \p Off in Text.
  SourceLoc locAt(size_t Off) const {
    SourceLoc L = TextLoc;
    size_t Base = 0;
    for (const auto &[O, Loc] : Lines)
      if (O <= Off) {
        L = Loc;
        Base = O;
      }
    L.Col += Off - Base;
    return L;
  }
};

struct Module {
  Body Stmts;
  std::vector<ExportComment> Exports;
};

//===----------------------------------------------------------------------===//
// Dumping (for `kiln compile --emit=ast` and the lit tests)
//===----------------------------------------------------------------------===//

/// Prints \p M as an indented tree, one node per line with its location,
/// e.g. `BinOp + <3:10-3:15>`.
void dump(const Module &M, llvm::raw_ostream &OS);
void dump(const Expr &E, llvm::raw_ostream &OS, unsigned Indent = 0);
void dump(const Stmt &S, llvm::raw_ostream &OS, unsigned Indent = 0);

} // namespace ast
} // namespace kiln

#endif // KILN_FRONTEND_AST_H

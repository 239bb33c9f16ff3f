//===- ASTDump.cpp - Printing Kiln's AST -----------------------------------===//
//
// `kiln compile --emit=ast` and the parser tests read this format: one node
// per line, two spaces of indentation per level, the node kind, its key
// fields, and its range as <line:col-line:col>. A child that plays a named
// role is prefixed with the role, e.g.
//
//   If <1:1-4:9>
//     test: Compare < <1:4-1:9>
//       Name a <1:4-1:5>
//       Name b <1:8-1:9>
//     then:
//       Pass <2:5-2:9>
//
//===----------------------------------------------------------------------===//

#include "frontend/AST.h"
#include "llvm/Support/Format.h"

#include <cstdio>
#include <cstdlib>

using namespace kiln;
using namespace kiln::ast;

const char *ast::spelling(BinOpKind K) {
  switch (K) {
  case BinOpKind::Add: return "+";
  case BinOpKind::Sub: return "-";
  case BinOpKind::Mul: return "*";
  case BinOpKind::Div: return "/";
  case BinOpKind::FloorDiv: return "//";
  case BinOpKind::Mod: return "%";
  case BinOpKind::Pow: return "**";
  case BinOpKind::MatMul: return "@";
  case BinOpKind::LShift: return "<<";
  case BinOpKind::RShift: return ">>";
  case BinOpKind::BitOr: return "|";
  case BinOpKind::BitXor: return "^";
  case BinOpKind::BitAnd: return "&";
  }
  return "?";
}

const char *ast::spelling(UnaryOpKind K) {
  switch (K) {
  case UnaryOpKind::Neg: return "-";
  case UnaryOpKind::Pos: return "+";
  case UnaryOpKind::Not: return "not";
  case UnaryOpKind::Invert: return "~";
  }
  return "?";
}

const char *ast::spelling(CmpOpKind K) {
  switch (K) {
  case CmpOpKind::Lt: return "<";
  case CmpOpKind::Le: return "<=";
  case CmpOpKind::Gt: return ">";
  case CmpOpKind::Ge: return ">=";
  case CmpOpKind::Eq: return "==";
  case CmpOpKind::Ne: return "!=";
  case CmpOpKind::In: return "in";
  case CmpOpKind::NotIn: return "not in";
  case CmpOpKind::Is: return "is";
  case CmpOpKind::IsNot: return "is not";
  }
  return "?";
}

namespace {

class Dumper {
public:
  explicit Dumper(llvm::raw_ostream &OS) : OS(OS) {}

  void expr(const Expr &E, unsigned Indent, const char *Role = nullptr);
  void stmt(const Stmt &S, unsigned Indent);
  void body(const Body &B, unsigned Indent, const char *Role);

private:
  void line(unsigned Indent, const char *Role) {
    OS.indent(2 * Indent);
    if (Role)
      OS << Role << ": ";
  }
  void range(SourceRange R) {
    OS << " <" << R.Begin.Line << ":" << R.Begin.Col << "-" << R.End.Line
       << ":" << R.End.Col << ">\n";
  }
  void optExpr(const ExprPtr &E, unsigned Indent, const char *Role) {
    if (E)
      expr(*E, Indent, Role);
  }
  void quoted(const std::string &S);
  static std::string number(double V);

  llvm::raw_ostream &OS;
};

} // namespace

void Dumper::quoted(const std::string &S) {
  OS << '\'';
  for (unsigned char C : S) {
    switch (C) {
    case '\n': OS << "\\n"; break;
    case '\r': OS << "\\r"; break;
    case '\t': OS << "\\t"; break;
    case '\\': OS << "\\\\"; break;
    case '\'': OS << "\\'"; break;
    default:
      if (C < 0x20 || C == 0x7f)
        OS << llvm::format("\\x%02x", C);
      else
        OS << static_cast<char>(C);
    }
  }
  OS << '\'';
}

/// The shortest decimal form that reads back as \p V.
std::string Dumper::number(double V) {
  char Buf[40];
  if (V == static_cast<double>(static_cast<long long>(V)) && V > -1e16 &&
      V < 1e16) {
    std::snprintf(Buf, sizeof(Buf), "%.1f", V);
    return Buf;
  }
  for (int Prec = 1; Prec <= 17; ++Prec) {
    std::snprintf(Buf, sizeof(Buf), "%.*g", Prec, V);
    if (std::strtod(Buf, nullptr) == V)
      break;
  }
  return Buf;
}

void Dumper::expr(const Expr &E, unsigned Indent, const char *Role) {
  line(Indent, Role);
  unsigned In = Indent + 1;
  switch (E.Kind) {
  case ExprKind::Name:
    OS << "Name " << static_cast<const NameExpr &>(E).Id;
    range(E.Range);
    return;
  case ExprKind::IntLit: {
    const auto &I = static_cast<const IntLitExpr &>(E);
    OS << "IntLit ";
    if (I.FitsInt64) {
      OS << I.Value;
      if (I.Text != std::to_string(I.Value))
        OS << " '" << I.Text << "'";
    } else {
      OS << "'" << I.Text << "' (does not fit int64)";
    }
    range(E.Range);
    return;
  }
  case ExprKind::FloatLit:
    OS << "FloatLit " << number(static_cast<const FloatLitExpr &>(E).Value);
    range(E.Range);
    return;
  case ExprKind::ImagLit:
    OS << "ImagLit " << number(static_cast<const ImagLitExpr &>(E).Imag) << "j";
    range(E.Range);
    return;
  case ExprKind::StrLit: {
    const auto &S = static_cast<const StrLitExpr &>(E);
    OS << "StrLit " << (S.IsBytes ? "b" : "");
    quoted(S.Value);
    range(E.Range);
    return;
  }
  case ExprKind::BoolLit:
    OS << "BoolLit " << (static_cast<const BoolLitExpr &>(E).Value ? "True" : "False");
    range(E.Range);
    return;
  case ExprKind::NoneLit:
    OS << "NoneLit";
    range(E.Range);
    return;
  case ExprKind::Ellipsis:
    OS << "Ellipsis";
    range(E.Range);
    return;
  case ExprKind::BinOp: {
    const auto &B = static_cast<const BinOpExpr &>(E);
    OS << "BinOp " << spelling(B.Op);
    range(E.Range);
    expr(*B.LHS, In);
    expr(*B.RHS, In);
    return;
  }
  case ExprKind::Unary: {
    const auto &U = static_cast<const UnaryExpr &>(E);
    OS << "Unary " << spelling(U.Op);
    range(E.Range);
    expr(*U.Operand, In);
    return;
  }
  case ExprKind::BoolOp: {
    const auto &B = static_cast<const BoolOpExpr &>(E);
    OS << "BoolOp " << (B.IsAnd ? "and" : "or");
    range(E.Range);
    for (const ExprPtr &V : B.Values)
      expr(*V, In);
    return;
  }
  case ExprKind::Compare: {
    const auto &C = static_cast<const CompareExpr &>(E);
    OS << "Compare";
    for (CmpOpKind Op : C.Ops)
      OS << " " << spelling(Op);
    range(E.Range);
    expr(*C.Left, In);
    for (const ExprPtr &V : C.Comparators)
      expr(*V, In);
    return;
  }
  case ExprKind::IfExp: {
    const auto &I = static_cast<const IfExpExpr &>(E);
    OS << "IfExp";
    range(E.Range);
    expr(*I.Test, In, "test");
    expr(*I.Body, In, "body");
    expr(*I.OrElse, In, "orelse");
    return;
  }
  case ExprKind::Call: {
    const auto &C = static_cast<const CallExpr &>(E);
    OS << "Call";
    range(E.Range);
    expr(*C.Func, In, "func");
    for (const ExprPtr &A : C.Args)
      expr(*A, In, "arg");
    for (const Keyword &K : C.Keywords) {
      line(In, nullptr);
      OS << "Keyword " << (K.Name.empty() ? "**" : K.Name);
      range(K.Range);
      expr(*K.Value, In + 1);
    }
    return;
  }
  case ExprKind::Attribute: {
    const auto &A = static_cast<const AttributeExpr &>(E);
    OS << "Attribute ." << A.Attr;
    range(E.Range);
    expr(*A.Value, In);
    return;
  }
  case ExprKind::Subscript: {
    const auto &S = static_cast<const SubscriptExpr &>(E);
    OS << "Subscript";
    range(E.Range);
    expr(*S.Value, In, "value");
    expr(*S.Index, In, "index");
    return;
  }
  case ExprKind::Slice: {
    const auto &S = static_cast<const SliceExpr &>(E);
    OS << "Slice";
    range(E.Range);
    optExpr(S.Lower, In, "lower");
    optExpr(S.Upper, In, "upper");
    optExpr(S.Step, In, "step");
    return;
  }
  case ExprKind::Tuple:
  case ExprKind::List: {
    bool IsTuple = E.Kind == ExprKind::Tuple;
    OS << (IsTuple ? "Tuple" : "List");
    range(E.Range);
    const auto &Elts = IsTuple ? static_cast<const TupleExpr &>(E).Elts
                               : static_cast<const ListExpr &>(E).Elts;
    for (const ExprPtr &X : Elts)
      expr(*X, In);
    return;
  }
  case ExprKind::Comp: {
    const auto &C = static_cast<const CompExpr &>(E);
    OS << (C.IsGenerator ? "GeneratorExp" : C.IsDict ? "DictComp" : C.IsSet ? "SetComp" : "ListComp");
    range(E.Range);
    expr(*C.Elt, In, C.IsDict ? "key" : "elt");
    if (C.Value)
      expr(*C.Value, In, "value");
    for (const CompExpr::Clause &Cl : C.Clauses) {
      expr(*Cl.Target, In, "for");
      expr(*Cl.Iter, In, "in");
      for (const ExprPtr &If : Cl.Ifs)
        expr(*If, In, "if");
    }
    return;
  }
  case ExprKind::Lambda: {
    const auto &Lm = static_cast<const LambdaExpr &>(E);
    OS << "Lambda";
    for (const std::string &P : Lm.Params)
      OS << " " << P;
    range(E.Range);
    expr(*Lm.Body, In, "body");
    return;
  }
  case ExprKind::Dict: {
    const auto &Dc = static_cast<const DictExpr &>(E);
    OS << "Dict";
    range(E.Range);
    for (size_t I = 0; I < Dc.Keys.size(); ++I) {
      expr(*Dc.Keys[I], In, "key");
      expr(*Dc.Values[I], In, "value");
    }
    return;
  }
  case ExprKind::Set: {
    OS << "Set";
    range(E.Range);
    for (const ExprPtr &X : static_cast<const SetExpr &>(E).Elts)
      expr(*X, In);
    return;
  }
  case ExprKind::FString: {
    const auto &FS = static_cast<const FStringExpr &>(E);
    OS << "FString '" << FS.Template << "'";
    range(E.Range);
    for (const ExprPtr &X : FS.Fields)
      expr(*X, In, "field");
    return;
  }
  case ExprKind::Unsupported:
    OS << "Unsupported \"" << static_cast<const UnsupportedExpr &>(E).What << "\"";
    range(E.Range);
    return;
  }
}

void Dumper::body(const Body &B, unsigned Indent, const char *Role) {
  line(Indent, nullptr);
  OS << Role << ":\n";
  for (const StmtPtr &S : B)
    stmt(*S, Indent + 1);
}

static const char *paramKind(Param::ParamKind K) {
  switch (K) {
  case Param::Normal: return "";
  case Param::PosOnly: return " pos-only";
  case Param::KwOnly: return " kw-only";
  case Param::VarArgs: return " *args";
  case Param::VarKw: return " **kwargs";
  }
  return "";
}

void Dumper::stmt(const Stmt &S, unsigned Indent) {
  line(Indent, nullptr);
  unsigned In = Indent + 1;
  switch (S.Kind) {
  case StmtKind::Expr:
    OS << "Expr";
    range(S.Range);
    expr(*static_cast<const ExprStmt &>(S).Value, In);
    return;
  case StmtKind::Assign: {
    const auto &A = static_cast<const AssignStmt &>(S);
    OS << "Assign";
    range(S.Range);
    for (const ExprPtr &T : A.Targets)
      expr(*T, In, "target");
    expr(*A.Value, In, "value");
    return;
  }
  case StmtKind::AugAssign: {
    const auto &A = static_cast<const AugAssignStmt &>(S);
    OS << "AugAssign " << spelling(A.Op) << "=";
    range(S.Range);
    expr(*A.Target, In, "target");
    expr(*A.Value, In, "value");
    return;
  }
  case StmtKind::AnnAssign: {
    const auto &A = static_cast<const AnnAssignStmt &>(S);
    OS << "AnnAssign";
    range(S.Range);
    expr(*A.Target, In, "target");
    expr(*A.Annotation, In, "annotation");
    optExpr(A.Value, In, "value");
    return;
  }
  case StmtKind::Return:
    OS << "Return";
    range(S.Range);
    optExpr(static_cast<const ReturnStmt &>(S).Value, In, nullptr);
    return;
  case StmtKind::If: {
    const auto &I = static_cast<const IfStmt &>(S);
    OS << "If";
    range(S.Range);
    expr(*I.Test, In, "test");
    body(I.Then, In, "then");
    if (!I.OrElse.empty())
      body(I.OrElse, In, "else");
    return;
  }
  case StmtKind::While: {
    const auto &W = static_cast<const WhileStmt &>(S);
    OS << "While";
    range(S.Range);
    expr(*W.Test, In, "test");
    body(W.Loop, In, "body");
    if (!W.OrElse.empty())
      body(W.OrElse, In, "else");
    return;
  }
  case StmtKind::For: {
    const auto &F = static_cast<const ForStmt &>(S);
    OS << "For";
    range(S.Range);
    expr(*F.Target, In, "target");
    expr(*F.Iter, In, "iter");
    body(F.Loop, In, "body");
    if (!F.OrElse.empty())
      body(F.OrElse, In, "else");
    return;
  }
  case StmtKind::Break:
    OS << "Break";
    range(S.Range);
    return;
  case StmtKind::Continue:
    OS << "Continue";
    range(S.Range);
    return;
  case StmtKind::Del:
    OS << "Del";
    range(S.Range);
    for (const ExprPtr &T : static_cast<const DelStmt &>(S).Targets)
      expr(*T, In);
    return;
  case StmtKind::Pass:
    OS << "Pass";
    range(S.Range);
    return;
  case StmtKind::Raise: {
    const auto &R = static_cast<const RaiseStmt &>(S);
    OS << "Raise";
    range(S.Range);
    optExpr(R.Exc, In, "exc");
    optExpr(R.Cause, In, "cause");
    return;
  }
  case StmtKind::Try: {
    const auto &T = static_cast<const TryStmt &>(S);
    OS << "Try";
    range(S.Range);
    body(T.Stmts, In, "body");
    for (const TryStmt::Handler &H : T.Handlers) {
      line(In, "handler");
      OS << "Except";
      if (!H.Name.empty())
        OS << " as " << H.Name;
      range(H.Range);
      optExpr(H.Type, In + 1, "type");
      body(H.Stmts, In + 1, "body");
    }
    if (!T.OrElse.empty())
      body(T.OrElse, In, "else");
    if (!T.Finally.empty())
      body(T.Finally, In, "finally");
    return;
  }
  case StmtKind::Assert: {
    const auto &A = static_cast<const AssertStmt &>(S);
    OS << "Assert";
    range(S.Range);
    expr(*A.Test, In, "test");
    optExpr(A.Msg, In, "msg");
    return;
  }
  case StmtKind::FunctionDef: {
    const auto &F = static_cast<const FunctionDefStmt &>(S);
    OS << "FunctionDef " << F.Name << (F.IsAsync ? " async" : "");
    range(S.Range);
    for (const ExprPtr &D : F.Decorators)
      expr(*D, In, "decorator");
    for (const Param &P : F.Params) {
      line(In, nullptr);
      OS << "Param " << P.Name << paramKind(P.PKind);
      range(P.Range);
      optExpr(P.Annotation, In + 1, "annotation");
      optExpr(P.Default, In + 1, "default");
    }
    optExpr(F.Returns, In, "returns");
    body(F.Body_, In, "body");
    return;
  }
  case StmtKind::Import:
  case StmtKind::ImportFrom: {
    const std::vector<Alias> *Names;
    if (S.Kind == StmtKind::Import) {
      OS << "Import ";
      Names = &static_cast<const ImportStmt &>(S).Names;
    } else {
      const auto &I = static_cast<const ImportFromStmt &>(S);
      OS << "ImportFrom " << std::string(I.Level, '.') << I.Module << " import ";
      Names = &I.Names;
    }
    for (size_t K = 0; K < Names->size(); ++K) {
      const Alias &A = (*Names)[K];
      OS << (K ? ", " : "") << A.Name;
      if (!A.AsName.empty())
        OS << " as " << A.AsName;
    }
    range(S.Range);
    return;
  }
  case StmtKind::Unsupported:
    OS << "Unsupported \"" << static_cast<const UnsupportedStmt &>(S).What << "\"";
    range(S.Range);
    return;
  }
}

void ast::dump(const Module &M, llvm::raw_ostream &OS) {
  Dumper D(OS);
  OS << "Module\n";
  for (const StmtPtr &S : M.Stmts)
    D.stmt(*S, 1);
  for (const ExportComment &E : M.Exports) {
    OS << "  Export '" << E.Text << "' at " << E.TextLoc.Line << ":"
       << E.TextLoc.Col << " <" << E.Range.Begin.Line << ":" << E.Range.Begin.Col
       << "-" << E.Range.End.Line << ":" << E.Range.End.Col << ">\n";
  }
}

void ast::dump(const Expr &E, llvm::raw_ostream &OS, unsigned Indent) {
  Dumper(OS).expr(E, Indent);
}

void ast::dump(const Stmt &S, llvm::raw_ostream &OS, unsigned Indent) {
  Dumper(OS).stmt(S, Indent);
}

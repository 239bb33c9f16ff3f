//===- FrontendTest.cpp - Unit tests for Kiln's lexer and parser ----------===//
//
// Runs the real parser (parseModule / dumpTokens) on small programs and
// checks the token stream, the AST (through ast::dump) and the diagnostics.
//
//===----------------------------------------------------------------------===//

#include "frontend/AST.h"
#include "frontend/Parser.h"
#include "ir/Diagnostics.h"

#include "llvm/Support/Casting.h"
#include "llvm/Support/raw_ostream.h"
#include "gtest/gtest.h"

#include <sstream>
#include <string>

using namespace kiln;

namespace {

/// The result of parsing one source text.
struct Parsed {
  std::unique_ptr<ast::Module> M;
  std::string Diags;            ///< Everything the engine printed.
  std::vector<DiagID> IDs;      ///< The kinds reported.
};

Parsed parse(const std::string &Src) {
  SourceFile F("t.py", Src);
  Parsed P;
  llvm::raw_string_ostream OS(P.Diags);
  DiagnosticEngine D(OS);
  D.setSource(&F);
  if (checkSourceBytes(F, D))
    P.M = parseModule(F, D);
  OS.flush();
  P.IDs = D.reported();
  return P;
}

/// The AST dump of \p Src, or its diagnostics if it does not parse.
std::string astOf(const std::string &Src) {
  Parsed P = parse(Src);
  if (!P.M)
    return "ERROR " + P.Diags;
  std::string Out;
  llvm::raw_string_ostream OS(Out);
  ast::dump(*P.M, OS);
  return OS.str();
}

/// The dump of the expression in `\p Src` (a one-line expression statement).
std::string exprOf(const std::string &Src) {
  Parsed P = parse(Src + "\n");
  if (!P.M)
    return "ERROR " + P.Diags;
  EXPECT_EQ(P.M->Stmts.size(), 1u);
  auto *S = llvm::dyn_cast<ast::ExprStmt>(P.M->Stmts[0].get());
  if (!S)
    return "not an expression statement";
  std::string Out;
  llvm::raw_string_ostream OS(Out);
  ast::dump(*S->Value, OS);
  return OS.str();
}

/// The token dump of \p Src.
std::string tokensOf(const std::string &Src, bool *Ok = nullptr) {
  SourceFile F("t.py", Src);
  std::string Out, Errs;
  llvm::raw_string_ostream OS(Out), ES(Errs);
  DiagnosticEngine D(ES);
  bool R = dumpTokens(F, D, OS);
  if (Ok)
    *Ok = R;
  return OS.str();
}

/// Just the token kinds of \p Src, space-separated, e.g. "NAME OP NEWLINE".
std::string kindsOf(const std::string &Src) {
  std::istringstream In(tokensOf(Src));
  std::string Line, Out;
  while (std::getline(In, Line)) {
    std::istringstream LS(Line);
    std::string Pos, Kind;
    LS >> Pos >> Kind;
    Out += (Out.empty() ? "" : " ") + Kind;
  }
  return Out;
}

/// The first line of the diagnostics for \p Src.
std::string errorOf(const std::string &Src) {
  Parsed P = parse(Src);
  EXPECT_EQ(P.M, nullptr) << "expected an error for: " << Src;
  EXPECT_EQ(P.IDs.size(), 1u) << P.Diags;
  return P.Diags.substr(0, P.Diags.find('\n'));
}

DiagID errorKind(const std::string &Src) {
  Parsed P = parse(Src);
  EXPECT_EQ(P.IDs.size(), 1u) << P.Diags;
  return P.IDs.empty() ? DiagID::NumDiags : P.IDs[0];
}

} // namespace

//===----------------------------------------------------------------------===//
// Tokens and layout
//===----------------------------------------------------------------------===//

TEST(FrontendLexer, DumpFormat) {
  EXPECT_EQ(tokensOf("def f(x):\n    return x**2  # sq\n"),
            "1:1 NAME 'def'\n"
            "1:5 NAME 'f'\n"
            "1:6 OP '('\n"
            "1:7 NAME 'x'\n"
            "1:8 OP ')'\n"
            "1:9 OP ':'\n"
            "1:10 NEWLINE\n"
            "2:5 INDENT\n"
            "2:5 NAME 'return'\n"
            "2:12 NAME 'x'\n"
            "2:13 OP '**'\n"
            "2:15 NUMBER '2'\n"
            "2:22 NEWLINE\n"
            "3:1 DEDENT\n"
            "3:1 ENDMARKER\n");
}

TEST(FrontendLexer, NestedBlocks) {
  EXPECT_EQ(kindsOf("if a:\n    if b:\n        c\n    d\ne\n"),
            "NAME NAME OP NEWLINE INDENT NAME NAME OP NEWLINE INDENT NAME "
            "NEWLINE DEDENT NAME NEWLINE DEDENT NAME NEWLINE ENDMARKER");
  // Two levels closed at once, and DEDENTs at end of file.
  EXPECT_EQ(kindsOf("if a:\n  if b:\n    c\nd\n"),
            "NAME NAME OP NEWLINE INDENT NAME NAME OP NEWLINE INDENT NAME "
            "NEWLINE DEDENT DEDENT NAME NEWLINE ENDMARKER");
  EXPECT_EQ(kindsOf("if a:\n  if b:\n    c"),
            "NAME NAME OP NEWLINE INDENT NAME NAME OP NEWLINE INDENT NAME "
            "NEWLINE DEDENT DEDENT ENDMARKER");
}

TEST(FrontendLexer, BracketsSpanLines) {
  EXPECT_EQ(kindsOf("x = (1,\n  2,\n[3,\n      4])\ny\n"),
            "NAME OP OP NUMBER OP NUMBER OP OP NUMBER OP NUMBER OP OP NEWLINE "
            "NAME NEWLINE ENDMARKER");
}

TEST(FrontendLexer, BackslashContinuation) {
  EXPECT_EQ(kindsOf("x = 1 + \\\n        2\ny\n"),
            "NAME OP NUMBER OP NUMBER NEWLINE NAME NEWLINE ENDMARKER");
}

TEST(FrontendLexer, BlankAndCommentOnlyLines) {
  // The comment at column 1 inside the block neither dedents nor ends it.
  EXPECT_EQ(kindsOf("# head\n\nif a:\n    b\n# note\n\n      # deeper\n    c\n"),
            "NAME NAME OP NEWLINE INDENT NAME NEWLINE NAME NEWLINE DEDENT "
            "ENDMARKER");
  EXPECT_EQ(kindsOf("x  # trailing\n"), "NAME NEWLINE ENDMARKER");
}

TEST(FrontendLexer, Tabs) {
  // Consistent tabs are fine; a tab counts to the next multiple of 8.
  EXPECT_EQ(kindsOf("if a:\n\tb\n\tc\n"),
            "NAME NAME OP NEWLINE INDENT NAME NEWLINE NAME NEWLINE DEDENT "
            "ENDMARKER");
  EXPECT_EQ(errorKind("if a:\n\tb\n        c\n"), DiagID::MixedTabsSpaces);
  EXPECT_EQ(errorKind("if a:\n        b\n\tc\n"), DiagID::MixedTabsSpaces);
  EXPECT_EQ(errorOf("if a:\n    b\n\tc\n"),
            "t.py:3:2: error: inconsistent use of tabs and spaces in "
            "indentation");
}

TEST(FrontendLexer, DedentToUnknownLevel) {
  EXPECT_EQ(errorOf("if a:\n        b\n    c\n"),
            "t.py:3:5: error: unindent does not match any outer indentation "
            "level");
  EXPECT_EQ(errorOf("def f():\n  if x:\n    y\n z\n"),
            "t.py:4:2: error: unindent does not match any outer indentation "
            "level");
}

TEST(FrontendLexer, IndentErrors) {
  EXPECT_EQ(errorOf("x = 1\n    y = 2\n"), "t.py:2:5: error: unexpected indent");
  EXPECT_EQ(errorOf("def f():\nreturn 1\n"),
            "t.py:2:1: error: expected an indented block");
  EXPECT_EQ(errorOf("for i in x:\n"),
            "t.py:1:12: error: expected an indented block");
}

TEST(FrontendLexer, Numbers) {
  EXPECT_EQ(kindsOf("0x1F 0o17 0b101 1_000 1.5 .5 1. 1e3 1.5E-3 2j 1.5j 0\n"),
            "NUMBER NUMBER NUMBER NUMBER NUMBER NUMBER NUMBER NUMBER NUMBER "
            "NUMBER NUMBER NUMBER NEWLINE ENDMARKER");
}

TEST(FrontendLexer, ByteColumnsAfterUnicode) {
  // `é` is two bytes: `y` starts at byte column 11.
  EXPECT_EQ(tokensOf("s = \"é\"; y\n"),
            "1:1 NAME 's'\n1:3 OP '='\n1:5 STRING '\"é\"'\n1:9 OP ';'\n"
            "1:11 NAME 'y'\n1:12 NEWLINE\n2:1 ENDMARKER\n");
  // A byte-order mark is skipped but still counts in byte columns.
  EXPECT_EQ(exprOf("\xEF\xBB\xBFx"), "Name x <1:4-1:5>\n");
  // CRLF line ends.
  EXPECT_EQ(kindsOf("if a:\r\n    b\r\n"),
            "NAME NAME OP NEWLINE INDENT NAME NEWLINE DEDENT ENDMARKER");
  EXPECT_EQ(exprOf("café + 1"), "BinOp + <1:1-1:10>\n"
                                "  Name café <1:1-1:6>\n"
                                "  IntLit 1 <1:9-1:10>\n");
}

TEST(FrontendLexer, LexicalErrors) {
  bool Ok = true;
  tokensOf("x = 'abc\n", &Ok);
  EXPECT_FALSE(Ok);
  EXPECT_EQ(errorOf("x = 'abc\n"), "t.py:1:5: error: unterminated string literal");
  EXPECT_EQ(errorOf("x = 1\ny = \"\"\"abc\n\n"),
            "t.py:2:5: error: unterminated string literal");
  EXPECT_EQ(errorOf("x = 1 $ 2\n"),
            "t.py:1:7: error: invalid character `$` in source");
  EXPECT_EQ(errorOf("x = (1,\n 2\n"),
            "t.py:1:5: error: invalid syntax: `(` was never closed");
  EXPECT_EQ(errorOf("x = [1, 2)\n"),
            "t.py:1:10: error: invalid syntax: closing parenthesis `)` does not "
            "match opening parenthesis `[`");
}

//===----------------------------------------------------------------------===//
// Expressions
//===----------------------------------------------------------------------===//

TEST(FrontendParser, PowerBindsTighterThanUnaryMinus) {
  EXPECT_EQ(exprOf("-2**2"), "Unary - <1:1-1:6>\n"
                             "  BinOp ** <1:2-1:6>\n"
                             "    IntLit 2 <1:2-1:3>\n"
                             "    IntLit 2 <1:5-1:6>\n");
  // Right associative, and a unary operator on the right of `**`.
  EXPECT_EQ(exprOf("2**3**-1"), "BinOp ** <1:1-1:9>\n"
                                "  IntLit 2 <1:1-1:2>\n"
                                "  BinOp ** <1:4-1:9>\n"
                                "    IntLit 3 <1:4-1:5>\n"
                                "    Unary - <1:7-1:9>\n"
                                "      IntLit 1 <1:8-1:9>\n");
}

TEST(FrontendParser, ArithmeticPrecedenceAndAssociativity) {
  EXPECT_EQ(exprOf("a - b - c * d"), "BinOp - <1:1-1:14>\n"
                                     "  BinOp - <1:1-1:6>\n"
                                     "    Name a <1:1-1:2>\n"
                                     "    Name b <1:5-1:6>\n"
                                     "  BinOp * <1:9-1:14>\n"
                                     "    Name c <1:9-1:10>\n"
                                     "    Name d <1:13-1:14>\n");
  EXPECT_EQ(exprOf("a | b ^ c & d << 1"), "BinOp | <1:1-1:19>\n"
                                          "  Name a <1:1-1:2>\n"
                                          "  BinOp ^ <1:5-1:19>\n"
                                          "    Name b <1:5-1:6>\n"
                                          "    BinOp & <1:9-1:19>\n"
                                          "      Name c <1:9-1:10>\n"
                                          "      BinOp << <1:13-1:19>\n"
                                          "        Name d <1:13-1:14>\n"
                                          "        IntLit 1 <1:18-1:19>\n");
  EXPECT_EQ(exprOf("(a + b) // c % d @ e"),
            "BinOp @ <1:1-1:21>\n"
            "  BinOp % <1:1-1:17>\n"
            "    BinOp // <1:1-1:13>\n"
            "      BinOp + <1:2-1:7>\n"
            "        Name a <1:2-1:3>\n"
            "        Name b <1:6-1:7>\n"
            "      Name c <1:12-1:13>\n"
            "    Name d <1:16-1:17>\n"
            "  Name e <1:20-1:21>\n");
}

TEST(FrontendParser, ChainedComparisons) {
  EXPECT_EQ(exprOf("a < b < c"), "Compare < < <1:1-1:10>\n"
                                 "  Name a <1:1-1:2>\n"
                                 "  Name b <1:5-1:6>\n"
                                 "  Name c <1:9-1:10>\n");
  EXPECT_EQ(exprOf("a not in b is not c"), "Compare not in is not <1:1-1:20>\n"
                                           "  Name a <1:1-1:2>\n"
                                           "  Name b <1:10-1:11>\n"
                                           "  Name c <1:19-1:20>\n");
  EXPECT_EQ(exprOf("not a in b"), "Unary not <1:1-1:11>\n"
                                  "  Compare in <1:5-1:11>\n"
                                  "    Name a <1:5-1:6>\n"
                                  "    Name b <1:10-1:11>\n");
}

TEST(FrontendParser, BooleanAndConditional) {
  EXPECT_EQ(exprOf("a or b and not c"), "BoolOp or <1:1-1:17>\n"
                                        "  Name a <1:1-1:2>\n"
                                        "  BoolOp and <1:6-1:17>\n"
                                        "    Name b <1:6-1:7>\n"
                                        "    Unary not <1:12-1:17>\n"
                                        "      Name c <1:16-1:17>\n");
  EXPECT_EQ(exprOf("x if c else y if d else z"),
            "IfExp <1:1-1:26>\n"
            "  test: Name c <1:6-1:7>\n"
            "  body: Name x <1:1-1:2>\n"
            "  orelse: IfExp <1:13-1:26>\n"
            "    test: Name d <1:18-1:19>\n"
            "    body: Name y <1:13-1:14>\n"
            "    orelse: Name z <1:25-1:26>\n");
  EXPECT_EQ(exprOf("lambda x, y=1: x + y"),
            "Unsupported \"lambdas with defaults, `*` or `/` parameters\" <1:1-1:21>\n");
  EXPECT_EQ(exprOf("lambda t: t[1]"),
            "Lambda t <1:1-1:15>\n  body: Subscript <1:11-1:15>\n    value: Name t <1:11-1:12>\n"
            "    index: IntLit 1 <1:13-1:14>\n");
}

TEST(FrontendParser, PostfixForms) {
  EXPECT_EQ(exprOf("np.sum(a[1:n, ::2], axis=0, **kw)"),
            "Call <1:1-1:34>\n"
            "  func: Attribute .sum <1:1-1:7>\n"
            "    Name np <1:1-1:3>\n"
            "  arg: Subscript <1:8-1:19>\n"
            "    value: Name a <1:8-1:9>\n"
            "    index: Tuple <1:10-1:18>\n"
            "      Slice <1:10-1:13>\n"
            "        lower: IntLit 1 <1:10-1:11>\n"
            "        upper: Name n <1:12-1:13>\n"
            "      Slice <1:15-1:18>\n"
            "        step: IntLit 2 <1:17-1:18>\n"
            "  Keyword axis <1:21-1:27>\n"
            "    IntLit 0 <1:26-1:27>\n"
            "  Keyword ** <1:29-1:33>\n"
            "    Name kw <1:31-1:33>\n");
  EXPECT_EQ(exprOf("f(*args)"), "Call <1:1-1:9>\n"
                                "  func: Name f <1:1-1:2>\n"
                                "  arg: Unsupported \"argument unpacking "
                                "(`*args`)\" <1:3-1:8>\n");
  EXPECT_EQ(exprOf("(1,)"), "Tuple <1:1-1:5>\n  IntLit 1 <1:2-1:3>\n");
  EXPECT_EQ(exprOf("[]"), "List <1:1-1:3>\n");
  EXPECT_EQ(exprOf("..."), "Ellipsis <1:1-1:4>\n");
}

TEST(FrontendParser, StringsAndEscapes) {
  EXPECT_EQ(exprOf("'a' \"b\" '''c\nd'''"),
            "StrLit 'abc\\nd' <1:1-2:5>\n");
  EXPECT_EQ(exprOf("'\\x41\\101\\u00e9\\t\\\\\\'\\q'"),
            "StrLit 'AAé\\t\\\\\\'\\\\q' <1:1-1:25>\n");
  EXPECT_EQ(exprOf("r'\\n' R\"\\d\""), "StrLit '\\\\n\\\\d' <1:1-1:12>\n");
  EXPECT_EQ(exprOf("b'\\x00\\xff' rb'\\n'"),
            "StrLit b'\\x00\xff\\\\n' <1:1-1:19>\n");
  EXPECT_EQ(exprOf("'a\\\nb'"), "StrLit 'ab' <1:1-2:3>\n");
  EXPECT_EQ(exprOf("f'{x}' 'y'"), "FString '{}y' <1:1-1:11>\n  field: Name x <1:4-1:5>\n");
  EXPECT_EQ(errorOf("x = 'a' b'b'\n"),
            "t.py:1:5: error: invalid syntax: cannot mix bytes and nonbytes "
            "literals");
  EXPECT_EQ(errorOf("x = '\\x4'\n"),
            "t.py:1:5: error: invalid syntax: (unicode error) truncated \\xXX "
            "escape");
}

TEST(FrontendParser, NumberForms) {
  EXPECT_EQ(exprOf("0x_1F"), "IntLit 31 '0x_1F' <1:1-1:6>\n");
  EXPECT_EQ(exprOf("0o17"), "IntLit 15 '0o17' <1:1-1:5>\n");
  EXPECT_EQ(exprOf("0b101"), "IntLit 5 '0b101' <1:1-1:6>\n");
  EXPECT_EQ(exprOf("1_000"), "IntLit 1000 '1_000' <1:1-1:6>\n");
  EXPECT_EQ(exprOf("1e3"), "FloatLit 1000.0 <1:1-1:4>\n");
  EXPECT_EQ(exprOf("1.5e-3"), "FloatLit 0.0015 <1:1-1:7>\n");
  EXPECT_EQ(exprOf(".5"), "FloatLit 0.5 <1:1-1:3>\n");
  EXPECT_EQ(exprOf("2j"), "ImagLit 2.0j <1:1-1:3>\n");
  EXPECT_EQ(exprOf("9223372036854775807"), "IntLit 9223372036854775807 <1:1-1:20>\n");
  EXPECT_EQ(exprOf("9223372036854775808"),
            "IntLit '9223372036854775808' (does not fit int64) <1:1-1:20>\n");
  Parsed P = parse("x = 0xffffffffffffffffff\n");
  ASSERT_TRUE(P.M);
  auto *A = llvm::cast<ast::AssignStmt>(P.M->Stmts[0].get());
  auto *I = llvm::cast<ast::IntLitExpr>(A->Value.get());
  EXPECT_FALSE(I->FitsInt64);
  EXPECT_TRUE(P.IDs.empty()) << "a large literal is Sema's business";
}

TEST(FrontendParser, Comprehensions) {
  EXPECT_EQ(exprOf("[x for x in y]"),
            "ListComp <1:1-1:15>\n  elt: Name x <1:2-1:3>\n  for: Name x <1:8-1:9>\n"
            "  in: Name y <1:13-1:14>\n");
  EXPECT_EQ(exprOf("(x for x in y)"),
            "GeneratorExp <1:1-1:15>\n  elt: Name x <1:2-1:3>\n  for: Name x <1:8-1:9>\n"
            "  in: Name y <1:13-1:14>\n");
  // Clauses in order; each `if` belongs to the `for` before it.
  std::string D = exprOf("[i + j for i in a if i for j in b if j if k]");
  EXPECT_NE(D.find("for: Name i"), std::string::npos);
  EXPECT_LT(D.find("if: Name i"), D.find("for: Name j"));
  EXPECT_LT(D.find("if: Name j"), D.find("if: Name k"));
  EXPECT_EQ(exprOf("{}"), "Dict <1:1-1:3>\n");
  EXPECT_EQ(exprOf("{1, 2}"), "Set <1:1-1:7>\n  IntLit 1 <1:2-1:3>\n  IntLit 2 <1:5-1:6>\n");
  EXPECT_NE(exprOf("{k: v for k in y}").find("DictComp"), std::string::npos);
  EXPECT_NE(exprOf("{k for k in y}").find("SetComp"), std::string::npos);
}

TEST(FrontendParser, UnsupportedExpressions) {
  auto What = [](const std::string &Src) {
    std::string D = exprOf(Src);
    size_t B = D.find('"'), E = D.rfind('"');
    return B == std::string::npos ? D : D.substr(B + 1, E - B - 1);
  };
  EXPECT_EQ(What("{**a}"), "`**` in dict displays");
  EXPECT_EQ(What("(y := 3)"), "assignment expressions (`:=`)");
  EXPECT_EQ(What("await f()"), "`await` expressions");
  EXPECT_EQ(What("(yield x)"), "`yield` expressions");
  EXPECT_EQ(What("f'{a=}'"), "the `{x=}` form of f-strings");
  EXPECT_EQ(exprOf("*a, b"), "Tuple <1:1-1:6>\n"
                             "  Unsupported \"starred expressions\" <1:1-1:3>\n"
                             "  Name b <1:5-1:6>\n");
}

//===----------------------------------------------------------------------===//
// Statements
//===----------------------------------------------------------------------===//

TEST(FrontendParser, FunctionDefinition) {
  EXPECT_EQ(astOf("@njit\ndef f(a: int, /, b=1, *args, c, d: float = 2.0, "
                  "**kw) -> int:\n    return a\n"),
            "Module\n"
            "  FunctionDef f <2:1-3:13>\n"
            "    decorator: Name njit <1:2-1:6>\n"
            "    Param a pos-only <2:7-2:13>\n"
            "      annotation: Name int <2:10-2:13>\n"
            "    Param b <2:18-2:21>\n"
            "      default: IntLit 1 <2:20-2:21>\n"
            "    Param args *args <2:23-2:28>\n"
            "    Param c kw-only <2:30-2:31>\n"
            "    Param d kw-only <2:33-2:47>\n"
            "      annotation: Name float <2:36-2:41>\n"
            "      default: FloatLit 2.0 <2:44-2:47>\n"
            "    Param kw **kwargs <2:49-2:53>\n"
            "    returns: Name int <2:58-2:61>\n"
            "    body:\n"
            "      Return <3:5-3:13>\n"
            "        Name a <3:12-3:13>\n");
  EXPECT_EQ(errorOf("def f(a=1, b): pass\n"),
            "t.py:1:12: error: invalid syntax: non-default argument follows "
            "default argument");
  EXPECT_EQ(errorOf("def f(*, **k): pass\n"),
            "t.py:1:7: error: invalid syntax: named arguments must follow bare *");
  EXPECT_EQ(errorOf("def f(a, a): pass\n"),
            "t.py:1:10: error: invalid syntax: duplicate argument 'a' in "
            "function definition");
}

TEST(FrontendParser, ControlFlow) {
  EXPECT_EQ(astOf("if a:\n    pass\nelif b:\n    x = 1\nelse:\n    y += 2\n"),
            "Module\n"
            "  If <1:1-6:11>\n"
            "    test: Name a <1:4-1:5>\n"
            "    then:\n"
            "      Pass <2:5-2:9>\n"
            "    else:\n"
            "      If <3:1-6:11>\n"
            "        test: Name b <3:6-3:7>\n"
            "        then:\n"
            "          Assign <4:5-4:10>\n"
            "            target: Name x <4:5-4:6>\n"
            "            value: IntLit 1 <4:9-4:10>\n"
            "        else:\n"
            "          AugAssign += <6:5-6:11>\n"
            "            target: Name y <6:5-6:6>\n"
            "            value: IntLit 2 <6:10-6:11>\n");
  EXPECT_EQ(astOf("for i, j in x:\n  continue\nelse:\n  break\n"
                  "while x: raise E from y\n"),
            "Module\n"
            "  For <1:1-4:8>\n"
            "    target: Tuple <1:5-1:9>\n"
            "      Name i <1:5-1:6>\n"
            "      Name j <1:8-1:9>\n"
            "    iter: Name x <1:13-1:14>\n"
            "    body:\n"
            "      Continue <2:3-2:11>\n"
            "    else:\n"
            "      Break <4:3-4:8>\n"
            "  While <5:1-5:24>\n"
            "    test: Name x <5:7-5:8>\n"
            "    body:\n"
            "      Raise <5:10-5:24>\n"
            "        exc: Name E <5:16-5:17>\n"
            "        cause: Name y <5:23-5:24>\n");
  EXPECT_EQ(astOf("a = b = 1; assert x, 'm'\nz: int = 3\n"),
            "Module\n"
            "  Assign <1:1-1:10>\n"
            "    target: Name a <1:1-1:2>\n"
            "    target: Name b <1:5-1:6>\n"
            "    value: IntLit 1 <1:9-1:10>\n"
            "  Assert <1:12-1:25>\n"
            "    test: Name x <1:19-1:20>\n"
            "    msg: StrLit 'm' <1:22-1:25>\n"
            "  AnnAssign <2:1-2:11>\n"
            "    target: Name z <2:1-2:2>\n"
            "    annotation: Name int <2:4-2:7>\n"
            "    value: IntLit 3 <2:10-2:11>\n");
}

TEST(FrontendParser, Imports) {
  EXPECT_EQ(astOf("import numpy as np, os.path\nfrom ...a.b import (c as d,"
                  "\n  e,)\nfrom . import *\n"),
            "Module\n"
            "  Import numpy as np, os.path <1:1-1:28>\n"
            "  ImportFrom ...a.b import c as d, e <2:1-3:6>\n"
            "  ImportFrom . import * <4:1-4:16>\n");
}

TEST(FrontendParser, UnsupportedStatements) {
  EXPECT_EQ(astOf("class C(B):\n  x = 1\nwith open(f) as g: pass\n"
                  "try:\n  pass\nexcept* E as e:\n  pass\nfinally:\n  pass\n"
                  "global a, b\nnonlocal c\ndel x[0]\n"
                  "async def f():\n  await g()\n"),
            "Module\n"
            "  Unsupported \"classes\" <1:1-2:8>\n"
            "  Unsupported \"`with` statements\" <3:1-3:24>\n"
            "  Unsupported \"`except*` clauses\" <6:1-6:15>\n"
            "  Unsupported \"`global` declarations\" <10:1-10:12>\n"
            "  Unsupported \"`nonlocal` declarations\" <11:1-11:11>\n"
            "  Del <12:1-12:9>\n"
            "    Subscript <12:5-12:9>\n"
            "      value: Name x <12:5-12:6>\n"
            "      index: IntLit 0 <12:7-12:8>\n"
            "  Unsupported \"`async` functions\" <13:1-14:12>\n");
}

TEST(FrontendParser, MatchIsASoftKeyword) {
  EXPECT_EQ(astOf("match p:\n    case [x, *rest] if x > 0:\n        pass\n"
                  "    case Point(x=0) | {'k': 1, **r} | -1 | 2+3j:\n"
                  "        pass\n    case _:\n        pass\n"),
            "Module\n"
            "  Unsupported \"`match` statements\" <1:1-7:13>\n");
  EXPECT_EQ(astOf("match = case = 1\nmatch(x)\n"),
            "Module\n"
            "  Assign <1:1-1:17>\n"
            "    target: Name match <1:1-1:6>\n"
            "    target: Name case <1:9-1:13>\n"
            "    value: IntLit 1 <1:16-1:17>\n"
            "  Expr <2:1-2:9>\n"
            "    Call <2:1-2:9>\n"
            "      func: Name match <2:1-2:6>\n"
            "      arg: Name x <2:7-2:8>\n");
  EXPECT_EQ(errorKind("match x:\n    case 1 2:\n        pass\n"),
            DiagID::SyntaxError);
}

TEST(FrontendParser, ExportComments) {
  Parsed P = parse("# kiln export f(int, float64[:])\n"
                   "#pythran export g(float)  \n"
                   "x = 1  # kiln export h()\n"
                   "# kiln exported nothing\n");
  ASSERT_TRUE(P.M);
  ASSERT_EQ(P.M->Exports.size(), 3u);
  EXPECT_EQ(P.M->Exports[0].Text, "f(int, float64[:])");
  EXPECT_EQ(P.M->Exports[0].TextLoc.Line, 1u);
  EXPECT_EQ(P.M->Exports[0].TextLoc.Col, 15u);
  EXPECT_EQ(P.M->Exports[0].Range.Begin.Col, 1u);
  EXPECT_EQ(P.M->Exports[1].Text, "g(float)");
  EXPECT_EQ(P.M->Exports[1].TextLoc.Col, 17u);
  EXPECT_EQ(P.M->Exports[2].Text, "h()");
  EXPECT_EQ(P.M->Exports[2].TextLoc.Line, 3u);
  EXPECT_EQ(P.M->Exports[2].TextLoc.Col, 22u);
}

//===----------------------------------------------------------------------===//
// Errors
//===----------------------------------------------------------------------===//

TEST(FrontendErrors, SyntaxErrorsPointAtTheToken) {
  EXPECT_EQ(errorOf("if x\n    pass\n"),
            "t.py:1:5: error: invalid syntax: expected `:`");
  EXPECT_EQ(errorOf("x = 1\ny = )\n"),
            "t.py:2:5: error: invalid syntax: unexpected `)`");
  EXPECT_EQ(errorOf("x = (1 2)\n"),
            "t.py:1:8: error: invalid syntax: unexpected `2`");
  EXPECT_EQ(errorOf("x = 1 +\n"),
            "t.py:1:8: error: invalid syntax: unexpected end of line");
  EXPECT_EQ(errorOf("f(a=1, 2)\n"),
            "t.py:1:8: error: invalid syntax: positional argument follows "
            "keyword argument");
  EXPECT_EQ(errorOf("f() = 3\n"),
            "t.py:1:1: error: invalid syntax: cannot assign to function call");
  EXPECT_EQ(errorOf("def f(:\n  pass\n"),
            "t.py:1:7: error: invalid syntax: expected `)`");
  // The full message carries the source line and a caret.
  Parsed P = parse("x = (1 2)\n");
  EXPECT_EQ(P.Diags, "t.py:1:8: error: invalid syntax: unexpected `2`\n"
                     "    x = (1 2)\n"
                     "           ^\n");
}

TEST(FrontendErrors, RawBytes) {
  EXPECT_EQ(errorOf(std::string("x = 1\ny = 2\0\n", 13)), "t.py:2:6: error: source file contains a NUL byte");
  EXPECT_EQ(errorOf("x = 1\n# \xff\n"),
            "t.py:2:3: error: invalid UTF-8 byte 0xFF in source file");
  EXPECT_EQ(errorOf("s = '\xc3('\n"),
            "t.py:1:6: error: invalid UTF-8 byte 0xC3 in source file");
  EXPECT_EQ(errorOf("  \n\t\n"), "t.py:1:1: error: `t.py` is empty: there is nothing to compile");
  EXPECT_EQ(errorOf(""), "t.py:1:1: error: `t.py` is empty: there is nothing to compile");
  // parseModule alone is just as careful.
  SourceFile F("t.py", std::string("x = \0", 5));
  std::string Out;
  llvm::raw_string_ostream OS(Out);
  DiagnosticEngine D(OS);
  EXPECT_EQ(parseModule(F, D), nullptr);
  EXPECT_EQ(D.errorCount(), 1u);
}

TEST(FrontendErrors, DeepNestingIsAnErrorNotACrash) {
  EXPECT_EQ(errorKind("x = " + std::string(500, '(') + "1" +
                      std::string(500, ')') + "\n"),
            DiagID::SyntaxError);
  EXPECT_EQ(errorKind("x = " + std::string(100000, '-') + "1\n"),
            DiagID::SyntaxError);
  EXPECT_EQ(errorKind("x = " + std::string(20000, '[') + "\n"),
            DiagID::SyntaxError);
  std::string Deep;
  for (int I = 0; I < 120; ++I)
    Deep += std::string(I, ' ') + "if x:\n";
  Deep += std::string(120, ' ') + "pass\n";
  EXPECT_EQ(errorKind(Deep), DiagID::SyntaxError);
  // Reasonable nesting is fine.
  EXPECT_TRUE(parse("x = " + std::string(150, '(') + "1" +
                    std::string(150, ')') + "\n").M);
}

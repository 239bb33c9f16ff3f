//===- LowerTest.cpp - Type inference and lowering units -------------------===//

#include "frontend/Lower.h"
#include "frontend/LowerImpl.h"
#include "frontend/Parser.h"
#include "ir/Printer.h"
#include "ir/Verifier.h"
#include "passes/Pass.h"
#include "gtest/gtest.h"

using namespace kiln;

namespace {

struct Lowered {
  std::unique_ptr<ir::Module> M;
  std::string Diags;
};

Lowered lowerSource(const std::string &Src) {
  Lowered L;
  llvm::raw_string_ostream OS(L.Diags);
  DiagnosticEngine D(OS);
  SourceFile F("t.py", Src);
  D.setSource(&F);
  auto AST = parseModule(F, D);
  if (AST && !D.hasErrors())
    L.M = lowerModule(*AST, F, "t", D);
  OS.flush();
  return L;
}

Type resultOf(const Lowered &L, llvm::StringRef Fn) {
  const ir::Function *F = L.M ? L.M->lookup(Fn) : nullptr;
  return F ? F->resultType() : Type();
}

TEST(JoinTypes, WidensNumbersAndTuples) {
  using lower::joinTypes;
  EXPECT_EQ(joinTypes(Type::int64(), Type::float64()), Type::float64());
  EXPECT_EQ(joinTypes(Type::boolean(), Type::int64()), Type::int64());
  EXPECT_EQ(joinTypes(Type(), Type::boolean()), Type::boolean());
  Type A = Type::tuple({Type::int64(), Type::boolean()});
  Type B = Type::tuple({Type::float64(), Type::int64()});
  EXPECT_EQ(joinTypes(A, B), Type::tuple({Type::float64(), Type::int64()}));
  EXPECT_FALSE(joinTypes(Type::int64(), A).isValid());
  EXPECT_FALSE(joinTypes(Type::none(), Type::int64()).isValid());
  EXPECT_FALSE(joinTypes(Type::tuple({Type::int64()}), A).isValid());
}

TEST(Inference, ReturnTypeFromBody) {
  Lowered L = lowerSource("def f(n: int):\n    return n * 2\n"
                          "def g(n: int):\n    return n / 2\n"
                          "def h(n: int):\n    return n, n > 0\n"
                          "def k(n: int):\n    pass\n");
  ASSERT_TRUE(L.M) << L.Diags;
  EXPECT_EQ(resultOf(L, "f"), Type::int64());
  EXPECT_EQ(resultOf(L, "g"), Type::float64());
  EXPECT_EQ(resultOf(L, "h"), Type::tuple({Type::int64(), Type::boolean()}));
  EXPECT_EQ(resultOf(L, "k"), Type::none());
}

TEST(Inference, VariableWidensAcrossLoopIterations) {
  // `s` starts as int; the loop makes it float, which is only visible on a
  // second inference round.
  Lowered L = lowerSource("def f(n: int, x: float):\n    s = 0\n    for i in range(n):\n"
                          "        s = s + x\n    return s\n");
  ASSERT_TRUE(L.M) << L.Diags;
  EXPECT_EQ(resultOf(L, "f"), Type::float64());
}

TEST(Inference, RecursionResolvesFromBaseCase) {
  Lowered L = lowerSource("def fib(n: int):\n    if n < 2:\n        return n\n"
                          "    return fib(n - 1) + fib(n - 2)\n");
  ASSERT_TRUE(L.M) << L.Diags;
  EXPECT_EQ(resultOf(L, "fib"), Type::int64());
}

TEST(Inference, HelpersAreSpecialisedPerArgumentTypes) {
  Lowered L = lowerSource("def sq(x):\n    return x * x\n"
                          "def f(a: int, b: float):\n    return sq(a), sq(b)\n");
  ASSERT_TRUE(L.M) << L.Diags;
  EXPECT_EQ(resultOf(L, "sq[int64]"), Type::int64());
  EXPECT_EQ(resultOf(L, "sq[float64]"), Type::float64());
  EXPECT_EQ(resultOf(L, "f"), Type::tuple({Type::int64(), Type::float64()}));
  EXPECT_TRUE(ir::verify(*L.M).empty());
}

TEST(Inference, MutualRecursion) {
  Lowered L = lowerSource("def even(n):\n    if n == 0:\n        return True\n    return odd(n - 1)\n"
                          "def odd(n):\n    if n == 0:\n        return False\n    return even(n - 1)\n"
                          "def f(n: int):\n    return even(n)\n");
  ASSERT_TRUE(L.M) << L.Diags;
  EXPECT_EQ(resultOf(L, "f"), Type::boolean());
}

TEST(Inference, ConflictingTypesAreReportedWithBothSites) {
  Lowered L = lowerSource("def f(n: int):\n    x = 1\n    x = (1, 2)\n    return n\n");
  EXPECT_FALSE(L.M);
  EXPECT_NE(L.Diags.find("t.py:3:9: error: variable `x` is assigned a value of type "
                         "`tuple[int, int]`"),
            std::string::npos)
      << L.Diags;
  EXPECT_NE(L.Diags.find("t.py:2:9: note: `x` assigned `int` here"), std::string::npos)
      << L.Diags;
}

TEST(Inference, RecursionWithoutBaseCaseIsAnError) {
  Lowered L = lowerSource("def f(n: int):\n    return f(n)\n");
  EXPECT_FALSE(L.M);
  EXPECT_NE(L.Diags.find("cannot infer the return type of recursive function `f`"),
            std::string::npos)
      << L.Diags;
}

TEST(Inference, AnnotatedReturnConverts) {
  Lowered L = lowerSource("def f(n: int) -> float:\n    return n\n");
  ASSERT_TRUE(L.M) << L.Diags;
  EXPECT_EQ(resultOf(L, "f"), Type::float64());
}

TEST(Lowering, MaybeUnassignedReadGetsAFlag) {
  Lowered L = lowerSource("def f(n: int):\n    for i in range(n):\n        last = i\n"
                          "    return last\n");
  ASSERT_TRUE(L.M) << L.Diags;
  std::string Text;
  llvm::raw_string_ostream OS(Text);
  ir::print(*L.M, OS);
  EXPECT_NE(Text.find("%last.set = slot"), std::string::npos) << Text;
  EXPECT_NE(Text.find("UnboundLocalError"), std::string::npos) << Text;
}

TEST(Lowering, DefinitelyAssignedReadHasNoFlag) {
  Lowered L = lowerSource("def f(n: int):\n    if n > 0:\n        x = 1\n    else:\n"
                          "        x = 2\n    return x\n");
  ASSERT_TRUE(L.M) << L.Diags;
  std::string Text;
  llvm::raw_string_ostream OS(Text);
  ir::print(*L.M, OS);
  EXPECT_EQ(Text.find(".set"), std::string::npos) << Text;
}

TEST(Pipeline, DefaultPipelineKeepsIRValid) {
  Lowered L = lowerSource("def sq(x):\n    return x * x\n"
                          "def f(a: int) -> int:\n    t = 0\n    for i in range(a):\n"
                          "        t += sq(i) if i % 2 == 0 else -sq(i)\n    return t\n");
  ASSERT_TRUE(L.M) << L.Diags;
  passes::PassContext Ctx;
  ASSERT_FALSE(bool(passes::runPipeline(*L.M, passes::defaultPipeline(2), Ctx, {})));
  EXPECT_TRUE(ir::verify(*L.M).empty());
  // sq was inlined and then removed as unreachable.
  EXPECT_EQ(L.M->lookup("sq"), nullptr);
  EXPECT_GE(Ctx.Stats["inline.calls"], 2u);
}

} // namespace

//===- CodegenTest.cpp - Unit tests of Kiln IR -> LLVM lowering -----------===//
//
// Lowers small IR modules (parsed from the text form), runs the LLVM
// verifier, checks key facts in the LLVM IR text (overflow intrinsics,
// error messages, tables, PyInit, loop metadata, no mustprogress) and emits
// object files for a pinned CPU (x86-64-v3), never the host's.
//
//===----------------------------------------------------------------------===//

#include "codegen/Codegen.h"
#include "ir/Parser.h"
#include "llvm/AsmParser/Parser.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/IR/Verifier.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"
#include "gtest/gtest.h"

using namespace kiln;
using namespace kiln::codegen;

namespace {

std::unique_ptr<ir::Module> parse(const std::string &Text) {
  SourceFile SF("test.kir", Text);
  std::string Out;
  llvm::raw_string_ostream OS(Out);
  DiagnosticEngine Diags(OS);
  Diags.setSource(&SF);
  auto M = ir::parseIR(SF, Diags);
  EXPECT_TRUE(M) << OS.str();
  return M;
}

CodegenOptions pinned(unsigned OptLevel = 2) {
  CodegenOptions O;
  O.OptLevel = OptLevel;
  O.TargetCPU = "x86-64-v3";
  return O;
}

struct Lowered {
  llvm::LLVMContext Ctx;
  std::unique_ptr<llvm::TargetMachine> TM;
  std::unique_ptr<llvm::Module> M;
  std::string Error;

  Lowered(const std::string &IRText, CodegenOptions Opts = pinned()) {
    auto TMOr = createTargetMachine(Opts);
    if (!TMOr) {
      Error = llvm::toString(TMOr.takeError());
      return;
    }
    TM = std::move(*TMOr);
    auto IRM = parse(IRText);
    if (!IRM) {
      Error = "parse error";
      return;
    }
    auto MOr = lowerToLLVM(*IRM, Ctx, *TM, Opts);
    if (!MOr) {
      Error = llvm::toString(MOr.takeError());
      return;
    }
    M = std::move(*MOr);
  }
  bool ok() const { return M != nullptr; }
  std::string text() const {
    std::string S;
    llvm::raw_string_ostream OS(S);
    M->print(OS, nullptr);
    return OS.str();
  }
  bool verifies() const {
    std::string S;
    llvm::raw_string_ostream OS(S);
    bool Broken = llvm::verifyModule(*M, &OS);
    EXPECT_FALSE(Broken) << OS.str();
    return !Broken;
  }
  /// Optimises and emits an object to a fresh temp dir; returns its size.
  uint64_t emitObject(unsigned OptLevel = 2) {
    if (llvm::Error E = optimizeModule(*M, *TM, OptLevel)) {
      ADD_FAILURE() << llvm::toString(std::move(E));
      return 0;
    }
    llvm::SmallString<128> Dir;
    EXPECT_FALSE(llvm::sys::fs::createUniqueDirectory("kiln-cg", Dir));
    llvm::SmallString<128> Obj(Dir);
    llvm::sys::path::append(Obj, "out.o");
    if (llvm::Error E = emitFile(*M, *TM, Obj, /*Assembly=*/false)) {
      ADD_FAILURE() << llvm::toString(std::move(E));
      return 0;
    }
    uint64_t Size = 0;
    EXPECT_FALSE(llvm::sys::fs::file_size(Obj, Size));
    // Nothing but the object is left in the directory (no temp files).
    std::error_code EC;
    unsigned N = 0;
    for (llvm::sys::fs::directory_iterator It(Dir, EC), End; It != End && !EC; It.increment(EC))
      ++N;
    EXPECT_EQ(N, 1u);
    llvm::sys::fs::remove_directories(Dir);
    return Size;
  }
};

bool contains(const std::string &Hay, const std::string &Needle) {
  return Hay.find(Needle) != std::string::npos;
}

const char *GcdIR = R"(module "m"

func @gcd(%a: int64, %b: int64) -> int64 [arg_names = "a,b", export = "gcd"] {
  %a.addr = slot : ref<int64>
  store %a, %a.addr
  %b.addr = slot : ref<int64>
  store %b, %b.addr
  while {
    %0 = load %b.addr : int64
    %1 = const [value = 0] : int64
    %2 = cmp %0, %1 [pred = "ne"] : bool
    condition %2
  } {
    %3 = load %a.addr : int64
    %4 = load %b.addr : int64
    %5 = mod %3, %4 : int64
    store %4, %a.addr
    store %5, %b.addr
  }
  %6 = load %a.addr : int64
  return %6
}
)";

} // namespace

TEST(Codegen, GcdLowersWithTablesAndPyInit) {
  Lowered L(GcdIR);
  ASSERT_TRUE(L.ok()) << L.Error;
  EXPECT_TRUE(L.verifies());
  std::string T = L.text();
  EXPECT_TRUE(contains(T, "define internal { i64, i1 } @kiln.f.gcd(i64 %a, i64 %b)")) << T;
  EXPECT_TRUE(contains(T, "define internal i32 @kiln.entry.gcd(ptr")) << T;
  EXPECT_TRUE(contains(T, "define ptr @PyInit_m()")) << T;
  EXPECT_TRUE(contains(T, "call ptr @kiln_module_create(ptr @kiln.module)")) << T;
  EXPECT_TRUE(contains(T, "@kiln.funcs = private")) << T;
  EXPECT_TRUE(contains(T, "gcd(a: int64, b: int64) -> int64")) << T;
  EXPECT_TRUE(contains(T, "integer modulo by zero")) << T;
  EXPECT_TRUE(contains(T, "target triple")) << T;
  EXPECT_FALSE(contains(T, "mustprogress")) << T;
  EXPECT_GT(L.emitObject(), 0u);
}

TEST(Codegen, WhileLoopsNeverBecomeMustProgress) {
  // `while True: pass` must survive optimisation as an infinite loop.
  Lowered L(R"(module "m"
func @spin() -> none [export = "spin"] {
  while {
    %t = const [value = true] : bool
    condition %t
  } {
  }
  return
}
)");
  ASSERT_TRUE(L.ok()) << L.Error;
  EXPECT_TRUE(L.verifies());
  ASSERT_FALSE(optimizeModule(*L.M, *L.TM, 3));
  std::string T = L.text();
  EXPECT_FALSE(contains(T, "mustprogress")) << T;
  // The loop survives (an unconditional back edge to itself).
  EXPECT_TRUE(contains(T, "br label %")) << T;
}

TEST(Codegen, LoopsPollInterruptsInnermostForBetweenChunks) {
  Lowered L(R"(module "m"
func @f(%n: int64) -> int64 [export = "f"] {
  %acc = slot : ref<int64>
  %z = const [value = 0] : int64
  %one = const [value = 1] : int64
  store %z, %acc
  for %z, %n, %one {
  ^(%i: int64):
    for %z, %i, %one {
    ^(%j: int64):
      %0 = load %acc : int64
      %1 = add %0, %j : int64
      store %1, %acc
    }
  }
  %r = load %acc : int64
  return %r
}
func @g(%n: int64) -> int64 [export = "g"] {
  %z = const [value = 0] : int64
  %one = const [value = 1] : int64
  for %z, %n, %one {
  ^(%i: int64):
  }
  return %n
}
)");
  ASSERT_TRUE(L.ok()) << L.Error;
  EXPECT_TRUE(L.verifies());
  std::string T = L.text();
  size_t F = T.find("@kiln.f.f("), G = T.find("@kiln.f.g(");
  ASSERT_NE(F, std::string::npos);
  ASSERT_NE(G, std::string::npos);
  std::string FBody = T.substr(F, T.find("\n}\n", F) - F);
  std::string GBody = T.substr(G, T.find("\n}\n", G) - G);
  EXPECT_TRUE(contains(FBody, "load volatile i32, ptr @kiln_interrupt_flag")) << FBody;
  EXPECT_TRUE(contains(FBody, "call i32 @kiln_poll()")) << FBody;
  // Innermost: polled between chunks of 65536 iterations, never in the
  // per-iteration latch (which must stay call-free to vectorise).
  size_t Latch = GBody.find("for.latch:"), Chunk = GBody.find("for.chunk.latch:");
  ASSERT_NE(Latch, std::string::npos) << GBody;
  ASSERT_NE(Chunk, std::string::npos) << GBody;
  EXPECT_FALSE(contains(GBody.substr(Latch, Chunk - Latch), "kiln_interrupt_flag")) << GBody;
  EXPECT_TRUE(contains(GBody.substr(Chunk), "kiln_interrupt_flag")) << GBody;
  EXPECT_TRUE(contains(T, "@kiln_interrupt_flag = external hidden global i32")) << T;
  EXPECT_GT(L.emitObject(), 0u);
}

TEST(Codegen, IntOverflowChecksStayOnWhenUnchecked) {
  const char *IR = R"(module "m"
func @f(%a: int64, %b: int64) -> int64 [export = "f"] {
  %0 = add %a, %b : int64
  %1 = sub %0, %b : int64
  %2 = mul %1, %a : int64
  %3 = neg %2 : int64
  return %3
}
)";
  CodegenOptions O = pinned();
  O.Unchecked = true;
  Lowered L(IR, O);
  ASSERT_TRUE(L.ok()) << L.Error;
  EXPECT_TRUE(L.verifies());
  std::string T = L.text();
  EXPECT_TRUE(contains(T, "@llvm.sadd.with.overflow.i64")) << T;
  EXPECT_TRUE(contains(T, "@llvm.ssub.with.overflow.i64")) << T;
  EXPECT_TRUE(contains(T, "@llvm.smul.with.overflow.i64")) << T;
  EXPECT_TRUE(contains(T, "integer overflow: the result does not fit in int64")) << T;
  EXPECT_TRUE(contains(T, "-9223372036854775808")) << T; // neg check
  EXPECT_TRUE(contains(T, "declare void @kiln_raise_msg(ptr, ptr) #")) << T;
  EXPECT_TRUE(contains(T, "!prof")) << T; // cold error paths
  EXPECT_GT(L.emitObject(), 0u);
}

TEST(Codegen, FloorDivisionAndModulo) {
  Lowered L(R"(module "m"
func @f(%a: int64, %b: int64, %x: float64, %y: float64) -> tuple<int64, int64, float64, float64> [export = "f"] {
  %0 = floordiv %a, %b : int64
  %1 = mod %a, %b : int64
  %2 = floordiv %x, %y : float64
  %3 = mod %x, %y : float64
  %4 = tuple.make %0, %1, %2, %3 : tuple<int64, int64, float64, float64>
  return %4
}
)");
  ASSERT_TRUE(L.ok()) << L.Error;
  EXPECT_TRUE(L.verifies());
  std::string T = L.text();
  EXPECT_TRUE(contains(T, "sdiv i64")) << T;
  EXPECT_TRUE(contains(T, "srem i64")) << T;
  EXPECT_TRUE(contains(T, "frem double")) << T;
  EXPECT_TRUE(contains(T, "@llvm.copysign.f64")) << T;
  EXPECT_TRUE(contains(T, "float floor division by zero")) << T;
  EXPECT_TRUE(contains(T, "float modulo")) << T;
  EXPECT_GT(L.emitObject(), 0u);
}

TEST(Codegen, ForLoopHintsAndTripCount) {
  Lowered L(R"(module "m"
func @sum(%n: int64, %s: int64) -> int64 [export = "sum"] {
  %acc = slot : ref<int64>
  %z = const [value = 0] : int64
  store %z, %acc
  for %z, %n, %s [vector_width = 8] {
  ^(%i: int64):
    %0 = load %acc : int64
    %1 = add %0, %i : int64
    store %1, %acc
  }
  %r = load %acc : int64
  return %r
}
)");
  ASSERT_TRUE(L.ok()) << L.Error;
  EXPECT_TRUE(L.verifies());
  std::string T = L.text();
  EXPECT_TRUE(contains(T, "!llvm.loop")) << T;
  EXPECT_TRUE(contains(T, "!\"llvm.loop.vectorize.width\", i32 8")) << T;
  EXPECT_TRUE(contains(T, "!\"llvm.loop.vectorize.enable\", i1 true")) << T;
  EXPECT_TRUE(contains(T, "udiv i64")) << T; // trip count for a variable step
  EXPECT_FALSE(contains(T, "mustprogress")) << T;
  EXPECT_GT(L.emitObject(), 0u);
}

TEST(Codegen, MathFunctionsLowerToIntrinsicsOrLibm) {
  std::string IR = "module \"m\"\nfunc @f(%x: float64, %y: float64) -> float64 [export = \"f\"] {\n";
  const char *Unary[] = {"sqrt", "exp",  "log",  "log10", "log2", "sin",  "cos",
                         "tan",  "asin", "acos", "atan",  "sinh", "cosh", "tanh",
                         "fabs", "floor", "ceil", "trunc", "expm1", "log1p"};
  std::string Prev = "%x";
  int N = 0;
  for (const char *Fn : Unary) {
    std::string V = "%u" + std::to_string(N++);
    IR += "  " + V + " = math " + Prev + " [fn = \"" + Fn + "\"] : float64\n";
    Prev = V;
  }
  for (const char *Fn : {"atan2", "pow", "hypot", "copysign", "fmod", "min", "max"}) {
    std::string V = "%b" + std::to_string(N++);
    IR += "  " + V + " = math " + Prev + ", %y [fn = \"" + Fn + "\"] : float64\n";
    Prev = V;
  }
  for (const char *Fn : {"asin", "sinh", "tan"}) { // NumPy's: intrinsics (may vectorise)
    std::string V = "%n" + std::to_string(N++);
    IR += "  " + V + " = math " + Prev + " [fn = \"" + Fn + "\", numpy] : float64\n";
    Prev = V;
  }
  IR += "  %p = pow " + Prev + ", %y : float64\n";
  IR += "  %fl = math %p [fn = \"floor\"] : int64\n";
  IR += "  %rd = math %p [fn = \"round\"] : int64\n";
  IR += "  %s = add %fl, %rd : int64\n";
  IR += "  %sf = cast %s : float64\n";
  IR += "  %nan = math %sf [fn = \"isnan\"] : bool\n";
  IR += "  %r = select %nan, %sf, %p : float64\n";
  IR += "  return %r\n}\n";
  Lowered L(IR);
  ASSERT_TRUE(L.ok()) << L.Error;
  EXPECT_TRUE(L.verifies());
  std::string T = L.text();
  // The exact ones are intrinsics; Python's others are the C library's,
  // called `nobuiltin` (below), so that LLVM does not swap in libmvec's
  // vector variants, which differ in the last bit.
  for (const char *I : {"@llvm.sqrt.f64", "@llvm.fabs.f64", "@llvm.trunc.f64",
                        "@llvm.roundeven.f64", "@llvm.floor.f64"})
    EXPECT_TRUE(contains(T, I)) << I;
  for (const char *I : {"@llvm.log.f64", "@llvm.exp.f64", "@llvm.cos.f64"})
    EXPECT_FALSE(contains(T, I)) << I;
  for (const char *I : {"@llvm.asin.f64", "@llvm.sinh.f64", "@llvm.tan.f64"}) // NumPy's
    EXPECT_TRUE(contains(T, I)) << I;
  for (const char *Libm : {"@asin(double)", "@sinh(double)", "@tan(double)", "@log(double)",
                           "@exp(double)"})
    EXPECT_TRUE(contains(T, Libm)) << Libm;
  // pow is the C library's, called as CPython calls it: `nobuiltin`, so LLVM
  // cannot rewrite pow(x, 2.0) as x*x (which may differ in the last bit).
  EXPECT_FALSE(contains(T, "@llvm.pow.f64"));
  EXPECT_TRUE(contains(T, "@pow(double")) << T;
  EXPECT_TRUE(contains(T, "nobuiltin"));
  for (const char *Libm : {"@expm1(double)", "@log1p(double)", "@atan2(double, double)",
                           "@hypot(double, double)"})
    EXPECT_TRUE(contains(T, Libm)) << Libm;
  EXPECT_TRUE(contains(T, "math domain error"));
  EXPECT_TRUE(contains(T, "math range error"));
  EXPECT_TRUE(contains(T, "cannot convert float NaN to integer"));
  EXPECT_TRUE(contains(T, "0.0 cannot be raised to a negative power"));
  EXPECT_TRUE(contains(T, "Numerical result out of range"));
  // The intrinsics without libm twins in older LLVMs (NumPy's asin, sinh,
  // ...) must still select in the backend.
  EXPECT_GT(L.emitObject(), 0u);
}

TEST(Codegen, RaiseBuildsArgumentArray) {
  Lowered L(R"(module "m"
func @f(%n: int64, %x: float64, %b: bool) -> none [export = "f"] {
  %s = str.const [value = "bad value"] : str
  raise %s, %n, %x, %b [exc = "ValueError"]
}
)");
  ASSERT_TRUE(L.ok()) << L.Error;
  EXPECT_TRUE(L.verifies());
  std::string T = L.text();
  EXPECT_TRUE(contains(T, "%kiln_arg = type { i32, i32, i64 }")) << T;
  EXPECT_TRUE(contains(T, "call void @kiln_raise(ptr @")) << T;
  EXPECT_TRUE(contains(T, "i32 4, ptr %exc.args")) << T;
  EXPECT_TRUE(contains(T, "c\"ValueError\\00\"")) << T;
  EXPECT_TRUE(contains(T, "store i32 115")) << T; // 's'
  EXPECT_TRUE(contains(T, "store i32 102")) << T; // 'f'
  EXPECT_TRUE(contains(T, "store i32 98")) << T;  // 'b'
  EXPECT_GT(L.emitObject(), 0u);
}

TEST(Codegen, OverloadsAreConsecutiveInTheTable) {
  Lowered L(R"(module "m"
func @f_i(%a: int64) -> int64 [arg_names = "a", export = "f"] {
  return %a
}
func @g(%a: bool) -> tuple<bool, float64> [arg_names = "flag", export = "g"] {
  %z = const [value = 1.5] : float64
  %t = tuple.make %a, %z : tuple<bool, float64>
  return %t
}
func @helper(%a: float64) -> float64 {
  return %a
}
func @f_f(%a: float64) -> float64 [arg_names = "a", export = "f"] {
  %r = call %a [callee = @helper] : float64
  return %r
}
)");
  ASSERT_TRUE(L.ok()) << L.Error;
  EXPECT_TRUE(L.verifies());
  std::string T = L.text();
  size_t Table = T.find("@kiln.funcs = private");
  ASSERT_NE(Table, std::string::npos) << T;
  size_t End = T.find('\n', Table);
  std::string Row = T.substr(Table, End - Table);
  size_t FI = Row.find("@kiln.entry.f_i"), FF = Row.find("@kiln.entry.f_f"),
         G = Row.find("@kiln.entry.g");
  ASSERT_NE(FI, std::string::npos) << Row;
  ASSERT_NE(FF, std::string::npos) << Row;
  ASSERT_NE(G, std::string::npos) << Row;
  EXPECT_LT(FI, FF);
  EXPECT_LT(FF, G);
  EXPECT_FALSE(contains(T, "@kiln.entry.helper"));
  EXPECT_TRUE(contains(T, "g(flag: bool) -> tuple[bool, float64]")) << T;
  EXPECT_TRUE(contains(T, "f(a: float64) -> float64")) << T;
  EXPECT_TRUE(contains(T, "define internal { double, i1 } @kiln.f.helper")) << T;
  // Only PyInit is visible outside the object.
  for (const char *Internal : {"@kiln.f.f_i", "@kiln.entry.g", "@kiln.module ="}) {
    size_t P = T.find(Internal);
    ASSERT_NE(P, std::string::npos) << Internal;
  }
  EXPECT_GT(L.emitObject(), 0u);
}

TEST(Codegen, InvalidIRIsAnInternalCompilerError) {
  auto IRM = parse(R"(module "m"
func @f(%a: int64) -> int64 [export = "f"] {
  %x = add %a, %a : int64
  return %x
}
)");
  ASSERT_TRUE(IRM);
  // Break it: return a float from an int64 function.
  IRM->functions()[0]->setResultType(Type::float64());
  llvm::LLVMContext Ctx;
  auto TM = createTargetMachine(pinned());
  ASSERT_TRUE(bool(TM));
  auto M = lowerToLLVM(*IRM, Ctx, **TM, pinned());
  ASSERT_FALSE(bool(M));
  EXPECT_TRUE(contains(llvm::toString(M.takeError()), "internal compiler error"));
}

TEST(Codegen, TwoArgumentRoundIsReportedUnsupported) {
  Lowered L(R"(module "m"
func @f(%x: float64, %n: int64) -> float64 [export = "f"] {
  %r = math %x, %n [fn = "round"] : float64
  return %r
}
)");
  ASSERT_FALSE(L.ok());
  EXPECT_TRUE(contains(L.Error, "ndigits")) << L.Error;
}

TEST(Codegen, OptimizeRegistersLibmvec) {
  // A vectorisable loop of llvm.sin over an array becomes libmvec calls.
  llvm::LLVMContext Ctx;
  auto TM = createTargetMachine(pinned(3));
  ASSERT_TRUE(bool(TM));
  llvm::SMDiagnostic Err;
  auto M = llvm::parseAssemblyString(R"(
define void @vsin(ptr noalias %a, ptr noalias %b, i64 %n) {
entry:
  %c = icmp sgt i64 %n, 0
  br i1 %c, label %loop, label %exit
loop:
  %i = phi i64 [ 0, %entry ], [ %i.next, %loop ]
  %pa = getelementptr inbounds double, ptr %a, i64 %i
  %x = load double, ptr %pa
  %y = call double @llvm.sin.f64(double %x)
  %pb = getelementptr inbounds double, ptr %b, i64 %i
  store double %y, ptr %pb
  %i.next = add nuw nsw i64 %i, 1
  %d = icmp eq i64 %i.next, %n
  br i1 %d, label %exit, label %loop
exit:
  ret void
}
declare double @llvm.sin.f64(double)
)", Err, Ctx);
  ASSERT_TRUE(M) << Err.getMessage().str();
  M->setTargetTriple((*TM)->getTargetTriple().str());
  M->setDataLayout((*TM)->createDataLayout());
  ASSERT_FALSE(optimizeModule(*M, **TM, 3));
  std::string S;
  llvm::raw_string_ostream OS(S);
  M->print(OS, nullptr);
  EXPECT_TRUE(contains(OS.str(), "_ZGVdN4v_sin")) << OS.str();
}

TEST(Codegen, VerifierFailureIsReported) {
  llvm::LLVMContext Ctx;
  auto TM = createTargetMachine(pinned());
  ASSERT_TRUE(bool(TM));
  llvm::Module M("bad", Ctx);
  auto *F = llvm::Function::Create(llvm::FunctionType::get(llvm::Type::getVoidTy(Ctx), false),
                                   llvm::GlobalValue::ExternalLinkage, "f", M);
  llvm::BasicBlock::Create(Ctx, "entry", F); // no terminator
  llvm::Error E = optimizeModule(M, **TM, 2);
  ASSERT_TRUE(bool(E));
  EXPECT_TRUE(contains(llvm::toString(std::move(E)), "internal compiler error"));
}

TEST(Codegen, LinkFailureLeavesNoOutput) {
  llvm::SmallString<128> Dir;
  ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("kiln-link", Dir));
  llvm::SmallString<128> Out(Dir);
  llvm::sys::path::append(Out, "m.abi3.so");
  llvm::Error E = linkSharedModule({std::string(Dir) + "/missing.o"}, Out, "");
  ASSERT_TRUE(bool(E));
  std::string Msg = llvm::toString(std::move(E));
  EXPECT_TRUE(contains(Msg, "missing.o")) << Msg; // the linker's own words
  std::error_code EC;
  unsigned N = 0;
  for (llvm::sys::fs::directory_iterator It(Dir, EC), End; It != End && !EC; It.increment(EC))
    ++N;
  EXPECT_EQ(N, 0u);
  llvm::sys::fs::remove_directories(Dir);
}

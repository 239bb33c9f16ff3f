//===- Driver.cpp - The `kiln` command line ---------------------------------===//
//
//   kiln compile FILE.py [-o OUT] [-O0|-O1|-O2|-O3]
//                [--emit=tokens|ast|kir|llvm|asm|obj|module|pyi]
//                [--target-cpu=CPU] [--unchecked] [--pyi=FILE] [-MD] [-MF FILE]
//   kiln --version | --help | compile --help
//
//===----------------------------------------------------------------------===//

#include "tools/Version.h"
#include "tools/kiln/Compile.h"
#include "llvm/Support/ErrorHandling.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Signals.h"
#include <cstring>
#include <functional>
#include <new>
#include <unistd.h>
#include "llvm/Support/raw_ostream.h"
#include <pthread.h>
#include "llvm/ADT/StringRef.h"

using namespace kiln;

static const char *Usage = R"(usage: kiln <command> [options]

Kiln compiles annotated numeric Python into native CPython extension modules.

commands:
  compile FILE.py    compile FILE.py into an importable module (FILE.abi3.so)

options:
  --version          print the version and exit
  --help             print this help and exit

Run `kiln compile --help` for the compile options.
)";

static const char *CompileUsage = R"(usage: kiln compile FILE.py [options]

Compiles the exported functions of FILE.py (top-level functions whose
parameters are all annotated, or named in `# kiln export f(types)` comments)
into NAME.abi3.so, importable as `import NAME` from CPython >= 3.11.

options:
  -o FILE              write the output to FILE (default: NAME.abi3.so for
                       modules, NAME.pyi for stubs, standard output for the
                       other text forms)
  -O0 -O1 -O2 -O3      optimisation level (default -O2)
  --emit=KIND          what to produce: tokens, ast, kir (Kiln IR), llvm
                       (LLVM IR), asm, obj, module (default), pyi (a type
                       stub with the exported signatures)
  --target-cpu=CPU     generate code for CPU (an LLVM CPU name such as
                       x86-64-v3; default: this machine's CPU)
  --unchecked          remove bounds checks (arithmetic checks stay)
  --strict-fp          keep Python's left-to-right order of float sums in
                       loops (by default they may be reassociated and
                       vectorised, which can change the last bits)
  --serial             run every loop on the calling thread (by default the
                       loop nests of array statements use every core;
                       KILN_NUM_THREADS or OMP_NUM_THREADS set the count)
  --print-ir-after-all print Kiln IR after every pass (to stderr)
  --time-passes        print the time each Kiln pass took (to stderr)
  --report             print what the passes did for each loop (to stderr):
                       bounds checks removed, sums vectorised, arrays freed
  --pyi=FILE           with a module, also write its type stub to FILE
  -MD                  also write a Make dependency file (NAME.d next to the
                       output, or -MF FILE)
  -MF FILE             the dependency file to write
  --help               print this help and exit
)";

/// Runs \p Fn on a thread with a large stack (see main): 1 GB, or less
/// where the address space is limited (`ulimit -v`), or on this thread if no
/// thread can be made.
static int runWithLargeStack(const std::function<int()> &Fn) {
  struct Call {
    const std::function<int()> *Fn;
    int RC;
  } C{&Fn, 1};
  auto Start = [](void *P) -> void * {
    auto *C = static_cast<Call *>(P);
    C->RC = (*C->Fn)();
    return nullptr;
  };
  for (size_t MB : {1024, 256, 64}) {
    pthread_attr_t A;
    pthread_attr_init(&A);
    pthread_attr_setstacksize(&A, MB << 20);
    pthread_t T;
    int Err = pthread_create(&T, &A, Start, &C);
    pthread_attr_destroy(&A);
    if (Err == 0) {
      pthread_join(T, nullptr);
      return C.RC;
    }
  }
  return Fn();
}

/// Running out of memory is the input's size meeting the machine's limits,
/// not a bug in Kiln: a diagnostic and exit code 1, not an internal compiler
/// error. Partial outputs (registered for removal on signals) are removed.
/// Only async-signal-safe calls: the heap is exhausted.
static const char *OOMInput = "";
[[noreturn]] static void outOfMemory() {
  static const char A[] = "kiln: error: out of memory while compiling ";
  static const char B[] = "; the input is too large for this machine's memory limit "
                          "(split the module, or raise `ulimit -v`)\n";
  (void)!write(2, A, sizeof A - 1);
  (void)!write(2, OOMInput, strlen(OOMInput));
  (void)!write(2, B, sizeof B - 1);
  llvm::sys::RunInterruptHandlers();
  _exit(1);
}

static int usageError(const std::string &Msg) {
  llvm::errs() << "kiln: error: " << Msg << "\n"
               << "run `kiln --help` for usage\n";
  return 1;
}

int main(int argc, char **argv) {
  llvm::InitLLVM X(argc, argv);
  llvm::setBugReportMsg("internal compiler error: Kiln crashed. Please report it with "
                        "the source file and this command line:\n");
  if (argc < 2)
    return usageError("no command given");
  llvm::StringRef Cmd = argv[1];
  if (Cmd == "--version" || Cmd == "-V") {
    llvm::outs() << "kiln " << KILN_VERSION << " (LLVM " << LLVM_VERSION_STRING << ")\n";
    return 0;
  }
  if (Cmd == "--help" || Cmd == "-h" || Cmd == "help") {
    llvm::outs() << Usage;
    return 0;
  }
  if (Cmd != "compile")
    return usageError("unknown command `" + Cmd.str() + "`");

  CompileOptions Opts;
  Opts.Argv0 = argv[0];
  bool WantDeps = false;
  for (int I = 2; I < argc; ++I) {
    llvm::StringRef A = argv[I];
    if (A == "--help" || A == "-h") {
      llvm::outs() << CompileUsage;
      return 0;
    }
    if (A == "-o" || A == "-MF") {
      if (I + 1 >= argc)
        return usageError("`" + A.str() + "` needs a file name");
      (A == "-o" ? Opts.Output : Opts.DepFile) = argv[++I];
    } else if (A.starts_with("-O") && A.size() == 3 && A[2] >= '0' && A[2] <= '3') {
      Opts.OptLevel = A[2] - '0';
    } else if (A.consume_front("--emit=")) {
      static const std::pair<const char *, EmitKind> Kinds[] = {
          {"tokens", EmitKind::Tokens}, {"ast", EmitKind::AST},   {"kir", EmitKind::KIR},
          {"llvm", EmitKind::LLVM},     {"asm", EmitKind::Asm},   {"obj", EmitKind::Obj},
          {"module", EmitKind::Module}, {"pyi", EmitKind::Pyi}};
      bool Found = false;
      for (auto &[N, K] : Kinds)
        if (A == N) {
          Opts.Emit = K;
          Found = true;
        }
      if (!Found)
        return usageError("unknown --emit kind `" + A.str() +
                          "`; expected tokens, ast, kir, llvm, asm, obj, module or pyi");
    } else if (A.consume_front("--pyi=")) {
      if (A.empty())
        return usageError("`--pyi=` needs a file name");
      Opts.StubFile = A.str();
    } else if (A.consume_front("--target-cpu=")) {
      Opts.TargetCPU = A.str();
    } else if (A == "--unchecked") {
      Opts.Unchecked = true;
    } else if (A == "--strict-fp") {
      Opts.StrictFP = true;
    } else if (A == "--serial") {
      Opts.Serial = true;
    } else if (A == "--print-ir-after-all") {
      Opts.PrintIRAfterAll = true;
    } else if (A == "--time-passes") {
      Opts.TimePasses = true;
    } else if (A == "--report") {
      Opts.Report = true;
    } else if (A == "-MD") {
      WantDeps = true;
    } else if (A.starts_with("-") && A != "-") {
      return usageError("unknown option `" + A.str() + "`");
    } else if (Opts.Input.empty()) {
      Opts.Input = A.str();
    } else {
      return usageError("more than one input file (`" + Opts.Input + "` and `" + A.str() + "`)");
    }
  }
  if (Opts.Input.empty())
    return usageError("no input file");
  if (WantDeps && Opts.DepFile.empty())
    Opts.DepFile = "-"; // derive from the output
  if (!Opts.StubFile.empty() && Opts.Emit != EmitKind::Module)
    return usageError("`--pyi=FILE` goes with a module; use `--emit=pyi` for the stub alone");
  // A long expression nests as deep as it is long in the parse tree, the
  // AST and the lowering, whose walks recurse: the compiler runs on a thread
  // whose stack has room for the deepest input the frontend accepts (pages
  // are only committed as they are used).
  OOMInput = Opts.Input.c_str();
  llvm::install_bad_alloc_error_handler([](void *, const char *, bool) { outOfMemory(); });
  std::set_new_handler([] { outOfMemory(); });
  return runWithLargeStack([&] { return compile(Opts); });
}

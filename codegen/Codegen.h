//===- Codegen.h - Kiln IR to native code --------------------------*- C++ -*-===//
//
// The code generator turns a verified Kiln IR module into an LLVM module,
// optimises it, emits an object file and links the Python extension module:
//
//   auto TM  = createTargetMachine(Opts);
//   auto LM  = lowerToLLVM(IRModule, Ctx, **TM, Opts);
//   optimizeModule(**LM, **TM, Opts.OptLevel);
//   emitFile(**LM, **TM, "kernels.o", /*Assembly=*/false);
//   linkSharedModule({"kernels.o"}, "kernels.abi3.so", "libkilnrt.a");
//
// Symbols of the emitted module (see docs/codegen.md):
//   kiln.f.<fn>       internal; one per IR function, returns {result, i1 failed}
//                     (just `i1 failed` when the result type is none)
//   kiln.entry.<fn>   internal; `int32_t(const kiln_slot *args, kiln_slot *results)`
//                     for each function with an `export` attribute
//   kiln.funcs        private kiln_func_desc[] (overloads consecutive)
//   kiln.module       private kiln_module_desc
//   PyInit_<module>   the only exported symbol: kiln_module_create(&kiln.module)
//
//===----------------------------------------------------------------------===//
#ifndef KILN_CODEGEN_CODEGEN_H
#define KILN_CODEGEN_CODEGEN_H

#include "ir/IR.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include <memory>
#include <string>

namespace llvm {
class LLVMContext;
class Module;
class TargetMachine;
} // namespace llvm

namespace kiln {
namespace codegen {

struct CodegenOptions {
  /// 0..3, as -O0..-O3 (also picks the backend's CodeGenOptLevel).
  unsigned OptLevel = 2;
  /// LLVM CPU name ("x86-64-v3", "znver4", ...); empty or "native" = host.
  std::string TargetCPU;
  /// Extra "+feat,-feat" list; with an empty TargetCPU the host's features
  /// are used and these are appended.
  std::string TargetFeatures;
  /// Removes bounds checks (none exist yet). Overflow, division and domain
  /// checks stay on: they are Python semantics, not safety nets.
  bool Unchecked = false;
};

/// A TargetMachine for the host triple (PIC, as objects end up in a `.so`).
llvm::Expected<std::unique_ptr<llvm::TargetMachine>>
createTargetMachine(const CodegenOptions &Opts);

/// Lowers \p M (which must pass ir::verify) to LLVM IR, including the entry
/// wrappers, the descriptor tables and PyInit_<M.Name>. The module gets the
/// triple and data layout of \p TM. Unsupported constructs and invalid IR
/// are reported as an Error (the latter as "internal compiler error: ...").
llvm::Expected<std::unique_ptr<llvm::Module>>
lowerToLLVM(const ir::Module &M, llvm::LLVMContext &Ctx, llvm::TargetMachine &TM,
            const CodegenOptions &Opts);

/// Verifies \p M and runs LLVM's default pipeline for \p OptLevel (0..3),
/// with glibc's libmvec registered for vector math.
llvm::Error optimizeModule(llvm::Module &M, llvm::TargetMachine &TM, unsigned OptLevel);

/// Writes an object file (or assembly) of \p M to \p Path. The file appears
/// complete or not at all.
llvm::Error emitFile(llvm::Module &M, llvm::TargetMachine &TM, llvm::StringRef Path,
                     bool Assembly);

/// Links \p Objects and the runtime archive into the shared object \p Output
/// with the system C compiler (`cc -shared ... -lgomp -lm -lpthread`).
/// Symbols of the runtime archive are kept local to the module. Linker
/// errors are returned with the linker's output; no partial output is left.
llvm::Error linkSharedModule(llvm::ArrayRef<std::string> Objects, llvm::StringRef Output,
                             llvm::StringRef RuntimeLib);

} // namespace codegen
} // namespace kiln

#endif // KILN_CODEGEN_CODEGEN_H

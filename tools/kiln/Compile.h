//===- Compile.h - The `kiln compile` pipeline -------------------*- C++ -*-===//
#ifndef KILN_TOOLS_COMPILE_H
#define KILN_TOOLS_COMPILE_H

#include <string>

namespace kiln {

enum class EmitKind { Tokens, AST, KIR, LLVM, Asm, Obj, Module, Pyi };

struct CompileOptions {
  std::string Input;
  std::string Output;        ///< empty: derived from the input
  unsigned OptLevel = 2;
  EmitKind Emit = EmitKind::Module;
  std::string TargetCPU;     ///< empty: the host
  bool Unchecked = false;
  bool StrictFP = false;     ///< keep Python's order of float operations
  bool Serial = false;       ///< parallelise no loop
  bool PrintIRAfterAll = false;
  bool TimePasses = false;
  bool Report = false;       ///< --report: what the passes did, per loop
  std::string DepFile;       ///< -MD/-MF: write a Make dependency file
  std::string StubFile;      ///< --pyi=FILE: also write the .pyi stub
  std::string Argv0;
};

/// Runs the whole compilation; returns the process exit code (0 ok, 1 user
/// error, 2 tool failure or internal error).
int compile(const CompileOptions &Opts);

} // namespace kiln

#endif

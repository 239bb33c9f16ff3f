//===- FuzzFrontend.cpp - libFuzzer target: source bytes -> Kiln IR ---------===//
//
// Feeds arbitrary bytes through everything `kiln compile --emit=kir` does:
// encoding declaration, byte checks, lexing and parsing, lowering with type
// inference, the default pass pipeline with the verifier after every pass,
// and the stub writer. Diagnostics are the expected outcome for most inputs;
// a crash, a sanitizer report, an assertion or invalid IR is a finding
// (RELIABILITY.md row 26).
//
// Built by tools/fuzz.sh (clang-19, -fsanitize=fuzzer,address,undefined);
// the corpus in test/fuzz/corpus seeds it.
//
//===----------------------------------------------------------------------===//

#include "frontend/Lower.h"
#include "frontend/Parser.h"
#include "ir/Diagnostics.h"
#include "passes/Pass.h"
#include "tools/kiln/Stub.h"
#include "llvm/Support/raw_ostream.h"
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

using namespace kiln;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  std::string Bytes(reinterpret_cast<const char *>(Data), Size);
  llvm::raw_null_ostream Null;
  llvm::raw_ostream &DiagOut = getenv("KILN_FUZZ_VERBOSE") ? static_cast<llvm::raw_ostream &>(llvm::errs()) : Null;
  DiagnosticEngine Diags(DiagOut);
  SourceFile Raw("fuzz.py", Bytes);
  Diags.setSource(&Raw);
  std::optional<std::string> Text = decodeSource(Bytes, Raw, Diags);
  if (!Text)
    return 0;
  SourceFile File("fuzz.py", *Text);
  Diags.setSource(&File);
  if (!checkSourceBytes(File, Diags))
    return 0;
  std::unique_ptr<ast::Module> AST = parseModule(File, Diags);
  if (!AST || Diags.hasErrors())
    return 0;
  std::unique_ptr<ir::Module> IR = lowerModule(*AST, File, "fuzz", Diags);
  if (!IR || Diags.hasErrors())
    return 0;
  std::string Stub;
  llvm::raw_string_ostream StubOS(Stub);
  writeStub(*IR, StubOS);
  passes::PassContext Ctx;
  passes::PipelineOptions PO;
  PO.VerifyEach = true;
  std::vector<const passes::PassInfo *> Pipeline = passes::defaultPipeline(2);
  Pipeline.push_back(passes::findPass("written-params"));
  if (llvm::Error E = passes::runPipeline(*IR, Pipeline, Ctx, PO)) {
    // Invalid IR after a pass is a compiler bug: make it a finding.
    fprintf(stderr, "%s\n", llvm::toString(std::move(E)).c_str());
    abort();
  }
  return 0;
}

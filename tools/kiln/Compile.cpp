//===- Compile.cpp - The `kiln compile` pipeline ----------------------------===//
//
// Source -> tokens/AST (frontend) -> Kiln IR (lowering) -> passes -> LLVM IR
// (codegen) -> object -> NAME.abi3.so (linked with the runtime). Every stage
// can be printed with --emit. Outputs are written to a temporary file and
// renamed at the end, so a failed compilation never leaves a partial file.
//
//===----------------------------------------------------------------------===//

#include "tools/kiln/Compile.h"
#include "tools/kiln/Stub.h"
#include "codegen/Codegen.h"
#include "frontend/Lower.h"
#include "frontend/Parser.h"
#include "ir/Printer.h"
#include "passes/Pass.h"
#include "tools/kiln/Report.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Target/TargetMachine.h"

using namespace kiln;

static int toolError(const llvm::Twine &Msg) {
  llvm::errs() << "kiln: error: " << Msg << "\n";
  return 2;
}

static int toolError(llvm::Error E) {
  std::string Msg = llvm::toString(std::move(E));
  llvm::errs() << (llvm::StringRef(Msg).starts_with("internal compiler error") ? "kiln: "
                                                                               : "kiln: error: ")
               << Msg << "\n";
  return 2;
}

/// True for a valid Python identifier made of ASCII characters.
static bool isIdentifier(llvm::StringRef S) {
  if (S.empty() || isdigit((unsigned char)S[0]))
    return false;
  for (char C : S)
    if (!(isalnum((unsigned char)C) || C == '_'))
      return false;
  return true;
}

/// The runtime library to link modules with.
static std::string findRuntimeLib(const std::string &Argv0) {
  if (const char *Env = getenv("KILN_RUNTIME_LIB"))
    return Env;
  std::string Exe = llvm::sys::fs::getMainExecutable(Argv0.c_str(), (void *)&findRuntimeLib);
  llvm::SmallString<256> Dir = llvm::sys::path::parent_path(llvm::sys::path::parent_path(Exe));
  for (const char *Rel : {"lib/libkilnrt.a", "lib/kiln/libkilnrt.a"}) {
    llvm::SmallString<256> P = Dir;
    llvm::sys::path::append(P, Rel);
    if (llvm::sys::fs::exists(P))
      return std::string(P);
  }
  return "";
}

/// Writes \p Text to \p Path atomically ("-" is standard output).
static int writeText(const std::string &Path, llvm::function_ref<void(llvm::raw_ostream &)> Fn) {
  if (Path.empty() || Path == "-") {
    Fn(llvm::outs());
    return 0;
  }
  std::error_code EC;
  llvm::ToolOutputFile Out(Path, EC, llvm::sys::fs::OF_Text);
  if (EC)
    return toolError("cannot write `" + Path + "`: " + EC.message());
  Fn(Out.os());
  Out.os().flush();
  if (Out.os().has_error())
    return toolError("cannot write `" + Path + "`");
  Out.keep();
  return 0;
}

/// Refuses, before any work, an output path that would overwrite the source
/// (`-o f.py`) or that lies in a directory that does not exist. Returns the
/// exit code (1: a usage error), or 0.
static int checkOutputPath(const std::string &Path, const std::string &Input) {
  if (Path.empty() || Path == "-")
    return 0;
  if (llvm::sys::fs::equivalent(Path, Input) || Path == Input) {
    llvm::errs() << "kiln: error: output file `" << Path
                 << "` is the source file; it would be overwritten (choose another -o)\n";
    return 1;
  }
  llvm::StringRef Dir = llvm::sys::path::parent_path(Path);
  if (!Dir.empty() && !llvm::sys::fs::is_directory(Dir)) {
    llvm::errs() << "kiln: error: cannot write `" << Path << "`: directory `" << Dir << "` "
                 << (llvm::sys::fs::exists(Dir) ? "is not a directory" : "does not exist")
                 << "\n";
    return 1;
  }
  return 0;
}

/// A path as Make (and Ninja, and CMake's DEPFILE reader) reads it in a
/// dependency file: spaces and `#` escaped with a backslash, `$` doubled.
static std::string makeEscape(llvm::StringRef Path) {
  std::string S;
  for (char C : Path) {
    if (C == ' ' || C == '#')
      S += '\\';
    else if (C == '$')
      S += '$';
    S += C;
  }
  return S;
}

/// Writes the Make dependency file of -MD/-MF: \p Targets depend on the
/// source and on the runtime library they were linked with (a phony rule for
/// each prerequisite, as `gcc -MP` does, so deleting one is not an error).
/// `dir/mod.pythran` for `dir/mod.py`: Pythran's export spec file.
static std::string specFilePath(llvm::StringRef Input) {
  llvm::SmallString<256> P(Input);
  llvm::sys::path::replace_extension(P, "pythran");
  return std::string(P);
}

static int writeDepFile(const CompileOptions &Opts, llvm::ArrayRef<std::string> Targets,
                        llvm::StringRef RuntimeLib) {
  if (Opts.DepFile.empty() || Targets.empty())
    return 0;
  std::string Dep = Opts.DepFile;
  if (Dep == "-") { // -MD without -MF: next to the first output, NAME.d
    llvm::SmallString<256> P = llvm::sys::path::parent_path(Targets.front());
    std::string Stem = llvm::sys::path::filename(Targets.front()).split('.').first.str();
    llvm::sys::path::append(P, Stem + ".d");
    Dep = std::string(P);
  }
  std::vector<std::string> Prereqs{Opts.Input};
  if (std::string Spec = specFilePath(Opts.Input); llvm::sys::fs::exists(Spec))
    Prereqs.push_back(Spec);
  if (!RuntimeLib.empty())
    Prereqs.push_back(RuntimeLib.str());
  return writeText(Dep, [&](llvm::raw_ostream &OS) {
    for (size_t I = 0; I < Targets.size(); ++I)
      OS << (I ? " " : "") << makeEscape(Targets[I]);
    OS << ":";
    for (const std::string &P : Prereqs)
      OS << " " << makeEscape(P);
    OS << "\n";
    for (const std::string &P : Prereqs)
      OS << makeEscape(P) << ":\n";
  });
}

int kiln::compile(const CompileOptions &Opts) {
  DiagnosticEngine Diags;
  for (const std::string *Out : {&Opts.Output, &Opts.StubFile, &Opts.DepFile})
    if (int RC = checkOutputPath(*Out, Opts.Input))
      return RC;

  // Read the source.
  auto BufOrErr = llvm::MemoryBuffer::getFile(Opts.Input, /*IsText=*/false,
                                              /*RequiresNullTerminator=*/false);
  if (!BufOrErr) {
    SourceFile Missing(Opts.Input, ""); // for the `path:` prefix
    Diags.setSource(&Missing);
    Diags.report(DiagID::FileNotFound, SourceRange(), {Opts.Input, BufOrErr.getError().message()});
    return 1;
  }
  std::string Bytes = (*BufOrErr)->getBuffer().str();
  SourceFile Raw(Opts.Input, Bytes);
  Diags.setSource(&Raw);
  std::optional<std::string> Text = decodeSource(Bytes, Raw, Diags);
  if (!Text)
    return 1;
  SourceFile File(Opts.Input, std::move(*Text));
  Diags.setSource(&File);
  if (!checkSourceBytes(File, Diags))
    return 1;

  if (Opts.Emit == EmitKind::Tokens) {
    std::string Text;
    llvm::raw_string_ostream OS(Text);
    if (!dumpTokens(File, Diags, OS))
      return 1;
    return writeText(Opts.Output, [&](llvm::raw_ostream &Out) { Out << Text; });
  }

  std::unique_ptr<ast::Module> AST = parseModule(File, Diags);
  if (!AST || Diags.hasErrors())
    return 1;
  // Pythran's spec file beside the module: `mod.pythran` for `mod.py`.
  std::unique_ptr<SourceFile> SpecFile;
  if (std::string Spec = specFilePath(Opts.Input); llvm::sys::fs::exists(Spec)) {
    auto SpecBuf = llvm::MemoryBuffer::getFile(Spec, /*IsText=*/true);
    if (!SpecBuf) {
      Diags.report(DiagID::FileNotFound, SourceRange(), {Spec, SpecBuf.getError().message()});
      return 1;
    }
    SpecFile = std::make_unique<SourceFile>(Spec, (*SpecBuf)->getBuffer().str());
    if (!readExportFile(*SpecFile, *AST, Diags))
      return 1;
  }
  if (Opts.Emit == EmitKind::AST)
    return writeText(Opts.Output, [&](llvm::raw_ostream &Out) { ast::dump(*AST, Out); });

  // The module name: the output's file name for modules, else the input's.
  llvm::StringRef NameSource = Opts.Input;
  if (Opts.Emit == EmitKind::Module && !Opts.Output.empty())
    NameSource = Opts.Output;
  std::string ModName =
      llvm::sys::path::filename(NameSource).split('.').first.str();
  if (!isIdentifier(ModName)) {
    llvm::errs() << "kiln: error: `" << ModName
                 << "` is not a valid Python module name: rename the file so that its "
                    "name is an identifier\n";
    return 1;
  }

  std::unique_ptr<ir::Module> IR = lowerModule(*AST, File, ModName, Diags);
  if (!IR || Diags.hasErrors())
    return 1;

  // The stub describes the module as the user wrote it: take it before the
  // passes (which may rename, inline or drop functions).
  std::string Stub;
  if (Opts.Emit == EmitKind::Pyi || !Opts.StubFile.empty()) {
    llvm::raw_string_ostream OS(Stub);
    writeStub(*IR, OS);
  }
  if (Opts.Emit == EmitKind::Pyi) {
    std::string Out = Opts.Output.empty() ? ModName + ".pyi" : Opts.Output;
    if (int RC = writeText(Out, [&](llvm::raw_ostream &OS) { OS << Stub; }))
      return RC;
    return Out == "-" ? 0 : writeDepFile(Opts, {Out}, "");
  }

  passes::PassContext Ctx;
  Ctx.StrictFP = Opts.StrictFP;
  Ctx.Serial = Opts.Serial;
  passes::PipelineOptions PO;
  PO.PrintAfterAll = Opts.PrintIRAfterAll;
  PO.TimePasses = Opts.TimePasses;
  std::vector<const passes::PassInfo *> Pipeline = passes::defaultPipeline(Opts.OptLevel);
  // Required at every level: the runtime must know which arrays are written.
  Pipeline.push_back(passes::findPass("written-params"));
  if (llvm::Error E = passes::runPipeline(*IR, Pipeline, Ctx, PO))
    return toolError(std::move(E));
  if (Opts.Report)
    printLoopReport(*IR, Opts.Input, llvm::errs());
  if (Opts.Emit == EmitKind::KIR)
    return writeText(Opts.Output, [&](llvm::raw_ostream &Out) { ir::print(*IR, Out); });

  codegen::CodegenOptions CO;
  CO.OptLevel = Opts.OptLevel;
  CO.TargetCPU = Opts.TargetCPU;
  CO.Unchecked = Opts.Unchecked;
  auto TM = codegen::createTargetMachine(CO);
  if (!TM)
    return toolError(TM.takeError());
  llvm::LLVMContext LLCtx;
  auto LLM = codegen::lowerToLLVM(*IR, LLCtx, **TM, CO);
  if (!LLM)
    return toolError(LLM.takeError());
  if (llvm::Error E = codegen::optimizeModule(**LLM, **TM, Opts.OptLevel))
    return toolError(std::move(E));
  if (Opts.Emit == EmitKind::LLVM)
    return writeText(Opts.Output, [&](llvm::raw_ostream &Out) { (*LLM)->print(Out, nullptr); });

  if (Opts.Emit == EmitKind::Asm && (Opts.Output.empty() || Opts.Output == "-")) {
    // Assembly is text: like the other text forms, it goes to standard output.
    llvm::SmallString<128> Tmp;
    if (std::error_code EC = llvm::sys::fs::createTemporaryFile("kiln-" + ModName, "s", Tmp))
      return toolError("cannot create a temporary file: " + EC.message());
    llvm::FileRemover RemoveTmp(Tmp);
    if (llvm::Error E = codegen::emitFile(**LLM, **TM, Tmp, /*Assembly=*/true))
      return toolError(std::move(E));
    auto Text = llvm::MemoryBuffer::getFile(Tmp);
    if (!Text)
      return toolError("cannot read `" + Tmp + "`");
    llvm::outs() << (*Text)->getBuffer();
    return 0;
  }
  if (Opts.Emit == EmitKind::Asm || Opts.Emit == EmitKind::Obj) {
    std::string Out = Opts.Output.empty() ? ModName + ".o" : Opts.Output;
    if (llvm::Error E = codegen::emitFile(**LLM, **TM, Out, Opts.Emit == EmitKind::Asm))
      return toolError(std::move(E));
    return writeDepFile(Opts, {Out}, "");
  }

  // A module: object file in a temporary place, then link.
  std::string RuntimeLib = findRuntimeLib(Opts.Argv0);
  if (RuntimeLib.empty())
    return toolError("cannot find the Kiln runtime library libkilnrt.a next to the `kiln` "
                     "executable; set KILN_RUNTIME_LIB to its path");
  std::string Out = Opts.Output.empty() ? ModName + ".abi3.so" : Opts.Output;
  llvm::SmallString<128> Obj;
  if (std::error_code EC = llvm::sys::fs::createTemporaryFile("kiln-" + ModName, "o", Obj))
    return toolError("cannot create a temporary file: " + EC.message());
  llvm::FileRemover RemoveObj(Obj);
  if (llvm::Error E = codegen::emitFile(**LLM, **TM, Obj, /*Assembly=*/false))
    return toolError(std::move(E));
  if (llvm::Error E = codegen::linkSharedModule({std::string(Obj)}, Out, RuntimeLib))
    return toolError(std::move(E));

  std::vector<std::string> Targets{Out};
  if (!Opts.StubFile.empty()) {
    if (int RC = writeText(Opts.StubFile, [&](llvm::raw_ostream &OS) { OS << Stub; }))
      return RC;
    if (Opts.StubFile != "-")
      Targets.push_back(Opts.StubFile);
  }
  return writeDepFile(Opts, Targets, RuntimeLib);
}

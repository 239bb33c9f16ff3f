//===- Diagnostics.h - Source files and the diagnostics engine ---*- C++ -*-===//
//
// SourceFile owns the text of one input file and maps byte offsets to lines.
// DiagnosticEngine formats diagnostics as `path:line:col: error: message`,
// followed by the source line and a caret under the offending range. Every
// diagnostic kind is listed once in Diagnostics.def.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_IR_DIAGNOSTICS_H
#define KILN_IR_DIAGNOSTICS_H

#include "llvm/Support/raw_ostream.h"
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace kiln {

/// A position in a source file: 1-based line and 1-based column (in bytes).
struct SourceLoc {
  uint32_t Line = 0;
  uint32_t Col = 0;
  bool isValid() const { return Line != 0; }
  bool operator==(const SourceLoc &O) const { return Line == O.Line && Col == O.Col; }
  bool operator!=(const SourceLoc &O) const { return !(*this == O); }
  bool operator<(const SourceLoc &O) const {
    return Line < O.Line || (Line == O.Line && Col < O.Col);
  }
};

/// A half-open range [Begin, End) of source; End may equal Begin for points.
struct SourceRange {
  SourceLoc Begin;
  SourceLoc End;
  SourceRange() = default;
  SourceRange(SourceLoc B) : Begin(B), End(B) {}
  SourceRange(SourceLoc B, SourceLoc E) : Begin(B), End(E) {}
  bool isValid() const { return Begin.isValid(); }
};

/// The text of one input file.
class SourceFile {
public:
  SourceFile(std::string Path, std::string Text);
  const std::string &path() const { return Path; }
  const std::string &text() const { return Text; }
  /// The text of 1-based line \p Line, without its newline.
  std::string line(uint32_t Line) const;
  unsigned numLines() const { return LineStarts.size(); }

private:
  std::string Path;
  std::string Text;
  std::vector<size_t> LineStarts;
};

enum class DiagID : uint16_t {
#define DIAG(Name, Sev, Fmt) Name,
#include "ir/Diagnostics.def"
  NumDiags
};

enum class Severity : uint8_t { Error, Warning, Note };

/// Collects and prints diagnostics. Errors are printed immediately, so a
/// crash later still leaves the user something readable.
class DiagnosticEngine {
public:
  explicit DiagnosticEngine(llvm::raw_ostream &OS = llvm::errs()) : OS(OS) {}

  void setSource(const SourceFile *F) { File = F; }
  const SourceFile *source() const { return File; }

  /// Reports \p ID at \p R with string arguments for the format.
  void report(DiagID ID, SourceRange R, std::vector<std::string> Args = {});

  unsigned errorCount() const { return NumErrors; }
  bool hasErrors() const { return NumErrors != 0; }
  /// The kinds reported so far, in order (used by tests).
  const std::vector<DiagID> &reported() const { return Reported; }
  /// Stop printing notes and errors after this many errors.
  void setErrorLimit(unsigned N) { ErrorLimit = N; }

  /// Holds back what is reported until endTrial: a speculative compilation
  /// (an overload Kiln guessed) whose errors may never be shown.
  void beginTrial();
  /// Ends a trial: returns what it reported (printed text and error count)
  /// and forgets it; replay() shows it after all.
  struct TrialResult {
    std::string Text;
    unsigned Errors = 0;
    std::vector<DiagID> Kinds;
  };
  TrialResult endTrial();
  void replay(const TrialResult &T);

  static Severity severityOf(DiagID ID);
  static const char *nameOf(DiagID ID);
  static std::string format(DiagID ID, const std::vector<std::string> &Args);

private:
  llvm::raw_ostream &OS;
  /// During a trial: where reports go, and the state to restore.
  std::unique_ptr<llvm::raw_string_ostream> TrialOS;
  std::string TrialText;
  unsigned TrialErrors = 0;
  size_t TrialReported = 0;
  bool TrialSuppressing = false;
  const SourceFile *File = nullptr;
  unsigned NumErrors = 0;
  unsigned ErrorLimit = 20;
  bool Suppressing = false;
  std::vector<DiagID> Reported;
};

} // namespace kiln

#endif // KILN_IR_DIAGNOSTICS_H

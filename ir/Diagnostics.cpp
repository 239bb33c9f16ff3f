//===- Diagnostics.cpp - Source files and the diagnostics engine ---------===//

#include "ir/Diagnostics.h"
#include "llvm/Support/FormatVariadic.h"
#include <cassert>

using namespace kiln;

SourceFile::SourceFile(std::string P, std::string T)
    : Path(std::move(P)), Text(std::move(T)) {
  LineStarts.push_back(0);
  for (size_t I = 0; I < Text.size(); ++I)
    if (Text[I] == '\n' && I + 1 < Text.size())
      LineStarts.push_back(I + 1);
}

std::string SourceFile::line(uint32_t Line) const {
  if (Line == 0 || Line > LineStarts.size())
    return "";
  size_t B = LineStarts[Line - 1];
  size_t E = Text.find('\n', B);
  if (E == std::string::npos)
    E = Text.size();
  std::string L = Text.substr(B, E - B);
  if (!L.empty() && L.back() == '\r')
    L.pop_back();
  return L;
}

namespace {
struct DiagInfo {
  const char *Name;
  Severity Sev;
  const char *Fmt;
};
constexpr DiagInfo Infos[] = {
#define DIAG(Name, Sev, Fmt) {#Name, Severity::Sev, Fmt},
#include "ir/Diagnostics.def"
};
} // namespace

Severity DiagnosticEngine::severityOf(DiagID ID) {
  return Infos[static_cast<unsigned>(ID)].Sev;
}
const char *DiagnosticEngine::nameOf(DiagID ID) {
  return Infos[static_cast<unsigned>(ID)].Name;
}

std::string DiagnosticEngine::format(DiagID ID,
                                     const std::vector<std::string> &A) {
  // formatv needs a fixed arity; pad to five arguments.
  std::vector<std::string> P = A;
  assert(P.size() <= 5 && "too many diagnostic arguments");
  P.resize(5);
  return llvm::formatv(Infos[static_cast<unsigned>(ID)].Fmt, P[0], P[1], P[2],
                       P[3], P[4])
      .str();
}

void DiagnosticEngine::beginTrial() {
  assert(!TrialOS && "trials do not nest");
  TrialText.clear();
  TrialOS = std::make_unique<llvm::raw_string_ostream>(TrialText);
  TrialErrors = NumErrors;
  TrialReported = Reported.size();
  TrialSuppressing = Suppressing;
}

DiagnosticEngine::TrialResult DiagnosticEngine::endTrial() {
  assert(TrialOS && "no trial to end");
  TrialOS->flush();
  TrialResult R;
  R.Text = TrialText;
  R.Errors = NumErrors - TrialErrors;
  R.Kinds.assign(Reported.begin() + TrialReported, Reported.end());
  TrialOS.reset();
  NumErrors = TrialErrors;
  Reported.resize(TrialReported);
  Suppressing = TrialSuppressing;
  return R;
}

void DiagnosticEngine::replay(const TrialResult &T) {
  OS << T.Text;
  OS.flush();
  NumErrors += T.Errors;
  Reported.insert(Reported.end(), T.Kinds.begin(), T.Kinds.end());
  Suppressing = NumErrors > ErrorLimit;
}

void DiagnosticEngine::report(DiagID ID, SourceRange R,
                              std::vector<std::string> Args) {
  llvm::raw_ostream &OS = TrialOS ? *TrialOS : this->OS;
  Severity Sev = severityOf(ID);
  Reported.push_back(ID);
  if (Sev == Severity::Error) {
    ++NumErrors;
    Suppressing = NumErrors > ErrorLimit;
  }
  if (Suppressing)
    return;
  const char *SevText = Sev == Severity::Error     ? "error"
                        : Sev == Severity::Warning ? "warning"
                                                   : "note";
  if (File)
    OS << File->path() << ":";
  if (R.isValid())
    OS << R.Begin.Line << ":" << R.Begin.Col << ":";
  OS << " " << SevText << ": " << format(ID, Args) << "\n";
  if (!File || !R.isValid())
    return;
  std::string Line = File->line(R.Begin.Line);
  OS << "    " << Line << "\n    ";
  // Keep tabs so the caret lines up under the source.
  uint32_t Col = R.Begin.Col ? R.Begin.Col : 1;
  for (uint32_t I = 1; I < Col && I - 1 < Line.size(); ++I)
    OS << (Line[I - 1] == '\t' ? '\t' : ' ');
  OS << '^';
  uint32_t EndCol = (R.End.Line == R.Begin.Line && R.End.Col > Col)
                        ? R.End.Col
                        : Col + 1;
  EndCol = std::min<uint32_t>(EndCol, Line.size() + 1);
  for (uint32_t I = Col + 1; I < EndCol; ++I)
    OS << '~';
  OS << "\n";
  OS.flush();
}

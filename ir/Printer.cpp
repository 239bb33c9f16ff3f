//===- Printer.cpp - Prints Kiln IR in its text form ------------------------===//
//
// Value names come from the source (`%x`, `%x.1` when a name repeats) or are
// numbered in print order (`%0`, `%1`). Numbering is restarted per function,
// so printing the parse of printed IR gives the same text again.
//
//===----------------------------------------------------------------------===//

#include "ir/Printer.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/Format.h"
#include <cmath>
#include <cstdio>

using namespace kiln;
using namespace kiln::ir;

namespace {

bool isPlainIdent(llvm::StringRef S) {
  if (S.empty())
    return false;
  for (char C : S)
    if (!(isalnum((unsigned char)C) || C == '_' || C == '.'))
      return false;
  return true;
}

void printQuoted(llvm::raw_ostream &OS, llvm::StringRef S) {
  OS << '"';
  for (unsigned char C : S) {
    if (C == '"' || C == '\\')
      OS << '\\' << C;
    else if (C == '\n')
      OS << "\\n";
    else if (C == '\t')
      OS << "\\t";
    else if (C < 0x20 || C == 0x7f)
      OS << llvm::format("\\x%02x", C);
    else
      OS << C;
  }
  OS << '"';
}

void printSymbol(llvm::raw_ostream &OS, llvm::StringRef S) {
  OS << '@';
  if (isPlainIdent(S))
    OS << S;
  else
    printQuoted(OS, S);
}

void printFloat(llvm::raw_ostream &OS, double D) {
  if (std::isnan(D)) {
    OS << (std::signbit(D) ? "-nan" : "nan");
    return;
  }
  if (std::isinf(D)) {
    OS << (D < 0 ? "-inf" : "inf");
    return;
  }
  char Buf[64];
  snprintf(Buf, sizeof(Buf), "%.17g", D);
  // Prefer the shortest text that reads back exactly.
  for (int P = 1; P <= 17; ++P) {
    char Short[64];
    snprintf(Short, sizeof(Short), "%.*g", P, D);
    if (strtod(Short, nullptr) == D) {
      snprintf(Buf, sizeof(Buf), "%s", Short);
      break;
    }
  }
  std::string S = Buf;
  if (S.find_first_of(".eEn") == std::string::npos)
    S += ".0";
  OS << S;
}

void printAttrValue(llvm::raw_ostream &OS, const AttrValue &V) {
  if (auto *I = std::get_if<int64_t>(&V))
    OS << *I;
  else if (auto *D = std::get_if<double>(&V))
    printFloat(OS, *D);
  else if (auto *B = std::get_if<bool>(&V))
    OS << (*B ? "true" : "false");
  else if (auto *S = std::get_if<std::string>(&V))
    printQuoted(OS, *S);
  else if (auto *T = std::get_if<Type>(&V))
    OS << "type<" << T->str() << ">";
  else if (auto *Sym = std::get_if<SymbolRef>(&V))
    printSymbol(OS, Sym->Name);
}

void printAttrs(llvm::raw_ostream &OS, const AttrList &A) {
  if (A.empty())
    return;
  OS << " [";
  bool First = true;
  for (const auto &[Name, V] : A.entries()) {
    if (!First)
      OS << ", ";
    First = false;
    OS << Name;
    // A bare `name` is a unit attribute (bool true).
    if (auto *B = std::get_if<bool>(&V); B && *B)
      continue;
    OS << " = ";
    printAttrValue(OS, V);
  }
  OS << "]";
}

class FunctionPrinter {
public:
  FunctionPrinter(const Function &F, llvm::raw_ostream &OS, PrintOptions O)
      : F(F), OS(OS), Opts(O) {}

  void print() {
    OS << "func ";
    printSymbol(OS, F.name());
    OS << "(";
    bool First = true;
    for (ValueId P : F.params()) {
      if (!First)
        OS << ", ";
      First = false;
      OS << name(P) << ": " << F.typeOf(P).str();
    }
    OS << ") -> " << F.resultType().str();
    printAttrs(OS, F.attrs());
    if (Opts.PrintLocs && F.loc().isValid())
      OS << " loc(" << F.loc().Line << ":" << F.loc().Col << ")";
    OS << " {\n";
    printOps(F.body(), 1);
    OS << "}\n";
  }

private:
  const Function &F;
  llvm::raw_ostream &OS;
  PrintOptions Opts;
  llvm::DenseMap<uint32_t, std::string> Names;
  llvm::StringSet<> Used;
  unsigned NextNumber = 0;

  const std::string &name(ValueId V) {
    auto It = Names.find(V.Index);
    if (It != Names.end())
      return It->second;
    std::string Hint = F.value(V).Name;
    std::string N;
    if (!Hint.empty() && isPlainIdent(Hint) &&
        !std::all_of(Hint.begin(), Hint.end(), ::isdigit)) {
      N = Hint;
      for (unsigned K = 1; Used.count(N); ++K)
        N = Hint + "." + std::to_string(K);
    } else {
      do
        N = std::to_string(NextNumber++);
      while (Used.count(N));
    }
    Used.insert(N);
    return Names[V.Index] = "%" + N;
  }

  void indent(unsigned Depth) {
    for (unsigned I = 0; I < Depth; ++I)
      OS << "  ";
  }

  void printOps(RegionId R, unsigned Depth) {
    const RegionData &RD = F.region(R);
    // The body's arguments are the parameters, printed in the signature.
    if (!RD.Args.empty() && R != F.body()) {
      indent(Depth - 1);
      OS << "^(";
      bool First = true;
      for (ValueId A : RD.Args) {
        if (!First)
          OS << ", ";
        First = false;
        OS << name(A) << ": " << F.typeOf(A).str();
      }
      OS << "):\n";
    }
    for (OpId O : RD.Ops)
      printOp(O, Depth);
  }

  void printOp(OpId O, unsigned Depth) {
    const OpData &D = F.op(O);
    indent(Depth);
    if (!D.Results.empty()) {
      bool First = true;
      for (ValueId V : D.Results) {
        if (!First)
          OS << ", ";
        First = false;
        OS << name(V);
      }
      OS << " = ";
    }
    OS << opInfo(D.Kind).Name;
    bool First = true;
    for (ValueId V : D.Operands) {
      OS << (First ? " " : ", ");
      First = false;
      OS << name(V);
    }
    printAttrs(OS, D.Attrs);
    if (!D.Results.empty()) {
      OS << " : ";
      bool FirstT = true;
      for (ValueId V : D.Results) {
        if (!FirstT)
          OS << ", ";
        FirstT = false;
        OS << F.typeOf(V).str();
      }
    }
    for (RegionId R : D.Regions) {
      OS << " {\n";
      printOps(R, Depth + 1);
      indent(Depth);
      OS << "}";
    }
    if (Opts.PrintLocs && D.Loc.isValid())
      OS << " loc(" << D.Loc.Line << ":" << D.Loc.Col << ")";
    OS << "\n";
  }
};

} // namespace

void ir::print(const Function &F, llvm::raw_ostream &OS, PrintOptions Opts) {
  FunctionPrinter(F, OS, Opts).print();
}

void ir::print(const Module &M, llvm::raw_ostream &OS, PrintOptions Opts) {
  OS << "module ";
  printQuoted(OS, M.Name);
  if (!M.SourcePath.empty()) {
    OS << " source ";
    printQuoted(OS, M.SourcePath);
  }
  OS << "\n";
  for (const auto &[Name, V] : M.Globals) {
    OS << "global ";
    printQuoted(OS, Name);
    OS << " = ";
    printAttrValue(OS, V);
    OS << "\n";
  }
  for (const auto &F : M.functions()) {
    OS << "\n";
    print(*F, OS, Opts);
  }
}

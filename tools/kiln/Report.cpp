//===- Report.cpp - `kiln compile --report` -------------------------------===//

#include "tools/kiln/Report.h"
#include <set>
#include <string>
#include <vector>

using namespace kiln;
using namespace kiln::ir;

namespace {

struct LoopFacts {
  unsigned Removed = 0, NonNeg = 0, Kept = 0, Sums = 0, Calls = 0, Allocs = 0;
};

/// Facts of the ops of region \p R that belong to this loop (not to loops
/// nested in it, which get their own line).
void collect(const Function &F, RegionId R, LoopFacts &Facts) {
  for (OpId O : F.region(R).Ops) {
    const OpData &D = F.op(O);
    if (D.Erased || D.Kind == OpKind::For || D.Kind == OpKind::While)
      continue;
    for (RegionId Sub : D.Regions)
      collect(F, Sub, Facts);
    switch (D.Kind) {
    case OpKind::ArrayIndex:
      if (D.Attrs.has("in_bounds"))
        ++Facts.Removed;
      else if (D.Attrs.has("nonneg"))
        ++Facts.NonNeg;
      else
        ++Facts.Kept;
      break;
    case OpKind::Add:
    case OpKind::Sub:
      Facts.Sums += D.Attrs.has("reassociate");
      break;
    case OpKind::Call:
      ++Facts.Calls;
      break;
    case OpKind::ArrayAlloc:
      ++Facts.Allocs;
      break;
    default:
      break;
    }
  }
}

/// The ops accumulating into a variable of a `reduction` loop, at any depth.
unsigned accumulators(const Function &F, RegionId Body) {
  unsigned N = 0;
  F.walkRegion(Body, [&](OpId O) {
    N += F.op(O).Kind != OpKind::For && F.op(O).Attrs.has("reduction");
  });
  return N;
}

} // namespace

void kiln::printLoopReport(const Module &M, llvm::StringRef Path, llvm::raw_ostream &OS) {
  for (const auto &FP : M.functions()) {
    const Function &F = *FP;
    // A loop Kiln emitted twice (a copy for operands that do not broadcast)
    // is told of once.
    std::set<std::string> Said;
    F.walk([&](OpId O) {
      const OpData &D = F.op(O);
      if (D.Kind != OpKind::For && D.Kind != OpKind::While)
        return;
      LoopFacts Facts;
      for (RegionId R : D.Regions)
        collect(F, R, Facts);
      std::vector<std::string> Parts;
      unsigned Checks = Facts.Removed + Facts.NonNeg + Facts.Kept;
      if (Checks)
        Parts.push_back(std::to_string(Facts.Removed) + " of " + std::to_string(Checks) +
                        " bounds checks removed" +
                        (Facts.NonNeg ? " (" + std::to_string(Facts.NonNeg) +
                                            " reduced to the upper bound)"
                                      : ""));
      if (Facts.Sums)
        Parts.push_back(std::to_string(Facts.Sums) +
                        " float sum(s) may be reassociated and vectorised");
      if (D.Attrs.has("frees_temporaries"))
        Parts.push_back("arrays freed every iteration");
      else if (Facts.Allocs)
        Parts.push_back("arrays allocated here live until the call returns");
      if (Facts.Calls)
        Parts.push_back(std::to_string(Facts.Calls) + " call(s) not inlined");
      // (A plain parallel loop is told of when there is something else to
      // say of it: not the ones Kiln made itself, such as the fill of
      // np.zeros. Reductions are the user's, or an array statement's.)
      if (D.Attrs.has("parallel") && D.Attrs.has("reduction"))
        Parts.push_back("runs on every core as a reduction into " +
                        std::to_string(accumulators(F, D.Regions[0])) +
                        " accumulator(s): chunks fixed by its length, partials combined in order");
      else if (D.Attrs.has("parallel") && (!Parts.empty() || D.Attrs.has("fusion")))
        Parts.push_back("runs on every core");
      if (D.Attrs.has("fusion")) // the array statement this loop nest computes
        Parts.insert(Parts.begin(), D.Attrs.getStr("fusion"));
      if (Parts.empty())
        return; // loops Kiln made itself (filling np.zeros...) and plain ones
      std::string Line;
      llvm::raw_string_ostream LS(Line);
      LS << Path << ":" << D.Loc.Line << ":" << D.Loc.Col << ": remark: "
         << (D.Kind == OpKind::For ? "`for`" : "`while`") << " loop in `"
         << (F.attrs().has("source_name") ? F.attrs().getStr("source_name") : F.name())
         << "`:";
      for (size_t I = 0; I < Parts.size(); ++I)
        LS << (I ? "; " : " ") << Parts[I];
      LS << "\n";
      if (Said.insert(Line).second)
        OS << Line;
    });
  }
}

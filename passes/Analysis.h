//===- Analysis.h - Small queries the passes share ---------------*- C++ -*-===//
#ifndef KILN_PASSES_ANALYSIS_H
#define KILN_PASSES_ANALYSIS_H

#include "ir/IR.h"
#include <optional>

namespace kiln {
namespace passes {

/// Structured dominance: true if the op at index \p P of region \p R runs
/// before op \p L whenever L runs, i.e. some ancestor of L (or L itself)
/// sits in R after index P.
bool dominates(const ir::Function &F, ir::RegionId R, size_t P, ir::OpId L);
/// The same with positions from Function::positions(): no search of a region
/// per ancestor, for passes that ask many times.
bool dominates(const ir::Function &F, const std::vector<uint32_t> &Pos, ir::RegionId R, size_t P,
               ir::OpId L);

/// True if op \p O is nested in region \p R, at any depth.
bool isInside(const ir::Function &F, ir::OpId O, ir::RegionId R);

} // namespace passes
} // namespace kiln

#endif

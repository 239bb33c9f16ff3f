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

/// Whether region \p R has a `for` or `while` loop in it, at any depth.
bool containsLoop(const ir::Function &F, ir::RegionId R);

/// True if op \p O is nested in region \p R, at any depth.
bool isInside(const ir::Function &F, ir::OpId O, ir::RegionId R);

/// A variable that a loop only accumulates into: inside the loop body it
/// has exactly one `load`, whose value is used once, by \p Combine, whose
/// result is used once, by the one `store` into the slot:
///   %s0 = load %s;  %s1 = <combine> %s0, %x;  store %s1, %s
/// The combining op is add, sub (the slot on the left), mul, bitand, bitor,
/// bitxor or `math` minnum/maxnum. Reordering such updates is what
/// passes/Reductions.cpp and passes/Parallelize.cpp decide on.
struct Accumulator {
  ir::ValueId Slot;
  ir::OpId Combine;
};
std::vector<Accumulator> findAccumulators(const ir::Function &F, ir::RegionId Body,
                                          const std::vector<unsigned> &Uses);

/// An array a loop only accumulates into, element by element: inside the
/// loop body its only accesses are one pair
///   %c = array.load %a, %i...;  %n = <combine> %c, %x;  array.store %n, %a, %i...
/// (the same indices, in one region; %c used only by the combining op, %n
/// only by the store; combining ops as for Accumulator), and it is used
/// otherwise only by array.dim / array.stride. \p Array is the result of an
/// op before the loop.
struct ArrayAccumulator {
  ir::ValueId Array;
  std::vector<ir::OpId> Combines;
};
std::vector<ArrayAccumulator> findArrayAccumulators(const ir::Function &F, ir::OpId Loop,
                                                    const std::vector<unsigned> &Uses);
/// Whether \p Combine, an add/sub/mul/bitand/bitor/bitxor or `math`
/// minnum/maxnum, combines \p Acc with another value (for sub: Acc on the left).
bool combinesInto(const ir::Function &F, const ir::OpData &Combine, ir::ValueId Acc);

} // namespace passes
} // namespace kiln

#endif

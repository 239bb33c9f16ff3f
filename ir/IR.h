//===- IR.h - Kiln IR: ops, values, regions, functions, modules ---*- C++ -*-===//
//
// Kiln IR is typed SSA inside structured regions. A Function owns three
// stores (values, ops, regions) addressed by typed IDs; ops refer to their
// operands, results and regions by ID. Each region is a single block: an
// ordered list of ops, optionally with block arguments (the induction
// variable of a `for`). Control flow is structured (`if`, `for`, `while`);
// `break`, `continue`, `return` and `raise` are terminators that leave the
// enclosing construct.
//
// Mutable Python variables are `slot`s (type ref<T>) read by `load` and
// written by `store`; every other value is SSA. LLVM's mem2reg turns slots
// into registers after codegen.
//
// Erasing an op marks it dead and unlinks it from its region; IDs stay valid
// (stores only grow), so side tables keyed by ID never dangle.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_IR_IR_H
#define KILN_IR_IR_H

#include "ir/Diagnostics.h"
#include "ir/Types.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include <cassert>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <variant>
#include <vector>

namespace kiln {
namespace ir {

enum OpFlags : unsigned {
  OPF_Pure = 1u << 0,       ///< no side effects: removable when unused
  OPF_Terminator = 1u << 1, ///< must be the last op of its region
  OPF_MayRaise = 1u << 2,   ///< may record an error and leave the function
  OPF_Container = 1u << 3,  ///< reads or changes a list, dict or set (a shared block)
  OPF_Stateful = 1u << 4,   ///< uses state that iterations share, in order (random streams)
};

enum class OpKind : uint8_t {
#define OP(Enum, Name, NOps, NRes, NRegs, Flags) Enum,
#include "ir/Ops.def"
};

struct OpInfo {
  const char *Name;
  int NumOperands; ///< -1: variadic
  int NumResults;  ///< -1: variadic
  int NumRegions;
  unsigned Flags;
};
const OpInfo &opInfo(OpKind K);
std::optional<OpKind> opKindByName(llvm::StringRef Name);

/// Typed IDs into a Function's stores. Index 0 is never used, so a default
/// constructed ID is "none".
template <typename Tag> struct Id {
  uint32_t Index = 0;
  Id() = default;
  explicit Id(uint32_t I) : Index(I) {}
  bool isValid() const { return Index != 0; }
  explicit operator bool() const { return isValid(); }
  bool operator==(Id O) const { return Index == O.Index; }
  bool operator!=(Id O) const { return Index != O.Index; }
  bool operator<(Id O) const { return Index < O.Index; }
};
struct ValueTag {};
struct OpTag {};
struct RegionTag {};
using ValueId = Id<ValueTag>;
using OpId = Id<OpTag>;
using RegionId = Id<RegionTag>;

/// A symbol reference to a function of the module (`@name`).
struct SymbolRef {
  std::string Name;
  bool operator==(const SymbolRef &O) const { return Name == O.Name; }
};

/// Attribute values: int64, float64, bool, string, type or symbol.
using AttrValue = std::variant<int64_t, double, bool, std::string, Type, SymbolRef>;

/// Attributes are kept sorted by name so printing is deterministic.
class AttrList {
public:
  void set(llvm::StringRef Name, AttrValue V);
  const AttrValue *get(llvm::StringRef Name) const;
  bool has(llvm::StringRef Name) const { return get(Name) != nullptr; }
  void erase(llvm::StringRef Name);
  int64_t getInt(llvm::StringRef Name) const;
  double getFloat(llvm::StringRef Name) const;
  bool getBool(llvm::StringRef Name) const;
  const std::string &getStr(llvm::StringRef Name) const;
  const SymbolRef &getSym(llvm::StringRef Name) const;
  Type getType(llvm::StringRef Name) const;
  const std::vector<std::pair<std::string, AttrValue>> &entries() const { return Entries; }
  bool empty() const { return Entries.empty(); }

private:
  std::vector<std::pair<std::string, AttrValue>> Entries;
};

struct ValueData {
  Type Ty;
  std::string Name;      ///< hint from the source, may be empty
  OpId Def;              ///< defining op, or invalid for a block argument
  RegionId ArgOf;        ///< region whose argument this is
  uint32_t Index = 0;    ///< result or argument index
};

struct OpData {
  OpKind Kind;
  std::vector<ValueId> Operands;
  std::vector<ValueId> Results;
  std::vector<RegionId> Regions;
  AttrList Attrs;
  SourceLoc Loc;
  RegionId Parent; ///< invalid while detached (or erased)
  bool Erased = false;
};

struct RegionData {
  std::vector<ValueId> Args;
  std::vector<OpId> Ops;
  OpId ParentOp; ///< invalid for a function body
};

class Function {
public:
  Function(std::string Name, std::vector<Type> ParamTypes,
           std::vector<std::string> ParamNames, Type Result);

  const std::string &name() const { return Name; }
  void setName(std::string N) { Name = std::move(N); }
  Type resultType() const { return Result; }
  void setResultType(Type T) { Result = T; }
  RegionId body() const { return Body; }
  llvm::ArrayRef<ValueId> params() const { return region(Body).Args; }
  AttrList &attrs() { return Attrs; }
  const AttrList &attrs() const { return Attrs; }
  SourceLoc loc() const { return Loc; }
  void setLoc(SourceLoc L) { Loc = L; }

  // Store access.
  ValueData &value(ValueId V) { assert(V.Index < Values.size()); return Values[V.Index]; }
  const ValueData &value(ValueId V) const { assert(V.Index < Values.size()); return Values[V.Index]; }
  OpData &op(OpId O) { assert(O.Index < Ops.size()); return Ops[O.Index]; }
  const OpData &op(OpId O) const { assert(O.Index < Ops.size()); return Ops[O.Index]; }
  RegionData &region(RegionId R) { assert(R.Index < Regions.size()); return Regions[R.Index]; }
  const RegionData &region(RegionId R) const { assert(R.Index < Regions.size()); return Regions[R.Index]; }
  Type typeOf(ValueId V) const { return value(V).Ty; }
  size_t numValueSlots() const { return Values.size(); }
  size_t numOpSlots() const { return Ops.size(); }
  size_t numRegionSlots() const { return Regions.size(); }

  // Creation. New ops are detached until inserted into a region.
  ValueId addRegionArg(RegionId R, Type T, std::string Name = "");
  RegionId newRegion();
  OpId createOp(OpKind K, llvm::ArrayRef<ValueId> Operands,
                llvm::ArrayRef<Type> ResultTypes, SourceLoc Loc = {},
                unsigned NumRegions = 0);
  void insertOp(RegionId R, size_t Pos, OpId O);
  void appendOp(RegionId R, OpId O) { insertOp(R, region(R).Ops.size(), O); }

  // Mutation.
  /// Replaces every use of \p From by \p To (in operands anywhere).
  void replaceAllUsesWith(ValueId From, ValueId To);
  /// Unlinks \p O from its region and marks it (and nested ops) erased.
  void eraseOp(OpId O);
  /// Unlinks \p O from its region without erasing it.
  void detachOp(OpId O);
  /// Position of \p O in its parent region (a linear search: passes that ask
  /// for many ops take positions() once instead).
  size_t indexInParent(OpId O) const;
  /// Batch forms for passes that rewrite many ops, linear in the function:
  /// replaces every use of each key of \p Map (a ValueId index) by its value,
  /// following chains (a -> b, b -> c gives c), in one walk over all ops...
  void replaceAllUsesWith(const std::unordered_map<uint32_t, ValueId> &Map);
  /// ...erases \p Dead (ops without regions) with one pass over each region...
  void eraseOps(llvm::ArrayRef<OpId> Dead);
  /// ...and gives every live op's position in its parent region, indexed by
  /// OpId::Index (valid until the regions change).
  std::vector<uint32_t> positions() const;

  /// The op whose result is \p V, or invalid for block arguments.
  OpId definingOp(ValueId V) const { return value(V).Def; }
  /// The op enclosing region \p R, or invalid for the body.
  OpId parentOp(RegionId R) const { return region(R).ParentOp; }

  /// Calls \p Fn on every live op, pre-order (an op before its regions).
  template <typename F> void walk(F &&Fn) const { walkRegion(Body, Fn); }
  template <typename F> void walkRegion(RegionId R, F &&Fn) const {
    // Copy: Fn may mutate the region.
    std::vector<OpId> Ops = region(R).Ops;
    for (OpId O : Ops) {
      if (op(O).Erased)
        continue;
      Fn(O);
      if (op(O).Erased)
        continue;
      std::vector<RegionId> Rs = op(O).Regions;
      for (RegionId Sub : Rs)
        walkRegion(Sub, Fn);
    }
  }
  /// Counts uses of every value by live ops; indexed by ValueId::Index.
  std::vector<unsigned> useCounts() const;

private:
  std::string Name;
  Type Result;
  RegionId Body;
  AttrList Attrs;
  SourceLoc Loc;
  std::vector<ValueData> Values{1};
  std::vector<OpData> Ops{1};
  std::vector<RegionData> Regions{1};
};

/// Function attributes used across layers:
///   export = "pyname"   exported to Python under that name (overloads share it)
///   arg_names = "a,b"   Python parameter names (for keyword calls and errors)
///   source_name = "f"   the Python function a helper specialisation came from
class Module {
public:
  std::string SourcePath; ///< the .py file, for diagnostics and comments
  std::string Name;       ///< module name (the file's stem)
  /// Module-level constants, attributes of the compiled module as in
  /// Python (`N = 100`, `__version__ = "1.2"`), in file order. Printed as
  /// `global "N" = 100`.
  std::vector<std::pair<std::string, AttrValue>> Globals;

  Function &addFunction(std::unique_ptr<Function> F);
  Function *lookup(llvm::StringRef Name);
  const Function *lookup(llvm::StringRef Name) const;
  void eraseFunction(llvm::StringRef Name);
  std::vector<std::unique_ptr<Function>> &functions() { return Funcs; }
  const std::vector<std::unique_ptr<Function>> &functions() const { return Funcs; }

private:
  std::vector<std::unique_ptr<Function>> Funcs;
};

/// Builds ops at an insertion point (the end of a region, by default).
class Builder {
public:
  explicit Builder(Function &F) : F(F) {}
  Function &func() { return F; }

  void setInsertionPointToEnd(RegionId R) { Region = R; Pos = SIZE_MAX; }
  void setInsertionPoint(RegionId R, size_t P) { Region = R; Pos = P; }
  RegionId insertionRegion() const { return Region; }
  void setLoc(SourceLoc L) { Loc = L; }
  SourceLoc loc() const { return Loc; }

  /// Creates an op with results of \p ResultTypes and inserts it.
  OpId create(OpKind K, llvm::ArrayRef<ValueId> Operands,
              llvm::ArrayRef<Type> ResultTypes, unsigned NumRegions = 0);
  /// Creates a single-result op and returns its result.
  ValueId create1(OpKind K, llvm::ArrayRef<ValueId> Operands, Type ResultType);

  ValueId constInt(int64_t V);
  ValueId constFloat(double V);
  ValueId constBool(bool V);
  ValueId constStr(llvm::StringRef S);
  ValueId cmp(llvm::StringRef Pred, ValueId A, ValueId B);
  ValueId cast(ValueId V, Type To);
  ValueId slot(Type T, llvm::StringRef Name);
  ValueId load(ValueId Slot);
  void store(ValueId V, ValueId Slot);
  /// Names the value (a hint for the printer).
  void name(ValueId V, llvm::StringRef N) { F.value(V).Name = N.str(); }

private:
  Function &F;
  RegionId Region;
  size_t Pos = SIZE_MAX;
  SourceLoc Loc;
};

/// The functions of \p M that can reach themselves through `call` ops (the
/// members of the call graph's cycles). Linear in the number of calls.
std::set<std::string> recursiveFunctions(const Module &M);

/// The value of \p V when an int64 `const` defines it.
std::optional<int64_t> constIntOf(const Function &F, ValueId V);
/// The value of \p V when it is a constant within +-2**32: a few of them
/// added to a count of loop iterations (or to an extent) cannot overflow.
std::optional<int64_t> smallConstOf(const Function &F, ValueId V);
/// \p V as Base + C, for `add`/`sub` of a small constant (C = 0 and Base = V
/// otherwise): `i + 1`, `i - 1`, `1 + i`.
std::pair<ValueId, int64_t> splitOffset(const Function &F, ValueId V);

} // namespace ir
} // namespace kiln

#endif // KILN_IR_IR_H

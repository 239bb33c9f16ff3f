//===- Lowering.h - Shared state of the Kiln IR -> LLVM lowering --*- C++ -*-===//
//
// Internal to codegen/. ModuleLowering owns what all functions share (type
// mapping, the runtime's declarations, string constants, helper functions);
// FunctionLowering lowers one function. Its control-flow, memory and call
// ops live in LowerFunction.cpp; arithmetic, casts and math functions, with
// Python's error semantics, in LowerArith.cpp.
//
// Errors propagate by status: every kiln.f.* returns {result, i1 failed}.
// An op that may raise branches, on its (cold) error path, to a block that
// records the exception with kiln_raise_msg and then to the function's
// single failure block, which returns failed = 1.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_CODEGEN_LOWERING_H
#define KILN_CODEGEN_LOWERING_H

#include "codegen/Codegen.h"
#include "ir/IR.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/Module.h"
#include <functional>
#include <map>
#include <tuple>
#include <set>
#include <string>
#include <vector>

namespace kiln {
namespace codegen {

/// The kiln_slot values a value of type \p T takes when flattened (results,
/// print): tuples depth-first, arrays as data, extents and strides.
unsigned slotCount(kiln::Type T);
/// Stores \p V (of type \p T) into the slots at \p Slots from index \p Slot
/// on, as the runtime reads results (runtime.h), advancing \p Slot.
void flattenToSlots(llvm::IRBuilder<> &B, kiln::Type T, llvm::Value *V, llvm::Value *Slots,
                    unsigned &Slot);

/// CPython's message for int64 results that do not fit (Kiln's ints are 64-bit).
inline constexpr const char *IntOverflowMsg =
    "integer overflow: the result does not fit in int64";

class ModuleLowering {
public:
  ModuleLowering(const ir::Module &IRM, llvm::Module &LM, const CodegenOptions &Opts);

  const ir::Module &IRM;
  llvm::Module &LM;
  llvm::LLVMContext &Ctx;
  const CodegenOptions &Opts;
  /// "target-cpu" / "target-features" of every generated function.
  std::string TargetCPU, TargetFeatures;
  /// Whether the target converts vectors of doubles to int64 in one
  /// instruction (x86 needs AVX-512DQ; AVX2 converts lane by lane).
  bool VectorFloatToInt64 = true;

  /// The LLVM type of a value of \p T: bool i1, int64 i64, float64 double,
  /// str and ref<T> ptr, tuples literal structs. `none` is void.
  llvm::Type *lowerType(Type T);
  /// The return type of kiln.f.*: {T, i1}, or i1 for `none`.
  llvm::Type *returnType(Type Result);
  /// Declares kiln.f.<name> for every IR function (bodies come later).
  void declareFunctions();
  llvm::Function *function(llvm::StringRef IRName) const;

  /// A private constant C string, one per distinct text.
  llvm::Constant *cstring(llvm::StringRef S);

  /// Runtime entry points (runtime.h).
  /// A runtime.h function (nounwind), declared on first use: try/except,
  /// random numbers, print.
  llvm::FunctionCallee runtimeFn(llvm::StringRef Name, llvm::Type *Ret,
                                 llvm::ArrayRef<llvm::Type *> Params);
  llvm::FunctionCallee raiseMsgFn();     // void kiln_raise_msg(ptr, ptr), cold
  llvm::FunctionCallee allocFn();        // ptr kiln_alloc(i64)
  llvm::FunctionCallee freeFn();         // void kiln_free(ptr)
  llvm::FunctionCallee parallelForFn();  // i32 kiln_parallel_for(i64, i64, i64, ptr, ptr)
  llvm::FunctionCallee raiseIndexFn();   // void kiln_raise_index(i64, i64, i64), cold
  /// { ptr data, [N x i64] extents, [N x i64] strides } (LowerArray.cpp).
  llvm::Type *arrayType(kiln::Type T);
  /// How an element is stored: bool as i8, others as their value type.
  llvm::Type *elementMemType(kiln::Type Elem);
  /// kiln_list, the header a list value points to (LowerList.cpp).
  llvm::StructType *listHeaderType();
  /// kiln_dict, and how a key is laid out (LowerDict.cpp).
  llvm::StructType *dictHeaderType();
  llvm::Type *dictKeyType(kiln::Type K);
  /// The TBAA tag of a list's header fields, or of its items.
  llvm::MDNode *listTBAA(bool Header);
  /// How a list element is stored, and its size in bytes.
  llvm::Type *listElementType(kiln::Type Elem);
  uint64_t listElementSize(kiln::Type Elem);
  llvm::FunctionCallee raiseFn();        // void kiln_raise(ptr, i32, ptr), cold
  llvm::FunctionCallee moduleCreateFn(); // ptr kiln_module_create(ptr)
  llvm::FunctionCallee pollFn();            // i32 kiln_poll(), cold
  llvm::GlobalVariable *interruptFlag();   // volatile i32 kiln_interrupt_flag
  llvm::FunctionCallee stackLimitFn();     // i64 kiln_stack_limit(), memory(none)
  /// Functions in a cycle of calls: each takes the thread's stack limit as
  /// a last, hidden i64 parameter and checks the stack's room on entry.
  std::set<std::string> Recursive;
  /// struct kiln_arg { i32 tag; i32 pad; union { ptr; i64; double } v; }
  llvm::StructType *argType();

  /// A libm function of doubles that has no LLVM intrinsic, declared
  /// memory(none) nounwind willreturn so that it can still be vectorised.
  llvm::FunctionCallee libmFn(llvm::StringRef Name, unsigned NumArgs);
  /// kiln.ipow(i64 base, i64 exp) -> {i64, i1 overflow}, exp >= 0: repeated
  /// squaring with overflow checks.
  llvm::Function *intPowHelper();

  /// Standard attributes of generated functions (no mustprogress: Python
  /// loops may be infinite).
  void setCommonAttrs(llvm::Function &F);

private:
  llvm::StringMap<llvm::Function *> Funcs;
  llvm::StringMap<llvm::Constant *> Strings;
  llvm::Function *IntPow = nullptr;
};

/// Lowers the body of one IR function into its declared kiln.f.* function.
class FunctionLowering {
public:
  FunctionLowering(ModuleLowering &ML, const ir::Function &F);
  /// Lowers the body of a parallel loop of \p F into \p Outlined
  /// (LowerParallel.cpp).
  FunctionLowering(ModuleLowering &ML, const ir::Function &F, llvm::Function *Outlined);
  /// Returns an Error for constructs codegen does not support.
  llvm::Error run();

private:
  ModuleLowering &ML;
  const ir::Function &F;
  llvm::Function *LF;
  llvm::LLVMContext &Ctx;
  llvm::IRBuilder<> B;
  /// Inserts allocas at the top of the entry block.
  llvm::IRBuilder<> AllocaB;
  std::vector<llvm::Value *> Vals; ///< by ValueId::Index
  llvm::BasicBlock *FailBB = nullptr;
  /// `raise` blocks by exception, message and the failure block they
  /// branch to (FailBB changes inside `try` bodies and handlers).
  std::map<std::tuple<std::string, std::string, llvm::BasicBlock *>, llvm::BasicBlock *>
      RaiseBlocks;
  /// The slots of the exceptions the enclosing `catch` handlers handle,
  /// innermost last (for `reraise`).
  std::vector<llvm::Value *> CaughtSlots;
  /// Exception slots by try nesting depth, and the depth being lowered.
  std::vector<llvm::Value *> ExcSlots;
  unsigned TryDepth = 0;
  /// kiln_random_state of the py and np streams, fetched in the entry block.
  llvm::Value *RngState[2] = {nullptr, nullptr};
  std::string Unsupported; ///< first unsupported construct met

  struct LoopTargets {
    llvm::BasicBlock *Break;
    llvm::BasicBlock *Continue;
    llvm::BasicBlock *Body; ///< where `condition` goes when true (while)
    llvm::Value *IV = nullptr; ///< a `for` loop's variable
  };
  std::vector<LoopTargets> Loops;

  // -- LowerFunction.cpp ------------------------------------------------------
  bool live() const { return B.GetInsertBlock() != nullptr; }
  llvm::Value *val(ir::ValueId V) const;
  void setVal(ir::ValueId V, llvm::Value *LV);
  void lowerRegion(ir::RegionId R);
  void lowerOp(ir::OpId O);
  void lowerIf(const ir::OpData &Op);
  void lowerTry(const ir::OpData &Op);
  void lowerRandom(const ir::OpData &Op);
  void lowerPrint(const ir::OpData &Op);
  void lowerWhile(const ir::OpData &Op);
  void lowerFor(const ir::OpData &Op);
  /// \p Hints: the loop's vectorisation hints (none for the inline copy of
  /// a parallel loop, which LLVM vectorises only where it can). \p From,
  /// if given, replaces the loop's start (a value the loop variable takes).
  void lowerSerialFor(const ir::OpData &Op, bool Hints, llvm::Value *From = nullptr);
  /// Whether range(Lo, Hi, Step) is non-empty, and its length (raising
  /// ValueError for a zero step).
  std::pair<llvm::Value *, llvm::Value *> tripCount(llvm::Value *Lo, llvm::Value *Hi,
                                                    llvm::Value *Step);
  // -- LowerParallel.cpp ---------------------------------------------------------
  /// A `parallel` loop through kiln_parallel_for; false when it is not of
  /// the form handled (then lowerFor lowers it serially).
  bool lowerParallelFor(const ir::OpData &Op);
  llvm::Value *valueBefore(ir::ValueId V, const std::set<uint32_t> &Inside);
  /// The accumulators of a loop marked `reduction`: each slot and the op
  /// combining into it (marked `reduction` by passes/Parallelize.cpp).
  struct ReductionAcc {
    ir::ValueId Slot;  ///< a variable, or
    ir::ValueId Array; ///< a new C-order array, combined element by element
    const ir::OpData *Combine;
  };
  /// The number of elements of array accumulator \p A (its extents'
  /// product; it is contiguous).
  llvm::Value *accumulatorSize(const ReductionAcc &A);
  /// Emits `for i in [0, N): Body(i)` at the insertion point.
  void countedLoop(llvm::Value *N, const llvm::Twine &Name,
                   const std::function<void(llvm::Value *)> &Body);
  std::vector<ReductionAcc> reductionAccs(const ir::OpData &Loop) const;
  /// The combining op's identity, and the combination of two partials.
  llvm::Value *reductionIdentity(const ReductionAcc &A);
  llvm::Value *combinePartials(const ReductionAcc &A, llvm::Value *X, llvm::Value *Y);
  /// The body of a parallel loop, outlined as (lo, hi, env) -> status. With
  /// \p Accs (a reduction), lo and hi count chunks of the loop, not
  /// iterations: chunk k runs the iterations [k * grain, min(trip, (k + 1) *
  /// grain)) from each accumulator's identity and leaves its partial result in
  /// element k of the accumulator's array (an array accumulator: into
  /// chunk k's private copy of it, starting at element k * size); grain and
  /// trip, and then those arrays, follow the captured values in the
  /// environment.
  void lowerOutlinedBody(const ir::OpData &Op, llvm::ArrayRef<ir::ValueId> Captured,
                         const std::set<uint32_t> &Stored, llvm::StructType *EnvTy,
                         llvm::ArrayRef<ReductionAcc> Accs = {});
  /// The rest of lowerParallelFor for a loop marked `reduction`: the loop
  /// itself when there is little work, else its chunks on the runtime's
  /// threads and their partials combined.
  void lowerParallelReduction(const ir::OpData &Op, llvm::ArrayRef<ReductionAcc> Accs,
                              llvm::Value *Trip, llvm::Value *Enough, llvm::Function *Fn,
                              llvm::Value *Env, llvm::StructType *EnvTy, unsigned NumCaptured);
  /// lowerFor without `parallel`: the loop on this thread.
  void lowerSequentialFor(const ir::OpData &Op);
  void lowerCall(const ir::OpData &Op);
  void lowerReturn(const ir::OpData &Op);
  void lowerRaise(const ir::OpData &Op);
  llvm::MDNode *loopMetadata(const ir::AttrList &Attrs);
  /// kiln_arena_mark() before a loop marked `frees_temporaries`, else null;
  /// arenaRelease frees back to it (a no-op for null or dead code).
  llvm::Value *arenaMark(const ir::OpData &Op);
  void arenaRelease(llvm::Value *Mark);
  llvm::BasicBlock *newBlock(const llvm::Twine &Name);
  /// Records an unsupported construct; lowering carries on with poison.
  llvm::Value *unsupported(const llvm::Twine &What, llvm::Type *Ty);
  llvm::Type *ty(Type T) { return ML.lowerType(T); }

  // -- Error paths --------------------------------------------------------------
  /// Branches (cold) to a block raising Exc(Msg) when \p Cond is true; the
  /// insertion point moves to the fall-through block.
  void raiseIf(llvm::Value *Cond, llvm::StringRef Exc, llvm::StringRef Msg);
  /// Branches to a block raising Exc(Msg); the insertion point is cleared.
  void raiseNow(llvm::StringRef Exc, llvm::StringRef Msg);
  /// Branches (cold) to the failure block when \p Failed is true.
  void failIf(llvm::Value *Failed);
  /// Splits on \p Cond: true goes to a new cold block (returned, and the
  /// insertion point is there), false continues at *Cont.
  llvm::BasicBlock *coldBranch(llvm::Value *Cond, llvm::BasicBlock *&Cont,
                               const llvm::Twine &Name);
  llvm::BasicBlock *raiseBlock(llvm::StringRef Exc, llvm::StringRef Msg);
  /// Moves the error blocks after the hot path; the failure block (if
  /// anything branches to it) returns through \p ReturnFailed.
  void finishErrorPaths(const std::function<void(llvm::IRBuilder<> &)> &ReturnFailed);
  /// In a recursive function's entry: RecursionError when the thread's
  /// stack is nearly used up (below its hidden stack-limit parameter).
  void checkStackRoom();
  /// The stack limit to pass to a recursive callee: this function's own
  /// hidden parameter, or the runtime's answer.
  llvm::Value *stackLimit();
  /// Polls kiln_interrupt_flag (Ctrl-C): when set, kiln_poll() runs Python's
  /// signal handlers, and the function fails if one raised.
  void pollInterrupt();
  /// While the first run of a `deferred_checks` loop is lowered: the flag
  /// its failing checks set instead of raising (passes/DeferChecks.cpp).
  llvm::Value *DeferFlag = nullptr;
  /// The indices that loop's guard proved in bounds on every iteration.
  std::set<const ir::OpData *> DeferInBounds;
  void deferFail(llvm::Value *Cond);
  /// Whether the flag (an i8) \p Flag is set.
  llvm::Value *deferFailed(llvm::Value *Flag);
  /// An unconditional failure there: flag it and go on with the next
  /// iteration (the insertion point is cleared).
  void deferSkip();
  // -- LowerDeferred.cpp --------------------------------------------------------
  /// A `deferred_checks` loop: checks gathered in a flag, then, if one
  /// failed, the loop again from the saved slots, checked.
  void lowerDeferredFor(const ir::OpData &Op);
  /// What the first run of a split scatter records (LowerDeferred.cpp).
  struct ScatterRun;
  /// Set while the first run of a loop with a `scatter` is lowered: the
  /// scatter's ops record their operands instead (recordScatter).
  ScatterRun *Scattering = nullptr;
  void recordScatter(const ir::OpData &Op);
  /// If \p Op indexes a split scatter's target, records \p Wrapped in
  /// its chunk's maximum and returns true (LowerDeferred.cpp).
  bool recordScatterIndex(const ir::OpData &Op, llvm::Value *Wrapped);
  /// The fast run of a loop whose scatter is split off, in chunks; a chunk
  /// whose \p Flag is set leaves for \p Checked, adding its first
  /// iteration to \p From, after restoring nothing (the checked run
  /// restores \p Slots from \p Saved, which each chunk refreshes).
  void lowerScatterChunks(const ir::OpData &Op, ScatterRun &Run, llvm::AllocaInst *Flag,
                          llvm::BasicBlock *Checked, llvm::PHINode *From, llvm::BasicBlock *Done,
                          llvm::ArrayRef<ir::ValueId> Slots,
                          llvm::ArrayRef<llvm::AllocaInst *> Saved);
  /// Whether the bytes arrays \p A and \p Bv span meet.
  llvm::Value *arraysMeet(llvm::Value *A, Type TA, llvm::Value *Bv, Type TB);
  /// The out-of-line blocks of Ctrl-C polls (kiln_poll calls).
  llvm::SmallVector<llvm::BasicBlock *, 4> PollBlocks;
  /// A recursive function's hidden stack-limit parameter (null otherwise).
  llvm::Value *StackLimit = nullptr;
  /// Whether region \p R contains a loop at any depth.
  bool containsLoop(ir::RegionId R) const;

  // -- LowerArray.cpp -------------------------------------------------------------
  void lowerArrayOp(const ir::OpData &Op);
  llvm::Value *arrayStride(llvm::Value *A, Type T, unsigned Axis);
  llvm::Value *elementAddress(llvm::Value *A, Type T, llvm::ArrayRef<llvm::Value *> Idx);
  /// Whether \p I is the innermost loop's variable, or it plus a constant.
  bool isLoopVariable(llvm::Value *I) const;

  // -- LowerList.cpp --------------------------------------------------------------
  void lowerListOp(const ir::OpData &Op);
  llvm::Value *listField(llvm::Value *L, unsigned Field);
  llvm::Value *listLoad(llvm::Value *L, unsigned Field);
  void listStoreField(llvm::Value *V, llvm::Value *L, unsigned Field);
  /// The address of element \p I of list \p L.
  llvm::Value *listSlot(llvm::Value *L, Type Elem, llvm::Value *I);
  void listReserve(llvm::Value *L, Type Elem, llvm::Value *N);

  // -- LowerDict.cpp --------------------------------------------------------------
  void lowerDictOp(const ir::OpData &Op);
  /// An empty dict or set of unknown types becoming \p T: its key and
  /// value sizes.
  void setDictSizes(llvm::Value *D, Type T);
  /// Key \p K in a zeroed stack slot (-0.0 as 0.0): its address.
  llvm::Value *keyBlob(llvm::Value *K, Type T);
  void storeKey(llvm::Value *V, Type T, llvm::Value *Addr);
  llvm::Value *loadKey(Type T, llvm::Value *Addr);

  // -- LowerArith.cpp -------------------------------------------------------------
  void lowerArith(const ir::OpData &Op);
  llvm::Value *lowerConst(const ir::OpData &Op);
  llvm::Value *intBinary(ir::OpKind K, llvm::Value *A, llvm::Value *Bv, const ir::AttrList &Attrs);
  llvm::Value *floatBinary(ir::OpKind K, llvm::Value *A, llvm::Value *Bv, const ir::AttrList &Attrs);
  llvm::Value *floatFloorDiv(llvm::Value *A, llvm::Value *Bv);
  llvm::Value *floatMod(llvm::Value *A, llvm::Value *Bv);
  llvm::Value *floatPow(llvm::Value *A, llvm::Value *Bv);
  llvm::Value *libmPow(llvm::Value *X, llvm::Value *Y);
  /// A call of libm's \p Name; unless \p Vectorisable, one LLVM may not
  /// replace by a vector variant (libmvec's differ in the last bits).
  llvm::Value *libmCall(llvm::StringRef Name, llvm::ArrayRef<llvm::Value *> Args,
                        bool Vectorisable);
  llvm::Value *intPow(llvm::Value *A, llvm::Value *Bv);
  /// NumPy's arithmetic on the sized types (int8 ... uint64, float32): ints
  /// wrap, a zero divisor gives 0, nothing raises except a negative integer
  /// exponent.
  llvm::Value *sizedBinary(ir::OpKind K, llvm::Value *A, llvm::Value *Bv, Type T);
  /// NumPy's `//`, `%` and `**` of float64 (a zero divisor gives inf/NaN).
  llvm::Value *floatNumPyBinary(ir::OpKind K, llvm::Value *A, llvm::Value *Bv);
  /// NumPy's `//` and `%` of int64 (a zero divisor gives 0; MIN // -1 wraps).
  llvm::Value *intNumPyDivMod(ir::OpKind K, llvm::Value *A, llvm::Value *Bv);
  /// Integer power wrapping in the type of \p A (\p Bv non-negative).
  llvm::Value *wrappingPow(llvm::Value *A, llvm::Value *Bv);
  llvm::Value *cmp(llvm::StringRef Pred, Type T, llvm::Value *A, llvm::Value *Bv);

  // -- LowerComplex.cpp -----------------------------------------------------------
  /// \p V of real or complex type \p From as complex type \p To.
  llvm::Value *toComplex(llvm::Value *V, Type From, Type To);
  /// `+ - * / **` of two complex values of type \p T.
  llvm::Value *complexBinary(ir::OpKind K, llvm::Value *A, llvm::Value *C, Type T, bool NumPy);
  /// `==` / `!=` of two complex values.
  llvm::Value *complexCmp(llvm::StringRef Pred, llvm::Value *A, llvm::Value *C);
  /// The math function \p Fn where complex numbers are involved.
  llvm::Value *complexMath(llvm::StringRef Fn, Type RT, llvm::ArrayRef<llvm::Value *> Ins,
                           llvm::ArrayRef<Type> InTys, bool NumPy);
  /// The complex value of type \p T the runtime wrote as two doubles at \p Out.
  llvm::Value *fromOutPair(llvm::Value *Out, Type T);
  llvm::Value *cast(llvm::Value *V, Type From, Type To);
  /// A float -> an integer type, truncating, with Python's errors (NaN,
  /// infinity, out of range).
  llvm::Value *floatToInt(llvm::Value *V, Type To = Type::int64());
  llvm::Value *toDouble(llvm::Value *V, Type From);
  llvm::Value *lowerMath(const ir::OpData &Op);
  /// A math function of \p Ins (of types \p InTys) giving \p RT; the sized
  /// types are computed in int64 / float64 and converted back.
  llvm::Value *mathOn(llvm::StringRef Fn, Type RT, std::vector<llvm::Value *> Ins,
                      std::vector<Type> InTys, bool NumPy);
  llvm::Value *mathWide(llvm::StringRef Fn, Type RT, llvm::ArrayRef<llvm::Value *> Ins,
                        llvm::ArrayRef<Type> InTys, bool NumPy);
  /// CPython's math_1/math_2 rule: NaN from non-NaN inputs is a domain
  /// error; an infinity from finite inputs is a range error when
  /// \p CanOverflow, else a domain error.
  void mathErrorCheck(llvm::Value *R, llvm::ArrayRef<llvm::Value *> Ins, bool CanOverflow);
  llvm::Value *isNaN(llvm::Value *X);
  llvm::Value *isInf(llvm::Value *X);
  llvm::Value *isFinite(llvm::Value *X);
  llvm::Value *unaryIntrinsic(llvm::Intrinsic::ID ID, llvm::Value *X);
  llvm::Value *binaryIntrinsic(llvm::Intrinsic::ID ID, llvm::Value *X, llvm::Value *Y);
};

/// Emits kiln.entry.*, the descriptor tables and PyInit_<name> (ModuleABI.cpp).
llvm::Error emitModuleABI(ModuleLowering &ML);

} // namespace codegen
} // namespace kiln

#endif // KILN_CODEGEN_LOWERING_H

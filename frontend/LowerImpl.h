//===- LowerImpl.h - Internals shared by the Lower*.cpp files ----*- C++ -*-===//
//
// Type inference and lowering are one code path: a FunctionLowerer walks a
// function body and emits IR, computing each expression's type bottom-up.
// ModuleLowerer runs it repeatedly in Infer mode (diagnostics off, IR thrown
// away) until the types of every variable and every return stabilise, then
// once more in Emit mode, which reports diagnostics and keeps the IR.
//
// A Spec is one specialisation of a Python function for one tuple of
// argument types. Exported functions have fixed parameter types; helpers get
// one Spec per distinct argument-type tuple seen at call sites.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_FRONTEND_LOWERIMPL_H
#define KILN_FRONTEND_LOWERIMPL_H

#include "frontend/AST.h"
#include "frontend/Lower.h"
#include "ir/IR.h"
#include "llvm/ADT/StringMap.h"
#include <functional>
#include <map>
#include <set>

namespace kiln {
namespace lower {

/// What a variable's type was learned from.
struct VarInfo {
  Type Ty;                 ///< joined type so far; invalid while unknown
  SourceRange FirstSite;   ///< where it was first assigned
  Type DeclaredTy;         ///< from an annotation (`x: float = 0`), if any
  bool IsParam = false;
};

/// One parameter of an exported signature: its type and, for an array
/// with fixed extents (`float64[:, 3]`), the extent of each axis (-1: any).
struct ExportParam {
  Type Ty;
  std::vector<int64_t> Extents;
};

/// One item of an export comment: a function with its signatures (`or`
/// alternatives and `T?` parameters already expanded) or a global.
struct ExportItem {
  std::string Name;
  SourceRange NameRange;
  bool IsFunction = false;
  std::vector<std::vector<ExportParam>> Sigs;
};

struct Spec {
  const ast::FunctionDefStmt *Def = nullptr;
  /// Types of the parameters; an export may leave out trailing ones with
  /// defaults (Pythran's `f(int)` for `def f(a, b=2)`), bound to them.
  std::vector<Type> ArgTypes;
  /// For exports: fixed extents per parameter (`float64[:, 3]`), or empty.
  std::vector<std::vector<int64_t>> ArgExtents;
  Type Ret;               ///< joined return type; invalid while unknown
  bool RetFixed = false;  ///< from a return annotation
  SourceRange RetSite;    ///< first return that set Ret
  std::string ExportName; ///< non-empty when exported
  SourceRange CallSite;   ///< for helpers: the first call that created it
  std::string Caller;     ///< the function containing CallSite
  bool NotedCaller = false;
  std::string IRName;
  std::map<std::string, VarInfo> Vars;
  bool HasValueReturn = false; ///< some `return expr` was seen
  bool Emitted = false;
  /// An overload Kiln guessed (for `np.ndarray`, which gives no rank): it is
  /// dropped, with its helpers, when it does not compile.
  bool Speculative = false;
  bool Queued = false;
  /// The specs whose inference read this one's return type: run again when
  /// it widens.
  std::set<Spec *> Callers;
  /// Element types of list comprehensions, joined over inference runs.
  std::map<const void *, Type> CompTypes;
  /// Variables that held the same list (`b = a`): their types stay equal.
  std::map<std::string, std::set<std::string>> ListAliases;
  bool InWork = false; ///< on type inference's worklist
  bool Inferred = false; ///< type inference ran on it at least once
};

/// A value with its Python type. Ty is invalid when unknown (during
/// inference) or after an error was reported (during emission).
struct TypedValue {
  ir::ValueId V;
  Type Ty;
  bool ok() const { return Ty.isValid(); }
};

enum class Mode { Infer, Emit };

/// An element-wise array expression (LowerArrayExpr.cpp), built bottom-up
/// while a statement is lowered. Leaves (arrays and scalars) are lowered
/// when they are reached, in Python's order, and each operator's broadcast
/// check is emitted as soon as its operands are known; the elements are
/// computed later, all in one loop nest, so that a whole expression makes
/// no temporary arrays.
struct ArrayExpr {
  enum class Kind { Scalar, Array, Binary, Unary, Compare, Func, Reduce };
  Kind K = Kind::Scalar;
  TypedValue Val;                 ///< Scalar: the value; Array: the array
  Type Elem;                      ///< the element type of the result
  std::vector<ir::ValueId> Shape; ///< extents; empty for a scalar
  std::vector<std::unique_ptr<ArrayExpr>> Kids;
  int Op = 0;                     ///< ast::BinOpKind, UnaryOpKind or CmpOpKind
  std::string Fn;                 ///< Func: the NumPy function; Reduce: sum, max...
  unsigned Axis = 0;              ///< Reduce: the axis of Kids[0] it reduces
  bool KeepDims = false;          ///< Reduce: that axis stays, with extent 1
  ir::ValueId Ddof;               ///< Reduce (var, std): the ddof argument
  SourceRange Site;
  ir::ValueId View;               ///< Array: the leaf broadcast to the loop
  bool isArray() const { return K != Kind::Scalar; }
  TypedValue scalar() const { return Val; }
};
using ArrayExprPtr = std::unique_ptr<ArrayExpr>;

class ModuleLowerer;

/// The most elements a tuple literal may have (TupleTooLarge).
inline constexpr size_t MaxTupleElements = 1024;

class FunctionLowerer {
public:
  FunctionLowerer(ModuleLowerer &ML, Spec &S, Mode M);
  /// Lowers the whole body; returns the IR function.
  std::unique_ptr<ir::Function> run();
  /// True if this run learned something new (a type widened).
  bool changed() const { return Changed; }

private:
  friend class ModuleLowerer;
  ModuleLowerer &ML;
  Spec &S;
  Mode M;
  std::unique_ptr<ir::Function> F;
  ir::Builder B;
  bool Changed = false;
  bool Terminated = false; ///< the current region already ended
  std::set<std::string> Locals;        ///< names assigned anywhere in the body
  /// Lowering a module-level expression (a constant, a default): the
  /// function's locals are not in scope.
  bool ModuleScope = false;
  bool isLocal(const std::string &Name) const { return !ModuleScope && Locals.count(Name); }
  std::set<std::string> NeedFlags;     ///< locals read where maybe unassigned
  std::map<std::string, ir::ValueId> Slots;
  std::map<std::string, ir::ValueId> FlagSlots;
  size_t EntryPos = 0; ///< where the next slot goes in the body region
  struct LoopCtx {
    ir::ValueId BrokeFlag; ///< set before `break` when the loop has `else`
    /// Set before `break` in a `for` over a generator of several clauses:
    /// its outer loops leave too (LowerList.cpp).
    ir::ValueId StopFlag;
  };
  std::vector<LoopCtx> Loops;
  /// A loop's `else` clause: runs unless a `break` set Ctx's flag.
  void lowerLoopElse(const LoopCtx &Ctx, const ast::Body &OrElse);
  /// Forward substitution (ForwardSubstitute.cpp): `v = E` statements that
  /// are not lowered, and the expression each such v stands for.
  std::map<const ast::Stmt *, bool> Substitutable;
  std::map<std::string, const ast::Expr *> SubstituteFor;
  /// The statement being lowered's substituted trees, by variable, to be
  /// cloned at a second read (cleared at every statement).
  std::map<std::string, ArrayExprPtr> SubstitutedTrees;
  void planSubstitutions(const ast::Body &Body);
  bool pureArrayExpr(const ast::Expr &E);

  // Diagnostics (only in Emit mode; Infer mode reports into Muted).
  bool emitting() const { return M == Mode::Emit; }
  DiagnosticEngine &diags();
  std::string MutedText;
  llvm::raw_string_ostream MutedOS{MutedText};
  DiagnosticEngine Muted{MutedOS};
  void diag(DiagID ID, SourceRange R, std::vector<std::string> Args = {});
  TypedValue bad() { return {ir::ValueId(), Type()}; }

  /// Records literal defaults of an exported function as `default.<i>`
  /// attributes, so calls from Python can omit those arguments.
  void recordDefaults();
  void checkFixedExtents();
  TypedValue lowerPrint(const ast::CallExpr &E);
  // math's integer functions (LowerMathInt.cpp).
  static bool isIntMathFn(llvm::StringRef Name);
  TypedValue lowerIntMathCall(llvm::StringRef Name, const ast::CallExpr &E);
  ir::ValueId emitGcd(ir::ValueId A, ir::ValueId B);
  std::optional<std::string> raiseTemplate(const ast::FStringExpr &FS);
  // random and np.random (LowerRandom.cpp).
  TypedValue lowerRandomCall(bool NumPy, llvm::StringRef Fn, const ast::CallExpr &E);
  /// A `random.draw` of \p Kind ("double", "gauss", "kmnormal", "below" with
  /// \p Bound) from CPython's stream or NumPy's legacy one.
  ir::ValueId randomDraw(bool NumPy, llvm::StringRef Kind, ir::ValueId Bound = ir::ValueId());
  void lowerTry(const ast::TryStmt &St);
  std::optional<std::string> exceptNames(const ast::Expr *Type);
  /// The `as` names of the `except` clauses being lowered, innermost last
  /// ("" for a clause without one): a bare `raise` or `raise e` re-raises.
  std::vector<std::string> CaughtNames;
  unsigned FinallyDepth = 0; ///< `finally` blocks being lowered
  bool isCaughtName(const std::string &Name) const;
  bool checkSharedDefault(TypedValue V, const ast::Expr &Default);
  /// Creates the `x.set` flag of a variable that may be read unbound.
  void ensureFlag(const std::string &Name);
  /// The value of an `if` condition that tests for None (decided by types),
  /// or nullopt for a condition known only at run time.
  std::optional<bool> staticCondition(const ast::Expr &Test, TypedValue C);
  /// The truth of a test for None (`x is None`, `not`, `and`, `or` of them)
  /// known from types before lowering it, or nullopt.
  std::optional<bool> staticTruth(const ast::Expr &E);

  // Variables.
  ir::ValueId slotFor(const std::string &Name, Type T);
  void assignVar(const std::string &Name, TypedValue V, SourceRange Site);
  TypedValue readVar(const std::string &Name, SourceRange Site);
  bool declareVar(const std::string &Name, Type T, SourceRange Site);

  // Statements (LowerStmt.cpp).
  void lowerBody(const ast::Body &Body);
  void lowerStmt(const ast::Stmt &S);
  void lowerAssign(const ast::AssignStmt &S);
  void assignTarget(const ast::Expr &Target, TypedValue V, SourceRange Site);
  void lowerAugAssign(const ast::AugAssignStmt &S);
  void lowerAnnAssign(const ast::AnnAssignStmt &S);
  void lowerReturn(const ast::ReturnStmt &S);
  void lowerIf(const ast::IfStmt &S);
  void lowerWhile(const ast::WhileStmt &S);
  void lowerFor(const ast::ForStmt &S);
  void lowerRaise(const ast::RaiseStmt &S);
  void lowerAssert(const ast::AssertStmt &S);
  /// `del xs[i]`, `del xs[a:b]`, `del d[k]` (LowerList.cpp).
  void lowerDel(const ast::Expr &Target);
  void emitRaise(llvm::StringRef Exc, llvm::ArrayRef<ir::ValueId> Args);
  void emitRaiseMsg(llvm::StringRef Exc, llvm::StringRef Msg);
  /// `if Cond: raise Exc(Msg)`, as Python checks before an operation.
  void raiseIf(ir::ValueId Cond, llvm::StringRef Exc, llvm::StringRef Msg);
  /// `if Cond: raise Exc(Fmt with each {} replaced by the next of Args)`.
  void raiseFmtIf(ir::ValueId Cond, llvm::StringRef Exc, const std::string &Fmt,
                  llvm::ArrayRef<ir::ValueId> Args);
  /// A `math` op computing \p Fn of \p Operands, of type \p T.
  ir::ValueId mathOp(llvm::StringRef Fn, llvm::ArrayRef<ir::ValueId> Operands, Type T);
  void lowerRegion(ir::RegionId R, const ast::Body &Body);
  template <typename Fn> void inRegion(ir::RegionId R, Fn &&Emit);
  void emitReturn(TypedValue V, SourceRange Site);
  void emitReturnValue(TypedValue V, SourceRange Site);
  /// Notes where the variables of \p E got their types (after a type error).
  void noteTypeOrigins(const ast::Expr &E);

  // Expressions (LowerExpr.cpp).
  TypedValue lowerExpr(const ast::Expr &E);
  TypedValue lowerName(const ast::NameExpr &E);
  TypedValue lowerIntLit(const ast::IntLitExpr &E);
  TypedValue lowerBinOp(const ast::BinOpExpr &E);
  TypedValue binaryOp(ast::BinOpKind Op, TypedValue L, TypedValue R,
                      const ast::Expr *RHSExpr, SourceRange Site);
  TypedValue lowerUnary(const ast::UnaryExpr &E);
  TypedValue lowerBoolOp(const ast::BoolOpExpr &E);
  TypedValue lowerCompare(const ast::CompareExpr &E);
  TypedValue compare(ast::CmpOpKind Op, TypedValue L, TypedValue R, SourceRange Site);
  TypedValue compareIntFloat(llvm::StringRef Pred, ir::ValueId I, ir::ValueId X, bool Swapped);
  bool isSmallIntConst(ir::ValueId V);
  TypedValue lowerIfExp(const ast::IfExpExpr &E);
  TypedValue lowerCall(const ast::CallExpr &E);
  TypedValue lowerBuiltinCall(llvm::StringRef Name, const ast::CallExpr &E);
  TypedValue lowerMathCall(llvm::StringRef Name, const ast::CallExpr &E);
  TypedValue lowerUserCall(const ast::FunctionDefStmt &Def, const ast::CallExpr &E);
  TypedValue lowerAttribute(const ast::AttributeExpr &E);
  TypedValue lowerSubscript(const ast::SubscriptExpr &E);
  TypedValue lowerTuple(const ast::TupleExpr &E);
  TypedValue lowerGlobal(const std::string &Name, SourceRange Site);

  // Lists, iteration and comprehensions (LowerList.cpp).
  /// The last list made here that nothing else refers to yet (a literal,
  /// a comprehension, a copy): only such a list converts to another
  /// element type.
  ir::ValueId FreshList;
  /// Comprehension scopes: a target's name -> its variable's name.
  std::vector<std::map<std::string, std::string>> CompScopes;
  unsigned CompCounter = 0;
  std::string scopedName(const std::string &Name) const;
  /// What a `for` or a comprehension iterates over: range(lo, hi, step),
  /// or items 0 <= i < Len() (Len read before each item unless Fixed).
  struct ItemSource {
    bool IsRange = false, Fixed = true;
    /// A generator expression: its items computed as the loop runs.
    const ast::CompExpr *Gen = nullptr;
    /// A generator that is a clause's iterable inside another generator:
    /// the consumer's stop flag, which it checks too.
    ir::ValueId InheritedStop;
    /// A dict or set: its keys (DictMode 0), values (1) or items (2).
    ir::ValueId DictV;
    int DictMode = 0;
    ir::ValueId Lo, Hi, Step;
    std::function<ir::ValueId()> Len;
    std::function<TypedValue(ir::ValueId)> Get;
    Type ItemType;
  };
  std::optional<ItemSource> itemSource(const ast::Expr &E);
  /// itemSource, with a generator's or dict's items collected into a list,
  /// so that items have an index (zip, product).
  std::optional<ItemSource> indexedSource(const ast::Expr &E);
  std::optional<ItemSource> sourceOf(TypedValue V);
  /// A loop over \p S's items.
  void emitItemLoop(const ItemSource &S, const std::function<void(TypedValue)> &Body);
  void lowerForItems(const ast::ForStmt &St, const ItemSource &S);
  void emitCountedLoop(ir::ValueId N, const std::function<void(ir::ValueId)> &Body);
  void forEachCompItem(const ast::CompExpr &C, size_t K, const std::function<void()> &Body,
                       bool &Ok, ir::ValueId Stop = ir::ValueId());
  /// While an item loop's body is lowered: the flag that a `break` out of
  /// it sets (a generator of several clauses: every level checks it).
  std::vector<ir::ValueId> StopSlots;
  /// `break` out of the innermost item loop (emitItemLoop's body).
  void emitLoopBreak();
  /// `if Cond: Flag = Value; break` (a search that found its answer).
  void setAndBreakIf(ir::ValueId Cond, ir::ValueId Flag, bool Value);
  /// The item type of generator \p C (learned by lowering it once).
  Type generatorItemType(const ast::CompExpr &C);
  TypedValue lowerComp(const ast::CompExpr &C, bool AsList = false);
  bool listElementOk(Type Elem, SourceRange Site);
  /// The list type \p E has if it is a list variable (or an item of one),
  /// a list literal or a comprehension; invalid otherwise.
  Type staticListType(const ast::Expr &E);
  bool isListOperand(const ast::Expr &E);
  TypedValue newList(Type Elem, ir::ValueId Cap);
  TypedValue listItem(TypedValue L, ir::ValueId I);
  ir::ValueId listLen(TypedValue L);
  bool knownElements(TypedValue L, SourceRange Site);
  /// Storing a \p Elem into the list variable \p Base widens its type.
  void widenListVar(const ast::Expr &Base, Type Elem);
  TypedValue toElement(TypedValue V, TypedValue L, SourceRange Site);
  TypedValue convertList(TypedValue V, Type To, SourceRange Site, llvm::StringRef What);
  TypedValue lowerListLiteral(const ast::ListExpr &E);
  TypedValue lowerListBinOp(const ast::BinOpExpr &E);
  ir::ValueId listIndex(TypedValue L, const ast::Expr &Idx, llvm::StringRef Msg = "");
  /// slice.indices(len(L)) of \p Sl: its bounds evaluated once.
  struct SliceBounds {
    ir::ValueId Start, Stop, Step;
  };
  std::optional<SliceBounds> sliceIndices(TypedValue L, const ast::SliceExpr &Sl);
  TypedValue listSlice(TypedValue L, const ast::SliceExpr &Sl);
  TypedValue listSubscript(TypedValue L, const ast::SubscriptExpr &E);
  void assignListItem(const ast::SubscriptExpr &T, TypedValue V, SourceRange Site);
  void augAssignListItem(const ast::AugAssignStmt &St, const ast::SubscriptExpr &T);
  TypedValue listContains(TypedValue Item, TypedValue L, SourceRange Site);
  /// `a == b` of two lists (same length, items equal in order), sets (the
  /// same keys) or dicts (the same keys, equal values).
  TypedValue containersEqual(TypedValue A, TypedValue Bv, SourceRange Site);
  /// A tuple's items as a new list (they must join to one type).
  TypedValue tupleAsList(TypedValue T, SourceRange Site);
  TypedValue tupleContains(TypedValue Item, TypedValue T, SourceRange Site);
  TypedValue lowerListMethod(TypedValue L, const ast::Expr &Base, llvm::StringRef Name,
                             const ast::CallExpr &E);
  bool extendList(TypedValue L, const ast::Expr &Base, const ast::Expr &Items);
  bool sortList(TypedValue L, bool Reverse, SourceRange Site);
  void reverseList(TypedValue L);
  /// `key=lambda x: ...` applied to one item.
  TypedValue applyKey(const ast::Expr &Key, TypedValue Item);
  /// A new list of \p L's items sorted stably by their keys.
  TypedValue sortedByKey(TypedValue L, const ast::Expr &Key, bool Reverse, SourceRange Site);
  TypedValue minMaxByKey(llvm::StringRef Name, const ItemSource &Src, const ast::Expr &Key,
                         SourceRange Site);
  /// sum/min/max/any/all/sorted/list of one iterable; std::nullopt when
  /// the call is not of that form.
  std::optional<TypedValue> lowerIterableBuiltin(llvm::StringRef Name, const ast::CallExpr &E);
  /// np.array of a list: of numbers (one axis), or of lists or tuples of
  /// numbers (two axes; ragged rows are NumPy's ValueError).
  TypedValue listToArray(TypedValue L, std::optional<Type> Dtype, SourceRange Site);

  // Dicts and sets (LowerDict.cpp).
  bool keyTypeOk(Type K, SourceRange Site);
  /// The dict or set type of a variable (or an item of one), else invalid.
  Type staticDictType(const ast::Expr &E);
  /// Storing key \p K (and value \p V) into the variable \p Base widens it.
  void widenDictVar(const ast::Expr &Base, Type K, Type V);
  TypedValue toKey(TypedValue K, TypedValue D, SourceRange Site);
  TypedValue toValue(TypedValue V, TypedValue D, SourceRange Site);
  TypedValue newDict(Type T);
  TypedValue lowerDictLiteral(const ast::DictExpr &E);
  TypedValue lowerSetLiteral(const ast::SetExpr &E);
  TypedValue lowerMappingComp(const ast::CompExpr &C);
  /// d[k], KeyError(k) when absent.
  TypedValue dictValue(TypedValue D, TypedValue K, SourceRange Site);
  TypedValue dictSubscript(TypedValue D, const ast::SubscriptExpr &E);
  void raiseKeyError(TypedValue K);
  void assignDictItem(const ast::SubscriptExpr &T, TypedValue V, SourceRange Site);
  void augAssignDictItem(const ast::AugAssignStmt &St, const ast::SubscriptExpr &T);
  TypedValue dictContains(TypedValue K, TypedValue D, SourceRange Site);
  TypedValue lowerDictMethod(TypedValue D, const ast::Expr &Base, llvm::StringRef Name,
                             const ast::CallExpr &E);
  /// copy / union / intersection / difference of \p A with \p Other.
  TypedValue setAlgebra(TypedValue A, llvm::StringRef Op, const ast::Expr *Other,
                        SourceRange Site);
  /// `a | b`, `a & b`, `a - b` of sets.
  TypedValue lowerSetOperator(const ast::BinOpExpr &E);

  // Arrays (LowerArray.cpp).
  /// One part of a subscript, lowered (Python evaluates them all first).
  struct IndexPart {
    enum Kind { Int, Slice, NewAxis, Ellipsis, Array } K = Int;
    ir::ValueId Idx, Lo, Hi, Step; // Idx for Int; Lo/Hi/Step (may be none) for Slice
    std::optional<int64_t> ConstStep;
    TypedValue Arr; // Array: integer indices into one axis
  };
  /// NumPy's advanced indexing: the integer arrays among the parts,
  /// broadcast together to shape BS. Element J of the result (shape
  /// OutShape) is an element of View (forEachAdvanced), the view of the basic
  /// parts, which keeps each array's axis whole (at ViewAxes; BaseAxes in
  /// the base array).
  struct AdvancedIndex {
    TypedValue Base, View;
    std::vector<unsigned> ViewAxes, BaseAxes;
    std::vector<TypedValue> Arrays;
    std::vector<ir::ValueId> Views; // the arrays broadcast to BS
    std::vector<ir::ValueId> BS, OutShape;
    unsigned OutAxis = 0; // where BS sits in OutShape
    bool active() const { return !Arrays.empty(); }
  };
  ir::ValueId arrayDim(ir::ValueId A, unsigned Axis);
  /// Emits a loop nest over every index of \p A (type \p AT), calling
  /// \p Body inside the innermost loop with the indices.
  void emitNest(ir::ValueId A, Type AT,
                const std::function<void(const std::vector<ir::ValueId> &)> &Body);
  /// Lowers `a[i, j]`'s indices through `array.index` (wrap and check).
  /// With \p ArrayIndex, a single index that is an array (a mask, integer
  /// indices) is returned there, with no indices.
  /// With \p Adv, several indices among which integer arrays
  /// (`a[i_arr, j_arr]`) fill it, with no indices.
  std::optional<std::vector<ir::ValueId>> lowerIndices(TypedValue A, const ast::Expr &Index,
                                                       ArrayExprPtr *ArrayIndex = nullptr,
                                                       AdvancedIndex *Adv = nullptr);
  TypedValue arrayElementOrView(TypedValue A, const std::vector<ir::ValueId> &Idx);
  TypedValue lowerArraySubscript(TypedValue A, const ast::SubscriptExpr &E);
  void storeElement(TypedValue A, const std::vector<ir::ValueId> &Idx, TypedValue V,
                    SourceRange Site);
  bool isRowTarget(const ast::SubscriptExpr &T);
  /// `a[...]` as an assignment target that is not a view of slices: the
  /// array and its indices (integers, one mask or index array, or NumPy's
  /// advanced indices); none after a diagnostic (\p What: "assignment").
  struct SubscriptTarget {
    TypedValue A;
    std::vector<ir::ValueId> Idx;
    ArrayExprPtr ArrayIndex;
    AdvancedIndex Adv;
  };
  std::optional<SubscriptTarget> lowerSubscriptTarget(const ast::SubscriptExpr &T,
                                                      llvm::StringRef What);
  void assignSubscript(const ast::SubscriptExpr &T, ArrayExpr &X, SourceRange Site);
  void assignSubscript(const ast::SubscriptExpr &T, TypedValue V, SourceRange Site);
  void augAssignSubscript(const ast::AugAssignStmt &S, const ast::SubscriptExpr &T);
  TypedValue lowerArrayAttribute(TypedValue A, const ast::AttributeExpr &E);
  std::optional<Type> dtypeArg(const ast::Expr &E);
  std::optional<std::vector<ir::ValueId>> shapeArg(const ast::Expr &E);
  /// Lowers an argument that must be an array / a number (TypeMismatch
  /// naming \p What otherwise).
  TypedValue lowerArrayArg(const ast::Expr &E);
  TypedValue lowerNumberArg(const ast::Expr &E, llvm::StringRef What);
  TypedValue allocArray(Type Elem, const std::vector<ir::ValueId> &Dims);
  void fillArray(TypedValue A, TypedValue V);
  TypedValue copyArray(TypedValue Src, Type Elem);
  TypedValue lowerNumpyCall(llvm::StringRef Fn, const ast::CallExpr &E);
  TypedValue lowerArrayMethod(TypedValue A, llvm::StringRef Name, const ast::CallExpr &E);

  // Array expressions, views and reductions (LowerArrayExpr.cpp).
  /// Builds \p E as an element-wise expression tree; null after an error.
  ArrayExprPtr buildArrayExpr(const ast::Expr &E);
  ArrayExprPtr cloneExpr(const ArrayExpr &X);
  ArrayExprPtr leafExpr(TypedValue V, SourceRange Site);
  /// Whether evaluating \p E calls a function of the module (which may
  /// write arrays), or a function with `out=` (which does).
  bool callsUserFunction(const ast::Expr &E);
  /// Computes \p Kid into an array now if \p Later, evaluated after it,
  /// calls a function of the module.
  void settleBeforeCalls(ArrayExprPtr &Kid, const ast::Expr &Later);
  /// Combines built operands into a node (or folds scalars at once).
  ArrayExprPtr combine(ArrayExpr::Kind K, int Op, llvm::StringRef Fn,
                       std::vector<ArrayExprPtr> Kids, SourceRange Site);
  /// Lowers \p E, computing an array-valued result into a new array.
  TypedValue lowerElementwise(const ast::Expr &E);
  TypedValue materialize(ArrayExpr &X, const std::string &Note = "");
  /// The `fusion` remark of the next loop nest emitLoopNest makes.
  std::string PendingFusionNote;
  /// Marks the next loop nest `independent` (its iterations can run in
  /// parallel).
  bool PendingIndependent = false;
  std::string fusionNote(const ArrayExpr &X, llvm::StringRef Into);
  /// The last `for` op of the current region, if any.
  ir::OpId lastLoop();
  /// The broadcast of \p Shapes, with NumPy's ValueError when they do not
  /// broadcast; std::nullopt on a compile-time error.
  std::vector<ir::ValueId>
  broadcastShapes(const std::vector<std::vector<ir::ValueId>> &Shapes,
                  llvm::StringRef Exc = "ValueError",
                  llvm::StringRef What = "operands could not be broadcast together with shapes ");
  bool sameArray(ir::ValueId X, ir::ValueId Y);
  bool sameExtent(ir::ValueId X, ir::ValueId Y);
  /// Extent pairs (an operand's, the loop's) not provably equal.
  using ExtentPairs = std::vector<std::pair<ir::ValueId, ir::ValueId>>;
  /// A view of \p A broadcast to \p Shape (which it must broadcast to):
  /// \p A read over \p Shape with NumPy's broadcasting; with \p AssumeEqual,
  /// as if its extents were the loop's (code under a run-time test).
  ir::ValueId broadcastView(TypedValue A, const std::vector<ir::ValueId> &Shape,
                            bool AssumeEqual = false, ExtentPairs *Unproven = nullptr);
  void bindLeaves(ArrayExpr &X, const std::vector<ir::ValueId> &Shape, bool AssumeEqual = false,
                  ExtentPairs *Unproven = nullptr);
  /// Binds X's leaves to \p Shape and calls \p Emit for the loop; twice,
  /// under a test that no operand broadcasts, when that is not provable.
  /// \p Into, when given, makes the loop's --report note ("computed into
  /// its result"); otherwise the pending note stays.
  void withLeavesBound(ArrayExpr &X, const std::vector<ir::ValueId> &Shape, llvm::StringRef Into,
                       const std::function<void()> &Emit);
  /// Computes now the reductions of \p X that a loop over \p Shape would
  /// broadcast (bindLeaves would compute them at the loop).
  void hoistBroadcastReductions(ArrayExpr &X, const std::vector<ir::ValueId> &Shape);
  /// `t op= v` on an array or a view t: computed in place, with NumPy's
  /// messages for an output that does not match, and its same_kind rule.
  void inPlaceOp(TypedValue Target, ast::BinOpKind Op, const ast::Expr &Value,
                 SourceRange TargetSite, SourceRange Site);
  /// While an in-place operator's operands are combined: the target's
  /// shape (NumPy names the output in its broadcast errors).
  std::vector<ir::ValueId> *InPlaceTarget = nullptr;
  /// NumPy's same_kind rule for `t op= v`: a compile-time error when the
  /// result type does not fit the target's element type.
  bool checkInPlaceType(Type Result, Type Target, SourceRange Site,
                        llvm::StringRef Keeper = "in-place operators");
  TypedValue emitElement(ArrayExpr &X, const std::vector<ir::ValueId> &Idx);
  /// The scalar operation of node \p X on \p Args; \p NumPy picks NumPy's
  /// element semantics over Python's scalar ones.
  TypedValue elementOp(const ArrayExpr &X, std::vector<TypedValue> Args, bool NumPy);
  Type elementResultType(ArrayExpr::Kind K, int Op, llvm::StringRef Fn,
                         const std::vector<ArrayExprPtr> &Kids, SourceRange Site);
  void emitLoopNest(const std::vector<ir::ValueId> &Extents,
                    const std::function<void(const std::vector<ir::ValueId> &)> &Body);
  /// Stores \p X into the array or view \p Target (NumPy's `t[...] = x`),
  /// through a temporary when they may overlap.
  void storeInto(TypedValue Target, ArrayExpr &X, SourceRange Site);
  /// `a[1:, j, None]`: a view. Integer arrays among the parts (`a[:, idx]`,
  /// `a[i_arr, j_arr]`) gather into a new array (NumPy's advanced indexing).
  TypedValue sliceView(TypedValue A, const std::vector<const ast::Expr *> &Parts);
  bool lowerIndexParts(TypedValue A, const std::vector<const ast::Expr *> &Parts,
                       std::vector<IndexPart> &Ps);
  /// An integer or integer-array index part from its value.
  bool lowerIndexValue(TypedValue V, const ast::Expr *P, IndexPart &Q);
  /// The view of \p Ps's basic parts (or the element, for integers on every
  /// axis); fills \p Adv when there are index arrays.
  TypedValue indexView(TypedValue A, std::vector<IndexPart> &Ps, AdvancedIndex &Adv);
  void bindAdvanced(AdvancedIndex &Adv);
  /// Loops over every index J of the indexing result (Adv.OutShape) and
  /// calls \p Body with J and the element Src of Adv.View it stands for.
  using AdvancedBody = std::function<void(const std::vector<ir::ValueId> &J,
                                          const std::vector<ir::ValueId> &Src)>;
  void forEachAdvanced(AdvancedIndex &Adv, const AdvancedBody &Body);
  /// Index array \p A's element at broadcast position \p Bi, wrapped and
  /// checked against the base array's axis.
  ir::ValueId advancedIndex(AdvancedIndex &Adv, size_t A, const std::vector<ir::ValueId> &Bi);
  /// `a[idx, :, jdx]`: a new array.
  TypedValue gatherAdvanced(AdvancedIndex &Adv);
  /// `a[idx, :, jdx] = x`: every index is checked first; x broadcasts to the
  /// indexing result's shape; a repeated index takes the last value.
  void scatterAdvanced(AdvancedIndex &Adv, ArrayExpr &X, SourceRange Site);
  /// `a[idx, jdx] = x`, x computed whole first (scatterAdvanced reads it as
  /// it writes).
  void assignAdvanced(AdvancedIndex &Adv, ArrayExpr &X, SourceRange Site);
  /// `a[m] = v` with a mask of a's leading axes: v broadcast to the
  /// selected sub-arrays.
  void maskAssignRows(TypedValue A, ArrayExpr &Mask, TypedValue V, SourceRange Site);
  /// Where a mask of the leading axes selects: the mask's index, the count
  /// of selections before it, and an index of the remaining axes.
  struct SelectedAt {
    const std::vector<ir::ValueId> &Lead;
    ir::ValueId K;
    const std::vector<ir::ValueId> &Rest;
  };
  /// Calls \p Body for every element of every sub-array \p Mask (bound to
  /// \p Lead) selects, in C order.
  void forEachSelected(ArrayExpr &Mask, const std::vector<ir::ValueId> &Lead,
                       const std::vector<ir::ValueId> &Rest,
                       const std::function<void(const SelectedAt &)> &Body);
  /// `a[idx, jdx] op= v`.
  void augAssignAdvanced(AdvancedIndex &Adv, ast::BinOpKind Op, const ast::Expr &Value,
                         SourceRange Site);
  /// Binds value \p X of `a[...] = x` to the indexing result's shape
  /// \p Target, with NumPy's "shape mismatch: value array of shape ...
  /// could not be broadcast to indexing result of shape ..." unless it
  /// broadcasts; false after a diagnostic.
  bool bindSetitemValue(ArrayExpr &X, const std::vector<ir::ValueId> &Target, SourceRange Site);
  TypedValue transposeView(TypedValue A);
  /// A reduction of \p X: a scalar leaf for axis=None (computed at once),
  /// else a Reduce node over one axis; null after an error.
  /// \p EmptyName: the operation an empty min/max reports (NumPy's nanmin
  /// says `fmin`).
  ArrayExprPtr reduceNode(llvm::StringRef Fn, ArrayExprPtr X, const ast::Expr *AxisE,
                          bool KeepDims, SourceRange Site, ir::ValueId Ddof = ir::ValueId(),
                          llvm::StringRef EmptyName = "");
  /// The reductions NumPy builds from others (nansum ... nanargmax, ptp,
  /// count_nonzero), composed of element-wise nodes and reduceNode; any
  /// other is reduceNode itself.
  ArrayExprPtr composedReduction(llvm::StringRef Fn, ArrayExprPtr X, const ast::Expr *AxisE,
                                 bool KeepDims, SourceRange Site, ir::ValueId Ddof);
  ArrayExprPtr buildReduction(llvm::StringRef Fn, const ast::CallExpr &E, const ast::Expr *Obj);
  ArrayExprPtr buildNormOrAverage(llvm::StringRef Fn, const ast::CallExpr &E);
  ArrayExprPtr buildUfuncCall(const ast::CallExpr &Call, llvm::StringRef Fn);
  ArrayExprPtr buildComposite(llvm::StringRef Fn, const ast::CallExpr &Call);
  /// A call's arguments by parameter name: positional ones bound in order,
  /// then keywords (Params or KeywordOnly); null after a diagnostic (too
  /// many or too few, an unknown keyword, one given twice).
  using BoundArgs = std::map<std::string, const ast::Expr *>;
  std::optional<BoundArgs> bindNumpyArgs(const ast::CallExpr &E, llvm::StringRef Name,
                                    llvm::ArrayRef<llvm::StringRef> Params, size_t Required,
                                    llvm::ArrayRef<llvm::StringRef> KeywordOnly = {});
  /// np.interp, np.trapz, np.cross, np.convolve, np.correlate, np.logspace
  /// (LowerSignal.cpp).
  static bool isSignalFunction(llvm::StringRef Fn);
  TypedValue lowerSignalFunction(llvm::StringRef Fn, const ast::CallExpr &E);
  /// np.linspace of these arguments (null: NumPy's default).
  TypedValue linspaceOf(const ast::Expr &StartE, const ast::Expr &StopE, const ast::Expr *NumE,
                        const ast::Expr *EndpointE, const ast::Expr *DtypeE, SourceRange Site);
  /// NumPy's sorting and searching functions (LowerSearch.cpp): np.f(a, ...)
  /// or a.f(...) with \p Obj the array.
  static bool isSearchFunction(llvm::StringRef Fn);
  TypedValue lowerSearchFunction(llvm::StringRef Fn, const ast::CallExpr &E, TypedValue Obj);
  /// The stable argsort of 1-D \p A (NaN last).
  TypedValue argsortRow(TypedValue A);
  /// NumPy's searchsorted of \p V in sorted 1-D \p A (of V's type).
  ir::ValueId searchSorted(TypedValue A, ir::ValueId V, bool Right);
  /// The sorted unique values of 1-D \p A (NaNs as one), a new array.
  TypedValue uniqueSorted(TypedValue A);
  /// Whether \p V is among the elements of sorted 1-D \p S.
  ir::ValueId inSorted(TypedValue S, ir::ValueId V);
  /// Whether S[K] of sorted \p S differs from the element before it
  /// (\p EqualNan: a NaN after a NaN does not).
  ir::ValueId startsRun(TypedValue S, ir::ValueId K, bool EqualNan);
  /// The elements of 1-D \p Src for which \p Keep(index) holds, in order.
  TypedValue compress(TypedValue Src, const std::function<ir::ValueId(ir::ValueId)> &Keep);
  /// np.nonzero (a tuple), np.flatnonzero or np.argwhere of \p A.
  TypedValue nonzeroOf(TypedValue A, llvm::StringRef Fn, SourceRange Site);
  struct LoopKit;
  /// Binds np.f(a, Rest...) or the method a.f(Rest...) (\p Obj: a) and
  /// lowers the array into \p Array; null after a diagnostic.
  std::optional<BoundArgs> bindArrayCall(const ast::CallExpr &E, llvm::StringRef Name,
                                         TypedValue Obj, llvm::ArrayRef<llvm::StringRef> Rest,
                                         size_t Required,
                                         llvm::ArrayRef<llvm::StringRef> KeywordOnly,
                                         TypedValue &Array);
  /// An int (or bool) argument as int64; invalid after a diagnostic.
  ir::ValueId intArg(const ast::Expr &E, llvm::StringRef What);
  /// \p A as a 1-D C-order array: a view, or a copy when it must be.
  TypedValue flatView(TypedValue A, SourceRange Site);
  /// NumPy's shape functions (LowerShapes.cpp): np.f(a, ...), or the method
  /// a.f(...) with \p Obj the array (not ok() for np.f).
  static bool isShapeFunction(llvm::StringRef Fn);
  TypedValue lowerShapeFunction(llvm::StringRef Fn, const ast::CallExpr &E, TypedValue Obj);
  ir::ValueId arrayStride(ir::ValueId A, unsigned Axis);
  /// A view of \p A's memory (offset in elements, extents, strides).
  TypedValue viewOf(TypedValue A, ir::ValueId Offset, const std::vector<ir::ValueId> &Ext,
                    const std::vector<ir::ValueId> &Str);
  /// Fn of each element of \p X (converted to \p InT) into a new array of
  /// \p OutT with X's shape; of a number, Fn of it.
  TypedValue mapElements(TypedValue X, Type InT, Type OutT,
                         const std::function<ir::ValueId(ir::ValueId)> &Fn, SourceRange Site);
  /// \p A with the axes marked in \p Rev reversed (a view).
  TypedValue flippedView(TypedValue A, const std::vector<bool> &Rev);
  /// \p A itself when it is C-contiguous, else a C-order copy.
  TypedValue contiguousOrCopy(TypedValue A, SourceRange Site);
  /// \p A with its axes in \p Order (a transpose).
  TypedValue permutedView(TypedValue A, const std::vector<unsigned> &Order);
  TypedValue diagonalView(TypedValue A, ir::ValueId K);
  /// The running \p Op ("add", "multiply", "maximum", "minimum") of \p X
  /// along \p AxisE (flattened for null or None).
  TypedValue cumulative(llvm::StringRef Op, ArrayExprPtr X, const ast::Expr *AxisE,
                        SourceRange Site);
  /// np.<ufunc>.reduce / .accumulate / .outer: the ufunc and the method,
  /// or empty strings.
  std::pair<std::string, std::string> ufuncMethod(const ast::CallExpr &E);
  ArrayExprPtr buildUfuncMethod(const ast::CallExpr &E);
  /// np.median, np.percentile, np.quantile (LowerOrderStats.cpp).
  static bool isOrderStatistic(llvm::StringRef Fn);
  ArrayExprPtr buildOrderStatistic(llvm::StringRef Fn, const ast::CallExpr &E);
  /// The view of \p A at position \p Index along \p Axis: without that axis,
  /// or with it as a unit axis (\p Keep).
  TypedValue axisSlice(TypedValue A, unsigned Axis, ir::ValueId Index, bool Keep);
  /// `np.round(x, decimals)` with a constant number of decimals, as NumPy
  /// computes it (scaled by a power of ten, rounded, scaled back).
  ArrayExprPtr buildRoundDecimals(const ast::CallExpr &E);
  /// cumsum, cumprod, diff, concatenate, stack, hstack, vstack, roll, tile,
  /// repeat: new arrays filled through views.
  TypedValue lowerArrayFunction(llvm::StringRef Fn, const ast::CallExpr &E);
  static bool isArrayFunction(llvm::StringRef Fn);
  /// Sorts \p A in place along \p AxisE (the last axis when null).
  void sortInPlace(TypedValue A, const ast::Expr *AxisE, SourceRange Site);
  /// A constant axis of an array of rank \p N, made non-negative.
  std::optional<unsigned> axisArg(const ast::Expr *AxisE, unsigned N);
  /// The reduction a call is (`np.sum(x)`, `x.max(1)`) and its object, if any.
  std::optional<std::pair<std::string, const ast::Expr *>> reductionCallee(const ast::CallExpr &E);
  void checkReductionNotEmpty(llvm::StringRef Fn, ir::ValueId Count,
                              llvm::StringRef EmptyName = "");
  using ReduceBody = std::function<void(const std::vector<ir::ValueId> &, ir::ValueId)>;
  using ReduceLoops = std::function<void(const ReduceBody &)>;
  /// Accumulates reduction \p Fn over the elements of \p X that \p Loops
  /// visits (calling its body with each index and the position along the
  /// reduction, for argmin/argmax); returns the result.
  ir::ValueId emitReduce(llvm::StringRef Fn, ArrayExpr &X, ir::ValueId Count,
                         const ReduceLoops &Loops, SourceRange Site,
                         ir::ValueId Ddof = ir::ValueId());
  ir::ValueId floatMinMax(bool IsMin, ArrayExpr &X, const ReduceLoops &Loops);
  /// Op \p K of \p Ops, of type \p T, with NumPy's element semantics
  /// (the `numpy` attribute).
  ir::ValueId numpyOp(ir::OpKind K, llvm::ArrayRef<ir::ValueId> Ops, Type T);
  /// var/std's step: \p Acc + (\p V - \p Mean) ** 2, in float type \p T.
  ir::ValueId squaredDeviationStep(ir::ValueId Acc, TypedValue V, ir::ValueId Mean, Type T);
  /// var (or std, its square root) of \p Count elements whose squared
  /// deviations sum to \p SumSq: over max(Count - ddof, 0), as NumPy.
  ir::ValueId varianceOf(llvm::StringRef Fn, ir::ValueId SumSq, ir::ValueId Count,
                         ir::ValueId Ddof, Type T);
  /// The value reduction \p Fn (not var/std) starts from, of type \p AccT.
  ir::ValueId reduceInit(llvm::StringRef Fn, Type AccT);
  /// One step of reduction \p Fn (not var/std): accumulator \p Cur with
  /// element \p V. For min/max and argmin/argmax, \p First (if valid) forces
  /// the element to be taken, and \p Took (if given) receives whether it was.
  ir::ValueId reduceStep(llvm::StringRef Fn, Type AccT, ir::ValueId Cur, TypedValue V,
                         SourceRange Site, ir::ValueId First = ir::ValueId(),
                         ir::ValueId *Took = nullptr);
  /// For a reduction along an axis that is not the last that
  /// accumulateRows can compute (see the definition), the condition, on the
  /// operand's strides, under which its order reads memory in order; else
  /// null.
  ir::ValueId rowOrderCondition(ArrayExpr &X);
  /// Reduction \p X computed into \p Out the way NumPy does for C-order
  /// arrays: \p Out starts at the identity and every element of the
  /// operand, in memory order, is combined into its slot (`out += x[i]` for
  /// axis 0); then the mean is divided out, and for var/std a second such
  /// pass sums the squared deviations.
  void accumulateRows(ArrayExpr &X, TypedValue Out);
  /// Element \p Idx of Reduce node \p X, computed by an inner loop.
  TypedValue inlineReduce(ArrayExpr &X, const std::vector<ir::ValueId> &Idx);
  TypedValue lowerMatMul(TypedValue A, TypedValue C, SourceRange Site, bool IsDot);
  TypedValue transposedCView(TypedValue A);
  /// `np.sum(x, axis, keepdims=...)` (\p Obj null) or `x.sum(axis, ...)`.
  TypedValue lowerReductionCall(llvm::StringRef Fn, const ast::CallExpr &E, const ast::Expr *Obj);
  /// `np.<Fn>(...)` that computes element by element (np.sqrt, np.where, ...).
  static bool isElementwiseFn(llvm::StringRef Fn);
  static bool isReductionFn(llvm::StringRef Fn);
  /// A reduction that is also an ndarray method (`x.sum()`, not `x.nansum()`).
  static bool isReductionMethod(llvm::StringRef Fn);
  /// The NumPy function a call names (`np.sqrt`, or `sqrt` imported from
  /// numpy), or "".
  std::string numpyCallee(const ast::CallExpr &E);
  TypedValue unaryOp(ast::UnaryOpKind Op, TypedValue V, SourceRange Site);
  bool isArrayTarget(const ast::SubscriptExpr &T);
  /// The view `a[1:, j]` names as an assignment target, or with index
  /// arrays among the parts, \p Adv for them; bad after an error.
  TypedValue lowerSliceTarget(const ast::SubscriptExpr &T, AdvancedIndex &Adv);
  /// `a[m]` (a bool mask of a's shape: a new 1-D array of the selected
  /// elements) or `a[idx]` (int64 indices into axis 0: a new array).
  TypedValue indexWithArray(TypedValue A, ArrayExpr &Index, SourceRange Site);
  /// `a[m] = v`: v a number, or a 1-D array with one value per selected
  /// element; `a[idx] = v` (integer indices: scatterAssign).
  void maskAssign(TypedValue A, ArrayExpr &Mask, TypedValue V, SourceRange Site);
  /// `a[idx] = v`: integer indices into axis 0; every index is checked before
  /// anything is written; v broadcasts to the shape of `a[idx]`; a repeated
  /// index takes the last value, as in NumPy.
  void scatterAssign(TypedValue A, ArrayExpr &Index, TypedValue V, SourceRange Site);
  /// `a[idx]` as an advanced index: integer indices into axis 0.
  AdvancedIndex axisZeroIndex(TypedValue A, ArrayExpr &Index);
  /// IndexError unless mask \p M has \p A's shape; returns the count of
  /// selected elements (\p M's leaves are bound).
  ir::ValueId checkMaskAndCount(TypedValue A, ArrayExpr &M, SourceRange Site);
  /// `None` or `np.newaxis` in an index.
  bool isNewAxis(const ast::Expr &E);
  /// `a.reshape(shape)` / `np.reshape(a, shape)`: a view of a C-contiguous
  /// array, else of a C-order copy; -1 infers one extent.
  TypedValue reshapeView(TypedValue A, const std::vector<const ast::Expr *> &ShapeArgs,
                         SourceRange Site);
  void assignArraySubscript(const ast::SubscriptExpr &T, const ast::Expr &Value,
                            const ast::BinOpKind *AugOp, SourceRange Site);
  /// A `for` op from Lo to Hi by Step over the body of \p St (with its
  /// `else`); \p Prologue assigns the loop targets from the induction value.
  void emitForLoop(const ast::ForStmt &St, ir::ValueId Lo, ir::ValueId Hi, ir::ValueId Step,
                   llvm::StringRef IVName, const std::function<void(ir::ValueId)> &Prologue);
  void lowerForArray(const ast::ForStmt &St, TypedValue A, const ast::Expr *IndexTarget,
                     const ast::Expr &ElemTarget);

  // NumPy's sized types (Promotion.cpp).
  /// \p V converted to scalar type \p To as NumPy converts an operand; a
  /// Python int (int64) going to a sized integer type must fit it
  /// (NumPy's OverflowError otherwise).
  TypedValue castScalar(TypedValue V, Type To, SourceRange Site);
  /// A constant of scalar type \p T.
  ir::ValueId typedConst(Type T, double V);
  /// An integer of a sized type as Kiln's int (int64); a uint64 that does
  /// not fit raises OverflowError.
  TypedValue toPythonInt(TypedValue V);
  /// An integer of any type as an int64 index (others unchanged).
  TypedValue asIndex(TypedValue V);
  /// A binary operator on scalars of which one is of a sized type.
  TypedValue sizedBinaryOp(ast::BinOpKind Op, TypedValue L, TypedValue R, SourceRange Site);
  /// A comparison of scalars of which one is of a sized type.
  TypedValue sizedCompare(llvm::StringRef Pred, TypedValue L, TypedValue R, SourceRange Site);

  // Complex numbers (LowerComplex.cpp).
  /// A binary operator on Python complex numbers (one operand complex128).
  TypedValue complexBinaryOp(ast::BinOpKind Op, TypedValue L, TypedValue R, SourceRange Site);
  /// `z.real` / `z.imag` of a complex scalar.
  TypedValue complexAttr(TypedValue Z, llvm::StringRef Attr);
  TypedValue partOf(TypedValue V, bool Imag, SourceRange Site);
  bool isPartCall(const ast::CallExpr &C);
  /// `complex(re, im)` of two real numbers.
  TypedValue makeComplex(TypedValue Re, TypedValue Im, SourceRange Site);
  TypedValue lowerCMathCall(llvm::StringRef Name, const ast::CallExpr &E);
  /// Lowers a call's positional arguments, which must be numbers (a
  /// TypeMismatch naming \p Callee otherwise).
  std::optional<std::vector<TypedValue>> lowerNumberArgs(const ast::CallExpr &E,
                                                         const std::string &Callee);

  // Conversions.
  /// Python truthiness of \p V as a bool.
  TypedValue truthy(TypedValue V, SourceRange Site);
  /// Converts \p V to \p To where Python would (bool -> int -> float);
  /// reports TypeMismatch otherwise.
  TypedValue convert(TypedValue V, Type To, SourceRange Site, llvm::StringRef What);
  TypedValue constInt(int64_t V) { return {B.constInt(V), Type::int64()}; }
  TypedValue constFloat(double V) { return {B.constFloat(V), Type::float64()}; }
  TypedValue constBool(bool V) { return {B.constBool(V), Type::boolean()}; }
  /// Evaluates \p E as a compile-time int constant, if it is one.
  std::optional<int64_t> constIntValue(const ast::Expr &E);
  /// Lazily evaluates one of two values, as `Then if Cond else Else` does:
  /// each thunk runs in its own region of an `if`; the result is the join of
  /// both types, carried through a temporary slot.
  TypedValue branchValue(ir::ValueId Cond, const std::function<TypedValue()> &Then,
                         const std::function<TypedValue()> &Else, SourceRange Site);
  /// A slot at the function's entry that is not a Python variable.
  ir::ValueId entrySlot(Type T, llvm::StringRef Name);
  TypedValue lowerAndOr(const ast::BoolOpExpr &E, size_t I);
  TypedValue lowerChain(const ast::CompareExpr &E, size_t I, TypedValue Left);
  std::vector<TypedValue> bindCallArgs(const ast::FunctionDefStmt &Def,
                                       const ast::CallExpr &E, bool &Ok);
};

/// Emits into region \p R, then returns to the current insertion point.
/// Whether R ended in a terminator does not leak out.
template <typename Fn> void FunctionLowerer::inRegion(ir::RegionId R, Fn &&Emit) {
  ir::RegionId Saved = B.insertionRegion();
  bool SavedTerm = Terminated;
  B.setInsertionPointToEnd(R);
  Terminated = false;
  Emit();
  Terminated = SavedTerm;
  B.setInsertionPointToEnd(Saved);
}

/// Whether \p N is one of Python's builtin exceptions (kiln/exceptions.def).
bool isBuiltinException(llvm::StringRef N);

/// The parts of a subscript's index: `a[i, 1:]` has two, `a[i]` one.
std::vector<const ast::Expr *> indexParts(const ast::Expr &Index);

/// True if \p Body (a loop body) contains a `break` of that loop (not of a
/// nested one).
bool hasOwnBreak(const ast::Body &Body);

/// The IR op of a binary operator (`add` for `+`, ...; `@` has none).
ir::OpKind arithKind(ast::BinOpKind Op);

/// Joins two types the way a variable widens: bool < int64 < float64,
/// tuples element-wise. Returns an invalid type when they do not join.
Type joinTypes(Type A, Type B);

/// Whether values of scalar type \p T are Python's int or float, which are
/// "weak" in NumPy's promotion (NEP 50).
bool isWeak(Type T);

/// NumPy's type promotion of two scalar or element types (NEP 50 for weak
/// ones); invalid for non-scalars.
Type promoteTypes(Type A, bool WeakA, Type B, bool WeakB);

/// The int64 values an integer type holds (uint64: those up to INT64_MAX).
std::pair<int64_t, int64_t> int64RangeOf(Type T);

/// Python's name for a Kiln type in messages: int, float, bool, None, tuple[...]
std::string pyTypeName(Type T);

class ModuleLowerer {
public:
  ModuleLowerer(const ast::Module &M, const SourceFile &File,
                llvm::StringRef Name, DiagnosticEngine &Diags);
  std::unique_ptr<ir::Module> run();

  // Used by FunctionLowerer.
  DiagnosticEngine &Diags;
  const SourceFile &File;
  const ast::FunctionDefStmt *lookupFunction(const std::string &Name) const;
  /// The module an alias names ("math", "numpy", "kiln.types"), or "".
  std::string moduleAlias(const std::string &Name) const;
  /// For `from math import sqrt as s`: "s" -> {"math", "sqrt"}.
  const std::pair<std::string, std::string> *fromImport(const std::string &Name) const;
  const ast::Expr *globalConstant(const std::string &Name) const;
  /// The exact value of module constant \p Name (its last binding), or null.
  const ir::AttrValue *constValue(const std::string &Name) const {
    auto It = ConstValues.find(Name);
    return It == ConstValues.end() ? nullptr : &It->second;
  }
  /// The value of a module constant's expression when it is known exactly,
  /// with the constants bound so far (collectTopLevel runs in file order).
  std::optional<ir::AttrValue> constantValue(const ast::Expr &E) const;
  /// Whether the module binds \p Name more than once.
  bool isRebound(const std::string &Name) const { return Rebound.count(Name) != 0; }
  /// Finds or creates the spec of \p Def for \p ArgTypes; null when there
  /// are too many. In Emit mode, queues it for emission.
  Spec *getSpec(const ast::FunctionDefStmt &Def, const std::vector<Type> &ArgTypes,
                Mode M, bool &Created);
  /// The exported specs of \p Def (for calls to exported functions).
  std::vector<Spec *> exportedSpecs(const ast::FunctionDefStmt &Def);
  /// The module a name was imported from when Kiln does not know that
  /// module, or null.
  const std::string *unknownImport(const std::string &N) const {
    auto It = UnknownImports.find(N);
    return It == UnknownImports.end() ? nullptr : &It->second;
  }
  unsigned GlobalDepth = 0; ///< recursion guard for global constants

private:
  const ast::Module &AST;
  std::string ModName;
  std::map<std::string, const ast::FunctionDefStmt *> Functions;
  std::map<std::string, std::string> ModuleAliases;
  std::map<std::string, std::pair<std::string, std::string>> FromImports;
  /// Names bound by imports of modules Kiln does not know (`import os`,
  /// `from scipy import special`): an error only where compiled code uses
  /// one. The module's name, by bound name.
  std::map<std::string, std::string> UnknownImports;
  std::map<std::string, const ast::Expr *> Globals;
  std::vector<std::unique_ptr<Spec>> Specs;
  std::vector<Spec *> EmitQueue;

  void collectTopLevel();
  std::unique_ptr<ir::Function> emitSpec(Spec &S);
  void dropCallsToFailedGuesses(ir::Module &Out);
  void bindConstant(const std::string &N, const ast::Expr &Value,
                    const std::function<void(const std::string &)> &Rebind);
  void collectExports();
  /// Adds the signatures of one item of an export comment; returns the
  /// function, or null (after a report, or for a global).
  const ast::FunctionDefStmt *exportFromComment(const ExportItem &It,
                                                const ast::ExportComment &C);
  bool addExport(const ast::FunctionDefStmt &Def, std::vector<Type> Params,
                 Type Ret, bool RetFixed, SourceRange Site,
                 std::vector<std::vector<int64_t>> Extents = {}, bool Speculative = false);
  void addModuleConstants(ir::Module &Out);
  std::map<std::string, ir::AttrValue> ConstValues;
  std::vector<std::string> ConstOrder; ///< by last binding
  std::set<std::string> Rebound;
  /// Globals named in export comments (`#pythran export N`).
  std::vector<std::pair<std::string, SourceRange>> ExportedGlobals;
};

/// Parses a type written in an annotation, a string annotation or an export
/// comment into a Kiln type; reports and returns invalid on error.
Type resolveTypeExpr(const ast::Expr &E, DiagnosticEngine &Diags);
Type resolveTypeText(llvm::StringRef Text, SourceLoc At, DiagnosticEngine &Diags);

/// The types an annotation allows: one, or several for `int | float`,
/// `Union[...]`, and the arrays an annotation without a rank stands for
/// (`np.ndarray`, `npt.NDArray[np.float64]`: ranks 1 to 3, float64 and
/// int64 elements when none is given), which sets \p Guessed. Empty after
/// a report.
std::vector<Type> resolveTypeAlternatives(const ast::Expr &E, DiagnosticEngine &Diags,
                                          bool &Guessed);

/// Calls \p Fn on every expression of \p E, \p E included.
void walkExpr(const ast::Expr *E, const std::function<void(const ast::Expr &)> &Fn);

/// Parses an export comment's text (TypeSpec.cpp); reports and returns
/// false on a malformed one.
bool parseExportComment(const ast::ExportComment &C, std::vector<ExportItem> &Items,
                        DiagnosticEngine &Diags);

} // namespace lower
} // namespace kiln

#endif

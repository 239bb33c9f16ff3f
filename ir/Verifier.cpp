//===- Verifier.cpp - Structural and type checks of Kiln IR ----------------===//

#include "ir/Verifier.h"
#include "ir/Printer.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/Support/raw_ostream.h"

using namespace kiln;
using namespace kiln::ir;

namespace {

class FunctionVerifier {
public:
  FunctionVerifier(const Module &M, const Function &F, std::vector<std::string> &Errs)
      : M(M), F(F), Errs(Errs) {}

  void run() {
    Visible.clear();
    for (ValueId P : F.params())
      Visible.insert(P.Index);
    verifyRegion(F.body(), /*LoopDepth=*/0, /*IsWhileCond=*/false);
  }

private:
  const Module &M;
  const Function &F;
  std::vector<std::string> &Errs;
  llvm::DenseSet<uint32_t> Visible;

  void fail(OpId O, const std::string &Msg) {
    std::string S = "in @" + F.name() + ": ";
    if (O.isValid()) {
      S += "`";
      S += opInfo(F.op(O).Kind).Name;
      S += "`";
      if (F.op(O).Loc.isValid())
        S += " at " + std::to_string(F.op(O).Loc.Line) + ":" +
             std::to_string(F.op(O).Loc.Col);
      S += ": ";
    }
    Errs.push_back(S + Msg);
  }

  void verifyRegion(RegionId R, unsigned LoopDepth, bool IsWhileCond) {
    const RegionData &RD = F.region(R);
    std::vector<uint32_t> Added;
    for (ValueId A : RD.Args) {
      Visible.insert(A.Index);
      Added.push_back(A.Index);
    }
    for (size_t I = 0; I < RD.Ops.size(); ++I) {
      OpId O = RD.Ops[I];
      const OpData &D = F.op(O);
      if (D.Erased) {
        fail(O, "erased op is still linked");
        continue;
      }
      if (D.Parent != R)
        fail(O, "op's parent link is wrong");
      bool IsTerm = opInfo(D.Kind).Flags & OPF_Terminator;
      if (IsTerm && I + 1 != RD.Ops.size())
        fail(O, "terminator is not the last op of its region");
      if (D.Kind == OpKind::Condition && !(IsWhileCond && I + 1 == RD.Ops.size()))
        fail(O, "`condition` may only end the condition region of a `while`");
      for (ValueId V : D.Operands)
        if (!V.isValid() || V.Index >= F.numValueSlots() || !Visible.count(V.Index))
          fail(O, "operand is not defined before this use");
      verifyOp(O, LoopDepth);
      for (size_t K = 0; K < D.Regions.size(); ++K) {
        bool Loop = D.Kind == OpKind::For || (D.Kind == OpKind::While && K == 1);
        verifyRegion(D.Regions[K], LoopDepth + (Loop ? 1 : 0),
                     D.Kind == OpKind::While && K == 0);
      }
      for (ValueId V : D.Results) {
        Visible.insert(V.Index);
        Added.push_back(V.Index);
      }
    }
    if (IsWhileCond &&
        (RD.Ops.empty() || F.op(RD.Ops.back()).Kind != OpKind::Condition))
      fail(F.parentOp(R), "condition region must end with `condition`");
    // Values defined inside a region are not visible after it.
    if (R != F.body())
      for (uint32_t V : Added)
        Visible.erase(V);
  }

  Type operandType(OpId O, unsigned I) { return F.typeOf(F.op(O).Operands[I]); }

  void verifyOp(OpId O, unsigned LoopDepth) {
    const OpData &D = F.op(O);
    const OpInfo &Info = opInfo(D.Kind);
    if (Info.NumOperands >= 0 && D.Operands.size() != (size_t)Info.NumOperands)
      return fail(O, "expects " + std::to_string(Info.NumOperands) + " operand(s), has " +
                         std::to_string(D.Operands.size()));
    if (Info.NumResults >= 0 && D.Results.size() != (size_t)Info.NumResults)
      return fail(O, "expects " + std::to_string(Info.NumResults) + " result(s), has " +
                         std::to_string(D.Results.size()));
    if (D.Regions.size() != (size_t)Info.NumRegions)
      return fail(O, "expects " + std::to_string(Info.NumRegions) + " region(s)");
    Type R = D.Results.empty() ? Type() : F.typeOf(D.Results[0]);
    auto sameNumeric = [&](bool AllowBool) {
      Type A = operandType(O, 0), B = operandType(O, 1);
      if (A != B || A != R || !(A.isNumeric() || (AllowBool && A.isBool())))
        fail(O, "operands and result must share one numeric type, found " + A.str() +
                    ", " + B.str() + " -> " + R.str());
    };
    switch (D.Kind) {
    case OpKind::Const: {
      const AttrValue *V = D.Attrs.get("value");
      if (!V)
        return fail(O, "needs a `value` attribute");
      bool Ok = (std::holds_alternative<int64_t>(*V) && R.isInteger()) ||
                (std::holds_alternative<double>(*V) && R.isFloating()) ||
                (std::holds_alternative<bool>(*V) && R.isBool());
      if (!Ok)
        fail(O, "value attribute does not match result type " + R.str());
      return;
    }
    case OpKind::StrConst:
      if (!D.Attrs.get("value") || !std::holds_alternative<std::string>(*D.Attrs.get("value")) || !R.isStr())
        fail(O, "needs a string `value` and a `str` result");
      return;
    case OpKind::Add:
    case OpKind::Sub:
    case OpKind::Mul:
    case OpKind::FloorDiv:
    case OpKind::Mod:
    case OpKind::Pow:
      return sameNumeric(false);
    case OpKind::Div:
      sameNumeric(false);
      if (!R.isFloating() && !R.isComplex())
        fail(O, "true division works on floats and complex numbers");
      return;
    case OpKind::Neg:
      if (operandType(O, 0) != R || !R.isNumeric())
        fail(O, "operand and result must share one numeric type");
      return;
    case OpKind::BitAnd:
    case OpKind::BitOr:
    case OpKind::BitXor:
      sameNumeric(true);
      if (R.isFloating())
        fail(O, "bitwise ops work on integers or bool");
      return;
    case OpKind::Shl:
    case OpKind::Shr:
      sameNumeric(false);
      if (!R.isInteger())
        fail(O, "shifts work on integers");
      return;
    case OpKind::Invert:
      if (!R.isInteger() || operandType(O, 0) != R)
        fail(O, "invert works on integers");
      return;
    case OpKind::Not:
      if (!R.isBool() || !operandType(O, 0).isBool())
        fail(O, "not works on bool");
      return;
    case OpKind::Cmp: {
      const AttrValue *P = D.Attrs.get("pred");
      static const char *Preds[] = {"lt", "le", "gt", "ge", "eq", "ne"};
      bool Ok = P && std::holds_alternative<std::string>(*P) &&
                std::any_of(std::begin(Preds), std::end(Preds),
                            [&](const char *S) { return std::get<std::string>(*P) == S; });
      if (!Ok)
        fail(O, "needs a `pred` attribute: lt, le, gt, ge, eq or ne");
      if (operandType(O, 0) != operandType(O, 1) || !operandType(O, 0).isScalar() || !R.isBool())
        fail(O, "compares two scalars of one type into a bool");
      return;
    }
    case OpKind::Select:
      if (!operandType(O, 0).isBool() || operandType(O, 1) != R || operandType(O, 2) != R)
        fail(O, "select takes a bool and two values of the result type");
      return;
    case OpKind::Cast: {
      Type In = operandType(O, 0);
      bool ArrayView = In.isArray() && R.isArray() && In.elementType() == R.elementType() &&
                       In.ndim() == R.ndim() && !R.isCOrder();
      // An empty literal's list<none> as a list of any type.
      bool EmptyList = (In.isList() && R.isList() && In.elementType().isNone()) ||
                       (((In.isDict() && R.isDict()) || (In.isSet() && R.isSet())) &&
                        In.keyType().isNone());
      if (!(In.isScalar() && R.isScalar()) && !ArrayView && !EmptyList)
        fail(O, "casts between scalars, from a C-order array to any strides, or from "
                "list<none> to a list");
      return;
    }
    case OpKind::Math:
      if (!D.Attrs.get("fn") || !std::holds_alternative<std::string>(*D.Attrs.get("fn")))
        fail(O, "needs a string `fn` attribute");
      if (D.Operands.empty())
        fail(O, "needs at least one operand");
      return;
    case OpKind::TupleMake: {
      if (!R.isTuple() || R.elements().size() != D.Operands.size())
        return fail(O, "result must be a tuple of the operand types");
      for (size_t I = 0; I < D.Operands.size(); ++I)
        if (operandType(O, I) != R.elements()[I])
          fail(O, "element " + std::to_string(I) + " has the wrong type");
      return;
    }
    case OpKind::TupleGet: {
      Type T = operandType(O, 0);
      const AttrValue *Idx = D.Attrs.get("index");
      if (!T.isTuple() || !Idx || !std::holds_alternative<int64_t>(*Idx))
        return fail(O, "takes a tuple and an `index` attribute");
      int64_t I = std::get<int64_t>(*Idx);
      if (I < 0 || (size_t)I >= T.elements().size() || T.elements()[I] != R)
        fail(O, "index out of range or wrong result type");
      return;
    }
    case OpKind::ArrayDim:
    case OpKind::ArrayStride: {
      Type A = operandType(O, 0);
      const AttrValue *Ax = D.Attrs.get("axis");
      if (!A.isArray() || !R.isInt() || !Ax || !std::holds_alternative<int64_t>(*Ax) ||
          std::get<int64_t>(*Ax) < 0 || std::get<int64_t>(*Ax) >= (int64_t)A.ndim())
        fail(O, "takes an array and an `axis` below its rank, gives int64");
      return;
    }
    case OpKind::ArrayIndex: {
      Type A = operandType(O, 0);
      const AttrValue *Ax = D.Attrs.get("axis");
      if (!A.isArray() || !operandType(O, 1).isInt() || !R.isInt() || !Ax ||
          !std::holds_alternative<int64_t>(*Ax) || std::get<int64_t>(*Ax) < 0 ||
          std::get<int64_t>(*Ax) >= (int64_t)A.ndim())
        fail(O, "takes an array, an int64 index and an `axis` below its rank");
      return;
    }
    case OpKind::ArrayLoad:
    case OpKind::ArrayStore: {
      bool IsLoad = D.Kind == OpKind::ArrayLoad;
      size_t First = IsLoad ? 0 : 1;
      if (D.Operands.size() <= First || !operandType(O, First).isArray())
        return fail(O, "needs an array operand");
      Type A = operandType(O, First);
      if (D.Operands.size() - First - 1 != A.ndim())
        fail(O, "needs one index per axis (" + std::to_string(A.ndim()) + ")");
      for (size_t I = First + 1; I < D.Operands.size(); ++I)
        if (!operandType(O, I).isInt())
          fail(O, "indices must be int64");
      Type Elem = IsLoad ? R : operandType(O, 0);
      if (Elem != A.elementType())
        fail(O, "element type does not match the array's");
      return;
    }
    case OpKind::ArraySub: {
      if (D.Operands.empty() || !operandType(O, 0).isArray())
        return fail(O, "needs an array operand");
      Type A = operandType(O, 0);
      size_t K = D.Operands.size() - 1;
      for (size_t I = 1; I < D.Operands.size(); ++I)
        if (!operandType(O, I).isInt())
          fail(O, "indices must be int64");
      if (K == 0 || K >= A.ndim() || !R.isArray() || R.elementType() != A.elementType() ||
          R.ndim() != A.ndim() - K || (R.isCOrder() && !A.isCOrder()))
        fail(O, "fixes 1 to rank-1 leading axes and gives the view of the rest");
      return;
    }
    case OpKind::ArrayView: {
      Type In = D.Operands.empty() ? Type() : operandType(O, 0);
      bool PartsView = In.isArray() && R.isArray() && In.elementType().isComplex() &&
                       R.elementType() == In.elementType().complexPart();
      if (D.Operands.empty() || !In.isArray() || !R.isArray() ||
          (R.elementType() != In.elementType() && !PartsView))
        return fail(O, "takes an array and gives a view of its element type (or of the "
                       "parts of its complex elements)");
      if (D.Operands.size() != 2 + 2 * R.ndim())
        return fail(O, "needs an offset, then one extent and one stride per axis");
      for (size_t I = 1; I < D.Operands.size(); ++I)
        if (!operandType(O, I).isInt())
          fail(O, "offset, extents and strides must be int64");
      return;
    }
    case OpKind::ArrayFree:
      if (!operandType(O, 0).isArray())
        fail(O, "frees an array");
      return;
    case OpKind::ArraySort:
      if (!operandType(O, 0).isArray() || operandType(O, 0).ndim() != 1)
        fail(O, "sorts a 1-D array");
      return;
    case OpKind::ArrayOverlaps:
      if (!operandType(O, 0).isArray() || !operandType(O, 1).isArray() || !R.isBool())
        fail(O, "takes two arrays and gives bool");
      return;
    case OpKind::ArrayAlloc:
      if (!R.isArray() || !R.isCOrder() || D.Operands.size() != R.ndim())
        fail(O, "gives a C-order array with one extent per axis");
      for (size_t I = 0; I < D.Operands.size(); ++I)
        if (!operandType(O, I).isInt())
          fail(O, "extents must be int64");
      return;
    case OpKind::ListNew:
      if (!R.isList() || !operandType(O, 0).isInt())
        fail(O, "takes an int64 capacity and gives a list");
      return;
    case OpKind::ListLen:
    case OpKind::ListIndex:
    case OpKind::ListGet:
    case OpKind::ListRemove:
      if (!operandType(O, 0).isList() || (D.Operands.size() > 1 && !operandType(O, 1).isInt()))
        return fail(O, "takes a list and an int64 index");
      if (D.Kind == OpKind::ListGet || D.Kind == OpKind::ListRemove
              ? R != operandType(O, 0).elementType()
              : !R.isInt())
        fail(O, "result type does not match the list's");
      return;
    case OpKind::ListSet:
    case OpKind::ListInsert: {
      bool Set = D.Kind == OpKind::ListSet;
      Type L = operandType(O, Set ? 1 : 0), V = operandType(O, Set ? 0 : 2);
      if (!L.isList() || !operandType(O, Set ? 2 : 1).isInt() || V != L.elementType())
        fail(O, "takes a list, an int64 index and a value of its element type");
      return;
    }
    case OpKind::ListAppend:
      if (!operandType(O, 0).isList() || operandType(O, 1) != operandType(O, 0).elementType())
        fail(O, "appends a value of the list's element type");
      return;
    case OpKind::ListResize:
      if (!operandType(O, 0).isList() || !operandType(O, 1).isInt())
        fail(O, "takes a list and an int64 length");
      return;
    case OpKind::ListArgsort: {
      Type L = operandType(O, 0);
      if (!L.isList() || !(L.elementType().isReal() || L.elementType().isBool()) ||
          R != Type::list(Type::int64()))
        fail(O, "sorts the indices of a list of real numbers or bools");
      return;
    }
    case OpKind::ListSort: {
      Type L = operandType(O, 0);
      if (!L.isList() || !(L.elementType().isReal() || L.elementType().isBool()))
        fail(O, "sorts a list of real numbers or bools");
      return;
    }
    case OpKind::DictNew:
      if (!R.isDict() && !R.isSet())
        fail(O, "gives a dict or a set");
      return;
    case OpKind::DictLen:
    case OpKind::DictVersion:
    case OpKind::DictContains:
    case OpKind::DictGet:
    case OpKind::DictInsert:
    case OpKind::DictRemove:
    case OpKind::DictNext:
    case OpKind::DictKeyAt:
    case OpKind::DictValueAt: {
      Type Dt = D.Operands.empty() ? Type() : operandType(O, 0);
      if (!Dt.isDict() && !Dt.isSet())
        return fail(O, "takes a dict or a set first");
      bool ByPos = D.Kind == OpKind::DictNext || D.Kind == OpKind::DictKeyAt ||
                   D.Kind == OpKind::DictValueAt;
      if (D.Kind != OpKind::DictLen && D.Kind != OpKind::DictVersion &&
          (D.Operands.size() < 2 ||
           (ByPos ? !operandType(O, 1).isInt() : operandType(O, 1) != Dt.keyType())))
        return fail(O, ByPos ? "takes an int64 position" : "takes a key of the dict's key type");
      if (D.Kind == OpKind::DictInsert) {
        bool WithValue = D.Operands.size() == 3;
        if (WithValue != Dt.isDict() || D.Operands.size() > 3 ||
            (WithValue && operandType(O, 2) != Dt.valueType()))
          fail(O, "inserts a key and, into a dict, a value of its value type");
        return;
      }
      if ((D.Kind == OpKind::DictGet || D.Kind == OpKind::DictValueAt) &&
          (!Dt.isDict() || R != Dt.valueType()))
        return fail(O, "gives a value of the dict's value type");
      if (D.Kind == OpKind::DictGet &&
          (D.Operands.size() > 3 || (D.Operands.size() == 3 && operandType(O, 2) != R)))
        return fail(O, "takes a key and maybe a default of the value type");
      if (D.Kind != OpKind::DictGet && D.Kind != OpKind::DictInsert &&
          D.Operands.size() != (D.Kind == OpKind::DictLen || D.Kind == OpKind::DictVersion ? 1u : 2u))
        return fail(O, "has the wrong number of operands");
      if (D.Kind == OpKind::DictKeyAt && R != Dt.keyType())
        return fail(O, "gives a key of the dict's key type");
      if ((D.Kind == OpKind::DictLen || D.Kind == OpKind::DictVersion ||
           D.Kind == OpKind::DictNext) &&
          !R.isInt())
        return fail(O, "gives int64");
      if ((D.Kind == OpKind::DictContains || D.Kind == OpKind::DictRemove) && !R.isBool())
        return fail(O, "gives bool");
      return;
    }
    case OpKind::Slot:
      if (!R.isRef())
        fail(O, "result must be a ref");
      return;
    case OpKind::Load:
      if (!operandType(O, 0).isRef() || operandType(O, 0).pointee() != R)
        fail(O, "loads a ref<T> into a T");
      return;
    case OpKind::Store:
      if (!operandType(O, 1).isRef() || operandType(O, 1).pointee() != operandType(O, 0))
        fail(O, "stores a T into a ref<T>");
      return;
    case OpKind::Call: {
      const AttrValue *C = D.Attrs.get("callee");
      if (!C || !std::holds_alternative<SymbolRef>(*C))
        return fail(O, "needs a `callee` symbol");
      const Function *Callee = M.lookup(std::get<SymbolRef>(*C).Name);
      if (!Callee)
        return fail(O, "calls unknown function @" + std::get<SymbolRef>(*C).Name);
      if (Callee->params().size() != D.Operands.size())
        return fail(O, "wrong number of arguments for @" + Callee->name());
      for (size_t I = 0; I < D.Operands.size(); ++I)
        if (operandType(O, I) != Callee->typeOf(Callee->params()[I]))
          fail(O, "argument " + std::to_string(I) + " has the wrong type");
      size_t NRes = Callee->resultType().isNone() ? 0 : 1;
      if (D.Results.size() != NRes || (NRes && R != Callee->resultType()))
        fail(O, "result does not match @" + Callee->name() + "'s result type");
      return;
    }
    case OpKind::If:
      if (!operandType(O, 0).isBool())
        fail(O, "condition must be bool");
      if (!F.region(D.Regions[0]).Args.empty() || !F.region(D.Regions[1]).Args.empty())
        fail(O, "regions take no arguments");
      return;
    case OpKind::For: {
      for (unsigned I = 0; I < 3; ++I)
        if (!operandType(O, I).isInt())
          fail(O, "bounds and step must be int64");
      const auto &Args = F.region(D.Regions[0]).Args;
      if (Args.size() != 1 || !F.typeOf(Args[0]).isInt())
        fail(O, "body takes one int64 induction variable");
      return;
    }
    case OpKind::While:
      if (!F.region(D.Regions[0]).Args.empty() || !F.region(D.Regions[1]).Args.empty())
        fail(O, "regions take no arguments");
      return;
    case OpKind::Condition:
      if (!operandType(O, 0).isBool())
        fail(O, "condition must be bool");
      return;
    case OpKind::Try:
      for (RegionId R : D.Regions)
        if (!F.region(R).Args.empty())
          fail(O, "regions take no arguments");
      for (OpId C : F.region(D.Regions[1]).Ops)
        if (F.op(C).Kind != OpKind::Catch)
          fail(O, "the handlers region holds only `catch` ops");
      return;
    case OpKind::Catch: {
      OpId P = F.parentOp(D.Parent);
      if (!P.isValid() || F.op(P).Kind != OpKind::Try || F.op(P).Regions[1] != D.Parent)
        fail(O, "`catch` belongs directly in the handlers region of a `try`");
      const AttrValue *Exc = D.Attrs.get("exc");
      if (!Exc || !std::holds_alternative<std::string>(*Exc))
        fail(O, "needs a string `exc` attribute (\"\" catches everything)");
      return;
    }
    case OpKind::Reraise: {
      int64_t Catches = 0;
      for (OpId P = F.parentOp(D.Parent); P.isValid(); P = F.parentOp(F.op(P).Parent))
        Catches += F.op(P).Kind == OpKind::Catch;
      int64_t Depth = D.Attrs.has("depth") ? D.Attrs.getInt("depth") : 0;
      if (Catches == 0)
        fail(O, "outside a `catch`");
      else if (Depth < 0 || Depth >= Catches)
        fail(O, "`depth` must name an enclosing `catch`");
      return;
    }
    case OpKind::Break:
    case OpKind::Continue:
      if (LoopDepth == 0)
        fail(O, "outside a loop");
      return;
    case OpKind::Return: {
      Type RT = F.resultType();
      if (RT.isNone() ? !D.Operands.empty()
                      : (D.Operands.size() != 1 || operandType(O, 0) != RT))
        fail(O, "returned value does not match the function's result type " + RT.str());
      return;
    }
    case OpKind::Print:
      for (size_t I = 0; I < D.Operands.size(); ++I) {
        Type T = operandType(O, I);
        if (T.isNone() || T.isRef())
          fail(O, "prints values: str, numbers, tuples, arrays, lists, dicts and sets");
      }
      if (!D.Attrs.has("sep") || !D.Attrs.has("end"))
        fail(O, "needs string `sep` and `end` attributes");
      if (D.Attrs.has("layout")) {
        // "COUNT,LENGTH:TEMPLATE" per argument: the counts add up.
        llvm::StringRef L = D.Attrs.getStr("layout");
        size_t Total = 0;
        while (!L.empty()) {
          size_t N = 0, Len = 0;
          auto [Count, Rest] = L.split(',');
          auto [LenText, Tail] = Rest.split(':');
          if (Count.getAsInteger(10, N) || LenText.getAsInteger(10, Len) || Tail.size() < Len) {
            fail(O, "malformed `layout`");
            break;
          }
          Total += N;
          L = Tail.drop_front(Len);
        }
        if (Total != D.Operands.size())
          fail(O, "`layout` takes " + std::to_string(Total) + " values, the op has " +
                      std::to_string(D.Operands.size()));
      }
      return;
    case OpKind::RandomSeed:
    case OpKind::RandomDraw: {
      const std::string &Gen = D.Attrs.getStr("gen");
      if (Gen != "py" && Gen != "np")
        fail(O, "needs [gen = \"py\"] or [gen = \"np\"]");
      if (D.Kind == OpKind::RandomSeed) {
        if (!operandType(O, 0).isInt())
          fail(O, "the seed must be int64");
        return;
      }
      const std::string &Kind = D.Attrs.getStr("kind");
      Type R = D.Results.size() == 1 ? F.typeOf(D.Results[0]) : Type();
      if (Kind == "double" || Kind == "gauss" || Kind == "kmnormal") {
        if (!D.Operands.empty() || !R.isFloat())
          fail(O, "`" + Kind + "` takes no operand and gives a float64");
      } else if (Kind == "below") {
        if (D.Operands.size() != 1 || !operandType(O, 0).isInt() || !R.isInt())
          fail(O, "`below` takes an int64 bound and gives an int64");
      } else {
        fail(O, "kind must be double, gauss, kmnormal or below");
      }
      return;
    }
    case OpKind::Raise: {
      if (!D.Attrs.get("exc") || !std::holds_alternative<std::string>(*D.Attrs.get("exc")))
        fail(O, "needs a string `exc` attribute");
      for (size_t I = 0; I < D.Operands.size(); ++I) {
        Type T = operandType(O, I);
        if (!T.isScalar() && !T.isStr())
          fail(O, "exception arguments must be str or scalars");
      }
      return;
    }
    }
  }
};

} // namespace

std::vector<std::string> ir::verify(const Module &M) {
  std::vector<std::string> Errs;
  llvm::DenseSet<llvm::StringRef> Names;
  for (const auto &F : M.functions()) {
    if (!Names.insert(F->name()).second)
      Errs.push_back("function @" + F->name() + " is defined twice");
    FunctionVerifier(M, *F, Errs).run();
  }
  return Errs;
}

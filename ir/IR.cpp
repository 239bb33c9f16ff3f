//===- IR.cpp - Kiln IR stores, mutation and the builder -------------------===//

#include "ir/IR.h"
#include <algorithm>
#include <cmath>

using namespace kiln;
using namespace kiln::ir;

//===----------------------------------------------------------------------===//
// Op table
//===----------------------------------------------------------------------===//

static const OpInfo OpInfos[] = {
#define OP(Enum, Name, NOps, NRes, NRegs, Flags) {Name, NOps, NRes, NRegs, Flags},
#include "ir/Ops.def"
};

const OpInfo &ir::opInfo(OpKind K) { return OpInfos[static_cast<unsigned>(K)]; }

std::optional<OpKind> ir::opKindByName(llvm::StringRef Name) {
  for (unsigned I = 0; I < std::size(OpInfos); ++I)
    if (Name == OpInfos[I].Name)
      return static_cast<OpKind>(I);
  return std::nullopt;
}

//===----------------------------------------------------------------------===//
// Attributes
//===----------------------------------------------------------------------===//

void AttrList::set(llvm::StringRef Name, AttrValue V) {
  auto It = std::lower_bound(
      Entries.begin(), Entries.end(), Name,
      [](const auto &E, llvm::StringRef N) { return llvm::StringRef(E.first) < N; });
  if (It != Entries.end() && It->first == Name)
    It->second = std::move(V);
  else
    Entries.insert(It, {Name.str(), std::move(V)});
}

const AttrValue *AttrList::get(llvm::StringRef Name) const {
  for (const auto &E : Entries)
    if (E.first == Name)
      return &E.second;
  return nullptr;
}

void AttrList::erase(llvm::StringRef Name) {
  Entries.erase(std::remove_if(Entries.begin(), Entries.end(),
                               [&](const auto &E) { return E.first == Name; }),
                Entries.end());
}

int64_t AttrList::getInt(llvm::StringRef N) const { return std::get<int64_t>(*get(N)); }
double AttrList::getFloat(llvm::StringRef N) const { return std::get<double>(*get(N)); }
bool AttrList::getBool(llvm::StringRef N) const { return std::get<bool>(*get(N)); }
const std::string &AttrList::getStr(llvm::StringRef N) const { return std::get<std::string>(*get(N)); }
const SymbolRef &AttrList::getSym(llvm::StringRef N) const { return std::get<SymbolRef>(*get(N)); }
Type AttrList::getType(llvm::StringRef N) const { return std::get<Type>(*get(N)); }

//===----------------------------------------------------------------------===//
// Function
//===----------------------------------------------------------------------===//

Function::Function(std::string N, std::vector<Type> ParamTypes,
                   std::vector<std::string> ParamNames, Type R)
    : Name(std::move(N)), Result(R) {
  Body = newRegion();
  for (size_t I = 0; I < ParamTypes.size(); ++I)
    addRegionArg(Body, ParamTypes[I], I < ParamNames.size() ? ParamNames[I] : "");
}

RegionId Function::newRegion() {
  Regions.emplace_back();
  return RegionId(Regions.size() - 1);
}

ValueId Function::addRegionArg(RegionId R, Type T, std::string N) {
  ValueData V;
  V.Ty = T;
  V.Name = std::move(N);
  V.ArgOf = R;
  V.Index = region(R).Args.size();
  Values.push_back(std::move(V));
  ValueId Id(Values.size() - 1);
  region(R).Args.push_back(Id);
  return Id;
}

OpId Function::createOp(OpKind K, llvm::ArrayRef<ValueId> Operands,
                        llvm::ArrayRef<Type> ResultTypes, SourceLoc L,
                        unsigned NumRegions) {
  OpData D;
  D.Kind = K;
  D.Operands.assign(Operands.begin(), Operands.end());
  D.Loc = L;
  Ops.push_back(std::move(D));
  OpId Id(Ops.size() - 1);
  for (size_t I = 0; I < ResultTypes.size(); ++I) {
    ValueData V;
    V.Ty = ResultTypes[I];
    V.Def = Id;
    V.Index = I;
    Values.push_back(std::move(V));
    Ops[Id.Index].Results.push_back(ValueId(Values.size() - 1));
  }
  for (unsigned I = 0; I < NumRegions; ++I) {
    RegionId R = newRegion();
    region(R).ParentOp = Id;
    Ops[Id.Index].Regions.push_back(R);
  }
  return Id;
}

void Function::insertOp(RegionId R, size_t Pos, OpId O) {
  assert(!op(O).Parent.isValid() && "op is already in a region");
  auto &List = region(R).Ops;
  Pos = std::min(Pos, List.size());
  List.insert(List.begin() + Pos, O);
  op(O).Parent = R;
}

void Function::detachOp(OpId O) {
  RegionId R = op(O).Parent;
  if (!R.isValid())
    return;
  auto &List = region(R).Ops;
  List.erase(std::find(List.begin(), List.end(), O));
  op(O).Parent = RegionId();
}

void Function::eraseOp(OpId O) {
  detachOp(O);
  op(O).Erased = true;
  for (RegionId Sub : op(O).Regions)
    for (OpId Inner : std::vector<OpId>(region(Sub).Ops)) {
      eraseOp(Inner);
    }
}

size_t Function::indexInParent(OpId O) const {
  const auto &List = region(op(O).Parent).Ops;
  return std::find(List.begin(), List.end(), O) - List.begin();
}

void Function::replaceAllUsesWith(ValueId From, ValueId To) {
  for (OpData &D : Ops)
    for (ValueId &V : D.Operands)
      if (V == From)
        V = To;
}

void Function::replaceAllUsesWith(const std::unordered_map<uint32_t, ValueId> &Map) {
  if (Map.empty())
    return;
  // Chains are followed once: each resolved end is remembered.
  std::unordered_map<uint32_t, ValueId> Done;
  auto Resolve = [&](ValueId V) {
    std::vector<uint32_t> Path;
    for (unsigned Steps = 0; Steps <= Map.size(); ++Steps) {
      if (auto D = Done.find(V.Index); D != Done.end()) {
        V = D->second;
        break;
      }
      auto It = Map.find(V.Index);
      if (It == Map.end())
        break;
      Path.push_back(V.Index);
      V = It->second;
    }
    assert(!Map.count(V.Index) && "replacement map has a cycle");
    for (uint32_t P : Path)
      Done[P] = V;
    return V;
  };
  for (OpData &D : Ops)
    for (ValueId &V : D.Operands)
      if (Map.count(V.Index))
        V = Resolve(V);
}

void Function::eraseOps(llvm::ArrayRef<OpId> Dead) {
  std::set<uint32_t> Touched;
  for (OpId O : Dead) {
    assert(op(O).Regions.empty() && "eraseOps takes ops without regions");
    if (op(O).Parent.isValid())
      Touched.insert(op(O).Parent.Index);
    op(O).Erased = true;
  }
  for (uint32_t R : Touched) {
    auto &List = Regions[R].Ops;
    List.erase(std::remove_if(List.begin(), List.end(),
                              [&](OpId O) {
                                if (!op(O).Erased)
                                  return false;
                                op(O).Parent = RegionId();
                                return true;
                              }),
               List.end());
  }
}

std::vector<uint32_t> Function::positions() const {
  std::vector<uint32_t> Pos(Ops.size(), 0);
  for (const RegionData &R : Regions)
    for (size_t I = 0; I < R.Ops.size(); ++I)
      Pos[R.Ops[I].Index] = (uint32_t)I;
  return Pos;
}

std::vector<unsigned> Function::useCounts() const {
  std::vector<unsigned> Counts(Values.size(), 0);
  walk([&](OpId O) {
    for (ValueId V : op(O).Operands)
      ++Counts[V.Index];
  });
  return Counts;
}

//===----------------------------------------------------------------------===//
// Module
//===----------------------------------------------------------------------===//

Function &Module::addFunction(std::unique_ptr<Function> F) {
  Funcs.push_back(std::move(F));
  return *Funcs.back();
}

Function *Module::lookup(llvm::StringRef N) {
  for (auto &F : Funcs)
    if (F->name() == N)
      return F.get();
  return nullptr;
}

const Function *Module::lookup(llvm::StringRef N) const {
  for (auto &F : Funcs)
    if (F->name() == N)
      return F.get();
  return nullptr;
}

void Module::eraseFunction(llvm::StringRef N) {
  Funcs.erase(std::remove_if(Funcs.begin(), Funcs.end(),
                             [&](const auto &F) { return F->name() == N; }),
              Funcs.end());
}

//===----------------------------------------------------------------------===//
// Builder
//===----------------------------------------------------------------------===//

OpId Builder::create(OpKind K, llvm::ArrayRef<ValueId> Operands,
                     llvm::ArrayRef<Type> ResultTypes, unsigned NumRegions) {
  OpId O = F.createOp(K, Operands, ResultTypes, Loc, NumRegions);
  assert(Region.isValid() && "builder has no insertion point");
  if (Pos == SIZE_MAX) {
    F.appendOp(Region, O);
  } else {
    F.insertOp(Region, Pos, O);
    ++Pos;
  }
  return O;
}

ValueId Builder::create1(OpKind K, llvm::ArrayRef<ValueId> Operands, Type T) {
  return F.op(create(K, Operands, {T})).Results[0];
}

ValueId Builder::constInt(int64_t V) {
  ValueId R = create1(OpKind::Const, {}, Type::int64());
  F.op(F.definingOp(R)).Attrs.set("value", V);
  return R;
}

ValueId Builder::constFloat(double V) {
  ValueId R = create1(OpKind::Const, {}, Type::float64());
  F.op(F.definingOp(R)).Attrs.set("value", V);
  return R;
}

ValueId Builder::constBool(bool V) {
  ValueId R = create1(OpKind::Const, {}, Type::boolean());
  F.op(F.definingOp(R)).Attrs.set("value", V);
  return R;
}

ValueId Builder::constStr(llvm::StringRef S) {
  ValueId R = create1(OpKind::StrConst, {}, Type::strType());
  F.op(F.definingOp(R)).Attrs.set("value", S.str());
  return R;
}

ValueId Builder::cmp(llvm::StringRef Pred, ValueId A, ValueId B) {
  ValueId R = create1(OpKind::Cmp, {A, B}, Type::boolean());
  F.op(F.definingOp(R)).Attrs.set("pred", Pred.str());
  return R;
}

ValueId Builder::cast(ValueId V, Type To) {
  if (F.typeOf(V) == To)
    return V;
  return create1(OpKind::Cast, {V}, To);
}

ValueId Builder::slot(Type T, llvm::StringRef N) {
  ValueId R = create1(OpKind::Slot, {}, Type::ref(T));
  name(R, N);
  return R;
}

ValueId Builder::load(ValueId S) {
  return create1(OpKind::Load, {S}, F.typeOf(S).pointee());
}

void Builder::store(ValueId V, ValueId S) { create(OpKind::Store, {V, S}, {}); }

std::optional<int64_t> ir::constIntOf(const Function &F, ValueId V) {
  OpId D = F.definingOp(V);
  if (!D.isValid() || F.op(D).Kind != OpKind::Const)
    return std::nullopt;
  const AttrValue *A = F.op(D).Attrs.get("value");
  if (!A || !std::holds_alternative<int64_t>(*A))
    return std::nullopt;
  return std::get<int64_t>(*A);
}

std::optional<int64_t> ir::smallConstOf(const Function &F, ValueId V) {
  auto C = constIntOf(F, V);
  if (C && *C >= -(int64_t(1) << 32) && *C <= (int64_t(1) << 32))
    return C;
  return std::nullopt;
}

std::pair<ValueId, int64_t> ir::splitOffset(const Function &F, ValueId V) {
  OpId D = F.definingOp(V);
  if (D.isValid() && (F.op(D).Kind == OpKind::Add || F.op(D).Kind == OpKind::Sub)) {
    const OpData &Op = F.op(D);
    if (auto C = smallConstOf(F, Op.Operands[1]))
      return {Op.Operands[0], Op.Kind == OpKind::Add ? *C : -*C};
    if (Op.Kind == OpKind::Add)
      if (auto C0 = smallConstOf(F, Op.Operands[0]))
        return {Op.Operands[1], *C0};
  }
  return {V, 0};
}

std::set<std::string> ir::recursiveFunctions(const Module &M) {
  // Tarjan's strongly connected components, iterative (a chain of helpers
  // as long as the input must not exhaust the compiler's stack).
  std::map<std::string, unsigned> Id;
  for (const auto &F : M.functions())
    Id.emplace(F->name(), (unsigned)Id.size());
  std::vector<std::vector<unsigned>> Succ(Id.size());
  std::vector<bool> SelfLoop(Id.size(), false);
  for (const auto &F : M.functions()) {
    unsigned From = Id[F->name()];
    F->walk([&](OpId O) {
      if (F->op(O).Kind != OpKind::Call)
        return;
      auto It = Id.find(F->op(O).Attrs.getSym("callee").Name);
      if (It == Id.end())
        return;
      Succ[From].push_back(It->second);
      if (It->second == From)
        SelfLoop[From] = true;
    });
  }
  const unsigned None = ~0u;
  std::vector<unsigned> Index(Id.size(), None), Low(Id.size(), 0), Stack;
  std::vector<bool> OnStack(Id.size(), false), InCycle(Id.size(), false);
  unsigned Next = 0;
  for (unsigned Root = 0; Root < Id.size(); ++Root) {
    if (Index[Root] != None)
      continue;
    std::vector<std::pair<unsigned, size_t>> Work{{Root, 0}}; // node, next successor
    Index[Root] = Low[Root] = Next++;
    Stack.push_back(Root);
    OnStack[Root] = true;
    while (!Work.empty()) {
      auto &[N, K] = Work.back();
      if (K < Succ[N].size()) {
        unsigned S = Succ[N][K++];
        if (Index[S] == None) {
          Index[S] = Low[S] = Next++;
          Stack.push_back(S);
          OnStack[S] = true;
          Work.push_back({S, 0});
        } else if (OnStack[S]) {
          Low[N] = std::min(Low[N], Index[S]);
        }
        continue;
      }
      unsigned Done = N;
      Work.pop_back();
      if (!Work.empty())
        Low[Work.back().first] = std::min(Low[Work.back().first], Low[Done]);
      if (Low[Done] != Index[Done])
        continue;
      std::vector<unsigned> Comp;
      unsigned X;
      do {
        X = Stack.back();
        Stack.pop_back();
        OnStack[X] = false;
        Comp.push_back(X);
      } while (X != Done);
      for (unsigned C : Comp)
        InCycle[C] = Comp.size() > 1 || SelfLoop[C];
    }
  }
  std::set<std::string> Rec;
  for (const auto &[Name, I] : Id)
    if (InCycle[I])
      Rec.insert(Name);
  return Rec;
}

//===- ModuleABI.cpp - The Python boundary of a generated module ----------===//
//
// Emits what the runtime (runtime/include/kiln/runtime.h) needs to turn the
// module into a Python module:
//
//   * for each function with an `export` attribute, an entry wrapper
//       int32_t kiln.entry.<fn>(const kiln_slot *args, kiln_slot *results)
//     that unpacks the parameters from 8-byte slots (int64 .i, float64 .f,
//     bool .i != 0, tuples depth-first), calls kiln.f.<fn> and flattens the
//     result depth-first into `results` (bool as 0/1 in .i); it returns 0,
//     or 1 after the callee recorded an error;
//   * kiln.funcs, a kiln_func_desc[] in module order with the overloads of
//     one Python name consecutive, and kiln.module, the kiln_module_desc;
//   * PyInit_<module>, the module's only exported symbol, which returns
//     kiln_module_create(&kiln.module).
//
// The struct layouts below mirror runtime.h field for field; natural
// alignment gives the same padding as the C compiler.
//
//===----------------------------------------------------------------------===//

#include "codegen/Lowering.h"
#include "kiln/runtime.h"
#include "llvm/ADT/StringExtras.h"

using namespace kiln;
using namespace kiln::codegen;
using namespace llvm;

namespace {

class ABIEmitter {
public:
  explicit ABIEmitter(ModuleLowering &ML) : ML(ML), Ctx(ML.Ctx), Ptr(PointerType::getUnqual(Ctx)),
                                           I32(llvm::Type::getInt32Ty(Ctx)) {}
  Error run();

private:
  ModuleLowering &ML;
  LLVMContext &Ctx;
  PointerType *Ptr;
  IntegerType *I32;

  Expected<llvm::Function *> entryWrapper(const ir::Function &F);
  Value *unpack(IRBuilder<> &B, kiln::Type T, Value *Args, unsigned &Slot);
  Constant *ptrArray(ArrayRef<Constant *> Elts, const Twine &Name);
  Constant *globalsTable();
  unsigned NumGlobals = 0; ///< entries in globalsTable()
  /// KILN_PARAM_* flags per parameter (from `written.<i>` attributes set by
  /// passes/WrittenParams.cpp and the frontend's `posonly`), or null when no
  /// parameter has any.
  Constant *paramFlags(const ir::Function &F);
};

} // namespace

/// How a type reads in a signature shown to Python users (help(), "no
/// matching signature"): arrays in NumPy's terms, as the argument errors say.
static std::string signatureType(kiln::Type T) {
  if (T.isArray())
    return "ndarray[" + T.elementType().str() + ", ndim=" + std::to_string(T.ndim()) +
           (T.isCOrder() ? ", C order]" : "]");
  if (T.isList())
    return "list[" + signatureType(T.elementType()) + "]";
  if (T.isDict())
    return "dict[" + signatureType(T.keyType()) + ", " + signatureType(T.valueType()) + "]";
  if (T.isSet())
    return "set[" + signatureType(T.keyType()) + "]";
  if (T.isTuple()) {
    std::string S = "tuple[";
    for (size_t I = 0; I < T.elements().size(); ++I)
      S += (I ? ", " : "") + signatureType(T.elements()[I]);
    return S + "]";
  }
  return T.str();
}

/// Functions whose every run is short: no `while`; `for` loops only with a
/// constant trip count of at most 256, at most two deep; array allocations
/// only of a constant size of at most 512 elements; no sort; and calls only
/// to other such functions (so no recursion). `np.array([y[1], -y[0]])` or
/// `np.full(3, x)` qualify. Their calls keep the GIL (KILN_FUNC_SHORT):
/// releasing and retaking it would cost more than the work.
static std::set<std::string> shortFunctions(const ir::Module &M,
                                            const std::set<std::string> &Recursive) {
  std::set<std::string> Short;
  std::map<std::string, std::vector<std::string>> Callees;
  for (const auto &F : M.functions()) {
    bool Work = Recursive.count(F->name()) != 0;
    std::vector<std::string> &Calls = Callees[F->name()];
    F->walk([&](ir::OpId O) {
      const ir::OpData &D = F->op(O);
      switch (D.Kind) {
      case ir::OpKind::For: {
        auto Lo = ir::constIntOf(*F, D.Operands[0]), Hi = ir::constIntOf(*F, D.Operands[1]),
             Step = ir::constIntOf(*F, D.Operands[2]);
        bool Small = Lo && Hi && Step && *Step > 0 && *Hi - *Lo <= 256 * *Step;
        int Depth = 0; // enclosing `for` loops
        for (ir::RegionId R = D.Parent; R.isValid();) {
          ir::OpId P = F->parentOp(R);
          if (!P.isValid())
            break;
          Depth += F->op(P).Kind == ir::OpKind::For;
          R = F->op(P).Parent;
        }
        Work |= !Small || Depth >= 2;
        break;
      }
      case ir::OpKind::ArrayAlloc: {
        int64_t Count = 1;
        for (ir::ValueId V : D.Operands) {
          auto C = ir::constIntOf(*F, V);
          Count = C && *C >= 0 && Count <= 512 ? Count * *C : 513;
        }
        Work |= Count > 512;
        break;
      }
      case ir::OpKind::While:
      case ir::OpKind::ArraySort:
      case ir::OpKind::ListSort:
      case ir::OpKind::ListArgsort:
        Work = true;
        break;
      case ir::OpKind::Call:
        Calls.push_back(D.Attrs.getSym("callee").Name);
        break;
      default:
        break;
      }
    });
    if (!Work)
      Short.insert(F->name());
  }
  // Drop callers of functions that are not short, until nothing changes
  // (a callee unknown to the module is not short).
  for (bool Changed = true; Changed;) {
    Changed = false;
    for (auto It = Short.begin(); It != Short.end();) {
      bool Ok = true;
      for (const std::string &C : Callees[*It])
        Ok &= Short.count(C) != 0;
      if (Ok) {
        ++It;
      } else {
        It = Short.erase(It);
        Changed = true;
      }
    }
  }
  return Short;
}

Constant *ABIEmitter::paramFlags(const ir::Function &F) {
  std::vector<Constant *> Flags;
  bool Any = false;
  int64_t PosOnly = 0;
  if (const ir::AttrValue *P = F.attrs().get("posonly"); P && std::holds_alternative<int64_t>(*P))
    PosOnly = std::get<int64_t>(*P);
  for (unsigned I = 0; I < F.params().size(); ++I) {
    uint8_t Bits = F.attrs().has("written." + std::to_string(I)) ? KILN_PARAM_WRITTEN : 0;
    if ((int64_t)I < PosOnly)
      Bits |= KILN_PARAM_POSONLY;
    Any |= Bits != 0;
    Flags.push_back(ConstantInt::get(llvm::Type::getInt8Ty(ML.Ctx), Bits));
  }
  if (!Any)
    return ConstantPointerNull::get(PointerType::getUnqual(ML.Ctx));
  auto *AT = ArrayType::get(llvm::Type::getInt8Ty(ML.Ctx), Flags.size());
  return new GlobalVariable(ML.LM, AT, /*isConstant=*/true, GlobalValue::PrivateLinkage,
                            ConstantArray::get(AT, Flags), "kiln.param_flags." + F.name());
}

Value *ABIEmitter::unpack(IRBuilder<> &B, kiln::Type T, Value *Args, unsigned &Slot) {
  if (T.isList() || T.isDict() || T.isSet()) { // a kiln_list / kiln_dict the runtime made
    Value *Addr = B.CreateConstInBoundsGEP1_32(B.getInt64Ty(), Args, Slot++);
    return B.CreateLoad(B.getPtrTy(), Addr);
  }
  if (T.isArray()) {
    // data, then N extents, then N strides (in elements).
    Value *Agg = PoisonValue::get(ML.lowerType(T));
    Value *Addr = B.CreateConstInBoundsGEP1_32(B.getInt64Ty(), Args, Slot++);
    Agg = B.CreateInsertValue(Agg, B.CreateLoad(B.getPtrTy(), Addr), 0);
    for (unsigned Part = 1; Part <= 2; ++Part)
      for (unsigned D = 0; D < T.ndim(); ++D) {
        Addr = B.CreateConstInBoundsGEP1_32(B.getInt64Ty(), Args, Slot++);
        Agg = B.CreateInsertValue(Agg, B.CreateLoad(B.getInt64Ty(), Addr), {Part, D});
      }
    return Agg;
  }
  if (T.isTuple()) {
    Value *Agg = PoisonValue::get(ML.lowerType(T));
    for (unsigned I = 0; I < T.elements().size(); ++I)
      Agg = B.CreateInsertValue(Agg, unpack(B, T.elements()[I], Args, Slot), I);
    return Agg;
  }
  if (T.isComplex()) { // two slots: the real and imaginary parts as doubles
    Value *Agg = PoisonValue::get(ML.lowerType(T));
    for (unsigned Part = 0; Part < 2; ++Part) {
      Value *Addr = B.CreateConstInBoundsGEP1_32(B.getInt64Ty(), Args, Slot++);
      Value *D = B.CreateLoad(B.getDoubleTy(), Addr);
      Agg = B.CreateInsertValue(Agg, B.CreateFPTrunc(D, ML.lowerType(T.complexPart())), Part);
    }
    return Agg;
  }
  // A scalar slot holds an int64 or a double; the runtime checked that a
  // sized value fits its type.
  Value *Addr = B.CreateConstInBoundsGEP1_32(B.getInt64Ty(), Args, Slot++);
  if (T.isFloating())
    return B.CreateFPTrunc(B.CreateLoad(B.getDoubleTy(), Addr), ML.lowerType(T));
  Value *I = B.CreateLoad(B.getInt64Ty(), Addr);
  if (T.isBool())
    return B.CreateICmpNE(I, B.getInt64(0));
  return B.CreateTrunc(I, ML.lowerType(T));
}

unsigned codegen::slotCount(kiln::Type T) {
  if (T.isNone())
    return 0;
  if (T.isTuple()) {
    unsigned N = 0;
    for (kiln::Type E : T.elements())
      N += slotCount(E);
    return N;
  }
  if (T.isArray())
    return 1 + 2 * T.ndim();
  return T.isComplex() ? 2 : 1;
}

void codegen::flattenToSlots(IRBuilder<> &B, kiln::Type T, Value *V, Value *Results,
                             unsigned &Slot) {
  if (T.isNone())
    return;
  if (T.isTuple()) {
    for (unsigned I = 0; I < T.elements().size(); ++I)
      flattenToSlots(B, T.elements()[I], B.CreateExtractValue(V, I), Results, Slot);
    return;
  }
  if (T.isList() || T.isDict() || T.isSet() || T.isStr()) {
    B.CreateStore(V, B.CreateConstInBoundsGEP1_32(B.getInt64Ty(), Results, Slot++));
    return;
  }
  if (T.isArray()) {
    Value *Addr = B.CreateConstInBoundsGEP1_32(B.getInt64Ty(), Results, Slot++);
    B.CreateStore(B.CreateExtractValue(V, 0), Addr);
    for (unsigned Part = 1; Part <= 2; ++Part)
      for (unsigned D = 0; D < T.ndim(); ++D) {
        Addr = B.CreateConstInBoundsGEP1_32(B.getInt64Ty(), Results, Slot++);
        // A C-order array's struct may hold any last stride; the ABI says 1.
        Value *X = (Part == 2 && T.isCOrder() && D + 1 == T.ndim())
                       ? B.getInt64(1)
                       : B.CreateExtractValue(V, {Part, D});
        B.CreateStore(X, Addr);
      }
    return;
  }
  if (T.isComplex()) {
    for (unsigned Part = 0; Part < 2; ++Part) {
      Value *Addr = B.CreateConstInBoundsGEP1_32(B.getInt64Ty(), Results, Slot++);
      B.CreateStore(B.CreateFPExt(B.CreateExtractValue(V, Part), B.getDoubleTy()), Addr);
    }
    return;
  }
  Value *Addr = B.CreateConstInBoundsGEP1_32(B.getInt64Ty(), Results, Slot++);
  if (T.isFloating())
    V = B.CreateFPExt(V, B.getDoubleTy());
  else if (T.isBool() || T.isUnsigned())
    V = B.CreateZExt(V, B.getInt64Ty());
  else
    V = B.CreateSExt(V, B.getInt64Ty());
  B.CreateStore(V, Addr);
}

static bool crossesABI(kiln::Type T, bool AllowNone) {
  if (T.isNone())
    return AllowNone;
  if (T.isTuple())
    return llvm::all_of(T.elements(), [](kiln::Type E) { return crossesABI(E, false); });
  // A list's items are converted one by one (runtime/list.c): numbers,
  // lists and tuples of those.
  if (T.isList())
    return T.elementType().isNone() ||
           (!T.elementType().isArray() && crossesABI(T.elementType(), false));
  if (T.isDict() || T.isSet())
    return T.keyType().isNone() ||
           (crossesABI(T.keyType(), false) && !T.keyType().isArray() &&
            (T.isSet() || (!T.valueType().isArray() && crossesABI(T.valueType(), false))));
  return T.isScalar() || T.isArray();
}

Expected<llvm::Function *> ABIEmitter::entryWrapper(const ir::Function &F) {
  for (ir::ValueId P : F.params())
    if (!crossesABI(F.typeOf(P), false))
      return createStringError(inconvertibleErrorCode(),
                               "exported function `%s` has a parameter of type `%s`, which "
                               "cannot cross the Python boundary",
                               F.name().c_str(), F.typeOf(P).str().c_str());
  if (!crossesABI(F.resultType(), true))
    return createStringError(inconvertibleErrorCode(),
                             "exported function `%s` returns `%s`, which cannot cross the "
                             "Python boundary",
                             F.name().c_str(), F.resultType().str().c_str());

  auto *FT = FunctionType::get(I32, {Ptr, Ptr}, false);
  auto *W = llvm::Function::Create(FT, GlobalValue::InternalLinkage, "kiln.entry." + F.name(),
                                   ML.LM);
  ML.setCommonAttrs(*W);
  Value *Args = W->getArg(0), *Results = W->getArg(1);
  Args->setName("args");
  Results->setName("results");
  W->addParamAttr(0, Attribute::NoCapture);
  W->addParamAttr(0, Attribute::ReadOnly);
  W->addParamAttr(1, Attribute::NoCapture);
  W->addParamAttr(1, Attribute::WriteOnly);

  IRBuilder<> B(BasicBlock::Create(Ctx, "entry", W));
  SmallVector<Value *, 8> CallArgs;
  unsigned Slot = 0;
  for (ir::ValueId P : F.params())
    CallArgs.push_back(unpack(B, F.typeOf(P), Args, Slot));
  if (ML.Recursive.count(F.name()))
    CallArgs.push_back(B.CreateCall(ML.stackLimitFn(), {}, "stack.limit"));
  CallInst *Call = B.CreateCall(ML.function(F.name()), CallArgs);

  bool NoResult = F.resultType().isNone();
  Value *Failed = NoResult ? static_cast<Value *>(Call) : B.CreateExtractValue(Call, 1);
  auto *Ok = BasicBlock::Create(Ctx, "ok", W);
  auto *Fail = BasicBlock::Create(Ctx, "fail", W);
  B.CreateCondBr(Failed, Fail, Ok);

  B.SetInsertPoint(Ok);
  Slot = 0;
  if (!NoResult)
    flattenToSlots(B, F.resultType(), B.CreateExtractValue(Call, 0), Results, Slot);
  B.CreateRet(B.getInt32(0));
  B.SetInsertPoint(Fail);
  B.CreateRet(B.getInt32(1));
  return W;
}

Constant *ABIEmitter::ptrArray(ArrayRef<Constant *> Elts, const Twine &Name) {
  if (Elts.empty())
    return ConstantPointerNull::get(Ptr);
  auto *AT = ArrayType::get(Ptr, Elts.size());
  auto *GV = new GlobalVariable(ML.LM, AT, /*isConstant=*/true, GlobalValue::PrivateLinkage,
                                ConstantArray::get(AT, Elts), Name);
  GV->setUnnamedAddr(GlobalValue::UnnamedAddr::Global);
  return GV;
}

/// The module's constants (ir::Module::Globals) as kiln_global_desc
/// { ptr name; i32 kind; i32 pad; i64 i; double f; ptr s }, or null.
Constant *ABIEmitter::globalsTable() {
  if (ML.IRM.Globals.empty())
    return ConstantPointerNull::get(Ptr);
  auto *I64 = llvm::Type::getInt64Ty(Ctx);
  auto *GlobalTy = StructType::create(Ctx, {Ptr, I32, I32, I64, llvm::Type::getDoubleTy(Ctx), Ptr},
                                      "kiln_global_desc");
  std::vector<Constant *> Elts;
  for (const auto &[Name, V] : ML.IRM.Globals) {
    int32_t Kind = 0;
    int64_t IV = 0;
    double FV = 0;
    Constant *SV = ConstantPointerNull::get(Ptr);
    if (auto *I = std::get_if<int64_t>(&V)) {
      Kind = 'i';
      IV = *I;
    } else if (auto *B = std::get_if<bool>(&V)) {
      Kind = 'b';
      IV = *B;
    } else if (auto *D = std::get_if<double>(&V)) {
      Kind = 'f';
      FV = *D;
    } else if (auto *S = std::get_if<std::string>(&V)) {
      Kind = 's';
      SV = ML.cstring(*S);
    } else {
      continue; // a type or symbol: not a Python value
    }
    Elts.push_back(ConstantStruct::get(
        GlobalTy, {ML.cstring(Name), ConstantInt::get(I32, Kind), ConstantInt::get(I32, 0),
                   ConstantInt::get(I64, IV), ConstantFP::get(llvm::Type::getDoubleTy(Ctx), FV),
                   SV}));
  }
  NumGlobals = Elts.size();
  if (Elts.empty())
    return ConstantPointerNull::get(Ptr);
  auto *AT = ArrayType::get(GlobalTy, Elts.size());
  auto *GV = new GlobalVariable(ML.LM, AT, /*isConstant=*/true, GlobalValue::PrivateLinkage,
                                ConstantArray::get(AT, Elts), "kiln.globals");
  GV->setAlignment(Align(8));
  return GV;
}

Error ABIEmitter::run() {
  // Exported functions grouped by Python name (first appearance order),
  // module order within a name, so overloads are consecutive.
  std::vector<std::string> Names;
  StringMap<std::vector<const ir::Function *>> ByName;
  for (const auto &F : ML.IRM.functions()) {
    const ir::AttrValue *Exp = F->attrs().get("export");
    if (!Exp)
      continue;
    if (!std::holds_alternative<std::string>(*Exp))
      return createStringError(inconvertibleErrorCode(),
                               "internal compiler error: `export` of `%s` is not a string",
                               F->name().c_str());
    const std::string &Name = std::get<std::string>(*Exp);
    auto &List = ByName[Name];
    if (List.empty())
      Names.push_back(Name);
    List.push_back(F.get());
  }

  // struct kiln_func_desc { ptr name; i32 nparams; ptr param_names;
  //   ptr param_types; ptr result_type; ptr entry; ptr signature; i32 flags;
  //   i32 ndefaults; ptr defaults; }
  auto *FuncDescTy = StructType::create(
      Ctx, {Ptr, I32, Ptr, Ptr, Ptr, Ptr, Ptr, I32, I32, Ptr, Ptr}, "kiln_func_desc");
  // struct kiln_module_desc { i32 abi_version; ptr name; ptr doc; i32 nfuncs; ptr funcs;
  //   i32 nglobals; ptr globals; }
  auto *ModuleDescTy =
      StructType::create(Ctx, {I32, Ptr, Ptr, I32, Ptr, I32, Ptr}, "kiln_module_desc");

  std::set<std::string> Short = shortFunctions(ML.IRM, ML.Recursive);
  std::vector<Constant *> Descs;
  for (const std::string &Name : Names) {
    for (const ir::Function *F : ByName[Name]) {
      Expected<llvm::Function *> Entry = entryWrapper(*F);
      if (!Entry)
        return Entry.takeError();

      // Python parameter names: `arg_names`, else the IR names, else argN.
      SmallVector<std::string, 8> ParamNames;
      if (const ir::AttrValue *AN = F->attrs().get("arg_names");
          AN && std::holds_alternative<std::string>(*AN)) {
        SmallVector<StringRef, 8> Parts;
        StringRef(std::get<std::string>(*AN)).split(Parts, ',', -1, /*KeepEmpty=*/false);
        for (StringRef P : Parts)
          ParamNames.push_back(P.trim().str());
      }
      if (ParamNames.size() != F->params().size()) {
        if (!ParamNames.empty())
          return createStringError(inconvertibleErrorCode(),
                                   "internal compiler error: `arg_names` of `%s` names %zu "
                                   "parameters, the function has %zu",
                                   F->name().c_str(), ParamNames.size(), F->params().size());
        for (unsigned I = 0; I < F->params().size(); ++I) {
          const std::string &N = F->value(F->params()[I]).Name;
          ParamNames.push_back(N.empty() ? "arg" + std::to_string(I) : N);
        }
      }

      std::vector<Constant *> NameCs, TypeCs;
      std::string Sig = Name + "(";
      for (unsigned I = 0; I < ParamNames.size(); ++I) {
        std::string TS = F->typeOf(F->params()[I]).str();
        NameCs.push_back(ML.cstring(ParamNames[I]));
        TypeCs.push_back(ML.cstring(TS));
        Sig += (I ? ", " : "") + ParamNames[I] + ": " + signatureType(F->typeOf(F->params()[I]));
      }
      Sig += ") -> " + signatureType(F->resultType());

      // Defaults: `default.<i>` attributes on the trailing parameters, as
      // 8-byte slots (int64/bool as i64, float64 as the double's bits).
      std::vector<Constant *> Defaults;
      unsigned FirstDefault = ParamNames.size();
      while (FirstDefault > 0 && F->attrs().has("default." + std::to_string(FirstDefault - 1)))
        --FirstDefault;
      for (unsigned I = FirstDefault; I < ParamNames.size(); ++I) {
        const ir::AttrValue &V = *F->attrs().get("default." + std::to_string(I));
        int64_t Bits = 0;
        if (auto *IV = std::get_if<int64_t>(&V))
          Bits = *IV;
        else if (auto *BV = std::get_if<bool>(&V))
          Bits = *BV;
        else if (auto *DV = std::get_if<double>(&V))
          memcpy(&Bits, DV, sizeof Bits);
        Defaults.push_back(ConstantInt::get(llvm::Type::getInt64Ty(Ctx), Bits));
      }
      Constant *DefaultsC = ConstantPointerNull::get(Ptr);
      if (!Defaults.empty()) {
        auto *AT = ArrayType::get(llvm::Type::getInt64Ty(Ctx), Defaults.size());
        auto *GV = new GlobalVariable(ML.LM, AT, /*isConstant=*/true,
                                      GlobalValue::PrivateLinkage,
                                      ConstantArray::get(AT, Defaults),
                                      "kiln.defaults." + F->name());
        GV->setAlignment(Align(8));
        DefaultsC = GV;
      }

      Descs.push_back(ConstantStruct::get(
          FuncDescTy, {ML.cstring(Name), ConstantInt::get(I32, ParamNames.size()),
                       ptrArray(NameCs, "kiln.param_names." + F->name()),
                       ptrArray(TypeCs, "kiln.param_types." + F->name()),
                       ML.cstring(F->resultType().str()), *Entry, ML.cstring(Sig),
                       ConstantInt::get(I32, Short.count(F->name()) ? KILN_FUNC_SHORT : 0),
                       ConstantInt::get(I32, Defaults.size()),
                       DefaultsC, paramFlags(*F)}));
    }
  }

  Constant *Funcs = ConstantPointerNull::get(Ptr);
  if (!Descs.empty()) {
    auto *AT = ArrayType::get(FuncDescTy, Descs.size());
    auto *GV = new GlobalVariable(ML.LM, AT, /*isConstant=*/true, GlobalValue::PrivateLinkage,
                                  ConstantArray::get(AT, Descs), "kiln.funcs");
    GV->setAlignment(Align(8));
    Funcs = GV;
  }
  Constant *Globals = globalsTable();
  auto *ModDesc = new GlobalVariable(
      ML.LM, ModuleDescTy, /*isConstant=*/true, GlobalValue::PrivateLinkage,
      ConstantStruct::get(ModuleDescTy,
                          {ConstantInt::get(I32, KILN_ABI_VERSION), ML.cstring(ML.IRM.Name),
                           ConstantPointerNull::get(Ptr), ConstantInt::get(I32, Descs.size()),
                           Funcs, ConstantInt::get(I32, NumGlobals), Globals}),
      "kiln.module");
  ModDesc->setAlignment(Align(8));

  // PyObject *PyInit_<name>(void) — the module's one exported symbol.
  auto *Init = llvm::Function::Create(FunctionType::get(Ptr, false),
                                      GlobalValue::ExternalLinkage, "PyInit_" + ML.IRM.Name,
                                      ML.LM);
  Init->setVisibility(GlobalValue::DefaultVisibility);
  ML.setCommonAttrs(*Init);
  IRBuilder<> B(BasicBlock::Create(Ctx, "entry", Init));
  B.CreateRet(B.CreateCall(ML.moduleCreateFn(), {ModDesc}));
  return Error::success();
}

Error codegen::emitModuleABI(ModuleLowering &ML) { return ABIEmitter(ML).run(); }

//===- LowerCall.cpp - Calls: builtins, the math module, user functions ----===//
//
// Calls to the module's own functions bind positional and keyword arguments
// and defaults like CPython, then call the exported signature that fits or
// the helper specialisation for the argument types.
//
//===----------------------------------------------------------------------===//

#include "frontend/LowerImpl.h"
#include "llvm/Support/Casting.h"
#include <cmath>

using namespace kiln;
using namespace kiln::lower;
using llvm::dyn_cast;
using llvm::isa;

TypedValue FunctionLowerer::lowerCall(const ast::CallExpr &E) {
  for (auto &A : E.Args)
    if (auto *U = dyn_cast<ast::UnsupportedExpr>(A.get())) {
      diag(DiagID::Unsupported, A->Range, {U->What, U->Verb});
      return bad();
    }
  for (auto &K : E.Keywords)
    if (K.Name.empty()) {
      diag(DiagID::Unsupported, K.Range, {"`**` arguments", "are"});
      return bad();
    }
  if (auto *N = dyn_cast<ast::NameExpr>(E.Func.get())) {
    if (isLocal(N->Id)) {
      diag(DiagID::NotCallable, N->Range, {N->Id});
      return bad();
    }
    if (const ast::FunctionDefStmt *Def = ML.lookupFunction(N->Id))
      return lowerUserCall(*Def, E);
    if (const std::string *Unknown = ML.unknownImport(N->Id)) { // from scipy import fft
      diag(DiagID::UnsupportedModule, E.Func->Range, {*Unknown});
      return bad();
    }
    if (auto *Imp = ML.fromImport(N->Id)) {
      if (Imp->first == "math")
        return lowerMathCall(Imp->second, E);
      if (Imp->first == "cmath")
        return lowerCMathCall(Imp->second, E);
      if (Imp->first == "numpy")
        return lowerNumpyCall(Imp->second, E);
      if (Imp->first == "random" || Imp->first == "numpy.random")
        return lowerRandomCall(Imp->first == "numpy.random", Imp->second, E);
      diag(DiagID::UnsupportedCall, E.Func->Range, {Imp->first + "." + Imp->second});
      return bad();
    }
    return lowerBuiltinCall(N->Id, E);
  }
  if (auto *A = dyn_cast<ast::AttributeExpr>(E.Func.get())) {
    if (auto *N = dyn_cast<ast::NameExpr>(A->Value.get()); N && !isLocal(scopedName(N->Id))) {
      if (const std::string *Unknown = ML.unknownImport(N->Id)) {
        diag(DiagID::UnsupportedModule, E.Func->Range, {*Unknown});
        return bad();
      }
      std::string Mod = ML.moduleAlias(N->Id);
      // `from numpy import random`: random.rand() is NumPy's.
      if (const auto *Imp = ML.fromImport(N->Id);
          Imp && Imp->first == "numpy" && Imp->second == "random")
        Mod = "numpy.random";
      if (Mod == "random" || Mod == "numpy.random")
        return lowerRandomCall(Mod == "numpy.random", A->Attr, E);
      if (Mod == "math")
        return lowerMathCall(A->Attr, E);
      if (Mod == "cmath")
        return lowerCMathCall(A->Attr, E);
      if (Mod == "numpy")
        return lowerNumpyCall(A->Attr, E);
      if (!Mod.empty()) {
        diag(DiagID::UnsupportedCall, E.Func->Range, {N->Id + "." + A->Attr});
        return bad();
      }
    }
    // np.random.rand(), numpy.random.seed(...)
    if (auto *Sub = dyn_cast<ast::AttributeExpr>(A->Value.get()); Sub && Sub->Attr == "random")
      if (auto *N = dyn_cast<ast::NameExpr>(Sub->Value.get());
          N && !isLocal(scopedName(N->Id)) && ML.moduleAlias(N->Id) == "numpy")
        return lowerRandomCall(true, A->Attr, E);
    if (isReductionMethod(A->Attr))
      // x.sum(): the reduction consumes x's expression, fused.
      return lowerReductionCall(A->Attr, E, A->Value.get());
    TypedValue Obj = lowerExpr(*A->Value);
    if (!Obj.ok())
      return bad();
    if (Obj.Ty.isArray())
      return lowerArrayMethod(Obj, A->Attr, E);
    if (Obj.Ty.isList())
      return lowerListMethod(Obj, *A->Value, A->Attr, E);
    if (Obj.Ty.isDict() || Obj.Ty.isSet())
      return lowerDictMethod(Obj, *A->Value, A->Attr, E);
    if (Obj.Ty.isScalar() && (A->Attr == "conjugate" || A->Attr == "conj") && E.Args.empty() &&
        E.Keywords.empty()) {
      if (!Obj.Ty.isComplex())
        return Obj; // a real number is its own conjugate
      return {mathOp("conj", {Obj.V}, Obj.Ty), Obj.Ty};
    }
    diag(DiagID::Unsupported, E.Func->Range,
         {"methods of `" + pyTypeName(Obj.Ty) + "`", "are"});
    return bad();
  }
  // Anything else: report what the callee itself is (a lambda, say) first.
  TypedValue Callee = lowerExpr(*E.Func);
  if (Callee.ok())
    diag(DiagID::NotCallable, E.Func->Range, {pyTypeName(Callee.Ty) + " value"});
  return bad();
}

/// Lowers all positional arguments; no keywords allowed.
static bool checkNoKeywords(FunctionLowerer &FL, llvm::StringRef Name,
                            const ast::CallExpr &E, DiagnosticEngine *D) {
  if (E.Keywords.empty())
    return true;
  if (D)
    D->report(DiagID::BadKeyword, E.Keywords[0].Range, {Name.str(), E.Keywords[0].Name});
  return false;
}

/// print(*values, sep=" ", end="\n", flush=False): Python's own print of
/// the values (the `print` op; the runtime takes the GIL for it).
TypedValue FunctionLowerer::lowerPrint(const ast::CallExpr &E) {
  std::string Sep = " ", End = "\n";
  bool Flush = false;
  for (const ast::Keyword &K : E.Keywords) {
    if (K.Name == "sep" || K.Name == "end") {
      std::string &Out = K.Name == "sep" ? Sep : End;
      if (auto *S = dyn_cast<ast::StrLitExpr>(K.Value.get()); S && !S->IsBytes) {
        Out = S->Value;
        continue;
      }
      if (isa<ast::NoneLitExpr>(K.Value.get()))
        continue; // None: the default
    } else if (K.Name == "flush") {
      if (auto *BL = dyn_cast<ast::BoolLitExpr>(K.Value.get())) {
        Flush = BL->Value;
        continue;
      }
    } else if (K.Name != "file") {
      diag(DiagID::BadKeyword, K.Range, {"print", K.Name});
      return bad();
    }
    diag(DiagID::Unsupported, K.Range,
         {"`print(" + K.Name + "=...)` other than a string literal (sep, end) or a bool "
                               "literal (flush)",
          "is"});
    return bad();
  }
  // Each printed argument: one value, or an f-string's template and its
  // fields (formatted by Python's str.format, as the f-string would be).
  std::vector<ir::ValueId> Vals;
  std::string Layout; // "COUNT,LENGTH:TEMPLATE" per argument
  bool AnyTemplate = false;
  auto Text = [&](const std::string &T, SourceRange R) {
    if (T.find('\0') != std::string::npos) { // the runtime takes C strings
      diag(DiagID::Unsupported, R, {"printing text that holds a NUL character", "is"});
      return false;
    }
    return true;
  };
  auto Arg = [&](size_t Count, const std::string &Template) {
    Layout += std::to_string(Count) + "," + std::to_string(Template.size()) + ":" + Template;
  };
  for (const ast::ExprPtr &A : E.Args) {
    if (auto *FS = dyn_cast<ast::FStringExpr>(A.get())) {
      AnyTemplate = true;
      if (!Text(FS->Template, FS->Range))
        return bad();
      // A None field is its text in the template (a value of no type).
      std::string Template;
      size_t Field = 0, Count = 0;
      for (size_t I = 0; I < FS->Template.size(); ++I) {
        char C = FS->Template[I];
        if ((C == '{' || C == '}') && I + 1 < FS->Template.size() && FS->Template[I + 1] == C) {
          Template += FS->Template.substr(I, 2);
          ++I;
          continue;
        }
        if (C != '{') {
          Template += C;
          continue;
        }
        size_t Close = FS->Template.find('}', I);
        std::string Spec = FS->Template.substr(I, Close - I + 1);
        const ast::Expr &X = *FS->Fields[Field++];
        TypedValue V = lowerExpr(X);
        if (!V.ok())
          return bad();
        if (V.Ty.isNone()) {
          if (Spec != "{}" && Spec != "{!r}" && Spec != "{!s}" && Spec != "{!a}") {
            diag(DiagID::Unsupported, X.Range, {"format specs for None", "are"});
            return bad();
          }
          Template += "None";
        } else {
          Template += Spec;
          Vals.push_back(V.V);
          ++Count;
        }
        I = Close;
      }
      Arg(Count, Template);
      continue;
    }
    if (auto *S = dyn_cast<ast::StrLitExpr>(A.get()); S && !S->IsBytes) {
      if (!Text(S->Value, S->Range))
        return bad();
      Vals.push_back(B.constStr(S->Value));
      Arg(1, "{}");
      continue;
    }
    TypedValue V = lowerExpr(*A);
    if (!V.ok())
      return bad();
    Vals.push_back(V.Ty.isNone() ? B.constStr("None") : V.V);
    Arg(1, "{}");
  }
  if (!Text(Sep, E.Range) || !Text(End, E.Range))
    return bad();
  ir::OpId P = B.create(ir::OpKind::Print, Vals, {});
  if (AnyTemplate)
    F->op(P).Attrs.set("layout", Layout);
  F->op(P).Attrs.set("sep", Sep);
  F->op(P).Attrs.set("end", End);
  if (Flush)
    F->op(P).Attrs.set("flush", true);
  return {ir::ValueId(), Type::none()};
}

TypedValue FunctionLowerer::lowerBuiltinCall(llvm::StringRef Name, const ast::CallExpr &E) {
  if (Name == "print")
    return lowerPrint(E);
  if (Name == "sum" || Name == "any" || Name == "all" || Name == "sorted" || Name == "list" ||
      Name == "set" || Name == "dict" ||
      ((Name == "min" || Name == "max") && E.Args.size() == 1))
    if (std::optional<TypedValue> R = lowerIterableBuiltin(Name, E))
      return *R;
  static const char *Known[] = {"abs", "min", "max", "int", "float", "bool",
                                "round", "len", "pow", "divmod", "complex"};
  bool IsKnown = false;
  for (const char *K : Known)
    IsKnown |= Name == K;
  if (!IsKnown) {
    if (Name == "range")
      diag(DiagID::Unsupported, E.Range, {"`range()` outside a `for` loop header", "is"});
    else if (Name == "print" || Name == "len" || Name == "sum" || Name == "list" ||
             Name == "enumerate" || Name == "zip" || Name == "isinstance" ||
             Name == "str" || Name == "sorted" || Name == "open" ||
             Name == "input" || Name == "eval" || Name == "exec" || Name == "type" ||
             Name == "tuple" || Name == "dict" || Name == "set" || Name == "iter")
      diag(DiagID::UnsupportedCall, E.Func->Range, {Name.str()});
    else
      diag(DiagID::UndefinedName, E.Func->Range, {Name.str()});
    return bad();
  }
  if (!checkNoKeywords(*this, Name, E, emitting() ? &ML.Diags : nullptr))
    return bad();
  size_t N = E.Args.size();
  auto Arity = [&](const char *Expected) {
    diag(DiagID::WrongArity, E.Range, {Name.str(), Expected, std::to_string(N)});
    return bad();
  };

  // float("inf"), float("nan"), float("-inf"): constants.
  if (Name == "float" && N == 1)
    if (auto *S = dyn_cast<ast::StrLitExpr>(E.Args[0].get())) {
      std::string T = llvm::StringRef(S->Value).trim().lower();
      if (T == "inf" || T == "+inf" || T == "infinity")
        return constFloat(INFINITY);
      if (T == "-inf" || T == "-infinity")
        return constFloat(-INFINITY);
      if (T == "nan" || T == "+nan" || T == "-nan")
        return constFloat(NAN);
      diag(DiagID::Unsupported, S->Range, {"`float()` of this string", "is"});
      return bad();
    }

  std::vector<TypedValue> Args;
  for (auto &A : E.Args) {
    TypedValue V = lowerExpr(*A);
    if (!V.ok())
      return bad();
    Args.push_back(V);
  }
  auto RequireScalar = [&](size_t I) {
    if (Args[I].Ty.isScalar() && (!Args[I].Ty.isComplex() || Name == "abs"))
      return true;
    diag(DiagID::TypeMismatch, E.Args[I]->Range,
         {std::string(Args[I].Ty.isComplex() ? "a real number" : "a number") + " for `" +
              Name.str() + "()`",
          pyTypeName(Args[I].Ty)});
    return false;
  };

  if (Name == "complex") {
    if (N > 2)
      return Arity("0 to 2");
    TypedValue Re = N > 0 ? Args[0] : constFloat(0.0);
    if (N == 1 && Re.Ty.isComplex())
      return convert(Re, Type::scalar(TypeKind::Complex128), E.Range, "`complex()`");
    return makeComplex(Re, N > 1 ? Args[1] : constFloat(0.0), E.Range);
  }

  if (Name == "int" || Name == "float" || Name == "bool") {
    if (N == 0)
      return Name == "int" ? constInt(0) : Name == "float" ? constFloat(0.0) : constBool(false);
    if (N != 1)
      return Arity("1");
    if (Name == "bool")
      return truthy(Args[0], E.Args[0]->Range);
    if (!RequireScalar(0))
      return bad();
    if (Name == "int" && Args[0].Ty.isInteger())
      return toPythonInt(Args[0]);
    Type T = Name == "int" ? Type::int64() : Type::float64();
    return {B.cast(Args[0].V, T), T};
  }
  if (Name == "abs") {
    if (N != 1)
      return Arity("1");
    if (!RequireScalar(0))
      return bad();
    Type T = Args[0].Ty.isBool() ? Type::int64() : Args[0].Ty;
    TypedValue V = convert(Args[0], T, E.Range, "`abs()`");
    Type RT = T.isComplex() ? T.complexPart() : T; // |z| is real
    ir::ValueId R = mathOp("abs", {V.V}, RT);
    if (T.isSized())
      F->op(F->definingOp(R)).Attrs.set("numpy", true);
    return {R, RT};
  }
  if (Name == "min" || Name == "max") {
    if (N < 2) {
      if (N == 1)
        diag(DiagID::Unsupported, E.Range,
             {"`" + Name.str() + "()` of a single iterable", "is"});
      else
        Arity("at least 2");
      return bad();
    }
    Type T;
    bool Mixed = false;
    for (size_t I = 0; I < N; ++I) {
      if (!RequireScalar(I))
        return bad();
      Mixed |= I && Args[I].Ty != Args[0].Ty;
      T = joinTypes(T, Args[I].Ty);
    }
    if (Mixed) {
      // CPython keeps the first argument unless a later one compares
      // strictly smaller (min) or greater (max), with exact int/float
      // comparisons; the result then takes the joined type.
      TypedValue Best = Args[0];
      ast::CmpOpKind Better = Name == "min" ? ast::CmpOpKind::Lt : ast::CmpOpKind::Gt;
      for (size_t I = 1; I < N; ++I) {
        TypedValue Take = compare(Better, Args[I], Best, E.Range);
        TypedValue A = convert(Args[I], T, E.Range, "an argument");
        TypedValue C = convert(Best, T, E.Range, "an argument");
        if (!Take.ok() || !A.ok() || !C.ok())
          return bad();
        Best = {B.create1(ir::OpKind::Select, {Take.V, A.V, C.V}, T), T};
      }
      return Best;
    }
    std::vector<ir::ValueId> Vs;
    for (size_t I = 0; I < N; ++I)
      Vs.push_back(convert(Args[I], T, E.Args[I]->Range, "an argument").V);
    ir::ValueId R = mathOp(Name.str(), Vs, T);
    return {R, T};
  }
  if (Name == "round") {
    if (N == 2) {
      diag(DiagID::Unsupported, E.Range, {"`round()` with `ndigits`", "is"});
      return bad();
    }
    if (N != 1)
      return Arity("1 or 2");
    if (!RequireScalar(0))
      return bad();
    if (!Args[0].Ty.isFloat())
      return convert(Args[0], Type::int64(), E.Range, "`round()`");
    ir::ValueId R = mathOp("round", {Args[0].V}, Type::int64());
    return {R, Type::int64()};
  }
  if (Name == "len") {
    if (N != 1)
      return Arity("1");
    if (Args[0].Ty.isTuple())
      return constInt(Args[0].Ty.elements().size());
    if (Args[0].Ty.isArray())
      return {arrayDim(Args[0].V, 0), Type::int64()};
    if (Args[0].Ty.isList())
      return {listLen(Args[0]), Type::int64()};
    if (Args[0].Ty.isDict() || Args[0].Ty.isSet())
      return {B.create1(ir::OpKind::DictLen, {Args[0].V}, Type::int64()), Type::int64()};
    diag(DiagID::TypeMismatch, E.Args[0]->Range,
         {"a tuple or an array for `len()`", pyTypeName(Args[0].Ty)});
    return bad();
  }
  if (Name == "pow") {
    if (N == 3) {
      diag(DiagID::Unsupported, E.Range, {"`pow()` with a modulus", "is"});
      return bad();
    }
    if (N != 2)
      return Arity("2");
    return binaryOp(ast::BinOpKind::Pow, Args[0], Args[1], E.Args[1].get(), E.Range);
  }
  if (Name == "divmod") {
    if (N != 2)
      return Arity("2");
    if (Args[0].Ty.isFloat() || Args[1].Ty.isFloat()) {
      // divmod() of floats has its own message for a zero divisor.
      ir::ValueId Den = convert(Args[1], Type::float64(), E.Range, "the divisor").V;
      raiseIf(B.cmp("eq", Den, B.constFloat(0.0)), "ZeroDivisionError", "float divmod()");
    }
    TypedValue Q = binaryOp(ast::BinOpKind::FloorDiv, Args[0], Args[1], nullptr, E.Range);
    TypedValue R = binaryOp(ast::BinOpKind::Mod, Args[0], Args[1], nullptr, E.Range);
    if (!Q.ok() || !R.ok())
      return bad();
    Type T = Type::tuple({Q.Ty, R.Ty});
    return {B.create1(ir::OpKind::TupleMake, {Q.V, R.V}, T), T};
  }
  return bad();
}

TypedValue FunctionLowerer::lowerMathCall(llvm::StringRef Name, const ast::CallExpr &E) {
  static const char *Unary[] = {
#define MATH1(Name, ID, CanOverflow) #Name,
#include "ir/MathFns.def"
      "fabs"};
  if (isIntMathFn(Name))
    return lowerIntMathCall(Name, E);
  // degrees/radians: x times CPython's constant.
  if ((Name == "degrees" || Name == "radians") && E.Args.size() == 1 && E.Keywords.empty()) {
    TypedValue X = lowerNumberArg(*E.Args[0], "a number for `math." + Name.str() + "()`");
    if (!X.ok())
      return bad();
    if (X.Ty.isComplex()) {
      diag(DiagID::TypeMismatch, E.Args[0]->Range, {"a real number", pyTypeName(X.Ty)});
      return bad();
    }
    ir::ValueId XF = convert(X, Type::float64(), E.Range, "the argument").V;
    double K = Name == "degrees" ? 180.0 / M_PI : M_PI / 180.0;
    return {B.create1(ir::OpKind::Mul, {XF, B.constFloat(K)}, Type::float64()), Type::float64()};
  }
  static const char *Binary[] = {"atan2", "pow", "hypot", "copysign", "fmod"};
  static const char *Preds[] = {"isnan", "isinf", "isfinite"};
  static const char *ToInt[] = {"floor", "ceil", "trunc"};
  auto In = [&](auto &List) {
    for (const char *X : List)
      if (Name == X)
        return true;
    return false;
  };
  bool IsUnary = In(Unary), IsBinary = In(Binary), IsPred = In(Preds), IsToInt = In(ToInt);
  bool IsLog2Arg = Name == "log" && E.Args.size() == 2;
  if (!IsUnary && !IsBinary && !IsPred && !IsToInt) {
    diag(DiagID::UnsupportedCall, E.Func->Range, {"math." + Name.str()});
    return bad();
  }
  if (!checkNoKeywords(*this, Name, E, emitting() ? &ML.Diags : nullptr))
    return bad();
  size_t Want = (IsBinary || IsLog2Arg) ? 2 : 1;
  if (E.Args.size() != Want) {
    diag(DiagID::WrongArity, E.Range,
         {"math." + Name.str(), Name == "log" ? "1 or 2" : std::to_string(Want),
          std::to_string(E.Args.size())});
    return bad();
  }
  auto Lowered = lowerNumberArgs(E, "math." + Name.str());
  if (!Lowered)
    return bad();
  std::vector<TypedValue> &Args = *Lowered;
  auto Emit = [&](llvm::StringRef Fn, std::vector<ir::ValueId> Ops, Type T) {
    ir::ValueId R = mathOp(Fn.str(), Ops, T);
    return TypedValue{R, T};
  };
  Type F64 = Type::float64();
  // math.floor/ceil/trunc of an int are the int itself.
  if (IsToInt && !Args[0].Ty.isFloat())
    return convert(Args[0], Type::int64(), E.Range, "the argument");
  std::vector<ir::ValueId> Fs;
  for (size_t I = 0; I < Args.size(); ++I)
    Fs.push_back(convert(Args[I], F64, E.Args[I]->Range, "the argument").V);
  if (IsLog2Arg) {
    // CPython computes math.log(x, base) as log(x) / log(base).
    TypedValue Num = Emit("log", {Fs[0]}, F64);
    TypedValue Den = Emit("log", {Fs[1]}, F64);
    return {B.create1(ir::OpKind::Div, {Num.V, Den.V}, F64), F64};
  }
  if (IsPred)
    return Emit(Name, Fs, Type::boolean());
  if (IsToInt)
    return Emit(Name, Fs, Type::int64());
  return Emit(Name, Fs, F64);
}

std::optional<std::vector<TypedValue>>
FunctionLowerer::lowerNumberArgs(const ast::CallExpr &E, const std::string &Callee) {
  std::vector<TypedValue> Args;
  for (auto &A : E.Args) {
    TypedValue V = lowerExpr(*A);
    if (!V.ok())
      return std::nullopt;
    if (!V.Ty.isScalar()) {
      diag(DiagID::TypeMismatch, A->Range, {"a number for `" + Callee + "()`", pyTypeName(V.Ty)});
      return std::nullopt;
    }
    Args.push_back(V);
  }
  return Args;
}

std::vector<TypedValue> FunctionLowerer::bindCallArgs(const ast::FunctionDefStmt &Def,
                                                      const ast::CallExpr &E, bool &Ok) {
  Ok = true;
  size_t NP = Def.Params.size();
  std::vector<const ast::Expr *> Bound(NP, nullptr);
  for (const ast::Param &P : Def.Params)
    if (P.PKind == ast::Param::VarArgs || P.PKind == ast::Param::VarKw) {
      diag(DiagID::UnsupportedParam, P.Range,
           {P.PKind == ast::Param::VarArgs ? "`*args` parameters" : "`**kwargs` parameters"});
      Ok = false;
      return {};
    }
  if (E.Args.size() > NP) {
    diag(DiagID::WrongArity, E.Range,
         {Def.Name, std::to_string(NP), std::to_string(E.Args.size())});
    Ok = false;
    return {};
  }
  for (size_t I = 0; I < E.Args.size(); ++I)
    Bound[I] = E.Args[I].get();
  for (const ast::Keyword &K : E.Keywords) {
    size_t I = 0;
    while (I < NP && Def.Params[I].Name != K.Name)
      ++I;
    if (I == NP || Def.Params[I].PKind == ast::Param::PosOnly) {
      diag(DiagID::BadKeyword, K.Range, {Def.Name, K.Name});
      Ok = false;
      return {};
    }
    if (Bound[I]) {
      diag(DiagID::MultipleValues, K.Range, {Def.Name, K.Name});
      Ok = false;
      return {};
    }
    Bound[I] = K.Value.get();
  }
  for (size_t I = 0; I < NP; ++I)
    if (!Bound[I] && !Def.Params[I].Default) {
      diag(DiagID::WrongArity, E.Range,
           {Def.Name, std::to_string(NP), std::to_string(E.Args.size() + E.Keywords.size())});
      Ok = false;
      return {};
    }
  // None arguments are fine: the callee's specialisation knows the
  // parameter is None (`inner(a)` for `def inner(a, out=None)`).
  auto Lower = [&](const ast::Expr &A) {
    TypedValue V = lowerExpr(A);
    Ok &= V.ok();
    return V;
  };
  // Arguments are evaluated in source order (positional, then keywords as
  // written), then bound; defaults are module-level expressions.
  std::vector<TypedValue> Vals(NP);
  for (size_t I = 0; I < E.Args.size(); ++I)
    Vals[I] = Lower(*E.Args[I]);
  for (const ast::Keyword &K : E.Keywords)
    for (size_t I = 0; I < NP; ++I)
      if (Def.Params[I].Name == K.Name)
        Vals[I] = Lower(*K.Value);
  for (size_t I = 0; I < NP; ++I)
    if (!Bound[I]) {
      bool Saved = ModuleScope;
      ModuleScope = true;
      Vals[I] = Lower(*Def.Params[I].Default);
      ModuleScope = Saved;
      if (Vals[I].ok() && !checkSharedDefault(Vals[I], *Def.Params[I].Default)) {
        Ok = false;
        return {};
      }
    }
  return Vals;
}

TypedValue FunctionLowerer::lowerUserCall(const ast::FunctionDefStmt &Def,
                                          const ast::CallExpr &E) {
  bool Ok;
  std::vector<TypedValue> Args = bindCallArgs(Def, E, Ok);
  if (!Ok)
    return bad();
  std::vector<Type> ArgTypes;
  for (auto &A : Args)
    ArgTypes.push_back(A.Ty);

  Spec *Target = nullptr;
  // Exports that leave out trailing parameters are for Python callers; a
  // compiled call passes every parameter.
  // A None argument (`inner(a, None)`) matches no export: the call gets a
  // specialisation of its own, as a helper call would.
  std::vector<Spec *> Exports;
  bool PassesNone = std::any_of(ArgTypes.begin(), ArgTypes.end(), [](Type T) { return T.isNone(); });
  for (Spec *X : ML.exportedSpecs(Def))
    if (X->ArgTypes.size() == Args.size() && !PassesNone)
      Exports.push_back(X);
  if (!Exports.empty()) {
    // An exported function keeps its declared types: pick the exact
    // signature, else the first one the arguments convert to.
    for (Spec *X : Exports)
      if (X->ArgTypes == ArgTypes)
        Target = X;
    if (!Target)
      for (Spec *X : Exports) {
        bool Fits = true;
        for (size_t I = 0; I < Args.size(); ++I)
          Fits &= joinTypes(ArgTypes[I], X->ArgTypes[I]) == X->ArgTypes[I];
        if (Fits) {
          Target = X;
          break;
        }
      }
    if (!Target) {
      std::string Got;
      for (size_t I = 0; I < ArgTypes.size(); ++I)
        Got += (I ? ", " : "") + pyTypeName(ArgTypes[I]);
      diag(DiagID::TypeMismatch, E.Range,
           {"arguments matching an exported signature of `" + Def.Name + "`", "(" + Got + ")"});
      return bad();
    }
    bool Created;
    ML.getSpec(Def, Target->ArgTypes, M, Created);
    Target->Callers.insert(&S);
  } else {
    bool Created;
    Target = ML.getSpec(Def, ArgTypes, M, Created);
    if (!Target) {
      diag(DiagID::RecursionTooDeep, E.Range, {Def.Name});
      return bad();
    }
    Target->Callers.insert(&S);
    if (Created) {
      Target->CallSite = E.Range;
      Target->Caller = S.Def->Name;
      Changed = true;
      if (emitting()) {
        diag(DiagID::CannotInferReturn, E.Range, {Def.Name});
        return bad();
      }
    }
  }
  std::vector<ir::ValueId> Vals;
  for (size_t I = 0; I < Args.size(); ++I) {
    if (Target->ArgTypes[I].isNone())
      continue; // a None parameter is not passed
    // `out = []; fill(out)`: the empty list variable takes the item type
    // the callee declares.
    if (Args[I].ok() && Args[I].Ty.isList() && Target->ArgTypes[I].isList() && I < E.Args.size())
      widenListVar(*E.Args[I], Target->ArgTypes[I].elementType());
    Vals.push_back(
        convert(Args[I], Target->ArgTypes[I], E.Range, "argument `" + Def.Params[I].Name + "`").V);
  }
  Type Ret = Target->Ret;
  if (!Ret.isValid()) {
    // Not known yet (recursion, or the callee not inferred yet): inference
    // comes back. A callee without a `return value` returns None.
    if (Target->HasValueReturn || (!emitting() && !Target->Inferred))
      return bad();
    Ret = Type::none();
  }
  std::vector<Type> ResultTypes;
  if (!Ret.isNone())
    ResultTypes.push_back(Ret);
  ir::OpId C = B.create(ir::OpKind::Call, Vals, ResultTypes);
  F->op(C).Attrs.set("callee", ir::SymbolRef{Target->IRName});
  if (Ret.isNone())
    return {ir::ValueId(), Ret};
  return {F->op(C).Results[0], Ret};
}

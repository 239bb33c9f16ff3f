//===- TypeSpec.cpp - Type annotations, type text and export comments -----===//
//
// Turns what the user wrote about types into Kiln types: annotations
// (`x: float64[:, ::1]`, `list[int]`), string annotations and the text of
// export comments in Kiln's and Pythran's spelling. The export language is
// Pythran's in full: several functions per comment, `A or B` alternatives
// and trailing `T?` parameters (both expanded into overloads), `order(C)` /
// `order(F)`, fixed extents (`float64[:, 3]`, checked on entry), postfix
// `list` / `set` / `K:V dict`, and global variables (`N`).
//
//===----------------------------------------------------------------------===//

#include "frontend/LowerImpl.h"
#include "llvm/Support/Casting.h"
#include <algorithm>
#include <functional>

using namespace kiln;
using namespace kiln::lower;
using llvm::dyn_cast;
using llvm::isa;


/// Maps a scalar type name (last component of a dotted name) to a type.
static Type scalarTypeByName(llvm::StringRef N, bool &KnownButUnsupported) {
  KnownButUnsupported = false;
  if (N == "int" || N == "int64" || N == "int_" || N == "intp" || N == "long")
    return Type::int64();
  if (N == "float" || N == "float64" || N == "double" || N == "float_")
    return Type::float64();
  if (N == "bool" || N == "bool_")
    return Type::boolean();
  if (N == "single")
    return Type::scalar(TypeKind::Float32);
  if (N == "complex")
    return Type::scalar(TypeKind::Complex128);
  if (Type T = Type::fromNumPyName(N); T.isValid())
    return T;
  static const char *Later[] = {"float16", "half", "clongdouble", "longdouble",
                                "uint", "str", "list", "dict"};
  for (const char *L : Later)
    if (N == L)
      KnownButUnsupported = true;
  return Type();
}

static std::string exprText(const ast::Expr &E, const SourceFile *F) {
  if (!F || E.Range.Begin.Line != E.Range.End.Line)
    return "<type>";
  std::string L = F->line(E.Range.Begin.Line);
  size_t B = E.Range.Begin.Col - 1, End = E.Range.End.Col - 1;
  if (B >= L.size() || End > L.size() || End <= B)
    return "<type>";
  return L.substr(B, End - B);
}

/// An array type from its element name and the text of each axis (`:`,
/// `::`, `::1`, empty for Pythran's `[]`, or a fixed extent such as `3`).
/// Fixed extents go to \p Extents (-1 for a free axis) when it is given.
/// Reports and returns invalid when it is not one Kiln supports.
static Type arrayType(llvm::StringRef ElemName, const std::vector<std::string> &Axes,
                      llvm::StringRef Text, SourceRange R, DiagnosticEngine &Diags,
                      std::vector<int64_t> *Extents = nullptr) {
  bool Later;
  Type Elem = scalarTypeByName(ElemName, Later);
  if (!Elem.isValid()) {
    if (Later)
      Diags.report(DiagID::ArrayElemNotYet, R, {ElemName.str()});
    else
      Diags.report(DiagID::BadTypeSpec, R, {ElemName.str()});
    return Type();
  }
  if (Axes.empty() || Axes.size() > 32) {
    Diags.report(DiagID::BadArrayType, R, {Text.str()});
    return Type();
  }
  std::vector<int64_t> Fixed;
  for (const std::string &A : Axes) {
    llvm::StringRef S = llvm::StringRef(A).trim();
    int64_t N;
    if (Extents && !S.empty() && !S.getAsInteger(10, N) && N >= 0) {
      Fixed.push_back(N);
      continue;
    }
    if (!(S.empty() || S == ":" || S == "::1" || S == "::")) {
      Diags.report(DiagID::BadArrayType, R, {Text.str()});
      return Type();
    }
    Fixed.push_back(-1);
  }
  if (Extents)
    *Extents = std::move(Fixed);
  // `::1` on the last axis (and only there) promises C order; Fortran
  // order (`::1` first) is accepted as a strided array.
  bool COrder = llvm::StringRef(Axes.back()).trim() == "::1";
  for (size_t I = 0; I + 1 < Axes.size(); ++I)
    if (llvm::StringRef(Axes[I]).trim() == "::1")
      COrder = false;
  return Type::array(Elem, Axes.size(), COrder);
}

/// The text of a slice in an annotation: ":" or "::1"; "?" otherwise.
static std::string sliceText(const ast::Expr &E) {
  auto *S = dyn_cast<ast::SliceExpr>(&E);
  if (!S || S->Lower || S->Upper)
    return "?";
  if (!S->Step)
    return ":";
  auto *I = dyn_cast<ast::IntLitExpr>(S->Step.get());
  return I && I->FitsInt64 && I->Value == 1 ? "::1" : "?";
}

Type lower::resolveTypeExpr(const ast::Expr &E, DiagnosticEngine &Diags) {
  auto Unknown = [&](llvm::StringRef Text) {
    Diags.report(DiagID::BadTypeSpec, E.Range, {Text.str()});
    return Type();
  };
  if (auto *S = dyn_cast<ast::StrLitExpr>(&E)) {
    SourceLoc At = E.Range.Begin;
    At.Col += 1; // skip the quote
    return resolveTypeText(S->Value, At, Diags);
  }
  if (isa<ast::NoneLitExpr>(&E))
    return Type::none();
  std::string Name;
  if (auto *N = dyn_cast<ast::NameExpr>(&E))
    Name = N->Id;
  else if (auto *A = dyn_cast<ast::AttributeExpr>(&E))
    Name = A->Attr;
  if (!Name.empty()) {
    bool Later;
    Type T = scalarTypeByName(Name, Later);
    if (T.isValid())
      return T;
    if (Later) {
      Diags.report(DiagID::Unsupported, E.Range, {"type `" + Name + "`", "is"});
      return Type();
    }
    return Unknown(Name);
  }
  if (auto *Sub = dyn_cast<ast::SubscriptExpr>(&E)) {
    std::string Base;
    if (auto *N = dyn_cast<ast::NameExpr>(Sub->Value.get()))
      Base = N->Id;
    else if (auto *A = dyn_cast<ast::AttributeExpr>(Sub->Value.get()))
      Base = A->Attr;
    if (Base == "dict" || Base == "Dict") {
      auto *KV = dyn_cast<ast::TupleExpr>(Sub->Index.get());
      if (!KV || KV->Elts.size() != 2)
        return Unknown(exprText(E, Diags.source()));
      Type K = resolveTypeExpr(*KV->Elts[0], Diags), V = resolveTypeExpr(*KV->Elts[1], Diags);
      if (!K.isValid() || !V.isValid())
        return Type();
      return Type::dict(K, V);
    }
    if (Base == "set" || Base == "Set") {
      Type K = resolveTypeExpr(*Sub->Index, Diags);
      return K.isValid() ? Type::set(K) : Type();
    }
    if (Base == "list" || Base == "List") {
      Type ET = resolveTypeExpr(*Sub->Index, Diags);
      if (!ET.isValid())
        return Type();
      if (ET.isArray() || ET.isNone()) {
        Diags.report(DiagID::Unsupported, Sub->Index->Range,
                     {ET.isArray() ? "lists of arrays" : "lists of None", "are"});
        return Type();
      }
      return Type::list(ET);
    }
    if (Base == "tuple" || Base == "Tuple") {
      if (isa<ast::TupleExpr>(Sub->Index.get()))
        return resolveTypeExpr(*Sub->Index, Diags); // tuple[int, float]
      Type ET = resolveTypeExpr(*Sub->Index, Diags); // tuple[int]
      return ET.isValid() ? Type::tuple({ET}) : Type();
    }
    std::vector<std::string> Axes;
    if (auto *T = dyn_cast<ast::TupleExpr>(Sub->Index.get()))
      for (auto &X : T->Elts)
        Axes.push_back(sliceText(*X));
    else
      Axes.push_back(sliceText(*Sub->Index));
    return arrayType(Base, Axes, exprText(E, Diags.source()), E.Range, Diags);
  }
  if (auto *T = dyn_cast<ast::TupleExpr>(&E)) {
    std::vector<Type> Elts;
    for (auto &X : T->Elts) {
      Type ET = resolveTypeExpr(*X, Diags);
      if (!ET.isValid())
        return Type();
      Elts.push_back(ET);
    }
    return Type::tuple(Elts);
  }
  return Unknown(exprText(E, Diags.source()));
}

/// The dotted name's last component of a type annotation: `ndarray` for
/// `np.ndarray`, `NDArray` for `npt.NDArray[...]`'s base.
static std::string lastName(const ast::Expr &E) {
  if (auto *N = dyn_cast<ast::NameExpr>(&E))
    return N->Id;
  if (auto *A = dyn_cast<ast::AttributeExpr>(&E))
    return A->Attr;
  return "";
}

/// Arrays of \p Elems with ranks 1 to 3: what an annotation that gives no
/// rank (`np.ndarray`, `npt.NDArray[np.float64]`) is compiled for.
static std::vector<Type> guessedArrays(llvm::ArrayRef<Type> Elems) {
  std::vector<Type> R;
  for (Type E : Elems)
    for (unsigned Rank = 1; Rank <= 3; ++Rank)
      R.push_back(Type::array(E, Rank, /*COrder=*/false));
  return R;
}

static std::vector<Type> alternativesOf(const ast::Expr &E, DiagnosticEngine &Diags,
                                        bool &Guessed);

/// The alternatives of an annotation, scalars ordered bool, int, float,
/// complex (as Python's numeric tower: `float | int` takes a bool as an
/// int, as `int | float` does), the rest as written.
std::vector<Type> lower::resolveTypeAlternatives(const ast::Expr &E, DiagnosticEngine &Diags,
                                                 bool &Guessed) {
  std::vector<Type> R = alternativesOf(E, Diags, Guessed);
  auto Rank = [](Type T) {
    return T.isBool() ? 0 : T.isInt() ? 1 : T.isFloat() ? 2 : T.isComplex() ? 3 : 4;
  };
  std::stable_sort(R.begin(), R.end(), [&](Type A, Type B) { return Rank(A) < Rank(B); });
  return R;
}

static std::vector<Type> alternativesOf(const ast::Expr &E, DiagnosticEngine &Diags,
                                        bool &Guessed) {
  std::string Name = lastName(E);
  if (Name == "ndarray") {
    Guessed = true;
    return guessedArrays({Type::float64(), Type::int64()});
  }
  // `int | float`
  if (auto *B = dyn_cast<ast::BinOpExpr>(&E); B && B->Op == ast::BinOpKind::BitOr) {
    std::vector<Type> L = alternativesOf(*B->LHS, Diags, Guessed);
    std::vector<Type> R = alternativesOf(*B->RHS, Diags, Guessed);
    if (L.empty() || R.empty())
      return {};
    L.insert(L.end(), R.begin(), R.end());
    return L;
  }
  if (auto *Sub = dyn_cast<ast::SubscriptExpr>(&E)) {
    std::string Base = lastName(*Sub->Value);
    if (Base == "NDArray") { // numpy.typing.NDArray[np.float64]
      Guessed = true;
      std::string Elem = lastName(*Sub->Index);
      if (Elem == "Any")
        return guessedArrays({Type::float64(), Type::int64()});
      Type T = resolveTypeExpr(*Sub->Index, Diags);
      if (!T.isValid())
        return {};
      if (!T.isScalar()) {
        Diags.report(DiagID::BadTypeSpec, Sub->Index->Range, {"NDArray of " + pyTypeName(T)});
        return {};
      }
      return guessedArrays({T});
    }
    if (Base == "Union") {
      std::vector<Type> R;
      auto *T = dyn_cast<ast::TupleExpr>(Sub->Index.get());
      if (!T)
        return alternativesOf(*Sub->Index, Diags, Guessed);
      for (const ast::ExprPtr &X : T->Elts) {
        std::vector<Type> A = alternativesOf(*X, Diags, Guessed);
        if (A.empty())
          return {};
        R.insert(R.end(), A.begin(), A.end());
      }
      return R;
    }
  }
  Type T = resolveTypeExpr(E, Diags);
  if (!T.isValid())
    return {};
  return {T};
}

namespace {
/// A recursive-descent parser for type text: `float64`, `np.int64`,
/// `float64[:, ::1]`, `(int, float)`, `tuple[int, float]`, Pythran's
/// `float64[][]`, `float64[:, 3]`, `int[:, :] order(F)`, `int list`,
/// `str:float dict`, and whole export comments (`f(int, float?), g(int
/// or float)`). \p LocOf maps an offset in the text to its source location
/// (export comments may be continued over several lines).
class TypeTextParser {
public:
  TypeTextParser(llvm::StringRef T, std::function<SourceLoc(size_t)> LocOf, DiagnosticEngine &D)
      : Text(T), LocOf(std::move(LocOf)), Diags(D) {}

  Type parseAll() {
    Type T = parse();
    skip();
    if (T.isValid() && Pos != Text.size()) {
      error(DiagID::BadTypeSpec, Pos, Text.size(), Text.substr(Pos).str());
      return Type();
    }
    return T;
  }

  /// An export comment's text: items separated by commas, each a function
  /// with its parameter types or a global variable's name.
  bool parseExports(std::vector<ExportItem> &Items) {
    InExport = true;
    AllowExtents = true;
    do {
      skip();
      size_t Start = Pos;
      if (word("capsule")) {
        error(DiagID::Unsupported, Start, Pos, "Pythran's `capsule` exports", "are");
        return false;
      }
      llvm::StringRef Name = ident();
      if (Name.empty()) {
        error(DiagID::BadExportComment, Start, Start + 1,
              "expected a function name, found `" + Text.substr(Start).str() + "`");
        return false;
      }
      ExportItem It;
      It.Name = Name.str();
      It.NameRange = range(Start, Pos);
      if (eat('(')) {
        It.IsFunction = true;
        if (!parseParams(It))
          return false;
      }
      Items.push_back(std::move(It));
    } while (eat(','));
    skip();
    if (Pos != Text.size()) {
      error(DiagID::BadExportComment, Pos, Text.size(),
            "unexpected `" + Text.substr(Pos).str() + "`");
      return false;
    }
    return true;
  }

  /// A type, then Pythran's postfix `list`, `set` and `K:V dict`.
  Type parse() {
    size_t Start = (skip(), Pos);
    Type T = parseOne();
    while (T.isValid()) {
      skip();
      if (word("list")) {
        if (T.isArray()) {
          error(DiagID::Unsupported, Start, Pos, "lists of arrays", "are");
          return Type();
        }
        T = Type::list(T);
        continue;
      }
      if (word("set")) {
        T = Type::set(T);
        continue;
      }
      if (!eat(':'))
        break;
      // `K:V dict`: a key type, a colon, then the value type.
      Type V = parseOne();
      if (!V.isValid())
        return Type();
      skip();
      if (!word("dict")) {
        if (word("or")) {
          error(DiagID::Unsupported, Start, Pos,
                "`or` inside a dict type (write the alternatives of the whole parameter)", "is");
          return Type();
        }
        error(DiagID::BadTypeSpec, Start, Pos, Text.substr(Start, Pos - Start).str());
        return Type();
      }
      T = Type::dict(T, V);
    }
    return T;
  }

  /// Fixed extents of the last array type parsed (-1: free), else empty.
  std::vector<int64_t> Extents;

private:
  llvm::StringRef Text;
  bool InExport = false;     ///< parsing an export comment
  bool AllowExtents = false; ///< fixed extents (`float64[:, 3]`): exports only
  std::function<SourceLoc(size_t)> LocOf;
  DiagnosticEngine &Diags;
  size_t Pos = 0;

  /// `(T1 or T2, T3?, ...)` after the opening parenthesis: every
  /// combination of alternatives, and one signature per optional suffix.
  bool parseParams(ExportItem &It) {
    std::vector<std::vector<ExportParam>> Alts; // per parameter
    size_t Required = 0;
    bool SeenOptional = false;
    if (!eat(')')) {
      do {
        size_t PStart = (skip(), Pos);
        std::vector<ExportParam> A;
        do {
          Extents.clear();
          Type T = parse();
          if (!T.isValid())
            return false;
          A.push_back({T, T.isArray() ? Extents : std::vector<int64_t>()});
          skip();
        } while (word("or"));
        if (eat('?')) {
          SeenOptional = true;
        } else if (SeenOptional) {
          error(DiagID::BadExportComment, PStart, Pos,
                "a parameter without `?` cannot follow an optional one (`T?`)");
          return false;
        } else {
          ++Required;
        }
        Alts.push_back(std::move(A));
      } while (eat(','));
      if (!eat(')')) {
        error(DiagID::BadExportComment, Pos, Text.size(),
              "expected `,` or `)` in the parameter list, found `" + Text.substr(Pos).str() + "`");
        return false;
      }
    }
    // Expand: for each count of optional parameters given, the product of
    // the alternatives (Pythran's order: leftmost parameter slowest).
    for (size_t N = Required; N <= Alts.size(); ++N) {
      std::vector<std::vector<ExportParam>> Sigs{{}};
      for (size_t I = 0; I < N; ++I) {
        std::vector<std::vector<ExportParam>> Next;
        for (auto &Sg : Sigs)
          for (const ExportParam &P : Alts[I]) {
            Next.push_back(Sg);
            Next.back().push_back(P);
          }
        Sigs = std::move(Next);
        if (Sigs.size() > 256) {
          error(DiagID::BadExportComment, 0, Text.size(),
                "the alternatives (`or`) expand to more than 256 signatures");
          return false;
        }
      }
      for (auto &Sg : Sigs)
        It.Sigs.push_back(std::move(Sg));
    }
    return true;
  }

  Type parseOne() {
    skip();
    size_t Start = Pos;
    if (eat('(')) {
      if (!eat(')'))
        return parseTupleRest(Start, ')');
      size_t Save = Pos;
      if (!word("tuple"))
        Pos = Save;
      return Type::tuple({});
    }
    while (Pos < Text.size() &&
           (isalnum((unsigned char)Text[Pos]) || Text[Pos] == '_' || Text[Pos] == '.'))
      ++Pos;
    llvm::StringRef Dotted = Text.slice(Start, Pos);
    llvm::StringRef Name = Dotted.rsplit('.').second.empty() ? Dotted : Dotted.rsplit('.').second;
    if (Name.empty()) {
      if (InExport && Start >= Text.size())
        error(DiagID::BadExportComment, Start, Start + 1,
              "it ends inside `(...)` (a comment continues it only on the lines right after "
              "it)");
      else
        error(DiagID::BadTypeSpec, Start, Start + 1, Text.substr(Start, 1).str());
      return Type();
    }
    skip();
    if (Pos < Text.size() && Text[Pos] == '[') {
      if (Name == "tuple" || Name == "Tuple") {
        ++Pos;
        return parseTupleRest(Start, ']');
      }
      if (Name == "list" || Name == "List") { // list[float]
        ++Pos;
        Type E = parse();
        if (!E.isValid())
          return Type();
        if (!eat(']')) {
          error(DiagID::BadTypeSpec, Start, Pos, Text.substr(Start, Pos - Start).str());
          return Type();
        }
        if (E.isArray()) {
          error(DiagID::Unsupported, Start, Pos, "lists of arrays", "are");
          return Type();
        }
        return Type::list(E);
      }
      // An array type: `T[:, ::1]`, or Pythran's `T[][]`, `T[:, 3]`.
      std::vector<std::string> Axes;
      while (Pos < Text.size() && Text[Pos] == '[') {
        size_t Close = Text.find(']', Pos);
        if (Close == llvm::StringRef::npos)
          Close = Text.size();
        llvm::SmallVector<llvm::StringRef, 4> Parts;
        Text.slice(Pos + 1, Close).split(Parts, ',');
        for (llvm::StringRef P : Parts)
          Axes.push_back(P.str());
        Pos = std::min(Close + 1, Text.size());
        skip();
      }
      size_t End = Pos;
      // Pythran's `order(C)` / `order(F)` after the brackets.
      char Order = 0;
      size_t Save = Pos;
      if (word("order")) {
        if (eat('(')) {
          skip();
          if (Pos < Text.size() && (Text[Pos] == 'C' || Text[Pos] == 'F')) {
            Order = Text[Pos++];
            if (!eat(')'))
              Order = 0;
          }
        }
        if (!Order) {
          error(DiagID::BadExportComment, Save, Pos, "expected `order(C)` or `order(F)`");
          return Type();
        }
      }
      Type T = arrayType(Name, Axes, Text.slice(Start, End), range(Start, End), Diags,
                         AllowExtents ? &Extents : nullptr);
      // order(C): C-contiguous. order(F) (Fortran) arrays are accepted as
      // strided arrays, which takes them without a copy.
      if (T.isValid() && Order == 'F' && T.isCOrder() && T.ndim() > 1) {
        error(DiagID::BadExportComment, Start, Pos, "`::1` on the last axis and `order(F)` contradict each other");
        return Type();
      }
      if (T.isValid() && Order)
        T = Type::array(T.elementType(), T.ndim(), Order == 'C');
      return T;
    }
    bool Later;
    Type T = scalarTypeByName(Name, Later);
    if (!T.isValid()) {
      if (Name == "None")
        return Type::none();
      if (Later)
        error(DiagID::Unsupported, Start, Pos, "type `" + Name.str() + "`", "is");
      else
        error(DiagID::BadTypeSpec, Start, Pos, Dotted.str());
    }
    return T;
  }

  /// Element types separated by commas up to \p Close, as a tuple type.
  Type parseTupleRest(size_t Start, char Close) {
    std::vector<Type> Elts;
    do {
      Type E = parse();
      if (!E.isValid())
        return Type();
      Elts.push_back(E);
    } while (eat(','));
    if (!eat(Close)) {
      if (word("or"))
        error(DiagID::Unsupported, Start, Pos,
              "`or` inside a tuple, list, set or dict type (write the alternatives of the "
              "whole parameter: `(int, int) or (float, int)`)",
              "is");
      else
        error(DiagID::BadTypeSpec, Start, Pos, Text.substr(Start, Pos - Start).str());
      return Type();
    }
    // Pythran's `(A, B) tuple` names the tuple twice.
    size_t Save = Pos;
    if (!word("tuple"))
      Pos = Save;
    return Type::tuple(Elts);
  }

  SourceRange range(size_t B, size_t E) {
    return SourceRange(LocOf(B), LocOf(std::max(E, B + 1)));
  }

  void error(DiagID ID, size_t B, size_t E, std::string A0, std::string A1 = "") {
    std::vector<std::string> Args{A0};
    if (!A1.empty())
      Args.push_back(A1);
    Diags.report(ID, range(B, E), Args);
  }

  void skip() {
    while (Pos < Text.size() && (Text[Pos] == ' ' || Text[Pos] == '\t'))
      ++Pos;
  }
  bool eat(char C) {
    skip();
    if (Pos < Text.size() && Text[Pos] == C) {
      ++Pos;
      return true;
    }
    return false;
  }
  /// An identifier (letters, digits, `_`), or empty.
  llvm::StringRef ident() {
    skip();
    size_t B = Pos;
    if (Pos < Text.size() && (isalpha((unsigned char)Text[Pos]) || Text[Pos] == '_'))
      while (Pos < Text.size() && (isalnum((unsigned char)Text[Pos]) || Text[Pos] == '_'))
        ++Pos;
    return Text.slice(B, Pos);
  }
  /// Consumes the keyword \p W when it comes next as a whole word.
  bool word(llvm::StringRef W) {
    skip();
    llvm::StringRef Rest = Text.substr(Pos);
    if (!Rest.starts_with(W) ||
        (Rest.size() > W.size() && (isalnum((unsigned char)Rest[W.size()]) || Rest[W.size()] == '_')))
      return false;
    Pos += W.size();
    return true;
  }
};
} // namespace

Type lower::resolveTypeText(llvm::StringRef Text, SourceLoc At, DiagnosticEngine &Diags) {
  auto LocOf = [At](size_t Off) {
    SourceLoc L = At;
    L.Col += Off;
    return L;
  };
  return TypeTextParser(Text, LocOf, Diags).parseAll();
}

bool lower::parseExportComment(const ast::ExportComment &C, std::vector<ExportItem> &Items,
                               DiagnosticEngine &Diags) {
  return TypeTextParser(C.Text, [&C](size_t Off) { return C.locAt(Off); }, Diags)
      .parseExports(Items);
}

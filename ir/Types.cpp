//===- Types.cpp - Interned Kiln IR types ----------------------------------===//

#include "ir/Types.h"
#include <cassert>
#include <map>
#include <tuple>

using namespace kiln;

namespace {
struct TypeEntry {
  TypeKind Kind;
  std::vector<Type> Elts;
  uint32_t Extra; ///< arrays: ndim | (C order << 8)
};
/// The process-wide type table. Entry 0 is the invalid type.
struct TypeTable {
  std::vector<TypeEntry> Entries{{TypeKind::Invalid, {}, 0}};
  std::map<std::tuple<TypeKind, std::vector<uint32_t>, uint32_t>, uint32_t> Index;
};
TypeTable &table() {
  static TypeTable T;
  return T;
}
} // namespace

Type Type::intern(TypeKind K, llvm::ArrayRef<Type> Elts, uint32_t Extra) {
  TypeTable &T = table();
  std::vector<uint32_t> Key;
  for (Type E : Elts)
    Key.push_back(E.Id);
  auto It = T.Index.find({K, Key, Extra});
  if (It != T.Index.end())
    return Type(It->second);
  uint32_t Id = T.Entries.size();
  T.Entries.push_back({K, std::vector<Type>(Elts.begin(), Elts.end()), Extra});
  T.Index[{K, Key, Extra}] = Id;
  return Type(Id);
}

Type Type::array(Type Elem, unsigned NDim, bool COrder) {
  assert(NDim >= 1 && NDim <= 32 && "array rank out of range");
  return intern(TypeKind::Array, {Elem}, NDim | (COrder ? 1u << 8 : 0u));
}
Type Type::list(Type Elem) { return intern(TypeKind::List, {Elem}); }
Type Type::dict(Type Key, Type Value) { return intern(TypeKind::Dict, {Key, Value}); }
Type Type::set(Type Key) { return intern(TypeKind::Set, {Key}); }
unsigned Type::ndim() const { return table().Entries[Id].Extra & 0xff; }
bool Type::isCOrder() const { return (table().Entries[Id].Extra >> 8) & 1; }

Type Type::none() { return intern(TypeKind::None, {}); }
Type Type::boolean() { return intern(TypeKind::Bool, {}); }
Type Type::int64() { return intern(TypeKind::Int64, {}); }
Type Type::float64() { return intern(TypeKind::Float64, {}); }
Type Type::strType() { return intern(TypeKind::Str, {}); }
Type Type::tuple(llvm::ArrayRef<Type> Elts) { return intern(TypeKind::Tuple, Elts); }
Type Type::ref(Type P) { return intern(TypeKind::Ref, {P}); }

Type Type::scalar(TypeKind K) { return intern(K, {}); }

namespace {
/// Every scalar type: its name (NumPy's), bits and NumPy's kind letter
/// ('b' bool, 'i' signed, 'u' unsigned, 'f' float, 'c' complex).
struct SizedName {
  TypeKind K;
  const char *Name;
  unsigned Bits;
  char Class;
};
constexpr SizedName SizedNames[] = {
    {TypeKind::Bool, "bool", 1, 'b'},          {TypeKind::Int8, "int8", 8, 'i'},
    {TypeKind::Int16, "int16", 16, 'i'},       {TypeKind::Int32, "int32", 32, 'i'},
    {TypeKind::Int64, "int64", 64, 'i'},       {TypeKind::UInt8, "uint8", 8, 'u'},
    {TypeKind::UInt16, "uint16", 16, 'u'},     {TypeKind::UInt32, "uint32", 32, 'u'},
    {TypeKind::UInt64, "uint64", 64, 'u'},     {TypeKind::Float32, "float32", 32, 'f'},
    {TypeKind::Float64, "float64", 64, 'f'},   {TypeKind::Complex64, "complex64", 64, 'c'},
    {TypeKind::Complex128, "complex128", 128, 'c'},
};
const SizedName *scalarName(TypeKind K) {
  for (const SizedName &N : SizedNames)
    if (N.K == K)
      return &N;
  return nullptr;
}
} // namespace

Type Type::fromNumPyName(llvm::StringRef Name) {
  for (const SizedName &N : SizedNames)
    if (Name == N.Name)
      return scalar(N.K);
  return Type();
}

bool Type::isInteger() const {
  const SizedName *N = scalarName(kind());
  return N && (N->Class == 'i' || N->Class == 'u');
}

bool Type::isUnsigned() const {
  const SizedName *N = scalarName(kind());
  return N && N->Class == 'u';
}

bool Type::isSized() const {
  return kind() >= TypeKind::Int8 && kind() != TypeKind::Complex128;
}

Type Type::complexPart() const {
  assert(isComplex() && "complexPart of a real type");
  return kind() == TypeKind::Complex64 ? scalar(TypeKind::Float32) : float64();
}

Type Type::complexOf(Type Part) {
  return scalar(Part.isFloat32() ? TypeKind::Complex64 : TypeKind::Complex128);
}

unsigned Type::bitWidth() const {
  const SizedName *N = scalarName(kind());
  assert(N && "bitWidth of a non-scalar type");
  return N->Bits;
}

TypeKind Type::kind() const { return table().Entries[Id].Kind; }
llvm::ArrayRef<Type> Type::elements() const { return table().Entries[Id].Elts; }

unsigned Type::numSlots() const {
  if (scalarName(kind())) // a complex number: its real and imaginary parts
    return isComplex() ? 2 : 1;
  switch (kind()) {
  case TypeKind::Invalid:
  case TypeKind::None:
    return 0;
  case TypeKind::Str:
  case TypeKind::Ref:
  case TypeKind::List:
  case TypeKind::Dict:
  case TypeKind::Set:
    return 1;
  case TypeKind::Array:
    return 1 + 2 * ndim();
  case TypeKind::Tuple: {
    unsigned N = 0;
    for (Type E : elements())
      N += E.numSlots();
    return N;
  }
  default: // the scalars, above
    return 1;
  }
}

std::string Type::str() const {
  if (const SizedName *N = scalarName(kind()))
    return N->Name;
  switch (kind()) {
  case TypeKind::Invalid:
    return "<invalid>";
  case TypeKind::None:
    return "none";
  case TypeKind::Str:
    return "str";
  case TypeKind::Ref:
    return "ref<" + pointee().str() + ">";
  case TypeKind::List:
    return "list<" + elementType().str() + ">";
  case TypeKind::Dict:
    return "dict<" + keyType().str() + ", " + valueType().str() + ">";
  case TypeKind::Set:
    return "set<" + keyType().str() + ">";
  case TypeKind::Array:
    return "array<" + elementType().str() + ", " + std::to_string(ndim()) +
           (isCOrder() ? ", C>" : ">");
  case TypeKind::Tuple: {
    std::string S = "tuple<";
    bool First = true;
    for (Type E : elements()) {
      if (!First)
        S += ", ";
      First = false;
      S += E.str();
    }
    return S + ">";
  }
  default: // the scalars, above
    break;
  }
  return "<invalid>";
}

Type Type::parsePrefix(llvm::StringRef &Text) {
  Text = Text.ltrim();
  size_t N = 0;
  while (N < Text.size() && (isalnum((unsigned char)Text[N]) || Text[N] == '_'))
    ++N;
  llvm::StringRef Word = Text.take_front(N);
  Text = Text.drop_front(N);
  if (Word == "none")
    return none();
  if (Type T = fromNumPyName(Word); T.isValid())
    return T;
  if (Word == "str")
    return strType();
  if (Word == "array") {
    // array<ELEM, N> or array<ELEM, N, C>
    Text = Text.ltrim();
    if (!Text.consume_front("<"))
      return Type();
    Type Elem = parsePrefix(Text);
    if (!Elem.isValid() || !Elem.isScalar())
      return Type();
    Text = Text.ltrim();
    if (!Text.consume_front(","))
      return Type();
    Text = Text.ltrim();
    unsigned N = 0;
    if (Text.consumeInteger(10, N) || N < 1 || N > 32)
      return Type();
    Text = Text.ltrim();
    bool C = false;
    if (Text.consume_front(",")) {
      Text = Text.ltrim();
      if (!Text.consume_front("C"))
        return Type();
      C = true;
      Text = Text.ltrim();
    }
    if (!Text.consume_front(">"))
      return Type();
    return array(Elem, N, C);
  }
  if (Word != "tuple" && Word != "ref" && Word != "list" && Word != "dict" && Word != "set")
    return Type();
  Text = Text.ltrim();
  if (!Text.consume_front("<"))
    return Type();
  std::vector<Type> Elts;
  Text = Text.ltrim();
  if (!Text.starts_with(">")) {
    while (true) {
      Type E = parsePrefix(Text);
      if (!E.isValid())
        return Type();
      Elts.push_back(E);
      Text = Text.ltrim();
      if (Text.consume_front(","))
        continue;
      break;
    }
  }
  Text = Text.ltrim();
  if (!Text.consume_front(">"))
    return Type();
  if (Word == "ref")
    return Elts.size() == 1 ? ref(Elts[0]) : Type();
  if (Word == "list")
    return Elts.size() == 1 && !Elts[0].isRef() ? list(Elts[0]) : Type();
  if (Word == "dict")
    return Elts.size() == 2 ? dict(Elts[0], Elts[1]) : Type();
  if (Word == "set")
    return Elts.size() == 1 ? set(Elts[0]) : Type();
  return tuple(Elts);
}

Type Type::parse(llvm::StringRef Text) {
  Type T = parsePrefix(Text);
  if (!Text.trim().empty())
    return Type();
  return T;
}

//===- Types.h - Kiln IR types ------------------------------------*- C++ -*-===//
//
// Types are interned: a Type is a small handle into a process-wide table, so
// equality is handle equality. Text form (also used across the runtime ABI):
//
//   none  bool  int64  float64  str  tuple<int64, float64>  ref<int64>
//   int8 int16 int32 uint8 uint16 uint32 uint64 float32   NumPy's sized types
//   complex128 (Python's complex)  complex64
//   array<float64, 2>      a 2-D array of any strides (a NumPy view)
//   array<float64, 2, C>   a 2-D array in C order (last axis unit stride)
//   list<int64>            a Python list (a pointer to a growable block
//                          shared by every name for it); list<none> is an
//                          empty list literal whose element type is not
//                          known yet
//   dict<int64, float64>   a Python dict (a reference, like a list);
//   set<int64>             a Python set; dict<none, none> and set<none>
//                          are empty literals whose types are not known yet
//
// int64 and float64 are Python's int and float (and NumPy's int64/float64);
// the sized types exist only with NumPy's semantics (arithmetic wraps and
// never raises; see docs/ir.md). `ref<T>` is the type of a variable slot (see the `slot` op); `str` is only
// produced by `str.const` for exception messages.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_IR_TYPES_H
#define KILN_IR_TYPES_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace kiln {

enum class TypeKind : uint8_t {
  Invalid, None, Bool, Int64, Float64, Str, Tuple, Ref, Array, List, Dict, Set,
  // NumPy's sized scalar types.
  Int8, Int16, Int32, UInt8, UInt16, UInt32, UInt64, Float32,
  // Complex numbers: complex128 is Python's complex, complex64 NumPy's.
  Complex64, Complex128
};

class Type {
public:
  Type() = default;
  static Type none();
  static Type boolean();
  static Type int64();
  static Type float64();
  /// A scalar type by kind (Bool, Int64, Float64 or a sized kind).
  static Type scalar(TypeKind K);
  /// A scalar type by its NumPy name ("int32", "float64", "bool"), or invalid.
  static Type fromNumPyName(llvm::StringRef Name);
  static Type strType();
  static Type tuple(llvm::ArrayRef<Type> Elts);
  static Type ref(Type Pointee);
  /// An array of \p Elem (bool, int64 or float64) with \p NDim axes;
  /// \p COrder promises C order (unit stride on the last axis, dense rows).
  static Type array(Type Elem, unsigned NDim, bool COrder);
  /// A Python list of \p Elem (none: an empty literal of unknown type).
  static Type list(Type Elem);
  /// A Python dict of \p Key to \p Value, and a set of \p Key.
  static Type dict(Type Key, Type Value);
  static Type set(Type Key);

  TypeKind kind() const;
  bool isValid() const { return Id != 0; }
  bool isNone() const { return kind() == TypeKind::None; }
  bool isBool() const { return kind() == TypeKind::Bool; }
  bool isInt() const { return kind() == TypeKind::Int64; }
  bool isFloat() const { return kind() == TypeKind::Float64; }
  bool isStr() const { return kind() == TypeKind::Str; }
  bool isTuple() const { return kind() == TypeKind::Tuple; }
  bool isRef() const { return kind() == TypeKind::Ref; }
  bool isArray() const { return kind() == TypeKind::Array; }
  bool isList() const { return kind() == TypeKind::List; }
  bool isDict() const { return kind() == TypeKind::Dict; }
  bool isSet() const { return kind() == TypeKind::Set; }
  /// Dicts and sets: the key type; dicts: the value type.
  Type keyType() const { return elements()[0]; }
  Type valueType() const { return elements()[1]; }
  /// Arrays and lists: the element type; arrays: the number of axes, and C
  /// order.
  Type elementType() const { return elements()[0]; }
  unsigned ndim() const;
  bool isCOrder() const;
  /// bool or any integer, floating or complex type.
  bool isScalar() const { return isBool() || isNumeric(); }
  /// Any integer, floating or complex type (bool counts as a number only
  /// after promotion).
  bool isNumeric() const { return isInteger() || isFloating() || isComplex(); }
  /// An integer or floating type: ordered, unlike complex numbers.
  bool isReal() const { return isInteger() || isFloating(); }
  bool isComplex() const {
    return kind() == TypeKind::Complex64 || kind() == TypeKind::Complex128;
  }
  /// The type of a complex type's parts (float32 or float64).
  Type complexPart() const;
  /// The complex type whose parts are float type \p Part.
  static Type complexOf(Type Part);
  /// int64 or a sized integer type (not bool).
  bool isInteger() const;
  /// float64 or float32.
  bool isFloating() const { return isFloat() || kind() == TypeKind::Float32; }
  bool isFloat32() const { return kind() == TypeKind::Float32; }
  bool isUnsigned() const;
  /// One of NumPy's sized types (int8 ... uint64, float32, complex64):
  /// arithmetic has NumPy's semantics only.
  bool isSized() const;
  /// Bits of a scalar type: 1 for bool, 8 ... 64, 128 for complex128.
  unsigned bitWidth() const;

  /// Tuple elements, the pointee of a ref, or the element type of an array
  /// or a list.
  llvm::ArrayRef<Type> elements() const;
  Type pointee() const { return elements()[0]; }

  /// Number of 8-byte slots the type takes across the runtime ABI.
  unsigned numSlots() const;

  std::string str() const;
  /// Parses the text form; returns an invalid Type on error.
  static Type parse(llvm::StringRef Text);
  /// Parses a type at the start of \p Text and advances it.
  static Type parsePrefix(llvm::StringRef &Text);

  bool operator==(Type O) const { return Id == O.Id; }
  bool operator!=(Type O) const { return Id != O.Id; }
  bool operator<(Type O) const { return Id < O.Id; }
  uint32_t id() const { return Id; }

private:
  explicit Type(uint32_t Id) : Id(Id) {}
  static Type intern(TypeKind K, llvm::ArrayRef<Type> Elts, uint32_t Extra = 0);
  uint32_t Id = 0;
};

} // namespace kiln

#endif // KILN_IR_TYPES_H

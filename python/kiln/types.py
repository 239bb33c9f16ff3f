"""Kiln's annotation objects.

``from kiln.types import float64, int64`` then ``def f(a: float64[:, :], n: int64)``.
Under CPython these are ordinary objects (annotations are never checked), so
the file runs unchanged; ``kiln compile`` reads them from the source.
Indexing a type with slices describes an array type: ``float64[:]`` is 1-D,
``float64[:, ::1]`` is 2-D with a contiguous last axis.
"""


class KilnType:
    """A scalar type; ``T[...]`` gives an array type of T."""

    def __init__(self, name):
        self.name = name

    def __getitem__(self, dims):
        if not isinstance(dims, tuple):
            dims = (dims,)
        for d in dims:
            if not isinstance(d, slice):
                raise TypeError("array dimensions are written `:` or `::1`, got %r" % (d,))
        return ArrayType(self, dims)

    def __repr__(self):
        return "kiln.types." + self.name


class ArrayType:
    """An array type such as ``float64[:, ::1]``."""

    def __init__(self, dtype, dims):
        self.dtype = dtype
        self.ndim = len(dims)
        self.contiguous = [d.step == 1 for d in dims]

    def __repr__(self):
        parts = ["::1" if c else ":" for c in self.contiguous]
        return "%s[%s]" % (self.dtype.name, ", ".join(parts))


_NAMES = ["bool_", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32",
          "uint64", "float32", "float64", "complex64", "complex128"]
for _n in _NAMES:
    globals()[_n] = KilnType(_n)
boolean = globals()["bool_"]
intp = globals()["int64"]
double = globals()["float64"]

__all__ = _NAMES + ["boolean", "intp", "double", "KilnType", "ArrayType"]

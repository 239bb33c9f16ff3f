/*===- convert.c - Python objects <-> kiln_slot values --------------------===*
 *
 * Argument conversion (one Python object -> one slot) and result conversion
 * (slots -> one Python object), driven by parsed type strings.
 *
 * What each parameter type accepts:
 *   int64   int and bool; any object with __index__ (numpy integer scalars).
 *           Never float. Out of range -> OVERFLOW.
 *   float64 float (and subclasses, e.g. numpy.float64); int and bool (an int
 *           too large for a double -> OVERFLOW); objects whose type defines
 *           __float__ (numpy.float32, ...) or __index__. Never str, bytes or
 *           None (they define neither slot).
 *   bool    bool and numpy.bool_ only (not 0/1).
 *   int8 ... uint64
 *           as int64, and within the type's range (else OVERFLOW); the slot
 *           holds the value as an int64 (uint64: its bit pattern).
 *   float32 as float64, rounded to float32.
 *   complex128, complex64
 *           complex, anything whose type defines __complex__
 *           (numpy.complex64, ...), or a real number as float64 takes it;
 *           two slots: the real and imaginary parts as doubles.
 *   A NumPy array of one or more dimensions is never a scalar, even with one
 *   element; 0-d arrays convert like NumPy scalars.
 *
 *   array<T, N[, C]>
 *           any object exporting a buffer (numpy.ndarray, memoryview,
 *           array.array...) of element type T (native byte order) and
 *           exactly N dimensions; C additionally demands C order. Checked in
 *           this order, before the call runs: buffer at all, element type,
 *           rank (TypeError "expected ndarray[T, ndim=N], got ..."), byte
 *           order, contiguity (TypeError saying why), then, for parameters
 *           the function writes (KILN_PARAM_WRITTEN), writability
 *           (ValueError "assignment destination is read-only"). Any strides
 *           are passed on (in elements: negative and zero strides
 *           included); scalars and 0-d arrays are rejected (rank 0). Data
 *           not aligned to the item size, or strides that are not whole
 *           elements, run on an aligned C-order copy (kiln_arg_copy). The
 *           buffer stays held until the call and its results are done.
 *           Exact numpy.ndarray objects in the common case take a faster
 *           route to the same answers (numpy_abi.c).
 *
 * Results: int64 -> int, float64 -> float, complex128 -> complex, bool ->
 * bool, none -> None, NumPy's sized types -> their NumPy scalars
 * (numpy.int8, numpy.float32, numpy.complex64), tuple<...> -> tuple, read
 * depth-first from consecutive slots. An array is
 * a numpy.ndarray over its memory (no copy): a kiln_alloc block of the call,
 * or an argument's buffer when the result is a view of an argument.
 *
 * This file only classifies; call.c turns MISMATCH/OVERFLOW into messages
 * that name the function and the parameter.
 *
 *===----------------------------------------------------------------------===*/
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "internal.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void kiln_type_name_of(PyObject *o, char *buf, size_t len) {
  PyObject *type = (PyObject *)Py_TYPE(o);
  PyObject *qual = PyType_GetQualName((PyTypeObject *)type);
  PyObject *mod = PyObject_GetAttrString(type, "__module__");
  const char *q = qual ? PyUnicode_AsUTF8AndSize(qual, NULL) : NULL;
  const char *m = (mod && PyUnicode_Check(mod)) ? PyUnicode_AsUTF8AndSize(mod, NULL) : NULL;
  if (!q)
    q = "?";
  if (m && strcmp(m, "builtins") != 0)
    snprintf(buf, len, "%s.%s", m, q);
  else
    snprintf(buf, len, "%s", q);
  Py_XDECREF(qual);
  Py_XDECREF(mod);
  PyErr_Clear(); /* a missing __module__ is not an error here */
}

/* numpy.bool_ (NumPy 1.x) / numpy.bool (NumPy 2.x), recognised without the
 * NumPy C API by the type's module and name. */
static int is_numpy_bool(PyObject *o) {
  PyObject *type = (PyObject *)Py_TYPE(o);
  int result = 0;
  PyObject *mod = PyObject_GetAttrString(type, "__module__");
  PyObject *name = PyType_GetName((PyTypeObject *)type);
  if (mod && name && PyUnicode_Check(mod) &&
      PyUnicode_CompareWithASCIIString(mod, "numpy") == 0 &&
      (PyUnicode_CompareWithASCIIString(name, "bool_") == 0 ||
       PyUnicode_CompareWithASCIIString(name, "bool") == 0))
    result = 1;
  Py_XDECREF(mod);
  Py_XDECREF(name);
  PyErr_Clear();
  return result;
}

static int is_nonscalar_array(PyObject *o);

int kiln_conv_is_exact(const kiln_type *t, PyObject *o) {
  if (t->kind == KILN_T_LIST || t->kind == KILN_T_TUPLE)
    return kiln_list_is_exact(t, o); /* every item of the exact kind */
  if (t->kind == KILN_T_ARRAY)
    /* Arrays convert only when their dtype and rank already match, so the
     * conversion itself decides; anything that is not a buffer is out. */
    return PyObject_CheckBuffer(o);
  const kiln_scalar_info *info = kiln_scalar(t->kind);
  if (!info) /* none, tuples */
    return 0;
  switch (info->np_kind) { /* the Python type of the same kind */
  case 'b':
    return PyBool_Check(o);
  case 'i':
  case 'u':
    return PyLong_Check(o) && !PyBool_Check(o);
  case 'f':
    return PyFloat_Check(o);
  default:
    return PyComplex_Check(o);
  }
}

/* Maps the exception set by an object's own conversion hook: TypeError means
 * "not this kind" (cleared), OverflowError "out of range" (cleared),
 * anything else is the object's own error and stays set. */
static kiln_conv_status classify_pending(void) {
  if (PyErr_ExceptionMatches(PyExc_TypeError)) {
    PyErr_Clear();
    return KILN_CONV_MISMATCH;
  }
  if (PyErr_ExceptionMatches(PyExc_OverflowError)) {
    PyErr_Clear();
    return KILN_CONV_OVERFLOW;
  }
  return KILN_CONV_ERROR;
}

static kiln_conv_status long_to_int64(PyObject *l, kiln_slot *out) {
  int overflow = 0;
  long long v = PyLong_AsLongLongAndOverflow(l, &overflow);
  if (overflow)
    return KILN_CONV_OVERFLOW;
  if (v == -1 && PyErr_Occurred())
    return classify_pending();
  out->i = (int64_t)v;
  return KILN_CONV_OK;
}

static kiln_conv_status long_to_float64(PyObject *l, kiln_slot *out) {
  double d = PyLong_AsDouble(l);
  if (d == -1.0 && PyErr_Occurred())
    return classify_pending();
  out->f = d;
  return KILN_CONV_OK;
}

static kiln_conv_status to_int64(PyObject *o, kiln_slot *out) {
  if (PyLong_Check(o))
    return long_to_int64(o, out);
  if (PyFloat_Check(o) || !PyIndex_Check(o) || is_nonscalar_array(o))
    return KILN_CONV_MISMATCH;
  PyObject *idx = PyNumber_Index(o);
  if (!idx)
    return classify_pending();
  kiln_conv_status st = long_to_int64(idx, out);
  Py_DECREF(idx);
  return st;
}

static kiln_conv_status to_float64(PyObject *o, kiln_slot *out) {
  if (PyFloat_Check(o)) {
    out->f = PyFloat_AsDouble(o);
    return KILN_CONV_OK;
  }
  if (PyLong_Check(o))
    return long_to_float64(o, out);
  if (is_nonscalar_array(o))
    return KILN_CONV_MISMATCH;
  if (PyType_GetSlot(Py_TYPE(o), Py_nb_float)) {
    PyObject *f = PyNumber_Float(o);
    if (!f)
      return classify_pending();
    out->f = PyFloat_AsDouble(f);
    Py_DECREF(f);
    return KILN_CONV_OK;
  }
  if (PyIndex_Check(o)) {
    PyObject *idx = PyNumber_Index(o);
    if (!idx)
      return classify_pending();
    kiln_conv_status st = long_to_float64(idx, out);
    Py_DECREF(idx);
    return st;
  }
  return KILN_CONV_MISMATCH;
}

/* A sized integer type: an int (or __index__) within the type's range,
 * stored as int64 (uint64 as its bit pattern). */
static kiln_conv_status to_sized_int(kiln_type_kind k, PyObject *o, kiln_slot *out) {
  if (PyFloat_Check(o) || !PyIndex_Check(o) || is_nonscalar_array(o))
    return KILN_CONV_MISMATCH;
  PyObject *idx = PyNumber_Index(o);
  if (!idx)
    return classify_pending();
  kiln_conv_status st = KILN_CONV_OK;
  if (k == KILN_T_UINT64) {
    unsigned long long u = PyLong_AsUnsignedLongLong(idx);
    if (u == (unsigned long long)-1 && PyErr_Occurred())
      st = classify_pending();
    else
      out->i = (int64_t)u;
  } else {
    st = long_to_int64(idx, out);
    int bits = kiln_scalar(k)->itemsize * 8;
    int64_t lo = kiln_scalar(k)->np_kind == 'u' ? 0 : -((int64_t)1 << (bits - 1));
    int64_t hi = kiln_scalar(k)->np_kind == 'u' ? ((int64_t)1 << bits) - 1
                                                 : ((int64_t)1 << (bits - 1)) - 1;
    if (st == KILN_CONV_OK && (out->i < lo || out->i > hi))
      st = KILN_CONV_OVERFLOW;
  }
  Py_DECREF(idx);
  return st;
}

/* complex: a complex (or anything with __complex__, e.g. numpy.complex64),
 * or a real number as to_float64 takes it; two slots. */
static kiln_conv_status to_complex(PyObject *o, kiln_slot *out) {
  if (!PyComplex_Check(o) && !is_nonscalar_array(o) &&
      PyObject_HasAttrString((PyObject *)Py_TYPE(o), "__complex__")) {
    PyObject *c = PyObject_CallMethod(o, "__complex__", NULL);
    if (!c)
      return classify_pending();
    kiln_conv_status st = PyComplex_Check(c) ? to_complex(c, out) : KILN_CONV_MISMATCH;
    Py_DECREF(c);
    return st;
  }
  if (PyComplex_Check(o)) {
    out[0].f = PyComplex_RealAsDouble(o);
    out[1].f = PyComplex_ImagAsDouble(o);
    return KILN_CONV_OK;
  }
  kiln_conv_status st = to_float64(o, out);
  out[1].f = 0.0;
  return st;
}

static kiln_conv_status to_bool(PyObject *o, kiln_slot *out) {
  if (PyBool_Check(o)) {
    out->i = (o == Py_True);
    return KILN_CONV_OK;
  }
  if (!is_numpy_bool(o))
    return KILN_CONV_MISMATCH;
  int v = PyObject_IsTrue(o);
  if (v < 0)
    return classify_pending();
  out->i = v;
  return KILN_CONV_OK;
}

kiln_conv_status kiln_conv_arg(const kiln_type *t, PyObject *o, kiln_slot *out) {
  switch (t->kind) {
  case KILN_T_INT64:
    return to_int64(o, out);
  case KILN_T_FLOAT64:
    return to_float64(o, out);
  case KILN_T_BOOL:
    return to_bool(o, out);
  case KILN_T_COMPLEX64:
  case KILN_T_COMPLEX128: {
    kiln_conv_status st = to_complex(o, out);
    if (st == KILN_CONV_OK && t->kind == KILN_T_COMPLEX64) {
      out[0].f = (double)(float)out[0].f;
      out[1].f = (double)(float)out[1].f;
    }
    return st;
  }
  case KILN_T_FLOAT32: {
    kiln_conv_status st = to_float64(o, out);
    if (st == KILN_CONV_OK)
      out->f = (double)(float)out->f; /* rounded as np.float32(x) */
    return st;
  }
  default: /* the sized integers; arrays (kiln_conv_array_arg), none and
            * tuples are rejected at module creation and never reach here */
    if (kiln_scalar(t->kind) && kiln_scalar(t->kind)->sized)
      return to_sized_int(t->kind, o, out);
    return KILN_CONV_MISMATCH;
  }
}


/* ---- Arrays ---------------------------------------------------------------- */

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define KILN_NATIVE_ORDER "big-endian"
#define KILN_FOREIGN_PREFIX(c) ((c) == '<')
#else
#define KILN_NATIVE_ORDER "little-endian"
#define KILN_FOREIGN_PREFIX(c) ((c) == '>' || (c) == '!')
#endif

/* A buffer's element type, decoded from its struct-module format. */
typedef struct buf_dtype {
  char kind;        /* NumPy's kind letter: 'b' bool, 'i', 'u', 'f', 'c'; 0 if unknown */
  int foreign;      /* non-native byte order (only when itemsize > 1) */
  char name[32];    /* "float64", "int32", ... or the format itself */
} buf_dtype;

static void decode_format(const Py_buffer *v, buf_dtype *d) {
  const char *f = v->format ? v->format : "B";
  Py_ssize_t isz = v->itemsize;
  int bits = (int)(isz * 8);
  d->kind = 0;
  d->foreign = 0;
  const char *code = f;
  if (*code == '@' || *code == '=' || *code == '<' || *code == '>' || *code == '!') {
    d->foreign = KILN_FOREIGN_PREFIX(*code) && isz > 1;
    ++code;
  }
  if (code[0] == 'Z' && (code[1] == 'f' || code[1] == 'd' || code[1] == 'g') && !code[2]) {
    d->kind = 'c';
    snprintf(d->name, sizeof d->name, "complex%d", bits);
    return;
  }
  if (code[0] && !code[1]) {
    switch (code[0]) {
    case '?':
      d->kind = 'b';
      snprintf(d->name, sizeof d->name, "bool");
      return;
    case 'b': case 'h': case 'i': case 'l': case 'q': case 'n':
      d->kind = 'i';
      snprintf(d->name, sizeof d->name, "int%d", bits);
      return;
    case 'B': case 'H': case 'I': case 'L': case 'Q': case 'N':
      d->kind = 'u';
      snprintf(d->name, sizeof d->name, "uint%d", bits);
      return;
    case 'e': case 'f': case 'd': case 'g':
      d->kind = 'f';
      snprintf(d->name, sizeof d->name, "float%d", bits);
      return;
    default:
      break;
    }
  }
  snprintf(d->name, sizeof d->name, "%.20s", f); /* structured, bytes, ...: as exported */
}

static int dtype_matches(kiln_type_kind elem, const Py_buffer *v, const buf_dtype *d) {
  const kiln_scalar_info *info = kiln_scalar(elem);
  return info && d->kind == info->np_kind && v->itemsize == info->itemsize;
}

/* 1 if o is a numpy.ndarray (or a subclass). Never imports NumPy: if it is
 * not imported, o cannot be an array. The type is looked up once NumPy is
 * there and kept (with a reference) for the life of the process. */
static PyTypeObject *ndarray_type;

/* numpy.ndarray once NumPy is imported (is_ndarray found it), else NULL. */
static PyTypeObject *ndarray_type_of(void) { return ndarray_type; }

static int is_ndarray(PyObject *o) {
  static PyObject *np_name;
  if (!ndarray_type) {
    if (!np_name) {
      np_name = PyUnicode_InternFromString("numpy");
      if (!np_name) {
        PyErr_Clear();
        return 0;
      }
    }
    PyObject *np = PyImport_GetModule(np_name); /* None if blocked */
    if (!np) {
      PyErr_Clear();
      return 0;
    }
    PyObject *nd = PyObject_GetAttrString(np, "ndarray");
    Py_DECREF(np);
    if (!nd || !PyType_Check(nd)) {
      Py_XDECREF(nd);
      PyErr_Clear();
      return 0;
    }
    ndarray_type = (PyTypeObject *)nd;
  }
  return PyType_IsSubtype(Py_TYPE(o), ndarray_type);
}

/* `module.attr` as a new reference if the module is already imported (a
 * class of it cannot have instances otherwise), else NULL; no error set. */
static PyObject *imported_attr(const char *module, const char *attr) {
  PyObject *name = PyUnicode_FromString(module);
  PyObject *m = name ? PyImport_GetModule(name) : NULL;
  Py_XDECREF(name);
  PyObject *a = m && m != Py_None ? PyObject_GetAttrString(m, attr) : NULL;
  Py_XDECREF(m);
  PyErr_Clear();
  return a;
}

/* Array subclasses whose meaning a plain buffer would lose (RELIABILITY.md
 * row 31): a masked array's mask, a matrix's `*` (a product of matrices). A
 * description for the TypeError, or NULL for numpy.ndarray itself and the
 * subclasses that are arrays with extras (memmap, user subclasses). */
static const char *refused_subclass(PyObject *o) {
  static PyObject *masked, *matrix;
  if (!is_ndarray(o) || Py_TYPE(o) == ndarray_type_of())
    return NULL;
  if (!masked)
    masked = imported_attr("numpy.ma", "MaskedArray");
  if (!matrix)
    matrix = imported_attr("numpy", "matrix");
  if (masked && PyObject_IsInstance(o, masked) == 1)
    return "a masked array (numpy.ma.MaskedArray), whose mask Kiln would ignore; pass "
           "`a.filled(value)`, or `a.data` if the mask does not matter";
  if (matrix && PyObject_IsInstance(o, matrix) == 1)
    return "a numpy.matrix, whose operators mean matrix algebra; pass `np.asarray(m)`";
  PyErr_Clear();
  return NULL;
}

/* 1 if o is a NumPy array of at least one dimension: never a scalar, even
 * with one element (NumPy's own __float__ would take it). */
static int is_nonscalar_array(PyObject *o) {
  if (!PyObject_CheckBuffer(o) || !is_ndarray(o))
    return 0;
  PyObject *nd = PyObject_GetAttrString(o, "ndim");
  long n = nd ? PyLong_AsLong(nd) : -1;
  Py_XDECREF(nd);
  PyErr_Clear();
  return n != 0;
}

/* "ndarray" for numpy.ndarray itself, else the type's name (subclasses). */
static void array_type_name(PyObject *o, char *buf, size_t len) {
  kiln_type_name_of(o, buf, len);
  if (strcmp(buf, "numpy.ndarray") == 0)
    snprintf(buf, len, "ndarray");
}

/* An ndarray whose buffer cannot be exported (datetime64, object, ...):
 * described from its dtype.name and ndim attributes. */
static void describe_from_attrs(PyObject *o, char *buf, size_t len) {
  char tn[96];
  array_type_name(o, tn, sizeof tn);
  PyObject *dt = PyObject_GetAttrString(o, "dtype");
  PyObject *name = dt ? PyObject_GetAttrString(dt, "name") : NULL;
  PyObject *nd = PyObject_GetAttrString(o, "ndim");
  const char *n = name && PyUnicode_Check(name) ? PyUnicode_AsUTF8AndSize(name, NULL) : NULL;
  long ndim = nd ? PyLong_AsLong(nd) : -1;
  if (n && ndim >= 0)
    snprintf(buf, len, "%s[%s, ndim=%ld]", tn, n, ndim);
  else
    snprintf(buf, len, "%s", tn);
  Py_XDECREF(dt);
  Py_XDECREF(name);
  Py_XDECREF(nd);
  PyErr_Clear();
}

/* What a buffer-exporting object is, for messages: "ndarray[int32, ndim=1]",
 * "memoryview[float64, ndim=2]", or the type name for 0-d exporters that are
 * not arrays (NumPy scalars). */
static void describe_with_view(PyObject *o, const Py_buffer *v, char *buf, size_t len) {
  buf_dtype d;
  decode_format(v, &d);
  char tn[96];
  if (is_ndarray(o)) {
    if (!d.kind) { /* object, structured, ...: NumPy's own name */
      describe_from_attrs(o, buf, len);
      return;
    }
    array_type_name(o, tn, sizeof tn);
  } else {
    kiln_type_name_of(o, tn, sizeof tn);
    if (v->ndim == 0) {
      snprintf(buf, len, "%s", tn);
      return;
    }
  }
  snprintf(buf, len, "%s[%s, ndim=%d]", tn, d.name, v->ndim);
}

void kiln_describe_object(PyObject *o, char *buf, size_t len) {
  if (!is_ndarray(o)) {
    kiln_type_name_of(o, buf, len);
    return;
  }
  Py_buffer v;
  if (PyObject_GetBuffer(o, &v, PyBUF_STRIDES | PyBUF_FORMAT) == 0) {
    describe_with_view(o, &v, buf, len);
    PyBuffer_Release(&v);
  } else {
    PyErr_Clear();
    describe_from_attrs(o, buf, len);
  }
}

/* 1 if the buffer's data lies on multiples of its item size (an empty array
 * is never read, and the stride of an axis of extent 1 is never used). */
void kiln_array_slots(const kiln_type *t, const Py_buffer *v, void *data, int dense,
                      kiln_slot *out) {
  int32_t n = t->ndim;
  Py_ssize_t isz = v->itemsize;
  out[0].p = data;
  for (int32_t i = 0; i < n; ++i)
    out[1 + i].i = (int64_t)v->shape[i];
  if (dense || t->c_order || !v->strides) {
    int64_t s = 1; /* dense C strides (a copy, or as the signature promised) */
    for (int32_t i = n - 1; i >= 0; --i) {
      out[1 + n + i].i = s;
      s *= (int64_t)v->shape[i];
    }
  } else {
    for (int32_t i = 0; i < n; ++i) {
      Py_ssize_t bs = v->strides[i];
      out[1 + n + i].i = bs % isz == 0 ? (int64_t)(bs / isz) : 0; /* 0: extent <= 1 */
    }
  }
}

/* NumPy's ALIGNED: the data and every stride are multiples of the element's
 * alignment, which for complex types is that of one part (a complex128 field
 * of a record sits at 8 bytes). Strides must also be whole elements: the
 * compiled code counts them in elements. */
int kiln_buffer_is_aligned(const Py_buffer *v, int empty, int complex) {
  Py_ssize_t isz = v->itemsize;
  if (empty || isz <= 1)
    return 1;
  if ((uintptr_t)v->buf % (uintptr_t)(complex ? isz / 2 : isz) != 0)
    return 0;
  for (int i = 0; i < v->ndim; ++i)
    if (v->shape[i] > 1 && v->strides && v->strides[i] % isz != 0)
      return 0;
  return 1;
}

/* NumPy's C_CONTIGUOUS: axes of extent 1 may have any stride, and an empty
 * array is contiguous whatever its strides. */
int kiln_buffer_is_c_contiguous(const Py_buffer *v, int empty) {
  if (empty || !v->strides)
    return 1;
  Py_ssize_t expect = v->itemsize;
  for (int i = v->ndim - 1; i >= 0; --i) {
    if (v->shape[i] != 1 && v->strides[i] != expect)
      return 0;
    expect *= v->shape[i];
  }
  return 1;
}

void kiln_copy_strided(const Py_buffer *v, char *dense, int to_copy) {
  int n = v->ndim;
  Py_ssize_t isz = v->itemsize, idx[KILN_ARRAY_MAX_NDIM], count = 1;
  for (int i = 0; i < n; ++i) {
    idx[i] = 0;
    count *= v->shape[i];
  }
  Py_ssize_t off = 0; /* byte offset of element idx in the buffer */
  for (Py_ssize_t k = 0; k < count; ++k) {
    char *p = (char *)v->buf + off;
    if (to_copy)
      memcpy(dense + k * isz, p, (size_t)isz);
    else
      memcpy(p, dense + k * isz, (size_t)isz);
    for (int i = n - 1; i >= 0; --i) { /* the next index, in C order */
      Py_ssize_t st = kiln_buffer_stride(v, i);
      off += st;
      if (++idx[i] < v->shape[i])
        break;
      off -= st * v->shape[i];
      idx[i] = 0;
    }
  }
}

kiln_conv_status kiln_conv_array_arg(const kiln_type *t, PyObject *o, int written,
                                     Py_ssize_t *dims, Py_buffer *view, kiln_arg_copy *copy,
                                     kiln_slot *out, int quiet_mismatch, char *detail,
                                     size_t detail_len) {
  char want[64], got[160]; /* formatted only on the error paths */
  detail[0] = '\0';
  copy->data = NULL;
  copy->results = NULL;
  copy->same_as = 0;
  if (kiln_np_fast_arg(t, o, written, view, dims, out))
    return KILN_CONV_OK;
  view->obj = NULL;
  if (Py_TYPE(o) != ndarray_type) { /* numpy.ndarray itself: the fast path */
    const char *why = refused_subclass(o);
    if (why) {
      kiln_type_format_ndarray(t, want, sizeof want);
      snprintf(detail, detail_len, "expected %s, got %s", want, why);
      return KILN_CONV_BADARRAY;
    }
  }
  if (!PyObject_CheckBuffer(o)) {
    if (!quiet_mismatch) {
      kiln_type_name_of(o, got, sizeof got);
      kiln_type_format_ndarray(t, want, sizeof want);
      snprintf(detail, detail_len, "expected %s, got %s", want, got);
    }
    return KILN_CONV_MISMATCH;
  }
  /* A writable export when the function writes the array (NumPy then warns
   * for arrays that only pretend to be writable, as for any write); if that
   * is refused, a read-only one, to tell the caller what is wrong. */
  int writable_refused = 0;
  int flags = PyBUF_STRIDES | PyBUF_FORMAT;
  if (PyObject_GetBuffer(o, view, flags | (written ? PyBUF_WRITABLE : 0)) != 0) {
    view->obj = NULL;
    int benign = PyErr_ExceptionMatches(PyExc_BufferError) ||
                 PyErr_ExceptionMatches(PyExc_ValueError) ||
                 PyErr_ExceptionMatches(PyExc_TypeError);
    if (!benign)
      return KILN_CONV_ERROR; /* e.g. a warning turned into an error */
    PyErr_Clear();
    if (written && PyObject_GetBuffer(o, view, flags) == 0) {
      writable_refused = 1;
    } else {
      view->obj = NULL;
      PyErr_Clear();
      if (!quiet_mismatch) {
        /* Exporters that refuse (datetime64, object arrays, ...). */
        if (is_ndarray(o))
          describe_from_attrs(o, got, sizeof got);
        else
          kiln_type_name_of(o, got, sizeof got);
        kiln_type_format_ndarray(t, want, sizeof want);
        snprintf(detail, detail_len, "expected %s, got %s", want, got);
      }
      return KILN_CONV_MISMATCH;
    }
  }

  buf_dtype d;
  decode_format(view, &d);
  if (!dtype_matches(t->elem, view, &d) || view->ndim != t->ndim || !view->shape) {
    if (!quiet_mismatch) {
      describe_with_view(o, view, got, sizeof got);
      kiln_type_format_ndarray(t, want, sizeof want);
      snprintf(detail, detail_len, "expected %s, got %s", want, got);
    }
    goto mismatch;
  }
  if (d.foreign) {
    kiln_type_format_ndarray(t, want, sizeof want);
    snprintf(detail, detail_len, "expected native byte order (" KILN_NATIVE_ORDER ") %s, "
             "got %s %c%c%d", want, KILN_NATIVE_ORDER[0] == 'l' ? "big-endian" : "little-endian",
             KILN_NATIVE_ORDER[0] == 'l' ? '>' : '<', d.kind, (int)view->itemsize);
    goto bad;
  }
  int empty = 0;
  for (int i = 0; i < view->ndim; ++i)
    empty |= view->shape[i] == 0;
  int unaligned = !kiln_buffer_is_aligned(view, empty, d.kind == 'c');
  if (t->c_order && !kiln_buffer_is_c_contiguous(view, empty)) {
    kiln_type_format_ndarray(t, want, sizeof want);
    snprintf(detail, detail_len,
             "expected a C-contiguous %s (the signature says ::1), got a non-contiguous array",
             want);
    goto bad;
  }
  if (written && (writable_refused || view->readonly)) {
    snprintf(detail, detail_len, "assignment destination is read-only");
    PyBuffer_Release(view);
    view->obj = NULL;
    return KILN_CONV_READONLY;
  }

  if (unaligned) { /* an aligned C-order copy (kiln_arg_copy) */
    size_t nbytes = (size_t)view->itemsize;
    for (int i = 0; i < view->ndim; ++i)
      nbytes *= (size_t)view->shape[i];
    size_t rounded = (nbytes + KILN_ALLOC_ALIGN - 1) / KILN_ALLOC_ALIGN * KILN_ALLOC_ALIGN;
    copy->data = aligned_alloc(KILN_ALLOC_ALIGN, rounded ? rounded : KILN_ALLOC_ALIGN);
    if (!copy->data) {
      PyBuffer_Release(view);
      view->obj = NULL;
      PyErr_NoMemory();
      return KILN_CONV_ERROR;
    }
    copy->nbytes = nbytes;
    copy->written = written;
    kiln_copy_strided(view, copy->data, 1);
    kiln_array_slots(t, view, copy->data, 1, out);
    return KILN_CONV_OK;
  }
  kiln_array_slots(t, view, view->buf, 0, out);
  return KILN_CONV_OK;

mismatch:
  PyBuffer_Release(view);
  view->obj = NULL;
  return KILN_CONV_MISMATCH;
bad:
  PyBuffer_Release(view);
  view->obj = NULL;
  return KILN_CONV_BADARRAY;
}

/* Byte range [lo, hi) that an array addresses; 0 if it is empty. Returns -1
 * on overflow. */
static int array_span(char *data, int32_t n, const int64_t *ext, const int64_t *str,
                      int64_t isz, uintptr_t *lo, uintptr_t *hi, int *empty) {
  int64_t neg = 0, pos = 0;
  *empty = 0;
  for (int32_t i = 0; i < n; ++i) {
    if (ext[i] == 0) {
      *empty = 1;
      return 0;
    }
  }
  for (int32_t i = 0; i < n; ++i) {
    int64_t off;
    if (ext[i] < 0 || __builtin_mul_overflow(ext[i] - 1, str[i], &off) ||
        __builtin_mul_overflow(off, isz, &off))
      return -1;
    if (off < 0 ? __builtin_add_overflow(neg, off, &neg) : __builtin_add_overflow(pos, off, &pos))
      return -1;
  }
  uintptr_t base = (uintptr_t)data;
  if ((uint64_t)(-neg) > base || (uint64_t)pos > UINTPTR_MAX - base - (uint64_t)isz)
    return -1;
  *lo = base - (uintptr_t)(-neg);
  *hi = base + (uintptr_t)pos + (uintptr_t)isz;
  return 0;
}

Py_ssize_t kiln_buffer_stride(const Py_buffer *v, int axis) {
  if (v->strides)
    return v->strides[axis];
  Py_ssize_t s = v->itemsize; /* no strides: dense C order (ctypes exports so) */
  for (int i = v->ndim - 1; i > axis; --i)
    s *= v->shape[i];
  return s;
}

void kiln_view_span(const Py_buffer *v, uintptr_t *lo, uintptr_t *hi) {
  uintptr_t base = (uintptr_t)v->buf, l = base, h = base + (uintptr_t)v->itemsize;
  for (int i = 0; i < v->ndim; ++i) {
    if (v->shape[i] == 0) {
      *lo = *hi = base;
      return;
    }
    Py_ssize_t off = (v->shape[i] - 1) * kiln_buffer_stride(v, i);
    if (off < 0)
      l -= (uintptr_t)(-off);
    else
      h += (uintptr_t)off;
  }
  *lo = l;
  *hi = h;
}

/* The first argument held for the call whose memory spans [lo, hi] (with
 * readonly_only, the first read-only one), or NULL. */
static Py_buffer *argument_spanning(kiln_call_ctx *ctx, uintptr_t lo, uintptr_t hi,
                                    int readonly_only) {
  for (int32_t i = 0; ctx && i < ctx->nparams; ++i) {
    if (!ctx->held[i] || (readonly_only && !ctx->views[i].readonly))
      continue;
    uintptr_t vl, vh;
    kiln_view_span(&ctx->views[i], &vl, &vh);
    if (lo >= vl && hi <= vh)
      return &ctx->views[i];
  }
  return NULL;
}

/* The parameter whose aligned copy (kiln_arg_copy) holds [lo, hi), or -1. */
static int argument_copy_index(const kiln_call_ctx *ctx, uintptr_t lo, uintptr_t hi) {
  for (int32_t i = 0; ctx && i < ctx->nparams; ++i) {
    const kiln_arg_copy *c = &ctx->copies[i];
    if (ctx->held[i] && c->data && lo >= (uintptr_t)c->data &&
        hi <= (uintptr_t)c->data + c->nbytes)
      return i;
  }
  return -1;
}

static PyObject *array_result(const kiln_type *t, const kiln_slot *slots, int32_t *cursor,
                              kiln_call_ctx *ctx) {
  int32_t n = t->ndim;
  const kiln_slot *s = slots + *cursor;
  *cursor += 1 + 2 * n;
  char *data = s[0].p;
  int64_t ext[KILN_ARRAY_MAX_NDIM], str[KILN_ARRAY_MAX_NDIM];
  for (int32_t i = 0; i < n; ++i) {
    ext[i] = s[1 + i].i;
    str[i] = s[1 + n + i].i;
  }
  int64_t isz = kiln_scalar(t->elem)->itemsize;
  uintptr_t lo = 0, hi = 0;
  int empty = 0;
  if (array_span(data, n, ext, str, isz, &lo, &hi, &empty) != 0) {
    PyErr_SetString(PyExc_SystemError,
                    "kiln: compiled code returned an array with invalid extents or strides");
    return NULL;
  }
  if (empty) {
    /* An empty view of an argument (its data pointer within or at the end
     * of the argument's span) keeps the argument's writability, as NumPy's
     * views do; any other empty array is a fresh writable one. */
    uintptr_t d = (uintptr_t)data;
    Py_buffer *ro = argument_spanning(ctx, d, d, 1);
    int ci = ro ? -1 : argument_copy_index(ctx, d, d);
    if (ci >= 0 && ctx->views[ci].readonly)
      ro = &ctx->views[ci]; /* an empty view of a read-only argument run on a copy */
    return kiln_make_ndarray(t->elem, n, data, ext, str, NULL, ro);
  }
  kiln_block *b = ctx ? kiln_arena_find(ctx->arena, lo, hi) : NULL;
  if (b)
    return kiln_make_ndarray(t->elem, n, data, ext, str, b, NULL);
  Py_buffer *arg = argument_spanning(ctx, lo, hi, 0);
  if (arg)
    return kiln_make_ndarray(t->elem, n, data, ext, str, NULL, arg);
  int ci = argument_copy_index(ctx, lo, hi);
  if (ci >= 0) {
    /* A view of an argument that ran as an aligned copy views, instead, a
     * block holding the copy's values at the end of the call (the copy dies
     * with the call): results that view one argument share it, but not the
     * argument's memory (docs/language.md). Read-only if the argument is. */
    kiln_arg_copy *c = &ctx->copies[ci];
    if (!c->results) {
      c->results = kiln_alloc((int64_t)c->nbytes);
      if (!c->results) {
        kiln_error_clear();
        return PyErr_NoMemory();
      }
      memcpy(c->results, c->data, c->nbytes);
    }
    char *moved = c->results + (data - c->data);
    kiln_block *fb = kiln_arena_find(ctx->arena, (uintptr_t)c->results,
                                     (uintptr_t)c->results + 1);
    PyObject *r = fb ? kiln_make_ndarray(t->elem, n, moved, ext, str, fb, NULL) : NULL;
    if (!fb)
      PyErr_SetString(PyExc_SystemError, "kiln: a copied argument's result block is lost");
    if (r && ctx->views[ci].readonly) {
      PyObject *ok = PyObject_CallMethod(r, "setflags", "OO", Py_False, Py_None);
      if (!ok)
        Py_CLEAR(r);
      Py_XDECREF(ok);
    }
    return r;
  }
  PyErr_SetString(PyExc_SystemError,
                  "kiln: compiled code returned an array outside memory of the call (neither "
                  "kiln_alloc memory nor an argument)");
  return NULL;
}

PyObject *kiln_conv_result(const kiln_type *t, const kiln_slot *slots, int32_t *cursor,
                           kiln_call_ctx *ctx) {
  switch (t->kind) {
  case KILN_T_ARRAY:
    return array_result(t, slots, cursor, ctx);
  case KILN_T_LIST:
    return kiln_list_result(t, slots[(*cursor)++].p, ctx);
  case KILN_T_DICT:
  case KILN_T_SET:
    return kiln_dict_result(t, slots[(*cursor)++].p, ctx);
  case KILN_T_NONE:
    Py_INCREF(Py_None);
    return Py_None;
  case KILN_T_BOOL:
    return PyBool_FromLong(slots[(*cursor)++].i != 0);
  case KILN_T_INT64:
    return PyLong_FromLongLong(slots[(*cursor)++].i);
  case KILN_T_FLOAT64:
    return PyFloat_FromDouble(slots[(*cursor)++].f);
  case KILN_T_TUPLE: {
    PyObject *tup = PyTuple_New(t->nelems);
    if (!tup)
      return NULL;
    for (int32_t i = 0; i < t->nelems; ++i) {
      PyObject *v = kiln_conv_result(&t->elems[i], slots, cursor, ctx);
      if (!v || PyTuple_SetItem(tup, i, v) != 0) {
        Py_DECREF(tup);
        return NULL;
      }
    }
    return tup;
  }
  case KILN_T_COMPLEX128: {
    *cursor += 2;
    return PyComplex_FromDoubles(slots[*cursor - 2].f, slots[*cursor - 1].f);
  }
  case KILN_T_COMPLEX64: {
    *cursor += 2;
    PyObject *c = PyComplex_FromDoubles(slots[*cursor - 2].f, slots[*cursor - 1].f);
    if (!c)
      return NULL;
    kiln_slot s;
    s.p = c;
    PyObject *r = kiln_make_numpy_scalar(KILN_T_COMPLEX64, s);
    Py_DECREF(c);
    return r;
  }
  default: /* NumPy's sized types: NumPy scalars, as NumPy's own results */
    return kiln_make_numpy_scalar(t->kind, slots[(*cursor)++]);
  }
  PyErr_SetString(PyExc_SystemError, "kiln: unknown result type");
  return NULL;
}

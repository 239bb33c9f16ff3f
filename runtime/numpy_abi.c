/*===- numpy_abi.c - Fast paths through NumPy's stable binary interface ---===*
 *
 * The buffer protocol (convert.c, memory.c) works with any exporter and any
 * NumPy, but costs: an ndarray's export rebuilds its format string on every
 * request, and numpy.asarray() of an exporter runs NumPy's whole
 * array-discovery path. Per call, that was 4x (an array argument) to 20x
 * (a small array result) Pythran's overhead.
 *
 * This file reads and makes numpy.ndarray objects directly, using only what
 * NumPy 1.x and 2.x share, so that one module binary still serves both:
 *   - the leading fields of an array object (data, nd, dimensions, strides,
 *     base, descr, flags) and of a dtype (typeobj, kind, type, byteorder,
 *     and type_num at the same offset in both), and the flag bits;
 *   - four entries of the function table NumPy exports in the capsule
 *     `_multiarray_umath._ARRAY_API`: PyArray_GetNDArrayCVersion (0),
 *     PyArray_Type (2), PyArray_DescrFromType (45),
 *     PyArray_NewFromDescr (94), PyArray_Scalar (60) and
 *     PyArray_SetBaseObject (282), numbered alike in both;
 *   - the type numbers NPY_BOOL (0) ... NPY_CDOUBLE (15).
 * No NumPy header is included and nothing links against NumPy. The table is
 * looked up once NumPy is imported; its version is checked (1.x from 1.9 on,
 * or 2.x) and the layout probed on a dtype NumPy made. If any of that fails
 * (another major version, an embedded interpreter without NumPy), every
 * function here answers "not handled" and the buffer-protocol path runs, as
 * before (KILN_NUMPY_ABI=0 in the environment forces that, for tests).
 *
 * Only exact numpy.ndarray objects take these paths, and only in the common
 * case (right type number, rank, native byte order, aligned, writable when
 * written): every other case, and every error message, is the buffer path's.
 *
 *===----------------------------------------------------------------------===*/
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "internal.h"

#include <stdlib.h>
#include <string.h>

/* The shared leading fields (NumPy's PyArrayObject_fields and
 * PyArray_Descr). */
typedef struct np_array {
  PyObject ob_base;
  char *data;
  int nd;
  Py_ssize_t *dimensions;
  Py_ssize_t *strides;
  PyObject *base;
  PyObject *descr;
  int flags;
} np_array;

typedef struct np_descr {
  PyObject ob_base;
  PyTypeObject *typeobj;
  char kind;
  char type;
  char byteorder;
  char former_flags; /* flags in NumPy 1.x, unused in 2.x */
  int type_num;
} np_descr;

enum {
  NP_WRITEABLE = 0x0400,
  NP_WARN_ON_WRITE = (int)(1u << 31), /* writes warn: the buffer path does that */
  NP_MAX_TYPE = 15,                   /* NPY_CDOUBLE */
};

typedef unsigned int (*np_version_fn)(void);
typedef PyObject *(*np_descr_from_type_fn)(int);
typedef PyObject *(*np_new_from_descr_fn)(PyTypeObject *, PyObject *, int, const Py_ssize_t *,
                                          const Py_ssize_t *, void *, int, PyObject *);
typedef PyObject *(*np_scalar_fn)(void *, PyObject *, PyObject *);
typedef int (*np_set_base_fn)(PyObject *, PyObject *);

static int g_state; /* 0: not looked up yet, 1: ready, -1: unavailable */
static PyTypeObject *g_ndarray;
static np_new_from_descr_fn g_new_from_descr;
static np_scalar_fn g_scalar;
static np_set_base_fn g_set_base;
static PyObject *g_descrs[NP_MAX_TYPE + 1]; /* the built-in dtypes, kept */

/* The capsule of the already-imported NumPy, or NULL (no error set). */
static void **find_api(void) {
  static const char *const mods[] = {"numpy._core._multiarray_umath",
                                     "numpy.core._multiarray_umath"};
  PyObject *np = PyUnicode_FromString("numpy");
  PyObject *loaded = np ? PyImport_GetModule(np) : NULL;
  Py_XDECREF(np);
  if (!loaded || loaded == Py_None) {
    Py_XDECREF(loaded);
    PyErr_Clear();
    return NULL; /* not imported: try again later */
  }
  Py_DECREF(loaded);
  void **api = NULL;
  for (size_t i = 0; i < sizeof mods / sizeof mods[0] && !api; ++i) {
    PyObject *m = PyImport_ImportModule(mods[i]);
    PyObject *cap = m ? PyObject_GetAttrString(m, "_ARRAY_API") : NULL;
    if (cap && PyCapsule_CheckExact(cap))
      api = PyCapsule_GetPointer(cap, NULL);
    Py_XDECREF(cap);
    Py_XDECREF(m);
    PyErr_Clear();
  }
  return api;
}

static int init(void) {
  const char *off = getenv("KILN_NUMPY_ABI"); /* "0": the buffer path only (tests) */
  if (off && strcmp(off, "0") == 0) {
    g_state = -1;
    return -1;
  }
  void **api = find_api();
  if (!api)
    return 0;
  g_state = -1; /* unless everything below holds */
  unsigned int abi = ((np_version_fn)api[0])();
  if (!((abi >> 24) == 2 || ((abi >> 24) == 1 && abi >= 0x01000009)))
    return -1;
  PyTypeObject *nd = (PyTypeObject *)api[2];
  np_descr_from_type_fn from_type = (np_descr_from_type_fn)api[45];
  if (!nd || !from_type || !api[60] || !api[94] || !api[282])
    return -1;
  /* Probe: the dtypes are where the layouts are expected, and ndarray is at
   * least as large as the fields read. */
  if (PyType_GetFlags(nd) & Py_TPFLAGS_HEAPTYPE)
    return -1;
  PyObject *bs = PyObject_GetAttrString((PyObject *)nd, "__basicsize__");
  long basic = bs ? PyLong_AsLong(bs) : -1;
  Py_XDECREF(bs);
  PyErr_Clear();
  if (basic < (long)sizeof(np_array))
    return -1;
  for (int t = 0; t <= NP_MAX_TYPE; ++t) {
    if (t == 13) /* NPY_LONGDOUBLE: never used */
      continue;
    PyObject *d = from_type(t);
    if (!d) {
      PyErr_Clear();
      return -1;
    }
    if (((np_descr *)d)->type_num != t) {
      Py_DECREF(d);
      return -1;
    }
    g_descrs[t] = d; /* kept for the process */
  }
  if (((np_descr *)g_descrs[12])->kind != 'f' || ((np_descr *)g_descrs[12])->type != 'd')
    return -1;
  Py_INCREF((PyObject *)nd);
  g_ndarray = nd;
  g_new_from_descr = (np_new_from_descr_fn)api[94];
  g_scalar = (np_scalar_fn)api[60];
  g_set_base = (np_set_base_fn)api[282];
  g_state = 1;
  return 1;
}

/* 1 when the fast paths may run. The GIL is held. */
static int ready(void) {
  if (g_state == 0)
    init();
  return g_state == 1;
}

static char native_order(void) {
  const uint16_t one = 1;
  return *(const char *)&one ? '<' : '>';
}

int kiln_np_fast_arg(const kiln_type *t, PyObject *o, int written, Py_buffer *view,
                     Py_ssize_t *dims, kiln_slot *out) {
  if (!ready() || Py_TYPE(o) != g_ndarray)
    return 0;
  const np_array *a = (const np_array *)o;
  const np_descr *d = (const np_descr *)a->descr;
  const kiln_scalar_info *info = kiln_scalar(t->elem);
  if (!info || a->nd != t->ndim || !d ||
      (d->type_num != info->npy_type && d->type_num != info->npy_type_alt))
    return 0;
  if (d->byteorder != '=' && d->byteorder != '|' && d->byteorder != native_order())
    return 0;
  if (written && (!(a->flags & NP_WRITEABLE) || (a->flags & NP_WARN_ON_WRITE)))
    return 0; /* the buffer path says why, or warns as NumPy does */
  /* The call's own copy of extents and strides: another Python thread may
   * reshape the array in place (`a.shape = ...`) while the call runs. */
  int32_t n = t->ndim;
  Py_ssize_t isz = info->itemsize, count = 1;
  int empty = 0;
  for (int32_t i = 0; i < n; ++i) {
    dims[i] = a->dimensions[i];
    dims[n + i] = a->strides[i];
    count *= dims[i];
    empty |= dims[i] == 0;
  }
  memset(view, 0, sizeof *view);
  view->buf = a->data;
  view->len = count * isz;
  view->itemsize = isz;
  /* As NumPy's own export: an array that only warns on write (from
   * np.broadcast_arrays) is read-only, and so are views of it. */
  view->readonly = !(a->flags & NP_WRITEABLE) || (a->flags & NP_WARN_ON_WRITE);
  view->ndim = n;
  view->format = (char *)info->format;
  view->shape = dims;
  view->strides = dims + n;
  /* What the buffer path demands to read in place; anything else is its
   * business (a copy, or an error). */
  if (!kiln_buffer_is_aligned(view, empty, info->np_kind == 'c') ||
      (t->c_order && !kiln_buffer_is_c_contiguous(view, empty)))
    return 0;
  Py_INCREF(o);
  view->obj = o;
  view->internal = (void *)&g_state; /* marks a view of this file */
  kiln_array_slots(t, view, a->data, 0, out);
  return 1;
}

int kiln_np_is_fast_view(const Py_buffer *view) { return view->internal == (void *)&g_state; }

void kiln_view_release(Py_buffer *view) {
  if (kiln_np_is_fast_view(view)) {
    Py_CLEAR(view->obj);
    view->internal = NULL;
  } else {
    PyBuffer_Release(view);
  }
}

PyObject *kiln_np_new_array(kiln_type_kind elem, int32_t nd, const Py_ssize_t *shape,
                            const Py_ssize_t *byte_strides, char *data, int writable,
                            PyObject *owner) {
  const kiln_scalar_info *info = kiln_scalar(elem);
  if (g_state != 1 || !info || info->npy_type < 0 || info->npy_type > NP_MAX_TYPE) {
    Py_DECREF(owner);
    PyErr_SetString(PyExc_SystemError, "kiln: no NumPy fast path for this result");
    return NULL;
  }
  PyObject *descr = g_descrs[info->npy_type];
  Py_INCREF(descr); /* NewFromDescr takes it */
  PyObject *arr = g_new_from_descr(g_ndarray, descr, nd, shape, byte_strides, data,
                                   writable ? NP_WRITEABLE : 0, NULL);
  if (!arr) {
    Py_DECREF(owner);
    return NULL;
  }
  if (g_set_base(arr, owner) != 0) { /* takes owner, on failure too */
    Py_DECREF(arr);
    return NULL;
  }
  return arr;
}

int kiln_np_ready(void) { return ready(); }

PyObject *kiln_np_scalar(kiln_type_kind kind, kiln_slot v) {
  const kiln_scalar_info *info = kiln_scalar(kind);
  if (g_state != 1 || !info || info->np_kind == 'c') {
    PyErr_SetString(PyExc_SystemError, "kiln: no NumPy fast path for this result");
    return NULL;
  }
  union {
    int8_t i8;
    int16_t i16;
    int32_t i32;
    int64_t i64;
    float f32;
    double f64;
  } u;
  if (info->np_kind == 'f')
    info->itemsize == 4 ? (void)(u.f32 = (float)v.f) : (void)(u.f64 = v.f);
  else if (info->np_kind == 'b')
    u.i8 = v.i != 0;
  else if (info->itemsize == 1)
    u.i8 = (int8_t)v.i;
  else if (info->itemsize == 2)
    u.i16 = (int16_t)v.i;
  else if (info->itemsize == 4)
    u.i32 = (int32_t)v.i;
  else
    u.i64 = v.i;
  return g_scalar(&u, g_descrs[info->npy_type], NULL);
}

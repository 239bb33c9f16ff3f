/*===- print.c - print() from compiled code -------------------------------===*
 *
 * Compiled code prints through Python's own print(), with the GIL taken for
 * the call: the output goes to sys.stdout (or wherever the program
 * redirected it), in order with the interpreter's, formatted exactly as
 * Python formats the same values. Values arrive flattened into slots, as
 * results do, and become Python objects the way results do; arrays are
 * copied (the compiled code keeps its memory).
 *
 *===----------------------------------------------------------------------===*/
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "internal.h"

#include <stdlib.h>
#include <string.h>

/* One printed value as a new reference, or NULL with a Python error. */
static PyObject *print_value(const kiln_type *t, const kiln_slot *slots, int32_t *cursor) {
  if (t->kind == KILN_T_TUPLE) { /* items one by one: arrays among them are copied */
    PyObject *tup = PyTuple_New(t->nelems);
    for (int32_t i = 0; tup && i < t->nelems; ++i) {
      PyObject *v = print_value(&t->elems[i], slots, cursor);
      if (!v || PyTuple_SetItem(tup, i, v) != 0)
        Py_CLEAR(tup);
    }
    return tup;
  }
  if (t->kind != KILN_T_ARRAY)
    return kiln_conv_result(t, slots, cursor, NULL);
  /* A temporary view of the array's memory, copied at once. */
  int32_t n = t->ndim;
  const kiln_slot *s = slots + *cursor;
  *cursor += 1 + 2 * n;
  Py_ssize_t shape[KILN_ARRAY_MAX_NDIM], strides[KILN_ARRAY_MAX_NDIM];
  int64_t isz = kiln_scalar(t->elem)->itemsize;
  for (int32_t i = 0; i < n; ++i) {
    shape[i] = (Py_ssize_t)s[1 + i].i;
    strides[i] = (Py_ssize_t)(s[1 + n + i].i * isz);
  }
  PyObject *np = PyImport_ImportModule("numpy"); /* also readies the fast path */
  if (!np)
    return NULL;
  PyObject *view = NULL;
  if (kiln_np_ready()) {
    Py_INCREF(Py_None);
    view = kiln_np_new_array(t->elem, n, shape, strides, s[0].p, 0, Py_None);
  } else {
    /* Without NumPy's C interface: numpy.ndarray over a memoryview of the
     * span the array covers. */
    Py_ssize_t lo = 0, hi = isz, empty = 0;
    for (int32_t i = 0; i < n; ++i) {
      empty |= shape[i] == 0;
      Py_ssize_t reach = (shape[i] - 1) * strides[i];
      if (reach < 0)
        lo += reach;
      else
        hi += reach;
    }
    if (empty)
      lo = hi = 0;
    PyObject *mv = PyMemoryView_FromMemory((char *)s[0].p + lo, hi - lo, PyBUF_READ);
    PyObject *shp = PyTuple_New(n), *str = PyTuple_New(n);
    for (int32_t i = 0; shp && str && i < n; ++i) {
      PyTuple_SetItem(shp, i, PyLong_FromSsize_t(shape[i]));
      PyTuple_SetItem(str, i, PyLong_FromSsize_t(strides[i]));
    }
    if (mv && shp && str && !PyErr_Occurred())
      view = PyObject_CallMethod(np, "ndarray", "OsOnO", shp, kiln_scalar(t->elem)->name, mv,
                                 -lo, str);
    Py_XDECREF(mv);
    Py_XDECREF(shp);
    Py_XDECREF(str);
  }
  Py_DECREF(np);
  if (!view)
    return NULL;
  PyObject *copy = PyObject_CallMethod(view, "copy", NULL);
  Py_DECREF(view);
  return copy;
}

/* The arguments of print from the values and the layout (see runtime.h):
 * a new tuple, or NULL with a Python error. */
static PyObject *layout_args(PyObject *values, const char *layout) {
  PyObject *args = PyList_New(0);
  Py_ssize_t next = 0;
  while (args && *layout) {
    /* "COUNT,LENGTH:TEMPLATE" */
    char *comma = NULL, *colon = NULL;
    long n = strtol(layout, &comma, 10);
    long tlen = comma && *comma == ',' ? strtol(comma + 1, &colon, 10) : -1;
    if (tlen < 0 || !colon || *colon != ':' || n < 0 ||
        next + n > PyTuple_Size(values)) {
      PyErr_SetString(PyExc_SystemError, "kiln: malformed print layout");
      Py_CLEAR(args);
      break;
    }
    const char *tmpl = colon + 1;
    PyObject *item = NULL;
    if (n == 1 && tlen == 2 && memcmp(tmpl, "{}", 2) == 0) {
      item = PyTuple_GetItem(values, next++); /* borrowed */
      Py_XINCREF(item);
    } else {
      PyObject *fmt = PyUnicode_DecodeUTF8(tmpl, (Py_ssize_t)tlen, "surrogatepass");
      PyObject *fields = PyTuple_GetSlice(values, next, next + n);
      next += n;
      PyObject *format = fmt ? PyObject_GetAttrString(fmt, "format") : NULL;
      item = format && fields ? PyObject_CallObject(format, fields) : NULL;
      Py_XDECREF(format);
      Py_XDECREF(fields);
      Py_XDECREF(fmt);
    }
    if (!item || PyList_Append(args, item) != 0) {
      Py_XDECREF(item);
      Py_CLEAR(args);
      break;
    }
    Py_DECREF(item);
    layout = tmpl + tlen;
  }
  PyObject *t = args ? PyList_AsTuple(args) : NULL;
  Py_XDECREF(args);
  return t;
}

/* Records the Python exception print raised as compiled code's own error
 * when it is a builtin exception compiled `except` clauses can name (a
 * closed file's ValueError, say), so they can catch it; another one (a
 * KeyboardInterrupt, a class of the program's) stays Python's. */
static void record_print_error(void) {
  PyObject *type, *value, *tb;
  PyErr_Fetch(&type, &value, &tb);
  PyErr_NormalizeException(&type, &value, &tb);
  int builtin = 0;
  PyObject *qn = type ? PyObject_GetAttrString(type, "__name__") : NULL;
  PyObject *mod = type ? PyObject_GetAttrString(type, "__module__") : NULL;
  const char *cname = qn ? PyUnicode_AsUTF8AndSize(qn, NULL) : NULL;
  const char *mname = mod ? PyUnicode_AsUTF8AndSize(mod, NULL) : NULL;
  PyObject *args = value ? PyObject_GetAttrString(value, "args") : NULL;
  if (cname && mname && strcmp(mname, "builtins") == 0 && kiln_exc_known(cname) &&
      strcmp(cname, "KeyboardInterrupt") != 0 && args && PyTuple_Check(args) &&
      PyTuple_Size(args) <= 1) {
    PyObject *msg = PyTuple_Size(args) == 1 ? PyObject_Str(PyTuple_GetItem(args, 0)) : NULL;
    const char *m = msg ? PyUnicode_AsUTF8AndSize(msg, NULL) : NULL;
    if (m || PyTuple_Size(args) == 0) {
      if (m)
        kiln_raise_msg(cname, m);
      else
        kiln_raise(cname, 0, NULL);
      builtin = 1;
    }
    Py_XDECREF(msg);
  }
  PyErr_Clear();
  Py_XDECREF(args);
  Py_XDECREF(qn);
  Py_XDECREF(mod);
  if (builtin) {
    Py_XDECREF(type);
    Py_XDECREF(value);
    Py_XDECREF(tb);
    return;
  }
  PyErr_Restore(type, value, tb);
  kiln_raise(KILN_PYERR_PENDING, 0, NULL);
}

int32_t kiln_print(int32_t nvalues, const char *const *types, const kiln_slot *slots,
                   const char *layout, const char *sep, const char *end, int32_t flush) {
  PyGILState_STATE g = PyGILState_Ensure();
  /* A Python exception already pending (a signal handler's, kept for the
   * end of the call) waits while print runs. */
  PyObject *pt, *pv, *ptb;
  PyErr_Fetch(&pt, &pv, &ptb);
  int32_t rc = -1;
  int32_t nargs = nvalues;
  PyObject *args = PyTuple_New(nargs), *kw = NULL, *print = NULL;
  if (!args)
    goto done;
  int32_t cursor = 0;
  for (int32_t i = 0; i < nargs; ++i) {
    PyObject *v;
    if (strcmp(types[i], "str") == 0) {
      const char *text = (const char *)slots[cursor++].p;
      v = PyUnicode_DecodeUTF8(text, (Py_ssize_t)strlen(text), "surrogatepass");
    } else {
      kiln_type t;
      char err[256];
      if (kiln_type_parse(types[i], &t, err, sizeof err) != 0) {
        PyErr_Format(PyExc_SystemError, "kiln: print of an unknown type: %s", err);
        goto done;
      }
      v = print_value(&t, slots, &cursor);
      kiln_type_free(&t);
    }
    if (!v || PyTuple_SetItem(args, i, v) != 0) /* steals v */
      goto done;
  }
  if (layout) { /* f-strings: their templates formatted with their fields */
    PyObject *formatted = layout_args(args, layout);
    Py_DECREF(args);
    args = formatted;
    if (!args)
      goto done;
  }
  kw = Py_BuildValue("{s:s,s:s,s:O}", "sep", sep, "end", end, "flush",
                     flush ? Py_True : Py_False);
  PyObject *builtins = kw ? PyEval_GetBuiltins() : NULL; /* borrowed */
  print = builtins ? PyDict_GetItemString(builtins, "print") : NULL; /* borrowed */
  if (!print) {
    if (!PyErr_Occurred())
      PyErr_SetString(PyExc_RuntimeError, "kiln: builtins.print is missing");
    goto done;
  }
  Py_INCREF(print);
  PyObject *r = PyObject_Call(print, args, kw);
  if (r) {
    Py_DECREF(r);
    rc = 0;
  }
done:
  Py_XDECREF(print);
  Py_XDECREF(kw);
  Py_XDECREF(args);
  if (rc != 0)
    record_print_error();
  if (pt) {
    if (PyErr_Occurred()) { /* print's own (a Python one) replaces the older */
      Py_XDECREF(pt);
      Py_XDECREF(pv);
      Py_XDECREF(ptb);
    } else {
      PyErr_Restore(pt, pv, ptb);
    }
  }
  PyGILState_Release(g);
  return rc;
}
